"""Name who "he" or "she" is, and who "Kessel" is, so that sentences stand on their own.

Two light fusions, each grounded by an extra citation:

- a sentence opening with "He" or "She" whose preceding sentence in the same document
  names exactly one person takes that name ("She said ..." -> "Ilse Farrow said ..."),
  citing that preceding sentence too; it can then be chosen without its predecessor;
- in the finished article, a surname met before its full name ("Kessel declined ...")
  gets the full name the story uses ("Adriana Kessel declined ..."), citing a sentence
  that gives it. Nothing is resolved when the antecedent is not clear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from newsdesk.records import Citation, Section, Sentence
from newsdesk.write.candidates import Candidate, has_direct_speech, is_dependent
from newsdesk.write.entities import find_names, is_person
from newsdesk.write.similarity import STOPWORDS

_PRONOUN = re.compile(r"^(He|She)\s+(?=[a-z])")
_TITLE_WORDS = frozenset(
    """mr mrs ms dr prof sir lady lord the a an his her their its our this that under
    in on at by for with from as into after when while if despite but and or of to""".split()
)


def resolve_pronouns(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Candidates of one document, with clear opening pronouns replaced by the name."""
    resolved = list(candidates)
    for k in range(1, len(resolved)):
        current, before = resolved[k], candidates[k - 1]
        match = _PRONOUN.match(current.text)
        if not match or not before.prose or current.quoted:
            continue  # a quotation stays with the words its source put around it
        people = {m.name for m in find_names(before.text) if is_person(m.name)}
        if len(people) != 1:
            continue
        text = people.pop() + " " + current.text[match.end() :]
        resolved[k] = replace(
            current, text=text, dependent=is_dependent(text), antecedent=before.quote
        )
    return resolved


def introduce_names(
    standfirst: Sentence, sections: Sequence[Section], candidates: Sequence[Candidate]
) -> tuple[Sentence, list[Section]]:
    """Give a surname its full name where the article (standfirst first) first uses it."""
    standfirst = _introduce(standfirst, "", candidates)
    seen = standfirst.text
    fixed: list[Section] = []
    for section in sections:
        paragraphs = []
        for paragraph in section.paragraphs:
            sentences = []
            for sentence in paragraph:
                sentence = _introduce(sentence, seen, candidates)
                seen += " " + sentence.text
                sentences.append(sentence)
            paragraphs.append(sentences)
        fixed.append(Section(heading=section.heading, paragraphs=paragraphs))
    return standfirst, fixed


def _introduce(sentence: Sentence, seen: str, candidates: Sequence[Candidate]) -> Sentence:
    if has_direct_speech(sentence.text):
        return sentence  # a quotation stays with the words its source put around it
    for mention in find_names(sentence.text):
        surname = mention.name
        if " " in surname or re.search(rf"\b{re.escape(surname)}\b", seen):
            continue
        source = _full_name_source(surname, candidates)
        if source is None:
            continue
        full, candidate = source
        start = mention.start
        text = sentence.text[:start] + full + sentence.text[start + len(surname) :]
        citations = [*sentence.citations, Citation(document=candidate.doc, quote=candidate.quote)]
        return sentence.model_copy(update={"text": text, "citations": _unique(citations)})
    return sentence


def _full_name_source(
    surname: str, candidates: Sequence[Candidate]
) -> tuple[str, Candidate] | None:
    """The full name "Given Surname" the story uses, and a sentence that uses it."""
    pattern = re.compile(rf"\b([A-Z][\w'’-]+) {re.escape(surname)}\b")
    for candidate in candidates:
        if not candidate.prose:
            continue
        for match in pattern.finditer(candidate.quote):
            given = match.group(1)
            full = f"{given} {surname}"
            ordinary = given.lower() in _TITLE_WORDS or given.lower() in STOPWORDS
            if not ordinary and is_person(full):
                return full, candidate
    return None


def _unique(citations: list[Citation]) -> list[Citation]:
    return [c for k, c in enumerate(citations) if c not in citations[:k]]
