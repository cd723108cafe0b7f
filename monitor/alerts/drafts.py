"""What an alert says: incident changes in, alert drafts out. Pure functions of their inputs.

``drafts_for(changes, config, previous)`` turns the NEW and ESCALATED changes of
a cycle into ``AlertDraft``s: a stable id (``incident-<id>-<level>``), a title a
person understands in one line, a Markdown body (what, where, when, who, the
figures with the source of each, what changed since the last alert, the
evidence, the articles, the incident id and a query for it), a severity and
tags for routing, and a memo of what was said for the next alert to compare
with. ``previous`` maps an incident id to the memo of its last alert.

Routing: an alert is ``urgent`` when at least ``alerts.urgent_killed`` people
were killed (best estimate across sources) or the incident carries one of
``alerts.urgent_flags`` (base overrun, hostages, suicide attack); else it goes
to the ``digest``. Tags are the severity and the kind, lower case: a target
tagged ``urgent`` gets only urgent alerts.

Cooldown: a second alert about one incident within ``alerts.cooldown`` of the
last one waits until the cooldown is over, unless it is an ESCALATED alert,
which never waits.

Digests are drafted by ``digest_draft``, each member with its essentials read from its
document (``brief_lines``), as chats get an incident's (``chat_body``); feed-health alerts live in
``monitor.alerts.health``; channel formats and limits in ``monitor.alerts.formats``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from monitor.alerts.formats import md_escape, md_link, sql_footer
from monitor.alerts.payload import alert_data, digest_data
from monitor.config import AlertsConfig
from monitor.models import (
    MIXED,
    AlertDraft,
    AlertMemo,
    Figure,
    IncidentChange,
    IncidentSnapshot,
    Location,
    OutboxAlert,
    SourceClaim,
    TollRange,
)

ALERTING_STATES = ("NEW", "ESCALATED")
EVIDENCE_SHOWN = 6

COUNTRIES = {
    "ML": "Mali", "BF": "Burkina Faso", "NE": "Niger", "MR": "Mauritania", "TD": "Chad",
    "SN": "Senegal", "DZ": "Algeria", "CI": "Côte d'Ivoire", "GN": "Guinea", "BJ": "Benin",
    "TG": "Togo", "NG": "Nigeria", "LY": "Libya", "GH": "Ghana",
}
FLAG_WORDS = {
    "overrun": "base overrun",
    "hostages": "hostages taken",
    "suicide": "suicide attack",
    "territory": "territory taken",
}
KIND_ORDER = ("killed", "wounded", "missing", "abducted", "arrested")


# --- drafts ------------------------------------------------------------------------


def drafts_for(
    changes: Sequence[IncidentChange],
    config: AlertsConfig,
    previous: Mapping[int, AlertMemo] | None = None,
    open_alerts: Mapping[int, AlertMemo] | None = None,
) -> list[AlertDraft]:
    """One draft per alertable NEW or ESCALATED change, in order; an UPDATED change of an
    incident whose alert is still open refreshes that alert's picture.

    ``previous``: the last alert told about each incident (what changed is said against it).
    ``open_alerts``: an incident's alert still waiting in the outbox, not on its way yet: a
    new change rewrites it (same id, every reason, the latest picture), so that what a cycle
    or an ingest run learns about an incident goes out as one message. Two changes of one
    incident in the same batch do the same with each other.
    """
    told = dict(previous or {})
    stored = set(open_alerts or {})  # open in the outbox: rewritten there
    waiting = dict(open_alerts or {})
    drafts = []
    for change in changes:
        incident = change.incident_id
        if change.alertable and change.state in ALERTING_STATES:
            draft = draft_for(change, config, told.get(incident), waiting.get(incident), incident in stored)
        elif change.state == "UPDATED" and incident in waiting:
            # another source, a figure that changes no level: the alert not sent yet tells it
            draft = draft_for(change, config, told.get(incident), waiting[incident], incident in stored, refresh=True)
        else:
            continue
        drafts = [d for d in drafts if d.alert_id != draft.alert_id] + [draft]
        waiting[incident] = draft.memo  # type: ignore[assignment]
    return drafts


def draft_for(
    change: IncidentChange,
    config: AlertsConfig,
    previous: AlertMemo | None,
    waiting: AlertMemo | None = None,
    replaces: bool = False,
    refresh: bool = False,
) -> AlertDraft:
    """``refresh``: ``waiting`` told again with the incident as ``change`` leaves it, its
    levels and reasons unchanged; if it left the outbox meanwhile, nothing is added."""
    own_id = "" if refresh else alert_id_for(change)
    kind = waiting.kind if waiting is not None else change.state  # a NEW incident's alert stays NEW
    alert_id = waiting.alert_id if waiting is not None else own_id
    added = () if refresh else (change.level,)
    levels = tuple(dict.fromkeys((*(waiting.levels if waiting else ()), *added)))
    reasons = tuple(dict.fromkeys((*(waiting.reasons if waiting else ()), *(() if refresh else change.reasons))))
    told = Told(kind, levels, reasons)
    severity = severity_of(change.snapshot, config)
    return AlertDraft(
        alert_id=alert_id,
        kind=kind,
        severity=severity,
        tags=(severity, kind.lower()),
        title=incident_title(change, previous, told),
        body=incident_body(change, previous, alert_id, told),
        incident_id=change.incident_id,
        created=change.at,
        memo=memo_of(change, alert_id, told),
        not_before=cooldown_end(kind, change.at, previous.created if previous else None, config),
        data=alert_data(change, alert_id, severity, told),
        replaces=replaces,
        own_id=own_id,
    )


@dataclass(frozen=True)
class Told:
    """What one alert tells of its incident: its kind, and every level and reason it covers
    (one change, or several of a cycle coalesced)."""

    kind: str
    levels: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def main(self) -> str:
        """The gravest new level, in a few words: "base overrun", "claimed by JNIM"."""
        told = [lvl for lvl in self.levels if lvl not in ("new", "updated", "known")]
        return level_words(min(told, key=level_rank)) if told else ""


def alert_id_for(change: IncidentChange) -> str:
    """``incident-<id>-<level>``: the same change always gets the same id."""
    level = re.sub(r"[^A-Za-z0-9:._-]+", "-", change.level.strip()) or "change"
    return f"incident-{change.incident_id}-{level}"


def severity_of(snapshot: IncidentSnapshot, config: AlertsConfig) -> str:
    _, best, _ = snapshot.killed
    if best >= config.urgent_killed or snapshot.flags & set(config.urgent_flags):
        return "urgent"
    return "digest"


def cooldown_end(
    kind: str, created: datetime, last_alert: datetime | None, config: AlertsConfig
) -> datetime | None:
    """When a follow-up alert may go: None (now) for ESCALATED or past the cooldown."""
    if kind == "ESCALATED" or last_alert is None or config.cooldown <= 0:
        return None
    end = last_alert + timedelta(seconds=config.cooldown)
    return end if end > created else None


def memo_of(change: IncidentChange, alert_id: str, told: Told | None = None) -> AlertMemo:
    snap = change.snapshot
    told = told or Told(change.state, (change.level,), change.reasons)
    return AlertMemo(
        alert_id=alert_id,
        kind=told.kind,
        created=change.at,
        tolls=snap.tolls,
        flags=snap.flags,
        claimed_by=snap.claimed_by,
        article_ids=tuple(sorted({s.article_id for s in snap.sources})),
        levels=told.levels,
        reasons=told.reasons,
    )


# --- levels, in words --------------------------------------------------------------------

_FLAG_RANK = ("overrun", "territory", "hostages", "suicide", "vbied")


def level_rank(level: str) -> tuple[int, int, str]:
    """Gravest first: what made it worse (a base overrun first), the killed toll (the higher
    tier first, then a jump), then a claim."""
    kind, _, rest = level.partition(":")
    if kind == "flag":
        return (0, _FLAG_RANK.index(rest) if rest in _FLAG_RANK else len(_FLAG_RANK), rest)
    if kind == "killed":
        jump, _, count = rest.rpartition(":")
        return (1 if not jump else 2, -int(count) if count.isdigit() else 0, rest)
    return (3, 0, level)


def level_words(level: str) -> str:
    """``flag:overrun`` -> "base overrun", ``killed:25`` -> "killed toll reached 25",
    ``killed:jump:45`` -> "killed toll rose to 45", ``claimed:JNIM`` -> "claimed by JNIM"."""
    kind, _, rest = level.partition(":")
    if kind == "flag":
        return FLAG_WORDS.get(rest, rest)
    if kind == "killed":
        jump, _, count = rest.rpartition(":")
        return f"killed toll rose to {count}" if jump else f"killed toll reached {count}"
    if kind == "claimed":
        return f"claimed by {rest}"
    return level


# --- the title -----------------------------------------------------------------------


def incident_title(change: IncidentChange, previous: AlertMemo | None = None, told: Told | None = None) -> str:
    """``ESCALATED: base overrun · Armed clash · Boulkessi (Mopti, Mali) · 1 Jun 2025 · ≥ 30
    soldiers killed``: the main reason first, then what, where, when and the toll by group."""
    snap = change.snapshot
    told = told or Told(change.state, (change.level,), change.reasons)
    toll = toll_phrase(snap.tolls, snap.sources)
    if toll and previous is not None:
        before = toll_phrase(previous.tolls)
        if before != toll:
            toll += f" (was {before or 'no toll'})"
    head = f"{told.kind}: {told.main}" if told.main else told.kind
    parts = [head, event_name(snap), place_name(snap.location), date_phrase(snap.event_date, snap.date_precision)]
    if toll:
        parts.append(toll)
    return " · ".join(parts)


def event_name(snap: IncidentSnapshot) -> str:
    return snap.sub_event_type or snap.event_type or "Armed-conflict incident"


def place_name(location: Location | None, short: bool = True) -> str:
    """``Boulkessi (Mopti, Mali)``; in full, with the district too."""
    if location is None:
        return "place unknown"
    country = COUNTRIES.get(location.country or "", location.country or "")
    if location.feature_code == "ADM1":
        return f"{location.name} region, {country}" if country else f"{location.name} region"
    parts = (location.admin1, country) if short else (location.admin2, location.admin1, country)
    context = list(dict.fromkeys(p for p in parts if p and p != location.name))
    return f"{location.name} ({', '.join(context)})" if context else location.name


def date_phrase(day: date | None, precision: str) -> str:
    if day is None or precision == "unknown":
        return "date unclear"
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return day.strftime("%B %Y")
    text = f"{day.day} {day.strftime('%b %Y')}"
    return f"week of {text}" if precision == "week" else text


def span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def kind_totals(tolls: Sequence[TollRange]) -> dict[str, tuple[int, int, int]]:
    """Per kind, across groups: (low, best, high)."""
    totals: dict[str, tuple[int, int, int]] = {}
    for t in tolls:
        low, best, high = totals.get(t.kind, (0, 0, 0))
        totals[t.kind] = (low + t.low, best + t.best, high + t.high)
    return totals


GROUP_NOUNS = {"military": "soldiers", "civilian": "civilians", "assailants": "attackers", "unspecified": ""}
_OPEN_ENDED = ("at_least", "more_than")


def toll_phrase(tolls: Sequence[TollRange], sources: Sequence[SourceClaim] = ()) -> str:
    """The toll with its victims' group: ``≥ 30 soldiers killed``, ``13–14 attackers killed``,
    ``12 soldiers, 3 civilians killed``; with nobody killed, the first other toll (``12
    civilians abducted``); with only a total of the dead, missing and captured, that (``up to
    ~60 dead, missing or captured``). Never a killed toll from such a total."""
    for kind in KIND_ORDER + tuple(sorted({t.kind for t in tolls} - set(KIND_ORDER) - {MIXED})):
        rows = [t for t in tolls if t.kind == kind and t.high > 0]
        if rows:
            counts = ", ".join(_group_count(t, sources) for t in sorted(rows, key=_group_order))
            return f"{counts} {kind}"
    mixed = max((t.high for t in tolls if t.kind == MIXED), default=0)
    return f"up to ~{mixed} dead, missing or captured" if mixed else ""


def _group_count(toll: TollRange, sources: Sequence[SourceClaim]) -> str:
    said = [f for s in sources for f in s.figures if f.kind == toll.kind and f.group == toll.group]
    count = span(toll.low, toll.high)
    if toll.low == toll.high and said and all(f.qualifier in _OPEN_ENDED for f in said if f.low == toll.high):
        count = f"≥ {toll.low}"  # every source that gives the top figure says "at least"
    noun = GROUP_NOUNS.get(toll.group, toll.group)
    return f"{count} {noun}" if noun else count


def _group_order(toll: TollRange) -> int:
    return list(GROUP_NOUNS).index(toll.group) if toll.group in GROUP_NOUNS else len(GROUP_NOUNS)


# --- the body --------------------------------------------------------------------------


def incident_body(change: IncidentChange, previous: AlertMemo | None, alert_id: str, told: Told | None = None) -> str:
    snap = change.snapshot
    told = told or Told(change.state, (change.level,), change.reasons)
    blocks = [
        headline_block(change, told),
        figures_block(snap),
        changed_block(snap, previous),
        evidence_block(causes_first(snap.sources, told.levels)),
        sources_block(snap.sources),
        footer_block(alert_id, change.incident_id),
    ]
    return "\n\n".join(b for b in blocks if b)


def headline_block(change: IncidentChange, told: Told | None = None) -> str:
    snap = change.snapshot
    told = told or Told(change.state, (change.level,), change.reasons)
    why = "; ".join(md_escape(r) for r in told.reasons)
    what = md_escape(snap.sub_event_type or snap.event_type or "armed-conflict incident")
    if snap.event_type and snap.sub_event_type:
        what += f" ({md_escape(snap.event_type)})"
    extras = [FLAG_WORDS.get(f, f) for f in sorted(snap.flags)]
    if snap.claimed_by:
        extras.append("claimed by " + ", ".join(snap.claimed_by))
    if extras:
        what += " — " + md_escape("; ".join(extras))
    lines = [f"**{told.kind}**" + (f": {why}" if why else "")]
    lines.append(f"**What**: {what}")
    lines.append(f"**Where**: {where_phrase(snap.location)}")
    lines.append(f"**When**: {when_phrase(snap)}")
    lines.append(f"**Who**: {md_escape(', '.join(snap.actors)) if snap.actors else 'not named'}")
    lines.append(f"**How sure**: {confidence_phrase(snap)}")
    return "\n".join(lines)


def where_phrase(location: Location | None) -> str:
    if location is None:
        return "not known"
    text = md_escape(place_name(location, short=False))
    if location.lat is not None and location.lon is not None:
        text += f" — {location.lat:.3f}, {location.lon:.3f}"
    if location.feature_code in ("ADM1", "ADM2"):
        text += " (only the area is known)"
    return text


def when_phrase(snap: IncidentSnapshot) -> str:
    seen = f"first reported {_stamp(snap.first_seen)}"
    if snap.last_seen != snap.first_seen:
        seen += f", latest report {_stamp(snap.last_seen)}"
    return f"{date_phrase(snap.event_date, snap.date_precision)} ({seen})"


def confidence_phrase(snap: IncidentSnapshot) -> str:
    """``2 independent sources: AFP (via rfi.fr, lemonde.fr); Studio Tamani``, then the articles."""
    voices = len(snap.voices)
    articles = len({s.article_id for s in snap.sources})
    text = f"{sources_phrase(snap)}; {articles} article{'s' if articles != 1 else ''}"
    text += f" from {snap.publishers} publisher{'s' if snap.publishers != 1 else ''}" if voices else ""
    low, best, high = snap.killed
    if high > low:
        text += f"; sources disagree on the toll ({span(low, high)} killed, best estimate {best})"
    elif high:
        text += "; sources agree on the toll"
    if snap.known:
        text += "; already in the register's known incidents"
    return text


def sources_phrase(snap: IncidentSnapshot) -> str:
    """``2 independent sources: AFP (via rfi.fr, lemonde.fr); Studio Tamani``."""
    count = len(snap.voices)
    if not count:
        return "no independent source"
    names = md_escape("; ".join(snap.voices))
    return f"{count} independent source{'s' if count != 1 else ''}: {names}"


def figures_block(snap: IncidentSnapshot) -> str:
    if not snap.tolls:
        return "**Figures**: none reported yet"
    lines = ["**Figures** (low–high across sources, best estimate):"]
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    for toll in sorted(snap.tolls, key=lambda t: (order.get(t.kind, 99), t.kind, t.group)):
        if toll.kind == MIXED:  # a total of the dead, the missing and the captured
            lines.append(f"- dead, missing or captured together, {toll.group}: up to {toll.high}")
            for source, figure in mixed_sources(snap.sources, toll.group):
                quote = f" «{md_escape(figure.text)}»" if figure.text else ""
                lines.append(f"  - {figure_value(figure)} — {md_escape(source.publisher)}{quote}")
            continue
        lines.append(f"- {toll.kind}, {toll.group}: {span(toll.low, toll.high)} (best {toll.best})")
        for source, figure in figure_sources(snap.sources, toll.kind, toll.group):
            quote = f" «{md_escape(figure.text)}»" if figure.text else ""
            lines.append(f"  - {figure_value(figure)} — {md_escape(source.publisher)}{quote}")
    return "\n".join(lines)


def figure_sources(sources: Sequence[SourceClaim], kind: str, group: str) -> list[tuple[SourceClaim, Figure]]:
    return [
        (s, f) for s in sources for f in s.figures if f.kind == kind and f.group == group and f.qualifier != "upper_bound"
    ]


def mixed_sources(sources: Sequence[SourceClaim], group: str) -> list[tuple[SourceClaim, Figure]]:
    return [(s, f) for s in sources for f in s.figures if f.group == group and f.qualifier == "upper_bound"]


def figure_value(figure: Figure) -> str:
    """A claim as its source put it: "more than 30" is stored as 31 and up, shown as said."""
    low, high, qualifier = figure.low, figure.high, figure.qualifier
    if low is None and high is None:
        return "unstated"
    if qualifier == "upper_bound":
        return f"up to ~{high} dead, missing or captured"
    if low is None:
        return f"up to {high}"
    if qualifier == "more_than":
        return f"more than {low - 1}"
    if qualifier == "at_least":
        return f"at least {low}"
    if qualifier == "nearly" and high is not None:
        return f"nearly {high + 1}"
    if qualifier == "about":
        return f"about {(low + high) // 2 if high is not None else low}"
    if qualifier in ("dozens", "vague"):
        return f"{figure.text} (counted as {low})"
    return span(low, high if high is not None else low)


def changed_block(snap: IncidentSnapshot, previous: AlertMemo | None) -> str:
    if previous is None:
        return ""
    lines = [f"**Since the last alert** (`{previous.alert_id}`, {_stamp(previous.created)}):"]
    lines += [f"- {md_escape(line)}" for line in changes_since(snap, previous)] or ["- nothing new in the figures"]
    return "\n".join(lines)


def changes_since(snap: IncidentSnapshot, previous: AlertMemo) -> list[str]:
    """What a reader of the last alert does not know yet, one line each."""
    lines = []
    now, before = kind_totals(snap.tolls), kind_totals(previous.tolls)
    for kind in sorted(set(now) | set(before), key=lambda k: (KIND_ORDER + (k,)).index(k)):
        old, new = before.get(kind, (0, 0, 0)), now.get(kind, (0, 0, 0))
        if old != new:
            lines.append(f"{kind}: {span(old[0], old[2]) if old[2] else 'none'} → {span(new[0], new[2])} (best {new[1]})")
    for flag in sorted(snap.flags - previous.flags):
        lines.append(f"now: {FLAG_WORDS.get(flag, flag)}")
    claimed = [a for a in snap.claimed_by if a not in previous.claimed_by]
    if claimed:
        lines.append(f"claimed by {', '.join(claimed)}")
    fresh = [s for s in snap.sources if s.article_id not in set(previous.article_ids)]
    if fresh:
        names = ", ".join(dict.fromkeys(s.publisher for s in fresh))
        lines.append(f"{len(fresh)} new source{'s' if len(fresh) != 1 else ''}: {names}")
    return lines


def causes_first(sources: Sequence[SourceClaim], levels: Sequence[str]) -> list[SourceClaim]:
    """The sources that said what this alert tells first (the overrun, the claim, the top
    killed figure), every one of them, then the others, in their order."""
    said = [s for s in sources if any(_says(s, level) for level in levels)]
    return said + [s for s in sources if s not in said]


def _says(source: SourceClaim, level: str) -> bool:
    kind, _, rest = level.partition(":")
    if kind == "flag":
        return rest in source.flags
    if kind == "claimed":
        return rest in source.claimed_by
    if kind == "killed":
        count = rest.rpartition(":")[2]
        top = max((f.low or 0 for f in source.figures if f.kind == "killed" and f.qualifier != "upper_bound"), default=0)
        return count.isdigit() and top >= int(count)
    return False


def evidence_block(sources: Sequence[SourceClaim]) -> str:
    seen: dict[str, str] = {}
    for source in sources:
        for sentence in source.evidence:
            key = " ".join(sentence.split()).casefold()
            if key and key not in seen:
                seen[key] = f"> {md_escape(sentence)} — _{md_escape(source.publisher)}_"
    if not seen:
        return ""
    lines = list(seen.values())
    more = len(lines) - EVIDENCE_SHOWN
    lines = lines[:EVIDENCE_SHOWN]
    head = "**Evidence**:" if more <= 0 else f"**Evidence** (first {EVIDENCE_SHOWN} of {len(seen)} sentences):"
    return "\n".join([head, *lines])


def sources_block(sources: Sequence[SourceClaim]) -> str:
    if not sources:
        return ""
    lines = ["**Articles**:"]
    for source in sorted(sources, key=lambda s: (s.published, s.article_id)):
        lines.append(
            f"- {md_link(source.title or source.url or 'article', source.url)} — "
            f"{md_escape(source.publisher)}, {_stamp(source.published)}"
        )
    return "\n".join(lines)


def footer_block(alert_id: str, incident_id: int | None) -> str:
    if incident_id is None:
        return f"**Alert** `{alert_id}`"
    return sql_footer(
        alert_id, f"incident {incident_id} · in the register", f"SELECT * FROM incidents WHERE id = {int(incident_id)};"
    )


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


# --- an alert in brief: the digest's entries, chat messages --------------------------------


def brief_lines(doc: Mapping[str, Any] | None) -> list[str]:
    """An alert's essentials from its document, one Markdown line each: for an incident the
    toll by victim group, the place with coordinates, the date, the independent sources and
    the latest report's link; for a feed its address and why. Nothing for other alerts."""
    doc = doc or {}
    if isinstance(doc.get("incident"), Mapping):
        return incident_brief(doc["incident"])
    if isinstance(doc.get("feed"), Mapping):
        feed = doc["feed"]
        return [f"**Feed**: {md_link(feed['url'], feed['url'])}", f"**Why**: {md_escape(feed.get('reason') or '')}"]
    return []


