"""Documents from local files: WARC archives, folders of pages, JSON Lines of Documents.

Each input yields Documents and, for what could not be read, ImportFailure lines that
name the file (and line or URL) and why; one bad page never stops an import. Every file
is read within the fetcher's byte cap (:mod:`newsdesk.ingest.localfiles`), and a
Document's text within extraction's limit (MAX_CHARS): a larger one is a failure, never
cut short in silence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from newsdesk.extract import MAX_CHARS, ExtractionError, decode_html, extract_document
from newsdesk.extract.pagekind import not_news_reason
from newsdesk.ingest.localfiles import (
    LocalInputError,
    open_input,
    parse_json_line,
    read_capped,
    read_lines,
    refuse_binary,
)
from newsdesk.ingest.warc import WarcError, WarcSkip, is_warc, read_warc
from newsdesk.records import Document

PAGE_SUFFIXES = (".html.gz", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


@dataclass(frozen=True)
class ImportFailure:
    where: str
    reason: str
    broken: bool = False
    """The input itself is damaged (cut short, not text, a bad line of JSON Lines) rather
    than one page without an article: the import then ends with exit status 1."""

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"

    @classmethod
    def of(cls, error: LocalInputError, *, broken: bool = True) -> ImportFailure:
        return cls(error.where, error.reason, broken)


def iter_import(path: Path, max_bytes: int) -> Iterator[Document | ImportFailure]:
    """Everything one input path holds, as Documents or failures."""
    name = path.name.lower()
    if path.is_dir():
        yield from read_folder(path, max_bytes)
    elif is_warc(path):
        yield from read_archive(path, max_bytes)
    elif name.endswith(JSONL_SUFFIXES):
        yield from read_json_lines(path, max_bytes)
    elif name.endswith(PAGE_SUFFIXES):
        yield read_page_file(path, max_bytes)
    elif not path.exists():
        yield ImportFailure(str(path), "no such file or folder")
    else:
        expected = "a WARC archive, JSON Lines (.jsonl), an .html/.html.gz page or a folder"
        yield ImportFailure(str(path), f"not {expected}")


def read_folder(folder: Path, max_bytes: int) -> Iterator[Document | ImportFailure]:
    pages = sorted(p for p in folder.iterdir() if p.name.lower().endswith(PAGE_SUFFIXES))
    for page in pages:
        yield read_page_file(page, max_bytes)


def read_page_file(path: Path, max_bytes: int) -> Document | ImportFailure:
    try:
        data = read_capped(path, max_bytes)
        refuse_binary(data, str(path))
        return extract_document(decode_html(data))
    except OSError as error:
        return ImportFailure(str(path), f"cannot read it ({error.strerror or error})")
    except LocalInputError as error:
        return ImportFailure.of(error, broken=False)
    except ValueError as error:  # ExtractionError
        return ImportFailure(str(path), str(error))


def read_archive(path: Path, max_bytes: int) -> Iterator[Document | ImportFailure]:
    try:
        for item in read_warc(path, max_bytes):
            if isinstance(item, WarcSkip):
                yield ImportFailure(str(path), item.reason)
                continue
            try:
                refuse_binary(item.body, item.url)
                yield extract_document(decode_html(item.body, item.charset), url=item.url)
            except ExtractionError as error:
                yield ImportFailure(str(path), str(error))
    except WarcError as error:
        yield ImportFailure(str(path), error.reason, broken=True)


def read_json_lines(path: Path, max_bytes: int) -> Iterator[Document | ImportFailure]:
    """One Document per line; a bad line is a failure and the next lines are still read."""
    try:
        with open_input(path) as stream:
            for number, line in read_lines(stream, str(path), max_bytes):
                if isinstance(line, LocalInputError):
                    yield ImportFailure.of(line)
                elif line.strip():
                    yield read_document_line(line, f"{path}:{number}")
    except OSError as error:
        yield ImportFailure(str(path), f"cannot read it ({error.strerror or error})", True)
    except LocalInputError as error:
        yield ImportFailure.of(error)


def read_document_line(line: str, where: str) -> Document | ImportFailure:
    try:
        document = Document.model_validate(parse_json_line(line, where))
    except LocalInputError as error:
        return ImportFailure.of(error)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "record"
        return ImportFailure(where, f"not a Document: {field}: {problem['msg']}", True)
    too_long = text_too_long(document)
    if too_long is not None:
        return ImportFailure(where, too_long, True)
    if document.not_news is None:
        document.not_news = not_news_reason(document)
    return document


def text_too_long(document: Document) -> str | None:
    """Why a Document's text is refused for its length (extraction's limit), or None."""
    if len(document.text) <= MAX_CHARS:
        return None
    return (
        f"document {document.id!r}: its text of {len(document.text)} characters is longer "
        f"than the {MAX_CHARS} an article may have; not imported"
    )
