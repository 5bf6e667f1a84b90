"""The key-facts table: 4-6 rows of Aspect / Details, every detail lifted from its quote.

Each finder proposes at most one row with the rows (sentences) it cites; the table keeps
the most important distinct aspects. Details are short phrases copied from the cited
sentence (the place may be re-cased from a capitalised dateline), so their words are in
the quote and the figures keep the sources' hedges ("at least 12").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsdesk.records import Fact
from newsdesk.write.extractive.candidates import Candidate
from newsdesk.write.extractive.figures import KINDS, Figure, group_by_value
from newsdesk.write.extractive.headline import trim_clause
from newsdesk.write.extractive.kinds import is_of_kind
from newsdesk.write.extractive.mentions import (
    find_dates,
    find_names,
    find_places,
    is_actor,
    is_cited_source,
    is_outlet,
)
from newsdesk.write.extractive.rank import Ranking
from newsdesk.write.extractive.roles import is_background

_Extractor = Callable[[Candidate], list[str]]
MIN_FACTS = 4
MAX_FACTS = 6
MAX_DETAIL_WORDS = 12
MAX_WHAT_WORDS = 16
FALLBACK_PRIORITY = 8
PLACE_SHARE = 0.15
MAX_PROPOSALS = 5  # values tried per aspect before leaving its row out
_WIRES = frozenset({"reuters", "ap", "afp", "associated press", "agence france-presse", "upi"})
_SMALL_WORDS = frozenset({"of", "the", "and", "on", "upon", "de", "la"})
_ORDER = ["What", "Who", "Where", "When", *(k.aspect for k in KINDS), "Status"]
_STATUS = re.compile(
    r"\b(?:under investigation|investigation (?:is|was) (?:ongoing|continuing|under ?way)|"
    r"(?:is|are|was|were|remains?|remained) (?:still )?(?:in (?:critical|stable|serious|fair|"
    r"good) condition|closed|shut|suspended|ongoing|missing|under ?way|pending|on hold)|"
    r"(?:has|have|had) been (?:charged|arrested|released|suspended|closed|reopened|"
    r"postponed|cancell?ed|canceled|lifted|restored|detained|sentenced|convicted)|"
    r"(?:search|rescue|recovery)(?: efforts?| operations?| teams?)? (?:continued|continues|"
    r"resumed|was called off|were called off)|will (?:resume|"
    r"reopen|remain|continue|face|appear))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """A proposed row: lower priority numbers win a place in the table."""

    aspect: str
    detail: str
    rows: tuple[int, ...]
    priority: int


@dataclass
class StoryFacts:
    facts: list[Fact] = field(default_factory=list)
    place: tuple[str, str] | None = None  # (preposition, place)
    who: str | None = None


def build_facts(
    ranking: Ranking,
    lead_row: int,
    body_rows: Sequence[int],
    figures: dict[str, dict[str, Figure]],
    outlets: set[str],
) -> StoryFacts:
    """Find candidate rows for every aspect, then keep the best distinct 4-6."""
    rows = [i for i in ranking.by_relevance() if ranking.candidates[i].prose]
    where = find_where(ranking, rows, outlets)
    excluded = outlets | _WIRES | ({where.detail.casefold()} if where else set())
    who = find_who(ranking, rows, excluded)
    findings = [
        Finding(
            "What", trim_clause(ranking.candidates[lead_row].text, MAX_WHAT_WORDS), (lead_row,), 0
        ),
        *([where] if where else []),
        *([who] if who else []),
        *_optional(find_when(ranking, rows)),
        *_optional(find_status(ranking, rows)),
        *figure_findings(ranking, figures),
        *fallback_findings(ranking, lead_row, body_rows),
    ]
    facts = [_to_fact(ranking, f) for f in _choose(findings)]
    place = (where_preposition(ranking, where), where.detail) if where else None
    return StoryFacts(facts, place, who.detail if who else None)


def _optional(finding: Finding | None) -> list[Finding]:
    return [finding] if finding else []


def _choose(findings: Sequence[Finding]) -> list[Finding]:
    """Best distinct aspects, at most six; fallback rows only to reach four."""
    chosen: dict[str, Finding] = {}
    for finding in sorted(findings, key=lambda f: (f.priority, _order(f.aspect))):
        limit = MIN_FACTS if finding.priority >= FALLBACK_PRIORITY else MAX_FACTS
        details = {c.detail.casefold() for c in chosen.values()}
        fresh = finding.detail and finding.detail.casefold() not in details
        if fresh and finding.aspect not in chosen and len(chosen) < limit:
            chosen[finding.aspect] = finding
    return sorted(chosen.values(), key=lambda f: _order(f.aspect))


def _order(aspect: str) -> int:
    base = aspect.removesuffix(" (sources differ)")
    return _ORDER.index(base) if base in _ORDER else len(_ORDER)


def _to_fact(ranking: Ranking, finding: Finding) -> Fact:
    citations = [c for row in finding.rows for c in ranking.candidates[row].citations()]
    return Fact(aspect=finding.aspect, detail=finding.detail, citations=citations)


def find_where(ranking: Ranking, rows: Sequence[int], outlets: set[str]) -> Finding | None:
    """The dateline place most documents share, else the place most documents name.

    A dateline says where the reporter files from (often the capital): when fewer than
    half of the documents name that place in their sentences, the place they do name
    wins ("Calder Sound", not "Corvel")."""
    datelines = _tally(ranking, range(len(ranking.candidates)), lambda c: _listed(c.dateline))
    places = _tally(ranking, rows, lambda c: [p for _, p in find_places(c.text)])
    texts = [ranking.candidates[row].text for row in rows]
    places = [
        (p, h)
        for p, h in places
        if p.casefold() not in outlets and _mostly_a_place(p, len(h), texts)
    ]
    proposals = [(p, hits[0]) for p, hits in places]
    if datelines:
        place, hits = datelines[0]
        if not places or _docs_naming(ranking, _recase(place).split(",")[0]) * 2 >= _doc_count(
            ranking
        ):
            proposals.insert(0, (_recase(place), hits[0]))
    return _first_of_kind(ranking, "Where", proposals, 2)


def _first_of_kind(
    ranking: Ranking, aspect: str, proposals: Sequence[tuple[str, int]], priority: int
) -> Finding | None:
    """The first proposed value that its own sentence shows to be of the aspect's kind."""
    for value, row in proposals[:MAX_PROPOSALS]:
        if is_of_kind(aspect, value, ranking.candidates[row].quote):
            return Finding(aspect, value, (row,), priority)
    return None


