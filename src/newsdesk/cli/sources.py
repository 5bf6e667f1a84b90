"""`newsdesk sources ...` and `newsdesk import`: the sources to poll, and local archives.

``sources add`` looks at each URL before registering it: a feed is added as a feed, a
sitemap as a sitemap, a site's page by the feed it announces (autodiscovery), and an
article page without one as a single page (see :mod:`newsdesk.ingest.probe`: the URLs
are looked at concurrently, politely, with a progress bar). A URL that cannot be reached
now is added as a feed, with a warning; its health then shows in ``sources list``.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from newsdesk.cli.common import err, error_line, fail, load_settings, open_store, warn

# The ingest stage, the pipeline and the store are imported by the commands that use
# them: `newsdesk --help` must not pay for them.
if TYPE_CHECKING:
    from newsdesk.ingest.imports import ImportFailure
    from newsdesk.ingest.opml import Subscription
    from newsdesk.pipeline import StageResult
    from newsdesk.records import Document
    from newsdesk.settings import Settings

sources_app = typer.Typer(help="Manage the sources newsdesk polls.", no_args_is_help=True)


class Kind(StrEnum):
    """What a source is; ``auto`` looks first."""

    auto = "auto"
    feed = "feed"
    sitemap = "sitemap"
    page = "page"


@sources_app.command("add")
def sources_add(
    urls: list[str],
    allow_private: Annotated[
        bool, typer.Option(help="Allow this source to be on a private or loopback address.")
    ] = False,
    kind: Annotated[Kind, typer.Option(help="auto looks first; page is one article.")] = Kind.auto,
) -> None:
    """Add sources: feeds, sitemaps, sites (their announced feed) or single article URLs."""
    import anyio

    from newsdesk.cli.progress import pipeline_progress
    from newsdesk.ingest.probe import ProbedSource, probe_all
    from newsdesk.store import repo

    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise fail(f"{url!r} is not an http(s) URL")
    settings = load_settings()
    if allow_private:
        settings = settings.model_copy(update={"allow_private_networks": True})
    probes = [ProbedSource(url, kind.value) for url in urls]
    if kind is Kind.auto:
        with pipeline_progress(err) as update:
            checked = partial(update, "check")
            look = partial(probe_all, urls, settings, allow_private=allow_private, progress=checked)
            probes = anyio.run(look)
    store = open_store(settings)
    with store.session() as session:
        for probe in probes:
            repo.add_source(
                session, probe.url, title=probe.title, allow_private=allow_private, kind=probe.kind
            )
            err.print(f"{probe.url}: {probe.kind}" + (f" ({probe.note})" if probe.note else ""))
    err.print(f"{len(probes)} source(s) registered")


@sources_app.command("list")
def sources_list() -> None:
    """Show each source and its health: last fetch and success, items, error, next poll."""
    from newsdesk.ingest.health import describe_health
    from newsdesk.store import repo
    from newsdesk.store.base import utcnow

    store = open_store(load_settings())
    now = utcnow()
    with store.session() as session:
        for source in repo.list_sources(session):
            line = describe_health(source, now)
            typer.echo(
                f"{line.url}\t{line.kind}\t{line.status}\titems={line.items}"
                f"\tlast fetch={line.last_fetch}\tlast ok={line.last_success}"
                f"\tnext poll={line.next_poll}" + (f"\terror: {line.error}" if line.error else "")
            )


@sources_app.command("import")
def sources_import(
    opml_file: Annotated[str, typer.Argument(help="An OPML subscription list: file or URL.")],
    allow_private: Annotated[
        bool, typer.Option(help="Allow these sources to be on private or loopback addresses.")
    ] = False,
) -> None:
    """Add every feed, sitemap and page of an OPML file (a path, or an http(s) URL fetched
    safely)."""
    from newsdesk.ingest.fetch import FetchError
    from newsdesk.ingest.localfiles import LocalInputError
    from newsdesk.ingest.opml import OPMLError, parse_opml
    from newsdesk.store import repo

    settings = load_settings()
    if allow_private:
        settings = settings.model_copy(update={"allow_private_networks": True})
    try:
        subscriptions = parse_opml(read_opml(opml_file, settings), opml_file)
    except OSError as error:
        raise fail(f"cannot read {opml_file}: {error.strerror or error}") from error
    except (OPMLError, FetchError, LocalInputError) as error:
        raise fail(str(error)) from error
    store = open_store(settings)
    added = 0
    with store.session() as session:
        for item in subscriptions:
            added += repo.find_source(session, item.url) is None
            repo.add_source(
                session, item.url, title=item.title, allow_private=allow_private, kind=item.kind
            )
    err.print(f"{count_kinds(subscriptions)} in {opml_file}: {added} new")


def count_kinds(subscriptions: list[Subscription]) -> str:
    """How many of each kind: "3 feed(s)", and "1 sitemap(s), 2 page(s)" where there are."""
    counts = Counter(item.kind for item in subscriptions)
    kinds = ["feed", *(kind for kind in ("sitemap", "page") if counts[kind])]
    return ", ".join(f"{counts[kind]} {kind}(s)" for kind in kinds)


def read_opml(where: str, settings: Settings) -> bytes:
    import anyio

    from newsdesk.ingest.fetch import Fetcher
    from newsdesk.ingest.localfiles import read_capped

    if not where.startswith(("http://", "https://")):
        return read_capped(Path(where), settings.fetch_max_bytes)

    async def fetch() -> bytes:
        async with Fetcher(settings) as fetcher:
            return (await fetcher.fetch(where)).body

    return anyio.run(fetch)


@sources_app.command("export")
def sources_export() -> None:
    """Print the sources as an OPML file: feeds, sitemaps (type="sitemap") and single pages
    (type="link"); ``sources import`` reads each back as what it was."""
    from newsdesk.ingest.opml import Subscription, render_opml
    from newsdesk.store import repo

    store = open_store(load_settings())
    with store.session() as session:
        sources = [
            Subscription(
                url=row.url, title=row.title, kind=row.kind, site=known_site(row.kind, row.url)
            )
            for row in repo.list_sources(session)
        ]
    sys.stdout.write(render_opml(sources))


def known_site(kind: str, url: str) -> str | None:
    """The site a source belongs to, where that is known without asking: a sitemap lists
    pages of its own host only. A feed's site is not stored (its link may be elsewhere)."""
    if kind != "sitemap":
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


