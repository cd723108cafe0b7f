from __future__ import annotations

from pathlib import Path

import pytest

from monitor.reading.gazetteer import Gazetteer
from monitor.reading.match import Hit, Matcher, Scan
from monitor.reading.relevance import RELEVANCE_THRESHOLD, relevance
from monitor.reading.terms import load_watchlist
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    watchlist = load_watchlist(SEEDS / "watchlist.yaml")
    gazetteer = Gazetteer.load([SEEDS / "gazetteer.csv", SEEDS / "places_extra.csv"])
    return Matcher.build(watchlist, gazetteer)


def kinds(scan: Scan, kind: str) -> list[str]:
    return [h.surface for h in scan.hits if h.kind == kind]


def keys(scan: Scan, kind: str) -> list[object]:
    return [h.key for h in scan.hits if h.kind == kind]


def places(matcher: Matcher, scan: Scan) -> dict[str, str]:
    """Surface -> resolved place id."""
    return {h.surface: matcher.place(h).id for h in scan.hits if h.kind == "place"}


# --- hits and their offsets -------------------------------------------------------------


def test_hits_carry_original_offsets(matcher: Matcher) -> None:
    text = "L’armée malienne a repoussé une attaque à Tombouctou ; 13 assaillants ont été tués."
    scan = matcher.scan(text)
    for hit in scan.hits:
        assert text[hit.start : hit.end] == hit.surface
    assert "armée malienne" in kinds(scan, "actor")
    assert {"attaque", "repoussé"} <= set(kinds(scan, "event"))
    assert kinds(scan, "victim") == ["assaillants"]
    assert keys(scan, "casualty") == ["killed"]
    assert places(matcher, scan) == {"Tombouctou": "2449067"}


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Le JNIM a revendiqué l'attaque.", "JNIM"),
        ("Le Groupe de soutien à l’islam et aux musulmans (GSIM) a frappé.", "JNIM"),
        ("Jama’at Nusrat al-Islam wal-Muslimin fighters stormed the post.", "JNIM"),
        ("Des éléments de l'EIGS ont été signalés.", "IS-Sahel"),
        ("The Islamic State Sahel Province claimed the raid.", "IS-Sahel"),
        ("Les FAMa ont riposté.", "FAMa"),
        ("Les Forces armées maliennes ont riposté.", "FAMa"),
        ("Mali’s army said it repelled the assault.", "FAMa"),
        ("Le Front de libération de l'Azawad (FLA) revendique.", "FLA"),
        ("Les Volontaires pour la défense de la patrie ont été visés.", "VDP"),
        ("Les Forces armées nigériennes ont perdu dix hommes.", "Niger-Army"),
        ("The Burkinabe army retook the town.", "Burkina-Army"),
        ("Des chasseurs dozos ont été tués.", "Dozo"),
        ("La milice Dan Na Ambassagou est accusée.", "Dan-Na-Ambassagou"),
        ("Ansarul Islam a attaqué Djibo.", "Ansarul-Islam"),
        ("La MINUSMA a quitté Kidal.", "MINUSMA"),
        ("L’opération Barkhane a pris fin.", "Barkhane"),
    ],
)
def test_actors_en_fr(matcher: Matcher, text: str, actor: str) -> None:
    assert actor in keys(matcher.scan(text), "actor")


def test_nested_terms_are_kept(matcher: Matcher) -> None:
    scan = matcher.scan("La katiba Macina a revendiqué l'embuscade près de Macina.")
    assert keys(scan, "actor") == ["Katiba-Macina"]
    # a place name inside an actor's name is the actor's: only the Macina named alone is a place
    assert [(h.surface, h.start) for h in scan.hits if h.kind == "place"] == [("Macina", 50)]
    nested = matcher.scan("Une attaque suicide a visé le camp.")
    subtypes = {h.key[1] for h in nested.hits if h.kind == "event"}
    assert {"Suicide bomb", "Armed clash"} <= subtypes


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Les jihadistes ont pris le contrôle du camp.", "overrun"),
        ("JNIM fighters overran the base.", "overrun"),
        ("Un kamikaze s'est fait exploser.", "suicide"),
        ("Trois soldats ont été pris en otage.", "hostages"),
        ("Five soldiers were taken hostage.", "hostages"),
    ],
)
def test_escalation_flags(matcher: Matcher, text: str, flag: str) -> None:
    assert any(flag in h.flags for h in matcher.scan(text).hits if h.kind == "event")


