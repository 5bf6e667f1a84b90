"""The editor desk (``/desk``, editors and admins only): review, correct, moderate, ban.

Every action is a POST form with a CSRF token and writes one line to the desk log (who,
when, what, on what). Readers get 403, anonymous visitors are sent to sign in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.operations import publish_versions
from newsdesk.store import desk, repo
from newsdesk.store.base import utcnow
from newsdesk.store.db import Store
from newsdesk.store.site import accounts as account_store
from newsdesk.store.site import comments
from newsdesk.web.desk_edit import edit_sentence
from newsdesk.web.http.csrf import check_csrf
from newsdesk.web.http.deps import StoreDep
from newsdesk.web.http.render import page_cache, redirect, render
from newsdesk.web.http.sessions import Visitor, load_visitor
from newsdesk.web.presentation.view import build_story_view

router = APIRouter(prefix="/desk", include_in_schema=False)

Reason = Annotated[str, Form(max_length=2000)]
PERMANENT = timedelta(days=365 * 100)


def _require_editor(visitor: Visitor, request: Request) -> Visitor:
    if visitor.user is None:
        if request.method == "GET":
            raise HTTPException(
                303, "Sign in first.", headers={"Location": f"/login?next={request.url.path}"}
            )
        raise HTTPException(401, "Sign in as an editor to use the desk.")
    if not visitor.user.is_editor:
        raise HTTPException(403, "The desk is for editors only.")
    return visitor


def editor_page(request: Request, visitor: Annotated[Visitor, Depends(load_visitor)]) -> Visitor:
    return _require_editor(visitor, request)


def editor_action(request: Request, visitor: Annotated[Visitor, Depends(check_csrf)]) -> Visitor:
    return _require_editor(visitor, request)


EditorPage = Annotated[Visitor, Depends(editor_page)]
EditorAction = Annotated[Visitor, Depends(editor_action)]


def _log(
    store: Store, editor: Visitor, action: str, target: str, detail: str | None = None
) -> None:
    assert editor.user is not None
    with store.session() as session:
        desk.log_action(
            session,
            actor_id=editor.user.id,
            actor=editor.user.display_name,
            action=action,
            target=target,
            detail=detail,
        )


def _done(request: Request, editor: Visitor, where: str = "/desk") -> Response:
    page_cache(request).clear()
    return redirect(request, where, editor)


@router.get("", response_class=HTMLResponse)
def desk_home(request: Request, store: StoreDep, editor: EditorPage) -> Response:
    with store.session() as session:
        context: dict[str, Any] = {
            "queue": desk.review_queue(session),
            "reports": desk.open_error_reports(session),
            "pending": comments.pending_comments(session),
            "reported": comments.reported_comments(session),
            "log": desk.recent_log(session, limit=20),
        }
    return render(request, "desk.html", context, editor)


@router.get("/log", response_class=HTMLResponse)
def desk_log(request: Request, store: StoreDep, editor: EditorPage) -> Response:
    with store.session() as session:
        entries = desk.recent_log(session, limit=500)
    return render(request, "desk_log.html", {"log": entries}, editor)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def desk_story(request: Request, story_id: str, store: StoreDep, editor: EditorPage) -> Response:
    with store.session() as session:
        article = repo.latest_version(session, story_id)
        review = desk.review_state(session, story_id)
        published = repo.latest_article(session, story_id)
    if article is None:
        raise HTTPException(404, f"There is no written story '{story_id}'.")
    context: dict[str, Any] = {
        "story": build_story_view(article),
        "state": review.state if review else ("published" if published else "unpublished"),
        "reason": review.reason if review else None,
        "published_version": published.version if published else None,
    }
    return render(request, "desk_story.html", context, editor)


@router.post("/stories/{story_id}/approve")
def approve(request: Request, story_id: str, store: StoreDep, editor: EditorAction) -> Response:
    with store.session() as session:
        article = repo.latest_version(session, story_id)
        if article is None:
            raise HTTPException(404, f"There is no written story '{story_id}'.")
        desk.set_review(
            session,
            story_id,
            "approved",
            version=article.version,
            reason=None,
            by=editor.user.id if editor.user else None,
        )
        versions = [version for _, version in publish_versions(session, story_id)]
    _log(store, editor, "approve", story_id, f"published version(s) {versions or 'none new'}")
    return _done(request, editor)


def _take_down(
    request: Request, store: Store, story_id: str, editor: Visitor, state: str, reason: str
) -> Response:
    with store.session() as session:
        article = repo.latest_version(session, story_id)
        if article is None:
            raise HTTPException(404, f"There is no written story '{story_id}'.")
        removed = desk.unpublish_all(session, story_id)
        by = editor.user.id if editor.user else None
        desk.set_review(
            session, story_id, state, version=article.version, reason=reason or None, by=by
        )
    _log(
        store,
        editor,
        state if state == "unpublished" else "hold",
        story_id,
        f"{reason or 'no reason given'}; {removed} version(s) taken off the site",
    )
    return _done(request, editor)


@router.post("/stories/{story_id}/hold")
def hold(
    request: Request, story_id: str, store: StoreDep, editor: EditorAction, reason: Reason = ""
) -> Response:
    return _take_down(request, store, story_id, editor, "held", reason.strip())


@router.post("/stories/{story_id}/unpublish")
def unpublish(
    request: Request, story_id: str, store: StoreDep, editor: EditorAction, reason: Reason = ""
) -> Response:
    return _take_down(request, store, story_id, editor, "unpublished", reason.strip())


@router.post("/stories/{story_id}/sentences", response_class=HTMLResponse)
def edit(
    request: Request,
    story_id: str,
    store: StoreDep,
    editor: EditorAction,
    anchor: Annotated[str, Form(max_length=32)],
    text: Annotated[str, Form(max_length=4000)],
    correction: Reason = "",
) -> Response:
    version, problem = edit_sentence(store, story_id, anchor, text.strip())
    if problem is not None:
        context = {"title": "The sentence was not changed", "message": problem}
        return render(request, "error.html", context, editor, status_code=400)
    detail = f"{anchor} -> version {version}: {text.strip()}"
    _log(store, editor, "edit-sentence", story_id, detail)
    if correction.strip():
        _add_correction(store, editor, story_id, version, correction.strip())
    return _done(request, editor, f"/desk/stories/{story_id}")


@router.post("/stories/{story_id}/corrections")
def correct(
    request: Request, story_id: str, store: StoreDep, editor: EditorAction, note: Reason
) -> Response:
    if not note.strip():
        raise HTTPException(400, "Write the correction note that readers will see.")
    with store.session() as session:
        article = repo.latest_article(session, story_id)
    if article is None:
        raise HTTPException(404, f"There is no published story '{story_id}'.")
    _add_correction(store, editor, story_id, article.version, note.strip())
    return _done(request, editor, f"/desk/stories/{story_id}")


def _add_correction(store: Store, editor: Visitor, story_id: str, version: int, note: str) -> None:
    """Attach a reader-visible correction note to a version, and log who wrote it."""
    with store.session() as session:
        desk.add_correction(
            session, story_id, version, note, editor.user.id if editor.user else None
        )
    _log(store, editor, "correction", story_id, note)


@router.post("/reports/{report_id}/resolve")
def resolve_report(
    request: Request, report_id: int, store: StoreDep, editor: EditorAction
) -> Response:
    with store.session() as session:
        story_id = desk.resolve_error_report(session, report_id)
    if story_id is None:
        raise HTTPException(404, "There is no such error report.")
    _log(store, editor, "resolve-report", f"report {report_id}", f"story {story_id}")
    return _done(request, editor)


@router.post("/comments/{comment_id}/{decision}")
def moderate(
    request: Request, comment_id: int, decision: str, store: StoreDep, editor: EditorAction
) -> Response:
    status = {"approve": "visible", "remove": "removed"}.get(decision)
    if status is None:
        raise HTTPException(404, "Comments can be approved or removed.")
    with store.session() as session:
        comment = comments.get_comment(session, comment_id)
        if comment is None:
            raise HTTPException(404, "There is no such comment.")
        comments.set_status(session, comment_id, status)
    _log(
        store,
        editor,
        f"comment-{decision}",
        f"comment {comment_id}",
        f"by {comment.author} on {comment.story_id}",
    )
    return _done(request, editor)


@router.post("/users/{user_id}/ban")
def ban(
    request: Request,
    user_id: int,
    store: StoreDep,
    editor: EditorAction,
    days: Annotated[int, Form(ge=0, le=36500)] = 0,
    reason: Reason = "",
) -> Response:
    until = utcnow() + (timedelta(days=days) if days else PERMANENT)
    with store.session() as session:
        user = account_store.get_user(session, user_id)
        if user is None:
            raise HTTPException(404, "There is no such user.")
        if user.is_editor:
            raise HTTPException(
                400, "Editors cannot be banned from the desk; change their role first."
            )
        account_store.set_ban(session, user_id, until, reason.strip() or None)
    length = f"{days} day(s)" if days else "permanently"
    _log(
        store,
        editor,
        "ban",
        f"user {user.display_name}",
        f"{length}: {reason.strip() or 'no reason given'}",
    )
    return _done(request, editor)


@router.post("/users/{user_id}/unban")
def unban(request: Request, user_id: int, store: StoreDep, editor: EditorAction) -> Response:
    with store.session() as session:
        user = account_store.get_user(session, user_id)
        if user is None:
            raise HTTPException(404, "There is no such user.")
        account_store.set_ban(session, user_id, None, None)
    _log(store, editor, "unban", f"user {user.display_name}")
    return _done(request, editor)
