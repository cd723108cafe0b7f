"""Which place a text means: namesakes at home, names of people, places named as context
(sentences written for these tests; see docs/extract.md, "Place")."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.models import Report
from monitor.reading.reports import Extractor

PUBLISHED = date(2025, 6, 2)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def located(extractor: Extractor, text: str, lang: str = "en") -> list[Report]:
    reading = extractor.read(text, PUBLISHED, lang=lang)
    return [r for r in reading.reports if r.location is not None]


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # a town of the sentence sets it, however far: Bosso has namesakes in Mali, Burkina
        # Faso and Niger, none near Zinder
        ("On Sunday gunmen stole forty cows in Bosso and sold them in Zinder.", "Bosso", "NE"),
        ("Dimanche, des hommes armés ont volé quarante vaches à Bosso et les ont vendues à Zinder.", "Bosso", "NE"),
        # an actor that fights in one country only sets it too
        ("On Sunday ISWAP fighters burned the market of Bosso and killed three traders.", "Bosso", "NE"),
        # the whole text, when the sentence names no sure place
        ("Gunmen raided Djibo on Saturday. On Sunday they stole cattle in Bouro and killed a herder.", "Bouro", "BF"),
    ],
)
def test_a_village_with_namesakes_in_several_watched_countries_is_the_one_of_the_texts_country(
    extractor: Extractor, text: str, name: str, country: str
) -> None:
    lang = "fr" if text.startswith("Dimanche") else "en"
    reports = located(extractor, text, lang)
    at = [r.location for r in reports if r.location is not None and r.location.name == name]
    assert at and all(loc.country == country for loc in at)


def test_a_village_vouched_for_by_its_cercle_keeps_it(extractor: Extractor) -> None:
    """Bosso (Tominian) is the Malian one, whatever other country the text names."""
    reports = located(extractor, "On Sunday gunmen from Djibo killed four farmers in Bosso (Tominian).")
    bosso = [r.location for r in reports if r.location is not None and r.location.name == "Bosso"]
    assert bosso and bosso[0].country == "ML"


def test_a_text_set_in_two_countries_keeps_the_usual_order(extractor: Extractor) -> None:
    """Towns of Mali and Niger in the text: no one setting, the watched countries' order."""
    reports = located(extractor, "On Sunday gunmen stole forty cows in Bosso. Soldiers from Ménaka and Diffa chased them.")
    bosso = [r.location for r in reports if r.location is not None and r.location.name == "Bosso"]
    assert bosso and bosso[0].country == "ML"


@pytest.mark.parametrize(
    "text",
    [
        "On Sunday gunmen shot two farmers in the village of Singa, 8 km from Kayon.",
        "Dimanche, deux cultivateurs ont été abattus dans le village de Singa, près de Kayon.",
    ],
)
def test_a_name_settled_at_home_is_the_namesake_near_its_neighbours(extractor: Extractor, text: str) -> None:
    """Singa is also a Sudanese city: once the sentence settles it at home, the Singa near
    Kayon (Burkina Faso) is meant, not the Malian one the countries' order puts first."""
    lang = "fr" if text.startswith("Dimanche") else "en"
    singa = [r.location for r in located(extractor, text, lang) if r.location is not None and r.location.name == "Singa"]
    assert singa and singa[0].country == "BF"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Sadou is a Malian village; here it is a general's and a family's name
        ("On Sunday gunmen killed a cousin of General Moussa Sadou and stole his herd near Djibo.", "en"),
        ("Dimanche, des hommes armés ont tué un neveu du colonel Sadou et volé son troupeau près de Djibo.", "fr"),
        ("On Sunday a crowd close to the family of Sadou burned a church in Djibo.", "en"),
        ("Dimanche, des proches de la famille de Sadou ont incendié une église à Djibo.", "fr"),
    ],
)
def test_a_name_after_a_title_or_a_family_is_a_persons(extractor: Extractor, text: str, lang: str) -> None:
    places = [r.location.name for r in located(extractor, text, lang) if r.location is not None]
    assert "Sadou" not in places and places[:1] == ["Djibo"]