# --- word boundaries, URLs, case -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Lisez la suite sur www.mali-web.org ou https://maliweb.net/mali-attaque.html.",
        "Suivez @mali et écrivez à redaction@mali.info.",
        "Voir mali-web.org pour les détails.",
        "Voir MALI-WEB.ORG ou WWW.MALI.NET pour les détails.",  # the URL filter reads folded text
        "Voir Mali-web.ınfo pour les détails.",  # "ı" matches "i" under re.IGNORECASE, never folds to it
        "La Somalie et les Maliens de l'extérieur.",  # never inside a word
    ],
)
def test_no_place_in_urls_or_inside_words(matcher: Matcher, text: str) -> None:
    assert kinds(matcher.scan(text), "place") == []


def test_mali_in_a_url_is_not_relevant(matcher: Matcher) -> None:
    scan = matcher.scan("Three people were killed in a crash, reports www.mali-web.org/news/attack.")
    assert kinds(scan, "place") == []
    assert relevance(scan) < RELEVANCE_THRESHOLD


def test_case_sensitive_terms(matcher: Matcher) -> None:
    assert "Niger-Army" in keys(matcher.scan("Les FAN ont riposté à Tillabéri."), "actor")
    assert "Niger-Army" not in keys(matcher.scan("Un fan de football a été blessé."), "actor")


def test_actor_names_shadow_namesake_villages(matcher: Matcher) -> None:
    scan = matcher.scan("Les FAMa et le FLA se sont affrontés.")
    assert kinds(scan, "place") == []  # villages named Fama and Fla exist


# --- weak place names --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "He flew to San Francisco sans luggage, then to San Diego.",
        "Il est parti sans bagages.",
        "Il faut dire que la route est longue.",  # Diré
        "Officials say the road is closed.",  # Say (Niger)
        "Ibrahim Boubacar Keïta a été inhumé. Le président Keïta avait 76 ans.",  # Keïta (Niger)
        "Earlier in May, the talks resumed.",  # a village named May
        "The UNESCO World Heritage Site reopened.",
    ],
)
def test_words_and_names_are_not_places(matcher: Matcher, text: str) -> None:
    assert kinds(matcher.scan(text), "place") == []


def test_san_in_mali_is_found(matcher: Matcher) -> None:
    scan = matcher.scan("Des hommes armés ont attaqué un poste à San, dans la région de Ségou, tuant deux gendarmes.")
    found = places(matcher, scan)
    assert found["San"] == "2451778"
    assert matcher.gazetteer.places(found["San"]).admin1 == "Ségou"
    assert relevance(scan) >= RELEVANCE_THRESHOLD


def test_weak_name_with_admin_context(matcher: Matcher) -> None:
    assert places(matcher, matcher.scan("À Diré, des hommes armés ont enlevé trois commerçants."))["Diré"] == "2458623"
    lower = matcher.scan("attaque à san, région de ségou")  # lower-case text: the region vouches for it
    assert places(matcher, lower)["san"] == "2451778"


# --- which place ---------------------------------------------------------------------------


def test_boulikessi_resolved_with_admin_context(matcher: Matcher) -> None:
    mali = matcher.scan("Le camp de Boulikessi (Douentza, Mopti) a été attaqué dimanche.")
    assert places(matcher, mali)["Boulikessi"] == "x-boulkessi"
    burkina = matcher.scan("Le village de Boulikessi (Oudalan) a été attaqué dimanche.")
    assert matcher.gazetteer.places(places(matcher, burkina)["Boulikessi"]).country == "BF"


def test_parenthesis_names_the_region(matcher: Matcher) -> None:
    text = "Des attaques ont eu lieu entre San et Kimbala (région de Ségou), Niena et Komani (région de Sikasso)."
    found = places(matcher, matcher.scan(text))
    assert matcher.gazetteer.places(found["Niena"]).admin1 == "Sikasso"
    assert found["Kimbala"] == "x-kimbala" and found["Komani"] == "x-komani"


def test_admin_word_after_a_name(matcher: Matcher) -> None:
    found = places(matcher, matcher.scan("Violence was reported in the Kossi and Soum provinces."))
    assert {matcher.gazetteer.places(found[n]).feature_code for n in ("Kossi", "Soum")} == {"ADM2"}


