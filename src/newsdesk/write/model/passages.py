"""Numbered source passages for a model: the story's best sentences, each a verbatim quote.

A model cites passages by number, and a number maps back to the exact span of the document,
so every citation a model makes is verbatim by construction. Passages come from the
extractive ranking (central, well-attested sentences first), at most a share per document
so every outlet is heard, and are shown in document order so each source reads coherently.
Passages that read as instructions to a model are left out (see ``newsdesk.injection``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.injection import is_instruction
from newsdesk.records import Citation, Document
from newsdesk.write.extractive.candidates import Candidate, read_candidates, relax
from newsdesk.write.extractive.rank import rank_candidates


@dataclass(frozen=True)
class Passage:
    number: int
    document: str
    quote: str
    outlet: str | None
    published: str | None

    def citation(self) -> Citation:
        return Citation(document=self.document, quote=self.quote)


def choose_passages(documents: Sequence[Document], limit: int) -> list[Passage]:
    """Up to ``limit`` passages, best first by rank, then numbered in document order."""
    ordered = sorted(documents, key=lambda d: d.id)
    per_doc = [[c for c in relax(read_candidates(d)) if _usable(c)] for d in ordered]
    if not any(per_doc):
        return []
    ranking = rank_candidates(per_doc)
    share = max(3, math.ceil(limit / max(1, sum(bool(d) for d in per_doc))) + 2)
    taken: Counter[str] = Counter()
    chosen: list[Candidate] = []
    for row in ranking.by_relevance():
        candidate = ranking.candidates[row]
        if len(chosen) < limit and taken[candidate.doc] < share:
            chosen.append(candidate)
            taken[candidate.doc] += 1
    by_id = {d.id: d for d in ordered}
    position = {d.id: k for k, d in enumerate(ordered)}
    chosen.sort(key=lambda c: (position[c.doc], c.index))
    return [_passage(n, c, by_id[c.doc]) for n, c in enumerate(chosen, start=1)]


def _usable(candidate: Candidate) -> bool:
    return candidate.prose and not is_instruction(candidate.quote)


def _passage(number: int, candidate: Candidate, document: Document) -> Passage:
    published = document.published.date().isoformat() if document.published else None
    return Passage(number, candidate.doc, candidate.quote, document.source, published)
