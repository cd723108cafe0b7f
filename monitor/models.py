"""Values that travel between the stages of the data flow.

Expected outcomes are values, not exceptions: a 304 is a ``FetchResult`` with
``not_modified=True``; a failed fetch is a ``FetchResult`` with ``error`` set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


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

    @property
    def identity(self) -> str:
        """The entry's key: GUID, else canonical URL, else a hash of title and date."""
        from monitor.feeds import entry_identity  # the rule lives with the parser

        return entry_identity(self)


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
