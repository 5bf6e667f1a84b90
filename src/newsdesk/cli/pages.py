"""Inputs of `newsdesk extract`: local pages (plain or gzipped), folders of them, URLs, and
one page on standard input ('-').

Local files are read within the fetcher's byte cap (NEWSDESK_FETCH_MAX_BYTES, inflated
size for ``.gz``), and binary data is refused as a page without an article.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio

from newsdesk.extract import decode_html, extract_document
from newsdesk.ingest import Fetcher, FetchError, FetchResult
from newsdesk.ingest.localfiles import read_capped, refuse_binary
from newsdesk.settings import Settings

PAGE_SUFFIXES = (".html.gz", ".html", ".htm")


STDIN = "-"
STDIN_ID = "stdin"


def extract_inputs(
    inputs: list[str],
    settings: Settings,
    progress: Callable[[str, int, int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield a Document (as JSON) or ``{"id", "error"}`` for every page named by ``inputs``,
    telling ``progress`` ("extract", done, total) as it goes."""
    pages = list(_pages(inputs))
    for done, page in enumerate(pages):
        if progress is not None:
            progress("extract", done, len(pages))
        if page == STDIN:
            yield _extract_stdin(settings.fetch_max_bytes)
        elif isinstance(page, str):
            yield _extract_url(page, settings)
        else:
            yield _extract_file(page, settings.fetch_max_bytes)
    if progress is not None:
        progress("extract", len(pages), len(pages))


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
