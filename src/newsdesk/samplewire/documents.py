"""HTML pages, feeds (RSS 2.0 and Atom 1.0), OPML and sitemap of the sample wire.

Every function returns text; every interpolated value is escaped. The article pages
carry realistic boilerplate (cookie notice, navigation, "Most read", newsletter box,
footer) around the ``<article>`` so that a text extractor has real work to do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING

from newsdesk.samplewire.outlets import OUTLETS, Outlet

if TYPE_CHECKING:
    from newsdesk.samplewire.wire import WireArticle

SECTIONS = ("Valdoria", "World", "Business", "Science", "Opinion", "Sport")


def e(value: str) -> str:
    """Escape text for HTML or XML content and double-quoted attributes."""
    return escape(value, quote=True)


def _display_time(when: datetime) -> str:
    utc = when.astimezone(UTC)
    return f"{utc.day} {utc:%B %Y, %H:%M} UTC"


def _feed_url(base: str, outlet: Outlet) -> str:
    return f"{base}/{outlet.slug}/feed.xml"


def _shell(outlet: Outlet | None, title: str, head: str, main: str) -> str:
    name = outlet.name if outlet else "Sample Wire"
    home = f"/{outlet.slug}/" if outlet else "/"
    tagline = outlet.tagline if outlet else "Invented outlets for testing newsdesk"
    nav = "".join(f'<li><a href="{home}#{s.lower()}">{e(s)}</a></li>' for s in SECTIONS)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
{head}
</head>
<body>
<div class="cookie-notice" id="cookie-notice" role="dialog" aria-label="Cookie consent">
<p>We use cookies and similar technologies to remember your preferences, measure our
audience and show you relevant offers. By continuing to browse this site you accept our
use of cookies.</p>
<button type="button">Accept all cookies</button> <a href="/privacy">Manage preferences</a>
</div>
<header class="site-header">
<a class="logo" href="{home}">{e(name)}</a>
<p class="tagline">{e(tagline)}</p>
<nav class="site-nav" aria-label="Sections"><ul><li><a href="{home}">Home</a></li>{nav}</ul></nav>
</header>
<main>
{main}
</main>
<footer class="site-footer">
<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>
<p>&copy; 2026 {e(name)}. All rights reserved. Reproduction without permission is prohibited.</p>
</footer>
</body>
</html>
"""


def render_index(base: str, counts: dict[str, int]) -> str:
    """The wire's front page: every outlet, its home page and feed."""
    items = "".join(
        f'<li><a href="/{o.slug}/">{e(o.name)}</a>: {e(o.tagline)} '
        f"({counts.get(o.slug, 0)} articles, "
        f'<a href="{e(_feed_url(base, o))}">{o.feed_format.upper()} feed</a>)</li>\n'
        for o in OUTLETS
    )
    main = f"""<h1>Sample Wire</h1>
<p>Invented outlets reporting invented events, for testing newsdesk.
All feeds as <a href="/feeds.opml">OPML</a>.</p>
<ul class="outlets">
{items}</ul>"""
    return _shell(None, "Sample Wire", "", main)


def _teaser(article: WireArticle) -> str:
    return (
        f'<li class="teaser"><h2><a href="{e(article.path)}">{e(article.title)}</a></h2>'
        f'<time datetime="{article.published.isoformat()}">'
        f"{_display_time(article.published)}</time>"
        f"<p>{e(article.summary)}</p></li>\n"
    )


def _autodiscovery(base: str, outlet: Outlet) -> str:
    return (
        f'<link rel="alternate" type="{outlet.feed_mime}" '
        f'title="{e(outlet.name)}" href="{e(_feed_url(base, outlet))}">'
    )


def render_outlet_home(base: str, outlet: Outlet, articles: Sequence[WireArticle]) -> str:
    """An outlet's home page: latest articles, with feed autodiscovery."""
    teasers = "".join(_teaser(a) for a in articles) or "<li>No stories yet.</li>"
    head = f'{_autodiscovery(base, outlet)}\n<link rel="canonical" href="{base}/{outlet.slug}/">'
    main = f'<h1>Latest from {e(outlet.name)}</h1>\n<ul class="latest">\n{teasers}</ul>'
    return _shell(outlet, f"{outlet.name}: {outlet.tagline}", head, main)


def _json_ld(base: str, article: WireArticle) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "Organization", "name": article.outlet.name},
        "mainEntityOfPage": base + article.path,
    }
    # "<" never appears raw inside the script element, so "</script>" cannot end it.
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">{text}</script>'


