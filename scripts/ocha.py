"""Read the OCHA localities of Mali (../shared/data/ocha/mali_localites_ocha_2015.xlsx).

An .xlsx file is a zip of XML parts: the first worksheet holds the cells, shared strings
hold their text. Reading them with zipfile and ElementTree needs no spreadsheet library for
one fixed, trusted sheet. Used by the gazetteer build and by bench/eval_news.py (the
Malilink incidents name their places by this file's ``id``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parent.parent
OCHA_FILE = ROOT.parent / "shared" / "data" / "ocha" / "mali_localites_ocha_2015.xlsx"

_NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_COLUMN = re.compile(r"[A-Z]+")


def read_localities(path: Path = OCHA_FILE) -> list[dict[str, str]]:
    """Every row of the sheet as a mapping from its header (``id``, ``featureNam``, ``latitude``...) to text."""
    with zipfile.ZipFile(path) as book:
        strings = _shared_strings(book)
        rows = list(_rows(book, strings))
    header, body = rows[0], rows[1:]
    return [{name: row.get(col, "") for col, name in header.items()} for row in body]


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    root = ET.fromstring(book.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{{{_NS['x']}}}t")) for si in root.findall("x:si", _NS)]


def _rows(book: zipfile.ZipFile, strings: list[str]) -> Iterator[dict[str, str]]:
    """Each row as {column letter: text}."""
    root = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
    for row in root.iterfind("x:sheetData/x:row", _NS):
        cells = {}
        for cell in row.iterfind("x:c", _NS):
            value = cell.find("x:v", _NS)
            if value is None or value.text is None:
                continue
            match = _COLUMN.match(cell.get("r", ""))
            if match is None:
                continue
            text = strings[int(value.text)] if cell.get("t") == "s" else value.text
            cells[match.group()] = text
        yield cells


if __name__ == "__main__":
    rows = read_localities()
    print(len(rows), "localities; first:", rows[0])
