"""Command line: one command per stage, plus run, serve and demo.

Stage commands work two ways: given a file they read and write JSON Lines (composable
like Unix filters); given nothing they work on the database named by the settings.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.text import Text

from newsdesk.cli_common import err, error_line, fail, fault, load_judge, open_store, warn
from newsdesk.cli_eval import eval_app
from newsdesk.cli_progress import pipeline_progress
from newsdesk.cli_site import apikeys_app, mail_app, users_app
from newsdesk.cli_sources import import_command, sources_app
from newsdesk.cluster import cluster_documents
from newsdesk.ingest.imports import text_too_long
from newsdesk.ingest.localfiles import (
    ByteLines,
    LocalInputError,
    open_input,
    parse_json_line,
    read_lines,
)
from newsdesk.pipeline import STAGES, Pipeline, StageResult
from newsdesk.records import Article, Document, Story
from newsdesk.settings import Settings, SettingsError, load_settings
from newsdesk.store import Store, migrate, repo
from newsdesk.store.lock import PipelineBusyError
from newsdesk.write import WriterUnavailableError, write_article

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


app.add_typer(sources_app, name="sources")
app.command("import")(import_command)
app.add_typer(eval_app, name="eval")
app.add_typer(users_app, name="users")
app.add_typer(apikeys_app, name="apikeys")
app.add_typer(mail_app, name="mail")


def _read_json_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, Any]]:
    """The JSON value of each line of ``path`` ('-': stdin), each line at most ``max_bytes``.

    A line that is too long, not UTF-8, not JSON or holds no valid text (a lone surrogate)
    ends the command with one error line naming the file and line.
    """
    try:
        with _open_lines(path) as stream:
            for number, line in read_lines(stream, str(path), max_bytes):
                if isinstance(line, LocalInputError):
                    raise line
                if line.strip():
                    yield number, parse_json_line(line, f"{path}:{number}")
    except LocalInputError as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"cannot read {path}: {error.strerror or error}") from None


def _open_lines(path: Path) -> AbstractContextManager[ByteLines]:
    if str(path) == "-":
        return nullcontext(sys.stdin.buffer)
    return open_input(path)


def _read_documents(path: Path, max_bytes: int) -> list[Document]:
    documents = []
    for number, data in _read_json_lines(path, max_bytes):
        try:
            document = Document.model_validate(data)
        except ValidationError as error:
            raise fail(f"{path}:{number}: not a Document: {_first_problem(error)}") from error
        too_long = text_too_long(document)
        if too_long is not None:
            raise fail(f"{path}:{number}: {too_long}")
        documents.append(document)
    return documents


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"]) or "record"
    return f"{where}: {problem['msg']}"


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def _report(results: list[StageResult]) -> None:
    for result in results:
        err.print(f"{result.stage:>8}: {result.items} item(s) in {result.seconds:.2f}s")
        for message in result.errors[:10]:
            warn(message, indent=" " * 10)


@app.command()
def init() -> None:
    """Create or upgrade the database."""
    settings = load_settings()
    migrate(settings.resolved_database_url())
    err.print(f"database ready: {settings.resolved_database_url()}")


@app.command()
def ingest() -> None:
    """Fetch every source's new articles into the database."""
    _run_stages(["ingest"])


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="URLs, .html/.html.gz files or folders.")],
) -> None:
    """Print one Document JSON per page; a failed input prints {"id", "error"}."""
    from newsdesk.extract_inputs import extract_inputs

    failed = 0
    for record in extract_inputs(inputs, load_settings()):
        failed += "error" in record
        _print_json(record)
    if failed:
        raise typer.Exit(code=1)


@app.command()
def cluster(
    input_file: Annotated[
        Path | None, typer.Argument(help="Documents as JSON Lines ('-' for stdin).")
    ] = None,
    corrections: Annotated[
        bool, typer.Option(help="Run the merge/split pass after the stream.")
    ] = True,
) -> None:
    """Group documents into stories (file mode prints one Assignment per line).

    The file is read in order as a stream; the printed stories are the final ones, after
    the merge/split pass (``--no-corrections``: the streaming decisions alone).
    """
    if input_file is None:
        _run_stages(["cluster"])
        return
    from newsdesk.pipeline import cluster_config

    settings = load_settings()
    documents = _read_documents(input_file, settings.fetch_max_bytes)
    if len({doc.id for doc in documents}) != len(documents):
        raise fail(f"{input_file}: document ids are not unique")
    config = cluster_config(settings)
    for assignment in cluster_documents(documents, config=config, corrections=corrections):
        _print_json(assignment.to_json())


