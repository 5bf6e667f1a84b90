"""Small word lists: negations and hedges, whose loss or addition changes what a claim says.

Words are compared lower-cased as the tokenizer yields them ("n't" arrives as part of the
word, e.g. "didn't").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

NEGATIONS = frozenset(
    """not no never none nobody nothing neither nor without cannot
    denied denies deny refused refuses refuse""".split()
)

# Words that mark a statement as uncertain or second-hand; a claim that drops them from
# its evidence states as fact what the source only reported or believed.
HEDGES = frozenset(
    """reportedly allegedly alleged believed estimated estimate suspected apparently
    possibly probably presumably unconfirmed rumoured rumored purportedly purported
    unverified""".split()
)
# Approximators hedge only the number that follows them ("about 300").
APPROXIMATORS = frozenset("about around nearly almost roughly approximately some".split())


# Days and months: a claim that names one the sources do not has moved the event in time.
# "may" and "march" are also a verb, so they count only capitalised inside a sentence.
DATE_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december""".split()
)
_AMBIGUOUS_DATES = frozenset({"may", "march"})


def is_date_word(word: str, capitalised: bool, first: bool) -> bool:
    if word not in DATE_WORDS:
        return False
    return word not in _AMBIGUOUS_DATES or (capitalised and not first)


def is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


def has_negation(words: Iterable[str]) -> bool:
    return any(is_negation(w) for w in words)


def hedges_in(words: Sequence[str], numbers: Sequence[bool]) -> frozenset[str]:
    """Hedge words of a token sequence (``numbers[i]`` tells whether token i is a number)."""
    found = {w for w in words if w in HEDGES}
    for i, word in enumerate(words[:-1]):
        if word in APPROXIMATORS and numbers[i + 1]:
            found.add(word)
    return frozenset(found)
