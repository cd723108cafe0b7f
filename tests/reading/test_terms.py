from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from monitor.reading.terms import (
    ACLED_EVENT_TYPES,
    ACTOR_KINDS,
    CASUALTY_KINDS,
    VICTIM_GROUPS,
    Watchlist,
    WatchlistError,
    expand_braces,
    load_watchlist,
    parse_watchlist,
)
from monitor.reading.text import fold
from tests.conftest import ROOT

WATCHLIST = ROOT / "seeds" / "watchlist.yaml"
CONTRACT_ACTORS = {
    "JNIM",
    "IS-Sahel",
    "FAMa",
    "Africa-Corps",
    "FLA",
    "CSP-DPA",
    "MINUSMA",
    "Barkhane",
    "Dan-Na-Ambassagou",
    "Katiba-Macina",
    "Ansarul-Islam",
    "VDP",
    "Burkina-Army",
    "Niger-Army",
}


@pytest.fixture(scope="module")
def watchlist() -> Watchlist:
    return load_watchlist(WATCHLIST)


@pytest.fixture
def raw() -> dict[str, Any]:
    return yaml.safe_load(WATCHLIST.read_text(encoding="utf-8"))


def _names(watchlist: Watchlist, actor_id: str) -> set[str]:
    return {fold(t.text) for t in watchlist.actor(actor_id).names}


def _event_terms(watchlist: Watchlist) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for event in watchlist.events:
        for term in event.terms:
            out.setdefault(fold(term.text), set()).add((event.event_type, event.sub_event_type))
    return out


def test_seed_watchlist_loads(watchlist: Watchlist) -> None:
    assert watchlist.countries == ("ML", "BF", "NE")
    assert CONTRACT_ACTORS <= {a.id for a in watchlist.actors}
    assert all(a.kind in ACTOR_KINDS for a in watchlist.actors)
    assert {g.name for g in watchlist.victims} == set(VICTIM_GROUPS)
    assert {g.name for g in watchlist.casualties} == set(CASUALTY_KINDS)


@pytest.mark.parametrize(
    ("actor_id", "alias"),
    [
        ("JNIM", "GSIM"),
        ("JNIM", "Groupe de soutien à l’islam et aux musulmans"),
        ("IS-Sahel", "EIGS"),
        ("IS-Sahel", "État islamique au Sahel"),
        ("IS-Sahel", "Islamic State Sahel Province"),
        ("FAMa", "Forces armées maliennes"),
        ("FAMa", "armée malienne"),
        ("Africa-Corps", "groupe Wagner"),
        ("Africa-Corps", "Africa Corps"),
        ("FLA", "Front de libération de l'Azawad"),
        ("Katiba-Macina", "Front de libération du Macina"),
        ("Niger-Army", "Forces armées nigériennes"),
        ("VDP", "Volontaires pour la défense de la patrie"),
        ("Barkhane", "opération Barkhane"),
    ],
)
def test_aliases(watchlist: Watchlist, actor_id: str, alias: str) -> None:
    assert fold(alias) in _names(watchlist, actor_id)


def test_ambiguous_aliases_are_flagged(watchlist: Watchlist) -> None:
    flagged = {fold(t.text) for a in watchlist.actors for t in a.names if t.ambiguous}
    assert {"wagner", "flm", "islamic state"} <= flagged
    assert "jnim" not in flagged


