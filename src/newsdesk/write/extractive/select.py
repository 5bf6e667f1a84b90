"""Choose the standfirst and the body sentences (MMR), and find confirming citations.

Selection is maximal marginal relevance: each step takes the sentence that is most
relevant, adds story key terms not yet covered, is least like what was already chosen, and
comes from a document used less so far. A sentence that only makes sense after its
predecessor ("He said ...") is never chosen alone; it may follow its predecessor as a unit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from newsdesk.records import Citation
from newsdesk.write.extractive.figures import find_figures
from newsdesk.write.extractive.rank import Ranking
from newsdesk.write.extractive.roles import is_background, is_mainly_quote, is_reaction
from newsdesk.write.extractive.supersede import DEVELOPMENT

Unit = tuple[int, ...]

REPEAT_THRESHOLD = 0.45
SAID_THRESHOLD = 0.5  # a sentence most of whose terms the article already used adds little
FIGURE_REPEAT_PENALTY = 0.25
CONFIRM_THRESHOLD = 0.55
CONFIRM_IDF_THRESHOLD = 0.45  # and on rare words too: not just the same common ones
MIN_QUOTES = 2
LEAD_BONUS = 0.5
MAX_LEAD_WORDS = 60
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SUBORDINATE_OPENING = re.compile(
    r"(?:When|As|While|Although|Though|Since|Because|If|Despite|Once|Until|Before|After)\b"
)
DEVELOPMENT_BONUS = 0.25
_WHY_IT_MATTERS = re.compile(
    r"\b(?:first|largest|biggest|worst|deadliest|record|major|since|could|would|threat\w*|"
    r"expected|because|amid|raising|prompting|forcing|affect\w*|thousands|millions|"
    r"fears?|warn\w*|risk\w*|impact|consequences?)\b",
    re.IGNORECASE,
)


def choose_standfirst(ranking: Ranking, earliness: Mapping[str, float] | None = None) -> list[int]:
    """One or two sentences: the most central opening line, plus why it matters if short.

    ``earliness`` (1 for the first report of the story, 0 for the last) favours the lead
    of the report that broke the news over follow-ups and analysis, unless a later lead
    reports a development (a verdict, a new toll, a resignation): then the newest leads."""
    eligible = [i for i in ranking.by_relevance() if _standfirst_eligible(ranking, i)]
    if not eligible:
        eligible = [i for i in ranking.by_relevance() if ranking.candidates[i].prose]
    if not eligible:
        return []
    first = _central_lead(ranking, earliness or {})
    if first is None:
        first = max(eligible[:6], key=lambda i: (_opening_score(ranking, i), -eligible.index(i)))
    budget = 55 - ranking.candidates[first].words
    for row in eligible[:8]:
        candidate = ranking.candidates[row]
        if (
            row != first
            and candidate.words <= budget
            and ranking.overlap[first, row] < 0.45
            and _WHY_IT_MATTERS.search(candidate.text)
        ):
            return [first, row]
    return [first]


def _central_lead(ranking: Ranking, earliness: Mapping[str, float]) -> int | None:
    """News puts the essentials in its first sentence: of the documents' opening lines, the
    one most like the other openings (what every outlet led with), weighed with relevance
    and with how early its report came; an opening subordinate clause ("When the bank
    began ...") marks a feature or analysis lead and counts against it, as do looking
    back and reacting."""
    leads = [
        i
        for i, c in enumerate(ranking.candidates)
        if ranking.lead[i] == 1.0
        and c.prose
        and not c.dependent
        and not c.quoted
        and 8 <= c.words <= MAX_LEAD_WORDS
    ]
    if not leads:
        return None
    peak = max(ranking.relevance[i] for i in leads) or 1.0
    block = ranking.overlap[np.ix_(leads, leads)]
    agreement = block.sum(axis=1) / max(len(leads) - 1, 1)
    top = float(agreement.max()) or 1.0

    def score(k: int) -> tuple[float, int]:
        row = leads[k]
        candidate = ranking.candidates[row]
        value = 0.5 * agreement[k] / top + 0.35 * ranking.relevance[row] / peak
        early = earliness.get(candidate.doc, 0.5)
        if DEVELOPMENT.search(candidate.text):
            value += DEVELOPMENT_BONUS * (1.0 - early)  # the newest development leads
        else:
            value += 0.15 * early
        if _SUBORDINATE_OPENING.match(candidate.text):
            value -= 0.2
        if is_background(candidate) or is_reaction(candidate):
            value -= 0.1
        return (value, -row)

    return leads[max(range(len(leads)), key=score)]


def _opening_score(ranking: Ranking, row: int) -> float:
    return ranking.relevance[row] + LEAD_BONUS * ranking.lead[row]


def _standfirst_eligible(ranking: Ranking, row: int) -> bool:
    candidate = ranking.candidates[row]
    return (
        candidate.prose
        and not candidate.dependent
        and not candidate.quoted
        and 8 <= candidate.words <= 50
    )


def select_units(
    ranking: Ranking, taken: Sequence[int], target_words: int, max_words: int
) -> list[Unit]:
    """Body units (one sentence, or a sentence and its dependent follower), in pick order."""
    state = _Selection(ranking, list(taken), max_words)
    pool = [i for i in ranking.by_relevance() if _standalone(ranking, i) and i not in taken]
    peak = max((ranking.relevance[i] for i in pool), default=1.0) or 1.0
    while pool and state.words < target_words:
        redundancy = state.redundancy(pool)
        scores = [
            0.7 * ranking.relevance[row] / peak
            + 0.3 * _gain(ranking, row, state.covered)
            - 0.7 * redundancy[k]
            - 0.04 * state.per_doc[ranking.candidates[row].doc]
            for k, row in enumerate(pool)
        ]
        best = max(range(len(pool)), key=lambda k: (scores[k], -k))
        row = pool.pop(best)
        fresh = redundancy[best] < REPEAT_THRESHOLD and state.said_share(row) < SAID_THRESHOLD
        if fresh and state.fits(row):
            state.add(_with_follower(ranking, row, state))
            pool = [i for i in pool if i not in state.chosen]
    _add_quotes(state, pool)
    return state.units


class _Selection:
    """What has been chosen so far: rows, units, words, covered terms and figures."""

    def __init__(self, ranking: Ranking, taken: list[int], max_words: int) -> None:
        self.ranking = ranking
        self.chosen = list(taken)
        self.units: list[Unit] = []
        self.words = 0
        self.max_words = max_words
        self.covered = {t for row in taken for t in ranking.tokens[row]}
        self.per_doc = Counter(ranking.candidates[row].doc for row in taken)
        self.figure_keys = [_figure_keys(ranking, row) for row in range(len(ranking.candidates))]
        self.figures = {f for row in taken for f in self.figure_keys[row]}

    def fits(self, row: int) -> bool:
        return self.words + self.ranking.candidates[row].words <= self.max_words

    def add(self, unit: Unit) -> None:
        self.units.append(unit)
        for member in unit:
            self.chosen.append(member)
            self.covered.update(self.ranking.tokens[member])
            self.figures.update(self.figure_keys[member])
            self.words += self.ranking.candidates[member].words
        self.per_doc[self.ranking.candidates[unit[0]].doc] += 1

    def said_share(self, row: int) -> float:
        """The share of the sentence's terms the article has already used: a fact told
        again in other words ("LaRue died", "LaRue, who died ...") says little new."""
        terms = set(self.ranking.tokens[row])
        return len(terms & self.covered) / len(terms) if terms else 1.0

    def redundancy(self, pool: Sequence[int]) -> list[float]:
        """Similarity to the closest chosen sentence, plus a penalty for restating figures."""
        values = _redundancy(self.ranking, pool, self.chosen)
        for k, row in enumerate(pool):
            keys = self.figure_keys[row]
            if keys and keys <= self.figures:
                values[k] += FIGURE_REPEAT_PENALTY
        return values


def _standalone(ranking: Ranking, row: int) -> bool:
    candidate = ranking.candidates[row]
    return candidate.prose and not candidate.dependent


def _figure_keys(ranking: Ranking, row: int) -> set[tuple[str, str]]:
    return {(f.kind.name, f.key) for f in find_figures(ranking.candidates[row])}


def _add_quotes(state: _Selection, pool: Sequence[int]) -> None:
    """Readers expect to hear from the people involved: add up to two attributed quotes."""
    ranking = state.ranking
    have = sum(is_mainly_quote(ranking.candidates[row]) for row in state.chosen)
    for row in pool:
        if have >= MIN_QUOTES:
            return
        quote = is_mainly_quote(ranking.candidates[row])
        if row in state.chosen or not quote or not state.fits(row):
            continue
        if state.redundancy([row])[0] < REPEAT_THRESHOLD:
            state.add((row,))
            have += 1


def _redundancy(ranking: Ranking, pool: Sequence[int], chosen: Sequence[int]) -> list[float]:
    if not chosen:
        return [0.0] * len(pool)
    block = ranking.overlap[np.ix_(list(pool), list(chosen))]
    return [float(x) for x in block.max(axis=1)]


def _gain(ranking: Ranking, row: int, covered: set[str]) -> float:
    """Weight of the story's key terms this sentence would add (capped at 1)."""
    new = set(ranking.tokens[row]) - covered
    return min(1.0, sum(ranking.key_weights.get(t, 0.0) for t in new) / 4.0)


def _with_follower(ranking: Ranking, row: int, state: _Selection) -> Unit:
    """Attach the next sentence of the same document if it leans on this one."""
    follower = ranking.next_in_document(row)
    if follower is None or follower in state.chosen:
        return (row,)
    candidate = ranking.candidates[follower]
    room = state.max_words - state.words - ranking.candidates[row].words
    fits = candidate.prose and candidate.dependent and candidate.words <= room
    relevant = ranking.relevance[follower] >= 0.5 * ranking.relevance[row]
    fresh = all(ranking.overlap[follower, c] < REPEAT_THRESHOLD for c in state.chosen)
    return (row, follower) if fits and relevant and fresh else (row,)


def cite(ranking: Ranking, row: int, extra: int = 2) -> list[Citation]:
    """The sentence's own quote, then near-identical sentences of other documents."""
    own = ranking.candidates[row]
    numbers = set(_NUMBER.findall(own.text))
    best: dict[str, tuple[float, int]] = {}
    close = (ranking.overlap[row] >= CONFIRM_THRESHOLD) & (
        ranking.similarity[row] >= CONFIRM_IDF_THRESHOLD
    )
    for other in np.flatnonzero(close):
        candidate = ranking.candidates[int(other)]
        score = float(ranking.overlap[row, other])
        if candidate.doc == own.doc or not numbers <= set(_NUMBER.findall(candidate.quote)):
            continue
        if candidate.doc not in best or score > best[candidate.doc][0]:
            best[candidate.doc] = (score, int(other))
    ordered = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    confirmations = [ranking.candidates[r].citation() for _, (_, r) in ordered[:extra]]
    return [*own.citations(), *confirmations]
