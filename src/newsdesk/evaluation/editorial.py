"""Editorial evaluation: count what an editor would refuse in a written article.

``eval writing`` checks that each sentence is cited, verbatim and supported; a page can pass
all three and still be unpublishable. These plain regular-expression counters read it as an
editor does: words absent from a sentence's own quotes, web furniture, paragraphs opening on
a pronoun, unbalanced quotation marks, repeats, incomplete headlines, Who/Where/When facts of
the wrong kind, and articles resting on one outlet.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.evaluation.writing import EvalStory
from newsdesk.records import Article, Citation, Document, Fact, Story
from newsdesk.write.failures import WriterUnavailableError

Writer = Callable[[Story, int], Article]
NEAR_REPEAT = 0.6  # word-set Jaccard from which two sentences say the same thing
RESTATED = 0.6  # share of a sentence's content words already in the article before it
_COMMON = frozenset(
    """the and for with from that who was were are been has have had his her its their they
    she this these those said says will would not also after before than then there which
    when where while into about over more most one two some other out but can could""".split()
)
HEADLINE_WORDS = (4, 20)
_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")
FUNCTION_WORDS = frozenset(
    "the a an of to and or but in on at for with by from as that who".split()
)
_DANGLING = re.compile(
    r"\s*(?:He|She|It|They|This|That|These|Those|But|And|Also|However|His|Her|Its|Their)\b"
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = re.compile(
    rf"\b{_MONTH}\b|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|"
    r"(?i:\b(?:yesterday|today|tonight|tomorrow)\b)|"
    r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b"
)
_WEB = r"\bhttps?\s*:\s*/\s*/|\bwww\s*\."  # ECB+ spaces its addresses: "http: / / www. x. com"
_BOILERPLATE = {
    name: re.compile(pattern, flags)
    for name, pattern, flags in (
        ("caption", r"hide caption|\bphotos?:|getty images|\bAP photo|image copyright", re.I),
        ("slide counter", r"^\W*\d{1,3}\s*(?:/|of)\s*\d{1,3}\b|\b\d{1,3} of \d{1,3} photos", 0),
        ("widget", r"^\W*(?:CLOSE\b|(?:Watch|Video|Summary|Related|Read more)\s*:)", 0),
        # "tweet" only in an embed's shape: prose reporting "in a tweet" is news.
        ("embed", r"\bthis embed|^\W*tweet\b|pic\.twitter\.com|\(@\w+\)", re.I),
        ("web address", _WEB, re.I),
        # A page's date line glued onto a sentence: "June 2, 2031 A man ...", "8: 55 am EST".
        (
            "timestamp",
            rf"^\W*(?i:{_MONTH})\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b|(?i:\bstory created:)|"
            r"\b\d{4},? \d{1,2}: ?\d{2} ?(?i:[ap]\.? ?m)\b|"
            r"\b\d{1,2}: ?\d{2} ?(?i:[ap]m) [A-Z]{1,3}T [A-Z]",
            0,
        ),
        ("call to action", r"click here|at the link below|\bsign up\b|please consider", re.I),
        ("appeal", r"\bsubscrib(?:e|ing)\b|newsletter|\bdonate\b|support our journalism", re.I),
    )
}
# The outlet (or a blogger) speaking for itself. Case-sensitive so "US" (the country) and
# "Us Weekly" stay out; "I" after "War" or before "." is a numeral or an abbreviation
# ("I.R."). Quoted speech is removed before matching.
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Oo]urs?|us|[Mm]y)\b|(?<!War )(?<!\.)\bI\b(?!\.)")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’")
# Finite verbs a headline may rest on that the -s/-ed rule misses (irregular pasts, bare
# plural-subject forms, auxiliaries).
_VERBS = frozenset(
    """is are was were be been am has have had do does did will would can could may might
    must shall should say said tell told get got make made take took come came go went give
    gave find found leave left win won lose lost hit kill die face seek sought plan arrest
    attack name sign quit hold held strike struck fall fell rise rose lead led meet met pay
    paid send sent sell sold shoot shot begin began become became bring brought catch caught
    fight fought keep kept buy bought break broke run ran put set spend spent sink sank
    open close call join reach agree warn""".split()
)
_DATELINE = re.compile(
    r"^\s*(?:\(\w[\w .]*\)|CLOSE\b|Breaking News\b|(?:Watch|Video|Summary):|"
    r"[A-Z][A-Z.'’, ]{2,}(?:\([^)]*\))?\s*(?:--|[–—]|\s-\s))"
)


@dataclass
class Unit:
    """One reviewed sentence (or the standfirst) and what fired on it."""

    label: str
    text: str
    citations: list[Citation]
    foreign: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    boilerplate: str | None = None
    dangling: bool = False
    unbalanced: bool = False
    repeats: list[str] = field(default_factory=list)
    requoted: bool = False
    restated: bool = False  # most of its content words were already said
    edited: bool = False  # not its own quote with words deleted: reordered or fused

    def flags(self) -> list[str]:
        marks = [f"foreign:{','.join(self.foreign)}"] if self.foreign else []
        marks += [f"names:{','.join(self.names)}"] if self.names else []
        marks += [f"boilerplate:{self.boilerplate}"] if self.boilerplate else []
        flagged = ("dangling", "unbalanced", "requoted", "edited", "restated")
        marks += [name for name in flagged if getattr(self, name)]
        return marks + [f"repeats:{label}" for label in self.repeats]


@dataclass
class Review:
    """An article, its units and the article-level findings."""

    article: Article
    units: list[Unit]
    openers: int
    headline_problems: list[str]
    facts: list[tuple[Fact, bool | None]]  # None: not a Who/Where/When row
    outlets: int
    repeated_quotes: int


@dataclass
class Totals:
    stories: int = 0
    refused: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def foreign_words(text: str, citations: Iterable[Citation]) -> list[str]:
    """Distinct words of ``text`` in none of its quotes: text that came from elsewhere."""
    quoted = words(" ".join(c.quote for c in citations))
    seen = dict.fromkeys(w.casefold() for w in _WORD.findall(text))
    return [w for w in seen if w not in quoted]


def is_deletion(text: str, citation: Citation) -> bool:
    """True when the sentence's words are its quote's words in order, some left out."""
    remaining = iter(w.casefold() for w in _WORD.findall(citation.quote))
    return all(any(w == q for q in remaining) for w in (x.casefold() for x in _WORD.findall(text)))


def foreign_names(text: str, citations: Iterable[Citation]) -> list[str]:
    """Capitalised words past a sentence start that the quotes lack: a name brought in."""
    quoted = words(" ".join(c.quote for c in citations))
    found: list[str] = []
    for match in _CAPITALISED.finditer(text):
        before = text[: match.start()].rstrip().rstrip("\"“‘'([")
        at_start = not before or before[-1] in ".!?:"
        name = match.group()
        if not at_start and not words(name) <= quoted and name not in found:
            found.append(name)
    return found


def boilerplate(text: str) -> str | None:
    """The name of the first furniture rule ``text`` matches, else None."""
    for name, pattern in _BOILERPLATE.items():
        if pattern.search(text):
            return name
    return "outlet voice" if _FIRST_PERSON.search(_QUOTED.sub(" ", text)) else None


def unbalanced(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") != text.count("”")


def jaccard(first: set[str], second: set[str]) -> float:
    return len(first & second) / len(first | second) if first | second else 0.0


def headline_problems(headline: str) -> list[str]:
    """Why a headline is not a complete one (empty: complete)."""
    problems = [] if has_finite_verb(headline) else ["no finite verb"]
    stripped = headline.strip()
    last = (_WORD.findall(stripped) or [""])[-1].casefold()
    if stripped.endswith(("...", "…", ",", ":")) or last in FUNCTION_WORDS:
        problems.append(f"ends with {stripped.split()[-1] if stripped else 'nothing'!r}")
    if _DATELINE.search(stripped):
        problems.append("starts with a dateline or widget word")
    if re.search(_WEB, stripped, re.I):
        problems.append("a web address")
    count = len(stripped.split())
    if not HEADLINE_WORDS[0] <= count <= HEADLINE_WORDS[1]:
        problems.append(f"{count} words")
    return problems


def has_finite_verb(headline: str) -> bool:
    """A verb from ``_VERBS``, or an -s/-ed word after a word that is not a function word
    ("Reid checked", "Quake kills"). Crude by design: "Los Angeles Times" passes too."""
    tokens = re.findall(r"[A-Za-z][A-Za-z'’-]*", headline)
    for previous, token in zip(["the", *tokens], tokens, strict=False):
        lower = token.casefold()
        inflected = lower.endswith("ed") or (
            lower.endswith("s") and not lower.endswith(("ss", "us", "is", "'s", "’s"))
        )
        noun_like = previous.casefold() not in FUNCTION_WORDS
        if lower in _VERBS or (len(lower) >= 4 and inflected and noun_like):
            return True
    return False


def fact_kind_right(fact: Fact) -> bool | None:
    """Whether a Who/Where/When row holds that kind of value; None for other aspects."""
    aspect = fact.aspect.removesuffix(" (sources differ)").strip().casefold()
    detail = fact.detail
    # A capitalised word other than a leading "The": a name, not a description.
    named = any(m.casefold() not in FUNCTION_WORDS for m in _CAPITALISED.findall(detail))
    if aspect == "when":
        return bool(_DATE.search(detail))
    if aspect == "where":
        return named and not _DATE.search(detail)
    if aspect == "who":
        return named and not re.fullmatch(r"[\d\W]+", detail)
    return None


def review(article: Article) -> Review:
    """Run every counter on one article."""
    units = [Unit("standfirst", article.standfirst, list(article.standfirst_citations))]
    openers = [units[0]]
    for paragraph in (p for section in article.sections for p in section.paragraphs):
        for index, sentence in enumerate(paragraph):
            units.append(Unit(f"s{len(units)}", sentence.text, list(sentence.citations)))
            openers += units[-1:] if index == 0 else []
    for unit in units:
        # A body sentence's own source sentence is its first quote; the others confirm it
        # and must not lend it words. The standfirst joins several sentences' quotes.
        own = unit.citations if unit.label == "standfirst" else unit.citations[:1]
        unit.foreign = foreign_words(unit.text, own)
        unit.names = foreign_names(unit.text, own)
        unit.edited = (
            bool(own) and unit.label != "standfirst" and not is_deletion(unit.text, own[0])
        )
        unit.boilerplate = boilerplate(unit.text)
        unit.unbalanced = unbalanced(unit.text)
    for unit in openers:
        unit.dangling = bool(_DANGLING.match(unit.text))
    _mark_repeats(units)
    return Review(
        article=article,
        units=units,
        openers=len(openers),
        headline_problems=headline_problems(article.headline),
        facts=[(fact, fact_kind_right(fact)) for fact in article.facts],
        outlets=len({ref.source or ref.document for ref in article.sources}),
        repeated_quotes=_mark_requoted(units),
    )


def _mark_repeats(units: list[Unit]) -> None:
    """Mark each unit with the labels of the units it nearly repeats, and each unit most
    of whose content words the article has already used (a fact told again)."""
    sets = [words(u.text) for u in units]
    said: set[str] = set()
    for unit, found in zip(units, sets, strict=True):
        content = {w for w in found if len(w) > 2 and w not in _COMMON}
        unit.restated = bool(content) and len(content & said) >= RESTATED * len(content)
        said |= content
    for i, first in enumerate(units):
        for j in range(i + 1, len(units)):
            if jaccard(sets[i], sets[j]) >= NEAR_REPEAT:
                first.repeats.append(units[j].label)
                units[j].repeats.append(first.label)


def _mark_requoted(units: list[Unit]) -> int:
    """Count (document, quote) pairs cited by more than one unit, marking those units."""
    citers: dict[tuple[str, str], set[int]] = defaultdict(set)
    for index, unit in enumerate(units):
        for citation in unit.citations:
            citers[(citation.document, citation.quote.strip())].add(index)
    repeated = [indexes for indexes in citers.values() if len(indexes) > 1]
    for index in set().union(*repeated):
        units[index].requoted = True
    return len(repeated)


def add(counts: Counter[str], found: Review) -> None:
    """Add one article's findings to the running counts."""
    units = found.units
    kinds = [right for _, right in found.facts if right is not None]
    counts.update(
        written=1,
        sentences=len(units),
        foreign_words=sum(len(u.foreign) for u in units),
        foreign_word_sentences=sum(bool(u.foreign) for u in units),
        foreign_names=sum(len(u.names) for u in units),
        foreign_name_sentences=sum(bool(u.names) for u in units),
        edited_sentences=sum(u.edited for u in units),
        boilerplate_sentences=sum(u.boilerplate is not None for u in units),
        paragraph_openers=found.openers,
        dangling_openers=sum(u.dangling for u in units),
        unbalanced_quotes=sum(u.unbalanced for u in units),
        near_repeat_pairs=sum(len(u.repeats) for u in units) // 2,  # each pair marks two
        restated_sentences=sum(u.restated for u in units),
        repeated_quotes=found.repeated_quotes,
        headlines_complete=not found.headline_problems,
        fact_kinds_checked=len(kinds),
        fact_kinds_right=sum(kinds),
        single_source=found.outlets < 2,
    )


