"""The extractor: one article in, relevance and reports out (sentences written for these tests)."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.models import Report
from monitor.reading.reports import Extractor, Reading, detect_language, report_to_json
from monitor.reading.text import name_key

PUBLISHED = date(2025, 6, 2)  # a Monday


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def read(extractor: Extractor, text: str, published: date = PUBLISHED, **kwargs: object) -> Reading:
    return extractor.read(text, published, **kwargs)  # type: ignore[arg-type]


def primary(extractor: Extractor, text: str, published: date = PUBLISHED) -> Report:
    reading = read(extractor, text, published)
    assert reading.reports, f"no report for {text!r}"
    return reading.reports[0]


def place_of(report: Report) -> str | None:
    return report.location.name if report.location else None


def is_at(extractor: Extractor, report: Report, name: str) -> bool:
    """The report's place bears ``name`` (any of its spellings)."""
    if report.location is None or report.location.place_id is None:
        return False
    return name_key(name) in {name_key(n) for n in extractor.gazetteer.places(report.location.place_id).names}


# --- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Des hommes armés ont attaqué le poste de Boni, selon une source sécuritaire.",
            "fr",
        ),
        (
            "Gunmen attacked the army post in Boni on Sunday, a security source said.",
            "en",
        ),
        ("Boni.", None),
    ],
)
def test_language_is_guessed_from_stop_words(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_given_language_is_kept(extractor: Extractor) -> None:
    assert read(extractor, "Gunmen attacked the post in Boni.", lang="fr").language == "fr"


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "day", "precision"),
    [
        (
            "On 3 June 2019, gunmen attacked the gendarmerie in Djibo, killing two gendarmes.",
            date(2019, 6, 5),
            date(2019, 6, 3),
            "day",
        ),
        (
            "On June 1, JNIM fighters attacked an army post in Boni.",
            PUBLISHED,
            date(2025, 6, 1),
            "day",
        ),
        (
            "Le 1er juin, des jihadistes ont attaqué le poste militaire de Boni.",
            PUBLISHED,
            date(2025, 6, 1),
            "day",
        ),
        (
            "Gunmen attacked a military post in Djibo yesterday, killing 12 soldiers.",
            PUBLISHED,
            date(2025, 6, 1),
            "day",
        ),
        (
            "Militants ambushed an army patrol near Gao on Sunday.",
            PUBLISHED,
            date(2025, 6, 1),
            "day",
        ),
        (
            "Des hommes armés ont tué cinq civils hier à Bankass.",
            PUBLISHED,
            date(2025, 6, 1),
            "day",
        ),
        (
            "Dans la nuit de samedi à dimanche, le camp de Sévaré a été attaqué.",
            PUBLISHED,
            date(2025, 5, 31),
            "day",
        ),
        (
            "Earlier in May, JNIM fighters attacked the army camp in Dioura.",
            PUBLISHED,
            date(2025, 5, 1),
            "month",
        ),
    ],
)
def test_explicit_and_relative_dates(
    extractor: Extractor, text: str, published: date, day: date, precision: str
) -> None:
    report = primary(extractor, text, published)
    assert (report.event_date, report.date_precision) == (day, precision)


def test_undated_report_takes_publication_with_unknown_precision(
    extractor: Extractor,
) -> None:
    report = primary(extractor, "Gunmen attacked the gendarmerie in Djibo, killing two gendarmes.")
    assert (report.event_date, report.date_precision) == (PUBLISHED, "unknown")


def test_next_morning_follows_the_previous_incident(extractor: Extractor) -> None:
    text = (
        "On Saturday, militants attacked an army checkpoint in Gao, killing four soldiers. "
        "The next morning, the same group ambushed a military convoy in Ménaka."
    )
    dated = {place_of(r): r.event_date for r in read(extractor, text).reports}
    assert dated["Gao"] == date(2025, 5, 31)
    assert dated["Ménaka"] == date(2025, 6, 1)


def test_la_veille_precedes_the_previous_incident(extractor: Extractor) -> None:
    text = (
        "Le 2 juin, l'armée a repoussé une attaque contre son camp de Gao. "
        "La veille, des hommes armés avaient attaqué le poste militaire de Ménaka."
    )
    dated = {place_of(r): r.event_date for r in read(extractor, text).reports}
    assert dated == {"Gao": date(2025, 6, 2), "Ménaka": date(2025, 6, 1)}


def test_undated_incident_takes_the_date_the_article_gave_before_it(
    extractor: Extractor,
) -> None:
    text = (
        "On Sunday, June 1, attacks were reported across central Mali. "
        "Meanwhile, the army confirmed an attack on its post in Boni."
    )
    report = primary(extractor, text)
    assert (place_of(report), report.event_date) == ("Boni", date(2025, 6, 1))


# --- the incident's own place --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "relevant"),
    [
        # the peoples of the watched countries' conflicts say where a toll was told
        ("Mossi farmers and Fula herders fought over a field; three were killed.", True),
        ("Des affrontements entre Djermas et Touaregs ont fait deux morts dimanche.", True),
        ("Tuareg rebels killed four soldiers in an ambush on Sunday.", True),
        # ... but not a toll told abroad, nor a people named without violence
        ("Tuareg smugglers killed two guards in southern Libya on Sunday.", False),
        ("A Dogon mask festival drew thousands of visitors on Sunday.", False),
    ],
)
def test_a_people_of_the_region_names_where_a_toll_was_told(extractor: Extractor, text: str, relevant: bool) -> None:
    assert read(extractor, text).relevant is relevant


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed nine herders in the village of Kofogou.",
        "On Sunday, armed men attacked the hamlet of Zorbantiga and wounded two traders.",
        "Dimanche, des individus armés ont enlevé deux enseignants dans le village de Zorbantiga.",
        "Unknown attackers opened fire on the gendarmerie in Zorbantiga on Sunday; the gendarmes fought back.",
    ],
)
def test_violence_in_a_village_nobody_knows_and_nothing_places_abroad_is_relevant(
    extractor: Extractor, text: str
) -> None:
    reading = read(extractor, text)
    assert reading.relevant
    assert reading.reports[0].location is not None and reading.reports[0].location.country is None


