"""API writes need an operator's key; reads stay open; the OpenAPI document names them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.store import desk, repo
from newsdesk.store.db import Store
from newsdesk.store.site import apikeys
from newsdesk.web import create_app
from related_seed import hold, related_after_pipeline_publish, related_rows, store_vectors
from web_seed import seeded_store, site_settings

BRIDGE = "story-harbour-bridge"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store, str]]:
    settings, store = seeded_store(tmp_path)
    with store.session() as session:
        _key, secret = apikeys.create_key(session, "ops")
    with TestClient(create_app(site_settings(settings), store)) as client:
        yield client, store, secret
    store.close()


def test_writes_without_a_valid_key_are_401(site: tuple[TestClient, Store, str]) -> None:
    client, store, _ = site
    body = {"url": "https://feeds.example/rss"}
    for headers in ({}, {"Authorization": "Bearer ndk_wrong"}, {"Authorization": "Basic eDp5"}):
        response = client.post("/api/sources", json=body, headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"
    with store.session() as session:
        assert repo.list_sources(session) == []


def test_add_source_with_a_key(site: tuple[TestClient, Store, str]) -> None:
    client, store, secret = site
    auth = {"Authorization": f"Bearer {secret}"}
    response = client.post("/api/sources", json={"url": "https://feeds.example/rss"}, headers=auth)
    assert response.status_code == 201
    assert response.json()["url"] == "https://feeds.example/rss"
    again = client.post("/api/sources", json={"url": "https://feeds.example/rss"}, headers=auth)
    assert again.json()["id"] == response.json()["id"]
    bad = client.post("/api/sources", json={"url": "ftp://x"}, headers=auth)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    with store.session() as session:
        assert [e.actor for e in desk.recent_log(session)] == ["api key ops", "api key ops"]


def test_a_source_url_longer_than_the_log_column_is_logged_whole(
    site: tuple[TestClient, Store, str],
) -> None:
    """PostgreSQL refused the log line (DataError, a 500) for a URL over 256 characters."""
    client, store, secret = site
    url = "https://feeds.example/" + "a" * 2000
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.post("/api/sources", json={"url": url}, headers=auth).status_code == 201
    with store.session() as session:
        (entry,) = desk.recent_log(session)
    assert len(entry.target) == desk.TARGET_CHARS and entry.target.endswith("…")
    assert entry.detail is not None and url in entry.detail


def test_review_a_story_with_a_key(site: tuple[TestClient, Store, str]) -> None:
    client, _, secret = site
    auth = {"Authorization": f"Bearer {secret}"}
    held = client.post(
        f"/api/stories/{BRIDGE}/review", json={"action": "hold", "reason": "check"}, headers=auth
    )
    assert held.status_code == 200 and held.json()["state"] == "held"
    assert client.get(f"/api/stories/{BRIDGE}").status_code == 404
    approved = client.post(
        f"/api/stories/{BRIDGE}/review", json={"action": "approve"}, headers=auth
    )
    assert approved.json()["state"] == "approved"
    assert client.get(f"/api/stories/{BRIDGE}").status_code == 200
    unknown = client.post("/api/stories/nope/review", json={"action": "hold"}, headers=auth)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


def test_approving_through_the_api_refreshes_related_stories_as_the_pipeline_does(
    tmp_path: Path,
) -> None:
    expected = related_after_pipeline_publish(tmp_path / "pipeline", BRIDGE)
    settings, store = seeded_store(tmp_path)
    store_vectors(store)
    hold(store, BRIDGE)
    seeded = related_rows(store)
    with store.session() as session:
        _key, secret = apikeys.create_key(session, "ops")
    with TestClient(create_app(site_settings(settings), store)) as client:
        approved = client.post(
            f"/api/stories/{BRIDGE}/review",
            json={"action": "approve"},
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert approved.status_code == 200 and approved.json()["changed"] == 1
    refreshed = related_rows(store)
    store.close()
    assert refreshed == expected
    assert all(refreshed[s] != seeded[s] for s in seeded)


def test_revoked_key_stops_working(site: tuple[TestClient, Store, str]) -> None:
    client, store, secret = site
    with store.session() as session:
        apikeys.revoke_key(session, 1)
    response = client.post(
        "/api/sources",
        json={"url": "https://a.example/"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 401


def test_openapi_documents_only_the_api(site: tuple[TestClient, Store, str]) -> None:
    client, _, _ = site
    doc = client.get("/api/openapi.json").json()
    paths = set(doc["paths"])
    assert {"/api/stories", "/api/stories/{story_id}", "/api/search", "/api/sources"} <= paths
    assert (
        "/api/stories/{story_id}/comments" in paths and "/api/stories/{story_id}/sources" in paths
    )
    assert all(p.startswith("/api/") for p in paths)
    assert "HTTPBearer" in doc["components"]["securitySchemes"]


def test_story_sources_endpoint(site: tuple[TestClient, Store, str]) -> None:
    client, _, _ = site
    body = client.get(f"/api/stories/{BRIDGE}/sources").json()
    assert len(body["sources"]) == 3
    assert body["sources"][0]["source"] == "The Meridian Post"
    assert client.get("/api/stories/nope/sources").status_code == 404


def test_list_pagination_has_a_next_link(site: tuple[TestClient, Store, str]) -> None:
    client, _, _ = site
    first = client.get("/api/stories?limit=2").json()
    assert first["next"] == "/api/stories?limit=2&offset=2"
    second = client.get(first["next"]).json()
    assert len(second["stories"]) == 1 and second["next"] is None
