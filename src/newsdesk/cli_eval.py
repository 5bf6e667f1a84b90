"""`newsdesk eval ...`: measure a stage against evaluation data given by path."""

from __future__ import annotations

import typer

eval_app = typer.Typer(help="Measure a stage against evaluation data.", no_args_is_help=True)
