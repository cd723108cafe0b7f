"""Register values as JSON: revisions' snapshots, anything for CLI output."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any

from monitor.models import IncidentSnapshot, SourceClaim
from monitor.register.picture import source_claim
from monitor.register.records import Account


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


def revision_json(snap: IncidentSnapshot, cause: Account | None) -> str:
    """A revision's snapshot: what changed, not every source again.

    The incident's picture after the change (place, dates, type, actors, flags, tolls), its
    counts (``publishers``, ``sources``: its independent sources, ``reports``) and ``source``:
    the claim of the report that caused the change (None for a merge or a refreshed seed).
    Who said what is in ``reports`` and ``claims`` already; copying every source into every
    revision made an incident's history grow with the square of its sources.
    """
    document: dict[str, Any] = {}
    for name in _FIELD_NAMES_OF_SNAPSHOT:
        if name == "sources":
            document[name] = len(snap.voices)
        elif name != "voices":
            document[name] = getattr(snap, name)
    document["source"] = _cause_claim(snap, cause) if cause is not None else None
    return _SNAPSHOT_ENCODER.encode(document)


def _cause_claim(snap: IncidentSnapshot, cause: Account) -> SourceClaim:
    """The cause's claim as the picture counts it (with its voice); the latest are last."""
    s = cause.source
    for claim in reversed(snap.sources):
        if (claim.article_id, claim.publisher, claim.published, claim.url, claim.title) == (
            s.article_id or 0, s.publisher, s.published, s.url, s.title
        ) and claim.figures == cause.report.figures:
            return claim
    return source_claim(cause, None)


def _snapshot_default(value: Any) -> Any:
    if isinstance(value, SourceClaim):  # its evidence is the report's (``reports.evidence``)
        return {name: getattr(value, name) for name in _CLAIM_FIELDS}
    return _json_default(value)


_FIELD_NAMES_OF_SNAPSHOT = tuple(f.name for f in fields(IncidentSnapshot))
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


__all__ = ["plain", "revision_json", "to_json"]
