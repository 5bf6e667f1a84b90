"""The publish operation: the one way a written version goes live, whoever sends it.

The pipeline's publish stage, an editor approving a story at the desk or through the API,
and an editor's edit of a live story all call :func:`publish_versions`: it publishes, and
refreshes "Related stories" of the stories published and of their neighbours.

Stages never import the store; this reads and writes it around the publish stage's pure
decisions (``newsdesk.publish``: the review policy, the source count, related stories).
It sits here, apart from ``pipeline.py``, so that the web app can call it without loading
the ingest and write stages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from newsdesk.embed import get_embedder
from newsdesk.publish import (
    WAITING,
    Pending,
    ReleaseRules,
    ReviewState,
    embed_articles,
    independent_outlets,
    related_lists,
    releasable,
    topics_of,
    with_enough_sources,
)
from newsdesk.records import Article
from newsdesk.store import desk, repo
from newsdesk.store.neighbours import nearest_finder, save_vectors


def publish_versions(
    session: Session,
    story: str | None = None,
    *,
    version: int | None = None,
    rules: ReleaseRules | None = None,
) -> list[Pending]:
    """Publish the versions waiting, then refresh the related stories around them.

    Every unpublished version, or only ``story``'s (only its ``version``). With ``rules``
    (the pipeline) the review policy and the source count decide which go out now, and the
    others wait on the desk; without (an editor approved or wrote them) all of them go.
    Returns the (story, version) pairs published, oldest version first.
    """
    pending = [
        (story_id, number)
        for story_id, number in repo.unpublished_versions(session)
        if story in (None, story_id) and version in (None, number)
    ]
    articles = desk.pending_articles(session, pending)  # read once: policy and topics
    if rules is not None:
        pending = _release(session, pending, articles, rules)
    for story_id, number in pending:
        article = articles.get((story_id, number))
        topics = topics_of(article) if article is not None else None
        repo.publish_version(session, story_id, number, topics)
    if pending:
        _relate(session, sorted({story_id for story_id, _ in pending}))
    return pending


def _release(
    session: Session,
    pending: list[Pending],
    articles: Mapping[Pending, Article],
    rules: ReleaseRules,
) -> list[Pending]:
    """The versions the review policy and the source count let out; the holds and waits
    they decide are recorded for the desk."""
    reviewed = releasable(pending, _reviews(session, pending), articles, rules.policy)
    for article, reason in reviewed.hold:
        desk.hold_story(session, article, reason)
    stories = sorted({story_id for story_id, _ in reviewed.publish})
    documents = repo.documents_by_story(session, stories)
    outlets = {story_id: independent_outlets(docs) for story_id, docs in documents.items()}
    reviews = _reviews(session, reviewed.publish)  # as the holds left them
    sourced = with_enough_sources(reviewed.publish, reviews, outlets, rules.min_sources)
    for story_id in sourced.sourced:
        desk.clear_waiting(session, story_id)
    for (story_id, number), reason in sourced.wait:
        desk.set_review(session, story_id, WAITING, version=number, reason=reason, by=None)
    return sourced.publish


def _reviews(session: Session, pending: Iterable[Pending]) -> dict[str, ReviewState]:
    rows = {story_id: desk.review_state(session, story_id) for story_id, _ in pending}
    return {
        story_id: ReviewState(row.state, row.version, row.reason)
        for story_id, row in rows.items()
        if row is not None
    }


def _relate(session: Session, published: list[str]) -> None:
    """Related stories of the newly published stories and of their neighbours.

    Only these lists change, so publishing costs a few nearest-neighbour queries (an HNSW
    index on PostgreSQL) however many stories the site holds.
    """
    embedder = get_embedder()
    articles = [a for a in map(partial(repo.latest_article, session), published) if a]
    vectors = embed_articles(articles, embedder)
    save_vectors(session, embedder.name, vectors)
    nearest = nearest_finder(session, embedder.name)
    stored = repo.load_story_vectors(session, embedder.name)

    def vector_of(story_id: str) -> NDArray[np.float32]:
        return np.frombuffer(stored[story_id], dtype=np.float32)

    repo.replace_related(session, related_lists(vectors, nearest, vector_of))
