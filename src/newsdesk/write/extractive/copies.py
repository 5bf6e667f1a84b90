"""Syndicated copies: the same wire story run by two outlets is one source, not two.

Centrality rewards what several documents say, so an agency story printed verbatim by a
second outlet would make its own sentences look confirmed by an independent source. A
document counts as a copy when dedupe linked it to an original (``duplicate_of``) or when
most of its sentences appear word for word in an earlier document of the story; copies
are left out of the ranking (they stay in the article's list of sources).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.records import Document
from newsdesk.write.extractive.candidates import Candidate

COPY_SHARE = 0.6


def drop_copies(
    documents: Sequence[Document], per_doc: Sequence[list[Candidate]]
) -> list[list[Candidate]]:
    """``per_doc`` without the candidates of documents that copy another one."""
    present = {d.id for d in documents}
    order = sorted(range(len(documents)), key=lambda k: (_published(documents[k]), documents[k].id))
    seen: set[str] = set()
    kept: dict[int, list[Candidate]] = {}
    for k in order:
        sentences = {_normal(c.text) for c in per_doc[k] if c.prose}
        linked = documents[k].duplicate_of in present
        copied = sentences and len(sentences & seen) >= COPY_SHARE * len(sentences)
        kept[k] = [] if linked or copied else per_doc[k]
        seen |= sentences
    result = [kept[k] for k in range(len(documents))]
    return result if any(result) else list(per_doc)


def _published(document: Document) -> str:
    return document.published.isoformat() if document.published else "9999"


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())
