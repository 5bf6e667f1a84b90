"""Model clients: the one seam between newsdesk and a language model.

- ``completer``: the ``Completer`` protocol both users are written against, the chat
  ``Message``, ``response_format`` and ``ModelUnavailableError``.
- ``endpoint``: any OpenAI-compatible chat-completions endpoint (``NEWSDESK_LLM_*``).
- ``gguf``: a GGUF model run in process by llama.cpp (extra ``newsdesk[local]``).

Used by the model writer (``newsdesk.write.model``) and the LLM judge
(``newsdesk.verify.judge``); it imports neither. The clients are imported by whoever
uses them (``openai`` and llama.cpp are costly to load), not here.
"""

from newsdesk.llm.completer import Completer, Message, ModelUnavailableError, response_format

__all__ = ["Completer", "Message", "ModelUnavailableError", "response_format"]
