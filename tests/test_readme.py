"""The README documents what the code offers: every setting, every command."""

from __future__ import annotations

from pathlib import Path

import typer

from newsdesk.cli import app
from newsdesk.settings import Settings

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end >= 0 else None]


def test_every_setting_is_in_the_configuration_table() -> None:
    table = section("Configuration")
    missing = [f"NEWSDESK_{n.upper()}" for n in Settings.model_fields]
    assert [v for v in missing if f"`{v}`" not in table] == []


def test_every_top_level_command_is_in_the_command_line_table() -> None:
    table = section("Command line")
    command = typer.main.get_command(app)
    names = sorted(command.commands)  # type: ignore[attr-defined]
    assert names and [n for n in names if f"`newsdesk {n}" not in table] == []


def test_the_migration_range_named_is_the_one_shipped() -> None:
    versions = Path(__file__).parent.parent / "src" / "newsdesk" / "store" / "migrations"
    numbers = sorted(p.name[:4] for p in (versions / "versions").glob("[0-9]*.py"))
    assert f"Alembic migrations ({numbers[0]}-{numbers[-1]}, linear)" in section("How it works")
