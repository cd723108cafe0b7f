#!/usr/bin/env python3
"""Build ``seeds/gazetteer.csv`` from GeoNames, OCHA and OpenStreetMap together.

    python scripts/build_gazetteer.py [--shared ../shared/data] [--out seeds/gazetteer.csv]

Sources (``--shared``, see ../shared/README.md): ``geonames/{ML,BF,NE}.txt``,
``ocha/mali_localites_ocha_2015.xlsx`` (Malian localities with their commune) and
``osm/{mali,burkina-faso,niger}.sqlite.zip`` (place nodes); readers in
``gazetteer_sources.py``. Also read: ``seeds/places_extra.csv`` (curated ids and
spellings) and ``seeds/world.csv`` (places abroad). Output: one row a place, columns ``id, name, alternate_names,
feature_code, country, admin1_name, admin2_name, lat, lon, population, admin3_name``;
alternate names are ``|``-separated; sorted by country, source and id.

What is kept from GeoNames and why:
- P (populated places) except PPLQ/PPLH/PPLW (abandoned, historical, destroyed): the
  villages and towns the news names.
- A: ADM1, ADM2, ADM3 and PCLI: "la région de Mopti", "le cercle de Douentza", "Mali".
- S: airports, military bases, forts, military installations and refugee camps: the
  installations that are attacked ("l'aéroport de Tombouctou", a MINUSMA camp).
- Not kept: wells, wadis, hills, dunes, nomad camps and vague localities (L): thousands
  of names that collide with words and are rarely the scene the news means.
OCHA adds every Malian locality, OSM the towns, villages, hamlets and isolated
dwellings of its three extracts; each Malian commune that no place of its name stands for
gets a row of its own (``commune_records``).

One row per real place (``Joiner``): entries of two sources, or two entries of OCHA or of
OSM, are one place when one of their names gives the same ``variant_key`` (accents,
case, apostrophes, spaces and hyphens, doubled letters, "ou"/"u" and a leading
"N'"/"In" do not count: N'Tillit, In-Tillit and Tillit; Douna-Pen and Dounapen) and
they lie within ``JOIN_KM`` (``TOWN_JOIN_KM`` for towns). GeoNames places are never
joined to one another (their ids are referred to elsewhere). The row keeps the id of
its first entry, in this order: GeoNames, a curated new place of
``seeds/places_extra.csv`` (``x-``; an approximate one joins within its error,
``APPROXIMATE_JOIN_KM``), OCHA (``ocha-<P-code>``), OSM (``osm-<node id>``); and every
spelling of every entry as an alternate name.

OSM nodes: an extract holds nodes beyond its country. A node that joins no place takes
the country of most of the places around it (``KNOWN_NEIGHBOURS`` nearest GeoNames and
OCHA places within ``NEIGHBOUR_KM``; none: left out) and the region and cercle most of
them have. Admin3 (the commune) comes from OCHA only; OCHA's region and cercle names are
respelled as GeoNames spells them (``respell_ocha_admins``).

Spellings: each row also gets the spellings the news makes of its names
(``spelling_variants``: "Dounapen", "N'Guigmi"). A spelling GeoNames does not vouch for
is vetted (``words_not_places``): no common word, watch-list word, personal name or
well-known place abroad becomes a village name.

Licences: GeoNames CC BY 4.0, OCHA (credit "OCHA"), OpenStreetMap ODbL 1.0: the
gazetteer, derived in part from OSM, is shared under the ODbL (seeds/README.md).
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gazetteer_sources import (
    Entry,
    distinct_names,
    is_usable_name,
    read_geonames,
    read_ocha,
    read_osm,
    spelling_variants,
)

from monitor.reading import WATCHLIST_FILE, fold, load_watchlist, name_key
from monitor.reading import distance_km as great_circle_km
from monitor.reading.terms import COMMON_WORDS

DEFAULT_SHARED = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "seeds" / "gazetteer.csv"
DEFAULT_EXTRA = ROOT / "seeds" / "places_extra.csv"
DEFAULT_WORLD = ROOT / "seeds" / "world.csv"
COUNTRIES = ("ML", "BF", "NE")
OSM_EXTRACTS = {"ML": "mali", "BF": "burkina-faso", "NE": "niger"}
OCHA_FILE = Path("ocha") / "mali_localites_ocha_2015.xlsx"
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
    "admin3_name",
)

JOIN_KM = 5.0
TOWN_JOIN_KM = 10.0  # a town's point differs more between sources
APPROXIMATE_JOIN_KM = 50.0  # the largest error a curated estimate admits
TOWN_FEATURES = frozenset({"PPLC", "PPLA", "PPLA2", "PPLA3"})
TOWN_POPULATION = 10_000
KNOWN_NEIGHBOURS = 5
NEIGHBOUR_KM = 150.0  # the east of Niger is sparse in GeoNames
WELL_KNOWN_ABROAD = 100_000
SOURCE_ORDER = {"geonames": 0, "curated": 1, "ocha": 2, "osm": 3}
MIN_KEY_LETTERS = 3
_CELL_DEGREES = 0.25


def distance_km(a: Entry, b: Entry) -> float:
    return great_circle_km((a.lat, a.lon), (b.lat, b.lon))


# --- joining --------------------------------------------------------------------------


def variant_key(name: str) -> str:
    """The key two spellings of one place share (see the module docstring)."""
    letters = re.sub(r"[^a-z]", "", fold(name))  # "I-n-Tillit", "N'Tillit" -> "intillit", "ntillit"
    unprefixed = re.sub(r"^(?:in|n)(?=[^aeiouy])", "", letters)
    key = (unprefixed if len(unprefixed) >= MIN_KEY_LETTERS else letters).replace("ou", "u")
    return re.sub(r"(.)\1+", r"\1", key)


class Grid:
    """Entries by cells of ``_CELL_DEGREES``: the neighbours of a point without a scan."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Entry]] = {}

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / _CELL_DEGREES), math.floor(lon / _CELL_DEGREES)

    def add(self, entry: Entry) -> None:
        self._cells.setdefault(self._cell(entry.lat, entry.lon), []).append(entry)

    def near(self, entry: Entry, km: float) -> Iterator[Entry]:
        """Entries within ``km`` (the cells around, then the exact distance)."""
        reach_lat = math.ceil(km / 111.0 / _CELL_DEGREES)
        reach_lon = math.ceil(km / (111.0 * max(math.cos(math.radians(entry.lat)), 0.1)) / _CELL_DEGREES)
        row, col = self._cell(entry.lat, entry.lon)
        for r in range(row - reach_lat, row + reach_lat + 1):
            for c in range(col - reach_lon, col + reach_lon + 1):
                for other in self._cells.get((r, c), ()):
                    if distance_km(entry, other) <= km:
                        yield other


