"""Loading and validating ``config.yaml``.

Every key is checked at start. A problem raises ``ConfigError`` whose message
names the key path and what is wrong, e.g. ``feeds[3].interval: must be at
least 60 seconds``. Unknown keys are errors.

Values may be written as durations (``90s``, ``15m``, ``2h``, ``1d``) and sizes
(``512KB``, ``5MB``). Every duration and size has a ceiling (``CEILINGS``): past it a value
is a typo, and some would overflow a date at every tick. Secrets stay out of the file: any string may contain
``${NAME}`` (an environment variable), ``${file:/path}`` (a file's content) or
``${credential:NAME}`` (a systemd credential, read from
``$CREDENTIALS_DIRECTORY/NAME``). Values that came from such a reference are
masked when the configuration is printed.
"""

from __future__ import annotations

import codecs
import math
import os
import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from monitor.resources import seeds_folder

__all__ = [
    "Config",
    "ConfigError",
    "FeedConfig",
    "FetchConfig",
    "WatchlistConfig",
    "load_config",
    "load_reading_config",
    "load_watchlist_extension",
    "parse_config",
]

MIN_FEED_INTERVAL = 60

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
MB = 1000**2

# The largest value each duration (seconds) and size (bytes) may take. A value past its ceiling
# is a typo ("interval: 3000000d" passed validation, then overflowed the next poll's date at
# every tick); each ceiling is well past any sensible setting. One place, for code and docs.
CEILINGS: dict[str, float] = {
    "feeds[].interval": 30 * DAY,  # a feed polled less than monthly is no longer watched
    "fetch.timeout": 300.0,  # one request; the watchdog's stall limit grows with it
    "fetch.max_bytes": 50 * MB,  # a body is held in memory, several at once; feeds run to a few MB
    "fetch.max_backoff": 30 * DAY,  # a failing feed is still tried at least as often as the longest interval
    "fetch.page_deadline": 10 * MINUTE,  # feeds due wait for the pages of a cycle at most this long
    "scheduler.tick": HOUR,
    "scheduler.jitter": DAY,  # a spread, not a delay
    "scheduler.stall_limit": DAY,  # the default is minutes; a day lets a hung daemon hang a day
    "retention.irrelevant_text_after": 3650 * DAY,  # ten years; 0 keeps the text forever
    "retention.updated_revisions_after": 3650 * DAY,  # ten years; 0 keeps every revision
    "alerts.digest_every": 7 * DAY,  # a weekly digest at most; nothing waits longer
    "alerts.cooldown": 7 * DAY,
    "alerts.timeout": 120.0,
    "alerts.send_interval": 10 * MINUTE,
    "alerts.retry_backoff": DAY,
    "alerts.retry_max": 7 * DAY,
    "alerts.deliver_every": HOUR,
    "alerts.feed_silence_min": 365 * DAY,
}


class ConfigError(Exception):
    """The configuration cannot be used. The message names the key and the problem."""


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$", re.IGNORECASE)
_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {
    "b": 1,
    "kb": 1000,
    "kib": 1024,
    "mb": 1000**2,
    "mib": 1024**2,
    "gb": 1000**3,
    "gib": 1024**3,
}


def parse_duration(value: Any) -> float:
    """``"15m"`` -> 900.0. A bare number is seconds."""
    if isinstance(value, bool):
        raise ValueError("must be a duration such as 90s, 15m, 2h or 1d")
    if isinstance(value, (int, float)):
        return _finite(float(value), "duration")
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a duration (use e.g. 90s, 15m, 2h, 1d)")
    number, unit = match.groups()
    return _finite(float(number) * _DURATION_UNITS[(unit or "s").lower()], "duration")


def parse_size(value: Any) -> int:
    """``"5MB"`` -> 5000000. A bare number is bytes."""
    if isinstance(value, bool):
        raise ValueError("must be a size such as 512KB or 5MB")
    if isinstance(value, (int, float)):
        return int(_finite(float(value), "size"))
    match = _SIZE.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a size (use e.g. 512KB, 5MB)")
    number, unit = match.groups()
    return int(_finite(float(number) * _SIZE_UNITS[(unit or "b").lower()], "size"))


