"""Reading pages out of WARC archives written with warcio."""

from __future__ import annotations

from pathlib import Path

import pytest

from loopback_server import FIXTURES
from newsdesk.ingest.warc import WarcError, WarcPage, WarcSkip, read_warc
from warc_maker import write_warc

MILL = (FIXTURES / "article_mill.html").read_bytes()


@pytest.mark.parametrize("gzip", [True, False])
def test_reads_html_responses_only(tmp_path: Path, gzip: bool) -> None:
    archive = write_warc(
        tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"),
        [
            (
                "https://estuary-courier.example/news/mill",
                "200 OK",
                MILL,
                "text/html; charset=utf-8",
            ),
            ("https://estuary-courier.example/logo.png", "200 OK", b"\x89PNG", "image/png"),
            ("https://estuary-courier.example/gone", "404 Not Found", b"<html/>", "text/html"),
        ],
        gzip=gzip,
    )
    (page,) = list(read_warc(archive, 1_000_000))
    assert isinstance(page, WarcPage)
    assert page.url == "https://estuary-courier.example/news/mill"
    assert page.body == MILL and page.charset == "utf-8"


def test_a_page_over_the_cap_is_skipped_and_reported(tmp_path: Path) -> None:
    archive = write_warc(
        tmp_path / "big.warc.gz",
        [("https://x.example/big", "200 OK", b"<p>" + b"x" * 5000, "text/html")],
    )
    (skip,) = list(read_warc(archive, 1000))
    assert isinstance(skip, WarcSkip) and "larger than 1000 bytes" in skip.reason


def test_a_file_that_is_not_a_warc_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.warc"
    bogus.write_text("these are my notes, not an archive\n")
    with pytest.raises(WarcError, match="is not a WARC archive"):
        list(read_warc(bogus, 1000))
    with pytest.raises(WarcError, match="cannot read"):
        list(read_warc(tmp_path / "missing.warc.gz", 1000))
