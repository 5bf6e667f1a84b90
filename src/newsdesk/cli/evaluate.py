"""`newsdesk eval ...`: measure a stage against evaluation data given by path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk.cli.common import Backend, err, load_judge

if TYPE_CHECKING:
    from newsdesk.verify.judge import LLMJudge

eval_app = typer.Typer(help="Measure a stage against evaluation data.", no_args_is_help=True)


@eval_app.command("writing")
def eval_writing(
    path: Path,
    backend: Annotated[
        Backend | None, typer.Option(help="The writer (default: NEWSDESK_WRITER).")
    ] = None,
    lead: Annotated[int, typer.Option(help="Words of the lead baseline for ROUGE.")] = 260,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Write one article per story of PATH (JSON Lines) and print the writing measures."""
    import json

    from newsdesk.evaluation.writing import DataError, evaluate, load_stories, summarise
    from newsdesk.settings import load_settings
    from newsdesk.write import make_writer

    settings = load_settings()
    try:
        stories = load_stories(path)
        writer = make_writer(settings, backend and backend.value)
    except OSError as error:
        raise _eval_fail(f"cannot read {path}: {error.strerror}") from error
    except (DataError, ValueError) as error:
        raise _eval_fail(f"{path}: {error}") from error
    report = summarise(evaluate(stories, writer, lead=lead))
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    for name, value in report.items():
        typer.echo(f"{name:>24}: {value}")


