"""`newsdesk sources ...` and `newsdesk import`: the sources to poll, and local archives.

``sources add`` looks at each URL before registering it: a feed is added as a feed, a
sitemap as a sitemap, a site's page by the feed it announces (autodiscovery), and an
article page without one as a single page. A URL that cannot be reached now is added as
a feed, with a warning; its health then shows in ``sources list``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import anyio
import typer

from newsdesk.cli_common import err, error_line, fail, open_store, warn
from newsdesk.ingest.discover import discover_feeds
from newsdesk.ingest.feeds import FeedError, looks_like_html, parse_feed
from newsdesk.ingest.fetch import Fetcher, FetchError
from newsdesk.ingest.health import describe_health
from newsdesk.ingest.imports import ImportFailure, iter_import
from newsdesk.ingest.localfiles import LocalInputError, read_capped
from newsdesk.ingest.opml import OPMLError, Subscription, parse_opml, render_opml
from newsdesk.ingest.sitemaps import looks_like_sitemap
from newsdesk.pipeline import Pipeline, StageResult
from newsdesk.records import Document
from newsdesk.settings import Settings, load_settings
from newsdesk.store import repo
from newsdesk.store.models import utcnow

sources_app = typer.Typer(help="Manage the sources newsdesk polls.", no_args_is_help=True)
KINDS = ("auto", "feed", "sitemap", "page")


@dataclass(frozen=True)
class Probe:
    url: str
    kind: str
    title: str | None = None
    note: str | None = None


@sources_app.command("add")
def sources_add(
    urls: list[str],
    allow_private: Annotated[
        bool, typer.Option(help="Allow this source to be on a private or loopback address.")
    ] = False,
    kind: Annotated[
        str, typer.Option(help="auto (look first), feed, sitemap or page (one article).")
    ] = "auto",
) -> None:
    """Add sources: feeds, sitemaps, sites (their announced feed) or single article URLs."""
    if kind not in KINDS:
        raise fail(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise fail(f"{url!r} is not an http(s) URL")
    settings = load_settings()
    if allow_private:
        settings = settings.model_copy(update={"allow_private_networks": True})
    probes = [Probe(url, kind) for url in urls]
    if kind == "auto":
        probes = anyio.run(probe_all, urls, settings)
    store = open_store(settings)
    with store.session() as session:
        for probe in probes:
            repo.add_source(
                session, probe.url, title=probe.title, allow_private=allow_private, kind=probe.kind
            )
            err.print(f"{probe.url}: {probe.kind}" + (f" ({probe.note})" if probe.note else ""))
    err.print(f"{len(probes)} source(s) registered")


async def probe_all(urls: list[str], settings: Settings) -> list[Probe]:
    async with Fetcher(settings) as fetcher:
        return [await probe(url, fetcher) for url in urls]


async def probe(url: str, fetcher: Fetcher) -> Probe:
    """What the URL serves, and so how it is polled."""
    try:
        fetched = await fetcher.fetch(url)
    except FetchError as error:
        return Probe(url, "feed", note=f"not checked now: {error.reason}; added as a feed")
    if looks_like_sitemap(fetched.body):
        return Probe(url, "sitemap")
    if looks_like_html(fetched.body):
        feeds = discover_feeds(fetched.body, fetched.url)
        if not feeds:
            return Probe(url, "page", note="an HTML page announcing no feed: read once")
        others = f"; it also announces {', '.join(feeds[1:4])}" if len(feeds) > 1 else ""
        return Probe(feeds[0], "feed", note=f"announced by {url}{others}")
    try:
        feed = parse_feed(fetched.body, fetched.url, fetched.content_type)
    except FeedError as error:
        return Probe(url, "feed", note=f"warning: {error}")
    return Probe(url, "feed", title=feed.title)


@sources_app.command("list")
def sources_list() -> None:
    """Show each source and its health: last fetch and success, items, error, next poll."""
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
    """Add every feed of an OPML file (a path, or an http(s) URL fetched safely)."""
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
            repo.add_source(session, item.url, title=item.title, allow_private=allow_private)
    err.print(f"{len(subscriptions)} feed(s) in {opml_file}: {added} new")


def read_opml(where: str, settings: Settings) -> bytes:
    if not where.startswith(("http://", "https://")):
        return read_capped(Path(where), settings.fetch_max_bytes)

    async def fetch() -> bytes:
        async with Fetcher(settings) as fetcher:
            return (await fetcher.fetch(where)).body

    return anyio.run(fetch)


@sources_app.command("export")
def sources_export() -> None:
    """Print the feeds as an OPML file."""
    store = open_store(load_settings())
    with store.session() as session:
        feeds = [
            Subscription(url=row.url, title=row.title)
            for row in repo.list_sources(session)
            if row.kind == "feed"
        ]
    sys.stdout.write(render_opml(feeds))


@sources_app.command("pause")
def sources_pause(urls: list[str]) -> None:
    """Stop polling sources until they are resumed."""
    change_pause(urls, paused=True)


@sources_app.command("resume")
def sources_resume(urls: list[str]) -> None:
    """Poll paused or backing-off sources again from the next run."""
    change_pause(urls, paused=False)


def change_pause(urls: list[str], *, paused: bool) -> None:
    store = open_store(load_settings())
    with store.session() as session:
        unknown = [url for url in urls if not repo.set_source_paused(session, url, paused)]
    if unknown:
        raise fail(f"no such source: {', '.join(unknown)}")


@sources_app.command("remove")
def sources_remove(urls: list[str]) -> None:
    """Forget sources (their documents stay)."""
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