def evaluate(stories: Iterable[EvalStory], writer: Writer) -> tuple[Totals, list[Review]]:
    """Write one article per story and review it; refusals are counted, not fatal."""
    totals, reviews = Totals(), []
    for item in stories:
        totals.stories += 1
        try:
            article = writer(item.story, 1)
        except (ValueError, WriterUnavailableError) as error:
            totals.refused.append(f"{item.story.id}: {error}")
            continue
        reviews.append(review(article))
        add(totals.counts, reviews[-1])
    return totals, reviews


# Each measure: its count, the count its share is of (None: no share), what that counts.
_MEASURES: tuple[tuple[str, str | None, str, str], ...] = (
    ("foreign_words", "foreign_word_sentences", "sentences", "sentences"),
    ("foreign_names", "foreign_name_sentences", "sentences", "sentences"),
    ("edited_sentences", "edited_sentences", "sentences", "sentences"),
    ("boilerplate_sentences", "boilerplate_sentences", "sentences", "sentences"),
    ("dangling_openers", "dangling_openers", "paragraph_openers", "paragraph openers"),
    ("unbalanced_quotes", "unbalanced_quotes", "sentences", "sentences"),
    ("near_repeat_pairs", None, "", ""),
    ("restated_sentences", "restated_sentences", "sentences", "sentences"),
    ("repeated_quotes", None, "", ""),
    ("headlines_complete", "headlines_complete", "written", "articles"),
    ("fact_kinds_right", "fact_kinds_right", "fact_kinds_checked", "Who/Where/When rows"),
    ("single_source", "single_source", "written", "articles"),
)


