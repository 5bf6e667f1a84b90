"""Server-rendered pages: the front page and the story page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.store import repo
from newsdesk.web.deps import StoreDep, TemplatesDep
from newsdesk.web.view import build_story_view

router = APIRouter()

FRONT_PAGE_SIZE = 30


@router.get("/", response_class=HTMLResponse, name="front_page")
def front_page(
    request: Request,
    store: StoreDep,
    templates: TemplatesDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    offset = (page - 1) * FRONT_PAGE_SIZE
    with store.session() as session:
        found = repo.list_published(session, limit=FRONT_PAGE_SIZE + 1, offset=offset)
    context: dict[str, Any] = {
        "stories": found[:FRONT_PAGE_SIZE],
        "page": page,
        "has_more": len(found) > FRONT_PAGE_SIZE,
    }
    return templates.TemplateResponse(request, "index.html", context)


@router.get("/stories/{story_id}", response_class=HTMLResponse, name="story_page")
def story_page(
    request: Request, story_id: str, store: StoreDep, templates: TemplatesDep
) -> Response:
    with store.session() as session:
        article = repo.latest_article(session, story_id)
        related = repo.related_stories(session, story_id) if article is not None else []
    if article is None:
        missing = {
            "title": "Story not found",
            "message": f"We could not find the story '{story_id}'. It may not be published yet.",
        }
        return templates.TemplateResponse(request, "error.html", missing, status_code=404)
    context: dict[str, Any] = {"story": build_story_view(article), "related": related}
    return templates.TemplateResponse(request, "story.html", context)