def test_a_village_named_like_a_person_stays_a_place(extractor: Extractor) -> None:
    """Without a title or a family before it, Sadou is the village."""
    places = [r.location.name for r in located(extractor, "On Sunday gunmen killed three herders in the village of Sadou.")]
    assert places[:1] == ["Sadou"]


@pytest.mark.parametrize(
    ("text", "lang", "where"),
    [
        # whose office or institution is context beside the place named as where
        ("On Sunday gunmen abducted the mayor of Djibo on the road near Kaya.", "en", "Kaya"),
        ("On Sunday gunmen seized two engineers of the regional directorate of water of Dori near Kaya.", "en", "Kaya"),
        ("Dimanche, des hommes armés ont enlevé le préfet de Djibo près de Kaya.", "fr", "Kaya"),
        # alone, or beside a mere country, the office's place is where it happened
        ("On Sunday soldiers looted the home of the mayor of Djibo, injuring him.", "en", "Djibo"),
        ("On Sunday soldiers in Burkina Faso looted the home of the mayor of Djibo.", "en", "Djibo"),
    ],
)
def test_an_offices_place_is_context_beside_the_place_named_as_where(
    extractor: Extractor, text: str, lang: str, where: str
) -> None:
    places = [r.location.name for r in located(extractor, text, lang) if r.location is not None]
    assert places[:1] == [where]


@pytest.mark.parametrize(
    "text",
    [
        # Soum is also a Malian village, first in the countries' order; in the parenthesis
        # that locates another name it is the Burkinabè province
        "On Sunday gunmen killed two herders in Wendtindaga village (Soum, Sahel).",
        "Dimanche, des hommes armés ont tué deux éleveurs à Wendtindaga (Soum, Sahel).",
    ],
)
def test_a_name_in_the_parenthesis_that_locates_a_village_is_an_area(extractor: Extractor, text: str) -> None:
    lang = "fr" if text.startswith("Dimanche") else "en"
    reports = located(extractor, text, lang)
    assert reports and reports[0].location is not None
    assert (reports[0].location.name, reports[0].location.country) == ("Wendtindaga", "BF")


@pytest.mark.parametrize(
    ("text", "lang", "where"),
    [
        # where a movement went is context beside the place where it happened
        ("On Sunday gunmen fleeing toward Aribinda attacked a checkpoint in Djibo.", "en", "Djibo"),
        ("On Sunday a convoy travelling from Kaya towards Dori was ambushed; two soldiers died.", "en", "Kaya"),
        ("Dimanche, des hommes armés en route en direction d'Aribinda ont attaqué un poste à Djibo.", "fr", "Djibo"),
        # alone, it is the place: on the way there
        ("On Sunday a bus heading toward Dori hit a mine, killing four.", "en", "Dori"),
    ],
)
def test_where_a_movement_went_is_context_beside_where_it_happened(
    extractor: Extractor, text: str, lang: str, where: str
) -> None:
    places = [r.location.name for r in located(extractor, text, lang) if r.location is not None]
    assert places[:1] == [where]


@pytest.mark.parametrize(
    ("text", "lang", "where"),
    [
        # where a movement came from is context too
        ("On Sunday herders coming from Aribinda burned a granary in Djibo.", "en", "Djibo"),
        ("Dimanche, des hommes armés venus d'Aribinda ont incendié un grenier à Djibo.", "fr", "Djibo"),
        ("Dimanche, un camion en provenance de Kaya a sauté sur une mine près de Dori.", "fr", "Dori"),
    ],
)
def test_where_a_movement_came_from_is_context_beside_where_it_happened(
    extractor: Extractor, text: str, lang: str, where: str
) -> None:
    places = [r.location.name for r in located(extractor, text, lang) if r.location is not None]
    assert places[:1] == [where]
