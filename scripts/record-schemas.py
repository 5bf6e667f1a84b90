"""Write the JSON Schema of each published record to docs/records/ (run after changing
src/newsdesk/records.py; tests/test_records_schema.py fails until the files match)."""

from __future__ import annotations

import json
from pathlib import Path

from newsdesk.records import json_schemas

FOLDER = Path(__file__).resolve().parent.parent / "docs" / "records"


def render(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, schema in json_schemas().items():
        (FOLDER / f"{name}.schema.json").write_text(render(schema), encoding="utf-8")
        print(f"docs/records/{name}.schema.json")


if __name__ == "__main__":
    main()
