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


def test_a_folder_in_processes_gives_the_same_records_in_the_same_order(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "ingest"
    names = ["article_ferry", "article_mill", "no_article", "article_in_noscript", "latin1_page"]
    for name in names:
        (tmp_path / f"{name}.html").write_bytes((fixtures / f"{name}.html").read_bytes())
    seen: list[tuple[int, int]] = []

    def progress(_stage: str, done: int, total: int) -> None:
        seen.append((done, total))

    alone = list(extract_inputs([str(tmp_path)], Settings(), jobs=1))
    together = list(extract_inputs([str(tmp_path)], Settings(), progress, jobs=2))
    assert together == alone
    assert [r["id"] for r in together] == sorted(names)
    assert "error" in together[sorted(names).index("no_article")]
    assert seen == [(done, len(names)) for done in range(len(names) + 1)]
