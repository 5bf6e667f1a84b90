"""Inputs of `newsdesk extract`: local pages (plain or gzipped), folders of them, and URLs.

Local files are read within the fetcher's byte cap (NEWSDESK_FETCH_MAX_BYTES, inflated
size for ``.gz``), and binary data is refused as a page without an article.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio

from newsdesk.extract import decode_html, extract_document
from newsdesk.ingest import Fetcher, FetchError, FetchResult
from newsdesk.ingest.localfiles import read_capped, refuse_binary
from newsdesk.settings import Settings

PAGE_SUFFIXES = (".html.gz", ".html", ".htm")


def extract_inputs(inputs: list[str], settings: Settings) -> Iterator[dict[str, Any]]:
    """Yield a Document (as JSON) or ``{"id", "error"}`` for every page named by ``inputs``."""
    for item in inputs:
        if item.startswith(("http://", "https://")):
            yield _extract_url(item, settings)
            continue
        path = Path(item)
        if path.is_dir():
            pages = sorted(p for p in path.iterdir() if p.name.endswith(PAGE_SUFFIXES))
            for page in pages:
                yield _extract_file(page, settings.fetch_max_bytes)
        else:
            yield _extract_file(path, settings.fetch_max_bytes)


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
