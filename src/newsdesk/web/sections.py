"""Section pages: topics (decided at publishing, ``publish/sections.py``) and outlets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.publish.sections import TOPICS, outlets_of, slugify, topics_of
from newsdesk.store import repo
from newsdesk.store.repo import Entry
from newsdesk.web.http.deps import StoreDep
from newsdesk.web.http.render import cached, render
from newsdesk.web.http.sessions import VisitorDep

router = APIRouter(include_in_schema=False)


def entry_topics(entry: Entry) -> list[str]:
    """A published story's topics: as decided at publishing, or (for a version published
    before topics were stored) decided now."""
    return entry.topics if entry.topics is not None else topics_of(entry.article)


@dataclass(frozen=True)
class SectionLink:
    slug: str
    title: str
    count: int


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
        return slug in entry_topics(entry)
    return any("outlet-" + slugify(o) == slug for o in outlets_of(entry.article))


def section_links(entries: list[Entry]) -> tuple[list[SectionLink], list[SectionLink]]:
    """Topics and outlets that have stories, with how many, for the navigation."""
    topic_counts: Counter[str] = Counter()
    outlet_counts: Counter[str] = Counter()
    for entry in entries:
        topic_counts.update(entry_topics(entry))
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
