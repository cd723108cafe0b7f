"""systemd's notification protocol, without a dependency: one datagram per message.

    notify(READY=1, STATUS="polling 23 feeds")  # "READY=1\\nSTATUS=polling 23 feeds"

The message goes to the AF_UNIX datagram socket named by ``$NOTIFY_SOCKET``
(a path, or ``@name`` for the abstract namespace). Outside systemd the variable
is unset and every call is a no-op, so the daemon runs the same in a terminal.
A lost notification is never worth stopping the service for: failures are
logged at debug level and reported as ``False``.

``watchdog_seconds()`` reads ``$WATCHDOG_USEC`` (and ``$WATCHDOG_PID``, which
must name this process when set): systemd restarts the service when it hears
no ``WATCHDOG=1`` for that long.
"""

from __future__ import annotations

import logging
import os
import socket
import time

__all__ = ["monotonic_usec", "notify", "notify_socket_address", "watchdog_seconds"]

log = logging.getLogger("monitor.sdnotify")


def notify_socket_address(value: str | None = None) -> str | bytes | None:
    """The address to send to: a path, abstract bytes for ``@name``, or None when not under systemd."""
    value = os.environ.get("NOTIFY_SOCKET") if value is None else value
    if not value:
        return None
    if value.startswith("@"):
        # Linux abstract namespace: a leading NUL instead of the '@', no file on disk
        return b"\0" + value[1:].encode()
    if value.startswith("/"):
        return value
    return None  # vsock: and other forms are for VMs and containers we do not run in


def notify(**fields: object) -> bool:
    """Send ``KEY=value`` lines to systemd in one datagram. True when sent."""
    address = notify_socket_address()
    if address is None or not fields:
        return False
    message = "\n".join(f"{key}={_one_line(value)}" for key, value in fields.items())
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode("utf-8"))
    except OSError as exc:
        log.debug("sd_notify %s failed: %s", ",".join(fields), exc)
        return False
    return True


def watchdog_seconds() -> float | None:
    """systemd's watchdog timeout for this process, or None when no watchdog is armed."""
    pid = os.environ.get("WATCHDOG_PID")
    if pid and pid.strip() != str(os.getpid()):
        return None  # the variables were meant for another process (a parent)
    try:
        usec = int(os.environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec / 1_000_000 if usec > 0 else None


def monotonic_usec() -> int:
    """CLOCK_MONOTONIC in microseconds, as ``RELOADING=1`` wants it in ``MONOTONIC_USEC``."""
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000


def _one_line(value: object) -> str:
    # a newline would start a new KEY=value pair: a feed title must not forge READY=1
    return " ".join(str(value).splitlines())
