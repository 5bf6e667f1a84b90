"""Signed reset tokens and device cookies; the generated secret key file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from newsdesk.accounts import tokens
from newsdesk.settings import Settings, SettingsError

KEY = b"k" * 32


def test_reset_token_round_trip_and_expiry() -> None:
    token = tokens.make_reset_token(KEY, 7, "$argon2id$hash", now=1000.0)
    assert tokens.read_reset_token(token) == (7, 1000 + tokens.RESET_LIFETIME_S)
    assert tokens.check_reset_token(KEY, token, "$argon2id$hash", now=1001.0)
    assert not tokens.check_reset_token(KEY, token, "$argon2id$hash", now=1000.0 + 3601)
    assert not tokens.check_reset_token(KEY, token, "$argon2id$other", now=1001.0)
    assert not tokens.check_reset_token(b"x" * 32, token, "$argon2id$hash", now=1001.0)


def test_tampered_tokens_fail() -> None:
    token = tokens.make_reset_token(KEY, 7, "h", now=1000.0)
    user, expires, signature = token.split(".")
    assert not tokens.check_reset_token(KEY, f"8.{expires}.{signature}", "h", now=1001.0)
    assert not tokens.check_reset_token(KEY, f"{user}.99999999999.{signature}", "h", now=1001.0)
    assert tokens.read_reset_token("a.b.c") is None
    assert not tokens.check_reset_token(KEY, "garbage", "h")


def test_device_token_is_bound_to_the_account() -> None:
    token = tokens.make_device_token(KEY, "Ada@Example.org")
    assert tokens.is_device_of(KEY, token, "ada@example.org")
    assert not tokens.is_device_of(KEY, token, "bob@example.org")
    assert not tokens.is_device_of(KEY, None, "ada@example.org")
    assert not tokens.is_device_of(KEY, "x.y.z", "ada@example.org")


def test_secret_key_is_generated_once_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = tokens.load_secret_key(settings)
    assert len(first) == 64 and tokens.load_secret_key(settings) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    given = "g" * 32
    assert tokens.load_secret_key(Settings(data_dir=tmp_path, secret_key=given)) == given.encode()


def test_a_short_or_empty_key_is_refused_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("")  # what a full disk left behind
    with pytest.raises(SettingsError, match="fewer than 32"):
        tokens.load_secret_key(Settings(data_dir=tmp_path))
    with pytest.raises(SettingsError, match="NEWSDESK_SECRET_KEY"):
        tokens.load_secret_key(Settings(data_dir=tmp_path, secret_key="short"))


def test_a_key_that_cannot_be_written_whole_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tokens.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        tokens.load_secret_key(Settings(data_dir=tmp_path))
    assert list(tmp_path.iterdir()) == []
