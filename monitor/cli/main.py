"""The ``sahel-monitor`` command: a thin click layer over the library."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from monitor import __version__
from monitor.cli.logs import setup_logging
from monitor.config import Config, ConfigError, LoadedConfig, load_config
from monitor.store import Store, StoreError

DEFAULT_CONFIG = "config.yaml"


class Context:
    """What the global options say; config and store are opened only when a command needs them."""

    def __init__(self, config_path: str, db: str | None) -> None:
        self.config_path = config_path
        self.db = db
        self._loaded: LoadedConfig | None = None

    @property
    def loaded(self) -> LoadedConfig:
        if self._loaded is None:
            self._loaded = load_config(self.config_path, db_override=self.db)
        return self._loaded

    @property
    def config(self) -> Config:
        return self.loaded.config

    def open_store(self) -> Store:
        """--db alone is enough for commands that only read or edit the store."""
        if self.db and not Path(self.config_path).exists():
            return Store(self.db)
        return Store(self.config.database)


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config", "config_path", default=DEFAULT_CONFIG, show_default=True, envvar="SAHEL_MONITOR_CONFIG",
    help="Configuration file (env SAHEL_MONITOR_CONFIG).",
)
@click.option("--db", default=None, envvar="SAHEL_MONITOR_DB", help="SQLite file; overrides `database` in the config (env SAHEL_MONITOR_DB).")
@click.option("--log-level", default=None, type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@click.option("--log-format", default=None, type=click.Choice(["text", "json"]), help="json: one object a line.")
@click.version_option(__version__, prog_name="sahel-monitor")
@click.pass_context
def cli(ctx: click.Context, config_path: str, db: str | None, log_level: str | None, log_format: str | None) -> None:
    """Watch news feeds for armed-conflict incidents in Mali and the Sahel."""
    ctx.obj = Context(config_path, db)
    setup_logging((log_level or "INFO").upper(), log_format or "text")
    ctx.meta["log_overrides"] = (log_level, log_format)


def _apply_log_config(ctx: click.Context, config: Config) -> None:
    level, fmt = click.get_current_context().find_root().meta.get("log_overrides", (None, None))
    setup_logging((level or config.log.level).upper(), fmt or config.log.format)


@cli.command()
@pass_context
def run(obj: Context) -> None:
    """Run the daemon: poll feeds on schedule until SIGTERM or SIGINT; SIGHUP reloads the config."""
    from monitor.daemon import Daemon

    config = obj.config
    ctx = click.get_current_context()
    _apply_log_config(ctx, config)

    def reload_config() -> Config:
        # read afresh (not the cached copy); the command line's log options still win
        reloaded = load_config(obj.config_path, db_override=obj.db).config
        _apply_log_config(ctx, reloaded)
        return reloaded

    sys.exit(Daemon(config, reload_config=reload_config).run())


@cli.command()
@click.option("--once", is_flag=True, required=True, help="Poll every enabled feed once, now, and exit.")
@click.option("--feed", "feed_name", default=None, help="Only this feed (by name).")
@pass_context
def poll(obj: Context, once: bool, feed_name: str | None) -> None:
    """Poll feeds once, now, whatever their schedule says."""
    from monitor.collect import Fetcher
    from monitor.daemon import Poller, utcnow

    config = obj.config
    _apply_log_config(click.get_current_context(), config)
    with Store(config.database) as store, Fetcher(config.fetch) as fetcher:
        store.sync_feeds(config.feeds, utcnow())
        feeds = [f for f in store.all_feeds() if f.enabled]
        if feed_name is not None:
            feeds = [f for f in store.all_feeds() if f.name == feed_name]
            if not feeds:
                raise click.BadParameter(f"no feed named {feed_name!r}", param_hint="--feed")
        poller = Poller(config, store, fetcher)
        try:
            summary = poller.run_cycle(feeds)
        finally:
            poller.close()
    click.echo(summary.line())


@cli.command("check-config")
@pass_context
def check_config(obj: Context) -> None:
    """Validate the configuration and print it as it takes effect, secrets masked."""
    from monitor.cli.config_view import effective_config
    from monitor.daemon import stall_limit_for

    loaded = obj.loaded
    click.echo(f"# {loaded.source}: valid, {len(loaded.config.feeds)} feeds", err=True)
    click.echo(effective_config(loaded, stall_limit_for(loaded.config)), nl=False)


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@pass_context
def search(obj: Context, query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Full-text search of article titles and text (accents ignored)."""
    with obj.open_store() as store:
        rows = store.search(" ".join(query), limit=limit)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
        return
    for row in rows:
        click.echo(f"{_when(row.get('published'))[:10]}  {row['title']}\n    {row.get('url') or ''}")
        if row.get("snippet"):
            click.echo(f"    {row['snippet']}")
    click.echo(f"{len(rows)} result{'s' if len(rows) != 1 else ''}", err=True)


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def feeds(ctx: click.Context, as_json: bool) -> None:
    """Feed health: state, errors and why, last success, next poll; then how the articles stand."""
    if ctx.invoked_subcommand is not None:
        return
    with ctx.find_object(Context).open_store() as store:
        rows = store.feed_health()
        counts = store.reading_counts()
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
        return
    click.echo(_health_table(rows))
    click.echo(reading_summary(counts))


def _health_table(rows: list[dict[str, Any]]) -> str:
    columns = [("name", 24), ("state", 9), ("errors", 6), ("last success", 20), ("next poll", 20), ("items", 6)]
    lines = ["  ".join(title.ljust(width) for title, width in columns)]
    for row in rows:
        cells = [
            str(row["name"])[:24], str(row["state"]), str(row["error_count"]),
            _when(row.get("last_success")), _when(row.get("next_poll")), str(row.get("items_total") or 0),
        ]
        if row.get("disabled_at"):
            cells[1] = "disabled"
        if not row.get("enabled", True):
            cells[4] = "-"
        lines.append("  ".join(c.ljust(w) for c, (_, w) in zip(cells, columns)).rstrip())
        if row.get("disabled_at"):
            lines.append(f"    why: `sahel-monitor feeds disable` on {_when(row['disabled_at'])}; `feeds enable` polls it again")
        elif row.get("last_error") and row["state"] != "ok":
            lines.append(f"    why: {row['last_error']}")
    return "\n".join(lines)


def _when(value: Any) -> str:
    if not value:
        return "never"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    return str(value)[:16]


from monitor.cli.alerts import register_alert_commands  # noqa: E402
from monitor.cli.articles import reading_summary, register_article_commands  # noqa: E402
from monitor.cli.feeds import register_feed_commands  # noqa: E402
from monitor.cli.incidents import register_incident_commands  # noqa: E402

register_alert_commands(cli)
register_article_commands(cli)
register_feed_commands(feeds)
register_incident_commands(cli)

from monitor.cli.extract import register_extract_command  # noqa: E402

register_extract_command(cli)

from monitor.cli.starter import register_init_command  # noqa: E402

register_init_command(cli)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except ConfigError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except StoreError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