@pytest.mark.parametrize(
    "text",
    [
        # a place abroad anywhere in the article says where such a story is from
        "Gunmen killed nine herders in the village of Kofogou. The governor of Zamfara condemned the attack.",
        # a people or a person named like a village, with no violence done in it
        "The minor injuries unit in Zorbantiga is open again, the hospital said.",
        "Residents of the village of Zorbantiga voted on Sunday.",
    ],
)
def test_an_unknown_village_is_no_incident_of_ours_without_violence_or_with_a_place_abroad(
    extractor: Extractor, text: str
) -> None:
    assert not read(extractor, text).relevant


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Jihadists attacked the army camp in Boulkessi, near the Burkina Faso border.",
            "Boulkessi",
        ),
        (
            "Gunmen killed five villagers in Ogossagou, in the Mopti region.",
            "Ogossagou",
        ),
        ("Militants attacked a convoy in Ansongo, 90 km from Gao.", "Ansongo"),
        ("On 1 June, gunmen killed three herders near Djibo (Soum, Sahel).", "Djibo"),
        ("An IED hit an army convoy on the Gao-Ansongo road.", "Gao"),
        ("Clashes broke out between Douentza and Boni on Sunday.", "Douentza"),
        (
            "Des hommes armés ont tué trois civils à Diafarabé, dans le cercle de Ténenkou.",
            "Diafarabé",
        ),
        (
            "Russian forces stationed in Gao were not involved when militants attacked Ansongo.",
            "Ansongo",
        ),
        (
            "Gunmen attacked a police post in San, in the Ségou region, killing two policemen.",
            "San",
        ),
        # a wire's dateline is where it filed the story
        (
            "Bamako (AFP) - Au moins vingt civils ont été tués dimanche dans l'attaque du village de Dioura.",
            "Dioura",
        ),
        ("NIAMEY, June 3 (Reuters) - Gunmen killed 12 soldiers near Tillabéri on Sunday.", "Tillabéri"),
        ("APA-Bamako (Mali) Des hommes armés ont tué trois civils à Diafarabé dimanche.", "Diafarabé"),
        # ... and the place when it is the only one
        ("Bamako (AFP) - Une explosion a tué deux passants dimanche.", "Bamako"),
        # a people is no village, though GeoNames names villages after them
        ("On Sunday, 32 civilians from the Mossi and Foulse communities were killed in Aribinda.", "Aribinda"),
        ("Dimanche, trente-deux civils des communautés mossi et foulsé ont été tués à Aribinda.", "Aribinda"),
        ("Bissa farmers and Fula herders fought over a field near Zabré; seven were killed.", "Zabré"),
    ],
)
def test_place_is_where_the_incident_happened_not_context(extractor: Extractor, text: str, place: str) -> None:
    assert is_at(extractor, primary(extractor, text), place)
    if "Mossi" in text or "mossi" in text:  # and the victims between their noun and verb are counted
        assert primary(extractor, text).fatalities == 32


@pytest.mark.parametrize(
    "text",
    [
        # victims or perpetrators named by a watched nation, the village unknown or unnamed
        "Gunmen killed nine Nigerien herders in the village of Kofogou.",
        "Two Burkinabe state officers were kidnapped by gunmen.",
        "A Malian police officer shot and wounded an imam in the village of Kofogou.",
        "Des hommes armés ont tué trois commerçants maliens dans le village de Kofogou.",
        "Des hommes armés ont enlevé deux fonctionnaires burkinabè.",
        # a village of a watched country where armed people attacked someone: the victim word suffices
        "On Sunday, unknown gunmen attacked worshippers at the mosque in Gorgadji.",
        "Dimanche, des hommes armés ont attaqué des fidèles à la mosquée de Gorgadji.",
        # ... or a harm word without a count, or an explosion, which is violence enough
        "On Sunday, members of two communities clashed in Gorgadji. Three Fulani were reportedly killed.",
        "Dimanche, deux communautés se sont affrontées à Gorgadji. Trois Peuls auraient été tués.",
        "On Sunday, an IED exploded near Gorgadji.",
        "Dimanche, un engin explosif improvisé a explosé près de Gorgadji.",
        "Des hommes armés ont tué trois villageois dimanche près d'Ouri.",
        # every report is looked at, not only the first
        (
            "Sassé residents said gunmen killed three villagers and wounded four on Sunday. "
            "Gunmen also killed five herders in Kan on Monday."
        ),
        # Niger's rebel movements and the forces of Niger and Burkina Faso are named actors
        "MNJ rebels ambushed an army convoy, killing four soldiers.",
        "Burkinabe forces clashed with militants, killing six of them.",
        "Des militaires nigériens ont accroché des assaillants, en tuant cinq.",
    ],
)
def test_placed_or_attributed_violence_is_relevant(extractor: Extractor, text: str) -> None:
    assert read(extractor, text).relevant


@pytest.mark.parametrize(
    ("text", "relevant"),
    [
        # a village the news rarely names (no anchor of the score), so only the rule decides
        ("Angry students demonstrated in Polesgo and stoned a bus on Monday; two passengers were wounded.", True),
        ("Des élèves ont manifesté à Polesgo lundi et caillassé un bus, blessant deux passagers.", True),
        # a riot that harmed nobody, and a protest, are no incident of ours
        ("Angry students demonstrated in Polesgo and stoned a bus on Monday.", False),
        ("Hundreds of residents demonstrated peacefully in Polesgo on Monday; two were wounded when a wall fell.", False),
    ],
)
def test_a_riot_that_killed_or_wounded_is_relevant(extractor: Extractor, text: str, relevant: bool) -> None:
    reading = read(extractor, text)
    assert reading.reports and reading.reports[0].event_type in ("Riots", "Protests")
    assert reading.relevant is relevant


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed nine herders in the Nigerian village of Kofogou.",  # another nation's village
        "Twelve Malian migrants were killed by smugglers in Libya.",  # abroad
        "Des migrants maliens ont été tués par des passeurs en Algérie.",
        "Malian students protested in the capital.",  # no violence
    ],
)
def test_a_nation_named_without_violence_here_is_not_relevant(extractor: Extractor, text: str) -> None:
    assert not read(extractor, text).relevant


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Gunmen killed a trader in the Tanghin quarter of Ouagadougou.", "Ouagadougou"),
        ("Gunmen killed a trader in the Sikasso-Sira neighbourhood of Bobo-Dioulasso.", "Bobo-Dioulasso"),
        ("Gunmen killed two traders in Tanghin, a neighbourhood in the north of Ouagadougou.", "Ouagadougou"),
        ("Des hommes armés ont tué un commerçant dans le quartier Tanghin de Ouagadougou.", "Ouagadougou"),
        ("Des hommes armés ont tué un commerçant dans le secteur Tanghin de Kaya.", "Kaya"),
        ("Des hommes armés ont tué un commerçant à Tanghin, un quartier au nord de Ouagadougou.", "Ouagadougou"),
        # a distance, a road, an axis: when nothing better is named, the place referred to
        ("Gunmen killed three civilians 30 km from Djibo.", "Djibo"),
        ("Des hommes armés ont tué trois civils à 30 km de Djibo.", "Djibo"),
        ("Gunmen killed three civilians on the road to Djibo.", "Djibo"),
        ("Des hommes armés ont tué trois civils sur l'axe Djibo-Arbinda.", "Djibo"),
    ],
)
def test_a_quarter_or_a_distance_places_the_incident_in_the_town(extractor: Extractor, text: str, place: str) -> None:
    assert is_at(extractor, primary(extractor, text), place)


def test_every_spelling_of_a_place_is_one_incident(extractor: Extractor) -> None:
    text = (
        "Jihadists attacked the army camp in Timbuktu on Monday. "
        "L'armée affirme avoir repoussé l'attaque de Tombouctou et neutralisé 13 assaillants."
    )
    reports = read(extractor, text).reports
    assert [place_of(r) for r in reports] == ["Timbuktu"]
    assert reports[0].fatalities == 13


