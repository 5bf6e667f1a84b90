"""newsdesk's feed parser against feedparser, on feedparser's own test feeds (issue 20).

The feeds in fixtures/peer/feedparser/ are copied unchanged from the feedparser 6.0.14
sdist (BSD-2-Clause: see LICENSE and README.md there). Each is read by ``parse_feed`` and
by ``feedparser.parse`` on the same bytes and HTTP headers, and newsdesk must yield every
entry feedparser yields, with the same title, the same absolute link and the same instant.
Where newsdesk differs on purpose the difference is spelled out: the general rules in
:func:`peer_view`, and each file that meets one of the :data:`DESIGN` reasons in
:data:`DELIBERATE`. Real bugs are strict xfails (:data:`KNOWN_BUGS` and the like), so
that a fix shows. The "Expect:" lines of the files, and the date strings of feedparser's
runtests.py (dates.json), are checked too. scripts/peer-feeds.py runs :func:`compare` on
every feed of the sdist, not only the bundled ones.
"""

from __future__ import annotations

import ast
import io
import json
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.sax.saxutils import escape

import feedparser
import pytest
import time_machine

from newsdesk.ingest.feeddates import EntryDates
from newsdesk.ingest.feeds import (
    Feed,
    FeedError,
    detail_text,
    parse_feed,
    pick_link,
    resolve_link,
)

PEER = Path(__file__).resolve().parent / "fixtures" / "peer" / "feedparser"
BASE_URL = "http://127.0.0.1:8097/tests/"
"""Where feedparser's runner serves its test files; the Expect lines of its http tests
assume it, so every feed here is "fetched" from that URL plus its path."""
_HEADER = re.compile(r"^Header:\s+([^:]+):(.+)$", re.MULTILINE)  # as runtests.py reads them
_EXPECT = re.compile(r"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->")  # runtests.py desc_re
_TAG = re.compile(r"<[^>]*>")
_BOMS = (
    (b"\x4c\x6f\xa7\x94", "cp037"),  # "<?xm" in EBCDIC
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00\x3c", "utf-32-be"),
    (b"\x3c\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x3c", "utf-16-be"),
    (b"\x3c\x00", "utf-16-le"),
)

DESIGN = {
    "no-linked-entry": "an entry without an http(s) link has no article to fetch: it is "
    "dropped, and a feed of nothing but such entries is refused",
    "entity-declaration": "a DTD that declares entities is refused before parsing (XXE, "
    "billion laughs); feeds have no use for one",
    "not-a-feed": "with no linked entry, a document feedparser calls broken or gives no "
    "version (CDF, a cut-off file) is refused as not a feed",
    "content-location": "links resolve against the URL fetched, never a Content-Location "
    "header (RFC 7231 dropped it as a base URI; browsers ignore it)",
    "html-page": "an HTML page is refused: it is a wrong feed URL, not a feed",
    "empty": "an empty body is refused",
}
"""Why newsdesk differs from feedparser, by kind; :func:`classify` names the kind."""

DELIBERATE = {
    "wellformed/rss/item_guid_not_permalink.xml": "no-linked-entry",
    "wellformed/rss/item_pubDate_map_updated_parsed.xml": "no-linked-entry",
    "wellformed/rss/item_dc_date_parsed.xml": "no-linked-entry",
    "wellformed/rss/item_dcterms_modified_parsed.xml": "no-linked-entry",
    "wellformed/atom/entry_issued_parsed.xml": "no-linked-entry",
    "wellformed/atom/entry_modified_map_updated_parsed.xml": "no-linked-entry",
    "wellformed/atom/entry_published_parsed_date_overwriting.xml": "no-linked-entry",
    "wellformed/atom10/entry_title_text_plain_brackets.xml": "no-linked-entry",
    "wellformed/atom/entry_published_parsed.xml": "no-linked-entry",
    "wellformed/atom/entry_updated_parsed.xml": "no-linked-entry",
    "wellformed/rdf/rss090_channel_title.xml": "no-linked-entry",
    "wellformed/cdf/item_lastmod_parsed.xml": "not-a-feed",
    "wellformed/cdf/channel_title.xml": "not-a-feed",
    "illformed/aaa_illformed.xml": "not-a-feed",
    "illformed/undeclared_namespace.xml": "not-a-feed",
    "entities/hellip.xml": "not-a-feed",
    "wellformed/rss/entity_in_doctype.xml": "entity-declaration",
    "wellformed/rdf/doctype_contains_entity_decl.xml": "entity-declaration",
    "wellformed/base/http_entry_link_base_content_location.xml": "content-location",
    "wellformed/base/http_item_link_base_content_location.xml": "content-location",
    "wellformed/base/http_channel_link_base_content_location.xml": "content-location",
    "wellformed/http/headers_content_location-relative.xml": "content-location",
}
"""Bundled files where newsdesk differs from feedparser on purpose, with the DESIGN kind."""

