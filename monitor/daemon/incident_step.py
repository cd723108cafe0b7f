"""The incident stage of the pipeline: new articles in, incident changes (and their alerts) out.

``Register.process`` is what a poll cycle and ``sahel-monitor ingest`` both call for the
articles they have just stored: each article is read by the extractor (``monitor.reading.reports``),
its relevance and reports are stored, and its reports are linked into the register by the
rules of ``monitor.register``; the resulting changes go through the alert drafter and are
written with their alerts in one transaction.

Writers at once (the daemon, ``ingest`` runs, ``seed``) never undo or lose each other's work:
an article is read outside any lock (reading is the slow part), then its link is planned and
written under the database's write lock (``Store.transaction``), on the register as it is at
that moment. Linking is short (the candidate incidents, pure rules, one write: milliseconds,
tens of them for an incident of hundreds of reports), so the other writers wait little for
it, and the incidents come out as if the writers had linked one article after another.

Failures are values: when reading (or linking) one article raises, the error is stored on
the article with the reader version that failed (``reader_version``), the other articles go
on, and the article is not read again until the reader changes: an upgrade of the package
or of the code that reads, new reading data (seeds/), another ``watchlist.extra_terms``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from monitor import __version__
from monitor.config import IncidentsConfig
from monitor.models import AlertDraft, IncidentChange, Report
from monitor.reading import wire_credit
from monitor.register import (
    Account,
    Plan,
    Source,
    load_seeds,
    plan_article,
    plan_seed,
    search_for,
)
from monitor.resources import SEEDS_DIR
from monitor.store import Store, StoreError

log = logging.getLogger("monitor.register")

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
    """What became of one article.

    ``error`` says why it was not read: its reading failed, and that is recorded on the
    article (``failed``: it waits for another reader).
    """

    article_id: int
    relevant: bool
    score: float
    reports: int
    changes: tuple[IncidentChange, ...]
    error: str | None = None
    failed: bool = False


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


def feed_publisher(
    name: str, feed_url: str, feed_title: str | None, url: str | None, site_name: str | None = None
) -> str:
    """Who published a feed's article: the feed's name as configured, unless that name is only
    the feed's address (an OPML outline without a title is named so): then the feed's own
    title, else the page's site name, else the article's host."""
    if name.strip().rstrip("/") not in (feed_url.rstrip("/"), publisher_of(feed_url, "")):
        return name
    for given in (feed_title, site_name):
        told = " ".join((given or "").split())[:100]
        if told:
            return told
    return publisher_of(url or feed_url, name)


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


# --- the reader's version -----------------------------------------------------------------

# the code an article goes through: a change here may read differently, or stop failing
_READING_CODE = ("monitor.reading", "monitor.register")
_versions: dict[tuple[Any, ...], str] = {}
_MAX_ERROR = 1000
_PACKAGE = Path(__file__).resolve().parent.parent


def reader_version(seeds_dir: Path | None = None, extra: Mapping[str, Any] | None = None) -> str:
    """What reads an article, as ``0.1.0+3f2a9c1d7e4b``: the package version, then a digest of
    the code that reads and links it (monitor.reading, monitor.register), of the shipped data
    it loads (every file of seeds/: watch list, gazetteers...) and of the config's
    ``watchlist.extra_terms``. Content, not times: a copy or a ``touch`` changes nothing, and
    every process on the same install agrees.
    """
    folder = seeds_dir or SEEDS_DIR
    files = [*_code_files(), *((f"seeds/{p.name}", p) for p in sorted(folder.glob("*")) if p.is_file())]
    terms = json.dumps(extra or {}, sort_keys=True, default=str)
    key = (__version__, terms, *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for _, p in files))
    with _extractor_lock:
        if key not in _versions:  # a new key only when a file or the extension changes: few
            digest = hashlib.sha256(terms.encode("utf-8"))
            for label, path in files:
                digest.update(f"\0{label}\0".encode())
                digest.update(path.read_bytes())
            _versions[key] = f"{__version__}+{digest.hexdigest()[:12]}"
        return _versions[key]


def _code_files() -> list[tuple[str, Path]]:
    found = []
    for package in _READING_CODE:
        spec = importlib.util.find_spec(package)  # where it is, without importing it
        for folder in (spec.submodule_search_locations or []) if spec else []:
            found += [(f"{package}/{p.relative_to(folder)}", p) for p in sorted(Path(folder).rglob("*.py"))]
    return found


def describe_failure(exc: BaseException) -> str:
    """One line for people: ``ValueError: bad count (figures.py:212 in find_figures)``."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if Path(f.filename).is_relative_to(_PACKAGE)] or frames  # our line, not a library's
    where = f" ({Path(ours[-1].filename).name}:{ours[-1].lineno} in {ours[-1].name})" if ours else ""
    message = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    if len(text) > _MAX_ERROR:
        text = text[: _MAX_ERROR - 1] + "…"
    return text + where


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
        version: str | None = None,
    ) -> None:
        """``version``: what ``reader`` gives, as ``reader_version`` says (default: the shipped
        reader without ``watchlist.extra_terms``); stored on each article read or failed."""
        self.store = store
        self.rules = rules
        self._reader = reader
        self.version = version or reader_version()
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
                if known.get(seed.key, (None, None))[1] == seed.digest:
                    unchanged += 1
                    continue
                searches = [s for a in seed.accounts if (s := search_for(a, self.rules)) is not None]

                def plan(now: datetime, seed: Any = seed, searches: Any = searches) -> Plan:
                    view = self.store.register_view(searches)
                    # under the lock: another process may have loaded this entry since ``known`` was read
                    incident_id = self.store.seed_digests().get(seed.key, (None, None))[0]
                    existing = self.store.incident_records([incident_id]).get(incident_id) if incident_id else None
                    return plan_seed(seed, existing, view, self.rules, now)

                applied = self._apply(plan, alerts=lambda _changes: [])
                if not applied.incidents:
                    unchanged += 1
                elif applied.incidents[0].created:
                    loaded += 1
                else:
                    updated += 1
        return SeedSummary(loaded, updated, unchanged)

    # --- articles ---------------------------------------------------------------------------

    def process(self, articles: Sequence[NewArticle]) -> list[Processed]:
        """Read, store and link each article; one that fails is recorded as failed and the rest go on."""
        done = []
        for article in articles:
            try:
                done.append(self.process_one(article))
            except StoreError:
                raise  # the database, not the article: it stays unread and a later cycle reads it
            except Exception as exc:  # a bug in one article's reading must not stop the others
                done.append(self._failed(article, exc))
        return done

    def _failed(self, article: NewArticle, exc: Exception) -> Processed:
        error = describe_failure(exc)
        log.error(
            "article %d: reading failed (reader %s): %s; recorded on the article, read again when the reader changes",
            article.article_id, self.version, error, exc_info=exc,
        )  # fmt: skip
        self.store.record_read_failure(article.article_id, error, self.version, self.clock())
        return Processed(article.article_id, False, 0.0, 0, (), error=error, failed=True)

    def process_one(self, article: NewArticle) -> Processed:
        reading = self._reader().read(
            article.text, article.published.date(), lang=article.language, title=article.title
        )
        credit = wire_credit(f"{article.title}\n{article.text}")  # a wire's copies are one voice
        source = Source(
            article.article_id, article.publisher, article.url, article.title, article.published, credit=credit
        )
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
            return self._apply(plan, alerts=self._drafts, relevance=relevance, reader_version=self.version).changes

    def _apply(
        self,
        make_plan: Callable[[datetime], Plan],
        alerts: Drafter,
        relevance: tuple[int, float, bool] | None = None,
        reader_version: str | None = None,
    ) -> Plan:
        """Plan on the register and write the plan, both under the write lock: no other process
        writes in between, so the plan always applies (an article read meanwhile by another
        process is left as that one wrote it)."""
        article = f"article {relevance[0]}" if relevance else "a known incident"
        with self.store.transaction(f"link {article} into the register"):
            now = self.clock()
            plan = make_plan(now)
            drafts = alerts(plan.changes) if plan.changes else []
            outcome = self.store.apply_plan(plan, drafts, now, self.rules, relevance=relevance, reader_version=reader_version)
        if outcome == "read":
            log.info("%s was read by another process meanwhile", article)
            return Plan(version=plan.version)
        if outcome != "applied":  # the version cannot move under the lock: a bug, recorded on the article
            raise RuntimeError(f"{article}: the register changed under its write lock ({outcome})")
        return plan
