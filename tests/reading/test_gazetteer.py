from __future__ import annotations

import importlib.util
import sys
import time
from datetime import date
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
    """A module of scripts/, which import each other as the scripts run from there do."""
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
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
    assert time.perf_counter() - started < 3.0  # ~0.10 s on the dev machine; CI may be slower


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


@pytest.mark.parametrize(
    ("spellings", "place_id"),
    [
        (("I-n-Tillit", "N'Tillit", "Intillit"), "2596484"),  # GeoNames, OCHA, and the news' spelling
        (("Douna-Pen", "Dounapen"), "ocha-ML050706017"),  # a village only OCHA knows
        (("Nguigmi", "N'Guigmi"), "2440495"),
        (("Boulkessi", "Boulikessi"), "x-boulkessi"),  # OSM's village is the curated camp
    ],
)
def test_spellings_of_one_place_are_one_row(gaz: Gazetteer, spellings: tuple[str, ...], place_id: str) -> None:
    assert {_resolve(gaz, s).id for s in spellings} == {place_id}


def test_places_of_ocha_and_osm(gaz: Gazetteer) -> None:
    tabankort = {p.id: p for p in gaz.lookup("Tabankort")}  # OCHA's in Ménaka, OSM's near Anéfis
    assert {i.split("-")[0] for i in tabankort} == {"ocha", "osm"}
    ocha = next(p for i, p in tabankort.items() if i.startswith("ocha-"))
    assert (ocha.country, ocha.admin1, ocha.admin3) == ("ML", "Ménaka", "Ménaka")  # GeoNames' regions, OCHA's commune
    osm = next(p for i, p in tabankort.items() if i.startswith("osm-"))
    assert (osm.country, osm.admin1, osm.admin3) == ("ML", "Gao", "")  # from the places around it
    assert gaz.places("2459917").admin3 == "Haire"  # Boni: GeoNames' place, OCHA's commune


def test_new_sources_bring_no_word_for_a_village(gaz: Gazetteer) -> None:
    for word in ("The", "Were", "One", "France", "Sokoto", "Unknown", "Centre"):
        assert not [p.id for p in gaz.lookup(word) if not p.id.isdigit()], word


