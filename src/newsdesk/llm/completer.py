"""What every model client offers: chat messages in, an answer constrained to a JSON schema
out, or ``ModelUnavailableError``.

The writer (``newsdesk.write.model``) and the judge (``newsdesk.verify.judge``) are written
against ``Completer``; ``endpoint.py`` (an OpenAI-compatible server) and ``gguf.py`` (a
local GGUF model in process) implement it.
"""

from __future__ import annotations

from typing import Any, Protocol

Message = dict[str, str]


class ModelUnavailableError(RuntimeError):
    """The model could not be reached, was too slow, or answered garbage.

    Nothing is written: the pipeline leaves the story pending and tries again later (the
    writer knows this error as ``WriterUnavailableError``); the judge leaves its verdict
    to the lexical checker.
    """


class Completer(Protocol):
    """Sends chat messages with a JSON schema; returns the answer's text."""

    @property
    def name(self) -> str: ...

    def complete(self, messages: list[Message], schema_name: str, schema: dict[str, Any]) -> str:
        """Raises ModelUnavailableError when the model cannot be reached or is too slow."""
        ...


def response_format(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAI ``response_format`` for strict JSON-schema output."""
    return {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}
