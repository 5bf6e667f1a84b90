"""Sections: topics derived from each story's own words, and the outlets that covered it.

A topic is a short list of word stems written for this project; a story belongs to the
(at most two) topics whose stems occur at least ``MIN_HITS`` times in its headline,
standfirst, body and key facts. Outlets come from the story's cited sources.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.publish import article_text
from newsdesk.records import Article
from newsdesk.store import repo
from newsdesk.store.repo import Entry
from newsdesk.web.http.deps import StoreDep
from newsdesk.web.http.render import cached, render
from newsdesk.web.http.sessions import VisitorDep

router = APIRouter(include_in_schema=False)

MIN_HITS = 3
MAX_TOPICS = 2
TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "politics": (
        "Politics",
        (
            "elect",
            "vote",
            "parliament",
            "minister",
            "government",
            "party",
            "senat",
            "mayor",
            "president",
            "coalition",
            "ballot",
            "bill",
            "law",
        ),
    ),
    "economy": (
        "Economy and business",
        (
            "econom",
            "bank",
            "rate",
            "inflation",
            "market",
            "price",
            "compan",
            "profit",
            "invest",
            "budget",
            "trade",
            "job",
            "wage",
            "strike",
            "union",
            "crown",
        ),
    ),
    "disasters": (
        "Disasters and emergencies",
        (
            "earthquake",
            "quake",
            "flood",
            "fire",
            "wildfire",
            "storm",
            "collaps",
            "rescue",
            "evacuat",
            "victim",
            "injur",
            "dead",
            "death",
            "casualt",
            "emergenc",
        ),
    ),
    "transport": (
        "Transport",
        (
            "rail",
            "train",
            "bridge",
            "road",
            "port",
            "ship",
            "ferry",
            "airport",
            "flight",
            "traffic",
            "harbour",
            "harbor",
            "line",
        ),
    ),
    "justice": (
        "Crime and justice",
        (
            "police",
            "court",
            "judge",
            "trial",
            "arrest",
            "charge",
            "crime",
            "prosecut",
            "investigat",
            "breach",
            "fraud",
        ),
    ),
    "health": (
        "Health",
        (
            "health",
            "hospital",
            "doctor",
            "patient",
            "disease",
            "vaccin",
            "medic",
            "nurse",
            "outbreak",
        ),
    ),
    "environment": (
        "Environment and energy",
        (
            "climate",
            "water",
            "drought",
            "reservoir",
            "energy",
            "power",
            "emission",
            "desalinat",
            "pollut",
            "forest",
            "wind",
            "solar",
        ),
    ),
    "sport": (
        "Sport",
        (
            "cup",
            "final",
            "match",
            "goal",
            "team",
            "player",
            "coach",
            "season",
            "league",
            "champion",
            "stadium",
            "tournament",
        ),
    ),
    "technology": (
        "Technology",
        (
            "data",
            "software",
            "cyber",
            "hack",
            "internet",
            "digital",
            "comput",
            "network",
            "app",
            "online",
        ),
    ),
}
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class SectionLink:
    slug: str
    title: str
    count: int


def topics_of(article: Article) -> list[str]:
    words = _WORD.findall(article_text(article).casefold())
    scores: Counter[str] = Counter()
    for slug, (_title, stems) in TOPICS.items():
        scores[slug] = sum(1 for word in words if word.startswith(stems))
    ranked = [slug for slug, score in scores.most_common() if score >= MIN_HITS]
    return ranked[:MAX_TOPICS]


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "unnamed"


def outlets_of(article: Article) -> list[str]:
    return sorted({s.source for s in article.sources if s.source})


def section_title(slug: str, entries: list[Entry]) -> str | None:
    """The title of a section slug ('topic' or 'outlet-<name>'), or None if it is unknown."""
    if slug in TOPICS:
        return TOPICS[slug][0]
    for entry in entries:
        for outlet in outlets_of(entry.article):
            if "outlet-" + slugify(outlet) == slug:
                return outlet
    return None


def in_section(entry: Entry, slug: str) -> bool:
    if slug in TOPICS:
        return slug in topics_of(entry.article)
    return any("outlet-" + slugify(o) == slug for o in outlets_of(entry.article))


def section_links(entries: list[Entry]) -> tuple[list[SectionLink], list[SectionLink]]:
    """Topics and outlets that have stories, with how many, for the navigation."""
    topic_counts: Counter[str] = Counter()
    outlet_counts: Counter[str] = Counter()
    for entry in entries:
        topic_counts.update(topics_of(entry.article))
        outlet_counts.update(outlets_of(entry.article))
    topics = [SectionLink(s, TOPICS[s][0], n) for s, n in topic_counts.items()]
    outlets = [SectionLink("outlet-" + slugify(o), o, n) for o, n in outlet_counts.items()]
    topics.sort(key=lambda link: (-link.count, link.title))
    outlets.sort(key=lambda link: link.title.casefold())
    return topics, outlets


def section_entries(store: StoreDep, slug: str) -> tuple[str, list[Entry]]:
    with store.session() as session:
        entries = repo.published_entries(session)
    title = section_title(slug, entries)
    if title is None:
        raise HTTPException(404, f"There is no section '{slug}'.")
    return title, [e for e in entries if in_section(e, slug)]


@router.get("/sections", response_class=HTMLResponse)
def sections_page(request: Request, store: StoreDep, visitor: VisitorDep) -> Response:
    def build() -> Response:
        with store.session() as session:
            topics, outlets = section_links(repo.published_entries(session))
        context: dict[str, Any] = {"topics": topics, "outlets": outlets}
        return render(request, "sections.html", context, visitor)

    return cached(request, visitor, build)


@router.get("/sections/{slug}", response_class=HTMLResponse)
def section_page(request: Request, slug: str, store: StoreDep, visitor: VisitorDep) -> Response:
    def build() -> Response:
        title, entries = section_entries(store, slug)
        context: dict[str, Any] = {"title": title, "slug": slug, "entries": entries[:100]}
        return render(request, "section.html", context, visitor)

    return cached(request, visitor, build)
