"""Values that travel between the stages of the data flow.

Expected outcomes are values, not exceptions: a 304 is a ``FetchResult`` with
``not_modified=True``; a failed fetch is a ``FetchResult`` with ``error`` set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from functools import cached_property
from typing import Any


class FetchErrorKind(str, Enum):
    """Why a fetch gave no usable body. Stored in the fetch log as text."""

    BAD_URL = "bad_url"  # not http(s), malformed
    BLOCKED_ADDRESS = "blocked_address"  # private/loopback/link-local and not allowed
    DNS = "dns"  # name did not resolve
    CONNECT = "connect"  # refused, unreachable, TLS failure
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"  # body (decoded) above fetch.max_bytes
    HTTP = "http"  # a 4xx/5xx status
    GONE = "gone"  # 410: the feed is disabled
    RATE_LIMITED = "rate_limited"  # 429/503 with or without Retry-After
    PROTOCOL = "protocol"  # broken HTTP, bad encoding, too many redirects

    @property
    def is_network(self) -> bool:
        """Errors that say more about our own connectivity than about the feed."""
        return self in (FetchErrorKind.DNS, FetchErrorKind.CONNECT, FetchErrorKind.TIMEOUT)


@dataclass(frozen=True)
class FetchResult:
    """What one HTTP GET produced."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # keys lower-cased
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    permanent_redirect: str | None = None  # set when every hop was 301/308: the new URL
    retry_after: float | None = None  # seconds, from Retry-After (bounded)
    max_age: float | None = None  # seconds, from Cache-Control max-age (bounded)
    error: str | None = None  # one line, for people
    error_kind: FetchErrorKind | None = None
    elapsed: float = 0.0  # seconds

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class FeedEntry:
    """One item of a parsed feed, before its page is fetched."""

    guid: str | None
    link: str | None  # as the feed gave it (absolute)
    url: str | None  # canonical: tracking parameters and fragment dropped
    title: str
    summary: str  # plain text of the entry's summary/content, best available
    published: datetime | None  # aware, UTC
    author: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """What the feed stage made of a fetched body."""

    title: str | None
    version: str | None  # feedparser's, e.g. "rss20", "atom10"; None when unknown
    entries: list[FeedEntry]
    problem: str | None = None  # a malformed feed that still gave entries, or why it failed
    ok: bool = True  # False only when there are no entries and no feed version


@dataclass(frozen=True)
class ExtractedPage:
    """Text trafilatura found in an article page."""

    status: str  # "ok", "empty" (no main text found), "failed" (error)
    text: str = ""
    title: str | None = None
    published: datetime | None = None  # the page's own date, aware UTC
    language: str | None = None
    error: str | None = None
    site_name: str | None = None  # the publication's name (og:site_name...), else the page's host


@dataclass(frozen=True)
class FeedState:
    """A feed as the scheduler sees it: what to fetch and how it has gone."""

    id: int
    name: str
    url: str
    language: str | None
    interval: int  # seconds
    enabled: bool
    etag: str | None
    last_modified: str | None
    error_count: int
    next_poll: datetime | None


@dataclass(frozen=True)
class ArticleRecord:
    """An article ready for the store: one feed entry plus what its page gave."""

    guid: str | None
    url: str | None  # canonical URL
    link: str | None  # the URL as the feed gave it
    title: str
    summary: str  # the entry's own summary/content from the feed
    text: str  # the article text: the extracted page, else the summary
    published: datetime  # feed's date, else the page's, else the fetch time (aware UTC)
    fetched: datetime  # aware UTC
    language: str | None
    extraction_status: str  # "ok", "empty", "failed", "not_fetched", "skipped"
    extraction_error: str | None
    content_hash: str  # sha256 of the normalised text
    site_name: str | None = None  # the page's publication name (og:site_name...), when fetched; not stored
    publisher: str | None = None  # who published it, as its feed or ingest names it (a source's identity)


# --- reports: what one article says about one event (issue 3's output) ---------


@dataclass(frozen=True)
class Location:
    name: str
    admin1: str | None
    admin2: str | None
    country: str | None  # ISO 3166-1 alpha-2: ML, BF, NE
    lat: float | None
    lon: float | None
    place_id: str | None = None  # gazetteer id
    feature_code: str | None = None  # GeoNames: PPL..., ADM1, ADM2: an ADMn is a vague place
    admin3: str | None = None  # commune (Mali, from OCHA); not stored with the report


