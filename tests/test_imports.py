"""Documents from local files: folders of pages, WARC archives, JSON Lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from loopback_server import FIXTURES
from newsdesk.extract import make_document_id
from newsdesk.ingest.imports import ImportFailure, iter_import
from newsdesk.records import Document
from warc_maker import write_warc

MILL = (FIXTURES / "article_mill.html").read_bytes()
FERRY = (FIXTURES / "article_ferry.html").read_bytes()


def split(items: list[Document | ImportFailure]) -> tuple[list[Document], list[ImportFailure]]:
    documents = [item for item in items if isinstance(item, Document)]
    return documents, [item for item in items if isinstance(item, ImportFailure)]


def test_a_folder_of_plain_and_gzipped_pages(tmp_path: Path) -> None:
    (tmp_path / "mill.html").write_bytes(MILL)
    (tmp_path / "ferry.html.gz").write_bytes(gzip.compress(FERRY))
    (tmp_path / "empty.html").write_bytes((FIXTURES / "no_article.html").read_bytes())
    (tmp_path / "notes.txt").write_text("ignored")
    documents, failures = split(list(iter_import(tmp_path, 1_000_000)))
    assert sorted(d.title or "" for d in documents) == [
        "Ferry timetable changes for spring",
        "Harbour town votes to rebuild its tidal mill",
    ]
    (failure,) = failures
    assert failure.where.endswith("empty.html") and "no article text" in failure.reason


def test_a_warc_archive_keeps_each_page_url(tmp_path: Path) -> None:
    url = "https://www.estuary-courier.example/news/mill?utm_source=cc"
    archive = write_warc(tmp_path / "cc-news.warc.gz", [(url, "200 OK", MILL, "text/html")])
    (document,) = list(iter_import(archive, 1_000_000))
    assert isinstance(document, Document)
    canonical = "https://estuary-courier.example/news/tidal-mill-vote"
    assert (document.url, document.id) == (canonical, make_document_id(canonical))


def test_json_lines_with_a_bad_line_name_it(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "d1", "text": "A quay reopened.", "duplicate_of": None}),
        "{not json",
        json.dumps({"id": "d2", "sentences": ["One.", "Two."]}),
        json.dumps({"id": "d3"}),
    ]
    path = tmp_path / "docs.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    documents, failures = split(list(iter_import(path, 1_000_000)))
    assert [(d.id, d.text) for d in documents] == [("d1", "A quay reopened."), ("d2", "One. Two.")]
    assert [str(f) for f in failures] == [
        f"{path}:2: not JSON (Expecting property name enclosed in double quotes)",
        f"{path}:4: not a Document: text: Field required",
    ]


def test_unknown_and_missing_inputs_are_named(tmp_path: Path) -> None:
    other = tmp_path / "report.pdf"
    other.write_bytes(b"%PDF")
    (wrong,) = list(iter_import(other, 1000))
    (missing,) = list(iter_import(tmp_path / "nowhere.jsonl", 1000))
    assert isinstance(wrong, ImportFailure) and "not a WARC archive, JSON Lines" in wrong.reason
    assert isinstance(missing, ImportFailure) and "cannot read" in missing.reason
