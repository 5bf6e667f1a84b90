"""Documents from local files: WARC archives, folders of pages, JSON Lines of Documents.

Each input yields Documents and, for what could not be read, ImportFailure lines that
name the file (and line or URL) and why; one bad page never stops an import.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from newsdesk.extract import ExtractionError, decode_html, extract_document
from newsdesk.ingest.warc import WarcError, WarcSkip, is_warc, read_warc
from newsdesk.pagekind import not_news_reason
from newsdesk.records import Document

PAGE_SUFFIXES = (".html.gz", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


@dataclass(frozen=True)
class ImportFailure:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def iter_import(path: Path, max_bytes: int) -> Iterator[Document | ImportFailure]:
    """Everything one input path holds, as Documents or failures."""
    name = path.name.lower()
    if path.is_dir():
        yield from read_folder(path)
    elif is_warc(path):
        yield from read_archive(path, max_bytes)
    elif name.endswith(JSONL_SUFFIXES):
        yield from read_json_lines(path)
    elif name.endswith(PAGE_SUFFIXES):
        yield read_page_file(path)
    elif not path.exists():
        yield ImportFailure(str(path), "no such file or folder")
    else:
        expected = "a WARC archive, JSON Lines (.jsonl), an .html/.html.gz page or a folder"
        yield ImportFailure(str(path), f"not {expected}")


def read_folder(folder: Path) -> Iterator[Document | ImportFailure]:
    pages = sorted(p for p in folder.iterdir() if p.name.lower().endswith(PAGE_SUFFIXES))
    for page in pages:
        yield read_page_file(page)


def read_page_file(path: Path) -> Document | ImportFailure:
    try:
        data = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            data = gzip.decompress(data)
        return extract_document(decode_html(data))
    except OSError as error:
        return ImportFailure(str(path), f"cannot read it ({error.strerror or error})")
    except (ValueError, EOFError) as error:  # ExtractionError, a broken gzip stream
        return ImportFailure(str(path), str(error))


def read_archive(path: Path, max_bytes: int) -> Iterator[Document | ImportFailure]:
    try:
        for item in read_warc(path, max_bytes):
            if isinstance(item, WarcSkip):
                yield ImportFailure(str(path), item.reason)
                continue
            try:
                yield extract_document(decode_html(item.body, item.charset), url=item.url)
            except ExtractionError as error:
                yield ImportFailure(str(path), str(error))
    except WarcError as error:
        yield ImportFailure(str(path), str(error))


def read_json_lines(path: Path) -> Iterator[Document | ImportFailure]:
    try:
        with open_text(path) as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield read_document_line(line, f"{path}:{number}")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        yield ImportFailure(str(path), f"cannot read it ({error})")


def open_text(path: Path) -> IO[str]:
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


def read_document_line(line: str, where: str) -> Document | ImportFailure:
    try:
        document = Document.model_validate(json.loads(line))
        if document.not_news is None:
            document.not_news = not_news_reason(document)
        return document
    except json.JSONDecodeError as error:
        return ImportFailure(where, f"not JSON ({error.msg})")
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "record"
        return ImportFailure(where, f"not a Document: {field}: {problem['msg']}")
