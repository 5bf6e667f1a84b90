"""Measure main-text extraction against a benchmark of pages with hand-made article bodies.

The data layout is the scrapinghub article-extraction-benchmark's: ``html/<id>.html.gz``
and ``ground-truth.json`` mapping each id to ``{"articleBody", "url"}``. The metric is
that benchmark's: ``\\w+`` tokens grouped into word 4-grams counted as a multiset; per
page TP, FP and FN are divided by their sum (so every page weighs the same), summed over
pages, and precision, recall and F1 are computed from the sums.

Throughput is measured against plain ``trafilatura.extract`` on the same decoded pages in
the same run, page by page alternately, so that a busy machine slows both alike.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from newsdesk.extract import ExtractionError, decode_html, extract_document

Extractor = Callable[[str, str | None], str]
"""Takes a decoded page and its URL, returns the article text ("" when none)."""

TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4


class BenchmarkError(ValueError):
    """The benchmark folder is missing something; the message says what."""


@dataclass(frozen=True)
class BenchmarkPage:
    id: str
    url: str | None
    html: str
    truth: str


@dataclass(frozen=True)
class PageScore:
    """The page's TP, FP and FN shares (they sum to 1, or are all 0 for two empty texts)."""

    tp: float
    fp: float
    fn: float


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass
class Run:
    """One extractor over the benchmark: scores per page and total extraction time."""

    name: str
    pages: dict[str, PageScore] = field(default_factory=dict)
    seconds: float = 0.0
    failures: int = 0

    @property
    def scores(self) -> Scores:
        return summarise(self.pages.values())

    @property
    def pages_per_second(self) -> float:
        return len(self.pages) / self.seconds if self.seconds > 0 else 0.0


# --- the metric ------------------------------------------------------------------------


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Word n-grams of ``text`` as a multiset; a text shorter than n is one shingle."""
    tokens = TOKEN.findall(text)
    if not tokens:
        return Counter()
    count = max(1, len(tokens) - size + 1)
    return Counter(tuple(tokens[i : i + size]) for i in range(count))


def score_page(truth: str, predicted: str) -> PageScore:
    """Shingle overlap of one page, normalised so that each page weighs the same."""
    expected, found = shingles(truth), shingles(predicted)
    tp = sum((expected & found).values())
    fp = sum((found - expected).values())
    fn = sum((expected - found).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


def summarise(scores: Iterable[PageScore]) -> Scores:
    """Precision, recall and F1 from the per-page shares summed over all pages."""
    tp = fp = fn = 0.0
    for score in scores:
        tp, fp, fn = tp + score.tp, fp + score.fp, fn + score.fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


# --- the data --------------------------------------------------------------------------


def load_benchmark(folder: Path) -> list[BenchmarkPage]:
    """Every page of the benchmark in ``folder``, decoded, in id order."""
    truth_file = folder / "ground-truth.json"
    html_dir = folder / "html"
    if not truth_file.is_file() or not html_dir.is_dir():
        raise BenchmarkError(f"{folder} needs ground-truth.json and an html/ folder")
    try:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise BenchmarkError(f"{truth_file} is not JSON ({error.msg})") from error
    if not isinstance(truth, dict) or not truth:
        raise BenchmarkError(f"{truth_file} must map page ids to article bodies")
    return list(read_pages(html_dir, truth))


def read_pages(html_dir: Path, truth: dict[str, dict[str, str]]) -> Iterator[BenchmarkPage]:
    for page_id in sorted(truth):
        path = html_dir / f"{page_id}.html.gz"
        if not path.is_file():
            raise BenchmarkError(f"{path} is missing (named in ground-truth.json)")
        entry = truth[page_id]
        html = decode_html(gzip.decompress(path.read_bytes()))
        yield BenchmarkPage(page_id, entry.get("url"), html, entry.get("articleBody") or "")


# --- the extractors ----------------------------------------------------------------------


def extract_with_newsdesk(html: str, url: str | None) -> str:
    """The text newsdesk stores for the page (the production path, metadata included)."""
    try:
        return extract_document(html, url=url, doc_id="page").text
    except ExtractionError:
        return ""


def extract_with_trafilatura(html: str, url: str | None) -> str:
    """Plain trafilatura with its default settings: the baseline."""
    return trafilatura.extract(html, url=url) or ""


# --- running -----------------------------------------------------------------------------


def run_benchmark(
    pages: list[BenchmarkPage],
    extractors: dict[str, Extractor],
    progress: Callable[[int, int], None] | None = None,
) -> list[Run]:
    """Run every extractor on every page, alternating page by page; time each call."""
    runs = {name: Run(name) for name in extractors}
    for done, page in enumerate(pages, start=1):
        for name, extractor in extractors.items():
            started = time.perf_counter()
            try:
                text = extractor(page.html, page.url)
            except Exception:  # a crash on one page is scored as an empty answer
                text = ""
                runs[name].failures += 1
            runs[name].seconds += time.perf_counter() - started
            runs[name].pages[page.id] = score_page(page.truth, text)
        if progress is not None:
            progress(done, len(pages))
    return list(runs.values())


def warm_up(pages: list[BenchmarkPage], extractors: dict[str, Extractor], count: int = 3) -> None:
    """First calls pay for imports and caches; keep them out of the timings."""
    for page in pages[:count]:
        for extractor in extractors.values():
            extractor(page.html, page.url)


def describe_run(run: Run) -> str:
    scores = run.scores
    crashed = f", {run.failures} crashed" if run.failures else ""
    return (
        f"{run.name}: precision {scores.precision:.4f}  recall {scores.recall:.4f}  "
        f"F1 {scores.f1:.4f}  {run.pages_per_second:.1f} pages/s "
        f"({len(run.pages)} pages in {run.seconds:.2f} s{crashed})"
    )
