"""Dates in English and French news text, resolved against the article's publication date.

``find_dates(text, published, lang)`` returns ``DateMention``s with a precision of ``day``,
``week``, ``month`` or ``year``:

* Explicit: "June 2", "2 June", "June 2, 2025", "the 2nd of June", "2 juin", "le 1er juin",
  "1er juin 2025", "Sunday, June 1", "dimanche 1er juin", "02/06/2025", "2025-06-02";
  "June 2 and 3" and "2 et 3 juin" give one mention per day; a list "On 21, 23 and 27
  February" gives its first and last day (the incident began on the first). Month precision: "in June",
  "en juin", "early June", "début juin", "mi-juin", "June 2025". Year: "in 2013", "en 2013",
  "since 2012", "early 2013", "fin 2023".
* Relative (``relative=True``): "yesterday"/"hier", "the day before yesterday"/"avant-hier",
  "today"/"aujourd'hui"/"this morning"/"ce matin", "last night"/"la nuit dernière",
  weekdays ("on Sunday", "dimanche", "ce dimanche", "dimanche dernier", "Sunday's attack"),
  "la nuit de samedi à dimanche", "last week"/"la semaine dernière", "last weekend",
  "earlier this month"/"last month", "this year"/"last year", "three days ago"/"il y a trois
  jours".

Conventions (chosen for news about incidents, which report the past):

* A date without a year takes the year that puts it on or before the publication date; one
  day of slack absorbs time zones and late-night publishing. A "December 30" in an article of
  January 2 is last year's. When a weekday is given too ("dimanche 1er juin"), a year whose
  calendar agrees with it is preferred.
* A bare weekday is the most recent such day on or before publication: "on Sunday" in a
  Monday article is yesterday, in a Sunday article it is today. "Last Sunday"/"dimanche
  dernier" is strictly before publication.
* A night between two named days belongs to the day it starts on, as coded conflict data
  (ACLED) dates it: "la nuit de samedi à dimanche" and "dans la nuit du 1er au 2 juin" are
  the Saturday and June 1, with precision ``day``, and so are "overnight between June 1-2",
  "the night of June 1 to 2", "the night between 1 and 2 June". A night named relative to
  the article ("last night"/"la nuit dernière"/"cette nuit", "overnight" alone) is the
  publication day, the one day a morning's "last night" and an evening's "cette nuit"
  share; "hier soir"/"Saturday night" stay on their day.
* Week precision dates carry the Monday of that week (the Saturday for a weekend); month
  precision the 1st of the month; year precision January 1st.
* Numeric dates are day-first (the Sahel press, French and English, writes 02/06/2025 for
  June 2); month-first is used only when day-first is impossible (06/25/2025).
* ``lang`` picks the month and weekday names: "en", "fr" or None for both. English names
  must be capitalised, so the verb "may" and the verb "march" are not months.
* ``relative`` is True when the date was computed from the publication date (weekdays,
  "yesterday", "last week"); explicit dates whose year was inferred are not relative.

``find_spans(text)`` finds time spans that make a number an aggregate rather than one
incident's toll: "since early May", "since the start of the month", "since 2012", "depuis
le début du mois", "depuis début mai", "depuis 2012", "over the past year", "in recent
weeks", "au cours des derniers mois", "ces derniers mois", "this year"/"cette année" (but
not "earlier this year", which dates one event), "between 2020 and 2023".

Speed: no dateparser (too slow and too loose). An Aho-Corasick pass (``PhraseStarts``) finds
the month and weekday names, relative words and years every expression holds; one
precompiled regex is then tried only at those anchors and the few words before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from monitor.reading.numbers import (
    PhraseStarts,
    normalised,
    parse_count,
    word_alternation,
)

DAY = "day"
WEEK = "week"
MONTH = "month"
YEAR = "year"


@dataclass(frozen=True)
class DateMention:
    """One date in a text: ``text[start:end]`` is its surface form."""

    start: int
    end: int
    date: date
    precision: str  # DAY, WEEK, MONTH or YEAR
    relative: bool  # computed from the publication date
    text: str


@dataclass(frozen=True)
class Span:
    """A stretch of time that makes a figure beside it a cumulative total."""

    start: int
    end: int
    kind: str  # "since", "period", "this_year" or "years"
    text: str


EARLIEST_YEAR = 1900  # no date of the news is older; a year before it is a number or a typo
# a publication date is read as given between these; beyond them it is taken as the nearest
# (the arithmetic of relative dates would step out of Python's years 1 to 9999, and a date
# one year past publication must still have a month's end)
EARLIEST_PUBLISHED = date(EARLIEST_YEAR, 1, 1)
LATEST_PUBLISHED = date(9997, 12, 31)


def sane_publication(published: date) -> date:
    """The publication date dates are resolved against: a datetime's day, within
    ``EARLIEST_PUBLISHED`` and ``LATEST_PUBLISHED`` (a feed's year 1 or 9999 reads as those)."""
    day = published.date() if isinstance(published, datetime) else published
    return min(max(day, EARLIEST_PUBLISHED), LATEST_PUBLISHED)


def sane_year(year: int, published: date) -> bool:
    """Whether a date of this year can be an incident's: from 1900 to a year after publication
    (a feed's clock may run ahead; "2087" in a 2025 article is no date of it)."""
    return EARLIEST_YEAR <= year <= published.year + 1


def is_historical(d: date, published: date, days: int = 14, precision: str = DAY) -> bool:
    """Whether a period ended more than ``days`` before publication: history, not news."""
    return period_end(d, precision) < sane_publication(published) - timedelta(days=days)


def period_end(d: date, precision: str) -> date:
    """The last day of the period a date of this precision stands for."""
    if precision == WEEK:
        return d + timedelta(days=6 - d.weekday()) if d.weekday() < 5 else d + timedelta(days=1)
    if precision == MONTH:
        return _first_of_next_month(d) - timedelta(days=1)
    if precision == YEAR:
        return date(d.year, 12, 31)
    return d


# --- vocabularies -----------------------------------------------------------------------

_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_EN_MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_FR_MONTHS = {
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}  # fmt: skip
_FR_MONTH_ABBREVIATIONS = {
    "janv": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
    "déc": 12,
}  # fmt: skip
_EN_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_FR_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6,
}  # fmt: skip

