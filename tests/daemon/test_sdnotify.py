"""monitor.daemon.sdnotify against a real datagram socket standing in for systemd."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.daemon import sdnotify
from tests.daemonkit import wait_for
from tests.notifysocket import NotifyReceiver


@pytest.fixture
def path_receiver() -> Iterator[NotifyReceiver]:
    # a short directory: socket paths are limited to 107 bytes, pytest's tmp_path can be longer
    with tempfile.TemporaryDirectory(prefix="sdn") as tmp, NotifyReceiver(Path(tmp) / "notify") as receiver:
        yield receiver


def test_notify_sends_all_fields_in_one_datagram(path_receiver: NotifyReceiver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", path_receiver.name)

    assert sdnotify.notify(READY=1, STATUS="polling 3 feeds")

    wait_for(lambda: bool(path_receiver.messages), timeout=5, what="the datagram")
    assert [fields for _, fields in path_receiver.messages] == [{"READY": "1", "STATUS": "polling 3 feeds"}]


def test_abstract_namespace_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    with NotifyReceiver() as receiver:
        assert receiver.name.startswith("@")
        monkeypatch.setenv("NOTIFY_SOCKET", receiver.name)
        assert sdnotify.notify(WATCHDOG=1)
        wait_for(lambda: receiver.values("WATCHDOG") == ["1"], timeout=5, what="the ping")


def test_a_newline_in_a_value_cannot_forge_another_field(path_receiver: NotifyReceiver,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", path_receiver.name)
    sdnotify.notify(STATUS="feed title\nREADY=1")
    wait_for(lambda: bool(path_receiver.messages), timeout=5, what="the datagram")
    assert path_receiver.messages[0][1] == {"STATUS": "feed title READY=1"}


def test_without_notify_socket_nothing_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert sdnotify.notify(READY=1) is False


def test_a_socket_that_is_gone_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "gone"))
    assert sdnotify.notify(READY=1) is False


@pytest.mark.parametrize(("value", "address"), [
    ("/run/systemd/notify", "/run/systemd/notify"),
    ("@abstract-name", b"\0abstract-name"),
    ("vsock:2:1234", None),
    ("", None),
])
def test_socket_address_forms(value: str, address: str | bytes | None) -> None:
    assert sdnotify.notify_socket_address(value) == address


def test_watchdog_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    monkeypatch.setenv("WATCHDOG_USEC", "120000000")
    assert sdnotify.watchdog_seconds() == 120.0

    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert sdnotify.watchdog_seconds() == 120.0

    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid() + 1))  # meant for another process
    assert sdnotify.watchdog_seconds() is None

    monkeypatch.delenv("WATCHDOG_PID")
    for unset in ("", "0", "soon"):
        monkeypatch.setenv("WATCHDOG_USEC", unset)
        assert sdnotify.watchdog_seconds() is None


def test_monotonic_usec_is_the_monotonic_clock() -> None:
    import time

    before = time.monotonic_ns() // 1000
    assert before <= sdnotify.monotonic_usec() <= time.monotonic_ns() // 1000
