"""Known incidents: ``seeds/incidents.yaml`` read into ``SeedIncident`` values.

Each entry is an incident the seed corpus names, written as facts with their sources: where
(one place, or both ends of a road "between A and B"), when, what (ACLED type), who, and per
source what it said (its date for the event, its figures). The file's own comments explain
the format. A problem raises ``SeedError`` naming the entry and key, like the config does.

Each (source, place) becomes an ``Account`` whose source has ``origin="seed"``; the figures
go with the source's first place only, so a road's two ends do not count a toll twice.

``plan_seed`` loads one into the register: a new known incident absorbs the incidents
articles made of it; a changed entry replaces its old facts and keeps what articles said.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from monitor.config import ConfigError, IncidentsConfig
from monitor.models import Figure, IncidentChange, Location, Report, killed_total
from monitor.reading import MAX_TOLL
from monitor.register.agreement import agreement
from monitor.register.linking import canonical_key, label, mergeable
from monitor.register.picture import picture, snapshot
from monitor.register.records import (
    Account,
    IncidentRecord,
    IncidentUpdate,
    Merge,
    PlacedAccount,
    Plan,
    RegisterView,
    SeedIncident,
    Source,
)
from monitor.register.states import KNOWN, reached_levels
from monitor.register.tolls import tolls
from monitor.resources import seed_file

DEFAULT_SEEDS = seed_file("incidents.yaml")

KINDS = ("killed", "wounded", "missing", "abducted", "arrested")
GROUPS = ("military", "civilian", "assailants", "unspecified")
PRECISIONS = ("day", "week", "month")
QUALIFIERS = ("exact", "about", "nearly", "at_least", "more_than", "up_to", "range", "vague", "upper_bound")

_ENTRY_KEYS = {"key", "label", "date", "precision", "places", "type", "sub_type", "actors", "claimed_by", "flags", "sources"}
_SOURCE_KEYS = {"publisher", "published", "url", "said", "date", "precision", "figures"}
_PLACE_KEYS = {"name", "place_id", "admin1", "admin2", "country", "lat", "lon", "feature_code"}
_FIGURE_KEYS = {"kind", "group", "low", "high", "qualifier", "text"}


class SeedError(ConfigError):
    """The seeds file cannot be used. The message names the file, the entry and the key."""


@dataclass(frozen=True)
class _Where:
    path: str

    def __call__(self, key: str | int) -> _Where:
        return _Where(f"{self.path}[{key}]" if isinstance(key, int) else f"{self.path}.{key}")


def load_seeds(path: str | Path | None = None) -> list[SeedIncident]:
    """The known incidents of a seeds file (default: the project's seeds/incidents.yaml)."""
    path = Path(path) if path is not None else DEFAULT_SEEDS
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedError(f"{path}: cannot read the seeds file: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise SeedError(f"{path}: not valid YAML: {exc}") from None
    return parse_seeds(data, str(path))


def parse_seeds(data: Any, source: str = "incidents.yaml") -> list[SeedIncident]:
    if not isinstance(data, dict) or not isinstance(data.get("incidents"), list):
        raise SeedError(f"{source}: expected a mapping with a list under `incidents`")
    seeds = [_entry(item, _Where(f"{source}: incidents")(i)) for i, item in enumerate(data["incidents"])]
    keys = [s.key for s in seeds]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise SeedError(f"{source}: key {twice[0]!r} is used twice")
    return seeds


def _entry(item: Any, where: _Where) -> SeedIncident:
    _check_keys(item, _ENTRY_KEYS, {"key", "date", "places", "sources"}, where)
    key = _text(item["key"], where("key"))
    places = [_place(p, where("places")(i)) for i, p in enumerate(_list(item["places"], where("places")))]
    if not places:
        raise SeedError(f"{where('places').path}: at least one place is needed")
    sources = _list(item["sources"], where("sources"))
    if not sources:
        raise SeedError(f"{where('sources').path}: at least one source is needed")
    default_date = _date(item["date"], where("date"))
    default_precision = _choice(item.get("precision", "day"), PRECISIONS, where("precision"))
    common = {
        "event_type": item.get("type"),
        "sub_event_type": item.get("sub_type"),
        "actors": tuple(_list(item.get("actors", []), where("actors"))),
        "claimed_by": tuple(_list(item.get("claimed_by", []), where("claimed_by"))),
        "flags": frozenset(_list(item.get("flags", []), where("flags"))),
    }
    label = str(item.get("label") or key)
    accounts = []
    for i, raw in enumerate(sources):
        at = where("sources")(i)
        _check_keys(raw, _SOURCE_KEYS, {"publisher", "published"}, at)
        figures = tuple(_figure(f, at("figures")(j)) for j, f in enumerate(_list(raw.get("figures", []), at("figures"))))
        src = Source(
            article_id=None,
            publisher=_text(raw["publisher"], at("publisher")),
            url=raw.get("url"),
            title=str(raw.get("said") or label),
            published=datetime.combine(_date(raw["published"], at("published")), time(12), tzinfo=UTC),
            origin="seed",
        )
        event_date = _date(raw["date"], at("date")) if "date" in raw else default_date
        precision = _choice(raw.get("precision", default_precision), PRECISIONS, at("precision"))
        for n, place in enumerate(places):
            mine = figures if n == 0 else ()
            report = Report(
                event_date=event_date, date_precision=precision, location=place,
                figures=mine, fatalities=_fatalities(mine), historical=False, evidence=(),
                **common,
            )  # fmt: skip
            accounts.append(Account(report, src, position=len(accounts)))
    digest = hashlib.sha256(json.dumps(item, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return SeedIncident(key=key, label=label, accounts=tuple(accounts), digest=digest)


def _place(raw: Any, where: _Where) -> Location:
    _check_keys(raw, _PLACE_KEYS, {"name", "country", "lat", "lon"}, where)
    return Location(
        name=_text(raw["name"], where("name")),
        admin1=raw.get("admin1"),
        admin2=raw.get("admin2"),
        country=_text(raw["country"], where("country")),
        lat=_number(raw["lat"], where("lat")),
        lon=_number(raw["lon"], where("lon")),
        place_id=str(raw["place_id"]) if raw.get("place_id") is not None else None,
        feature_code=raw.get("feature_code", "PPL"),
    )


def _figure(raw: Any, where: _Where) -> Figure:
    _check_keys(raw, _FIGURE_KEYS, {"kind", "group", "qualifier"}, where)
    low, high = raw.get("low"), raw.get("high")
    for name, value in (("low", low), ("high", high)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise SeedError(f"{where(name).path}: must be a count (a whole number, 0 or more)")
        if value is not None and value > MAX_TOLL:
            # the reader never states a bigger toll, and the store holds 64-bit integers
            raise SeedError(f"{where(name).path}: {value} is more than any toll (at most {MAX_TOLL:,})")
    if low is None and high is None:
        raise SeedError(f"{where.path}: `low` or `high` is needed")
    if low is not None and high is not None and high < low:
        raise SeedError(f"{where('high').path}: is below low")
    return Figure(
        kind=_choice(raw["kind"], KINDS, where("kind")),
        group=_choice(raw["group"], GROUPS, where("group")),
        low=low,
        high=high,
        qualifier=_choice(raw["qualifier"], QUALIFIERS, where("qualifier")),
        text=str(raw.get("text", "")),
    )


def _fatalities(figures: tuple[Figure, ...]) -> int:
    return killed_total(tolls(figures))[0]


# --- checks --------------------------------------------------------------------------


def _check_keys(raw: Any, allowed: set[str], required: set[str], where: _Where) -> None:
    if not isinstance(raw, dict):
        raise SeedError(f"{where.path}: must be a mapping")
    for key in raw:
        if key not in allowed:
            raise SeedError(f"{where(str(key)).path}: unknown key")
    for key in sorted(required):
        if key not in raw:
            raise SeedError(f"{where(key).path}: is required")


def _list(raw: Any, where: _Where) -> list[Any]:
    if not isinstance(raw, list):
        raise SeedError(f"{where.path}: must be a list")
    return raw


def _text(raw: Any, where: _Where) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise SeedError(f"{where.path}: must be a non-empty text")
    return raw


def _number(raw: Any, where: _Where) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise SeedError(f"{where.path}: must be a number")
    return float(raw)


def _date(raw: Any, where: _Where) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise SeedError(f"{where.path}: {raw!r} is not a date (YYYY-MM-DD)") from None


def _choice(raw: Any, choices: tuple[str, ...], where: _Where) -> str:
    if raw not in choices:
        raise SeedError(f"{where.path}: must be one of {', '.join(choices)} (got {raw!r})")
    return str(raw)


# --- planning: loading a known incident into the register ------------------------------


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
    for record in sorted(found, key=lambda r: canonical_key(r, pictures[r.id])):
        if mergeable(group, record):
            group.append(record)
    incident_id = view.next_id
    accounts = [*seed.accounts, *(a for r in group for a in r.accounts)]
    p = picture(accounts, rules)
    levels = reached_levels(p, rules)
    reasons = [f"known incident loaded from the seeds: {seed.label}"]
    reasons += [f"merged with incident {r.id} ({label(pictures[r.id])})" for r in group]
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


__all__ = ["DEFAULT_SEEDS", "SeedError", "load_seeds", "parse_seeds", "plan_seed"]