_BARE = str.maketrans("éèêëàâçôûùîï", "eeeeaacouuii")


def _with_bare_forms(table: dict[str, int]) -> dict[str, int]:
    """The table plus its keys without accents, as sloppy sources write them."""
    return {**table, **{k.translate(_BARE): v for k, v in table.items()}}


_MONTH_NUMBERS = _with_bare_forms(
    {**_EN_MONTHS, **_EN_MONTH_ABBREVIATIONS, **_FR_MONTHS, **_FR_MONTH_ABBREVIATIONS}
)
_WEEKDAY_NUMBERS = _with_bare_forms({**_EN_WEEKDAYS, **_FR_WEEKDAYS})
# English names are capitalised in running text; lower case they are words ("may", "march")
_ENGLISH_ONLY_NAMES = (set(_EN_MONTHS) | set(_EN_MONTH_ABBREVIATIONS) | set(_EN_WEEKDAYS)) - set(
    _with_bare_forms({**_FR_MONTHS, **_FR_MONTH_ABBREVIATIONS})
)

# relative phrases: (unit, offset) — unit "day" offsets days, "week"/"weekend"/"month"/"year"
# offset whole periods from the one containing the publication date
# words that may open a date phrase ("le 2 juin", "on Sunday", "during the night")
_LEAD_WORDS = (
    "le", "on", "the", "last", "this", "past", "ce", "dans", "pendant", "durant", "la", "in",
    "during", "overnight",
)

