"""The default writer: offline, deterministic, and grounded by construction.

It never writes a word of its own into a sentence: every sentence is a source sentence,
or that sentence with words deleted from its front (a dateline, a time stamp). The steps,
in order, each in its own module:

1. read and trim (``candidates.py``): sentences with datelines and time stamps cut off,
   flagged when they are furniture or lean on the sentence before; syndicated copies
   (``copies.py``) and expectations that later reports overtook (``supersede.py``) out;
2. rank and select (``rank.py``, ``select.py``): centrality across outlets, coverage of
   the story's key terms, no near-repeats, nothing the article already said, the newest
   development in the standfirst;
3. headline (``headline.py``): the sources' own complete title, else the lead's clause;
4. facts (``facts.py``, ``figures.py``, ``mentions.py``, ``kinds.py``): 4-6 rows, Who,
   Where and When checked for their kind, disagreements on this event's counts only;
5. order and layout (``layout.py``, ``headings.py``): what happened, details, background
   and reactions, under subheadings made from the content.

Documents are processed in id order, so input order does not change the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from newsdesk.records import Article, Citation, Document, Sentence, SourceRef, Story
from newsdesk.text import content_words
from newsdesk.write.extractive.candidates import Candidate, read_candidates, relax
from newsdesk.write.extractive.copies import drop_copies
from newsdesk.write.extractive.facts import build_facts
from newsdesk.write.extractive.figures import (
    KINDS,
    Figure,
    find_disagreements,
    find_figures,
    group_by_value,
    main_figures,
)
from newsdesk.write.extractive.headline import strip_outlet, write_headline
from newsdesk.write.extractive.layout import build_sections
from newsdesk.write.extractive.rank import Ranking, rank_candidates
from newsdesk.write.extractive.roles import is_background
from newsdesk.write.extractive.select import Unit, choose_standfirst, cite, select_units
from newsdesk.write.extractive.supersede import drop_overtaken

CENTRAL_TITLE_SHARE = 0.8  # titles this close to the most central one compete on recency
WIRE_NAMES = frozenset({"reuters", "ap", "afp", "associated press", "upi"})


def write_extractive(story: Story, version: int = 1) -> Article:
    """Write the article for ``story`` from its documents' own sentences."""
    documents = usable_documents(story)
    ranking = rank_candidates(_candidates(story.id, documents))
    standfirst = choose_standfirst(ranking, earliness(documents))
    target, cap = word_budget(len(documents))
    units = select_units(ranking, standfirst, target, cap) or [(row,) for row in standfirst]
    figures = main_figures(_figures(ranking), _relevance_by_key(ranking))
    disagreements = find_disagreements(figures)
    units += _disputed_units(ranking, figures, [*standfirst, *_rows(units)])
    outlets = {d.source.casefold() for d in story.documents if d.source}
    facts = build_facts(ranking, standfirst[0], _rows(units), figures, outlets)
    excluded = outlets | WIRE_NAMES
    headline = write_headline(
        _titles(ranking, documents, outlets), ranking.candidates[standfirst[0]].text
    )
    lead_text = " ".join(ranking.candidates[row].text for row in standfirst)
    lead = Sentence(text=lead_text, citations=_merged_citations(ranking, standfirst))
    sections = build_sections(ranking, units, facts.place, excluded, f"{headline}\n{lead_text}")
    return Article(
        story=story.id,
        version=version,
        headline=headline,
        standfirst=lead.text,
        standfirst_citations=lead.citations,
        sections=sections,
        facts=facts.facts,
        sources=source_refs(story),
        disagreements=disagreements,
    )


def usable_documents(story: Story) -> list[Document]:
    """The story's non-empty documents in id order; ValueError naming what is wrong."""
    documents = sorted((d for d in story.documents if d.text.strip()), key=lambda d: d.id)
    if not story.documents:
        raise ValueError(f"story {story.id!r} has no documents to write from")
    if not documents:
        raise ValueError(f"story {story.id!r} has no usable text: every document is empty")
    ids = [d.id for d in story.documents]
    if len(set(ids)) < len(ids):
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"story {story.id!r} repeats document ids {repeated}: ids must be unique")
    return documents


