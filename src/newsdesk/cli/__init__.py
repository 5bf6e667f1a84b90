"""Command line: one command per stage, plus run, serve and demo.

Stage commands (``stages.py``) work two ways: given a file they read and write JSON Lines
(composable like Unix filters); given nothing they work on the database named by the
settings. ``service.py`` runs and serves; the sub-apps manage sources, accounts, keys and
mail, and measure stages (``eval``). Heavy parts (the pipeline, models, the database) are
imported by the commands that use them, so that ``newsdesk --help`` starts at once.
"""

from __future__ import annotations

from typing import Annotated

import typer

from newsdesk.cli import service, stages
from newsdesk.cli.common import err, error_line
from newsdesk.cli.evaluate import eval_app
from newsdesk.cli.site import apikeys_app, mail_app, users_app
from newsdesk.cli.sources import import_command, sources_app

app = typer.Typer(help="newsdesk: a self-hosted AI newsroom.", no_args_is_help=True)


def _print_version(wanted: bool) -> None:
    if wanted:
        from newsdesk import __version__

        typer.echo(f"newsdesk {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_print_version, is_eager=True
        ),
    ] = False,
) -> None:
    """newsdesk: a self-hosted AI newsroom."""


for command in (stages.init, stages.ingest, stages.extract, stages.cluster, stages.write):
    app.command()(command)
app.command()(stages.check)
app.command()(stages.publish)
app.add_typer(sources_app, name="sources")
app.command("import")(import_command)
for command in (service.run, service.serve, service.worker, service.enqueue, service.demo):
    app.command()(command)
app.command("migrate-data")(service.migrate_data)
app.command("sample-wire")(service.sample_wire)
app.add_typer(eval_app, name="eval")
app.add_typer(users_app, name="users")
app.add_typer(apikeys_app, name="apikeys")
app.add_typer(mail_app, name="mail")


def main() -> None:
    """The console script: a setting that cannot be used, a locked database or a full disk
    is an error line and a distinct exit status, not a traceback."""
    try:
        app(prog_name="newsdesk")
    except Exception as error:
        from newsdesk.cli.common import fault
        from newsdesk.settings import SettingsError

        if isinstance(error, SettingsError):
            err.print(error_line(str(error)))
            raise SystemExit(2) from None
        explained = fault(error)  # the database driver's errors, or OSError, in any wrapping
        if explained is None:
            raise
        err.print(error_line(explained[0]))
        raise SystemExit(explained[1]) from None


__all__ = ["app", "main"]