def _finite(number: float, what: str) -> float:
    """YAML's .inf and .nan are numbers; a huge literal ("1e999") becomes inf; "-5" is a number too."""
    if not math.isfinite(number):
        raise ValueError(f"must be a finite {what}")
    if number < 0:
        raise ValueError(f"must not be negative (got {number:g})")
    return number


def spoken_duration(seconds: float) -> str:
    """900 -> "15 minutes": the largest unit that divides the duration evenly."""
    for unit, name in ((DAY, "day"), (HOUR, "hour"), (MINUTE, "minute")):
        if seconds >= unit and seconds % unit == 0:
            return _count(seconds / unit, name)
    return _count(seconds, "second")


def spoken_size(size: float) -> str:
    """50000000 -> "50MB"."""
    for unit, name in ((MB, "MB"), (1000, "KB")):
        if size >= unit and size % unit == 0:
            return f"{size / unit:.0f}{name}"
    return f"{size:.0f} bytes"


def _count(number: float, unit: str) -> str:
    shown = f"{number:.0f}" if number == int(number) else f"{number:.10g}"
    return f"{shown} {unit}{'' if number == 1 else 's'}"


def _floor(seconds: float) -> AfterValidator:
    """The validator that refuses a duration shorter than ``seconds``."""

    def at_least(value: float) -> float:
        if value < seconds:
            raise ValueError(f"must be at least {spoken_duration(seconds)}")
        return value

    return AfterValidator(at_least)


def _ceiling(key: str, spoken: Any = spoken_duration) -> AfterValidator:
    """The validator that holds ``key`` to its entry in CEILINGS."""
    limit = CEILINGS[key]

    def at_most(value: Any) -> Any:
        if value is not None and value > limit:
            raise ValueError(f"must be at most {spoken(limit)} (got {spoken(value)})")
        return value

    return AfterValidator(at_most)


