"""A perturbation suite for the claim checker: real sentences, a careless writer's errors.

Each case starts from a sentence S of an ECB+ document D (JSON Lines: ``doc_id``, ``topic``,
``sentences``) and changes it as a hurried writer would: a wrong name, number or date, an
invented modifier, a flipped negation, swapped actors, a dropped hedge, or two reports
fused into one sentence. Controls (S verbatim, S shortened, a pronoun resolved from the
sentence before) should pass. The checker sees the whole of D, so an error is caught only
where it goes beyond D. Generation is seeded, so runs compare.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from newsdesk.text import STOPWORDS
from newsdesk.verify import Verdict, check_text

_T = TypeVar("_T")
Checker = Callable[[str, list[tuple[str, str]]], Verdict]

_MONTHS = "January February March April May June July August September October November December"
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
# Abbreviations too: "Thu Jun 13" in a dateline is no name to swap.
_SHORT = "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thurs Fri Sat Sun"
_DATES = frozenset(f"{_MONTHS} {_WEEKDAYS} {_SHORT}".split())
_DATE = re.compile(rf"\b(?:{'|'.join(f'{_WEEKDAYS} {_MONTHS}'.split())})\b")
_NOT_NAMES = STOPWORDS - {"new"}  # "New Orleans"
_CAP = re.compile(r"\b[A-Z][A-Za-z]*[a-z][A-Za-z]*\b")
# ECB+ text is spaced ("08: 45", "6 / 6 / 2013", "200, 000"): clocks and dates are no counts.
_NUMBER = re.compile(
    r"(?<![\w.,:/])(?<!: )(?<!/ )\d+(?:[.,] ?\d{3}|[.,]\d+)*(?![\w:/]|[.,]\d| [:/])"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_AUX = "is are was were has have had will would can could did does"
_FIRST_AUX = re.compile(rf"\b(?:{'|'.join(_AUX.split())})\b")
_NEGATED = re.compile(r"\b(?:not|never|cannot)\b|n['’]t\b", re.IGNORECASE)
_NEGATION = re.compile(
    rf"\b(?P<can>can)not\b|\b(?P<will>wo)n['’]t\b|\b(?P<cant>ca)n['’]t\b"
    rf"|\b(?P<aux>{'|'.join(f'{_AUX} do should must may might'.split())})"
    r"(?:n['’]t\b| (?:not|never)\b(?! only))",
    re.IGNORECASE,
)
# Place and role words change where or who; a first name before a surname does not.
_ROLES = frozenset("former late acting deputy interim outgoing".split())
_PLACES = "north south east west northern southern eastern western central upper lower"
_MODIFIERS = _ROLES | frozenset(_PLACES.split())
_MODIFIED = re.compile(r"\b([A-Za-z]+) (?=([A-Z][A-Za-z]*[a-z][A-Za-z]*)\b)")
_LINKS = STOPWORDS - {"said", "says", "told"}  # "A is B", "A has B": no actor to swap
_BE_HAVE = {"is": "has", "are": "have", "was": "had", "were": "had"}
_Rewrite = Callable[[re.Match[str]], str]
_HEDGES: tuple[tuple[re.Pattern[str], _Rewrite], ...] = (
    (re.compile(r"\s*\b(?:reportedly|allegedly)\b,?", re.IGNORECASE), lambda m: ""),
    (
        re.compile(r"\b(is|are|was|were) (?:believed|said|thought) to (be|have)\b"),
        lambda m: m[1] if m[2] == "be" else _BE_HAVE[m[1]],
    ),
    # "may have fled" -> "fled"; "could be charged" -> "will be charged".
    (re.compile(r"\b(?:may|might|could) have (?=[a-z]+ed\b)"), lambda m: ""),
    (re.compile(r"\b(?:may|might|could) be\b"), lambda m: "will be"),
    (re.compile(r"\b(?:about|an estimated|at least|more than) (?=\d)", re.I), lambda m: ""),
)
_PAREN = re.compile(r"\s*\([^()]*\)")
# At most 15 words, then a comma before a verb ("The fire, which ..., did"): not the comma
# of "1,000", of "..., Jerry Ortiz, 35, as" or of "..., who ... schizophrenia, dementia".
_RELATIVE = re.compile(r",\s+(?:who|which)\b(?:\s+(?:[^,\s]|,(?=\d))+){0,15}\s*,(?=\s+([a-z]))")
_LEADING = re.compile(
    r"(?:In|On|At|After|Before|During|Following|Since|With|Without|Under|Despite|By|For"
    r"|From|Over|Amid|Within|Through)\b[^,]*,\s*"
)
_WORD = re.compile(r"[A-Za-z]+")
_QUOTES = re.compile('["“”]')
_EXAMPLES = 3  # misses (or false alarms) kept per kind in the report


class DataError(ValueError):
    """The events file is malformed."""


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    topic: str
    sentences: tuple[str, ...]
    # What the checker is given: one sentence a paragraph, as the corpus splits them (its
    # headlines and datelines have no full stop, and would run into the next sentence).
    text: str


def document(doc_id: str, sentences: Sequence[str], topic: str = "") -> Document:
    return Document(doc_id, topic, tuple(sentences), "\n\n".join(sentences))


@dataclass(frozen=True, slots=True)
class Sample:
    """What a generator sees: sentence ``index`` of ``doc``, the topic's documents, a rng."""

    doc: Document
    index: int
    rng: random.Random
    peers: Sequence[Document] = ()

    @property
    def sentence(self) -> str:
        return self.doc.sentences[self.index]

    def elsewhere(self) -> list[str]:
        return [text for i, text in enumerate(self.doc.sentences) if i != self.index]