def join_radius(place: Entry, entry: Entry) -> float:
    if place.approximate:
        return APPROXIMATE_JOIN_KM
    if any(e.feature_code in TOWN_FEATURES or e.population >= TOWN_POPULATION for e in (place, entry)):
        return TOWN_JOIN_KM
    return JOIN_KM


class Joiner:
    """Places so far, each an entry leading the entries joined to it."""

    def __init__(self) -> None:
        self.places: list[Entry] = []
        self._by_key: dict[str, list[Entry]] = {}

    def add_place(self, entry: Entry, joinable: bool = True) -> None:
        self.places.append(entry)
        if joinable:
            self._index(entry, entry.names)

    def add_spellings(self, spellings: dict[str, list[str]]) -> None:
        """More names places are known by (for joining only)."""
        for place in self.places:
            if place.id in spellings:
                self._index(place, spellings[place.id])

    def _index(self, place: Entry, names: Iterable[str]) -> None:
        for key in {variant_key(n) for n in names}:
            spelled = self._by_key.setdefault(key, [])
            if place not in spelled:
                spelled.append(place)

    def match(self, entry: Entry) -> Entry | None:
        """The nearest place this entry is a spelling of, if any."""
        best: tuple[float, int, Entry] | None = None
        for key in sorted({variant_key(n) for n in entry.names}):
            for place in self._by_key.get(key, ()):
                km = distance_km(entry, place)
                if km <= join_radius(place, entry) and (best is None or (km, SOURCE_ORDER[place.source]) < best[:2]):
                    best = (km, SOURCE_ORDER[place.source], place)
        return best[2] if best else None

    def join(self, entry: Entry) -> bool:
        """Join ``entry`` to its place, or make it a place of its own; True when joined."""
        place = self.match(entry)
        if place is None:
            self.add_place(entry)
            return False
        place.members.append(entry)
        self._index(place, entry.names)
        return True


