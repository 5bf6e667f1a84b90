"""The model writer: an article drafted by a language model, then checked sentence by sentence.

The steps, in order:

- ``passages``: the story's best sentences, numbered; a model cites them by number.
- ``prompts``: the system prompt, the passages as data, and the answer's JSON schema.
- ``draft``: the model's answer parsed, and each of its claims run through the checker.
- ``compose``: ``write_with_model``, which asks, checks, asks once for rewrites, and
  assembles an Article from what passed (or raises).
- ``backends``: the ``openai`` and ``local`` writers, each a ``newsdesk.llm`` client
  handed to ``write_with_model``.
"""
