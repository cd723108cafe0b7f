"""Alert delivery benchmark: bursts through the real outbox to a local SMTP server and webhook.

Each row is one ``Sender.deliver()`` batch of N pending alerts (routed, claimed, sent
with apprise, recorded: two SQLite transactions per alert) to one target on
127.0.0.1. Prints one table: wall time, alerts/s, ms per alert, and the peak of
Python memory allocated during the batch (tracemalloc, measured in a second run of
the same burst so that tracing does not slow the timed one; it counts what the
local servers keep of what they received, too).

The ``digest`` row gathers the N alerts into one digest first (not timed) and sends
that one message to the webhook: its document carries every member's document.

    python bench/alerts.py [--alerts 20] [--big 200] [--apprise-defaults]

``--apprise-defaults`` adds two rows that show what sahel-monitor avoids, and takes
about 30 s: three mails through one reused apprise object with its default 5.5 s
throttle, and one try at an SMTP server that accepts the connection but never
answers, with apprise's default 15 s e-mail timeout instead of ``alerts.timeout``.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import apprise  # noqa: E402

from monitor.alerts import (
    Sender,  # noqa: E402
    drafts_for,  # noqa: E402
)
from monitor.config import AlertsConfig  # noqa: E402
from monitor.store import Store  # noqa: E402
from tests.alertkit import NOW, LocalSMTPServer, Webhook, change, claim  # noqa: E402
from tests.httpserver import LocalHTTPServer  # noqa: E402

Row = tuple[str, int, float, float | None]  # label, alerts, seconds, peak MiB


def burst(url: str, count: int, workdir: Path, label: str, digest: bool = False) -> Row:
    """``count`` alerts (or one digest of them) delivered in one batch: timed, then traced."""
    took, _ = _deliver(url, count, workdir / f"{label.replace(' ', '-')}-{count}.db", digest)
    _, peak = _deliver(url, count, workdir / f"{label.replace(' ', '-')}-{count}-traced.db", digest, trace=True)
    return label, count, took, peak


def _deliver(url: str, count: int, path: Path, digest: bool, trace: bool = False) -> tuple[float, float | None]:
    changes = [change("NEW", incident_id=i, sources=(claim(i, "RFI Afrique", (20 + i, 30 + i), qualifier="range"),))
               for i in range(1, count + 1)]
    config = AlertsConfig(urls=[url], digest_every=3600 if digest else 0, timeout=5)
    severity = AlertsConfig(urgent_killed=10_000) if digest else AlertsConfig()  # the digest gathers small ones
    with Store(path) as store:
        store.add_alerts(drafts_for(changes, severity))
        sender = Sender(config, store, clock=lambda: NOW + timedelta(hours=1))
        if digest:
            sender.deliver()  # the alerts wait for the digest
            sender.make_digest()
        expected = 1 if digest else count
        took, peak, report = _measure(sender.deliver, trace)
        sender.close()
    assert report.sent == expected, report.line()
    return took, peak


def _measure(run: Callable[[], object], trace: bool) -> tuple[float, float | None, object]:
    if trace:
        tracemalloc.start()
    started = time.monotonic()
    result = run()
    took = time.monotonic() - started
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return took, peak, result


def reused_apprise_object(smtp: LocalSMTPServer, count: int = 3) -> Row:
    notifier = apprise.Apprise()
    notifier.add(smtp.url())
    started = time.monotonic()
    for n in range(count):
        notifier.notify(title=f"throttled {n}", body="apprise default throttle")
    return "SMTP, apprise defaults (5.5 s throttle)", count, time.monotonic() - started, None


def silent_server(timeout: float | None) -> Row:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)  # accepts, never greets
    url = f"mailto://127.0.0.1:{sock.getsockname()[1]}?from=a@sahel.example&to=b@sahel.example"
    notifier = apprise.Apprise()
    notifier.add(url if timeout is None else f"{url}&cto={timeout}")
    started = time.monotonic()
    notifier.notify(title="x", body="x")
    took = time.monotonic() - started
    sock.close()
    label = "silent SMTP, apprise default timeout" if timeout is None else f"silent SMTP, timeout {timeout:g}s"
    return label, 1, took, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alerts", type=int, default=20)
    parser.add_argument("--big", type=int, default=200)
    parser.add_argument("--apprise-defaults", action="store_true")
    args = parser.parse_args()

    smtp = LocalSMTPServer().start()
    http = LocalHTTPServer().start()
    hook = Webhook(http)
    rows: list[Row] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for count in (args.alerts, args.big):
                rows.append(burst(smtp.url(), count, work, "SMTP (aiosmtpd)"))
                rows.append(burst(hook.url(), count, work, "webhook (json://, the document)"))
            rows.append(burst(hook.url(), args.big, work, "webhook, one digest of them", digest=True))
        rows.append(silent_server(2))
        if args.apprise_defaults:
            rows.append(reused_apprise_object(smtp))
            rows.append(silent_server(None))
    finally:
        smtp.stop()
        http.stop()

    sizes = [len(r.body) for r in hook.posts()]
    print(f"\nbench/alerts.py: delivery through the outbox to 127.0.0.1 ({len(smtp.messages)} mails, "
          f"{len(sizes)} webhook posts of {min(sizes)}–{max(sizes)} bytes received)\n")
    header = (f"| {'target':<40} | {'alerts':>6} | {'wall s':>7} | {'alerts/s':>8} | {'ms/alert':>8} "
              f"| {'peak MiB':>8} |")
    print(header)
    print("|" + "|".join("-" * len(c) for c in header.split("|")[1:-1]) + "|")
    for label, count, took, peak in rows:
        shown = f"{peak:>8.1f}" if peak is not None else f"{'':>8}"
        print(f"| {label:<40} | {count:>6} | {took:>7.2f} | {count / took:>8.1f} | {1000 * took / count:>8.1f} "
              f"| {shown} |")


if __name__ == "__main__":
    main()