KNOWN_BUGS: dict[str, str] = {}
"""Bundled files that parse_feed reads wrongly where feedparser does not."""

EXPECT_BUGS: dict[str, str] = {}
"""Bundled files whose Expect line newsdesk's reading breaks, beyond KNOWN_BUGS."""


@dataclass(frozen=True)
class PeerFeed:
    """One of feedparser's test files, as its runner serves it."""

    path: str
    """Inside feedparser's tests/ folder: "wellformed/rss/item_link.xml"."""
    body: bytes

    @property
    def url(self) -> str:
        return BASE_URL + self.path

    @property
    def text(self) -> str:
        """The file as text, decoded as runtests.py decodes it to read its header."""
        for bom, encoding in _BOMS:
            if self.body.startswith(bom):
                start = len(bom) if bom[:2] in (b"\xfe\xff", b"\xff\xfe") else 0
                return self.body[start:].decode(encoding, "replace")
        return self.body.decode("utf-8", "replace")

    @property
    def headers(self) -> dict[str, str]:
        """The HTTP headers it is served with (lower-case names); like runtests.py, only
        files with "http" in their path have any."""
        if "http" not in self.path:
            return {}
        found = _HEADER.findall(self.body.decode("utf-8", "replace"))
        return {name.strip().lower(): value.strip() for name, value in found}

    @property
    def expect(self) -> str | None:
        """The Python expression its "Expect:" line holds, if any."""
        match = _EXPECT.search(self.text)
        return match.group(2).strip() if match else None


@dataclass(frozen=True)
class Entry:
    title: str | None
    url: str
    published: datetime | None


@dataclass(frozen=True)
class View:
    """What a reading of a feed comes to, for comparing two readings."""

    title: str | None
    link: str | None
    entries: tuple[Entry, ...] = ()


@dataclass
class Outcome:
    """How newsdesk's reading of a feed compares with feedparser's."""

    refusal: str | None = None
    """parse_feed's FeedError message, when it refused the feed."""
    design: str | None = None
    """The DESIGN kind, when newsdesk differs on purpose."""
    problems: list[str] = field(default_factory=list)
    """Differences no DESIGN kind explains."""


def load(path: str, folder: Path = PEER) -> PeerFeed:
    return PeerFeed(path, (folder / path).read_bytes())


def bundled() -> list[str]:
    return sorted(p.relative_to(PEER).as_posix() for p in PEER.rglob("*.xml"))


def run_feedparser(feed: PeerFeed, *, honour_content_location: bool = True) -> Any:
    """feedparser's result on the bytes and headers, as its runner would fetch them: a
    declared Content-Location is resolved against the URL, as an HTTP client's would be."""
    headers = dict(feed.headers)
    declared = headers.pop("content-location", None)
    base = urljoin(feed.url, declared) if declared and honour_content_location else feed.url
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # feedparser's deprecation notices
        return feedparser.parse(
            io.BytesIO(feed.body), response_headers=headers | {"content-location": base}
        )


def peer_view(parsed: Any, url: str, now: datetime | None = None) -> View:
    """feedparser's result, under the rules by which newsdesk reads any feed on purpose:

    - titles are plain text (tags dropped, entities decoded, white space collapsed): an
      HTML title is shown as text; a text/plain one keeps its brackets;
    - only entries with an absolute http(s) link are kept, without its #fragment: newsdesk
      fetches the article, and one page is one article;
    - the date is the publication time, else the update time, in UTC; one more than a
      day ahead is dropped (a clock or template error would pin the entry on top).
    """
    latest = (now or datetime.now(UTC)) + timedelta(days=1)
    entries = []
    for raw in parsed.entries:
        link = http_link(raw.get("link"), url)
        if link is not None:
            entries.append(Entry(text_of(raw, "title"), link, peer_date(raw, latest)))
    meta = parsed.feed
    return View(text_of(meta, "title"), http_link(meta.get("link"), url), tuple(entries))


