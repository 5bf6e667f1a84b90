"""The JSON API: story listing with validated paging, article detail, JSON errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk.records import Article
from newsdesk.web import create_app
from newsdesk.web.app import CONTENT_SECURITY_POLICY
from web_seed import STORY_IDS, load_fixtures, seeded_store

SUMMARY_KEYS = {
    "id",
    "headline",
    "standfirst",
    "version",
    "published_at",
    "latest_source_at",
    "source_count",
    "url",
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings, store = seeded_store(tmp_path)
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client
    store.close()


def assert_error(body: dict[str, Any], code: str) -> str:
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    message = body["error"]["message"]
    assert isinstance(message, str)
    assert message
    return message


def test_list_stories_shape(client: TestClient) -> None:
    response = client.get("/api/stories")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"stories", "limit", "offset", "next"}
    assert body["limit"] == 20
    assert body["offset"] == 0
    assert {s["id"] for s in body["stories"]} == set(STORY_IDS)
    for story in body["stories"]:
        assert set(story) == SUMMARY_KEYS
        assert story["url"] == f"/stories/{story['id']}"
        assert story["version"] == 1
        assert "T" in story["published_at"]
    counts = {s["id"]: s["source_count"] for s in body["stories"]}
    assert counts["story-harbour-bridge"] == 3
    assert counts["story-rail-bill"] == 2


def test_list_stories_pages_without_overlap(client: TestClient) -> None:
    everything = [s["id"] for s in client.get("/api/stories").json()["stories"]]
    pages = []
    for offset in range(4):
        body = client.get("/api/stories", params={"limit": 1, "offset": offset}).json()
        assert body["limit"] == 1
        assert body["offset"] == offset
        pages.append([s["id"] for s in body["stories"]])
    assert pages == [[everything[0]], [everything[1]], [everything[2]], []]
    body = client.get("/api/stories?limit=2&offset=1").json()
    assert [s["id"] for s in body["stories"]] == everything[1:3]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=1.5", "offset"),
    ],
)
def test_bad_paging_is_a_clear_422(client: TestClient, query: str, field: str) -> None:
    response = client.get(f"/api/stories?{query}")
    assert response.status_code == 422
    body = response.json()
    message = assert_error(body, "invalid_request")
    assert field in message
    assert [d["field"] for d in body["error"]["details"]] == [field]
    assert body["error"]["details"][0]["in"] == "query"


def test_limit_bounds_are_accepted(client: TestClient) -> None:
    assert client.get("/api/stories?limit=1").status_code == 200
    assert client.get("/api/stories?limit=100").status_code == 200


def test_story_detail_is_the_article_json(client: TestClient) -> None:
    fixtures = {f["article"]["story"]: f["article"] for f in load_fixtures()}
    for story_id in STORY_IDS:
        response = client.get(f"/api/stories/{story_id}")
        assert response.status_code == 200
        body = response.json()
        expected = Article.model_validate(fixtures[story_id]).to_json()
        assert body == expected
    body = client.get("/api/stories/story-harbour-bridge").json()
    for key in ("story", "version", "headline", "standfirst", "sections", "facts"):
        assert key in body
    for key in ("sources", "disagreements", "verification"):
        assert key in body
    sentence = body["sections"][0]["paragraphs"][0][0]
    assert set(sentence) == {"text", "citations", "status"}
    assert set(sentence["citations"][0]) == {"document", "quote"}


def test_unknown_story_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/stories/x")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "story 'x' not found"}}


def test_unknown_api_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert_error(response.json(), "not_found")


def test_wrong_method_is_a_json_405(client: TestClient) -> None:
    response = client.post("/api/stories")
    assert response.status_code == 405
    assert_error(response.json(), "method_not_allowed")
    assert "GET" in response.headers["allow"]


def test_api_responses_carry_security_headers(client: TestClient) -> None:
    for path in ("/api/stories", "/api/stories/x", "/api/stories?limit=0"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"


def test_openapi_schema_is_served_but_no_script_docs(client: TestClient) -> None:
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 404
