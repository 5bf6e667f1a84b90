"""Search over published stories: ``GET /search?q=`` (page) and ``GET /api/search?q=``.

Snippets come from FTS5 with private-use markers around matched terms; the text is
escaped first and only then are the markers turned into <mark>, so stored text cannot
inject markup through a snippet.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from newsdesk.store.site import search_index
from newsdesk.store.site.search_index import MARK_END, MARK_START, SearchHit
from newsdesk.web.http.deps import StoreDep
from newsdesk.web.http.render import render
from newsdesk.web.http.sessions import VisitorDep
from newsdesk.web.presentation.api_models import SearchResults
from newsdesk.web.presentation.view import story_url

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api")

PAGE_SIZE = 20
QueryText = Annotated[str, Query(max_length=200)]


def highlight(text: str) -> Markup:
    """Escape ``text``, then mark the matched terms."""
    escaped = str(escape(text))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def plain(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


def _run(store: StoreDep, q: str, page: int) -> tuple[list[SearchHit], bool]:
    with store.session() as session:
        hits = search_index.search(session, q, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return hits[:PAGE_SIZE], len(hits) > PAGE_SIZE


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    store: StoreDep,
    visitor: VisitorDep,
    q: QueryText = "",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> Response:
    hits, has_more = _run(store, q, page) if q.strip() else ([], False)
    results = [
        {
            "url": story_url(h.story_id),
            "headline": highlight(h.headline),
            "snippet": highlight(h.snippet),
        }
        for h in hits
    ]
    context: dict[str, Any] = {"q": q, "results": results, "page": page, "has_more": has_more}
    return render(request, "search.html", context, visitor)


@api_router.get("/search", response_model=SearchResults)
def search_api(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> dict[str, Any]:
    """Published stories matching every word of ``q`` (the last word as a prefix), best first.

    In ``snippet`` and ``headline_html``, matched terms are wrapped in <mark>; all other
    text is HTML-escaped.
    """
    hits, has_more = _run(store, q, page)
    results = [
        {
            "id": h.story_id,
            "url": story_url(h.story_id),
            "headline": plain(h.headline),
            "headline_html": str(highlight(h.headline)),
            "snippet": str(highlight(h.snippet)),
        }
        for h in hits
    ]
    return {"query": q, "page": page, "results": results, "has_more": has_more}
