from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from newsdesk.records import Article, Assignment, Citation, Document, Section, Sentence
from newsdesk.store import Store, repo


def doc(doc_id: str, body: str, url: str | None = None) -> Document:
    return Document(id=doc_id, url=url, text=body, published=datetime(2026, 11, 2, tzinfo=UTC))


def article(story: str, version: int, quote: str, doc_id: str = "d1") -> Article:
    sentence = Sentence(text=quote, citations=[Citation(document=doc_id, quote=quote)])
    return Article(
        story=story,
        version=version,
        headline=f"Headline {version}",
        standfirst=quote,
        sections=[Section(heading="What happened", paragraphs=[[sentence]])],
        facts=[],
        sources=[],
    )


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode(store: Store) -> None:
    with store.session() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_document_is_stored_once_by_id_url_or_content(store: Store) -> None:
    with store.session() as session:
        assert repo.add_document(session, doc("d1", "A ferry sank.", "http://x/1"))
        assert not repo.add_document(session, doc("d1", "Other text."))
        assert not repo.add_document(session, doc("d2", "Other text.", "http://x/1"))
        assert not repo.add_document(session, doc("d3", "a  FERRY sank."))
        assert repo.count_documents(session) == 1
        assert repo.is_known_url(session, "http://x/1")


def test_published_datetime_round_trips_with_timezone(store: Store) -> None:
    with store.session() as session:
        repo.add_document(session, doc("d1", "A ferry sank."))
    with store.session() as session:
        (loaded,) = repo.unassigned_documents(session)
    assert loaded.published == datetime(2026, 11, 2, tzinfo=UTC)


def test_assignment_is_idempotent_and_marks_story_for_writing(store: Store) -> None:
    with store.session() as session:
        repo.add_document(session, doc("d1", "A ferry sank."))
        repo.add_document(session, doc("d2", "The ferry sank at dawn."))
        repo.assign_documents(session, [Assignment(id="d1", story="s1")])
        repo.assign_documents(session, [Assignment(id="d1", story="s1")])
        repo.assign_documents(session, [Assignment(id="d2", story="s1")])
        assert repo.unassigned_documents(session) == []
        assert [d.id for d in repo.documents_by_story(session)["s1"]] == ["d1", "d2"]
        assert repo.stories_needing_article(session) == ["s1"]


def test_versions_are_kept_and_only_published_ones_are_shown(store: Store) -> None:
    with store.session() as session:
        repo.add_document(session, doc("d1", "A ferry sank. Nobody was hurt."))
        repo.assign_documents(session, [Assignment(id="d1", story="s1")])
        repo.save_article(session, article("s1", 1, "A ferry sank."))
        assert repo.latest_article(session, "s1") is None
        repo.publish_version(session, "s1", 1)
        repo.save_article(session, article("s1", 2, "Nobody was hurt."))
        assert repo.next_version(session, "s1") == 3
        latest = repo.latest_article(session, "s1")
        assert latest is not None and latest.version == 1
        repo.publish_version(session, "s1", 2)
        (summary,) = repo.list_published(session)
        assert (summary.id, summary.version) == ("s1", 2)
        with pytest.raises(LookupError):
            repo.publish_version(session, "s1", 9)


def test_failed_unit_of_work_stores_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as session:
        repo.add_document(session, doc("d1", "A ferry sank."))
        raise RuntimeError("crash mid-way")
    with store.session() as session:
        assert repo.count_documents(session) == 0


def test_source_health_is_recorded(store: Store) -> None:
    with store.session() as session:
        source = repo.add_source(session, "http://feeds.example/rss")
        assert repo.add_source(session, "http://feeds.example/rss").id == source.id
        repo.record_poll(session, source.id, title="Example", items=3, error=None)
        repo.record_poll(session, source.id, title=None, items=0, error="timed out")
        (row,) = repo.list_sources(session)
        assert (row.items_seen, row.last_error, row.title) == (3, "timed out", "Example")
        assert row.last_success_at is not None


def test_open_splits_lists_recorded_splits_whose_two_stories_are_open(store: Store) -> None:
    with store.session() as session:
        for doc_id in ("a1", "a2", "c1", "c2", "e1", "e2"):
            repo.add_document(session, doc(doc_id, f"Report {doc_id}."))
        repo.assign_documents(
            session,
            [Assignment(id=d, story=f"s-{d[0]}") for d in ("a1", "a2", "c1", "c2", "e1", "e2")],
        )
        repo.apply_move(session, "split", "s-a", "s-a2", ["a2"], -0.4, counted=30)
        repo.apply_move(session, "split", "s-c", "s-c2", ["c2"], -0.2, counted=40)
        repo.apply_move(session, "split", "s-e", "s-e2", ["e2"], -0.1)  # before 0009: no size
        repo.close_stories(session, ["s-c2"])
    with store.session() as session:
        assert repo.open_splits(session) == [("s-a", "s-a2", 30)]
        repo.apply_move(session, "merge", "s-a2", "s-a", ["a2"], 1.5, counted=60)
    with store.session() as session:
        assert repo.open_splits(session) == []