def test_sentence_without_a_place_continues_the_incident_in_focus(
    extractor: Extractor,
) -> None:
    text = "Militants stormed the army base in Boulkessi on Sunday. At least 30 soldiers were killed in the assault."
    report = primary(extractor, text)
    assert place_of(report) == "Boulkessi"
    assert report.fatalities == 30


# --- event types (ACLED) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "event_type", "sub_type"),
    [
        (
            "Soldiers clashed with JNIM fighters near Niono; four soldiers were killed.",
            "Battles",
            "Armed clash",
        ),
        (
            "Les FAMa ont repoussé une attaque terroriste contre le camp de Sévaré.",
            "Battles",
            "Armed clash",
        ),
        (
            "Gunmen attacked the gendarmerie in Djibo, killing two gendarmes.",
            "Battles",
            "Armed clash",
        ),
        (
            "An improvised explosive device struck an army convoy near Boni, killing three soldiers.",
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
        ),
        (
            "A car bomb exploded at the gate of the army camp in Gao, followed by a firefight.",
            "Battles",
            "Armed clash",
        ),
        (
            "A suicide bomber blew himself up at the market in Mopti.",
            "Explosions/Remote violence",
            "Suicide bomb",
        ),
        (
            "A drone strike hit a gathering in Douentza.",
            "Explosions/Remote violence",
            "Air/drone strike",
        ),
        (
            "Gunmen killed 12 villagers in Bankass.",
            "Violence against civilians",
            "Attack",
        ),
        (
            "Armed men abducted a village chief near Mopti.",
            "Violence against civilians",
            "Abduction/forced disappearance",
        ),
        (
            "JNIM fighters overran the military base in Boulkessi.",
            "Battles",
            "Armed clash",
        ),
        (
            "JNIM fighters took control of the town of Léré.",
            "Battles",
            "Non-state actor overtakes territory",
        ),
        ("The army regained the town of Kidal after two days of fighting.", "Battles", "Government regains territory"),
        (
            "The Malian army retook the town of Kidal.",
            "Battles",
            "Government regains territory",
        ),
        (
            "Hundreds of residents demonstrated in Ségou against power cuts.",
            "Protests",
            "Peaceful protest",
        ),
        ("Rioters burned the town hall in Kati.", "Riots", "Violent demonstration"),
        # a fight of crowds with no armed side is a riot; with one, or between communities, a battle
        ("Students clashed with the police at the university in Kati; five were wounded.", "Riots", "Violent demonstration"),
        ("Des partisans de deux candidats se sont affrontés à Kati, faisant trois blessés.", "Riots", "Violent demonstration"),
        ("Students clashed with militants who stormed the school in Kati; five were wounded.", "Battles", "Armed clash"),
        ("Herders and farmers clashed near Kati; five were wounded.", "Battles", "Armed clash"),
        # people held or fleeing are unarmed, whoever holds or drives them
        ("Soldiers executed twenty prisoners near Djibo on Sunday.", "Violence against civilians", "Attack"),
        ("Des gendarmes ont torturé des détenus à Djibo dimanche.", "Violence against civilians", "Attack"),
        ("Soldiers entered the refugee camp near Djibo and assaulted the refugees.", "Violence against civilians", "Attack"),
        # a participle with its agent is passive: the agent did it ("executed by soldiers")
        ("The bodies of nine men executed by soldiers were found near Djibo.", "Violence against civilians", "Attack"),
        ("Two herders abducted by gunmen near Djibo were freed on Sunday.", "Violence against civilians", "Abduction/forced disappearance"),
        ("Trois bergers enlevés par des hommes armés près de Djibo ont été libérés.", "Violence against civilians", "Abduction/forced disappearance"),
        ("Four soldiers killed by militants near Djibo were buried on Sunday.", "Battles", "Armed clash"),
        # a demonstration that turns violent, sets fire, stones or storms is a riot
        ("Students protested in Kati and set fire to the police station on Monday.", "Riots", "Violent demonstration"),
        ("A demonstration over power cuts turned violent in Kati on Monday.", "Riots", "Violent demonstration"),
        ("Protesters in Kati stoned the convoy of the governor on Monday.", "Riots", "Violent demonstration"),
        ("Des manifestants ont jeté des pierres sur les policiers à Kati lundi.", "Riots", "Violent demonstration"),
        ("Hundreds of residents demonstrated peacefully in Kati; police fired tear gas.", "Protests", "Protest with intervention"),
        (
            "Des hommes armés ont incendié des greniers à Bankass.",
            "Strategic developments",
            "Looting/property destruction",
        ),
        # vocabulary of incident notes: streets and marches, mutinies, robbery, beatings, surrenders
        ("Hundreds of pupils took to the streets of Ségou on Monday.", "Protests", "Peaceful protest"),
        ("Des centaines d'élèves sont descendus dans la rue à Ségou lundi.", "Protests", "Peaceful protest"),
        ("Mutinying soldiers roamed the streets of Kati overnight.", "Riots", "Violent demonstration"),
        ("An angry mob beat a suspected thief in Kati.", "Riots", "Mob violence"),
        ("Gunmen pillaged shops and robbed traders in Bankass.", "Strategic developments", "Looting/property destruction"),
        ("Des hommes armés ont dépouillé des commerçants à Bankass.", "Strategic developments", "Looting/property destruction"),
        ("A herder was beaten by soldiers in Bankass.", "Violence against civilians", "Attack"),
        # looting with violence against the people robbed is an attack on them; against
        # their village or goods alone it stays property destruction
        ("Gunmen assaulted the passengers of a bus near Bankass and took their money.", "Violence against civilians", "Attack"),
        ("Des hommes armés ont agressé des passagers près de Bankass et pillé le car.", "Violence against civilians", "Attack"),
        ("Militants attacked the village of Dinangourou and burned the granaries.", "Strategic developments", "Looting/property destruction"),
        ("Militants attacked and burned the school in Dinangourou.", "Strategic developments", "Looting/property destruction"),
        ("Soldiers tortured three herders in a camp near Bankass.", "Violence against civilians", "Attack"),
        ("Des villageois ont été torturés par des hommes armés près de Bankass.", "Violence against civilians", "Attack"),
        # only the state arrests: an armed group that holds people abducts them
        ("Suspected ISGS militants detained twelve men in a village near Ménaka.", "Violence against civilians", "Abduction/forced disappearance"),
        ("Des jihadistes ont interpellé des commerçants près de Ménaka.", "Violence against civilians", "Abduction/forced disappearance"),
        ("The army arrested a JNIM commander near Ménaka.", "Strategic developments", "Arrests"),
        ("Three JNIM militants were arrested by the gendarmerie in Ménaka.", "Strategic developments", "Arrests"),
        # the people named before a passive verb are the ones held; nobody said who held them
        ("Two suspected jihadists were arrested on Sunday in Mopti, a security source said.", "Strategic developments", "Arrests"),
        ("Deux présumés terroristes ont été interpellés dimanche à Mopti.", "Strategic developments", "Arrests"),
        ("Malian authorities arrested three suspected JNIM members in Ségou.", "Strategic developments", "Arrests"),
        ("Wagner fighters and Malian soldiers detained dozens of men in Ménaka.", "Strategic developments", "Arrests"),
        ("Militants exchanges gunfire with a police patrol near Bankass.", "Battles", "Armed clash"),
        # an attack on a post the forces hold is a battle, whoever was hurt in the crossfire
        ("Gunmen attacked the police station in Djibo; two passers-by were wounded.", "Battles", "Armed clash"),
        ("Des hommes armés ont attaqué la brigade de gendarmerie de Djibo, blessant trois civils.", "Battles", "Armed clash"),
        ("Militants attacked a ranger station near Djibo, killing the cook.", "Battles", "Armed clash"),
        # violence between communities is a fight between their armed men
        ("On Sunday, intercommunal violence between herders and farmers left four dead near Djibo.", "Battles", "Armed clash"),
        ("Des violences intercommunautaires ont fait trois morts dimanche près de Djibo.", "Battles", "Armed clash"),
        ("Two men were wounded in ethnic violence in Djibo on Sunday.", "Battles", "Armed clash"),
        # a post nobody held when it was attacked: what was hit is property
        ("Militants attacked the police station in Djibo while it was unmanned and burned it.", "Strategic developments", "Looting/property destruction"),
        ("Des hommes armés ont attaqué la gendarmerie de Djibo, désertée depuis un mois.", "Strategic developments", "Looting/property destruction"),
        ("Militants attacked the unmanned police station in Djibo, wounding a passer-by.", "Battles", "Armed clash"),
        # forces among the dead or wounded fought: a battle, whoever else was killed
        ("Militants attacked the village of Dinangourou, killing three volunteers and eight villagers.", "Battles", "Armed clash"),
        ("Des hommes armés ont attaqué un car près de Djibo, tuant deux passagers et un gendarme.", "Battles", "Armed clash"),
        ("Gunmen killed eight villagers and wounded two women near Djibo.", "Violence against civilians", "Attack"),
        # ... but not one on civilians near it, nor on a health post
        ("Gunmen attacked the village near the army post and killed five civilians.", "Violence against civilians", "Attack"),
        ("Des hommes armés ont attaqué le poste de santé de Djibo, tuant un infirmier.", "Violence against civilians", "Attack"),
        ("Militants set off explosives under a bridge near Boni.", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Forty fighters surrendered to the army in Ménaka.", "Strategic developments", "Agreement"),
        # measures and movements without a fight told: news in their own right
        ("On Monday, the army launched a military operation around Djibo.", "Strategic developments", "Change to group/activity"),
        ("Lundi, l'armée a lancé une opération de ratissage autour de Djibo.", "Strategic developments", "Change to group/activity"),
        ("Militants were recruiting young men in villages near Djibo.", "Strategic developments", "Change to group/activity"),
        ("Militants gave the people of Djibo a 72-hour ultimatum to leave.", "Strategic developments", "Other"),
        ("The governor imposed a ban on motorbikes in the Djibo area.", "Strategic developments", "Other"),
        ("Le gouverneur a décrété l'interdiction de circulation des motos à Djibo.", "Strategic developments", "Other"),
        ("Les terroristes ont lancé un ultimatum aux habitants de Djibo.", "Strategic developments", "Other"),
        # ... but an operation that killed is a battle
        ("The army carried out an operation near Djibo, killing three militants.", "Battles", "Armed clash"),
        ("Une quarantaine de combattants ont déposé les armes à Ménaka.", "Strategic developments", "Agreement"),
        ("Police discovered an arms cache on the outskirts of Gao.", "Strategic developments", "Disrupted weapons use"),
        ("Teachers staged a peaceful march in Ségou on Monday.", "Protests", "Peaceful protest"),
        ("Des enseignants ont marché dans les rues de Ségou lundi.", "Protests", "Peaceful protest"),
        ("Suspected militants beheaded a herder near Bankass.", "Violence against civilians", "Attack"),
        ("Des hommes armés ont décapité un berger près de Bankass.", "Violence against civilians", "Attack"),
        (
            "On Friday an army patrol found and dismantled an IED on the road out of Djibo.",
            "Strategic developments",
            "Disrupted weapons use",
        ),
        (
            "Vendredi, des soldats ont découvert un engin explosif improvisé près de Bankass.",
            "Strategic developments",
            "Disrupted weapons use",
        ),
    ],
)
def test_event_types(extractor: Extractor, text: str, event_type: str, sub_type: str) -> None:
    report = primary(extractor, text)
    assert (report.event_type, report.sub_event_type) == (event_type, sub_type)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("JNIM fighters overran the military base in Boulkessi.", "overrun"),
        ("JNIM fighters took control of the town of Léré.", "territory"),
        ("A suicide bomber blew himself up at the army post in Boni.", "suicide"),
        ("A car bomb exploded near the military camp in Gao.", "vbied"),
        (
            "Militants took ten soldiers hostage after attacking the post in Boni.",
            "hostages",
        ),
        ("Des jihadistes ont pris en otage quatre militaires à Boni.", "hostages"),
    ],
)
def test_flags(extractor: Extractor, text: str, flag: str) -> None:
    assert flag in primary(extractor, text).flags


