"""Signed tokens: password-reset and sign-up links, and the device cookie of the sign-in
limiter.

A reset token names the user and an expiry time and is signed (HMAC-SHA256) over those
and the user's current password hash, so it stops working once the password changes:
each link works once, and never after its expiry.

A sign-up token holds only its expiry time; it is signed over that and the e-mail address
it was sent to, which it does not contain (no address in links, logs or histories): the
form it opens asks for the address again, and the token is good for that address only.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path

from newsdesk.settings import Settings, SettingsError

RESET_LIFETIME_S = 3600
SIGNUP_LIFETIME_S = 24 * 3600
MIN_KEY_BYTES = 32


def load_secret_key(settings: Settings) -> bytes:
    """The configured secret, or one generated once into ``data_dir/secret_key``.

    The file is written whole or not at all (a temporary file, synced, then linked into
    place), and a key shorter than ``MIN_KEY_BYTES`` is refused: an empty file left by a
    full disk would otherwise sign every cookie with an empty key."""
    if settings.secret_key:
        return _long_enough(settings.secret_key.encode("utf-8"), "NEWSDESK_SECRET_KEY")
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():
        _create_key_file(path)
    return _long_enough(path.read_text().strip().encode("utf-8"), str(path))


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process put its key first
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _long_enough(key: bytes, where: str) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise SettingsError(
            f"the secret key in {where} is {len(key)} bytes, fewer than {MIN_KEY_BYTES}: "
            "set a longer NEWSDESK_SECRET_KEY, or delete the file to have a new one made"
        )
    return key


def _sign(key: bytes, message: str) -> str:
    digest = hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _same(expected: str, sent: str) -> bool:
    """Constant-time comparison that also takes non-ASCII text from a URL or a cookie."""
    return hmac.compare_digest(expected.encode("utf-8"), sent.encode("utf-8", "replace"))


def _number(text: str) -> int | None:
    """A whole number of at most 12 ASCII digits, else None (never '²', never huge)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


def make_reset_token(key: bytes, user_id: int, password_hash: str, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + RESET_LIFETIME_S)
    payload = f"{user_id}.{expires}"
    return f"{payload}.{_sign(key, f'reset|{payload}|{password_hash}')}"


def read_reset_token(token: str) -> tuple[int, int] | None:
    """(user id, expiry) named by a token, before its signature is checked; None if garbled."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    user_id, expires = _number(parts[0]), _number(parts[1])
    return None if user_id is None or expires is None else (user_id, expires)


def check_reset_token(key: bytes, token: str, password_hash: str, now: float | None = None) -> bool:
    named = read_reset_token(token)
    if named is None:
        return False
    user_id, expires = named
    if expires < (now if now is not None else time.time()):
        return False
    expected = _sign(key, f"reset|{user_id}.{expires}|{password_hash}")
    return _same(expected, token.rsplit(".", 1)[1])


def make_device_token(key: bytes, email: str) -> str:
    nonce = secrets.token_urlsafe(12)
    return f"{nonce}.{_sign(key, f'device|{nonce}|{email.strip().lower()}')}"


def device_id(key: bytes, token: str | None, email: str) -> str | None:
    """The id of this browser (the token's nonce) if ``token`` is a device cookie of the
    account ``email``, else None. Only a successful sign-in to the account makes one."""
    if not token or len(token) > 200 or token.count(".") != 1:
        return None
    nonce, signature = token.split(".")
    expected = _sign(key, f"device|{nonce}|{email.strip().lower()}")
    return nonce if _same(expected, signature) else None


def is_device_of(key: bytes, token: str | None, email: str) -> bool:
    return device_id(key, token, email) is not None


def make_signup_token(key: bytes, email: str, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + SIGNUP_LIFETIME_S)
    return f"{expires}.{_sign(key, f'signup|{expires}|{email.strip().lower()}')}"


def signup_token_live(token: str, now: float | None = None) -> bool:
    """Whether ``token`` looks like a sign-up token that has not expired (unsigned check)."""
    text, _, signature = token.partition(".")
    expires = _number(text)
    if expires is None or not signature:
        return False
    return expires >= (now if now is not None else time.time())


def check_signup_token(key: bytes, token: str, email: str, now: float | None = None) -> bool:
    """Whether ``token`` was made for ``email`` and has not expired."""
    if not signup_token_live(token, now):
        return False
    expires, signature = token.split(".", 1)
    expected = _sign(key, f"signup|{expires}|{email.strip().lower()}")
    return _same(expected, signature)
