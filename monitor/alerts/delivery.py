"""Delivering the outbox with apprise: per target, with timeouts, retries and a record of each try.

One ``Sender.deliver()`` is one batch:

1. Pending alerts past their cooldown are routed: each gets one delivery per
   configured target whose tags it matches (a target without tags takes every
   alert); one that matches no target goes to the console. Low-severity alerts
   wait for the next digest instead (``alerts.digest_every``).
2. Due deliveries are sent, each target's queue in its own thread, oldest alert
   first. Each send is claimed in one transaction and its outcome recorded in
   another (``monitor.store.alerts``); a delivery is marked sent only when
   apprise reports success. A failure is retried after ``retry_backoff``,
   doubling up to ``retry_max``, until ``max_attempts``; the target's other
   alerts wait with it rather than each timing out in turn.

apprise's defaults that would hurt, and what is done about them:

- its plugins throttle: a reused e-mail object (and most others) sleeps 5.5 s
  between two messages, so 20 alerts would take two minutes. Every target's
  ``request_rate_per_sec`` is set to ``alerts.send_interval`` (default 0).
- a dead SMTP server holds the e-mail plugin for its 15 s socket timeout, per
  try. Every target's connect and read timeouts become ``alerts.timeout``
  (unless its URL sets ``cto``/``rto``), and apprise's per-service budget is
  three times that, after which apprise stops waiting and reports TIMEOUT.
- apprise's own retries are left off (``retry=0``): the outbox retries, and
  records every try.

apprise objects are built once per batch, one per target, so a target's state
never leaks from one batch to the next and a changed config file is read again.
The alert id goes in the message and, where the channel has headers (e-mail,
json://, xml://, form://), in ``X-Sahel-Alert-Id``.

Each channel gets what it can use (``message_for``):

- e-mail (a service that takes HTML and has a subject line: mailto://, SendGrid,
  SES...): the whole message, as HTML whose links are numbered and listed at the
  end, because apprise writes the plain-text part from the HTML and drops hrefs;
- a webhook (json://, jsons://): the alert's JSON document and nothing else
  (``monitor.alerts.payload.document_of``). apprise's json plugin wraps a message
  in ``{version, title, message, attachments, type}``; its payload mapping (the
  URL's ``:key=value``, here set per send) maps each of those fields to nothing,
  which removes it, and adds each field of the document;
- xml:// and form:// posts: the whole message as text;
- chat (Slack, Telegram, Matrix, Discord, ntfy, everything else): the short
  Markdown of ``chat_body`` in the channel's own format, within its length limit.

Exceptions::

    ConfigError (monitor.config)  a URL or config file apprise cannot use; raised
                                  when the Sender is built, so the daemon stops at start
    StoreError (monitor.store)    the database is unusable; a batch stops, the next retries

Nothing else escapes ``deliver()``: a target that fails is an outcome, recorded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import apprise
from apprise.plugins.custom_form import NotifyForm
from apprise.plugins.custom_json import NotifyJSON
from apprise.plugins.custom_xml import NotifyXML

from monitor.alerts.drafts import chat_body, digest_draft
from monitor.alerts.formats import fit
from monitor.alerts.health import check_feeds
from monitor.alerts.payload import document_of
from monitor.config import AlertsConfig, ConfigError
from monitor.models import AlertDraft, Delivery, OutboxAlert
from monitor.store import Store, StoreError

log = logging.getLogger("monitor.alerts")

CONSOLE = "console"
ALERT_ID_HEADER = "X-Sahel-Alert-Id"
TITLE_IN_BODY_MARGIN = 16  # where apprise puts the title in the body: the title, markup and a line break
# the fields apprise's json:// puts around a message; a document never uses these names,
# for apprise's payload mapping would rename a field so named instead of adding it
JSON_WRAPPER = ("version", "title", "message", "attachments", "type")
# what apprise is told a body is, per format of ours
_APPRISE_FORMAT = {"email": "html", "webhook": "text"}

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- targets -------------------------------------------------------------------------


@dataclass
class Target:
    """One place alerts go: an apprise service of its own, or the console."""

    key: str  # stable and secret-free: "json://127.0.0.1:8080#1a2b3c4d"
    label: str  # apprise's privacy URL, for people
    tags: frozenset[str]
    fmt: str = "text"  # html | markdown | text: what the channel takes natively; email | webhook
    short: bool = False  # a chat: the short message (monitor.alerts.drafts.chat_body)
    extras: dict[str, Any] = field(default_factory=dict)  # a json:// URL's own ":key=value" fields
    body_limit: int = 0  # characters; 0: none
    title_limit: int = 0  # characters; 0: the title goes into the body
    title_in_body: bool = False
    service: Any = None  # apprise NotifyBase; None for the console
    notifier: apprise.Apprise | None = None

    def takes(self, tags: Sequence[str]) -> bool:
        """A target without tags takes every alert; a tagged one, alerts that share a tag."""
        return not self.tags or bool(self.tags & set(tags))


def console_target() -> Target:
    return Target(key=CONSOLE, label="console (standard output)", tags=frozenset(), fmt="text")


def make_asset(config: AlertsConfig) -> apprise.AppriseAsset:
    return apprise.AppriseAsset(
        app_id="sahel-monitor",
        app_desc="sahel-monitor: armed-conflict incident alerts",
        app_url="https://github.com/sahel-monitor/sahel-monitor",
        storage_mode="memory",  # nothing written beside the database
        service_timeout=3 * config.timeout,  # a hard stop even for a plugin that makes several requests
    )


def load_targets(config: AlertsConfig) -> list[Target]:
    """The configured targets, each with its own apprise object, tuned. May be empty."""
    asset = make_asset(config)
    services: list[Any] = []
    for index, url in enumerate(config.urls):
        found = _services_from(_webhook_alias(url), "text", asset)
        if not found:
            raise ConfigError(f"alerts.urls[{index}]: apprise cannot use {_masked(url)!r} (unknown service or bad URL)")
        services += found
    if config.config_file:
        path = Path(config.config_file).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"alerts.config_file: cannot read {str(path)!r}: {exc.strerror}") from None
        fmt = "yaml" if path.suffix.lower() in (".yml", ".yaml") else "text"
        found = _services_from(text, fmt, asset)
        if not found:
            raise ConfigError(f"alerts.config_file: {str(path)!r} defines no service apprise can use")
        services += found
    return [_target(service, config, asset) for service in services]


# "webhook://host/path": the plain name of a generic HTTP POST of the document, which apprise
# calls json:// (its own webhook plugin is a service of that name, not a generic POST)
_WEBHOOK_SCHEME = re.compile(r"^((?:[\w, -]+=)?\s*)webhook(s?)://", re.IGNORECASE)


def _webhook_alias(url: str) -> str:
    """``webhook://`` and ``webhooks://`` (with or without tags) as apprise's json:// and jsons://."""
    return _WEBHOOK_SCHEME.sub(lambda m: f"{m.group(1)}json{m.group(2).lower()}://", url, count=1)