def test_protests_are_not_relevant(extractor: Extractor) -> None:
    reading = read(
        extractor,
        "Hundreds of residents demonstrated peacefully in Ségou against power cuts.",
    )
    assert not reading.relevant


# --- actors and claims ----------------------------------------------------------------------------


def test_both_sides_are_actors(extractor: Extractor) -> None:
    actors = primary(extractor, "JNIM fighters attacked a FAMa post in Boni, killing 5 soldiers.").actors
    assert {"JNIM", "FAMa"} <= set(actors)


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Gunmen attacked an army post in Boni, killing 5 soldiers.", "FAMa"),
        ("Gunmen attacked an army post in Djibo, killing 5 soldiers.", "Burkina-Army"),
    ],
)
def test_soldiers_at_a_place_are_its_country_army(extractor: Extractor, text: str, state: str) -> None:
    assert state in primary(extractor, text).actors


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        (
            "JNIM claimed responsibility for the attack on the army post in Boni.",
            ("JNIM",),
        ),
        (
            "L'attaque du poste militaire de Boni a été revendiquée par le JNIM.",
            ("JNIM",),
        ),
        (
            "The Islamic State Sahel Province claimed the ambush near Ménaka.",
            ("IS-Sahel",),
        ),
        ("No group has claimed responsibility for the attack on the post in Boni.", ()),
        ("L'attaque de Boni n'a pas été revendiquée.", ()),
    ],
)
def test_claims(extractor: Extractor, text: str, claimed: tuple[str, ...]) -> None:
    assert primary(extractor, text).claimed_by == claimed


