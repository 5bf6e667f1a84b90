"""What the clusterer reads from a document: terms, named entities, numbers, dates, years.

Two reports of one event share rare words, word pairs ("tony thompson", "sixth round"),
names, figures and dates; two different events of the same kind (two earthquakes, two
arrests of one person) share the vocabulary of the kind but differ in exactly those. So
besides plain terms we keep word pairs, capitalised names, numbers (not years), day-month
dates, and the latest year the text mentions (a rough date for undated documents).

Links inside the text are dropped first: a URL is boilerplate of the outlet, and two
articles from one site would otherwise look alike.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from newsdesk.records import Document
from newsdesk.text import CLUSTER_STOPWORDS as STOP_WORDS

_CALENDAR = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december jan feb mar apr jun jul aug "
    "sep sept oct nov dec today yesterday tomorrow"
).split()
MONTHS = {name: (i % 12) + 1 for i, name in enumerate(_CALENDAR[7:19])} | {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
TEXT_MAX_CHARS = 200_000
"""Extraction's and import's limit for an article (newsdesk.extract.MAX_CHARS): a longer
text stored before that limit held is read only this far, not into gigabytes of memory."""
# Capitalised words that are not names: sentence openers and calendar words.
_NOT_NAMES = STOP_WORDS | set(_CALENDAR) | {"mr", "mrs", "ms", "dr", "police", "officials"}

# Also the detokenised form "http: / / www. site. com / a - b": spaces around separators,
# continued while the next piece starts lower-case or with a digit.
_URL = re.compile(
    r"(?i:https?\s*:\s*/\s*/\s?|www\s*\.\s?)(?:[\w~%?=&#+:]+|\s?[/.\-_]\s?(?=[a-z0-9]))*"
)
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# The lookahead (the first letters of the month names, or a digit) only lets the regex
# engine skip quickly past positions where no date can start: same matches, twice as fast.
_DAY_MONTH = re.compile(
    rf"(?=[adfjmnos]|\d)\b(?:({_MONTH_NAMES})\.?\s+(\d{{1,2}})|(\d{{1,2}})\s+({_MONTH_NAMES}))\b",
    re.I,
)


@dataclass(frozen=True)
class DocumentFeatures:
    """The clusterer's view of one document (the dense vector is kept elsewhere)."""

    terms: Counter[str]
    entities: frozenset[str]
    numbers: frozenset[str]
    latest_year: int | None
    published: datetime | None


def clean_text(document: Document) -> str:
    """Title and text (its first TEXT_MAX_CHARS characters) with links removed."""
    body = document.text[:TEXT_MAX_CHARS]
    text = f"{document.title}. {body}" if document.title else body
    return _URL.sub(" ", text)


def extract_features(document: Document, text: str | None = None) -> DocumentFeatures:
    text = clean_text(document) if text is None else text
    words = _WORD.findall(text)
    return DocumentFeatures(
        terms=count_terms(words),
        entities=find_entities(text),
        numbers=find_numbers(text),
        latest_year=find_latest_year(text),
        published=document.published,
    )


def count_terms(words: list[str]) -> Counter[str]:
    """Content words and pairs of neighbouring content words, lower-cased."""
    content = [w for w in map(str.lower, words) if w not in STOP_WORDS and len(w) > 1]
    terms = Counter(content)
    terms.update(map(" ".join, pairwise(content)))
    return terms


def find_entities(text: str) -> frozenset[str]:
    """Runs of capitalised words, whole and word by word ("hasim rahman", "rahman")."""
    found: set[str] = set()
    for sentence in _SENTENCE_END.split(text):
        run: list[str] = []
        for word in [*_WORD.findall(sentence), "."]:
            if word[:1].isupper() and word.lower() not in _NOT_NAMES:
                run.append(word.lower())
                continue
            if run:
                found.add(" ".join(run))
                found.update(run)
                run = []
    return frozenset(found)


def find_numbers(text: str) -> frozenset[str]:
    """Figures other than years, and day-month dates as "m-d"."""
    numbers = {
        n.replace(",", "") for n in _NUMBER.findall(text) if len(n) > 1 and not _YEAR.fullmatch(n)
    }
    for month_a, day_a, day_b, month_b in _DAY_MONTH.findall(text):
        month = MONTHS[(month_a or month_b).lower()]
        day = int(day_a or day_b)
        if 1 <= day <= 31:
            numbers.add(f"date:{month}-{day}")
    return frozenset(numbers)


def find_latest_year(text: str) -> int | None:
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None
