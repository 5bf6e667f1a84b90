"""The sample wire: story data and loader validation (the server: test_samplewire_server)."""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import newsdesk.samplewire.wire as samplewire
from newsdesk.samplewire import (
    OUTLETS,
    WireArticle,
    WireError,
    get_outlet,
    load_wire,
    parse_story,
)

MY_STORIES = {
    "bridge-collapse",
    "tarsen-earthquake",
    "lundmark-earthquake",
    "rate-rise",
    "desalination-plant",
    "mirelle-election",
}


@pytest.fixture(scope="module")
def wire() -> list[WireArticle]:
    return load_wire()


def raw_article(**overrides: Any) -> dict[str, Any]:
    article: dict[str, Any] = {
        "slug": "a-test-article",
        "outlet": "meridian-post",
        "title": "A title",
        "author": "Test Writer",
        "published": "2026-11-18T07:45:00+00:00",
        "paragraphs": ["One.", "Two."],
    }
    article.update(overrides)
    return article


def words(article: WireArticle) -> int:
    return sum(len(p.split()) for p in article.paragraphs)


# --- loading and validation ------------------------------------------------------------


def test_load_wire_is_sorted_typed_and_unique(wire: list[WireArticle]) -> None:
    assert wire
    assert wire == sorted(wire, key=lambda a: (a.published, a.slug))
    assert len({a.slug for a in wire}) == len(wire)
    for article in wire:
        assert article.published.utcoffset() is not None
        assert article.outlet in OUTLETS
        assert isinstance(article.paragraphs, tuple)
        assert article.path == (
            f"/{article.outlet.slug}/{article.published:%Y/%m}/{article.slug}.html"
        )
        assert article.summary == article.paragraphs[0]


def test_my_stories_are_present_and_multi_outlet(wire: list[WireArticle]) -> None:
    by_story: dict[str, list[WireArticle]] = defaultdict(list)
    for article in wire:
        by_story[article.story].append(article)
    assert by_story.keys() >= MY_STORIES
    assert sum(len(by_story[s]) for s in MY_STORIES) >= 22
    for story in MY_STORIES:
        outlets = [a.outlet.slug for a in by_story[story]]
        assert 3 <= len(outlets) <= 5, story
        assert len(set(outlets)) == len(outlets), f"{story}: one outlet twice"


def test_articles_follow_the_content_rules(wire: list[WireArticle]) -> None:
    by_story: dict[str, list[WireArticle]] = defaultdict(list)
    for article in wire:
        assert 180 <= words(article) <= 350, (article.slug, words(article))
        assert 4 <= len(article.paragraphs) <= 8, article.slug
        by_story[article.story].append(article)
    for story, articles in by_story.items():
        span = max(a.published for a in articles) - min(a.published for a in articles)
        assert span <= timedelta(days=3), story


def test_the_wire_is_dated_a_few_hours_ago_with_its_gaps_kept() -> None:
    written = load_wire(as_written=True)
    assert all((a.published.year, a.published.month) == (2026, 11) for a in written)
    newest = datetime(2031, 3, 2, 9, 30, tzinfo=UTC)
    moved = load_wire(newest)
    assert max(a.published for a in moved) == newest
    gaps = [b.published - a.published for a, b in itertools.pairwise(written)]
    assert [b.published - a.published for a, b in itertools.pairwise(moved)] == gaps
    age = datetime.now(UTC) - max(a.published for a in load_wire())
    assert timedelta(hours=3) <= age < timedelta(days=1)


def test_bridge_collapse_outlets_disagree_on_the_death_toll(wire: list[WireArticle]) -> None:
    bridge = [a for a in wire if a.story == "bridge-collapse"]
    says_12 = {a.outlet.slug for a in bridge if "At least 12 people were killed" in a.text}
    says_14 = {a.outlet.slug for a in bridge if "Fourteen people died" in a.text}
    assert says_12 and says_14 and says_12.isdisjoint(says_14)
    # Later reports state both figures side by side.
    assert sum("12" in a.text and "14" in a.text for a in bridge) >= 3


def test_rate_rise_has_a_syndicated_near_duplicate(wire: list[WireArticle]) -> None:
    rate = {a.outlet.slug: a for a in wire if a.story == "rate-rise"}
    original, copy = rate["valley-wire"], rate["eastbrook-gazette"]
    assert copy.paragraphs[: len(original.paragraphs)] == original.paragraphs
    assert len(copy.paragraphs) == len(original.paragraphs) + 1
    assert copy.title != original.title
    assert copy.published > original.published
    for slug, article in rate.items():
        assert "3.75" in article.text, slug