@pytest.mark.parametrize(
    ("text", "lang", "actors"),
    [
        ("Al-Qaeda-linked JNIM fighters overran the army post in Hombori on Sunday.", "en", ["JNIM"]),
        ("JNIM, al-Qaeda's affiliate in the region, attacked the army post in Hombori on Sunday.", "en", ["JNIM"]),
        ("An al-Qaeda-affiliated group, JNIM, attacked the army post in Hombori on Sunday.", "en", ["JNIM"]),
        ("Katiba Macina, linked to al-Qaeda, attacked the army post in Hombori on Sunday.", "en", ["Katiba-Macina"]),
        ("Le JNIM, affilié à al-Qaïda, a attaqué dimanche le poste militaire de Hombori.", "fr", ["JNIM"]),
        ("Dimanche, des hommes armés liés à al-Qaïda ont attaqué le poste de Hombori, au Mali.", "fr", ["JNIM"]),
        ("On Sunday, gunmen linked to al-Qaeda attacked the army post in Hombori, Mali.", "en", ["JNIM"]),
        ("Al-Qaeda in the Islamic Maghreb attacked the army post in Hombori on Sunday.", "en", ["AQIM"]),
    ],
)
def test_al_qaeda_as_an_allegiance_is_not_aqim(extractor: Extractor, text: str, lang: str, actors: list[str]) -> None:
    """The bare name of al-Qaeda says whom a group answers to; only AQIM's own names name AQIM."""
    report = read(extractor, text, lang=lang).reports[0]
    armed = [a for a in report.actors if a not in ("FAMa",)]
    assert armed == actors


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "An IED hit an army convoy near Kidal on Sunday. Roads have been exposed since the withdrawal of "
            "MINUSMA peacekeepers.",
            "en",
        ),
        (
            "Un engin explosif a touché un convoi militaire près de Kidal dimanche. Les routes sont exposées "
            "depuis le retrait de la MINUSMA.",
            "fr",
        ),
    ],
)
def test_forces_named_as_gone_are_no_side(extractor: Extractor, text: str, lang: str) -> None:
    assert "MINUSMA" not in read(extractor, text, lang=lang).reports[0].actors


# --- figures and the toll ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "group", "low", "high", "qualifier", "fatalities"),
    [
        (
            "More than 30 soldiers were killed in the attack on Boni.",
            "killed",
            "military",
            31,
            None,
            "more_than",
            31,
        ),
        (
            "At least 30 soldiers were killed in the attack on Boni.",
            "killed",
            "military",
            30,
            None,
            "at_least",
            30,
        ),
        (
            "About 30 soldiers were killed in the attack on Boni.",
            "killed",
            "military",
            30,
            30,
            "about",
            30,
        ),
        (
            "Une trentaine de soldats ont été tués lors de l'attaque de Boni.",
            "killed",
            "military",
            25,
            35,
            "about",
            30,
        ),
        (
            "The army said thirteen assailants were killed in Timbuktu.",
            "killed",
            "assailants",
            13,
            13,
            "exact",
            13,
        ),
        (
            "The army said 13 or 14 assailants were killed in Timbuktu.",
            "killed",
            "assailants",
            13,
            14,
            "range",
            13,
        ),
        (
            "Dozens of civilians were killed in the attack on Ogossagou.",
            "killed",
            "civilian",
            12,
            None,
            "vague",
            12,
        ),
        (
            "Militants abducted 7 traders near Djibo.",
            "abducted",
            "civilian",
            7,
            7,
            "exact",
            0,
        ),
        (
            "L'armée a interpellé 31 suspects à Tombouctou.",
            "arrested",
            "assailants",
            31,
            31,
            "exact",
            0,
        ),
    ],
)
def test_figures(
    extractor: Extractor,
    text: str,
    kind: str,
    group: str,
    low: int,
    high: int | None,
    qualifier: str,
    fatalities: int,
) -> None:
    report = primary(extractor, text)
    figure = report.figures[0]
    assert (figure.kind, figure.group, figure.low, figure.high, figure.qualifier) == (
        kind,
        group,
        low,
        high,
        qualifier,
    )
    assert report.fatalities == fatalities


def test_toll_sums_groups_and_keeps_each_claim_once(extractor: Extractor) -> None:
    text = (
        "The army said it killed 14 assailants and arrested 31 suspected terrorists in Timbuktu. "
        "Two soldiers were killed. In all, 14 attackers were neutralised and 31 arrested."
    )
    report = primary(extractor, text)
    assert report.fatalities == 16
    arrested = [f for f in report.figures if f.kind == "arrested"]
    assert len(arrested) == 1 and arrested[0].low == 31


@pytest.mark.parametrize(
    "text",
    [
        "Suspected militants assassinated a village chief in Djibo on Sunday.",
        "Gunmen shot dead a mechanic at his workshop in Djibo on Sunday.",
        "Armed men killed the brother of the mayor in Djibo on Sunday.",
        "The young man was shot and killed by gunmen in Djibo on Sunday.",
        "Un enseignant a été assassiné par des hommes armés à Djibo dimanche.",
        "Des hommes armés ont abattu un commerçant à Djibo dimanche.",
    ],
)
def test_a_single_named_victim_counts_one(extractor: Extractor, text: str) -> None:
    assert primary(extractor, text).fatalities == 1


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("On Sunday, soldiers summarily executed seven herders near Djibo.", 7),
        ("Des militaires ont exécuté quatre bergers près de Djibo dimanche.", 4),
    ],
)
def test_an_event_verb_counts_its_victims(extractor: Extractor, text: str, killed: int) -> None:
    """ "executed seven herders": the count comes with an event word, not a casualty word."""
    assert primary(extractor, text).fatalities == killed


# --- several incidents in one article, most prominent first ---------------------------------------------


def test_article_splits_into_incidents_ordered_by_prominence(
    extractor: Extractor,
) -> None:
    text = (
        "Jihadists attack Malian army camp in Timbuktu\n"
        "Jihadists attacked the army camp in Timbuktu on Monday. A car bomb exploded near the camp and heavy gunfire "
        "followed for hours. The army said it killed 13 assailants and arrested 31 suspects. "
        "Residents said the attackers wore military uniforms. "
        "Separately, an IED struck a military convoy on the Kidal-Anéfis road, the group said."
    )
    reports = read(extractor, text).reports
    assert [place_of(r) for r in reports] == ["Timbuktu", "Kidal"]
    assert reports[0].prominence > reports[1].prominence
    assert reports[1].event_type == "Explosions/Remote violence"
    assert reports[0].fatalities == 13 and reports[1].fatalities == 0


def test_title_names_the_main_incident(extractor: Extractor) -> None:
    body = (
        "Gunmen attacked a police post in Djibo on Sunday, killing two policemen. "
        "On Saturday, jihadists had attacked the army camp in Boni, killing 12 soldiers and wounding 20."
    )
    assert place_of(read(extractor, body, title="Two policemen killed in Djibo").reports[0]) == "Djibo"


