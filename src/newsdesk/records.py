"""Plain typed records passed between the pipeline stages.

Every stage takes and returns these; the JSON Lines tools read and write them with
``model_validate`` / ``model_dump(mode="json")``, so bad input fails with a message that
names the offending field. Their JSON Schemas are in ``docs/records/`` (written by
``scripts/record-schemas.py`` from these classes; a test keeps them in step).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Record(BaseModel):
    # Attribute docstrings become the fields' descriptions in the published JSON Schemas.
    model_config = ConfigDict(extra="ignore", frozen=False, use_attribute_docstrings=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Document(Record):
    """A source article. ``sentences`` may stand in for ``text`` on input."""

    id: str = Field(min_length=1)
    url: str | None = None
    """Where the article was read (its canonical address when the page declares one)."""
    source: str | None = None
    """The outlet's name."""
    title: str | None = None
    published: datetime | None = None
    language: str | None = None
    text: str
    """The article's text, paragraphs separated by blank lines."""
    duplicate_of: str | None = None
    """Set by dedupe for a near-duplicate (e.g. a syndicated wire copy): the original's id."""
    # Page metadata from extraction (all optional; absent for imported JSON Lines).
    author: str | None = None
    updated: datetime | None = None
    image_url: str | None = None
    extractor: str | None = None
    """Which extractor's text passed the quality check: trafilatura, trafilatura-default,
    readability, paragraphs."""
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
    """Which story a document was put in (``newsdesk cluster`` prints one per document)."""

    id: str
    """The document's id."""
    story: str
    """The story's id."""


class Story(Record):
    """A group of documents about one event: what a writer takes."""

    id: str = Field(min_length=1)
    documents: list[Document]


class Citation(Record):
    """A passage of a source document that supports a sentence or a fact."""

    document: str
    """The id of the cited document."""
    quote: str
    """The supporting words, exactly as the document has them."""


class Sentence(Record):
    """One sentence of an article with the passages that support it."""

    text: str
    citations: list[Citation]
    status: Literal["supported", "flagged"] = "supported"
    """``flagged``: the checker was unsure; held for an editor under a review policy."""


class Section(Record):
    heading: str | None
    paragraphs: list[list[Sentence]]


class Fact(Record):
    """A row of the key-facts table (who, what, when, where, numbers)."""

    aspect: str
    detail: str
    citations: list[Citation]


class SourceRef(Record):
    """A source document as the article lists it."""

    document: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: datetime | None = None


class Claim(Record):
    """One source's account in a disagreement."""

    text: str
    citations: list[Citation]


class Disagreement(Record):
    """Sources that give different accounts of one point (shown side by side)."""

    topic: str
    claims: list[Claim]


class Verification(Record):
    """What the checker did to an article before it could be published."""

    checked: int = 0
    """Sentences and facts checked against their citations."""
    supported: int = 0
    removed: int = 0
    """Sentences the checker removed as unsupported."""
    flagged: int = 0
    judged: int = 0
    """Sentences whose label the optional LLM judge gave."""
    checker: str = ""
    """The checker's name and version."""


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
    """A written article: every sentence and fact cites the source passages it rests on."""

    story: str
    """The story's id."""
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


PUBLISHED: dict[str, type[Record]] = {
    "document": Document,
    "assignment": Assignment,
    "story": Story,
    "article": Article,
}
"""The records the command line reads and prints, by the name of their schema file."""


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema (draft 2020-12) of each published record, by name."""
    return {
        name: {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **model.model_json_schema(),
        }
        for name, model in PUBLISHED.items()
    }
