"""Headline: the most central source title, or the lead sentence cut to its main clause.

Cutting is done only at clause boundaries (a comma, a dash) or before a preposition or
conjunction, so the result reads as a phrase rather than a sentence chopped mid-word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdesk.write.similarity import word_set

MAX_HEADLINE_WORDS = 14

_ATTRIBUTION_TAIL = re.compile(
    r",\s+(?:[\w.'’-]+\s+){0,5}?(?:said|says|reported|reports|told\s+[\w .'’-]{1,30}|"
    r"confirmed|announced)\s*[.!]?[\"”]?$"
    r"|,?\s+according to [^,]{1,60}$",
    re.IGNORECASE,
)
_SUBORDINATE_OPENING = re.compile(
    r"(?:even\s+)?(?:as|after|while|when|although|though|despite|because|if|since|before|"
    r"following|amid|once|with|according to)\b",
    re.IGNORECASE,
)
_ATTRIBUTION_OPENING = re.compile(
    r"(?:[^,]{1,60}?(?:,[^,]{1,60},)?\s)?"
    r"(?:(?:said|says|confirmed|announced|reported)\s+"
    r"(?:(?:on\s+)?(?:\w+day|today|yesterday)\s+)?(?:that\s+)?"
    r"|told\s[^,]{1,40}?\s+that\s+)(?=\S)"
)
_PRONOUNS = word_set("he she it they we i you this that these those there his her its their")
_CLAUSE_SEPARATORS = (";", " — ", " – ", " -- ", ": ", ", ")
_BREAK_WORDS = word_set("""
    in on at after as with for to from amid following when while but and which who that
    because despite over during near by before since until where""")
_TRAILING_JUNK = word_set("""
    the a an and or but of to in on at by for with from as that which who its their his
    her this""")
_TITLE_SEPARATOR = re.compile(r"\s+(?:[-|–—]|::)\s+")


def trim_clause(text: str, max_words: int) -> str:
    """The main clause of a sentence in at most ``max_words`` words, without attribution."""
    text = _ATTRIBUTION_TAIL.sub("", text.strip()).strip()
    text = _drop_attribution_opening(_drop_subordinate_opening(text))
    text = _strip_final_punctuation(text)
    words = text.split()
    if len(words) <= max_words:
        return _tidy(words)
    for separator in _CLAUSE_SEPARATORS:
        head = text.split(separator)[0].split()
        if 4 <= len(head) <= max_words:
            return _tidy(head)
    cuts = [k for k in range(4, max_words + 1) if _can_cut_before(words, k)]
    return _tidy(words[: max(cuts) if cuts else max_words])


def _can_cut_before(words: list[str], k: int) -> bool:
    """Before a preposition or conjunction, but not between a participle and its 'by'."""
    if words[k].lower() not in _BREAK_WORDS:
        return False
    return not (words[k].lower() == "by" and words[k - 1].lower().endswith("ed"))


def _drop_subordinate_opening(text: str) -> str:
    """'After the storm hit, crews worked' -> 'crews worked': keep the main clause."""
    head, separator, rest = text.partition(", ")
    opens_subordinate = bool(_SUBORDINATE_OPENING.match(head))
    return rest if separator and opens_subordinate and _starts_clause(rest) else text


def _strip_final_punctuation(text: str) -> str:
    """Drop the full stop, but not the last dot of 'a.m.' or 'U.S.'."""
    stripped = text.rstrip("!?;:, ")
    last = stripped.split()[-1] if stripped.split() else ""
    return stripped if re.fullmatch(r"(?:[A-Za-z]\.){2,}", last) else stripped.rstrip(".")


def _drop_attribution_opening(text: str) -> str:
    """'Cooley said Orozco was charged' -> 'Orozco was charged' (unless 'he was ...')."""
    match = _ATTRIBUTION_OPENING.match(text)
    if not match:
        return text
    rest = text[match.end() :]
    names_subject = _starts_clause(rest) and (rest[:1].isupper() or _opens_with_article(rest))
    return rest if names_subject else text


def _starts_clause(text: str) -> bool:
    """Five or more words that do not open with a pronoun needing an antecedent."""
    words = text.split()
    return len(words) >= 5 and words[0].lower() not in _PRONOUNS


def _opens_with_article(text: str) -> bool:
    return _starts_clause(text) and text.split()[0].lower() in {"the", "a", "an"}


def _tidy(words: list[str]) -> str:
    """Drop dangling function words and stray quotes or punctuation at the end."""
    words = list(words)
    while len(words) > 1 and words[-1].lower().strip(',;:"“”') in _TRAILING_JUNK:
        words.pop()
    phrase = " ".join(words).rstrip(",;:— –-")
    if (phrase.count('"') % 2) or phrase.count("“") != phrase.count("”"):
        phrase = re.sub(r"[\"“”]", "", phrase)
    if phrase.count("(") > phrase.count(")"):
        phrase = phrase[: phrase.rindex("(")]
    return phrase.strip().rstrip(",;:— –-").strip()


def strip_outlet(title: str, outlets: Iterable[str]) -> str:
    """Remove ' - Outlet' / ' | Outlet' suffixes and 'Outlet: ' prefixes from a title."""
    names = {o.casefold() for o in outlets if o}
    parts = _TITLE_SEPARATOR.split(title.strip())
    while len(parts) > 1 and _looks_like_outlet(parts[-1], names, parts[:-1]):
        parts.pop()
    cleaned = " - ".join(parts)
    prefix, _, rest = cleaned.partition(": ")
    if rest and prefix.casefold() in names:
        cleaned = rest
    return cleaned.strip()


def _looks_like_outlet(part: str, names: set[str], head: list[str]) -> bool:
    """A known outlet name, or a short Title Case tail after a real headline."""
    if part.casefold() in names:
        return True
    words = part.split()
    capitalised = all(w[:1].isupper() for w in words if len(w) > 3)
    return 0 < len(words) <= 4 and capitalised and len(" ".join(head).split()) >= 4


def write_headline(titles: list[str], lead: str) -> str:
    """First usable title (callers order them by centrality), else the lead sentence."""
    for title in titles:
        if len(title.split()) >= 4 and not title.isupper():
            return _capitalise(trim_clause(title, MAX_HEADLINE_WORDS))
    return _capitalise(trim_clause(lead, MAX_HEADLINE_WORDS))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
