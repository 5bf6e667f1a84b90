"""Server-rendered pages: the front page, the story page and its 'Report an error' form."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.settings import Settings
from newsdesk.store import desk, repo
from newsdesk.store.base import utcnow
from newsdesk.store.site import comments
from newsdesk.store.site.comments import Comment
from newsdesk.web.http import ratelimit
from newsdesk.web.http.csrf import CsrfVisitor
from newsdesk.web.http.deps import StoreDep, site_of
from newsdesk.web.http.ratelimit import client_address
from newsdesk.web.http.render import cached, render
from newsdesk.web.http.sessions import Visitor, VisitorDep
from newsdesk.web.presentation.card import FAVICON_SIZE, logo_png, site_card_png
from newsdesk.web.presentation.images import (
    CARD_PATH,
    FAVICON_PATH,
    LOGO_PATH,
    site_card,
    story_image,
)
from newsdesk.web.presentation.storymeta import coverage, json_ld
from newsdesk.web.presentation.view import StoryView, build_story_view, story_url

router = APIRouter(include_in_schema=False)

FRONT_PAGE_SIZE = 30
MOST_COVERED = 5


@router.get("/", response_class=HTMLResponse, name="front_page")
def front_page(
    request: Request,
    store: StoreDep,
    visitor: VisitorDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    def build() -> Response:
        offset = (page - 1) * FRONT_PAGE_SIZE
        with store.session() as session:
            found = repo.list_published(session, limit=FRONT_PAGE_SIZE + 1, offset=offset)
            recent = repo.list_published(session, limit=100) if page == 1 else []
        most = sorted(recent, key=lambda s: (-s.source_count, s.id))[:MOST_COVERED]
        site = site_of(request)
        context: dict[str, Any] = {
            "stories": found[:FRONT_PAGE_SIZE],
            "most_covered": [s for s in most if s.source_count > 1],
            "page": page,
            "has_more": len(found) > FRONT_PAGE_SIZE,
            "home": site.home,
            "card": site_card(site),
        }
        return render(request, "index.html", context, visitor)

    return cached(request, visitor, build)


def _editable(thread: list[Comment], visitor: Visitor, settings: Settings) -> set[int]:
    """Ids of the visitor's own comments that are still inside the edit window."""
    if visitor.user is None:
        return set()
    since = utcnow() - timedelta(minutes=settings.comment_edit_minutes)
    return {
        c.id
        for c in thread
        if c.user_id == visitor.user.id
        and c.created_at > since
        and c.status in {"visible", "pending"}
    }


def _story_context(
    request: Request, store: StoreDep, story_id: str, visitor: Visitor
) -> dict[str, Any] | None:
    settings: Settings = request.app.state.settings
    site = site_of(request)
    viewer = visitor.user.id if visitor.user else None
    with store.session() as session:
        article = repo.latest_article(session, story_id)
        if article is None:
            return None
        image = story_image(session, article, site)
        related = repo.related_stories(session, story_id)
        times = repo.publication_times(session, story_id)
        corrections = desk.corrections(session, story_id)
        flat = comments.story_comments(session, story_id, viewer_id=viewer)
    assert times is not None
    url = site.base + story_url(story_id)
    return {
        "story": build_story_view(article),
        "related": related,
        "coverage": coverage(article),
        "corrections": corrections,
        "published": times[0],
        "modified": times[1],
        "canonical": url,
        "image": image,
        "json_ld": json_ld(article, url, site, image, times[0], times[1]),
        "comments": comments.thread(flat),
        "comment_count": sum(c.status == "visible" for c in flat),
        "editable": _editable(flat, visitor, settings),
        "report_base": story_url(story_id) + "/report",
    }


