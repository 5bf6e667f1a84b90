"""What the checker says about a claim: a ``Verdict`` on a free claim, a ``Check`` on a cited
one, and the ``EvidencePassage`` either rests on.

Made by ``claims.py``, given a second opinion by ``judge.py``, counted by ``article.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.verify.scoring import Label


@dataclass(frozen=True, slots=True)
class EvidencePassage:
    """The source sentence a verdict rests on, quoted from its document."""

    document: str
    text: str


@dataclass(frozen=True, slots=True)
class Verdict:
    label: Label
    score: float
    reason: str
    evidence: EvidencePassage | None
    ruled: bool = False  # decided by a hard rule: no second opinion overturns it
    judged: bool = False  # the label is the LLM judge's (see judge.py)

    @property
    def supported(self) -> bool:
        return self.label == "supported"


@dataclass(frozen=True, slots=True)
class Check:
    """A cited claim's verdict; ``flagged`` when only uncited passages support it."""

    supported: bool
    reason: str
    label: Label = "unsupported"
    score: float = 0.0
    evidence: EvidencePassage | None = None
    flagged: bool = False
    judged: bool = False