def summarise(totals: Totals) -> dict[str, Any]:
    """The measures as one JSON-ready object (shares in percent of what they name)."""
    counts = totals.counts
    report: dict[str, Any] = {"stories": totals.stories, "refused": totals.refused}
    for name in ("written", "sentences", "paragraph_openers", "fact_kinds_checked"):
        report[name] = counts[name]
    for name, part, whole, _ in _MEASURES:
        report[name] = counts[name]
        if part is not None:
            share = 100 * counts[part] / counts[whole] if counts[whole] else None
            report[f"{name}_pct"] = None if share is None else round(share, 1)
    return report


def describe(report: dict[str, Any]) -> list[str]:
    """One line per measure, for people."""
    lines = [
        f"stories: {report['stories']} (written {report['written']},"
        f" refused {len(report['refused'])})",
        f"sentences: {report['sentences']} (standfirsts included)",
    ]
    for name, part, _, of in _MEASURES:
        share = f" ({report[f'{name}_pct']}% of {of})" if part is not None else ""
        lines.append(f"{name}: {report[name]}{share}")
    return lines


def dump(reviews: Iterable[Review]) -> str:
    """Side-by-side reading copy: each sentence, its flags, then its quotes."""
    out: list[str] = []
    for found in reviews:
        article = found.article
        out += [f"=== story {article.story} ({found.outlets} outlets) ===", ""]
        problems = "; ".join(found.headline_problems)
        out.append(f"HEADLINE: {article.headline}" + (f"  [{problems}]" if problems else ""))
        units = iter(found.units)
        out += _dump_unit(next(units))
        for section in article.sections:
            out.append(f"## {section.heading or '(no heading)'}")
            for paragraph in section.paragraphs:
                out += [line for _ in paragraph for line in _dump_unit(next(units))] + [""]
        for fact, right in found.facts:
            mark = "" if right is None else ("  [right kind]" if right else "  [WRONG KIND]")
            out.append(f"FACT {fact.aspect}: {fact.detail}{mark}")
        out.append("")
    return "\n".join(out) + "\n"


