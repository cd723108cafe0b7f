"""The incident register's rules: which reports are one event, what its toll is, when it escalates.

Takes in: an article's reports, each with its source (an ``Account``), and what the store
found of the register around them (a ``RegisterView``); or a known incident of
``seeds/incidents.yaml`` (``load_seeds``). Gives out: a ``Plan`` that says which incidents the
reports join, merge or create, each incident's new picture (an ``IncidentSnapshot``) and the
``IncidentChange`` (NEW, UPDATED, ESCALATED, with reasons) that may alert. The store applies
the plan in one transaction.

Pure: values in, values out, ``now`` injected; no SQL, no clock, no network.

- ``agreement``: when two reports may tell one event (place, dates, type), and the store's
  candidate search for a report;
- ``linking``: an article's reports joined to incidents, merged or new (``plan_article``);
- ``tolls``: every source's figures combined per kind and victim group (low, best, high);
- ``picture``: an incident as its accounts tell it, where sources disagree, kept one account
  at a time (``Tally``: linking one more report to an incident costs what it adds);
- ``states``: NEW, UPDATED, ESCALATED, KNOWN, MERGED, and the levels that escalate;
- ``known``: known incidents read from the seeds file and loaded (``plan_seed``);
- ``records``: the values above; ``encoding``: them as JSON.
"""

from __future__ import annotations

from monitor.register.agreement import (
    NEAR,
    SAME_ADMIN2,
    SAME_PLACE,
    Agreement,
    agreement,
    bounding_box,
    day_span,
    is_historical,
    is_vague,
    place_agreement,
    search_for,
    stored_precision,
    type_score,
)
from monitor.register.encoding import plain, revision_json, to_json
from monitor.register.known import (
    DEFAULT_SEEDS,
    SeedError,
    load_seeds,
    parse_seeds,
    plan_seed,
)
from monitor.register.linking import plan_article
from monitor.register.picture import Tally, picture, snapshot
from monitor.register.records import (
    Account,
    IncidentRecord,
    IncidentUpdate,
    Merge,
    PlacedAccount,
    Plan,
    RegisterView,
    Search,
    SeedIncident,
    Source,
)
from monitor.register.states import (
    ESCALATED,
    KNOWN,
    MERGED,
    NEW,
    UPDATED,
    escalation,
    jump,
    reached_levels,
)
from monitor.register.tolls import MIXED, toll_text, tolls

__all__ = [
    "DEFAULT_SEEDS",
    "ESCALATED",
    "KNOWN",
    "MERGED",
    "MIXED",
    "NEAR",
    "NEW",
    "SAME_ADMIN2",
    "SAME_PLACE",
    "UPDATED",
    "Account",
    "Agreement",
    "IncidentRecord",
    "IncidentUpdate",
    "Merge",
    "PlacedAccount",
    "Plan",
    "RegisterView",
    "Search",
    "SeedError",
    "SeedIncident",
    "Source",
    "Tally",
    "agreement",
    "bounding_box",
    "day_span",
    "escalation",
    "is_historical",
    "is_vague",
    "jump",
    "load_seeds",
    "parse_seeds",
    "picture",
    "place_agreement",
    "plain",
    "plan_article",
    "plan_seed",
    "reached_levels",
    "revision_json",
    "search_for",
    "snapshot",
    "stored_precision",
    "to_json",
    "toll_text",
    "tolls",
    "type_score",
]
