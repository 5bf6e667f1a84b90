from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.store import Store, migrate


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real, migrated SQLite file in the test's temporary folder."""
    url = f"sqlite:///{tmp_path / 'newsdesk.db'}"
    migrate(url)
    opened = Store(url)
    yield opened
    opened.close()
