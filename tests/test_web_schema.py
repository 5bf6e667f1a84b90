"""Schemathesis against the OpenAPI document: generated requests never get a 5xx.

Bounded: ``MAX_EXAMPLES`` generated requests per operation, on a seeded database in a
temporary folder, the app in process.
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
from schemathesis.checks import not_a_server_error

from newsdesk.web import create_app
from web_seed import seeded_store, site_settings

MAX_EXAMPLES = 12
_FOLDER = Path(tempfile.mkdtemp(prefix="newsdesk-schema-"))
_SETTINGS, _STORE = seeded_store(_FOLDER)
APP = create_app(site_settings(_SETTINGS), _STORE)
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> Iterator[None]:
    yield
    _STORE.close()
    shutil.rmtree(_FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_5xx(case: Any) -> None:
    response = case.call_and_validate(checks=[not_a_server_error])
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}  # one error shape everywhere
