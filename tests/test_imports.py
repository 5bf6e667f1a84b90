"""The import graph: no cycles anywhere in newsdesk, and the contracts of pyproject.toml
(stages never import the store, the site, the queue, the CLI or the pipeline)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of modules that import each other, directly or not (imports inside
    functions and under TYPE_CHECKING count: they are cycles held apart, not absent)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []
    for start in sorted(graph.modules):
        if start in order:
            continue
        # Tarjan's algorithm, iteratively: the graph is deeper than Python's recursion.
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        order[start] = low[start] = len(order)
        stack.append(start)
        while work:
            module, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in order:
                    order[target] = low[target] = len(order)
                    stack.append(target)
                    imported = graph.find_modules_directly_imported_by(target)
                    work.append((target, iter(sorted(imported))))
                elif target in stack:
                    low[module] = min(low[module], order[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == order[module]:
                group = []
                while True:
                    member = stack.pop()
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return cycles


def test_no_module_imports_itself_back() -> None:
    graph = grimp.build_graph("newsdesk", cache_dir=None)
    assert import_cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.one", "a.two", "a.three"):
        graph.add_module(module)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.one")
    graph.add_import(importer="a.three", imported="a.one")
    assert import_cycles(graph) == [["a.one", "a.two"]]


def test_the_import_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-3000:]


STAGES = ("cluster", "extract", "ingest", "publish", "verify", "write")
CONDUCTORS = ("newsdesk.pipeline", "newsdesk.pipeline_intake", "newsdesk.operations")


def test_the_pipeline_calls_only_the_stages_entry_points() -> None:
    """The orchestrators import a stage package's public names, never its insides."""
    graph = grimp.build_graph("newsdesk", cache_dir=None)
    inside = [
        f"{module} -> {imported}"
        for module in CONDUCTORS
        for imported in sorted(graph.find_modules_directly_imported_by(module))
        if imported.count(".") >= 2 and imported.split(".")[1] in STAGES
    ]
    assert inside == []
