"""Related stories in the seeded web database: what publishing (the pipeline's publish
stage) makes of them, to compare the desk's and the API's approvals with."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from newsdesk.embed import get_embedder
from newsdesk.pipeline import Pipeline
from newsdesk.publish import embed_articles
from newsdesk.store import desk, repo
from newsdesk.store.db import Store
from newsdesk.store.models import RelatedStoryRow
from newsdesk.store.neighbours import save_vectors
from web_seed import seeded_store, site_settings

Related = dict[str, list[tuple[str, float]]]


def related_rows(store: Store) -> Related:
    """Every story's related stories and scores, as the site shows them."""
    found: Related = defaultdict(list)
    with store.session() as session:
        query = select(RelatedStoryRow).order_by(RelatedStoryRow.story_id, RelatedStoryRow.rank)
        for row in session.scalars(query):
            found[row.story_id].append((row.related_id, round(row.score, 4)))
    return dict(found)


def store_vectors(store: Store) -> None:
    """The published stories' vectors, as earlier publishing runs left them."""
    embedder = get_embedder()
    with store.session() as session:
        vectors = embed_articles(repo.published_articles(session), embedder)
        save_vectors(session, embedder.name, vectors)


def hold(store: Store, story_id: str) -> None:
    """What the desk's hold does: the story off the site, held."""
    with store.session() as session:
        desk.unpublish_all(session, story_id)
        desk.set_review(session, story_id, "held", version=1, reason="check", by=None)


def related_after_pipeline_publish(folder: Path, story_id: str) -> Related:
    """The related stories once ``story_id``, held, is approved and the pipeline's publish
    stage publishes it: the seeded database with story vectors, in ``folder``."""
    folder.mkdir()
    settings, store = seeded_store(folder)
    store_vectors(store)
    hold(store, story_id)
    with store.session() as session:
        desk.set_review(session, story_id, "approved", version=1, reason=None, by=None)
    assert Pipeline(store, site_settings(settings)).publish().items == 1
    related = related_rows(store)
    store.close()
    return related
