"""The incident stage of the pipeline: new articles in, incident changes (and their alerts) out.

``Register.process`` is what a poll cycle and ``sahel-monitor ingest`` both call for the
articles they have just stored: each article is read by the extractor (``monitor.reading.reports``),
its relevance and reports are stored, and its reports are linked into the register by the
rules of ``monitor.register``; the resulting changes go through the alert drafter and are
written with their alerts in one transaction.

An article is planned on a view of the register and applied only if the register has not
moved since (``IncidentStore.apply_plan``); one process links one article at a time (a
lock), so the retry is only for another process writing the same file.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from monitor.config import IncidentsConfig
from monitor.models import AlertDraft, IncidentChange, Report
from monitor.register import Account, Plan, Source, load_seeds, plan_article, plan_seed, search_for
from monitor.resources import SEEDS_DIR
from monitor.store import Store, StoreError

log = logging.getLogger("monitor.register")

_ATTEMPTS = 5

Clock = Callable[[], datetime]
Drafter = Callable[[Sequence[IncidentChange]], list[AlertDraft]]


class Reading(Protocol):
    relevant: bool
    score: float
    language: str | None
    reports: list[Report]


class Reader(Protocol):
    """The extractor (``monitor.reading.reports.Extractor``), or anything that reads like it."""

    def read(self, text: str, published: date, lang: str | None = None, title: str = "") -> Any: ...


@dataclass(frozen=True)
class NewArticle:
    """An article just stored, as the incident stage needs it."""

    article_id: int
    title: str
    text: str
    published: datetime
    language: str | None
    publisher: str
    url: str | None = None


@dataclass(frozen=True)
class Processed:
    """What became of one article."""

    article_id: int
    relevant: bool
    score: float
    reports: int
    changes: tuple[IncidentChange, ...]
    error: str | None = None


@dataclass(frozen=True)
class SeedSummary:
    loaded: int
    updated: int
    unchanged: int


def publisher_of(url: str | None, fallback: str) -> str:
    """The site an article is from (``rfi.fr``), else the given name."""
    host = urlsplit(url).hostname if url else None
    if not host:
        return fallback
    return host.removeprefix("www.")


# --- the extractor, once per process ------------------------------------------------------

_extractors: dict[tuple[Any, ...], Reader] = {}
_extractor_lock = threading.Lock()


def shared_extractor(seeds_dir: Path | None = None, extra: Mapping[str, Any] | None = None) -> Reader:
    """The extractor, loaded once per process (about a second) and again only when its files
    or the config's extension of the watch list (``watchlist.extra_terms``) change."""
    from monitor.reading import (
        Extractor,  # the extractor's own heavy imports wait until needed
    )

    folder = seeds_dir or SEEDS_DIR
    files = sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*") if p.is_file())
    key = (str(folder), json.dumps(extra or {}, sort_keys=True, default=str), *files)
    with _extractor_lock:
        if key not in _extractors:
            _extractors.clear()
            _extractors[key] = Extractor.load(seeds_dir, extra)
        return _extractors[key]


# --- the stage -------------------------------------------------------------------------------


class Register:
    """Links what new articles report into the incident register."""

    def __init__(
        self,
        store: Store,
        rules: IncidentsConfig,
        reader: Callable[[], Reader],
        drafts: Drafter,
        clock: Clock,
    ) -> None:
        self.store = store
        self.rules = rules
        self._reader = reader
        self._drafts = drafts
        self.clock = clock
        self._lock = threading.Lock()

    # --- known incidents ----------------------------------------------------------------

    def load_seeds(self, path: str | Path | None = None) -> SeedSummary:
        """Load seeds/incidents.yaml (or ``path``): new entries are written, changed ones refreshed."""
        loaded = updated = unchanged = 0
        with self._lock:
            known = self.store.seed_digests()
            for seed in load_seeds(path):
                incident_id, digest = known.get(seed.key, (None, None))
                if digest == seed.digest:
                    unchanged += 1
                    continue
                searches = [s for a in seed.accounts if (s := search_for(a, self.rules)) is not None]

                def plan(now: datetime, seed: Any = seed, incident_id: Any = incident_id, searches: Any = searches) -> Plan:
                    view = self.store.register_view(searches)  # first: its version covers what is read next
                    existing = self.store.incident_records([incident_id]).get(incident_id) if incident_id else None
                    return plan_seed(seed, existing, view, self.rules, now)

                applied = self._apply(plan, alerts=lambda _changes: [])
                if not applied.incidents:
                    unchanged += 1
                elif incident_id is None:
                    loaded += 1
                else:
                    updated += 1
        return SeedSummary(loaded, updated, unchanged)

    # --- articles ---------------------------------------------------------------------------

    def process(self, articles: Sequence[NewArticle]) -> list[Processed]:
        """Read, store and link each article; one that fails is logged and skipped."""
        done = []
        for article in articles:
            try:
                done.append(self.process_one(article))
            except StoreError:
                raise  # the database, not the article: it stays unread and a later cycle reads it
            except Exception as exc:  # a bug in one article's reading must not stop the poll
                log.exception("article %d: not linked into the register", article.article_id)
                done.append(Processed(article.article_id, False, 0.0, 0, (), error=f"{type(exc).__name__}: {exc}"))
        return done

    def process_one(self, article: NewArticle) -> Processed:
        reading = self._reader().read(
            article.text, article.published.date(), lang=article.language, title=article.title
        )
        source = Source(article.article_id, article.publisher, article.url, article.title, article.published)
        accounts = [Account(report, source, position=i) for i, report in enumerate(reading.reports)]
        changes = self.link(accounts, (article.article_id, float(reading.score), bool(reading.relevant)))
        for change in changes:
            log.info(
                "incident %d %s (%s): %s", change.incident_id, change.state, change.level, "; ".join(change.reasons)
            )
        return Processed(article.article_id, bool(reading.relevant), float(reading.score), len(accounts), changes)

    def link(self, accounts: Sequence[Account], relevance: tuple[int, float, bool]) -> tuple[IncidentChange, ...]:
        """Store an article's accounts and link them (when it is relevant). Returns the changes."""
        searches = [s for a in accounts if (s := search_for(a, self.rules)) is not None]
        relevant = relevance[2]

        def plan(now: datetime) -> Plan:
            view = self.store.register_view(searches if relevant else [])
            return plan_article(accounts, view, self.rules, now, link=relevant)

        with self._lock:
            return self._apply(plan, alerts=self._drafts, relevance=relevance).changes

    def _apply(
        self,
        make_plan: Callable[[datetime], Plan],
        alerts: Drafter,
        relevance: tuple[int, float, bool] | None = None,
    ) -> Plan:
        for _ in range(_ATTEMPTS):
            now = self.clock()
            plan = make_plan(now)
            drafts = alerts(plan.changes) if plan.changes else []
            outcome = self.store.apply_plan(plan, drafts, now, self.rules, relevance=relevance)
            if outcome == "applied":
                return plan
            if outcome == "read":
                log.info("article %d was read by another process meanwhile", relevance[0] if relevance else 0)
                return Plan(version=plan.version)
            log.info("the register changed while linking; planning again")
        raise RuntimeError(f"the register kept changing: gave up after {_ATTEMPTS} attempts")
