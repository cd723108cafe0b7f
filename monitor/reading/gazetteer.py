"""Places the news names: GeoNames-derived ``seeds/gazetteer.csv`` (Mali, Burkina Faso,
Niger), ``seeds/world.csv`` (countries, first-level regions and cities beyond them, so that
"Kano" or "Tigrai" is known to be abroad) plus curated extras.

A CSV row is one place (built from GeoNames, OCHA and OSM by ``scripts/build_gazetteer.py``;
ids ``ocha-<P-code>`` and ``osm-<node id>`` for places GeoNames lacks): ``id, name,
alternate_names (|-separated), feature_code, country, admin1_name, admin2_name, lat, lon,
population, admin3_name`` (the commune); curated files may add
``approximate`` (``true`` when the coordinates are an estimate) and ``source``. A curated
row whose id is already loaded adds its alternate names to that place and overrides the
fields it fills in, so a misspelling the news uses can be attached to the GeoNames entry;
its estimated coordinates do not move a place a source locates.

When several places share a name, ``Gazetteer.resolve`` picks one (see there).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from monitor.reading.text import fold, name_key

__all__ = [
    "DEFAULT_COUNTRY_ORDER",
    "FEATURE_RANK",
    "MAJOR_FEATURES",
    "Gazetteer",
    "Place",
    "distance_km",
    "load_demonyms",
]

DEFAULT_COUNTRY_ORDER = ("ML", "BF", "NE")
EARTH_RADIUS_KM = 6371.0088

# Which kind of place a bare name most likely means: the country, the capital, the
# regional capitals, towns and villages, then the regions named like them ("Mopti" is
# the town before the region); installations last (they are named in full).
FEATURE_RANK = {
    code: rank
    for rank, code in enumerate(
        ("PCLI", "PPLC", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPL", "PPLX", "PPLL", "ADM1", "ADM2", "ADM3")
    )
}
# Places a bare name means before a namesake village of a preferred country: the country,
# the capital, regional and cercle capitals, and towns of 10,000 people or more.
MAJOR_FEATURES = frozenset({"PCLI", "PPLC", "PPLA", "PPLA2"})
MAJOR_POPULATION = 10_000
_OTHER_FEATURE_RANK = len(FEATURE_RANK)


@dataclass(frozen=True, slots=True)
class Place:
    id: str  # GeoNames id, or "x-..." for curated places
    name: str
    feature_code: str  # GeoNames feature code: PPL, PPLA2, ADM1, AIRP...
    country: str  # ISO 3166-1 alpha-2
    admin1: str  # region name ("Mopti"), "" when unknown
    admin2: str  # cercle/province/department name ("Douentza"), "" when unknown
    lat: float
    lon: float
    population: int
    names: tuple[str, ...]  # the name first, then alternate names, as written
    approximate: bool = False  # curated coordinates that are an estimate
    source: str = ""  # curated places: where the coordinates come from
    admin3: str = ""  # commune name (Mali, from OCHA), "" when unknown


def distance_km(a: Place | tuple[float, float], b: Place | tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two places or ``(lat, lon)`` pairs."""
    lat1, lon1 = (a.lat, a.lon) if isinstance(a, Place) else a
    lat2, lon2 = (b.lat, b.lon) if isinstance(b, Place) else b
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


_COLUMNS = ("id", "name", "alternate_names", "feature_code", "country", "admin1_name", "admin2_name", "lat", "lon", "population", "admin3_name", "approximate", "source")
_Row = tuple[str, ...]  # a CSV row in _COLUMNS order, turned into a Place when first asked for
# A loaded row waits for its first use packed into one string: its fields but the id, joined
# by the ASCII unit separator (a tuple of thirteen strings takes four times the memory).
_PACKED = "\x1f"
_Record = Place | str  # a place, or its packed row


def _parse_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "y"}


def _split_names(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split("|") if a.strip()) if value else ()