@dataclass(frozen=True)
class Figure:
    """One casualty claim: ``kind`` killed|wounded|missing|abducted|arrested,
    ``group`` military|civilian|assailants|unspecified."""

    kind: str
    group: str
    low: int | None
    high: int | None
    qualifier: str  # exact, at_least, more_than, about, range, dozens ...
    text: str  # the words that gave it


@dataclass(frozen=True)
class Report:
    """One article's account of one event. Field names are the `extract` contract."""

    event_date: date | None
    date_precision: str  # day | week | month | year | unknown
    location: Location | None
    event_type: str | None  # ACLED event_type
    sub_event_type: str | None  # ACLED sub_event_type
    actors: tuple[str, ...]  # canonical ids: JNIM, FAMa ...
    figures: tuple[Figure, ...]
    fatalities: int  # conservative total killed (ACLED's rule)
    historical: bool
    evidence: tuple[str, ...]  # the sentences it rests on
    claimed_by: tuple[str, ...] = ()  # actors that claimed responsibility
    flags: frozenset[str] = frozenset()  # overrun, territory, hostages, suicide
    prominence: float = 0.0  # how much of the article is about this event (0..1)


# --- incidents: the register's entries (issue 4's output, issue 5's input) -----


@dataclass(frozen=True)
class TollRange:
    """Per kind and group, across every source's claim: low, best, high (UCDP's shape)."""

    kind: str
    group: str
    low: int
    best: int
    high: int


# a toll kind of its own: a total that counts the dead with the missing and the captured
# ("around 60 military personnel, dead, missing or hostage"), never a killed toll
MIXED = "mixed"


def killed_total(tolls: tuple[TollRange, ...]) -> tuple[int, int, int]:
    """Killed across victim groups: (low, best, high).

    Named groups (military, civilian, assailants) add up; an unspecified toll ("12 dead")
    usually counts the named victims too, so each bound is the larger of the named sum and
    the unspecified toll (ACLED's reading; ``monitor.reading.figures.fatalities`` does the same for
    one article).
    """
    rows = [t for t in tolls if t.kind == "killed"]
    named = [t for t in rows if t.group != "unspecified"]
    unspecified = [t for t in rows if t.group == "unspecified"]

    def bound(pick: str) -> int:
        return max(sum(getattr(t, pick) for t in named), max((getattr(t, pick) for t in unspecified), default=0))

    return bound("low"), bound("best"), bound("high")


@dataclass(frozen=True)
class SourceClaim:
    """Who said what: one article's report linked to an incident."""

    article_id: int
    publisher: str  # the host or the feed's name
    url: str | None
    title: str
    published: datetime
    figures: tuple[Figure, ...]
    evidence: tuple[str, ...]
    origin: str = "article"  # article | seed: a fact from seeds/incidents.yaml (article_id is then 0)
    event_date: date | None = None  # the date this source gives the event (sources disagree)
    date_precision: str = "unknown"
    voice: str | None = None  # the independent voice it belongs to ("AFP"); None: an aggregator's copy
    flags: frozenset[str] = frozenset()  # what this source says made it worse (overrun, hostages...)
    claimed_by: tuple[str, ...] = ()  # who this source says claimed it


@dataclass(frozen=True)
class IncidentSnapshot:
    """An incident as its accounts tell it: what the register links on, and everything an alert says.

    The register pictures an incident from its reports (``monitor.register.picture``) before it
    has an id or a state (0 and ""); a change carries it with both.
    """

    id: int
    state: str  # NEW | UPDATED | ESCALATED; KNOWN for a seeded incident no article has changed yet
    event_date: date | None
    date_precision: str
    location: Location | None
    event_type: str | None
    sub_event_type: str | None
    actors: tuple[str, ...]
    claimed_by: tuple[str, ...]
    flags: frozenset[str]
    tolls: tuple[TollRange, ...]
    publishers: int
    sources: tuple[SourceClaim, ...]
    first_seen: datetime
    last_seen: datetime
    known: bool = False  # loaded from seeds/incidents.yaml
    first_day: date | None = None  # the span of its reports' dates
    last_day: date | None = None
    historical: bool = False  # every article about it tells history
    reports: int = 0
    voices: tuple[str, ...] = ()  # its independent sources, earliest first: "AFP (via rfi.fr, lemonde.fr)"

    @cached_property
    def killed(self) -> tuple[int, int, int]:
        """Killed across groups: (low, best, high), by ``killed_total``'s rule."""
        return killed_total(self.tolls)


