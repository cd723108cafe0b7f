"""Reading never raises, and costs what the text's length allows (issue 12).

A property-based test (hypothesis) reads random unicode, and real incident sentences
written for this test, changed as feeds change them: accents stripped, case changed,
words repeated, sentences glued into one line. Every reading must come back, with figures
and dates in their sane ranges. The examples are few and each is bounded, so the suite
stays quick; ``HYPOTHESIS_PROFILE=fuzz`` runs many more.
"""

from __future__ import annotations

import os
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.reading import MAX_TOLL, Extractor, Reading, report_to_json

settings.register_profile(
    "suite", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("fuzz", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

# Incident sentences in both languages, written for this test: counts before and after
# their nouns, every casualty word, places, dates, claims, ranges and vague counts.
SENTENCES = [
    "12 soldats tués lors de l'attaque du camp de Boulkessi, le 1er juin.",
    "Trois civils enlevés près de Djibo dimanche dernier par des hommes armés non identifiés.",
    "L'armée arrête plusieurs civils à Tombouctou et neutralise une trentaine de terroristes.",
    "Au moins 30 militaires ont été tués et 12 autres blessés, dont 4 grièvement.",
    "Le JNIM a revendiqué l'attaque contre le poste de Ménaka, la veille au soir.",
    "Des dizaines de villageois ont été massacrés à Ogossagou dans la nuit du 7 au 8 novembre.",
    "Entre 13 et 14 assaillants ont été abattus, selon un bilan provisoire.",
    "Deux enseignantes portées disparues et une femme égorgée entre San et Kimbala.",
    "Gunmen killed at least 30 soldiers in an attack on a military base near Timbuktu on Sunday.",
    "Thirteen or 14 assailants were neutralised and 31 suspected terrorists arrested, the army said.",
    "A roadside bomb struck a convoy between Gao and Ansongo, wounding five peacekeepers.",
    "Dozens of villagers were abducted in the Tillaberi region last week; ISGS claimed the raid.",
    "More than 400 soldiers have died since early May in Mali, Niger and Burkina Faso.",
    "The attack of 2 June 2025 left 12 dead and 20 wounded, including 3 children.",
]
_BARE = str.maketrans("éèêëàâçôûùîïÉÈÊÀÇ’", "eeeeaacouuiiEEEAC'")


def _strip_accents(text: str) -> str:
    return text.translate(_BARE)


def _decompose(text: str) -> str:
    return unicodedata.normalize("NFD", text)


_CHANGES = [str.upper, str.lower, str.title, str.swapcase, _strip_accents, _decompose, lambda t: t]


@st.composite
def articles(draw: st.DrawFn) -> str:
    """Real sentences, each changed, some repeated, joined by spaces, lines or nothing."""
    picked = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=8))
    changed = [draw(st.sampled_from(_CHANGES))(s) for s in picked]
    words = " ".join(changed).split()
    if words and draw(st.booleans()):  # a word repeated many times ("tués tués tués ...")
        at = draw(st.integers(0, len(words) - 1))
        words[at:at] = [words[at]] * draw(st.integers(1, 200))
    glue = draw(st.sampled_from([" ", "\n", "", ", ", " ; "]))
    return glue.join(changed) if draw(st.booleans()) else " ".join(words) + glue


_TEXTS = st.one_of(
    articles(),
    st.text(max_size=2000),  # any unicode
    st.text(alphabet=st.characters(codec="latin-1"), max_size=2000),
    st.builds(lambda a, b: a + b, articles(), st.text(max_size=300)),
)
_DAYS = st.one_of(
    st.dates(), st.just(date(1, 1, 1)), st.just(date(9999, 12, 31)), st.dates(date(2015, 1, 1), date(2026, 12, 31))
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def _check(reading: Reading, published: date) -> None:
    for report in reading.reports:
        report_to_json(report)  # what the extract command writes
        assert report.fatalities is None or 0 <= report.fatalities <= MAX_TOLL
        for f in report.figures:
            assert all(v is None or 0 <= v <= MAX_TOLL for v in (f.low, f.high))
        if report.event_date is not None and report.date_precision != "unknown":
            assert 1900 <= report.event_date.year <= max(published.year, 1900) + 1


@settings(PROFILE)
@given(text=_TEXTS, published=_DAYS, lang=st.sampled_from([None, "fr", "en", "de"]), title=st.text(max_size=80))
def test_reading_any_text_raises_nothing(
    extractor: Extractor, text: str, published: date, lang: str | None, title: str
) -> None:
    _check(extractor.read(text, published, lang=lang, title=title), published)


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31), date(2025, 6, 3)])
def test_every_sentence_reads_at_the_calendar_s_ends(extractor: Extractor, published: date) -> None:
    for sentence in SENTENCES:
        _check(extractor.read(sentence, published), published)
