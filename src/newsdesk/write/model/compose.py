"""The model-backed writer: passages -> model -> checked draft -> Article (or nothing).

Shared by every model backend; a backend only supplies a ``Completer`` (``newsdesk.llm``)
that sends chat messages with a JSON schema and returns the answer text. The outcome is all
or nothing: an endpoint that fails raises ``WriterUnavailableError`` (retry later), a draft
of which too little survives raises ``DraftRejectedError``; otherwise every sentence, fact
and claim in the article has passed the checker, after at most one rewrite request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from newsdesk.llm import Completer, Message
from newsdesk.records import Article, Citation, Claim, Disagreement, Fact, Section, Sentence, Story
from newsdesk.verify.judge import LLMJudge
from newsdesk.write.extractive import source_refs, usable_documents, write_extractive
from newsdesk.write.extractive.headline import (
    MAX_HEADLINE_WORDS,
    strip_outlet,
    trim_clause,
    write_headline,
)
from newsdesk.write.failures import DraftRejectedError, WriterUnavailableError
from newsdesk.write.model import draft as d
from newsdesk.write.model.passages import choose_passages
from newsdesk.write.model.prompts import (
    ARTICLE_SCHEMA,
    REWRITE_SCHEMA,
    article_messages,
    rewrite_messages,
)

MIN_SURVIVING_SHARE = 0.5
MIN_FACTS, MAX_FACTS = 4, 6
MAX_HEADING_WORDS = 10
HEADINGS = ("What happened", "Further details", "Background", "Reactions")
Key = tuple[Any, ...]


def write_with_model(
    story: Story,
    version: int,
    completer: Completer,
    max_passages: int,
    judge: LLMJudge | None = None,
) -> Article:
    documents = usable_documents(story)
    passages = choose_passages(documents, max_passages)
    if not passages:
        raise ValueError(f"story {story.id!r} has no usable text: no sentence to cite")
    messages = article_messages(passages)
    raw = completer.complete(messages, "article", ARTICLE_SCHEMA)
    draft = d.parse_draft(raw)
    texts = {doc.id: doc.text for doc in documents}
    checker = d.Checker({p.number: p for p in passages}, texts, judge)
    claims = _check_all(draft, checker)
    failing = [key for key, claim in claims.items() if not claim.supported]
    if failing:
        _rewrite_once(completer, messages, raw, claims, failing, checker)
    return _Assembler(story, version, draft, claims, checker).article()


def _check_all(draft: d.Draft, checker: d.Checker) -> dict[Key, d.CheckedClaim]:
    claims: dict[Key, d.CheckedClaim] = {("standfirst",): checker.check(*_parts(draft.standfirst))}
    for i, section in enumerate(draft.sections):
        for j, paragraph in enumerate(section.paragraphs):
            for k, sentence in enumerate(paragraph):
                claims[("body", i, j, k)] = checker.check(*_parts(sentence))
    for i, fact in enumerate(draft.facts):
        claims[("fact", i)] = checker.check(fact.detail, fact.cites)
    for i, disagreement in enumerate(draft.disagreements):
        for j, claim in enumerate(disagreement.claims):
            claims[("claim", i, j)] = checker.check(*_parts(claim))
    return claims


def _parts(claim: d.DraftClaim) -> tuple[str, list[int]]:
    return claim.text, claim.cites


def _rewrite_once(
    completer: Completer,
    messages: list[Message],
    raw: str,
    claims: dict[Key, d.CheckedClaim],
    failing: Sequence[Key],
    checker: d.Checker,
) -> None:
    """One rewrite request for everything that failed; what fails again stays failed."""
    problems = [(n, claims[key].text, claims[key].reason) for n, key in enumerate(failing)]
    try:
        answer = completer.complete(
            rewrite_messages(messages, raw, problems), "rewrites", REWRITE_SCHEMA
        )
        rewrites = d.parse_json(answer, "rewrite")["rewrites"]
        parsed = [(int(r["id"]), str(r["text"]), [int(n) for n in r["cites"]]) for r in rewrites]
    except (WriterUnavailableError, ValidationError, KeyError, TypeError, ValueError):
        return  # the failing parts are dropped; the rest of the draft stands on its own
    for number, text, cites in parsed:
        if 0 <= number < len(failing) and text.strip():
            claim = checker.check(text, cites)
            if claim.supported:
                claims[failing[number]] = claim


class _Assembler:
    """Builds the Article from the checked claims; refuses a draft that mostly failed."""

    def __init__(
        self,
        story: Story,
        version: int,
        draft: d.Draft,
        claims: dict[Key, d.CheckedClaim],
        checker: d.Checker,
    ) -> None:
        self.story, self.version, self.draft = story, version, draft
        self.claims, self.checker = claims, checker
        self._fallback: Article | None = None

    def fallback(self) -> Article:
        """The extractive article, for grounded replacements of rejected parts."""
        if self._fallback is None:
            self._fallback = write_extractive(self.story, self.version)
        return self._fallback

    def article(self) -> Article:
        sections = self.sections()
        body = [s for section in sections for para in section.paragraphs for s in para]
        total = sum(1 for key in self.claims if key[0] == "body")
        if not body or len(body) < MIN_SURVIVING_SHARE * total:
            raise DraftRejectedError(
                f"only {len(body)} of the model's {total} sentences passed the checker"
            )
        standfirst = self.claims[("standfirst",)]
        if standfirst.supported:
            lead_text, lead_citations = standfirst.text, standfirst.citations
        else:
            lead_text, lead_citations = body[0].text, list(body[0].citations)
        evidence = [*lead_citations, *(c for s in sections[0].paragraphs[0] for c in s.citations)]
        return Article(
            story=self.story.id,
            version=self.version,
            headline=self.headline(lead_text, evidence),
            standfirst=lead_text,
            standfirst_citations=lead_citations,
            sections=sections,
            facts=self.facts(),
            sources=source_refs(self.story),
            disagreements=self.disagreements(),
        )

    def sections(self) -> list[Section]:
        sections: list[Section] = []
        for i, section in enumerate(self.draft.sections):
            paragraphs = []
            for j, paragraph in enumerate(section.paragraphs):
                kept = [self.claims[("body", i, j, k)] for k in range(len(paragraph))]
                sentences = [_sentence(c) for c in kept if c.supported]
                if sentences:
                    paragraphs.append(sentences)
            if paragraphs:
                citations = [c for para in paragraphs for s in para for c in s.citations]
                heading = self.heading(section.heading, citations, len(sections))
                sections.append(Section(heading=heading, paragraphs=paragraphs))
        return sections

    def heading(self, heading: str, citations: list[Citation], position: int) -> str:
        text = " ".join(heading.split())
        short = 0 < len(text.split()) <= MAX_HEADING_WORDS
        if short and self.checker.grounded(text, citations):
            return text
        return HEADINGS[min(position, len(HEADINGS) - 1)]

    def headline(self, lead: str, evidence: list[Citation]) -> str:
        text = " ".join(self.draft.headline.split())
        if len(text.split()) > MAX_HEADLINE_WORDS:
            text = trim_clause(text, MAX_HEADLINE_WORDS)
        if text and self.checker.grounded(text, evidence):
            return text
        outlets = {doc.source for doc in self.story.documents if doc.source}
        titles = [strip_outlet(doc.title, outlets) for doc in self.story.documents if doc.title]
        return write_headline(titles, lead)

    def facts(self) -> list[Fact]:
        facts: list[Fact] = []
        for i, fact in enumerate(self.draft.facts):
            claim = self.claims[("fact", i)]
            if claim.supported and d.is_label(fact.aspect, 5) and self._new_aspect(facts, fact):
                facts.append(
                    Fact(aspect=fact.aspect.strip(), detail=claim.text, citations=claim.citations)
                )
        if len(facts) < MIN_FACTS:
            extra = [f for f in self.fallback().facts if self._new_aspect(facts, f)]
            facts.extend(extra[: MIN_FACTS - len(facts)])
        return facts[:MAX_FACTS]

    @staticmethod
    def _new_aspect(facts: Sequence[Fact], fact: Fact | d.DraftFact) -> bool:
        return fact.aspect.strip().casefold() not in {f.aspect.casefold() for f in facts}

    def disagreements(self) -> list[Disagreement]:
        found = []
        for i, disagreement in enumerate(self.draft.disagreements):
            kept = [
                Claim(text=c.text, citations=c.citations)
                for j in range(len(disagreement.claims))
                if (c := self.claims[("claim", i, j)]).supported
            ]
            if len(kept) >= 2 and d.is_label(disagreement.topic, 6):
                found.append(Disagreement(topic=disagreement.topic.strip(), claims=kept))
        return found


def _sentence(claim: d.CheckedClaim) -> Sentence:
    return Sentence(text=claim.text, citations=claim.citations)
