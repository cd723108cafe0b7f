"""Delivery through the outbox to a real SMTP server (aiosmtpd) and a real webhook, both on 127.0.0.1."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.alerts.delivery import ALERT_ID_HEADER, CONSOLE, Sender, load_targets
from monitor.alerts.drafts import drafts_for
from monitor.cli import cli
from monitor.config import AlertsConfig, ConfigError
from monitor.models import AlertDraft
from monitor.store import Store
from tests.alertkit import (
    NOW,
    LocalSMTPServer,
    Webhook,
    change,
    claim,
    free_port,
    text_of,
)
from tests.daemonkit import wait_for
from tests.httpserver import LocalHTTPServer, Response


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def webhook(http_server: LocalHTTPServer) -> Webhook:
    return Webhook(http_server)


def config(*urls: str, **extra: object) -> AlertsConfig:
    settings: dict[str, object] = {"digest_every": 0, "timeout": 2, "retry_backoff": 10, **extra}
    return AlertsConfig(urls=list(urls), **settings)  # type: ignore[arg-type]


def sender(store: Store, cfg: AlertsConfig, clock: Clock | None = None, out: io.StringIO | None = None) -> Sender:
    return Sender(cfg, store, clock=clock or Clock(), out=out or io.StringIO())


def attempts(store: Store, alert_id: str) -> list[str]:
    return [a["result"] for a in store.attempts_of(alert_id)]


def escalation_drafts() -> list[AlertDraft]:
    new = change("NEW", sources=(
        claim(101, "RFI Afrique", (12, 12), text="douze soldats",
              evidence=("Douze soldats ont été tués lors de l'attaque du camp de Boulkessi.",)),
    ))
    worse = change(
        "ESCALATED",
        sources=(*new.snapshot.sources, claim(
            102, "Studio Tamani", (40, 55), qualifier="range", text="entre 40 et 55 militaires",
            evidence=("Entre 40 et 55 militaires ont péri, selon des sources locales.",), hours=3)),
        level="killed:25", reasons=("killed toll crossed 25 (now 12–55)",), at=NOW + timedelta(hours=3),
    )
    (first,) = drafts_for([new], AlertsConfig())
    # told later, once the first had left: two messages (one batch would have made one)
    (second,) = drafts_for([worse], AlertsConfig(), {7: first.memo})  # type: ignore[dict-item]
    return [first, second]


def urgent_drafts(count: int, start: int = 1) -> list[AlertDraft]:
    changes = [change("NEW", incident_id=i, sources=(claim(i, "RFI Afrique", (20 + i, 20 + i)),),
                      at=NOW + timedelta(seconds=i)) for i in range(start, start + count)]
    return drafts_for(changes, AlertsConfig())


# --- arrival -----------------------------------------------------------------------------


def test_new_and_escalated_arrive_by_email_and_webhook_with_title_figures_and_sources(
    store: Store, smtp: LocalSMTPServer, webhook: Webhook
) -> None:
    drafts = escalation_drafts()
    store.add_alerts(drafts)
    report = sender(store, config(smtp.url(), webhook.url())).deliver()
    assert (report.sent, report.failed) == (4, 0)

    new_title = "NEW · Armed clash · Boulkessi (Mopti, Mali) · 1 May 2024 · 12 soldiers killed"
    escalated_title = (
        "ESCALATED: killed toll reached 25 · Armed clash · Boulkessi (Mopti, Mali) · 1 May 2024"
        " · 12–55 soldiers killed (was 12 soldiers killed)"
    )
    assert smtp.subjects() == [new_title, escalated_title]
    assert smtp.alert_ids() == ["incident-7-new", "incident-7-killed:25"]
    mail = text_of(smtp.messages[1])
    for expected in ("killed, military: 12–55", "12 — RFI Afrique «douze soldats»",
                     "40–55 — Studio Tamani «entre 40 et 55 militaires»", "https://news.example/studio-tamani/102",
                     "Entre 40 et 55 militaires ont péri", "incident-7-killed:25", "SELECT * FROM incidents WHERE id = 7"):
        assert expected in mail, expected
    assert '<a href="https://news.example/rfi-afrique/101">' in mail  # the HTML part

    assert webhook.alert_ids() == ["incident-7-new", "incident-7-killed:25"]
    payload = webhook.payloads()[1]
    assert (payload["subject"], payload["id"], payload["kind"]) == (escalated_title, "incident-7-killed:25", "ESCALATED")
    assert payload["reasons"] == ["killed toll crossed 25 (now 12–55)"]
    incident = payload["incident"]
    assert incident["tolls"] == [{"kind": "killed", "group": "military", "low": 12, "best": 33, "high": 55}]
    assert [s["url"] for s in incident["sources"]] == [
        "https://news.example/rfi-afrique/101", "https://news.example/studio-tamani/102"]
    assert store.alert("incident-7-killed:25").state == "sent"  # type: ignore[union-attr]


def test_a_replayed_change_never_makes_a_second_alert(store: Store, webhook: Webhook) -> None:
    drafts = escalation_drafts()
    assert store.add_alerts(drafts) == 2
    assert store.add_alerts(drafts) == 0
    s = sender(store, config(webhook.url()))
    s.deliver()
    store.add_alerts(drafts)
    s.deliver()
    assert webhook.counts() == {"incident-7-new": 1, "incident-7-killed:25": 1}


# --- a target that is down ------------------------------------------------------------------


def test_webhook_down_alert_stays_pending_is_retried_and_delivered_exactly_once(store: Store) -> None:
    port = free_port()
    url = f"json://127.0.0.1:{port}/hook"
    clock = Clock()
    s = sender(store, config(url, retry_backoff=10, retry_max=60), clock)
    store.add_alerts(urgent_drafts(3))

    first = s.deliver()
    assert (first.sent, first.failed) == (0, 1)  # the other two wait with the target, not one timeout each
    assert store.alert("incident-1-new").state == "pending"  # type: ignore[union-attr]
    (delivery,) = store.deliveries_of(["incident-1-new"])
    assert delivery.attempts == 1 and "Connection error" in (delivery.last_error or "")
    assert delivery.next_attempt == NOW + timedelta(seconds=10)

    assert s.deliver().failed == 0  # not due yet: nothing tried
    clock.advance(10)
    assert s.deliver().failed == 1
    assert store.deliveries_of(["incident-1-new"])[0].next_attempt == clock.now + timedelta(seconds=20)

    server = LocalHTTPServer(port).start()
    try:
        hook = Webhook(server)
        clock.advance(20)
        back = s.deliver()
        assert (back.sent, back.failed) == (3, 0)
        s.deliver()
        clock.advance(3600)
        s.deliver()
    finally:
        server.stop()
    assert hook.counts() == {"incident-1-new": 1, "incident-2-new": 1, "incident-3-new": 1}
    assert attempts(store, "incident-1-new") == ["failed", "failed", "sent"]
    assert attempts(store, "incident-2-new") == ["sent"]
    assert {a.state for a in store.alerts_in_state(["sent"])} == {"sent"}
    assert len(store.alerts_in_state(["sent"])) == 3


def test_smtp_down_then_back_delivers_exactly_once(store: Store) -> None:
    smtp = LocalSMTPServer()  # not started: connection refused
    clock = Clock()
    s = sender(store, config(smtp.url()), clock)
    store.add_alerts(urgent_drafts(2))
    assert s.deliver().failed == 1
    smtp.start()
    try:
        clock.advance(10)
        assert s.deliver().sent == 2
        clock.advance(600)
        s.deliver()
    finally:
        smtp.stop()
    assert sorted(smtp.alert_ids()) == ["incident-1-new", "incident-2-new"]
    assert attempts(store, "incident-1-new") == ["failed", "sent"]


def test_a_webhook_error_status_is_a_failure_and_is_retried(store: Store, webhook: Webhook) -> None:
    clock = Clock()
    s = sender(store, config(webhook.url()), clock)
    store.add_alerts(urgent_drafts(1))
    webhook.answer = Response(503, b"busy")
    assert s.deliver().failed == 1
    assert "503" in (store.deliveries_of(["incident-1-new"])[0].last_error or "")
    webhook.answer = None
    clock.advance(10)
    assert s.deliver().sent == 1
    assert webhook.counts() == {"incident-1-new": 2}  # the 503 was seen by the server, then the success
    assert attempts(store, "incident-1-new") == ["failed", "sent"]


def test_gives_up_after_max_attempts_then_retry_requeues(store: Store) -> None:
    port = free_port()
    clock = Clock()
    s = sender(store, config(f"json://127.0.0.1:{port}/hook", max_attempts=2, retry_backoff=1), clock)
    store.add_alerts(urgent_drafts(1))
    s.deliver()
    clock.advance(1)
    assert s.deliver().gave_up == 1
    assert store.alert("incident-1-new").state == "failed"  # type: ignore[union-attr]
    assert [a.alert_id for a in store.alerts_in_state(["failed"])] == ["incident-1-new"]
    clock.advance(3600)
    assert s.deliver().failed == 0  # failed: not tried again by itself

    server = LocalHTTPServer(port).start()
    try:
        hook = Webhook(server)
        assert store.retry_failed(clock.now) == 1
        assert store.alert("incident-1-new").state == "pending"  # type: ignore[union-attr]
        assert s.deliver().sent == 1
    finally:
        server.stop()
    assert hook.counts() == {"incident-1-new": 1}
    assert attempts(store, "incident-1-new") == ["failed", "failed", "sent"]


# --- apprise's defaults that hurt ---------------------------------------------------------------


def test_burst_of_20_alerts_to_smtp_in_under_2_seconds(store: Store, smtp: LocalSMTPServer) -> None:
    store.add_alerts(urgent_drafts(20))
    s = sender(store, config(smtp.url()))
    started = time.monotonic()
    report = s.deliver()
    took = time.monotonic() - started
    print(f"\n20 alerts to SMTP in {took:.2f}s")
    assert report.sent == 20
    assert sorted(smtp.alert_ids()) == sorted(f"incident-{i}-new" for i in range(1, 21))
    # apprise alone would sleep 5.5 s between two mails: 19 x 5.5 s; typically well under 1 s here
    assert took < 2.0


def test_targets_are_tuned_throttle_off_short_timeouts_url_choices_kept(smtp: LocalSMTPServer) -> None:
    mail, custom = load_targets(config(smtp.url(), f"{smtp.url()}&cto=7", timeout=3))
    assert mail.service.request_rate_per_sec == 0
    assert (mail.service.socket_connect_timeout, mail.service.socket_read_timeout) == (3, 3)
    assert custom.service.socket_connect_timeout == 7  # set in the URL: kept
    assert mail.key != custom.key and "cto" not in mail.key and mail.key.startswith("mailto://127.0.0.1:")


def test_a_dead_smtp_server_that_never_answers_fails_within_the_timeout(store: Store) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections (in the backlog) but never says hello
    port = silent.getsockname()[1]
    try:
        s = sender(store, config(f"mailto://127.0.0.1:{port}?from=a@sahel.example&to=b@sahel.example", timeout=1))
        store.add_alerts(urgent_drafts(1))
        started = time.monotonic()
        report = s.deliver()
        took = time.monotonic() - started
    finally:
        silent.close()
    assert report.failed == 1
    assert took < 5  # apprise's default would hold it 15 s
    assert attempts(store, "incident-1-new") in (["failed"], ["timeout"])


def test_a_slow_target_does_not_hold_up_another(store: Store, webhook: Webhook) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        dead = f"mailto://127.0.0.1:{silent.getsockname()[1]}?from=a@sahel.example&to=b@sahel.example"
        s = sender(store, config(dead, webhook.url(), timeout=3))
        store.add_alerts(urgent_drafts(2))
        batch = threading.Thread(target=s.deliver)
        started = time.monotonic()
        batch.start()
        wait_for(lambda: len(webhook.posts()) == 2, timeout=2.5, what="the webhook's two alerts")
        reached = time.monotonic() - started
        batch.join(timeout=15)
    finally:
        silent.close()
    assert reached < 2.5 and not batch.is_alive()
    assert webhook.counts() == {"incident-1-new": 1, "incident-2-new": 1}


# --- routing, digest, cooldown, console -------------------------------------------------------------


def test_tags_route_urgent_and_digest(store: Store, smtp: LocalSMTPServer, http_server: LocalHTTPServer) -> None:
    pager, everything = Webhook(http_server, "/pager"), Webhook(http_server, "/all")
    cfg = AlertsConfig(urls=[f"urgent={pager.url()}", f"digest={smtp.url()}", everything.url()], digest_every=60)
    clock = Clock()
    s = sender(store, cfg, clock)
    small = drafts_for([change("NEW", incident_id=2, sources=(claim(2, "RFI", (2, 2)),))], cfg)
    store.add_alerts(urgent_drafts(1) + small)
    s.deliver()
    assert pager.alert_ids() == ["incident-1-new"] and everything.alert_ids() == ["incident-1-new"]
    assert smtp.alert_ids() == []  # the small one waits for the digest
    assert store.alert("incident-2-new").state == "waiting"  # type: ignore[union-attr]

    digest_id = s.make_digest()
    assert digest_id and s.make_digest() is None
    s.deliver()
    assert smtp.alert_ids() == [digest_id] and everything.alert_ids() == ["incident-1-new", digest_id]
    assert pager.alert_ids() == ["incident-1-new"]
    assert "incident-2-new" in smtp.messages[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert store.alert("incident-2-new").digest_id == digest_id  # type: ignore[union-attr]

    more = drafts_for([change("NEW", incident_id=3, sources=(claim(3, "RFI", (1, 1)),))], cfg)
    store.add_alerts(more)
    s.deliver()
    clock.advance(30)
    assert s.make_digest() is None  # one digest per period
    clock.advance(30)
    assert s.make_digest() is not None


def test_an_alert_no_target_takes_goes_to_the_console(store: Store, webhook: Webhook) -> None:
    out = io.StringIO()
    s = sender(store, config(f"urgent={webhook.url()}"), out=out)
    store.add_alerts([d for d in drafts_for([change("NEW", sources=(claim(1, "RFI", (1, 1)),))], AlertsConfig())])
    s.deliver()
    assert webhook.posts() == []
    assert "ALERT incident-7-new" in out.getvalue()
    assert store.deliveries_of(["incident-7-new"])[0].target == CONSOLE


def test_without_targets_alerts_print_to_the_console(store: Store) -> None:
    out = io.StringIO()
    s = sender(store, config(), out=out)
    store.add_alerts(escalation_drafts())
    assert s.deliver().sent == 2
    text = out.getvalue()
    assert "NEW · Armed clash · Boulkessi" in text and "• killed, military: 12–55 (best 33)" in text
    assert "**" not in text  # plain text, not Markdown


def test_cooldown_holds_an_alert_until_it_is_over(store: Store, webhook: Webhook) -> None:
    clock = Clock()
    s = sender(store, config(webhook.url()), clock)
    (draft,) = urgent_drafts(1)
    held = AlertDraft(**{**draft.__dict__, "not_before": NOW + timedelta(minutes=30)})
    store.add_alerts([held])
    s.deliver()
    assert webhook.posts() == []
    clock.advance(1800)
    s.deliver()
    assert webhook.alert_ids() == ["incident-1-new"]


def test_a_removed_target_does_not_keep_alerts_pending_forever(store: Store, webhook: Webhook) -> None:
    port = free_port()
    clock = Clock()
    store.add_alerts(urgent_drafts(1))
    sender(store, config(f"json://127.0.0.1:{port}/gone", webhook.url()), clock).deliver()
    assert store.alert("incident-1-new").state == "pending"  # type: ignore[union-attr]
    clock.advance(60)
    sender(store, config(webhook.url()), clock).deliver()
    assert store.alert("incident-1-new").state == "sent"  # type: ignore[union-attr]
    assert webhook.counts() == {"incident-1-new": 1}


def test_bad_target_url_is_a_config_error_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"alerts.urls\[1\]: apprise cannot use 'nosuch://host/\.\.\.'"):
        load_targets(config("json://127.0.0.1:9/x", "nosuch://user:secret@host/x"))


# --- the crash window, in one process ------------------------------------------------------------------


def test_an_attempt_cut_off_by_a_crash_is_sent_again_with_the_same_id(
    store: Store, webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Crash(BaseException):
        """The process dies: nothing after this line runs."""

    def die(*_args: object, **_kwargs: object) -> None:
        raise Crash

    store.add_alerts(urgent_drafts(1))
    s = sender(store, config(webhook.url()))
    # apprise reports success, and the process dies before the outcome is committed
    monkeypatch.setattr(store, "finish_delivery", die)
    with pytest.raises(Crash):
        s.deliver()
    monkeypatch.undo()
    assert webhook.alert_ids() == ["incident-1-new"]
    assert store.deliveries_of(["incident-1-new"])[0].state == "sending"

    restarted = sender(store, config(webhook.url()))  # the next start
    assert restarted.recover() == 1
    restarted.deliver()
    restarted.deliver()
    assert webhook.alert_ids() == ["incident-1-new", "incident-1-new"]  # at least once, with the same id
    assert attempts(store, "incident-1-new") == ["interrupted", "sent"]
    assert store.alert("incident-1-new").state == "sent"  # type: ignore[union-attr]


# --- commands ------------------------------------------------------------------------------------------


def write_config(tmp_path: Path, urls: list[str]) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(json.dumps({"database": str(tmp_path / "monitor.db"), "alerts": {"urls": urls, "timeout": "2s"}}))
    return path


def test_test_alert_sends_to_every_target_and_prints_each_result(
    tmp_path: Path, smtp: LocalSMTPServer, webhook: Webhook
) -> None:
    dead = f"json://127.0.0.1:{free_port()}/hook"
    path = write_config(tmp_path, [smtp.url(), f"urgent={webhook.url()}", dead])
    result = CliRunner().invoke(cli, ["--config", str(path), "test-alert"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok ") and "mailto://127.0.0.1" in lines[0]
    assert lines[1].startswith("ok ") and "json://127.0.0.1" in lines[1]
    assert lines[2].startswith("FAILED ") and "Connection error" in lines[3]
    assert len(smtp.messages) == 1 and str(smtp.messages[0]["Subject"]).startswith("TEST")
    assert webhook.posts()[0].headers[ALERT_ID_HEADER.lower()].startswith("test-")

    only_digest = CliRunner().invoke(cli, ["--config", str(path), "test-alert", "--tag", "digest"])
    assert "json://127.0.0.1" not in only_digest.stdout.split("\n")[0]
    assert len(webhook.posts()) == 1  # the urgent-only target was left out


def test_alerts_commands_list_pending_failed_show_and_retry(tmp_path: Path) -> None:
    port = free_port()
    path = write_config(tmp_path, [f"json://127.0.0.1:{port}/hook"])
    with Store(tmp_path / "monitor.db") as store:
        store.add_alerts(urgent_drafts(2))
        clock = Clock()
        s = sender(store, config(f"json://127.0.0.1:{port}/hook", max_attempts=1), clock)
        s.deliver()
        clock.advance(3600)
        s.deliver()
    runner = CliRunner()
    failed = runner.invoke(cli, ["--config", str(path), "alerts", "--failed"])
    assert failed.exit_code == 0, failed.output
    assert "incident-1-new" in failed.stdout and "gave up after 1 attempts" in failed.stdout
    listed = runner.invoke(cli, ["--config", str(path), "alerts", "--json"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {r["id"] for r in rows} == {"incident-1-new", "incident-2-new"}
    shown = runner.invoke(cli, ["--config", str(path), "alerts", "show", "incident-1-new"])
    assert "attempt 1 to json://127.0.0.1" in shown.stdout and "**Figures**" in shown.stdout
    retried = runner.invoke(cli, ["--config", str(path), "alerts", "retry"])
    assert retried.stdout.startswith("2 failed deliveries requeued")
    pending = runner.invoke(cli, ["--config", str(path), "alerts", "--pending"])
    assert "incident-1-new" in pending.stdout and "incident-2-new" in pending.stdout
    assert runner.invoke(cli, ["--config", str(path), "alerts", "show", "nope"]).exit_code == 1


# --- feed health, through the store -------------------------------------------------------------------


def test_feed_health_alerts_once_when_it_degrades_and_once_when_it_recovers(store: Store, webhook: Webhook) -> None:
    from monitor.config import FeedConfig
    from monitor.models import FetchResult

    clock = Clock()
    s = sender(store, config(webhook.url(), feed_failures=2), clock)
    store.sync_feeds([FeedConfig(name="Maliweb", url="https://www.maliweb.net/rss")], NOW)
    (feed,) = store.all_feeds()
    for _ in range(3):
        store.record_poll_failure(feed.id, now=clock.now, next_poll=clock.now, result=None,
                                  error="HTTP 503 from https://www.maliweb.net/rss", error_kind="http")
        s.check_feed_health()
        clock.advance(600)
    ok = FetchResult(url=feed.url, final_url=feed.url, status=200)
    store.record_poll_success(feed.id, now=clock.now, next_poll=clock.now, result=ok, items=0, new_items=0)
    s.check_feed_health()
    s.check_feed_health()
    clock.advance(3600)  # past the cooldown that follows the first alert
    s.deliver()
    assert webhook.alert_ids() == [f"feed-{feed.id}-degraded-1", f"feed-{feed.id}-recovered-1"]
    degraded, recovered = webhook.payloads()
    assert degraded["subject"].startswith("FEED FAILING · Maliweb · 2 failed polls in a row")
    assert (degraded["kind"], degraded["feed"]["name"], degraded["feed"]["url"]) == (
        "FEED_DEGRADED", "Maliweb", "https://www.maliweb.net/rss")
    assert "HTTP 503" in degraded["feed"]["reason"] and degraded["feed"]["state"] == "failing"
    assert recovered["kind"] == "FEED_RECOVERED" and recovered["feed"]["state"] == "ok"


def test_the_poller_hook_drafts_alerts_with_what_the_last_alert_said(store: Store) -> None:
    from types import SimpleNamespace

    from monitor.config import Config
    from monitor.daemon.cycle import Poller

    new, worse = (change("NEW", sources=(claim(1, "RFI", (8, 8)),)),
                  change("ESCALATED", sources=(claim(1, "RFI", (8, 8)), claim(2, "AFP", (30, 30))), level="killed:25"))
    poller = SimpleNamespace(store=store, config=Config())
    store.add_alerts(Poller.alert_drafts(poller, [new]))  # type: ignore[arg-type]
    # still waiting in the outbox: the escalation rewrites it, one message for both
    (merged,) = Poller.alert_drafts(poller, [worse, change("UPDATED")])  # type: ignore[arg-type]
    assert (merged.alert_id, merged.kind, merged.replaces) == ("incident-7-new", "NEW", True)
    store.add_alerts([merged])
    (alert,) = store.alerts_in_state(["pending"])
    assert alert.title.startswith("NEW: killed toll reached 25 · ") and alert.data["levels"] == ["new", "killed:25"]
    # once on its way, the next change makes an alert of its own, told against it
    sender(store, AlertsConfig(digest_every=0)).deliver()
    (draft,) = Poller.alert_drafts(poller, [worse])  # type: ignore[arg-type]
    assert (draft.alert_id, draft.replaces) == ("incident-7-killed:25", False)
    assert "1 new source: AFP" not in draft.body  # the alert told already named AFP
    assert "Since the last alert** (`incident-7-new`" in draft.body


def test_alerts_waiting_for_a_digest_go_one_by_one_when_digests_are_turned_off(store: Store, webhook: Webhook) -> None:
    small = drafts_for([change("NEW", sources=(claim(1, "RFI", (2, 2)),))], AlertsConfig())
    store.add_alerts(small)
    sender(store, AlertsConfig(urls=[webhook.url()], digest_every=3600)).deliver()
    assert store.alert("incident-7-new").state == "waiting"  # type: ignore[union-attr]
    off = sender(store, config(webhook.url()))
    off.make_digest()
    off.deliver()
    assert webhook.alert_ids() == ["incident-7-new"]


def test_an_alert_commits_or_rolls_back_with_the_change_that_caused_it(store: Store) -> None:
    drafts = escalation_drafts()
    with pytest.raises(RuntimeError), store._write("apply an incident change") as cur:  # noqa: SLF001
        cur.execute("UPDATE feeds SET name = name")  # stands for the change itself
        store.insert_alerts(cur, drafts)
        raise RuntimeError("the change failed halfway")
    assert store.alerts_in_state(["pending"]) == []
    with store._write("apply an incident change") as cur:  # noqa: SLF001
        assert store.insert_alerts(cur, drafts) == 2
    assert len(store.alerts_in_state(["pending"])) == 2


def test_test_alert_without_targets_prints_to_the_console(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(write_config(tmp_path, [])), "test-alert"])
    assert result.exit_code == 0, result.output
    assert "ALERT test-" in result.stdout and "TEST · sahel-monitor alert delivery check" in result.stdout
    assert "ok " in result.stdout and "console" in result.stdout


# --- through the whole pipeline -------------------------------------------------------------------------

BOULKESSI_1 = """Mali : au moins 12 soldats tués dans une attaque contre le camp militaire de Boulkessi

