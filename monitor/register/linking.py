"""The incident register's rules: which reports are one event, what the toll is, when it escalates.

Pure functions of values and an injected ``now``: no SQL, no clock, no network. The store
(``monitor.store.incidents``) finds candidate incidents and applies the ``Plan`` these
functions make, in one transaction. docs/incidents.md explains the rules for users.

**Linking.** A report (with its source: an ``Account``) agrees with a stored report when

* the *place* agrees: the same gazetteer entry; or both places precise and at most
  ``link_distance_km`` apart; or, when either place is vague (a region or cercle, or no
  coordinates), the same admin2 (cercle, province) in the same country;
* the *dates* agree: each report stands for a span of days (a day; a week; a month; a year;
  an undated report, the ``link_window_days`` before its publication) and the two spans are
  at most ``link_window_days`` apart. A report undated or dated only by its year never links
  on a vague place: a date that is only the publication date proves little;
* the *types* are compatible (``TYPE_COMPATIBLE``; an unknown type fits any).

A report joins an incident when it agrees with any of the incident's reports. When it agrees
with several, it joins the best: the closest kind of place agreement (same entry, then near,
then same admin2), then more shared actors, the same type, the closer date, the closer place,
the more similar toll; then the canonical incident (known first, earliest date, lowest id).
The reports of one article go to different incidents (greedy, best pairs first), and an
article never feeds an incident twice.

**Order independence.** If a report agrees with more than one incident, arrival order decided
that they were apart: had the reports come in another order they would be one incident. So
the others are merged into the canonical one, unless two of them share an article (the
article said they are distinct events) or both are known (seeded incidents are curated).

**Tolls** (per kind and victim group, over every figure of every source): ``low`` is the most
conservative count any source gives (ACLED's rule: "at least 30" counts 30, "about 60" 60);
``best`` the highest such count (tolls rise as bodies are counted, and UCDP's best estimate is
the most reliable report, in practice the latest and highest); ``high`` the top of any stated
range. Across groups the named groups add up and an unspecified toll is taken to cover them
(``monitor.models.killed_total``).

**States.** A new incident is NEW (alertable unless its report is history: an event that
ended more than ``freshness_days`` before publication). A report that adds nothing new to the
picture makes it UPDATED; one that reaches a new *level* makes it ESCALATED: the killed toll
(best) reaches a tier, or rises by ``jump_ratio`` and ``jump_min`` since the toll last
reported to people, a flag that makes it worse appears (overrun, territory, hostages,
suicide), or a group claims it. Each level is reached once. Known incidents
(seeds/incidents.yaml) start in state KNOWN with the levels their facts reach, so that
reports of what is already known do not alert.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime, timedelta
from typing import Any

from monitor.config import IncidentsConfig
from monitor.models import (
    Figure,
    IncidentChange,
    IncidentSnapshot,
    Location,
    Report,
    SourceClaim,
    TollRange,
    killed_total,
)
from monitor.reading import UPPER_BOUND, conservative, distance_km, period_end

NEW = "NEW"
UPDATED = "UPDATED"
ESCALATED = "ESCALATED"
KNOWN = "KNOWN"
MERGED = "MERGED"

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

_FLAG_ORDER = ("overrun", "territory", "hostages", "suicide", "vbied")
_FLAG_WORDS = {
    "overrun": "the position was overrun",
    "territory": "territory was taken",
    "hostages": "hostages were taken",
    "suicide": "a suicide attack",
    "vbied": "a car bomb",
}


# --- values --------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a report comes from: an article, or a source named in seeds/incidents.yaml."""

    article_id: int | None  # None for seeds
    publisher: str
    url: str | None
    title: str
    published: datetime
    origin: str = "article"  # article | seed


@dataclass(frozen=True)
class Account:
    """One report and its source: what the register links."""

    report: Report
    source: Source
    position: int = 0  # the report's rank in its article (0: the main event)


@dataclass(frozen=True)
class IncidentRecord:
    """A stored incident as linking needs it: its accounts and the levels it has reached."""

    id: int
    state: str
    accounts: tuple[Account, ...]
    levels: frozenset[str] = frozenset()
    baseline: int = 0  # the killed toll (best) when people were last told about it
    known: bool = False
    seed_key: str | None = None
    seed_digest: str | None = None

    @property
    def article_ids(self) -> frozenset[int]:
        return frozenset(a.source.article_id for a in self.accounts if a.source.article_id is not None)