def earliness(documents: Sequence[Document]) -> dict[str, float]:
    """1.0 for the story's first report, falling to 0.0 for its last (undated: 0.5)."""
    dated = sorted((d.published, d.id) for d in documents if d.published is not None)
    if len(dated) < 2:
        return {d.id: 0.5 for d in documents}
    rank = {doc_id: 1.0 - k / (len(dated) - 1) for k, (_, doc_id) in enumerate(dated)}
    return {d.id: rank.get(d.id, 0.5) for d in documents}


def source_refs(story: Story) -> list[SourceRef]:
    return [_source(d) for d in sorted(story.documents, key=lambda d: d.id)]


def word_budget(documents: int) -> tuple[int, int]:
    """Body words to aim for, and never to exceed: a few hundred for a handful of sources."""
    target = min(320, max(150, 85 * documents))
    return target, target + 60


def _candidates(story_id: str, documents: Sequence[Document]) -> list[list[Candidate]]:
    """Every document's sentences; relaxed filters if no document has a full sentence."""
    per_doc = drop_copies(documents, [read_candidates(d) for d in documents])
    per_doc = drop_overtaken(documents, per_doc)
    if not any(_standalone(c) for doc in per_doc for c in doc):
        per_doc = [relax(doc) for doc in per_doc]
    if not any(_standalone(c) for doc in per_doc for c in doc):
        per_doc = [[replace(c, dependent=False) for c in doc] for doc in per_doc]
    if not any(_standalone(c) for doc in per_doc for c in doc):
        raise ValueError(
            f"story {story_id!r} has no usable text: no document contains a sentence of "
            "three or more words"
        )
    return per_doc


def _standalone(candidate: Candidate) -> bool:
    return candidate.prose and not candidate.dependent


def _rows(units: Sequence[Unit]) -> list[int]:
    return [row for unit in units for row in unit]


def _relevance_by_key(ranking: Ranking) -> dict[tuple[str, int], float]:
    return {(c.doc, c.index): ranking.relevance[i] for i, c in enumerate(ranking.candidates)}


def _figures(ranking: Ranking) -> list[Figure]:
    """Figures from sentences about the event itself (not background, not marginal)."""
    peak = max(ranking.relevance, default=0.0)
    return [
        figure
        for i, c in enumerate(ranking.candidates)
        if c.prose and not is_background(c) and ranking.relevance[i] >= 0.3 * peak
        for figure in find_figures(c)
    ]


def _disputed_units(
    ranking: Ranking, figures: dict[str, dict[str, Figure]], chosen: Sequence[int]
) -> list[Unit]:
    """When the article states one side of a disagreement, add the other sides too."""
    added: list[Unit] = []
    for kind in KINDS:
        groups = group_by_value(figures.get(kind.name, {}))
        if not kind.compared or len(groups) < 2:
            continue
        stated = {
            f.key
            for row in [*chosen, *_rows(added)]
            for f in find_figures(ranking.candidates[row])
            if f.kind.name == kind.name
        }
        if stated:
            for group in groups:
                row = ranking.row_of(group[0].candidate)
                if group[0].key not in stated and row not in chosen:
                    added.append((row,))
    return added


def _merged_citations(ranking: Ranking, rows: Sequence[int]) -> list[Citation]:
    citations: list[Citation] = []
    for row in rows:
        citations.extend(c for c in cite(ranking, row) if c not in citations)
    return citations


def _titles(ranking: Ranking, documents: Sequence[Document], outlets: set[str]) -> list[str]:
    """Cleaned titles in order of preference: among the most central ones (close to the
    relevance-weighted centroid) the newest first, so the latest development leads."""
    titled = [(d, strip_outlet(d.title, outlets)) for d in documents if d.title]
    if not titled:
        return []
    centroid = np.array(ranking.relevance) @ ranking.vectors
    title_vectors = ranking.tfidf.vectors([content_words(title) for _, title in titled])
    scores = [float(x) for x in title_vectors @ centroid]
    bar = CENTRAL_TITLE_SHARE * max(scores)

    def preference(k: int) -> tuple[bool, float, float, str]:
        published = titled[k][0].published
        newest = -published.timestamp() if published and scores[k] >= bar else 0.0
        return (scores[k] < bar, newest, -scores[k], titled[k][0].id)

    return [titled[k][1] for k in sorted(range(len(titled)), key=preference)]


def _source(document: Document) -> SourceRef:
    return SourceRef(
        document=document.id,
        url=document.url,
        source=document.source,
        title=document.title,
        published=document.published,
    )
