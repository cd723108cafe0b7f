"""Readers for the gazetteer's three sources, each giving ``Entry`` values.

- GeoNames per-country dumps (``ML.txt``...): places, admin areas and sites, with
  alternate names and admin codes resolved to names;
- OCHA's Malian localities (an ``.xlsx``, read by ``ocha.py``): villages with their
  region, cercle and commune (admin3);
- OpenStreetMap extracts (a zipped SQLite file per country, table ``NODE``): nodes
  tagged ``place`` = city, town, village, hamlet or isolated_dwelling.

Names from OCHA and OSM are cleaned the same way (``clean_names``): a second name after
``/``, ``+`` or "ou" becomes another name, a parenthesis and numbering are dropped
("Faraba 2 (Amont)" is Faraba), all-capitals or all-lower-case names get capitals,
placeholders ("Habitation", "sans-nom-14") and non-Latin names are left out.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ocha import read_localities

from monitor.reading import fold, name_key

MIN_NAME_LENGTH = 3


@dataclass(eq=False)  # identity: two entries with equal fields are still two
class Entry:
    """One place as one source gives it. ``names``: the name first, then alternates."""

    source: str  # geonames | ocha | osm | curated
    id: str  # the id the gazetteer row gets when this entry leads it
    names: list[str]
    lat: float
    lon: float
    feature_code: str
    country: str
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    population: int = 0
    approximate: bool = False  # curated coordinates that are an estimate
    admin_codes: tuple[str, str] = ("", "")  # OCHA: admin1 and admin2 P-codes
    members: list[Entry] = field(default_factory=list)  # entries joined into this one


# --- names ----------------------------------------------------------------------------

_CODE = re.compile(r"^[A-Z0-9]{2,4}$")
_NUMBERING = re.compile(r"[\s-]*(?:\b(?:n°|no|n)\s*)?\d+\s*$", re.IGNORECASE)
_SPLIT = re.compile(r"\s*[/+]\s*|\s+ou\s+")
_PARENTHESIS = re.compile(r"\([^)]*\)?")
# OSM and OCHA name some dwellings by what they are, not by a name
PLACEHOLDERS = frozenset(
    {
        "habitation", "hameau", "hameaux", "et hameaux", "hameau de culture", "concession", "campement", "village",
        "quartier", "secteur", "site", "ferme", "unknown", "inconnu", "unnamed", "sans nom", "no name",
    }
)  # fmt: skip


def is_latin(name: str) -> bool:
    return all("LATIN" in unicodedata.name(ch, "") for ch in name if ch.isalpha())


def is_usable_name(name: str) -> bool:
    """Names a news text could contain, written in the Latin script."""
    if len(name) < MIN_NAME_LENGTH or not is_latin(name) or not any(ch.isalpha() for ch in name):
        return False
    if _CODE.match(name) or name.count(".") >= 2:  # codes and initials ("GATB", "I.R.C.T.")
        return False
    # GeoNames carries machine transliterations ("tmbktw", "mei na ka") in lower case only.
    return any(ch.isupper() for ch in name)


def capitalised(name: str) -> str:
    """``"DOUNA-PEN"`` -> ``"Douna-Pen"``, ``"n'tillit"`` -> ``"N'Tillit"``; mixed case is kept."""
    if name != name.upper() and name != name.lower():
        return name
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), name.lower())


def clean_names(raw: str) -> list[str]:
    """The names one OCHA or OSM name field holds, cleaned (see the module docstring)."""
    names: list[str] = []
    # a parenthesis qualifies ("(Centre)", "(Amont)", "(Nouveau site)") more often than it names
    for piece in _SPLIT.split(_PARENTHESIS.sub(" ", raw).split(",")[0]):
        name = " ".join(_NUMBERING.sub("", piece).split()).strip(" -'.")
        if any(ch.isdigit() for ch in name) or fold(name) in PLACEHOLDERS or fold(name).startswith("sans-nom"):
            continue
        name = capitalised(name)
        if is_usable_name(name):
            names.append(name)
    return list(dict.fromkeys(names))


_SHORT_PART = 3
_MIN_GLUED = 6
_PARTS = re.compile(r"[\s-]+")
_ELIDED = re.compile(r"\b([^\W\d_])['’]\s*(\w)")  # "N'Gourma", "M'Bedge"


def glued_spelling(name: str) -> str | None:
    """The news often glues a short part to its neighbour: "Douna-Pen" is written
    "Dounapen", "I-n-Tillit" "Intillit", "Tin Habou" "Tinhabou", "N'Gourma" "Ngourma".
    Leading short parts glue to the next part, a trailing one to the part before."""
    parts = _PARTS.split(_ELIDED.sub(lambda m: m.group(1) + m.group(2).lower(), name).strip())
    first_long = next((i for i, p in enumerate(parts) if len(p) > _SHORT_PART), len(parts))
    glued: list[str] = []
    for index, part in enumerate(parts):
        if glued and (index <= first_long or (index == len(parts) - 1 and len(part) <= _SHORT_PART)):
            glued[-1] += part.lower()
        else:
            glued.append(part)
    spelled = " ".join(glued)
    if len(spelled) < _MIN_GLUED or name_key(spelled) == name_key(name):
        return None
    return spelled


_PRENASAL = re.compile(r"\b([NM])(?=[bcdfgjkpqstvz][^\W\d_]{2})")


def elided_spelling(name: str) -> str | None:
    """The other way round: "Nguigmi" and "Ngourti" are written "N'Guigmi", "N'Gourti"
    (and "N Guigmi", which folds the same)."""
    spelled = _PRENASAL.sub(lambda m: m.group(1) + "'", name)
    if spelled == name:
        return None
    return re.sub(r"(?<=')([^\W\d_])", lambda m: m.group(1).upper(), spelled)


def spelling_variants(name: str) -> list[str]:
    """The spellings the news uses for a name that the sources do not give."""
    return [v for v in (glued_spelling(name), elided_spelling(name)) if v]


def distinct_names(names: Iterable[str]) -> list[str]:
    """Names in order, without those that fold to one already kept."""
    seen: set[str] = set()
    kept: list[str] = []
    for name in names:
        key = fold(name)
        if key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


# --- GeoNames -------------------------------------------------------------------------

KEPT_POPULATED = {"PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLC", "PPLL", "PPLS", "PPLX", "PPLF", "PPLR"}
KEPT_ADMIN = {"ADM1", "ADM2", "ADM3", "PCLI"}
KEPT_SITES = {"AIRP", "AIRF", "MILB", "FT", "INSM", "CMPRF"}

# GeoNames names some Burkinabè regions in English; the news uses the French names.
ADMIN_NAME_OVERRIDES = {"High-Basins": "Hauts-Bassins", "Southwest": "Sud-Ouest"}

_ADMIN_PREFIX = re.compile(
    r"^(?:Région|Region|Cercle|Province|Département|Department|Commune)\s+"
    r"(?:de\s+la\s+|du\s+|des\s+|de\s+l[’']\s*|d[’']\s*|de\s+)?",
    re.IGNORECASE,
)
_ADMIN_SUFFIX = re.compile(r"\s+(?:Region|Région|Cercle|Province|Department|Département|Commune)$", re.IGNORECASE)


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


def read_geonames(folder: Path, country: str) -> Iterator[Entry]:
    """The kept places of one country's dump."""
    rows = list(read_dump(folder / f"{country}.txt"))
    admin1, admin2 = admin_names(rows)
    for row in rows:
        if not is_kept(row):
            continue
        alternates = [a for a in row.alternates if is_usable_name(a)]
        yield Entry(
            source="geonames",
            id=row.id,
            names=distinct_names([row.name, *alternates]),
            lat=row.lat,
            lon=row.lon,
            feature_code=row.feature_code,
            country=row.country,
            admin1=admin1.get((row.country, row.admin1), ""),
            admin2=admin2.get((row.country, row.admin1, row.admin2), ""),
            population=row.population,
        )