@sources_app.command("pause")
def sources_pause(urls: list[str]) -> None:
    """Stop polling sources until they are resumed."""
    change_pause(urls, paused=True)


@sources_app.command("resume")
def sources_resume(urls: list[str]) -> None:
    """Poll paused or backing-off sources again from the next run."""
    change_pause(urls, paused=False)


def change_pause(urls: list[str], *, paused: bool) -> None:
    from newsdesk.store import repo

    store = open_store(load_settings())
    with store.session() as session:
        unknown = [url for url in urls if not repo.set_source_paused(session, url, paused)]
    if unknown:
        raise fail(f"no such source: {', '.join(unknown)}")


@sources_app.command("remove")
def sources_remove(urls: list[str]) -> None:
    """Forget sources (their documents stay)."""
    from newsdesk.store import repo

    store = open_store(load_settings())
    with store.session() as session:
        unknown = [url for url in urls if not repo.remove_source(session, url)]
    if unknown:
        raise fail(f"no such source: {', '.join(unknown)}")


def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="WARC files (.warc, .warc.gz), folders of .html/.html.gz, .jsonl."),
    ],
) -> None:
    """Import documents from WARC archives, folders of pages, or JSON Lines of Documents.

    Pages without an article are warnings; a damaged input (cut short, not UTF-8, a bad
    line) is an error and the exit status is 1, after everything readable was stored.
    """
    from newsdesk.pipeline import Pipeline

    settings = load_settings()
    store = open_store(settings)
    tally = ImportTally()
    result = Pipeline(store, settings).import_documents(tally.count(paths, settings))
    report_import(result, tally)
    if tally.broken or (result.errors and tally.documents == 0):
        raise typer.Exit(code=1)


@dataclass
class ImportTally:
    """What an import read: documents, and the failures that mean a damaged input."""

    documents: int = 0
    broken: list[str] = field(default_factory=list)

    def count(self, paths: list[Path], settings: Settings) -> Iterator[Document | ImportFailure]:
        from newsdesk.ingest.imports import iter_import
        from newsdesk.records import Document

        for path in paths:
            for item in iter_import(path, settings.fetch_max_bytes):
                if isinstance(item, Document):
                    self.documents += 1
                elif item.broken:
                    self.broken.append(str(item))
                yield item


def report_import(result: StageResult, tally: ImportTally) -> None:
    damaged = set(tally.broken)
    warnings = [message for message in result.errors if message not in damaged]
    for message in warnings[:10]:
        warn(message)
    for message in tally.broken[:10]:
        err.print(error_line(message))
    hidden = max(len(warnings) - 10, 0) + max(len(tally.broken) - 10, 0)
    if hidden:
        err.print(f"... and {hidden} more failures")
    err.print(
        f"read {tally.documents} document(s), {result.items} new, "
        f"{len(result.errors)} failure(s) in {result.seconds:.1f}s"
    )