def incident_brief(incident: Mapping[str, Any]) -> list[str]:
    tolls = [TollRange(t["kind"], t["group"], t["low"], t["best"], t["high"]) for t in incident.get("tolls") or ()]
    toll = toll_phrase(tolls) or "none reported yet"
    killed = incident.get("killed") or {}
    if killed.get("high"):
        toll += f" (best estimate {killed['best']} killed)"
    place = incident.get("place")
    location = None
    if place:
        location = Location(place["name"], place.get("admin1"), place.get("admin2"), place.get("country"),
                            place.get("lat"), place.get("lon"), place.get("place_id"), place.get("feature_code"))
    day = date.fromisoformat(incident["date"]) if incident.get("date") else None
    voices = list(incident.get("source_names") or ())
    sources = (f"{len(voices)} independent source{'s' if len(voices) != 1 else ''}: {md_escape('; '.join(voices))}"
               if voices else "no independent source")
    lines = [
        f"**Toll**: {md_escape(toll)}",
        f"**Where**: {where_phrase(location)}",
        f"**When**: {md_escape(date_phrase(day, incident.get('date_precision') or 'unknown'))}",
        f"**Sources**: {sources}",
    ]
    latest = next((s for s in reversed(incident.get("sources") or ()) if s.get("url")), None)
    if latest:
        link = md_link(latest.get("title") or latest["url"], latest["url"])
        lines.append(f"**Latest report**: {link} — {md_escape(latest.get('publisher') or '')}")
    return lines


