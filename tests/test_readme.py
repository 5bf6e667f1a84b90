"""The README's command table names every command the CLI offers.

The other documentation checks (README size and links, the layout, the generated
configuration table, the migration range) are in tests/test_docs.py.
"""

from __future__ import annotations

from pathlib import Path

import typer

from newsdesk.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end >= 0 else None]


def test_every_top_level_command_is_in_the_command_line_table() -> None:
    table = section("Command line")
    command = typer.main.get_command(app)
    names = sorted(command.commands)  # type: ignore[attr-defined]
    assert names and [n for n in names if f"`newsdesk {n}" not in table] == []
