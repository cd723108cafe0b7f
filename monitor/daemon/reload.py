"""What a SIGHUP reload may take from a re-read config, and how to say what changed.

A new configuration is taken whole or not at all: when it does not load, the
error (naming the key) is logged and the daemon keeps the one it runs on. The
database cannot move under a running daemon, so a changed ``database`` is kept
as it was, with a warning, until the next restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from monitor.config import Config, ConfigError

__all__ = ["describe_changes", "load_new_config"]

log = logging.getLogger("monitor.daemon")

def load_new_config(load: Callable[[], Config], current: Config) -> Config | None:
    """The config to switch to, or None (logged) when the running one must stay."""
    try:
        new = load()
    except ConfigError as exc:
        log.error("reload refused, still running on the previous configuration: %s", exc)
        return None
    except Exception:  # a bug in reloading must not take down a service that runs for months
        log.exception("reload refused, still running on the previous configuration")
        return None
    if new.database != current.database:
        log.warning("reload: database %s needs a restart to take effect; still writing to %s",
                    new.database, current.database)
        new = new.model_copy(update={"database": current.database})
    return new


def describe_changes(old: Config, new: Config) -> str:
    """One line for the log: feeds added, removed, changed; sections changed."""
    before = {feed.name: feed for feed in old.feeds}
    after = {feed.name: feed for feed in new.feeds}
    parts = [
        _named("added", [name for name in after if name not in before]),
        _named("removed", [name for name in before if name not in after]),
        _named("changed", [name for name in after if name in before and after[name] != before[name]]),
    ]
    sections = [name for name in Config.model_fields if name not in ("database", "feeds")]
    parts += [f"{name} settings changed" for name in sections if getattr(old, name) != getattr(new, name)]
    return "; ".join(p for p in parts if p) or "no change"


def _named(what: str, names: list[str]) -> str:
    if not names:
        return ""
    return f"{len(names)} feed{'s' if len(names) != 1 else ''} {what} ({', '.join(names)})"
