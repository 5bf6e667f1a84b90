"""Plain typed records passed between the pipeline stages (shapes as in design.md).

Every stage takes and returns these; the JSON Lines tools read and write them with
``model_validate`` / ``model_dump(mode="json")``, so bad input fails with a message that
names the offending field.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Record(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=False)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Document(Record):
    """A source article. ``sentences`` may stand in for ``text`` on input."""

    id: str = Field(min_length=1)
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: datetime | None = None
    language: str | None = None
    text: str
    # Set by dedupe for a near-duplicate (e.g. a syndicated wire copy): the original's id.
    duplicate_of: str | None = None
    # Page metadata from extraction (all optional; absent for imported JSON Lines).
    author: str | None = None
    updated: datetime | None = None
    image_url: str | None = None
    extractor: str | None = None
    """Which extractor's text passed the quality check: trafilatura, readability, paragraphs."""
    not_news: str | None = None
    """Why the page is not a news article (a gallery, a video, an advert...): such a
    document is kept but never clustered into a story (``pagekind.py``)."""

    @model_validator(mode="before")
    @classmethod
    def join_sentences(cls, data: Any) -> Any:
        if isinstance(data, dict) and "text" not in data and "sentences" in data:
            sentences = data["sentences"]
            if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
                raise ValueError("'sentences' must be a list of strings")
            data = {**data, "text": " ".join(s.strip() for s in sentences if s.strip())}
        return data

    @property
    def content_hash(self) -> str:
        return hash_text(self.text)


class Assignment(Record):
    id: str
    story: str


class Story(Record):
    id: str = Field(min_length=1)
    documents: list[Document]


class Citation(Record):
    document: str
    quote: str


class Sentence(Record):
    text: str
    citations: list[Citation]
    status: Literal["supported", "flagged"] = "supported"


class Section(Record):
    heading: str | None
    paragraphs: list[list[Sentence]]


class Fact(Record):
    aspect: str
    detail: str
    citations: list[Citation]


class SourceRef(Record):
    document: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: datetime | None = None


class Claim(Record):
    text: str
    citations: list[Citation]


class Disagreement(Record):
    topic: str
    claims: list[Claim]


class Verification(Record):
    checked: int = 0
    supported: int = 0
    removed: int = 0
    flagged: int = 0
    judged: int = 0  # sentences whose label the optional LLM judge gave
    checker: str = ""


class FigureChange(Record):
    """A key fact whose value differs from the previous version's."""

    aspect: str
    before: str
    after: str
    citations: list[Citation] = Field(default_factory=list)


class Changes(Record):
    """What a version changed since the one before it (absent on a first version)."""

    since: int
    added_sources: list[SourceRef] = Field(default_factory=list)
    added_facts: list[Fact] = Field(default_factory=list)
    changed_figures: list[FigureChange] = Field(default_factory=list)
    corrections: list[FigureChange] = Field(default_factory=list)
    updated_facts: list[FigureChange] = Field(default_factory=list)
    removed_facts: list[Fact] = Field(default_factory=list)

    def is_empty(self) -> bool:
        lists = (self.added_facts, self.changed_figures, self.corrections, self.updated_facts)
        return not any(lists) and not self.removed_facts and not self.added_sources


class Article(Record):
    story: str
    version: int = 1
    headline: str
    standfirst: str
    standfirst_citations: list[Citation] = Field(default_factory=list)
    sections: list[Section]
    facts: list[Fact]
    sources: list[SourceRef]
    disagreements: list[Disagreement] = Field(default_factory=list)
    verification: Verification = Field(default_factory=Verification)
    changes: Changes | None = None

    def sentences(self) -> list[Sentence]:
        return [s for section in self.sections for para in section.paragraphs for s in para]


def hash_text(text: str) -> str:
    """Content hash used as the idempotency key of documents (whitespace-insensitive)."""
    normalised = " ".join(text.split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