def test_the_two_earthquakes_differ_in_place_date_and_magnitude(
    wire: list[WireArticle],
) -> None:
    tarsen = [a for a in wire if a.story == "tarsen-earthquake"]
    lundmark = [a for a in wire if a.story == "lundmark-earthquake"]
    assert all("6.1" in a.text and "Tarsen" in a.text for a in tarsen)
    assert all("5.4" in a.text and "Greywater" in a.text for a in lundmark)
    assert not any("Greywater" in a.text for a in tarsen)
    assert {a.outlet.slug for a in tarsen} != {a.outlet.slug for a in lundmark}
    assert max(a.published for a in tarsen) + timedelta(days=5) < min(a.published for a in lundmark)


def test_full_wire_coverage(wire: list[WireArticle]) -> None:
    """Passes once the other stories (07-12) are present too."""
    outlets_by_story: dict[str, set[str]] = defaultdict(set)
    for article in wire:
        outlets_by_story[article.story].add(article.outlet.slug)
    assert len(wire) >= 40
    assert len({a.outlet.slug for a in wire}) >= 8
    assert len(outlets_by_story) >= 10
    for story, outlets in outlets_by_story.items():
        assert len(outlets) >= 2, story


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "top level"),
        ({"story": "x"}, "exactly the keys"),
        ({"story": "x", "articles": []}, "non-empty list"),
        ({"story": "Bad Key", "articles": [raw_article()]}, "story key"),
        ({"story": "x", "articles": [raw_article(outlet="daily-nowhere")]}, "unknown outlet"),
        ({"story": "x", "articles": [raw_article(published="2026-11-18T07:45:00")]}, "offset"),
        ({"story": "x", "articles": [raw_article(published="18 Nov 2026")]}, "ISO 8601"),
        ({"story": "x", "articles": [raw_article(paragraphs=[])]}, "paragraphs"),
        ({"story": "x", "articles": [raw_article(paragraphs=["ok", ""])]}, "paragraphs[1]"),
        ({"story": "x", "articles": [raw_article(title=" padded")]}, "whitespace"),
        ({"story": "x", "articles": [raw_article(slug="Not A Slug")]}, "slug"),
        ({"story": "x", "articles": [raw_article(extra=1)]}, "unexpected keys ['extra']"),
        ({"story": "x", "articles": [{"slug": "a"}]}, "missing keys"),
    ],
)
def test_parse_story_rejects_malformed_data(data: Any, message: str) -> None:
    with pytest.raises(WireError, match=re.escape(message)):
        parse_story(data, "99-x.json")


def test_parse_story_rejects_duplicate_slug() -> None:
    data = {"story": "x", "articles": [raw_article(), raw_article(outlet="valley-wire")]}
    with pytest.raises(WireError, match="duplicate article slug 'a-test-article'"):
        parse_story(data, "99-x.json")


def test_unknown_outlet_error_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="meridian-post"):
        get_outlet("daily-nowhere")


def _write_stories(tmp_path: Path, files: dict[str, Any]) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    for name, data in files.items():
        text = data if isinstance(data, str) else json.dumps(data)
        (folder / name).write_text(text, encoding="utf-8")


def _story(key: str, **article: Any) -> dict[str, Any]:
    return {"story": key, "articles": [raw_article(**article)]}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"01-a.json": _story("a"), "02-b.json": _story("b")}, "duplicate article slug"),
        ({"01-a.json": _story("b")}, "does not match the file name"),
        ({"01-a.json": "{not json"}, "invalid JSON"),
        ({"story-a.json": _story("a")}, "NN-key.json"),
    ],
)
def test_load_wire_rejects_bad_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, Any], message: str
) -> None:
    _write_stories(tmp_path, files)
    monkeypatch.setattr(samplewire, "_stories_dir", lambda: tmp_path / "stories")
    with pytest.raises(WireError, match=re.escape(message)):
        load_wire()


def test_load_wire_reads_files_in_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_stories(
        tmp_path,
        {
            "01-a.json": _story("a", published="2026-11-20T10:00:00+01:00"),
            "02-b.json": _story("b", slug="b-first", published="2026-11-19T10:00:00+00:00"),
            "notes.txt": "ignored",
        },
    )
    monkeypatch.setattr(samplewire, "_stories_dir", lambda: tmp_path / "stories")
    assert [(a.story, a.slug) for a in load_wire()] == [("b", "b-first"), ("a", "a-test-article")]
