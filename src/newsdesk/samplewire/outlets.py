"""The invented outlets of the sample wire.

The slugs are fixed: the story files under ``stories/`` refer to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FeedFormat = Literal["rss", "atom"]


@dataclass(frozen=True)
class Outlet:
    """One invented news outlet, served under ``/<slug>/`` with one feed."""

    slug: str
    name: str
    feed_format: FeedFormat
    tagline: str

    @property
    def feed_mime(self) -> str:
        """The MIME type of this outlet's feed (as used in autodiscovery links)."""
        return "application/rss+xml" if self.feed_format == "rss" else "application/atom+xml"


OUTLETS: tuple[Outlet, ...] = (
    Outlet("meridian-post", "The Meridian Post", "rss", "Valdoria's paper of record since 1891"),
    Outlet("harbor-ledger", "Harbor Ledger", "atom", "Business, shipping and the coast"),
    Outlet("northgate-herald", "Northgate Herald", "rss", "News for the north and the nation"),
    Outlet(
        "valley-wire",
        "Valley Wire Service",
        "rss",
        "Independent news agency: fast, accurate, syndicated",
    ),
    Outlet("coastline-times", "Coastline Times", "atom", "Reporting from every harbour town"),
    Outlet("civic-dispatch", "Civic Dispatch", "rss", "Politics, policy and public life"),
    Outlet("ridgeline-news", "Ridgeline News", "atom", "The highlands' own newsroom"),
    Outlet("lakeshore-observer", "Lakeshore Observer", "rss", "Observing Valdoria since 1954"),
    Outlet("eastbrook-gazette", "Eastbrook Gazette", "rss", "Your community, your gazette"),
)

OUTLETS_BY_SLUG: dict[str, Outlet] = {outlet.slug: outlet for outlet in OUTLETS}


def get_outlet(slug: str) -> Outlet:
    """The outlet with this slug; ``KeyError`` naming the known slugs if there is none."""
    try:
        return OUTLETS_BY_SLUG[slug]
    except KeyError:
        known = ", ".join(sorted(OUTLETS_BY_SLUG))
        raise KeyError(f"unknown outlet {slug!r} (known: {known})") from None
