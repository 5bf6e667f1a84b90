"""Comments ("Thoughts"): post, reply, edit and delete one's own within a window, report.

New comments pass the moderation rules in ``moderation_status``: banned accounts cannot
post, each account has a rate limit, the first comments of a new account and comments
with a filtered word wait for an editor (status "pending", shown only to their author).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from newsdesk.settings import Settings
from newsdesk.store import repo
from newsdesk.store.base import utcnow
from newsdesk.store.site import comments
from newsdesk.store.site.accounts import User
from newsdesk.store.site.comments import Comment
from newsdesk.web.http.csrf import CsrfVisitor
from newsdesk.web.http.deps import StoreDep
from newsdesk.web.http.errors import error_response
from newsdesk.web.http.render import page_cache, redirect, render
from newsdesk.web.http.sessions import Visitor
from newsdesk.web.presentation.api_models import NOT_FOUND, CommentList
from newsdesk.web.presentation.markup import comment_problem, render_comment
from newsdesk.web.presentation.view import story_url

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api")

Body = Annotated[str, Form(max_length=20_000)]
ParentId = Annotated[int | None, Form()]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _signed_in(visitor: Visitor, what: str) -> User:
    if visitor.user is None:
        raise HTTPException(401, f"Sign in to {what}.")
    if visitor.user.is_banned():
        raise HTTPException(403, "Your account is banned from commenting.")
    return visitor.user


def blocked_word(settings: Settings, text: str) -> str | None:
    words = set(re.findall(r"\w+", text.casefold()))
    for word in settings.blocked_words:
        if word.casefold() in words:
            return word
    return None


def moderation_status(
    session: Session, settings: Settings, user: User, text: str
) -> tuple[str, str | None]:
    if user.is_editor:
        return "visible", None
    if blocked_word(settings, text) is not None:
        return "pending", "contains a filtered word"
    if comments.count_approved(session, user.id) < settings.premoderate_first_comments:
        return "pending", "first comments of a new account are checked by an editor"
    return "visible", None


def _check_rate(session: Session, settings: Settings, user: User) -> None:
    recent = comments.count_recent(session, user.id, utcnow() - timedelta(minutes=10))
    if recent >= settings.comments_per_10_minutes and not user.is_editor:
        raise HTTPException(
            429,
            "You have posted many comments in the last ten minutes; please wait a little.",
            headers={"Retry-After": "600"},
        )


def _form_error(
    request: Request, visitor: Visitor, story_id: str, problem: str, **context: Any
) -> Response:
    values = {"story_id": story_id, "error": problem, "body": "", "parent_id": None, **context}
    return render(request, "comment_form.html", values, visitor, status_code=400)


@router.post("/stories/{story_id}/comments")
def post_comment(
    request: Request,
    story_id: str,
    store: StoreDep,
    visitor: CsrfVisitor,
    body: Body,
    parent_id: ParentId = None,
) -> Response:
    user = _signed_in(visitor, "comment")
    settings = _settings(request)
    problem = comment_problem(body)
    if problem is not None:
        return _form_error(request, visitor, story_id, problem, body=body, parent_id=parent_id)
    with store.session() as session:
        if repo.latest_article(session, story_id) is None:
            raise HTTPException(404, f"There is no published story '{story_id}' to comment on.")
        if parent_id is not None:
            parent = comments.get_comment(session, parent_id)
            if parent is None or parent.story_id != story_id or parent.status != "visible":
                raise HTTPException(400, "The comment you reply to is not on this story.")
        _check_rate(session, settings, user)
        status, reason = moderation_status(session, settings, user, body)
        comment_id = comments.add_comment(
            session,
            story_id=story_id,
            user_id=user.id,
            parent_id=parent_id,
            body=body,
            html=render_comment(body),
            status=status,
            hold_reason=reason,
        )
    page_cache(request).clear()
    return redirect(request, f"{story_url(story_id)}#comment-{comment_id}", visitor)


def _own_comment(session: Session, comment_id: int, user: User, settings: Settings) -> Comment:
    comment = comments.get_comment(session, comment_id)
    if comment is None or comment.user_id != user.id:
        raise HTTPException(404, "There is no such comment of yours.")
    if comment.status in {"removed", "deleted"}:
        raise HTTPException(400, "This comment was removed and cannot be changed.")
    window = timedelta(minutes=settings.comment_edit_minutes)
    if utcnow() - comment.created_at > window:
        minutes = int(settings.comment_edit_minutes)
        raise HTTPException(403, f"Comments can be changed for {minutes} minutes after posting.")
    return comment


@router.post("/comments/{comment_id}/edit")
def edit_comment(
    request: Request, comment_id: int, store: StoreDep, visitor: CsrfVisitor, body: Body
) -> Response:
    user = _signed_in(visitor, "edit your comments")
    settings = _settings(request)
    with store.session() as session:
        comment = _own_comment(session, comment_id, user, settings)
        problem = comment_problem(body)
        if problem is None:
            comments.update_comment(session, comment_id, body, render_comment(body))
            if comment.status == "visible" and blocked_word(settings, body):
                comments.set_status(session, comment_id, "pending")
    if problem is not None:
        return _form_error(
            request, visitor, comment.story_id, problem, body=body, edit_id=comment_id
        )
    page_cache(request).clear()
    return redirect(request, f"{story_url(comment.story_id)}#comment-{comment_id}", visitor)


@router.post("/comments/{comment_id}/delete")
def delete_comment(
    request: Request, comment_id: int, store: StoreDep, visitor: CsrfVisitor
) -> Response:
    user = _signed_in(visitor, "delete your comments")
    with store.session() as session:
        comment = _own_comment(session, comment_id, user, _settings(request))
        comments.update_comment(session, comment_id, "", "")
        comments.set_status(session, comment_id, "deleted")
    page_cache(request).clear()
    return redirect(request, f"{story_url(comment.story_id)}#comments", visitor)


@router.post("/comments/{comment_id}/report")
def report_comment(
    request: Request,
    comment_id: int,
    store: StoreDep,
    visitor: CsrfVisitor,
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    user = _signed_in(visitor, "report comments")
    with store.session() as session:
        comment = comments.get_comment(session, comment_id)
        if comment is None or comment.status != "visible":
            raise HTTPException(404, "There is no such comment.")
        comments.add_report(session, comment_id, user.id, reason.strip() or "(no reason given)")
    context = {"story_id": comment.story_id}
    return render(request, "comment_reported.html", context, visitor)


@api_router.get("/stories/{story_id}/comments", response_model=CommentList, responses=NOT_FOUND)
def list_comments(
    story_id: str,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Visible comments of a published story, oldest first (HTML already sanitized)."""
    with store.session() as session:
        if repo.latest_article(session, story_id) is None:
            return error_response(404, "not_found", f"story {story_id!r} not found")
        found, total = comments.public_comments(session, story_id, limit=limit, offset=offset)
    items = [
        {
            "id": c.id,
            "parent_id": c.parent_id,
            "author": c.author,
            "html": c.html,
            "created_at": c.created_at.isoformat(),
            "edited_at": c.edited_at.isoformat() if c.edited_at else None,
        }
        for c in found
    ]
    return {"comments": items, "total": total, "limit": limit, "offset": offset}
