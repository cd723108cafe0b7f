"""Linking one article's reports into the register: which incidents they join, merge or make.

Pure functions of values and an injected ``now``: no SQL, no clock, no network. The store
(``monitor.store``) finds candidate incidents and applies the ``Plan`` these functions make,
in one transaction. docs/incidents.md explains the rules for users.

A report joins an incident when it agrees with any of the incident's reports
(``monitor.register.agreement``). When it agrees with several, it joins the best: the
closest kind of place agreement (same entry, then near, then same admin2); a report at a
town's airport, camp or quarter (``SUB_PLACES``), an incident at a town; the incident more
publishers tell; then more shared actors, the same type, the closer date, the closer place,
the more similar toll; then the canonical incident (known first, earliest date, lowest id). The reports of one article go to
different incidents (greedy, best pairs first), and an article never feeds an incident twice.

**Order independence.** If a report agrees with more than one incident, arrival order decided
that they were apart: had the reports come in another order they would be one incident. So
the others are merged into the canonical one, unless two of them share an article (the
article said they are distinct events) or both are known (seeded incidents are curated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from monitor.config import IncidentsConfig
from monitor.models import IncidentChange, IncidentSnapshot
from monitor.register.agreement import Agreement, agreement, is_historical
from monitor.register.picture import Tally, picture, snapshot
from monitor.register.records import (
    Account,
    IncidentRecord,
    IncidentUpdate,
    Merge,
    PlacedAccount,
    Plan,
    RegisterView,
)
from monitor.register.states import ESCALATED, NEW, UPDATED, escalation, reached_levels
from monitor.register.tolls import toll_text


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
    tallies = {i: tally_of(r, rules) for i, r in view.incidents.items()}
    pictures = {i: t.picture(sources=False) for i, t in tallies.items()}
    linkable = [a for a in accounts if link and a.report.location is not None]
    placed: dict[int, PlacedAccount] = {}
    for a in accounts:
        if not link or a.report.location is None:
            why = "not linked: the article is not relevant" if not link else "not linked: no place"
            placed[a.position] = PlacedAccount(a, None, why, is_historical(a, rules))
    pairs = _pairs(linkable, view, tallies, pictures, rules)
    assigned = _assign(pairs)
    used = {p.record.id for p in assigned.values()}
    updates: list[IncidentUpdate] = []
    merges: list[Merge] = []
    changes: list[IncidentChange] = []
    for position in sorted(assigned):
        pair = assigned[position]
        group = _merge_group(pair, pairs, used, pictures)
        used.update(r.id for r in group)
        update, change, group_merges = _join(pair.account, group, tallies, pictures, rules, now)
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


def tally_of(record: IncidentRecord, rules: IncidentsConfig) -> Tally:
    """The record's tally, brought up to its accounts (a record that came without one gets its own)."""
    tally = record.tally if record.tally is not None else Tally()
    tally.sync(record.accounts, rules)
    return tally


def _pairs(
    accounts: Sequence[Account],
    view: RegisterView,
    tallies: Mapping[int, Tally],
    pictures: Mapping[int, IncidentSnapshot],
    rules: IncidentsConfig,
) -> list[_Pair]:
    pairs = []
    for a in accounts:
        for record in view.incidents.values():
            tally = tallies[record.id]
            if a.source.article_id is not None and tally.has_article(a.source.article_id):
                continue  # an article feeds an incident once
            found = [g for old in tally.representatives() if (g := agreement(a, old, rules)) is not None]
            if not found:
                continue
            best = max(found)
            p = pictures[record.id]
            rank = (
                -best.tier,
                -int(_town_of_its_sub_place(a, p)),
                -p.publishers,  # of two incidents that could take it, the one most sources tell
                -len(set(a.report.actors) & set(p.actors)),
                -best.type_score,
                -best.closeness,
                -best.nearness,
                abs(a.report.fatalities - p.killed[1]),
                *canonical_key(record, p),
                a.position,
            )
            pairs.append(_Pair(a, record, best, rank))
    pairs.sort(key=lambda p: p.rank)
    return pairs


# places that belong to a town: its airport, a military base or camp, a fort, an installation,
# a quarter. A report there is the town's incident when the town has one that agrees.
SUB_PLACES = frozenset({"AIRP", "AIRF", "MILB", "CMPRF", "INSM", "FT", "PPLX"})
_TOWNS = frozenset({"PPLC", "PPLA", "PPLA2", "PPLA3"})  # capitals and seats: a town with an airport or a camp


def _town_of_its_sub_place(account: Account, picture: IncidentSnapshot) -> bool:
    """A report at a town's airport, camp or quarter, and an incident at a town (which agrees
    with it, so is near): "the VBIED attack on the Timbuktu airport" is Timbuktu's attack,
    not that of an outpost on the city's edge."""
    here, there = account.report.location, picture.location
    return (
        here is not None
        and there is not None
        and (here.feature_code or "") in SUB_PLACES
        and (there.feature_code or "") in _TOWNS
    )


def canonical_key(record: IncidentRecord, p: IncidentSnapshot) -> tuple[bool, int, int]:
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
    pair: _Pair, pairs: Sequence[_Pair], used: set[int], pictures: Mapping[int, IncidentSnapshot]
) -> list[IncidentRecord]:
    """The chosen incident and the others the account also agrees with that may be merged."""
    group = [pair.record]
    others = [q.record for q in pairs if q.account is pair.account and q.record.id not in used]
    for record in sorted(others, key=lambda r: canonical_key(r, pictures[r.id])):
        if mergeable(group, record):
            group.append(record)
    return sorted(group, key=lambda r: canonical_key(r, pictures[r.id]))


def mergeable(group: Sequence[IncidentRecord], record: IncidentRecord) -> bool:
    if record.known and any(r.known for r in group):
        return False  # known incidents are curated as distinct
    articles = frozenset().union(*(r.article_ids for r in group))
    return not (articles & record.article_ids)  # an article that names both says they differ


def _join(
    account: Account,
    group: Sequence[IncidentRecord],
    tallies: Mapping[int, Tally],
    pictures: Mapping[int, IncidentSnapshot],
    rules: IncidentsConfig,
    now: datetime,
) -> tuple[IncidentUpdate, IncidentChange, list[Merge]]:
    target, absorbed = group[0], group[1:]
    if absorbed:
        after = picture([a for r in group for a in r.accounts] + [account], rules)
    else:
        after = tallies[target.id].picture_with(account)
    levels = frozenset().union(*(r.levels for r in group))
    baseline = max(r.baseline for r in group)
    new_levels = escalation(levels, baseline, after, rules)
    historical = is_historical(account, rules)
    merges = [
        Merge(r.id, target.id, f"the same event as incident {target.id}: a report agrees with both") for r in absorbed
    ]
    reasons = [f"{account.source.publisher} reports it ({after.publishers} publishers, {after.reports} reports)"]
    reasons += [f"merged with incident {r.id} ({label(pictures[r.id])})" for r in absorbed]
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
    reasons = [f"new incident: {label(p)}, reported by {account.source.publisher}"]
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


def label(p: IncidentSnapshot) -> str:
    what = p.event_type or "incident"
    where = p.location.name if p.location else "an unknown place"
    when = p.event_date.isoformat() if p.event_date else "an unknown date"
    return f"{what} at {where} on {when}"


__all__ = ["canonical_key", "label", "mergeable", "plan_article", "tally_of"]