_RELATIVE_PHRASES: dict[str, tuple[str, int]] = {
    **dict.fromkeys(
        ["today", "this morning", "this afternoon", "this evening", "tonight", "earlier today",
         "last night", "overnight", "aujourd'hui", "ce matin", "cet après-midi", "ce soir",
         "cette nuit", "la nuit dernière", "dans la nuit d'hier à aujourd'hui"], ("day", 0)),
    **dict.fromkeys(
        ["yesterday", "yesterday morning", "yesterday afternoon", "yesterday evening",
         "last evening", "hier", "hier matin", "hier après-midi", "hier soir",
         "dans la nuit d'avant-hier à hier"], ("day", -1)),
    **dict.fromkeys(
        ["the day before yesterday", "avant-hier", "avant hier"], ("day", -2)),
    **dict.fromkeys(
        ["this week", "earlier this week", "cette semaine", "en début de semaine",
         "plus tôt cette semaine", "plus tôt dans la semaine"], ("week", 0)),
    **dict.fromkeys(
        ["last week", "la semaine dernière", "la semaine passée"], ("week", -1)),
    **dict.fromkeys(
        ["this weekend", "over the weekend", "at the weekend", "ce week-end", "ce weekend",
         "le week-end", "le weekend"], ("weekend", 0)),
    **dict.fromkeys(
        ["last weekend", "le week-end dernier", "le weekend dernier", "le week-end passé"],
        ("weekend", -1)),
    **dict.fromkeys(
        ["this month", "earlier this month", "ce mois-ci", "plus tôt ce mois-ci",
         "en début de mois", "début du mois", "au début du mois"], ("month", 0)),
    **dict.fromkeys(
        ["last month", "le mois dernier", "le mois passé"], ("month", -1)),
    **dict.fromkeys(
        ["this year", "earlier this year", "cette année", "plus tôt cette année"], ("year", 0)),
    **dict.fromkeys(
        ["last year", "l'année dernière", "l'an dernier", "l'année passée", "l'an passé"],
        ("year", -1)),
}  # fmt: skip
_RELATIVE_KEYS = {re.sub(r"\W+", " ", k.translate(_BARE)).strip(): v for k, v in _RELATIVE_PHRASES.items()}

_AGO_UNITS = {
    "day": 1, "days": 1, "jour": 1, "jours": 1, "week": 7, "weeks": 7, "semaine": 7,
    "semaines": 7,
}  # fmt: skip

_SMALL_NUMBERS = [
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "un", "une", "deux", "trois", "quatre", "cinq", "sept", "huit", "neuf", "dix",
]  # fmt: skip

_MONTH_MODIFIERS = [
    "in", "en", "during", "durant", "pendant", "au mois de", "au mois d'", "in the month of",
    "courant", "early", "late", "mid", "mid-", "début", "fin", "mi-", "at the start of",
    "at the beginning of", "at the end of", "au début de", "au début d'", "à la fin de",
    "à la fin d'", "à la mi-", "since", "depuis", "earlier in", "later in", "du mois de",
    "in early", "in late", "in mid-", "until", "jusqu'en", "by", "from", "de",
]  # fmt: skip
_YEAR_MODIFIERS = [
    *_MONTH_MODIFIERS, "of", "till", "between", "entre", "the year", "l'année", "year",
    "au cours de", "in the year", "spring", "summer", "autumn", "winter", "printemps", "été",
    "automne", "hiver",
]  # fmt: skip

# --- the scanning regexes -----------------------------------------------------------------

_DAY_NUMBER = r"(?:[12]\d|3[01]|0?[1-9])(?:er|re|st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_NIGHT_OF = (
    r"(?:(?:dans|pendant|durant)\s+)?la\s+nuit\s+du\s+"
    r"|(?:(?:on|in|during)\s+)?the\s+night\s+(?:of|between|from)\s+(?:the\s+)?"
    r"|overnight\s+(?:(?:between|from|of|on)\s+(?:the\s+)?)?"
)
# "21, 23" in "On 21, 23 and 27 February": days listed between the first and the last
# (dropped: the incident began on the first)
_MORE_DAYS = rf"(?:\s*,\s*(?:{_DAY_NUMBER})(?!\d))*"
_DAY_JOINER = r"\s*,?\s*(?:-|–|and|et|au|to|&)\s*"


