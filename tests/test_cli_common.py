from pathlib import Path

import pytest
import typer
from sqlalchemy import inspect

from newsdesk.cli.common import fail, open_store
from newsdesk.settings import Settings


def test_open_store_creates_and_migrates_the_database(tmp_path: Path) -> None:
    store = open_store(Settings(_env_file=None, data_dir=tmp_path / "new"))  # type: ignore[call-arg]
    assert inspect(store.engine).has_table("documents")
    store.close()


def test_fail_prints_the_message_and_exits_with_1(capsys: pytest.CaptureFixture[str]) -> None:
    exit_ = fail("the feed at x is empty")
    assert isinstance(exit_, typer.Exit) and exit_.exit_code == 1
    assert "the feed at x is empty" in capsys.readouterr().err
