#!/usr/bin/env python3
"""Build ``seeds/gazetteer.csv`` from the GeoNames per-country dumps.

    python scripts/build_gazetteer.py [--geonames ../shared/data/geonames] [--out seeds/gazetteer.csv]

Input: the standard 19-column GeoNames dumps (ML.txt, BF.txt, NE.txt), no header.
Output: one row a place, columns ``id, name, alternate_names, feature_code, country,
admin1_name, admin2_name, lat, lon, population``; alternate names are ``|``-separated.

What is kept and why:
- P (populated places) except PPLQ/PPLH/PPLW (abandoned, historical, destroyed): the
  villages and towns the news names.
- A: ADM1, ADM2, ADM3 and PCLI: "la région de Mopti", "le cercle de Douentza", "Mali".
- S: airports, military bases, forts, military installations and refugee camps: the
  installations that are attacked ("l'aéroport de Tombouctou", a MINUSMA camp).
- Not kept: wells, wadis, hills, dunes, nomad camps and vague localities (L): thousands
  of names that collide with words and are rarely the scene the news means. Places the
  news names that GeoNames lacks are curated in ``seeds/places_extra.csv``.

Alternate names are filtered: non-Latin scripts, names shorter than 3 characters, codes
(``GATB``, ``TOM``), lower-case machine transliterations (``tmbktw``) and names that
fold to one already kept are dropped.

Data: GeoNames (geonames.org), CC BY 4.0.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.reading import fold

DEFAULT_GEONAMES = ROOT.parent / "shared" / "data" / "geonames"
DEFAULT_OUT = ROOT / "seeds" / "gazetteer.csv"
COUNTRIES = ("ML", "BF", "NE")
COLUMNS = (
    "id",
    "name",
    "alternate_names",
    "feature_code",
    "country",
    "admin1_name",
    "admin2_name",
    "lat",
    "lon",
    "population",
)

KEPT_POPULATED = {"PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLC", "PPLL", "PPLS", "PPLX", "PPLF", "PPLR"}
KEPT_ADMIN = {"ADM1", "ADM2", "ADM3", "PCLI"}
KEPT_SITES = {"AIRP", "AIRF", "MILB", "FT", "INSM", "CMPRF"}
MIN_NAME_LENGTH = 3

# GeoNames names some Burkinabè regions in English; the news uses the French names.
ADMIN_NAME_OVERRIDES = {"High-Basins": "Hauts-Bassins", "Southwest": "Sud-Ouest"}

_ADMIN_PREFIX = re.compile(
    r"^(?:Région|Region|Cercle|Province|Département|Department|Commune)\s+"
    r"(?:de\s+la\s+|du\s+|des\s+|de\s+l[’']\s*|d[’']\s*|de\s+)?",
    re.IGNORECASE,
)
_ADMIN_SUFFIX = re.compile(r"\s+(?:Region|Région|Cercle|Province|Department|Département)$", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")


@dataclass(frozen=True)
class GeoRow:
    """The columns of one GeoNames line that the gazetteer uses."""

    id: str
    name: str
    alternates: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country: str
    admin1: str
    admin2: str
    population: int


def read_dump(path: Path) -> Iterator[GeoRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 19:
                continue
            yield GeoRow(
                id=cols[0],
                name=cols[1].strip(),
                alternates=tuple(a.strip() for a in cols[3].split(",") if a.strip()),
                lat=float(cols[4]),
                lon=float(cols[5]),
                feature_class=cols[6],
                feature_code=cols[7],
                country=cols[8],
                admin1=cols[10],
                admin2=cols[11],
                population=int(cols[14] or 0),
            )


def is_kept(row: GeoRow) -> bool:
    if row.feature_class == "P":
        return row.feature_code in KEPT_POPULATED
    if row.feature_class == "A":
        return row.feature_code in KEPT_ADMIN
    if row.feature_class == "S":
        return row.feature_code in KEPT_SITES
    return False


def is_latin(name: str) -> bool:
    return all("LATIN" in unicodedata.name(ch, "") for ch in name if ch.isalpha())


def is_usable_alternate(name: str) -> bool:
    """Names a news text could contain, written in the Latin script."""
    if len(name) < MIN_NAME_LENGTH or not is_latin(name):
        return False
    if _CODE.match(name):  # ICAO/IATA codes collide with words ("TOM")
        return False
    # GeoNames carries machine transliterations ("tmbktw", "mei na ka") in lower case only.
    return any(ch.isupper() for ch in name)


def clean_admin_name(name: str) -> str:
    """``"Cercle de San"`` -> ``"San"``, ``"Province du Soum"`` -> ``"Soum"``."""
    cleaned = _ADMIN_SUFFIX.sub("", _ADMIN_PREFIX.sub("", name.strip())).strip()
    return ADMIN_NAME_OVERRIDES.get(cleaned, cleaned)


def admin_names(rows: Iterable[GeoRow]) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str, str], str]]:
    """Lookups from admin codes to names, taken from the ADM1/ADM2 rows of the same dumps."""
    admin1: dict[tuple[str, str], str] = {}
    admin2: dict[tuple[str, str, str], str] = {}
    for row in rows:
        if row.feature_code == "ADM1":
            admin1[(row.country, row.admin1)] = clean_admin_name(row.name)
        elif row.feature_code == "ADM2":
            admin2[(row.country, row.admin1, row.admin2)] = clean_admin_name(row.name)
    return admin1, admin2


def kept_alternates(row: GeoRow) -> list[str]:
    seen = {fold(row.name)}
    kept: list[str] = []
    for name in row.alternates:
        key = fold(name)
        if key in seen or not is_usable_alternate(name):
            continue
        seen.add(key)
        kept.append(name)
    return kept


def to_record(row: GeoRow, admin1: dict[tuple[str, str], str], admin2: dict[tuple[str, str, str], str]) -> dict[str, str]:
    return {
        "id": row.id,
        "name": row.name,
        "alternate_names": "|".join(kept_alternates(row)),
        "feature_code": row.feature_code,
        "country": row.country,
        "admin1_name": admin1.get((row.country, row.admin1), ""),
        "admin2_name": admin2.get((row.country, row.admin1, row.admin2), ""),
        "lat": f"{row.lat:.5f}".rstrip("0").rstrip("."),
        "lon": f"{row.lon:.5f}".rstrip("0").rstrip("."),
        "population": str(row.population),
    }


def build(geonames_dir: Path, countries: Iterable[str] = COUNTRIES) -> list[dict[str, str]]:
    """The gazetteer rows, sorted by country then id so the file diffs well."""
    records: list[dict[str, str]] = []
    for country in countries:
        rows = list(read_dump(geonames_dir / f"{country}.txt"))
        admin1, admin2 = admin_names(rows)
        records.extend(to_record(row, admin1, admin2) for row in rows if is_kept(row))
    records.sort(key=lambda r: (r["country"], int(r["id"])))
    return records


def write_csv(records: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--geonames", type=Path, default=DEFAULT_GEONAMES, help="folder with ML.txt, BF.txt, NE.txt")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--countries", nargs="+", default=list(COUNTRIES))
    args = parser.parse_args(argv)
    records = build(args.geonames, args.countries)
    write_csv(records, args.out)
    size = args.out.stat().st_size
    print(f"{args.out}: {len(records)} places, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
