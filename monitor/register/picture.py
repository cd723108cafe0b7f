"""The picture of an incident: what its accounts tell, together, as one ``IncidentSnapshot``.

The curated facts of a known incident decide where, when and what; articles add the rest.
Where sources disagree, the value most of them give wins (ties: the finer date, the precise
place, the gravest type), and the picture depends on the set of accounts, not their order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from monitor.config import IncidentsConfig
from monitor.models import IncidentSnapshot, Location, SourceClaim
from monitor.register.agreement import (
    day_span,
    is_historical,
    is_vague,
    stored_precision,
)
from monitor.register.records import Account
from monitor.register.tolls import tolls
from monitor.register.voices import voices

# when reports disagree on the type and are equally many, the gravest wins
_TYPE_ORDER = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
    "Riots",
    "Protests",
)

def picture(accounts: Sequence[Account], rules: IncidentsConfig, sources: bool = True) -> IncidentSnapshot:
    """The incident its accounts describe. Depends on the set of accounts, not their order.

    The picture has no id and no state (``snapshot`` gives it both). ``sources=False`` leaves
    out who said what (``sources`` empty): enough to rank candidates, and cheaper.
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
    found, said = voices(accounts) if sources else ((), [])
    return IncidentSnapshot(
        id=0,
        state="",
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
        publishers=len({a.source.publisher.casefold() for a in accounts}),
        sources=_claims(accounts, said) if sources else (),
        first_seen=min(a.source.published for a in accounts),
        last_seen=max(a.source.published for a in accounts),
        historical=bool(articles) and all(is_historical(a, rules) for a in articles),
        reports=len(accounts),
        voices=tuple(v.label() for v in found) if sources else (),
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


def _claims(accounts: Sequence[Account], voice_of: Sequence[str | None]) -> tuple[SourceClaim, ...]:
    return tuple(source_claim(a, voice) for a, voice in zip(accounts, voice_of, strict=True))


def source_claim(a: Account, voice: str | None) -> SourceClaim:
    """What one account says, as a picture lists its sources (``voice``: the independent one it belongs to)."""
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
        voice=voice,
        flags=a.report.flags,
        claimed_by=a.report.claimed_by,
    )


def snapshot(incident_id: int, state: str, p: IncidentSnapshot, known: bool) -> IncidentSnapshot:
    """The picture as a change carries it: with the incident's id and its new state."""
    return replace(p, id=incident_id, state=state, known=known)


__all__ = ["picture", "snapshot", "source_claim"]