@pytest.mark.parametrize("spelling", ["Tombouctou", "Timbuktu", "TOMBOUCTOU", "Tombouctou’s"])
def test_spellings_resolve_to_one_place(matcher: Matcher, spelling: str) -> None:
    scan = matcher.scan(f"Des tirs ont été entendus à {spelling} lundi.")
    assert [matcher.place(h).id for h in scan.hits if h.kind == "place"] == ["2449067"]


def test_apostrophes_and_accents(matcher: Matcher) -> None:
    for text in ("l’armée malienne", "l'armée malienne", "L'ARMEE MALIENNE", "l`armee malienne"):
        assert keys(matcher.scan(text), "actor") == ["FAMa"], text
    assert keys(matcher.scan("le Front de libération de l’Azawad"), "actor") == ["FLA"]


def test_decomposed_accents_keep_offsets(matcher: Matcher) -> None:
    text = "Attaque a\u0300 Se\u0301gou : deux soldats tue\u0301s."
    scan = matcher.scan(text)
    assert [h.surface for h in scan.hits if h.kind == "place"] == ["Se\u0301gou"]
    assert keys(scan, "casualty") == ["killed"]
    assert all(text[h.start : h.end] == h.surface for h in scan.hits)


def test_blocking_phrases(matcher: Matcher) -> None:
    assert kinds(matcher.scan("Militants attacked a pipeline in the Niger Delta."), "place") == []
    assert kinds(matcher.scan("La crue du fleuve Niger inquiète."), "place") == []


# --- ambiguous actors ------------------------------------------------------------------------


def test_wagner_needs_sahel_context(matcher: Matcher) -> None:
    moscow = matcher.scan("Wagner fighters marched towards Moscow; several people were killed, the Kremlin said.")
    assert keys(moscow, "actor") == [] and not moscow.sahel_context
    assert relevance(moscow) < RELEVANCE_THRESHOLD
    opera = matcher.scan("The festival opened with Wagner's Ring cycle.")
    assert keys(opera, "actor") == []
    mali = matcher.scan("Des mercenaires du groupe Wagner ont été tués près de Tinzaouaten.")
    assert "Africa-Corps" in keys(mali, "actor") and mali.sahel_context


# --- relevance --------------------------------------------------------------------------------

RELEVANT = [
    "Des hommes armés ont attaqué le camp militaire de Boulkessi dimanche. Le bilan fait état d'au moins 30 soldats tués.",
    "JNIM fighters overran a military base in Boulikessi, killing more than 30 soldiers, security sources said.",
    "Un engin explosif improvisé a touché un véhicule des FAMa sur l'axe Kidal-Anéfif, faisant trois morts.",
    "Gunmen killed 12 villagers in Ogossagou, in the Bankass cercle, on Friday.",
    "Au Burkina Faso, des VDP ont été tués dans une embuscade près de Djibo.",
    "Des frappes aériennes de l'armée nigérienne ont neutralisé des terroristes dans la région de Tillabéri.",
]

NOT_RELEVANT = [
    # football in Bamako
    (
        "Le Mali a battu le Sénégal 2-1 dans un match de football au stade de Bamako. L'attaquant des Aigles a marqué "
        "deux buts et le sélectionneur a salué l'attaque de son équipe devant des supporters ravis."
    ),
    "Mali beat Senegal in a football match in Bamako; the Eagles' attack was sharp and the striker scored twice.",
    # politics without violence
    (
        "Mali's junta announced that the transition would be extended and elections postponed; the government said "
        "the charter would be revised after national consultations in Bamako."
    ),
    "La junte au pouvoir au Mali a annoncé la dissolution des partis politiques et la prolongation de la transition.",
    # violence elsewhere
    "Wagner fighters marched towards Moscow; several people were killed when a helicopter was shot down.",
    "Three people were killed in a shooting in San Francisco, police said.",
    # technology news with words that are also village names
    "The new Titan Pro phone ships in beta; Adam said the game crashed on older tablets.",
]


@pytest.mark.parametrize("text", RELEVANT)
def test_incident_reports_are_relevant(matcher: Matcher, text: str) -> None:
    assert relevance(matcher.scan(text)) >= RELEVANCE_THRESHOLD


@pytest.mark.parametrize("text", NOT_RELEVANT)
def test_other_news_is_not_relevant(matcher: Matcher, text: str) -> None:
    assert relevance(matcher.scan(text)) < RELEVANCE_THRESHOLD


