"""API writes for operators, authorised by an API key (``Authorization: Bearer ndk_...``).

Keys are created with ``newsdesk apikeys create NAME``; only their SHA-256 is stored.
Every write is logged in the desk log under the key's name.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, StrictBool

from newsdesk.operations import publish_versions
from newsdesk.store import desk, repo
from newsdesk.store.site import apikeys
from newsdesk.store.site.apikeys import ApiKey
from newsdesk.web.http.deps import StoreDep
from newsdesk.web.http.render import page_cache
from newsdesk.web.presentation.api_models import (
    NOT_FOUND,
    WRITE_ERRORS,
    CreatedSource,
    Responses,
    ReviewResult,
    error,
)

router = APIRouter(prefix="/api", responses=WRITE_ERRORS)
_bearer = HTTPBearer(auto_error=False, description="An operator's API key")


def require_key(
    store: StoreDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "an API key is required", headers={"WWW-Authenticate": "Bearer"})
    with store.session() as session:
        key = apikeys.check_key(session, credentials.credentials)
    if key is None:
        raise HTTPException(
            401, "unknown or revoked API key", headers={"WWW-Authenticate": "Bearer"}
        )
    return key


KeyDep = Annotated[ApiKey, Depends(require_key)]


class NewSource(BaseModel):
    url: str = Field(min_length=8, max_length=2048, pattern=r"^https?://\S+$")
    allow_private: StrictBool = False


class ReviewDecision(BaseModel):
    action: Literal["approve", "hold", "unpublish"]
    reason: str = Field(default="", max_length=2000)


def _log(store: StoreDep, key: ApiKey, action: str, target: str, detail: str | None) -> None:
    with store.session() as session:
        desk.log_action(
            session,
            actor_id=None,
            actor=f"api key {key.name}",
            action=action,
            target=target,
            detail=detail,
        )


PRIVATE_REFUSED: Responses = {403: error("allow_private is the CLI's to set (code forbidden).")}


@router.post("/sources", status_code=201, response_model=CreatedSource, responses=PRIVATE_REFUSED)
def add_source(body: NewSource, store: StoreDep, key: KeyDep) -> dict[str, Any]:
    """Register a feed to poll (idempotent: the same URL returns the same source). A
    source on a private network is the operator's to add, from the CLI."""
    if body.allow_private:
        raise HTTPException(
            403,
            "a source on a private network is added with `newsdesk sources add --allow-private`",
        )
    with store.session() as session:
        row = repo.add_source(session, body.url, allow_private=body.allow_private)
        result = {"id": row.id, "url": row.url, "allow_private": row.allow_private}
    _log(store, key, "add-source", body.url, None)
    return result


@router.post("/stories/{story_id}/review", response_model=ReviewResult, responses=NOT_FOUND)
def review_story(
    story_id: str, body: ReviewDecision, request: Request, store: StoreDep, key: KeyDep
) -> dict[str, Any]:
    """Approve (publish), hold or unpublish a story, as an editor would at the desk."""
    with store.session() as session:
        article = repo.latest_version(session, story_id)
        if article is None:
            raise HTTPException(404, f"story {story_id!r} not found")
        state = {"approve": "approved", "hold": "held", "unpublish": "unpublished"}[body.action]
        if body.action == "approve":
            changed = len(publish_versions(session, story_id))
        else:
            changed = desk.unpublish_all(session, story_id)
        desk.set_review(
            session, story_id, state, version=article.version, reason=body.reason or None, by=None
        )
    _log(store, key, body.action, story_id, body.reason or None)
    page_cache(request).clear()
    return {"story": story_id, "state": state, "version": article.version, "changed": changed}
