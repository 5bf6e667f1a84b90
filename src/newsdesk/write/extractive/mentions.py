"""Regex finders for names, places and dates in English news sentences (no NLP model).

They are deliberately conservative: capitalised word runs, places after "in"/"at"/"near",
weekday and calendar-date phrases. Callers count how many documents agree on a finding,
which is what filters out most of the noise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.text import STOPWORDS, word_set

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = tuple(
    word_set("January February March April May June July August September October November")
    | {"December"}
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_DAY_OF_MONTH = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:{_MONTH}\s+{_DAY_OF_MONTH}(?:,?\s+\d{{4}})?|{_DAY_OF_MONTH}\s+{_MONTH}(?:\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{4}})"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
WHEN = re.compile(
    rf"\b(?:(?:early|late)\s+)?{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?"
    rf"(?:,?\s+{_DATE})?|\b{_DATE}\b"
)
_NAME_WORD = r"[A-Z][\w'’.&-]*"
# "Fire and Rescue Service": 'and' inside an institution's name, after a few known words.
_INSTITUTIONAL_AND = (
    "(?:"
    + "|".join(
        f"(?<={w})"
        for w in "Fire Search Health Safety Arts Trade Science Culture Transport Housing".split()
    )
    + r")\s+and"
)
_NAME = re.compile(
    rf"(?<![\w'’]){_NAME_WORD}(?:(?:{_INSTITUTIONAL_AND})?\s+"
    rf"(?:(?:of|of the|for|de|del|da|van|von|bin|al)\s+)?{_NAME_WORD})*"
)
_PLACE_NAME = rf"{_NAME_WORD}(?:\s+(?:of\s+(?:the\s+)?)?{_NAME_WORD}){{0,3}}"
# What may follow a place: punctuation, the end, or a function word ("in the Teixeira
# sweepstakes" names no place: there a capitalised word modifies a noun).
_AFTER_PLACE = (
    r"(?=\s*(?:[,.;:)—–]|$)|\s+(?:on|and|to|for|after|before|in|at|of|with|when|where|while|"
    r"as|by|from|during|since|until|last|this|earlier|later|said|says|is|was|were|are|has|"
    r"had|have|will|would|could|yesterday|today|tonight|that|which|who|early|late)\b)"
)
_PLACE = re.compile(
    rf"\b(?P<prep>in|at|near|outside|across|along|around|into|off)\s+(?:the\s+)?"
    rf"(?P<place>{_PLACE_NAME}(?:,\s+{_NAME_WORD}(?:\s+{_NAME_WORD})?)?){_AFTER_PLACE}"
)
_ACTOR_WORD = re.compile(
    r"\b(?:Mayor|President|Minister|Ministry|Prime|Premier|Governor|Senator|Council|Service|"
    r"Police|Department|Agency|Company|Inc|Corp|Group|Party|Authority|Government|"
    r"University|Commission|Court|Bank|Association|Union|Federation|League|Club|Board|"
    r"Office|Institute|Foundation|Army|Navy|Guard|Chief|General|Director|Secretary)\b"
)
_OUTLET_WORD = re.compile(
    r"\b(?:Press|Times|Post|News|Herald|Tribune|Journal|Daily|Gazette|Telegraph|Guardian|"
    r"Magazine|Radio|Television|TV|Reuters|AP|AFP|CNN|BBC|Bloomberg|Associated|Wire|"
    r"Chronicle|Courier|Observer|Examiner|Sun)\b"
)
_CITED_BEFORE = re.compile(r"\baccording to\s+(?:the\s+)?$", re.IGNORECASE)
_CITED_AFTER = re.compile(
    r"[’']?s?\s*(?:news agency|agency|reported|reports|quoted|cited|said in a report)\b"
)
_SPEECH = re.compile(r"\b(?:said|says|told|announced|according to|confirmed|stated)\b")
_NOT_NAMES = frozenset(
    {w.lower() for w in (*WEEKDAYS, *MONTHS)}
    | word_set("""
    today yesterday tomorrow tonight police officials authorities rescuers residents
        witnesses according despite although meanwhile earlier later however several many
        mr mrs ms dr christmas easter""")
)
_LEADING_FUNCTION_WORDS = word_set("""
    the a an in on at by for with from as into after when while if despite but and or of to
    his her their its this that these those our my your we they he she it i there here
    although though because since before until during over under""")
_PLACE_NOUNS = word_set("street road avenue highway river mount lake city state county")
# Capitalised function words inside a run mean a Title Case headline, not a name.
_TITLE_CASE_WORDS = word_set("Into For It In On At And To With By After Over As From Is Are")
MAX_NAME_WORDS = 5


@dataclass(frozen=True, slots=True)
class Mention:
    """A name as written, and whether it opened the sentence (capitalised anyway)."""

    name: str
    initial: bool
    start: int


def find_names(text: str) -> list[Mention]:
    """Capitalised word runs, trimmed of leading function words and trailing possessives."""
    mentions = []
    for match in _NAME.finditer(text):
        words = match.group().split()
        start = match.start()
        while words and (_is_function_word(words[0]) or "-year-old" in words[0].lower()):
            start += len(words[0]) + 1
            words = words[1:]
        words = _trim_trailing(words)
        single = len(words) == 1 and words[0].lower() in _NOT_NAMES | _PLACE_NOUNS
        if not words or single:
            continue
        if len(words) > MAX_NAME_WORDS or _TITLE_CASE_WORDS & set(words[1:]):
            continue
        initial = not text[:start].strip(" \"'“‘(")
        mentions.append(Mention(" ".join(words), initial, start))
    return mentions


def is_actor(mention: Mention, text: str) -> bool:
    """A speaker ("X said", "said X") or a named body ("Ministry of ...", "Mayor ...")."""
    return bool(_ACTOR_WORD.search(mention.name)) or is_speaker(mention, text)


def is_outlet(name: str) -> bool:
    """A news organisation ('Detroit Free Press', 'CNN'): the messenger, not the actor."""
    return bool(_OUTLET_WORD.search(name))


def is_cited_source(mention: Mention, text: str) -> bool:
    """Named as where the news came from ('according to ISNA', 'IRNA reported'): an
    agency or outlet passing the news on, not someone acting in it."""
    before = text[max(0, mention.start - 14) : mention.start]
    after = text[mention.start + len(mention.name) : mention.start + len(mention.name) + 24]
    return bool(_CITED_BEFORE.search(before) or _CITED_AFTER.match(after))


def is_speaker(mention: Mention, text: str) -> bool:
    """A verb of saying within a few words of the name."""
    window = text[max(0, mention.start - 30) : mention.start + len(mention.name) + 30]
    return bool(_SPEECH.search(window))


def find_places(text: str) -> list[tuple[str, str]]:
    """``(preposition, place)`` pairs such as ``("in", "Port Anselm")``."""
    places = []
    for match in _PLACE.finditer(text):
        words = _trim_trailing(match.group("place").split())
        if words and words[0].lower() not in _NOT_NAMES and words[0].lower() not in STOPWORDS:
            places.append((match.group("prep"), " ".join(words)))
    return places


def find_dates(text: str) -> list[str]:
    return [m.group().strip() for m in WHEN.finditer(text)]


def _is_function_word(word: str) -> bool:
    """Capitalised only because it opens the sentence ('The', 'After'), never a name part."""
    return word.lower().strip("'’") in _LEADING_FUNCTION_WORDS


def _trim_trailing(words: list[str]) -> list[str]:
    """Drop possessive endings, punctuation and trailing dates ('Aden Thursday')."""
    while words:
        last = re.sub(r"['’]s?$", "", words[-1]).rstrip(",-&")
        if not re.fullmatch(r"(?:[A-Za-z]\.){2,}", last):  # keep the dots of "N.C."
            last = last.rstrip(".")
        if last and last.lower() not in _NOT_NAMES:
            return [*words[:-1], last]
        words = words[:-1]
    return words


_ORGANISATION_WORD = re.compile(
    r"\b(?:Ministry|Council|Service|Police|Department|Agency|Company|Inc|Corp|Group|Party|"
    r"Authority|Government|University|Commission|Court|Bank|Association|Union|Federation|"
    r"League|Club|Board|Office|Institute|Foundation|Army|Navy|Guard|Systems|Trust|Centre|"
    r"Center|Rescue|Hospital|Exchange|Lines|Alliance|Forward|Athletic|United|City)\b"
)


def is_person(name: str) -> bool:
    """Two to four capitalised words that name no organisation, outlet or place."""
    words = name.split()
    if not 2 <= len(words) <= 4 or is_outlet(name) or _ORGANISATION_WORD.search(name):
        return False
    return words[-1].lower() not in _PLACE_NOUNS and not name.isupper()