@pytest.mark.parametrize(
    ("title", "body", "lang"),
    [
        (
            "Eight herders killed near Bandiagara",
            "Gunmen killed eight herders in Sangha on Sunday. The attackers left on motorbikes.",
            "en",
        ),
        (
            "Huit bergers tués près de Bandiagara",
            "Des hommes armés ont tué huit bergers dimanche à Sangha. Les assaillants ont fui à moto.",
            "fr",
        ),
        (
            "Attack in Sangha near Bandiagara",
            "Gunmen killed eight herders in Sangha on Sunday. The attackers left on motorbikes.",
            "en",
        ),
    ],
)
def test_a_title_near_a_town_is_the_body_incident(extractor: Extractor, title: str, body: str, lang: str) -> None:
    """ "Near Bandiagara" in a title is a landmark for the place the body names, not a second incident."""
    reports = read(extractor, body, title=title, lang=lang).reports
    assert [place_of(r) for r in reports] == ["Sanga"]
    assert reports[0].fatalities == 8 and reports[0].date_precision == "day"


def test_a_title_near_a_town_joins_the_incident_near_it(extractor: Extractor) -> None:
    body = (
        "An IED killed three soldiers near Boni on Saturday. "
        "On Sunday, gunmen killed eight herders in Sangha."
    )
    reports = read(extractor, body, title="Eight herders killed near Bandiagara").reports
    assert {place_of(r): r.fatalities for r in reports} == {"Sanga": 8, "Boni": 3}


def test_a_title_near_a_town_is_the_place_when_the_body_names_none(extractor: Extractor) -> None:
    reports = read(extractor, "Gunmen killed eight herders on Sunday.", title="Eight herders killed near Bandiagara").reports
    assert [place_of(r) for r in reports] == ["Bandiagara"]


# --- one sentence, several incidents ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "places"),
    [
        (
            "More attacks were reported on Saturday. Incidents were recorded between Niono and Diabaly "
            "(Ségou region), Boni and Hombori (Mopti region), and Kati and Kolokani (Koulikoro region).",
            "en",
            ["Niono", "Boni", "Kati"],
        ),
        (
            "De nouvelles attaques ont été signalées samedi. Des incidents ont été enregistrés entre Niono "
            "et Diabaly, et entre Boni et Hombori.",
            "fr",
            ["Niono", "Boni"],
        ),
        (
            "More attacks were reported on Saturday, on the Niono–Diabaly and Boni-Hombori roads.",
            "en",
            ["Niono", "Boni"],
        ),
        ("JNIM attacked army posts in Boni, Hombori and Douentza on Saturday.", "en", ["Boni", "Hombori", "Douentza"]),
        ("Samedi, le JNIM a attaqué les postes militaires de Boni, Hombori et Douentza.", "fr", ["Boni", "Hombori", "Douentza"]),
        ("Samedi, des jihadistes ont attaqué les postes militaires de Boni et de Hombori.", "fr", ["Boni", "Hombori"]),
    ],
)
def test_a_list_of_places_is_a_list_of_incidents(extractor: Extractor, text: str, lang: str, places: list[str]) -> None:
    """Each place of a list (each first end of a "between" pair) is an incident, typed and dated."""
    reports = read(extractor, text, lang=lang).reports
    assert sorted(place_of(r) or "" for r in reports) == sorted(places)
    assert all(r.event_type is not None for r in reports)
    assert all(r.event_date == date(2025, 5, 31) and r.date_precision == "day" for r in reports)


def test_each_place_of_a_list_keeps_its_own_toll(extractor: Extractor) -> None:
    text = "On Saturday, gunmen attacked army posts in Boni, Hombori and Douentza, killing 5 soldiers in Boni, 3 in Hombori and 2 in Douentza."
    reports = read(extractor, text).reports
    assert {place_of(r): r.fatalities for r in reports} == {"Boni": 5, "Hombori": 3, "Douentza": 2}


def test_an_incident_noun_takes_the_event_words_that_announced_it(extractor: Extractor) -> None:
    text = "Jihadists attacked several army posts on Saturday. Violence was reported in Boni and Hombori."
    reports = read(extractor, text).reports
    assert [(place_of(r), r.event_type) for r in reports] == [("Boni", "Battles"), ("Hombori", "Battles")]


def test_evidence_is_the_sentences_used(extractor: Extractor) -> None:
    text = "The weather was hot. Gunmen attacked the gendarmerie in Djibo, killing two gendarmes."
    assert primary(extractor, text).evidence == ("Gunmen attacked the gendarmerie in Djibo, killing two gendarmes.",)


# --- traps --------------------------------------------------------------------------------------------


def test_wagner_in_moscow_is_not_relevant(extractor: Extractor) -> None:
    reading = read(
        extractor,
        "Wagner fighters marched on Moscow and clashed with police, killing three officers.",
    )
    assert not reading.relevant
    assert all(r.location is None for r in reading.reports)


@pytest.mark.parametrize(
    "text",
    [
        # a Sahel nation named in a story told from abroad does not make Wagner the Sahel's
        "Wagner fighters clashed with Malian smugglers in southern Libya on Sunday, killing five of them.",
        "En Libye, des mercenaires de Wagner ont tué trois migrants maliens dimanche.",
    ],
)
def test_wagner_abroad_with_sahel_people_is_not_relevant(extractor: Extractor, text: str) -> None:
    assert not read(extractor, text).relevant


@pytest.mark.parametrize(
    "text",
    [
        "Wagner, the Russian group active in the Sahel, killed 12 herders, residents said.",
        # a country named, but not as where it happened
        "Wagner fighters killed 20 Malian herders near the border with Mauritania on Sunday.",
    ],
)
def test_wagner_in_the_sahel_is_relevant(extractor: Extractor, text: str) -> None:
    reading = read(extractor, text)
    assert reading.relevant
    assert "Africa-Corps" in reading.reports[0].actors


@pytest.mark.parametrize(
    "text",
    [
        "Le suspect a agi sans complices et sans arme, a indiqué la police.",
        "San Francisco police arrested a man after a shooting at a bar.",
    ],
)
def test_san_as_a_word_is_not_the_town(extractor: Extractor, text: str) -> None:
    assert all(place_of(r) != "San" for r in read(extractor, text).reports)


@pytest.mark.parametrize(
    "text",
    [
        # village names the matcher doubts, met as a person's name or a news agency's
        "Senator Ben Sasse said the prisoner who died in his cell was a victim of neglect.",
        "The news agency Kan reported that a man was stabbed to death in Berlin on Wednesday.",
        "Three people were killed, according to Sasse, a local official.",
    ],
)
def test_a_doubtful_village_not_named_as_a_place_is_not_relevant(extractor: Extractor, text: str) -> None:
    assert not read(extractor, text).relevant


def test_the_stop_word_lists_share_no_word() -> None:
    # each word counts for one language only (monitor.reading.reports._LANGUAGE_OF)
    from monitor.reading import reports

    lists = (reports._FR_WORDS, reports._EN_WORDS, reports._OTHER_WORDS)
    assert sum(len(words) for words in lists) == len(frozenset().union(*lists))


