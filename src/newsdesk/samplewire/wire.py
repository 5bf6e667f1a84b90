"""The sample wire's stories: parsing and loading ``stories/NN-key.json`` (package data)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from newsdesk.records import Document
from newsdesk.samplewire.outlets import Outlet, get_outlet

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FILE_RE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.json$")
_STORY_KEYS = frozenset({"story", "articles"})
_ARTICLE_KEYS = frozenset({"slug", "outlet", "title", "author", "published", "paragraphs"})


class WireError(ValueError):
    """A story file of the sample wire is malformed."""


@dataclass(frozen=True)
class WireArticle:
    """One invented source article as one outlet published it."""

    story: str
    slug: str
    outlet: Outlet
    title: str
    author: str
    published: datetime
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        """The URL path of the article page, e.g. ``/meridian-post/2026/11/slug.html``."""
        return f"/{self.outlet.slug}/{self.published:%Y}/{self.published:%m}/{self.slug}.html"

    @property
    def summary(self) -> str:
        """The feed summary: the first paragraph."""
        return self.paragraphs[0]

    @property
    def text(self) -> str:
        """The article body, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    def document(self) -> Document:
        """The article as a Document record, as an import of it would read it."""
        return Document(
            id=self.slug,
            source=self.outlet.name,
            title=self.title,
            published=self.published,
            text=self.text,
        )


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WireError(f"{where}: expected a non-empty string, got {value!r}")
    if value != value.strip():
        raise WireError(f"{where}: leading or trailing whitespace in {value!r}")
    return value


def _article(raw: Any, story: str, where: str) -> WireArticle:
    if not isinstance(raw, dict):
        raise WireError(f"{where}: expected an object, got {type(raw).__name__}")
    missing = sorted(_ARTICLE_KEYS - raw.keys())
    extra = sorted(raw.keys() - _ARTICLE_KEYS)
    if missing or extra:
        raise WireError(f"{where}: missing keys {missing}, unexpected keys {extra}")
    slug = _text(raw["slug"], f"{where}.slug")
    where = f"{where} ({slug})"
    if not _SLUG_RE.match(slug):
        raise WireError(f"{where}: slug must be lowercase letters, digits and hyphens")
    outlet_slug = _text(raw["outlet"], f"{where}.outlet")
    try:
        outlet = get_outlet(outlet_slug)
    except KeyError as exc:
        raise WireError(f"{where}: {exc.args[0]}") from None
    published_raw = _text(raw["published"], f"{where}.published")
    try:
        published = datetime.fromisoformat(published_raw)
    except ValueError:
        raise WireError(f"{where}.published: not an ISO 8601 time: {published_raw!r}") from None
    if published.tzinfo is None or published.utcoffset() is None:
        raise WireError(f"{where}.published: needs a UTC offset: {published_raw!r}")
    paragraphs = raw["paragraphs"]
    if not isinstance(paragraphs, list) or not paragraphs:
        raise WireError(f"{where}.paragraphs: expected a non-empty list of strings")
    return WireArticle(
        story=story,
        slug=slug,
        outlet=outlet,
        title=_text(raw["title"], f"{where}.title"),
        author=_text(raw["author"], f"{where}.author"),
        published=published,
        paragraphs=tuple(_text(p, f"{where}.paragraphs[{i}]") for i, p in enumerate(paragraphs)),
    )


def parse_story(data: Any, source: str = "<story>") -> list[WireArticle]:
    """Validate one story file's JSON (already decoded) and return its articles.

    Raises ``WireError`` naming ``source`` and the offending field.
    """
    if not isinstance(data, dict):
        raise WireError(f"{source}: expected a JSON object at the top level")
    if data.keys() != _STORY_KEYS:
        raise WireError(f"{source}: expected exactly the keys {sorted(_STORY_KEYS)}")
    story = _text(data["story"], f"{source}: story")
    if not _SLUG_RE.match(story):
        raise WireError(f"{source}: story key {story!r} must be lowercase letters and hyphens")
    articles = data["articles"]
    if not isinstance(articles, list) or not articles:
        raise WireError(f"{source}: 'articles' must be a non-empty list")
    parsed = [_article(raw, story, f"{source}: articles[{i}]") for i, raw in enumerate(articles)]
    _check_unique(parsed, source)
    return parsed


def _check_unique(articles: Iterable[WireArticle], source: str) -> None:
    seen: dict[str, str] = {}
    for article in articles:
        if article.slug in seen:
            raise WireError(
                f"{source}: duplicate article slug {article.slug!r} "
                f"(in stories {seen[article.slug]!r} and {article.story!r})"
            )
        seen[article.slug] = article.story


def _stories_dir() -> Traversable:
    return resources.files(__package__).joinpath("stories")


NEWEST_AGE = timedelta(hours=3)


@cache
def recent_newest() -> datetime:
    """When the newest report of the wire was published: a few hours ago, in whole minutes.

    Taken once per process, so that every load in one process (a server and the test that
    reads its feeds) agrees to the second.
    """
    return datetime.now(UTC).replace(second=0, microsecond=0) - NEWEST_AGE


def load_wire(newest: datetime | None = None, *, as_written: bool = False) -> list[WireArticle]:
    """All articles of all bundled stories, sorted by (published, slug).

    The files carry fixed dates; the wire is moved in time so that its newest report was
    published at ``newest`` (default: ``recent_newest()``), keeping the gaps between
    reports, so the demo reads as current news on any date. ``as_written`` keeps the
    files' own dates.

    Raises ``WireError`` on a malformed file, an unknown outlet, a story key that does not
    match its file name, or a slug used twice anywhere in the wire.
    """
    folder = _stories_dir()
    articles: list[WireArticle] = []
    stories: dict[str, str] = {}
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json"))
    for name in names:
        match = _FILE_RE.match(name)
        if match is None:
            raise WireError(f"{name}: story files must be named NN-key.json")
        try:
            data = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise WireError(f"{name}: invalid JSON: {exc}") from None
        parsed = parse_story(data, name)
        story = parsed[0].story
        if story != match.group(2):
            raise WireError(f"{name}: story key {story!r} does not match the file name")
        if story in stories:
            raise WireError(f"{name}: story key {story!r} already used by {stories[story]}")
        stories[story] = name
        articles.extend(parsed)
    _check_unique(articles, "sample wire")
    if not as_written and articles:
        shift = (newest or recent_newest()) - max(a.published for a in articles)
        articles = [replace(a, published=a.published + shift) for a in articles]
    return sorted(articles, key=lambda a: (a.published, a.slug))
