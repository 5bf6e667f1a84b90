from pathlib import Path

from newsdesk.cli.pages import extract_inputs, page_id
from newsdesk.settings import Settings


def test_page_id_strips_page_suffixes() -> None:
    assert page_id(Path("a/b/story-1.html.gz")) == "story-1"
    assert page_id(Path("story-2.html")) == "story-2"
    assert page_id(Path("story-3.htm")) == "story-3"


def test_missing_file_and_corrupt_gzip_are_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"not gzip at all")
    records = list(extract_inputs([str(tmp_path / "nope.html"), str(broken)], Settings()))
    assert [r["id"] for r in records] == ["nope", "broken"]
    assert "cannot read" in records[0]["error"]
    assert records[1]["error"]
