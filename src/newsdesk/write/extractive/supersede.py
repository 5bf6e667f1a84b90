"""Lines that newer reports have overtaken: an expectation from an earlier report ("the
trial is expected to last several days") once a later report carries a development (a
verdict, a sentence, a new toll, a resignation). Stating both would print a stale line
beside the news that replaced it, so the earlier report's expectation is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from newsdesk.records import Document
from newsdesk.write.extractive.candidates import Candidate

# A development: what a later report adds that overtakes earlier expectations.
DEVELOPMENT = re.compile(
    r"\b(?:sentenced|convicted|acquitted|found (?:not )?guilty|pleaded|verdict|jailed|"
    r"charged|arrested|indicted|resign(?:ed|s)|stepped down|fired|died|rose to|risen to|"
    r"climbed to|confirmed dead|rescued|freed|released|won|elected|appointed|named|"
    r"approved|signed|ruled)\b",
    re.IGNORECASE,
)
_EXPECTATION = re.compile(
    r"\b(?:(?:is|are|was|were) (?:expected|scheduled|set|due|likely|poised|slated) to|"
    r"(?:is|are) to (?:be|appear|face|stand)|will (?:be|face|appear|stand|resume|begin|"
    r"start|last|continue|decide|rule|vote|announce|hear)|plans? to|awaits?|awaiting)\b",
    re.IGNORECASE,
)
LATER = timedelta(hours=1)  # a report this much newer is a later report, not the same one


def drop_overtaken(
    documents: Sequence[Document], per_doc: Sequence[list[Candidate]]
) -> list[list[Candidate]]:
    """The candidates, with an earlier report's expectations marked as not usable once a
    later report in the story carries a development."""
    newest_news = max(
        (
            d.published
            for d, candidates in zip(documents, per_doc, strict=True)
            if d.published is not None and any(_develops(c) for c in candidates)
        ),
        default=None,
    )
    if newest_news is None:
        return [list(c) for c in per_doc]
    result = []
    for document, candidates in zip(documents, per_doc, strict=True):
        earlier = document.published is not None and document.published + LATER <= newest_news
        result.append(
            [replace(c, prose=False) if earlier and _expects(c) else c for c in candidates]
        )
    return result


def _develops(candidate: Candidate) -> bool:
    return candidate.prose and bool(DEVELOPMENT.search(candidate.text))


def _expects(candidate: Candidate) -> bool:
    return bool(_EXPECTATION.search(candidate.text)) and not DEVELOPMENT.search(candidate.text)