def _date_pattern(
    months: dict[str, int], full_months: dict[str, int], weekdays: dict[str, int]
) -> re.Pattern[str]:
    month = word_alternation(_with_bare_forms(months)) + r"(?![\w])(?:\.(?=\s*\d))?"  # "Mar. 3"
    full_month = word_alternation(_with_bare_forms(full_months)) + r"(?![\w])"
    weekday = word_alternation(_with_bare_forms(weekdays)) + r"(?![\w])"
    small_number = rf"(?:\d{{1,2}}|{word_alternation(_SMALL_NUMBERS)}(?![\w]))"
    # a cheap first look: only positions where some branch can start try the branches
    starter = word_alternation(
        [
            *_with_bare_forms(months),
            *_with_bare_forms(weekdays),
            *_RELATIVE_PHRASES,
            *_YEAR_MODIFIERS,
            *_LEAD_WORDS,
            "il y a",
            *_SMALL_NUMBERS,
        ]
    )
    return re.compile(
        rf"(?<![\w])(?=\d|{starter})(?:"
        rf"(?P<iso>(?P<iso_y>{_YEAR})-(?P<iso_m>1[0-2]|0?[1-9])-(?P<iso_d>[12]\d|3[01]|0?[1-9])(?!\d))"
        rf"|(?P<numeric>(?P<num_a>\d{{1,2}})[/.](?P<num_b>\d{{1,2}})[/.](?P<num_y>{_YEAR}|\d{{2}})(?![\d/.]\d))"
        rf"|(?P<night>(?:(?:dans|pendant|durant)\s+)?la\s+nuit\s+(?:de|du)\s+(?P<nw1>{weekday})\s+(?:à|au|a)\s+(?P<nw2>{weekday})"
        rf"|(?:(?:on|in|during)\s+)?the\s+night\s+(?:of|from|between)\s+(?P<nw3>{weekday})\s+(?:to|into|and)\s+(?P<nw4>{weekday})"
        rf"|overnight\s+(?:from\s+|between\s+)?(?P<nw5>{weekday})\s+(?:to|into|and)\s+(?P<nw6>{weekday}))"
        rf"|(?P<dm>(?:(?:le|on|the)\s+)?(?:(?P<dm_wd>{weekday})\s*,?\s+(?:the\s+|le\s+)?)?(?P<dm_night>{_NIGHT_OF})?"
        rf"(?P<dm_d1>{_DAY_NUMBER})(?:{_MORE_DAYS}{_DAY_JOINER}(?:the\s+)?(?P<dm_d2>{_DAY_NUMBER}))?"
        rf"\s+(?:of\s+)?(?P<dm_m>{month})(?:\s*,?\s*(?P<dm_y>{_YEAR}))?(?![\d]))"
        rf"|(?P<md>(?:on\s+)?(?:(?P<md_wd>{weekday})\s*,?\s+)?(?P<md_night>{_NIGHT_OF})?(?P<md_m>{month})\s+"
        rf"(?P<md_d1>{_DAY_NUMBER})(?:{_MORE_DAYS}{_DAY_JOINER}(?P<md_d2>{_DAY_NUMBER}))?"
        rf"(?:\s*,?\s*(?P<md_y>{_YEAR}))?(?![\d:]))"
        rf"|(?P<ago>(?P<ago_n>{small_number})\s+(?P<ago_u>days?|weeks?)\s+ago"
        rf"|il\s+y\s+a\s+(?P<ago_n2>{small_number})\s+(?P<ago_u2>jours?|semaines?))"
        rf"|(?P<rel>{word_alternation(_RELATIVE_PHRASES)})(?![\w])"
        rf"|(?P<wd>(?:(?P<wd_pre>last|this|past|on|ce|this\s+past)\s+)?(?P<wd_day>{weekday})(?P<wd_post>\s+(?:dernier|passé|passe))?)"
        rf"|(?P<mo>(?:(?P<mo_mod>{word_alternation(_MONTH_MODIFIERS)})\s*)?(?P<mo_m>{full_month})(?:\s+(?P<mo_y>{_YEAR})(?!\d))?)"
        rf"|(?P<yr>(?P<yr_mod>{word_alternation(_YEAR_MODIFIERS)})[\s\-]*(?P<yr_y>{_YEAR})(?![\d]))"
        rf")"
    )


# per language (None: both): month names with abbreviations, full month names, weekdays
_NAMES: dict[str | None, tuple[dict[str, int], dict[str, int], dict[str, int]]] = {
    "en": ({**_EN_MONTHS, **_EN_MONTH_ABBREVIATIONS}, _EN_MONTHS, _EN_WEEKDAYS),
    "fr": ({**_FR_MONTHS, **_FR_MONTH_ABBREVIATIONS}, _FR_MONTHS, _FR_WEEKDAYS),
    None: (
        {**_EN_MONTHS, **_EN_MONTH_ABBREVIATIONS, **_FR_MONTHS, **_FR_MONTH_ABBREVIATIONS},
        {**_EN_MONTHS, **_FR_MONTHS},
        {**_EN_WEEKDAYS, **_FR_WEEKDAYS},
    ),
}
_PATTERNS = {lang: _date_pattern(*names) for lang, names in _NAMES.items()}
_NEXT_BEFORE = re.compile(r"(?:next|coming|following)\s+$")
_NEXT_AFTER = re.compile(r"\s+(?:prochain|qui\s+vient)(?![\w])")


