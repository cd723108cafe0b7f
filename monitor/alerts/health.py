"""Feed health alerts: once when a feed degrades, once when it recovers. Pure functions.

A feed is *degraded* when

- it keeps failing: ``alerts.feed_failures`` consecutive failed polls that were
  its own fault (a network outage on our side is not counted by the poller), or
  the server said 410 Gone and the feed was disabled; or
- it has gone silent: its polls succeed but bring nothing new for much longer
  than usual, ``alerts.feed_silence_factor`` times the median gap between its
  polls that brought new articles, and never less than ``alerts.feed_silence_min``.
  A feed with fewer than ``MIN_HISTORY`` such polls has no "usual" yet.

``check_feeds`` compares each feed's verdict with what was last said about it
(``FeedWatch``) and returns the new watch states and the alerts to write with
them, in one transaction, so each transition alerts exactly once. Alert ids are
``feed-<id>-degraded-<n>`` and ``feed-<id>-recovered-<n>``, ``n`` counting the
feed's degradations. Each carries its document (``monitor.alerts.payload.feed_data``):
the feed's name, address, state and why, for webhooks.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from monitor.alerts.drafts import cooldown_end
from monitor.alerts.formats import md_escape, md_link, sql_footer
from monitor.alerts.payload import feed_data
from monitor.config import AlertsConfig
from monitor.models import AlertDraft, FeedVitals, FeedWatch

MIN_HISTORY = 5  # polls that brought news, before a feed's usual rhythm is known


def usual_gap(times: Sequence[datetime]) -> timedelta | None:
    """The median time between polls that brought new articles (newest first in ``times``)."""
    if len(times) < MIN_HISTORY:
        return None
    ordered = sorted(times)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(ordered)]
    return timedelta(seconds=statistics.median(gaps))


def verdict(feed: FeedVitals, config: AlertsConfig, now: datetime) -> str | None:
    """Why the feed is degraded, for people; None when it is healthy (or too new to judge)."""
    if feed.state == "disabled":
        return f"the server says the feed is gone (HTTP 410); it is disabled: {feed.last_error or ''}".rstrip(": ")
    if feed.state == "failing" and feed.error_count >= config.feed_failures:
        since = f", last success {_ago(feed.last_success, now)}" if feed.last_success else ", never succeeded"
        return f"{feed.error_count} failed polls in a row{since}: {feed.last_error or 'unknown error'}"
    if feed.state != "ok" or not feed.new_item_times:
        return None
    gap = usual_gap(feed.new_item_times)
    if gap is None:
        return None
    # silence is counted in time spent polling: a daemon that was off has heard nothing either
    quiet = min(now, feed.last_success or now) - max(feed.new_item_times)
    limit = max(gap * config.feed_silence_factor, timedelta(seconds=config.feed_silence_min))
    if quiet > limit:
        return f"no new article for {_span(quiet)}, usually every {_span(gap)}; its polls still succeed"
    return None


def check_feeds(
    feeds: Sequence[FeedVitals],
    watches: Mapping[int, FeedWatch],
    config: AlertsConfig,
    now: datetime,
) -> tuple[list[FeedWatch], list[AlertDraft]]:
    """The watch states that changed, and one alert per transition."""
    changed: list[FeedWatch] = []
    drafts: list[AlertDraft] = []
    for feed in feeds:
        watch = watches.get(feed.feed_id) or FeedWatch(feed.feed_id, "ok", None, now, 0)
        reason = verdict(feed, config, now)
        if reason and watch.state == "ok":
            episode = watch.episodes + 1
            draft = degraded_draft(feed, reason, episode, now, watch.alerted, config)
            changed.append(FeedWatch(feed.feed_id, "degraded", reason, now, episode, now))
            drafts.append(draft)
        elif reason is None and watch.state == "degraded":
            draft = recovered_draft(feed, watch, now, config)
            changed.append(FeedWatch(feed.feed_id, "ok", None, now, watch.episodes, now))
            drafts.append(draft)
        elif reason and reason != watch.reason and watch.state == "degraded":
            changed.append(replace(watch, reason=reason))  # the latest why, without a new alert
    return changed, drafts


def degraded_draft(
    feed: FeedVitals, reason: str, episode: int, now: datetime, last: datetime | None, config: AlertsConfig
) -> AlertDraft:
    alert_id = f"feed-{feed.feed_id}-degraded-{episode}"
    silent = reason.startswith("no new article")
    title = f"FEED {'SILENT' if silent else 'FAILING'} · {feed.name} · {reason.split(':')[0].split(';')[0]}"
    body = "\n\n".join([
        f"**FEED DEGRADED**: {md_escape(feed.name)} ({md_link(feed.url, feed.url)})\n**Why**: {md_escape(reason)}",
        ("Incidents reported only by this feed will be missed until it recovers. Check the feed's "
         "address in a browser; `sahel-monitor feeds` shows every feed's state."),
        _footer(alert_id, feed),
    ])
    data = feed_data(feed, "FEED_DEGRADED", alert_id, reason, now, episode, now)
    return _draft(alert_id, "FEED_DEGRADED", title, body, data, feed, now, last, config)


def recovered_draft(feed: FeedVitals, watch: FeedWatch, now: datetime, config: AlertsConfig) -> AlertDraft:
    alert_id = f"feed-{feed.feed_id}-recovered-{watch.episodes}"
    title = f"FEED RECOVERED · {feed.name} · after {_span(now - watch.since)}"
    body = "\n\n".join([
        (f"**FEED RECOVERED**: {md_escape(feed.name)} ({md_link(feed.url, feed.url)})\n"
         f"**Was**: {md_escape(watch.reason or 'degraded')} (since {watch.since.strftime('%Y-%m-%d %H:%M UTC')})"),
        _footer(alert_id, feed),
    ])
    data = feed_data(feed, "FEED_RECOVERED", alert_id, watch.reason or "degraded", watch.since, watch.episodes, now)
    return _draft(alert_id, "FEED_RECOVERED", title, body, data, feed, now, watch.alerted, config)


def _draft(
    alert_id: str, kind: str, title: str, body: str, data: dict[str, Any], feed: FeedVitals, now: datetime,
    last: datetime | None, config: AlertsConfig,
) -> AlertDraft:
    return AlertDraft(
        alert_id=alert_id, kind=kind, severity="digest", tags=("digest", "feeds"), title=title, body=body,
        incident_id=None, created=now, feed_id=feed.feed_id,
        not_before=cooldown_end(kind, now, last, config), data=data,
    )


def _footer(alert_id: str, feed: FeedVitals) -> str:
    return sql_footer(
        alert_id,
        f"feed {feed.feed_id} · its recent polls",
        f"SELECT at, status, outcome, error FROM fetch_log WHERE feed_id = {int(feed.feed_id)} ORDER BY at DESC LIMIT 20;",
    )


def _span(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.0f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.0f} hours"
    if seconds >= 120:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"


def _ago(moment: datetime | None, now: datetime) -> str:
    return f"{_span(now - moment)} ago" if moment else "never"
