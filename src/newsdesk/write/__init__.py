"""The writer stage: Story -> Article, behind one interface with interchangeable backends.

Only the offline ``extractive`` backend lives here today; LLM backends plug in by name.
"""

from __future__ import annotations

from collections.abc import Callable

from newsdesk.records import Article, Story
from newsdesk.write.extractive import write_extractive

__all__ = ["BACKENDS", "write_article"]

BACKENDS: dict[str, Callable[[Story, int], Article]] = {"extractive": write_extractive}


def write_article(story: Story, *, version: int = 1, backend: str = "extractive") -> Article:
    """Write version ``version`` of the article for ``story`` with the named backend.

    Raises ValueError for an unknown backend, or a story with no usable text.
    """
    writer = BACKENDS.get(backend)
    if writer is None:
        known = ", ".join(sorted(BACKENDS))
        raise ValueError(f"unknown writer backend {backend!r} (known: {known})")
    return writer(story, version)
