"""Entry dates that feedparser cannot read, and the dates no entry may carry.

feedparser reads RFC 822 and W3C dates in English and leaves the rest empty: localised
dates ("Seg, 24 Set 2018" in Portuguese) and odd spellings ("03 Apr 02 1500 GMT"). The
second shape (two-digit year, HHMM time) is read here by a small parser; anything else
goes to dateparser, imported on first need only, because its first call loads language
data for seconds (about 4.5 s for all languages, about 0.3 s for one): most feeds never
pay it. The feed's declared language, when dateparser knows it, is tried first for that
reason. A date more than a day ahead of now is dropped, whoever read it: a clock or
template error must not make an entry the newest of its feed for ever.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from time import struct_time
from typing import Any

from newsdesk.ingest.entries import parse_iso_time

MAX_AHEAD = timedelta(days=1)
MAX_DATE_CHARS = 80
"""Longer "dates" are text, not dates; dateparser's regexes need not read them."""
LOOSE_BUDGET = 200
"""dateparser calls per feed (a few ms each): a feed of 100,000 odd dates stays cheap."""
_RFC822_LOOSE = re.compile(
    r"^(?:[a-z]{3},?\s+)?(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{2}|\d{4})\s+"
    r"(\d{2}):?(\d{2})(?::?(\d{2}))?\s*([a-z]{1,3}|[+-]\d{4})?$",
    re.I,
)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_ZONES = {"gmt": 0, "ut": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5}
_ZONES |= {"mst": -7, "mdt": -6, "pst": -8, "pdt": -7}
_SETTINGS: Mapping[str, Any] = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "UTC",  # a date without a zone is read as UTC, as feedparser does
    "TO_TIMEZONE": "UTC",
    "PREFER_DAY_OF_MONTH": "first",
    "PREFER_DATES_FROM": "past",
    "STRICT_PARSING": True,  # day, month and year all present, or nothing
    "PARSERS": ["absolute-time"],  # no "yesterday", no bare timestamps
}
# dateparser keeps state between calls and is not thread-safe (scrapinghub/dateparser#441);
# feeds are parsed in worker threads.
_LOCK = threading.Lock()


class EntryDates:
    """Reads the dates of one feed's entries; ``language`` is the feed's own (``pt-BR``)."""

    def __init__(self, language: str | None = None, now: datetime | None = None) -> None:
        self.language = language
        self.latest = (now or datetime.now(UTC)) + MAX_AHEAD
        self.budget = LOOSE_BUDGET

    def published(self, raw: dict[str, Any]) -> datetime | None:
        """The entry's publication time, else its update time, in UTC."""
        for field in ("published", "updated"):
            # dict.get: feedparser's own get() answers "updated" with "published", warning.
            parsed, text = dict.get(raw, f"{field}_parsed"), dict.get(raw, field)
            moment = from_struct(parsed) or self.read_text(text)
            if moment is not None and moment <= self.latest:
                return moment
        return None

    def read_text(self, text: object) -> datetime | None:
        """A date string feedparser left unparsed, or None."""
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_DATE_CHARS:
            return None
        moment = parse_rfc822_loose(text)
        if moment is not None or self.budget <= 0:
            return moment
        self.budget -= 1
        return parse_any_language(text.strip(), self.language)


def listed_time(value: object, now: datetime | None = None) -> datetime | None:
    """A JSON Feed or sitemap date (RFC 3339 / W3C) in UTC, or None, also when it is more
    than a day ahead of ``now`` (as for RSS and Atom entries)."""
    moment = parse_iso_time(value)
    if moment is None or moment > (now or datetime.now(UTC)) + MAX_AHEAD:
        return None
    return moment


def from_struct(value: object) -> datetime | None:
    """feedparser's UTC struct_time as an aware datetime."""
    if not isinstance(value, struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except ValueError:
        return None


def parse_rfc822_loose(text: str) -> datetime | None:
    """RFC 822 with a two-digit year and an HHMM time ("03 Apr 02 1500 GMT"), in UTC."""
    match = _RFC822_LOOSE.match(text.strip())
    if match is None:
        return None
    day, month_name, year_text, hour, minute, second, zone = match.groups()
    month = _MONTHS.get(month_name.lower())
    offset = zone_offset(zone)
    if month is None or offset is None:
        return None
    year = int(year_text)
    if len(year_text) == 2:  # RFC 2822 4.3: 00-49 is 2000-2049, 50-99 is 1950-1999
        year += 2000 if year < 50 else 1900
    try:
        moment = datetime(year, month, int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    return moment.replace(tzinfo=offset).astimezone(UTC)


def zone_offset(zone: str | None) -> timezone | None:
    if zone is None:
        return UTC
    if zone[0] in "+-":
        hours, minutes = int(zone[1:3]), int(zone[3:5])
        if hours > 23 or minutes > 59:  # "-9999", "+2400": no such zone, so no date
            return None
        total = hours * 60 + minutes
        return timezone(timedelta(minutes=-total if zone[0] == "-" else total))
    named = _ZONES.get(zone.lower())
    return None if named is None else timezone(timedelta(hours=named))


# Without the feed's language, only the languages most news is written in are tried: with
# all 200, any three letters are a month somewhere ("Sun, 16 zzz 2012" read "Sun" as
# Tongan for June and invented 16 June).
NEWS_LANGUAGES = tuple(
    "en es pt fr de it nl ru pl tr sv da nb fi cs ro hu el uk id ja zh ko ar he hi vi ca".split()
)


def parse_any_language(text: str, language: str | None) -> datetime | None:
    """dateparser's reading of ``text``: in the feed's language first, then in the
    common news languages."""
    with _LOCK:
        for languages in (declared_language(language), NEWS_LANGUAGES):
            if languages == ():
                continue
            found = date_parser(languages).get_date_data(text).date_obj
            if isinstance(found, datetime):
                return found.astimezone(UTC)
    return None


def declared_language(language: str | None) -> tuple[str, ...]:
    """The feed's language as dateparser names it ("pt-BR" -> ("pt",)), or () if unknown."""
    if not language:
        return ()
    code = language.strip().lower().replace("_", "-").split("-", 1)[0]
    return (code,) if code in known_languages() else ()


@cache
def known_languages() -> frozenset[str]:
    from dateparser.languages.loader import default_loader  # type: ignore[import-untyped, unused-ignore]

    return frozenset(default_loader.get_locale_map())


@cache
def date_parser(languages: tuple[str, ...] | None) -> Any:
    """One parser per language set, kept for the process: building one is cheap, but its
    first calls load the language data, which is what takes seconds."""
    from dateparser.date import DateDataParser  # type: ignore[import-untyped, unused-ignore]

    return DateDataParser(
        languages=list(languages) if languages else None, settings=dict(_SETTINGS)
    )
