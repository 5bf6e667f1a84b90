"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from newsdesk.accounts.password_rules import guessable_problem

# argon2-cffi's defaults are RFC 9106's low-memory profile: argon2id, t=3, m=64 MiB, p=4.
_HASHER = PasswordHasher()

MIN_LENGTH = 12  # ASVS 4.0 2.1.1 (NIST SP 800-63B allows 8; we ask more)
MAX_LENGTH = 256


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of a password nobody knows, made with the hasher's own costs."""
    return hasher.hash(secrets.token_urlsafe(24))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``. Without a hash (no such account) it is
    checked against a dummy hash of the same cost, so that a wrong e-mail address takes the
    same time as a wrong password and response times do not tell who has an account."""
    try:
        matches = _HASHER.verify(stored_hash or _dummy_hash(_HASHER), password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


def password_problem(
    password: str, email: str, display_name: str, site_name: str = ""
) -> str | None:
    """Why a new password is refused, or None: length after NIST SP 800-63B and ASVS, then
    whether it is easy to guess (``password_rules``)."""
    if len(password) < MIN_LENGTH:
        return f"The password must have at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"The password must have at most {MAX_LENGTH} characters."
    return guessable_problem(password, email, display_name, site_name)