# --- admin areas of places without them ------------------------------------------------


def nearest(grid: Grid, entry: Entry, k: int, km: float) -> list[Entry]:
    """The ``k`` entries nearest ``entry`` within ``km``; a small circle first (cheap)."""
    for reach in (*(r for r in (15.0, 50.0) if r < km), km):
        found = sorted(grid.near(entry, reach), key=lambda e: (distance_km(entry, e), e.id))
        if len(found) >= k:
            break
    return found[:k]


def majority(values: Iterable[str]) -> str:
    """The most common non-empty value; between equals, the first (the nearest)."""
    counts = Counter(v for v in values if v)
    return max(counts, key=lambda v: (counts[v], -list(counts).index(v))) if counts else ""


def place_by_neighbours(entry: Entry, known: Grid, countries: tuple[str, ...]) -> bool:
    """Country, region and cercle of an OSM node from the known places around it: what
    most of its ``KNOWN_NEIGHBOURS`` nearest have. False when it lies beyond the watched
    countries or ``NEIGHBOUR_KM`` from any known place (Sabha, in Libya, is in the
    Niger extract)."""
    neighbours = nearest(known, entry, KNOWN_NEIGHBOURS, NEIGHBOUR_KM)
    entry.country = majority(n.country for n in neighbours)
    if entry.country not in countries:
        return False
    same = [n for n in neighbours if n.country == entry.country]
    entry.admin1 = majority(n.admin1 for n in same)
    entry.admin2 = majority(n.admin2 for n in same if n.admin1 == entry.admin1)
    return True


def respell_ocha_admins(places: list[Entry]) -> None:
    """OCHA's region and cercle names as GeoNames spells them, and in GeoNames' regions
    (OCHA's of 2015 predate Ménaka and Taoudénit): for each OCHA cercle, the region and
    cercle most of its localities that GeoNames also has are filed under."""
    votes: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for place in places:
        if place.source == "geonames" and place.admin1 and place.admin2:
            for member in place.members:
                if member.source == "ocha":
                    votes.setdefault(member.admin_codes, []).append((place.admin1, place.admin2))
    spelled = {codes: majority(pairs) for codes, pairs in votes.items()}
    for place in places:
        for entry in (place, *place.members):
            if entry.source == "ocha" and entry.admin_codes in spelled:
                entry.admin1, entry.admin2 = spelled[entry.admin_codes]  # type: ignore[misc]


# --- the rows -------------------------------------------------------------------------


def read_curated(path: Path) -> tuple[list[Entry], dict[str, list[str]]]:
    """What ``places_extra.csv`` tells the join: its new places (``x-`` ids; a source
    place that is one of them takes its id, so the curated row extends it), and the
    spellings it adds to GeoNames places (OCHA's "Anefif" is GeoNames' "Anefis")."""
    if not path.is_file():
        return [], {}
    with path.open(encoding="utf-8", newline="") as handle:
        curated = list(csv.DictReader(handle))
    spellings = {r["id"]: [n for n in (r["name"], *r["alternate_names"].split("|")) if n] for r in curated if not r["id"].startswith("x-")}
    rows = [r for r in curated if r["id"].startswith("x-") and r.get("lat") and r.get("lon")]
    return [
        Entry(
            source="curated",
            id=r["id"],
            names=distinct_names([r["name"], *(a for a in r["alternate_names"].split("|") if a)]),
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            feature_code=r["feature_code"] or "PPL",
            country=r["country"],
            admin1=r["admin1_name"],
            admin2=r["admin2_name"],
            approximate=r.get("approximate", "").strip().lower() == "true",
        )
        for r in rows
    ], spellings


