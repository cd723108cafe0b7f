"""Start the real daemon as a subprocess, for signal and service tests."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def write_config(path: Path, feeds: list[dict], **extra: object) -> Path:  # type: ignore[type-arg]
    data = {
        "database": str(path.parent / "monitor.db"),
        "feeds": feeds,
        "fetch": {"timeout": "3s", "allow_private_addresses": True},
        "scheduler": {"tick": "0.5s", "jitter": 0},
        **extra,
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def start_daemon(config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), *args, "run"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )


def stop_daemon(proc: subprocess.Popen[str], timeout: float = 10.0) -> tuple[int, float, str]:
    """SIGTERM; returns exit status, seconds taken, and stderr."""
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        return -9, time.monotonic() - started, err
    return proc.returncode, time.monotonic() - started, err


def wait_for(condition: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def query(db: Path, sql: str, *params: object) -> list[tuple]:  # type: ignore[type-arg]
    """Read as a user would, with their own connection, while the daemon writes."""
    if not db.exists():
        return []
    conn = sqlite3.connect(db, timeout=5)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:
        return []  # schema not created yet
    finally:
        conn.close()
