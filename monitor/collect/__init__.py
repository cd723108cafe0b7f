"""Collecting: what a poll cycle fetches and parses, before anything reads the news.

Takes in: feed URLs with their validators (ETag, Last-Modified) and the fetch settings of
``config.yaml``; article URLs from the entries. Gives out: values, never exceptions, for
expected outcomes: a ``FetchResult`` (body, or not modified, or an error kind), a
``ParsedFeed`` of ``FeedEntry`` items, an ``ExtractedPage`` (main text, title, date, language),
and when to poll a feed next.

- ``fetch``: HTTP GET, the only network code of the project (conditional GET, redirects,
  Retry-After, caps, the private-address guard);
- ``feeds``: a fetched body parsed by feedparser, entries identified;
- ``pages``: an article page's main text by trafilatura;
- ``backoff``: the next poll after a success or a failure;
- ``hostqueue``: page fetches on a bounded pool, fair between hosts, none started after a deadline;
- ``opml``: subscription lists in and out;
- ``charsets``: charset labels as browsers read them;
- ``charrefs``: half characters (lone UTF-16 surrogates, as references or in strings) repaired,
  so that one item's emoji never costs its feed (``repair_surrogates`` for any text from outside).
"""

from __future__ import annotations

from monitor.collect.backoff import next_poll_after_failure, next_poll_after_success
from monitor.collect.charrefs import repair_surrogates
from monitor.collect.feeds import canonical_url, entry_identity, parse_feed
from monitor.collect.fetch import EXCHANGE_DEADLINE_FACTOR, Fetcher
from monitor.collect.hostqueue import NOT_STARTED, HostQueue
from monitor.collect.opml import OpmlError, OpmlFeed, parse_opml, render_opml
from monitor.collect.pages import extract_page

__all__ = [
    "EXCHANGE_DEADLINE_FACTOR",
    "Fetcher",
    "HostQueue",
    "NOT_STARTED",
    "OpmlError",
    "OpmlFeed",
    "canonical_url",
    "entry_identity",
    "extract_page",
    "next_poll_after_failure",
    "next_poll_after_success",
    "parse_feed",
    "parse_opml",
    "render_opml",
    "repair_surrogates",
]
