"""Alert delivery benchmark: bursts through the real outbox to a local SMTP server and webhook.

Each row is one ``Sender.deliver()`` batch of N pending alerts (routed, claimed, sent
with apprise, recorded: two SQLite transactions per alert) to one target on
127.0.0.1. Prints one table: wall time, alerts/s, ms per alert.

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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import apprise  # noqa: E402

from monitor.alerts import (
    Sender,  # noqa: E402
    drafts_for,  # noqa: E402
)
from monitor.config import AlertsConfig  # noqa: E402
from monitor.store import Store  # noqa: E402
from tests.alertkit import LocalSMTPServer, Webhook, change, claim  # noqa: E402
from tests.httpserver import LocalHTTPServer  # noqa: E402


def burst(url: str, count: int, workdir: Path, label: str) -> tuple[str, int, float]:
    changes = [change("NEW", incident_id=i, sources=(claim(i, "RFI Afrique", (20 + i, 30 + i), qualifier="range"),))
               for i in range(1, count + 1)]
    with Store(workdir / f"{label.replace(' ', '-')}-{count}.db") as store:
        store.add_alerts(drafts_for(changes, AlertsConfig()))
        sender = Sender(AlertsConfig(urls=[url], digest_every=0, timeout=5), store)
        started = time.monotonic()
        report = sender.deliver()
        took = time.monotonic() - started
        sender.close()
    assert report.sent == count, report.line()
    return label, count, took


def reused_apprise_object(smtp: LocalSMTPServer, count: int = 3) -> tuple[str, int, float]:
    notifier = apprise.Apprise()
    notifier.add(smtp.url())
    started = time.monotonic()
    for n in range(count):
        notifier.notify(title=f"throttled {n}", body="apprise default throttle")
    return "SMTP, apprise defaults (5.5 s throttle)", count, time.monotonic() - started


def silent_server(timeout: float | None) -> tuple[str, int, float]:
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
    return label, 1, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alerts", type=int, default=20)
    parser.add_argument("--big", type=int, default=200)
    parser.add_argument("--apprise-defaults", action="store_true")
    args = parser.parse_args()

    smtp = LocalSMTPServer().start()
    http = LocalHTTPServer().start()
    hook = Webhook(http)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for count in (args.alerts, args.big):
                rows.append(burst(smtp.url(), count, work, "SMTP (aiosmtpd)"))
                rows.append(burst(hook.url(), count, work, "webhook (json://)"))
        rows.append(silent_server(2))
        if args.apprise_defaults:
            rows.append(reused_apprise_object(smtp))
            rows.append(silent_server(None))
    finally:
        smtp.stop()
        http.stop()

    print(f"\nbench/alerts.py: delivery through the outbox to 127.0.0.1 ({len(smtp.messages)} mails received)\n")
    header = f"| {'target':<40} | {'alerts':>6} | {'wall s':>7} | {'alerts/s':>8} | {'ms/alert':>8} |"
    print(header)
    print("|" + "|".join("-" * len(c) for c in header.split("|")[1:-1]) + "|")
    for label, count, took in rows:
        print(f"| {label:<40} | {count:>6} | {took:>7.2f} | {count / took:>8.1f} | {1000 * took / count:>8.1f} |")


if __name__ == "__main__":
    main()
