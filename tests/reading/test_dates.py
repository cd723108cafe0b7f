"""Dates and time spans in English and French, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.reading.dates import (
    DAY,
    MONTH,
    WEEK,
    YEAR,
    find_dates,
    find_spans,
    is_historical,
    period_end,
)

TUESDAY = date(2025, 6, 3)  # a Tuesday: Sunday was June 1, Monday June 2

# (text with one date, publication date, surface, date, precision, relative)
ONE_DATE = [
    # explicit, year missing: the year that puts the date on or before publication
    ("Fighting broke out on June 2 near the camp.", TUESDAY, "on June 2", date(2025, 6, 2), DAY, False),
    ("Fighting broke out on 2 June near the camp.", TUESDAY, "on 2 June", date(2025, 6, 2), DAY, False),
    ("Fighting broke out on the 2nd of June.", TUESDAY, "the 2nd of June", date(2025, 6, 2), DAY, False),
    ("Les combats ont éclaté le 2 juin.", TUESDAY, "le 2 juin", date(2025, 6, 2), DAY, False),
    ("Les combats ont éclaté le 1er juin.", TUESDAY, "le 1er juin", date(2025, 6, 1), DAY, False),
    ("Les combats ont éclaté le 31 mai.", TUESDAY, "le 31 mai", date(2025, 5, 31), DAY, False),
    ("The raid on May 24 killed herders.", TUESDAY, "on May 24", date(2025, 5, 24), DAY, False),
    ("The raid on Mar. 3 killed herders.", TUESDAY, "on Mar. 3", date(2025, 3, 3), DAY, False),
    # explicit with year
    ("The raid of June 2, 2025 was claimed.", TUESDAY, "June 2, 2025", date(2025, 6, 2), DAY, False),
    ("L'attaque du 1er juin 2025 a été revendiquée.", TUESDAY, "1er juin 2025", date(2025, 6, 1), DAY, False),
    ("The raid of 2 June 2024 was claimed.", TUESDAY, "2 June 2024", date(2024, 6, 2), DAY, False),
    ("La note datée du 02/06/2025 parle d'un raid.", TUESDAY, "02/06/2025", date(2025, 6, 2), DAY, False),
    ("La note datée du 02.06.2025 parle d'un raid.", TUESDAY, "02.06.2025", date(2025, 6, 2), DAY, False),
    ("The memo dated 06/25/2025 mentions a raid.", TUESDAY, "06/25/2025", date(2025, 6, 25), DAY, False),
    ("The memo dated 2025-06-02 mentions a raid.", TUESDAY, "2025-06-02", date(2025, 6, 2), DAY, False),
    # with a weekday
    ("It happened on Sunday, June 1, at dawn.", TUESDAY, "on Sunday, June 1", date(2025, 6, 1), DAY, False),
    (
        "C'était le dimanche 1er juin, à l'aube.",
        TUESDAY,
        "le dimanche 1er juin",
        date(2025, 6, 1),
        DAY,
        False,
    ),
    ("« Dimanche 1er juin » titrait le journal.", TUESDAY, "Dimanche 1er juin", date(2025, 6, 1), DAY, False),
    # months and years
    ("Attacks multiplied in June.", TUESDAY, "in June", date(2025, 6, 1), MONTH, False),
    ("Les attaques se sont multipliées en juin.", TUESDAY, "en juin", date(2025, 6, 1), MONTH, False),
    ("Attacks multiplied in December.", TUESDAY, "in December", date(2024, 12, 1), MONTH, False),
    ("Attacks multiplied in June 2024.", TUESDAY, "in June 2024", date(2024, 6, 1), MONTH, False),
    ("Attacks resumed in early June.", TUESDAY, "in early June", date(2025, 6, 1), MONTH, False),
    ("Les attaques ont repris début juin.", TUESDAY, "début juin", date(2025, 6, 1), MONTH, False),
    ("Les attaques ont repris mi-juin.", TUESDAY, "mi-juin", date(2025, 6, 1), MONTH, False),
    ("Les attaques ont repris fin mai.", TUESDAY, "fin mai", date(2025, 5, 1), MONTH, False),
    (
        "Attacks resumed at the beginning of May.",
        TUESDAY,
        "at the beginning of May",
        date(2025, 5, 1),
        MONTH,
        False,
    ),
    ("The town was retaken in 2013.", TUESDAY, "in 2013", date(2013, 1, 1), YEAR, False),
    ("La ville a été reprise en 2013.", TUESDAY, "en 2013", date(2013, 1, 1), YEAR, False),
    ("The town was retaken in early 2013.", TUESDAY, "in early 2013", date(2013, 1, 1), YEAR, False),
    ("La ville a été reprise début 2013.", TUESDAY, "début 2013", date(2013, 1, 1), YEAR, False),
    # relative days
    ("Gunmen struck yesterday.", TUESDAY, "yesterday", date(2025, 6, 2), DAY, True),
    ("Des hommes armés ont frappé hier.", TUESDAY, "hier", date(2025, 6, 2), DAY, True),
    ("Des hommes armés ont frappé hier soir.", TUESDAY, "hier soir", date(2025, 6, 2), DAY, True),
    (
        "Gunmen struck the day before yesterday.",
        TUESDAY,
        "the day before yesterday",
        date(2025, 6, 1),
        DAY,
        True,
    ),
    ("Des hommes armés ont frappé avant-hier.", TUESDAY, "avant-hier", date(2025, 6, 1), DAY, True),
    ("Gunmen struck today.", TUESDAY, "today", date(2025, 6, 3), DAY, True),
    ("Gunmen struck this morning.", TUESDAY, "this morning", date(2025, 6, 3), DAY, True),
    ("Des hommes armés ont frappé aujourd'hui.", TUESDAY, "aujourd'hui", date(2025, 6, 3), DAY, True),
    ("Des hommes armés ont frappé ce matin.", TUESDAY, "ce matin", date(2025, 6, 3), DAY, True),
    ("Gunmen struck three days ago.", TUESDAY, "three days ago", date(2025, 5, 31), DAY, True),
    (
        "Des hommes armés ont frappé il y a deux jours.",
        TUESDAY,
        "il y a deux jours",
        date(2025, 6, 1),
        DAY,
        True,
    ),
    # nights belong to the day they end on
    ("Gunmen struck last night.", TUESDAY, "last night", date(2025, 6, 3), DAY, True),
    (
        "Des hommes armés ont frappé la nuit dernière.",
        TUESDAY,
        "la nuit dernière",
        date(2025, 6, 3),
        DAY,
        True,
    ),
    ("Des hommes armés ont frappé cette nuit.", TUESDAY, "cette nuit", date(2025, 6, 3), DAY, True),
    (
        "Ils ont frappé dans la nuit de samedi à dimanche.",
        TUESDAY,
        "dans la nuit de samedi à dimanche",
        date(2025, 5, 31),
        DAY,
        True,
    ),
    (
        "They struck on the night of Saturday to Sunday.",
        TUESDAY,
        "on the night of Saturday to Sunday",
        date(2025, 5, 31),
        DAY,
        True,
    ),
    (
        "Ils ont frappé dans la nuit du 1er au 2 juin.",
        TUESDAY,
        "dans la nuit du 1er au 2 juin",
        date(2025, 6, 1),
        DAY,
        False,
    ),
    # weekdays: the most recent such day on or before publication
    ("Gunmen struck on Sunday.", TUESDAY, "on Sunday", date(2025, 6, 1), DAY, True),
    ("Sunday's attack was claimed.", TUESDAY, "Sunday", date(2025, 6, 1), DAY, True),
    ("Des hommes armés ont frappé dimanche.", TUESDAY, "dimanche", date(2025, 6, 1), DAY, True),
    ("Des hommes armés ont frappé ce dimanche.", TUESDAY, "ce dimanche", date(2025, 6, 1), DAY, True),
    (
        "Des hommes armés ont frappé dimanche dernier.",
        TUESDAY,
        "dimanche dernier",
        date(2025, 6, 1),
        DAY,
        True,
    ),
    ("Gunmen struck on Tuesday.", TUESDAY, "on Tuesday", date(2025, 6, 3), DAY, True),
    ("Gunmen struck last Tuesday.", TUESDAY, "last Tuesday", date(2025, 5, 27), DAY, True),
    ("Des hommes armés ont frappé mardi dernier.", TUESDAY, "mardi dernier", date(2025, 5, 27), DAY, True),
    # weeks, months, years
    ("Gunmen struck last week.", TUESDAY, "last week", date(2025, 5, 26), WEEK, True),
    (
        "Des hommes armés ont frappé la semaine dernière.",
        TUESDAY,
        "la semaine dernière",
        date(2025, 5, 26),
        WEEK,
        True,
    ),
    ("Gunmen struck earlier this week.", TUESDAY, "earlier this week", date(2025, 6, 2), WEEK, True),
    ("Gunmen struck last weekend.", TUESDAY, "last weekend", date(2025, 5, 31), WEEK, True),
    ("Gunmen struck earlier this month.", TUESDAY, "earlier this month", date(2025, 6, 1), MONTH, True),
    ("Gunmen struck last month.", TUESDAY, "last month", date(2025, 5, 1), MONTH, True),
    (
        "Des hommes armés ont frappé le mois dernier.",
        TUESDAY,
        "le mois dernier",
        date(2025, 5, 1),
        MONTH,
        True,
    ),
    ("Gunmen struck last year.", TUESDAY, "last year", date(2024, 1, 1), YEAR, True),
    ("Des hommes armés ont frappé l'an dernier.", TUESDAY, "l'an dernier", date(2024, 1, 1), YEAR, True),
]


@pytest.mark.parametrize(("text", "published", "surface", "when", "precision", "relative"), ONE_DATE)
def test_one_date(
    text: str, published: date, surface: str, when: date, precision: str, relative: bool
) -> None:
    (d,) = find_dates(text, published)
    assert (d.text, d.date, d.precision, d.relative) == (surface, when, precision, relative)
    assert text[d.start : d.end] == surface


def test_december_in_a_january_article_is_last_year() -> None:
    (d,) = find_dates("The attack of December 30 was claimed.", date(2025, 1, 2))
    assert d.date == date(2024, 12, 30)


def test_a_date_later_than_publication_is_last_year_beyond_one_day_of_slack() -> None:
    assert find_dates("le 4 juin", TUESDAY)[0].date == date(2025, 6, 4)  # time zones
    assert find_dates("le 10 juin", TUESDAY)[0].date == date(2024, 6, 10)


def test_a_weekday_picks_the_year_whose_calendar_agrees() -> None:
    # June 3 was a Monday in 2024 and a Tuesday in 2025
    (d,) = find_dates("lundi 3 juin", date(2025, 6, 4))
    assert d.date == date(2024, 6, 3)


def test_a_weekday_in_an_article_of_that_day_is_today() -> None:
    (d,) = find_dates("Gunmen struck on Sunday.", date(2025, 6, 1))
    assert d.date == date(2025, 6, 1)


def test_two_days_of_one_month() -> None:
    found = find_dates("Attacks on March 4 and 5, 2025 hit two posts.", TUESDAY)
    assert [d.date for d in found] == [date(2025, 3, 4), date(2025, 3, 5)]
    found = find_dates("Les 2 et 3 juin, deux camps ont été visés.", TUESDAY)
    assert [d.date for d in found] == [date(2025, 6, 2), date(2025, 6, 3)]


# a night over two days is dated by the day it starts on, however the range is written: the
# convention of coded conflict data (ACLED codes "overnight between 22 and 23 March" on the 22nd)
NIGHTS = [
    ("Gunmen attacked overnight between November 7-8 the village.", "en", date(2024, 11, 7)),
    ("Overnight between 24 and 25 February 2025, gunmen raided the post.", "en", date(2025, 2, 24)),
    ("In the night of 7 to 8 November gunmen raided the post.", "en", date(2024, 11, 7)),
    ("On the night of May 3 to 4, gunmen raided the post.", "en", date(2025, 5, 3)),
    ("On the night between 3 and 4 May, gunmen raided the post.", "en", date(2025, 5, 3)),
    ("Dans la nuit du 7 au 8 novembre, des hommes armés ont attaqué.", "fr", date(2024, 11, 7)),
    ("Gunmen struck the post overnight between Sunday and Monday.", "en", date(2025, 6, 1)),
]


@pytest.mark.parametrize(("text", "lang", "day"), NIGHTS)
def test_a_night_is_dated_by_the_day_it_starts_on(text: str, lang: str, day: date) -> None:
    assert [d.date for d in find_dates(text, TUESDAY, lang)] == [day]


def test_overnight_alone_is_relative_to_publication() -> None:
    found = find_dates("Overnight, gunmen attacked the post.", TUESDAY, "en")
    assert [(d.date, d.relative) for d in found] == [(TUESDAY, True)]


# a list of days: the incident began on the first, which comes first
DAY_LISTS = [
    ("On 21, 23, and 27 February, soldiers raided camps.", "en", date(2025, 2, 21)),
    ("On February 21, 23 and 27, soldiers raided camps.", "en", date(2025, 2, 21)),
    ("Les 12, 13 et 14 mai, des soldats ont ratissé la zone.", "fr", date(2025, 5, 12)),
    ("Les 12 et 13 mai, des soldats ont ratissé la zone.", "fr", date(2025, 5, 12)),
]


@pytest.mark.parametrize(("text", "lang", "first"), DAY_LISTS)
def test_a_list_of_days_starts_on_the_first(text: str, lang: str, first: date) -> None:
    assert find_dates(text, TUESDAY, lang)[0].date == first


def test_a_figure_after_a_date_is_not_a_listed_day() -> None:
    found = find_dates("On May 3, 2025, 12 soldiers were killed.", TUESDAY, "en")
    assert [(d.text, d.date) for d in found] == [("On May 3, 2025", date(2025, 5, 3))]


def test_several_dates_in_order() -> None:
    text = "After the raid of May 24, the group struck again on Sunday and yesterday."
    found = find_dates(text, TUESDAY)
    assert [(d.text, d.date) for d in found] == [
        ("May 24", date(2025, 5, 24)),
        ("on Sunday", date(2025, 6, 1)),
        ("yesterday", date(2025, 6, 2)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The attack may have been planned.",  # the verb, not the month
        "Protesters march through the capital.",
        "A bare June is a name, not a date.",
        "Gunmen will return next Sunday.",  # the future is no incident date
        "Ils reviendront dimanche prochain.",
        "The market was busy.",
        "30 soldiers and 1,200 civilians",
    ],
)
def test_no_date(text: str) -> None:
    assert find_dates(text, TUESDAY) == []


def test_language_selects_the_month_names() -> None:
    assert find_dates("le 2 juin", TUESDAY, "en") == []
    assert [d.date for d in find_dates("le 2 juin", TUESDAY, "fr")] == [date(2025, 6, 2)]
    assert find_dates("on June 2", TUESDAY, "fr") == []


@pytest.mark.parametrize(
    ("d", "precision", "historical"),
    [
        (date(2025, 6, 1), DAY, False),
        (date(2025, 5, 20), DAY, False),  # 14 days: still news
        (date(2025, 5, 19), DAY, True),
        (date(2013, 1, 1), YEAR, True),
        (date(2025, 1, 1), YEAR, False),  # this year runs to December
        (date(2025, 5, 1), MONTH, False),  # May ended three days ago
        (date(2025, 4, 1), MONTH, True),
    ],
)
def test_is_historical(d: date, precision: str, historical: bool) -> None:
    assert is_historical(d, TUESDAY, precision=precision) is historical


def test_is_historical_takes_a_window() -> None:
    assert is_historical(date(2025, 5, 30), TUESDAY, days=2)
    assert not is_historical(date(2025, 5, 30), TUESDAY, days=7)


@pytest.mark.parametrize(
    ("d", "precision", "end"),
    [
        (date(2025, 6, 2), WEEK, date(2025, 6, 8)),
        (date(2025, 5, 31), WEEK, date(2025, 6, 1)),  # a weekend
        (date(2024, 2, 1), MONTH, date(2024, 2, 29)),
        (date(2025, 12, 1), MONTH, date(2025, 12, 31)),
        (date(2013, 1, 1), YEAR, date(2013, 12, 31)),
    ],
)
def test_period_end(d: date, precision: str, end: date) -> None:
    assert period_end(d, precision) == end


# (text, the span found, its kind)
SPANS = [
    ("Since early May, 400 troops have died.", "Since early May", "since"),
    ("Since the start of the month, 400 troops have died.", "Since the start of the month", "since"),
    ("400 troops have died since the month began.", "since the month began", "since"),
    ("Since 2012, the north has known no peace.", "Since 2012", "since"),
    ("400 soldats sont morts depuis le début du mois.", "depuis le début du mois", "since"),
    ("400 soldats sont morts depuis début mai.", "depuis début mai", "since"),
    ("Depuis 2012, le nord ne connaît pas la paix.", "Depuis 2012", "since"),
    ("400 soldats sont morts depuis le début de l'année.", "depuis le début de l'année", "since"),
    ("400 soldats sont morts depuis plusieurs mois.", "depuis plusieurs mois", "since"),
    ("400 troops died over the past year.", "over the past year", "period"),
    ("400 troops died in the past three months.", "in the past three months", "period"),
    ("400 troops died in recent weeks.", "in recent weeks", "period"),
    ("400 soldats sont morts au cours des derniers mois.", "au cours des derniers mois", "period"),
    (
        "400 soldats sont morts au cours des trois derniers mois.",
        "au cours des trois derniers mois",
        "period",
    ),
    ("400 soldats sont morts ces dernières semaines.", "ces dernières semaines", "period"),
    ("400 troops died this year.", "this year", "this_year"),
    ("400 troops died so far this year.", "so far this year", "this_year"),
    ("400 soldats sont morts cette année.", "cette année", "this_year"),
    ("Between 2020 and 2023, 400 troops died.", "Between 2020 and 2023", "years"),
    ("Entre 2020 et 2023, 400 soldats sont morts.", "Entre 2020 et 2023", "years"),
]


@pytest.mark.parametrize(("text", "surface", "kind"), SPANS)
def test_span(text: str, surface: str, kind: str) -> None:
    (span,) = find_spans(text)
    assert (span.text, span.kind) == (surface, kind)
    assert text[span.start : span.end] == surface


@pytest.mark.parametrize(
    "text",
    [
        "Earlier this year, 30 soldiers died in one ambush.",  # dates one event
        "Plus tôt cette année, 30 soldats sont morts dans une embuscade.",
        "Since the soldiers left, the town is quiet.",  # "since" as a conjunction
        "On June 2, 30 soldiers died.",
        "The town was retaken in 2013.",
    ],
)
def test_no_span(text: str) -> None:
    assert find_spans(text) == []


# --- dates within sane years, whatever the publication date --------------------------------

_EVERY_KIND = (
    "Le 3 juin, hier, dimanche dernier, la semaine dernière, le mois dernier, l'an dernier, en juin, "
    "en 2013, il y a trois jours, le 02/06/2025, 2025-06-02, dans la nuit de samedi à dimanche. "
    "On June 2, yesterday, last Sunday, last week, last month, last year, in June, in 2013, "
    "three days ago, overnight between June 1-2, this year."
)


@pytest.mark.parametrize(
    "published", [date(1, 1, 1), date(1, 1, 2), date(1899, 12, 31), date(9998, 1, 1), date(9999, 12, 31)]
)
def test_a_publication_date_at_the_calendar_s_ends_raises_nothing(published: date) -> None:
    found = find_dates(_EVERY_KIND, published)
    assert found, "the dates are still read"
    for d in found:  # resolved against the nearest sane publication date
        assert 1900 <= d.date.year <= 9998
        assert period_end(d.date, d.precision) >= d.date
        is_historical(d.date, published, 14, d.precision)


def test_a_year_past_publication_is_no_date() -> None:
    published = date(2025, 6, 3)
    texts = ["The fighting of 12/05/2087 is told.", "Elections are due in 2099.", "La fin de la guerre, le 2087-01-01."]
    assert [find_dates(t, published) for t in texts] == [[], [], []]
    (next_year,) = find_dates("Elections are due in 2026.", published)
    assert next_year.date == date(2026, 1, 1)
