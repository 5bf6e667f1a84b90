"""The database: tables, migrations, and the queries every other part goes through.

Tables: ``models`` (the pipeline's) and ``site_models`` (the reader site's) on the one
``Base`` of ``base``; ``schema`` gathers them for what walks every table. Queries:
``repo/`` on the pipeline's tables, ``site/`` on the site's, ``desk`` for the desk's
reviews, ``neighbours`` for the nearest stories by vector. Plus ``db`` (engine, sessions,
migrations), ``lock`` (one pipeline run at a time) and ``transfer`` (copying a database).
"""

from newsdesk.store.db import Store, migrate

__all__ = ["Store", "migrate"]