@dataclass(frozen=True, slots=True)
class Case:
    kind: str
    doc_id: str
    claim: str
    sentence: str  # the source sentence the claim was made from
    control: bool
    source: str  # the document text given to the checker


class _Span(NamedTuple):
    start: int
    end: int
    text: str


def load_documents(path: Path) -> list[Document]:
    """Read ECB+ JSON Lines (``doc_id``, ``topic``, ``sentences``)."""
    docs = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                row = json.loads(line) if line.strip() else None
                if row is not None and not isinstance(row["sentences"], list):
                    raise TypeError("'sentences' is not a list")
            except (ValueError, KeyError, TypeError) as error:
                raise DataError(f"{path}, line {number}: {error!r}") from error
            if row is not None:
                texts = [str(s) for s in row["sentences"]]
                docs.append(document(str(row["doc_id"]), texts, str(row.get("topic", ""))))
    return docs


def usable(sentence: str) -> bool:
    """URLs, datelines and titles make no claims worth perturbing."""
    lowered = sentence.casefold()
    return len(sentence.split()) >= 8 and "http" not in lowered and "www." not in lowered


def _names(sentence: str, initial_ok: bool = False) -> list[_Span]:
    """Runs of capitalised words joined by a space or hyphen ("Tara Reid", "Jean-Pierre").
    Stop words and dates break runs; a sentence-initial capital says nothing of a name."""
    runs: list[_Span] = []
    for m in _CAP.finditer(sentence):
        if m[0].casefold() in _NOT_NAMES or m[0] in _DATES:
            continue
        if runs and sentence[runs[-1].end : m.start()] in (" ", "-"):
            runs[-1] = _Span(runs[-1].start, m.end(), sentence[runs[-1].start : m.end()])
        else:
            runs.append(_Span(m.start(), m.end(), m[0]))
    first = re.search(r"[A-Za-z0-9]", sentence)
    return [r for r in runs if initial_ok or first is None or r.start != first.start()]


def _words(name: str) -> set[str]:
    return set(re.split(r"[ -]", name))


def _spans(pattern: re.Pattern[str], text: str) -> list[_Span]:
    return [_Span(m.start(), m.end(), m[0]) for m in pattern.finditer(text)]


def _shuffled(rng: random.Random, items: Sequence[_T]) -> list[_T]:
    return rng.sample(items, len(items))


def _put(sentence: str, span: _Span, text: str) -> str:
    return sentence[: span.start] + text + sentence[span.end :]


def _tidy(claim: str) -> str:
    claim = re.sub(r"\s{2,}", " ", claim).strip()
    return claim[:1].upper() + claim[1:]


def name_swap(s: Sample) -> str | None:
    """A name of S replaced by another name of D that S does not mention."""
    others = sorted({n.text for text in s.elsewhere() for n in _names(text)})
    for target in _shuffled(s.rng, _names(s.sentence)):
        pool = [o for o in others if o not in s.sentence and not _words(o) & _words(target.text)]
        # A two-word name for a two-word name reads like a real slip.
        same = [o for o in pool if len(_words(o)) == len(_words(target.text))]
        if pool:
            return _put(s.sentence, target, s.rng.choice(same or pool))
    return None


