"""Command line: one command per stage, plus run, serve and demo.

Stage commands work two ways: given a file they read and write JSON Lines (composable
like Unix filters); given nothing they work on the database named by the settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk.cli_common import (
    EXIT_SOURCES_FAILED,
    Backend,
    err,
    error_line,
    fail,
    load_settings,
    warn,
)
from newsdesk.cli_eval import eval_app
from newsdesk.cli_site import apikeys_app, mail_app, users_app
from newsdesk.cli_sources import import_command, sources_app

# The heavy parts (the pipeline, models, the database) are imported by the commands that
# use them, so that `newsdesk --help` and a quick `extract` start in a fraction of a second.
if TYPE_CHECKING:
    from newsdesk.pipeline import StageResult
    from newsdesk.records import Article, Story
    from newsdesk.settings import Settings
    from newsdesk.store import Store

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


def _report(results: list[StageResult], shown: int = 10) -> None:
    for result in results:
        err.print(f"{result.stage:>8}: {result.items} item(s) in {result.seconds:.2f}s")
        for message in result.errors[:shown]:
            warn(message, indent=" " * 10)
        if len(result.errors) > shown:
            warn(f"and {len(result.errors) - shown} more", indent=" " * 10)


def _exit_status(results: list[StageResult]) -> None:
    """Cron and service managers see a source that failed as an exit status of its own
    (what the other sources brought is stored)."""
    if any(result.failed_sources for result in results):
        raise typer.Exit(code=EXIT_SOURCES_FAILED)


@app.command()
def init() -> None:
    """Create or upgrade the database."""
    from newsdesk.store import migrate

    settings = load_settings()
    migrate(settings.resolved_database_url())
    err.print(f"database ready: {settings.resolved_database_url()}")


@app.command()
def ingest() -> None:
    """Fetch every source's new articles into the database.

    Exit status 3 when a source failed (the others' articles are stored).
    """
    _exit_status(_run_stages(["ingest"]))


@app.command()
def extract(
    inputs: Annotated[
        list[str], typer.Argument(help="URLs, .html/.html.gz files or folders; '-' for stdin.")
    ],
) -> None:
    """Print one Document JSON per page; a failed input prints {"id", "error"}."""
    from newsdesk.cli_files import print_json
    from newsdesk.cli_progress import pipeline_progress
    from newsdesk.extract_inputs import extract_inputs

    failed = 0
    with pipeline_progress(err) as progress:
        for record in extract_inputs(inputs, load_settings(), progress):
            failed += "error" in record
            print_json(record)
    if failed:
        raise typer.Exit(code=1)


@app.command()
def cluster(
    input_file: Annotated[
        Path | None,
        typer.Argument(help="Documents as JSON Lines ('-' or a pipe: stdin; none: the database)."),
    ] = None,
    corrections: Annotated[
        bool, typer.Option(help="Run the merge/split pass after the stream.")
    ] = True,
    stories: Annotated[
        bool, typer.Option("--stories", help="Print one Story (id, documents) per story.")
    ] = False,
) -> None:
    """Group documents into stories (file mode prints one Assignment per line).

    The file is read in order as a stream; the printed stories are the final ones, after
    the merge/split pass (``--no-corrections``: the streaming decisions alone).
    ``--stories`` prints what ``newsdesk write -`` reads.
    """
    from newsdesk.cli_files import STDIN, stdin_is_piped

    if input_file is None and stdin_is_piped():
        input_file = Path(STDIN)
    if input_file is None:
        _run_stages(["cluster"])
        return
    _cluster_file(input_file, corrections=corrections, stories=stories)


def _cluster_file(input_file: Path, *, corrections: bool, stories: bool) -> None:
    from newsdesk.cli_files import print_json, read_documents
    from newsdesk.cluster import cluster_documents
    from newsdesk.pipeline import cluster_config
    from newsdesk.records import Story

    settings = load_settings()
    documents = read_documents(input_file, settings.fetch_max_bytes)
    if len({doc.id for doc in documents}) != len(documents):
        raise fail(f"{input_file}: document ids are not unique")
    config = cluster_config(settings)
    assignments = cluster_documents(documents, config=config, corrections=corrections)
    if not stories:
        for assignment in assignments:
            print_json(assignment.to_json())
        return
    members: dict[str, list[int]] = {}
    for index, assignment in enumerate(assignments):
        members.setdefault(assignment.story, []).append(index)
    for story_id, indices in members.items():  # in order of each story's first document
        print_json(Story(id=story_id, documents=[documents[i] for i in indices]).to_json())


@app.command()
def write(
    story_file: Annotated[
        Path | None,
        typer.Argument(help="A Story as JSON, or Stories as JSON Lines ('-' or a pipe: stdin)."),
    ] = None,
    backend: Annotated[
        Backend | None, typer.Option(help="The writer (default: NEWSDESK_WRITER).")
    ] = None,
) -> None:
    """Write articles (file mode prints the Article JSON of each Story, one a line)."""
    from newsdesk.cli_files import STDIN, stdin_is_piped

    settings = load_settings()
    if backend is not None:
        settings = settings.model_copy(update={"writer": backend.value})
    if story_file is None and stdin_is_piped():
        story_file = Path(STDIN)
    if story_file is None:
        _run_stages(["write"], settings)
        return
    _write_file(story_file, settings)


def _write_file(story_file: Path, settings: Settings) -> None:
    from newsdesk.cli_files import print_json, read_stories
    from newsdesk.write import WriterUnavailableError

    for story in read_stories(story_file, settings.fetch_max_bytes):
        try:
            article = _write_and_verify(story, settings)
        except WriterUnavailableError as error:
            raise fail(f"the {settings.writer} writer is unavailable, try later: {error}") from None
        except ValueError as error:
            raise fail(str(error)) from None
        print_json(article.to_json())


def _write_and_verify(story: Story, settings: Settings) -> Article:
    """Write and run the gate the pipeline runs: the same article it would publish."""
    from newsdesk.verify import is_publishable, verify_article
    from newsdesk.verify.judge import make_judge
    from newsdesk.write import write_article

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
    from newsdesk.cli_common import load_judge
    from newsdesk.cli_files import print_json, read_json_lines
    from newsdesk.verify.jsonl import CheckInputError, check_record

    llm_judge = load_judge(judge)
    max_bytes = load_settings().fetch_max_bytes
    for number, record in read_json_lines(input_file, max_bytes):
        try:
            print_json(check_record(record, llm_judge))
        except CheckInputError as error:
            raise fail(f"{input_file}:{number}: {error}") from error


@app.command()
def publish() -> None:
    """Publish every written, verified article version."""
    _run_stages(["publish"])


def _run_stages(stages: list[str], settings: Settings | None = None) -> list[StageResult]:
    from newsdesk.cli_common import open_store
    from newsdesk.cli_progress import pipeline_progress
    from newsdesk.pipeline import Pipeline

    settings = settings or load_settings()
    store = open_store(settings)
    with pipeline_progress(err) as progress:
        pipeline = Pipeline(store, settings, progress)
        results: list[StageResult] = [getattr(pipeline, stage)() for stage in stages]
    _report(results)
    return results


@app.command()
def run(
    once: Annotated[bool, typer.Option(help="Run the pipeline once and exit.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls.")] = 900.0,
) -> None:
    """Poll the sources, run every stage, and serve the site.

    With --once, exit status 3 when a source failed (the rest was done).
    """
    import threading

    from newsdesk.cli_common import open_store
    from newsdesk.cli_progress import pipeline_progress
    from newsdesk.pipeline import Pipeline
    from newsdesk.store.lock import PipelineBusyError

    settings = load_settings()
    store = open_store(settings)
    try:
        with pipeline_progress(err) as progress:
            results = Pipeline(store, settings, progress).run()
    except PipelineBusyError as error:
        raise fail(str(error)) from None
    _report(results)
    if once:
        _exit_status(results)
        return
    thread = threading.Thread(target=_poll_forever, args=(store, settings, interval), daemon=True)
    thread.start()
    _serve(settings, store)


def _poll_forever(store: Store, settings: Settings, interval: float) -> None:
    import time

    from newsdesk.pipeline import Pipeline
    from newsdesk.store.lock import PipelineBusyError

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
    from newsdesk.cli_common import open_store

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
    from newsdesk.cli_common import open_store
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
    from newsdesk.cli_common import open_store
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
    from rich.text import Text

    from newsdesk.cli_progress import pipeline_progress
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
    from newsdesk.cli_common import open_store
    from newsdesk.cli_progress import pipeline_progress
    from newsdesk.pipeline import Pipeline
    from newsdesk.samplewire import start_wire_server
    from newsdesk.store import repo

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
    except Exception as error:
        from newsdesk.cli_common import fault
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
