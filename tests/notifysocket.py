"""A stand-in for systemd's notification socket: records every datagram with its arrival time.

    with NotifyReceiver() as systemd:
        proc = start_daemon(config, env=systemd.env(watchdog_usec=1_000_000))
        systemd.wait_for("READY", timeout=5)
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Self


class NotifyReceiver:
    def __init__(self, path: Path | None = None) -> None:
        """Bound to ``path``, or by default to a fresh name in the abstract namespace."""
        self.name = str(path) if path is not None else f"@sahel-monitor-test-{uuid.uuid4().hex}"
        address: str | bytes = self.name if path is not None else b"\0" + self.name[1:].encode()
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind(address)
        self._sock.settimeout(0.1)
        self.messages: list[tuple[float, dict[str, str]]] = []  # (monotonic time, fields)
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()

    def env(self, watchdog_usec: int | None = None) -> dict[str, str]:
        env = {"NOTIFY_SOCKET": self.name}
        if watchdog_usec is not None:
            env["WATCHDOG_USEC"] = str(watchdog_usec)
        return env

    def _receive(self) -> None:
        while not self._closed.is_set():
            try:
                data = self._sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            fields = dict(line.split("=", 1) for line in data.decode().splitlines() if "=" in line)
            with self._lock:
                self.messages.append((time.monotonic(), fields))

    def times(self, key: str, value: str | None = None) -> list[float]:
        """When each message carrying ``key`` (with ``value``, if given) arrived."""
        with self._lock:
            return [t for t, f in self.messages if key in f and (value is None or f[key] == value)]

    def values(self, key: str) -> list[str]:
        with self._lock:
            return [f[key] for _, f in self.messages if key in f]

    def wait_for(self, key: str, value: str | None = None, timeout: float = 10.0, after: float = 0.0) -> float:
        """Arrival time of the first message with ``key`` (= ``value``) that came after ``after``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            arrived = [t for t in self.times(key, value) if t > after]
            if arrived:
                return arrived[0]
            time.sleep(0.02)
        raise AssertionError(f"no {key}{'=' + value if value else ''} within {timeout}s; got {self.messages}")

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=1)
        self._sock.close()
        if not self.name.startswith("@"):
            Path(self.name).unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