# except a night, whose anchor opens it: "overnight between 24 and 25 February 2020"
_NIGHT_ANCHORS = ("overnight", "the night", "la nuit")
_NIGHT_REACH = 64

# Every date expression holds one of these words or phrases, or a 19xx/20xx year. The
# automaton finds them in one pass; the regex is then tried only at the anchor and at the
# few words before it ("at the beginning of June", "dans la nuit de samedi à dimanche").
def _date_anchors(months: dict[str, int], weekdays: dict[str, int]) -> PhraseStarts:
    return PhraseStarts(
        ["19", "20", "il y a", "l'an", *_NIGHT_ANCHORS],
        whole_words=[*_with_bare_forms({**months, **weekdays}), *_RELATIVE_PHRASES, "ago"],
    )


# One automaton per pattern, with only the month and weekday names that pattern reads: in an
# English text "mardi" can start no match of the English pattern (no other word of it begins
# a month or weekday name of the other language), so anchoring there only costs regex
# attempts at it and the words before it (most failed attempts on mixed-language pages).
_DATE_ANCHORS = {lang: _date_anchors(months, weekdays) for lang, (months, _, weekdays) in _NAMES.items()}
_WORDS_BEFORE_ANCHOR = 4
# first words of the expressions that begin before their anchor ("le 2 juin", "in June")
_DATE_STARTERS = (
    {
        phrase.split()[0]
        for phrase in [
            *_MONTH_MODIFIERS,
            *_YEAR_MODIFIERS,
            *_RELATIVE_PHRASES,
            *_SMALL_NUMBERS,
            *_LEAD_WORDS,
            "il",
        ]
    }
    | set(_WEEKDAY_NUMBERS)
    | set(_MONTH_NUMBERS)
)
_AFTER_ANCHOR = 40  # no expression runs on further than this past its anchor


def find_dates(text: str, published: date, lang: str | None = None) -> list[DateMention]:
    """Every date mentioned in ``text``, resolved against ``published``, in text order.

    A publication date outside the years 1900 to 9997 is taken as the nearest of them, and
    dates outside 1900 to a year after publication are dropped (``sane_year``)."""
    published = sane_publication(published)
    norm = normalised(text)
    key = lang if lang in ("en", "fr") else None
    pattern = _PATTERNS[key]
    mentions: list[DateMention] = []
    done = 0
    for anchor in _DATE_ANCHORS[key](norm):
        if anchor < done or not _could_be_date(norm, anchor):
            continue
        m = _expression_at(pattern, norm, anchor, done)
        if m is not None:
            done = m.end()
            mentions.extend(_HANDLERS[m.lastgroup or ""](m, text, norm, published))
    return [d for d in mentions if sane_year(d.date.year, published)]


def _expression_at(pattern: re.Pattern[str], norm: str, anchor: int, done: int) -> re.Match[str] | None:
    """The leftmost date expression that starts a few words before ``anchor`` and covers it."""
    reach = _NIGHT_REACH if norm.startswith(_NIGHT_ANCHORS, anchor) else _AFTER_ANCHOR
    end = min(len(norm), anchor + reach)
    for start in _word_starts_before(norm, anchor, max(done, anchor - 48)):
        if start != anchor and not _may_start_date(norm, start):
            continue  # a regex attempt costs ~20 times this look at the word
        m = pattern.match(norm, start, end)
        if m is not None and m.end() > anchor:
            return m
    return None


def _may_start_date(norm: str, start: int) -> bool:
    word = norm[start : start + 16].split(" ", 1)[0].rstrip(",.;:)")
    return word in _DATE_STARTERS or word[:1].isdigit() or word.startswith(("mi-", "mid-", "l'", "d'"))


def _word_starts_before(norm: str, anchor: int, floor: int) -> list[int]:
    """The starts of up to four words before ``anchor``, then the anchor: leftmost first."""
    pieces = norm[floor:anchor].split(" ")
    if floor > 0 and norm[floor - 1] != " ":
        pieces = pieces[1:]  # the window began inside a word
    starts = [anchor]
    pos = anchor
    for piece in reversed(pieces):
        pos -= len(piece)
        if piece:
            starts.append(pos + 1 if piece[0] in "(\"«“'" else pos)
            if len(starts) > _WORDS_BEFORE_ANCHOR:
                break
        pos -= 1  # the space
    return starts[::-1]


