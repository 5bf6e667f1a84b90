"""The stage commands: given a file (or '-', or a pipe) they read and print JSON Lines;
given nothing they run the stage on the database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk.cli.common import EXIT_SOURCES_FAILED, Backend, err, fail, load_settings, warn

if TYPE_CHECKING:
    from newsdesk.pipeline import StageResult
    from newsdesk.records import Article, Story
    from newsdesk.settings import Settings


def report(results: list[StageResult], shown: int = 10) -> None:
    for result in results:
        err.print(f"{result.stage:>8}: {result.items} item(s) in {result.seconds:.2f}s")
        for message in result.errors[:shown]:
            warn(message, indent=" " * 10)
        if len(result.errors) > shown:
            warn(f"and {len(result.errors) - shown} more", indent=" " * 10)


def exit_status(results: list[StageResult]) -> None:
    """Cron and service managers see a source that failed as an exit status of its own
    (what the other sources brought is stored)."""
    if any(result.failed_sources for result in results):
        raise typer.Exit(code=EXIT_SOURCES_FAILED)


def init() -> None:
    """Create or upgrade the database."""
    from newsdesk.store import migrate

    settings = load_settings()
    migrate(settings.resolved_database_url())
    err.print(f"database ready: {settings.resolved_database_url()}")


def ingest() -> None:
    """Fetch every source's new articles into the database.

    Exit status 3 when a source failed (the others' articles are stored).
    """
    exit_status(_run_stages(["ingest"]))


def extract(
    inputs: Annotated[
        list[str], typer.Argument(help="URLs, .html/.html.gz files or folders; '-' for stdin.")
    ],
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=0, help="Processes for local pages (0: one per CPU; 1: none)."
        ),
    ] = 0,
) -> None:
    """Print one Document JSON per page, in input order; a failed input prints {"id",
    "error"}."""
    import os

    from newsdesk.cli.files import print_json
    from newsdesk.cli.pages import extract_inputs
    from newsdesk.cli.progress import pipeline_progress

    workers = jobs or os.cpu_count() or 1
    failed = 0
    with pipeline_progress(err) as progress:
        for record in extract_inputs(inputs, load_settings(), progress, workers):
            failed += "error" in record
            print_json(record)
    if failed:
        raise typer.Exit(code=1)


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
    from newsdesk.cli.files import STDIN, stdin_is_piped

    if input_file is None and stdin_is_piped():
        input_file = Path(STDIN)
    if input_file is None:
        _run_stages(["cluster"])
        return
    _cluster_file(input_file, corrections=corrections, stories=stories)


def _cluster_file(input_file: Path, *, corrections: bool, stories: bool) -> None:
    from newsdesk.cli.files import print_json, read_documents
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
    from newsdesk.cli.files import STDIN, stdin_is_piped

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
    from newsdesk.cli.files import print_json, read_stories
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
    from newsdesk.cli.common import load_judge
    from newsdesk.cli.files import print_json, read_json_lines
    from newsdesk.verify.jsonl import CheckInputError, check_record

    llm_judge = load_judge(judge)
    max_bytes = load_settings().fetch_max_bytes
    for number, record in read_json_lines(input_file, max_bytes):
        try:
            print_json(check_record(record, llm_judge))
        except CheckInputError as error:
            raise fail(f"{input_file}:{number}: {error}") from error


def publish() -> None:
    """Publish every written, verified article version."""
    _run_stages(["publish"])


def _run_stages(stages: list[str], settings: Settings | None = None) -> list[StageResult]:
    from newsdesk.cli.common import open_store
    from newsdesk.cli.progress import pipeline_progress
    from newsdesk.pipeline import Pipeline

    settings = settings or load_settings()
    store = open_store(settings)
    with pipeline_progress(err) as progress:
        pipeline = Pipeline(store, settings, progress)
        results: list[StageResult] = [getattr(pipeline, stage)() for stage in stages]
    report(results)
    return results