def test_a_text_in_another_language_is_not_read(extractor: Extractor) -> None:
    # German "die" is no casualty word and "Sie" no village (Sié, Mali)
    text = (
        "Die Polizei sagt, dass die Männer bei dem Angriff getötet wurden. Sie wurden in der Nacht "
        "von Unbekannten angegriffen, und die Täter sind auf der Flucht."
    )
    reading = read(extractor, text)
    assert (reading.relevant, reading.language, reading.reports) == (False, None, [])
    assert detect_language(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "More than 400 soldiers have been killed in Mali, Burkina Faso and Niger since early May.",
        (
            "Earlier in May, JNIM killed 40 soldiers in Dioura, and more than 400 soldiers have died in Mali, Niger, "
            "and Burkina Faso since the month began."
        ),
        "Plus de 400 militaires ont été tués au Mali, au Burkina Faso et au Niger depuis début mai.",
        "On Sunday, 12 soldiers were killed in Boni, bringing to more than 400 the number of soldiers killed since May.",
    ],
)
def test_aggregates_never_become_figures(extractor: Extractor, text: str) -> None:
    for report in read(extractor, text).reports:
        assert all(f.low != 401 and f.low != 400 for f in report.figures)
        assert report.fatalities < 400


def test_recaptured_in_2013_is_never_todays_incident(extractor: Extractor) -> None:
    text = (
        "Jihadists attacked the army camp in Timbuktu on Monday, and the army said it killed 13 assailants. "
        "Timbuktu, which jihadists held in 2012, was recaptured by French and Malian troops in 2013."
    )
    reading = read(extractor, text)
    current = [r for r in reading.reports if not r.historical]
    assert [(place_of(r), r.event_date) for r in current] == [("Timbuktu", date(2025, 6, 2))]
    history = [r for r in reading.reports if r.historical]
    assert history and all(r.event_date and r.event_date.year in (2012, 2013) for r in history)
    assert history[0].event_type == "Battles" and history[0].sub_event_type == "Government regains territory"
    assert reading.reports[0] is current[0]  # history comes last


def test_history_alone_is_not_relevant(extractor: Extractor) -> None:
    reading = read(
        extractor,
        "In 2012, jihadists seized Timbuktu; French and Malian troops recaptured it in 2013.",
    )
    assert not reading.relevant
    assert all(r.historical for r in reading.reports)


def test_vague_history_is_dropped(extractor: Extractor) -> None:
    text = (
        "Since 2012, Mali has faced a security crisis and attacks by jihadist groups. In February, 34 civilians died."
    )
    assert all(r.location is not None and r.location.feature_code != "PCLI" for r in read(extractor, text).reports)


# --- the contract -------------------------------------------------------------------------------------


def test_report_to_json_has_the_contract_fields(extractor: Extractor) -> None:
    report = primary(
        extractor,
        "JNIM claimed the attack on the army post in Boni on Sunday, which killed 5 soldiers.",
    )
    data = report_to_json(report)
    assert list(data)[:12] == [
        "event_date", "date_precision", "location", "event_type", "sub_event_type", "actors", "figures",
        "fatalities", "historical", "evidence", "claimed_by", "flags",
    ]  # fmt: skip
    assert data["event_date"] == "2025-06-01"
    assert set(data["location"]) == {
        "name",
        "admin1",
        "admin2",
        "admin3",
        "country",
        "lat",
        "lon",
    }
    assert data["location"]["admin3"] == "Haire"  # Boni's commune, as OCHA names it
    assert data["figures"] == [
        {
            "kind": "killed",
            "group": "military",
            "low": 5,
            "high": 5,
            "qualifier": "exact",
            "text": "killed 5 soldiers",
        }
    ]
    assert data["claimed_by"] == ["JNIM"]


# --- places the gazetteer lacks ("Zandogou", "Wobsinga", "Tamsiga" are made up) -----------------


@pytest.mark.parametrize(
    ("text", "place", "at"),
    [
        # a name after a place noun, located by the known place next to it
        ("Gunmen killed 4 civilians in the village of Zandogou, near Djibo, on Sunday.", "Zandogou", "Djibo"),
        ("Des hommes armés ont tué 3 civils dans la localité de Wobsinga, près de Dori, dimanche.", "Wobsinga", "Dori"),
        # a name qualified by known places in a parenthesis
        ("On Sunday, militants abducted 2 teachers in Tamsiga (Ayorou, Tillaberi).", "Tamsiga", "Ayorou"),
        ("Gunmen attacked the hamlet of Zandogou in the area of Kaya and killed 5 herders.", "Zandogou", "Kaya"),
        # between an unknown and a known place: one incident, at the first
        ("An IED killed 2 soldiers between the village of Wobsinga and Seytenga on Sunday.", "Wobsinga", "Seytenga"),
        # the market, mining site, forest or pond a village is known by
        ("On Sunday, gunmen shot dead 3 traders at the market of Zandogou, near Djibo.", "Zandogou", "Djibo"),
        ("Des hommes armés ont tué 2 orpailleurs sur le site minier de Wobsinga, près de Dori.", "Wobsinga", "Dori"),
        ("Militants ambushed a patrol in the forest of Tamsiga near Kaya, killing 4 soldiers.", "Tamsiga", "Kaya"),
    ],
)
def test_a_place_the_gazetteer_lacks_is_the_incident_place(
    extractor: Extractor, text: str, place: str, at: str
) -> None:
    reading = read(extractor, text)
    assert [place_of(r) for r in reading.reports] == [place]  # the locating place is no incident
    loc = reading.reports[0].location
    known = extractor.gazetteer.lookup(at)[0]
    assert loc is not None and (loc.lat, loc.lon, loc.country) == (known.lat, known.lon, known.country)
    assert loc.place_id and loc.place_id.startswith("u:")


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed 4 civilians in the village of Djibo on Sunday.",  # known: the gazetteer's place
        "Gunmen killed 4 civilians in the area of the Sahel on Sunday.",  # "the": no name
        "Gunmen killed 4 civilians near the gold mine of the Canadian company in Djibo.",  # "the": no name
        "Gunmen killed 4 civilians in the town of JNIM fighters on Sunday.",  # an actor, in capitals
        "Gunmen killed 4 civilians in Djibo, said the Alliance for an African (Djibo) Future.",  # article before
    ],
)
def test_no_unknown_place_where_the_text_names_none(extractor: Extractor, text: str) -> None:
    for report in read(extractor, text).reports:
        assert report.location is None or not (report.location.place_id or "").startswith("u:"), place_of(report)


def test_unknown_place_without_a_known_one_has_no_coordinates(extractor: Extractor) -> None:
    report = primary(extractor, "Gunmen killed 4 civilians in the village of Zandogou on Sunday.")
    assert place_of(report) == "Zandogou"
    assert report.location is not None and report.location.lat is None and report.location.country is None


def test_boko_haram_names_no_village(extractor: Extractor) -> None:
    report = primary(extractor, "Boko Haram fighters killed 5 civilians near Diffa on Sunday.")
    assert is_at(extractor, report, "Diffa")


def test_list_comma_keeps_a_time_span_with_its_figure(extractor: Extractor) -> None:
    text = "Gunmen killed 3 soldiers in Djibo on Sunday. Some 400 soldiers have died in Mali, Niger, and Burkina Faso since the month began."
    assert primary(extractor, text).fatalities == 3




