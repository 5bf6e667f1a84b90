"""Turns an Article into what the story page renders: numbered sources and citation anchors.

Every citable item gets a number N: the standfirst is 0, body sentences are 1..S (anchors
``s-N``), then key facts (``f-N``) and disagreement claims (``c-N``) continue the count.
Citation M of item N is the passage with anchor ``q-N-M``; its marker reads ``[k]``, where
k is the number of the cited source in the Sources list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, urlsplit

from newsdesk.records import Article, Citation, SourceRef


def story_url(story_id: str) -> str:
    return "/stories/" + quote(story_id, safe="")


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link, else None (no javascript:, data: ...)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url.strip()


@dataclass(frozen=True)
class SourceView:
    number: int
    document: str
    outlet: str | None
    title: str
    url: str | None
    published: datetime | None


@dataclass(frozen=True)
class CiteView:
    anchor: str
    label: int
    back: str
    quote: str
    source: SourceView


@dataclass(frozen=True)
class SentenceView:
    anchor: str
    text: str
    flagged: bool
    cites: list[CiteView]


@dataclass(frozen=True)
class SectionView:
    heading: str | None
    paragraphs: list[list[SentenceView]]


@dataclass(frozen=True)
class FactView:
    anchor: str
    aspect: str
    detail: str
    cites: list[CiteView]


@dataclass(frozen=True)
class DisagreementView:
    topic: str
    claims: list[SentenceView]


@dataclass(frozen=True)
class VerificationView:
    checked: int
    total: int
    removed: int
    flagged: int
    judged: int
    checker: str


@dataclass
class StoryView:
    article: Article
    standfirst_cites: list[CiteView] = field(default_factory=list)
    sections: list[SectionView] = field(default_factory=list)
    facts: list[FactView] = field(default_factory=list)
    disagreements: list[DisagreementView] = field(default_factory=list)
    sources: list[SourceView] = field(default_factory=list)
    passages: list[CiteView] = field(default_factory=list)
    verification: VerificationView | None = None


class _Builder:
    def __init__(self, article: Article) -> None:
        self.view = StoryView(article=article)
        self.by_document: dict[str, SourceView] = {}
        for ref in article.sources:
            self._add_source(ref)
        self.counter = 0
        # A passage cited by several sentences is listed once; later links point to it.
        self.listed: dict[tuple[str, str], CiteView] = {}

    def _add_source(self, ref: SourceRef) -> SourceView:
        source = SourceView(
            number=len(self.view.sources) + 1,
            document=ref.document,
            outlet=ref.source,
            title=ref.title or ref.url or ref.document,
            url=safe_url(ref.url),
            published=ref.published,
        )
        self.view.sources.append(source)
        self.by_document.setdefault(ref.document, source)
        return source

    def source_for(self, document: str) -> SourceView:
        found = self.by_document.get(document)
        return found if found is not None else self._add_source(SourceRef(document=document))

    def cites(self, number: int, back: str, citations: list[Citation]) -> list[CiteView]:
        views = []
        for index, citation in enumerate(citations, start=1):
            key = (citation.document, citation.quote)
            if key in self.listed:
                views.append(self.listed[key])
                continue
            source = self.source_for(citation.document)
            cite = CiteView(f"q-{number}-{index}", source.number, back, citation.quote, source)
            self.listed[key] = cite
            views.append(cite)
            self.view.passages.append(cite)
        return views

    def item(
        self, prefix: str, text: str, citations: list[Citation], flagged: bool
    ) -> SentenceView:
        self.counter += 1
        anchor = f"{prefix}-{self.counter}"
        return SentenceView(anchor, text, flagged, self.cites(self.counter, anchor, citations))


def build_story_view(article: Article) -> StoryView:
    builder = _Builder(article)
    view = builder.view
    view.standfirst_cites = builder.cites(0, "standfirst", article.standfirst_citations)
    for section in article.sections:
        paragraphs = [
            [builder.item("s", s.text, s.citations, s.status == "flagged") for s in paragraph]
            for paragraph in section.paragraphs
        ]
        view.sections.append(SectionView(section.heading, paragraphs))
    for fact in article.facts:
        row = builder.item("f", fact.detail, fact.citations, False)
        view.facts.append(FactView(row.anchor, fact.aspect, fact.detail, row.cites))
    for disagreement in article.disagreements:
        claims = [builder.item("c", c.text, c.citations, False) for c in disagreement.claims]
        view.disagreements.append(DisagreementView(disagreement.topic, claims))
    check = article.verification
    published = len(article.sentences())
    view.verification = VerificationView(
        checked=check.checked,
        total=max(check.checked, published + check.removed),
        removed=check.removed,
        flagged=check.flagged,
        judged=check.judged,
        checker=check.checker,
    )
    return view
