"""The incident register's commands: ``ingest``, ``incidents`` and ``seed``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import click

from monitor.config import Config


def _root() -> Any:
    """The CLI's Context (monitor.cli), from the root of the click context: no import cycle."""
    return click.get_current_context().find_root().obj


def _config() -> Config:
    """The config; with --db and no config file, the defaults on that database."""
    obj = _root()
    if obj.db and not Path(obj.config_path).exists():
        return Config(database=obj.db)
    return obj.config  # type: ignore[no-any-return]


def _published(value: str | None) -> datetime | None:
    """``2025-06-02`` (noon UTC) or an ISO time."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(12), tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or an ISO time", param_hint="--published") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _read_path(path: str) -> tuple[str, str]:
    """(text, name): a file, or standard input for ``-``."""
    if path == "-":
        return sys.stdin.read(), "stdin"
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace"), Path(path).stem
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read: {exc.strerror}") from None


def _title_of(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:300]


def register_incident_commands(cli: click.Group) -> None:
    cli.add_command(ingest)
    cli.add_command(incidents)
    cli.add_command(seed)


READING_FAILED = 3  # exit status: some article could not be read (it is stored, its failure recorded)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", default=None, help="Publication date of the articles (YYYY-MM-DD or ISO time); default now.")
@click.option("--publisher", default=None, help="Who published them; default each file's name.")
@click.option("--lang", default=None, type=click.Choice(["fr", "en"]), help="Their language; default detected.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def ingest(paths: tuple[str, ...], published: str | None, publisher: str | None, lang: str | None, as_json: bool) -> None:
    """Run article files (or - for standard input) through the whole pipeline, as if a feed had brought them.

    Then read every article stored earlier and not read yet (an interrupted run, a stopped
    daemon), whatever its age. Exits with status 3 when the reading of an article failed.
    """
    from monitor.collect import Fetcher
    from monitor.daemon import Poller, content_hash, utcnow
    from monitor.models import ArticleRecord
    from monitor.store import Store

    config = _config()
    when = _published(published)
    records, publishers = [], []
    for path in paths:
        text, name = _read_path(path)
        now = utcnow()
        records.append(
            ArticleRecord(
                guid=None, url=None, link=None, title=_title_of(text), summary="", text=text,
                published=when or now, fetched=now, language=lang, extraction_status="local",
                extraction_error=None, content_hash=content_hash(text),
            )
        )  # fmt: skip
        publishers.append(publisher or name)
    with Store(config.database) as store, Fetcher(config.fetch) as fetcher:
        poller = Poller(config, store, fetcher)
        try:
            results = poller.ingest_local(records, publishers)
            for path, result in zip(paths, results, strict=True):
                _print_result(path, result, as_json)
            earlier = poller.catch_up_all()
        except KeyboardInterrupt:
            click.echo("interrupted: what was stored stays; run again to read what is left", err=True)
            sys.exit(130)
        finally:
            poller.close()
    caught_up = [r.processed for r in results if r.processed and not r.new] + earlier
    _print_catch_up(caught_up)
    if any(r.state == "failed" for r in results) or any(p.failed for p in caught_up):
        sys.exit(READING_FAILED)


def _print_result(path: str, result: Any, as_json: bool) -> None:
    """One line (or JSON object) per path; ``result`` is an ``Ingested``."""
    done = result.processed
    if as_json:
        row: dict[str, Any] = {"path": path, "new": result.new, "article_id": result.article_id, "state": result.state}
        if done is not None:
            row |= {
                "read_now": True, "relevant": done.relevant, "score": done.score, "reports": done.reports,
                "changes": [
                    {"incident_id": c.incident_id, "state": c.state, "level": c.level, "alertable": c.alertable,
                     "reasons": list(c.reasons)}
                    for c in done.changes
                ],
            }  # fmt: skip
        if result.error:
            row["error"] = result.error
        click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(f"{path}: {_result_line(result)}")
    for c in done.changes if done else ():
        alert = ", alerts" if c.alertable else ""
        click.echo(f"    incident {c.incident_id} {c.state} ({c.level}{alert}): {'; '.join(c.reasons)}")


def _result_line(result: Any) -> str:
    done, article = result.processed, f"article {result.article_id}"
    if done is None and result.state == "failed":
        return f"{article} stored; its reading failed before: {result.error}; read again when the reader changes"
    if done is None:
        return f"already stored and read ({article}), nothing to do"
    if done.failed:
        return f"{article} stored, reading failed: {done.error}; recorded, read again when the reader changes"
    if done.error:
        return f"{article} stored, not read yet: {done.error}; the next run or the daemon reads it"
    relevance = "relevant" if done.relevant else "not relevant"
    read = f"{relevance} ({done.score:.2f}), {done.reports} reports"
    return f"{article}, {read}" if result.new else f"{article} stored earlier but not read; read now: {read}"


def _print_catch_up(done: list[Any]) -> None:
    """What was read that an earlier run (or the daemon) had stored and not read: on standard error."""
    if not done:
        return
    failed = sum(p.failed for p in done)
    relevant = sum(p.relevant for p in done)
    click.echo(f"caught up {len(done)} articles stored earlier but not read: {relevant} relevant, reading failed for {failed}", err=True)
    if failed:
        click.echo("the articles whose reading failed: sahel-monitor articles --failed", err=True)


@click.command()
@click.option("--since", default=None, help="Only incidents on or after this day (YYYY-MM-DD).")
@click.option("--limit", default=None, type=click.IntRange(1), help="At most this many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, with the tolls.")
def incidents(since: str | None, limit: int | None, as_json: bool) -> None:
    """The incident register: place, date, type, actors, killed toll as a range, publishers, state."""
    day = None
    if since is not None:
        try:
            day = date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter(f"{since!r} is not a date (YYYY-MM-DD)", param_hint="--since") from None
    with _root().open_store() as store:
        rows = store.incidents(since=day, limit=limit)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(incident_table(rows))
    click.echo(f"{len(rows)} incident{'s' if len(rows) != 1 else ''}", err=True)


def killed_range(row: dict[str, Any]) -> str:
    """``30-60 (best 31)``; ``14``; ``-`` when no one is reported killed."""
    low, best, high = row["killed_low"], row["killed_best"], row["killed_high"]
    if not high:
        return "-"
    if low == high:
        return str(low)
    return f"{low}-{high} (best {best})"


def incident_table(rows: list[dict[str, Any]]) -> str:
    columns = [("id", 5), ("date", 11), ("place", 28), ("type", 26), ("actors", 24), ("killed", 16), ("pub", 3), ("state", 9)]
    lines = ["  ".join(title.ljust(width) for title, width in columns).rstrip()]
    for row in rows:
        place = row["place"] or "?"
        if row.get("admin1") and row["admin1"] != place:
            place += f" ({row['admin1']})"
        when = row["event_date"] or "?"
        if row["date_precision"] not in ("day", None) and row["event_date"]:
            when = f"~{when}"
        state = row["state"] + (" *" if row.get("known") else "")
        cells = [
            str(row["id"]), when, place, row["event_type"] or "?", row["actors"] or "",
            killed_range(row), str(row["publishers"]), state,
        ]  # fmt: skip
        lines.append("  ".join(cell[:width].ljust(width) for cell, (_, width) in zip(cells, columns)).rstrip())
    if any(row.get("known") for row in rows):
        lines.append("* known incident (seeds/incidents.yaml)")
    return "\n".join(lines)


@click.command()
@click.option("--file", "path", default=None, type=click.Path(exists=True, dir_okay=False), help="Default: incidents.seeds of the config, else seeds/incidents.yaml.")
def seed(path: str | None) -> None:
    """Load the known incidents (idempotent: new entries are added, changed ones refreshed)."""
    from monitor.daemon import Register, shared_extractor, utcnow
    from monitor.store import Store

    config = _config()
    with Store(config.database) as store:
        extra = config.watchlist.extra_terms
        register = Register(store, config.incidents, lambda: shared_extractor(extra=extra), lambda _changes: [], utcnow)
        summary = register.load_seeds(path or config.incidents.seeds)
    total = summary.loaded + summary.updated + summary.unchanged
    click.echo(f"{total} known incidents: {summary.loaded} loaded, {summary.updated} updated, {summary.unchanged} unchanged")
