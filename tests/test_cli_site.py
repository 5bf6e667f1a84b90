"""newsdesk users / apikeys / mail commands on a real database file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.store import Store
from newsdesk.store.site import accounts, apikeys, outbox

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", url)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NEWSDESK_NEW_PASSWORD", "a long enough password")
    return url


def test_users_add_role_and_list(env: str) -> None:
    result = runner.invoke(
        app, ["users", "add", "ed@example.org", "--name", "Ed", "--role", "editor"]
    )
    assert result.exit_code == 0, result.output
    store = Store(env)
    with store.session() as session:
        row = accounts.find_user_row(session, "ed@example.org")
        assert row is not None and row.role == "editor"
        assert row.password_hash.startswith("$argon2id$")
    assert runner.invoke(app, ["users", "role", "ed@example.org", "admin"]).exit_code == 0
    listed = runner.invoke(app, ["users", "list"])
    assert "ed@example.org\tEd\tadmin" in listed.output
    store.close()


def test_users_add_refuses_bad_role_weak_password_and_duplicates(
    env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = runner.invoke(app, ["users", "add", "a@example.org", "--name", "A", "--role", "boss"])
    assert bad.exit_code == 2 and "Invalid value for '--role'" in bad.output
    monkeypatch.setenv("NEWSDESK_NEW_PASSWORD", "short")
    weak = runner.invoke(app, ["users", "add", "a@example.org", "--name", "A"])
    assert weak.exit_code == 1 and "at least 12" in weak.output
    monkeypatch.setenv("NEWSDESK_NEW_PASSWORD", "a long enough password")
    assert runner.invoke(app, ["users", "add", "a@example.org", "--name", "A"]).exit_code == 0
    again = runner.invoke(app, ["users", "add", "a@example.org", "--name", "B"])
    assert again.exit_code == 1 and "exists" in again.output
    missing = runner.invoke(app, ["users", "role", "zz@example.org", "editor"])
    assert missing.exit_code == 1 and "no user" in missing.output


def test_apikeys_create_list_revoke(env: str) -> None:
    created = runner.invoke(app, ["apikeys", "create", "ingest-bot"])
    assert created.exit_code == 0
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("ndk_")
    store = Store(env)
    with store.session() as session:
        assert apikeys.check_key(session, secret) is not None
    assert "ingest-bot" in runner.invoke(app, ["apikeys", "list"]).output
    assert runner.invoke(app, ["apikeys", "revoke", "1"]).exit_code == 0
    with store.session() as session:
        assert apikeys.check_key(session, secret) is None
    assert runner.invoke(app, ["apikeys", "revoke", "42"]).exit_code == 1
    store.close()


def test_mail_send_delivers_the_outbox(env: str) -> None:
    runner.invoke(app, ["users", "list"])  # migrates
    store = Store(env)
    with store.session() as session:
        outbox.enqueue(session, "a@example.org", "Hello", "Body")
    result = runner.invoke(app, ["mail", "send"])
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output
    with store.session() as session:
        assert outbox.unsent(session) == []
    store.close()
