"""Editorial evaluation: count what an editor would refuse in a written article.

``newsdesk eval writing`` checks that every sentence is cited, verbatim and supported; a
page can pass all three and still be unpublishable. These counters look at the page as an
editor does (all plain regular expressions, no model):

- foreign words / names: words of a sentence absent from its own cited quotes;
- boilerplate: web furniture (captions, widgets, embeds, calls to action, "we"/"our");
- dangling openers: a paragraph or standfirst opening on He, It, But, ...;
- unbalanced quotation marks; near-repeated sentences and quotes cited twice;
- headline completeness; Who/Where/When facts of the wrong kind; single-outlet articles.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.evaluation.writing import EvalStory
from newsdesk.records import Article, Citation, Document, Fact, Story
from newsdesk.write.errors import WriterUnavailableError

Writer = Callable[[Story, int], Article]
NEAR_REPEAT = 0.6  # word-set Jaccard from which two sentences say the same thing
HEADLINE_WORDS = (4, 20)
_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")
FUNCTION_WORDS = frozenset("the a an of to and or but in on at for with by from as that".split())
_DANGLING = re.compile(
    r"^\W*(?:He|She|It|They|This|That|These|Those|But|And|Also|However|His|Her|Its|Their)\b"
)
_BOILERPLATE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "caption",
        re.compile(r"hide caption|\bphotos?:|getty images|\bAP photo|image copyright", re.I),
    ),
    (
        "slide counter",
        re.compile(r"^\W*\d{1,3}\s*(?:/|of)\s*\d{1,3}\b|\b\d{1,3} of \d{1,3} photos"),
    ),
    ("widget", re.compile(r"^\W*(?:CLOSE\b|(?:Watch|Video|Summary|Related|Read more)\s*:)")),
    ("embed", re.compile(r"\bthis embed|\btweet\b|pic\.twitter\.com", re.I)),
    (
        "call to action",
        re.compile(
            r"click here|at the link below|\bsign up\b|\bsubscrib(?:e|ing)\b|newsletter|"
            r"\bdonate\b|please consider|support our journalism",
            re.I,
        ),
    ),
)
# The outlet speaking for itself. Case-sensitive so "US" (the country) and "Us Weekly"
# stay out; "I" after "War" is a numeral. Quoted speech is removed before matching.
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Oo]urs?|us|[Mm]y)\b|(?<!War )\bI\b")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’")
_MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|yesterday|today|tonight|"
    r"tomorrow)\b|\b(?:1[89]|20)\d\d\b|\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b",
    re.I,
)
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
    r"^\s*(?:\(\w[\w .]*\)|CLOSE\b|(?:Watch|Video|Summary):|"
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

    def flags(self) -> list[str]:
        marks = [f"foreign:{','.join(self.foreign)}"] if self.foreign else []
        marks += [f"names:{','.join(self.names)}"] if self.names else []
        marks += [f"boilerplate:{self.boilerplate}"] if self.boilerplate else []
        marks += ["dangling"] if self.dangling else []
        marks += ["unbalanced"] if self.unbalanced else []
        return marks + [f"repeats:{label}" for label in self.repeats]


@dataclass
class Review:
    """An article with its units and the article-level findings."""

    article: Article
    units: list[Unit]
    openers: int
    headline_problems: list[str]
    facts: list[tuple[Fact, bool | None]]  # None: not a Who/Where/When row
    outlets: int
    near_repeats: int
    repeated_quotes: int


@dataclass
class Totals:
    stories: int = 0
    refused: list[str] = field(default_factory=list)
    sentences: int = 0
    foreign_words: int = 0
    foreign_word_sentences: int = 0
    foreign_names: int = 0
    foreign_name_sentences: int = 0
    boilerplate: int = 0
    openers: int = 0
    dangling: int = 0
    unbalanced: int = 0
    near_repeats: int = 0
    repeated_quotes: int = 0
    headlines_complete: int = 0
    facts_checked: int = 0
    facts_right: int = 0
    single_source: int = 0


def words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def foreign_words(text: str, citations: Iterable[Citation]) -> list[str]:
    """Distinct words of ``text`` in none of its quotes: text that came from elsewhere."""
    quoted = words(" ".join(c.quote for c in citations))
    seen = dict.fromkeys(w.casefold() for w in _WORD.findall(text))
    return [w for w in seen if w not in quoted]


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
    for name, pattern in _BOILERPLATE:
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
    count = len(stripped.split())
    if not HEADLINE_WORDS[0] <= count <= HEADLINE_WORDS[1]:
        problems.append(f"{count} words")
    return problems


def has_finite_verb(headline: str) -> bool:
    """A verb from ``_VERBS``, or an -s/-ed word after a capitalised or non-function word
    ("Reid checked", "Quake kills"). Crude by design: "Los Angeles Times" passes too."""
    tokens = re.findall(r"[A-Za-z][A-Za-z'’-]*", headline)
    for previous, token in zip(["", *tokens], tokens, strict=False):
        lower = token.casefold()
        if lower in _VERBS:
            return True
        inflected = lower.endswith("ed") or (
            lower.endswith("s") and not lower.endswith(("ss", "us", "is", "'s", "’s"))
        )
        # Capitalised words and nouns alike are simply "not a function word" here.
        noun_like = bool(previous) and previous.casefold() not in FUNCTION_WORDS
        if len(lower) >= 4 and inflected and noun_like:
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
    for section in article.sections:
        for paragraph in section.paragraphs:
            for index, sentence in enumerate(paragraph):
                unit = Unit(f"s{len(units)}", sentence.text, list(sentence.citations))
                units.append(unit)
                openers += [unit] if index == 0 else []
    for unit in units:
        unit.foreign = foreign_words(unit.text, unit.citations)
        unit.names = foreign_names(unit.text, unit.citations)
        unit.boilerplate = boilerplate(unit.text)
        unit.unbalanced = unbalanced(unit.text)
    for unit in openers:
        unit.dangling = bool(_DANGLING.match(unit.text))
    outlets = {ref.source or ref.document for ref in article.sources}
    return Review(
        article=article,
        units=units,
        openers=len(openers),
        headline_problems=headline_problems(article.headline),
        facts=[(fact, fact_kind_right(fact)) for fact in article.facts],
        outlets=len(outlets),
        near_repeats=_mark_repeats(units),
        repeated_quotes=_repeated_quotes(units),
    )


def _mark_repeats(units: list[Unit]) -> int:
    """Count near-repeated pairs, marking each unit with the labels it repeats."""
    sets = [words(u.text) for u in units]
    pairs = 0
    for i, first in enumerate(units):
        for j in range(i + 1, len(units)):
            if jaccard(sets[i], sets[j]) >= NEAR_REPEAT:
                pairs += 1
                first.repeats.append(units[j].label)
                units[j].repeats.append(first.label)
    return pairs


def _repeated_quotes(units: list[Unit]) -> int:
    """Distinct (document, quote) pairs cited by more than one unit."""
    citers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for unit in units:
        for citation in unit.citations:
            citers[(citation.document, citation.quote.strip())].add(unit.label)
    return sum(len(labels) > 1 for labels in citers.values())


def add(totals: Totals, found: Review) -> None:
    units = found.units
    totals.sentences += len(units)
    totals.foreign_words += sum(len(u.foreign) for u in units)
    totals.foreign_word_sentences += sum(bool(u.foreign) for u in units)
    totals.foreign_names += sum(len(u.names) for u in units)
    totals.foreign_name_sentences += sum(bool(u.names) for u in units)
    totals.boilerplate += sum(u.boilerplate is not None for u in units)
    totals.openers += found.openers
    totals.dangling += sum(u.dangling for u in units)
    totals.unbalanced += sum(u.unbalanced for u in units)
    totals.near_repeats += found.near_repeats
    totals.repeated_quotes += found.repeated_quotes
    totals.headlines_complete += not found.headline_problems
    kinds = [right for _, right in found.facts if right is not None]
    totals.facts_checked += len(kinds)
    totals.facts_right += sum(kinds)
    totals.single_source += found.outlets < 2


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
        add(totals, reviews[-1])
    return totals, reviews


def summarise(totals: Totals) -> dict[str, Any]:
    """The measures as one JSON-ready object (shares in percent)."""

    def share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    written, sentences = totals.stories - len(totals.refused), totals.sentences
    t = totals
    return {
        "stories": t.stories,
        "written": written,
        "refused": t.refused,
        "sentences": sentences,
        "foreign_words": t.foreign_words,
        "foreign_words_sentences_pct": share(t.foreign_word_sentences, sentences),
        "foreign_names": t.foreign_names,
        "foreign_names_sentences_pct": share(t.foreign_name_sentences, sentences),
        "boilerplate_sentences": t.boilerplate,
        "boilerplate_pct": share(t.boilerplate, sentences),
        "dangling_openers": t.dangling,
        "dangling_openers_pct": share(t.dangling, t.openers),
        "unbalanced_quotes": t.unbalanced,
        "unbalanced_quotes_pct": share(t.unbalanced, sentences),
        "near_repeat_pairs": t.near_repeats,
        "repeated_quotes": t.repeated_quotes,
        "headlines_complete": t.headlines_complete,
        "headlines_complete_pct": share(t.headlines_complete, written),
        "fact_kinds_checked": t.facts_checked,
        "fact_kinds_right_pct": share(t.facts_right, t.facts_checked),
        "single_source": t.single_source,
        "single_source_pct": share(t.single_source, written),
    }


def describe(report: dict[str, Any]) -> list[str]:
    """One line per measure, for people."""

    def line(name: str, pct: str, of: str) -> str:
        return f"{name}: {report[name]} ({report[pct]}% of {of})"

    return [
        f"stories: {report['stories']} (written {report['written']},"
        f" refused {len(report['refused'])})",
        f"sentences: {report['sentences']} (standfirsts included)",
        line("foreign_words", "foreign_words_sentences_pct", "sentences"),
        line("foreign_names", "foreign_names_sentences_pct", "sentences"),
        line("boilerplate_sentences", "boilerplate_pct", "sentences"),
        line("dangling_openers", "dangling_openers_pct", "paragraph openers"),
        line("unbalanced_quotes", "unbalanced_quotes_pct", "sentences"),
        f"near_repeat_pairs: {report['near_repeat_pairs']}",
        f"repeated_quotes: {report['repeated_quotes']}",
        line("headlines_complete", "headlines_complete_pct", "articles"),
        f"fact_kinds_right: {report['fact_kinds_right_pct']}% of"
        f" {report['fact_kinds_checked']} Who/Where/When rows",
        line("single_source", "single_source_pct", "articles"),
    ]


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
                for _ in paragraph:
                    out += _dump_unit(next(units))
                out.append("")
        for fact, right in found.facts:
            mark = "" if right is None else ("  [right kind]" if right else "  [WRONG KIND]")
            out.append(f"FACT {fact.aspect}: {fact.detail}{mark}")
        out.append("")
    return "\n".join(out) + "\n"


def _dump_unit(unit: Unit) -> list[str]:
    flags = unit.flags()
    head = f"{unit.label}: {unit.text}" + (f"  [{' | '.join(flags)}]" if flags else "")
    return [head] + [f"        > {c.document}: {c.quote}" for c in unit.citations]


def first_sentences(path: Path) -> dict[str, list[str]]:
    """Each document's sentence list by id, from the lines of ``path`` that carry one."""
    found: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line) if line.strip() else None
            rows = row.get("documents", [row]) if isinstance(row, dict) else []
            for doc in rows if isinstance(rows, list) else []:
                doc_id = doc.get("doc_id", doc.get("id")) if isinstance(doc, dict) else None
                if doc_id is not None and isinstance(doc.get("sentences"), list):
                    found[str(doc_id)] = doc["sentences"]
    return found


def move_titles(stories: Iterable[EvalStory], sentences: dict[str, list[str]]) -> list[EvalStory]:
    """ECB+ documents open on their title: make it ``Document.title``, the rest the text."""
    return [
        EvalStory(
            Story(
                id=item.story.id, documents=[_retitle(d, sentences) for d in item.story.documents]
            ),
            item.summary,
        )
        for item in stories
    ]


def _retitle(document: Document, sentences: dict[str, list[str]]) -> Document:
    lines = [s for s in sentences.get(document.id, []) if isinstance(s, str) and s.strip()]
    if document.title or len(lines) < 2 or " ".join(s.strip() for s in lines) != document.text:
        return document  # keep a real title, never leave no text, skip a 'text' that won
    data = {k: v for k, v in document.to_json().items() if k != "text"}
    # Through ``sentences`` so the text is joined exactly as records.Document joins it.
    return Document.model_validate({**data, "title": lines[0].strip(), "sentences": lines[1:]})