def number_swap(s: Sample) -> str | None:
    """A number of S replaced by another of D: a year by a year, a count by a count."""
    here = {re.sub(r"[, ]", "", n.text) for n in _spans(_NUMBER, s.sentence)}
    others = sorted({n.text for text in s.elsewhere() for n in _spans(_NUMBER, text)})
    for target in _shuffled(s.rng, _spans(_NUMBER, s.sentence)):
        year = bool(_YEAR.fullmatch(target.text))
        pool = [o for o in others if re.sub(r"[, ]", "", o) not in here]
        pool = [o for o in pool if bool(_YEAR.fullmatch(o)) == year]
        if pool:
            return _put(s.sentence, target, s.rng.choice(pool))
    return None


def _dates(text: str) -> list[_Span]:
    # "May" is the month only before a day number; elsewhere it is the modal or a surname.
    return [d for d in _spans(_DATE, text) if d.text != "May" or re.match(r" \d", text[d.end :])]


def date_swap(s: Sample) -> str | None:
    """A weekday or month of S replaced by another of its class, one D mentions if any."""
    targets = _dates(s.sentence)
    if not targets:
        return None
    here = {d.text for d in targets}
    mentioned = {d.text for text in s.elsewhere() for d in _dates(text)}
    target = s.rng.choice(targets)
    family = _WEEKDAYS.split() if target.text in _WEEKDAYS else _MONTHS.split()
    pool = [d for d in family if d not in here]
    return _put(s.sentence, target, s.rng.choice([d for d in pool if d in mentioned] or pool))


def modifier_added(s: Sample) -> str | None:
    """A place or role word that D puts before a name ("South Sudanese", "former Smith")
    put before the same name where S has it bare."""
    pairs = sorted({(m[1], m[2]) for t in s.elsewhere() for m in _MODIFIED.finditer(t)})
    # Only a name that starts a run after a lowercase word: not "Richard M. former Nixon".
    starts = {
        r.text.split()[0]: r
        for r in _names(s.sentence)
        if not re.search(r"[A-Z][\w.]*\s+$", s.sentence[: r.start])
    }
    for word, name in _shuffled(s.rng, [(w, n) for w, n in pairs if w.casefold() in _MODIFIERS]):
        run = starts.get(name)
        if run is None or f"{word} {name}".casefold() in s.sentence.casefold():
            continue
        word = word.lower() if word.casefold() in _ROLES else word
        return s.sentence[: run.start] + f"{word} " + s.sentence[run.start :]
    return None


def negation_added(s: Sample) -> str | None:
    """S with "not" after its first auxiliary (S without a negation already)."""
    found = _FIRST_AUX.search(s.sentence)
    if found is None or _NEGATED.search(s.sentence):
        return None
    return s.sentence[: found.end()] + " not" + s.sentence[found.end() :]


def negation_removed(s: Sample) -> str | None:
    """S with its first negated auxiliary ("was not", "didn't", "has never") made positive."""
    found = _NEGATION.search(s.sentence)
    if found is None:
        return None
    plain = "can" if found["can"] or found["cant"] else "will" if found["will"] else found["aux"]
    return s.sentence[: found.start()] + plain + s.sentence[found.end() :]


@cache
def _tagger() -> Any:
    import spacy  # imported here: a second to load, and only a few generators need it

    from newsdesk.write.extractive.kinds import MODEL

    return spacy.load(MODEL, exclude=["parser", "lemmatizer", "ner"])


def _is_verb(sentence: str, start: int) -> bool:
    """Is the word at ``start`` a finite verb or a modal ("beat", "beats", "may"), not a
    plural noun ("reporters")?"""
    return any(
        t.idx == start and t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in _tagger()(sentence)
    )