def test_curated_estimates_do_not_move_located_places(tmp_path: Path) -> None:
    built = tmp_path / "gazetteer.csv"
    built.write_text("id,name,lat,lon\nosm-1,Boulkessi,14.7983,-1.3026\nosm-2,Kimbala,13.0,-5.0\n", encoding="utf-8")
    extra = tmp_path / "places_extra.csv"
    extra.write_text(
        "id,name,lat,lon,approximate,source\nosm-1,Boulikessi,14.5,-1.5,true,an estimate\nosm-2,,13.2,-5.1,false,a survey\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.load([built, extra])
    estimated, surveyed = gaz.places("osm-1"), gaz.places("osm-2")
    assert (estimated.lat, estimated.lon, estimated.approximate) == (14.7983, -1.3026, False)
    assert "Boulikessi" in estimated.names and estimated.source == "an estimate"
    assert (surveyed.lat, surveyed.lon) == (13.2, -5.1)


def test_the_commune_tells_namesakes_apart(tmp_path: Path) -> None:
    built = tmp_path / "gazetteer.csv"
    built.write_text(
        "id,name,alternate_names,feature_code,country,admin1_name,admin2_name,lat,lon,population,admin3_name\n"
        "ocha-1,Sambani,,PPL,ML,Tombouctou,Niafunke,15.7,-4.5,0,Dianke\n"
        "ocha-2,Sambani,,PPL,ML,Tombouctou,Goundam,16.4,-3.6,0,Soumpi\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.load([built])
    assert gaz.places("ocha-2").admin3 == "Soumpi"
    assert _resolve(gaz, "Sambani", {"soumpi"}).id == "ocha-2"
    assert _resolve(gaz, "Sambani", {"dianke"}).id == "ocha-1"


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


@pytest.mark.parametrize(
    ("one", "other"),
    [("Boulkessi", "Boulkéssi"), ("N'Tillit", "Intillit"), ("I-n-Tillit", "Tillit"), ("Douna Pen", "Dounapen"),
     ("Tongo-Tongo", "Tongo Tongo"), ("Ouro Modi", "Uro Modi"), ("Nguigmi", "N'Guigmi"), ("Tabankort", "Tabankorrt")],
)  # fmt: skip
def test_variant_keys_of_one_name_agree(one: str, other: str) -> None:
    assert _build_script().variant_key(one) == _build_script().variant_key(other)


@pytest.mark.parametrize(("one", "other"), [("Boulkessi", "Boulikessi"), ("Inata", "Ata"), ("Douna", "Dounapen")])
def test_variant_keys_of_other_names_differ(one: str, other: str) -> None:
    assert _build_script().variant_key(one) != _build_script().variant_key(other)


@pytest.mark.parametrize(
    ("name", "variants"),
    [("Douna-Pen", ["Dounapen"]), ("I-n-Tillit", ["Intillit"]), ("Tin Habou", ["Tinhabou"]),
     ("Nguigmi", ["N'Guigmi"]), ("Fada N'Gourma", ["Fada Ngourma"]), ("Bambara Maoudé", []), ("Mopti", []),
     ("Ba Na", [])],
)  # fmt: skip
def test_spellings_the_news_makes(name: str, variants: list[str]) -> None:
    assert _sources().spelling_variants(name) == variants


@pytest.mark.parametrize(
    ("raw", "names"),
    [("DOUNA-PEN", ["Douna-Pen"]), ("Faraba 2 (Amont)", ["Faraba"]), ("Mandra/Gana", ["Mandra", "Gana"]),
     ("n'tillit", ["N'Tillit"]), ("Habitation", []), ("sans-nom-14", []), ("Unknown", []), ("K42", []),
     ("Bangui,Madaoua,Niger", ["Bangui"])],
)  # fmt: skip
def test_source_names_are_cleaned(raw: str, names: list[str]) -> None:
    assert _sources().clean_names(raw) == names


def _entry(source: str, pid: str, name: str, lat: float, lon: float, **fields: object) -> object:
    return _sources().Entry(source, pid, [name], lat, lon, fields.pop("feature_code", "PPL"), fields.pop("country", "ML"), **fields)


def test_entries_join_when_a_spelling_agrees_nearby() -> None:
    build = _build_script()
    joiner = build.Joiner()
    tillit = _entry("geonames", "1", "I-n-Tillit", 15.546, -0.461)
    namesake = _entry("geonames", "2", "Tillit", 15.58, -0.45)  # 4 km: GeoNames' own namesakes stay apart
    estimate = _entry("curated", "x-talataye", "Talataye", 15.7, 0.41, approximate=True)
    for place in (tillit, namesake, estimate):
        joiner.add_place(place)
    assert joiner.join(_entry("ocha", "ocha-1", "N'Tillit", 15.528, -0.484))  # 3 km
    assert not joiner.join(_entry("osm", "osm-1", "Tillit", 15.8, -0.2))  # 40 km: another Tillit
    assert joiner.join(_entry("osm", "osm-2", "Talataye", 16.0, 0.6))  # within the estimate's error
    assert not joiner.join(_entry("osm", "osm-3", "Talatayé", 16.53, 1.52))  # beyond it
    assert [m.id for m in tillit.members] == ["ocha-1"] and not namesake.members
    assert [m.id for m in estimate.members] == ["osm-2"]
    assert len(joiner.places) == 5


def test_a_row_keeps_its_lead_id_and_every_vetted_spelling() -> None:
    build = _build_script()
    place = _entry("geonames", "7", "I-n-Tillit", 15.546, -0.461, admin1="Gao", admin2="Gao")
    place.members += [_entry("ocha", "ocha-1", "N'Tillit", 15.528, -0.484, admin3="N'Tillit"), _entry("osm", "osm-1", "The", 15.5, -0.5)]
    record = build.to_record(place, frozenset({"the"}))
    assert (record["id"], record["name"], record["admin3_name"]) == ("7", "I-n-Tillit", "N'Tillit")
    assert record["alternate_names"].split("|") == ["N'Tillit", "Intillit", "Ntillit"]
    assert build.to_record(_entry("osm", "osm-2", "The", 15.0, -1.0), frozenset({"the"})) is None


def test_a_commune_no_place_stands_for_gets_a_row_named_as_a_commune() -> None:
    build = _build_script()
    seat = _entry("ocha", "ocha-ML050804000", "Dioura", 14.82, -5.25, feature_code="PPLA3",
                  admin1="Mopti", admin2="Tenenkou", admin3="Kareri")  # fmt: skip
    village = _entry("ocha", "ocha-ML050804001", "Simi", 14.68, -5.17, admin1="Mopti", admin2="Tenenkou", admin3="Kareri")
    named = _entry("ocha", "ocha-ML050613000", "Mondoro", 14.67, -1.95, feature_code="PPLA3",
                   admin1="Mopti", admin2="Douentza", admin3="Mondoro")  # fmt: skip
    word = _entry("ocha", "ocha-ML010101000", "Kayes N'di", 14.4, -11.4, admin1="Kayes", admin2="Kayes", admin3="Sony")
    numbered = _entry("ocha", "ocha-ML090101000", "Bamako", 12.6, -8.0, admin1="Bamako", admin3="Commune I")
    rows = build.commune_records([seat, village, named, word, numbered], frozenset({"sony"}))
    (kareri,) = rows  # Mondoro is a place already; Sony is a word; "Commune I" no name
    assert (kareri["id"], kareri["name"], kareri["feature_code"]) == ("ocha-ML050804", "Commune de Kareri", "ADM3")
    assert (kareri["lat"], kareri["lon"], kareri["admin2_name"]) == ("14.82", "-5.25", "Tenenkou")  # at its seat
    assert "Kareri" not in kareri["alternate_names"].split("|") and "Kareri commune" in kareri["alternate_names"]


def test_a_commune_is_found_where_the_text_names_it_as_one(gaz: Gazetteer) -> None:
    from monitor.reading import Extractor

    reader = Extractor.load()
    told = reader.read("Des hommes armés ont tué deux civils dans la commune de Djaptodji, cercle de Douentza.",
                       date(2020, 5, 1), lang="fr").reports  # fmt: skip
    assert told and told[0].location.name == "Commune de Djaptodji"  # type: ignore[union-attr]
    far = reader.read("Embuscade contre trois notables de la commune de Kareri, à 60 km au nord-ouest de Ténenkou.",
                      date(2020, 5, 1), lang="fr").reports  # fmt: skip
    assert far and far[0].location.name == "Commune de Kareri"  # type: ignore[union-attr]
    assert not gaz.lookup("Djaptodji") and not gaz.lookup("Sony")  # the bare name is no place


def test_a_node_takes_the_country_and_region_of_its_neighbours() -> None:
    build = _build_script()
    known = build.Grid()
    for n, (lat, lon) in enumerate([(14.10, -2.10), (14.12, -2.15), (14.20, -2.05)]):
        known.add(_entry("geonames", str(n), f"Village {n}", lat, lon, country="BF", admin1="Nord", admin2="Loroum"))
    known.add(_entry("ocha", "ocha-1", "Nassole", 14.15, -2.25, admin1="Mopti", admin2="Koro"))
    node = _entry("osm", "osm-1", "Nassingré", 14.15, -2.18)  # from the Malian extract
    assert build.place_by_neighbours(node, known, ("ML", "BF", "NE"))
    assert (node.country, node.admin1, node.admin2) == ("BF", "Nord", "Loroum")
    far = _entry("osm", "osm-2", "Sabha", 27.03, 14.43)
    assert not build.place_by_neighbours(far, known, ("ML", "BF", "NE"))


@pytest.mark.shared
def test_build_matches_the_committed_file(shared_dir: Path, tmp_path: Path) -> None:
    build = _build_script()
    out = tmp_path / "gazetteer.csv"
    assert build.main(["--shared", str(shared_dir / "data"), "--out", str(out)]) == 0
    assert out.stat().st_size < 4_500_000
    assert out.read_text(encoding="utf-8") == (SEEDS / "gazetteer.csv").read_text(encoding="utf-8"), (
        "seeds/gazetteer.csv is stale: run python scripts/build_gazetteer.py"
    )


def test_a_place_reads_back_as_written_whatever_its_fields_hold(tmp_path: Path) -> None:
    """Rows wait packed into one string until asked for: every field comes back as written,
    even a field holding the packing's separator or the CSV's own comma and quotes."""
    built = tmp_path / "gazetteer.csv"
    built.write_text(
        "id,name,alternate_names,feature_code,country,admin1_name,admin2_name,lat,lon,population,admin3_name\n"
        'ocha-1,Sambani,"Sambani, Le|Sambany",PPL,ML,Tombouctou,Niafunke,15.7,-4.5,120,Dianke\n'
        "ocha-2,Odd\x1fName,,PPL,ML,,,16.4,-3.6,,\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.load([built])
    assert len(gaz) == 2 and "ocha-2" in gaz
    assert gaz.places("ocha-1") == Place(
        "ocha-1", "Sambani", "PPL", "ML", "Tombouctou", "Niafunke", 15.7, -4.5, 120, ("Sambani", "Sambani, Le", "Sambany"), admin3="Dianke"
    )
    assert gaz.places("ocha-2").name == "Odd\x1fName" and gaz.places("ocha-2").admin1 == ""
    assert [p.id for p in gaz.lookup("sambany")] == ["ocha-1"] and [p.id for p in gaz.lookup("Odd\x1fName")] == ["ocha-2"]
