"""A story is published once it has NEWSDESK_MIN_SOURCES independent outlets; until then
it waits on the desk. A syndicated copy is not a second source."""

from __future__ import annotations

from pathlib import Path

from newsdesk.pipeline import Pipeline
from newsdesk.publish import independent_outlets
from newsdesk.records import Document
from newsdesk.samplewire import WireArticle, load_wire
from newsdesk.settings import Settings
from newsdesk.store import Store, repo
from newsdesk.store import desk as review


def _run(pipeline: Pipeline, articles: list[WireArticle]) -> None:
    pipeline.import_documents(a.document() for a in articles)
    pipeline.cluster()
    pipeline.write()
    pipeline.publish()


def test_a_story_waits_on_the_desk_until_a_second_outlet_reports_it(
    store: Store, tmp_path: Path
) -> None:
    rate = {a.outlet.slug: a for a in load_wire() if a.story == "rate-rise"}
    pipeline = Pipeline(store, Settings(_env_file=None, data_dir=tmp_path))
    # The Valley Wire report and the Eastbrook Gazette's syndicated copy of it: one source.
    _run(pipeline, [rate["valley-wire"], rate["eastbrook-gazette"]])
    with store.session() as session:
        assert repo.list_published(session, limit=10) == []
        (waiting,) = review.review_queue(session)
        assert waiting.state == "waiting"
        assert waiting.reason == "waiting for sources: 1 of 2 independent outlets"
    _run(pipeline, [rate["harbor-ledger"]])
    with store.session() as session:
        assert len(repo.list_published(session, limit=10)) == 1
        assert review.review_queue(session) == []


def test_copies_and_one_outlets_reports_count_once() -> None:
    one = Document(id="a", source="Valley Wire", text="x")
    again = Document(id="b", source="valley wire", text="y")
    copy = Document(id="c", source="Eastbrook Gazette", text="x", duplicate_of="a")
    other = Document(id="d", url="https://www.harbor-ledger.example/story", text="z")
    assert independent_outlets([one, again, copy]) == 1
    assert independent_outlets([one, again, copy, other]) == 2