def _services_from(text: str, fmt: str, asset: apprise.AppriseAsset) -> list[Any]:
    # apprise's own TEXT syntax, so that "urgent,digest=mailtos://..." tags a URL
    holder = apprise.AppriseConfig(asset=asset, cache=False)
    holder.add_config(text, format=fmt)
    return list(holder.services())


def _target(service: Any, config: AlertsConfig, asset: apprise.AppriseAsset) -> Target:
    key = _target_key(service)
    _tune(service, config)
    notifier = apprise.Apprise(asset=asset)
    notifier.add(service)
    fmt, short = channel_of(service)
    return Target(
        key=key,
        label=service.url(privacy=True),
        tags=frozenset(str(tag) for tag in service.tags),
        fmt=fmt,
        short=short,
        extras=dict(getattr(service, "payload_extras", None) or {}) if fmt == "webhook" else {},
        # only a chat has a real limit: apprise's 32768 for e-mail and posts is its default, and
        # a digest of many alerts would lose most of them to it
        body_limit=int(getattr(service, "body_maxlen", 0) or 0) if short else 0,
        title_limit=int(getattr(service, "title_maxlen", 0) or 0),
        title_in_body=not getattr(service, "title_maxlen", 0) or bool(getattr(service, "overflow_amalgamate_title", False)),
        service=service,
        notifier=notifier,
    )


