"""Whether a new password is easy to guess: a small rule set of our own, no word lists.

A password is read left to right as pieces. A piece is one of the things a guesser tries
first: a word often used in passwords ('password', 'welcome', also written 'p4ssw0rd'), a
keyboard row ('qwerty', 'asdf'), a run along the alphabet or the digits ('abcd', '4321'),
a repeat ('aaaa', 'abab', '123123'), or the person's own e-mail address or name or the
site's name. Any other character is a piece by itself. Each piece counts as one, so
'password1234' counts 2 and 'correct horse battery' 21; a password needs ``MIN_PIECES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_PIECES = 8

# Words that people put in passwords; written for this check, deliberately short.
COMMON_WORDS = (
    "password", "passwort", "passwd", "letmein", "welcome", "admin", "login", "secret",
    "iloveyou", "changeme", "default", "master", "monkey", "dragon", "sunshine", "princess",
    "football", "baseball", "summer", "winter", "spring", "autumn", "hello", "guest",
)  # fmt: skip
KEYBOARD_ROWS = (
    "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",  # QWERTY
    "azertyuiop", "qsdfghjklm", "wxcvbn",  # AZERTY
    "qwertzuiop", "yxcvbnm",  # QWERTZ
    "!@#$%^&*()",  # the digit row, shifted
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",  # QWERTY, column by column
)  # fmt: skip
RUNS = ("abcdefghijklmnopqrstuvwxyz", "01234567890")
# Characters written for letters ('p4ssw0rd'): each may stand for any letter given.
LOOKALIKES = {"@": "a", "4": "a", "3": "e", "1": "il", "!": "il", "|": "il", "0": "o",
              "5": "s", "$": "s", "7": "t", "+": "t"}  # fmt: skip

KINDS = {
    "common": "a word common in passwords (such as 'password' or 'welcome')",
    "row": "a keyboard row (such as 'qwerty')",
    "run": "a run of letters or digits (such as 'abcd' or '1234')",
    "repeat": "repeated characters",
    "email": "your e-mail address",
    "name": "your name",
    "site": "the name of this site",
}


@dataclass(frozen=True)
class Piece:
    length: int
    kind: str  # a key of KINDS, or "" for a single ordinary character


def guessable_problem(password: str, email: str, name: str, site_name: str) -> str | None:
    """Why ``password`` is too easy to guess, naming what it is made of; None if it is not."""
    pieces = read_pieces(password.casefold(), _personal_words(email, name, site_name))
    if len(pieces) >= MIN_PIECES:
        return None
    kinds = list(dict.fromkeys(KINDS[p.kind] for p in pieces if p.kind))
    made_of = _join(kinds) if kinds else "predictable"
    return (
        f"The password is too easy to guess: it is mostly {made_of}. Add words of your own; "
        "a phrase of four or more unrelated words is easy to remember and hard to guess."
    )


def read_pieces(text: str, personal: dict[str, str]) -> list[Piece]:
    """``text`` (case-folded) as pieces, each the longest predictable one found there."""
    pieces, at = [], 0
    while at < len(text):
        piece = max(_candidates(text, at, personal), key=lambda p: p.length)
        pieces.append(piece)
        at += piece.length
    return pieces


def _candidates(text: str, at: int, personal: dict[str, str]) -> Iterable[Piece]:
    yield Piece(1, "")
    for word, kind in personal.items():
        if _word_at(text, at, word):
            yield Piece(len(word), kind)
    for word in COMMON_WORDS:
        if _word_at(text, at, word):
            yield Piece(len(word), "common")
    yield Piece(_along(text, at, RUNS), "run")  # before rows: '1234' is named a run
    yield Piece(_along(text, at, KEYBOARD_ROWS), "row")
    yield Piece(_repeat(text, at), "repeat")


def _word_at(text: str, at: int, word: str) -> bool:
    found = text[at : at + len(word)]
    return len(found) == len(word) and all(
        c == w or w in LOOKALIKES.get(c, "") for c, w in zip(found, word, strict=True)
    )


def _along(text: str, at: int, lines: Iterable[str]) -> int:
    """The longest stretch from ``at`` (3 or more, else 0) that follows a line either way."""
    best = 0
    for line in lines:
        for seq in (line, line[::-1]):
            length = 0
            while at + length < len(text) and text[at : at + length + 1] in seq:
                length += 1
            best = max(best, length)
    return best if best >= 3 else 0


def _repeat(text: str, at: int) -> int:
    """The longest stretch from ``at`` that repeats a unit of 1-4 characters (3 or more)."""
    best = 0
    for size in range(1, 5):
        unit, end = text[at : at + size], at + size
        while text[end : end + size] == unit and len(unit) == size:
            end += size
        if end - at > size:
            best = max(best, end - at)
    return best if best >= 3 else 0


def _personal_words(email: str, name: str, site_name: str) -> dict[str, str]:
    """The person's and the site's words, longest first so the longest match is named."""
    email = email.strip().casefold()
    words = {email: "email", email.split("@")[0]: "email", name.strip().casefold(): "name"}
    words.update({part: "name" for part in name.casefold().split()})
    words.update({part: "site" for part in site_name.casefold().split()})
    words[site_name.strip().casefold()] = "site"
    return {w: k for w, k in sorted(words.items(), key=lambda i: -len(i[0])) if len(w) >= 3}


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
