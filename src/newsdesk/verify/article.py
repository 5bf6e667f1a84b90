"""The gate between write and publish: every sentence and fact must hold against the sources.

Each sentence is checked against its cited quotes (which must be verbatim), then against
the story's documents. Supported: kept. Supported only by another passage: kept, marked
``flagged`` and re-cited to that passage, so the reader sees what it rests on, but only
where an editor will see it first (``keep_flagged``: a review policy holds flagged
versions); with no review, it is removed like anything else that its own citations do
not support. Anything else is removed, never published. Key facts must hold against
their own quotes (a fact row is short, so every number and nearly every word must be
there); a fact whose number differs from its quotes is contradicted and removed. The
article's ``verification`` block records what was checked and what happened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsdesk.records import (
    Article,
    Citation,
    Disagreement,
    Document,
    Fact,
    Section,
    Sentence,
    Verification,
)
from newsdesk.text import tokenize
from newsdesk.verify.claims import check_claim
from newsdesk.verify.judge import LLMJudge
from newsdesk.verify.verdicts import Check

CHECKER = "newsdesk-lexical-check/3.2"
MIN_FACT_COVERAGE = 0.8


class _Tally:
    def __init__(self, judge: LLMJudge | None) -> None:
        self.checked = self.removed = self.flagged = self.judged = 0
        self.checker = f"{CHECKER} + {judge.name}" if judge is not None else CHECKER

    def count(self, check: Check, keep_flagged: bool = True) -> bool:
        self.checked += 1
        self.judged += check.judged
        kept = check.supported and (keep_flagged or not check.flagged)
        if not kept:
            self.removed += 1
        elif check.flagged:
            self.flagged += 1
        return kept

    def verification(self) -> Verification:
        return Verification(
            checked=self.checked,
            supported=self.checked - self.removed,
            removed=self.removed,
            flagged=self.flagged,
            judged=self.judged,
            checker=self.checker,
        )


def verify_article(
    article: Article,
    documents: Sequence[Document],
    judge: LLMJudge | None = None,
    keep_flagged: bool = True,
) -> Article:
    """Return the article with unsupported sentences and facts removed, and the counts.
    A ``judge`` gives a second opinion on the sentences the checker is unsure of. Without
    ``keep_flagged`` (nobody reviews before publishing), a sentence its own citations do
    not support is removed even where another passage does."""
    texts = {doc.id: doc.text for doc in documents}
    tally = _Tally(judge)
    sections = _verified_sections(article.sections, texts, tally, judge, keep_flagged)
    facts = [f for f in article.facts if tally.count(check_fact(f, texts))]
    standfirst = check_claim(article.standfirst, article.standfirst_citations, texts, judge)
    keep_standfirst = standfirst.supported and not standfirst.flagged
    return article.model_copy(
        update={
            "sections": sections,
            "facts": facts,
            "standfirst": article.standfirst if keep_standfirst else _first_sentence(sections),
            "standfirst_citations": (
                article.standfirst_citations if keep_standfirst else _first_citations(sections)
            ),
            "disagreements": _verified_disagreements(article.disagreements, texts, judge),
            "verification": tally.verification(),
        }
    )


def is_publishable(article: Article) -> bool:
    return bool(article.sentences()) and bool(article.standfirst)


def check_fact(fact: Fact, texts: Mapping[str, str]) -> Check:
    """A key-facts row: genuine quotes holding every number and most words of its detail."""
    if not fact.citations:
        return Check(False, "no citation")
    quotes = []
    for citation in fact.citations:
        source = texts.get(citation.document)
        if source is None or not citation.quote or citation.quote not in source:
            return Check(False, f"quote is not verbatim in {citation.document!r}")
        quotes.append(citation.quote)
    evidence = tokenize(" ".join(quotes))
    numbers = {t.key for t in evidence if t.number}
    keys = {t.key for t in evidence}
    detail = tokenize(fact.detail)
    missing = [t.word for t in detail if t.number and t.key not in numbers]
    if missing:
        reason = f"number {missing[0]} is not in its quotes"
        return Check(False, reason, "contradicted" if numbers else "unsupported")
    content = [t for t in detail if t.content]
    if not content:
        return Check(False, "nothing checkable in the detail")
    coverage = sum(t.key in keys for t in content) / len(content)
    if coverage < MIN_FACT_COVERAGE:
        return Check(False, f"only {coverage:.0%} of its words are in its quotes")
    return Check(True, "supported by its quotes", "supported", coverage)


def _verified_sections(
    sections: Sequence[Section],
    texts: Mapping[str, str],
    tally: _Tally,
    judge: LLMJudge | None,
    keep_flagged: bool,
) -> list[Section]:
    kept_sections: list[Section] = []
    for section in sections:
        paragraphs = []
        for paragraph in section.paragraphs:
            kept = []
            for sentence in paragraph:
                check = check_claim(sentence.text, sentence.citations, texts, judge)
                if tally.count(check, keep_flagged):
                    kept.append(_mark(sentence, check))
            if kept:
                paragraphs.append(kept)
        if paragraphs:
            kept_sections.append(Section(heading=section.heading, paragraphs=paragraphs))
    return kept_sections


def _mark(sentence: Sentence, check: Check) -> Sentence:
    if check.flagged and check.evidence is not None:
        cited = [Citation(document=check.evidence.document, quote=check.evidence.text)]
        return sentence.model_copy(update={"status": "flagged", "citations": cited})
    return sentence.model_copy(update={"status": "supported"})


def _verified_disagreements(
    disagreements: Sequence[Disagreement], texts: Mapping[str, str], judge: LLMJudge | None
) -> list[Disagreement]:
    """Each side of a disagreement must hold against its own quotes; one side is no dispute."""
    kept = []
    for disagreement in disagreements:
        claims = [
            c
            for c in disagreement.claims
            if (check := check_claim(c.text, c.citations, texts, judge)).supported
            and not check.flagged
        ]
        if len(claims) >= 2:
            kept.append(Disagreement(topic=disagreement.topic, claims=claims))
    return kept


def _first_sentence(sections: Sequence[Section]) -> str:
    for section in sections:
        for paragraph in section.paragraphs:
            return paragraph[0].text
    return ""


def _first_citations(sections: Sequence[Section]) -> list[Citation]:
    for section in sections:
        for paragraph in section.paragraphs:
            return list(paragraph[0].citations)
    return []
