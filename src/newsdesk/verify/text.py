"""Tokens for checking: words reduced to comparable keys, numbers normalised, sentences.

A claim and its evidence are compared on *keys*: a word's Snowball stem in lower case, so
"resigned" matches "resigns", and a number's canonical form, so "1,200" matches "1200" and
"twelve" matches "12". Sentence splitting here only needs to find checkable units and
evidence windows, so it is deliberately forgiving (lower-case starts are common in wire
copy and in some evaluation data); offsets are kept so evidence is quoted verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from newsdesk.text import trim_span

_STEMMER = snowballstemmer.stemmer("english")
_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|\n\s*\n")
# A digit, a full stop, one space and a digit: a decimal with a stray space, not a break.
_SPLIT_NUMBER = re.compile(r"\d\. \d")
_NO_BREAK_BEFORE = frozenset(
    """mr mrs ms dr prof st ave blvd mt ft sen rep gov gen col lt sgt capt jr sr inc ltd co
    corp vs no""".split()
)

STOPWORDS = frozenset(
    """a an the and or but of to in on at by for with from as is are was were be been being
    it its this that these those he she they them his her their we our you your i me my
    has have had do does did will would can could should shall than then there here
    which who whom whose what when where why how also into over under after before about
    s said says say told tell if so just all some such other very own same too only
    up out off again further once both each few more most any because while during
    until against between through above below upon via per its whose being am""".split()
)

_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen twenty""".split()
    )
}
_NUMBER_WORDS.update(
    {
        w: str(v)
        for w, v in zip(
            "thirty forty fifty sixty seventy eighty ninety".split(),
            range(30, 100, 10),
            strict=True,
        )
    }
)
_NUMBER_WORDS.update(
    {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th"}
)
_NUMBER_WORDS.update({"dozen": "12", "half": "0.5", "once": "1", "twice": "2"})


@dataclass(frozen=True, slots=True)
class Token:
    """One word or number: ``key`` is what gets compared, ``word`` the lower-cased form."""

    key: str
    word: str
    start: int
    end: int
    capitalised: bool
    number: bool

    @property
    def content(self) -> bool:
        return self.number or self.word not in STOPWORDS


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def normalise_number(raw: str) -> str:
    """'1,200' -> '1200', '6.20' -> '6.2', '07' -> '7'; times like '21:45' stay as they are."""
    if ":" in raw:
        return raw
    text = raw.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw) else raw
    if re.fullmatch(r"\d+\.\d+", text):
        text = text.rstrip("0").rstrip(".")
    return text.lstrip("0") or "0"


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        lowered = raw.casefold().replace("’", "'")
        if raw[0].isdigit():
            key, number = normalise_number(raw), True
        elif lowered in _NUMBER_WORDS:
            key, number = _NUMBER_WORDS[lowered], True
        else:
            key, number = stem(lowered.removesuffix("'s")), False
        tokens.append(Token(key, lowered, match.start(), match.end(), raw[0].isupper(), number))
    return tokens


def split_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence-like unit of ``text``, whitespace-trimmed."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].rsplit(None, 1)
        last_word = before[-1].casefold().strip("\"'“”‘’(") if before else ""
        if last_word in _NO_BREAK_BEFORE or (len(last_word) == 1 and last_word.isalpha()):
            continue
        if last_word in ("a.m", "p.m"):
            continue  # "7 p.m. Friday", "U.S. officials": an abbreviation, not an end
        if match.start() > 0 and _SPLIT_NUMBER.match(text, match.start() - 1):
            continue  # "1. 3 billion": one number written apart, as some converted text does
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [trimmed for s, e in spans if (trimmed := trim_span(text, s, e))[0] < trimmed[1]]


_CLAUSE_BREAK = re.compile(
    r"[,;]\s+(?:in which|of which|by which|where|while|whereas|and|but)\s+|;\s+", re.IGNORECASE
)


def split_clauses(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each clause of one sentence, cut after a comma or semicolon that
    opens a new clause ("..., in which turnout reached 48 percent"); the joining words are
    left out. A sentence with no such break is one clause."""
    spans = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [trimmed for s, e in spans if (trimmed := trim_span(text, s, e))[0] < trimmed[1]]
