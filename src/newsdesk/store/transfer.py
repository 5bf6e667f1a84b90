"""Copy one installation's database into another (SQLite -> PostgreSQL), verified.

Every table of the models is copied in foreign-key order, in primary-key order and in
batches, inside one transaction on the target: a failure leaves the target as it was.
Afterwards each table's row count and a checksum over its canonical rows must match on
both sides, or the copy is reported as failed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Integer, Table, func, select, text

from newsdesk.store.db import create_store_engine, migrate
from newsdesk.store.schema import METADATA

BATCH_ROWS = 1000
Progress = Callable[[str, int, int], None]


class TransferError(RuntimeError):
    pass


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    source_checksum: str
    target_checksum: str

    @property
    def verified(self) -> bool:
        return self.source_checksum == self.target_checksum


def copy_database(
    source_url: str, target_url: str, progress: Progress | None = None
) -> list[TableCopy]:
    """Copy every row of ``source_url`` into the empty database at ``target_url``."""
    migrate(target_url)
    source, target = create_store_engine(source_url), create_store_engine(target_url)
    try:
        with source.connect() as reader, target.begin() as writer:
            _refuse_non_empty(writer)
            for table in METADATA.sorted_tables:
                _copy_table(table, reader, writer, progress)
            _reset_sequences(writer)
        return verify_copy(source, target)
    finally:
        source.dispose()
        target.dispose()


def verify_copy(source: Engine, target: Engine) -> list[TableCopy]:
    reports = []
    with source.connect() as left, target.connect() as right:
        for table in METADATA.sorted_tables:
            rows = left.scalar(select(func.count()).select_from(table)) or 0
            checksums = table_checksum(left, table), table_checksum(right, table)
            reports.append(TableCopy(table.name, rows, *checksums))
    return reports


def table_checksum(connection: Connection, table: Table) -> str:
    """SHA-256 over the table's rows in primary-key order, values in a canonical form."""
    digest = hashlib.sha256()
    for row in _rows(connection, table):
        digest.update(json.dumps(row, sort_keys=True, default=_canonical).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=BATCH_ROWS).execute(
        select(table).order_by(*order)
    )
    for row in result.mappings():
        yield dict(row)


def _canonical(value: object) -> str:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _refuse_non_empty(writer: Connection) -> None:
    for table in METADATA.sorted_tables:
        if writer.scalar(select(func.count()).select_from(table)):
            raise TransferError(
                f"the target database is not empty (table {table.name!r} has rows); "
                "copy into a new, empty database"
            )


def _copy_table(
    table: Table, reader: Connection, writer: Connection, progress: Progress | None
) -> None:
    total = reader.scalar(select(func.count()).select_from(table)) or 0
    done = 0
    batch: list[dict[str, Any]] = []
    for row in _rows(reader, table):
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            writer.execute(table.insert(), batch)
            done += len(batch)
            batch = []
            if progress:
                progress(table.name, done, total)
    if batch:
        writer.execute(table.insert(), batch)
    if progress:
        progress(table.name, total, total)


def _reset_sequences(writer: Connection) -> None:
    """Explicit ids were inserted, so PostgreSQL's id sequences must move past them."""
    if writer.dialect.name != "postgresql":
        return
    for table in METADATA.sorted_tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                writer.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    )
                )