def actors_swapped(s: Sample) -> str | None:
    """Two names on either side of a lowercase verb trade places ("A beat B" -> "B beat A")."""
    known = {n.text for text in s.elsewhere() for n in _names(text)}
    for a, b in pairwise(_names(s.sentence, initial_ok=True)):
        verb = re.fullmatch(r" ([a-z]+) ", s.sentence[a.end : b.start])
        if verb is None or verb[1] in _LINKS or _words(a.text) & _words(b.text):
            continue
        if s.sentence[b.end : b.end + 1] == "." or s.sentence[a.end : a.end + 1] == ".":
            continue  # "Dr.", "Msgr.": a title, not a name
        # Not "the Saints" or "Sam's Club"; a sentence-initial word only if D names it
        # mid-sentence ("Police said X" is no actor swap).
        if re.search(r"(?:\bthe|['’] ?s) $", s.sentence[: a.start], re.IGNORECASE):
            continue
        if (a in _names(s.sentence) or a.text in known) and _is_verb(s.sentence, a.end + 1):
            middle = s.sentence[a.end : b.start]
            return s.sentence[: a.start] + b.text + middle + a.text + s.sentence[b.end :]
    return None


def hedge_dropped(s: Sample) -> str | None:
    """S with every hedge ("reportedly", "is believed to", "may be", "at least 30") dropped."""
    claim = s.sentence
    for pattern, plain in _HEDGES:
        claim = pattern.sub(plain, claim)
    return _tidy(claim) if claim != s.sentence else None


def _fuse(first: str, second: str, source: str) -> str | None:
    known = {w.casefold() for w in _WORD.findall(source)}
    for word in _WORD.finditer(first):
        if len(word[0]) < 5 or word[0].casefold() in STOPWORDS:
            continue
        joint = re.search(rf"\b{word[0]}\b", second)
        if joint is None:
            continue
        head, tail = first[: word.end()], second[joint.end() :]
        # The tail must bring something the first document does not say.
        new = [w for w in _WORD.findall(tail) if len(w) >= 4 and w.casefold() not in known]
        if len(head.split()) >= 3 and len(tail.split()) >= 3 and new and head + tail != second:
            return head + tail
    return None


def fusion(s: Sample) -> str | None:
    """S up to a content word it shares with a sentence of another report of the topic,
    then the rest of that sentence (the checker sees only S's document)."""
    for peer in _shuffled(s.rng, [p for p in s.peers if p.doc_id != s.doc.doc_id]):
        for second in _shuffled(s.rng, [t for t in peer.sentences if usable(t)]):
            if (claim := _fuse(s.sentence, second, s.doc.text)) is not None:
                return claim
    return None


def verbatim(s: Sample) -> str | None:
    return s.sentence


def deletion(s: Sample) -> str | None:
    """S less a parenthesis, a "who"/"which" clause, or a leading prepositional phrase."""
    if re.search('["“”]', s.sentence):
        return None  # a trimmed quotation is a misquote, rightly flagged: no control
    shorter = _PAREN.sub("", s.sentence, count=1)
    for clause in _RELATIVE.finditer(s.sentence) if shorter == s.sentence else ():
        if _is_verb(s.sentence, clause.start(1)):
            shorter = s.sentence[: clause.start()] + s.sentence[clause.end() :]
            break
    lead = _LEADING.match(s.sentence)
    if shorter == s.sentence and lead is not None:
        shorter = s.sentence[lead.end() :]
    # What is left must still say something (not "" from "(Also, ...)").
    return _tidy(shorter) if shorter != s.sentence and len(shorter.split()) >= 6 else None


def pronoun_resolved(s: Sample) -> str | None:
    """A leading "He"/"She" replaced by the one person the sentence before names."""
    if s.index == 0 or not re.match(r"(?:He|She) ", s.sentence):
        return None
    from newsdesk.write.extractive.kinds import entities  # spaCy: loaded on first use

    before = s.doc.sentences[s.index - 1]
    # The shape asked for (two capitalised words), confirmed by the entity model: "North
    # Carolina" and "Vancouver Police" have the shape too.
    people = {t for t, label in entities(before) if label == "PERSON"}
    full = [n.text for n in _names(before, initial_ok=True) if n.text in people]
    full = [n for n in full if len(n.split(" ")) == 2]
    if len(set(full)) != 1 or any(p not in full[0].split(" ") + full for p in people):
        return None
    # "He ... Williams" is someone else than Reggie Williams; in a quote, the speaker is.
    if _words(full[0]) & set(_WORD.findall(s.sentence)) or _QUOTES.search(s.sentence):
        return None
    return full[0] + s.sentence[s.sentence.index(" ") :]


