"""`newsdesk check`: one JSON object per line in, one verdict per line out.

Input lines are ``{"id", "source": text (or a list of texts), "claim": text}``; output
lines are ``{"id", "label": "supported" | "unsupported", "score", "evidence", "verdict",
"reason"}``, where ``verdict`` also tells a contradicted claim from an unsupported one and
``evidence`` is the best source passage found (or null).
"""

from __future__ import annotations

from typing import Any

from newsdesk.verify.claims import check_text
from newsdesk.verify.judge import LLMJudge


class CheckInputError(ValueError):
    """A line of `newsdesk check` input is not of the expected shape."""


def check_record(record: Any, judge: LLMJudge | None = None) -> dict[str, Any]:
    """Check one input object; raises :class:`CheckInputError` naming what is wrong."""
    if not isinstance(record, dict):
        raise CheckInputError("expected a JSON object")
    claim = record.get("claim")
    if not isinstance(claim, str):
        raise CheckInputError("'claim' must be a string")
    sources = _sources(record.get("source"))
    verdict = check_text(claim, sources, judge)
    return {
        "id": record.get("id"),
        "label": "supported" if verdict.supported else "unsupported",
        "score": verdict.score,
        "evidence": verdict.evidence.text if verdict.evidence else None,
        "verdict": verdict.label,
        "reason": verdict.reason,
        "judged": verdict.judged,
    }


def _sources(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [("source", value)]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [(f"source-{n}", text) for n, text in enumerate(value, start=1)]
    raise CheckInputError("'source' must be a string or a list of strings")
