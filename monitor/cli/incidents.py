"""The incident register's commands: ``ingest``, ``incidents`` and ``seed``.

``ingest`` takes what a user saved through exactly what a feed's articles go through: an HTML
page through the page stage (trafilatura) as a fetched page, a text as it is, then the store,
the reader and the register. It works in batches, so that memory holds one batch of pages
whatever the number of files, and shows its progress: a bar on a terminal, a log line every
``LOG_EVERY`` inputs otherwise.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from itertools import islice
from pathlib import Path
from typing import IO, Any, Self

import click

from monitor.cli.extract import InputError, _valid_unicode, json_object
from monitor.config import Config

log = logging.getLogger("monitor.ingest")


def _root() -> Any:
    """The CLI's Context (monitor.cli), from the root of the click context: no import cycle."""
    return click.get_current_context().find_root().obj


def _config() -> Config:
    """The config; with --db and no config file, the defaults on that database."""
    obj = _root()
    if obj.db and not Path(obj.config_path).exists():
        return Config(database=obj.db)
    return obj.config  # type: ignore[no-any-return]


def _published(value: str | None, where: str = "--published") -> datetime | None:
    """``2025-06-02`` (noon UTC) or an ISO time."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(12), tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or an ISO time", param_hint=where) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _title_of(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:300]


def register_incident_commands(cli: click.Group) -> None:
    cli.add_command(ingest)
    cli.add_command(incidents)
    cli.add_command(seed)


# --- ingest: inputs ----------------------------------------------------------------------

NOT_STORED = 1  # exit status: an input gave no article (unreadable, a bad JSON line, a page without text)
READING_FAILED = 3  # exit status: some article could not be read (it is stored, its failure recorded)
INGEST_BATCH = 10  # inputs stored and read together: what memory holds at once
MAX_INPUT_BYTES = 20_000_000  # more is no article (the page stage reads 8 MB of HTML at most)
MAX_PUBLISHER_CHARS = 100
LOG_EVERY = 100  # without a terminal, a progress line in the log every this many inputs
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
# a page saved without its suffix still starts like one (after a BOM, an XML declaration, comments)
_HTML_START = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
    re.IGNORECASE | re.DOTALL,
)
_ITEM_KEYS = {"id", "text", "html", "published", "publisher", "url", "title", "lang"}


class NotStored(InputError):
    """An input that gave no article: where it is, and why."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class LocalItem:
    """One input: a file, standard input or a line of a JSON Lines file, as the user gave it."""

    where: str  # how the output names it: the path, "-", or FILE:LINE
    name: str  # the file's name; the publisher of last resort is "local file NAME"
    body: bytes | str  # a page's bytes (the page stage decodes them), or an article's text
    html: bool
    published: datetime | None = None
    publisher: str | None = None
    url: str | None = None
    title: str | None = None
    lang: str | None = None
    ident: Any = None


@dataclass(frozen=True)
class LocalArticle:
    """What an input made: the article to store (an ``ArticleRecord``, with its publisher)."""

    where: str
    ident: Any
    record: Any


@dataclass(frozen=True)
class IngestDefaults:
    """What the command line says for every input that does not say it itself."""

    published: datetime | None
    publisher: str | None
    lang: str | None


def local_inputs(paths: Iterable[str], jsonl: str | None) -> Iterator[LocalItem | NotStored]:
    """Every input in order, read one at a time (the next is read only when asked for)."""
    for path in paths:
        try:
            yield _read_file(path)
        except NotStored as exc:
            yield exc
    if jsonl is None:
        return
    if jsonl == "-":
        yield from _json_items(sys.stdin, "stdin")
        return
    try:
        handle = open(jsonl, encoding="utf-8", errors="replace")  # noqa: SIM115 (closed below)
    except OSError as exc:
        yield NotStored(jsonl, f"cannot read: {exc.strerror}")
        return
    with handle:
        yield from _json_items(handle, jsonl)


def _read_file(path: str) -> LocalItem:
    """A file (``.gz`` too) or standard input: HTML by its suffix or its first bytes, else text."""
    name = "stdin" if path == "-" else Path(path).name
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        if name.endswith(".gz"):
            name = name.removesuffix(".gz")
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(MAX_INPUT_BYTES + 1)
    except IsADirectoryError:
        raise NotStored(path, "is a directory") from None
    except OSError as exc:  # gzip's BadGzipFile too
        raise NotStored(path, f"cannot read: {exc.strerror or exc}") from None
    except EOFError:
        raise NotStored(path, "cannot read: the gzip file is cut short") from None
    if len(data) > MAX_INPUT_BYTES:
        raise NotStored(path, f"larger than {MAX_INPUT_BYTES // 1_000_000} MB: not an article")
    if name.lower().endswith(_HTML_SUFFIXES) or _HTML_START.match(data[:4096]):
        return LocalItem(path, name, data, html=True)
    return LocalItem(path, name, data.decode("utf-8", errors="replace"), html=False)