def channel_of(service: Any) -> tuple[str, bool]:
    """What a service gets: (format, short). A json:// webhook the document; e-mail (HTML
    by default and a subject line of its own) and the xml/form posts the whole message;
    a chat the short one. The format is the service's own, or what its URL's ?format= says."""
    fmt = getattr(service.resolve_format(None), "value", "text")
    fmt = fmt if fmt in ("html", "markdown", "text") else "text"
    if isinstance(service, NotifyJSON):
        return "webhook", False
    if isinstance(service, (NotifyXML, NotifyForm)):
        return fmt, False
    default = type(service).notify_format
    default = default[0] if isinstance(default, tuple) else default
    if getattr(default, "value", default) == "html" and service.title_maxlen > 0:
        return ("email" if fmt == "html" else fmt), False
    return fmt, True


def _target_key(service: Any) -> str:
    """Where it goes, readable, plus a hash of the full URL: secrets never reach the database."""
    parts = urlsplit(service.url(privacy=True))
    digest = hashlib.sha256(service.url(privacy=False).encode("utf-8")).hexdigest()[:8]
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}#{digest}"


def _tune(service: Any, config: AlertsConfig) -> None:
    """apprise's defaults, made fit for a burst of alerts and a dead server."""
    service.request_rate_per_sec = config.send_interval
    kind = type(service)
    # a value still at its class default was not set in the URL (cto=, rto=)
    if service.socket_connect_timeout == kind.socket_connect_timeout:
        service.socket_connect_timeout = config.timeout
    if service.socket_read_timeout == kind.socket_read_timeout:
        service.socket_read_timeout = config.timeout


def _masked(url: str) -> str:
    parts = urlsplit(url.split("=", 1)[1] if "=" in url.split("://", 1)[0] else url)
    return f"{parts.scheme}://{parts.hostname or ''}/..." if parts.scheme else "***"


# --- one send ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    ok: bool
    result: str  # sent | failed | timeout
    error: str | None
    elapsed: float


# apprise's notify type: the colour or icon where a channel has them
_NOTIFY_TYPES = {
    "urgent": apprise.NotifyType.WARNING,
    "FEED_RECOVERED": apprise.NotifyType.SUCCESS,
    "FEED_DEGRADED": apprise.NotifyType.WARNING,
}


def message_for(target: Target, alert: OutboxAlert) -> tuple[str, str]:
    """The title and the body for this channel: its format, within its limits. A webhook's
    body is the alert's document as JSON text."""
    title = alert.title
    if target.fmt == "webhook":
        return title, json.dumps(document_of(alert), ensure_ascii=False)
    if target.title_limit and len(title) > target.title_limit:
        title = title[: target.title_limit - 1] + "…"
    limit = target.body_limit
    if limit and target.title_in_body:
        limit -= len(title) + TITLE_IN_BODY_MARGIN
    md = chat_body(alert) if target.short else alert.body
    return title, fit(md, target.fmt, max(limit, 0) if target.body_limit else 0, alert.alert_id)


