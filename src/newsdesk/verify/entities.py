"""Entity-level alignment: what a claim names must be in the passage it was built from.

A careless writer keeps a sentence's shape and changes one thing in it: a name, a number
or a date taken from elsewhere in the article, a "former" or a "South" put before a name,
a hedge cut off ("about 300" becomes "300", "may be" becomes "will be"), two actors
trading places. Each word of such a claim is somewhere in the article, so overlap with
the whole text passes it; against the one sentence the claim was built from
(``align.py``), and its diff, it does not pass. The functions here read that diff.

The aligned span is the sentence, plus the names the claim gives for its pronouns (found
in the sentences either side).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from newsdesk.text import Token
from newsdesk.verify.align import Edits
from newsdesk.verify.evidence import EvidenceIndex, EvidenceSentence, spaced_numbers
from newsdesk.verify.lexicon import APPROXIMATORS, HEDGES, is_date_word, is_negation

# Words that, put before a name, make it another one ("South Sudanese", "former mayor").
MODIFIERS = frozenset(
    """former late acting deputy interim outgoing ex north south east west northern
    southern eastern western central upper lower""".split()
)
# Hedges that a claim may not cut from the words they qualify; the ones before a number
# ("about", "than" of "more than", "least" of "at least") only before a number.
_MODALS = frozenset("may might could".split())
_HEDGING = HEDGES | _MODALS
_BEFORE_NUMBER = APPROXIMATORS | frozenset("than least most".split())
# Words that hedge only as "is said to", "is thought to".
_REPORTED = frozenset("said thought understood expected feared presumed likely".split())
# Words a hedge carries with it ("believed to have been"): cut together with it.
_CARRIED = frozenset("to be have been that".split())
# Words that join two names without one acting on the other, and how far apart two
# names may be for a word between them to link them.
_JOINERS = frozenset("and or the a an of in on at to for with from as".split())
REACH = 8


def unaligned(
    tokens: Sequence[Token], sentence: EvidenceSentence, edits: Edits, index: EvidenceIndex
) -> tuple[int, ...]:
    """Positions of claim tokens that name what the aligned span does not: a name, number,
    day or month that the sentence lacks, or a modifier it does not put before that word."""
    spaced = spaced_numbers(sentence.text)  # "3, 800" is one number, not 3 and 800
    span = sentence.key_set | edits.resolved | spaced
    # Names are compared as written: "Mitchells" is not "Mitchell", though both stem alike.
    written = {_name(t) for t in sentence.tokens if t.capitalised}
    found = []
    for i in edits.added:
        token = tokens[i]
        if token.word in MODIFIERS:
            following = tokens[i + 1].key if i + 1 < len(tokens) else ""
            if (token.key, following) not in sentence.bigrams:
                found.append(i)
        elif not _is_entity(token, i, index):
            continue
        elif (
            token.key not in span
            or (
                token.capitalised
                and _name(token) not in written
                and token.key not in edits.resolved
            )
            or (
                token.number
                and token.key not in spaced
                and _replaces_number(i, tokens, sentence, edits)
            )
        ):
            found.append(i)
    return tuple(found)


def _name(token: Token) -> str:
    return token.word.removesuffix("'s")


def _replaces_number(
    i: int, tokens: Sequence[Token], sentence: EvidenceSentence, edits: Edits
) -> bool:
    """The claim's number stands where the sentence has another number that the claim
    does not give (the number it took is elsewhere in the sentence: "Apr 1" for "Apr 2")."""
    claimed = {t.key for t in tokens}
    for i1, i2, j1, j2 in edits.replaced:
        if i1 <= i < i2:
            return any(w.number and w.key not in claimed for w in sentence.tokens[j1:j2])
    return False


def substituted(
    tokens: Sequence[Token], sentence: EvidenceSentence, edits: Edits, at: Sequence[int]
) -> tuple[tuple[str, int], ...]:
    """Of the unaligned positions ``at``, those that replace a word of the same kind in
    the sentence (a name for a name, a number for a number, a date for a date), and the
    added modifiers: a swap, not an addition. Pairs of kind and position."""
    found = []
    for i in at:
        kind = _kind(tokens[i], i)
        if tokens[i].word in MODIFIERS:
            found.append(("modifier", i))
            continue
        for i1, i2, j1, j2 in edits.replaced:
            if i1 <= i < i2 and any(
                _kind(w, j) == kind or (kind == "name" and w.content)
                for j, w in enumerate(sentence.tokens[j1:j2], j1)
            ):
                found.append((kind, i))
                break
    return tuple(found)


def _kind(token: Token, position: int) -> str:
    if token.number:
        return "number"
    if is_date_word(token.word, token.capitalised, position == 0):
        return "date"
    return "name" if token.capitalised else ""


def _is_entity(token: Token, position: int, index: EvidenceIndex) -> bool:
    if token.number or is_date_word(token.word, token.capitalised, position == 0):
        return True
    # A capital that starts the claim says nothing, unless the sources write it so inside
    # a sentence too.
    return token.capitalised and (position > 0 or token.key in index.names)


def hedge_cut(tokens: Sequence[Token], sentence: EvidenceSentence, edits: Edits) -> bool:
    """The claim keeps words that its sentence hedges and drops the hedge."""
    if any(hedging(tokens, i) for i in edits.added):
        return False  # one hedge for another ("about" for "around")
    return _cut(sentence, edits, lambda j: hedging(sentence.tokens, j))


def negation_cut(tokens: Sequence[Token], sentence: EvidenceSentence, edits: Edits) -> bool:
    """The claim keeps words that its sentence negates and drops the negation ("did not
    do so" made "did do so", "wasn't" made "was")."""
    if any(is_negation(tokens[i].word) for i in edits.added):
        return False
    return _cut(sentence, edits, lambda j: is_negation(sentence.tokens[j].word), replaced=True)


def _cut(
    sentence: EvidenceSentence, edits: Edits, marker: Callable[[int], bool], replaced: bool = False
) -> bool:
    """A dropped marker whose words (after any it carries with it) the claim keeps; with
    ``replaced``, a marker the claim wrote over counts too ("was" for "wasn't")."""
    dropped = set(edits.dropped)
    swapped = {j for _, _, j1, j2 in edits.replaced if j2 - j1 == 1 for j in range(j1, j2)}
    for j in sorted(dropped):
        if not marker(j):
            continue
        if replaced and j in swapped:
            return True
        k = j + 1
        while k in dropped and sentence.tokens[k].word in _CARRIED:
            k += 1
        if edits.window[0] <= k < edits.window[1] and k not in dropped:
            return True
    return False


def hedging(tokens: Sequence[Token], i: int) -> bool:
    word = tokens[i].word
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if word in _HEDGING:
        return not (word in _MODALS and tokens[i].capitalised)  # "In May": the month
    if following is None:
        return False
    if word in _REPORTED:
        return following.word == "to"  # "is said to have", "is thought to be"
    return word in _BEFORE_NUMBER and following.number


def actors_traded(tokens: Sequence[Token], sentence: EvidenceSentence) -> bool:
    """ "A beat B" where the sentence says "B beat A": two names on either side of a word
    they share, close by, trade sides. A passive ("by" between them) rewords; it does not
    trade."""
    names = {t.key for t in sentence.tokens if t.capitalised and not t.number}
    claim, source = _Positions(tokens, names), _Positions(sentence.tokens, names)
    for a, b in ((a, b) for a in claim.names for b in claim.names if a != b):
        if a not in source.names or b not in source.names:
            continue
        for verb in claim.links(a, b):
            if verb in source.links(b, a):
                return True
    return False


class _Positions:
    """Where each name and each linking word of a token sequence are."""

    def __init__(self, tokens: Sequence[Token], names: set[str]) -> None:
        self.names: dict[str, list[int]] = {}
        self.words: list[tuple[int, str]] = []
        self.passive: list[int] = []
        for i, token in enumerate(tokens):
            if token.capitalised and token.key in names:
                self.names.setdefault(token.key, []).append(i)
            elif not token.capitalised and not token.number and token.word not in _JOINERS:
                self.words.append((i, token.key))
            if token.word == "by":
                self.passive.append(i)

    def links(self, a: str, b: str) -> set[str]:
        """Words between a place of ``a`` and a later place of ``b`` at most REACH apart."""
        found: set[str] = set()
        for i in self.names[a]:
            for j in self.names[b]:
                if 0 < j - i <= REACH and not any(i < k < j for k in self.passive):
                    found.update(key for k, key in self.words if i < k < j)
        return found