Duration = Annotated[float, BeforeValidator(parse_duration)]
Size = Annotated[int, BeforeValidator(parse_size)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedConfig(_Section):
    name: str = Field(min_length=1)
    url: str
    language: str | None = None  # ISO 639-1, e.g. "fr", "en"
    interval: Annotated[Duration, _ceiling("feeds[].interval")] = 900.0

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("interval")
    @classmethod
    def _interval_floor(cls, value: float) -> float:
        if value < MIN_FEED_INTERVAL:
            raise ValueError(f"must be at least {MIN_FEED_INTERVAL} seconds")
        return value

    @field_validator("language")
    @classmethod
    def _language_code(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[a-z]{2,3}", value):
            raise ValueError(f"{value!r} is not a language code such as 'fr' or 'en'")
        return value


_BOOL = TypeAdapter(bool)


class FetchConfig(_Section):
    timeout: Duration = 20.0
    max_bytes: Annotated[Size, _ceiling("fetch.max_bytes", spoken_size)] = 5_000_000
    user_agent: str = (
        "sahel-monitor/0.1 (+https://github.com/sahel-monitor/sahel-monitor; incident monitoring)"
    )
    # Non-public addresses (loopback, private, every IANA special-purpose range): refused unless
    # allowed. Feed URLs were chosen by the user, article links by whoever writes the feed, so
    # each has its own switch; unset, a switch takes allow_private_addresses.
    allow_private_addresses: bool = False
    allow_private_feed_addresses: bool = False  # unset: allow_private_addresses
    allow_private_page_addresses: bool = False  # unset: allow_private_addresses
    concurrency: int = Field(default=8, ge=1, le=64)  # feeds polled at once
    per_host: int = Field(default=2, ge=1, le=16)  # requests at once to one host
    fetch_pages: bool = True  # fetch and extract each new entry's page
    page_concurrency: int = Field(default=4, ge=1, le=32)
    # the pages of one cycle share this deadline; one not fetched by then is fetched at the next ticks
    page_deadline: Annotated[Duration, _floor(1), _ceiling("fetch.page_deadline")] = 30.0
    # a failing feed is never tried more often than a healthy one may be
    max_backoff: Annotated[Duration, _floor(MIN_FEED_INTERVAL), _ceiling("fetch.max_backoff")] = 86400.0
    max_redirects: int = Field(default=5, ge=0, le=20)

    @field_validator("timeout")
    @classmethod
    def _timeout_range(cls, value: float) -> float:
        if not 0 < value <= CEILINGS["fetch.timeout"]:
            raise ValueError("must be between 0 and 300 seconds")
        return value

    @model_validator(mode="before")
    @classmethod
    def _switches_follow_the_common_one(cls, data: Any) -> Any:
        """Unset, the feed and page switches take ``allow_private_addresses`` (as check-config shows)."""
        if not isinstance(data, dict):
            return data
        try:
            common = _BOOL.validate_python(data.get("allow_private_addresses", False))
        except ValidationError:
            return data  # reported once, under its own key
        return {"allow_private_feed_addresses": common, "allow_private_page_addresses": common, **data}

    @field_validator("max_bytes")
    @classmethod
    def _size_floor(cls, value: int) -> int:
        if value < 1024:
            raise ValueError("must be at least 1KB")
        return value


class SchedulerConfig(_Section):
    tick: Duration = 30.0  # how often due feeds are looked for
    jitter: Annotated[Duration, _ceiling("scheduler.jitter")] = 30.0  # random spread added to each next poll time
    # a tick that finishes nothing for this long is hung: the systemd watchdog pings stop.
    # None: the longest one fetch may take plus a minute (monitor.daemon.watchdog.default_stall_limit)
    stall_limit: Annotated[Duration, _ceiling("scheduler.stall_limit")] | None = None

    @field_validator("tick")
    @classmethod
    def _tick_range(cls, value: float) -> float:
        if not 0.2 <= value <= CEILINGS["scheduler.tick"]:
            raise ValueError("must be between 0.2 seconds and 1 hour")
        return value

    @field_validator("stall_limit")
    @classmethod
    def _stall_floor(cls, value: float | None) -> float | None:
        if value is not None and value < 1:
            raise ValueError("must be at least 1 second")
        return value


class RetentionConfig(_Section):
    # the text of articles that matched nothing is dropped after this long; 0 keeps it forever
    irrelevant_text_after: Annotated[Duration, _ceiling("retention.irrelevant_text_after")] = 90 * 86400.0
    # UPDATED revisions (more sources, same picture) are deleted after this long; 0 keeps them
    updated_revisions_after: Annotated[Duration, _ceiling("retention.updated_revisions_after")] = 0.0


class AlertsConfig(_Section):
    urls: list[str] = Field(default_factory=list)  # apprise URLs; empty: print to the console
    config_file: str | None = None  # an apprise YAML/TEXT configuration file, in addition to urls
    # routing: NEW/ESCALATED with this many killed (best estimate) or one of these flags is urgent
    urgent_killed: int = Field(default=10, ge=1)
    urgent_flags: list[str] = Field(default_factory=lambda: ["overrun", "hostages", "suicide"])
    # low-severity alerts gathered into one message; 0: sent one by one
    digest_every: Annotated[Duration, _ceiling("alerts.digest_every")] = 2 * 3600.0
    # between two alerts about one incident or feed; never delays ESCALATED
    cooldown: Annotated[Duration, _ceiling("alerts.cooldown")] = 1800.0
    # delivery
    timeout: Duration = 10.0  # per target: connect and each read (apprise's e-mail default is 15 s)
    # pause between two messages to one target (apprise's default: 5.5 s)
    send_interval: Annotated[Duration, _ceiling("alerts.send_interval")] = 0.0
    max_attempts: int = Field(default=30, ge=1, le=1000)
    retry_backoff: Annotated[Duration, _ceiling("alerts.retry_backoff")] = 30.0  # first retry after this; doubles
    retry_max: Annotated[Duration, _ceiling("alerts.retry_max")] = 3600.0  # ... up to this
    deliver_every: Annotated[Duration, _ceiling("alerts.deliver_every")] = 5.0  # how often alerts are looked for
    # feed health
    feed_failures: int = Field(default=5, ge=1)  # consecutive failed polls before a feed is "degraded"
    feed_silence_factor: float = Field(default=10.0, ge=2.0)  # silent this many times its usual gap
    # ... and at least this long
    feed_silence_min: Annotated[Duration, _ceiling("alerts.feed_silence_min")] = 2 * 86400.0

    @field_validator("urls")
    @classmethod
    def _apprise_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            # apprise's own "tag1,tag2=URL" form tags a target (see docs/alerts.md)
            if not re.match(r"^(?:[\w\s,:-]+=\s*)?[A-Za-z][A-Za-z0-9+.-]*://", url):
                shown = _URL_PASSWORD.sub(r"\1***\3", url)  # defined below; used only at validation time
                raise ValueError(f"{shown!r} is not an apprise URL such as mailtos://... or json://...")
        return urls

    @field_validator("config_file")
    @classmethod
    def _readable_file(cls, value: str | None) -> str | None:
        if value is not None and not Path(value).expanduser().is_file():
            raise ValueError(f"{value!r}: no such file")
        return value

    @field_validator("timeout")
    @classmethod
    def _timeout_range(cls, value: float) -> float:
        if not 0 < value <= CEILINGS["alerts.timeout"]:
            raise ValueError("must be between 0 and 120 seconds")
        return value

    @field_validator("retry_backoff", "retry_max", "deliver_every")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("must be more than 0 seconds")
        return value

    @field_validator("digest_every")
    @classmethod
    def _digest_floor(cls, value: float) -> float:
        if 0 < value < 60:
            raise ValueError("must be 0 (no digest) or at least 60 seconds")
        return value


class LogConfig(_Section):
    level: str = "INFO"
    format: str = "text"  # "text" or "json"

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        if value not in {"text", "json"}:
            raise ValueError("must be 'text' or 'json'")
        return value


ESCALATING_FLAGS = ("overrun", "territory", "hostages", "suicide")
KNOWN_FLAGS = (*ESCALATING_FLAGS, "vbied")  # what the report stage may mark (seeds/watchlist.yaml)


class IncidentsConfig(_Section):
    """How reports are linked into incidents and when an incident escalates (monitor.register)."""

    link_window_days: int = Field(default=3, ge=0, le=60)  # two dated reports this far apart may be one event
    link_distance_km: float = Field(default=25.0, gt=0, le=500)  # two places this close may be one
    freshness_days: int = Field(default=14, ge=0, le=3650)  # older events than this at publication are history
    killed_tiers: list[int] = Field(default_factory=lambda: [1, 10, 25, 50, 100])
    jump_ratio: float = Field(default=0.5, gt=0, le=100)  # a toll rise of this fraction ...
    jump_min: int = Field(default=5, ge=1)  # ... and at least this many escalates
    escalating_flags: list[str] = Field(default_factory=lambda: list(ESCALATING_FLAGS))
    claims_escalate: bool = True  # a group claiming the incident escalates it
    seeds: str | None = None  # known incidents file; None: seeds/incidents.yaml of the project
    load_seeds: bool = True  # load the known incidents at start (false: an empty register)

    @field_validator("killed_tiers")
    @classmethod
    def _ascending_tiers(cls, tiers: list[int]) -> list[int]:
        if any(t < 1 for t in tiers):
            raise ValueError("tiers must be at least 1")
        if tiers != sorted(set(tiers)):
            raise ValueError("must be distinct numbers in ascending order, e.g. [1, 10, 25, 50, 100]")
        return tiers

    @field_validator("escalating_flags")
    @classmethod
    def _known_flags(cls, flags: list[str]) -> list[str]:
        unknown = [f for f in flags if f not in KNOWN_FLAGS]
        if unknown:
            raise ValueError(f"unknown flag {unknown[0]!r} (known: {', '.join(KNOWN_FLAGS)})")
        return flags

    @field_validator("seeds")
    @classmethod
    def _seed_file(cls, value: str | None) -> str | None:
        if value is not None and not Path(value).expanduser().is_file():
            raise ValueError(f"{value!r}: no such file")
        return value


class WatchlistConfig(_Section):
    """Additions to seeds/watchlist.yaml, in its own schema (actors, events, victims,
    casualties, claims, context, off_topic, places), checked against it at load."""

    extra_terms: dict[str, Any] = Field(default_factory=dict)


class Config(_Section):
    database: str = "sahel-monitor.db"
    # the reading data (watch list, gazetteers, known incidents) laid out as the shipped
    # seeds/; None: the copy the package carries. Relative to the config file.
    seeds_dir: str | None = None
    feeds: list[FeedConfig] = Field(default_factory=list)
    fetch: FetchConfig = FetchConfig()
    scheduler: SchedulerConfig = SchedulerConfig()
    retention: RetentionConfig = RetentionConfig()
    alerts: AlertsConfig = AlertsConfig()
    incidents: IncidentsConfig = IncidentsConfig()
    watchlist: WatchlistConfig = WatchlistConfig()
    log: LogConfig = LogConfig()

    @field_validator("seeds_dir")
    @classmethod
    def _seeds_folder(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        folder = Path(value).expanduser()
        base = (info.context or {}).get("base")
        folder = folder if folder.is_absolute() or base is None else Path(base) / folder
        if not (folder / "watchlist.yaml").is_file():
            raise ValueError(f"{str(folder)!r}: no watchlist.yaml there (seeds_dir is a copy of the shipped seeds/)")
        return str(folder)

    @field_validator("feeds")
    @classmethod
    def _unique_names(cls, feeds: list[FeedConfig]) -> list[FeedConfig]:
        seen: set[str] = set()
        for feed in feeds:
            if feed.name in seen:
                raise ValueError(f"feed name {feed.name!r} is used twice")
            seen.add(feed.name)
        return feeds


# --- secrets -----------------------------------------------------------------

_REFERENCE = re.compile(r"\$\{([^}]+)\}")


def _resolve_reference(ref: str, where: str) -> str:
    if ref.startswith("file:"):
        path = Path(ref[len("file:") :]).expanduser()
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{where}: cannot read secret file {str(path)!r}: {exc.strerror}") from exc
    if ref.startswith("credential:"):
        directory = os.environ.get("CREDENTIALS_DIRECTORY")
        name = ref[len("credential:") :]
        if not directory:
            raise ConfigError(f"{where}: ${{credential:{name}}} needs CREDENTIALS_DIRECTORY (systemd LoadCredential)")
        return _resolve_reference(f"file:{Path(directory) / name}", where)
    if ref not in os.environ:
        raise ConfigError(f"{where}: environment variable {ref} is not set")
    return os.environ[ref]


def _substitute(value: Any, path: str, secret_paths: set[str]) -> Any:
    """Replace ``${...}`` references everywhere; remember where they were."""
    if isinstance(value, dict):
        return {k: _substitute(v, f"{path}.{k}" if path else str(k), secret_paths) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, f"{path}[{i}]", secret_paths) for i, v in enumerate(value)]
    if isinstance(value, str) and _REFERENCE.search(value):
        secret_paths.add(path)
        return _REFERENCE.sub(lambda m: _resolve_reference(m.group(1), path), value)
    return value


# --- errors ------------------------------------------------------------------


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _explain(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "is required"
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    if kind.endswith("_type") or kind.endswith("_parsing"):
        message = f"{message[0].lower()}{message[1:]} (got {error.get('input')!r})"
    return message[0].lower() + message[1:] if message[:1].isupper() and kind != "value_error" else message


def _format_errors(exc: ValidationError, source: str) -> str:
    lines = [f"{_key_path(tuple(e['loc']))}: {_explain(e)}" for e in exc.errors()]
    head = f"invalid configuration in {source}" if source else "invalid configuration"
    return head + ":\n  " + "\n  ".join(lines) if len(lines) > 1 else f"{head}: {lines[0]}"


# --- loading -----------------------------------------------------------------


class LoadedConfig:
    """A validated config and where its secrets are, for printing it masked."""

    def __init__(self, config: Config, secret_paths: set[str], source: str) -> None:
        self.config = config
        self.secret_paths = secret_paths
        self.source = source


_YAML_KINDS = {str: "text", list: "a list", int: "a number", float: "a number", bool: "true or false"}


def parse_config(data: Any, source: str = "", base: Path | None = None) -> LoadedConfig:
    """Validate already-loaded YAML data; relative paths (``seeds_dir``) are relative to ``base``."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        got = _YAML_KINDS.get(type(data), type(data).__name__)
        raise ConfigError(f"{source or 'config'}: the top level must be a mapping of keys (got {got})")
    secret_paths: set[str] = set()
    data = _substitute(data, "", secret_paths)
    try:
        config = Config.model_validate(data, context={"base": base})
    except ValidationError as exc:
        raise ConfigError(_format_errors(exc, source)) from None
    _check_watchlist_extension(config, source)
    return LoadedConfig(config, secret_paths, source)


def _check_watchlist_extension(config: Config, source: str) -> None:
    """An extension of the watch list is checked with the watch list it extends, at load,
    so a wrong key stops ``check-config``, the start and a reload, not the first article."""
    if not config.watchlist.extra_terms:
        return
    from monitor.reading import WatchlistError, load_watchlist

    try:
        watchlist = seeds_folder(config.seeds_dir) / "watchlist.yaml"
        load_watchlist(watchlist, config.watchlist.extra_terms, "watchlist.extra_terms")
    except WatchlistError as exc:
        head = f"invalid configuration in {source}" if source else "invalid configuration"
        raise ConfigError(f"{head}: {exc}") from None


def _read_yaml(path: Path) -> Any:
    """A config file's data; a ConfigError names the file, and the line of a YAML error.

    Every message is one line: a binary file, another encoding or a YAML bomb of nesting
    gets the same kind of answer as a misplaced colon, never a traceback.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Windows editors) is no error
    except UnicodeDecodeError as exc:
        kind = _undecodable_kind(data)
        raise ConfigError(
            f"{path}: {kind} (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "a config file is YAML saved as UTF-8"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.reader.ReaderError as exc:  # control characters: a binary file that happens to be UTF-8
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ConfigError(
            f"{path}: not a YAML text file: character U+{code:04X} at offset {exc.position} ({exc.reason})"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not a usable YAML file: nested too deeply") from None


def _undecodable_kind(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 text, not UTF-8"  # what some Windows editors save as "Unicode"
    return "a binary file" if b"\x00" in data[:4096] else "not UTF-8 text"


def load_reading_config(path: str | os.PathLike[str]) -> Config:
    """Only what reading needs of a config file (``seeds_dir``, ``watchlist.extra_terms``),
    checked: for ``extract``, which needs no database, feeds or secrets (an unset
    ``${SMTP_PASSWORD}`` must not stop it)."""
    path = Path(path)
    data = _read_yaml(path)
    keys = ("seeds_dir", "watchlist")
    reading = {key: data[key] for key in keys if isinstance(data, dict) and data.get(key) is not None}
    return parse_config(reading, str(path), base=path.parent).config


def load_watchlist_extension(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Only the ``watchlist.extra_terms`` of a config file, checked (``load_reading_config``)."""
    return load_reading_config(path).watchlist.extra_terms


def load_config(path: str | os.PathLike[str], db_override: str | None = None) -> LoadedConfig:
    """Read, substitute and validate a config file. ``database`` is relative to the file."""
    path = Path(path)
    loaded = parse_config(_read_yaml(path), str(path), base=path.parent)
    database = db_override or loaded.config.database
    if database != ":memory:" and not Path(database).expanduser().is_absolute() and not db_override:
        database = str(path.parent / database)
    loaded.config = loaded.config.model_copy(update={"database": str(Path(database).expanduser())})
    return loaded


_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)([^@\s]+)(@)")


def masked_dump(loaded: LoadedConfig) -> dict[str, Any]:
    """The effective config as plain data, secrets replaced by ``***``."""
    data = loaded.config.model_dump(mode="json")

    def mask(value: Any, path: str) -> Any:
        if path in loaded.secret_paths:
            return "***"
        if isinstance(value, dict):
            return {k: mask(v, f"{path}.{k}" if path else k) for k, v in value.items()}
        if isinstance(value, list):
            return [mask(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, str):
            return _URL_PASSWORD.sub(r"\1***\3", value)
        return value

    return mask(data, "")
