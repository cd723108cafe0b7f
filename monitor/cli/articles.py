"""The ``articles`` command: stored articles with their reading state, the unread and failed ones first of all.

    sahel-monitor articles [--unread] [--failed] [--limit N] [--json]

An article is relevant, irrelevant, unread (stored, not read yet: the next cycle reads it) or
failed (its reading failed: why, when and by which reader). A failed article is read again
once the reader changes (``monitor.daemon.reader_version``): an upgrade, new reading data,
other ``watchlist.extra_terms``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click


def register_article_commands(cli: click.Group) -> None:
    cli.add_command(articles)


def _root() -> Any:
    """The CLI's Context (monitor.cli.main), from the root of the click context: no import cycle."""
    return click.get_current_context().find_root().obj


@click.command()
@click.option("--unread", is_flag=True, help="Only articles stored and not read yet.")
@click.option("--failed", is_flag=True, help="Only articles whose reading failed, with why.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1), help="At most this many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def articles(unread: bool, failed: bool, limit: int, as_json: bool) -> None:
    """Stored articles, newest first, with their reading state; --unread and --failed narrow (both: either)."""
    states = [name for name, wanted in (("unread", unread), ("failed", failed)) if wanted]
    with _root().open_store() as store:
        rows = store.articles_by_state(states, limit=limit)
        counts = store.reading_counts()
    current = _current_reader() if any(row["state"] == "failed" for row in rows) else None
    for row in rows:
        if row["state"] == "failed":
            row["retry_next_cycle"] = row["reader_version"] != current
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    else:
        click.echo(article_table(rows))
    click.echo(f"{len(rows)} shown; {reading_summary(counts)}", err=True)


def reading_summary(counts: dict[str, int]) -> str:
    """``1200 articles stored: 1195 read (40 relevant), 3 not read yet, reading failed for 2``."""
    text = f"{counts['stored']} articles stored: {counts['read']} read ({counts['relevant']} relevant)"
    if counts["unread"]:
        text += f", {counts['unread']} not read yet"
    if counts["failed"]:
        text += f", reading failed for {counts['failed']} (sahel-monitor articles --failed)"
    return text


def _current_reader() -> str:
    """The reader the daemon runs with this config: a failed article another reader failed on is read again."""
    from monitor.daemon import reader_version
    from monitor.resources import seeds_folder

    obj = _root()
    if not Path(obj.config_path).is_file():
        return reader_version()
    return reader_version(seeds_folder(obj.config.seeds_dir), obj.config.watchlist.extra_terms)


def article_table(rows: list[dict[str, Any]]) -> str:
    columns = [("id", 6), ("published", 16), ("state", 10), ("feed", 20), ("title", 60)]
    lines = ["  ".join(title.ljust(width) for title, width in columns).rstrip()]
    for row in rows:
        cells = [str(row["id"]), _when(row["published"]), row["state"], row["feed"] or "-", row["title"] or ""]
        lines.append("  ".join(cell[:width].ljust(width) for cell, (_, width) in zip(cells, columns)).rstrip())
        if row["state"] == "failed":
            retry = "the next cycle reads it again (the reader changed)" if row["retry_next_cycle"] else "read again when the reader changes"
            lines.append(f"    why: {row['read_error']}")
            lines.append(f"    failed {_when(row['read_failed_at'])} with reader {row['reader_version']}; {retry}")
        if row["state"] in ("failed", "unread") and row["url"]:
            lines.append(f"    {row['url']}")
    return "\n".join(lines)


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    return str(value) if value else "-"
