"""One poll cycle: fetch -> parse -> fetch pages -> extract -> store, for many feeds at once.

The stages are called in order and each keeps to its own job; this module only
wires them and decides, from their outcomes, what the feed's state becomes.

A cycle's outcome per feed is one of::

    ok             fetched and parsed; new articles stored
    not_modified   304: nothing to do
    error          fetch or parse failed; the feed backs off
    gone           410: the feed is disabled (it can be re-enabled from the config)
    abandoned      the daemon is stopping; nothing was recorded

When every feed of a cycle fails on the network (DNS, connect, timeout), the
fault is taken to be ours (no network): the failures are recorded with their
reason but not counted against the feeds, and the cycle backs off as a whole.

The pages of a cycle share one deadline (``fetch.page_deadline``), so one slow site
cannot hold the feeds due after it. A page not fetched by then loses nothing: its
article is stored at once with the feed's summary but left unread, and its page is
fetched again at the next ticks (between cycles too); it is read once, with the page's
text when the page comes, or with the summary when the page fails, or after
``PAGE_CUTS`` fetches that the deadline cut. A stop in between leaves it unread in the
store, and the next start reads it with the summary.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal
from urllib.parse import urlsplit

from monitor.collect import (
    NOT_STARTED,
    Fetcher,
    HostQueue,
    extract_page,
    next_poll_after_failure,
    next_poll_after_success,
    parse_feed,
)
from monitor.config import Config
from monitor.daemon.incident_step import (
    NewArticle,
    Processed,
    Reader,
    Register,
    feed_publisher,
    publisher_of,
    reader_version,
    shared_extractor,
)
from monitor.models import (
    AlertDraft,
    ArticleRecord,
    FeedEntry,
    FeedState,
    FetchErrorKind,
    FetchResult,
    IncidentChange,
)
from monitor.resources import known_incidents_file, seeds_folder
from monitor.store import Store

log = logging.getLogger("monitor.poll")

Clock = Callable[[], datetime]

CATCH_UP_BATCH = 200  # unread articles read at the start of a cycle (the next ones at the next)
# A page whose fetch the deadline cut this many times is read from the feed's summary: a site
# that cannot send one page within a page deadline twice is slow, not unlucky, and each cut
# costs it a place among the per_host pages a tick fetches from it.
PAGE_CUTS = 2
PAGE_DEADLINE_SLACK = 0.25  # seconds: a fetch that timed out this close to the deadline was cut by it
DEFERRED_PAGE = (
    "page not fetched within its cycle's page deadline (fetch.page_deadline): fetched again at "
    "the next ticks, the feed's summary standing in until it comes"
)

Late = Literal["not started", "cut"]  # why a page has not given its article yet


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PollOutcome:
    feed: FeedState
    status: str  # ok | not_modified | error | gone | abandoned
    http_status: int | None = None
    items: int = 0
    new_items: int = 0
    error: str | None = None
    error_kind: str | None = None
    result: FetchResult | None = None
    elapsed: float = 0.0
    unreadable: int = 0  # new articles whose reading failed

    @property
    def network_failure(self) -> bool:
        return self.status == "error" and self.result is not None and bool(
            self.result.error_kind and self.result.error_kind.is_network
        )


@dataclass(frozen=True)
class CycleSummary:
    polled: int
    ok: int
    not_modified: int
    failed: int
    new_articles: int
    network_down: bool
    elapsed: float
    caught_up: int = 0  # articles stored earlier and not read, read (or tried) this cycle
    unreadable: int = 0  # articles whose reading failed this cycle, new or caught up
    pages_waiting: int = 0  # pages not fetched by the page deadline: their articles wait, unread

    def line(self) -> str:
        down = " (network down: failures not counted against feeds)" if self.network_down else ""
        earlier = f"; {self.caught_up} articles stored earlier read" if self.caught_up else ""
        failed = f"; reading failed for {self.unreadable} (sahel-monitor articles --failed)" if self.unreadable else ""
        waiting = f"; {self.pages_waiting} pages still to fetch" if self.pages_waiting else ""
        return (
            f"cycle: {self.polled} feeds polled, {self.ok} ok, {self.not_modified} not modified, "
            f"{self.failed} failed, {self.new_articles} new articles in {self.elapsed:.1f}s"
            f"{down}{earlier}{failed}{waiting}"
        )


@dataclass
class _Deferred:
    """An article stored with its feed's summary and left unread: its page is still to come."""

    feed: FeedState
    entry: FeedEntry
    cuts: int = 0  # fetches of its page that the deadline cut
    publisher: str = ""  # who published it (feed_publisher), known when it was stored


