"""When two reports may tell one event: their places, dates and types agree.

A report (with its source: an ``Account``) agrees with a stored report when

* the *place* agrees: the same gazetteer entry; or both places precise and at most
  ``link_distance_km`` apart; or, when either place is vague (a region or cercle, or no
  coordinates), the same admin2 (cercle, province) in the same country;
* the *dates* agree: each report stands for a span of days (a day; a week; a month; a year;
  an undated report, the ``link_window_days`` before its publication) and the two spans are
  at most ``link_window_days`` apart. A report undated or dated only by its year never links
  on a vague place: a date that is only the publication date proves little;
* the *types* are compatible (``TYPE_COMPATIBLE``; an unknown type fits any).

``search_for`` turns an account into the store's candidate search (a superset of what
agrees); ``agreement`` decides, and says how closely.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from monitor.config import IncidentsConfig
from monitor.models import Location, Report
from monitor.reading import distance_km, period_end
from monitor.register.records import Account, Search

VAGUE_FEATURES = frozenset({"PCLI", "ADM1", "ADM2", "ADM3", "ADMD", "RGN"})
DATED_PRECISIONS = frozenset({"day", "week", "month"})  # dates precise enough to link on a vague place
SPAN_PRECISIONS = frozenset({*DATED_PRECISIONS, "year"})  # dates that stand for their own span of days

# ACLED event types that one real event may be reported as: an attack on a base is a battle to
# one outlet and shelling or a car bomb to another; a massacre may be told as clashes with a
# self-defence militia. Protests and riots blur the same way.
_BATTLES = "Battles"
_EXPLOSIONS = "Explosions/Remote violence"
_CIVILIANS = "Violence against civilians"
TYPE_COMPATIBLE = frozenset(
    {
        frozenset({_BATTLES, _EXPLOSIONS}),
        frozenset({_BATTLES, _CIVILIANS}),
        frozenset({_EXPLOSIONS, _CIVILIANS}),
        frozenset({"Protests", "Riots"}),
    }
)
# when reports disagree on the type and are equally many, the gravest wins
_TYPE_ORDER = (_BATTLES, _EXPLOSIONS, _CIVILIANS, "Strategic developments", "Riots", "Protests")

# place agreement, best first
SAME_PLACE = 3
NEAR = 2
SAME_ADMIN2 = 1


def is_dated(report: Report) -> bool:
    """A date of a day, week or month: one a vague place may link on."""
    return report.event_date is not None and report.date_precision in DATED_PRECISIONS


def stored_precision(report: Report) -> str:
    """The precision as stored: day, week, month, year, or unknown (no date of its own)."""
    if report.event_date is not None and report.date_precision in SPAN_PRECISIONS:
        return report.date_precision
    return "unknown"


def day_span(report: Report, published: date, rules: IncidentsConfig) -> tuple[date, date]:
    """The days a report's date stands for (a year: the whole year); undated, the days before publication."""
    if report.event_date is not None and report.date_precision in SPAN_PRECISIONS:
        return report.event_date, period_end(report.event_date, report.date_precision)
    return published - timedelta(days=rules.link_window_days), published


def is_historical(account: Account, rules: IncidentsConfig) -> bool:
    """History, not news: the report says so, or the event ended before the freshness window."""
    report = account.report
    if account.source.origin == "seed":
        return False
    if report.historical:
        return True
    if report.event_date is None or report.date_precision not in SPAN_PRECISIONS:
        return False
    cutoff = account.source.published.date() - timedelta(days=rules.freshness_days)
    return period_end(report.event_date, report.date_precision) < cutoff


def is_vague(location: Location) -> bool:
    """A region, a cercle, a country, or a place without coordinates."""
    return location.lat is None or location.lon is None or (location.feature_code or "") in VAGUE_FEATURES


