"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults are RFC 9106's low-memory profile: argon2id, t=3, m=64 MiB, p=4.
_HASHER = PasswordHasher()
# Verified against when the account does not exist, so that a wrong e-mail address costs
# the same time as a wrong password and response times do not reveal who has an account.
_DUMMY_HASH = _HASHER.hash("not a real password: equalises timing")

MIN_LENGTH = 10
MAX_LENGTH = 256


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


def password_problem(password: str, email: str, display_name: str) -> str | None:
    """Why a new password is refused, or None (length rules after NIST SP 800-63B)."""
    if len(password) < MIN_LENGTH:
        return f"The password must have at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"The password must have at most {MAX_LENGTH} characters."
    lowered = password.casefold()
    if lowered in {email.casefold(), display_name.casefold()}:
        return "The password must not be your e-mail address or your name."
    if len(set(password)) < 4:
        return "The password is too repetitive."
    return None
