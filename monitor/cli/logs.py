"""Logging to stderr, one line per event, friendly to journald and to log shippers.

Text lines carry no timestamp when stderr goes to journald (it adds its own),
and ``--log-format json`` writes one JSON object a line.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _not_a_skipped_run(record: logging.LogRecord) -> bool:
    # APScheduler warns at every tick that finds the last cycle still running; that is the
    # design (the store keeps what is due, max_instances=1), and a cycle that really hangs
    # is reported by the watchdog instead
    return not (record.name == "apscheduler.scheduler" and "maximum number of running" in str(record.msg))


def setup_logging(level: str = "INFO", fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_not_a_skipped_run)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    elif os.environ.get("JOURNAL_STREAM"):  # systemd: journald timestamps every line itself
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # the libraries' own chatter (one line per HTTP request, per job run) drowns the poll log
    for noisy in ("httpx", "httpcore", "apscheduler", "trafilatura", "charset_normalizer"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