def text_of(data: Any, key: str) -> str | None:
    return plain_text(data.get(key), (data.get(f"{key}_detail") or {}).get("type"))


def plain_text(value: object, content_type: str | None) -> str | None:
    """What a reader shows of a feed's text of ``content_type``, white space collapsed."""
    if not isinstance(value, str):
        return None
    if content_type != "text/plain":
        value = unescape(_TAG.sub(" ", value))
    return " ".join(value.split()) or None


def http_link(value: object, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    parts = urlsplit(urljoin(base, value.strip()))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return parts._replace(fragment="").geturl()


def peer_date(raw: Any, latest: datetime) -> datetime | None:
    """feedparser's published_parsed, else updated_parsed when there is no published text
    at all (newsdesk reads a published text feedparser cannot, before any update time)."""
    for key in ("published", "updated"):
        moment = as_utc(dict.get(raw, f"{key}_parsed"))  # dict.get: no "updated" fallback
        if moment is not None and moment <= latest:
            return moment
        if dict.get(raw, key):
            return None
    return None


def as_utc(value: object) -> datetime | None:
    """A UTC struct_time (or tuple) as an aware datetime; None for none or year 10000."""
    if not isinstance(value, tuple) or len(value) < 6:
        return None
    year, month, day, hour, minute, second = (int(part) for part in value[:6])
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def our_view(feed: Feed) -> View:
    entries = tuple(Entry(e.title, e.url, e.published) for e in feed.entries)
    return View(feed.title, feed.link, entries)


def differences(ours: View, theirs: View) -> list[str]:
    found = []
    if ours.title != theirs.title:
        found.append(f"feed title {ours.title!r}, feedparser {theirs.title!r}")
    if ours.link != theirs.link:
        found.append(f"feed link {ours.link!r}, feedparser {theirs.link!r}")
    if len(ours.entries) != len(theirs.entries):
        found.append(f"{len(ours.entries)} entries, feedparser {len(theirs.entries)}")
    for n, (mine, peer) in enumerate(zip(ours.entries, theirs.entries, strict=False)):
        for name in ("title", "url", "published"):
            if getattr(mine, name) != getattr(peer, name):
                mine_value, peer_value = getattr(mine, name), getattr(peer, name)
                found.append(f"entry {n} {name} {mine_value!r}, feedparser {peer_value!r}")
    return found


def compare(feed: PeerFeed) -> Outcome:
    """Read ``feed`` with parse_feed and with feedparser, and say how they differ."""
    parsed = run_feedparser(feed)
    theirs = peer_view(parsed, feed.url)
    try:
        ours = our_view(parse_feed(feed.body, feed.url, feed.headers.get("content-type")))
    except FeedError as error:
        design = classify(str(error), theirs)
        problems = [] if design else [f"refused ({error}) a feed feedparser reads"]
        return Outcome(refusal=str(error), design=design, problems=problems)
    found = differences(ours, theirs)
    if found and "content-location" in feed.headers:
        ignored = peer_view(run_feedparser(feed, honour_content_location=False), feed.url)
        if not differences(ours, ignored):
            return Outcome(design="content-location")
    return Outcome(problems=found)


def classify(refusal: str, theirs: View) -> str | None:
    """The DESIGN kind of a refusal, or None when feedparser has entries to give."""
    if "declares XML entities" in refusal:
        return "entity-declaration"
    if theirs.entries:
        return None
    for kind, words in (
        ("no-linked-entry", "has a link"),
        ("not-a-feed", "is not an RSS, Atom or JSON feed"),
        ("html-page", "is an HTML page"),
        ("empty", "is empty"),
    ):
        if words in refusal:
            return kind
    return None


# ---- the bundled feeds against feedparser


def with_bugs(paths: list[str], bugs: dict[str, str]) -> list[Any]:
    """``paths`` as test parameters, those in ``bugs`` as strict xfails: a fix shows."""
    return [
        pytest.param(path, marks=pytest.mark.xfail(strict=True, reason=bugs[path]))
        if path in bugs
        else path
        for path in paths
    ]


@pytest.mark.parametrize("path", with_bugs(bundled(), KNOWN_BUGS))
def test_newsdesk_reads_what_feedparser_reads(path: str) -> None:
    outcome = compare(load(path))
    assert outcome.problems == []
    assert outcome.design == DELIBERATE.get(path), outcome.refusal


def test_every_listed_file_is_bundled_and_every_kind_explained() -> None:
    files = set(bundled())
    assert set(DELIBERATE) | set(KNOWN_BUGS) | set(EXPECT_BUGS) <= files
    assert set(DELIBERATE.values()) <= set(DESIGN)


# ---- the files' own "Expect:" lines, where they name a title, a link or a date

_EXPECT_KEYS = ("title", "link", "published_parsed", "updated_parsed")


def expectations(expression: str) -> list[tuple[str, str, object]]:
    """(``feed`` or ``entry``, key, value) for each ``feed['title'] == 'x'``-like clause of
    an Expect line joined by "and", for the keys newsdesk reads; other clauses are not
    about newsdesk (bozo, encoding, detail dictionaries)."""
    tree = ast.parse(expression, mode="eval").body
    clauses = (
        tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
    )
    found = []
    for clause in clauses:
        if not (isinstance(clause, ast.Compare) and [type(op) for op in clause.ops] == [ast.Eq]):
            continue
        subject = subject_of(clause.left)
        if subject is None or subject[1] not in _EXPECT_KEYS:
            continue
        try:
            value = ast.literal_eval(clause.comparators[0])
        except ValueError:
            continue
        found.append((subject[0], subject[1], value))
    return found


def subject_of(node: ast.expr) -> tuple[str, str] | None:
    """("feed", key) for ``feed['key']`` or ``feed.key``; ("entry", key) for ``entries[0]``."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        owner, key = node.value, node.slice.value
    elif isinstance(node, ast.Attribute):
        owner, key = node.value, node.attr
    else:
        return None
    if not isinstance(key, str):
        return None
    if isinstance(owner, ast.Name) and owner.id == "feed":
        return "feed", key
    first_entry = (
        isinstance(owner, ast.Subscript)
        and isinstance(owner.value, ast.Name)
        and owner.value.id == "entries"
        and isinstance(owner.slice, ast.Constant)
        and owner.slice.value == 0
    )
    return ("entry", key) if first_entry else None


@cache
def expectations_of(path: str) -> list[tuple[str, str, object]]:
    expression = load(path).expect
    return expectations(expression) if expression else []


@pytest.mark.parametrize(
    "path", with_bugs([p for p in bundled() if expectations_of(p)], KNOWN_BUGS | EXPECT_BUGS)
)
def test_feedparser_expectations_hold_for_newsdesk(path: str) -> None:
    feed = load(path)
    design = DELIBERATE.get(path)
    parsed = run_feedparser(feed)
    refused = design not in (None, "content-location")
    result = None if refused else parse_feed(feed.body, feed.url, feed.headers.get("content-type"))
    for owner, key, value in expectations_of(path):
        if design == "content-location" and key == "link":
            continue  # the Expect line resolves against the header: DESIGN["content-location"]
        data = parsed.feed if owner == "feed" else parsed.entries[0]
        want = expected(key, value, feed, data)
        if result is None:
            # parse_feed refuses the feed on purpose (DELIBERATE), but the title, link and
            # date go through the same functions it applies to every feed and entry.
            assert reading_of(data, owner, key, feed.url) == want
        elif owner == "feed":
            assert {"title": result.title, "link": result.link}[key] == want
        else:
            entry = result.entries[0]
            ours = {"title": entry.title, "link": entry.url}.get(key, entry.published)
            assert ours == want  # the key's "_parsed" ones are the entry's date


def reading_of(data: Any, owner: str, key: str, url: str) -> object:
    """What parse_feed makes of feedparser's feed or entry ``data`` for ``key``."""
    if key == "title":
        return detail_text(data, "title")
    if key == "link":
        return resolve_link(pick_link(data) if owner == "entry" else data.get("link"), url)
    return EntryDates().published(data)


def expected(key: str, value: object, feed: PeerFeed, data: Any) -> object:
    """An Expect value as newsdesk gives it: a title as shown (``data`` is the feed or
    entry feedparser read, whose title_detail has the title's type), a link absolute, a
    date as a UTC datetime."""
    if key == "link":
        return http_link(value, feed.url)
    if key == "title":
        return plain_text(value, (data.get("title_detail") or {}).get("type"))
    return published_for(key, value, data)


def published_for(key: str, value: object, raw: Any) -> datetime | None:
    """What newsdesk's date is, given feedparser's Expect value for ``key``: an update
    time stands only for an entry without a publication time."""
    if key == "updated_parsed" and dict.get(raw, "published"):
        return as_utc(dict.get(raw, "published_parsed"))
    return as_utc(value)


# ---- the date strings of feedparser's runtests.py, each in an RSS item

FROZEN = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
"""Some strings are read with the month of "today" (see INHERITED): the clock is fixed."""

DATE_BUGS: dict[str, str] = {}
"""Strings newsdesk reads wrongly where feedparser does not (none now)."""

REGRESSIONS = {"Sun, 31 Dec 9999 23:59:59 -9999"}
"""Checked although feedparser reads nothing: its zone once made parse_feed raise
ValueError for the whole feed. ("Sun, 16 zzz 2012 11:47:32 GMT", once read as 16 June
because "Sun" is June in Tongan, is checked in test_feeds.py: only dateparser reads it.)"""

INHERITED = {
    "2004-július-13T9:15-05:00": "feedparser's ISO 8601 parser matches '2004-' first and "
    "takes the month from today's clock",
    "2004년 05월 28일  01:31:15": "feedparser's ISO 8601 parser matches '2004' first and "
    "takes the month from today's clock",
    "2004-05-25 오후 11:23:17": "feedparser's ISO 8601 parser matches the day first and "
    "drops the (Korean PM) time",
}
"""Strings feedparser.parse reads wrongly (runtests.py checks one date parser each, not
feedparser.parse), and newsdesk with it."""


@dataclass(frozen=True)
class DateRow:
    parser: str
    text: str
    expected: datetime | None


@cache
def date_rows() -> list[DateRow]:
    """The rows that are empty, or whose string feedparser reads into a datetime, or that
    are a DATE_BUGS. newsdesk hands the others to dateparser, whose first call loads every
    language it knows (about 5 s): scripts/peer-feeds.py checks those."""
    data = json.loads((PEER / "dates.json").read_text(encoding="utf-8"))
    rows = [
        DateRow(r["parser"], r["text"], as_utc(tuple(r["expected"] or ()))) for r in data["rows"]
    ]
    return [
        row
        for row in rows
        if not row.text.strip()
        or row.text in DATE_BUGS.keys() | REGRESSIONS
        or feedparser_reads(row.text)
    ]


def feedparser_reads(text: str) -> bool:
    entry = feedparser.parse(io.BytesIO(date_feed(text))).entries[0]
    return as_utc(dict.get(entry, "published_parsed")) is not None


DATE_FEED_URL = "http://example.org/feed"


def date_feed(text: str) -> bytes:
    item = f"<title>t</title><link>http://example.org/a</link><pubDate>{escape(text)}</pubDate>"
    return (
        f'<rss version="2.0"><channel><title>d</title><item>{item}</item></channel></rss>'.encode()
    )


def our_date(text: str) -> datetime | None:
    return parse_feed(date_feed(text), DATE_FEED_URL).entries[0].published


def their_date(text: str) -> datetime | None:
    """feedparser's date for ``text``, under the rules of :func:`peer_view`."""
    return (
        peer_view(feedparser.parse(io.BytesIO(date_feed(text))), DATE_FEED_URL).entries[0].published
    )


def date_id(row: DateRow) -> str:
    return f"{row.parser}:{row.text!r}"


def marked(rows: list[DateRow], bugs: dict[str, str]) -> list[Any]:
    return [
        pytest.param(
            row, id=date_id(row), marks=pytest.mark.xfail(strict=True, reason=bugs[row.text])
        )
        if row.text in bugs
        else pytest.param(row, id=date_id(row))
        for row in rows
    ]


@pytest.mark.parametrize("row", marked(date_rows(), DATE_BUGS))
def test_date_is_the_instant_feedparser_reads(row: DateRow) -> None:
    with time_machine.travel(FROZEN, tick=False):
        assert our_date(row.text) == their_date(row.text)


@pytest.mark.parametrize(
    "row", marked([row for row in date_rows() if row.expected], DATE_BUGS | INHERITED)
)
def test_date_is_the_instant_runtests_expects(row: DateRow) -> None:
    """Where runtests.py has a date for a string: where it has none, it means that one
    of feedparser's date parsers must not read it, not that feedparser.parse reads none."""
    with time_machine.travel(FROZEN, tick=False):
        assert our_date(row.text) == row.expected
