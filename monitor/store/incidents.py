"""Incidents, the reports linked to them, every source's claims, and their revision history.

The rules live in ``monitor.register``; this module finds candidates and writes plans.
Linking: ``register_view`` reads the candidates and the register's version (its last
revision id), the caller plans, and ``apply_plan`` writes the plan in one transaction. The
register does all three inside ``transaction`` (the write lock), so no other process writes
in between; ``apply_plan`` still writes nothing and says ``stale`` when the version has moved,
for a caller that planned outside the lock.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from monitor.config import IncidentsConfig
from monitor.models import AlertDraft, Figure, IncidentChange, Location, Report
from monitor.register import (
    MERGED,
    Account,
    IncidentRecord,
    IncidentUpdate,
    PlacedAccount,
    Plan,
    RegisterView,
    Search,
    Source,
    Tally,
    day_span,
    is_vague,
    revision_json,
    stored_precision,
)
from monitor.store.base import StoreBase, _chunks, from_text, to_text
from monitor.store.recent import RecentIncidents, Token

# the longest span of days a stored report of each precision covers (undated: the link window)
_SPANS = (("day", 0), ("week", 6), ("month", 30), ("year", 365), ("unknown", 61))


def _candidate_sql(near: bool) -> str:
    """One indexed range per precision (``idx_reports_date_precision_first_day``), then the place."""
    place = "place_id = :place_id OR (admin2 = :admin2 AND country IS :country AND (:vague OR vague = 1))"
    if near:
        place += " OR (lat BETWEEN :lat0 AND :lat1 AND lon BETWEEN :lon0 AND :lon1)"
    return " UNION ".join(
        f"SELECT incident_id FROM reports WHERE date_precision = '{precision}'"
        f" AND first_day BETWEEN :lo{i} AND :last AND last_day >= :first"
        f" AND incident_id IS NOT NULL AND ({place})"
        for i, (precision, _) in enumerate(_SPANS)
    )


_CANDIDATES = _candidate_sql(near=False)
_CANDIDATES_NEAR = _candidate_sql(near=True)

# the columns an incident change writes, in the order _save_incident gives them
_INCIDENT_COLUMNS = (
    "state", "known", "seed_key", "seed_digest", "event_date", "date_precision", "first_day", "last_day",
    "place", "place_id", "admin1", "admin2", "country", "lat", "lon", "event_type", "sub_event_type",
    "actors", "claimed_by", "flags", "killed_low", "killed_best", "killed_high", "publishers", "sources",
    "source_names", "reports",
    "historical", "baseline", "first_seen", "last_seen", "updated",
)  # fmt: skip
_INSERT_INCIDENT = (
    f"INSERT INTO incidents ({', '.join(_INCIDENT_COLUMNS)}, id, created)"
    f" VALUES ({', '.join('?' * (len(_INCIDENT_COLUMNS) + 2))})"
)
# UPDATED revisions retention may delete, by id (see ``prune_revisions``)
_PRUNABLE = (
    "SELECT v.id FROM incident_revisions v WHERE v.id > ? AND v.state = 'UPDATED' AND v.at < ?"
    " AND NOT EXISTS (SELECT 1 FROM incident_levels l WHERE l.revision_id = v.id)"
    " AND v.id < (SELECT max(w.id) FROM incident_revisions w WHERE w.incident_id = v.incident_id)"
    " ORDER BY v.id LIMIT ?"
)
_REPORT_COLUMNS = (
    "incident_id", "article_id", "position", "origin", "link", "publisher", "url", "title", "published",
    "event_date", "date_precision", "first_day", "last_day", "place", "place_id", "admin1", "admin2", "country",
    "lat", "lon", "feature_code", "vague", "event_type", "sub_event_type", "actors", "claimed_by", "flags",
    "fatalities", "historical", "prominence", "evidence", "created", "credit",
)  # fmt: skip
_INSERT_REPORT = f"INSERT INTO reports ({', '.join(_REPORT_COLUMNS)}) VALUES ({', '.join('?' * len(_REPORT_COLUMNS))})"
_UPDATE_INCIDENT = f"UPDATE incidents SET {', '.join(f'{c} = ?' for c in _INCIDENT_COLUMNS)} WHERE id = ?"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _opt_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # json.dumps with options builds one a call


def _json(value: Iterable[Any]) -> str:
    return _ENCODER.encode(list(value))


class IncidentStore(StoreBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recent = RecentIncidents()  # the candidates linking read last (monitor.store.recent)

    # --- reading for linking -------------------------------------------------------

    def register_view(self, searches: Sequence[Search]) -> RegisterView:
        """The incidents any search may link to, with the version a plan must be applied on.

        An incident that has not changed since the store last gave it is given again as it
        was, with its tally: it is not read again.
        """
        with self._read("find candidate incidents") as cur:
            version, last_id = cur.execute(
                "SELECT (SELECT coalesce(max(id), 0) FROM incident_revisions), (SELECT coalesce(max(id), 0) FROM incidents)"
            ).fetchone()
            next_id = int(last_id) + 1
            ids: set[int] = set()
            for search in searches:
                ids |= self._candidates(cur, search)
            tokens = self._tokens(cur, sorted(ids))
            kept = {i: r for i in ids if (r := self._recent.get(i, tokens.get(i))) is not None}
            read = self._records(cur, sorted(ids - kept.keys()))
            for incident_id, record in read.items():
                self._recent.put(incident_id, tokens.get(incident_id), record)
        records = {i: kept.get(i) or read[i] for i in sorted(ids) if i in kept or i in read}
        return RegisterView(version=int(version), next_id=next_id, incidents=records)

    @staticmethod
    def _tokens(cur: sqlite3.Cursor, ids: Sequence[int]) -> dict[int, Token]:
        """Each incident's latest revision, as ``RecentIncidents`` tells states apart: one
        look-up in ``idx_incident_revisions_incident_id`` each, however long its history."""
        tokens: dict[int, Token] = {}
        for incident_id in ids:
            row = cur.execute(
                "SELECT id, report_id, article_id, at FROM incident_revisions WHERE incident_id = ? ORDER BY id DESC LIMIT 1",
                (incident_id,),
            ).fetchone()
            if row is not None:
                tokens[incident_id] = tuple(row)
        return tokens

    @staticmethod
    def _version(cur: sqlite3.Cursor) -> int:
        return int(cur.execute("SELECT coalesce(max(id), 0) FROM incident_revisions").fetchone()[0])

    @staticmethod
    def _candidates(cur: sqlite3.Cursor, search: Search) -> set[int]:
        """Incidents with a report whose days reach the window and whose place may agree."""
        params: dict[str, Any] = {
            "place_id": search.place_id,
            "admin2": search.admin2,
            "country": search.country,
            "vague": int(search.vague),
            "first": search.first_day.isoformat(),
            "last": search.last_day.isoformat(),
        }
        first = search.first_day.toordinal()
        for i, (_, span) in enumerate(_SPANS):
            params[f"lo{i}"] = date.fromordinal(first - span).isoformat()
        if search.bbox is not None:
            params.update(zip(("lat0", "lat1", "lon0", "lon1"), search.bbox))
        rows = cur.execute(_CANDIDATES_NEAR if search.bbox is not None else _CANDIDATES, params).fetchall()
        return {int(row[0]) for row in rows}

    def incident_records(self, ids: Sequence[int]) -> dict[int, IncidentRecord]:
        """Stored incidents (not merged away) with all their accounts."""
        with self._read("read incidents") as cur:
            return self._records(cur, list(ids))

    def seed_digests(self) -> dict[str, tuple[int, str]]:
        """The known incidents loaded so far: seed key -> (incident id, digest of the entry loaded)."""
        with self._read("read the known incidents") as cur:
            rows = cur.execute(
                "SELECT seed_key, id, seed_digest FROM incidents WHERE seed_key IS NOT NULL AND merged_into IS NULL"
            ).fetchall()
        return {row[0]: (row[1], row[2]) for row in rows}

    def _records(self, cur: sqlite3.Cursor, ids: list[int]) -> dict[int, IncidentRecord]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        incidents = cur.execute(f"SELECT * FROM incidents WHERE id IN ({marks}) AND merged_into IS NULL", ids).fetchall()
        levels = cur.execute(f"SELECT incident_id, level FROM incident_levels WHERE incident_id IN ({marks})", ids).fetchall()
        accounts: dict[int, list[Account]] = {}
        for incident_id, account in self._accounts(cur, ids):
            accounts.setdefault(incident_id, []).append(account)
        reached: dict[int, set[str]] = {}
        for incident_id, level in levels:
            reached.setdefault(incident_id, set()).add(level)
        return {
            row["id"]: IncidentRecord(
                id=row["id"],
                state=row["state"],
                accounts=tuple(accounts.get(row["id"], [])),
                levels=frozenset(reached.get(row["id"], set())),
                baseline=row["baseline"],
                known=bool(row["known"]),
                seed_key=row["seed_key"],
                seed_digest=row["seed_digest"],
                tally=Tally(),
            )
            for row in incidents
        }

    @staticmethod
    def _accounts(cur: sqlite3.Cursor, ids: Sequence[int]) -> list[tuple[int, Account]]:
        """The accounts linked to these incidents, with their incident, in the order stored."""
        marks = ",".join("?" * len(ids))
        reports = cur.execute(f"SELECT * FROM reports WHERE incident_id IN ({marks}) ORDER BY id", ids).fetchall()
        claims = cur.execute(
            f"SELECT claims.* FROM claims JOIN reports ON reports.id = claims.report_id"
            f" WHERE reports.incident_id IN ({marks}) ORDER BY claims.id",
            ids,
        ).fetchall()
        figures: dict[int, list[Figure]] = {}
        for c in claims:
            figures.setdefault(c["report_id"], []).append(
                Figure(c["kind"], c["victim_group"], c["low"], c["high"], c["qualifier"], c["text"])
            )
        return [(r["incident_id"], _account(r, figures.get(r["id"], []))) for r in reports]

    # --- writing a plan ---------------------------------------------------------------

    def apply_plan(
        self,
        plan: Plan,
        alerts: Sequence[AlertDraft],
        now: datetime,
        rules: IncidentsConfig,
        relevance: tuple[int, float, bool] | None = None,
        reader_version: str | None = None,
    ) -> str:
        """Write a plan, its alerts and the article's relevance in one transaction.

        The article is marked read by ``reader_version``; a reading failure recorded on it
        before is cleared. Returns ``applied``; or, writing nothing, ``stale`` when the
        register changed since the plan's view (plan again), or ``read`` when the article
        was read meanwhile by another process (an article is read once).
        """
        touches = bool(plan.incidents or plan.merges)
        with self._write(f"link {len(plan.accounts)} reports into the register") as cur:
            if relevance is not None and self._was_read(cur, relevance[0]):
                return "read"
            if touches and self._version(cur) != plan.version:
                return "stale"
            if relevance is not None:
                article_id, score, relevant = relevance
                cur.execute(
                    "UPDATE articles SET relevance = ?, relevant = ?, reader_version = ?, read_error = NULL,"
                    " read_failed_at = NULL WHERE id = ?",
                    (score, int(relevant), reader_version, article_id),
                )
            for incident_id in plan.replace_seed_accounts:
                cur.execute("DELETE FROM reports WHERE incident_id = ? AND origin = 'seed'", (incident_id,))
            stamp = to_text(now)
            for update in plan.incidents:
                self._save_incident(cur, update, stamp)
            for merge in plan.merges:
                self._merge(cur, merge.absorbed, merge.into, merge.reason, stamp)
            causes: dict[int, tuple[int, PlacedAccount]] = {}
            linked: list[tuple[PlacedAccount, dict[str, Any]]] = []
            for placed in plan.accounts:
                report_id, row = self._insert_report(cur, placed, rules, stamp)
                if placed.incident_id is not None:
                    causes.setdefault(placed.incident_id, (report_id, placed))
                    linked.append((placed, row))
            revisions: dict[int, Token] = {}
            for change in plan.changes:
                cause = causes.get(change.incident_id)
                revision_id = self._insert_revision(cur, change, cause)
                source = cause[1].account.source if cause else None
                revisions[change.incident_id] = (
                    revision_id, cause[0] if cause else None, source.article_id if source else None, to_text(change.at),
                )
            self._keep_applied(plan, revisions, linked)
            for update in plan.incidents:
                self._save_tolls(cur, update)
                cur.executemany(
                    "INSERT OR IGNORE INTO incident_levels (incident_id, level, reached, reason, revision_id)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(update.id, level, stamp, why, revisions[update.id][0] if update.id in revisions else None)
                     for level, why in update.new_levels],
                )
            self.insert_alerts(cur, alerts)  # type: ignore[attr-defined]  # AlertStore, in the same Store
        return "applied"

    def _keep_applied(
        self, plan: Plan, tokens: dict[int, Token], added: list[tuple[PlacedAccount, dict[str, Any]]]
    ) -> None:
        """The incidents kept that a plan changed, as a fresh read would give them, for the
        next article: their accounts with the new ones as stored, their new state and levels.
        A merged incident, or one whose seed facts were replaced, is read again instead (and a
        new one when it is next a candidate: most are told once). Should the transaction roll
        back, the tokens no longer match and they are read again too."""
        for incident_id in {m.absorbed for m in plan.merges} | {m.into for m in plan.merges} | set(plan.replace_seed_accounts):
            self._recent.drop(incident_id)
        for update in plan.incidents:
            before = self._recent.peek(update.id)
            if before is None or update.id not in tokens:
                self._recent.drop(update.id)
                continue
            accounts = tuple(
                _account(row, list(placed.account.report.figures)) for placed, row in added if placed.incident_id == update.id
            )
            record = replace(
                before, accounts=before.accounts + accounts, levels=before.levels | {level for level, _ in update.new_levels},
                state=update.state, baseline=update.baseline, known=update.known, seed_key=update.seed_key,
                seed_digest=update.seed_digest,
            )  # fmt: skip
            self._recent.put(update.id, tokens[update.id], record)

    @staticmethod
    def _was_read(cur: sqlite3.Cursor, article_id: int) -> bool:
        row = cur.execute("SELECT relevant FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None and row["relevant"] is not None

    @staticmethod
    def _save_incident(cur: sqlite3.Cursor, u: IncidentUpdate, stamp: str) -> None:
        p = u.picture
        loc = p.location
        values: dict[str, Any] = {
            "state": u.state,
            "known": int(u.known),
            "seed_key": u.seed_key,
            "seed_digest": u.seed_digest,
            "event_date": _day(p.event_date),
            "date_precision": p.date_precision,
            "first_day": _day(p.first_day),
            "last_day": _day(p.last_day),
            "place": loc.name if loc else None,
            "place_id": loc.place_id if loc else None,
            "admin1": loc.admin1 if loc else None,
            "admin2": loc.admin2 if loc else None,
            "country": loc.country if loc else None,
            "lat": loc.lat if loc else None,
            "lon": loc.lon if loc else None,
            "event_type": p.event_type,
            "sub_event_type": p.sub_event_type,
            "actors": _json(p.actors),
            "claimed_by": _json(p.claimed_by),
            "flags": _json(sorted(p.flags)),
            "killed_low": p.killed[0],
            "killed_best": p.killed[1],
            "killed_high": p.killed[2],
            "publishers": p.publishers,
            "sources": len(p.voices),
            "source_names": _json(p.voices),
            "reports": p.reports,
            "historical": int(p.historical),
            "baseline": u.baseline,
            "first_seen": to_text(p.first_seen),
            "last_seen": to_text(p.last_seen),
            "updated": stamp,
        }
        row = [values[column] for column in _INCIDENT_COLUMNS]
        if u.created:
            cur.execute(_INSERT_INCIDENT, [*row, u.id, stamp])
        else:
            cur.execute(_UPDATE_INCIDENT, [*row, u.id])

    @staticmethod
    def _save_tolls(cur: sqlite3.Cursor, u: IncidentUpdate) -> None:
        if not u.created:
            cur.execute("DELETE FROM incident_tolls WHERE incident_id = ?", (u.id,))
        cur.executemany(
            "INSERT INTO incident_tolls (incident_id, kind, victim_group, low, best, high) VALUES (?, ?, ?, ?, ?, ?)",
            [(u.id, t.kind, t.group, t.low, t.best, t.high) for t in u.picture.tolls],
        )

    @staticmethod
    def _merge(cur: sqlite3.Cursor, absorbed: int, into: int, reason: str, stamp: str) -> None:
        cur.execute("UPDATE reports SET incident_id = ? WHERE incident_id = ?", (into, absorbed))
        cur.execute(
            "INSERT OR IGNORE INTO incident_levels (incident_id, level, reached, reason, revision_id)"
            " SELECT ?, level, reached, reason, revision_id FROM incident_levels WHERE incident_id = ?",
            (into, absorbed),
        )
        cur.execute("DELETE FROM incident_tolls WHERE incident_id = ?", (absorbed,))
        cur.execute(
            "UPDATE incidents SET state = ?, merged_into = ?, reports = 0, updated = ? WHERE id = ?",
            (MERGED, into, stamp, absorbed),
        )
        cur.execute(
            "INSERT INTO incident_revisions (incident_id, at, state, level, alertable, reasons, snapshot)"
            " VALUES (?, ?, ?, 'merged', 0, ?, ?)",
            (absorbed, stamp, MERGED, _json([reason]), json.dumps({"merged_into": into})),
        )

    @staticmethod
    def _insert_report(
        cur: sqlite3.Cursor, placed: PlacedAccount, rules: IncidentsConfig, stamp: str
    ) -> tuple[int, dict[str, Any]]:
        """Store one report and its claims; returns its id and its row."""
        row = _report_row(placed, rules, stamp)
        cursor = cur.execute(_INSERT_REPORT, [row[c] for c in _REPORT_COLUMNS])
        report_id = int(cursor.lastrowid or 0)
        cur.executemany(
            "INSERT INTO claims (report_id, kind, victim_group, low, high, qualifier, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(report_id, f.kind, f.group, f.low, f.high, f.qualifier, f.text) for f in placed.account.report.figures],
        )
        return report_id, row

    @staticmethod
    def _insert_revision(cur: sqlite3.Cursor, change: IncidentChange, cause: tuple[int, PlacedAccount] | None) -> int:
        """The change, with the report of the plan that caused it, if one did."""
        snap = change.snapshot
        low, best, high = snap.killed
        report_id, account = (cause[0], cause[1].account) if cause else (None, None)
        source = account.source if account else None
        cursor = cur.execute(
            "INSERT INTO incident_revisions (incident_id, at, state, level, alertable, reasons, report_id,"
            " article_id, publisher, killed_low, killed_best, killed_high, publishers, snapshot)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                change.incident_id, to_text(change.at), change.state, change.level, int(change.alertable),
                _json(change.reasons), report_id, source.article_id if source else None,
                source.publisher if source else None, low, best, high, snap.publishers, revision_json(snap, account),
            ),
        )  # fmt: skip
        return int(cursor.lastrowid or 0)

    # --- retention -------------------------------------------------------------------

    def prune_revisions(self, older_than: datetime, batch: int = 2000) -> int:
        """Delete the UPDATED revisions made before ``older_than``; returns how many went.

        Never a NEW, ESCALATED, KNOWN or MERGED revision, one a level points to
        (``incident_levels.revision_id``), nor an incident's latest (the delete trigger of
        migration 7 refuses them too). One short transaction per ``batch`` revisions, so that
        linking waits for a batch at most, not for the whole history.
        """
        cutoff, after, deleted = to_text(older_than), 0, 0
        while True:
            with self._write(f"prune the UPDATED revisions older than {cutoff}") as cur:
                ids = [row[0] for row in cur.execute(_PRUNABLE, (after, cutoff, batch)).fetchall()]
                for chunk in _chunks(ids):
                    cur.execute(f"DELETE FROM incident_revisions WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            deleted += len(ids)
            if len(ids) < batch:
                return deleted
            after = ids[-1]

    # --- reading for people ---------------------------------------------------------

    def incidents(self, since: date | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Rows of ``v_incidents`` (newest event first) with their ``tolls``, optionally since a day."""
        sql = "SELECT * FROM v_incidents"
        params: list[Any] = []
        if since is not None:
            sql += " WHERE coalesce(event_date, substr(first_seen, 1, 10)) >= ?"
            params.append(since.isoformat())
        sql += " ORDER BY coalesce(event_date, substr(first_seen, 1, 10)) DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._read("list incidents") as cur:
            rows = [dict(row) for row in cur.execute(sql, params).fetchall()]
            tolls: dict[int, list[dict[str, Any]]] = {}
            ids = [row["id"] for row in rows]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for t in cur.execute(
                    f"SELECT * FROM incident_tolls WHERE incident_id IN ({marks}) ORDER BY incident_id, kind, victim_group",
                    chunk,
                ):
                    tolls.setdefault(t["incident_id"], []).append(
                        {"kind": t["kind"], "group": t["victim_group"], "low": t["low"], "best": t["best"], "high": t["high"]}
                    )
        for row in rows:
            row["tolls"] = tolls.get(row["id"], [])
            row["known"] = bool(row["known"])
            row["historical"] = bool(row["historical"])
        return rows

    def incident_sources(self, incident_id: int) -> list[dict[str, Any]]:
        """Who said what about one incident: rows of ``v_incident_sources``."""
        with self._read(f"read the sources of incident {incident_id}") as cur:
            rows = cur.execute(
                "SELECT * FROM v_incident_sources WHERE incident_id = ? ORDER BY published, report_id", (incident_id,)
            ).fetchall()
        return [dict(row) for row in rows]

    def revisions(self, incident_id: int | None = None) -> list[dict[str, Any]]:
        """The register's history (``v_timeline``), or one incident's."""
        sql, params = "SELECT * FROM v_timeline", []
        if incident_id is not None:
            sql, params = sql + " WHERE incident_id = ?", [incident_id]
        with self._read("read the incident history") as cur:
            return [dict(row) for row in cur.execute(sql, params).fetchall()]

    def reports_of_article(self, article_id: int) -> list[dict[str, Any]]:
        with self._read(f"read the reports of article {article_id}") as cur:
            rows = cur.execute("SELECT * FROM reports WHERE article_id = ? ORDER BY position", (article_id,))
            return [dict(row) for row in rows.fetchall()]