@dataclass(frozen=True)
class RegisterView:
    """What the store found for one article: candidate incidents, and the register's version."""

    version: int  # the last revision id: the plan is applied only if it has not moved
    next_id: int  # the id the next new incident gets
    incidents: Mapping[int, IncidentRecord]


@dataclass(frozen=True)
class Search:
    """What a candidate search in the store looks for (a superset; ``agreement`` decides)."""

    first_day: date  # spans reaching into [first_day, last_day] (window included)
    last_day: date
    place_id: str | None
    bbox: tuple[float, float, float, float] | None  # lat_min, lat_max, lon_min, lon_max
    admin2: str | None
    country: str | None
    vague: bool


@dataclass(frozen=True)
class Picture:
    """An incident as its accounts tell it."""

    event_date: date | None
    date_precision: str
    first_day: date | None  # the span of its reports' dates
    last_day: date | None
    location: Location | None
    event_type: str | None
    sub_event_type: str | None
    actors: tuple[str, ...]
    claimed_by: tuple[str, ...]
    flags: frozenset[str]
    tolls: tuple[TollRange, ...]
    killed: tuple[int, int, int]  # low, best, high across groups
    publishers: int
    sources: tuple[SourceClaim, ...]
    first_seen: datetime
    last_seen: datetime
    historical: bool  # every article about it tells history
    reports: int


@dataclass(frozen=True)
class PlacedAccount:
    """A new account to store, with the incident it joined (None: not linked) and how."""

    account: Account
    incident_id: int | None
    how: str  # "new incident", "same place", "12 km apart", "same admin2", or why not linked
    historical: bool


@dataclass(frozen=True)
class IncidentUpdate:
    """An incident as it must be stored after the plan."""

    id: int
    created: bool
    state: str
    picture: Picture
    known: bool
    seed_key: str | None
    seed_digest: str | None
    new_levels: tuple[tuple[str, str], ...]  # (level, reason) reached now
    baseline: int


@dataclass(frozen=True)
class Merge:
    absorbed: int
    into: int
    reason: str


@dataclass(frozen=True)
class Plan:
    """Everything one article (or one seed entry) changes in the register."""

    version: int
    accounts: tuple[PlacedAccount, ...] = ()
    incidents: tuple[IncidentUpdate, ...] = ()
    merges: tuple[Merge, ...] = ()
    changes: tuple[IncidentChange, ...] = ()
    replace_seed_accounts: tuple[int, ...] = ()  # incidents whose seed accounts are replaced

    @property
    def empty(self) -> bool:
        return not (self.accounts or self.incidents or self.merges)


# --- dates and places ----------------------------------------------------------


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


# --- tolls -------------------------------------------------------------------------


def tolls(figures: Iterable[Figure]) -> tuple[TollRange, ...]:
    """Low, best and high per kind and victim group over every source's figures (see the module doc)."""
    counts: dict[tuple[str, str], list[int]] = {}
    tops: dict[tuple[str, str], list[int]] = {}
    for f in figures:
        if f.low is None and f.high is None:
            continue
        key = (f.kind, f.group)
        if f.qualifier == UPPER_BOUND:  # a ceiling ("60 victims, dead and missing"): raises high only
            tops.setdefault(key, []).append(f.high or 0)
            continue
        count = conservative(f)
        counts.setdefault(key, []).append(count)
        tops.setdefault(key, []).append(max(count, f.high if f.high is not None else count))
    return tuple(
        TollRange(kind, group, min(counts[kind, group]), max(counts[kind, group]), max(tops[kind, group]))
        for kind, group in sorted(counts, key=_toll_order)
    )


_KIND_ORDER = ("killed", "wounded", "missing", "abducted", "arrested")
_GROUP_ORDER = ("military", "civilian", "assailants", "unspecified")


def _toll_order(key: tuple[str, str]) -> tuple[int, int, str, str]:
    kind, group = key
    return (
        _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER),
        _GROUP_ORDER.index(group) if group in _GROUP_ORDER else len(_GROUP_ORDER),
        kind,
        group,
    )