@pytest.mark.parametrize(
    ("term", "event_type", "sub_type"),
    [
        ("attaquées", "Battles", "Armed clash"),
        ("attacked", "Battles", "Armed clash"),
        ("embuscades", "Battles", "Armed clash"),
        ("pris le contrôle", "Battles", "Non-state actor overtakes territory"),
        ("engins explosifs improvisés", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("IED", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("véhicule piégé", "Explosions/Remote violence", "Suicide bomb"),
        ("kamikaze", "Explosions/Remote violence", "Suicide bomb"),
        ("frappes aériennes", "Explosions/Remote violence", "Air/drone strike"),
        ("drone strike", "Explosions/Remote violence", "Air/drone strike"),
        ("obus", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("enlevés", "Violence against civilians", "Abduction/forced disappearance"),
        ("otages", "Violence against civilians", "Abduction/forced disappearance"),
        ("massacre", "Violence against civilians", "Attack"),
        ("pillage", "Strategic developments", "Looting/property destruction"),
        ("incendié", "Strategic developments", "Looting/property destruction"),
        ("interpellés", "Strategic developments", "Arrests"),
        ("arrested", "Strategic developments", "Arrests"),
        ("émeutes", "Riots", "Violent demonstration"),
    ],
)
def test_event_words(watchlist: Watchlist, term: str, event_type: str, sub_type: str) -> None:
    assert (event_type, sub_type) in _event_terms(watchlist)[fold(term)]


def test_event_types_are_acled(watchlist: Watchlist) -> None:
    for event in watchlist.events:
        assert event.sub_event_type in ACLED_EVENT_TYPES[event.event_type]
    flags = {f for e in watchlist.events for f in e.flags}
    assert {"overrun", "hostages", "suicide", "generic"} <= flags


@pytest.mark.parametrize(
    ("group", "word"),
    [("military", "soldats"), ("military", "troops"), ("civilian", "villageois"), ("civilian", "fidèles"),
     ("assailants", "hommes armés"), ("assailants", "djihadistes"), ("unspecified", "personnes")],
)
def test_victim_words(watchlist: Watchlist, group: str, word: str) -> None:
    terms = {g.name: {fold(t.text) for t in g.terms} for g in watchlist.victims}
    assert fold(word) in terms[group]


@pytest.mark.parametrize(
    ("kind", "word"),
    [("killed", "tués"), ("killed", "neutralisés"), ("wounded", "blessés"), ("missing", "disparus"),
     ("abducted", "pris en otage"), ("arrested", "interpellés"), ("arrested", "captured")],
)
def test_casualty_words(watchlist: Watchlist, kind: str, word: str) -> None:
    terms = {g.name: {fold(t.text) for t in g.terms} for g in watchlist.casualties}
    assert fold(word) in terms[kind]


def test_expand_braces() -> None:
    assert expand_braces("attaqu{e|es|é}") == ["attaque", "attaques", "attaqué"]
    assert expand_braces("embuscade{|s}") == ["embuscade", "embuscades"]
    assert expand_braces("frappe{|s} aérienne{|s}") == ["frappe aérienne", "frappe aériennes", "frappes aérienne", "frappes aériennes"]
    assert expand_braces("sans accolade") == ["sans accolade"]
    with pytest.raises(ValueError):
        expand_braces("attaqu{e|es")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["actors"][3].update(names=[]), r"actors\[3\]\.names: must be a non-empty list"),
        (lambda d: d["actors"][0].update(colour="red"), r"actors\[0\]\.colour: unknown key"),
        (lambda d: d["actors"][1].update(kind="terrorist"), r"actors\[1\]\.kind: must be one of"),
        (lambda d: d["actors"][2].pop("kind"), r"actors\[2\]\.kind: is required"),
        (lambda d: d["actors"][0].update(countries=["Mali"]), r"actors\[0\]\.countries\[0\]: must be a two-letter"),
        (lambda d: d["actors"][0]["names"].append({"term": "X-JNIM", "ambiguous": "yes"}), r"actors\[0\]\.names\[\d+\]\.ambiguous: must be true or false"),
        (lambda d: d["events"][0].update(type="Fighting"), r"events\[0\]\.type: must be one of"),
        (lambda d: d["events"][0].update(sub_type="Attack"), r"events\[0\]\.sub_type: must be one of"),
        (lambda d: d["events"][0].update(flags=["spicy"]), r"events\[0\]\.flags\[0\]: must be one of"),
        (lambda d: d["events"][0]["terms"].append("attaqu{e|es"), r"events\[0\]\.terms\[\d+\]: .*braces"),
        (lambda d: d["victims"].update(police=["policiers"]), r"victims\.police: unknown key"),
        (lambda d: d.update(extra_section=[]), r"extra_section: unknown key"),
        (lambda d: d.update(version=2), r"version: must be 1"),
        (lambda d: d["actors"][5]["names"].append("JNIM"), r"'JNIM' names both"),
        (lambda d: d["places"].update(stop="Sahel"), r"places\.stop: must be a list"),
    ],
)
def test_errors_name_the_key(raw: dict[str, Any], change: Any, message: str) -> None:
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(WatchlistError, match=message):
        parse_watchlist(data, "watchlist.yaml")


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(WatchlistError, match="cannot read"):
        load_watchlist(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors: [\n", encoding="utf-8")
    with pytest.raises(WatchlistError, match=r"not valid YAML \(line"):
        load_watchlist(bad)
    with pytest.raises(WatchlistError, match="must be a mapping"):
        parse_watchlist(["a list"])
    with pytest.raises(WatchlistError, match="countries: is required"):
        parse_watchlist({"version": 1})


def test_extension_merges(watchlist: Watchlist) -> None:
    extra = {
        "actors": [
            {"id": "JNIM", "names": ["Nosrat al-Islam"]},
            {"id": "Local-Militia", "kind": "militia", "countries": ["ML"], "names": ["Milice de Test"]},
        ],
        "events": [{"type": "Battles", "sub_type": "Armed clash", "terms": ["accroch{é|és}"]}],
        "victims": {"civilian": ["orpailleuses"]},
        "casualties": {"killed": ["fauchés"]},
        "context": ["Boucle du Niger"],
        "places": {"stop": ["Bla"], "person_names": ["Dembélé"]},
    }
    merged = load_watchlist(WATCHLIST, extra)
    assert "nosrat al-islam" in _names(merged, "JNIM")
    assert _names(merged, "JNIM") >= _names(watchlist, "JNIM")
    assert merged.actor("Local-Militia").kind == "militia"
    assert ("Battles", "Armed clash") in _event_terms(merged)["accroches"]
    assert "orpailleuses" in {fold(t.text) for g in merged.victims if g.name == "civilian" for t in g.terms}
    assert "fauches" in {fold(t.text) for g in merged.casualties if g.name == "killed" for t in g.terms}
    assert "bla" in merged.places.stop and "sahel" in merged.places.stop
    assert len(merged.events) == len(watchlist.events) + 1


def test_extension_errors_name_the_config_key() -> None:
    with pytest.raises(WatchlistError, match=r"^watchlist\.extra_terms\.actors\[0\]\.kind: is required"):
        load_watchlist(WATCHLIST, {"actors": [{"id": "New-Group", "names": ["Nouveau groupe"]}]})
    with pytest.raises(WatchlistError, match=r"^watchlist\.extra_terms\.nonsense: unknown key"):
        load_watchlist(WATCHLIST, {"nonsense": 1})
