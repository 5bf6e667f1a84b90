"""Regression tests from the attack run of issue 19: hostile sources, hostile input and
faults, each on loopback or a temporary file, each bounded in time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from tests.loopback_server import LoopbackServer

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    return {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}


def _feed(links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{link}</link></item>" for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
        f"<link>http://example.org/</link>{items}</channel></rss>"
    ).encode()


@pytest.mark.sqlite_only
def test_a_feed_link_that_looks_like_console_markup_is_printed_not_parsed(
    env: dict[str, str],
) -> None:
    with LoopbackServer() as server:
        hostile = server.url("/a[/x]") + " [bold]b[/bold] :smile:"
        server.serve(
            "/feed", _feed([server.url("/a[/x]"), hostile]), content_type="application/rss+xml"
        )
        added = runner.invoke(app, ["sources", "add", server.url("/feed"), "--allow-private"])
        assert added.exit_code == 0, added.output
        result = runner.invoke(app, ["run", "--once"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "/a[/x]" in result.output  # the failed link is reported as it is written


def test_an_error_message_with_markup_is_one_plain_line(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["sources", "add", "file:///a[/x]"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "file:///a[/x]" in result.output