def toll_text(killed: tuple[int, int, int]) -> str:
    """``30-60 (best 31)``, ``14``, ``none reported``."""
    low, best, high = killed
    if high == 0:
        return "none reported"
    if low == high:
        return str(low)
    return f"{low}-{high} (best {best})"


# --- the picture ---------------------------------------------------------------------


def picture(accounts: Sequence[Account], rules: IncidentsConfig, sources: bool = True) -> Picture:
    """The incident its accounts describe. Depends on the set of accounts, not their order.

    ``sources=False`` leaves out who said what (``Picture.sources`` empty): enough to rank
    candidates, and cheaper.
    """
    accounts = sorted(accounts, key=_account_order)
    # the curated facts of a known incident decide where, when and what; articles add the rest
    seeds = [a for a in accounts if a.source.origin == "seed"]
    canon = seeds or accounts
    event_date, precision = _canonical_date(canon)
    spans = [day_span(a.report, a.source.published.date(), rules) for a in accounts if stored_precision(a.report) != "unknown"]
    ranges = tolls(f for a in accounts for f in a.report.figures)
    event_type = _mode([a.report.event_type for a in canon], _type_rank)
    articles = [a for a in accounts if a.source.origin != "seed"]
    return Picture(
        event_date=event_date,
        date_precision=precision,
        first_day=min((s[0] for s in spans), default=None),
        last_day=max((s[1] for s in spans), default=None),
        location=_canonical_place(canon),
        event_type=event_type,
        sub_event_type=_mode([a.report.sub_event_type for a in canon if a.report.event_type == event_type], str),
        actors=_ranked(actor for a in accounts for actor in a.report.actors),
        claimed_by=_ranked(actor for a in accounts for actor in a.report.claimed_by),
        flags=frozenset(flag for a in accounts for flag in a.report.flags),
        tolls=ranges,
        killed=killed_total(ranges),
        publishers=len({a.source.publisher.casefold() for a in accounts}),
        sources=tuple(_claim(a) for a in accounts) if sources else (),
        first_seen=min(a.source.published for a in accounts),
        last_seen=max(a.source.published for a in accounts),
        historical=bool(articles) and all(is_historical(a, rules) for a in articles),
        reports=len(accounts),
    )


def _count(values: Iterable[Any]) -> dict[Any, int]:
    """``collections.Counter``, without its cost for the two or three values a picture has."""
    counts: dict[Any, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


def _account_order(a: Account) -> tuple[Any, ...]:
    return (a.source.published, a.source.article_id or 0, a.position, a.source.publisher)


def _canonical_date(accounts: Sequence[Account]) -> tuple[date | None, str]:
    """The day most reports give (ties: the earliest); else the finest imprecise date."""
    for precision in ("day", "week", "month", "year"):
        days = [a.report.event_date for a in accounts if a.report.date_precision == precision and a.report.event_date]
        if days:
            counts = _count(days)
            return min(counts, key=lambda d: (-counts[d], d)), precision
    return None, "unknown"


def _canonical_place(accounts: Sequence[Account]) -> Location | None:
    """The place most reports name, precise places first."""
    places = [a.report.location for a in accounts if a.report.location is not None]
    if not places:
        return None
    precise = [p for p in places if not is_vague(p)] or places
    counts = _count(_place_key(p) for p in precise)
    best = min(counts, key=lambda k: (-counts[k], k))
    return next(p for p in precise if _place_key(p) == best)


def _place_key(p: Location) -> str:
    return p.place_id or f"{p.country}:{p.name.casefold()}"


def _type_rank(value: str) -> tuple[int, str]:
    return (_TYPE_ORDER.index(value) if value in _TYPE_ORDER else len(_TYPE_ORDER), value)


def _mode(values: Sequence[str | None], rank: Any) -> str | None:
    counts = _count(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], rank(v)))


def _ranked(values: Iterable[str]) -> tuple[str, ...]:
    """Distinct values, the most often named first (ties by name)."""
    counts = _count(values)
    return tuple(sorted(counts, key=lambda v: (-counts[v], v)))


