"""What a new version of an article changed since the previous one.

When documents join a story the article is written again; readers see "Updated" with:
the new sources, key facts that are new, figures that changed (a death toll rising),
corrections (the who, where or when of the story given differently than before: the
earlier version was wrong), other facts that moved on (the status), and facts dropped.
"""

from __future__ import annotations

from newsdesk.records import Article, Changes, Fact, FigureChange
from newsdesk.write.extractive.figures import KINDS

FIGURE_ASPECTS = frozenset(
    {k.aspect for k in KINDS} | {"Deal value", "Fine", "Damage", "Price", "Amount"}
)
IDENTITY_ASPECTS = frozenset({"Who", "Where", "When"})
DIFFERING = " (sources differ)"


def describe_changes(previous: Article, current: Article) -> Changes:
    """Compare two versions of one story's article (facts by aspect, sources by id)."""
    known_sources = {s.document for s in previous.sources}
    before = {_aspect(f): f for f in previous.facts}
    after = {_aspect(f): f for f in current.facts}
    changes = Changes(
        since=previous.version,
        added_sources=[s for s in current.sources if s.document not in known_sources],
        added_facts=[f for aspect, f in after.items() if aspect not in before],
        removed_facts=[f for aspect, f in before.items() if aspect not in after],
    )
    for aspect, fact in after.items():
        old = before.get(aspect)
        if old is None or _normal(old.detail) == _normal(fact.detail):
            continue
        change = FigureChange(
            aspect=fact.aspect, before=old.detail, after=fact.detail, citations=fact.citations
        )
        if aspect in FIGURE_ASPECTS:
            changes.changed_figures.append(change)
        elif aspect in IDENTITY_ASPECTS:
            changes.corrections.append(change)
        else:
            changes.updated_facts.append(change)
    return changes


def _aspect(fact: Fact) -> str:
    return fact.aspect.removesuffix(DIFFERING)


def _normal(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".")