Generator = Callable[[Sample], str | None]
ERRORS: dict[str, Generator] = {m.__name__: m for m in (name_swap, number_swap, date_swap)}
ERRORS |= {m.__name__: m for m in (modifier_added, negation_added, negation_removed)}
ERRORS |= {m.__name__: m for m in (actors_swapped, hedge_dropped, fusion)}
CONTROLS: dict[str, Generator] = {m.__name__: m for m in (verbatim, deletion, pronoun_resolved)}


def generate(docs: Sequence[Document], limit: int = 200, seed: int = 1) -> list[Case]:
    """Up to ``limit`` cases of each kind, from usable sentences in a seeded random order."""
    rng = random.Random(seed)
    topics: dict[str, list[Document]] = {}
    for doc in docs:
        topics.setdefault(doc.topic, []).append(doc)
    slots = [(d, i) for d in docs for i, text in enumerate(d.sentences) if usable(text)]
    cases: list[Case] = []
    for kind, make in (ERRORS | CONTROLS).items():
        found = 0
        for doc, index in _shuffled(rng, slots):
            if found == limit:
                break
            claim = make(Sample(doc, index, rng, topics[doc.topic]))
            sentence = doc.sentences[index]
            if claim is not None and (claim != sentence or kind in CONTROLS):
                cases.append(Case(kind, doc.doc_id, claim, sentence, kind in CONTROLS, doc.text))
                found += 1
    return cases


@dataclass(slots=True)
class _Tally:
    control: bool
    cases: int = 0
    flagged: int = 0
    contradicted: int = 0
    examples: list[dict[str, str]] = field(default_factory=list)

    def add(self, case: Case, verdict: Verdict) -> None:
        flagged = verdict.label != "supported"
        self.cases, self.flagged = self.cases + 1, self.flagged + flagged
        self.contradicted += verdict.label == "contradicted"
        # Keep what went wrong: an error let through, or a control flagged.
        if flagged == case.control and len(self.examples) < _EXAMPLES:
            keep = {"doc_id": case.doc_id, "claim": case.claim, "sentence": case.sentence}
            self.examples.append(keep | {"label": verdict.label, "reason": verdict.reason})


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def evaluate(cases: Sequence[Case], check: Checker = check_text) -> dict[str, Any]:
    """Check every case against its document; count flags (label != "supported") per kind."""
    tallies = {kind: _Tally(kind in CONTROLS) for kind in ERRORS | CONTROLS}
    start = time.perf_counter()
    for case in cases:
        tallies[case.kind].add(case, check(case.claim, [(case.doc_id, case.source)]))
    seconds = time.perf_counter() - start
    report: dict[str, Any] = {
        "kinds": {k: asdict(t) | {"rate": _rate(t.flagged, t.cases)} for k, t in tallies.items()}
    }
    for group, control in (("errors", False), ("controls", True)):
        mine = [t for t in tallies.values() if t.control == control]
        total, flagged = sum(t.cases for t in mine), sum(t.flagged for t in mine)
        report[group] = {"cases": total, "flagged": flagged, "rate": _rate(flagged, total)}
    report["seconds"] = round(seconds, 3)
    report["claims_per_second"] = round(len(cases) / seconds, 1) if seconds > 0 else None
    return report


def run_perturbations(
    path: Path, limit: int = 200, seed: int = 1, check: Checker = check_text
) -> dict[str, Any]:
    """Generate the cases from the ECB+ file at ``path`` and measure ``check`` on them."""
    report = evaluate(generate(load_documents(path), limit, seed), check)
    return report | {"limit": limit, "seed": seed}


def _line(name: str, counts: dict[str, Any], control: bool) -> str:
    what = "false alarms" if control else "detected"
    share = "n/a" if counts["rate"] is None else f"{counts['rate']:.1%}"
    return f"{name}: {what} {counts['flagged']}/{counts['cases']} ({share})"


def describe(report: dict[str, Any]) -> list[str]:
    """One line per kind, then the totals and the speed."""
    lines = [_line(kind, c, c["control"]) for kind, c in report["kinds"].items()]
    lines.append(_line("all errors", report["errors"], False))
    lines.append(_line("all controls", report["controls"], True))
    lines.append(f"claims/second: {report['claims_per_second']} ({report['seconds']} s)")
    return lines
