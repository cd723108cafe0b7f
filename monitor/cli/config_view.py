"""What ``sahel-monitor check-config`` prints: the configuration as it takes effect, as written.

- Durations and sizes are printed as the file wrote them (``15m``, ``5MB``); a default is printed
  in the largest unit that is exact (``2h``, ``90d``, ``5MB``), so that the output reads like a
  config file and could be one.
- ``scheduler.stall_limit``, when not set, is printed as the limit the watchdog will use, with a
  comment saying so.
- Only secrets are masked, with ``***``: the value of each ``${...}`` reference (the rest of the
  string is kept), the password of ``scheme://user:password@host``, the value of a query
  parameter that carries a secret (``pass``, ``token``, ``key``... see ``SECRET_PARAMETERS``),
  and a part of a URL's host or path that looks like a token (16 or more letters, digits, ``_``
  or ``-``, letters and digits both): a Telegram bot token, a Discord webhook token.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from monitor.config import Config, LoadedConfig, parse_duration, parse_size

MASK = "***"
SECRET_PARAMETERS = frozenset({
    "pass", "password", "pwd", "secret", "token", "key", "apikey", "api_key", "access_token",
    "auth", "authorization", "webhook", "signature", "sig",
})
_REFERENCE = re.compile(r"\$\{[^}]+\}")
_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<authority>[^/?#\s]*)(?P<rest>[^\s]*)")
_TOKEN = re.compile(r"(?=[\w-]*[A-Za-z])(?=[\w-]*\d)[\w-]{16,}")
_DURATION_UNITS = (("d", 86400), ("h", 3600), ("m", 60))
_SIZE_UNITS = (("GB", 1000**3), ("GiB", 1024**3), ("MB", 1000**2), ("MiB", 1024**2), ("KB", 1000), ("KiB", 1024))


def effective_config(loaded: LoadedConfig, stall_limit: float) -> str:
    """The YAML that ``check-config`` prints; ``stall_limit`` is the watchdog's effective limit."""
    raw = _raw_config(loaded.source)
    shown = _shown(Config, loaded.config.model_dump(mode="json"), raw, "", loaded.secret_paths)
    unset = loaded.config.scheduler.stall_limit is None
    if unset:
        shown["scheduler"]["stall_limit"] = format_duration(stall_limit)
    text = yaml.safe_dump(shown, sort_keys=False, allow_unicode=True, width=1_000_000)
    if unset:
        line = f"  stall_limit: {format_duration(stall_limit)}\n"
        text = text.replace(line, line[:-1] + "  # not set: the longest one request may take, plus a minute\n", 1)
    return text


def _raw_config(source: str) -> Any:
    """The file as written, before ``${...}`` was resolved; {} when there is no file to read."""
    try:
        return yaml.safe_load(Path(source).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}


def _shown(model: type[BaseModel], data: dict[str, Any], raw: Any, path: str, secrets: set[str]) -> dict[str, Any]:
    raw = raw if isinstance(raw, dict) else {}
    out: dict[str, Any] = {}
    for name, value in data.items():
        field = model.model_fields.get(name)
        where = f"{path}.{name}" if path else name
        out[name] = _shown_value(field, value, raw.get(name), where, secrets)
    return out


def _shown_value(field: FieldInfo | None, value: Any, raw: Any, path: str, secrets: set[str]) -> Any:
    if path in secrets:
        return mask_text(_REFERENCE.sub(MASK, raw) if isinstance(raw, str) else MASK)
    item_model = _model_in(field)
    if isinstance(value, dict):
        if item_model is not None:
            return _shown(item_model, value, raw, path, secrets)
        raws = raw if isinstance(raw, dict) else {}
        return {k: _shown_value(None, v, raws.get(k), f"{path}.{k}", secrets) for k, v in value.items()}
    if isinstance(value, list):
        raws = raw if isinstance(raw, list) and len(raw) == len(value) else [None] * len(value)
        if item_model is not None:
            return [_shown(item_model, v, r, f"{path}[{i}]", secrets) for i, (v, r) in enumerate(zip(value, raws))]
        return [_shown_value(None, v, r, f"{path}[{i}]", secrets) for i, (v, r) in enumerate(zip(value, raws))]
    unit = _unit_of(field)
    if unit is not None and value is not None:
        return _as_written(unit, value, raw)
    if isinstance(value, str):
        return mask_text(value)
    return value


def _model_in(field: FieldInfo | None) -> type[BaseModel] | None:
    """The config section a field holds, itself or as list items (``feeds``)."""
    if field is None:
        return None
    for candidate in (field.annotation, *get_args(field.annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _unit_of(field: FieldInfo | None) -> str | None:
    """``duration`` or ``size`` for fields declared ``Duration`` or ``Size`` (optional or not)."""
    if field is None:
        return None
    metadata = list(field.metadata)
    for arg in get_args(field.annotation):
        metadata += getattr(arg, "__metadata__", ())
    for meta in metadata:
        parser = getattr(meta, "func", None)
        if parser is parse_duration:
            return "duration"
        if parser is parse_size:
            return "size"
    return None


def _as_written(unit: str, value: float, raw: Any) -> Any:
    """The file's own spelling when it says this value; else the value in its largest exact unit."""
    parse, fmt = (parse_duration, format_duration) if unit == "duration" else (parse_size, format_size)
    if raw is not None and not isinstance(raw, bool):
        try:
            if parse(raw) == value:
                return raw
        except ValueError:
            pass
    return fmt(value)


def format_duration(seconds: float) -> str:
    """900.0 -> ``15m``; 90.0 -> ``90s``; 0.5 -> ``0.5s``."""
    for unit, size in _DURATION_UNITS:
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def format_size(size: int) -> str:
    """5_000_000 -> ``5MB``; 524_288 -> ``512KiB``; 1500 -> ``1500B``."""
    for unit, scale in _SIZE_UNITS:
        if size >= scale and size % scale == 0:
            return f"{size // scale}{unit}"
    return f"{size}B"


# --- secrets in URLs -------------------------------------------------------------


def mask_text(text: str) -> str:
    """``text`` with the secrets of every URL in it masked, and nothing else."""
    return _URL.sub(lambda m: m["scheme"] + _masked_authority(m["authority"]) + _masked_rest(m["rest"]), text)


def _masked_authority(authority: str) -> str:
    userinfo, at, host = authority.rpartition("@")
    if at:
        user, colon, _password = userinfo.partition(":")
        userinfo = f"{user}:{MASK}" if colon else _masked_token(user)
    return userinfo + at + ":".join(_masked_token(part) for part in host.split(":"))


def _masked_rest(rest: str) -> str:
    """The path's token-like parts, and the secret query parameters' values."""
    path, question, query = rest.partition("?")
    path = "/".join(_masked_token(part) for part in path.split("/"))
    if not question:
        return path
    pairs = []
    for pair in query.split("&"):
        name, equals, value = pair.partition("=")
        secret = name.lower().lstrip("#") in SECRET_PARAMETERS and value
        pairs.append(f"{name}{equals}{MASK if secret else value}")
    return path + question + "&".join(pairs)


def _masked_token(part: str) -> str:
    return MASK if _TOKEN.fullmatch(part) else part