def test_proximity_raises_the_score(matcher: Matcher) -> None:
    same = matcher.scan("Des hommes armés ont tué cinq civils à Mopti.")
    apart = matcher.scan(
        "Mopti accueille un festival cette semaine. Les organisateurs attendent des milliers de visiteurs. "
        "Le programme a été présenté hier. Ailleurs, un accident de la route a fait cinq morts."
    )
    assert relevance(same) > relevance(apart)
    assert relevance(apart) < RELEVANCE_THRESHOLD


def test_relevance_range(matcher: Matcher) -> None:
    assert relevance(matcher.scan("")) == 0.0
    for text in RELEVANT + NOT_RELEVANT:
        assert 0.0 <= relevance(matcher.scan(text)) <= 1.0


def test_scan_groups_hits_by_sentence(matcher: Matcher) -> None:
    scan = matcher.scan("Attaque à Gao. Trois soldats tués à Kidal.")
    groups = scan.by_sentence()
    assert [h.surface for h in groups[1] if h.kind == "place"] == ["Kidal"]
    assert scan.sentence_text(1) == "Trois soldats tués à Kidal."
    first = next(h for h in scan.hits if h.surface == "Gao")
    assert isinstance(first, Hit) and scan.sentence_of(first) == 0


@pytest.mark.shared
def test_seed_reports_are_relevant(matcher: Matcher, shared_dir: Path) -> None:
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed reports beside the project")
    for path in seeds:
        scan = matcher.scan(path.read_text(encoding="utf-8"))
        assert relevance(scan) >= RELEVANCE_THRESHOLD, path.name
        assert {"JNIM", "FAMa"} & set(keys(scan, "actor")), path.name



@pytest.mark.parametrize(
    ("text", "places_found"),
    [
        ("Boko Haram fighters attacked Diffa.", ["Diffa"]),  # "Boko" (a village) inside the actor's name
        ("Les combattants de la katiba Macina ont attaqué Mopti.", ["Mopti"]),
    ],
)
def test_place_names_inside_an_actor_are_dropped(matcher: Matcher, text: str, places_found: list[str]) -> None:
    scan = matcher.scan(text)
    assert kinds(scan, "place") == places_found
    assert kinds(scan, "actor")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Des hommes armés ont attaqué la gendarmerie de Pô.", ["Pô"]),
        ("Gunmen attacked a police post in Po on Monday.", ["Po"]),
        ("Les blessés ont été évacués à Pô.", ["Pô"]),
        ("Po said the attack was repelled.", []),  # no preposition of place: a name, not the town
        ("The PO confirmed the attack in Djibo.", ["Djibo"]),  # capitals: an acronym
        ("the police went in po mode", []),  # lower case
    ],
)
def test_two_letter_places_need_a_preposition_of_place(matcher: Matcher, text: str, found: list[str]) -> None:
    assert kinds(matcher.scan(text), "place") == found


def test_two_letter_place_resolves_to_the_town(matcher: Matcher) -> None:
    (hit,) = matcher.scan("Gunmen attacked a police post in Po on Monday.").of("place")
    place = matcher.place(hit)
    assert (place.country, place.admin2) == ("BF", "Nahouri")


def test_scan_shares_its_folded_text(matcher: Matcher) -> None:
    from monitor.reading.text import fold

    text = "L’armée a repoussé l’attaque à Tombouctou."
    assert matcher.scan(text).folded == fold(text)
    assert matcher.scan("Cafe\u0301 à Gao.").folded == ""  # not NFC: offsets differ, nothing shared


def test_a_ligature_spelled_out_keeps_its_place_beside_a_namesake(tmp_path: Path) -> None:
    """"Boeuf" is how "Bœuf" is also written, and the name of another place: both are found
    there, each with its own candidates; "Bœuf" is only the first."""
    built = tmp_path / "gazetteer.csv"
    built.write_text(
        "id,name,alternate_names,feature_code,country,admin1_name,admin2_name,lat,lon,population\n"
        "x-1,Bœuf,,PPL,ML,Mopti,,14.0,-4.0,0\nx-2,Boeuf,,PPL,BF,Sahel,,13.0,-1.0,0\n",
        encoding="utf-8",
    )
    matcher = Matcher.build(load_watchlist(SEEDS / "watchlist.yaml"), Gazetteer.load([built]))
    scan = matcher.scan("Une attaque à Boeuf, puis à Bœuf.")
    assert [(h.surface, h.key) for h in scan.hits if h.kind == "place"] == [
        ("Boeuf", ("x-1",)),
        ("Boeuf", ("x-2",)),
        ("Bœuf", ("x-1",)),
    ]