def _claim(a: Account) -> SourceClaim:
    return SourceClaim(
        article_id=a.source.article_id or 0,
        publisher=a.source.publisher,
        url=a.source.url,
        title=a.source.title,
        published=a.source.published,
        figures=a.report.figures,
        evidence=a.report.evidence,
        origin=a.source.origin,
        event_date=a.report.event_date,
        date_precision=a.report.date_precision,
    )


# what an alert's snapshot takes from the picture: every field of it but these three
_PICTURED = tuple(f.name for f in fields(IncidentSnapshot) if f.name not in ("id", "state", "known"))


def snapshot(incident_id: int, state: str, p: Picture, known: bool) -> IncidentSnapshot:
    return IncidentSnapshot(id=incident_id, state=state, known=known, **{name: getattr(p, name) for name in _PICTURED})


# --- escalation ----------------------------------------------------------------------


def reached_levels(p: Picture, rules: IncidentsConfig) -> dict[str, str]:
    """Every level the picture stands at, with the words that say why, gravest first."""
    levels: dict[str, str] = {}
    best = p.killed[1]
    for tier in sorted(rules.killed_tiers, reverse=True):
        if best >= tier:
            levels[f"killed:{tier}"] = f"killed toll reached {tier} (now {toll_text(p.killed)})"
    for flag in sorted(p.flags & set(rules.escalating_flags), key=_flag_rank):
        levels[f"flag:{flag}"] = _FLAG_WORDS.get(flag, flag)
    if rules.claims_escalate:
        for actor in p.claimed_by:
            levels[f"claimed:{actor}"] = f"claimed by {actor}"
    return levels


def _flag_rank(flag: str) -> int:
    return _FLAG_ORDER.index(flag) if flag in _FLAG_ORDER else len(_FLAG_ORDER)


def jump(baseline: int, best: int, rules: IncidentsConfig) -> bool:
    """Whether the killed toll rose enough since people were last told to tell them again."""
    return best - baseline >= rules.jump_min and best >= baseline * (1 + rules.jump_ratio)


def escalation(
    record_levels: frozenset[str], baseline: int, p: Picture, rules: IncidentsConfig
) -> list[tuple[str, str]]:
    """The levels this picture reaches for the first time, gravest first, with why."""
    reached = [(level, why) for level, why in reached_levels(p, rules).items() if level not in record_levels]
    tiers = [item for item in reached if item[0].startswith("killed:")]
    others = [item for item in reached if not item[0].startswith("killed:")]
    # only the highest new tier is worth saying; the lower ones are recorded as passed
    tiers = [(level, why if i == 0 else f"passed with {tiers[0][0]}") for i, (level, why) in enumerate(tiers)]
    jumped = []
    if jump(baseline, p.killed[1], rules):
        jumped = [(f"killed:jump:{p.killed[1]}", f"killed toll rose from {baseline} to {p.killed[1]}")]
    return tiers + jumped + others


# --- planning: one article ------------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    account: Account
    record: IncidentRecord
    agreement: Agreement
    rank: tuple[Any, ...]


def plan_article(
    accounts: Sequence[Account], view: RegisterView, rules: IncidentsConfig, now: datetime, link: bool = True
) -> Plan:
    """Link one article's accounts into the register: which incidents they join, merge or make.

    ``link=False`` stores the accounts without linking them (an article judged not relevant).
    """
    pictures = {i: picture(r.accounts, rules, sources=False) for i, r in view.incidents.items()}
    linkable = [a for a in accounts if link and a.report.location is not None]
    placed: dict[int, PlacedAccount] = {}
    for a in accounts:
        if not link or a.report.location is None:
            why = "not linked: the article is not relevant" if not link else "not linked: no place"
            placed[a.position] = PlacedAccount(a, None, why, is_historical(a, rules))
    pairs = _pairs(linkable, view, pictures, rules)
    assigned = _assign(pairs)
    used = {p.record.id for p in assigned.values()}
    updates: list[IncidentUpdate] = []
    merges: list[Merge] = []
    changes: list[IncidentChange] = []
    for position in sorted(assigned):
        pair = assigned[position]
        group = _merge_group(pair, pairs, used, pictures)
        used.update(r.id for r in group)
        update, change, group_merges = _join(pair.account, group, pictures, rules, now)
        placed[position] = PlacedAccount(pair.account, update.id, pair.agreement.how, is_historical(pair.account, rules))
        updates.append(update)
        changes.append(change)
        merges += group_merges
    next_id = view.next_id
    for a in linkable:
        if a.position in assigned:
            continue
        update, change = _create(next_id, a, rules, now)
        placed[a.position] = PlacedAccount(a, next_id, "new incident", is_historical(a, rules))
        updates.append(update)
        changes.append(change)
        next_id += 1
    order = sorted(placed)
    return Plan(
        version=view.version,
        accounts=tuple(placed[p] for p in order),
        incidents=tuple(updates),
        merges=tuple(merges),
        changes=tuple(sorted(changes, key=lambda c: (_position_of(c, placed), c.incident_id))),
    )


