"""Source sentences as writer candidates: verbatim quote, cleaned text, and usability flags.

The quote is always the exact span of the document (what the citation shows); the text is
the same span with a dateline ("PORT ANSELM, Valdoria —") cut off the front, so it is a
suffix of the quote. Flags say whether the sentence can stand alone in an article: a
sentence that opens with a pronoun or carries a quote with no named speaker needs the
sentence before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from newsdesk.boilerplate import MONTH, is_boilerplate
from newsdesk.injection import is_instruction
from newsdesk.records import Citation, Document
from newsdesk.text import split_sentences, word_set

MIN_WORDS = 6
MAX_WORDS = 70

_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"^(?:(?P<place>[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+)*"
    r"(?:,\s*[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*)*)?)"
    rf"(?:,?\s*{_MONTH_ABBR}\s+\d{{1,2}})?\s*)?"
    r"(?:\([^)]{1,40}\)\s*)?(?:[—–]|--?)\s*(?=[\"“A-Z0-9])"
)
# A page's publication stamp glued to the first sentence when extraction lost the line
# break: "First Published: June 13, 2013 4:59 PM EDT", "THURSDAY, APRIL 11, 2013, 12:12 AM",
# "Wed, Sep 19 2012 at 11:47 AM", "June 24, 2005".
_TIMESTAMP = re.compile(
    r"^(?:(?:first |last )?(?:published|posted|updated|story created|created)\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}},?"
    r"(?:(?:\s*[-–|@]\s*|\s+(?:at\s+)?)\d{1,2}\s*[:.]\s*\d{2}\s*(?:[ap]\.?\s*m\.?|hrs)?"
    r"(?:\s+(?-i:[A-Z]{2,4}))?)?"
    r"\s+(?=(?-i:[\"“A-Z]))",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^(?:by\s+[A-Z]|photo\b|image\b|copyright|©|all rights reserved|click\b|read more|"
    r"subscribe|sign up|follow us|share this|advertisement|related:|updated\b|published\b|"
    r"posted\b|editing by|reporting by|additional reporting)",
    re.IGNORECASE,
)
# Page furniture glued into a sentence when lines lost their breaks, and tracking ids.
_JUNK_INSIDE = re.compile(
    r"\b(?:Published on|Last updated|Updated:|Posted on|Click here|Read more)\b"
    r"|\b(?=\w*\d)(?=\w*[a-z])(?=\w*[A-Z])\w{8,}\b"
    r"|(?:\b[A-Z][\w'’.-]*\s+){5,}[A-Z]"  # six capitalised words: a headline run into text
    r"|\b(?=\w{8,})\w*[a-z]\w*(?:[A-Z]\w*){3,}\b"  # 'UlQWdhaKyFI': a video or tracking id
)
# A sentence that ends on an article or preposition was cut, not finished.
_CUT_ENDING = re.compile(r"\b(?:a|an|the|of|to|and|or|with|for|from|by|at)\s*[.!]$", re.IGNORECASE)
_URL = re.compile(r"https?:|www\.|\.(?:com|org|net|html?)\b\s*/", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")
_CLOSERS = "\"'”’»)] "
_DIRECT_SPEECH = re.compile(r"[“\"]([^”\"]+)[”\"]")
_SPEECH_VERB = (
    r"(?:said|says|say|told|tells|added|adds|according to|stated|explained|wrote|writes|"
    r"tweeted|insisted|warned|asked|urged|declared|noted|quoted|recalled|admitted|"
    r"acknowledged|argued|claimed|replied|responded|posted)"
)
_HAS_SPEECH_VERB = re.compile(rf"\b{_SPEECH_VERB}\b", re.IGNORECASE)
_PRONOUN_SPEAKER = re.compile(
    rf"\b(?:he|she|they|we|i|it)\s+(?:\w+\s+)?{_SPEECH_VERB}\b|"
    rf"\b{_SPEECH_VERB}\s+(?:he|she|they|we)\b",
    re.IGNORECASE,
)
# Openers that refer back to an earlier sentence: unusable without that sentence.
_DEPENDENT_OPENERS = word_set("""
    he she it they them his her its their this these those that we our us i me my
    but and also so however such both either neither another others""")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence of one document, as the writer sees it."""

    doc: str
    index: int
    quote: str
    text: str
    dateline: str | None
    prose: bool
    dependent: bool
    quoted: bool

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    def citation(self) -> Citation:
        return Citation(document=self.doc, quote=self.quote)

    def citations(self) -> list[Citation]:
        return [self.citation()]