# --- OCHA -----------------------------------------------------------------------------

# OCHA's capital class, as GeoNames feature codes
OCHA_CAPITALS = {"National Capital": "PPLC", "Admin1 Capital": "PPLA", "Admin2 Capital": "PPLA2", "Admin3 Capital": "PPLA3"}


def unmangle(text: str) -> str:
    """OCHA's names are UTF-8 read as Latin-1 ("KabatÃ©"): undo it where it applies."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def read_ocha(path: Path) -> Iterator[Entry]:
    """Malian localities; ids ``ocha-<P-code>``; admin names as OCHA spells them (unaccented)."""
    rows = read_localities(path)
    communes = _commune_names(rows)
    for row in rows:
        # featureRef is the same name without accents or apostrophes ("NTillit"): left out
        names = clean_names(unmangle(row["featureNam"]))
        if not names or not row["latitude"] or not row["longitude"]:
            continue
        yield Entry(
            source="ocha",
            id=f"ocha-{row['pcode']}",
            names=names,
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            feature_code=OCHA_CAPITALS.get(row.get("popPlace_1", ""), "PPL"),
            country="ML",
            admin1=unmangle(row["admin1Name"]),
            admin2=unmangle(row["admin2Name"]),
            admin3=communes.get(row["admin3Pcod"], ""),
            admin_codes=(row["admin1Pcod"], row["admin2Pcod"]),
        )


def _commune_names(rows: list[dict[str, str]]) -> dict[str, str]:
    """Commune P-code -> name: OCHA's ("Kayes Commune" -> "Kayes"), spelled as the
    commune's seat is when they fold alike ("N'tillit" -> "N'Tillit")."""
    names: dict[str, str] = {}
    for row in rows:
        name = re.sub(r"\s+Commune$", "", unmangle(row["admin3Name"]).strip())  # not Bamako's "Commune I"
        names.setdefault(row["admin3Pcod"], name)
    for row in rows:
        seat = unmangle(row["featureNam"]).strip()
        if row.get("popPlace_1") and fold(seat) == fold(names.get(row["admin3Pcod"], "")):
            names[row["admin3Pcod"]] = seat
    return names


# --- OpenStreetMap --------------------------------------------------------------------

OSM_PLACES = ("city", "town", "village", "hamlet", "isolated_dwelling")


def read_osm(path: Path, country: str) -> Iterator[Entry]:
    """Named place nodes of one country's extract; ids ``osm-<node id>``.

    The extract also holds nodes beyond the country (its bounding box): ``country`` is
    the extract's, checked later against the places around each node.
    """
    with zipfile.ZipFile(path) as archive:
        member = next(n for n in archive.namelist() if n.endswith(".sqlite"))
        data = archive.read(member)
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        query = f"SELECT ID, NAME, NAME_EN, LAT, LON, POPULATION FROM NODE WHERE TAG = 'place' AND VALUE IN ({','.join('?' * len(OSM_PLACES))}) ORDER BY ID"
        for node_id, name, name_en, lat, lon, population in connection.execute(query, OSM_PLACES):
            names = clean_names(name or "") + clean_names(name_en or "")
            if names:
                yield Entry("osm", f"osm-{node_id}", distinct_names(names), lat, lon, "PPL", country, population=int(population or 0))
    finally:
        connection.close()
