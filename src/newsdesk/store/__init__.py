"""The database: models, migrations, and the queries every other part goes through."""

from newsdesk.store.db import Store, migrate

__all__ = ["Store", "migrate"]
