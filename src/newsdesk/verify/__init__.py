"""The claim checker: label claims against source passages, and gate articles on it.

``check_text`` labels a free claim against source texts (``newsdesk check``);
``check_claim`` checks a cited sentence; ``verify_article`` is the gate between write and
publish, and ``is_publishable`` says whether anything survived it.

The modules, from a claim to its verdict (tokens and sentence spans: ``newsdesk.text``):

- ``evidence``: the source sentences, indexed once per source set;
- ``align``, ``entities``, ``lexicon``, ``semantic``: the claim sentence aligned with its
  source sentence, the names, numbers, hedges and negations it changed, its meaning;
- ``signals``: those measurements for one sentence; ``scoring``: label and score from them;
- ``claims``: a claim's sentences measured and decided; ``verdicts``: what that returns;
- ``judge``: the optional LLM second opinion on borderline verdicts (``newsdesk.llm``);
- ``article``: the gate over a whole article; ``jsonl``: ``newsdesk check``'s line format.
"""

from newsdesk.verify.article import CHECKER, check_fact, is_publishable, verify_article
from newsdesk.verify.claims import check_against, check_claim, check_text
from newsdesk.verify.judge import LLMJudge, make_judge
from newsdesk.verify.verdicts import Check, EvidencePassage, Verdict

__all__ = [
    "CHECKER",
    "Check",
    "EvidencePassage",
    "LLMJudge",
    "Verdict",
    "check_against",
    "check_claim",
    "check_fact",
    "check_text",
    "is_publishable",
    "make_judge",
    "verify_article",
]
