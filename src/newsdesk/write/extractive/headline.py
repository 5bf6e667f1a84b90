"""Headline: the most central source title, or the lead sentence cut to its main clause.

Cutting is done only at clause boundaries (a comma, a dash) or before a preposition or
conjunction, so the result reads as a phrase rather than a sentence chopped mid-word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdesk.boilerplate import is_boilerplate
from newsdesk.text import word_set

MAX_HEADLINE_WORDS = 14
MAX_TITLE_WORDS = 20  # a journalist's title is kept whole up to this length, never cut

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
# An aside between dashes or in brackets: deleting it leaves the main clause.
_PARENTHETICAL = re.compile(r"\s+[-–—]{1,2}\s+[^-–—]{1,60}?\s+[-–—]{1,2}\s+|\s+\([^()]{1,60}\)")
_PRONOUNS = word_set("he she it they we i you this that these those there his her its their")
_CLAUSE_SEPARATORS = (";", " — ", " – ", " -- ", ": ", ", ")
_BREAK_WORDS = word_set("""
    in on at after as with for to from amid following when while but and which who that
    because despite over during near by before since until where""")
_TRAILING_JUNK = word_set("""
    the a an and or but of to in on at by for with from as that which who its their his
    her this""")
# What precedes a title's own words on real pages: "(CNN)", "VIDEO:", "UPDATE 2-",
# "LONDON -", "CLOSE".
_TITLE_PREFIX = re.compile(
    r"^(?:\((?:CNN|AP|AFP|Reuters|UPI)\)\s*|(?:VIDEO|WATCH|PHOTOS?|UPDATE(?:\s*\d+)?|"
    r"BREAKING(?: NEWS)?|EXCLUSIVE|LIVE|OPINION|ANALYSIS|CLOSE|SLIDESHOW)\b\s*[:\-–—]?\s*"
    r"|(?:Video|Watch|Photos?|Update|Breaking(?: News)?|Exclusive|Live|Opinion|Analysis)"
    r"\s*[:\-–—]\s*"
    r"|[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+)*(?:,\s*[A-Z][\w.]*)?\s*(?:\([^)]{1,30}\)\s*)?"
    r"[—–-]{1,2}\s+)"
)
_FINITE_VERBS = word_set("""
    is are was were be been has have had will would can could may might must shall should
    does did do says said told tells took takes made makes hit hits won wins lost loses left
    leaves fell falls rose rises sank sinks struck strikes shot shoots found finds gave gives
    got gets went goes came comes ran runs saw sees began begins broke breaks held holds kept
    keeps led leads met meets paid pays put puts quit quits set sets sent sends sold sells
    spent spends stood stands wrote writes shook shakes fled flees flew flies drew draws grew
    grows threw throws chose chooses spoke speaks stole steals became becomes caught catches
    fought fights felt feels heard hears knew knows laid lays meant means sought seeks swept
    sweeps taught teaches woke wakes dies die kill kills killed slay slays slain faces faced
    named names urged urges""")
_ARTICLES = word_set("the a an this that these those some many most all few several")
_RELATIVES = word_set("who which that whose whom")
# Plural nouns, not verbs in -s: "robbers", "officials", "protesters", "migrants".
_NOUN_ENDINGS = ("ss", "ers", "ors", "ists", "ions", "ments", "ities", "ings", "ians", "ants")
_NOT_SUBJECTS = word_set("""
    the a an this that these those his her its their our your my of in on at by for with
    from to as and or nine ten two three four five six seven eight one dozens hundreds""")
_PREPOSITIONS = word_set("""
    without within across against among around behind beyond under above below between
    through toward towards upon into onto off out up down about than like via per""")
_PLURAL_SUBJECTS = word_set("police people officials authorities rebels troops workers")
_PLURAL_NOUNS = word_set("""
    news charges indictments years months days weeks times series
    species crisis basis thesis analysis""")
_TITLE_SEPARATOR = re.compile(r"\s+(?:[-|–—]|::)\s+")


def trim_clause(text: str, max_words: int) -> str:
    """The main clause of a sentence in at most ``max_words`` words, without attribution."""
    text = _ATTRIBUTION_TAIL.sub("", text.strip()).strip()
    text = _PARENTHETICAL.sub(" ", text)  # "robbers - some disguised as women - snatched"
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
    """The first complete title (callers order them by preference), else the lead cut to
    its main clause where that is complete, else the lead sentence whole."""
    for title in titles:
        cleaned = clean_title(title)
        if is_complete_headline(cleaned):
            return _capitalise(cleaned)
    clause = _capitalise(trim_clause(lead, MAX_HEADLINE_WORDS))
    if is_complete_headline(clause):
        return clause
    return _capitalise(_strip_final_punctuation(lead.strip()))


def clean_title(title: str) -> str:
    """A title without a leading dateline, outlet tag or widget word ("(CNN)", "VIDEO:")."""
    text = _strip_final_punctuation(" ".join(title.split()))  # a headline has no full stop
    while True:
        match = _TITLE_PREFIX.match(text)
        if not match or not text[match.end() :].strip():
            return text
        text = text[match.end() :].strip()


def is_complete_headline(text: str) -> bool:
    """A headline, not a fragment: 4 to 20 words with a finite verb, no cut ending, no
    widget words, balanced quotes, and not shouted in capitals."""
    words = text.split()
    if not 4 <= len(words) <= MAX_TITLE_WORDS or text.isupper() or is_boilerplate(text):
        return False
    if text.rstrip().endswith(("...", "…", ",", ":", ";", "-", "–", "—")):
        return False
    if words[-1].lower().strip("\"”’'") in _TRAILING_JUNK or _TITLE_PREFIX.match(text):
        return False
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        return False
    return has_finite_verb(words)


def has_finite_verb(words: list[str]) -> bool:
    """A finite verb by the shape of headline English: an auxiliary or common irregular
    verb, a past form in -ed, or a present form in -s after its subject (not after a
    number or article: "nine charges" is a noun)."""
    plain = [w.lower().strip(".,;:!?\"“”‘’'()") for w in words]
    for k, word in enumerate(plain):
        before = plain[k - 1] if k else ""
        if before in _RELATIVES or "'" in word or "’" in word:
            continue  # "climber who watched": a relative clause's verb; "driver's": a noun
        if word in _FINITE_VERBS:
            return True
        after_noun = k > 0 and before not in _NOT_SUBJECTS and not before.isdigit()
        if len(word) > 4 and word.endswith("ed") and k > 0 and before not in _ARTICLES:
            return True
        ends_s = len(word) > 3 and word.endswith("s") and not word.endswith(_NOUN_ENDINGS)
        if after_noun and ends_s and k + 1 < len(plain) and word not in _PLURAL_NOUNS:
            return True
        if _bare_verb_after_plural(words, plain, k) or _headline_future(plain, k):
            return True
    return False


def _bare_verb_after_plural(words: list[str], plain: list[str], k: int) -> bool:
    """'Police arrest three men', 'Rebels seize town': a bare verb after a plural subject."""
    if k == 0 or k + 1 >= len(plain) or words[k - 1].endswith(","):
        return False
    before, word = plain[k - 1], plain[k]
    if "'" in before or "’" in before:
        return False  # "Sam's Club": a possessive, not a plural subject
    plural = before in _PLURAL_SUBJECTS or (len(before) > 3 and before.endswith("s"))
    plain_word = word.isalpha() and not word.endswith(("s", "ly", "ing"))
    function = word in _NOT_SUBJECTS or word in _BREAK_WORDS or word in _PREPOSITIONS
    return plural and plain_word and not function and before not in _PLURAL_NOUNS


def _headline_future(plain: list[str], k: int) -> bool:
    """'Jackman to host Oscars': 'to' and a verb after the subject stands for 'will'."""
    return (
        plain[k] == "to"
        and 0 < k < len(plain) - 1
        and plain[k - 1] not in _NOT_SUBJECTS
        and plain[k + 1].isalpha()
        and plain[k + 1] not in _NOT_SUBJECTS  # "fall to his death": a preposition
    )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
