"""Writing evaluation: write one article per story and measure what the goals name.

Input is JSON Lines, one of two kinds of line (both may be mixed in one file):

- a story: ``{"id", "documents": [Document, ...], "summary"?: str}``;
- a document with its story label: ``{"doc_id" | "id", "event" | "story", "sentences" |
  "text", ...}`` (the ECB+ layout); a ``"summary"`` on any line of a story is its reference.

Measures per article, summed over stories: claims (standfirst, sentences, facts,
disagreement claims) with at least one citation; quotes that are verbatim spans of their
documents; claims whose numbers, dates and quoted speech all appear in their cited quotes;
sentences the project's checker (``newsdesk.verify``) keeps; facts per story and distinct
aspects; headline words; writer seconds per story. Where stories carry a reference summary,
ROUGE-1 F1 of standfirst + body against it (lowercased ``\\w+`` tokens, no stemming) and of
the lead baseline (the first N words of the story's documents in input order).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from newsdesk.records import Article, Citation, Document, Story
from newsdesk.verify import verify_article
from newsdesk.write.failures import WriterUnavailableError

Writer = Callable[[Story, int], Article]
MAX_HEADLINE_WORDS = 14
MIN_FACTS, MAX_FACTS = 4, 6
_TOKEN = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DATE_WORD = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|"
    r"tonight|tomorrow)\b",
    re.IGNORECASE,
)
_SPEECH = re.compile(r"[“\"]([^”\"]{3,})[”\"]")


class DataError(ValueError):
    """An input line is not a story or a labelled document."""


@dataclass(frozen=True)
class EvalStory:
    story: Story
    summary: str | None


@dataclass
class Totals:
    """Counts summed over the stories (shares are computed from them at the end)."""

    stories: int = 0
    documents: int = 0
    claims: int = 0
    cited: int = 0
    quotes: int = 0
    verbatim: int = 0
    grounded: int = 0
    checked: int = 0
    supported: int = 0
    checker: str = ""
    facts: list[int] = field(default_factory=list)
    distinct_aspects: int = 0
    headline_words: list[int] = field(default_factory=list)
    words: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    rouge: list[float] = field(default_factory=list)
    lead_rouge: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def load_stories(path: Path) -> list[EvalStory]:
    """Stories from a JSON Lines file of stories and/or labelled documents."""
    stories: dict[str, list[Document]] = defaultdict(list)
    summaries: dict[str, str] = {}
    whole: list[EvalStory] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataError(f"line {number}: not JSON ({error.msg})") from error
            _read_line(row, number, whole, stories, summaries)
    grouped = [
        EvalStory(Story(id=story_id, documents=docs), summaries.get(story_id))
        for story_id, docs in sorted(stories.items())
    ]
    return whole + grouped


def _read_line(
    row: Any,
    number: int,
    whole: list[EvalStory],
    stories: dict[str, list[Document]],
    summaries: dict[str, str],
) -> None:
    if not isinstance(row, dict):
        raise DataError(f"line {number}: not a JSON object")
    summary = row.get("summary")
    if summary is not None and not isinstance(summary, str):
        raise DataError(f"line {number}: 'summary' must be a string")
    try:
        if "documents" in row:
            whole.append(EvalStory(Story.model_validate(row), summary))
            return
        label = row.get("event", row.get("story"))
        if label is None:
            raise DataError(f"line {number}: neither a story nor a document with 'event'/'story'")
        doc_id = row.get("doc_id", row.get("id"))
        if doc_id is None:
            raise DataError(f"line {number}: a document needs 'doc_id' or 'id'")
        document = Document.model_validate({**row, "id": str(doc_id)})
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"]) or "record"
        raise DataError(f"line {number}: {where}: {problem['msg']}") from error
    stories[str(label)].append(document)
    if summary:
        summaries[str(label)] = summary


def rouge1(candidate: str, reference: str) -> float:
    """ROUGE-1 F1 on lowercased ``\\w+`` tokens, no stemming, no stopword removal."""
    produced = Counter(_TOKEN.findall(candidate.lower()))
    wanted = Counter(_TOKEN.findall(reference.lower()))
    overlap = sum((produced & wanted).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(produced.values())
    recall = overlap / sum(wanted.values())
    return 2 * precision * recall / (precision + recall)


def lead_words(story: Story, count: int) -> str:
    """The first ``count`` words of the story's documents, in input order."""
    words = " ".join(d.text for d in story.documents).split()
    return " ".join(words[:count])


def article_text(article: Article) -> str:
    """What a reader reads as the summary: standfirst and body."""
    return " ".join([article.standfirst, *(s.text for s in article.sentences())])


