"""The daemon: time, signals and the poll cycle that wires the stages together.

Takes in: the configuration and the store. Gives out: a service that polls each feed when
it is due (``collect``), reads new articles (``reading``), links their reports into the
register (``register``) and writes the changes with their alerts (``store``), while the
alert job delivers the outbox (``alerts``). Only this stage knows about the clock and
signals; ``sahel-monitor ingest`` and ``poll --once`` drive the same cycle by hand.

- ``scheduler``: the APScheduler tick, stop and reload (``Daemon``);
- ``cycle``: one poll cycle: fetch, parse, fetch pages, extract, store (``Poller``);
- ``incident_step``: new articles read and linked into the register (``Register``); a reading
  that fails is recorded on its article (``describe_failure``) and tried again only by another
  reader (``reader_version``);
- ``watchdog``, ``sdnotify``: systemd's watchdog fed only while the loop makes progress;
- ``reload``: what a SIGHUP may change.
"""

from __future__ import annotations

from monitor.daemon.cycle import Ingested, Poller, content_hash, utcnow
from monitor.daemon.incident_step import (
    NewArticle,
    Register,
    describe_failure,
    publisher_of,
    reader_version,
    shared_extractor,
)
from monitor.daemon.scheduler import Daemon
from monitor.daemon.watchdog import stall_limit_for

__all__ = [
    "Daemon",
    "Ingested",
    "NewArticle",
    "Poller",
    "Register",
    "content_hash",
    "describe_failure",
    "publisher_of",
    "reader_version",
    "shared_extractor",
    "stall_limit_for",
    "utcnow",
]
