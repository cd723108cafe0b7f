"""``sahel-monitor feeds ...``: subscriptions in and out (OPML), and feeds turned off and on.

    sahel-monitor feeds import-opml FILE   add the feeds of an OPML file, folders kept as categories
    sahel-monitor feeds export-opml [FILE] write the subscriptions as OPML, categories as folders
    sahel-monitor feeds disable NAME       stop polling a feed; it stays off until `feeds enable`
    sahel-monitor feeds enable NAME        poll it again (also a feed the server said was gone)
    sahel-monitor feeds remove NAME        drop an imported feed, keeping its history

How they meet config.yaml: the config is the truth for the feeds it lists, so `remove` refuses
them (delete them from the config and reload). `disable` works on any feed and wins over the
config: a restart or a reload never turns a disabled feed back on, even when the config still
lists it; only `enable` does. Each command says so when it applies.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from monitor.store import FeedAdded, NewFeed


def _root() -> Any:
    """The CLI's Context (monitor.cli.main), from the root of the click context: no import cycle."""
    return click.get_current_context().find_root().obj


@click.command("import-opml")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--interval", default=1800, show_default=True, type=click.IntRange(60), help="Seconds between polls.")
def import_opml(path: Path, interval: int) -> None:
    """Add the feeds of an OPML file, its folders as categories.

    A URL already polled is not added again; a name already taken gets " (2)"; an address that
    is not http(s) is refused. Each is said, one line each."""
    from monitor.collect import OpmlError, parse_opml

    try:
        found = parse_opml(path.read_bytes())
    except OpmlError as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    entries = [NewFeed(f.name, f.url, f.language, interval, f.category) for f in found.feeds]
    with _root().open_store() as store:
        results = store.add_feeds(entries, datetime.now(UTC))
    for problem in found.refused:
        click.echo(f"{path}: refused {problem}", err=True)
    for result in results:
        if result.outcome != "added":
            click.echo(_import_line(result), err=True)
    count = {outcome: sum(r.outcome == outcome for r in results) for outcome in ("added", "renamed", "present", "revived")}
    summary = f"{count['added'] + count['renamed']} feeds added, {count['present']} already present"
    extras = [f"{count['renamed']} renamed", f"{count['revived']} revived", f"{len(found.refused)} refused"]
    click.echo(summary + "".join(f", {extra}" for extra in extras if not extra.startswith("0 ")))


def _import_line(result: FeedAdded) -> str:
    feed = result.feed
    if result.outcome == "renamed":
        return f"renamed: {feed.name!r} ({feed.url}) added as {result.stored_as!r}: the name was taken"
    if result.outcome == "revived":
        return f"revived: {result.stored_as!r} ({feed.url}), removed before, is polled again"
    return f"already present: {feed.name!r} ({feed.url}) is polled as {result.stored_as!r}"


@click.command("export-opml")
@click.argument("path", required=False, type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_opml(path: Path | None) -> None:
    """Write the subscriptions as OPML (to PATH, or standard output), categories as folders.

    Every feed but those removed or gone (HTTP 410); disabled feeds too."""
    from monitor.collect import OpmlFeed, render_opml

    with _root().open_store() as store:
        rows = store.subscriptions()
    entries = [OpmlFeed(r["name"], r["url"], r["language"], None, r["category"]) for r in rows]
    data = render_opml(entries, title="sahel-monitor feeds")
    if path is None:
        sys.stdout.buffer.write(data)
    else:
        path.write_bytes(data)
        click.echo(f"{len(entries)} feeds written to {path}", err=True)


@click.command("disable")
@click.argument("name")
def disable(name: str) -> None:
    """Stop polling a feed, from the daemon's next tick; it stays off until `feeds enable`."""
    with _root().open_store() as store:
        outcome = store.disable_feed(name, datetime.now(UTC))
        feed = _health_of(store, name)
    _refuse_unknown(outcome, name)
    if outcome == "removed":
        raise click.ClickException(f"feed {name!r} was removed: there is nothing to disable")
    if outcome == "already":
        click.echo(f"feed {name!r} was already disabled, since {feed['disabled_at']:%Y-%m-%d %H:%M} UTC")
        return
    listed = " even while config.yaml lists it," if feed["origin"] == "config" else ""
    click.echo(f"feed {name!r} disabled: not polled from the daemon's next tick, and it stays off through "
               f"restarts and reloads,{listed} until `sahel-monitor feeds enable {name}`")


@click.command("enable")
@click.argument("name")
def enable(name: str) -> None:
    """Poll a feed again from the daemon's next tick: one disabled by command or by the server (410),
    or an imported feed removed by `feeds remove`."""
    with _root().open_store() as store:
        outcome = store.enable_feed(name, datetime.now(UTC))
    _refuse_unknown(outcome, name)
    if outcome == "config_removed":
        raise click.ClickException(f"feed {name!r} is no longer in config.yaml: add it back there and reload")
    if outcome == "already":
        click.echo(f"feed {name!r} is already enabled")
        return
    click.echo(f"feed {name!r} enabled: polled at the daemon's next tick")


@click.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Stop polling an imported (OPML) feed for good; its articles and history stay.

    A feed of config.yaml is removed there (then reload): the config is the truth for it."""
    with _root().open_store() as store:
        outcome = store.remove_feed(name)
    _refuse_unknown(outcome, name)
    if outcome == "config":
        raise click.ClickException(
            f"feed {name!r} comes from config.yaml: delete it there and reload (`systemctl reload sahel-monitor`);"
            f" `sahel-monitor feeds disable {name}` stops polling it now"
        )
    if outcome == "already":
        click.echo(f"feed {name!r} was already removed")
        return
    click.echo(f"feed {name!r} removed: no longer polled; its articles stay, and importing its URL again brings it back")


def _health_of(store: Any, name: str) -> dict[str, Any]:
    return next((row for row in store.feed_health() if row["name"] == name), {})


def _refuse_unknown(outcome: str | None, name: str) -> None:
    if outcome is None:
        raise click.ClickException(
            f"no feed named {name!r} in the register (see `sahel-monitor feeds`; the feeds of config.yaml"
            " enter it when the daemon starts or reloads)"
        )


def register_feed_commands(feeds: click.Group) -> None:
    for command in (import_opml, export_opml, disable, enable, remove):
        feeds.add_command(command)