@router.get("/stories/{story_id}", response_class=HTMLResponse, name="story_page")
def story_page(request: Request, story_id: str, store: StoreDep, visitor: VisitorDep) -> Response:
    survivor = _survivor(store, story_id)
    if survivor is not None:  # merged into another story: its URL keeps working
        return RedirectResponse(story_url(survivor), status_code=301)

    def build() -> Response:
        context = _story_context(request, store, story_id, visitor)
        if context is None:
            missing = {
                "title": "Story not found",
                "message": f"We could not find the story '{story_id}'. "
                "It may not be published yet.",
            }
            return render(request, "error.html", missing, visitor, status_code=404)
        return render(request, "story.html", context, visitor)

    return cached(request, visitor, build)


def _survivor(store: StoreDep, story_id: str) -> str | None:
    """The story this one was merged into, or None when it stands on its own."""
    with store.session() as session:
        resolved = repo.resolve_story_id(session, story_id)
    return resolved if resolved not in (None, story_id) else None


def find_item(view: StoryView, anchor: str) -> str | None:
    """The text of the sentence, fact or claim with this anchor on the story page."""
    if anchor == "standfirst":
        return view.article.standfirst
    for section in view.sections:
        for paragraph in section.paragraphs:
            for item in paragraph:
                if item.anchor == anchor:
                    return item.text
    for fact in view.facts:
        if fact.anchor == anchor:
            return f"{fact.aspect}: {fact.detail}"
    for disagreement in view.disagreements:
        for claim in disagreement.claims:
            if claim.anchor == anchor:
                return claim.text
    return None


def _reported_item(store: StoreDep, story_id: str, item: str) -> tuple[int, str]:
    with store.session() as session:
        article = repo.latest_article(session, story_id)
    if article is None:
        raise HTTPException(404, f"There is no published story '{story_id}'.")
    text = find_item(build_story_view(article), item)
    if text is None:
        raise HTTPException(404, f"The story has no sentence '{item}' to report.")
    return article.version, text


@router.get("/stories/{story_id}/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    story_id: str,
    store: StoreDep,
    visitor: VisitorDep,
    item: Annotated[str, Query(max_length=32)],
) -> Response:
    _version, text = _reported_item(store, story_id, item)
    context = {"story_id": story_id, "item": item, "sentence": text, "sent": False, "error": None}
    return render(request, "report.html", context, visitor, with_form=True)


@router.post("/stories/{story_id}/report", response_class=HTMLResponse)
def report_error(
    request: Request,
    story_id: str,
    store: StoreDep,
    visitor: CsrfVisitor,
    item: Annotated[str, Form(max_length=32)],
    message: Annotated[str, Form(max_length=4000)],
) -> Response:
    version, text = _reported_item(store, story_id, item)
    context = {"story_id": story_id, "item": item, "sentence": text, "sent": False, "error": None}
    if not message.strip():
        context["error"] = "Say what is wrong with this sentence."
        return render(request, "report.html", context, visitor, status_code=400)
    with store.session() as session:
        ratelimit.check_and_count(
            session,
            f"report:addr:{client_address(request)}",
            20,
            ratelimit.SIGNUP_WINDOW,
            "error reports from your address",
        )
        desk.add_error_report(
            session,
            story_id=story_id,
            version=version,
            anchor=item,
            sentence=text,
            message=message.strip(),
            user_id=visitor.user.id if visitor.user else None,
        )
    context["sent"] = True
    return render(request, "report.html", context, visitor)


# The site's own images: drawn once per process (card.py caches them), never hotlinked.
_IMAGE_CACHE = "public, max-age=86400"


def _png(body: bytes) -> Response:
    return Response(body, media_type="image/png", headers={"Cache-Control": _IMAGE_CACHE})


@router.get(CARD_PATH)
def card_png(request: Request) -> Response:
    return _png(site_card_png(site_of(request).name))


@router.get(LOGO_PATH)
def logo(request: Request) -> Response:
    return _png(logo_png(site_of(request).name))


@router.get(FAVICON_PATH)
def favicon(request: Request) -> Response:
    return _png(logo_png(site_of(request).name, FAVICON_SIZE))