def _position_of(change: IncidentChange, placed: Mapping[int, PlacedAccount]) -> int:
    return next((p for p, pa in placed.items() if pa.incident_id == change.incident_id), 0)


def _pairs(
    accounts: Sequence[Account], view: RegisterView, pictures: Mapping[int, Picture], rules: IncidentsConfig
) -> list[_Pair]:
    pairs = []
    for a in accounts:
        for record in view.incidents.values():
            if a.source.article_id is not None and a.source.article_id in record.article_ids:
                continue  # an article feeds an incident once
            found = [g for old in record.accounts if (g := agreement(a, old, rules)) is not None]
            if not found:
                continue
            best = max(found)
            p = pictures[record.id]
            rank = (
                -best.tier,
                -len(set(a.report.actors) & set(p.actors)),
                -best.type_score,
                -best.closeness,
                -best.nearness,
                abs(a.report.fatalities - p.killed[1]),
                *_canonical_key(record, p),
                a.position,
            )
            pairs.append(_Pair(a, record, best, rank))
    pairs.sort(key=lambda p: p.rank)
    return pairs


def _canonical_key(record: IncidentRecord, p: Picture) -> tuple[bool, int, int]:
    """Known incidents first, then the earliest, then the oldest id."""
    day = p.event_date.toordinal() if p.event_date else date.max.toordinal()
    return (not record.known, day, record.id)


def _assign(pairs: Sequence[_Pair]) -> dict[int, _Pair]:
    """Best pairs first; each account and each incident at most once per article."""
    assigned: dict[int, _Pair] = {}
    taken: set[int] = set()
    for pair in pairs:
        if pair.account.position in assigned or pair.record.id in taken:
            continue
        assigned[pair.account.position] = pair
        taken.add(pair.record.id)
    return assigned


def _merge_group(
    pair: _Pair, pairs: Sequence[_Pair], used: set[int], pictures: Mapping[int, Picture]
) -> list[IncidentRecord]:
    """The chosen incident and the others the account also agrees with that may be merged."""
    group = [pair.record]
    others = [q.record for q in pairs if q.account is pair.account and q.record.id not in used]
    for record in sorted(others, key=lambda r: _canonical_key(r, pictures[r.id])):
        if _mergeable(group, record):
            group.append(record)
    return sorted(group, key=lambda r: _canonical_key(r, pictures[r.id]))


def _mergeable(group: Sequence[IncidentRecord], record: IncidentRecord) -> bool:
    if record.known and any(r.known for r in group):
        return False  # known incidents are curated as distinct
    articles = frozenset().union(*(r.article_ids for r in group))
    return not (articles & record.article_ids)  # an article that names both says they differ


