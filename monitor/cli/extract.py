"""The ``extract`` command: article text in, one JSON reading a line out (no database, no network).

    sahel-monitor extract [PATH ...] [--jsonl FILE] [--published YYYY-MM-DD] [--lang fr|en]

Inputs: each PATH is one article (its id is the path); ``--jsonl FILE`` (``-`` for standard
input) holds one ``{"id", "text", "published", "lang"?}`` object a line; with neither, the
article is read from standard input (id ``stdin``). ``--published`` is the publication date
of files and standard input, and of JSON lines without their own; it defaults to today (a
file's modification time says when it was saved, not when it was published). ``--lang``
is the language when a JSON line does not give one; without it the extractor guesses.

Output, one object a line: ``{"id", "relevant", "score", "language", "reports": [...]}``
with each report as ``monitor.reading.reports.report_to_json`` writes it.

Errors (a file that cannot be read, a line that is not a JSON object with a text, a bad
date) are reported on standard error with the file and line; the other inputs are still
read and printed, and the command exits with status 1.

An item whose reading fails (a bug in the reader on that text) is printed as ``{"id",
"error"}`` in its place, the error also on standard error; the other items go on, and the
command exits with status 3 (whether or not an input was bad too: 3 says that the output
holds error objects).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import click

from monitor.config import Config, ConfigError, load_reading_config
from monitor.reading import Extractor, Reading, report_to_json

BAD_INPUT = 1  # exit status: an input could not be read
READING_FAILED = 3  # exit status: the reading of an item failed; its line is {"id", "error"}


class InputError(Exception):
    """One input cannot be read; the message names where."""


def register_extract_command(cli: click.Group) -> None:
    cli.add_command(extract)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--jsonl",
    "jsonl",
    default=None,
    metavar="FILE",
    help='JSON Lines of {"id","text","published","lang"?}; - for stdin.',
)
@click.option(
    "--published",
    default=None,
    metavar="YYYY-MM-DD",
    help="Publication date of files and stdin (default: today).",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language when not given (default: guessed).",
)
def extract(paths: tuple[str, ...], jsonl: str | None, published: str | None, lang: str | None) -> None:
    """Read articles and print what they report, one JSON object a line (touches no database)."""
    try:
        default_day = parse_day(published) if published else date.today()
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--published") from None
    reading = _reading_config()
    extractor = Extractor.load(reading.seeds_dir, reading.watchlist.extra_terms)
    bad_inputs = failed = 0
    for outcome in _articles(paths, jsonl, default_day, lang):
        if isinstance(outcome, InputError):
            click.echo(f"Error: {outcome}", err=True)
            bad_inputs += 1
            continue
        line = _read_one(extractor, outcome)
        failed += "error" in line
        click.echo(json.dumps(line, ensure_ascii=False))
    if failed:
        sys.exit(READING_FAILED)
    if bad_inputs:
        sys.exit(BAD_INPUT)


def _read_one(extractor: Extractor, article: _Article) -> dict[str, Any]:
    """The item's reading as JSON, or ``{"id", "error"}`` when reading it fails."""
    ident, text, day, language = article
    try:
        return reading_to_json(ident, extractor.read(text, day, lang=language))
    except Exception as exc:  # a bug on one text must not cost the others their reading
        from monitor.daemon import (
            describe_failure,  # the daemon's words for it; loaded only now
        )

        error = describe_failure(exc)
        click.echo(f"Error: {ident}: reading failed: {error}", err=True)
        return {"id": ident, "error": error}


def _reading_config() -> Config:
    """The config's ``seeds_dir`` and ``watchlist.extra_terms`` when the config file
    (``--config``) exists: extract needs no config, but reads as the daemon reads."""
    path = getattr(click.get_current_context().find_root().obj, "config_path", None)
    if not path or not Path(path).is_file():
        return Config()
    try:
        return load_reading_config(path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def reading_to_json(ident: Any, reading: Reading) -> dict[str, Any]:
    out = {
        "id": ident,
        "relevant": reading.relevant,
        "score": reading.score,
        "language": reading.language,
        "reports": [report_to_json(r) for r in reading.reports],
    }
    if reading.skipped:  # what the caps on one article's cost left unread (rare: hostile or huge text)
        out["skipped"] = list(reading.skipped)
    return out


_Article = tuple[Any, str, date, str | None]


def _articles(
    paths: tuple[str, ...], jsonl: str | None, day: date, lang: str | None
) -> Iterator[_Article | InputError]:
    """Every article to read, in order, or the error that stopped one."""
    for path in paths:
        try:
            yield path, _read_file(path), day, lang
        except InputError as exc:
            yield exc
    if jsonl is not None:
        if jsonl == "-":
            yield from _json_lines(sys.stdin, "stdin", day, lang)
        else:
            try:
                handle = open(jsonl, encoding="utf-8", errors="replace")  # noqa: SIM115 (closed below)
            except OSError as exc:
                yield InputError(f"{jsonl}: cannot read: {exc.strerror}")
                return
            with handle:
                yield from _json_lines(handle, jsonl, day, lang)
    if not paths and jsonl is None:
        yield "stdin", sys.stdin.read(), day, lang


def _read_file(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def _json_lines(handle: TextIO, name: str, day: date, lang: str | None) -> Iterator[_Article | InputError]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield _record(line, day, lang)
        except InputError as exc:
            yield InputError(f"{name}:{number}: {exc}")


def _record(line: str, day: date, lang: str | None) -> _Article:
    """One JSON line: the article it holds, or an ``InputError`` saying what is wrong."""
    record = json_object(line)
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError('"text" must be a string')
    published = record.get("published")
    if published is not None and not isinstance(published, str):
        raise InputError('"published" must be a date string (YYYY-MM-DD)')
    language = record.get("lang") or lang
    if language not in (None, "fr", "en"):
        raise InputError(f'"lang" must be "fr" or "en" (got {language!r})')
    ident = record.get("id")
    ident = _valid_unicode(ident) if isinstance(ident, str) else ident
    return ident, _valid_unicode(text), parse_day(published) if published else day, language


def json_object(line: str) -> dict[str, Any]:
    """One line of JSON Lines as an object, or an ``InputError`` saying what is wrong."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(item, dict):
        raise InputError("a line must be a JSON object")
    return item


def _valid_unicode(text: str) -> str:
    """JSON may escape half a surrogate pair ("\\ud800"), which no output can encode: it becomes
    U+FFFD, as undecodable bytes of a file do; a pair written as two escapes stays one character."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def parse_day(value: str) -> date:
    """``2025-06-02`` or an ISO time (its date)."""
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value).date()
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD) or an ISO time") from None
