"""Inputs of `newsdesk extract`: local pages (plain or gzipped), folders of them, URLs, and
one page on standard input ('-').

Local files are read within the fetcher's byte cap (NEWSDESK_FETCH_MAX_BYTES, inflated
size for ``.gz``), and binary data is refused as a page without an article. Local pages
are extracted by ``jobs`` processes (a folder of thousands is CPU-bound work); the output
keeps the input order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk.extract import decode_html, extract_document
from newsdesk.ingest.localfiles import read_capped, refuse_binary
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from newsdesk.ingest.fetch import FetchResult

PAGE_SUFFIXES = (".html.gz", ".html", ".htm")


STDIN = "-"
STDIN_ID = "stdin"


def extract_inputs(
    inputs: list[str],
    settings: Settings,
    progress: Callable[[str, int, int], None] | None = None,
    jobs: int = 1,
) -> Iterator[dict[str, Any]]:
    """Yield a Document (as JSON) or ``{"id", "error"}`` for every page named by ``inputs``,
    in order, telling ``progress`` ("extract", done, total) as it goes."""
    pages = list(_pages(inputs))
    if progress is not None:
        progress("extract", 0, len(pages))
    for done, record in enumerate(_extracted(pages, settings, jobs), 1):
        if progress is not None:
            progress("extract", done, len(pages))
        yield record


def _extracted(pages: list[str | Path], settings: Settings, jobs: int) -> Iterable[dict[str, Any]]:
    files = [page for page in pages if isinstance(page, Path)]
    if jobs < 2 or len(files) < 2 or len(files) < len(pages):
        return (_extract_one(page, settings) for page in pages)
    return _in_processes(files, settings.fetch_max_bytes, jobs)


def _in_processes(files: list[Path], max_bytes: int, jobs: int) -> Iterator[dict[str, Any]]:
    import multiprocessing

    # A fork server that has imported this module once hands each worker a ready copy;
    # plain fork could copy a lock held by the progress bar's thread.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    workers = min(jobs, len(files))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        chunk = max(1, min(16, len(files) // (workers * 4)))
        yield from pool.map(partial(_extract_file, max_bytes=max_bytes), files, chunksize=chunk)


def _extract_one(page: str | Path, settings: Settings) -> dict[str, Any]:
    if page == STDIN:
        return _extract_stdin(settings.fetch_max_bytes)
    if isinstance(page, str):
        return _extract_url(page, settings)
    return _extract_file(page, settings.fetch_max_bytes)


def _pages(inputs: list[str]) -> Iterator[str | Path]:
    """Each input as a URL, '-', or the path of one page (a folder gives its pages)."""
    for item in inputs:
        if item == STDIN or item.startswith(("http://", "https://")):
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.name.endswith(PAGE_SUFFIXES))
        else:
            yield path


def page_id(path: Path) -> str:
    name = path.name
    for suffix in PAGE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _extract_file(path: Path, max_bytes: int) -> dict[str, Any]:
    doc_id = page_id(path)
    try:
        data = read_capped(path, max_bytes)
        refuse_binary(data, str(path))
        return extract_document(data, doc_id=doc_id).to_json()
    except OSError as error:
        return {"id": doc_id, "error": f"cannot read {path}: {error.strerror or error}"}
    except ValueError as error:  # LocalInputError, ExtractionError
        return {"id": doc_id, "error": str(error)}


def _extract_stdin(max_bytes: int) -> dict[str, Any]:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        return {"id": STDIN_ID, "error": f"stdin: larger than {max_bytes} bytes; not read"}
    try:
        refuse_binary(data, "stdin")
        return extract_document(data, doc_id=STDIN_ID).to_json()
    except ValueError as error:
        return {"id": STDIN_ID, "error": str(error)}


def _extract_url(url: str, settings: Settings) -> dict[str, Any]:
    import anyio  # a URL needs the fetcher; local pages do not load it

    from newsdesk.ingest.fetch import Fetcher, FetchError

    async def fetch() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url)

    try:
        fetched = anyio.run(fetch)
        refuse_binary(fetched.body, fetched.url)
        page = decode_html(fetched.body, fetched.charset)
        return extract_document(page, url=fetched.url).to_json()
    except (FetchError, ValueError) as error:
        return {"id": url, "error": str(error)}
