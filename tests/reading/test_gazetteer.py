from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from monitor.reading.gazetteer import Gazetteer, Place, distance_km
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"
PATHS = [SEEDS / "gazetteer.csv", SEEDS / "places_extra.csv"]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(PATHS)


def _script(name: str) -> ModuleType:
    """A module of scripts/ (the build script imports its sibling ``gazetteer_sources``)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _build_script() -> ModuleType:
    return _script("build_gazetteer")


def _sources() -> ModuleType:
    return _script("gazetteer_sources")


def _resolve(gaz: Gazetteer, name: str, context: set[str] = frozenset()) -> Place:  # type: ignore[assignment]
    return gaz.resolve([p.id for p in gaz.lookup(name)], set(context))


# --- the committed gazetteer ----------------------------------------------------------


def test_committed_gazetteer_is_small_and_loads_fast(gaz: Gazetteer) -> None:
    assert (SEEDS / "gazetteer.csv").stat().st_size < 4_500_000
    assert 45_000 < len(gaz) < 70_000
    started = time.perf_counter()
    Gazetteer.load(PATHS)
    assert time.perf_counter() - started < 3.0  # ~0.35 s on the dev machine; CI may be slower


def test_place_fields(gaz: Gazetteer) -> None:
    timbuktu = gaz.places("2449067")
    assert (timbuktu.name, timbuktu.feature_code, timbuktu.country, timbuktu.admin1) == ("Timbuktu", "PPLA", "ML", "Tombouctou")
    assert "Tombouctou" in timbuktu.names
    assert 16.7 < timbuktu.lat < 16.8 and -3.1 < timbuktu.lon < -2.9
    assert timbuktu.population > 10_000
    assert gaz.places("7670549").admin2 == "Douentza"  # admin codes resolved to names


def test_names_index(gaz: Gazetteer) -> None:
    names = dict(gaz.names())
    assert "2449067" in names["tombouctou"] and "2449067" in names["timbuktu"]
    assert all(name == name.casefold() for name in list(names)[:1000])


@pytest.mark.parametrize(("name", "place_id"), [("Tombouctou", "2449067"), ("Timbuktu", "2449067"), ("TOMBOUCTOU", "2449067")])
def test_both_spellings_resolve_to_one_place(gaz: Gazetteer, name: str, place_id: str) -> None:
    assert _resolve(gaz, name).id == place_id


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("Mali", "ML", "PCLI"),
        ("Mopti", "ML", "PPLA"),  # the town, not the region
        ("San", "ML", "PPLA2"),  # not the Burkinabè villages
        ("Dori", "BF", "PPLA"),  # the Burkinabè town, not a Malian hamlet
        ("Kaya", "BF", "PPLA"),
        ("Bamako", "ML", "PPLC"),
        ("Djenné", "ML", "PPL"),  # the town before the cercle
    ],
)
def test_resolve_prefers_major_places_then_countries(gaz: Gazetteer, name: str, country: str, feature: str) -> None:
    place = _resolve(gaz, name)
    assert (place.country, place.feature_code) == (country, feature)


def test_resolve_uses_admin_context(gaz: Gazetteer) -> None:
    # Boulikessi: the Malian camp (curated) by default and with "(Douentza, Mopti)" ...
    assert _resolve(gaz, "Boulikessi").id == "x-boulkessi"
    assert _resolve(gaz, "Boulikessi", {"douentza", "mopti"}).id == "x-boulkessi"
    # ... and the Burkinabè village when the text names its province and region.
    assert _resolve(gaz, "Boulikessi", {"oudalan", "sahel"}).country == "BF"
    # Two Malian Niénas: the text's region decides.
    assert _resolve(gaz, "Niéna", {"sikasso"}).admin1 == "Sikasso"
    assert _resolve(gaz, "Niéna", {"segou"}).admin1 == "Ségou"


def test_resolve_country_order_is_configurable() -> None:
    gaz = Gazetteer.load(PATHS, country_order=("BF", "ML", "NE"))
    assert _resolve(gaz, "Boulikessi").country == "BF"


def test_resolve_without_candidates(gaz: Gazetteer) -> None:
    with pytest.raises(ValueError):
        gaz.resolve([], set())
    with pytest.raises(KeyError):
        gaz.places("no-such-place")


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("Boulkessi", "x-boulkessi"),
        ("Asday", "x-asday"),
        ("Kimbala", "x-kimbala"),
        ("Djedjeni", "x-djedjeni"),
        ("Komani", "x-komani"),
        ("Talataye", "x-talataye"),
        ("Ogossagou", "12232587"),  # curated spelling added to the GeoNames entry
        ("Anéfif", "2461022"),
        ("Anéfis", "2461022"),
        ("Tinzaoutene", "2476086"),
        ("Dioura", "2458636"),  # the Mopti camp, not the Kayes village
        ("Boni", "2459917"),
        ("Macina", "2455465"),
    ],
)
def test_curated_places(gaz: Gazetteer, name: str, place_id: str) -> None:
    assert _resolve(gaz, name).id == place_id


def test_curated_rows_extend_geonames_entries(gaz: Gazetteer) -> None:
    anefis = gaz.places("2461022")
    assert anefis.admin1 == "Kidal" and "Anéfif" in anefis.names and "Anefis" in anefis.names
    assert anefis.source
    boulkessi = gaz.places("x-boulkessi")
    assert (boulkessi.admin1, boulkessi.admin2) == ("Mopti", "Douentza")


def test_bad_rows_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,lat,lon\nx-1,Somewhere,north,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.csv:2"):
        Gazetteer.load([bad])
    missing = tmp_path / "missing.csv"
    missing.write_text("id,name\nx-1,Somewhere\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns lat, lon"):
        Gazetteer.load([missing])


def test_distance_km(gaz: Gazetteer) -> None:
    assert distance_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.2, abs=0.1)
    assert distance_km(gaz.places("2460596"), gaz.places("2449067")) == pytest.approx(706, abs=5)  # Bamako-Timbuktu
    assert distance_km(gaz.places("x-boulkessi"), gaz.places("x-boulkessi")) == 0.0


# --- the build script ----------------------------------------------------------------


def test_admin_names_are_cleaned() -> None:
    build = _sources()
    assert build.clean_admin_name("Cercle de San") == "San"
    assert build.clean_admin_name("Province du Soum") == "Soum"
    assert build.clean_admin_name("Province de l’Oudalan") == "Oudalan"
    assert build.clean_admin_name("Cercle d’ Abeïbara") == "Abeïbara"
    assert build.clean_admin_name("Tombouctou Region") == "Tombouctou"
    assert build.clean_admin_name("High-Basins Region") == "Hauts-Bassins"
    assert build.clean_admin_name("Département de Say") == "Say"


def test_alternate_names_are_filtered() -> None:
    sources = _sources()
    assert sources.is_usable_name("Tombouctou")
    assert not sources.is_usable_name("تمبكتو")  # not Latin
    assert not sources.is_usable_name("GATB")  # an airport code
    assert not sources.is_usable_name("I.R.C.T.")  # initials
    assert not sources.is_usable_name("tmbktw")  # a machine transliteration
    assert not sources.is_usable_name("Ba")  # too short


@pytest.mark.shared
def test_build_matches_the_committed_file(shared_dir: Path, tmp_path: Path) -> None:
    build = _build_script()
    out = tmp_path / "gazetteer.csv"
    assert build.main(["--shared", str(shared_dir / "data"), "--out", str(out)]) == 0
    assert out.stat().st_size < 4_500_000
    assert out.read_text(encoding="utf-8") == (SEEDS / "gazetteer.csv").read_text(encoding="utf-8"), (
        "seeds/gazetteer.csv is stale: run python scripts/build_gazetteer.py"
    )