@dataclass(frozen=True)
class IncidentChange:
    """A state change of an incident, with why. NEW and ESCALATED changes may alert."""

    incident_id: int
    state: str  # NEW | UPDATED | ESCALATED
    level: str  # what alerts once: "new", "killed:10", "killed:jump:45", "flag:overrun", "claimed:JNIM"
    reasons: tuple[str, ...]  # for people: "killed toll crossed 25 (now 30-60)"
    at: datetime
    snapshot: IncidentSnapshot
    alertable: bool  # False for historical reports and UPDATED


@dataclass(frozen=True)
class AlertDraft:
    """An alert to write to the outbox in the same transaction as its incident change."""

    alert_id: str  # stable: "incident-<id>-<level>" (or "feed-<id>-<degraded|recovered>-<n>")
    kind: str  # NEW | ESCALATED | FEED_DEGRADED | FEED_RECOVERED
    severity: str  # urgent | digest
    tags: tuple[str, ...]
    title: str
    body: str  # Markdown
    incident_id: int | None
    created: datetime
    feed_id: int | None = None
    memo: AlertMemo | None = None  # for the next alert about the same incident
    not_before: datetime | None = None  # the per-incident cooldown: not delivered before this
    data: dict[str, Any] | None = None  # the alert as data: the JSON document webhooks receive
    # an incident's alert not yet on its way is rewritten to tell what came since (one message
    # per incident per cycle); when it left meanwhile, the draft goes under this id instead
    replaces: bool = False
    own_id: str | None = None


# --- the alert outbox (issue 5) ----------------------------------------------------


@dataclass(frozen=True)
class AlertMemo:
    """What an incident's alert said, kept with it so that the next alert can say what changed."""

    alert_id: str
    kind: str
    created: datetime
    tolls: tuple[TollRange, ...]
    flags: frozenset[str]
    claimed_by: tuple[str, ...]
    article_ids: tuple[int, ...]
    levels: tuple[str, ...] = ()  # the levels it told ("new", "flag:overrun"...)
    reasons: tuple[str, ...] = ()  # why, for people


@dataclass(frozen=True)
class OutboxAlert:
    """An alert as the outbox holds it."""

    alert_id: str
    kind: str  # NEW | ESCALATED | FEED_DEGRADED | FEED_RECOVERED | DIGEST
    severity: str  # urgent | digest
    tags: tuple[str, ...]
    title: str
    body: str  # Markdown
    incident_id: int | None
    feed_id: int | None
    state: str  # pending | waiting | digested | sent | failed
    created: datetime
    not_before: datetime | None = None
    digest_id: str | None = None
    sent: datetime | None = None
    data: dict[str, Any] | None = None  # the alert as data (webhooks); None for alerts without


@dataclass(frozen=True)
class Delivery:
    """One alert to one target: delivered, retried and recorded on its own."""

    alert: OutboxAlert
    target: str  # the target's key: "json://127.0.0.1:8080#1a2b3c4d", never a secret
    state: str  # pending | sending | sent | failed | dropped
    attempts: int  # since the delivery was created or last retried by hand
    next_attempt: datetime
    last_error: str | None = None
    sent: datetime | None = None


@dataclass(frozen=True)
class FeedVitals:
    """What the feed-health check needs to know about one feed."""

    feed_id: int
    name: str
    url: str
    state: str  # the feeds table's: new | ok | failing | disabled | removed
    error_count: int
    last_error: str | None
    last_success: datetime | None
    created: datetime
    new_item_times: tuple[datetime, ...]  # polls that brought new articles, newest first


@dataclass(frozen=True)
class FeedWatch:
    """The alerting state of one feed: what was last said about it."""

    feed_id: int
    state: str  # ok | degraded
    reason: str | None
    since: datetime
    episodes: int  # how many times it has degraded: numbers the alert ids
    alerted: datetime | None = None  # when the last feed alert was written
