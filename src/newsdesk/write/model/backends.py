"""The model writers the settings name: ``openai`` (an OpenAI-compatible endpoint) and
``local`` (a GGUF model in process), each a ``newsdesk.llm`` client behind the one writer.

Each client is imported by the writer that uses it: ``openai`` alone takes most of a
second to import, and a deployment runs one backend.
"""

from __future__ import annotations

from newsdesk.records import Article, Story
from newsdesk.settings import Settings
from newsdesk.verify.judge import LLMJudge
from newsdesk.write.model.compose import write_with_model


def write_openai(
    story: Story, version: int, settings: Settings, judge: LLMJudge | None = None
) -> Article:
    """Write the article with the configured OpenAI-compatible endpoint."""
    from newsdesk.llm.endpoint import OpenAICompleter

    completer = OpenAICompleter(
        settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout_s
    )
    return write_with_model(story, version, completer, settings.llm_max_passages, judge)


def write_local(
    story: Story, version: int, settings: Settings, judge: LLMJudge | None = None
) -> Article:
    """Write the article with the GGUF model ``NEWSDESK_LOCAL_MODEL`` names."""
    from newsdesk.llm.gguf import LocalCompleter

    if settings.local_model is None:
        raise ValueError("the local writer needs NEWSDESK_LOCAL_MODEL (a GGUF file)")
    completer = LocalCompleter(settings.local_model)
    return write_with_model(story, version, completer, settings.llm_max_passages, judge)
