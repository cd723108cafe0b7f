"""``sahel-monitor test-alert`` and ``sahel-monitor alerts ...``: the outbox from the command line.

    sahel-monitor test-alert [--tag TAG]      a sample to every configured target, now; one line per target
    sahel-monitor alerts [--pending|--failed] the outbox, newest first
    sahel-monitor alerts show ID              one alert: its message, deliveries and every attempt
    sahel-monitor alerts retry [ID ...]       failed deliveries start again (the daemon sends them)
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any

import click

from monitor.models import Delivery, OutboxAlert


def _root() -> Any:
    """The CLI's Context (monitor.cli), from the root of the click context: no import cycle."""
    return click.get_current_context().find_root().obj


@click.command("test-alert")
@click.option("--tag", default=None, help="Only the targets that take alerts with this tag (urgent, digest...).")
def test_alert(tag: str | None) -> None:
    """Send a sample alert to every configured target now and print each target's result."""
    from monitor.alerts import draft_as_outbox, load_targets, run_test, sample_draft

    config = _root().config.alerts
    alert = draft_as_outbox(sample_draft(datetime.now(UTC)))
    if not load_targets(config):
        click.echo("no alert target configured (alerts.urls, alerts.config_file): alerts print to the console", err=True)
    results = run_test(config, alert, tag)
    if not results:
        raise click.ClickException(f"no configured target takes the tag {tag!r}")
    failed = 0
    for target, result in results:
        status = "ok" if result.ok else result.result.upper()
        failed += not result.ok
        line = f"{status:<8} {result.elapsed:5.2f}s  {target.label}"
        click.echo(line + (f"\n         {result.error}" if result.error else ""))
    click.echo(f"{len(results) - failed} of {len(results)} targets accepted the test alert", err=True)
    if failed:
        sys.exit(1)


@click.group("alerts", invoke_without_command=True)
@click.option("--pending", "which", flag_value="pending", help="Alerts not delivered yet (and those waiting for the digest).")
@click.option("--failed", "which", flag_value="failed", help="Alerts a target gave up on (see `alerts retry`).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def alerts(ctx: click.Context, which: str | None, limit: int, as_json: bool) -> None:
    """The alert outbox, newest first: state, kind, id, title and where each delivery stands."""
    if ctx.invoked_subcommand is not None:
        return
    states = {
        "pending": ["pending", "waiting"],
        "failed": ["failed"],
        None: ["pending", "waiting", "digested", "sent", "failed"],
    }[which]
    with _root().open_store() as store:
        rows = store.alerts_in_state(states, limit)
        deliveries = store.deliveries_of([a.alert_id for a in rows])
    by_alert: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        by_alert.setdefault(delivery.alert.alert_id, []).append(delivery)
    for alert in rows:
        mine = by_alert.get(alert.alert_id, [])
        click.echo(json.dumps(_as_json(alert, mine), ensure_ascii=False) if as_json else _as_lines(alert, mine))
    if not as_json:
        click.echo(f"{len(rows)} alert{'s' if len(rows) != 1 else ''}", err=True)


def _as_lines(alert: OutboxAlert, deliveries: list[Delivery]) -> str:
    lines = [f"{alert.created:%Y-%m-%d %H:%M}  {alert.state:<8} {alert.severity:<6} {alert.alert_id}", f"    {alert.title}"]
    if alert.digest_id:
        lines.append(f"    in digest {alert.digest_id}")
    if alert.state == "pending" and not deliveries:
        waiting = f" until {alert.not_before:%Y-%m-%d %H:%M} (cooldown)" if alert.not_before else ""
        lines.append(f"    not routed yet{waiting}")
    for d in deliveries:
        detail = f"sent {d.sent:%H:%M:%S}" if d.sent else f"{d.attempts} attempts, next {d.next_attempt:%H:%M:%S}"
        if d.state == "failed":
            detail = f"gave up after {d.attempts} attempts"
        lines.append(f"    {d.state:<8} {d.target}  {detail}" + (f"\n             {d.last_error}" if d.last_error and d.state != "sent" else ""))
    return "\n".join(lines)


def _as_json(alert: OutboxAlert, deliveries: list[Delivery]) -> dict[str, Any]:
    return {
        "id": alert.alert_id, "kind": alert.kind, "severity": alert.severity, "state": alert.state,
        "title": alert.title, "tags": list(alert.tags), "incident_id": alert.incident_id, "feed_id": alert.feed_id,
        "created": alert.created.isoformat(), "digest_id": alert.digest_id,
        "deliveries": [
            {"target": d.target, "state": d.state, "attempts": d.attempts, "last_error": d.last_error,
             "sent": d.sent.isoformat() if d.sent else None}
            for d in deliveries
        ],
    }


@alerts.command("show")
@click.argument("alert_id")
def show(alert_id: str) -> None:
    """One alert in full: title, Markdown body, deliveries and every attempt."""
    with _root().open_store() as store:
        alert = store.alert(alert_id)
        if alert is None:
            raise click.ClickException(f"no alert {alert_id!r} in the outbox")
        deliveries = store.deliveries_of([alert_id])
        attempts = store.attempts_of(alert_id)
    click.echo(_as_lines(alert, deliveries))
    click.echo(f"\n{alert.body}\n")
    for a in attempts:
        took = f"{a['elapsed_ms']} ms" if a["elapsed_ms"] is not None else "-"
        click.echo(f"attempt {a['attempt']} to {a['target']} at {a['started']}: {a['result']} ({took})"
                   + (f": {a['error']}" if a["error"] else ""))


@alerts.command("retry")
@click.argument("alert_ids", nargs=-1)
def retry(alert_ids: tuple[str, ...]) -> None:
    """Give failed deliveries (of these alerts, or all) a fresh set of attempts.

    An id that is not in the outbox is an error, and nothing is requeued then."""
    with _root().open_store() as store:
        unknown = [alert_id for alert_id in dict.fromkeys(alert_ids) if store.alert(alert_id) is None]
        if unknown:
            raise click.ClickException(f"not in the outbox: {', '.join(map(repr, unknown))} (see `sahel-monitor alerts`)")
        count = store.retry_failed(datetime.now(UTC), alert_ids)
    click.echo(f"{count} failed deliveries requeued; the daemon sends them within alerts.deliver_every")


def register_alert_commands(cli: click.Group) -> None:
    cli.add_command(test_alert)
    cli.add_command(alerts)
