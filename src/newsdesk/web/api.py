"""The read-only JSON API. Errors share one shape: {"error": {"code", "message", ...}}."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, RedirectResponse, Response

from newsdesk.records import Article
from newsdesk.store import repo
from newsdesk.web.http.deps import StoreDep
from newsdesk.web.http.errors import error_response
from newsdesk.web.presentation.api_models import (
    MOVED,
    NOT_FOUND,
    StoryList,
    StorySources,
    StorySummary,
)
from newsdesk.web.presentation.view import story_url

router = APIRouter(prefix="/api")


@router.get("/stories")
def list_stories(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> StoryList:
    with store.session() as session:
        summaries = repo.list_published(session, limit=limit, offset=offset)
    stories = [
        StorySummary(
            id=s.id,
            headline=s.headline,
            standfirst=s.standfirst,
            version=s.version,
            published_at=s.published_at.isoformat(),
            source_count=s.source_count,
            latest_source_at=s.latest_source_at.isoformat(),
            url=story_url(s.id),
        )
        for s in summaries
    ]
    full = len(stories) == limit
    next_page = f"/api/stories?limit={limit}&offset={offset + limit}" if full else None
    return StoryList(stories=stories, limit=limit, offset=offset, next=next_page)


@router.get("/stories/{story_id}", response_model=Article, responses={**MOVED, **NOT_FOUND})
def get_story(story_id: str, store: StoreDep) -> Response:
    with store.session() as session:
        survivor = repo.resolve_story_id(session, story_id)
        if survivor is not None and survivor != story_id:
            return RedirectResponse(f"/api/stories/{quote(survivor)}", status_code=301)
        article = repo.latest_article(session, story_id)
    if article is None:
        return error_response(404, "not_found", f"story {story_id!r} not found")
    return JSONResponse(article.to_json())


@router.get("/stories/{story_id}/sources", response_model=StorySources, responses=NOT_FOUND)
def get_sources(story_id: str, store: StoreDep) -> JSONResponse:
    """The source articles of the latest published version, each with its outlet and link."""
    with store.session() as session:
        article = repo.latest_article(session, story_id)
    if article is None:
        return error_response(404, "not_found", f"story {story_id!r} not found")
    sources = [s.to_json() for s in article.sources]
    return JSONResponse({"story": story_id, "version": article.version, "sources": sources})