def _report_row(placed: PlacedAccount, rules: IncidentsConfig, stamp: str) -> dict[str, Any]:
    """A report's row as stored: REAL columns as floats, as SQLite's affinity makes them, so
    that ``_account`` gives from it what it gives from the row read back."""
    a = placed.account
    r, s = a.report, a.source
    first, last = day_span(r, s.published.date(), rules)
    loc = r.location
    return {
        "incident_id": placed.incident_id, "article_id": s.article_id, "position": a.position, "origin": s.origin,
        "link": placed.how, "publisher": s.publisher, "url": s.url, "title": s.title, "published": to_text(s.published),
        "event_date": _day(r.event_date), "date_precision": stored_precision(r),
        "first_day": first.isoformat(), "last_day": last.isoformat(),
        "place": loc.name if loc else None, "place_id": loc.place_id if loc else None,
        "admin1": loc.admin1 if loc else None, "admin2": loc.admin2 if loc else None,
        "country": loc.country if loc else None, "lat": _real(loc.lat if loc else None),
        "lon": _real(loc.lon if loc else None), "feature_code": loc.feature_code if loc else None,
        "vague": int(bool(loc and is_vague(loc))), "event_type": r.event_type, "sub_event_type": r.sub_event_type,
        "actors": _json(r.actors), "claimed_by": _json(r.claimed_by), "flags": _json(sorted(r.flags)),
        "fatalities": r.fatalities, "historical": int(placed.historical), "prominence": _real(r.prominence),
        "evidence": _json(r.evidence), "created": stamp, "credit": s.credit,
    }  # fmt: skip


