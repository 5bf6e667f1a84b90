"""The one text module: sentences with offsets into the original text, words and tokens.

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

Words (the writer's similarities, the clusterer): ``content_words`` gives lower-cased
words without ``STOPWORDS``, lightly stemmed; ``word_set`` writes a word list compactly.

Tokens (the claim checker): a claim and its evidence are compared on *keys*: a word's
Snowball stem in lower case, so "resigned" matches "resigns", and a number's canonical
form, so "1,200" matches "1200" and "twelve" matches "12" (``tokenize``, ``Token``). Its
stop words are ``CHECKER_STOPWORDS``. The checker's sentence splitting (``split_spans``,
``split_clauses``) only needs to find checkable units and evidence windows, so it is
deliberately forgiving (lower-case starts are common in wire copy and in some evaluation
data); offsets are kept so evidence is quoted verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "CHECKER_STOPWORDS",
    "CLUSTER_STOPWORDS",
    "STOPWORDS",
    "SentenceSpan",
    "Token",
    "content_words",
    "normalise_number",
    "split_clauses",
    "split_paragraphs",
    "split_sentences",
    "split_spans",
    "stem",
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


# The writer's and the clusterer's stop words (the checker has its own: CHECKER_STOPWORDS).
STOPWORDS = word_set("""
    a an the and or but nor of to in on at by for with from as into onto over under
    is are was were be been being am it its it's this that these those he she they them
    his her hers their theirs we us our you your i me my mine not no yes has have had
    having do does did doing will would shall should can could may might must than then
    there here which who whom whose what when where why how also just about after before
    while during since until up down out off again further once all any both each few
    more most other some such only own same so too very s t said says say told mr mrs ms
    one two new like if because""")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def content_words(text: str) -> list[str]:
    """Lower-cased content words with a light plural/possessive stemming."""
    tokens = []
    for raw in _WORD.findall(text.lower()):
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


# --- tokens and checkable units (the claim checker) ------------------------------------

_CHECK_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|\n\s*\n")
# A digit, a full stop, one space and a digit: a decimal with a stray space, not a break.
_SPLIT_NUMBER = re.compile(r"\d\. \d")
_NO_BREAK_BEFORE = frozenset(
    """mr mrs ms dr prof st ave blvd mt ft sen rep gov gen col lt sgt capt jr sr inc ltd co
    corp vs no""".split()
)

# The clusterer's: the shared function words plus the ones a reporter's prose is full of
# and that say nothing about which event it is (reflexives, connectives, vague
# quantities, numbers spelled out).
CLUSTER_STOPWORDS = STOPWORDS | word_set("""
    above across afterwards against almost alone along already although always among
    amongst another anyone anything anyway anywhere around back became become becomes
    becoming behind below beside besides between beyond cannot either else elsewhere
    enough etc even ever every everyone everything everywhere except first former
    formerly get give go hence herself him himself however indeed itself last latter least
    less made many meanwhile moreover mostly much myself namely neither never
    nevertheless next nobody none nothing now nowhere often others otherwise ours
    ourselves per perhaps please rather seem seemed seems several since someone something
    sometimes somewhere still themselves therefore though through throughout thus
    together toward towards upon via well whatever whenever whereas whether whoever whole
    within without yet yours yourself yourselves according three four five six seven
    eight nine ten eleven twelve twenty thirty forty fifty hundred""")

# The checker's stop words, kept apart from STOPWORDS: negations ("not", "no", "nor") and
# modals ("may", "might", "must") are content here, since a claim that changes them says
# something else.
CHECKER_STOPWORDS = frozenset(
    """a an the and or but of to in on at by for with from as is are was were be been being
    it its this that these those he she they them his her their we our you your i me my
    has have had do does did will would can could should shall than then there here
    which who whom whose what when where why how also into over under after before about
    s said says say told tell if so just all some such other very own same too only
    up out off again further once both each few more most any because while during
    until against between through above below upon via per its whose being am""".split()
)

_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen twenty""".split()
    )
}
_NUMBER_WORDS.update(
    {
        w: str(v)
        for w, v in zip(
            "thirty forty fifty sixty seventy eighty ninety".split(),
            range(30, 100, 10),
            strict=True,
        )
    }
)
_NUMBER_WORDS.update(
    {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th"}
)
_NUMBER_WORDS.update({"dozen": "12", "half": "0.5", "once": "1", "twice": "2"})


@dataclass(frozen=True, slots=True)
class Token:
    """One word or number: ``key`` is what gets compared, ``word`` the lower-cased form."""

    key: str
    word: str
    start: int
    end: int
    capitalised: bool
    number: bool

    @property
    def content(self) -> bool:
        return self.number or self.word not in CHECKER_STOPWORDS


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The word's English Snowball stem."""
    return str(_english_stemmer().stemWord(word))


@lru_cache(maxsize=1)
def _english_stemmer() -> Any:
    import snowballstemmer  # about 30 ms to import, and only the checker stems: on first use

    return snowballstemmer.stemmer("english")


def normalise_number(raw: str) -> str:
    """'1,200' -> '1200', '6.20' -> '6.2', '07' -> '7'; times like '21:45' stay as they are."""
    if ":" in raw:
        return raw
    text = raw.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw) else raw
    if re.fullmatch(r"\d+\.\d+", text):
        text = text.rstrip("0").rstrip(".")
    return text.lstrip("0") or "0"


def tokenize(text: str) -> list[Token]:
    """The checker's tokens of ``text``: words and numbers with comparable keys."""
    tokens = []
    for match in _CHECK_TOKEN.finditer(text):
        raw = match.group()
        lowered = raw.casefold().replace("’", "'")
        if raw[0].isdigit():
            key, number = normalise_number(raw), True
        elif lowered in _NUMBER_WORDS:
            key, number = _NUMBER_WORDS[lowered], True
        else:
            key, number = stem(lowered.removesuffix("'s")), False
        tokens.append(Token(key, lowered, match.start(), match.end(), raw[0].isupper(), number))
    return tokens


def split_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence-like unit of ``text``, whitespace-trimmed."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].rsplit(None, 1)
        last_word = before[-1].casefold().strip("\"'“”‘’(") if before else ""
        if last_word in _NO_BREAK_BEFORE or (len(last_word) == 1 and last_word.isalpha()):
            continue
        if last_word in ("a.m", "p.m"):
            continue  # "7 p.m. Friday", "U.S. officials": an abbreviation, not an end
        if match.start() > 0 and _SPLIT_NUMBER.match(text, match.start() - 1):
            continue  # "1. 3 billion": one number written apart, as some converted text does
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [trimmed for s, e in spans if (trimmed := trim_span(text, s, e))[0] < trimmed[1]]


_CLAUSE_BREAK = re.compile(
    r"[,;]\s+(?:in which|of which|by which|where|while|whereas|and|but)\s+|;\s+", re.IGNORECASE
)


def split_clauses(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each clause of one sentence, cut after a comma or semicolon that
    opens a new clause ("..., in which turnout reached 48 percent"); the joining words are
    left out. A sentence with no such break is one clause."""
    spans = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [trimmed for s, e in spans if (trimmed := trim_span(text, s, e))[0] < trimmed[1]]