def _read_rows(path: Path) -> Iterator[tuple[int, _Row]]:
    """Rows in ``_COLUMNS`` order, ``""`` for columns the file does not have."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in ("id", "name", "lat", "lon") if c not in header]
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(missing)}")
        if tuple(header) == _COLUMNS[: len(header)]:  # the built gazetteer: no reordering
            pad = ("",) * (len(_COLUMNS) - len(header))
            for line, cols in enumerate(reader, start=2):
                if cols and cols[0] and not cols[0].startswith("#"):
                    yield line, (*cols, *pad) if len(cols) == len(header) else _pad(cols, len(_COLUMNS))
            return
        index = [header.index(c) if c in header else -1 for c in _COLUMNS]
        for line, cols in enumerate(reader, start=2):
            if not cols or not cols[0].strip() or cols[0].lstrip().startswith("#"):
                continue
            yield line, tuple(cols[i].strip() if 0 <= i < len(cols) else "" for i in index)


def _pad(cols: list[str], width: int) -> _Row:
    return tuple(cols[:width]) + ("",) * max(0, width - len(cols))


def _pack(row: _Row) -> _Record:
    """The row without its id as one string; a row whose fields hold the separator (none
    that a source writes) becomes its place at once."""
    packed = _PACKED.join(row[1:])
    return packed if packed.count(_PACKED) == len(row) - 2 else _row_place(row)


def _unpack(place_id: str, packed: str) -> Place:
    return _row_place((place_id, *packed.split(_PACKED)))


def _row_place(row: _Row) -> Place:
    pid, name, alternates, code, country, admin1, admin2, lat, lon, population, admin3, approximate, source = row
    return Place(
        id=pid,
        name=name,
        feature_code=code,
        country=country,
        admin1=admin1,
        admin2=admin2,
        lat=float(lat),
        lon=float(lon),
        population=int(population or 0),
        names=(name, *_split_names(alternates)),
        approximate=_parse_bool(approximate),
        source=source,
        admin3=admin3,
    )


def _check_row(row: _Row, path: Path, line: int) -> None:
    """A new place needs a name and numeric coordinates."""
    try:
        if not row[1]:
            raise ValueError("no name")
        float(row[7]), float(row[8]), int(row[9] or 0)
    except ValueError as exc:
        raise ValueError(f"{path}:{line}: bad gazetteer row ({exc})") from None


def _merge(base: Place, row: _Row) -> Place:
    """A curated row for a known id: more names, and the fields it fills in (not an
    estimate of where a place is: the sources that locate it know better)."""
    _, name, alternates, code, country, admin1, admin2, lat, lon, population, admin3, approximate, source = row
    names = tuple(dict.fromkeys((*base.names, *([name] if name else []), *_split_names(alternates))))
    changes: dict[str, object] = {"names": names}
    for attr, value in (("feature_code", code), ("country", country), ("admin1", admin1), ("admin2", admin2), ("admin3", admin3), ("source", source)):
        if value:
            changes[attr] = value
    if not _parse_bool(approximate):
        if lat:
            changes["lat"] = float(lat)
        if lon:
            changes["lon"] = float(lon)
    if population:
        changes["population"] = int(population)
    return replace(base, **changes)  # type: ignore[arg-type]


class Gazetteer:
    """Places by id and by folded name; picks one place among namesakes."""

    def __init__(self, records: dict[str, _Record], country_order: tuple[str, ...] = DEFAULT_COUNTRY_ORDER) -> None:
        """``records``: by id, places or rows packed by ``_pack`` (as ``load`` reads them)."""
        # Rows become Place values only when asked for: a scan needs a handful of the
        # ~68,000, and building them all would double the load time.
        self._records = records
        self.country_order = tuple(country_order)
        self._admin_cache: dict[str, frozenset[str]] = {}
        self._rank_cache: dict[tuple[str, ...], tuple[tuple[Place, ...], frozenset[str]]] = {}
        self._static_cache: dict[str, tuple[int, int, int, int, int, int, str]] = {}
        self._by_name: dict[str, tuple[str, ...]] | None = None  # built by the first ``lookup``

    @classmethod
    def load(cls, csv_paths: Iterable[str | Path], country_order: tuple[str, ...] = DEFAULT_COUNTRY_ORDER) -> Gazetteer:
        """Read gazetteer CSVs in order; later files add places or extend earlier ones."""
        # each row packed as soon as read: all rows held as tuples would weigh three times
        # as much at the peak, and leave memory the process does not give back
        records: dict[str, _Record] = {}
        for path in map(Path, csv_paths):
            for line, row in _read_rows(path):
                known = records.get(row[0])
                if known is None:
                    _check_row(row, path, line)
                    records[row[0]] = _pack(row)
                else:
                    records[row[0]] = _merge(known if isinstance(known, Place) else _unpack(row[0], known), row)
        return cls(records, country_order)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._records

    def places(self, place_id: str) -> Place:
        """The place with this id (``KeyError`` when unknown)."""
        record = self._records[place_id]
        if isinstance(record, Place):
            return record
        place = self._records[place_id] = _unpack(place_id, record)
        return place

    def all_places(self) -> Iterator[Place]:
        return (self.places(pid) for pid in list(self._records))

    def names(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Every folded name with the ids of the places that bear it.

        Worked out at each call (as long as ``lookup`` has not kept them): the matcher's build
        reads them once, and the reader need not keep ~80,000 names after."""
        return iter((self._by_name or self._name_index()).items())

    def lookup(self, name: str) -> list[Place]:
        """Places named ``name`` (any spelling that folds the same), best first."""
        if self._by_name is None:
            self._by_name = self._name_index()
        ids = self._by_name.get(fold(name.strip()), ())
        return self.rank(ids, set()) if ids else []

    def _name_index(self) -> dict[str, tuple[str, ...]]:
        return _name_index(self._records, set(self.country_order))

    def admin_matches(self, place: Place, context_names: set[str]) -> int:
        """How many of the place's region/cercle/commune names the text also mentions.

        ``context_names`` are ``name_key`` forms; the place's own names do not count
        (Kati, in the Kati cercle, is not its own context).
        """
        return len(self._admin_keys(place) & context_names) if context_names else 0

    def _admin_keys(self, place: Place) -> frozenset[str]:
        keys = self._admin_cache.get(place.id)
        if keys is None:
            admins = {name_key(a) for a in (place.admin1, place.admin2, place.admin3) if a}
            keys = self._admin_cache[place.id] = frozenset(admins - {name_key(n) for n in place.names})
        return keys

    def rank(self, candidate_ids: Iterable[str], context_names: set[str]) -> list[Place]:
        """Candidates best first (the order ``resolve`` uses)."""
        # keyed by the ids as given: the matcher passes the same (duplicate-free) tuples
        # again and again, and need not pay for their deduplication each time
        given = candidate_ids if isinstance(candidate_ids, tuple) else tuple(candidate_ids)
        cached = self._rank_cache.get(given)
        if cached is None:  # the order without context depends only on the candidates
            ids = dict.fromkeys(given)
            ordered = tuple(sorted((self.places(i) for i in ids), key=self._static_preference))
            cached = self._rank_cache[given] = (ordered, frozenset().union(*(self._admin_keys(p) for p in ordered)))
        ranked, admin_names = cached
        if context_names and not admin_names.isdisjoint(context_names):
            return sorted(ranked, key=lambda p: -self.admin_matches(p, context_names))  # stable: ties keep the order
        return list(ranked)

    def resolve(self, candidate_ids: Iterable[str], context_names: set[str]) -> Place:
        """The place a name most likely means among namesakes.

        In order: the place whose region or cercle the text also names ("Boulikessi
        (Douentza, Mopti)"); a major place (country, capital, regional or cercle capital,
        town of 10,000+) over a village ("Dori" is the Burkinabè town, not a Malian hamlet;
        "Kano" is the Nigerian city, not a Malian hamlet); a watched
        country, in ``country_order``; the kind of place (``FEATURE_RANK``); curated places
        (the team added them because the news uses them); the larger population; a place
        whose region is known. The matcher then weighs what the sentence says between a
        namesake abroad and one at home (a Sahel place or actor beside it, a curated place).
        ``context_names`` are the place names the text mentions, in ``name_key`` form.
        """
        ranked = self.rank(candidate_ids, context_names)
        if not ranked:
            raise ValueError("no candidate place to resolve")
        return ranked[0]

    def _static_preference(self, place: Place) -> tuple[int, int, int, int, int, int, str]:
        """The part of the order that does not depend on the text (cached)."""
        cached = self._static_cache.get(place.id)
        if cached is None:
            order = self.country_order
            country = order.index(place.country) if place.country in order else len(order)
            # a first-level region abroad ("Borno", "Tigrai") is better known than a village
            major = (
                place.feature_code in MAJOR_FEATURES
                or (place.feature_code.startswith("PPL") and place.population >= MAJOR_POPULATION)
                or (place.feature_code == "ADM1" and place.country not in order)
            )
            cached = self._static_cache[place.id] = (
                0 if major else 1,
                country,
                FEATURE_RANK.get(place.feature_code, _OTHER_FEATURE_RANK),
                0 if place.source else 1,
                -place.population,
                0 if place.admin1 else 1,
                place.id,
            )
        return cached


