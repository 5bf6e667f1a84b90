"""Claim checker benchmarks: speed, calibration of the fixed weights, per-signal ablation.

    python bench/verify.py speed                 # claims/second, one core, 5 sources
    python bench/verify.py calibrate [PATHS]     # fit the weights on calibration halves
    python bench/verify.py ablation [PATHS]      # held-back accuracy without each signal
    python bench/verify.py lodo [PATHS]          # leave-one-dataset-out estimate

PATHS default to the four dev files under ../shared/eval/factcheck/ (run from the repo
root). Calibration sees only the first half of each file (split by source article, fixed
seed): one logistic model is fitted on the four halves together, then one shift of its
bias is chosen for the best mean balanced accuracy of the three files with goals, judged
on those halves by the whole checker (verbatim shortcut and hard rules included). Its
output is pasted into src/newsdesk/verify/scoring.py by hand.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from newsdesk.evaluation import perturb
from newsdesk.evaluation.factcheck import (
    Item,
    default_paths,
    load_items,
    score_predictions,
    split_halves,
)
from newsdesk.samplewire import WireArticle, load_wire
from newsdesk.text import split_spans
from newsdesk.verify import check_against
from newsdesk.verify.claims import decide_claim, measure_claim, verbatim_source
from newsdesk.verify.evidence import build_index, clear_index_cache
from newsdesk.verify.scoring import (
    FEATURES,
    HARD_RULES,
    Model,
    claim_features,
    fixed_model,
    hard_rule,
)
from newsdesk.verify.signals import Signals

GOAL_FILES = ("qags-cnndm", "cliff", "summedits")
L2 = 3.0  # ridge penalty on standardised features (chosen by cross-validation, see README)
SHIFTS = np.round(np.arange(-2.0, 2.01, 0.1), 2)


def bench_speed(rounds: int = 5) -> None:
    """Every sample-wire sentence, checked against 5 articles (its event's, padded with
    others'), with the verbatim shortcut off so that each one is fully measured."""
    wire = load_wire()
    by_story: dict[str, list[WireArticle]] = {}
    for article in wire:
        by_story.setdefault(article.story, []).append(article)
    batches = []
    for story, articles in sorted(by_story.items()):
        padding = [a for a in wire if a.story != story]
        sources = [(a.slug, a.text) for a in (articles + padding)[:5]]
        claims = [a.text[s:e] for a in articles for s, e in split_spans(a.text)]
        batches.append((sources, claims))
    total = sum(len(claims) for _, claims in batches)
    off = frozenset({"verbatim"})
    rates = []
    for _ in range(rounds):
        clear_index_cache()
        started = time.perf_counter()
        for sources, claims in batches:
            index = build_index(sources)  # built once per source set, inside the timing
            for claim in claims:
                check_against(claim, index, off)
        rates.append(total / (time.perf_counter() - started))
    print(f"{total} claims, {len(batches)} source sets of 5 articles, {rounds} rounds")
    print(f"claims/s: median {statistics.median(rates):.0f}, min {min(rates):.0f}")


@dataclass
class Measured:
    """One dev item, measured once: gold label, half, verbatim shortcut, sentence signals."""

    file: str
    supported: bool
    calibration: bool
    verbatim: bool
    sentences: list[Signals]
    clauses: list[Signals] | None


def measure_items(paths: Sequence[Path]) -> list[Measured]:
    measured = []
    for path in paths:
        items = load_items(path)
        first, _ = split_halves(items)
        in_first = {id(item) for item in first}
        for item in items:
            measured.append(_measure(path.name, item, id(item) in in_first))
    return measured


def _measure(file: str, item: Item, calibration: bool) -> Measured:
    index = build_index([("source", item.source)])
    verbatim = verbatim_source(item.claim, index) is not None
    sentences = measure_claim(item.claim, index) or []
    clauses = measure_claim(item.claim, index, clauses=True)
    return Measured(file, item.supported, calibration, verbatim, sentences, clauses)


def predict(m: Measured, model: Model, ablate: frozenset[str] = frozenset()) -> bool:
    if m.verbatim and "verbatim" not in ablate:
        return True
    if not m.sentences:
        return False
    decision, _ = decide_claim(m.sentences, lambda: m.clauses, ablate, model)
    return decision.label == "supported"


def balanced(rows: Sequence[Measured], model: Model, ablate: frozenset[str] = frozenset()) -> float:
    gold = [m.supported for m in rows]
    return score_predictions(gold, [predict(m, model, ablate) for m in rows]).balanced_accuracy


def fit_model(measured: Sequence[Measured], features: Sequence[str]) -> Model:
    """Weighted ridge logistic regression on the calibration halves (one row a claim: the
    worst value of each feature over its sentences), then the bias shift."""
    train = [
        m
        for m in measured
        if m.calibration and not m.verbatim and m.sentences and not _ruled(m.sentences)
    ]
    x = np.array(
        [[claim_features(_checkable(m), len(m.sentences) > 1)[f] for f in features] for m in train]
    )
    y = np.array([1.0 if m.supported else 0.0 for m in train])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    beta = _fit((x - mean) / scale, y, _balance([m.file for m in train], y))
    weights = beta[:-1] / scale
    bias = float(beta[-1] - weights @ mean)
    named = {f: float(w) for f, w in zip(features, weights, strict=True)}
    return _best_shift(measured, named, bias)


def _checkable(m: Measured) -> list[Signals]:
    return [s for s in m.sentences if s.tokens] or m.sentences


def _ruled(sentences: Sequence[Signals]) -> bool:
    """Decided by a hard rule whatever the weights (so not informative for the fit)."""
    return any(hard_rule(s, frozenset()) is not None for s in sentences if s.tokens)


def _best_shift(measured: Sequence[Measured], weights: dict[str, float], bias: float) -> Model:
    halves = [
        [m for m in measured if m.calibration and m.file.startswith(name)] for name in GOAL_FILES
    ]
    halves = [rows for rows in halves if rows]
    best: tuple[float, float, float] | None = None
    for shift in SHIFTS:
        model = Model(weights, bias + float(shift))
        mean = statistics.mean(balanced(rows, model) for rows in halves)
        candidate = (round(mean, 6), -abs(float(shift)), float(shift))  # ties: smallest move
        if best is None or candidate > best:
            best = candidate
    assert best is not None
    return Model(weights, bias + best[2])


def _balance(files: list[str], labels: np.ndarray) -> np.ndarray:
    """Each file weighs the same, and within it both labels weigh the same (mean 1)."""
    keys = list(zip(files, labels.tolist(), strict=True))
    counts = {k: keys.count(k) for k in set(keys)}
    groups = len(set(files))
    share = len(files) / (2 * groups)
    return np.array([share / counts[k] for k in keys])


def _fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted L2-regularised logistic regression by Newton's method (bias last)."""
    x = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[-1] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        gradient = x.T @ (w * (p - y)) + penalty * beta
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return beta


def report(
    measured: Sequence[Measured], model: Model, ablate: frozenset[str] = frozenset()
) -> None:
    print(f"{'file':<26} {'calib.':>7} {'held':>7} {'whole':>7}")
    for name in dict.fromkeys(m.file for m in measured):
        rows = [m for m in measured if m.file == name]
        parts = (
            [m for m in rows if m.calibration],
            [m for m in rows if not m.calibration],
            rows,
        )
        cells = " ".join(f"{balanced(p, model, ablate):>7.3f}" for p in parts)
        print(f"{name:<26} {cells}")


def calibrate(paths: list[Path]) -> None:
    measured = measure_items(paths)
    model = fit_model(measured, FEATURES)
    print("WEIGHTS: dict[str, float] = {")
    for name in FEATURES:
        print(f'    "{name}": {model.weights[name]:.4f},')
    print("}")
    print(f"BIAS = {model.bias:.4f}")
    report(measured, model)


def ablation(paths: list[Path]) -> None:
    """Held-back (and whole-file) balanced accuracy with one signal off: hard rules are
    switched off in the shipped model; model features are dropped and the model refitted
    on the calibration halves, so the row shows what the signal adds, not a broken model."""
    measured = measure_items(paths)
    files = list(dict.fromkeys(m.file for m in measured))
    print("| signal off | " + " | ".join(files) + " |")
    print("|---|" + "---|" * len(files))
    shipped = fixed_model()
    rows: list[tuple[str, Model, frozenset[str]]] = [("(none: full checker)", shipped, frozenset())]
    rows += [(f"hard rule: {rule}", shipped, frozenset({rule})) for rule in HARD_RULES]
    rows.append(("verbatim shortcut", shipped, frozenset({"verbatim"})))
    rows.append(("clause-by-clause second chance", shipped, frozenset({"clauses"})))
    for name in FEATURES:
        kept = [f for f in FEATURES if f != name]
        rows.append((f"feature: {name} (refitted)", fit_model(measured, kept), frozenset()))
    for label, model, ablate in rows:
        cells = []
        for name in files:
            held = [m for m in measured if m.file == name and not m.calibration]
            whole = [m for m in measured if m.file == name]
            cells.append(
                f"{balanced(held, model, ablate):.3f} ({balanced(whole, model, ablate):.3f})"
            )
        print(f"| {label} | " + " | ".join(cells) + " |")


EVENTS = Path("../shared/eval/events/ecbplus-dev.jsonl")
ENTITY_GATES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
ADDITION_GATES = (0.0, 0.3, 0.5, 0.7, 1.01)


def measure_perturbations(path: Path = EVENTS) -> list[Measured]:
    """The perturbation suite's cases (seed 1, 200 a kind) as rows: an error is a claim
    that should not pass, a control one that should."""
    cases = perturb.generate(perturb.load_documents(path), 200, 1)
    return [
        _measure(f"perturb:{c.kind}", Item(c.doc_id, c.source, c.claim, c.control), True)
        for c in cases
    ]


def dataset_score(rows: Sequence[Measured], model: Model) -> float:
    """Balanced accuracy of a dev file; for the perturbation suite, the mean of the mean
    detection over error kinds (each kind weighing the same) and of 1 - false alarms."""
    if not rows[0].file.startswith("perturb:"):
        return balanced(rows, model)
    kinds = sorted({m.file for m in rows if not m.supported})
    detected = statistics.mean(
        statistics.mean(not predict(m, model) for m in rows if m.file == kind) for kind in kinds
    )
    passed = statistics.mean(predict(m, model) for m in rows if m.supported)
    return (detected + passed) / 2


def lodo(paths: list[Path]) -> None:
    """Each dataset (the dev files and the perturbation suite) held out in turn: the
    logistic weights are refitted on the other dev files, the rule gates chosen on the
    other datasets, and the held-out one scored with both. Beside it, the shipped
    checker's in-sample score."""
    measured = measure_items(paths) + measure_perturbations()
    sets: dict[str, list[Measured]] = {}
    for m in measured:
        sets.setdefault("perturb" if m.file.startswith("perturb:") else m.file, []).append(m)
    shipped = fixed_model()
    print("| held out | estimate (held out) | shipped, in-sample | gates chosen |")
    print("|---|---|---|---|")
    for held in sets:
        others = {name: rows for name, rows in sets.items() if name != held}
        train = [
            _as_calibration(m) for name, rows in others.items() if name != "perturb" for m in rows
        ]
        fitted = fit_model(train, FEATURES)
        best = max(
            (
                Model(fitted.weights, fitted.bias, entity, addition)
                for entity in ENTITY_GATES
                for addition in ADDITION_GATES
            ),
            key=lambda model: statistics.mean(dataset_score(r, model) for r in others.values()),
        )
        estimate = dataset_score(sets[held], best)
        print(
            f"| {held} | {estimate:.3f} | {dataset_score(sets[held], shipped):.3f} "
            f"| entity {best.entity_gate}, addition {best.addition_gate} |"
        )


def _as_calibration(m: Measured) -> Measured:
    return Measured(m.file, m.supported, True, m.verbatim, m.sentences, m.clauses)


def main(argv: list[str]) -> None:
    mode = argv[0] if argv else "speed"
    paths = [Path(a) for a in argv[1:]] or default_paths()
    if mode == "speed":
        bench_speed()
    elif mode == "calibrate":
        calibrate(paths)
    elif mode == "ablation":
        ablation(paths)
    elif mode == "lodo":
        lodo(paths)
    else:
        raise SystemExit(f"unknown mode {mode!r}: speed, calibrate, ablation or lodo")


if __name__ == "__main__":
    main(sys.argv[1:])
