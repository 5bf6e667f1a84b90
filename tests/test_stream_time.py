"""Decisions about stories run on the stream's time (the documents' own publication
times), so an archive imported today clusters as the same news would have live."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine

from newsdesk.dedupe import NearDuplicateIndex
from newsdesk.pipeline import Pipeline
from newsdesk.records import Document
from newsdesk.samplewire import WireArticle, load_wire
from newsdesk.settings import Settings
from newsdesk.store import Store, migrate, repo
from newsdesk.store.models import StoryRow

ARCHIVE_NEWEST = datetime(2019, 5, 3, 12, 0, tzinfo=UTC)


def _archive() -> list[WireArticle]:
    return load_wire(ARCHIVE_NEWEST)


def _pipeline(store: Store, tmp_path: Path) -> Pipeline:
    return Pipeline(store, Settings(_env_file=None, data_dir=tmp_path))


def _stories(store: Store) -> dict[str, set[str]]:
    """The gold event of each story's documents, by story."""
    story_of_slug = {a.slug: a.story for a in _archive()}
    with store.session() as session:
        grouped = repo.documents_by_story(session)
    return {s: {story_of_slug[d.id] for d in docs} for s, docs in grouped.items()}


def _import_in_two_runs(store: Store, tmp_path: Path) -> set[frozenset[str]]:
    archive = _archive()
    half = len(archive) // 2
    pipeline = _pipeline(store, tmp_path)
    for part in (archive[:half], archive[half:]):
        pipeline.import_documents(a.document() for a in part)
        pipeline.cluster()
    with store.session() as session:
        grouped = repo.documents_by_story(session)
    return {frozenset(d.id for d in docs) for docs in grouped.values()}


def test_an_old_archive_imported_today_clusters_as_it_would_have_live(
    store: Store, tmp_path: Path
) -> None:
    """Reports of 2019 arrive in two runs, once today and once with the clock in 2019:
    the stories come out the same, whatever the wall clock says."""
    today = _import_in_two_runs(store, tmp_path)
    live_store = tmp_path / "live"
    live_store.mkdir()
    url = f"sqlite:///{live_store / 'live.db'}"
    migrate(url)
    with time_machine.travel(ARCHIVE_NEWEST + timedelta(hours=3), tick=False):
        live = _import_in_two_runs(Store(url), live_store)
    assert today == live
    story_of_slug = {a.slug: a.story for a in _archive()}
    assert all(len({story_of_slug[d] for d in docs}) == 1 for docs in today)


def test_a_late_report_joins_its_closed_story(store: Store, tmp_path: Path) -> None:
    """A report that arrives after the stream has moved past its story (another feed
    polled later) still joins the story it belongs to, instead of opening a second one."""
    archive = _archive()
    first_story = archive[0].story
    late = [a for a in archive if a.story == first_story][-1]
    pipeline = _pipeline(store, tmp_path)
    pipeline.import_documents(a.document() for a in archive if a != late)
    pipeline.cluster()
    with store.session() as session:
        closed = {row.id for row in session.query(StoryRow) if row.status == "closed"}
    (story_id,) = {s for s, events in _stories(store).items() if first_story in events}
    assert story_id in closed, "the stream has passed the first story: it is closed"
    pipeline.import_documents([late.document()])
    pipeline.cluster()
    with store.session() as session:
        grouped = repo.documents_by_story(session)
        row = session.get_one(StoryRow, story_id)
        assert row.status == "closed", "closed again: the stream is past it"
    assert late.slug in {d.id for d in grouped[story_id]}
    assert len(_stories(store)) == len({a.story for a in archive})


def test_stream_time_is_the_newest_report_and_never_later_than_now(store: Store) -> None:
    now = datetime.now(UTC)
    with store.session() as session:
        assert repo.stream_time(session, now) == now
        repo.add_document(session, Document(id="old", published=ARCHIVE_NEWEST, text="Old."))
        assert repo.stream_time(session, now) == ARCHIVE_NEWEST
        future = now + timedelta(days=30)  # a wrong time zone or a typo in a feed
        repo.add_document(session, Document(id="next", published=future, text="Ahead."))
        assert repo.stream_time(session, now) == now


def test_near_duplicate_look_back_is_measured_from_the_documents_own_time() -> None:
    text = " ".join(f"word{i} appears in the original wire report" for i in range(40))
    index = NearDuplicateIndex(window=timedelta(days=7))
    index.add(Document(id="original", published=ARCHIVE_NEWEST, text=text))
    same_week = Document(id="copy", published=ARCHIVE_NEWEST + timedelta(days=2), text=text)
    next_year = Document(id="rerun", published=ARCHIVE_NEWEST + timedelta(days=365), text=text)
    assert index.place(same_week).document.duplicate_of == "original"
    assert index.place(next_year).document.duplicate_of is None
