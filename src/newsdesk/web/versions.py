"""Every published version of a story, and what each changed: JSON and a plain page.

- ``GET /api/stories/{id}/versions``: the versions, newest first, with their changes;
- ``GET /api/stories/{id}/versions/{n}``: the Article JSON of one published version;
- ``GET /stories/{id}/versions``: the same history as a page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from newsdesk.records import Article
from newsdesk.store import repo
from newsdesk.store.repo import VersionSummary
from newsdesk.web.http.deps import StoreDep, TemplatesDep
from newsdesk.web.http.errors import error_response
from newsdesk.web.presentation.api_models import NOT_FOUND, VersionList
from newsdesk.web.presentation.view import story_url

router = APIRouter()


def _describe(story_id: str, summary: VersionSummary) -> dict[str, Any]:
    changes = summary.article.changes
    return {
        "version": summary.version,
        "headline": summary.headline,
        "standfirst": summary.standfirst,
        "published_at": summary.published_at.isoformat(),
        "sources": len(summary.article.sources),
        "changes": None if changes is None else changes.to_json(),
        "url": f"/api{story_url(story_id)}/versions/{summary.version}",
    }


@router.get("/api/stories/{story_id}/versions", response_model=VersionList, responses=NOT_FOUND)
def list_versions(story_id: str, store: StoreDep) -> JSONResponse:
    with store.session() as session:
        versions = repo.published_versions(session, story_id)
    if not versions:
        return error_response(404, "not_found", f"story {story_id!r} not found")
    body = {"story": story_id, "versions": [_describe(story_id, v) for v in versions]}
    return JSONResponse(body)


@router.get(
    "/api/stories/{story_id}/versions/{version}", response_model=Article, responses=NOT_FOUND
)
def get_version(story_id: str, version: int, store: StoreDep) -> JSONResponse:
    with store.session() as session:
        versions = repo.published_versions(session, story_id)
    found = next((v for v in versions if v.version == version), None)
    if found is None:
        message = f"story {story_id!r} has no published version {version}"
        return error_response(404, "not_found", message)
    return JSONResponse(found.article.to_json())


@router.get("/stories/{story_id}/versions", response_class=HTMLResponse, include_in_schema=False)
def versions_page(
    request: Request, story_id: str, store: StoreDep, templates: TemplatesDep
) -> Response:
    with store.session() as session:
        versions = repo.published_versions(session, story_id)
    if not versions:
        missing = {"title": "Story not found", "message": f"No published story '{story_id}'."}
        return templates.TemplateResponse(request, "error.html", missing, status_code=404)
    context: dict[str, Any] = {"story_id": story_id, "versions": versions, "latest": versions[0]}
    return templates.TemplateResponse(request, "versions.html", context)
