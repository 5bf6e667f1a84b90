"""Article metadata from a parsed page: title, author, outlet, dates, canonical URL, image.

Read from what publishers declare for search engines and social cards (Open Graph,
``article:*`` meta tags, JSON-LD ``NewsArticle``, ``<link rel=canonical>``), which is
cheaper and more exact than guessing from the body. Only the publication date falls back
to htmldate's heuristics, without its "extensive" search, which mistakes copyright years
for publication dates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from htmldate import find_date

from newsdesk.extract.pagekind import ARTICLE_TYPES

MAX_JSON_LD_CHARS = 200_000
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    canonical: str | None = None
    image: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None
    types: tuple[str, ...] = ()
    """What the page declares itself to be: og:type and JSON-LD @types, lower case."""


def read_metadata(tree: Any, url: str | None) -> PageMetadata:
    """Everything the page declares about itself; ``url`` resolves relative links."""
    meta = collect_meta_tags(tree)
    ld = find_json_ld_article(tree)
    published = first_date(
        meta.get("article:published_time"),
        meta.get("og:published_time"),
        ld.get("datePublished"),
        meta.get("itemprop:datepublished"),
        meta.get("date"),
        first_time_element(tree),
    )
    return PageMetadata(
        title=read_title(tree, meta, ld),
        author=read_author(meta, ld),
        sitename=clean(meta.get("og:site_name")) or name_of(ld.get("publisher")),
        canonical=absolute(first_link(tree, "canonical") or meta.get("og:url"), url),
        image=read_image(meta, ld, url),
        published=published or guess_published(tree, url),
        updated=first_date(
            meta.get("article:modified_time"),
            meta.get("og:updated_time"),
            ld.get("dateModified"),
            meta.get("itemprop:datemodified"),
        ),
        language=read_language(tree, meta),
        types=declared_types(tree, meta),
    )


def declared_types(tree: Any, meta: dict[str, str]) -> tuple[str, ...]:
    """og:type and the @type of every top-level JSON-LD object (lower case)."""
    found = [meta["og:type"]] if meta.get("og:type") else []
    for data in _json_ld_documents(tree):
        found.extend(t for item in walk_json_ld(data) for t in types_of(item))
    return tuple(dict.fromkeys(t.strip().lower() for t in found if t.strip()))


# --- sources of facts --------------------------------------------------------------------


def collect_meta_tags(tree: Any) -> dict[str, str]:
    """``<meta>`` contents by lower-cased property, name or itemprop (first one wins)."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if not content or not content.strip():
            continue
        for attribute, prefix in (("property", ""), ("name", ""), ("itemprop", "itemprop:")):
            key = element.get(attribute)
            if key:
                found.setdefault(prefix + key.strip().lower(), content.strip())
    return found


def find_json_ld_article(tree: Any) -> dict[str, Any]:
    """The first JSON-LD object typed as an article, or an empty dict."""
    for data in _json_ld_documents(tree):
        for item in walk_json_ld(data):
            if ARTICLE_TYPES & {t.lower() for t in types_of(item)}:
                return item
    return {}


def _json_ld_documents(tree: Any) -> Iterator[Any]:
    """Each parseable JSON-LD script of the page (oversized ones skipped)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = script.text or ""
        if len(text) > MAX_JSON_LD_CHARS:
            continue
        try:
            yield json.loads(text)
        except ValueError:
            continue


def walk_json_ld(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Objects of a JSON-LD document: top level, lists and ``@graph`` members."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from walk_json_ld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from walk_json_ld(data.get("@graph"), depth + 1)


def types_of(item: dict[str, Any]) -> list[str]:
    kind = item.get("@type")
    if isinstance(kind, str):
        return [kind]
    return [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []


def first_link(tree: Any, rel: str) -> str | None:
    for element in tree.iter("link"):
        if rel in (element.get("rel") or "").lower().split() and element.get("href"):
            return str(element.get("href"))
    return None


def first_time_element(tree: Any) -> str | None:
    """A ``<time datetime>`` marked as the publication time."""
    for element in tree.iter("time"):
        marked = element.get("pubdate") is not None or element.get("itemprop") == "datePublished"
        if marked and element.get("datetime"):
            return str(element.get("datetime"))
    return None


# --- the fields ----------------------------------------------------------------------


def read_title(tree: Any, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    declared = clean(meta.get("og:title")) or clean(ld.get("headline"))
    declared = declared or clean(meta.get("twitter:title"))
    if declared:
        return declared
    headings = [clean(h.text_content()) for h in tree.iter("h1")]
    if len(headings) == 1 and headings[0]:
        return headings[0]
    return strip_site_suffix(clean(tree.findtext(".//title")))


def strip_site_suffix(title: str | None) -> str | None:
    """Drop the site from "Headline | Outlet" (the longest part is taken as the headline)."""
    if title is None:
        return None
    for separator in _TITLE_SEPARATORS:
        if separator in title:
            return max(title.split(separator), key=len).strip() or title
    return title


def read_author(meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    for value in (meta.get("author"), meta.get("article:author"), meta.get("byl")):
        author = clean(value)
        if author and not author.startswith(("http://", "https://")):
            return author.removeprefix("By ").removeprefix("by ")
    return name_of(ld.get("author"))


def name_of(value: Any) -> str | None:
    """A name from a JSON-LD person/organisation, or a list of them (joined)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return clean(value.get("name"))
    if isinstance(value, list):
        names = [name for item in value[:5] if (name := name_of(item))]
        return ", ".join(names) or None
    return None


# Where pages declare their share image, most specific first: secure_url is og:image's
# https address when both are given.
_IMAGE_TAGS = ("og:image:secure_url", "og:image", "og:image:url", "twitter:image")


def read_image(meta: dict[str, str], ld: dict[str, Any], url: str | None) -> str | None:
    """The first declared image that is an absolute http(s) URL: a broken og:image does
    not hide a good twitter:image or JSON-LD image."""
    candidates = [meta.get(tag) for tag in _IMAGE_TAGS]
    candidates += [meta.get("twitter:image:src"), image_of(ld), meta.get("itemprop:image")]
    for candidate in candidates:
        found = absolute(candidate, url)
        if found is not None:
            return found
    return None


def image_of(ld: dict[str, Any]) -> str | None:
    image = ld.get("image")
    if isinstance(image, list) and image:
        image = image[0]
    if isinstance(image, dict):
        image = image.get("url")
    return image if isinstance(image, str) else None


def read_language(tree: Any, meta: dict[str, str]) -> str | None:
    """The primary language subtag ("en-GB" -> "en") of <html lang>, else of the meta tags."""
    for value in (
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("content-language"),
        meta.get("og:locale"),
    ):
        if isinstance(value, str) and value.strip():
            primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
            if primary.isalpha() and len(primary) <= 8:
                return primary
    return None


# --- values ----------------------------------------------------------------------------


def clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def absolute(link: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL, or None for anything else (javascript:, data: ...)."""
    if not link or not link.strip():
        return None
    resolved = urljoin(base, link.strip()) if base else link.strip()
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


def parse_date(value: object) -> datetime | None:
    """An ISO 8601 date or time as an aware datetime (UTC when no offset is given)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def first_date(*values: object) -> datetime | None:
    return next((moment for value in values if (moment := parse_date(value))), None)


def guess_published(tree: Any, url: str | None) -> datetime | None:
    """htmldate's best guess of the original publication date, from markup and URL."""
    try:
        found = find_date(
            tree, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
        )
    except (ValueError, TypeError):
        return None
    return parse_date(found)
