"""A model's draft, parsed and checked: what survives becomes an Article, nothing else.

The model answers with passage numbers; each number becomes a verbatim citation of that
passage. Every sentence, the standfirst, every fact and every disagreement claim is run
through the project's checker (``newsdesk.verify.check_claim``) against its citations;
what fails is collected for one rewrite request and dropped if it fails again. The
headline and subheadings carry no citations, so their words must come from the passages
cited below them, or they are replaced by grounded ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from newsdesk.records import Citation
from newsdesk.verify import check_claim
from newsdesk.verify.judge import LLMJudge
from newsdesk.write.failures import WriterUnavailableError
from newsdesk.write.model.passages import Passage

MAX_SENTENCE_WORDS = 80
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")
_LABEL = re.compile(r"[A-Za-z][A-Za-z ()'’/-]{0,48}")


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DraftClaim(_Loose):
    text: str
    cites: list[int] = Field(default_factory=list)


class DraftSection(_Loose):
    heading: str = ""
    paragraphs: list[list[DraftClaim]]


class DraftFact(_Loose):
    aspect: str
    detail: str
    cites: list[int] = Field(default_factory=list)


class DraftDisagreement(_Loose):
    topic: str
    claims: list[DraftClaim]


class Draft(_Loose):
    headline: str
    standfirst: DraftClaim
    sections: list[DraftSection]
    facts: list[DraftFact] = Field(default_factory=list)
    disagreements: list[DraftDisagreement] = Field(default_factory=list)

    @field_validator("standfirst", mode="before")
    @classmethod
    def accept_plain_text(cls, value: Any) -> Any:
        return {"text": value, "cites": []} if isinstance(value, str) else value


def parse_json(raw: str, what: str) -> Any:
    """The JSON value of a model's answer (code fences tolerated), or WriterUnavailableError."""
    try:
        return json.loads(_FENCE.sub("", raw))
    except (json.JSONDecodeError, TypeError) as error:
        raise WriterUnavailableError(f"the model's {what} is not JSON ({error})") from error


def parse_draft(raw: str) -> Draft:
    """Parse an article answer; garbage raises WriterUnavailableError (the story stays pending)."""
    try:
        return Draft.model_validate(parse_json(raw, "article"))
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"]) or "answer"
        raise WriterUnavailableError(
            f"the model's article does not match the schema ({where}: {problem['msg']})"
        ) from error


@dataclass
class CheckedClaim:
    """One checkable statement of the draft and the outcome of checking it."""

    text: str
    cites: list[int]
    citations: list[Citation] = field(default_factory=list)
    reason: str = ""
    supported: bool = False


@dataclass
class Checker:
    """Checks claims against the passages they cite and the story's documents."""

    passages: Mapping[int, Passage]
    texts: Mapping[str, str]
    judge: LLMJudge | None = None  # the gate's second opinion, asked here too

    def check(self, text: str, cites: list[int]) -> CheckedClaim:
        claim = CheckedClaim(text=" ".join(text.split()), cites=list(dict.fromkeys(cites)))
        unknown = [n for n in claim.cites if n not in self.passages]
        claim.citations = [self.passages[n].citation() for n in claim.cites if n in self.passages]
        if not claim.text:
            claim.reason = "empty"
        elif unknown:
            claim.reason = f"cites passages that do not exist: {unknown}"
        elif len(claim.text.split()) > MAX_SENTENCE_WORDS:
            claim.reason = f"longer than {MAX_SENTENCE_WORDS} words"
        else:
            result = check_claim(claim.text, claim.citations, self.texts, self.judge)
            claim.supported, claim.reason = result.supported, result.reason
        return claim

    def grounded(self, text: str, citations: list[Citation]) -> bool:
        """A headline or heading: its words, numbers and quotes are in the given quotes."""
        return bool(citations) and check_claim(text, citations, self.texts).supported


def is_label(text: str, max_words: int) -> bool:
    """A short plain label (a fact's aspect, a disagreement's topic): no links or markup."""
    return bool(_LABEL.fullmatch(text.strip())) and len(text.split()) <= max_words
