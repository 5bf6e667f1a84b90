"""The OpenAI-compatible client: any chat-completions endpoint (vLLM, Ollama, llama.cpp
server, LM Studio, hosted APIs) through the official ``openai`` client.

This module owns the network seam: it is the only model code that touches the network. A
request has an overall deadline (``llm_timeout_s``) enforced around the whole call, since
HTTP read timeouts alone never fire on a server that drips bytes slowly; the client's own
retries are off, because a failed story is retried later by the pipeline, not in a loop.
"""

from __future__ import annotations

from typing import Any

import anyio
import openai

from newsdesk.llm.completer import Message, ModelUnavailableError, response_format

# Tokens the answer may use: an article of a few hundred words in JSON, with room.
MAX_ANSWER_TOKENS = 4096


class OpenAICompleter:
    """Chat completions with JSON-schema output from one endpoint and model."""

    def __init__(self, base_url: str, model: str, api_key: str, timeout_s: float) -> None:
        if not base_url:
            raise ValueError("the openai writer needs NEWSDESK_LLM_BASE_URL (e.g. http://host/v1)")
        if not model:
            raise ValueError("the openai writer needs NEWSDESK_LLM_MODEL (the model's name)")
        self.base_url = base_url
        self.model = model
        self.api_key = api_key or "none"  # local servers ignore it; the client requires one
        self.timeout_s = timeout_s

    @property
    def name(self) -> str:
        return f"openai:{self.model}"

    def complete(self, messages: list[Message], schema_name: str, schema: dict[str, Any]) -> str:
        return anyio.run(self._complete, messages, schema_name, schema)

    async def _complete(
        self, messages: list[Message], schema_name: str, schema: dict[str, Any]
    ) -> str:
        client = openai.AsyncOpenAI(
            base_url=self.base_url, api_key=self.api_key, timeout=self.timeout_s, max_retries=0
        )
        try:
            with anyio.fail_after(self.timeout_s):
                response = await client.chat.completions.create(  # type: ignore[call-overload]
                    model=self.model,
                    messages=messages,
                    response_format=response_format(schema_name, schema),
                    temperature=0,
                    max_tokens=MAX_ANSWER_TOKENS,
                )
        except TimeoutError as error:
            raise ModelUnavailableError(
                f"{self.base_url} gave no complete answer within {self.timeout_s:g} s"
            ) from error
        except openai.APIStatusError as error:
            raise ModelUnavailableError(
                f"{self.base_url} answered HTTP {error.status_code}: {_short(error.message)}"
            ) from error
        except openai.APIError as error:  # connection refused, reset, bad body ...
            raise ModelUnavailableError(
                f"cannot use {self.base_url}: {_short(str(error))}"
            ) from error
        finally:
            await client.close()
        return _content(response, self.base_url)


def _content(response: Any, base_url: str) -> str:
    """The answer's text; an empty or truncated answer counts as no answer."""
    try:
        choice = response.choices[0]
        content = choice.message.content
    except (AttributeError, IndexError, TypeError) as error:
        raise ModelUnavailableError(f"{base_url} sent a malformed completion") from error
    if not isinstance(content, str) or not content.strip():
        raise ModelUnavailableError(f"{base_url} sent an empty answer")
    if getattr(choice, "finish_reason", None) == "length":
        raise ModelUnavailableError(f"{base_url} cut its answer off at the token limit")
    return content


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