def _dump_unit(unit: Unit) -> list[str]:
    flags = unit.flags()
    head = f"{unit.label}: {unit.text}" + (f"  [{' | '.join(flags)}]" if flags else "")
    return [head] + [f"        > {c.document}: {c.quote}" for c in unit.citations]


def document_sentences(path: Path) -> dict[str, list[str]]:
    """Each document's sentence list by id, from the lines of ``path`` that carry one."""
    found: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line) if line.strip() else None
            docs = row.get("documents", [row]) if isinstance(row, dict) else []
            for doc in docs if isinstance(docs, list) else []:
                doc_id = doc.get("doc_id", doc.get("id")) if isinstance(doc, dict) else None
                if doc_id is not None and isinstance(doc.get("sentences"), list):
                    found[str(doc_id)] = doc["sentences"]
    return found


def move_titles(stories: Iterable[EvalStory], sentences: dict[str, list[str]]) -> list[EvalStory]:
    """Documents that open on their title (ECB+): make it ``Document.title``, the rest text."""
    moved = []
    for item in stories:
        documents = [_retitle(d, sentences.get(d.id, [])) for d in item.story.documents]
        moved.append(EvalStory(Story(id=item.story.id, documents=documents), item.summary))
    return moved


def _retitle(document: Document, sentences: list[str]) -> Document:
    lines = [s.strip() for s in sentences if isinstance(s, str) and s.strip()]
    if document.title or len(lines) < 2 or " ".join(lines) != document.text:
        return document  # keep a real title, never leave no text, skip a 'text' that won
    data = {k: v for k, v in document.to_json().items() if k != "text"}
    # ECB+ "plus" pages open on their address, then the title: the address is the url.
    if re.match(_WEB, lines[0], re.I) and len(lines) > 2:
        data["url"] = data.get("url") or "".join(lines[0].split())
        lines = lines[1:]
    # Through ``sentences`` so the text is joined exactly as records.Document joins it.
    return Document.model_validate({**data, "title": lines[0], "sentences": lines[1:]})
