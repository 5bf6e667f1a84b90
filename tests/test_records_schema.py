"""The record schemas in docs/records/ are the ones records.py generates, and what the
commands print is valid against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.records import PUBLISHED, json_schemas
from newsdesk.samplewire import load_wire

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _published(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (ROOT / "docs" / "records" / f"{name}.schema.json").read_text()
    )
    return loaded


def test_the_schema_files_match_records_py() -> None:
    schemas = json_schemas()
    assert sorted(schemas) == sorted(PUBLISHED)
    for name, schema in schemas.items():
        assert _published(name) == schema, f"run scripts/record-schemas.py ({name})"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_docs_list_every_schema() -> None:
    text = (ROOT / "docs" / "records.md").read_text()
    for name in PUBLISHED:
        assert f"(records/{name}.schema.json)" in text


def test_what_cluster_and_write_print_is_valid(tmp_path: Path) -> None:
    documents = [
        {"id": a.slug, "title": a.title, "text": a.text, "published": a.published.isoformat()}
        for a in load_wire()
        if a.story == "tarsen-earthquake"
    ]
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps(d) + "\n" for d in documents))
    for document in documents:
        jsonschema.validate(document, _published("document"))
    assignments = runner.invoke(app, ["cluster", str(docs)])
    stories = runner.invoke(app, ["cluster", "--stories", str(docs)])
    assert assignments.exit_code == 0 and stories.exit_code == 0, stories.output
    for line in assignments.stdout.splitlines():
        jsonschema.validate(json.loads(line), _published("assignment"))
    (story,) = stories.stdout.splitlines()
    jsonschema.validate(json.loads(story), _published("story"))
    story_file = tmp_path / "story.json"
    story_file.write_text(story)
    written = runner.invoke(app, ["write", str(story_file)])
    assert written.exit_code == 0, written.output
    jsonschema.validate(json.loads(written.stdout), _published("article"))


def test_a_schema_refuses_what_the_model_refuses() -> None:
    problems = list(
        jsonschema.Draft202012Validator(_published("story")).iter_errors(
            {"id": "", "documents": []}
        )
    )
    assert [p.json_path for p in problems] == ["$.id"]
