"""Write the table and column descriptions of datasette.yaml from docs/schema.md.

datasette.yaml is Datasette's metadata for the register (``datasette sahel-monitor.db -m
datasette.yaml``). Its title, descriptions and canned queries are written by hand; the entry
of each table and view (its description: the first paragraph of its section in
docs/schema.md, and its columns': the last cell of each row of the section's table) comes from
docs/schema.md, so that the two cannot drift: run this script after changing either file.
tests/store/test_datasette.py fails while datasette.yaml is stale.

    python scripts/build_datasette.py
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "datasette.yaml"
SCHEMA_DOC = ROOT / "docs" / "schema.md"
DATABASE = "sahel-monitor"  # Datasette names a database after its file: sahel-monitor.db
HEADER = (
    "# Datasette metadata for the sahel-monitor register: datasette sahel-monitor.db -m datasette.yaml\n"
    "# The title, descriptions and queries are written here by hand; the tables' and columns'\n"
    "# descriptions come from docs/schema.md: after changing it, run python scripts/build_datasette.py\n"
)


def plain(markdown: str) -> str:
    """Markdown as the text Datasette shows: no backquotes, links as their words."""
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markdown)
    return re.sub(r"\s+", " ", text.replace("`", "").replace("**", "")).strip()


def schema_tables(markdown: str) -> dict[str, dict[str, Any]]:
    """Each ``## `name``` section of docs/schema.md: its first paragraph and its columns'
    descriptions (rows with an empty description are left out)."""
    tables: dict[str, dict[str, Any]] = {}
    for chunk in re.split(r"^## ", markdown, flags=re.MULTILINE)[1:]:
        heading, _, body = chunk.partition("\n")
        name = re.fullmatch(r"`(\w+)`", heading.strip())
        if not name:
            continue
        paragraph = body.strip().split("\n\n", 1)[0]
        entry: dict[str, Any] = {"description": plain(paragraph)}
        columns = _columns(body)
        if columns:
            entry["columns"] = columns
        tables[name.group(1)] = entry
    return tables


def _columns(section: str) -> dict[str, str]:
    columns: dict[str, str] = {}
    in_table = False
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if cells and cells[0] == "column":
            in_table = True
        elif in_table and cells and not set(cells[0]) <= {"-", ":"}:
            for column in re.findall(r"`(\w+)`", cells[0]):
                if plain(cells[-1]) and len(cells) > 1:
                    columns[column] = plain(cells[-1])
        elif in_table and not cells:
            break
    return columns


def with_tables(metadata: dict[str, Any], tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``metadata`` with its tables' entries made from docs/schema.md (the rest kept)."""
    database = dict(metadata["databases"][DATABASE])
    database["tables"] = tables
    return {**metadata, "databases": {**metadata["databases"], DATABASE: database}}


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (the queries' SQL) as literal blocks, as a person writes them."""


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _string)


def render(metadata: dict[str, Any]) -> str:
    return HEADER + yaml.dump(metadata, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def built(current: dict[str, Any]) -> str:
    """datasette.yaml as it should be, from its hand-written part and docs/schema.md."""
    return render(with_tables(current, schema_tables(SCHEMA_DOC.read_text(encoding="utf-8"))))


def main() -> None:
    current = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    METADATA.write_text(built(current), encoding="utf-8")
    print(f"{METADATA.name}: {len(current['databases'][DATABASE].get('tables', {}))} tables before, "
          f"{len(yaml.safe_load(METADATA.read_text(encoding='utf-8'))['databases'][DATABASE]['tables'])} now")


if __name__ == "__main__":
    main()
