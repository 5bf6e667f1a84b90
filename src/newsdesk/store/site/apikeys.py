"""Queries for API keys: only a SHA-256 of each key is stored; the key is shown once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store.base import utcnow
from newsdesk.store.site_models import ApiKeyRow

KEY_PREFIX = "ndk_"


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(session: Session, name: str) -> tuple[ApiKey, str]:
    """A new key; returns its record and the secret (which is not stored)."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKeyRow(name=name, prefix=secret[:10], key_hash=hash_key(secret))
    session.add(row)
    session.flush()
    return _to_key(row), secret


def _to_key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(row.id, row.name, row.prefix, row.created_at, row.revoked_at, row.last_used_at)


def check_key(session: Session, secret: str) -> ApiKey | None:
    """The live key matching ``secret`` (recording its use), or None."""
    row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(secret)))
    if row is None or row.revoked_at is not None:
        return None
    row.last_used_at = utcnow()
    return _to_key(row)


def revoke_key(session: Session, key_id: int) -> bool:
    row = session.get(ApiKeyRow, key_id)
    if row is None:
        return False
    row.revoked_at = row.revoked_at or utcnow()
    return True


def list_keys(session: Session) -> list[ApiKey]:
    return [_to_key(row) for row in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]