@app.command()
def write(
    story_file: Annotated[Path | None, typer.Argument(help="A Story as JSON.")] = None,
    backend: Annotated[
        str | None, typer.Option(help="extractive, openai or local (default: NEWSDESK_WRITER).")
    ] = None,
) -> None:
    """Write articles (file mode prints the Article JSON of one Story)."""
    settings = load_settings()
    if backend is not None:
        settings = settings.model_copy(update={"writer": backend})
    if story_file is None:
        _run_stages(["write"], settings)
        return
    try:
        story = Story.model_validate_json(story_file.read_bytes())
        article = _write_and_verify(story, settings)
    except OSError as error:
        raise fail(f"cannot read {story_file}: {error.strerror}") from error
    except ValidationError as error:
        raise fail(f"{story_file}: not a Story: {_first_problem(error)}") from error
    except WriterUnavailableError as error:
        raise fail(f"the {settings.writer} writer is unavailable, try later: {error}") from error
    except ValueError as error:
        raise fail(str(error)) from error
    _print_json(article.to_json())


def _write_and_verify(story: Story, settings: Settings) -> Article:
    """Write and run the gate the pipeline runs: the same article it would publish."""
    from newsdesk.verify import is_publishable, verify_article
    from newsdesk.verify.judge import make_judge

    article = verify_article(
        write_article(story, settings=settings),
        story.documents,
        make_judge(settings),
        keep_flagged=settings.review_policy != "none",
    )
    if not is_publishable(article):
        raise ValueError(f"story {story.id!r}: nothing survived verification")
    return article


@app.command()
def check(
    input_file: Annotated[
        Path, typer.Argument(help='JSON Lines of {"id", "source", "claim"}; "-" for stdin.')
    ],
    judge: Annotated[
        bool,
        typer.Option(help="Ask the configured judge (else the LLM endpoint) about unsure claims."),
    ] = False,
) -> None:
    """Check claims against their sources; print one verdict per line."""
    from newsdesk.verify.jsonl import CheckInputError, check_record

    llm_judge = load_judge(judge)
    max_bytes = load_settings().fetch_max_bytes
    try:
        for number, record in _read_json_lines(input_file, max_bytes):
            try:
                _print_json(check_record(record, llm_judge))
            except CheckInputError as error:
                raise fail(f"{input_file}:{number}: {error}") from error
    except OSError as error:
        raise fail(f"cannot read {input_file}: {error.strerror}") from error


@app.command()
def publish() -> None:
    """Publish every written, verified article version."""
    _run_stages(["publish"])


def _run_stages(stages: list[str], settings: Settings | None = None) -> None:
    settings = settings or load_settings()
    store = open_store(settings)
    with pipeline_progress(err) as progress:
        pipeline = Pipeline(store, settings, progress)
        _report([getattr(pipeline, stage)() for stage in stages])


@app.command()
def run(
    once: Annotated[bool, typer.Option(help="Run the pipeline once and exit.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls.")] = 900.0,
) -> None:
    """Poll the sources, run every stage, and serve the site."""
    settings = load_settings()
    store = open_store(settings)
    try:
        with pipeline_progress(err) as progress:
            _report(Pipeline(store, settings, progress).run())
    except PipelineBusyError as error:
        raise fail(str(error)) from None
    if once:
        return
    thread = threading.Thread(target=_poll_forever, args=(store, settings, interval), daemon=True)
    thread.start()
    _serve(settings, store)


def _poll_forever(store: Store, settings: Settings, interval: float) -> None:
    pipeline = Pipeline(store, settings)
    while True:
        time.sleep(interval)
        try:
            _report(pipeline.run())
        except PipelineBusyError as error:
            warn(f"poll skipped: {error}")


@app.command()
def serve() -> None:
    """Serve the site and API."""
    settings = load_settings()
    _serve(settings, open_store(settings))


def _serve(settings: Settings, store: Store) -> None:
    import uvicorn

    from newsdesk.web import create_app

    err.print(f"site at http://{settings.host}:{settings.port}")
    uvicorn.run(create_app(settings, store), host=settings.host, port=settings.port)


