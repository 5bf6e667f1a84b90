"""Security checks across the whole site: CSRF on every form route, inert hostile text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from newsdesk.records import Article, Citation, Document, Fact, Section, Sentence, SourceRef
from newsdesk.store.db import Store
from newsdesk.web import create_app
from web_seed import add_story, make_user, seeded_store, sign_in, site_settings, use_fast_hashing

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, Store]]:
    use_fast_hashing(monkeypatch)
    settings, store = seeded_store(tmp_path)
    with TestClient(create_app(site_settings(settings), store)) as client:
        yield client, store
    store.close()


def all_routes(routes: list[Any]) -> Iterator[Any]:
    """Routes, looking inside included routers (FastAPI may keep them wrapped)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from all_routes(inner.routes) if inner is not None else [route]


def form_routes(client: TestClient) -> list[str]:
    """Every POST route outside the API (those take API keys), with sample path values."""
    paths = []
    for route in all_routes(client.app.routes):  # type: ignore[attr-defined]
        api = isinstance(route, APIRoute) and route.path.startswith("/api/")
        if isinstance(route, APIRoute) and "POST" in route.methods and not api:
            path = re.sub(r"\{story_id\}", "story-harbour-bridge", route.path)
            path = re.sub(r"\{decision\}", "approve", path)
            paths.append(re.sub(r"\{\w+\}", "1", path))
    return paths


def test_every_form_route_needs_the_csrf_token(site: tuple[TestClient, Store]) -> None:
    client, store = site
    make_user(store, "ed@example.org", "Ed", "editor")
    editor = TestClient(client.app)
    assert sign_in(editor, "ed@example.org").status_code == 303
    routes = form_routes(client)
    assert len(routes) >= 18
    for path in routes:
        for token in (None, "forged-token"):
            data = {"body": "x", "note": "n", "reason": "r", "email": "ed@example.org"}
            if token:
                data["csrf_token"] = token
            response = editor.post(path, data=data, follow_redirects=False)
            assert response.status_code == 403, (path, response.status_code)
    assert "Signed in as Ed" in editor.get("/").text  # nothing above signed the editor out


def hostile_story(store: Store) -> None:
    text = f"The council said {EVIL} on Friday."
    doc = Document(id="doc-evil", url="javascript:alert(1)", source=EVIL, title=EVIL, text=text)
    cite = [Citation(document="doc-evil", quote=text)]
    article = Article(
        story="story-evil",
        headline=f"Council {EVIL}",
        standfirst=f"Standfirst {EVIL}",
        sections=[Section(heading=EVIL, paragraphs=[[Sentence(text=text, citations=cite)]])],
        facts=[Fact(aspect=EVIL, detail=EVIL, citations=cite)],
        sources=[
            SourceRef(document="doc-evil", url="javascript:alert(1)", source=EVIL, title=EVIL)
        ],
    )
    add_story(store, [doc], article)


def assert_inert(html: str) -> None:
    doc = lxml.html.fromstring(html)
    scripts = [s for s in doc.iter("script") if s.get("type") != "application/ld+json"]
    assert all(s.get("src") == "/static/cite.js" and not (s.text or "").strip() for s in scripts)
    assert not list(doc.iter("img"))
    for element in doc.iter():
        assert not [a for a in element.attrib if a.lower().startswith("on")], element.tag
        for attribute in ("href", "src", "action"):
            assert not (element.get(attribute) or "").lower().startswith("javascript:")
    assert EVIL not in html


def test_hostile_source_text_is_inert_on_every_page(site: tuple[TestClient, Store]) -> None:
    client, store = site
    hostile_story(store)
    make_user(store, "ed@example.org", "Ed", "editor")
    editor = TestClient(client.app)
    sign_in(editor, "ed@example.org")
    pages = [
        "/",
        "/stories/story-evil",
        "/stories/story-evil/report?item=s-1",
        "/search?q=council",
        "/sections",
        "/sections/outlet-script-alert-x-script-img-src-x-onerror-alert-1",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.text)
    for path in ("/desk", "/desk/stories/story-evil"):
        assert_inert(editor.get(path).text)
    for feed in ("/feed.xml", "/atom.xml"):
        assert "<script>" not in client.get(feed).text
    assert "&lt;script&gt;" in client.get("/stories/story-evil").text