def _join(
    account: Account,
    group: Sequence[IncidentRecord],
    pictures: Mapping[int, Picture],
    rules: IncidentsConfig,
    now: datetime,
) -> tuple[IncidentUpdate, IncidentChange, list[Merge]]:
    target, absorbed = group[0], group[1:]
    accounts = [a for r in group for a in r.accounts] + [account]
    after = picture(accounts, rules)
    levels = frozenset().union(*(r.levels for r in group))
    baseline = max(r.baseline for r in group)
    new_levels = escalation(levels, baseline, after, rules)
    historical = is_historical(account, rules)
    merges = [
        Merge(r.id, target.id, f"the same event as incident {target.id}: a report agrees with both") for r in absorbed
    ]
    reasons = [f"{account.source.publisher} reports it ({after.publishers} publishers, {after.reports} reports)"]
    reasons += [f"merged with incident {r.id} ({_label(pictures[r.id])})" for r in absorbed]
    if after.killed != pictures[target.id].killed:
        reasons.append(f"killed toll now {toll_text(after.killed)}")
    if new_levels:
        state, level = ESCALATED, new_levels[0][0]
        reasons = [why for lvl, why in new_levels if not why.startswith("passed with")] + reasons
        if historical:
            reasons.append(_history_reason(account))
    else:
        state, level = UPDATED, "updated"
    seeded = next((r for r in group if r.known), None)
    update = IncidentUpdate(
        id=target.id,
        created=False,
        state=state,
        picture=after,
        known=seeded is not None,
        seed_key=seeded.seed_key if seeded else None,
        seed_digest=seeded.seed_digest if seeded else None,
        new_levels=tuple(new_levels),
        baseline=after.killed[1] if new_levels else baseline,
    )
    change = IncidentChange(
        incident_id=target.id,
        state=state,
        level=level,
        reasons=tuple(reasons),
        at=now,
        snapshot=snapshot(target.id, state, after, seeded is not None),
        alertable=state == ESCALATED and not historical,
    )
    return update, change, merges


def _create(incident_id: int, account: Account, rules: IncidentsConfig, now: datetime) -> tuple[IncidentUpdate, IncidentChange]:
    p = picture([account], rules)
    historical = is_historical(account, rules)
    reasons = [f"new incident: {_label(p)}, reported by {account.source.publisher}"]
    if p.killed[2]:
        reasons.append(f"killed: {toll_text(p.killed)}")
    levels = reached_levels(p, rules)
    reasons += [why for level, why in levels.items() if not level.startswith("killed:")]
    if historical:
        reasons.append(_history_reason(account))
    update = IncidentUpdate(
        id=incident_id,
        created=True,
        state=NEW,
        picture=p,
        known=False,
        seed_key=None,
        seed_digest=None,
        new_levels=(("new", reasons[0]), *levels.items()),
        baseline=p.killed[1],
    )
    change = IncidentChange(
        incident_id=incident_id,
        state=NEW,
        level="new",
        reasons=tuple(reasons),
        at=now,
        snapshot=snapshot(incident_id, NEW, p, False),
        alertable=not historical,
    )
    return update, change


def _history_reason(account: Account) -> str:
    when = account.report.event_date.isoformat() if account.report.event_date else "an earlier date"
    return f"history, not news: the event ({when}) is older than the freshness window at publication ({account.source.published.date().isoformat()})"


def _label(p: Picture) -> str:
    what = p.event_type or "incident"
    where = p.location.name if p.location else "an unknown place"
    when = p.event_date.isoformat() if p.event_date else "an unknown date"
    return f"{what} at {where} on {when}"


# --- planning: a known incident ----------------------------------------------------------


@dataclass(frozen=True)
class SeedIncident:
    """An incident from seeds/incidents.yaml: its facts, each with its source."""

    key: str
    label: str
    accounts: tuple[Account, ...]
    digest: str  # of the entry as written: a changed entry is loaded again


def plan_seed(
    seed: SeedIncident, existing: IncidentRecord | None, view: RegisterView, rules: IncidentsConfig, now: datetime
) -> Plan:
    """Load a known incident: create it (absorbing incidents the articles made of it), or refresh its facts."""
    if existing is not None and existing.seed_digest == seed.digest:
        return Plan(version=view.version)
    if existing is not None:
        return _refresh_seed(seed, existing, view, rules, now)
    pictures = {i: picture(r.accounts, rules, sources=False) for i, r in view.incidents.items()}
    found = [
        r for r in view.incidents.values()
        if not r.known and any(agreement(s, old, rules) for s in seed.accounts for old in r.accounts)
    ]
    group: list[IncidentRecord] = []
    for record in sorted(found, key=lambda r: _canonical_key(r, pictures[r.id])):
        if _mergeable(group, record):
            group.append(record)
    incident_id = view.next_id
    accounts = [*seed.accounts, *(a for r in group for a in r.accounts)]
    p = picture(accounts, rules)
    levels = reached_levels(p, rules)
    reasons = [f"known incident loaded from the seeds: {seed.label}"]
    reasons += [f"merged with incident {r.id} ({_label(pictures[r.id])})" for r in group]
    update = IncidentUpdate(
        id=incident_id, created=True, state=KNOWN, picture=p, known=True, seed_key=seed.key,
        seed_digest=seed.digest, new_levels=(("known", reasons[0]), *levels.items()), baseline=p.killed[1],
    )  # fmt: skip
    change = IncidentChange(
        incident_id=incident_id, state=KNOWN, level="known", reasons=tuple(reasons), at=now,
        snapshot=snapshot(incident_id, KNOWN, p, True), alertable=False,
    )  # fmt: skip
    return Plan(
        version=view.version,
        accounts=tuple(PlacedAccount(a, incident_id, "known incident", False) for a in seed.accounts),
        incidents=(update,),
        merges=tuple(Merge(r.id, incident_id, f"the known incident {seed.key}") for r in group),
        changes=(change,),
    )