def _docs_naming(ranking: Ranking, place: str) -> int:
    """Documents that name ``place`` in their sentences (datelines aside)."""
    pattern = re.compile(rf"\b{re.escape(place)}\b", re.IGNORECASE)
    return len({c.doc for c in ranking.candidates if pattern.search(c.text)})


def _doc_count(ranking: Ranking) -> int:
    return len({c.doc for c in ranking.candidates})


def _mostly_a_place(place: str, place_hits: int, texts: Sequence[str]) -> bool:
    """'in Teixeira' once among forty mentions of the player is not a place."""
    mentions = len(re.findall(rf"\b{re.escape(place)}\b", "\n".join(texts)))
    return place_hits >= PLACE_SHARE * max(mentions, 1)


def where_preposition(ranking: Ranking, where: Finding) -> str:
    for prep, place in find_places(ranking.candidates[where.rows[0]].text):
        if place == where.detail:
            return prep
    return "in"


def find_who(ranking: Ranking, rows: Sequence[int], excluded: set[str]) -> Finding | None:
    """The actor most documents name: speakers and named bodies first, full names kept."""
    places = {p.casefold() for row in rows for _, p in find_places(ranking.candidates[row].text)}
    places |= {_recase(c.dateline).casefold() for c in ranking.candidates if c.dateline}
    place_words = {w for p in places | excluded for w in re.findall(r"[\w'’-]+", p)}
    stats: dict[str, _NameStats] = {}
    for rank, row in enumerate(rows):
        candidate = ranking.candidates[row]
        for mention in find_names(candidate.text):
            usable = (len(mention.name.split()) > 1 or not mention.initial) and not (
                is_outlet(mention.name) or is_cited_source(mention, candidate.text)
            )
            if usable and not _names_a_place(mention.name, excluded | places, place_words):
                entry = stats.setdefault(mention.name, _NameStats(rank, row))
                entry.docs.add(candidate.doc)
                entry.mentions += 1
                entry.actor = entry.actor or is_actor(mention, candidate.text)
    actors = sorted((n for n, v in stats.items() if v.actor), key=lambda n: stats[n].order(n))
    # No one acts or speaks, or no actor is a person or a body: better no row than a
    # place or a thing.
    proposals = [_fullest(name, stats) for name in actors]
    return _first_of_kind(ranking, "Who", [(n, stats[n].first_row) for n in proposals], 4)


def _fullest(name: str, stats: dict[str, _NameStats]) -> str:
    """'Reid' -> 'Tara Reid' (the best-placed fuller form), not -> 'Actress Tara Reid'."""
    fuller = [n for n in stats if n != name and re.search(rf"\b{re.escape(name)}\b", n)]
    if fuller and len(name.split()) == 1:
        return min(fuller, key=lambda n: stats[n].order(n))
    return name


_PLACE_ENDINGS = frozenset(
    """bridge pass river street road avenue highway flats highlands bay coast island isle
    mountain mountains valley lake harbour harbor square park point bank sound crag fault
    stadium quay tunnel strait gulf sea ocean hills county province district""".split()
)


def _names_a_place(name: str, places: set[str], place_words: set[str]) -> bool:
    """A place, a landmark ('Saltmarket Bridge'), or only words of a known place
    ('Dunmore' of 'Dunmore Flats')."""
    words = re.findall(r"[\w'’-]+", name.casefold())
    return (
        name.casefold() in places
        or (bool(words) and words[-1] in _PLACE_ENDINGS)
        or all(w in place_words for w in words)
    )


