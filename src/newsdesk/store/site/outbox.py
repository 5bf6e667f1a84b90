"""Queries for the mail outbox: mail is written here first, then handed to a sender."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store.base import utcnow
from newsdesk.store.site_models import OutboxRow

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Mail:
    id: int
    recipient: str
    subject: str
    body: str


def enqueue(session: Session, recipient: str, subject: str, body: str) -> int:
    row = OutboxRow(recipient=recipient, subject=subject, body=body, attempts=0)
    session.add(row)
    session.flush()
    return row.id


def unsent(session: Session, limit: int = 50) -> list[Mail]:
    rows = session.scalars(
        select(OutboxRow)
        .where(OutboxRow.sent_at.is_(None), OutboxRow.attempts < MAX_ATTEMPTS)
        .order_by(OutboxRow.id)
        .limit(limit)
    )
    return [Mail(r.id, r.recipient, r.subject, r.body) for r in rows]


def mark_sent(session: Session, mail_id: int) -> None:
    row = session.get_one(OutboxRow, mail_id)
    row.sent_at, row.attempts = utcnow(), row.attempts + 1


def mark_failed(session: Session, mail_id: int, error: str) -> None:
    row = session.get_one(OutboxRow, mail_id)
    row.attempts, row.last_error = row.attempts + 1, error
