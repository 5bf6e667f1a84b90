"""Counted figures (deaths, injured, magnitude, cost ...) and where sources disagree on them.

A figure keeps the words the source used around the number, hedge included ("at least
12", "an estimated 2,000"), because the facts table must keep the sources' precision.
Two documents disagree when their main figure for the same counted thing differs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.records import Claim, Disagreement
from newsdesk.write.extractive.candidates import Candidate

_SMALL_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_NUMBER_WORDS = {w: i for i, w in enumerate(_SMALL_NUMBERS.split(" "))} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "a dozen": 12,
    "dozen": 12,
}
_VAGUE = "dozens|hundreds|thousands|tens of thousands|scores|millions"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = (
    rf"(?:{_DIGITS}|{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))}|{_VAGUE})"
    r"(?:\s+(?:million|billion|thousand|hundred))?"
)
_HEDGE = (
    r"(?:(?:at least|more than|over|about|around|nearly|almost|roughly|approximately|some|"
    r"up to|an estimated|estimated|as many as|fewer than|less than|close to|"
    r"at most|only|a further|another)\s+)?"
)
_VALUE = rf"(?P<value>{_HEDGE}{_NUM})"
# "12 [people were] killed", but not "seven [people and] injured 42".
_GAP = r"(?:\s+(?!and\b|or\b|but\b|while\b)[a-z][a-z-]*){0,3}?"
# Not an age ("10-year-old"), a clock time ("1: 30", "10 a.m."), a duration or a pronoun.
_NOT_TIME = (
    r"(?![-:]|\s+(?:years?|decades?|months?|weeks?|days?|hours?|minutes?|times?|that|who|"
    r"which|[ap]\.\s?m\.|[ap]m)(?:\b|(?<=\.)))"
)
_NOT_UNIT = (
    r"(?![-:]|\s*(?:%|percent|per cent|years?\b|months?\b|days?\b|hours?\b|minutes?\b|"
    r"[ap]\.\s?m\.|[ap]m\b))"
)


def _counted(after: str, before: str | None = None) -> list[re.Pattern[str]]:
    """'<value> ... <after>' and '<before> <value>' patterns for one counted thing."""
    patterns = [re.compile(rf"(?<!no\s)\b{_VALUE}{_NOT_TIME}{_GAP}\s+(?:{after})\b", re.IGNORECASE)]
    if before:
        patterns.append(re.compile(rf"\b(?:{before})\s+{_VALUE}\b{_NOT_UNIT}", re.IGNORECASE))
    return patterns


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    aspect: str
    topic: str
    patterns: list[re.Pattern[str]]
    compared: bool = True


KINDS = [
    Kind(
        "deaths",
        "Deaths",
        "Death toll",
        [
            *_counted(
                r"killed|dead|died|deaths|fatalities|perished|lives", r"killing|killed|kills"
            ),
            re.compile(
                rf"\bdeath toll\s+(?:[a-z]+\s+){{0,3}}?(?:to|of|at|is|was|reached|hit)\s+{_VALUE}",
                re.IGNORECASE,
            ),
        ],
    ),
    Kind(
        "injured",
        "Injured",
        "Number injured",
        _counted(r"injured|wounded|hurt|injuries", r"injuring|wounding|injured|wounded"),
    ),
    Kind("missing", "Missing", "Number missing", _counted(r"missing|unaccounted")),
    Kind(
        "arrests",
        "Arrests",
        "Number arrested",
        _counted(r"arrested|detained|in custody", r"arresting|arrested|detained"),
    ),
    Kind(
        "evacuated",
        "Evacuated",
        "Number evacuated",
        _counted(
            r"evacuated|displaced|evacuees|homeless", r"evacuating|evacuated|displacing|displaced"
        ),
    ),
    Kind(
        "magnitude",
        "Magnitude",
        "Magnitude",
        [
            re.compile(r"\bmagnitude(?:-|\s+)(?:of\s+)?(?P<value>\d+(?:\.\d+)?)", re.IGNORECASE),
            re.compile(r"\b(?P<value>\d+(?:\.\d+)?)(?:-|\s+)magnitude", re.IGNORECASE),
        ],
    ),
    Kind(
        "money",
        "Cost",
        "Amount",
        [
            re.compile(
                rf"(?P<value>{_HEDGE}(?:US)?[$€£¥]\s?\d(?:[\d,.]*\d)?(?:\s*(?:million|billion|"
                r"trillion|bn|mn|MM|m|M|B)\b)?)(?!\s*-\s*\d)",
                re.IGNORECASE,
            ),
            re.compile(
                rf"(?P<value>{_HEDGE}(?:{_DIGITS})\s+(?:(?:million|billion)\s+(?:pounds|"
                r"sterling)|(?:million\s+|billion\s+)?(?:dollars|euros|yen|yuan|rupees|"
                r"francs)))\b",
                re.IGNORECASE,
            ),
        ],
        compared=False,
    ),
    Kind(
        "turnout",
        "Turnout",
        "Turnout",
        [
            re.compile(
                r"\bturnout\s+(?:was|is|reached|stood at|stands at|of|hit|at|exceeded|topped|"
                r"rose to|fell to|put at|estimated at)\s+"
                rf"(?P<value>{_HEDGE}\d+(?:\.\d+)?\s?(?:%|percent|per cent))",
                re.IGNORECASE,
            )
        ],
    ),
    Kind(
        "prison",
        "Prison term",
        "Prison term",
        [re.compile(rf"\bsentenced\s+to\s+(?P<value>{_HEDGE}{_NUM}\s+(?:years?|months?))")],
        compared=False,
    ),
]
_MONEY_ASPECTS = [
    ("Deal value", r"acqui|deal|buy|bought|takeover|merger|purchase"),
    ("Fine", r"\bfine[ds]?\b|penalt|settle"),
    ("Damage", r"damage|losses"),
    ("Price", r"\bprice|sold for|\bcosts? \$"),
]


@dataclass(frozen=True, slots=True)
class Figure:
    """One counted figure in one sentence."""

    kind: Kind
    value: str
    phrase: str
    candidate: Candidate

    @property
    def key(self) -> str:
        return comparable_figure(self.value)

    @property
    def aspect(self) -> str:
        if self.kind.name != "money":
            return self.kind.aspect
        for aspect, pattern in _MONEY_ASPECTS:
            if re.search(pattern, self.candidate.text, re.IGNORECASE):
                return aspect
        return "Amount"


_OTHER_QUAKE = re.compile(r"aftershocks?|strongest of (?:them|which)|tremors?", re.IGNORECASE)
HEDGE_TOLERANCE = 0.1
# Words before a figure that place it in another event: an earlier year, "years ago".
_OTHER_EVENT = re.compile(
    r"\b(?:in|of|since|during)\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d\s+(?:quake|earthquake|tsunami|"
    r"flood|fire|attack|crash|storm|hurricane|disaster|election)\b|\byears? ago\b|\blast year\b|"
    r"\bprevious(?:ly)?\b|\bworst since\b|\brecord (?:set|held)\b",
    re.IGNORECASE,
)


_ANY_NUMBER = re.compile(rf"\d|\b(?:{'|'.join(_NUMBER_WORDS)}|{_VAGUE})\b", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)
def find_figures(candidate: Candidate) -> tuple[Figure, ...]:
    """Every figure in a sentence, except years and fragments of numbers (cached: the
    writer asks for the same sentence's figures many times)."""
    if not _ANY_NUMBER.search(candidate.text):
        return ()
    figures = []
    for kind in KINDS:
        for pattern in kind.patterns:
            for match in pattern.finditer(candidate.text):
                value = match.group("value").strip()
                if _plausible(kind, value, candidate.text[: match.start("value")]):
                    figures.append(Figure(kind, value, match.group().strip(), candidate))
    return tuple(figures)


def _plausible(kind: Kind, value: str, before: str) -> bool:
    """Not a year, not the tail of '10, 000', a head count is a whole number, and an
    aftershock's or an earlier quake's magnitude is not the event's."""
    if kind.name != "money" and re.fullmatch(r"(?:19|20)\d\d", value):
        return False
    if kind.name == "magnitude" and _OTHER_QUAKE.search(before[-80:]):
        return False
    if kind.compared and _OTHER_EVENT.search(before[-120:]):
        return False  # "the 2004 tsunami killed 230,000": another event's toll
    if re.search(r"\d[,.]\s$", before):
        return False
    counted = kind.name in {"deaths", "injured", "missing", "arrests", "evacuated"}
    fraction = re.search(r"\d\.\d", value) and not re.search(r"million|billion", value)
    return not (counted and fraction)


def comparable_figure(value: str) -> str:
    """Comparable form of a figure: the number alone, hedges and commas dropped."""
    lowered = value.lower().replace(",", "")
    digits = re.search(r"\d+(?:\.\d+)?", lowered)
    scale = 1.0
    for word, factor in (("thousand", 1e3), ("million", 1e6), ("billion", 1e9)):
        if word in lowered:
            scale = factor
    if digits:
        return f"{float(digits.group()) * scale:g}"
    for word, number in sorted(_NUMBER_WORDS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{word}\b", lowered):
            return f"{number * scale:g}"
    vague = re.search(_VAGUE, lowered)
    return vague.group() if vague else lowered


def main_figures(
    figures: Sequence[Figure], relevance: dict[tuple[str, int], float]
) -> dict[str, dict[str, Figure]]:
    """For each kind, each document's figure from its most relevant sentence."""
    best: dict[str, dict[str, Figure]] = {}
    for figure in figures:
        per_doc = best.setdefault(figure.kind.name, {})
        current = per_doc.get(figure.candidate.doc)
        if current is None or _rank(figure, relevance) < _rank(current, relevance):
            per_doc[figure.candidate.doc] = figure
    return best


def _rank(figure: Figure, relevance: dict[tuple[str, int], float]) -> tuple[float, int]:
    candidate = figure.candidate
    return (-relevance.get((candidate.doc, candidate.index), 0.0), candidate.index)


def find_disagreements(per_kind: dict[str, dict[str, Figure]]) -> list[Disagreement]:
    """A disagreement per counted kind on which the documents' main figures differ."""
    disagreements = []
    for kind in KINDS:
        per_doc = per_kind.get(kind.name, {})
        # "Dozens" or "hundreds" is not a count that can contradict another one.
        groups = [g for g in group_by_value(per_doc) if _is_count(g[0].key)]
        if kind.compared and len(groups) > 1:
            claims = [
                Claim(
                    text=figs[0].phrase,
                    citations=[c for f in figs for c in f.candidate.citations()],
                )
                for figs in groups
            ]
            disagreements.append(Disagreement(topic=kind.topic, claims=claims))
    return disagreements


def group_by_value(per_doc: dict[str, Figure]) -> list[list[Figure]]:
    """Figures grouped by their number, most-attested first (ties: smallest doc id).

    A hedged figure joins a precise one it is consistent with and close to ("more than
    40" and "42"): that is a difference of precision, not a disagreement."""
    groups: dict[str, list[Figure]] = {}
    for doc in sorted(per_doc):
        groups.setdefault(per_doc[doc].key, []).append(per_doc[doc])
    for key in [k for k in groups if _is_hedged(groups[k][0])]:
        home = next((k for k in groups if k != key and _consistent(groups[key][0], k)), None)
        if home is not None:
            groups[home].extend(groups.pop(key))
    return sorted(groups.values(), key=lambda figs: (-len(figs), figs[0].candidate.doc))


def _is_count(key: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?(?:e\+?\d+)?", key))


_HEDGED = re.compile(
    r"^(?:at least|more than|over|about|around|nearly|almost|roughly|approximately|some|"
    r"an estimated|estimated|close to)\b",
    re.IGNORECASE,
)


def _is_hedged(figure: Figure) -> bool:
    return bool(_HEDGED.match(figure.value))


def _consistent(hedged: Figure, other_key: str) -> bool:
    """Is the number ``other_key`` what the hedged figure allows, within 10 percent?"""
    try:
        low, high = float(hedged.key), float(other_key)
    except ValueError:
        return False
    if low <= 0 or abs(high - low) > HEDGE_TOLERANCE * low:
        return False
    word = hedged.value.split()[0].lower()
    if word in {"more", "over"}:
        return high > low
    if word == "at":
        return high >= low
    if word in {"nearly", "almost", "close"}:
        return high <= low
    return True
