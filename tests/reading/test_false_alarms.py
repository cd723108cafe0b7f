"""Ordinary news is not an incident: speeches, dialogues, trials, analyses, sport, disease,
links to other stories (articles written for these tests, in the manner of Malian and
regional news)."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.reading.reports import Extractor, Reading
from monitor.reading.text import blank_link_lists

PUBLISHED = date(2025, 6, 3)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def read(extractor: Extractor, text: str) -> Reading:
    return extractor.read(text, PUBLISHED)


NOT_INCIDENTS = {
    "speech": (
        "Discours du président de la Transition à Bamako\n\n"
        "Dans son adresse à la nation lundi soir à Koulouba, le chef de l'État a salué le courage des "
        "forces armées maliennes qui luttent contre le terrorisme. Il a rappelé que la lutte contre les "
        "groupes armés se poursuivra jusqu'à la libération totale du territoire, de Kidal à Ménaka. "
        "« Nos soldats se battent chaque jour pour que les Maliens vivent en paix », a-t-il déclaré."
    ),
    "dialogue": (
        "Dialogue inter-Maliens : les conclusions remises au président\n\n"
        "Les participants au dialogue inter-Maliens pour la paix et la réconciliation nationale ont remis "
        "mercredi leurs recommandations à Bamako. Ils appellent à ouvrir des discussions avec les groupes "
        "armés maliens et à renforcer la présence de l'État dans les régions de Tombouctou, Gao et Mopti, "
        "frappées depuis 2012 par les violences. Les délégués de Ségou et de Sikasso ont aussi plaidé pour "
        "le retour des déplacés."
    ),
    "press freedom": (
        "Journée mondiale de la liberté de la presse : les journalistes maliens inquiets\n\n"
        "À l'occasion de la journée mondiale de la liberté de la presse, les associations de journalistes "
        "réunies à Bamako ont dénoncé les menaces et les attaques contre les médias. Plusieurs radios "
        "communautaires du centre du pays ont été suspendues ces dernières années, selon la Maison de la "
        "presse."
    ),
    "trial": (
        "Procès des auteurs présumés de l'attaque de l'hôtel Radisson\n\n"
        "Le procès de quatre accusés s'est ouvert mardi devant la cour d'assises spéciale de Bamako. "
        "L'attaque de l'hôtel, en novembre 2015, avait fait 20 morts. Les avocats de la défense ont "
        "demandé un renvoi."
    ),
    "analysis": (
        "Sahel : pourquoi les groupes jihadistes gagnent du terrain\n\n"
        "Selon plusieurs analystes, les groupes jihadistes profitent du retrait des forces étrangères et "
        "de la faiblesse des États. Les attaques se multiplient dans le Liptako-Gourma depuis plusieurs "
        "années, et les armées du Mali, du Burkina Faso et du Niger peinent à reprendre le contrôle des "
        "zones rurales."
    ),
    "sport": (
        "Football : les Aigles du Mali battent le Niger à Bamako\n\n"
        "L'attaque malienne a fait la différence en seconde période au stade du 26-Mars. L'entraîneur a "
        "salué la discipline de ses joueurs, qui affronteront le Burkina Faso en match amical à Ouagadougou."
    ),
    "disease": (
        "Méningite : 18 morts dans la région de Tillabéri\n\n"
        "L'épidémie de méningite a fait 18 morts en une semaine dans la région de Tillabéri, selon le "
        "ministère de la santé. Les autorités ont lancé une campagne de vaccination à Ayorou et Téra."
    ),
    "coup plot": (
        "Tentative de coup d'État déjouée au Burkina Faso\n\n"
        "Les autorités ont annoncé lundi l'arrestation de plusieurs officiers accusés de préparer un coup "
        "d'État contre le gouvernement de transition."
    ),
    "attack abroad": (
        "Nigeria : au moins 20 morts dans une attaque à Maiduguri\n\n"
        "Des hommes armés ont attaqué dimanche un marché de Maiduguri, dans le nord-est du Nigeria, tuant au "
        "moins 20 personnes, selon la police de l'État de Borno."
    ),
}


@pytest.mark.parametrize("genre", sorted(NOT_INCIDENTS))
def test_ordinary_news_is_not_relevant(extractor: Extractor, genre: str) -> None:
    reading = read(extractor, NOT_INCIDENTS[genre])
    assert not reading.relevant, [(r.location, r.event_type, r.evidence) for r in reading.reports]


def test_the_incident_among_them_still_alerts(extractor: Extractor) -> None:
    text = (
        "Mali : 12 soldats tués dans une attaque près de Boni\n\n"
        "Douze soldats maliens ont été tués dimanche dans une attaque contre leur poste à Boni, dans le "
        "cercle de Douentza, a annoncé l'armée."
    )
    reading = read(extractor, text)
    assert reading.relevant
    assert reading.reports[0].location is not None and reading.reports[0].location.name == "Boni"
    assert reading.reports[0].fatalities == 12


def test_links_to_other_stories_are_not_read() -> None:
    text = "Un texte. Lire aussi : Dix morts à Kano Attaque au Burkina 18 morts. Suite du texte."
    blanked = blank_link_lists(text)
    assert len(blanked) == len(text)
    assert "Kano" not in blanked and "18 morts" not in blanked
    assert blanked.startswith("Un texte.") and blanked.endswith("Suite du texte.")
    # on a page the list is a line of its own
    page = "Premier paragraphe.\nRead more: Gunmen kill 10 in Kano\nSecond paragraph."
    assert blank_link_lists(page).splitlines()[1].strip() == ""
    assert blank_link_lists(page).splitlines()[2] == "Second paragraph."


def test_a_headline_list_after_read_also_makes_no_incident(extractor: Extractor) -> None:
    text = (
        "Burkina : le gouvernement présente son budget\n\n"
        "Le ministre des finances a présenté le budget à Ouagadougou. Lire aussi : Attaque au Burkina 18 "
        "morts dans la région du Sahel Dix soldats tués à Djibo. Le budget sera voté en décembre."
    )
    assert not read(extractor, text).relevant


@pytest.mark.parametrize(
    "text",
    [
        # a commune and a town that locate the village in an apposition, and a direction
        "Quinze civils ont été tués jeudi à Dibilou, une localité située dans la commune de Pissila, "
        "au nord de Ouagadougou.",
        "Gunmen killed fifteen civilians on Thursday in Dibilou, a village in the commune of Pissila, "
        "north of Ouagadougou.",
    ],
)
def test_an_apposition_and_a_direction_only_locate_the_village(extractor: Extractor, text: str) -> None:
    reading = read(extractor, text)
    assert [r.location.name for r in reading.reports if r.location] == ["Diboulou"]


def test_attacks_told_in_general_are_no_incident(extractor: Extractor) -> None:
    text = (
        "C'est la cinquième attaque survenue dans la commune de Pissila. "
        "Le pays a été visé plusieurs fois par des attaques jihadistes."
    )
    assert not read(extractor, text).relevant


def test_one_attack_among_others_is_still_one(extractor: Extractor) -> None:
    text = "Des hommes armés ont tué 12 civils dimanche à Pissila, la cinquième attaque dans la commune."
    reading = read(extractor, text)
    assert reading.relevant and reading.reports[0].fatalities == 12


def test_what_came_before_in_the_pluperfect_is_background(extractor: Extractor) -> None:
    text = (
        "Douze détenus sont morts lundi dans leurs cellules à Fada N'Gourma. Cet épisode survient un mois "
        "après que des forces de sécurité avaient exécuté 31 hommes dans la ville de Djibo."
    )
    places = [r.location.name for r in read(extractor, text).reports if r.location]
    assert "Djibo" not in places


def test_deaths_from_disease_or_accident_are_no_toll(extractor: Extractor) -> None:
    text = "Huit personnes ont été tuées dans un accident de la route près de Kaya dimanche."
    assert not read(extractor, text).relevant
    violent = "Huit personnes ont été tuées dans une attaque près de Kaya dimanche, après un accident."
    assert read(extractor, violent).relevant


def test_a_country_is_no_start_of_a_village_name(extractor: Extractor) -> None:
    reading = read(extractor, "Manifestation contre les attaques au Burkina 18 personnes interpellées à Ouagadougou.")
    assert all(r.location is None or "18" not in r.location.name for r in reading.reports)


@pytest.mark.parametrize(
    "text",
    [
        # a newsroom, a person after a title, a club, a radio station: capitalised, no village
        "Des hommes armés ont tué 12 civils au Mali, a déclaré à BBC Mundo José Gregorio, un analyste.",
        "Au Mali, l'économiste vénézuélien Toro Hardy estime que la crise a fait 12 morts.",
        "Au Mali, des supporters ont été blessés à Real Madrid après le match.",
        "Au Mali, trois civils ont été tués près de Radio Kledu, selon Malijet.",
    ],
)
def test_a_capitalised_name_is_no_village_for_being_capitalised(extractor: Extractor, text: str) -> None:
    names = [r.location.name for r in read(extractor, text).reports if r.location]
    assert not any(word in name for name in names for word in ("BBC", "Hardy", "Real", "Radio"))


@pytest.mark.parametrize(
    "text",
    [
        # what is still to come
        "Mali : le retrait des troupes étrangères, un processus qui s'achèvera le mois prochain à Gao.",
        # attacks as what is protested or fought against
        "Des centaines de personnes ont manifesté à Kaya contre les attaques jihadistes et les enlèvements.",
        # "arrêter" is to stop, too
        "L'ONG annonce avoir arrêté ses activités à Djibo pour des raisons de sécurité.",
    ],
)
def test_what_is_to_come_fought_against_or_stopped_is_no_incident(extractor: Extractor, text: str) -> None:
    reading = read(extractor, text)
    assert not reading.relevant, [(r.location, r.event_type, r.evidence) for r in reading.reports]


def test_the_attack_told_before_goes_with_it_history_included(extractor: Extractor) -> None:
    text = (
        "L'ONG a fermé son bureau de Djibo. Le 26 avril dernier, le bureau avait été attaqué par des hommes armés. "
        "Le motif et l'identité des auteurs de l'attaque restent inconnus."
    )
    reading = read(extractor, text)
    assert not reading.relevant  # history only: the attack of April, told again
    assert all(r.historical for r in reading.reports if r.event_type)