def build(
    shared: Path, extra: Path = DEFAULT_EXTRA, world: Path = DEFAULT_WORLD, countries: Iterable[str] = COUNTRIES
) -> list[dict[str, str]]:
    """The gazetteer rows, sorted by country, source and id so the file diffs well."""
    countries = tuple(countries)
    joiner = Joiner()
    for country in countries:
        for entry in read_geonames(shared / "geonames", country):
            joiner.add_place(entry, joinable=entry.feature_code.startswith("PPL"))
    new_places, spellings = read_curated(extra)
    for entry in new_places:
        joiner.add_place(entry)
    joiner.add_spellings(spellings)
    if "ML" in countries:
        ocha = sorted(read_ocha(shared / OCHA_FILE), key=lambda e: e.id)
        for entry in ocha:
            joiner.join(entry)
        respell_ocha_admins(joiner.places)
    known = Grid()
    for place in joiner.places:
        if place.source in ("geonames", "ocha") and place.feature_code.startswith("PPL"):
            known.add(place)
    for entry in osm_entries(shared, countries):
        if joiner.match(entry) is None and not place_by_neighbours(entry, known, countries):
            continue
        joiner.join(entry)
    not_places = words_not_places(world)
    records = [to_record(place, not_places) for place in joiner.places if place.source != "curated" or place.members]
    records += commune_records(joiner.places, not_places)
    return sorted((r for r in records if r is not None), key=sort_key)


# --- communes ---------------------------------------------------------------------------

COMMUNE_SEAT_CODES = frozenset({"PPLA", "PPLA2", "PPLA3", "PPLC"})
COMMUNE_KNOWN_KM = 30.0  # a place of the commune's name this near is the commune's seat already


def commune_records(places: list[Entry], not_places: frozenset[str]) -> list[dict[str, str]]:
    """A row (ADM3) for each Malian commune that no place of its name stands for. Many
    communes are named for an area, not for their seat ("la commune de Kareri", whose seat is
    Dioura; Haïré, Gabero, Djaptodji): the news names them, and the gazetteer knew them only
    as the admin3 of their villages. The row lies at the commune's seat (else the middle of
    its localities). A name that is a word, a place abroad or numbered is left out, and so
    is a commune a place of its name already stands for (one in its region, or within
    ``COMMUNE_KNOWN_KM``). The row is named as the news names a commune ("Commune de
    Kareri", "the Kareri commune"), never by the bare name."""
    by_commune: dict[str, list[Entry]] = {}
    for place in places:
        for entry in (place, *place.members):
            if entry.source == "ocha" and entry.admin3:
                by_commune.setdefault(entry.id[len("ocha-") : len("ocha-") + 8], []).append(entry)
    named = _places_by_key(places)
    records = []
    for code in sorted(by_commune):
        entries = by_commune[code]
        name = entries[0].admin3
        if not _commune_name_usable(name, not_places):
            continue
        seat = next((e for e in entries if e.feature_code in COMMUNE_SEAT_CODES), None)
        lat, lon = (seat.lat, seat.lon) if seat else _middle(entries)
        if any(p.admin1 == entries[0].admin1 or great_circle_km((lat, lon), (p.lat, p.lon)) <= COMMUNE_KNOWN_KM
               for p in named.get(variant_key(name), ())):  # fmt: skip
            continue
        records.append({
            "id": f"ocha-{code}", "name": f"Commune de {name}",
            "alternate_names": "|".join(f.format(name) for f in COMMUNE_FORMS),
            "feature_code": "ADM3", "country": "ML", "admin1_name": entries[0].admin1, "admin2_name": entries[0].admin2,
            "lat": _coordinate(lat), "lon": _coordinate(lon), "population": "0", "admin3_name": name,
        })  # fmt: skip
    return records


# A commune's name alone is often a word, a family name or a village elsewhere ("Sony",
# "Mariko", "Tele"): its row is found only where the text names it as a commune
COMMUNE_FORMS = ("Commune of {}", "{} commune", "Commune rurale de {}", "Commune urbaine de {}")


def _places_by_key(places: list[Entry]) -> dict[str, list[Entry]]:
    found: dict[str, list[Entry]] = {}
    for place in places:
        for key in {variant_key(n) for e in (place, *place.members) for n in e.names}:
            found.setdefault(key, []).append(place)
    return found


def _commune_name_usable(name: str, not_places: frozenset[str]) -> bool:
    # Bamako's "Commune I", "Sebecoro 1": no name of a place of their own
    if not name or any(c.isdigit() for c in name) or name.lower().startswith("commune"):
        return False
    return name_key(name) not in not_places and is_usable_name(name)


def _middle(entries: list[Entry]) -> tuple[float, float]:
    return sum(e.lat for e in entries) / len(entries), sum(e.lon for e in entries) / len(entries)