def render_article(base: str, article: WireArticle, others: Sequence[WireArticle]) -> str:
    """An article page; ``others`` are the outlet's other articles for "Most read"."""
    outlet = article.outlet
    url = base + article.path
    iso = article.published.isoformat()
    head = "\n".join(
        [
            f'<meta name="description" content="{e(article.summary)}">',
            f'<meta name="author" content="{e(article.author)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{e(article.title)}">',
            f'<meta property="og:site_name" content="{e(outlet.name)}">',
            f'<meta property="og:url" content="{e(url)}">',
            f'<meta property="article:published_time" content="{iso}">',
            f'<link rel="canonical" href="{e(url)}">',
            _autodiscovery(base, outlet),
            _json_ld(base, article),
        ]
    )
    body = "\n".join(f"<p>{e(p)}</p>" for p in article.paragraphs)
    most_read = (
        "".join(f'<li><a href="{e(o.path)}">{e(o.title)}</a></li>' for o in others[:5])
        or "<li>Nothing else yet.</li>"
    )
    main = f"""<nav class="breadcrumb"><a href="/{outlet.slug}/">Home</a> &rsaquo; Valdoria</nav>
<article class="story">
<h1>{e(article.title)}</h1>
<div class="byline">By <span class="author" rel="author">{e(article.author)}</span></div>
<time datetime="{iso}" pubdate>{_display_time(article.published)}</time>
<div class="article-body">
{body}
</div>
</article>
<div class="share">Share this story: <a href="#share-mail">Email</a>
<a href="#share-link">Copy link</a></div>
<aside class="most-read">
<h2>Most read</h2>
<ol>{most_read}</ol>
</aside>
<aside class="newsletter">
<h2>The Morning Briefing</h2>
<p>Sign up for our free newsletter and get the day's most important stories in your
inbox before breakfast. You can unsubscribe at any time.</p>
<form action="/newsletter" method="post"><input type="email" name="email"
placeholder="Your email address"> <button type="submit">Subscribe</button></form>
</aside>"""
    return _shell(outlet, f"{article.title} | {outlet.name}", head, main)


def render_not_found(path: str) -> str:
    main = f"<h1>Page not found</h1>\n<p>There is nothing at {e(path)}.</p>"
    return _shell(None, "Page not found", "", main)


def _rfc822(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC))


def _latest(articles: Sequence[WireArticle]) -> datetime:
    return max((a.published for a in articles), default=datetime(2026, 11, 1, tzinfo=UTC))


def render_rss(base: str, outlet: Outlet, articles: Sequence[WireArticle]) -> str:
    """RSS 2.0 feed of ``articles`` (given newest first).

    An item's ``description`` holds HTML, so the summary text is escaped as HTML first
    and then as XML.
    """
    items = "".join(
        f"""<item>
<title>{e(a.title)}</title>
<link>{e(base + a.path)}</link>
<guid isPermaLink="true">{e(base + a.path)}</guid>
<pubDate>{_rfc822(a.published)}</pubDate>
<dc:creator>{e(a.author)}</dc:creator>
<description>{e(escape(a.summary, quote=False))}</description>
</item>
"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{e(outlet.name)}</title>
<link>{base}/{outlet.slug}/</link>
<description>{e(outlet.tagline)}</description>
<language>en</language>
<lastBuildDate>{_rfc822(_latest(articles))}</lastBuildDate>
<atom:link href="{e(_feed_url(base, outlet))}" rel="self" type="application/rss+xml"/>
{items}</channel>
</rss>
"""


def render_atom(base: str, outlet: Outlet, articles: Sequence[WireArticle]) -> str:
    """Atom 1.0 feed of ``articles`` (given newest first)."""
    entries = "".join(
        f"""<entry>
<id>{e(base + a.path)}</id>
<title type="text">{e(a.title)}</title>
<link rel="alternate" type="text/html" href="{e(base + a.path)}"/>
<published>{a.published.isoformat()}</published>
<updated>{a.published.isoformat()}</updated>
<author><name>{e(a.author)}</name></author>
<summary type="text">{e(a.summary)}</summary>
</entry>
"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>{base}/{outlet.slug}/</id>
<title>{e(outlet.name)}</title>
<subtitle>{e(outlet.tagline)}</subtitle>
<link rel="alternate" type="text/html" href="{base}/{outlet.slug}/"/>
<link rel="self" type="application/atom+xml" href="{e(_feed_url(base, outlet))}"/>
<updated>{_latest(articles).isoformat()}</updated>
{entries}</feed>
"""


def render_opml(base: str) -> str:
    """OPML 2.0 subscription list of every outlet's feed."""
    outlines = "".join(
        f'<outline type="rss" text="{e(o.name)}" title="{e(o.name)}" '
        f'xmlUrl="{e(_feed_url(base, o))}" htmlUrl="{base}/{o.slug}/"/>\n'
        for o in OUTLETS
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
<head><title>Sample Wire feeds</title></head>
<body>
<outline text="Sample Wire">
{outlines}</outline>
</body>
</opml>
"""


def render_sitemap(base: str, articles: Sequence[WireArticle]) -> str:
    """A sitemap of every article page, with its publication time as lastmod."""
    urls = "".join(
        f"<url><loc>{e(base + a.path)}</loc><lastmod>{a.published.isoformat()}</lastmod></url>\n"
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}</urlset>
"""
