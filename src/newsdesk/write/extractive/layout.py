"""Arrange the chosen sentences into 2-4 headed sections of short paragraphs.

Order follows the reference page: what happened (the most relevant news sentences), further
details, background, reactions. A section left with a single sentence is folded into the
details so the page does not show one-line sections.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from newsdesk.records import Section, Sentence
from newsdesk.write.extractive.headings import find_speakers, write_heading
from newsdesk.write.extractive.mentions import find_places
from newsdesk.write.extractive.rank import Ranking
from newsdesk.write.extractive.roles import is_background, is_reaction
from newsdesk.write.extractive.select import Unit, cite

MAX_PARAGRAPH_SENTENCES = 3
ROLES = ("lead", "details", "background", "reactions")


def build_sections(
    ranking: Ranking,
    units: Sequence[Unit],
    place: tuple[str, str] | None,
    excluded: set[str],
    focus: str = "",
) -> list[Section]:
    """Headed sections of paragraphs, every sentence cited."""
    groups = _merge_small(group_units(ranking, units))
    story_texts = [c.text for c in ranking.candidates if c.prose]
    used = {w.lower() for w in place[1].split()} if place else set()
    places = {p.casefold() for text in story_texts for _, p in find_places(text)}
    sections = []
    for role, members in groups:
        texts = [ranking.candidates[row].text for unit in members for row in unit]
        speakers = (
            find_speakers(texts, excluded | places, story_texts) if role == "reactions" else []
        )
        heading = write_heading(role, texts, story_texts, used, place, speakers, focus)
        sections.append(Section(heading=heading, paragraphs=_paragraphs(ranking, members)))
    return sections


def group_units(ranking: Ranking, units: Sequence[Unit]) -> list[tuple[str, list[Unit]]]:
    """Split units by role; news units, best first, fill 'lead' then 'details'."""
    reactions, background, news = [], [], []
    for unit in units:
        members = [ranking.candidates[row] for row in unit]
        if any(is_reaction(c) for c in members):
            reactions.append(unit)
        elif is_background(members[0]):
            background.append(unit)
        else:
            news.append(unit)
    news.sort(key=lambda u: (-ranking.relevance[u[0]], u[0]))
    split = math.ceil(len(news) / 2) if len(news) >= 4 else len(news)
    grouped = {
        "lead": news[:split],
        "details": news[split:],
        "background": background,
        "reactions": reactions,
    }
    return [(role, grouped[role]) for role in ROLES if grouped[role]]


def _merge_small(groups: list[tuple[str, list[Unit]]]) -> list[tuple[str, list[Unit]]]:
    """Fold one-sentence background/reaction sections into the news sections."""
    if len(groups) <= 2:
        return _promote_lead(groups)
    kept: list[tuple[str, list[Unit]]] = []
    orphans: list[Unit] = []
    for role, members in groups:
        if role in ("background", "reactions") and _size(members) == 1:
            orphans.extend(members)
        else:
            kept.append((role, list(members)))
    if orphans and kept:
        target = next((m for r, m in kept if r == "details"), kept[0][1])
        target.extend(orphans)
    return _promote_lead(kept or groups)


def _promote_lead(groups: list[tuple[str, list[Unit]]]) -> list[tuple[str, list[Unit]]]:
    """The first section always answers 'what happened', whatever its sentences were."""
    if groups and groups[0][0] != "lead":
        groups = [("lead", groups[0][1]), *groups[1:]]
    return groups


def _size(members: Sequence[Unit]) -> int:
    return sum(len(unit) for unit in members)


def _paragraphs(ranking: Ranking, members: Sequence[Unit]) -> list[list[Sentence]]:
    """Paragraphs of up to three sentences; a unit is never split across paragraphs."""
    paragraphs: list[list[Sentence]] = []
    current: list[Sentence] = []
    for unit in members:
        if current and len(current) + len(unit) > MAX_PARAGRAPH_SENTENCES:
            paragraphs.append(current)
            current = []
        current.extend(_sentence(ranking, row) for row in unit)
    if current:
        paragraphs.append(current)
    return paragraphs


def _sentence(ranking: Ranking, row: int) -> Sentence:
    return Sentence(text=ranking.candidates[row].text, citations=cite(ranking, row))
