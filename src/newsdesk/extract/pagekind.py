"""Is a page a news article? Galleries, videos, adverts and index pages are kept but
marked, and never clustered into stories.

The page's own declaration wins where it makes one (Open Graph ``og:type``, JSON-LD
``@type``): an article type says news; a gallery, video, product or listing type says
not. Otherwise the address (``/gallery/``, ``/video/``, a site's front page) and the text
decide: a text made mostly of captions, credits and widget words is page furniture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from newsdesk.boilerplate import is_boilerplate
from newsdesk.records import Document
from newsdesk.text import split_sentences

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "blogposting",
        "analysisnewsarticle",
        "liveblogposting",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "report",
    }
)
NOT_NEWS_TYPES = {
    "imagegallery": "a photo gallery",
    "mediagallery": "a photo gallery",
    "videoobject": "a video page",
    "video.other": "a video page",
    "video.movie": "a video page",
    "video.episode": "a video page",
    "collectionpage": "an index page",
    "itemlist": "an index page",
    "searchresultspage": "an index page",
    "product": "an advert or product page",
    "offer": "an advert or product page",
    "profilepage": "a profile page",
}
_PATH_KINDS = (
    (
        re.compile(r"/(?:photo-?)?galler(?:y|ies)/|/slideshows?/|/photos?/|/in-pictures/", re.I),
        "a photo gallery",
    ),
    (re.compile(r"/videos?/|/watch/|/clips?/", re.I), "a video page"),
    (re.compile(r"/(?:sponsored|advertorial|partner-content|paid-post)s?/", re.I), "an advert"),
)
_SPONSORED_TITLE = re.compile(
    r"^\s*(?:sponsored|advertisement|paid (?:post|content)|ad)\b\s*[:|-]", re.I
)
FURNITURE_SHARE = 0.5  # of a text's sentences: a page of captions, not an article
MIN_SENTENCES = 4


def not_news_reason(document: Document, declared: Iterable[str] = ()) -> str | None:
    """Why ``document`` is not a news article, or None when it is one (or may be)."""
    types = {t.strip().lower() for t in declared if t and t.strip()}
    if types & ARTICLE_TYPES:
        return None
    for kind in sorted(types):
        if kind in NOT_NEWS_TYPES:
            return f"{NOT_NEWS_TYPES[kind]} (declared {kind})"
    if document.title and _SPONSORED_TITLE.match(document.title):
        return "an advert (sponsored title)"
    return _by_address(document.url) or _by_text(document.text)


def _by_address(url: str | None) -> str | None:
    if not url:
        return None
    path = urlsplit(url).path or "/"
    if path.strip("/") == "":
        return "an index page (a site's front page)"
    for pattern, kind in _PATH_KINDS:
        if pattern.search(path):
            return f"{kind} (its address)"
    return None


def _by_text(text: str) -> str | None:
    sentences = [s.text for s in split_sentences(text)]
    if len(sentences) < MIN_SENTENCES:
        return None
    # Not the 'we' rule: an interview's quotations are news, not furniture.
    furniture = sum(is_boilerplate(s, outlet_voice=False) for s in sentences)
    if furniture >= FURNITURE_SHARE * len(sentences):
        return f"page furniture ({furniture} of {len(sentences)} sentences are captions or widgets)"
    return None