def chat_body(alert: OutboxAlert) -> str:
    """The short Markdown a chat gets for an incident: why, the essentials and the alert id
    (the subject line goes as the message's title). Other alerts are short already."""
    incident = (alert.data or {}).get("incident")
    if not isinstance(incident, Mapping):
        return alert.body
    why = "; ".join((alert.data or {}).get("reasons") or ())
    head = f"**{alert.kind}**" + (f": {md_escape(why)}" if why else "")
    return "\n\n".join([
        "\n".join([head, *incident_brief(incident)]),
        f"**Alert** `{alert.alert_id}` · incident {incident.get('id')}",
    ])


def digest_entry(alert: OutboxAlert) -> str:
    """One member of a digest: its subject line, then its essentials and its id, a list."""
    lines = [f"**{md_escape(alert.title)}**"]
    lines += [f"- {line}" for line in brief_lines(alert.data)]
    lines.append(f"- Alert `{alert.alert_id}`")
    return "\n".join(lines)


# --- the digest ----------------------------------------------------------------------


def digest_draft(members: Sequence[OutboxAlert], now: datetime, since: datetime | None) -> AlertDraft:
    """One message for the low-severity alerts gathered since the last digest: each member
    with its essentials and a link, so that nobody needs the command line to read it."""
    counts: dict[str, int] = {}
    for alert in members:
        counts[alert.kind] = counts.get(alert.kind, 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    alert_id = f"digest-{now.strftime('%Y%m%dT%H%M%SZ')}"
    period = f"since {_stamp(since)}" if since else "so far"
    head = f"**Digest**: {len(members)} lower-severity alert{'s' if len(members) != 1 else ''} {period} ({summary})."
    footer = sql_footer(alert_id, "digest · its alerts in the register",
                        f"SELECT id, kind, title FROM alerts WHERE digest_id = '{alert_id}';")
    return AlertDraft(
        alert_id=alert_id,
        kind="DIGEST",
        severity="digest",
        tags=("digest",),
        title=f"Digest · {len(members)} alert{'s' if len(members) != 1 else ''} {period} ({summary})",
        body="\n\n".join([head, *(digest_entry(m) for m in members), footer]),
        incident_id=None,
        created=now,
        data=digest_data(alert_id, now, since, list(members)),
    )


# --- a sample, for test-alert ------------------------------------------------------------


def sample_draft(now: datetime) -> AlertDraft:
    """A made-up alert showing every part of a message, clearly labelled as a test."""
    source = SourceClaim(
        article_id=0, publisher="sahel-monitor", url="https://example.org/test-alert",
        title="Test alert: this is not a real incident", published=now,
        figures=(Figure("killed", "unspecified", 0, 0, "exact", "no one"),),
        evidence=("This is a test message sent by `sahel-monitor test-alert` <to check> delivery & formatting.",),
    )
    snap = IncidentSnapshot(
        id=0, state="NEW", event_date=now.date(), date_precision="day",
        location=Location("Test place", None, None, None, None, None), event_type="Test",
        sub_event_type="Test alert", actors=(), claimed_by=(), flags=frozenset(), tolls=(),
        publishers=1, sources=(source,), first_seen=now, last_seen=now,
    )
    change = IncidentChange(0, "NEW", "test", ("this is a test of the alert targets",), now, snap, True)
    alert_id = f"test-{now.strftime('%Y%m%dT%H%M%SZ')}"
    return AlertDraft(
        alert_id=alert_id, kind="TEST", severity="urgent", tags=("urgent", "digest", "test"),
        title="TEST · sahel-monitor alert delivery check",
        body=incident_body(change, None, alert_id).replace(footer_block(alert_id, 0), f"**Alert** `{alert_id}`"),
        incident_id=None, created=now,
    )
