"""The claim checker: label claims against source passages, and gate articles on it.

``check_text`` labels a free claim against source texts (``newsdesk check``);
``check_claim`` checks a cited sentence; ``verify_article`` is the gate between write and
publish, and ``is_publishable`` says whether anything survived it.
"""

from newsdesk.verify.article import CHECKER, check_fact, is_publishable, verify_article
from newsdesk.verify.claims import Check, Evidence, Verdict, check_against, check_claim, check_text

__all__ = [
    "CHECKER",
    "Check",
    "Evidence",
    "Verdict",
    "check_against",
    "check_claim",
    "check_fact",
    "check_text",
    "is_publishable",
    "verify_article",
]
