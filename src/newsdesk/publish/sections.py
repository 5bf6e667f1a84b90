"""Sections: the topics a story belongs to, from its own words, and the outlets that
covered it. Topics are decided once, when a version is published (``operations.py``
stores them with it); the site only reads them.

A topic is a short list of word stems written for this project; a story belongs to the
(at most two) topics whose stems occur at least ``MIN_HITS`` times in its headline,
standfirst, body and key facts. Outlets come from the story's cited sources.
"""

from __future__ import annotations

import re
from collections import Counter

from newsdesk.publish.related import article_text
from newsdesk.records import Article

MIN_HITS = 3
MAX_TOPICS = 2
TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "politics": (
        "Politics",
        (
            "elect",
            "vote",
            "parliament",
            "minister",
            "government",
            "party",
            "senat",
            "mayor",
            "president",
            "coalition",
            "ballot",
            "bill",
            "law",
        ),
    ),
    "economy": (
        "Economy and business",
        (
            "econom",
            "bank",
            "rate",
            "inflation",
            "market",
            "price",
            "compan",
            "profit",
            "invest",
            "budget",
            "trade",
            "job",
            "wage",
            "strike",
            "union",
            "crown",
        ),
    ),
    "disasters": (
        "Disasters and emergencies",
        (
            "earthquake",
            "quake",
            "flood",
            "fire",
            "wildfire",
            "storm",
            "collaps",
            "rescue",
            "evacuat",
            "victim",
            "injur",
            "dead",
            "death",
            "casualt",
            "emergenc",
        ),
    ),
    "transport": (
        "Transport",
        (
            "rail",
            "train",
            "bridge",
            "road",
            "port",
            "ship",
            "ferry",
            "airport",
            "flight",
            "traffic",
            "harbour",
            "harbor",
            "line",
        ),
    ),
    "justice": (
        "Crime and justice",
        (
            "police",
            "court",
            "judge",
            "trial",
            "arrest",
            "charge",
            "crime",
            "prosecut",
            "investigat",
            "breach",
            "fraud",
        ),
    ),
    "health": (
        "Health",
        (
            "health",
            "hospital",
            "doctor",
            "patient",
            "disease",
            "vaccin",
            "medic",
            "nurse",
            "outbreak",
        ),
    ),
    "environment": (
        "Environment and energy",
        (
            "climate",
            "water",
            "drought",
            "reservoir",
            "energy",
            "power",
            "emission",
            "desalinat",
            "pollut",
            "forest",
            "wind",
            "solar",
        ),
    ),
    "sport": (
        "Sport",
        (
            "cup",
            "final",
            "match",
            "goal",
            "team",
            "player",
            "coach",
            "season",
            "league",
            "champion",
            "stadium",
            "tournament",
        ),
    ),
    "technology": (
        "Technology",
        (
            "data",
            "software",
            "cyber",
            "hack",
            "internet",
            "digital",
            "comput",
            "network",
            "app",
            "online",
        ),
    ),
}
_WORD = re.compile(r"[a-z]+")


def topics_of(article: Article) -> list[str]:
    words = _WORD.findall(article_text(article).casefold())
    scores: Counter[str] = Counter()
    for slug, (_title, stems) in TOPICS.items():
        scores[slug] = sum(1 for word in words if word.startswith(stems))
    ranked = [slug for slug, score in scores.most_common() if score >= MIN_HITS]
    return ranked[:MAX_TOPICS]


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "unnamed"


def outlets_of(article: Article) -> list[str]:
    return sorted({s.source for s in article.sources if s.source})
