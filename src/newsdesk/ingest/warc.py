"""Pages out of WARC files (web archives, e.g. Common Crawl's CC-NEWS), read with warcio.

Only ``response`` records of HTML pages with a 2xx status are read; each payload is read
up to a byte cap (a record larger than that is skipped and reported), so a multi-GB
archive streams through in bounded memory. The gzip stream is inflated here, a bounded
piece at a time (warcio would inflate a block whole and take a cut-short or corrupt
stream for its end), and no header line may be longer than the cap. An archive cut short
(a truncated gzip stream, a record shorter than its declared length) is a WarcError after
the pages before the break.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import BufferedIOBase
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from newsdesk.ingest.localfiles import READ_CHUNK, LocalInputError, open_input

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
WARC_SUFFIXES = (".warc", ".warc.gz")


class WarcError(ValueError):
    """The file cannot be read (on) as a WARC archive; ``reason`` says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.reason = reason


class _DamagedError(ValueError):
    """A record breaks the archive's rules (cut short, an endless header line)."""


@dataclass(frozen=True)
class WarcPage:
    url: str
    body: bytes
    charset: str | None


@dataclass(frozen=True)
class WarcSkip:
    url: str
    reason: str


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_warc(path: Path, max_bytes: int) -> Iterator[WarcPage | WarcSkip]:
    """The HTML pages of the archive at ``path``, and a WarcSkip for each one too large."""
    try:
        with open_input(path, sniff=True) as stream:
            yield from read_warc_stream(stream, max_bytes)
    except LocalInputError as error:
        raise WarcError(path, f"the archive is damaged: {error.reason}") from None
    except _DamagedError as error:
        raise WarcError(path, f"the archive is damaged: {error}") from None
    except OSError as error:
        raise WarcError(path, f"cannot read it ({error.strerror or error})") from None
    except (ArchiveLoadFailed, StatusAndHeadersParserException) as error:
        raise WarcError(path, f"this is not a WARC archive ({error})") from None


def read_warc_stream(stream: BufferedIOBase, max_bytes: int) -> Iterator[WarcPage | WarcSkip]:
    """The pages of an uncompressed WARC stream."""
    for record in read_records(stream, max_bytes):
        if record.format != "warc":  # warcio reads any line as an old ARC header
            raise ArchiveLoadFailed(f"found a {record.format or 'non-WARC'} record")
        page = read_record(record, max_bytes)
        finish_record(record)
        if page is not None:
            yield page


def read_records(stream: BufferedIOBase, max_bytes: int) -> Iterator[Any]:
    """warcio's records; an unreadable one after the first means a damaged archive."""
    records = ArchiveIterator(stream)
    # warcio's own reader: no inflating (done before), and header lines within the cap.
    records.reader = LineCappedReader(BufferedReader(stream), max_bytes)
    count = 0
    while (record := next_record(records, count)) is not None:
        count += 1
        yield record
    # warcio takes a record cut short in its headers for the end of the archive; the line
    # that began that record is still waiting to be read.
    if records.next_line:
        raise _DamagedError(f"cut short: it ends inside the headers of record {count + 1}")


def next_record(records: ArchiveIterator, count: int) -> Any:
    try:
        return next(records, None)
    except (LocalInputError, _DamagedError):
        raise
    except Exception as error:  # hostile bytes can break warcio's parser in any way
        if not count and isinstance(error, ArchiveLoadFailed | StatusAndHeadersParserException):
            raise
        raise _DamagedError(f"record {count + 1} cannot be read ({error!r})") from None


class LineCappedReader:
    """warcio's buffered reader, refusing a line longer than ``max_line`` bytes (a header
    line without an end would otherwise be read whole into memory)."""

    def __init__(self, reader: Any, max_line: int) -> None:
        self._reader = reader
        self._max_line = max_line

    def readline(self, length: int | None = None) -> bytes:
        if length == 0:
            return b""
        limit = self._max_line + 1
        if length is not None and length > 0:
            limit = min(length, limit)
        parts: list[bytes] = []
        size = 0
        while size < limit and (piece := self._reader.readline(limit - size)):
            parts.append(piece)
            size += len(piece)
            if piece.endswith(b"\n"):
                break
        if size > self._max_line:
            raise _DamagedError(f"a header line is longer than {self._max_line} bytes")
        return b"".join(parts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def finish_record(record: Any) -> None:
    """Read what is left of a record; a record shorter than it declares is cut short."""
    stream = record.raw_stream
    while stream.read(READ_CHUNK):
        continue
    url = record.rec_headers.get_header("WARC-Target-URI") or "a record"
    if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
        raise _DamagedError(f"the record of {url} has no Content-Length (cut short?)")
    if getattr(stream, "limit", 0) > 0:
        raise _DamagedError(f"cut short: it ends inside the record of {url}")


def read_record(record: Any, max_bytes: int) -> WarcPage | WarcSkip | None:
    """The page a response record holds; None for every other kind of record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    status = record.http_headers.get_statuscode() or ""
    content_type = record.http_headers.get_header("Content-Type") or ""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not status.startswith("2") or media_type not in HTML_TYPES:
        return None
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return WarcSkip(url, f"{url}: page larger than {max_bytes} bytes, skipped")
    return WarcPage(url, body, charset_of(content_type))


def charset_of(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None