def _refresh_seed(
    seed: SeedIncident, existing: IncidentRecord, view: RegisterView, rules: IncidentsConfig, now: datetime
) -> Plan:
    """The entry changed: its facts replace the old ones; what articles said stays."""
    accounts = [*seed.accounts, *(a for a in existing.accounts if a.source.origin != "seed")]
    p = picture(accounts, rules)
    new_levels = tuple((lvl, why) for lvl, why in reached_levels(p, rules).items() if lvl not in existing.levels)
    reason = f"known incident updated from the seeds: {seed.label}"
    update = IncidentUpdate(
        id=existing.id, created=False, state=existing.state, picture=p, known=True, seed_key=seed.key,
        seed_digest=seed.digest, new_levels=new_levels, baseline=max(existing.baseline, p.killed[1]),
    )  # fmt: skip
    change = IncidentChange(
        incident_id=existing.id, state=existing.state, level="known", reasons=(reason,), at=now,
        snapshot=snapshot(existing.id, existing.state, p, True), alertable=False,
    )  # fmt: skip
    return Plan(
        version=view.version,
        accounts=tuple(PlacedAccount(a, existing.id, "known incident", False) for a in seed.accounts),
        incidents=(update,),
        changes=(change,),
        replace_seed_accounts=(existing.id,),
    )


# --- plain data, for JSON ---------------------------------------------------------------


def to_json(value: Any) -> str:
    """A snapshot (or any of these values) as JSON text: what ``plain`` gives, made faster."""
    return _ENCODER.encode(value)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _json_default(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES.get(type(value))
        if names is None:
            names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
        return {name: getattr(value, name) for name in names}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_json_default)  # one, not one a call


def snapshot_json(snap: IncidentSnapshot) -> str:
    """A snapshot as a revision stores it: each source's evidence is left to ``reports.evidence``,
    so that the history of an incident told by many grows with its sources, not their square."""
    return _SNAPSHOT_ENCODER.encode(snap)


def _snapshot_default(value: Any) -> Any:
    if isinstance(value, SourceClaim):
        return {name: getattr(value, name) for name in _CLAIM_FIELDS}
    return _json_default(value)


_CLAIM_FIELDS = tuple(f.name for f in fields(SourceClaim) if f.name != "evidence")
_SNAPSHOT_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_snapshot_default)


def plain(value: Any) -> Any:
    """Dataclasses, dates and sets as JSON-ready data (snapshots in revisions, CLI output)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


__all__ = [
    "ESCALATED",
    "KNOWN",
    "MERGED",
    "NEW",
    "UPDATED",
    "Account",
    "Agreement",
    "IncidentRecord",
    "IncidentUpdate",
    "Merge",
    "Picture",
    "PlacedAccount",
    "Plan",
    "RegisterView",
    "Search",
    "SeedIncident",
    "Source",
    "agreement",
    "bounding_box",
    "day_span",
    "escalation",
    "is_historical",
    "is_vague",
    "jump",
    "picture",
    "place_agreement",
    "plain",
    "plan_article",
    "plan_seed",
    "reached_levels",
    "search_for",
    "snapshot",
    "to_json",
    "toll_text",
    "tolls",
    "type_score",
]  # fmt: skip
