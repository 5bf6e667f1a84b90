"""When to try a failed fetch again: Retry-After, exponential backoff with jitter."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Answers that say "later": overload, rate limits, a gateway that lost its upstream."""


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(attempt: int, base_s: float, jitter: float = 0.25) -> float:
    """``base_s * 2**attempt``, stretched by up to ``jitter`` so that retries spread out."""
    return float(base_s * 2.0**attempt * (1.0 + random.uniform(0.0, jitter)))


def source_backoff(failures: int, base_s: float, max_s: float) -> float:
    """How long a source that failed ``failures`` times in a row waits before its next poll."""
    if failures <= 0:
        return 0.0
    return float(min(max_s, base_s * 2.0 ** min(failures - 1, 30)))