@dataclass
class _NameStats:
    first_rank: int
    first_row: int
    docs: set[str] = field(default_factory=set)
    mentions: int = 0
    actor: bool = False

    def order(self, name: str) -> tuple[float, int, int, int, str]:
        """Sort key: most documents (an actor counts one more), full names, most mentions,
        best rank."""
        multiword = len(name.split()) > 1
        weight = len(self.docs) + self.actor + 0.5 * multiword
        return (-weight, -multiword, -self.mentions, self.first_rank, name)


def find_when(ranking: Ranking, rows: Sequence[int]) -> Finding | None:
    dates = _tally(ranking, rows, lambda c: find_dates(c.text))
    return _first_of_kind(ranking, "When", [(date, hits[0]) for date, hits in dates], 3)


def find_status(ranking: Ranking, rows: Sequence[int]) -> Finding | None:
    """The current state of things, from the best-ranked sentence that states one."""
    for row in rows[:20]:
        text = ranking.candidates[row].text
        match = _STATUS.search(text)
        if match:
            return Finding("Status", _clause_around(text, match), (row,), 6)
    return None


def _clause_around(text: str, match: re.Match[str]) -> str:
    """The clause holding ``match``: with its subject if short, else from the match on."""
    starts = [m.end() for m in re.finditer(r"[,;:—–(]\s*", text[: match.start()])]
    ends = [m.start() for m in re.finditer(r"[,;:—–)]|\.\s|\.$", text[match.end() :])]
    clause_start = starts[-1] if starts else 0
    end = match.end() + (ends[0] if ends else len(text) - match.end())
    subject = text[clause_start : match.start()].split()
    begin = clause_start if len(subject) <= 4 else match.start()
    words = text[begin:end].split()[: 2 * MAX_DETAIL_WORDS]
    while len(words) > 1 and words[0].lower() in {"and", "but", "or", "which", "who", "that"}:
        words = words[1:]
    return trim_clause(" ".join(words), MAX_DETAIL_WORDS)


def figure_findings(ranking: Ranking, figures: dict[str, dict[str, Figure]]) -> list[Finding]:
    """One row per counted kind; differing sources are all shown and all cited."""
    findings = []
    for kind in KINDS:
        groups = group_by_value(figures.get(kind.name, {}))
        if not groups:
            continue
        priority = 1 if kind.name == "deaths" else 5
        first = groups[0][0]
        if kind.compared and len(groups) > 1:
            detail = " or ".join(_lower_first(g[0].value) for g in groups[:3])
            rows = tuple(ranking.row_of(g[0].candidate) for g in groups[:3])
            findings.append(Finding(f"{first.aspect} (sources differ)", detail, rows, priority))
        else:
            rows = tuple(ranking.row_of(f.candidate) for f in groups[0][:3])
            findings.append(Finding(first.aspect, _lower_first(first.value), rows, priority))
    return findings


def fallback_findings(ranking: Ranking, lead_row: int, body_rows: Sequence[int]) -> list[Finding]:
    """Rows used only when fewer than four proper aspects were found."""
    findings = []
    background = [r for r in body_rows if is_background(ranking.candidates[r])]
    if background:
        detail = trim_clause(ranking.candidates[background[0]].text, MAX_DETAIL_WORDS)
        findings.append(Finding("Background", detail, (background[0],), 8))
    others = [r for r in body_rows if r != lead_row and not ranking.candidates[r].quoted]
    for label, row in zip(("Also reported", "Further detail"), others, strict=False):
        detail = trim_clause(ranking.candidates[row].text, MAX_DETAIL_WORDS)
        findings.append(Finding(label, detail, (row,), 9))
    return findings


def _tally(
    ranking: Ranking, rows: Sequence[int] | range, extract: _Extractor
) -> list[tuple[str, list[int]]]:
    """Values found in the rows, most documents first, then best-ranked first."""
    docs: dict[str, set[str]] = {}
    hits: dict[str, list[int]] = {}
    for row in rows:
        candidate = ranking.candidates[row]
        for value in extract(candidate):
            docs.setdefault(value, set()).add(candidate.doc)
            hits.setdefault(value, []).append(row)
    order = {row: rank for rank, row in enumerate(rows)}
    return sorted(hits.items(), key=lambda kv: (-len(docs[kv[0]]), order[kv[1][0]], kv[0]))


def _listed(value: str | None) -> list[str]:
    return [value] if value else []


def _recase(place: str) -> str:
    """'PORT ANSELM, Valdoria' -> 'Port Anselm, Valdoria' (acronyms with dots kept)."""
    words = [w.capitalize() if w.isupper() and "." not in w else w for w in place.split()]
    return " ".join(
        w.lower() if k and w.lower() in _SMALL_WORDS else w for k, w in enumerate(words)
    )


def _lower_first(value: str) -> str:
    """'At least 12' -> 'at least 12' (a sentence-initial capital is not part of a figure)."""
    first = value.split()[0] if value.split() else ""
    return value[:1].lower() + value[1:] if first.isalpha() else value