def _json_items(handle: IO[str], name: str) -> Iterator[LocalItem | NotStored]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield _json_item(line, f"{name}:{number}", Path(name).name)
        except InputError as exc:
            yield NotStored(f"{name}:{number}", str(exc))
        except click.BadParameter as exc:
            yield NotStored(f"{name}:{number}", f'"published": {exc.message}')


def _json_item(line: str, where: str, name: str) -> LocalItem:
    """One JSON line: ``text`` or ``html``, and optionally ``published``, ``publisher``,
    ``url``, ``title``, ``lang``, ``id``. ``text`` wins when both are given."""
    item = json_object(line)
    unknown = sorted(set(item) - _ITEM_KEYS)
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r} (known: {', '.join(sorted(_ITEM_KEYS))})")
    strings = {key: _string(item, key) for key in _ITEM_KEYS - {"id"}}
    if not (strings["text"] or strings["html"]):
        raise InputError('needs a "text" or an "html" string')
    if strings["lang"] not in (None, "fr", "en"):
        raise InputError(f'"lang" must be "fr" or "en" (got {strings["lang"]!r})')
    url = strings["url"]
    if url is not None and not re.match(r"^https?://[^\s/]+", url):
        raise InputError(f'"url" must be an http(s) URL (got {url!r})')
    text, html = strings["text"], strings["html"]
    return LocalItem(
        where, name, text if text else html.encode("utf-8"), html=not text,  # type: ignore[union-attr]
        published=_published(strings["published"], '"published"'), publisher=strings["publisher"],
        url=url, title=strings["title"], lang=strings["lang"], ident=item.get("id"),
    )  # fmt: skip


def _string(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f'"{key}" must be a string (got {type(value).__name__})')
    return _valid_unicode(value).strip() or None


def local_article(item: LocalItem | NotStored, defaults: IngestDefaults) -> LocalArticle | NotStored:
    """The article an input makes, or why it makes none (``NotStored``).

    A page goes through the page stage as a fetched page does: its text, title, date,
    language and site name. The publisher: the item's own, else ``--publisher``, else the
    page's site name, else the host of the item's URL, else "local file NAME".
    """
    from monitor.collect import canonical_url, extract_page
    from monitor.daemon import content_hash, publisher_of, utcnow
    from monitor.models import ArticleRecord

    if isinstance(item, NotStored):
        return item
    published, lang, site = item.published or defaults.published, item.lang or defaults.lang, None
    if item.html:
        body = item.body if isinstance(item.body, bytes) else item.body.encode()
        page = extract_page(body, item.url or "", metadata=published is None)  # a date given: none looked for
        if page.status != "ok":
            return NotStored(item.where, page.error or "no article text found in the page")
        text, title, site = page.text, item.title or page.title or _title_of(page.text), page.site_name
        published, lang = published or page.published, lang or page.language
    else:
        text = item.body if isinstance(item.body, str) else item.body.decode("utf-8", errors="replace")
        title = item.title or _title_of(text)
        if not text.strip():
            return NotStored(item.where, "empty")
    fallback = publisher_of(item.url, f"local file {item.name}")
    publisher = (item.publisher or defaults.publisher or site or fallback)[:MAX_PUBLISHER_CHARS]
    now = utcnow()
    record = ArticleRecord(
        guid=None, url=canonical_url(item.url) if item.url else None, link=item.url, title=title[:300],
        summary="", text=text, published=published or now, fetched=now, language=lang,
        extraction_status="local", extraction_error=None, content_hash=content_hash(text), publisher=publisher,
    )  # fmt: skip
    return LocalArticle(item.where, item.ident, record)


def batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(items, size)):
        yield batch


def _count_lines(path: str | None) -> int:
    """Non-blank lines of a JSON Lines file, for the progress bar; 0 when it cannot say."""
    if path is None or path == "-":
        return 0
    try:
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return 1  # the input error is told when the file is read


# --- ingest: progress ------------------------------------------------------------------------


@dataclass
class IngestTally:
    done: int = 0
    stored: int = 0
    relevant: int = 0
    not_stored: int = 0
    failed: int = 0
    read_again: list[Any] = field(default_factory=list)  # stored by an earlier run, read by this one

    def line(self, total: int) -> str:
        of = f" of {total}" if total else ""
        return (
            f"{self.done}{of} inputs done: {self.stored} new articles, {self.relevant} relevant, "
            f"{self.not_stored} not stored, reading failed for {self.failed}"
        )