def evaluate(stories: Iterable[EvalStory], writer: Writer, lead: int = 260) -> Totals:
    totals = Totals()
    for item in stories:
        totals.stories += 1
        totals.documents += len(item.story.documents)
        started = time.perf_counter()
        try:
            article = writer(item.story, 1)
        except (ValueError, WriterUnavailableError) as error:  # counted, not fatal
            totals.failures.append(f"{item.story.id}: {error}")
            continue
        totals.seconds.append(time.perf_counter() - started)
        _score(totals, article, item, lead)
    return totals


def _score(totals: Totals, article: Article, item: EvalStory, lead: int) -> None:
    texts = {d.id: d.text for d in item.story.documents}
    for text, citations in claims_of(article):
        totals.claims += 1
        totals.cited += bool(citations)
        totals.quotes += len(citations)
        totals.verbatim += sum(c.quote in texts.get(c.document, "\0") for c in citations)
        totals.grounded += is_grounded(text, citations)
    verification = verify_article(article, item.story.documents).verification
    totals.checked += verification.checked
    totals.supported += verification.supported
    totals.checker = verification.checker
    aspects = [f.aspect.removesuffix(" (sources differ)").casefold() for f in article.facts]
    totals.facts.append(len(article.facts))
    totals.distinct_aspects += len(set(aspects)) == len(aspects)
    totals.headline_words.append(len(article.headline.split()))
    body = article_text(article)
    totals.words.append(len(body.split()))
    if item.summary:
        totals.rouge.append(rouge1(body, item.summary))
        totals.lead_rouge.append(rouge1(lead_words(item.story, lead), item.summary))


def claims_of(article: Article) -> list[tuple[str, list[Citation]]]:
    """Every cited statement of an article: standfirst, sentences, facts, claims."""
    found = [(article.standfirst, list(article.standfirst_citations))]
    found += [(s.text, list(s.citations)) for s in article.sentences()]
    found += [(f.detail, list(f.citations)) for f in article.facts]
    found += [(c.text, list(c.citations)) for d in article.disagreements for c in d.claims]
    return found


def is_grounded(text: str, citations: Sequence[Citation]) -> bool:
    """Every number, date word and quoted speech of ``text`` is in its cited quotes."""
    evidence = " ".join(c.quote for c in citations)
    numbers = set(_NUMBER.findall(evidence))
    dates = {w.casefold() for w in _DATE_WORD.findall(evidence)}
    return (
        all(n in numbers for n in _NUMBER.findall(text))
        and all(w.casefold() in dates for w in _DATE_WORD.findall(text))
        and all(s.strip() in evidence for s in _SPEECH.findall(text))
    )


def summarise(totals: Totals) -> dict[str, Any]:
    """The measures as one JSON-ready object (shares in percent)."""

    def share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 2) if whole else None

    facts = totals.facts or [0]
    written = len(totals.facts)
    report: dict[str, Any] = {
        "stories": totals.stories,
        "documents": totals.documents,
        "written": written,
        "refused": totals.failures,
        "claims": totals.claims,
        "cited_pct": share(totals.cited, totals.claims),
        "verbatim_quotes_pct": share(totals.verbatim, totals.quotes),
        "grounded_pct": share(totals.grounded, totals.claims),
        "checker": totals.checker,
        "checker_supported_pct": share(totals.supported, totals.checked),
        "facts_mean": round(statistics.mean(facts), 2),
        "facts_min": min(facts),
        "facts_max": max(facts),
        "facts_4_to_6_pct": share(sum(MIN_FACTS <= n <= MAX_FACTS for n in facts), written),
        "distinct_aspects_pct": share(totals.distinct_aspects, written),
        "headline_words_max": max(totals.headline_words, default=0),
        "headline_within_14_pct": share(
            sum(n <= MAX_HEADLINE_WORDS for n in totals.headline_words), written
        ),
        "words_mean": round(statistics.mean(totals.words), 1) if totals.words else None,
        "seconds_mean": round(statistics.mean(totals.seconds), 4) if totals.seconds else None,
        "seconds_max": round(max(totals.seconds), 4) if totals.seconds else None,
        "references": len(totals.rouge),
    }
    if totals.rouge:
        report["rouge1_f1"] = round(statistics.mean(totals.rouge), 4)
        report["lead_rouge1_f1"] = round(statistics.mean(totals.lead_rouge), 4)
    else:
        report["rouge1_f1"] = None
        report["rouge_note"] = "no reference summaries in the input: ROUGE-1 not measured"
    return report