@dataclass(frozen=True)
class Ingested:
    """What ``ingest`` did with one article it was given.

    ``new``: stored by this run, else it repeats a stored article. ``processed``: what reading
    it now gave (new, or stored earlier and never read), None when it was read (or failed)
    before. ``state`` after the run: relevant, irrelevant, unread or failed; ``error`` says
    why it is not read.
    """

    article_id: int
    new: bool
    processed: Processed | None
    state: str
    error: str | None = None


_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """A hash of the text that survives whitespace and case changes between fetches."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().casefold().encode("utf-8")).hexdigest()


class Poller:
    """Polls feeds with the stages, on bounded pools, and records the outcome in the store."""

    def __init__(
        self,
        config: Config,
        store: Store,
        fetcher: Fetcher,
        clock: Clock = utcnow,
        rng: random.Random | None = None,
        extractor: Reader | None = None,
        version: str | None = None,
    ) -> None:
        """``extractor`` and ``version`` replace the shipped reader and its ``reader_version``."""
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.clock = clock
        self.rng = rng or random.Random()
        # the extractor takes a second to load: once per process (again only when its files
        # change), here rather than in the first cycle, which must stay short
        seeds = seeds_folder(config.seeds_dir)
        self._extractor = extractor or shared_extractor(seeds, config.watchlist.extra_terms)
        version = version or reader_version(seeds, config.watchlist.extra_terms)
        self.register = Register(store, config.incidents, self._reader, self.alert_drafts, clock, version)
        # known incidents first, so that the first articles about them link instead of alerting
        if config.incidents.load_seeds:
            self.register.load_seeds(known_incidents_file(config.incidents.seeds, seeds))
        self.stopping = threading.Event()
        self._network_down_streak = 0
        self._problems: dict[int, str | None] = {}  # last parse problem per feed, to log changes only
        self._catch_up_after = 0  # the last article id the catch-up reached; 0: from the start
        self._pages = HostQueue(config.fetch.page_concurrency, config.fetch.per_host)
        self._feeds = ThreadPoolExecutor(config.fetch.concurrency, thread_name_prefix="feed")
        self._deferred: dict[int, _Deferred] = {}  # article id -> its page still to fetch

    def close(self) -> None:
        """Pages still to fetch are dropped: their articles stay unread, and the next start reads them."""
        self.stopping.set()
        self._feeds.shutdown(wait=True, cancel_futures=True)
        self._pages.close()

    # --- a cycle -------------------------------------------------------------

    def run_cycle(self, feeds: Sequence[FeedState]) -> CycleSummary:
        """Poll these feeds now, in parallel, and record every outcome.

        Pages (this cycle's, and those earlier cycles left) share one deadline.
        """
        started = self.clock()
        deadline = time.monotonic() + self.config.fetch.page_deadline
        retrying = self._retry_pages(deadline)
        earlier = self._read_stored_unread()
        polls = [self._feeds.submit(self.poll_feed, feed, deadline) for feed in feeds]
        outcomes = [poll.result() for poll in polls]
        earlier += self._finish_pages(retrying)
        outcomes = [o for o in outcomes if o.status != "abandoned"]
        failures = [o for o in outcomes if o.status == "error"]
        # One feed alone failing on the network says little, unless we were already down.
        network_down = (
            bool(outcomes)
            and (len(outcomes) > 1 or self._network_down_streak > 0)
            and len(failures) == len(outcomes)
            and all(o.network_failure for o in failures)
        )
        self._network_down_streak = self._network_down_streak + 1 if network_down else 0
        shared_retry = self._network_retry_time() if network_down else None
        for outcome in failures:
            self._record_failure(outcome, count_error=not network_down, next_poll=shared_retry)
        return CycleSummary(
            polled=len(outcomes),
            ok=sum(o.status == "ok" for o in outcomes),
            not_modified=sum(o.status == "not_modified" for o in outcomes),
            failed=len(failures) + sum(o.status == "gone" for o in outcomes),
            new_articles=sum(o.new_items for o in outcomes),
            network_down=network_down,
            elapsed=(self.clock() - started).total_seconds(),
            caught_up=len(earlier),
            unreadable=sum(p.failed for p in earlier) + sum(o.unreadable for o in outcomes),
            pages_waiting=len(self._deferred),
        )

    # --- one feed ------------------------------------------------------------

    def poll_feed(self, feed: FeedState, page_deadline: float | None = None) -> PollOutcome:
        """Fetch and process one feed. Successes are recorded here; failures by the cycle.

        ``page_deadline`` (``time.monotonic()``): when its pages must be in; default, from now.
        """
        if page_deadline is None:
            page_deadline = time.monotonic() + self.config.fetch.page_deadline
        if self.stopping.is_set():
            return PollOutcome(feed, "abandoned")
        result = self.fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        if self.stopping.is_set() and not result.ok:
            return PollOutcome(feed, "abandoned")  # likely our own shutdown cut it
        if result.error_kind is FetchErrorKind.GONE:
            return self._record_gone(feed, result)
        if not result.ok:
            return PollOutcome(
                feed, "error", result.status, error=result.error,
                error_kind=result.error_kind.value if result.error_kind else None,
                result=result, elapsed=result.elapsed,
            )
        if result.not_modified:
            return self._record_success(feed, result, "not_modified", items=0, new_items=0)
        parsed = parse_feed(result.body, result.headers, result.final_url)
        if not parsed.ok:
            return PollOutcome(
                feed, "error", result.status, error=f"{parsed.problem} ({feed.url})",
                error_kind="parse", result=result, elapsed=result.elapsed,
            )
        self._note_problem(feed, parsed.problem, len(parsed.entries))
        created, done = self._store_entries(feed, parsed.entries, page_deadline, parsed.title)
        outcome = self._record_success(feed, result, "ok", items=len(parsed.entries), new_items=created)
        return replace(outcome, unreadable=sum(p.failed for p in done))

    def _note_problem(self, feed: FeedState, problem: str | None, kept: int) -> None:
        """A feed that is always a little broken is logged when that starts and when it ends."""
        if self._problems.get(feed.id) == problem:
            return
        self._problems[feed.id] = problem
        if problem:
            log.warning("feed %s: %s; kept %d entries", feed.name, problem, kept)
        else:
            log.info("feed %s parses cleanly again", feed.name)

    def _store_entries(
        self, feed: FeedState, entries: Sequence[FeedEntry], page_deadline: float, title: str | None = None
    ) -> tuple[int, list[Processed]]:
        """Store the feed's entries; the new articles are read and linked, but for those whose
        page did not come by the deadline (they wait for it). ``title``: the feed's own, which
        names its publisher when the configured name is only its address. Returns how many
        articles are new, and what became of those read."""
        entries = _unique_entries(entries, feed.url)
        known_guids, known_urls = self.store.known_entries(
            [e.guid for e in entries if e.guid], [e.url for e in entries if e.url]
        )
        fresh = [e for e in entries if e.guid not in known_guids and e.url not in known_urls]
        known = [e for e in entries if e not in fresh]
        now = self.clock()
        records = [self._record_from_entry(feed, e, now) for e in known]
        late: list[_Deferred | None] = [None] * len(known)
        for entry, page in zip(fresh, self._pages_of(feed, fresh, page_deadline), strict=True):
            if isinstance(page, ArticleRecord):
                records.append(page)
                late.append(None)
            else:
                records.append(self._record_from_entry(feed, entry, now, status="not_fetched", error=DEFERRED_PAGE))
                late.append(_Deferred(feed, entry, cuts=int(page == "cut")))
        # stored with the article, so that a later reading (after a stop) tells the same source
        records = [
            replace(r, publisher=feed_publisher(feed.name, feed.url, title, r.url or r.link, r.site_name))
            for r in records
        ]
        saved = self.store.save_articles(feed.id, records)
        new = []
        for record, waiting, (article_id, created) in zip(records, late, saved, strict=True):
            publisher = record.publisher or feed.name
            if created and waiting is not None:
                waiting.publisher = publisher
                self._deferred[article_id] = waiting
            elif created:
                new.append(_new_article(record, article_id, publisher))
        left = sum(created for (_, created), later in zip(saved, late, strict=True) if later is not None)
        if left:
            log.info("feed %s: %d pages not in by the page deadline; their articles wait for them", feed.name, left)
        return sum(created for _, created in saved), self.process_articles(new)

    def _pages_of(
        self, feed: FeedState, entries: Sequence[FeedEntry], deadline: float
    ) -> list[ArticleRecord | Late]:
        """Each entry's article from its page (or its summary when there is no page to fetch),
        or why it is not there by the deadline."""
        if not self.config.fetch.fetch_pages or self.stopping.is_set():
            return [self._record_from_entry(feed, e, self.clock(), status="skipped") for e in entries]
        pending = [self._submit_page(feed, e, deadline) if e.link else None for e in entries]
        return [
            self._page_outcome(feed, e, future) if future else self._record_from_entry(feed, e, self.clock())
            for e, future in zip(entries, pending, strict=True)
        ]

    def _submit_page(self, feed: FeedState, entry: FeedEntry, deadline: float) -> Future[Any]:
        host = urlsplit(entry.link or "").hostname or ""
        return self._pages.submit(host, partial(self._article_from_page, feed, entry, deadline), deadline)

    def _page_outcome(self, feed: FeedState, entry: FeedEntry, future: Future[Any]) -> ArticleRecord | Late:
        """The article a page job gave, or why there is none yet; a bug in one job costs only its entry."""
        try:
            outcome = future.result()
        except Exception as exc:  # noqa: BLE001 - fetch and extract_page return values; this is a bug
            log.exception("feed %s: page %s", feed.name, entry.link)
            error = f"{type(exc).__name__}: {exc}"
            return self._record_from_entry(feed, entry, self.clock(), status="failed", error=error)
        return "not started" if outcome is NOT_STARTED else outcome

    def _article_from_page(self, feed: FeedState, entry: FeedEntry, deadline: float) -> ArticleRecord | Late:
        if self.stopping.is_set():
            return self._record_from_entry(feed, entry, self.clock(), status="skipped")
        page = self.fetcher.fetch_page(entry.link or "", deadline=deadline)
        fetched = self.clock()
        if page.error_kind is FetchErrorKind.TIMEOUT and time.monotonic() >= deadline - PAGE_DEADLINE_SLACK:
            return "cut"
        if not page.ok:
            log.info("feed %s: page %s not fetched: %s", feed.name, entry.link, page.error)
            return self._record_from_entry(feed, entry, fetched, status="not_fetched", error=page.error)
        # the entry's title and date come first: the page's are looked for only when it lacks them
        extracted = extract_page(page.body, page.final_url, page.headers, metadata=not (entry.title and entry.published))
        if extracted.status != "ok":
            reason = extracted.error or "no article text found in the page"
            return self._record_from_entry(feed, entry, fetched, status=extracted.status, error=reason)
        return ArticleRecord(
            guid=entry.guid, url=entry.url, link=entry.link,
            title=entry.title or extracted.title or "",
            summary=entry.summary, text=extracted.text,
            published=entry.published or extracted.published or fetched,
            fetched=fetched, language=feed.language or extracted.language,
            extraction_status="ok", extraction_error=None,
            content_hash=content_hash(extracted.text),
            site_name=extracted.site_name,
        )

    # --- pages that missed their cycle's deadline ----------------------------

    def _retry_pages(self, deadline: float) -> list[tuple[int, Future[Any]]]:
        """Fetch again, by ``deadline``, the pages earlier cycles waited for in vain."""
        return [
            (article_id, self._submit_page(waiting.feed, waiting.entry, deadline))
            for article_id, waiting in list(self._deferred.items())
        ]

    def _finish_pages(self, retrying: Sequence[tuple[int, Future[Any]]]) -> list[Processed]:
        """Store what the retried pages gave and read their articles; the others wait again."""
        ready: list[NewArticle] = []
        for article_id, future in retrying:
            waiting = self._deferred[article_id]
            outcome = self._page_outcome(waiting.feed, waiting.entry, future)
            waiting.cuts += outcome == "cut"
            if isinstance(outcome, str) and waiting.cuts < PAGE_CUTS:
                continue
            if isinstance(outcome, str):
                log.info("page %s cut by the page deadline %d times: read from the feed's summary",
                         waiting.entry.link, waiting.cuts)
                outcome = self._record_from_entry(
                    waiting.feed, waiting.entry, self.clock(), status="not_fetched", error=DEFERRED_PAGE
                )
            del self._deferred[article_id]
            self.store.save_articles(waiting.feed.id, [outcome])  # the page's text replaces the summary
            ready.append(_new_article(outcome, article_id, waiting.publisher or waiting.feed.name))
        # read elsewhere meanwhile (another process's catch-up): read once, never twice
        unread = self.store.to_read([a.article_id for a in ready], self.register.version) if ready else set()
        return self.process_articles([a for a in ready if a.article_id in unread])

    @staticmethod
    def _record_from_entry(
        feed: FeedState, entry: FeedEntry, fetched: datetime, status: str = "skipped", error: str | None = None
    ) -> ArticleRecord:
        """The entry's own summary stands in for the article when its page gave nothing."""
        return ArticleRecord(
            guid=entry.guid, url=entry.url, link=entry.link, title=entry.title,
            summary=entry.summary, text=entry.summary,
            published=entry.published or fetched, fetched=fetched, language=feed.language,
            extraction_status=status, extraction_error=error,
            content_hash=content_hash(entry.title + "\n" + entry.summary),
        )

    # --- the incident register -----------------------------------------------

    def process_articles(self, articles: Sequence[NewArticle]) -> list[Processed]:
        """Match, read and link new articles; store their relevance, reports and incident changes.

        A poll and ``sahel-monitor ingest`` both come here, so a replayed archive goes
        through exactly what a feed's articles go through.
        """
        return self.register.process(articles)

    def catch_up(self, batch: int = CATCH_UP_BATCH) -> list[Processed]:
        """Fetch the pages earlier cycles waited for in vain, by a page deadline from now, and read
        the next ``batch`` articles stored but never read (a stop or crash came in between).

        Whatever their age: nothing stored stays unread. Each cycle takes up where the last one
        stopped, and starts again from the oldest once it has seen them all, so that articles
        that cannot be read now never hold back the ones behind them; those whose reading
        failed wait for another reader (``reader_version``).
        """
        retrying = self._retry_pages(time.monotonic() + self.config.fetch.page_deadline)
        done = self._read_stored_unread(batch)
        return done + self._finish_pages(retrying)

    def _read_stored_unread(self, batch: int = CATCH_UP_BATCH) -> list[Processed]:
        """``catch_up``'s reading: the next ``batch`` unread articles but those waiting for their page."""
        version = self.register.version
        rows = self.store.unread_articles(version, after=self._catch_up_after, limit=batch)
        self._catch_up_after = rows[-1]["id"] if len(rows) == batch else 0
        rows = [row for row in rows if row["id"] not in self._deferred]
        if not rows:
            return []
        log.info("reading %d articles stored earlier but not read (from article %d)", len(rows), rows[0]["id"])
        done = self.process_articles([_unread_article(row) for row in rows])
        failed = sum(p.failed for p in done)
        if failed:
            log.warning("reading failed for %d of them: `sahel-monitor articles --failed` lists them", failed)
        return done

    def catch_up_all(self, batch: int = CATCH_UP_BATCH) -> list[Processed]:
        """Read every article stored but not read, batch after batch, then stop."""
        self._catch_up_after = 0
        done = self.catch_up(batch)
        while self._catch_up_after:
            done += self.catch_up(batch)
        return done

    def alert_drafts(self, changes: Sequence[IncidentChange]) -> list[AlertDraft]:
        """The alerts these incident changes call for, written in the same transaction."""
        from monitor.alerts import (
            drafts_for,  # the alert stage, kept out of the poll path's imports
        )

        # an UPDATED change may refresh an alert still open; nothing else alerts
        telling = [c for c in changes if c.alertable or c.state == "UPDATED"]
        if not telling:
            return []
        # what each incident's last alert told, so that the new one tells what changed; and its
        # alert still waiting in the outbox, which this change rewrites (one message a cycle)
        told, waiting = self.store.alert_memos(c.incident_id for c in telling)
        return drafts_for(telling, self.config.alerts, told, waiting)

    def ingest(self, records: Sequence[ArticleRecord]) -> list[Processed | None]:
        """``ingest_local``, told as what reading each record now gave (None: read, or failed, before)."""
        return [told.processed for told in self.ingest_local(records)]

    def ingest_local(self, records: Sequence[ArticleRecord]) -> list[Ingested]:
        """Store local articles as if a feed had brought them, and read those not read yet:
        the new ones, and the repeats of articles stored earlier but never read (a run that
        was interrupted). What failed to read under this reader is not tried again. Each
        record's ``publisher`` names its source (none: its URL's host)."""
        saved = self.store.save_local_articles(records)
        unread = self.store.to_read([article_id for article_id, _ in saved], self.register.version)
        to_read: dict[int, NewArticle] = {}  # an article given twice in one run is read once
        for record, (article_id, _) in zip(records, saved, strict=True):
            if article_id in unread:
                publisher = record.publisher or publisher_of(record.url or record.link, "unknown")
                to_read.setdefault(article_id, _new_article(record, article_id, publisher))
        done = {p.article_id: p for p in self.process_articles(list(to_read.values()))}
        states = self.store.reading_states([article_id for article_id, _ in saved])
        results = []
        for article_id, created in saved:
            processed = done.pop(article_id, None)  # told once, at its first path
            error = processed.error if processed else states[article_id]["read_error"]
            results.append(Ingested(article_id, created, processed, states[article_id]["state"], error))
        return results

    def _reader(self) -> Reader:
        return self._extractor

    # --- bookkeeping ---------------------------------------------------------

    def _record_success(
        self, feed: FeedState, result: FetchResult, status: str, items: int, new_items: int
    ) -> PollOutcome:
        now = self.clock()
        next_poll = next_poll_after_success(
            now, feed.interval, self.config.scheduler.jitter, self.rng, result.max_age
        )
        self.store.record_poll_success(
            feed.id, now=now, next_poll=next_poll, result=result, items=items, new_items=new_items
        )
        if result.permanent_redirect:
            log.info("feed %s moved permanently to %s", feed.name, result.permanent_redirect)
        log.info(
            "feed %s: %s status=%s items=%d new=%d in %.2fs; next poll %s",
            feed.name, status.replace("_", " "), result.status, items, new_items,
            result.elapsed, _short_time(next_poll),
        )
        return PollOutcome(feed, status, result.status, items, new_items, result=result, elapsed=result.elapsed)

    def _record_gone(self, feed: FeedState, result: FetchResult) -> PollOutcome:
        now = self.clock()
        error = result.error or f"HTTP 410 Gone from {feed.url}"
        self.store.record_poll_failure(
            feed.id, now=now, next_poll=now, result=result, error=error,
            error_kind=FetchErrorKind.GONE.value, disable=True,
        )
        log.warning("feed %s disabled: %s", feed.name, error)
        return PollOutcome(feed, "gone", result.status, error=error, error_kind="gone", result=result)

    def _network_retry_time(self) -> datetime:
        """While the network is down all feeds retry together, backing off as one."""
        shortest = min((f.interval for f in self.store.all_feeds() if f.enabled), default=900.0)
        return next_poll_after_failure(
            self.clock(), shortest, self._network_down_streak, self.config.fetch.max_backoff, self.rng
        )

    def _record_failure(self, outcome: PollOutcome, count_error: bool, next_poll: datetime | None) -> None:
        feed, now = outcome.feed, self.clock()
        errors = feed.error_count + 1 if count_error else self._network_down_streak
        if next_poll is None:
            next_poll = next_poll_after_failure(
                now, feed.interval, errors, self.config.fetch.max_backoff, self.rng,
                outcome.result.retry_after if outcome.result else None,
            )
        self.store.record_poll_failure(
            feed.id, now=now, next_poll=next_poll, result=outcome.result,
            error=outcome.error or "unknown error", error_kind=outcome.error_kind or "unknown",
            count_error=count_error,
        )
        counted = f"error {errors}" if count_error else "not counted: network down"
        log.warning(
            "feed %s failed (%s): %s; retry %s", feed.name, counted, outcome.error, _short_time(next_poll)
        )


def _unread_article(row: dict[str, Any]) -> NewArticle:
    url = row["url"] or row["link"]
    return NewArticle(
        article_id=row["id"],
        title=row["title"] or "",
        text=row["text"],
        published=row["published"],
        language=row["language"],
        publisher=row["publisher"] or publisher_of(url, "unknown"),
        url=url,
    )


def _new_article(record: ArticleRecord, article_id: int, publisher: str) -> NewArticle:
    """``publisher``: the feed's name (what people configured and read), or what ingest was told."""
    return NewArticle(
        article_id=article_id,
        title=record.title,
        text=record.text,
        published=record.published,
        language=record.language,
        publisher=publisher,
        url=record.url or record.link,
    )


def scoped_guid(guid: str | None, feed_url: str) -> str | None:
    """GUIDs like "123" are unique only within their site: qualify them with its host.

    A GUID that is a URL or a tag/urn URI is global already and is kept as is, so the
    same story syndicated by two feeds still meets itself.
    """
    if not guid or ":" in guid or "/" in guid:
        return guid
    return f"{urlsplit(feed_url).hostname or ''}#{guid}"


def _unique_entries(entries: Sequence[FeedEntry], feed_url: str) -> list[FeedEntry]:
    """A feed that lists one item twice (same GUID or URL) yields it once; empty entries none."""
    seen: set[str] = set()
    out = []
    for entry in entries:
        if not (entry.guid or entry.link or entry.title.strip() or entry.summary.strip()):
            continue  # nothing to identify or read: a truncated feed's last gasp
        entry = replace(entry, guid=scoped_guid(entry.guid, feed_url))
        keys = {k for k in (entry.guid and "g:" + entry.guid, entry.url and "u:" + entry.url) if k}
        if keys & seen:
            continue
        seen |= keys
        out.append(entry)
    return out


def _short_time(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
