"""Copying an installation into another database (PostgreSQL in CI's second pass)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from newsdesk.records import Article, Assignment, Citation, Document, Section, Sentence
from newsdesk.store import Store, migrate, repo
from newsdesk.store.models import DocumentRow
from newsdesk.store.transfer import TransferError, copy_database, verify_copy


def fill(store: Store) -> None:
    quote = "The Orrin ferry ran aground near Pelham at 6 a.m. on Tuesday."
    with store.session() as session:
        source = repo.add_source(session, "http://feeds.example/rss")
        repo.record_poll(session, source.id, title="Example", items=1, error=None)
        repo.add_document(
            session,
            Document(
                id="d1",
                url="http://example/1",
                text=quote,
                published=datetime(2026, 11, 3, 6, tzinfo=UTC),
            ),
            source_id=source.id,
        )
        repo.assign_documents(session, [Assignment(id="d1", story="s1")])
        sentence = Sentence(text=quote, citations=[Citation(document="d1", quote=quote)])
        repo.save_article(
            session,
            Article(
                story="s1",
                headline="Ferry runs aground near Pelham",
                standfirst=quote,
                sections=[Section(heading="What happened", paragraphs=[[sentence]])],
                facts=[],
                sources=[],
            ),
        )
        repo.publish_version(session, "s1", 1)


@pytest.fixture
def source_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    migrate(url)
    store = Store(url)
    fill(store)
    store.close()
    return url


def test_copy_keeps_every_row_and_checksums_match(source_url: str, database_url: str) -> None:
    reports = copy_database(source_url, database_url)
    assert all(r.verified for r in reports), [r for r in reports if not r.verified]
    rows = {r.table: r.rows for r in reports}
    assert rows["documents"] == 1 and rows["articles"] == 1 and rows["citations"] == 1
    target = Store(database_url)
    with target.session() as session:
        article = repo.latest_article(session, "s1")
        assert article is not None and article.headline == "Ferry runs aground near Pelham"
        # New rows still get fresh ids after the explicit ones that were copied.
        assert repo.add_source(session, "http://feeds.example/other").id == 2
    target.close()


def test_copy_refuses_a_target_that_has_data(source_url: str, database_url: str) -> None:
    copy_database(source_url, database_url)
    with pytest.raises(TransferError, match="not empty"):
        copy_database(source_url, database_url)


def test_a_changed_row_fails_verification(source_url: str, database_url: str) -> None:
    copy_database(source_url, database_url)
    target = Store(database_url)
    with target.session() as session:
        session.execute(update(DocumentRow).values(text="tampered"))
    source = Store(source_url)
    reports = {r.table: r for r in verify_copy(source.engine, target.engine)}
    assert not reports["documents"].verified
    assert reports["articles"].verified
    source.close()
    target.close()
