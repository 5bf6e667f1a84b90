"""The writer stage: Story -> Article, behind one interface with interchangeable backends.

- ``extractive`` (default, ``write/extractive/``): offline, deterministic, grounded by
  construction.
- ``openai``: any OpenAI-compatible endpoint, settings ``NEWSDESK_LLM_*``; and ``local``: a
  GGUF model in process (extra ``newsdesk[local]``). Both are the model writer
  (``write/model/``) with a client from ``newsdesk.llm``.

``write/changes.py`` says what a new version of an article changed since the last one.

The model backends raise ``WriterUnavailableError`` when the model cannot be reached or
answers garbage (retry later) and ``DraftRejectedError`` when too little of a draft passes
the checker; neither ever yields a partial article.
"""

from __future__ import annotations

from collections.abc import Callable

from newsdesk.records import Article, Story
from newsdesk.settings import Settings
from newsdesk.verify.judge import LLMJudge
from newsdesk.write.changes import describe_changes
from newsdesk.write.extractive import write_extractive
from newsdesk.write.failures import DraftRejectedError, WriterUnavailableError

__all__ = [
    "BACKENDS",
    "DraftRejectedError",
    "Writer",
    "WriterUnavailableError",
    "describe_changes",
    "make_writer",
    "write_article",
]

Writer = Callable[[Story, int], Article]
BACKENDS = ("extractive", "openai", "local")


def make_writer(
    settings: Settings, backend: str | None = None, judge: LLMJudge | None = None
) -> Writer:
    """The writer function for ``backend`` (default: the settings' ``writer``); the model
    backends consult ``judge`` on the claims the checker is unsure of, as the gate does."""
    name = backend or settings.writer
    if name == "extractive":
        return write_extractive
    if name == "openai":
        from newsdesk.write.model.backends import write_openai

        return lambda story, version: write_openai(story, version, settings, judge)
    if name == "local":
        from newsdesk.write.model.backends import write_local

        return lambda story, version: write_local(story, version, settings, judge)
    known = ", ".join(BACKENDS)
    raise ValueError(f"unknown writer backend {name!r} (known: {known})")


def write_article(
    story: Story,
    *,
    version: int = 1,
    backend: str | None = None,
    settings: Settings | None = None,
) -> Article:
    """Write version ``version`` of the article for ``story`` with the named backend.

    Raises ValueError for an unknown backend or a story with no usable text.
    """
    the_settings = settings or Settings(writer="extractive")
    return make_writer(the_settings, backend)(story, version)
