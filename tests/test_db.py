from pathlib import Path

from sqlalchemy import inspect

from newsdesk.store import Store, migrate
from newsdesk.store.db import is_migrated


def test_migrate_creates_every_table_and_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'newsdesk.db'}"
    migrate(url)
    migrate(url)
    store = Store(url)
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "sources",
        "documents",
        "stories",
        "story_documents",
        "articles",
        "citations",
        "related_stories",
    } <= tables
    assert is_migrated(store.engine)
    store.close()


def test_new_database_is_not_migrated_until_migrate(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert not is_migrated(store.engine)
    store.close()
