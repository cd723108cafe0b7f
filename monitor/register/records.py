"""The register's values: an account (a report and its source), a stored incident as linking
sees it, what the store found for an article, and the plan that says what changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from monitor.models import IncidentChange, IncidentSnapshot, Report

if TYPE_CHECKING:  # picture builds on these values: a name for the type only, no import cycle
    from monitor.register.picture import Tally


@dataclass(frozen=True)
class Source:
    """Where a report comes from: an article, or a source named in seeds/incidents.yaml."""

    article_id: int | None  # None for seeds
    publisher: str
    url: str | None
    title: str
    published: datetime
    origin: str = "article"  # article | seed
    credit: str | None = None  # the wire the article credits ("AFP"): its copies are one voice


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
    # what its accounts add up to, kept by the store from one change of the incident to the
    # next (``dataclasses.replace`` carries it): linking one more report costs what it adds
    tally: Tally | None = field(default=None, compare=False, repr=False)

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
    picture: IncidentSnapshot
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



@dataclass(frozen=True)
class SeedIncident:
    """An incident from seeds/incidents.yaml: its facts, each with its source."""

    key: str
    label: str
    accounts: tuple[Account, ...]
    digest: str  # of the entry as written: a changed entry is loaded again


__all__ = [
    "Account",
    "IncidentRecord",
    "IncidentUpdate",
    "Merge",
    "PlacedAccount",
    "Plan",
    "RegisterView",
    "Search",
    "SeedIncident",
    "Source",
]
