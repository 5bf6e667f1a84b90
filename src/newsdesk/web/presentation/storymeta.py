"""What a story page says about the story beyond its text: coverage, JSON-LD, OpenGraph."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup

from newsdesk.records import Article
from newsdesk.web.presentation.card import LOGO_SIZE
from newsdesk.web.presentation.images import Site, StoryImage
from newsdesk.web.presentation.view import safe_url


@dataclass(frozen=True)
class OutletCoverage:
    outlet: str
    reports: int
    first: datetime | None
    last: datetime | None
    links: list[tuple[str, str | None]]  # (title, url)


def coverage(article: Article) -> list[OutletCoverage]:
    """Which outlets covered the story and when, first to report first."""
    grouped: dict[str, list[Any]] = {}
    for source in article.sources:
        grouped.setdefault(source.source or "Unnamed outlet", []).append(source)
    result = []
    for outlet, sources in grouped.items():
        times = sorted(s.published for s in sources if s.published is not None)
        links = [(s.title or s.url or s.document, safe_url(s.url)) for s in sources]
        first, last = (times[0], times[-1]) if times else (None, None)
        result.append(OutletCoverage(outlet, len(sources), first, last, links))
    never = datetime.max.replace(tzinfo=None)
    result.sort(key=lambda c: (c.first.replace(tzinfo=None) if c.first else never, c.outlet))
    return result


def organization(site: Site, *, with_logo: bool) -> dict[str, Any]:
    found: dict[str, Any] = {"@type": "Organization", "name": site.name, "url": site.home}
    if with_logo:
        logo = {"@type": "ImageObject", "url": site.logo, "width": LOGO_SIZE, "height": LOGO_SIZE}
        found["logo"] = logo
    return found


def json_ld(
    article: Article,
    url: str,
    site: Site,
    image: StoryImage,
    published: datetime,
    modified: datetime,
) -> Markup:
    """schema.org NewsArticle as a JSON data block, safe inside <script> (no '<', '>', '&').

    The author is the site itself: the article is machine-written from its sources and
    machine-checked, so naming a person would be untrue.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.standfirst,
        "datePublished": published.isoformat(timespec="seconds"),
        "dateModified": modified.isoformat(timespec="seconds"),
        "mainEntityOfPage": url,
        "url": url,
        "image": [image.url],
        "author": organization(site, with_logo=False),
        "publisher": organization(site, with_logo=True),
        "isBasedOn": [u for u in (safe_url(s.url) for s in article.sources) if u],
        "version": str(article.version),
    }
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)
