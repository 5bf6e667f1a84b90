"""Rate limits counted in the database, so that every web process shares them.

Sign-in failures are counted three ways (see ``check_login``). The strict limit is per
account *and* address, so an attacker elsewhere cannot lock the real user out; the limit
per account alone applies only to browsers without the device cookie that a successful
sign-in leaves, so the real user's own browser still gets in during an attack.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import HTTPException
from sqlalchemy.orm import Session

from newsdesk.settings import Settings
from newsdesk.store import accounts
from newsdesk.store.models import utcnow

LOGIN_WINDOW = timedelta(minutes=15)
SIGNUP_WINDOW = timedelta(hours=1)
ACCOUNT_FAILURES_FROM_UNKNOWN_DEVICES = 20


class TooManyAttempts(HTTPException):
    def __init__(self, what: str, window: timedelta) -> None:
        minutes = int(window.total_seconds() // 60)
        super().__init__(
            429,
            f"Too many {what}. Please wait up to {minutes} minutes and try again.",
            headers={"Retry-After": str(int(window.total_seconds()))},
        )


def _keys(email: str, address: str) -> tuple[str, str, str]:
    email = email.strip().lower()
    return f"login:pair:{email}|{address}", f"login:addr:{address}", f"login:acct:{email}"


def check_login(
    session: Session, settings: Settings, email: str, address: str, known_device: bool
) -> None:
    """Raise TooManyAttempts when this sign-in must not even be tried."""
    pair, addr, acct = _keys(email, address)
    since = utcnow() - LOGIN_WINDOW
    if accounts.count_events(session, pair, since) >= settings.login_attempts_per_account:
        raise TooManyAttempts("failed sign-ins for this account", LOGIN_WINDOW)
    if accounts.count_events(session, addr, since) >= settings.login_attempts_per_address:
        raise TooManyAttempts("failed sign-ins from your address", LOGIN_WINDOW)
    if not known_device:
        failures = accounts.count_events(session, acct, since)
        if failures >= ACCOUNT_FAILURES_FROM_UNKNOWN_DEVICES:
            raise TooManyAttempts("failed sign-ins for this account", LOGIN_WINDOW)


def record_login_failure(session: Session, email: str, address: str) -> None:
    for key in _keys(email, address):
        accounts.add_event(session, key)


def record_login_success(session: Session, email: str, address: str) -> None:
    accounts.clear_events(session, _keys(email, address)[0])
    accounts.purge_events(session, utcnow() - SIGNUP_WINDOW)


def check_and_count(session: Session, key: str, limit: int, window: timedelta, what: str) -> None:
    """Count one attempt under ``key``; raise when ``limit`` were already made."""
    if accounts.count_events(session, key, utcnow() - window) >= limit:
        raise TooManyAttempts(what, window)
    accounts.add_event(session, key)
