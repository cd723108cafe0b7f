"""Which place a text means: namesakes at home, names of people, places named as context
(sentences written for these tests; see docs/extract.md, "Place")."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.models import Location
from monitor.reading.reports import Extractor

PUBLISHED = date(2025, 6, 2)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def locations(extractor: Extractor, text: str) -> list[Location]:
    """The places of the text's reports, most prominent first (French or English, as written)."""
    lang = "fr" if text.startswith("Dimanche") else "en"
    reading = extractor.read(text, PUBLISHED, lang=lang)
    return [r.location for r in reading.reports if r.location is not None]


def countries_of(extractor: Extractor, text: str, name: str) -> list[str]:
    return [loc.country for loc in locations(extractor, text) if loc.name == name]


def first_place(extractor: Extractor, text: str) -> str | None:
    found = locations(extractor, text)
    return found[0].name if found else None


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
        # a village vouched for by its cercle keeps it, whatever other country the text names
        ("On Sunday gunmen from Djibo killed four farmers in Bosso (Tominian).", "Bosso", "ML"),
        # towns of Mali and Niger in the text: no one setting, the watched countries' order
        ("On Sunday gunmen stole forty cows in Bosso. Soldiers from Ménaka and Diffa chased them.", "Bosso", "ML"),
        # Singa is also a Sudanese city: once the sentence settles it at home, the Singa near
        # Kayon (Burkina Faso) is meant, not the Malian one the countries' order puts first
        ("On Sunday gunmen shot two farmers in the village of Singa, 8 km from Kayon.", "Singa", "BF"),
        ("Dimanche, deux cultivateurs ont été abattus dans le village de Singa, près de Kayon.", "Singa", "BF"),
        # Soum is also a Malian village; in the parenthesis that locates another name it is
        # the Burkinabè province
        ("On Sunday gunmen killed two herders in Wendtindaga village (Soum, Sahel).", "Wendtindaga", "BF"),
        ("Dimanche, des hommes armés ont tué deux éleveurs à Wendtindaga (Soum, Sahel).", "Wendtindaga", "BF"),
    ],
)
def test_namesakes_are_told_apart_by_what_the_text_says(
    extractor: Extractor, text: str, name: str, country: str
) -> None:
    found = countries_of(extractor, text, name)
    assert found and all(c == country for c in found)


@pytest.mark.parametrize(
    "text",
    [
        # Sadou is a Malian village; here it is a general's and a family's name
        "On Sunday gunmen killed a cousin of General Moussa Sadou and stole his herd near Djibo.",
        "Dimanche, des hommes armés ont tué un neveu du colonel Sadou et volé son troupeau près de Djibo.",
        "On Sunday a crowd close to the family of Sadou burned a church in Djibo.",
        "Dimanche, des proches de la famille de Sadou ont incendié une église à Djibo.",
    ],
)
def test_a_name_after_a_title_or_a_family_is_a_persons(extractor: Extractor, text: str) -> None:
    names = [loc.name for loc in locations(extractor, text)]
    assert "Sadou" not in names and names[:1] == ["Djibo"]


def test_a_village_named_like_a_person_stays_a_place(extractor: Extractor) -> None:
    """Without a title or a family before it, Sadou is the village."""
    assert first_place(extractor, "On Sunday gunmen killed three herders in the village of Sadou.") == "Sadou"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # whose office or institution is context beside the place named as where
        ("On Sunday gunmen abducted the mayor of Djibo on the road near Kaya.", "Kaya"),
        ("On Sunday gunmen seized two engineers of the regional directorate of water of Dori near Kaya.", "Kaya"),
        ("Dimanche, des hommes armés ont enlevé le préfet de Djibo près de Kaya.", "Kaya"),
        # alone, or beside a mere country, the office's place is where it happened
        ("On Sunday soldiers looted the home of the mayor of Djibo, injuring him.", "Djibo"),
        ("On Sunday soldiers in Burkina Faso looted the home of the mayor of Djibo.", "Djibo"),
        # where a movement went is context beside the place where it happened
        ("On Sunday gunmen fleeing toward Aribinda attacked a checkpoint in Djibo.", "Djibo"),
        ("On Sunday a convoy travelling from Kaya towards Dori was ambushed; two soldiers died.", "Kaya"),
        ("Dimanche, des hommes armés en route en direction d'Aribinda ont attaqué un poste à Djibo.", "Djibo"),
        # alone, it is the place: on the way there
        ("On Sunday a bus heading toward Dori hit a mine, killing four.", "Dori"),
        # where a movement came from is context too
        ("On Sunday herders coming from Aribinda burned a granary in Djibo.", "Djibo"),
        ("Dimanche, des hommes armés venus d'Aribinda ont incendié un grenier à Djibo.", "Djibo"),
        ("Dimanche, un camion en provenance de Kaya a sauté sur une mine près de Dori.", "Dori"),
    ],
)
def test_a_place_named_as_context_gives_way_to_the_place_named_as_where(
    extractor: Extractor, text: str, where: str
) -> None:
    assert first_place(extractor, text) == where