def osm_entries(shared: Path, countries: tuple[str, ...]) -> Iterator[Entry]:
    """Every place node once (the extracts overlap at the borders), by node id."""
    seen: set[str] = set()
    for country in countries:
        for entry in read_osm(shared / "osm" / f"{OSM_EXTRACTS[country]}.sqlite.zip", country):
            if entry.id not in seen:
                seen.add(entry.id)
                yield entry


def words_not_places(world: Path) -> frozenset[str]:
    """Keys a spelling only OCHA or OSM gives must not have: common French and English
    words, the watch list's words, personal names and place rules, and the names of
    well-known places abroad (``names_abroad``). The matcher guards such names, but a village
    called "The", "Were", "France" or "Sokoto" is not worth the risk (GeoNames' own names are
    kept as they were, and weighed against their namesakes abroad by the matcher)."""
    watchlist = load_watchlist(WATCHLIST_FILE)
    rules = watchlist.places
    words = (*COMMON_WORDS, *watchlist.vocabulary(), *rules.person_names, *rules.stop, *rules.weak)
    return frozenset(name_key(w) for w in (*words, *names_abroad(world)))


def names_abroad(world: Path) -> Iterator[str]:
    """The names of the countries and the cities of ``WELL_KNOWN_ABROAD`` people or more
    beyond the watched countries: the places abroad the news names most. Between a
    smaller town or a region abroad and a village the matcher weighs the text's
    evidence, as it does for GeoNames' villages."""
    with world.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["feature_code"] == "PCLI" or int(row["population"] or 0) >= WELL_KNOWN_ABROAD:
                yield row["name"]
                yield from (n for n in row["alternate_names"].split("|") if n)


def spellings(place: Entry, not_places: frozenset[str]) -> list[str]:
    """Every name of the place's entries, then the other spellings of them the news uses
    (``spelling_variants``); the spellings GeoNames does not vouch for are vetted against
    ``not_places``."""
    entries = [place, *place.members]
    vouched = [n for e in entries if e.source in ("geonames", "curated") for n in e.names]
    other = [n for e in entries if e.source not in ("geonames", "curated") for n in e.names]
    variants = [v for n in vouched + other for v in spelling_variants(n)]
    vetted = [n for n in other + variants if name_key(n) not in not_places]
    return distinct_names(vouched + vetted)


def to_record(place: Entry, not_places: frozenset[str]) -> dict[str, str] | None:
    """The CSV row of a place; None for a place left without a name."""
    names = spellings(place, not_places)
    if not names:
        return None
    entries = [place, *place.members]
    ocha = next((e for e in entries if e.source == "ocha"), None)
    located = next((e for e in entries if e.source != "curated"), place)
    # the region and cercle as one pair: OCHA's when the lead entry lacks the cercle
    admins = (ocha.admin1, ocha.admin2) if ocha is not None and not place.admin2 else (place.admin1, place.admin2)
    return {
        "id": place.id,
        "name": names[0],
        "alternate_names": "|".join(n for n in names[1:] if is_usable_name(n)),
        # the lead entry's: GeoNames' codes are kept (a commune seat OCHA knows stays a
        # PPL, a "minor" village to the matcher, as it was)
        "feature_code": place.feature_code,
        "country": place.country,
        "admin1_name": admins[0],
        "admin2_name": admins[1],
        "lat": _coordinate(located.lat),
        "lon": _coordinate(located.lon),
        "population": str(max(e.population for e in entries)),
        "admin3_name": ocha.admin3 if ocha else "",
    }


def _coordinate(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def sort_key(record: dict[str, str]) -> tuple[str, int, int, str]:
    pid = record["id"]
    source = "geonames" if pid.isdigit() else "curated" if pid.startswith("x-") else pid.split("-", 1)[0]
    number = int(pid) if pid.isdigit() else int(pid[4:]) if source == "osm" else 0
    return record["country"], SOURCE_ORDER[source], number, pid


def write_csv(records: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder with geonames/, ocha/, osm/")
    parser.add_argument("--extra", type=Path, default=DEFAULT_EXTRA, help="the curated places (their ids are kept)")
    parser.add_argument("--world", type=Path, default=DEFAULT_WORLD, help="places abroad (no new village takes their names)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--countries", nargs="+", default=list(COUNTRIES))
    args = parser.parse_args(argv)
    records = build(args.shared, args.extra, args.world, args.countries)
    write_csv(records, args.out)
    size = args.out.stat().st_size
    print(f"{args.out}: {len(records)} places, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
