"""A story's image: the lead image one of its cited sources declares, else our site card.

The lead image is hotlinked: pages, JSON-LD and feeds point at the URL the source's
publisher declared (og:image, twitter:image or JSON-LD ``image``), credited to and linked
with that source article. We never download, resize or re-host a publisher's image.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from newsdesk.records import Article, SourceRef
from newsdesk.store import repo
from newsdesk.web.presentation.card import CARD_HEIGHT, CARD_WIDTH
from newsdesk.web.presentation.view import safe_url

CARD_PATH = "/site-card.png"
LOGO_PATH = "/site-logo.png"
FAVICON_PATH = "/favicon.png"


@dataclass(frozen=True)
class Site:
    """The site as cards and structured data name it; ``base`` is absolute, no final '/'."""

    name: str
    base: str

    @property
    def home(self) -> str:
        return self.base + "/"

    @property
    def card(self) -> str:
        return self.base + CARD_PATH

    @property
    def logo(self) -> str:
        return self.base + LOGO_PATH

    @property
    def favicon(self) -> str:
        return self.base + FAVICON_PATH


@dataclass(frozen=True)
class StoryImage:
    url: str  # absolute
    alt: str
    credit: str | None = None  # the outlet (else the title) that published it; None: ours
    credit_url: str | None = None  # the source article that declared it
    width: int | None = None  # known for our own card only
    height: int | None = None


def site_card(site: Site) -> StoryImage:
    return StoryImage(site.card, f"{site.name} site card", width=CARD_WIDTH, height=CARD_HEIGHT)


def citation_counts(article: Article) -> Counter[str]:
    """How often the article cites each document: the most cited source leads."""
    cited = list(article.standfirst_citations)
    cited += [c for s in article.sentences() for c in s.citations]
    cited += [c for f in article.facts for c in f.citations]
    cited += [c for d in article.disagreements for claim in d.claims for c in claim.citations]
    return Counter(c.document for c in cited)


def declared_images(session: Session, documents: Iterable[str]) -> dict[str, str]:
    """Document id -> the safe http(s) image it declares (see ``repo.declared_images``)."""
    found = repo.declared_images(session, documents)
    return {doc_id: safe for doc_id, url in found.items() if (safe := safe_url(url))}


def lead_image(article: Article, declared: dict[str, str]) -> StoryImage | None:
    """The image of the most cited source that declares one (first listed on a tie).

    Only a cited source with a link qualifies: the credit must lead to where it appeared.
    """
    counts = citation_counts(article)
    candidates = [
        (-counts[ref.document], index, ref)
        for index, ref in enumerate(article.sources)
        if counts[ref.document] and ref.document in declared and safe_url(ref.url)
    ]
    if not candidates:
        return None
    ref = min(candidates, key=lambda c: (c[0], c[1]))[2]
    return _credited(ref, declared[ref.document])


def _credited(ref: SourceRef, image: str) -> StoryImage:
    credit = ref.source or ref.title or ref.document
    alt = f"Image from {ref.source}: {ref.title}" if ref.source and ref.title else ""
    return StoryImage(image, alt or f"Image from {credit}", credit, safe_url(ref.url))


def story_image(session: Session, article: Article, site: Site) -> StoryImage:
    """The story's lead image, or the site card when no cited source declares one."""
    declared = declared_images(session, (ref.document for ref in article.sources))
    return lead_image(article, declared) or site_card(site)


def story_images(session: Session, articles: Sequence[Article], site: Site) -> dict[str, str]:
    """Story id -> the absolute URL of its image, for many stories in one query."""
    declared = declared_images(session, (r.document for a in articles for r in a.sources))
    return {a.story: (lead_image(a, declared) or site_card(site)).url for a in articles}
