"""The writer stage's failures that the pipeline treats differently from bad input."""

from __future__ import annotations

from newsdesk.llm import ModelUnavailableError

__all__ = ["DraftRejectedError", "WriterUnavailableError"]

# The writer's model could not be reached, was too slow, or answered garbage. Nothing is
# written: the pipeline leaves the story pending and tries again later. It is the model
# clients' own error (``newsdesk.llm``), named for the stage that the pipeline runs.
WriterUnavailableError = ModelUnavailableError


class DraftRejectedError(ValueError):
    """The model answered, but too little of its draft survived validation and the checker
    to make an article; nothing is published (the story is held until it changes)."""
