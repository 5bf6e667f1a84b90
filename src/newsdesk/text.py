"""The one text module: sentences with offsets into the original text, and words.

Words: ``tokenize`` gives lower-cased content words (no stop words, a light plural
stemming) for the writer's similarities; ``word_set`` writes a word list compactly.

Sentences:
Every citation quotes its document verbatim, so the splitter never rewrites text: it only
finds boundaries, and each :class:`SentenceSpan` is ``text[start:end]`` of the input. The
rules are the usual newswire heuristics (no model): a sentence ends at ``.``, ``!``, ``?``
or ``…`` (plus any closing quotes or brackets) followed by whitespace and a capital, digit
or opening quote, unless the word before the period is a title (``Mr.``, ``Dr.``), an
initial (``J. K.``), a month before a day (``Jan. 5``) or a dotted acronym / company
suffix (``U.S.``, ``a.m.``, ``Inc.``) that is not followed by a typical sentence opener.
Blank lines always end a sentence; a single newline does too unless the next line starts
in lower case (a hard-wrapped paragraph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "STOPWORDS",
    "SentenceSpan",
    "split_paragraphs",
    "split_sentences",
    "tokenize",
    "word_set",
]


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (keeps long lists short)."""
    return frozenset(words.split())


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    """One sentence: ``text == original[start:end]``."""

    start: int
    end: int
    text: str


# Titles before a name: a period after them never ends a sentence.
_TITLES = word_set("""
    mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm maj st rev hon pres supt
    insp det fr messrs mme mlle mt ft rt cpl pvt brig atty gens sens reps v""")
# Month abbreviations: "Jan. 5" continues the sentence.
_MONTHS = word_set("jan feb mar apr jun jul aug sep sept oct nov dec")
# Suffixes and other abbreviations that may end a sentence as well as continue it.
_AMBIGUOUS = word_set("""
    inc ltd co corp jr sr etc vs approx est dept univ assn bros ave blvd rd plc llc
    no nos vol fig ca al""")
# Words that typically open a new sentence; used to resolve the ambiguous cases above.
_OPENERS = word_set("""
    the a an he she it they we i you but and this that these those there in on at his
    her its their our after when while as if meanwhile however some many most one two
    police officials authorities no yet so still then now earlier later""")

_PARAGRAPH_BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")
_TERMINATOR = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_STARTER = re.compile(r"[\"'“‘«(\[]*[A-Z0-9\u00C0-\u00DE]")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_NEXT_WORD = re.compile(r"[\"'“‘«(\[]*([\w'’-]+)")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each paragraph block, whitespace-trimmed, in order."""
    blocks: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        hard = match.group().count("\n") > 1
        next_char = text[match.end() : match.end() + 1]
        if hard or not next_char.islower():
            blocks.append((start, match.start()))
            start = match.end()
    blocks.append((start, len(text)))
    return [trimmed for s, e in blocks if (trimmed := trim_span(text, s, e))[0] < trimmed[1]]


def split_sentences(text: str) -> list[SentenceSpan]:
    """Split ``text`` into sentences whose ``text`` is the exact slice ``text[start:end]``."""
    spans: list[SentenceSpan] = []
    for block_start, block_end in split_paragraphs(text):
        start = block_start
        for boundary in _find_boundaries(text, block_start, block_end):
            _append_span(spans, text, start, boundary)
            start = boundary
        _append_span(spans, text, start, block_end)
    return spans


def _find_boundaries(text: str, start: int, end: int) -> list[int]:
    """Offsets (just after the terminator) at which a sentence inside a block ends."""
    boundaries: list[int] = []
    for match in _TERMINATOR.finditer(text, start, end):
        rest = text[match.end() : end].lstrip()
        if rest and _STARTER.match(rest) and _ends_sentence(text, start, match, rest):
            boundaries.append(match.end())
    return boundaries


def _ends_sentence(text: str, block_start: int, match: re.Match[str], rest: str) -> bool:
    """Decide whether a terminator followed by a capitalised word really ends a sentence."""
    if match.group() != ".":
        return True  # "!", "?", "...", or a period followed by a closing quote or bracket
    word = _word_before(text, block_start, match.start())
    lowered = word.lower()
    next_word = _next_word(rest)
    if lowered in _TITLES or (len(word) == 1 and word.isupper()):
        return False
    if lowered in _MONTHS:
        return not rest[:1].isdigit()
    if lowered in _AMBIGUOUS or _ACRONYM.fullmatch(word):
        return next_word.lower() in _OPENERS
    return True


def _word_before(text: str, block_start: int, position: int) -> str:
    """The token ending at ``position``, without surrounding quotes or brackets."""
    begin = position
    while begin > block_start and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:position].strip("\"'“”‘’«»()[]")


def _next_word(rest: str) -> str:
    match = _NEXT_WORD.match(rest)
    return match.group(1) if match else ""


def _append_span(spans: list[SentenceSpan], text: str, start: int, end: int) -> None:
    start, end = trim_span(text, start, end)
    if start < end:
        spans.append(SentenceSpan(start, end, text[start:end]))


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- words -------------------------------------------------------------------------------


STOPWORDS = word_set("""
    a an the and or but nor of to in on at by for with from as into onto over under
    is are was were be been being am it its it's this that these those he she they them
    his her hers their theirs we us our you your i me my mine not no yes has have had
    having do does did doing will would shall should can could may might must than then
    there here which who whom whose what when where why how also just about after before
    while during since until up down out off again further once all any both each few
    more most other some such only own same so too very s t said says say told mr mrs ms
    one two new like if because""")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def tokenize(text: str) -> list[str]:
    """Lower-cased content words with a light plural/possessive stemming."""
    tokens = []
    for raw in _TOKEN.findall(text.lower()):
        word = re.sub(r"['’]s$", "", raw)
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        tokens.append(_stem(word))
    return tokens


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
