"""Queries for accounts: users, server-side sessions, and counted attempts (rate limits)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from newsdesk.store.base import utcnow
from newsdesk.store.site_models import RateEventRow, UserRow, WebSessionRow


@dataclass(frozen=True)
class User:
    id: int
    email: str
    display_name: str
    role: str
    created_at: datetime
    banned_until: datetime | None

    @property
    def is_editor(self) -> bool:
        return self.role in {"editor", "admin"}

    def is_banned(self, now: datetime | None = None) -> bool:
        return self.banned_until is not None and self.banned_until > (now or utcnow())


def to_user(row: UserRow) -> User:
    return User(row.id, row.email, row.display_name, row.role, row.created_at, row.banned_until)


# --- users -----------------------------------------------------------------


def find_user_row(session: Session, email: str) -> UserRow | None:
    return session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))


def get_user(session: Session, user_id: int) -> User | None:
    row = session.get(UserRow, user_id)
    return None if row is None else to_user(row)


def is_name_taken(session: Session, display_name: str) -> bool:
    query = select(UserRow.id).where(func.lower(UserRow.display_name) == display_name.lower())
    return session.scalar(query) is not None


def add_user(
    session: Session, email: str, display_name: str, password_hash: str, role: str = "reader"
) -> User:
    row = UserRow(
        email=email.strip().lower(),
        display_name=display_name.strip(),
        password_hash=password_hash,
        role=role,
    )
    session.add(row)
    session.flush()
    return to_user(row)


def set_password_hash(session: Session, user_id: int, password_hash: str) -> None:
    session.get_one(UserRow, user_id).password_hash = password_hash


def set_role(session: Session, email: str, role: str) -> User:
    row = find_user_row(session, email)
    if row is None:
        raise LookupError(f"no user with e-mail {email!r}")
    row.role = role
    return to_user(row)


def set_ban(session: Session, user_id: int, until: datetime | None, reason: str | None) -> None:
    row = session.get_one(UserRow, user_id)
    row.banned_until = until
    row.ban_reason = reason


def list_users(session: Session) -> list[User]:
    return [to_user(row) for row in session.scalars(select(UserRow).order_by(UserRow.id))]


# --- sessions --------------------------------------------------------------


def add_session(
    session: Session, session_hash: str, user_id: int | None, csrf_token: str, lifetime: timedelta
) -> None:
    now = utcnow()
    session.add(
        WebSessionRow(
            id=session_hash,
            user_id=user_id,
            csrf_token=csrf_token,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()


def live_session(session: Session, session_hash: str) -> WebSessionRow | None:
    """The session row if it exists and has not expired (an expired one is deleted)."""
    row = session.get(WebSessionRow, session_hash)
    if row is None:
        return None
    if row.expires_at <= utcnow():
        session.delete(row)
        return None
    return row


def delete_session(session: Session, session_hash: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.id == session_hash))


def delete_user_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))


def purge_expired_sessions(session: Session) -> int:
    result = session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


# --- counted attempts ------------------------------------------------------


def count_events(session: Session, key: str, since: datetime) -> int:
    query = select(func.count()).where(RateEventRow.key == key, RateEventRow.at > since)
    return session.scalar(query) or 0


def lock_keys(session: Session, keys: Iterable[str]) -> None:
    """Hold the counters under ``keys`` until the transaction ends, so that transactions
    which count and check the same key run one after another, never interleaved.

    PostgreSQL: one advisory lock per key, taken in sorted order (no deadlock). SQLite
    needs none: the first insert of a transaction takes the database's write lock, so
    ``add_event`` before ``count_events`` serialises the writers there."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


def add_event(session: Session, key: str) -> int:
    """Record one attempt under ``key`` now (written at once); returns its id."""
    row = RateEventRow(key=key, at=utcnow())
    session.add(row)
    session.flush()
    return row.id


def delete_events(session: Session, event_ids: Iterable[int]) -> None:
    ids = list(event_ids)
    if ids:
        session.execute(delete(RateEventRow).where(RateEventRow.id.in_(ids)))


def clear_events(session: Session, key: str) -> None:
    session.execute(delete(RateEventRow).where(RateEventRow.key == key))


def purge_events(session: Session, before: datetime) -> None:
    session.execute(delete(RateEventRow).where(RateEventRow.at <= before))
