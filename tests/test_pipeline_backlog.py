"""The work waiting is listed by the pipeline, in its stage order: what the worker queues."""

from __future__ import annotations

from newsdesk.pipeline import STAGES, backlog
from newsdesk.records import Article, Assignment, Document
from newsdesk.store import Store, repo
from newsdesk.tasks.queue import cluster_job, ingest_job, publish_job, write_job
from web_seed import add_story, load_fixtures


def test_the_backlog_follows_the_stage_order(store: Store) -> None:
    with store.session() as session:
        assert backlog(session) == []
    fixture = load_fixtures()[0]
    documents = [Document.model_validate(d) for d in fixture["documents"]]
    add_story(store, documents, Article.model_validate(fixture["article"]), publish=False)
    with store.session() as session:
        source = repo.add_source(session, "https://feeds.example/rss")
        repo.add_document(session, Document(id="new", text="A new report."))
        repo.add_document(session, Document(id="told", text="A report in a story."))
        repo.assign_documents(session, [Assignment(id="told", story="story-unwritten")])
    with store.session() as session:
        jobs = backlog(session)
        assert jobs == [
            ingest_job(source.id),
            cluster_job(),
            write_job("story-unwritten"),
            publish_job(),
        ]
        assert [job.task.removeprefix("newsdesk:") for job in jobs] == [
            "ingest_source",
            "cluster",
            "write_story",
            "publish",
        ]
        assert backlog(session, ["ingest"]) == [ingest_job(source.id)]
    assert STAGES == ("ingest", "cluster", "write", "publish")