def place_agreement(a: Location, b: Location, rules: IncidentsConfig) -> tuple[int, float, str] | None:
    """(tier, km, how) when two places may be where one event happened, else None."""
    if _same_entry(a, b):
        return SAME_PLACE, 0.0, f"same place ({a.name})"
    vague = is_vague(a) or is_vague(b)
    if not vague:
        km = distance_km((a.lat, a.lon), (b.lat, b.lon))  # type: ignore[arg-type]
        if km <= rules.link_distance_km:
            return NEAR, km, f"{b.name} is {km:.0f} km from {a.name}"
        return None
    if a.admin2 and b.admin2 and a.admin2.casefold() == b.admin2.casefold() and (a.country or "") == (b.country or ""):
        return SAME_ADMIN2, rules.link_distance_km, f"same admin2 ({a.admin2})"
    return None


def _same_entry(a: Location, b: Location) -> bool:
    if a.place_id or b.place_id:
        return a.place_id == b.place_id
    return a.name.casefold() == b.name.casefold() and a.country == b.country


def type_score(a: str | None, b: str | None) -> int | None:
    """2 for the same type, 1 for compatible ones (or an unknown one), None when they differ."""
    if a is None or b is None:
        return 1
    if a == b:
        return 2
    return 1 if frozenset({a, b}) in TYPE_COMPATIBLE else None


@dataclass(frozen=True, order=True)
class Agreement:
    """How well a report agrees with one stored report: larger is better."""

    tier: int
    type_score: int
    closeness: int  # minus the gap in days
    nearness: float  # minus the distance in km
    how: str = field(compare=False)


def agreement(new: Account, old: Account, rules: IncidentsConfig) -> Agreement | None:
    """Whether two accounts may tell the same event (place, date, type), and how closely."""
    a, b = new.report, old.report
    if a.location is None or b.location is None:
        return None
    place = place_agreement(a.location, b.location, rules)
    if place is None:
        return None
    tier, km, how = place
    if (not is_dated(a) or not is_dated(b)) and tier < NEAR:
        return None  # a vague place and a date that is only a publication date: too little
    gap = _gap_days(day_span(a, new.source.published.date(), rules), day_span(b, old.source.published.date(), rules))
    if gap > rules.link_window_days:
        return None
    types = type_score(a.event_type, b.event_type)
    if types is None:
        return None
    return Agreement(tier, types, -gap, -km, how)


def _gap_days(a: tuple[date, date], b: tuple[date, date]) -> int:
    return max(0, (a[0] - b[1]).days, (b[0] - a[1]).days)


def bounding_box(location: Location, km: float) -> tuple[float, float, float, float] | None:
    """A lat/lon box holding every point within ``km`` of the place (for an indexed search)."""
    if location.lat is None or location.lon is None:
        return None
    dlat = km / 111.0 + 1e-6
    dlon = km / (111.0 * max(math.cos(math.radians(location.lat)), 0.01)) + 1e-6
    return location.lat - dlat, location.lat + dlat, location.lon - dlon, location.lon + dlon


def search_for(account: Account, rules: IncidentsConfig) -> Search | None:
    """The store's candidate search for one account; None when it cannot link (no place)."""
    location = account.report.location
    if location is None:
        return None
    first, last = day_span(account.report, account.source.published.date(), rules)
    window = timedelta(days=rules.link_window_days)
    return Search(
        first_day=first - window,
        last_day=last + window,
        place_id=location.place_id,
        bbox=None if is_vague(location) else bounding_box(location, rules.link_distance_km),
        admin2=location.admin2 or None,
        country=location.country,
        vague=is_vague(location),
    )


__all__ = [
    "DATED_PRECISIONS",
    "NEAR",
    "SAME_ADMIN2",
    "SAME_PLACE",
    "SPAN_PRECISIONS",
    "TYPE_COMPATIBLE",
    "VAGUE_FEATURES",
    "Agreement",
    "agreement",
    "bounding_box",
    "day_span",
    "is_dated",
    "is_historical",
    "is_vague",
    "place_agreement",
    "search_for",
    "stored_precision",
    "type_score",
]