class _ClearLine(logging.Filter):
    """Log lines start on a line of their own, not after the progress bar."""

    def filter(self, record: logging.LogRecord) -> bool:
        click.echo("\r\033[K", nl=False, err=True)
        return True


class IngestProgress:
    """A bar on standard error when it is a terminal; else a log line every ``LOG_EVERY`` inputs."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.tally = IngestTally()
        self._bar: Any = None
        self._clear = _ClearLine()
        if total and sys.stderr.isatty():
            self._bar = click.progressbar(length=total, label="ingest", file=sys.stderr)

    @property
    def shows_bar(self) -> bool:
        return self._bar is not None

    def __enter__(self) -> Self:
        if self._bar is not None:
            self._bar.__enter__()
            for handler in logging.getLogger().handlers:
                handler.addFilter(self._clear)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            for handler in logging.getLogger().handlers:
                handler.removeFilter(self._clear)
            self._bar.__exit__(*exc)

    def echo(self, line: str, err: bool = False) -> None:
        """A line of output, above the bar."""
        if self._bar is not None:
            click.echo("\r\033[K", nl=False, err=True)
        click.echo(line, err=err)

    def advance(self, count: int) -> None:
        before, self.tally.done = self.tally.done, self.tally.done + count
        if self._bar is not None:
            self._bar.update(count)
        elif before // LOG_EVERY != self.tally.done // LOG_EVERY:
            log.info("%s", self.tally.line(self.total))


# --- ingest: the command ---------------------------------------------------------------------


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--jsonl", default=None, metavar="FILE", help='JSON Lines of {"text" or "html", "published", "publisher", "url", "title", "lang", "id"}; - for stdin.')
@click.option("--published", default=None, help="Publication date (YYYY-MM-DD or ISO time) of inputs that do not say; default: the page's own date, else now.")
@click.option("--publisher", default=None, help="Who published inputs that do not say; default: the page's site name, else the URL's host, else 'local file NAME'.")
@click.option("--lang", default=None, type=click.Choice(["fr", "en"]), help="Their language; default: the page's, else detected.")
@click.option("--batch", "batch_size", default=INGEST_BATCH, show_default=True, type=click.IntRange(1, 1000), help="Inputs stored and read together (memory holds one batch).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def ingest(
    paths: tuple[str, ...], jsonl: str | None, published: str | None, publisher: str | None, lang: str | None,
    batch_size: int, as_json: bool,
) -> None:  # fmt: skip
    """Run saved articles through the whole pipeline, as if a feed had brought them: text files,
    HTML pages (.html, .htm, or any file that starts as one; .gz too) read as fetched pages
    are, - for standard input, or the items of a JSON Lines file.

    Then read every article stored earlier and not read yet (an interrupted run, a stopped
    daemon), whatever its age. Exits with status 3 when the reading of an article failed,
    1 when an input gave no article (it is named on standard error).
    """
    from monitor.collect import Fetcher
    from monitor.daemon import Poller
    from monitor.store import Store

    if not paths and jsonl is None:
        raise click.UsageError("give files, - for standard input, or --jsonl FILE")
    config = _config()
    defaults = IngestDefaults(_published(published), publisher, lang)
    # each input becomes its article as the batch is filled: a page's bytes are dropped at once
    articles = (local_article(item, defaults) for item in local_inputs(paths, jsonl))
    with Store(config.database) as store, Fetcher(config.fetch) as fetcher:
        poller = Poller(config, store, fetcher)
        try:
            with IngestProgress(len(paths) + _count_lines(jsonl)) as progress:
                for batch in batches(articles, batch_size):
                    _ingest_batch(poller, batch, progress, as_json)
            tally = progress.tally
            earlier = poller.catch_up_all()
        except KeyboardInterrupt:
            click.echo("\ninterrupted: what was stored stays; run again to read what is left", err=True)
            sys.exit(130)
        finally:
            poller.close()
    if not progress.shows_bar:  # the log's last word
        log.info("%s", tally.line(progress.total))
    caught_up = tally.read_again + earlier
    _print_catch_up(caught_up)
    if tally.failed or any(p.failed for p in earlier):
        sys.exit(READING_FAILED)
    if tally.not_stored:
        sys.exit(NOT_STORED)


def _ingest_batch(poller: Any, batch: list[LocalArticle | NotStored], progress: IngestProgress, as_json: bool) -> None:
    """Store and read one batch; one line of output per input, in order."""
    articles = [a for a in batch if isinstance(a, LocalArticle)]
    results = iter(poller.ingest_local([a.record for a in articles]))
    tally = progress.tally
    for entry in batch:
        if isinstance(entry, NotStored):
            tally.not_stored += 1
            progress.echo(f"Error: {entry}; nothing stored", err=True)
            if as_json:
                row = {"path": entry.where, "state": "not stored", "error": entry.reason}
                progress.echo(json.dumps(row, ensure_ascii=False))
            continue
        result = next(results)
        if result.processed and not result.new:
            tally.read_again.append(result.processed)
        tally.stored += result.new
        tally.relevant += bool(result.processed and result.processed.relevant)
        tally.failed += result.state == "failed"
        _print_result(entry, result, as_json, progress)
    progress.advance(len(batch))


def _print_result(article: LocalArticle, result: Any, as_json: bool, progress: IngestProgress) -> None:
    """One line (or JSON object) per input; ``result`` is an ``Ingested``."""
    done = result.processed
    if as_json:
        row: dict[str, Any] = {"path": article.where, "new": result.new, "article_id": result.article_id}
        row["state"] = result.state
        if article.ident is not None:
            row["id"] = article.ident
        if done is not None:
            row |= {
                "read_now": True, "publisher": article.record.publisher, "relevant": done.relevant, "score": done.score, "reports": done.reports,
                "changes": [
                    {"incident_id": c.incident_id, "state": c.state, "level": c.level, "alertable": c.alertable,
                     "reasons": list(c.reasons)}
                    for c in done.changes
                ],
            }  # fmt: skip
        if result.error:
            row["error"] = result.error
        progress.echo(json.dumps(row, ensure_ascii=False))
        return
    progress.echo(f"{article.where}: {_result_line(result)}")
    for c in done.changes if done else ():
        alert = ", alerts" if c.alertable else ""
        progress.echo(f"    incident {c.incident_id} {c.state} ({c.level}{alert}): {'; '.join(c.reasons)}")


def _result_line(result: Any) -> str:
    done, article = result.processed, f"article {result.article_id}"
    if done is None and result.state == "failed":
        return f"{article} stored; its reading failed before: {result.error}; read again when the reader changes"
    if done is None:
        return f"already stored and read ({article}), nothing to do"
    if done.failed:
        return f"{article} stored, reading failed: {done.error}; recorded, read again when the reader changes"
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


# numbers are never cut: their columns widen to the longest (an incident told by 2,000
# outlets is not "200"); text is cut to its column
_NUMBER_COLUMNS = frozenset({0, 6})


def incident_table(rows: list[dict[str, Any]]) -> str:
    columns = [("id", 5), ("date", 11), ("place", 28), ("type", 26), ("actors", 24), ("killed", 16), ("pub", 3), ("state", 9)]
    table = [_incident_cells(row) for row in rows]
    columns = [
        (title, max([width, *(len(cells[i]) for cells in table)]) if i in _NUMBER_COLUMNS else width)
        for i, (title, width) in enumerate(columns)
    ]
    lines = ["  ".join(title.ljust(width) for title, width in columns).rstrip()]
    for cells in table:
        lines.append("  ".join(cell[:width].ljust(width) for cell, (_, width) in zip(cells, columns)).rstrip())
    if any(row.get("known") for row in rows):
        lines.append("* known incident (seeds/incidents.yaml)")
    return "\n".join(lines)


def _incident_cells(row: dict[str, Any]) -> list[str]:
    place = row["place"] or "?"
    if row.get("admin1") and row["admin1"] != place:
        place += f" ({row['admin1']})"
    when = row["event_date"] or "?"
    if row["date_precision"] not in ("day", None) and row["event_date"]:
        when = f"~{when}"
    state = row["state"] + (" *" if row.get("known") else "")
    return [
        str(row["id"]), when, place, row["event_type"] or "?", row["actors"] or "",
        killed_range(row), str(row["publishers"]), state,
    ]  # fmt: skip


@click.command()
@click.option("--file", "path", default=None, type=click.Path(exists=True, dir_okay=False), help="Default: incidents.seeds of the config, else the incidents.yaml of seeds_dir or of the package.")
def seed(path: str | None) -> None:
    """Load the known incidents (idempotent: new entries are added, changed ones refreshed)."""
    from monitor.daemon import Register, reader_version, shared_extractor, utcnow
    from monitor.resources import known_incidents_file, seeds_folder
    from monitor.store import Store

    config = _config()
    seeds, extra = seeds_folder(config.seeds_dir), config.watchlist.extra_terms
    with Store(config.database) as store:
        register = Register(
            store, config.incidents, lambda: shared_extractor(seeds, extra), lambda _changes: [], utcnow,
            reader_version(seeds, extra),
        )  # fmt: skip
        summary = register.load_seeds(path or known_incidents_file(config.incidents.seeds, seeds))
    total = summary.loaded + summary.updated + summary.unchanged
    click.echo(f"{total} known incidents: {summary.loaded} loaded, {summary.updated} updated, {summary.unchanged} unchanged")
