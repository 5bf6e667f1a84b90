"""Writes small WARC files for the tests with warcio (pages from our own fixtures)."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

Page = tuple[str, str, bytes, str]
"""(url, HTTP status line, body, content type)."""


def write_warc(path: Path, pages: list[Page], *, gzip: bool = True) -> Path:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for url, status, body, content_type in pages:
            headers = StatusAndHeaders(
                status,
                [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
            note = writer.create_warc_record(
                url, "metadata", payload=io.BytesIO(b"via: tests\n"), warc_content_type="text/plain"
            )
            writer.write_record(note)
    return path