def webhook_payload(document: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """apprise's json:// payload mapping that makes its POST body ``document``: each of its own
    fields mapped to nothing (removed), then the document's fields, then the fields the URL
    adds itself (``?:office=bamako``) where they name no field of the document."""
    clash = sorted(set(document) & set(JSON_WRAPPER))
    if clash:
        raise ValueError(f"the alert document has fields apprise's json:// would rename: {', '.join(clash)}")
    mapping: dict[str, Any] = {key: "" for key in JSON_WRAPPER}
    mapping.update(document)
    mapping.update({key: value for key, value in own.items() if key not in mapping})
    return mapping


def send(target: Target, alert: OutboxAlert, out: TextIO | None = None) -> SendResult:
    """Send one alert to one target now. Never raises for a delivery problem."""
    started = time.monotonic()
    title, body = message_for(target, alert)
    if target.service is None:
        print_to_console(alert, title, body, out or sys.stdout)
        return SendResult(True, "sent", None, time.monotonic() - started)
    headers = getattr(target.service, "headers", None)
    if isinstance(headers, dict):  # e-mail and the json/xml/form webhooks send these
        headers[ALERT_ID_HEADER] = alert.alert_id
    notify_type = _NOTIFY_TYPES.get(alert.kind) or _NOTIFY_TYPES.get(alert.severity, apprise.NotifyType.INFO)
    try:
        if target.fmt == "webhook":
            target.service.payload_extras = webhook_payload(document_of(alert), target.extras)
        outcome = target.notifier.notify(  # type: ignore[union-attr]
            body=body, title=title, notify_type=notify_type, body_format=_APPRISE_FORMAT.get(target.fmt, target.fmt),
            log_level=logging.DEBUG,
        )
    except Exception as exc:  # noqa: BLE001 - a plugin bug must not stop the other deliveries
        return SendResult(False, "failed", f"apprise raised {type(exc).__name__}: {exc}", time.monotonic() - started)
    elapsed = time.monotonic() - started
    if outcome:
        return SendResult(True, "sent", None, elapsed)
    timed_out = outcome.status == apprise.AppriseResultStatus.TIMEOUT
    return SendResult(False, "timeout" if timed_out else "failed", _error_of(outcome, elapsed), elapsed)


def _error_of(outcome: Any, elapsed: float) -> str:
    """apprise's own words for what went wrong, the most telling first, on one line."""
    wanted = []
    for entry in outcome.logs():
        message = " ".join(str(entry.message).split())
        telling = entry.level in ("WARNING", "ERROR", "CRITICAL") or "Exception" in message or "rror" in message
        if telling and message not in wanted:
            wanted.append(message)
    status = getattr(outcome.status, "name", str(outcome.status)).lower()
    text = "; ".join(wanted[-3:]) or "apprise reported no reason"
    return f"{status} after {elapsed:.1f}s: {text}"[:500]


def print_to_console(alert: OutboxAlert, title: str, body: str, out: TextIO) -> None:
    rule = f"──── ALERT {alert.alert_id} · {alert.kind} · {alert.severity} "
    out.write(f"{rule}{'─' * max(4, 78 - len(rule))}\n{title}\n\n{body}\n\n")
    out.flush()


# --- batches -------------------------------------------------------------------------------


@dataclass
class BatchReport:
    routed: int = 0
    held: int = 0
    sent: int = 0
    failed: int = 0  # attempts that failed (retried later)
    gave_up: int = 0
    elapsed: float = 0.0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"alerts: {self.sent} delivered, {self.failed} failed attempts, {self.gave_up} given up, "
            f"{self.routed} routed, {self.held} held for the digest in {self.elapsed:.2f}s"
        )


@dataclass(frozen=True)
class _Finish:
    delivery: Delivery
    target: str
    attempt: int
    result: SendResult
    next_attempt: datetime | None
    at: datetime


