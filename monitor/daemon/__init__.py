"""The daemon: time, signals and the poll cycle that wires the stages together.

Takes in: the configuration and the store. Gives out: a service that polls each feed when
it is due (``collect``), reads new articles (``reading``), links their reports into the
register (``register``) and writes the changes with their alerts (``store``), while the
alert job delivers the outbox (``alerts``). Only this stage knows about the clock and
signals; ``sahel-monitor ingest`` and ``poll --once`` drive the same cycle by hand.

- ``scheduler``: the APScheduler tick, stop and reload (``Daemon``);
- ``cycle``: one poll cycle: fetch, parse, fetch pages, extract, store (``Poller``);
- ``incident_step``: new articles read and linked into the register (``Register``);
- ``watchdog``, ``sdnotify``: systemd's watchdog fed only while the loop makes progress;
- ``reload``: what a SIGHUP may change.
"""

from __future__ import annotations

from monitor.daemon.cycle import Poller, content_hash, utcnow
from monitor.daemon.incident_step import NewArticle, Register, shared_extractor
from monitor.daemon.scheduler import Daemon

__all__ = ["Daemon", "NewArticle", "Poller", "Register", "content_hash", "shared_extractor", "utcnow"]
