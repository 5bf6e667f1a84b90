"""Schemathesis against the OpenAPI document: every response is the one documented.

All of schemathesis's checks run (status codes, content types, headers and bodies
against their schemas, accepted and rejected data, authentication), not only "no 5xx".
Writes carry a real API key, so they reach their routes; ``ignored_auth`` then checks
that the same request without it is refused.

Bounded and repeatable: ``MAX_EXAMPLES`` derandomized examples per operation, on a seeded
database in a temporary folder, the app in process.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from newsdesk.store.site import accounts, apikeys, comments
from newsdesk.web import create_app
from web_seed import STORY_IDS, seeded_store, site_settings

MAX_EXAMPLES = 12
_FOLDER = Path(tempfile.mkdtemp(prefix="newsdesk-schema-"))
_SETTINGS, _STORE = seeded_store(_FOLDER)
BRIDGE = STORY_IDS[0]
with _STORE.session() as _session:
    _KEY, SECRET = apikeys.create_key(_session, "schemathesis")
    # A visible comment, so that the comment list's items are checked too.
    _reader = accounts.add_user(_session, "ada@example.org", "Ada", "unused-hash")
    comments.add_comment(
        _session,
        story_id=BRIDGE,
        user_id=_reader.id,
        parent_id=None,
        body="Good to see the sources.",
        html="<p>Good to see the sources.</p>",
        status="visible",
        hold_reason=None,
    )
APP = create_app(site_settings(_SETTINGS), _STORE)
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> Iterator[None]:
    yield
    _STORE.close()
    shutil.rmtree(_FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case: Any) -> None:
    # No ``checks=``: every built-in check (all enabled by default) runs.
    response = case.call_and_validate(headers={"Authorization": f"Bearer {SECRET}"})
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}  # one error shape everywhere


def _call(path: str, method: str, **data: Any) -> Any:
    case = schema[path][method].Case(**data)
    return case.call_and_validate(headers={"Authorization": f"Bearer {SECRET}"})


# Generated story ids are never real ones; these are, so the 200 bodies are checked too.
@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/api/stories/{story_id}", {}),
        ("/api/stories/{story_id}/sources", {}),
        ("/api/stories/{story_id}/versions", {}),
        ("/api/stories/{story_id}/versions/{version}", {"version": 1}),
        ("/api/stories/{story_id}/comments", {}),
    ],
)
def test_real_stories_answer_as_documented(path: str, data: dict[str, Any]) -> None:
    for story_id in STORY_IDS:
        response = _call(path, "GET", path_parameters={"story_id": story_id, **data})
        assert response.status_code == 200, response.text
    if path.endswith("/comments"):
        assert _call(path, "GET", path_parameters={"story_id": BRIDGE}).json()["total"] == 1


def test_search_and_review_answer_as_documented() -> None:
    found = _call("/api/search", "GET", query={"q": "harbour"})
    assert found.status_code == 200 and found.json()["results"]
    # Approving a published story keeps it published: the other tests' data stays.
    decision = {"action": "approve", "reason": ""}
    reviewed = _call(
        "/api/stories/{story_id}/review",
        "POST",
        path_parameters={"story_id": BRIDGE},
        body=decision,
    )
    assert reviewed.status_code == 200, reviewed.text


def test_errors_are_documented_as_sent() -> None:
    doc = APP.openapi()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "422" in responses and "500" in responses, (method, path)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    body = response["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/ErrorBody"}, (path, status)
                if status.startswith("2"):
                    assert response["content"]["application/json"]["schema"], (path, status)
    story = doc["paths"]["/api/stories/{story_id}"]["get"]["responses"]
    assert "404" in story
    write = doc["paths"]["/api/sources"]["post"]["responses"]
    assert {"401", "403", "413"} <= set(write)