@pytest.mark.parametrize(
    ("text", "place"),
    [
        # in a sentence that reports an incident, a capitalised name after a locating preposition
        ("On Sunday, gunmen shot dead a trader at the market in Zandogou.", "Zandogou"),
        ("Dimanche, des hommes armés ont tué un commerçant près de Wobsinga.", "Wobsinga"),
        ("Gunmen abducted two teachers near Tamsiga on Sunday.", "Tamsiga"),
        # a known name continued by another capitalised word or a number names another village
        ("Gunmen killed 3 herders in Djibo Kantiari on Sunday.", "Djibo Kantiari"),
        ("Des hommes armés ont tué 3 éleveurs à Kaya 2 dimanche.", "Kaya 2"),
    ],
)
def test_a_name_the_gazetteer_lacks_is_an_incident_place(extractor: Extractor, text: str, place: str) -> None:
    report = primary(extractor, text)
    assert place_of(report) == place
    assert report.location is not None and (report.location.place_id or "").startswith("u:")


@pytest.mark.parametrize(
    "text",
    [
        # a foreign country or a language is no village
        "Gunmen killed 4 civilians in Djibo on Sunday; two suspects were later arrested in Ghana.",
        "Des hommes armés ont tué 4 civils à Djibo dimanche ; deux suspects ont été arrêtés au Nigeria.",
        "Gunmen who killed 4 civilians in Djibo on Sunday shouted slogans in Arabic.",
    ],
)
def test_a_located_name_that_is_no_place_is_not_an_incident_place(extractor: Extractor, text: str) -> None:
    assert [place_of(r) for r in read(extractor, text).reports] == ["Djibo"]


def test_a_sentence_date_dates_each_place_of_the_sentence(extractor: Extractor) -> None:
    # the date sits next to the first place; the second shares it
    for text in (
        "On 31 May, gunmen ambushed a patrol near Djibo and killed 3 herders in Kaya.",
        "Le 31 mai, des hommes armés ont attaqué une patrouille près de Djibo et tué 3 éleveurs à Kaya.",
    ):
        dates = {(place_of(r), r.event_date, r.date_precision) for r in read(extractor, text).reports}
        assert ("Kaya", date(2025, 5, 31), "day") in dates, dates


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # a building, an institution or a road named after the town is in the town
        ("Gunmen attacked the Kaya Regional Hospital on Sunday, killing 2 nurses.", "Kaya"),
        ("Students of the Djibo Provincial High School rioted on Sunday, injuring 2 teachers.", "Djibo"),
        ("Des hommes armés ont tué 2 gendarmes sur l'axe Djibo-Kantiari dimanche.", "Djibo"),
    ],
)
def test_a_known_name_in_an_institution_or_a_road_stays_the_town(
    extractor: Extractor, text: str, place: str
) -> None:
    assert is_at(extractor, primary(extractor, text), place)


def test_a_log_line_then_its_toll_is_one_placed_incident(extractor: Extractor) -> None:
    """An incident log's two lines: what and where, then the toll (written for this test)."""
    reading = read(extractor, "Escarmouche entre le GATIA et la CMA à Kidal.\n2 morts (1 combattant GATIA et 1 combattant CMA)", lang="fr")
    assert reading.relevant
    assert [place_of(r) for r in reading.reports] == ["Kidal"] and reading.reports[0].fatalities == 2


@pytest.mark.parametrize(
    ("text", "near"),
    [
        ("Un véhicule saute sur une mine vers Doro, entre Gossi et Gao; 4 morts.", (16.0, -1.0)),
        ("A vehicle hit a mine near Doro, between Gossi and Gao, killing four.", (16.0, -1.0)),
    ],
)
def test_a_namesake_near_the_other_places_of_its_sentence_is_the_one_meant(
    extractor: Extractor, text: str, near: tuple[float, float]
) -> None:
    from monitor.reading.gazetteer import distance_km

    loc = primary(extractor, text).location
    assert loc is not None and loc.lat is not None and loc.lon is not None
    assert distance_km((loc.lat, loc.lon), near) < 150


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a Nigerien hamlet's namesake 1,900 km from the Malian cercle the sentence names: not it
        ("Des affrontements dans le cercle de Ténenkou après le meurtre du maire de Kareri; 6 morts.", "ML"),
        ("Clashes in the Tenenkou cercle after the mayor of Kareri was killed left six dead.", "ML"),
        # a raid across the border stays where it struck
        ("Des hommes armés venus de Ménaka ont attaqué le village de Tiloa, tuant cinq civils.", "NE"),
    ],
)
def test_a_little_known_village_far_from_every_town_its_sentence_names_is_not_the_place(
    extractor: Extractor, text: str, country: str
) -> None:
    loc = primary(extractor, text).location
    assert loc is not None and loc.country == country


@pytest.mark.parametrize(
    "text",
    [
        # the present of headlines and incident logs
        "Des hommes armés incendient deux camions sur la route de Douentza.",
        "Des hommes armés tuent cinq civils à Boni.",
        "Des djihadistes enlèvent le maire adjoint de Boni.",
        # on the way to, around
        "Attaque d'un convoi de l'armée en route pour Nampala: 4 morts et 7 blessés.",
    ],
)
def test_present_tenses_and_places_on_the_way_are_read(extractor: Extractor, text: str) -> None:
    reading = read(extractor, text, lang="fr")
    assert reading.reports and reading.reports[0].event_type is not None


# --- tolls told in the common constructions (docs/extract.md, "Figures") --------------------


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("On Sunday armed men killed an imam and his son in the village of Boni.", 2),
        ("Dimanche, des hommes armés ont tué un marabout et son fils dans le village de Boni.", 2),
        ("On Sunday three Dozo militiamen were killed and two wounded in an ambush near Djibo.", 3),
        ("Dimanche, deux miliciens koglweogo tués et un blessé dans une embuscade près de Djibo.", 2),
        ("On Sunday gunmen attacked Djibo, killing two Dozo militiamen (hunters) and seven civilians.", 9),
        ("On Sunday an angry crowd lynched two suspected thieves to death in Kaya.", 2),
        ("Dimanche, un voleur présumé a été lynché à mort à Kaya.", 1),
        ("On Sunday soldiers detained nine herders near Djibo and executed them.", 9),
        ("On Sunday gunmen killed four traders in Djibo and wounded two others; one of the wounded later succumbed.", 5),
        # the attackers killed are counted as attackers, and a court's sentence kills no one
        ("On Sunday soldiers killed two gunmen who attacked a checkpoint in Djibo.", 2),
        ("On Sunday a court in Kaya sentenced two men to death for an attack.", 0),
    ],
)
def test_common_constructions_give_the_toll(extractor: Extractor, text: str, fatalities: int) -> None:
    assert primary(extractor, text).fatalities == fatalities


def test_attackers_killed_stay_attackers(extractor: Extractor) -> None:
    report = primary(extractor, "On Sunday soldiers killed two gunmen who attacked a checkpoint in Djibo.")
    assert [(f.kind, f.group, f.low) for f in report.figures] == [("killed", "assailants", 2)]
