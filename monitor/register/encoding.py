"""Register values as JSON: snapshots for revisions, anything for CLI output."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any

from monitor.models import IncidentSnapshot, SourceClaim


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


__all__ = ["plain", "snapshot_json", "to_json"]