def read_candidates(document: Document) -> list[Candidate]:
    """All sentences of ``document`` in order, each with its flags."""
    candidates: list[Candidate] = []
    for index, span in enumerate(split_sentences(document.text)):
        text, place = strip_dateline(span.text)
        candidates.append(
            Candidate(
                doc=document.id,
                index=index,
                quote=span.text,
                text=text,
                dateline=place,
                prose=is_prose(text),
                dependent=is_dependent(text),
                quoted=has_direct_speech(text),
            )
        )
    return candidates


def strip_dateline(sentence: str) -> tuple[str, str | None]:
    """Return the sentence without a leading page timestamp or dateline (words deleted from
    its front, nothing else), and the dateline's place if any."""
    stamp = _TIMESTAMP.match(sentence)
    if stamp and _count_words(sentence[stamp.end() :]) >= 3:
        sentence = sentence[stamp.end() :]
    match = _DATELINE.match(sentence)
    if not match or _count_words(sentence[match.end() :]) < 3:
        return sentence, None
    return sentence[match.end() :], match.group("place")


def is_prose(text: str) -> bool:
    """A complete, non-boilerplate statement of reasonable length with balanced quotes."""
    words = _count_words(text)
    if not MIN_WORDS <= words <= MAX_WORDS or _BOILERPLATE.match(text) or _URL.search(text):
        return False
    if _JUNK_INSIDE.search(text) or is_instruction(text) or is_boilerplate(text):
        return False  # page furniture, or a prompt injection: never quoted as news
    stripped = text.rstrip(_CLOSERS)
    if not stripped or stripped[-1] not in ".!" or not (text[0].isupper() or text[0] in '"“'):
        return False
    letters = [c for c in text if c.isalpha()]
    if sum(c.isupper() for c in letters) > len(letters) / 2:
        return False
    if _CUT_ENDING.search(text) or text.count("(") != text.count(")"):
        return False  # cut off by a bad split: "... he pointed a.", "(11."
    return _quotes_balanced(text)


def is_dependent(text: str) -> bool:
    """True when the sentence only makes sense after the one before it."""
    first = _WORD.search(text)
    opens_with_quote = text.startswith(('"', "“"))
    # "They're", "It's": the pronoun before the apostrophe is what leans back.
    opener = re.split(r"['’]", first.group().lower().strip("'’"))[0] if first else ""
    if opener and not opens_with_quote and opener in _DEPENDENT_OPENERS:
        return True
    if not has_direct_speech(text):
        return False
    outside = _DIRECT_SPEECH.sub(" ", text)
    return not _HAS_SPEECH_VERB.search(outside) or bool(_PRONOUN_SPEAKER.search(outside))


def speech_share(text: str) -> float:
    """The share of the sentence's words that are inside quotation marks."""
    inside = sum(len(_WORD.findall(q)) for q in _DIRECT_SPEECH.findall(text))
    return inside / max(_count_words(text), 1)


def has_direct_speech(text: str) -> bool:
    """A quotation of at least three words (shorter quotes are scare quotes or titles)."""
    return any(len(q.split()) >= 3 for q in _DIRECT_SPEECH.findall(text))


def _quotes_balanced(text: str) -> bool:
    return text.count('"') % 2 == 0 and text.count("“") == text.count("”")


def _count_words(text: str) -> int:
    return len(_WORD.findall(text))


def relax(candidates: list[Candidate]) -> list[Candidate]:
    """Accept short or unpunctuated lines as prose, for documents with no proper sentence."""
    return [
        replace(
            c,
            prose=_count_words(c.text) >= 3
            and not _URL.search(c.text)
            and not is_instruction(c.text),
        )
        if not c.prose
        else c
        for c in candidates
    ]