@app.command()
def worker(
    heartbeat: Annotated[float, typer.Option(help="Seconds between heartbeats.")] = 10.0,
    stalled_after: Annotated[
        float, typer.Option(help="Seconds without heartbeat before a worker's job is retried.")
    ] = 30.0,
) -> None:
    """Run pipeline jobs from the PostgreSQL queue; start any number, on any machine."""
    from newsdesk.tasks.app import bind_pipeline, create_task_app
    from newsdesk.tasks.queue import QUEUE

    settings = load_settings()
    try:
        task_app = create_task_app(settings)
    except ValueError as error:
        raise fail(str(error)) from error
    store = open_store(settings)
    bind_pipeline(store, settings, stalled_after)
    err.print(f"worker on {settings.resolved_database_url().split('@')[-1]}, queue {QUEUE!r}")
    # One job at a time per process: the stages are synchronous; scale with processes.
    task_app.run_worker(
        queues=[QUEUE],
        concurrency=1,
        update_heartbeat_interval=heartbeat,
        stalled_worker_timeout=stalled_after,
        delete_jobs="successful",
    )


@app.command()
def enqueue() -> None:
    """Queue all waiting work (due sources, stories to write ...) for the workers."""
    from newsdesk.tasks.app import create_task_app, enqueue_backlog

    settings = load_settings()
    try:
        create_task_app(settings)  # refuses anything but PostgreSQL, with a clear message
    except ValueError as error:
        raise fail(str(error)) from error
    err.print(f"{enqueue_backlog(open_store(settings))} job(s) queued")


@app.command("migrate-data")
def migrate_data(
    to: Annotated[str, typer.Option("--to", help="SQLAlchemy URL of the new, empty database.")],
) -> None:
    """Copy this installation's database into another one, verifying counts and checksums."""
    from newsdesk.store.transfer import TransferError, copy_database

    source = load_settings().resolved_database_url()
    try:
        with pipeline_progress(err) as progress:
            reports = copy_database(source, to, progress)
    except TransferError as error:
        raise fail(str(error)) from error
    for report in reports:
        mark = Text("ok") if report.verified else Text("CHECKSUM MISMATCH", style="red")
        err.print(Text(f"{report.table:>20}: {report.rows} row(s) ") + mark)
    if not all(r.verified for r in reports):
        raise fail("the copy does not match the source; do not switch to it")


@app.command("sample-wire")
def sample_wire(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the sample wire.")] = 8001,
    page_delay: Annotated[
        float, typer.Option(help="Seconds to wait before answering each article page.")
    ] = 0.0,
) -> None:
    """Serve the bundled sample sources (feeds and pages) on loopback."""
    from newsdesk.samplewire import WireServer, serve_wire

    def announce(server: WireServer) -> None:
        err.print(f"sample wire at {server.base_url}/ (all feeds: {server.opml_url})")

    serve_wire(host, port, on_ready=announce, page_delay_s=page_delay)


@app.command()
def demo(
    wire_port: Annotated[int, typer.Option(help="Port of the sample wire.")] = 8001,
    serve_site: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
) -> None:
    """Serve the sample wire, run the whole pipeline on it, and serve the site."""
    from newsdesk.samplewire import start_wire_server

    settings = load_settings()
    store = open_store(settings)
    wire = start_wire_server("127.0.0.1", wire_port)
    err.print(f"sample wire at {wire.base_url}")
    with store.session() as session:
        for url in wire.feed_urls():
            repo.add_source(session, url, allow_private=True)
    with pipeline_progress(err) as progress:
        _report(Pipeline(store, settings, progress).run())
    if serve_site:
        _serve(settings, store)
    wire.close()


def main() -> None:
    """The console script: a setting that cannot be used, a locked database or a full disk
    is an error line and a distinct exit status, not a traceback."""
    try:
        app(prog_name="newsdesk")
    except SettingsError as error:
        err.print(error_line(str(error)))
        raise SystemExit(2) from None
    except Exception as error:
        explained = fault(error)  # the database driver's errors, or OSError, in any wrapping
        if explained is None:
            raise
        err.print(error_line(explained[0]))
        raise SystemExit(explained[1]) from None


__all__ = ["STAGES", "app", "main"]