class Sender:
    """Delivers the outbox. One batch at a time; each target's queue on its own thread."""

    def __init__(
        self,
        config: AlertsConfig,
        store: Store,
        clock: Clock = utcnow,
        out: TextIO | None = None,
        max_threads: int = 8,
    ) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.out = out
        self.stopping = threading.Event()
        load_targets(config)  # a bad URL stops us here, at start
        self._pool = ThreadPoolExecutor(max_threads, thread_name_prefix="alert")
        self._batch = threading.Lock()
        self._unrecorded: list[_Finish] = []  # outcomes the store could not take yet
        self._leftovers = threading.Lock()
        self._known_keys: frozenset[str] | None = None

    def close(self) -> None:
        self.stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    @property
    def busy(self) -> bool:
        """A batch is running."""
        return self._batch.locked()

    def wait_idle(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds) for the batch in progress to end; False if it did not."""
        if not self._batch.acquire(timeout=max(0.0, timeout)):
            return False
        self._batch.release()
        return True

    def recover(self) -> int:
        """At start, before any batch: deliveries a crash cut off are sent again."""
        recovered = self.store.recover_interrupted(self.clock())
        if recovered:
            log.warning(
                "%d alert deliveries were cut off by the last stop; sending them again"
                " (a target may see them twice, with the same id)", recovered,
            )
        return recovered

    # --- a batch -------------------------------------------------------------------

    def deliver(self) -> BatchReport:
        """Route what is pending, then send what is due. Safe to call often."""
        with self._batch:
            started = time.monotonic()
            report = BatchReport()
            self._record_leftovers()
            now = self.clock()
            targets: dict[str, Target] | None = None
            to_route = self.store.alerts_to_route(now)
            if to_route:
                targets = self._targets()
                self._route(to_route, targets, now, report)
            due = self.store.due_deliveries(now)
            if due:
                targets = targets or self._targets()
                self._send_due(due, targets, report)
            report.elapsed = time.monotonic() - started
            if report.sent or report.failed or report.gave_up:
                log.info("%s", report.line())
            return report

    def _targets(self) -> dict[str, Target]:
        targets = {t.key: t for t in load_targets(self.config)}
        targets[CONSOLE] = console_target()
        if self._known_keys != frozenset(targets):
            dropped = self.store.drop_unknown_targets(sorted(targets), self.clock())
            if dropped:
                log.warning("%d pending deliveries dropped: their targets are no longer configured", dropped)
            self._known_keys = frozenset(targets)
        return targets

    def _route(self, alerts: Sequence[OutboxAlert], targets: dict[str, Target], now: datetime, report: BatchReport) -> None:
        routes: dict[str, list[str]] = {}
        hold: list[str] = []
        configured = [t for key, t in targets.items() if key != CONSOLE]
        for alert in alerts:
            if alert.severity == "digest" and self.config.digest_every > 0 and alert.kind != "DIGEST":
                hold.append(alert.alert_id)
                continue
            keys = [t.key for t in configured if t.takes(alert.tags)]
            if not keys:
                if configured:
                    log.warning("alert %s (tags %s) matches no target's tags: printed to the console",
                                alert.alert_id, ",".join(alert.tags))
                keys = [CONSOLE]
            routes[alert.alert_id] = keys
        self.store.route_alerts(routes, hold, now)
        report.routed += len(routes)
        report.held += len(hold)

    def _send_due(self, due: Sequence[Delivery], targets: dict[str, Target], report: BatchReport) -> None:
        queues: dict[str, list[Delivery]] = {}
        for delivery in due:
            if delivery.target in targets:
                queues.setdefault(delivery.target, []).append(delivery)
        futures = [self._pool.submit(self._send_queue, targets[key], queue) for key, queue in queues.items()]
        for future in futures:
            try:
                finishes = future.result()
            except StoreError as exc:
                log.error("alert delivery interrupted, will retry: %s", exc)
                report.errors.append(str(exc))
                continue
            for finish in finishes:
                if finish.result.ok:
                    report.sent += 1
                elif finish.next_attempt is None:
                    report.gave_up += 1
                else:
                    report.failed += 1

    def _send_queue(self, target: Target, queue: Sequence[Delivery]) -> list[_Finish]:
        """One target's due alerts, in order; the first failure defers the rest with it."""
        done: list[_Finish] = []
        for position, delivery in enumerate(queue):
            if self.stopping.is_set():
                break
            alert_id = delivery.alert.alert_id
            attempt = self.store.claim_delivery(alert_id, target.key, self.clock())
            if attempt is None:
                continue  # retried or dropped meanwhile
            result = send(target, delivery.alert, self.out)
            finish = self._finish(delivery, target, attempt, result)
            done.append(finish)
            if not result.ok:
                rest = [d.alert.alert_id for d in queue[position + 1 :]]
                if rest and finish.next_attempt is not None:
                    self.store.defer_target(target.key, finish.next_attempt, rest)
                break
        return done

    def _finish(self, delivery: Delivery, target: Target, attempt: int, result: SendResult) -> _Finish:
        now = self.clock()
        next_attempt = None
        if not result.ok:
            tries = delivery.attempts + 1
            if tries < self.config.max_attempts:
                next_attempt = now + timedelta(seconds=self.backoff(tries))
        finish = _Finish(delivery, target.key, attempt, result, next_attempt, now)
        self._log_outcome(finish)
        try:
            self._record(finish)
        except StoreError as exc:
            # the send happened: keep its outcome and record it at the next batch, so
            # the delivery is not sent again while this process lives
            log.error("could not record the delivery of %s to %s yet: %s", delivery.alert.alert_id, target.key, exc)
            with self._leftovers:
                self._unrecorded.append(finish)
        return finish

    def _record(self, finish: _Finish) -> None:
        self.store.finish_delivery(
            finish.delivery.alert.alert_id, finish.target, finish.attempt,
            now=finish.at, ok=finish.result.ok, result=finish.result.result, error=finish.result.error,
            elapsed=finish.result.elapsed, next_attempt=finish.next_attempt,
        )

    def _record_leftovers(self) -> None:
        with self._leftovers:
            pending, self._unrecorded = self._unrecorded, []
        for position, finish in enumerate(pending):
            try:
                self._record(finish)
            except StoreError:
                with self._leftovers:
                    self._unrecorded[:0] = pending[position:]
                raise

    def backoff(self, tries: int) -> float:
        """Seconds before try ``tries + 1``: retry_backoff, doubling, at most retry_max."""
        return float(min(self.config.retry_backoff * 2 ** (tries - 1), self.config.retry_max))

    def _log_outcome(self, finish: _Finish) -> None:
        alert_id, result = finish.delivery.alert.alert_id, finish.result
        if result.ok:
            log.info("alert %s delivered to %s in %.2fs", alert_id, finish.target, result.elapsed)
        elif finish.next_attempt is None:
            log.error(
                "alert %s to %s: gave up after %d attempts: %s (requeue with `sahel-monitor alerts retry`)",
                alert_id, finish.target, finish.delivery.attempts + 1, result.error,
            )
        else:
            log.warning(
                "alert %s to %s failed (attempt %d): %s; next try %s", alert_id, finish.target,
                finish.delivery.attempts + 1, result.error, finish.next_attempt.strftime("%H:%M:%S"),
            )

    # --- the digest and feed health ------------------------------------------------------

    def make_digest(self) -> str | None:
        """Gather the waiting low-severity alerts into one, at most once per ``digest_every``."""
        now = self.clock()
        if self.config.digest_every <= 0:
            # digests were turned off while some alerts waited: they go one by one
            if self.store.waiting_alerts(now):
                self.store.release_waiting()
            return None
        last = self.store.last_digest_time()
        if last is not None and (now - last).total_seconds() < self.config.digest_every:
            return None
        members = self.store.waiting_alerts(now)
        if not members:
            return None
        digest = digest_draft(members, now, last)
        if not self.store.add_digest(digest, [m.alert_id for m in members]):
            return None
        log.info("digest %s: %d alerts", digest.alert_id, len(members))
        return digest.alert_id

    def check_feed_health(self) -> list[AlertDraft]:
        now = self.clock()
        changed, drafts = check_feeds(self.store.feed_vitals(), self.store.feed_watches(), self.config, now)
        if changed:
            self.store.save_feed_watch(changed, drafts, now)
        for draft in drafts:
            log.warning("%s", draft.title)
        return drafts


