"""What part of the article a sentence belongs to: news, background, or reaction.

Cheap lexical cues, because the reference page's sections are conventional: reactions carry
direct speech or verbs of praise and blame; background looks back in time.
"""

from __future__ import annotations

import re

from newsdesk.write.extractive.candidates import Candidate, speech_share

_REACTION = re.compile(
    r"\b(?:condemn\w*|prais\w*|criticis\w*|criticiz\w*|welcom\w*|condolences?|vow\w*|"
    r"pledg\w*|mourn\w*|applaud\w*|called for|calls for|outrage\w*|tributes?|"
    r"thoughts and prayers|expressed|slammed|hailed|deplored)\b",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"\b(?:last (?:year|month|week|decade)|in (?:19|20)\d\d|since (?:19|20)\d\d|"
    r"previous(?:ly)?|earlier this (?:year|month)|\d+ years? ago|years ago|decades?|"
    r"histor(?:y|ic|ical)|had been|was built|founded|first opened|formerly|long-running|"
    r"for years|in the past|has long|have long)\b",
    re.IGNORECASE,
)


REACTION_SPEECH_SHARE = 0.4


def is_reaction(candidate: Candidate) -> bool:
    """Mostly direct speech, or a verb of praise, blame or grief."""
    return is_mainly_quote(candidate) or bool(_REACTION.search(candidate.text))


def is_mainly_quote(candidate: Candidate) -> bool:
    return candidate.quoted and speech_share(candidate.text) >= REACTION_SPEECH_SHARE


def is_background(candidate: Candidate) -> bool:
    return bool(_BACKGROUND.search(candidate.text))
