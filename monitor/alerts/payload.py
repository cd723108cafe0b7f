"""An alert as data: the versioned JSON document webhooks receive (docs/alerts.md#webhooks).

``alert_data`` builds it from the incident change an alert tells: the alert's id, kind,
severity and reasons, and the incident itself (place with coordinates, date and precision,
event type, actors, killed toll by victim group, independent sources, every source with
its publisher, link and figures). ``feed_data`` does the same for a feed that degraded or
recovered, ``digest_data`` for a digest (its members' documents). Each is stored with its
alert (``alerts.data``); ``document_of`` is what a webhook receives: that document with
the alert's subject line. ``SCHEMA`` names the version; a field is only ever added under
it, and a change to a field's meaning makes a new version.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from monitor.models import (
    FeedVitals,
    IncidentChange,
    IncidentSnapshot,
    Location,
    OutboxAlert,
    SourceClaim,
    TollRange,
)

__all__ = ["SCHEMA", "alert_data", "digest_data", "document_of", "feed_data"]

SCHEMA = "sahel-monitor/alert/v1"


def alert_data(change: IncidentChange, alert_id: str, severity: str, told: Any) -> dict[str, Any]:
    """The document for one incident alert (``told``: the kind, levels and reasons it tells)."""
    snap = change.snapshot
    return {
        "schema": SCHEMA,
        "id": alert_id,
        "kind": told.kind,
        "severity": severity,
        "created": _stamp(change.at),
        "main_reason": told.main or None,
        "levels": list(told.levels),
        "reasons": list(told.reasons),
        "incident": incident_data(snap),
    }


def incident_data(snap: IncidentSnapshot) -> dict[str, Any]:
    low, best, high = snap.killed
    return {
        "id": snap.id,
        "state": snap.state,
        "known": snap.known,
        "place": _place(snap.location),
        "date": snap.event_date.isoformat() if snap.event_date else None,
        "date_precision": snap.date_precision,
        "event_type": snap.event_type,
        "sub_event_type": snap.sub_event_type,
        "actors": list(snap.actors),
        "claimed_by": list(snap.claimed_by),
        "flags": sorted(snap.flags),
        "killed": {"low": low, "best": best, "high": high},
        "tolls": [_toll(t) for t in snap.tolls],
        "independent_sources": len(snap.voices),
        "source_names": list(snap.voices),
        "sources": _sources(snap.sources),
        "first_seen": _stamp(snap.first_seen),
        "last_seen": _stamp(snap.last_seen),
    }


def _place(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {
        "name": location.name,
        "admin1": location.admin1,
        "admin2": location.admin2,
        "country": location.country,
        "lat": location.lat,
        "lon": location.lon,
        "place_id": location.place_id,
        "feature_code": location.feature_code,
    }


def _toll(toll: TollRange) -> dict[str, Any]:
    """By kind and victim group; kind ``mixed`` is a total of the dead, missing and captured."""
    return {"kind": toll.kind, "group": toll.group, "low": toll.low, "best": toll.best, "high": toll.high}


def _sources(sources: Sequence[SourceClaim]) -> list[dict[str, Any]]:
    return [
        {
            "publisher": s.publisher,
            "voice": s.voice,
            "url": s.url,
            "title": s.title,
            "published": _stamp(s.published),
            "origin": s.origin,
            "event_date": s.event_date.isoformat() if s.event_date else None,
            "figures": [
                {"kind": f.kind, "group": f.group, "low": f.low, "high": f.high, "qualifier": f.qualifier, "text": f.text}
                for f in s.figures
            ],
        }
        for s in sorted(sources, key=lambda s: (s.published, s.article_id))
    ]


def feed_data(
    feed: FeedVitals, kind: str, alert_id: str, reason: str, since: datetime, episode: int, now: datetime
) -> dict[str, Any]:
    """The document for a feed-health alert: FEED_DEGRADED (``reason``: why) or FEED_RECOVERED
    (``reason``: what it had; ``since``: when it degraded)."""
    return {
        "schema": SCHEMA,
        "id": alert_id,
        "kind": kind,
        "severity": "digest",
        "created": _stamp(now),
        "reasons": [reason],
        "feed": {
            "id": feed.feed_id,
            "name": feed.name,
            "url": feed.url,
            "state": feed.state,
            "reason": reason,
            "degraded_since": _stamp(since),
            "episode": episode,
            "error_count": feed.error_count,
            "last_error": feed.last_error,
            "last_success": _stamp(feed.last_success) if feed.last_success else None,
        },
    }


def digest_data(alert_id: str, now: datetime, since: datetime | None, members: list[OutboxAlert]) -> dict[str, Any]:
    """The document for a digest: every member's document, in the digest's order."""
    return {
        "schema": SCHEMA,
        "id": alert_id,
        "kind": "DIGEST",
        "severity": "digest",
        "created": _stamp(now),
        "since": _stamp(since) if since else None,
        "members": [document_of(m) for m in members],
    }


def document_of(alert: OutboxAlert) -> dict[str, Any]:
    """What a webhook receives: the alert's stored document with its subject line; for an
    alert stored without one (a test alert), the fields every document has."""
    data = alert.data or {
        "schema": SCHEMA, "id": alert.alert_id, "kind": alert.kind, "severity": alert.severity,
        "created": _stamp(alert.created),
    }
    head = {key: data[key] for key in ("schema", "id", "kind") if key in data}
    return {**head, "subject": alert.title, **data}


def _stamp(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")