def _real(value: float | None) -> float | None:
    return None if value is None else float(value)


def _account(row: sqlite3.Row | dict[str, Any], figures: list[Figure]) -> Account:
    location = None
    if row["place"] is not None:
        location = Location(
            name=row["place"], admin1=row["admin1"], admin2=row["admin2"], country=row["country"],
            lat=row["lat"], lon=row["lon"], place_id=row["place_id"], feature_code=row["feature_code"],
        )  # fmt: skip
    report = Report(
        event_date=_opt_day(row["event_date"]),
        date_precision=row["date_precision"],
        location=location,
        event_type=row["event_type"],
        sub_event_type=row["sub_event_type"],
        actors=tuple(json.loads(row["actors"])),
        figures=tuple(figures),
        fatalities=row["fatalities"],
        historical=bool(row["historical"]),
        evidence=tuple(json.loads(row["evidence"])),
        claimed_by=tuple(json.loads(row["claimed_by"])),
        flags=frozenset(json.loads(row["flags"])),
        prominence=row["prominence"],
    )
    source = Source(
        article_id=row["article_id"],
        publisher=row["publisher"],
        url=row["url"],
        title=row["title"],
        published=from_text(row["published"]),  # type: ignore[arg-type]
        origin=row["origin"],
        credit=row["credit"],
    )
    return Account(report, source, position=row["position"])