@eval_app.command("editorial")
def eval_editorial(
    path: Path,
    backend: Annotated[
        Backend | None, typer.Option(help="The writer (default: NEWSDESK_WRITER).")
    ] = None,
    titles_first_line: Annotated[
        bool, typer.Option(help="Each document's first sentence is its title (as in ECB+).")
    ] = True,
    dump: Annotated[
        Path | None, typer.Option(help="Write each article, sentence by sentence, with flags.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Write one article per story of PATH (JSON Lines) and count what an editor would refuse."""
    import json

    from newsdesk.evaluation import editorial
    from newsdesk.evaluation.writing import DataError, load_stories
    from newsdesk.settings import load_settings
    from newsdesk.write import make_writer

    settings = load_settings()
    try:
        stories = load_stories(path)
        if titles_first_line:
            stories = editorial.move_titles(stories, editorial.document_sentences(path))
        writer = make_writer(settings, backend and backend.value)
    except OSError as error:
        raise _eval_fail(f"cannot read {path}: {error.strerror}") from error
    except (DataError, ValueError) as error:
        raise _eval_fail(f"{path}: {error}") from error
    totals, reviews = editorial.evaluate(stories, writer)
    if dump is not None:
        try:
            dump.write_text(editorial.dump(reviews), encoding="utf-8")
        except OSError as error:
            raise _eval_fail(f"cannot write {dump}: {error.strerror}") from error
    report = editorial.summarise(totals)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    for line in editorial.describe(report):
        typer.echo(line)


@eval_app.command("factcheck")
def eval_factcheck(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Dev files (default: the four under ../shared/eval/factcheck/)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    judge: Annotated[
        bool,
        typer.Option(help="Let the configured judge (else the LLM endpoint) decide unsure claims."),
    ] = False,
    perturb: Annotated[
        Path | None,
        typer.Option(help="Instead: perturb the sentences of this ECB+ JSON Lines file."),
    ] = None,
    limit: Annotated[int, typer.Option(help="With --perturb: cases per kind.")] = 200,
    seed: Annotated[int, typer.Option(help="With --perturb: the generation seed.")] = 1,
) -> None:
    """Check every claim of each file; print balanced accuracy (calibration half,
    held-back half, whole file). With --perturb, print how often the checker catches
    each kind of error made to real sentences, and how often it flags the controls."""
    import json

    from newsdesk.evaluation.factcheck import DataError, default_paths, evaluate_file

    llm_judge = load_judge(judge)
    if perturb is not None:
        if paths:
            raise _eval_fail("give either dev files or --perturb, not both")
        _factcheck_perturb(perturb, limit, seed, llm_judge, as_json)
        return
    try:
        reports = [evaluate_file(path, judge=llm_judge) for path in paths or default_paths()]
    except DataError as error:
        raise _eval_fail(str(error)) from error
    if as_json:
        typer.echo(json.dumps({str(r.path): _factcheck_json(r) for r in reports}))
        return
    judged = f" {'judged':>7}" if llm_judge else ""
    typer.echo(f"{'file':<28} {'items':>5} {'calib.':>7} {'held':>7} {'whole':>7}{judged}")
    for r in reports:
        typer.echo(
            f"{r.path.name:<28} {r.whole.items:>5} {r.calibration.balanced_accuracy:>7.3f}"
            f" {r.held_back.balanced_accuracy:>7.3f} {r.whole.balanced_accuracy:>7.3f}"
            + (f" {r.judged:>7}" if llm_judge else "")
        )
    if llm_judge and llm_judge.failures:
        err.print(
            f"warning: the judge could not be asked {llm_judge.failures} times (checker kept)"
        )


def _factcheck_perturb(
    path: Path, limit: int, seed: int, judge: LLMJudge | None, as_json: bool
) -> None:
    import json

    from newsdesk.evaluation.perturb import DataError, describe, run_perturbations
    from newsdesk.verify import Verdict, check_text

    def check(claim: str, sources: list[tuple[str, str]]) -> Verdict:
        return check_text(claim, sources, judge)

    if limit < 1:
        raise _eval_fail("--limit must be at least 1")
    try:
        report = run_perturbations(path, limit, seed, check=check)
    except OSError as error:
        raise _eval_fail(f"cannot read {path}: {error.strerror}") from error
    except DataError as error:
        raise _eval_fail(str(error)) from error
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    for line in describe(report):
        typer.echo(line)


def _factcheck_json(report: object) -> dict[str, object]:
    from dataclasses import asdict

    from newsdesk.evaluation.factcheck import FileReport

    assert isinstance(report, FileReport)
    parts = ("calibration", "held_back", "whole")
    return {part: asdict(getattr(report, part)) for part in parts} | {"judged": report.judged}


def _eval_fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=1)


@eval_app.command("extraction")
def eval_extraction(
    path: Path,
    baseline: Annotated[
        bool, typer.Option(help="Also run plain trafilatura on the same pages, alternating.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Extract every page of PATH (html/*.html.gz + ground-truth.json); print P, R, F1, speed."""
    import json

    from newsdesk.evaluation.extraction import (
        BenchmarkError,
        Extractor,
        describe_run,
        extract_with_newsdesk,
        extract_with_trafilatura,
        load_benchmark,
        run_benchmark,
        warm_up,
    )

    try:
        pages = load_benchmark(path)
    except OSError as error:
        raise _eval_fail(f"cannot read {path}: {error.strerror}") from error
    except BenchmarkError as error:
        raise _eval_fail(str(error)) from error
    extractors: dict[str, Extractor] = {"newsdesk": extract_with_newsdesk}
    if baseline:
        extractors["trafilatura"] = extract_with_trafilatura
    warm_up(pages, extractors)
    runs = run_benchmark(pages, extractors)
    if as_json:
        report = {
            run.name: {
                **vars(run.scores),
                "pages": len(run.pages),
                "pages_per_s": run.pages_per_second,
            }
            for run in runs
        }
        typer.echo(json.dumps(report))
        return
    for run in runs:
        typer.echo(describe_run(run))
    if baseline:
        ours, plain = runs
        ratio = ours.pages_per_second / plain.pages_per_second
        typer.echo(f"throughput ratio newsdesk/trafilatura: {ratio:.3f}")


@eval_app.command("clustering")
def eval_clustering(
    path: Path,
    topics: Annotated[
        str, typer.Option(help="all, odd or even: measure on one half of the topics only.")
    ] = "all",
    shuffle: Annotated[
        int | None, typer.Option(help="Feed the documents in a shuffled order (this seed).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    runs_of: Annotated[
        int | None,
        typer.Option(help="Also cluster in runs of this many documents, as the pipeline does."),
    ] = None,
) -> None:
    """Cluster PATH's documents as a stream; print B-cubed P, R, F1 against 'event', and speed."""
    import json
    from dataclasses import asdict

    from newsdesk.evaluation.clustering import DataError, evaluate, load_labelled, select_topics
    from newsdesk.pipeline import cluster_config
    from newsdesk.settings import load_settings

    if topics not in ("all", "odd", "even"):
        raise _eval_fail(f"--topics must be all, odd or even, not {topics!r}")
    try:
        items = select_topics(load_labelled(path), topics)  # type: ignore[arg-type]
    except OSError as error:
        raise _eval_fail(f"cannot read {path}: {error.strerror}") from error
    except DataError as error:
        raise _eval_fail(f"{path}: {error}") from error
    if runs_of is not None and runs_of < 1:
        raise _eval_fail("--runs-of must be at least 1")
    config = cluster_config(load_settings())
    report = evaluate(items, config, shuffle_seed=shuffle, run_size=runs_of)
    if as_json:
        typer.echo(json.dumps(asdict(report)))
        return
    typer.echo(
        f"documents: {report.documents}, gold stories: {report.gold_stories},"
        f" stories found: {report.stories}"
    )
    rows = [("streaming only", report.streaming), ("with corrections", report.corrected)]
    if report.in_runs is not None:
        rows.append((f"in runs of {report.run_size}", report.in_runs))
    for name, scores in rows:
        typer.echo(
            f"{name:>17}: B-cubed P {scores.precision:.4f}  R {scores.recall:.4f}"
            f"  F1 {scores.f1:.4f}"
        )
    typer.echo(f"documents/second (with corrections): {report.documents_per_second}")
