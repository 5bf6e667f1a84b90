"""Web furniture that extraction leaves in a page's text: never published as news.

Real pages carry photo captions and credits, slide counters, video and embed widgets,
calls to action and appeals in the outlet's own voice. Each is a pattern on one sentence;
a sentence that matches any of them is not a candidate for an article, whatever its length
or punctuation. Text is NFKC-folded first, so that fullwidth or styled letters match too.
"""

from __future__ import annotations

import re
import unicodedata

# Photo captions and credits, and gallery counters ("Hide Caption 11 of 23", "6/37").
_CAPTION = re.compile(
    r"\bhide caption\b|\bcaption\s+\d+\s+of\s+\d+|^\s*\d{1,3}\s*/\s*\d{1,3}\b"
    r"|\b(?:getty|afp|ap|reuters|epa|shutterstock)\s*(?:/\s*\w+\s*)?images?\b|\bap photo\b"
    r"|\bimage (?:copyright|caption|source)\b|\bphoto(?:graph)?s?\s*(?:by|courtesy|credit)\b"
    r"|^\s*(?:photo|photos|image|picture|credit|file photo)\s*:"
    r"|\((?:photo|image|credit)[^)]{0,60}\)|\bpictured\s*:|\bslide\s*\d",
    re.IGNORECASE,
)
# Widget words that open a sentence when a player or box was flattened into text.
_WIDGET_OPENER = re.compile(
    r"^\s*(?:CLOSE|WATCH|VIDEO|PHOTOS?|GALLERY|LISTEN|ADVERTISEMENT|SPONSORED|SUMMARY|"
    r"UPDATE|BREAKING|EXCLUSIVE|RELATED|MORE|READ MORE|SEE ALSO|SKIP)\b"
    r"|^\s*(?:summary|watch|video|listen|related|more|see also|editor'?s note|"
    r"update|correction|advertisement)\s*:",
)
_WIDGET_OPENER_ANY_CASE = re.compile(
    r"^\s*(?:summary|watch|video|listen|related|see also|editor'?s note|advertisement)\s*:",
    re.IGNORECASE,
)
# Embeds and players.
_EMBED = re.compile(
    r"\bembed(?:ded)? (?:tweet|video|post|code|content)\b|\bthis embed\b|\bview this post on\b"
    r"|\bthis (?:video|tweet|post|content) "
    r"(?:is|has been|was) (?:not available|unavailable|removed|deleted)\b"
    r"|\b(?:enable|turn on) javascript\b|\bplease upgrade your browser\b"
    r"|\bplay(?:ing)? (?:the )?video\b|\bautoplay\b|\bloading\s+video\b",
    re.IGNORECASE,
)
# Calls to action and appeals: what a page asks of its reader is not news.
_CALL_TO_ACTION = re.compile(
    r"\bat the link below\b|\bclick (?:here|below|the link)\b|\bsign up (?:for|to|here)\b"
    r"|\bsubscribe (?:now|today|here|to our)\b|\bour newsletter\b|\bnewsletter sign"
    r"|\bdonate (?:now|today|here)\b|\bmake a donation\b|\bplease consider\b|\bsupport (?:our|"
    r"independent|quality|local) journalism\b|\bfollow us\b|\blike us on\b|\bshare this\b"
    r"|\bdownload (?:the|our) app\b|\bread (?:more|the full)\b|\bcontact us\b"
    r"|\bemail us\b|\bsend (?:us )?(?:your )?tips?\b|\bterms of (?:use|service)\b"
    r"|\bprivacy policy\b|\ball rights reserved\b|\bcopyright \d{4}\b|©",
    re.IGNORECASE,
)
# The outlet speaking as itself ("we", "our readers") outside any quotation.
# A page's time stamp inside a sentence (a leading one is cut off by the writer): a date
# and a clock time, "Story Created:", "12 / 16 / 08 1: 30 AM".
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CLOCK = r"\d{1,2}\s*:\s*\d{2}\s*(?:[ap]\.?\s*m\b\.?|hrs\b)"
_TIMESTAMP = re.compile(
    rf"\b{MONTH}\s+\d{{1,2}},?\s+\d{{4}},?\s*(?:[-–|@,]|at)?\s*{_CLOCK}"
    rf"|\b\d{{1,2}}\s+{MONTH}\s+\d{{4}}\s+\d{{1,2}}\s*[:.]"
    rf"|\b\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*\d{{2,4}}\s+{_CLOCK}"
    r"|\b(?:story created|first published|last updated|last modified)\s*:",
    re.IGNORECASE,
)
# Case-sensitive: "US" is a country.
_FIRST_PERSON_PLURAL = re.compile(r"\b(?:[Ww]e|[Ww]e're|[Ww]e've|[Ww]e'll|[Oo]urs?|us|ourselves)\b")
_FIRST_PERSON_SINGULAR = re.compile(r"\b(?:my|me|myself|I'm|I've|I'd|I'll)\b")
_CAPITAL_I = re.compile(r"\bI\b(?![.’'])")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]|‘[^’]*’")
_FORMAT_CHARS = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def fold(text: str) -> str:
    """NFKC and no invisible format characters: what a filter should look at."""
    return _FORMAT_CHARS.sub("", unicodedata.normalize("NFKC", text))


def is_boilerplate(sentence: str, *, outlet_voice: bool = True) -> bool:
    """True for a caption, credit, counter, widget, embed, appeal or (with
    ``outlet_voice``) a 'we' outside quotation marks, which is the outlet speaking or a
    quotation cut from its marks: either way not a sentence to publish."""
    text = fold(sentence)
    if _WIDGET_OPENER.search(text) or _WIDGET_OPENER_ANY_CASE.search(text):
        return True
    if _CAPTION.search(text) or _EMBED.search(text) or _CALL_TO_ACTION.search(text):
        return True
    if _TIMESTAMP.search(text):
        return True
    return outlet_voice and _first_person(_QUOTED.sub(" ", text))


def _first_person(text: str) -> bool:
    """'we', 'our', 'my', or 'I' (not a regnal or war number: 'Elizabeth I', 'War I')."""
    if _FIRST_PERSON_PLURAL.search(text) or _FIRST_PERSON_SINGULAR.search(text):
        return True
    for match in _CAPITAL_I.finditer(text):
        before = text[: match.start()].split()
        if not before or not before[-1][:1].isupper() or before[-1].endswith((".", ",")):
            return True
    return False