def _could_be_date(norm: str, anchor: int) -> bool:
    """A "19"/"20" anchor must begin a four-digit year; word anchors always qualify."""
    if not norm[anchor].isdigit():
        return True
    return norm[anchor + 2 : anchor + 4].isdigit() and not norm[anchor + 4 : anchor + 5].isdigit()


# --- one handler per branch ---------------------------------------------------------------


def _iso(m: re.Match[str], text: str, low: str, published: date) -> list[DateMention]:
    d = _valid_date(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
    return [_mention(m, text, d, DAY, False)] if d else []


def _numeric(m: re.Match[str], text: str, low: str, published: date) -> list[DateMention]:
    a, b, y = int(m["num_a"]), int(m["num_b"]), int(m["num_y"])
    year = y if y >= 100 else 2000 + y
    day, month = (a, b) if b <= 12 else (b, a)  # day-first unless impossible
    d = _valid_date(year, month, day)
    return [_mention(m, text, d, DAY, False)] if d else []


def _night(m: re.Match[str], text: str, low: str, published: date) -> list[DateMention]:
    second = m["nw2"] or m["nw4"] or m["nw6"]
    names = [g for g in ("nw2", "nw4", "nw6") if m[g]]
    if not _named_properly(text, m.start(names[0]), second):
        return []
    ends = _weekday_on_or_before(_WEEKDAY_NUMBERS[second], published, strictly_before=False)
    d = ends - timedelta(days=1)  # the night began the evening before
    return [_mention(m, text, d, DAY, True)]


def _day_month(m: re.Match[str], text: str, low: str, published: date) -> list[DateMention]:
    return _days_of_month(m, text, published, "dm", m["dm_night"] is not None)


def _month_day(m: re.Match[str], text: str, low: str, published: date) -> list[DateMention]:
    return _days_of_month(m, text, published, "md", m["md_night"] is not None)


_DAY_GROUPS = {
    prefix: tuple(f"{prefix}_{g}" for g in ("m", "wd", "d1", "d2", "y")) for prefix in ("dm", "md")
}


def _days_of_month(
    m: re.Match[str], text: str, published: date, prefix: str, night: bool
) -> list[DateMention]:
    names = _DAY_GROUPS[prefix]
    month_text, weekday, d1, d2, year_text = m.group(*names)
    month_name = _name(month_text)
    if not _named_properly(text, m.start(names[0]), month_name):
        return []
    month = _MONTH_NUMBERS[month_name]
    wd = _WEEKDAY_NUMBERS[weekday] if weekday else None
    days = [d1] if night and d2 else [d1, d2]  # a night belongs to the day it starts on
    year = int(year_text) if year_text else None
    mentions = []
    for day_text in days:
        if day_text:
            day = int(day_text[:2]) if day_text[1:2].isdigit() else int(day_text[0])
            d = _valid_date(year, month, day) if year else _infer_year(month, day, published, wd)
            if d:
                mentions.append(_mention(m, text, d, DAY, False))
    return mentions


def _ago(m: re.Match[str], text: str, low: str, published: date) -> list[DateMention]:
    count_text = m["ago_n"] or m["ago_n2"]
    count = 1 if count_text in ("a", "an", "un", "une") else parse_count(count_text)
    unit = _AGO_UNITS[m["ago_u"] or m["ago_u2"]]
    if count is None or count > 60:
        return []
    d = published - timedelta(days=count * unit)
    return [_mention(m, text, d, DAY if unit == 1 else WEEK, True)]


def _relative(m: re.Match[str], text: str, low: str, published: date) -> list[DateMention]:
    unit, offset = _RELATIVE_KEYS[re.sub(r"\W+", " ", m["rel"].translate(_BARE)).strip()]
    d, precision = _shift(published, unit, offset)
    return [_mention(m, text, d, precision, True)]


def _weekday(m: re.Match[str], text: str, low: str, published: date) -> list[DateMention]:
    name = _name(m["wd_day"])
    if not _named_properly(text, m.start("wd_day"), name) or _is_future(low, m):
        return []
    last = (m["wd_pre"] or "").startswith("last") or m["wd_post"] is not None
    d = _weekday_on_or_before(_WEEKDAY_NUMBERS[name], published, strictly_before=last)
    return [_mention(m, text, d, DAY, True)]


def _month(m: re.Match[str], text: str, low: str, published: date) -> list[DateMention]:
    name = _name(m["mo_m"])
    if not (m["mo_mod"] or m["mo_y"]) or not _named_properly(text, m.start("mo_m"), name):
        return []  # a bare "June" may be a name; "in June" and "June 2025" are months
    month = _MONTH_NUMBERS[name]
    year = int(m["mo_y"]) if m["mo_y"] else _year_of_month(month, published)
    return [_mention(m, text, date(year, month, 1), MONTH, False)]


def _year(m: re.Match[str], text: str, low: str, published: date) -> list[DateMention]:
    return [_mention(m, text, date(int(m["yr_y"]), 1, 1), YEAR, False)]


_HANDLERS = {
    "iso": _iso,
    "numeric": _numeric,
    "night": _night,
    "dm": _day_month,
    "md": _month_day,
    "ago": _ago,
    "rel": _relative,
    "wd": _weekday,
    "mo": _month,
    "yr": _year,
}

# --- calendar rules -------------------------------------------------------------------------

_SLACK = timedelta(days=1)  # time zones and late-night publishing


def _infer_year(month: int, day: int, published: date, weekday: int | None) -> date | None:
    """The year that puts month/day on or before publication (agreeing with a weekday if given)."""
    candidates = [d for y in (published.year, published.year - 1) if (d := _valid_date(y, month, day))]
    past = [d for d in candidates if d <= published + _SLACK]
    if weekday is not None:
        agreeing = [d for d in past if d.weekday() == weekday]
        if agreeing:
            return agreeing[0]
    return past[0] if past else None


def _year_of_month(month: int, published: date) -> int:
    return published.year if date(published.year, month, 1) <= published else published.year - 1


def _weekday_on_or_before(weekday: int, published: date, strictly_before: bool) -> date:
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - timedelta(days=back)


def _shift(published: date, unit: str, offset: int) -> tuple[date, str]:
    """The start of the period ``offset`` periods away from the one containing ``published``."""
    if unit == "day":
        return published + timedelta(days=offset), DAY
    if unit == "week":
        monday = published - timedelta(days=published.weekday())
        return monday + timedelta(weeks=offset), WEEK
    if unit == "weekend":
        saturday = _weekday_on_or_before(5, published, strictly_before=False)
        if offset and published.weekday() >= 5:
            saturday -= timedelta(weeks=1)  # "last weekend" said during a weekend
        return saturday, WEEK
    if unit == "month":
        first = published.replace(day=1)
        return (_first_of_previous_month(first) if offset else first), MONTH
    return date(published.year + offset, 1, 1), YEAR


def _first_of_previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _first_of_next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def _valid_date(year: int | None, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if year else None
    except ValueError:
        return None


def _name(surface: str) -> str:
    return surface.rstrip(".").strip()


def _named_properly(text: str, start: int, name: str) -> bool:
    """English month and day names are capitalised; lower case they are ordinary words."""
    return _name(name) not in _ENGLISH_ONLY_NAMES or text[start].isupper()


def _is_future(low: str, m: re.Match[str]) -> bool:
    before = _NEXT_BEFORE.search(low, max(0, m.start() - 12), m.start())
    return before is not None or _NEXT_AFTER.match(low, m.end()) is not None


def _mention(m: re.Match[str], text: str, d: date, precision: str, relative: bool) -> DateMention:
    return DateMention(m.start(), m.end(), d, precision, relative, text[m.start() : m.end()])


# --- aggregate spans -------------------------------------------------------------------------

_SPAN_NUMBER = r"(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|twelve|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze)"
_SPAN_UNITS_EN = r"(?:days?|weeks?|months?|years?|decades?)"
_SPAN_UNITS_FR = r"(?:jours|semaines|mois|ann[ée]es|ans|décennies|decennies)"
_ANY_MONTH = word_alternation(_with_bare_forms({**_EN_MONTHS, **_FR_MONTHS})) + r"(?![\w])"
_SINCE_MODIFIER = (
    r"(?:(?:early|late|mid|the\s+(?:start|beginning|end|middle|outbreak|onset)\s+of"
    r"|le\s+d[ée]but\s+(?:de\s+|du\s+|d['’]\s*)|la\s+fin\s+(?:de\s+|du\s+|d['’]\s*)"
    r"|d[ée]but|fin|mi)[\s\-]*)?"
)
_SINCE_OBJECT = (
    rf"(?:{_ANY_MONTH}(?:\s+{_YEAR})?|{_YEAR}(?![\d])"
    r"|(?:the|this|last)\s+(?:month|year|week)(?:\s+(?:began|started|begun))?"
    r"|(?:le\s+|la\s+|l['’]\s*|ce\s+|cette\s+)?(?:mois|ann[ée]e|an|semaine)"
    r"(?:\s+(?:dernier|derni[èe]re|pass[ée]e?))?(?![\w])"
    r"|(?:the\s+|this\s+)?(?:crisis|conflict|insurgency|war|rebellion|campaign|offensive)"
    r"|(?:la\s+|le\s+|l['’]\s*)?(?:crise|conflit|insurrection|guerre|r[ée]bellion|offensive)"
    rf"|(?:plusieurs|quelques|des|{_SPAN_NUMBER})\s+(?:{_SPAN_UNITS_FR}|{_SPAN_UNITS_EN})"
    r"|then|lors)"
)
_SPANS = re.compile(
    r"(?<![\w])(?:"
    rf"(?P<since>(?:since|depuis)\s+{_SINCE_MODIFIER}{_SINCE_OBJECT})"
    rf"|(?P<period>(?:over|in|during|within|for|throughout)\s+the\s+(?:past|last|previous)\s+"
    rf"(?:(?:{_SPAN_NUMBER}|few|several|couple\s+of)\s+)?{_SPAN_UNITS_EN}"
    rf"|in\s+recent\s+(?:days|weeks|months|years)"
    rf"|(?:au\s+cours|durant|pendant|lors)\s+(?:des|de\s+ces)\s+(?:(?:{_SPAN_NUMBER}|derniers|derni[èe]res)\s+)?"
    rf"(?:(?:derniers|derni[èe]res)\s+)?{_SPAN_UNITS_FR}"
    rf"|ces\s+(?:derniers|derni[èe]res)\s+{_SPAN_UNITS_FR}"
    rf"|en\s+l['’]\s*espace\s+d['’]?\s*(?:e\s+)?(?:{_SPAN_NUMBER}|quelques)\s+{_SPAN_UNITS_FR})"
    r"|(?P<this_year>(?:so\s+far\s+)?this\s+year|year\s+to\s+date|(?:jusqu['’]ici\s+)?cette\s+ann[ée]e)"
    rf"|(?P<years>(?:between|from|entre|de)\s+{_YEAR}\s+(?:and|to|et|à)\s+{_YEAR}|{_YEAR}\s*[\-–]\s*{_YEAR})"
    r")(?![\w])"
)
_EARLIER_BEFORE = re.compile(r"(?:earlier|plus\s+t[ôo]t)\s+$")


_SPAN_STARTS = PhraseStarts(
    ["19", "20", "de 19", "de 20"],
    whole_words=[
        "since", "depuis", "over the", "in the past", "in the last", "in the previous",
        "during the", "within the", "for the", "throughout the", "in recent", "au cours des",
        "au cours de ces", "durant des", "durant ces", "pendant des", "pendant ces", "lors des",
        "lors de ces", "ces derniers", "ces dernières", "en l'espace", "so far this", "this year",
        "year to date", "cette année", "jusqu'ici cette", "between", "from", "entre",
    ],
)  # fmt: skip


def find_spans(text: str, norm: str | None = None) -> list[Span]:
    """Time spans ("since early May", "depuis 2012", "over the past year") in text order.

    ``norm`` is ``normalised(text)`` when the caller already has it.
    """
    low = normalised(text) if norm is None else norm
    spans: list[Span] = []
    done = 0
    for start in _SPAN_STARTS(low):
        m = _SPANS.match(low, start) if start >= done else None
        if m is None:
            continue
        done = m.end()
        kind = m.lastgroup or "period"
        if kind == "this_year" and _EARLIER_BEFORE.search(low, max(0, m.start() - 12), m.start()):
            continue  # "earlier this year" dates one event; it sums nothing
        spans.append(Span(m.start(), m.end(), kind, text[m.start() : m.end()]))
    return spans
