"""The alert outbox: alerts written with the change that caused them, and every delivery attempt.

The life of an alert (``alerts.state``)::

    pending ──(routed to targets)──► deliveries ──(all sent)──► sent
       │                                  └──(one gave up)─────► failed ──(retry)──► pending
       └──(low severity, digest on)──► waiting ──(next digest)──► digested

and of one delivery to one target (``alert_deliveries.state``)::

    pending ──claim──► sending ──apprise said yes──► sent
       ▲                 │ └────apprise said no───► pending (later) ... failed (max attempts)
       └──── restart ────┘   (an attempt cut off by a crash is recorded as 'interrupted')

A claim and its outcome are two short transactions with the send between them,
outside any transaction: a crash in between leaves the delivery 'sending', and
the next start puts it back to 'pending'. That is the one way an alert can reach
a target twice, always with the same id. See docs/alerts.md.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from monitor.models import (
    AlertDraft,
    AlertMemo,
    Delivery,
    FeedVitals,
    FeedWatch,
    OutboxAlert,
    TollRange,
)
from monitor.store.base import StoreBase, _opt_text, from_text, to_text

_MEMO_VERSION = 1


# --- values <-> rows -----------------------------------------------------------------


def memo_to_json(memo: AlertMemo | None) -> str | None:
    if memo is None:
        return None
    return json.dumps(
        {
            "v": _MEMO_VERSION,
            "alert_id": memo.alert_id,
            "kind": memo.kind,
            "created": to_text(memo.created),
            "tolls": [[t.kind, t.group, t.low, t.best, t.high] for t in memo.tolls],
            "flags": sorted(memo.flags),
            "claimed_by": list(memo.claimed_by),
            "article_ids": list(memo.article_ids),
            "levels": list(memo.levels),
            "reasons": list(memo.reasons),
        },
        ensure_ascii=False,
    )


def memo_from_json(text: str | None) -> AlertMemo | None:
    if not text:
        return None
    data = json.loads(text)
    return AlertMemo(
        alert_id=data["alert_id"],
        kind=data["kind"],
        created=from_text(data["created"]),  # type: ignore[arg-type]
        tolls=tuple(TollRange(*row) for row in data["tolls"]),
        flags=frozenset(data["flags"]),
        claimed_by=tuple(data["claimed_by"]),
        article_ids=tuple(data["article_ids"]),
        levels=tuple(data.get("levels", ())),  # memos written before they were kept have none
        reasons=tuple(data.get("reasons", ())),
    )


def _data_json(draft: AlertDraft) -> str | None:
    return json.dumps(draft.data, ensure_ascii=False, sort_keys=True) if draft.data is not None else None


def _outbox_alert(row: sqlite3.Row) -> OutboxAlert:
    return OutboxAlert(
        alert_id=row["id"],
        kind=row["kind"],
        severity=row["severity"],
        tags=tuple(json.loads(row["tags"])),
        title=row["title"],
        body=row["body"],
        incident_id=row["incident_id"],
        feed_id=row["feed_id"],
        state=row["state"],
        created=from_text(row["created"]),  # type: ignore[arg-type]
        not_before=from_text(row["not_before"]),
        digest_id=row["digest_id"],
        sent=from_text(row["sent"]),
        data=json.loads(row["data"]) if row["data"] else None,
    )


def _delivery(row: sqlite3.Row) -> Delivery:
    return Delivery(
        alert=_outbox_alert(row),
        target=row["target"],
        state=row["d_state"],
        attempts=row["attempts"],
        next_attempt=from_text(row["next_attempt"]),  # type: ignore[arg-type]
        last_error=row["last_error"],
        sent=from_text(row["d_sent"]),
    )


_DELIVERY_SELECT = (
    "SELECT a.*, d.target, d.state AS d_state, d.attempts, d.next_attempt, d.last_error,"
    " d.sent AS d_sent FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id"
)


def _feed_watch(row: sqlite3.Row) -> FeedWatch:
    return FeedWatch(
        feed_id=row["feed_id"],
        state=row["state"],
        reason=row["reason"],
        since=from_text(row["since"]),  # type: ignore[arg-type]
        episodes=row["episodes"],
        alerted=from_text(row["alerted"]),
    )


class AlertStore(StoreBase):
    # --- writing alerts ----------------------------------------------------------

    def insert_alerts(self, cur: sqlite3.Cursor, alerts: Sequence[AlertDraft]) -> int:
        """Write alert drafts inside the caller's transaction (the incident change that caused them).

        An id already in the outbox is left as it is: a change applied twice (a
        replayed article, a retried cycle) never makes a second alert. Returns
        how many were new.
        """
        added = 0
        for draft in alerts:
            if draft.replaces and self._rewrite_open_alert(cur, draft):
                continue
            alert_id = draft.own_id if draft.replaces and draft.own_id else draft.alert_id
            cursor = cur.execute(
                "INSERT OR IGNORE INTO alerts (id, kind, severity, tags, title, body, incident_id,"
                " feed_id, memo, data, state, not_before, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
                (
                    alert_id, draft.kind, draft.severity, json.dumps(list(draft.tags)),
                    draft.title, draft.body, draft.incident_id, draft.feed_id, memo_to_json(draft.memo),
                    _data_json(draft), _opt_text(draft.not_before), to_text(draft.created),
                ),
            )
            added += cursor.rowcount
        return added

    @staticmethod
    def _rewrite_open_alert(cur: sqlite3.Cursor, draft: AlertDraft) -> bool:
        """Rewrite an alert still waiting in the outbox (not routed, in no digest, no delivery)
        to tell what its incident learnt since. False when it left meanwhile."""
        cursor = cur.execute(
            "UPDATE alerts SET kind = ?, severity = ?, tags = ?, title = ?, body = ?, memo = ?, data = ?,"
            " not_before = ? WHERE id = ? AND state = 'pending' AND digest_id IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = alerts.id)",
            (
                draft.kind, draft.severity, json.dumps(list(draft.tags)), draft.title, draft.body,
                memo_to_json(draft.memo), _data_json(draft), _opt_text(draft.not_before), draft.alert_id,
            ),
        )
        return cursor.rowcount == 1

    def add_alerts(self, alerts: Sequence[AlertDraft]) -> int:
        """``insert_alerts`` in a transaction of its own (feed health, tests, tools)."""
        with self._write(f"add {len(alerts)} alerts") as cur:
            return self.insert_alerts(cur, alerts)

    def last_alert_memos(self, incident_ids: Iterable[int]) -> dict[int, AlertMemo]:
        """The most recent alert of each of these incidents, as it was said."""
        told, open_ = self.alert_memos(incident_ids)
        return {**told, **open_}

    def alert_memos(self, incident_ids: Iterable[int]) -> tuple[dict[int, AlertMemo], dict[int, AlertMemo]]:
        """For each of these incidents: the last alert on its way or told (routed, in a digest,
        sent), and the alert still open in the outbox, which a new change rewrites."""
        wanted = sorted(set(incident_ids))
        told: dict[int, AlertMemo] = {}
        open_: dict[int, AlertMemo] = {}
        if not wanted:
            return told, open_
        with self._read("read the last alerts of incidents") as cur:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = cur.execute(
                    f"SELECT incident_id, memo, state = 'pending' AND digest_id IS NULL AND NOT EXISTS"
                    " (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = alerts.id) AS open"
                    f" FROM alerts WHERE incident_id IN ({marks}) AND memo IS NOT NULL ORDER BY created, rowid",
                    chunk,
                ).fetchall()
                for row in rows:  # later rows win
                    memo = memo_from_json(row["memo"])
                    if memo is not None:
                        (open_ if row["open"] else told)[row["incident_id"]] = memo
        return told, open_

    # --- routing -----------------------------------------------------------------

    def alerts_to_route(self, now: datetime, limit: int = 500) -> list[OutboxAlert]:
        """Pending alerts past their cooldown that have no delivery yet, oldest first."""
        with self._read("find alerts to route") as cur:
            rows = cur.execute(
                "SELECT a.* FROM alerts a WHERE a.state = 'pending'"
                " AND (a.not_before IS NULL OR a.not_before <= ?)"
                " AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id)"
                " ORDER BY a.created, a.rowid LIMIT ?",
                (to_text(now), limit),
            ).fetchall()
        return [_outbox_alert(row) for row in rows]

    def route_alerts(
        self, routes: Mapping[str, Sequence[str]], hold: Sequence[str], now: datetime
    ) -> None:
        """Create a delivery per (alert, target); put ``hold`` aside for the next digest."""
        stamp = to_text(now)
        with self._write(f"route {len(routes) + len(hold)} alerts") as cur:
            for alert_id, targets in routes.items():
                cur.executemany(
                    "INSERT OR IGNORE INTO alert_deliveries (alert_id, target, state, next_attempt, created)"
                    " VALUES (?, ?, 'pending', ?, ?)",
                    [(alert_id, target, stamp, stamp) for target in targets],
                )
            cur.executemany(
                "UPDATE alerts SET state = 'waiting' WHERE id = ? AND state = 'pending'",
                [(alert_id,) for alert_id in hold],
            )

    def drop_unknown_targets(self, targets: Sequence[str], now: datetime) -> int:
        """Pending deliveries to targets no longer configured are dropped, so their alerts can settle."""
        marks = ",".join("?" * len(targets))
        with self._write("drop deliveries to removed targets") as cur:
            rows = cur.execute(
                f"SELECT alert_id FROM alert_deliveries WHERE state = 'pending' AND target NOT IN ({marks})",
                list(targets),
            ).fetchall()
            cur.execute(
                "UPDATE alert_deliveries SET state = 'dropped', last_error = 'target no longer configured'"
                f" WHERE state = 'pending' AND target NOT IN ({marks})",
                list(targets),
            )
            for alert_id in {row["alert_id"] for row in rows}:
                self._settle(cur, alert_id, now)
        return len(rows)

    # --- delivering --------------------------------------------------------------

    def due_deliveries(self, now: datetime, limit: int = 500) -> list[Delivery]:
        """Deliveries to try now, oldest alert first."""
        with self._read("find deliveries due") as cur:
            rows = cur.execute(
                _DELIVERY_SELECT + " WHERE d.state = 'pending' AND d.next_attempt <= ?"
                " AND a.state = 'pending' ORDER BY a.created, a.rowid, d.target LIMIT ?",
                (to_text(now), limit),
            ).fetchall()
        return [_delivery(row) for row in rows]

    def claim_delivery(self, alert_id: str, target: str, now: datetime) -> int | None:
        """Mark a delivery as being sent and open its attempt record. Returns the attempt's
        number, or None when the delivery is no longer pending (retried by hand, dropped)."""
        stamp = to_text(now)
        with self._write(f"claim alert {alert_id} for {target}") as cur:
            cursor = cur.execute(
                "UPDATE alert_deliveries SET state = 'sending', attempts = attempts + 1, claimed = ?"
                " WHERE alert_id = ? AND target = ? AND state = 'pending'",
                (stamp, alert_id, target),
            )
            if cursor.rowcount == 0:
                return None
            attempt = cur.execute(
                "SELECT count(*) + 1 FROM alert_attempts WHERE alert_id = ? AND target = ?", (alert_id, target)
            ).fetchone()[0]
            cur.execute(
                "INSERT INTO alert_attempts (alert_id, target, attempt, started, result)"
                " VALUES (?, ?, ?, ?, 'sending')",
                (alert_id, target, attempt, stamp),
            )
        return int(attempt)

    def finish_delivery(
        self,
        alert_id: str,
        target: str,
        attempt: int,
        *,
        now: datetime,
        ok: bool,
        result: str,
        error: str | None,
        elapsed: float,
        next_attempt: datetime | None,
    ) -> None:
        """Record how an attempt went. ``next_attempt`` None after a failure means: give up."""
        stamp = to_text(now)
        with self._write(f"record delivery of alert {alert_id} to {target}") as cur:
            cur.execute(
                "UPDATE alert_attempts SET finished = ?, result = ?, error = ?, elapsed_ms = ?"
                " WHERE alert_id = ? AND target = ? AND attempt = ?",
                (stamp, result, error, round(elapsed * 1000), alert_id, target, attempt),
            )
            if ok:
                cur.execute(
                    "UPDATE alert_deliveries SET state = 'sent', sent = ?, last_error = NULL"
                    " WHERE alert_id = ? AND target = ?",
                    (stamp, alert_id, target),
                )
            else:
                cur.execute(
                    "UPDATE alert_deliveries SET state = ?, next_attempt = coalesce(?, next_attempt),"
                    " last_error = ? WHERE alert_id = ? AND target = ?",
                    ("pending" if next_attempt else "failed", _opt_text(next_attempt), error, alert_id, target),
                )
            self._settle(cur, alert_id, now)

    def defer_target(self, target: str, until: datetime, alert_ids: Sequence[str]) -> None:
        """A target that just failed: its other deliveries wait with it instead of failing one by one."""
        stamp = to_text(until)
        with self._write(f"defer deliveries to {target}") as cur:
            cur.executemany(
                "UPDATE alert_deliveries SET next_attempt = max(next_attempt, ?)"
                " WHERE alert_id = ? AND target = ? AND state = 'pending'",
                [(stamp, alert_id, target) for alert_id in alert_ids],
            )

    def recover_interrupted(self, now: datetime) -> int:
        """At start: deliveries a crash left 'sending' go back to 'pending'.

        Whether the target got the message is unknown, so it is sent again: an
        alert is never lost, and a duplicate carries the same id.
        """
        stamp = to_text(now)
        with self._write("recover interrupted deliveries") as cur:
            cur.execute(
                "UPDATE alert_attempts SET result = 'interrupted', finished = ?,"
                " error = 'the process stopped during the attempt; sent again, the target may see it twice'"
                " WHERE result = 'sending'",
                (stamp,),
            )
            cursor = cur.execute(
                "UPDATE alert_deliveries SET state = 'pending', next_attempt = ? WHERE state = 'sending'",
                (stamp,),
            )
            return cursor.rowcount

    @staticmethod
    def _settle(cur: sqlite3.Cursor, alert_id: str, now: datetime) -> None:
        """An alert is sent when every delivery is done, failed when one gave up and none is left."""
        counts = cur.execute(
            "SELECT sum(state IN ('pending', 'sending')) AS open, sum(state = 'failed') AS failed,"
            " sum(state = 'sent') AS sent FROM alert_deliveries WHERE alert_id = ?",
            (alert_id,),
        ).fetchone()
        if counts["open"]:
            state = "pending"
        elif counts["failed"]:
            state = "failed"
        else:
            state = "sent"
        cur.execute(
            "UPDATE alerts SET state = ?, sent = CASE WHEN ? = 'sent' THEN coalesce(sent, ?) END"
            " WHERE id = ? AND state IN ('pending', 'failed', 'sent')",
            (state, state, to_text(now), alert_id),
        )

    def retry_failed(self, now: datetime, alert_ids: Sequence[str] = ()) -> int:
        """Failed deliveries (of these alerts, or all) start again with a fresh attempt budget."""
        stamp = to_text(now)
        where = "state = 'failed'"
        params: list[Any] = []
        if alert_ids:
            where += f" AND alert_id IN ({','.join('?' * len(alert_ids))})"
            params = list(alert_ids)
        with self._write("retry failed deliveries") as cur:
            rows = cur.execute(f"SELECT DISTINCT alert_id FROM alert_deliveries WHERE {where}", params).fetchall()
            count = cur.execute(
                f"UPDATE alert_deliveries SET state = 'pending', attempts = 0, next_attempt = ? WHERE {where}",
                [stamp, *params],
            ).rowcount
            for row in rows:
                self._settle(cur, row["alert_id"], now)
            return count

    # --- the digest --------------------------------------------------------------

    def waiting_alerts(self, now: datetime) -> list[OutboxAlert]:
        with self._read("find alerts waiting for the digest") as cur:
            rows = cur.execute(
                "SELECT * FROM alerts WHERE state = 'waiting' AND (not_before IS NULL OR not_before <= ?)"
                " ORDER BY created, rowid",
                (to_text(now),),
            ).fetchall()
        return [_outbox_alert(row) for row in rows]

    def release_waiting(self) -> int:
        """Alerts waiting for a digest go back to pending, to be sent on their own."""
        with self._write("release alerts waiting for the digest") as cur:
            return cur.execute("UPDATE alerts SET state = 'pending' WHERE state = 'waiting'").rowcount

    def last_digest_time(self) -> datetime | None:
        with self._read("find the last digest") as cur:
            row = cur.execute("SELECT max(created) FROM alerts WHERE kind = 'DIGEST'").fetchone()
        return from_text(row[0])

    def add_digest(self, digest: AlertDraft, member_ids: Sequence[str]) -> bool:
        """The digest and the fact that its members are in it, in one transaction."""
        with self._write(f"write digest {digest.alert_id}") as cur:
            if not self.insert_alerts(cur, [digest]):
                return False
            cur.executemany(
                "UPDATE alerts SET state = 'digested', digest_id = ? WHERE id = ? AND state = 'waiting'",
                [(digest.alert_id, alert_id) for alert_id in member_ids],
            )
        return True

    # --- reading, for people ---------------------------------------------------------

    def alert(self, alert_id: str) -> OutboxAlert | None:
        with self._read(f"read alert {alert_id}") as cur:
            row = cur.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        return _outbox_alert(row) if row else None

    def alerts_in_state(self, states: Sequence[str], limit: int = 200) -> list[OutboxAlert]:
        marks = ",".join("?" * len(states))
        with self._read("list alerts") as cur:
            rows = cur.execute(
                f"SELECT * FROM alerts WHERE state IN ({marks}) ORDER BY created DESC, rowid DESC LIMIT ?",
                [*states, limit],
            ).fetchall()
        return [_outbox_alert(row) for row in rows]

    def deliveries_of(self, alert_ids: Sequence[str]) -> list[Delivery]:
        if not alert_ids:
            return []
        marks = ",".join("?" * len(alert_ids))
        with self._read("read deliveries") as cur:
            rows = cur.execute(
                _DELIVERY_SELECT + f" WHERE d.alert_id IN ({marks}) ORDER BY a.created, d.target", list(alert_ids)
            ).fetchall()
        return [_delivery(row) for row in rows]

    def attempts_of(self, alert_id: str) -> list[dict[str, Any]]:
        with self._read(f"read attempts of alert {alert_id}") as cur:
            rows = cur.execute(
                "SELECT target, attempt, started, finished, result, error, elapsed_ms FROM alert_attempts"
                " WHERE alert_id = ? ORDER BY id",
                (alert_id,),
            ).fetchall()
        return [dict(row) for row in rows]

    # --- feed health -------------------------------------------------------------

    def feed_vitals(self, history: int = 30) -> list[FeedVitals]:
        """Every enabled or disabled (410) feed, with the times its polls brought new articles;
        not those removed, nor those a command turned off (nobody waits for news from them)."""
        with self._read("read feed vitals") as cur:
            feeds = cur.execute(
                "SELECT id, name, url, state, error_count, last_error, last_success, created FROM feeds"
                " WHERE state != 'removed' AND disabled_at IS NULL ORDER BY id"
            ).fetchall()
            vitals = []
            for feed in feeds:
                times = cur.execute(
                    "SELECT DISTINCT first_seen FROM article_feeds WHERE feed_id = ?"
                    " ORDER BY first_seen DESC LIMIT ?",
                    (feed["id"], history),
                ).fetchall()
                vitals.append(
                    FeedVitals(
                        feed_id=feed["id"],
                        name=feed["name"],
                        url=feed["url"],
                        state=feed["state"],
                        error_count=feed["error_count"],
                        last_error=feed["last_error"],
                        last_success=from_text(feed["last_success"]),
                        created=from_text(feed["created"]),  # type: ignore[arg-type]
                        new_item_times=tuple(from_text(row[0]) for row in times),  # type: ignore[misc]
                    )
                )
        return vitals

    def feed_watches(self) -> dict[int, FeedWatch]:
        with self._read("read feed watch") as cur:
            rows = cur.execute("SELECT * FROM feed_watch").fetchall()
        return {row["feed_id"]: _feed_watch(row) for row in rows}

    def save_feed_watch(self, watches: Sequence[FeedWatch], drafts: Sequence[AlertDraft], now: datetime) -> int:
        """New feed states and the alerts they cause, together: each change alerts exactly once."""
        stamp = to_text(now)
        with self._write("record feed health") as cur:
            for watch in watches:
                cur.execute(
                    "INSERT INTO feed_watch (feed_id, state, reason, since, episodes, alerted, checked)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feed_id) DO UPDATE SET state = excluded.state,"
                    " reason = excluded.reason, since = excluded.since, episodes = excluded.episodes,"
                    " alerted = excluded.alerted, checked = excluded.checked",
                    (
                        watch.feed_id, watch.state, watch.reason, to_text(watch.since), watch.episodes,
                        _opt_text(watch.alerted), stamp,
                    ),
                )
            return self.insert_alerts(cur, drafts)