def _name_index(records: dict[str, _Record], watched: set[str]) -> dict[str, tuple[str, ...]]:
    """Every folded name to the ids of the places that bear it: tuples (a name has one place,
    mostly: a list would take twice the memory), which the matcher keeps as its candidates."""
    by_name: dict[str, tuple[str, ...]] = {}
    countries: dict[str, list[str]] = {}  # the ids of the countries bearing each name
    for pid, record in records.items():
        names, code, _ = _indexed_fields(record)
        for key in dict.fromkeys(fold(n.strip()) for n in names if n.strip()):
            by_name[key] = (*by_name[key], pid) if key in by_name else (pid,)
            if code == "PCLI":
                countries.setdefault(key, []).append(pid)
    _give_country_names_to_their_countries(by_name, countries, records, watched)
    return by_name


def _give_country_names_to_their_countries(
    by_name: dict[str, tuple[str, ...]], countries: dict[str, list[str]], records: dict[str, _Record], watched: set[str]
) -> None:
    """A name two countries bear is the foreign one's: GeoNames keeps "Soudan" (French
    Sudan, a colonial name) for Mali, but "au Soudan" is Sudan."""
    for key, ids in countries.items():
        if len(ids) < 2:
            continue
        home = {pid for pid in ids if _indexed_fields(records[pid])[2] in watched}
        if home and len(home) < len(ids):
            by_name[key] = tuple(pid for pid in by_name[key] if pid not in home)


def _indexed_fields(record: _Record) -> tuple[tuple[str, ...], str, str]:
    """What the name index reads of a record: its names (as written), feature code and country."""
    if isinstance(record, Place):
        return record.names, record.feature_code, record.country
    name, alternates, code, country, _ = record.split(_PACKED, 4)
    return (name, *alternates.split("|")), code, country


def load_demonyms(path: Path) -> dict[str, str]:
    """Every adjective of nationality of ``seeds/demonyms.csv``, folded, to its country:
    "nigériane" and "Nigerians" to NG. French plurals add ``s`` (not after s or x); English
    ones add ``s`` but to words ending in s, sh, ch, x or z."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            words = [w for column in ("en", "fr_m", "fr_f") for w in row[column].split("|") if w.strip()]
            for word in words:
                for form in (word, _plural(word)):
                    out.setdefault(fold(form.strip()), row["iso2"])
    return out


def _plural(word: str) -> str:
    return word if word[-1:] in "sxz" or word.endswith(("sh", "ch")) else word + "s"