Des hommes armés ont attaqué mardi le camp de l'armée malienne à Boulkessi, dans la région de Mopti.
Au moins 12 soldats ont été tués, selon une source sécuritaire.
"""
BOULKESSI_2 = """Attaque de Boulkessi : le bilan s'alourdit à 45 morts, le JNIM revendique

Le bilan de l'attaque de mardi contre le camp militaire de Boulkessi, dans la région de Mopti, s'est
alourdi à 45 soldats tués, selon des sources locales. Le JNIM a revendiqué l'attaque.
"""


def test_ingested_articles_alert_new_then_escalated_and_both_arrive_once(
    tmp_path: Path, smtp: LocalSMTPServer, webhook: Webhook
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(json.dumps({
        "database": str(tmp_path / "monitor.db"),
        "alerts": {"urls": [smtp.url(), webhook.url()], "digest_every": 0},
        "incidents": {"load_seeds": False},
    }))
    (tmp_path / "first.txt").write_text(BOULKESSI_1, encoding="utf-8")
    (tmp_path / "second.txt").write_text(BOULKESSI_2, encoding="utf-8")
    runner = CliRunner()
    for name, day in (("first.txt", "2024-05-01"), ("second.txt", "2024-05-02")):
        result = runner.invoke(cli, ["--config", str(path), "ingest", str(tmp_path / name), "--published", day])
        assert result.exit_code == 0, result.output
        with Store(tmp_path / "monitor.db") as store:  # the daemon's alert job, between the two runs
            sender(store, config(smtp.url(), webhook.url())).deliver()
    assert len(smtp.messages) == 2 and len(webhook.posts()) == 2
    assert webhook.counts().most_common(1)[0][1] == 1
    new, escalated = webhook.payloads()
    assert new["subject"].startswith("NEW · ") and "Boulkessi" in new["subject"] and "12 soldiers killed" in new["subject"]
    assert escalated["subject"].startswith("ESCALATED: ") and "45 soldiers killed" in escalated["subject"]
    assert [s["publisher"] for s in escalated["incident"]["sources"]] == ["local file first.txt", "local file second.txt"]
    assert escalated["incident"]["place"]["name"] == "Boulkessi" and escalated["incident"]["id"] == new["incident"]["id"]
    assert "Since the last alert" in text_of(smtp.messages[1])
    assert smtp.subjects() == [new["subject"], escalated["subject"]]
