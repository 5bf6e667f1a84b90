"""The whole schema: the pipeline's tables (``models``) and the site's (``site_models``) in
one metadata, for what walks every table (``transfer``, Alembic's autogenerate)."""

from __future__ import annotations

from sqlalchemy import MetaData

# Imported for their tables, which defining the classes adds to Base.metadata.
from newsdesk.store import models, site_models  # noqa: F401
from newsdesk.store.base import Base

METADATA: MetaData = Base.metadata
