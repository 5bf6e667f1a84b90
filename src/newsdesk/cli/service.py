"""Running and serving: the pipeline on a timer, the site, the workers, the demo."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk.cli.common import err, fail, load_settings, warn
from newsdesk.cli.stages import exit_status, report

if TYPE_CHECKING:
    from newsdesk.settings import Settings
    from newsdesk.store import Store


def run(
    once: Annotated[bool, typer.Option(help="Run the pipeline once and exit.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls.")] = 900.0,
) -> None:
    """Poll the sources, run every stage, and serve the site.

    With --once, exit status 3 when a source failed (the rest was done).
    """
    import threading

    from newsdesk.cli.common import open_store
    from newsdesk.cli.progress import pipeline_progress
    from newsdesk.pipeline import Pipeline
    from newsdesk.store.lock import PipelineBusyError

    settings = load_settings()
    store = open_store(settings)
    try:
        with pipeline_progress(err) as progress:
            results = Pipeline(store, settings, progress).run()
    except PipelineBusyError as error:
        raise fail(str(error)) from None
    report(results)
    if once:
        exit_status(results)
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
            report(pipeline.run())
        except PipelineBusyError as error:
            warn(f"poll skipped: {error}")


def serve() -> None:
    """Serve the site and API."""
    from newsdesk.cli.common import open_store

    settings = load_settings()
    _serve(settings, open_store(settings))


def _serve(settings: Settings, store: Store) -> None:
    import uvicorn

    from newsdesk.web import create_app

    err.print(f"site at http://{settings.host}:{settings.port}")
    uvicorn.run(create_app(settings, store), host=settings.host, port=settings.port)


def worker(
    heartbeat: Annotated[float, typer.Option(help="Seconds between heartbeats.")] = 10.0,
    stalled_after: Annotated[
        float, typer.Option(help="Seconds without heartbeat before a worker's job is retried.")
    ] = 30.0,
) -> None:
    """Run pipeline jobs from the PostgreSQL queue; start any number, on any machine."""
    from newsdesk.cli.common import open_store
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


def enqueue() -> None:
    """Queue all waiting work (due sources, stories to write ...) for the workers."""
    from newsdesk.cli.common import open_store
    from newsdesk.tasks.app import create_task_app, enqueue_backlog

    settings = load_settings()
    try:
        create_task_app(settings)  # refuses anything but PostgreSQL, with a clear message
    except ValueError as error:
        raise fail(str(error)) from error
    err.print(f"{enqueue_backlog(open_store(settings))} job(s) queued")


def migrate_data(
    to: Annotated[str, typer.Option("--to", help="SQLAlchemy URL of the new, empty database.")],
) -> None:
    """Copy this installation's database into another one, verifying counts and checksums."""
    from rich.text import Text

    from newsdesk.cli.progress import pipeline_progress
    from newsdesk.store.transfer import TransferError, copy_database

    source = load_settings().resolved_database_url()
    try:
        with pipeline_progress(err) as progress:
            reports = copy_database(source, to, progress)
    except TransferError as error:
        raise fail(str(error)) from error
    for table in reports:
        mark = Text("ok") if table.verified else Text("CHECKSUM MISMATCH", style="red")
        err.print(Text(f"{table.table:>20}: {table.rows} row(s) ") + mark)
    if not all(r.verified for r in reports):
        raise fail("the copy does not match the source; do not switch to it")


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


def demo(
    wire_port: Annotated[int, typer.Option(help="Port of the sample wire.")] = 8001,
    serve_site: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
) -> None:
    """Serve the sample wire, run the whole pipeline on it, and serve the site."""
    from newsdesk.cli.common import open_store
    from newsdesk.cli.progress import pipeline_progress
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
        report(Pipeline(store, settings, progress).run())
    if serve_site:
        _serve(settings, store)
    wire.close()
