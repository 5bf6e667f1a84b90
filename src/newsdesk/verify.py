"""The gate between write and publish: every sentence and fact must hold against its quotes.

This first checker is strict and literal: a citation must quote its document verbatim, and
every number, quoted speech and nearly every content word of the sentence must appear in
the cited quotes. What fails is removed, never published; the article records the counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsdesk.records import Article, Citation, Document, Fact, Section, Sentence, Verification

CHECKER = "literal-citation-check/0.1"
MIN_WORD_COVERAGE = 0.8

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
_STOPWORDS = frozenset(
    """a an the and or but of to in on at by for with from as is are was were be been being
    it its this that these those he she they them his her their we our you your i not no
    has have had do does did will would can could should may might than then there here
    which who whom whose what when where why how also into over under after before about""".split()
)


@dataclass(frozen=True)
class Check:
    supported: bool
    reason: str


def check_claim(text: str, citations: Sequence[Citation], documents: Mapping[str, str]) -> Check:
    """Decide whether ``text`` is supported by its citations (all of them must be genuine)."""
    if not citations:
        return Check(False, "no citation")
    for citation in citations:
        source = documents.get(citation.document)
        if source is None:
            return Check(False, f"cites unknown document {citation.document!r}")
        if not citation.quote or citation.quote not in source:
            return Check(False, f"quote is not verbatim in {citation.document!r}")
    evidence = " ".join(c.quote for c in citations)
    return _check_against(text, evidence)


def _check_against(text: str, evidence: str) -> Check:
    evidence_numbers = set(_NUMBER.findall(evidence))
    for number in _NUMBER.findall(text):
        if number not in evidence_numbers:
            return Check(False, f"number {number} not in the cited passages")
    for speech in _QUOTED.findall(text):
        if speech.strip() not in evidence:
            return Check(False, "quoted speech not found verbatim")
    words = [w for w in _WORD.findall(text.casefold()) if w not in _STOPWORDS]
    if not words:
        return Check(True, "nothing to check")
    evidence_words = set(_WORD.findall(evidence.casefold()))
    coverage = sum(w in evidence_words for w in words) / len(words)
    if coverage < MIN_WORD_COVERAGE:
        return Check(False, f"only {coverage:.0%} of its words are in the cited passages")
    return Check(True, "supported by the cited passages")


def verify_article(article: Article, documents: Sequence[Document]) -> Article:
    """Return the article with unsupported sentences and facts removed, and the counts."""
    texts = {doc.id: doc.text for doc in documents}
    checked = removed = 0
    sections: list[Section] = []
    for section in article.sections:
        paragraphs = []
        for paragraph in section.paragraphs:
            kept = [s for s in paragraph if check_claim(s.text, s.citations, texts).supported]
            checked += len(paragraph)
            removed += len(paragraph) - len(kept)
            if kept:
                paragraphs.append([_mark_supported(s) for s in kept])
        if paragraphs:
            sections.append(Section(heading=section.heading, paragraphs=paragraphs))
    facts = _verified_facts(article.facts, texts)
    checked += len(article.facts)
    removed += len(article.facts) - len(facts)
    standfirst_ok = check_claim(article.standfirst, article.standfirst_citations, texts).supported
    verification = Verification(
        checked=checked, supported=checked - removed, removed=removed, flagged=0, checker=CHECKER
    )
    return article.model_copy(
        update={
            "sections": sections,
            "facts": facts,
            "standfirst": article.standfirst if standfirst_ok else _first_sentence(sections),
            "standfirst_citations": (
                article.standfirst_citations if standfirst_ok else _first_citations(sections)
            ),
            "verification": verification,
        }
    )


def is_publishable(article: Article) -> bool:
    return bool(article.sentences()) and bool(article.standfirst)


def _verified_facts(facts: Sequence[Fact], texts: Mapping[str, str]) -> list[Fact]:
    return [f for f in facts if check_claim(f.detail, f.citations, texts).supported]


def _mark_supported(sentence: Sentence) -> Sentence:
    return sentence.model_copy(update={"status": "supported"})


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
