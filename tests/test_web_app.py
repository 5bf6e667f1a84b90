"""The application factory (newsdesk.web.app): security headers, error pages, static files.

Served in-process over a real SQLite file with three invented stories.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store.db import Store
from newsdesk.web import create_app
from newsdesk.web.app import CONTENT_SECURITY_POLICY
from web_seed import css, executable_scripts, page, seeded_store, text_of

BRIDGE = "story-harbour-bridge"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    settings, store = seeded_store(tmp_path)
    with TestClient(create_app(settings, store)) as client:
        yield client, store
    store.close()


@pytest.fixture
def client(site: tuple[TestClient, Store]) -> TestClient:
    return site[0]


def test_unknown_path_is_an_html_404(client: TestClient) -> None:
    doc = page(client, "/no/such/page", 404)
    assert text_of(css(doc, "h1")[0]) == "Page not found"


def test_security_headers_on_every_kind_of_response(client: TestClient) -> None:
    for path in ("/", f"/stories/{BRIDGE}", "/stories/nope", "/static/site.css", "/healthz"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response.headers["permissions-policy"]
        assert "strict-transport-security" not in response.headers  # plain http
    policy = CONTENT_SECURITY_POLICY
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'"):
        assert directive in policy


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for path in ("/", f"/stories/{BRIDGE}", "/nope"):
        response = client.get(path)
        doc = lxml.html.fromstring(response.text)
        assert not css(doc, "style")
        assert not css(doc, "[style]")
        assert executable_scripts(doc) == [
            s for s in executable_scripts(doc) if s.get("src", "").startswith("/static/")
        ]
        assert not re.search(r"\son[a-z]+=", response.text)


def test_static_stylesheet_is_served(client: TestClient) -> None:
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "prefers-color-scheme" in response.text


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_create_app_opens_its_own_store_from_settings(tmp_path: Path) -> None:
    settings, store = seeded_store(tmp_path)
    store.close()
    with TestClient(create_app(settings)) as client:
        assert client.get(f"/stories/{BRIDGE}").status_code == 200


def test_bad_page_number_is_a_clear_html_422(client: TestClient) -> None:
    doc = page(client, "/?page=0", 422)
    assert text_of(css(doc, "h1")[0]) == "Invalid request"
    assert "page (query)" in text_of(doc)


def test_server_errors_hide_details_and_keep_security_headers(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'unmigrated.db').as_posix()}"
    settings = Settings(data_dir=tmp_path, database_url=url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/")
        assert response.status_code == 500
        assert "Something went wrong" in response.text
        assert "Traceback" not in response.text
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        api = client.get("/api/stories")
        assert api.status_code == 500
        assert api.json()["error"]["code"] == "internal_error"
        assert api.headers["x-content-type-options"] == "nosniff"


def test_hsts_over_https(site: tuple[TestClient, Store]) -> None:
    secure = TestClient(site[0].app, base_url="https://testserver")
    assert secure.get("/").headers["strict-transport-security"] == "max-age=31536000"
