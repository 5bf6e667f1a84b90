"""Errors of the writer stage that the pipeline treats differently from bad input."""

from __future__ import annotations


class WriterUnavailableError(RuntimeError):
    """The writer's model could not be reached, was too slow, or answered garbage.

    Nothing is written: the pipeline leaves the story pending and tries again later.
    """


class DraftRejectedError(ValueError):
    """The model answered, but too little of its draft survived validation and the checker
    to make an article; nothing is published (the story is held until it changes)."""
