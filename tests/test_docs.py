"""The documentation stays in step with the code: the README's size and opening, the
layout in docs/architecture.md, the generated configuration table, and every link."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SOURCE = ROOT / "src" / "newsdesk"
README = ROOT / "README.md"
PAGES = [README, ROOT / "BENCHMARKS.md", *sorted(DOCS.glob("*.md"))]

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
LAYOUT_ENTRY = re.compile(r"^- `([^`]+)`", re.MULTILINE)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def settings_doc_script() -> ModuleType:
    path = ROOT / "scripts" / "settings-doc.py"
    spec = importlib.util.spec_from_file_location("settings_doc", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- README ----------------------------------------------------------------------------


def test_the_readme_is_at_most_10000_characters() -> None:
    size = len(read(README))
    assert size <= 10_000, f"README.md is {size} characters: move detail into docs/"


def test_the_readme_opens_with_the_two_commands() -> None:
    opening = read(README).split("\n\n")[:2]
    assert opening[0] == "# newsdesk"
    block = opening[1].splitlines()
    assert block[0] == "```" and block[-1] == "```"
    assert [line.split()[:2] for line in block[1:-1]] == [["make", "demo"], ["make", "test"]]


def test_the_readme_draws_the_flow_and_links_every_doc() -> None:
    text = read(README)
    assert "```mermaid\nflowchart" in text
    listed = section(text, "Documentation")
    unlinked = [p.name for p in sorted(DOCS.glob("*.md")) if f"(docs/{p.name})" not in listed]
    assert unlinked == [], "add these to the README's Documentation list"


# --- configuration: generated from settings.py ------------------------------------------


def test_the_configuration_doc_is_what_the_generator_writes() -> None:
    expected = settings_doc_script().render()
    assert read(DOCS / "configuration.md") == expected, (
        "docs/configuration.md is stale: run .venv/bin/python scripts/settings-doc.py"
    )


def test_every_setting_has_a_description_and_a_row() -> None:
    from newsdesk.settings import Settings

    undescribed = [name for name, field in Settings.model_fields.items() if not field.description]
    assert undescribed == [], "add a docstring under each of these fields in settings.py"
    table = read(DOCS / "configuration.md")
    rows = [f"| `NEWSDESK_{name.upper()}` |" for name in Settings.model_fields]
    assert [row for row in rows if row not in table] == []


# --- architecture: the layout and the migrations ------------------------------------------


def tree_entries() -> set[str]:
    """Modules and packages of src/newsdesk/, packages with a trailing slash."""
    entries = set()
    for path in SOURCE.iterdir():
        if path.name.startswith((".", "__")):
            continue  # __init__.py, __main__.py, __pycache__, hidden files
        if path.is_dir() and any(p.name != "__pycache__" for p in path.iterdir()):
            entries.add(path.name + "/")
        elif path.suffix == ".py":
            entries.add(path.name)
    return entries


def test_the_layout_lists_every_module_and_package() -> None:
    layout = section(read(DOCS / "architecture.md"), "Layout")
    listed = LAYOUT_ENTRY.findall(layout)
    entries = tree_entries()
    missing = sorted(entries - set(listed))
    extra = sorted(set(listed) - entries)
    repeated = sorted({name for name in listed if listed.count(name) > 1})
    assert (missing, extra, repeated) == ([], [], []), (
        "docs/architecture.md, section Layout, is out of step with src/newsdesk/: "
        f"add a line '- `NAME`: what it is' for {missing}; remove the lines of {extra}; "
        f"list once {repeated}"
    )


def test_the_migration_range_named_is_the_one_shipped() -> None:
    versions = SOURCE / "store" / "migrations" / "versions"
    numbers = sorted(p.name[:4] for p in versions.glob("[0-9]*.py"))
    store = section(read(DOCS / "architecture.md"), "The store")
    assert f"Alembic migrations ({numbers[0]}-{numbers[-1]}, linear)" in store


# --- links ---------------------------------------------------------------------------------


def anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", FENCE.sub("", text), re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.replace("`", "").lower()).replace(" ", "-")
        candidate, n = slug, 1
        while candidate in found:
            candidate, n = f"{slug}-{n}", n + 1
        found.add(candidate)
    return found


def broken_links(page: Path) -> list[str]:
    text = INLINE_CODE.sub("", FENCE.sub("", read(page)))
    broken = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # http:, https:, mailto: ...
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(read(resolved)):
            broken.append(f"{target} (no such heading)")
    return broken


def test_every_relative_link_resolves() -> None:
    broken = {str(p.relative_to(ROOT)): broken_links(p) for p in PAGES}
    broken = {page: links for page, links in broken.items() if links}
    assert not broken, f"links to nothing: {broken}"


def test_every_python_file_named_exists() -> None:
    """A `path/to/module.py` named in the text is a file of the repository (the end of
    its path is enough: `cluster/linkage.py`, `copies.py`)."""
    files = {
        "/" + path.relative_to(ROOT).as_posix()
        for folder in ("src", "tests", "bench", "scripts")
        for path in (ROOT / folder).rglob("*.py")
        if "node_modules" not in path.parts
    }
    gone = {}
    for page in PAGES:
        named = set(re.findall(r"`([\w./-]+\.py)\b", FENCE.sub("", read(page))))
        missing = sorted(n for n in named if not any(f.endswith("/" + n) for f in files))
        if missing:
            gone[str(page.relative_to(ROOT))] = missing
    assert not gone, f"moved or removed, so update the text that names them: {gone}"
