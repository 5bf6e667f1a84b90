"""Claim-checking evaluation: load the factcheck dev files, score the checker, report.

The four dev files (QAGS CNN/DM and XSum, CLIFF, SummEdits-news; see
``../shared/eval/README.md``) are read by path and never copied. Each becomes a list of
:class:`Item` (source text, claim, gold label, and the group -- the source article -- the
item belongs to). Balanced accuracy is the mean of the recall on supported and on
unsupported items. Groups are split in two halves with a fixed seed, so that thresholds
calibrated on one half can be judged on the other.
"""

from __future__ import annotations

import ast
import csv
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsdesk.verify.judge import LLMJudge
    from newsdesk.verify.verdicts import Verdict

DEV_DIR = Path("../shared/eval/factcheck")
DEV_FILES = (
    "qags-cnndm-dev.jsonl",
    "qags-xsum.jsonl",
    "cliff-val.csv",
    "summedits-news-dev.json",
)
SPLIT_SEED = 2026


class DataError(ValueError):
    """An evaluation file is missing, malformed or of an unknown kind."""


@dataclass(frozen=True, slots=True)
class Item:
    group: str
    source: str
    claim: str
    supported: bool


@dataclass(frozen=True, slots=True)
class Score:
    """Balanced accuracy and its parts over one set of items."""

    items: int
    positives: int
    balanced_accuracy: float
    recall_supported: float
    recall_unsupported: float


def default_paths() -> list[Path]:
    return [DEV_DIR / name for name in DEV_FILES]


def load_items(path: Path) -> list[Item]:
    """Read one dev file by its name's kind (qags-*, cliff-*, summedits-*)."""
    name = path.name.casefold()
    loaders: dict[str, Callable[[Path], list[Item]]] = {
        "qags": _load_qags,
        "cliff": _load_cliff,
        "summedits": _load_summedits,
    }
    for prefix, loader in loaders.items():
        if name.startswith(prefix):
            try:
                return loader(path)
            except OSError as error:
                raise DataError(f"cannot read {path}: {error.strerror}") from error
            except (KeyError, TypeError, ValueError, SyntaxError) as error:
                raise DataError(f"{path}: unexpected content ({error!r})") from error
    raise DataError(f"{path}: unknown kind (expected a qags-*, cliff-* or summedits-* file)")


def split_halves(items: Sequence[Item], seed: int = SPLIT_SEED) -> tuple[list[Item], list[Item]]:
    """Split by group (source article): first half calibrates, second half is held back."""
    groups = sorted({item.group for item in items})
    random.Random(seed).shuffle(groups)
    first = set(groups[: (len(groups) + 1) // 2])
    return [i for i in items if i.group in first], [i for i in items if i.group not in first]


def score_predictions(gold: Sequence[bool], predicted: Sequence[bool]) -> Score:
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted labels differ in length")
    positives = sum(gold)
    negatives = len(gold) - positives
    hits_pos = sum(g and p for g, p in zip(gold, predicted, strict=True))
    hits_neg = sum(not g and not p for g, p in zip(gold, predicted, strict=True))
    recall_pos = hits_pos / positives if positives else 0.0
    recall_neg = hits_neg / negatives if negatives else 0.0
    parts = [r for r, n in ((recall_pos, positives), (recall_neg, negatives)) if n]
    balanced = sum(parts) / len(parts) if parts else 0.0
    return Score(len(gold), positives, balanced, recall_pos, recall_neg)


def _majority_yes(responses: Iterable[dict[str, Any]]) -> bool:
    answers = [str(r["response"]).strip().casefold() for r in responses]
    return sum(a == "yes" for a in answers) >= 2


def _load_qags(path: Path) -> list[Item]:
    items = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if not line.strip():
                continue
            row = json.loads(line)
            sentences = row["summary_sentences"]
            if isinstance(sentences, str):  # the XSum file stores a Python literal
                sentences = ast.literal_eval(sentences)
            for entry in sentences:
                items.append(
                    Item(
                        group=f"{path.stem}:{number}",
                        source=row["article"],
                        claim=entry["sentence"],
                        supported=_majority_yes(entry["responses"]),
                    )
                )
    return items


def _load_cliff(path: Path) -> list[Item]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Item(
                group=f"{row['origin']}:{row['id']}",
                source=row["doc"],
                claim=row["summ"],
                supported=row["error_type"].strip() == "correct",
            )
            for row in csv.DictReader(handle)
        ]


def _load_summedits(path: Path) -> list[Item]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(rows, list):
        raise TypeError("expected a JSON list")
    return [
        Item(
            group=str(row["doc"])[:200],
            source=row["doc"],
            claim=row["summary"],
            supported=int(row["label"]) == 1,
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class FileReport:
    """One dev file: the calibration half, the held-back half and the whole file."""

    path: Path
    calibration: Score
    held_back: Score
    whole: Score
    judged: int = 0  # verdicts the LLM judge decided (with a judge only)


def predict(
    items: Sequence[Item], ablate: frozenset[str] = frozenset(), judge: LLMJudge | None = None
) -> list[Verdict]:
    # Imported here so that loading data needs nothing of the checker.
    from newsdesk.verify import check_against
    from newsdesk.verify.evidence import build_index

    verdicts = []
    for item in items:
        index = build_index([("source", item.source)])
        verdict = check_against(item.claim, index, ablate)
        verdicts.append(judge.review(item.claim, verdict, index) if judge else verdict)
    return verdicts


def evaluate_file(
    path: Path, ablate: frozenset[str] = frozenset(), judge: LLMJudge | None = None
) -> FileReport:
    """Score the checker (and the ``judge`` on its borderline verdicts, if given)."""
    items = load_items(path)
    verdicts = predict(items, ablate, judge)
    predicted = {id(i): v.supported for i, v in zip(items, verdicts, strict=True)}
    first, second = split_halves(items)

    def score(part: Sequence[Item]) -> Score:
        return score_predictions([i.supported for i in part], [predicted[id(i)] for i in part])

    judged = sum(v.judged for v in verdicts)
    return FileReport(path, score(first), score(second), score(items), judged)
