"""Pages out of WARC files (web archives, e.g. Common Crawl's CC-NEWS), read with warcio.

Only ``response`` records of HTML pages with a 2xx status are read; each payload is read
up to a byte cap (a record larger than that is skipped and reported), so a multi-GB
archive streams through in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
WARC_SUFFIXES = (".warc", ".warc.gz")


class WarcError(ValueError):
    """The file cannot be read as a WARC archive; the message says why."""


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
        with path.open("rb") as stream:
            yield from read_warc_stream(stream, max_bytes)
    except OSError as error:
        raise WarcError(f"cannot read {path}: {error.strerror or error}") from None
    except ArchiveLoadFailed as error:
        raise WarcError(f"{path} is not a WARC archive ({error})") from None


def read_warc_stream(stream: IO[bytes], max_bytes: int) -> Iterator[WarcPage | WarcSkip]:
    for record in ArchiveIterator(stream):
        if record.format != "warc":  # warcio reads any line as an old ARC header
            raise ArchiveLoadFailed(f"found a {record.format or 'non-WARC'} record")
        page = read_record(record, max_bytes)
        if page is not None:
            yield page


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
