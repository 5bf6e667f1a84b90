"""Rate limits counted in the database, so that every web process shares them.

An attempt is counted *before* the work it limits (the password check, the mail), in the
same transaction as the check, under a lock (``accounts.lock_keys``). Concurrent attempts
therefore run the check one after another and each sees all earlier ones: thirty parallel
guesses get no more tries than thirty sequential ones. An attempt over the limit is
refused, and its transaction (with its count) rolled back.

Sign-in attempts are counted as failures until they succeed (``login_succeeded`` takes
them back). A browser holding the device cookie that a successful sign-in to the account
left is counted on its own: the failures of others at the same address, or against the
same account, never lock the real user's own browser out. Any other browser is counted
three ways: per account and address (strict), per address, and per account (looser, so a
password spray from many addresses is slowed while the owner's device still gets in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from newsdesk.settings import Settings
from newsdesk.store.base import utcnow
from newsdesk.store.site import accounts

LOGIN_WINDOW = timedelta(minutes=15)
SIGNUP_WINDOW = timedelta(hours=1)
ACCOUNT_FAILURES_FROM_UNKNOWN_DEVICES = 20
ACCOUNT_WHAT = "failed sign-ins for this account"


def client_address(request: Request) -> str:
    """The address that limits per address count under (as the connection gives it)."""
    return request.client.host if request.client else "unknown"


class TooManyAttempts(HTTPException):
    def __init__(self, what: str, window: timedelta) -> None:
        minutes = int(window.total_seconds() // 60)
        super().__init__(
            429,
            f"Too many {what}. Please wait up to {minutes} minutes and try again.",
            headers={"Retry-After": str(int(window.total_seconds()))},
        )


@dataclass(frozen=True)
class Limit:
    key: str
    most: int
    what: str


@dataclass(frozen=True)
class LoginAttempt:
    """A counted sign-in attempt: its events, and the key cleared if it succeeds."""

    event_ids: tuple[int, ...]
    clear_key: str


def login_limits(settings: Settings, email: str, address: str, device: str | None) -> list[Limit]:
    """The limits a sign-in attempt is counted under (the first is cleared on success)."""
    email = email.strip().lower()
    per_account = settings.login_attempts_per_account
    if device is not None:
        return [Limit(f"login:device:{device}", per_account, "failed sign-ins from this browser")]
    return [
        Limit(f"login:pair:{email}|{address}", per_account, ACCOUNT_WHAT),
        Limit(
            f"login:addr:{address}",
            settings.login_attempts_per_address,
            "failed sign-ins from your address",
        ),
        Limit(f"login:acct:{email}", ACCOUNT_FAILURES_FROM_UNKNOWN_DEVICES, ACCOUNT_WHAT),
    ]


def count_login(
    session: Session, settings: Settings, email: str, address: str, device: str | None
) -> LoginAttempt:
    """Count this sign-in attempt before the password is checked; raise TooManyAttempts
    (rolling the count back with the transaction) when it is over a limit.

    ``device`` is the id of a valid device cookie for this account, else None."""
    limits = login_limits(settings, email, address, device)
    accounts.lock_keys(session, [limit.key for limit in limits])
    ids = tuple(_count(session, limit, LOGIN_WINDOW) for limit in limits)
    return LoginAttempt(ids, limits[0].key)


def login_succeeded(session: Session, attempt: LoginAttempt) -> None:
    """Take back the attempt's counts, clear its strict counter, drop old events."""
    accounts.delete_events(session, attempt.event_ids)
    accounts.clear_events(session, attempt.clear_key)
    accounts.purge_events(session, utcnow() - SIGNUP_WINDOW)


def check_and_count(session: Session, key: str, limit: int, window: timedelta, what: str) -> None:
    """Count one attempt under ``key``; raise when ``limit`` were already made."""
    accounts.lock_keys(session, [key])
    _count(session, Limit(key, limit, what), window)


def allow(session: Session, key: str, limit: int, window: timedelta) -> bool:
    """Count one attempt under ``key`` and say whether it is within ``limit``; one that is
    not is not counted. For limits the visitor must not notice (mails to one address)."""
    accounts.lock_keys(session, [key])
    event_id = accounts.add_event(session, key)
    if accounts.count_events(session, key, utcnow() - window) > limit:
        accounts.delete_events(session, [event_id])
        return False
    return True


def _count(session: Session, limit: Limit, window: timedelta) -> int:
    """Add the event first (on SQLite that takes the write lock), then count it."""
    event_id = accounts.add_event(session, limit.key)
    if accounts.count_events(session, limit.key, utcnow() - window) > limit.most:
        raise TooManyAttempts(limit.what, window)
    return event_id