def run_test(
    config: AlertsConfig, alert: OutboxAlert, tag: str | None = None, out: TextIO | None = None
) -> list[tuple[Target, SendResult]]:
    """Send ``alert`` now, outside the outbox, to every configured target that takes ``tag``
    (to the console when none is configured), all at once. Returns each target's result."""
    configured = load_targets(config)
    targets = [t for t in configured if tag is None or t.takes([tag])] if configured else [console_target()]
    if not targets:
        return []
    with ThreadPoolExecutor(len(targets), thread_name_prefix="test-alert") as pool:
        futures = [(t, pool.submit(send, t, alert, out)) for t in targets]
        return [(t, f.result()) for t, f in futures]


def draft_as_outbox(draft: AlertDraft) -> OutboxAlert:
    """A draft seen as if it were in the outbox (for sending outside it: test-alert)."""
    return OutboxAlert(
        alert_id=draft.alert_id, kind=draft.kind, severity=draft.severity, tags=draft.tags, title=draft.title,
        body=draft.body, incident_id=draft.incident_id, feed_id=draft.feed_id, state="pending",
        created=draft.created, data=draft.data,
    )


__all__ = [
    "CONSOLE", "BatchReport", "Sender", "Target", "channel_of", "draft_as_outbox", "load_targets", "message_for",
    "run_test", "send",
]
