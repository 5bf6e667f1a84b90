"""Revisions: a new version when documents join, what changed, and every version served."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from newsdesk.pipeline import Pipeline
from newsdesk.records import Article, Assignment, Citation, Document, Fact, SourceRef, Story
from newsdesk.settings import Settings
from newsdesk.store import Store, repo
from newsdesk.web import create_app
from newsdesk.write.changes import describe_changes

FIXTURES = Path(__file__).parent / "fixtures" / "write"
CITE = [Citation(document="a", quote="q")]


def article(version: int, facts: dict[str, str], sources: list[str]) -> Article:
    return Article(
        story="s",
        version=version,
        headline="h",
        standfirst="s",
        sections=[],
        facts=[Fact(aspect=k, detail=v, citations=CITE) for k, v in facts.items()],
        sources=[SourceRef(document=d, source=d.upper()) for d in sources],
    )


def test_changes_sort_facts_into_figures_corrections_and_updates() -> None:
    before = article(
        1,
        {"Where": "Port Anselm", "Deaths": "at least 9", "Status": "search continues", "X": "1"},
        ["a"],
    )
    after = article(
        2,
        {
            "Where": "Port Anselm, Valdoria",
            "Deaths (sources differ)": "twelve or 14",
            "Status": "search called off",
            "Injured": "31",
        },
        ["a", "b"],
    )
    changes = describe_changes(before, after)
    assert changes.since == 1
    assert [s.document for s in changes.added_sources] == ["b"]
    assert [(c.aspect, c.before, c.after) for c in changes.changed_figures] == [
        ("Deaths (sources differ)", "at least 9", "twelve or 14")
    ]
    assert [(c.before, c.after) for c in changes.corrections] == [
        ("Port Anselm", "Port Anselm, Valdoria")
    ]
    assert [c.after for c in changes.updated_facts] == ["search called off"]
    assert [f.aspect for f in changes.added_facts] == ["Injured"]
    assert [f.aspect for f in changes.removed_facts] == ["X"]
    assert not changes.is_empty()


def test_same_facts_in_other_case_are_no_change() -> None:
    one = article(1, {"Where": "Port Anselm."}, ["a"])
    two = article(2, {"Where": "port anselm"}, ["a"])
    assert describe_changes(one, two).is_empty()


def flood() -> Story:
    data = json.loads((FIXTURES / "flood.json").read_text(encoding="utf-8"))
    return Story.model_validate(data)


def add(store: Store, story_id: str, documents: list[Document]) -> None:
    with store.session() as session:
        for document in documents:
            repo.add_document(session, document)
        repo.assign_documents(session, [Assignment(id=d.id, story=story_id) for d in documents])


def test_new_documents_make_a_new_version_with_its_changes(store: Store) -> None:
    story = flood()
    first, later = story.documents[:2], story.documents[2:]
    pipeline = Pipeline(store, Settings())
    add(store, story.id, first)
    assert pipeline.write().items == 1
    pipeline.publish()
    add(store, story.id, later)
    assert pipeline.write().items == 1
    pipeline.publish()
    assert pipeline.write().items == 0  # nothing new: no third version
    with store.session() as session:
        versions = repo.published_versions(session, story.id)
    assert [v.version for v in versions] == [2, 1]
    assert versions[1].article.changes is None
    changes = versions[0].article.changes
    assert changes is not None and changes.since == 1
    assert sorted(s.document for s in changes.added_sources) == sorted(d.id for d in later)

    client = TestClient(create_app(Settings(), store))
    listed = client.get(f"/api/stories/{story.id}/versions").json()
    assert [v["version"] for v in listed["versions"]] == [2, 1]
    assert listed["versions"][0]["changes"]["since"] == 1
    assert listed["versions"][1]["changes"] is None
    one = client.get(listed["versions"][1]["url"]).json()
    assert one["version"] == 1 and len(one["sources"]) == 2
    page = client.get(f"/stories/{story.id}/versions")
    assert page.status_code == 200 and "Version 2" in page.text and "new sources" in page.text
    story_page = client.get(f"/stories/{story.id}")
    assert "Updated" in story_page.text and f"/stories/{story.id}/versions" in story_page.text


def test_unknown_story_or_version_is_a_clear_404(store: Store) -> None:
    client = TestClient(create_app(Settings(), store))
    response = client.get("/api/stories/nope/versions")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get("/api/stories/nope/versions/3").status_code == 404
    assert client.get("/stories/nope/versions").status_code == 404
