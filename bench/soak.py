"""Soak: the real daemon for minutes against 200 local feeds whose items change at every poll.

Watches what would hurt a service that runs for months: resident memory (VmRSS)
and open file descriptors of the daemon, sampled every 10 s; ERROR lines in its
log; the watchdog pings under load; a clean SIGTERM at the end. Prints one table.

    python bench/soak.py [--minutes 10] [--feeds 200] [--new-items 3]

How it runs:
- A server process on 127.0.0.1 serves the feeds. Every request of a feed moves
  its window of 10 items on by ``--new-items``, with a new ETag, so every poll
  brings new articles whose pages are fetched and extracted. One article in ten
  (``--incident-share``) reports an attack (place, day, toll varying), the rest
  is ordinary news, as in a real feed; so the incident register grows too.
- The daemon is ``python -m monitor --log-format json run``, with a stand-in for
  systemd's notification socket, a 20 s watchdog and the unit's MALLOC_ARENA_MAX=2
  (without it glibc's per-thread heaps fragment and memory creeps: +10 % in 10 min).
- Feed intervals cannot go under the user-facing floor of 60 s (config.py's
  MIN_FEED_INTERVAL), so the harness, not the config, makes feeds due again:
  when the daemon reports a finished cycle (its STATUS=), the harness sets every
  feed's next_poll in the past, as a user editing the SQLite file could. With a
  1 s tick the daemon polls all feeds back to back.
- Memory growth is measured from the first sample after the warm-up (``--warmup``,
  default 60 s: imports, caches and connection pools fill up first) to the last.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from tests.feedgen import Item, article_page, rss  # noqa: E402
from tests.notifysocket import NotifyReceiver  # noqa: E402

WINDOW = 10  # items in a feed at any time
PLACES = ["Mopti", "Gao", "Tombouctou", "Ménaka", "Ségou", "Kidal", "Bandiagara", "Niono", "Douentza", "Ansongo"]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
QUIET = [  # what most news is about: no attack, no toll
    "Le prix du riz a encore augmenté cette semaine sur les marchés de Bamako, selon les commerçants.",
    "L'équipe nationale de football prépare son prochain match de qualification au stade du 26 Mars.",
    "La campagne agricole s'annonce bonne grâce à des pluies abondantes dans la région de Sikasso.",
    "Le gouvernement a présenté un nouveau plan pour l'électrification des villages du sud du pays.",
    "Un festival de musique réunit des artistes de toute la sous-région pendant trois jours à Bamako.",
]
SAMPLE_EVERY = 10.0  # seconds
WATCHDOG_USEC = 20_000_000
_CYCLE = re.compile(
    r"cycle: (\d+) feeds polled, (\d+) ok, (\d+) not modified, (\d+) failed, (\d+) new articles in ([\d.]+)s"
)


# --- the feed server (its own process, so it does not share the daemon's CPU accounting) ---


def is_incident(feed_no: int, item: int, share: float) -> bool:
    """About one article in 1/share reports an attack; the same ones at every run."""
    return share > 0 and (feed_no * 7919 + item * 104729) % round(1 / share) == 0


def place_for(feed_no: int, item: int) -> str:
    return random.Random(feed_no * 100_003 + item).choice(PLACES)


def title_for(feed_no: int, item: int, share: float) -> str:
    if is_incident(feed_no, item, share):
        return f"Attaque près de {place_for(feed_no, item)} (flux {feed_no}, dépêche {item})"
    return f"Actualité {item} du flux {feed_no}: économie, sport et société"


def page_for(feed_no: int, item: int, share: float) -> bytes:
    """An article page: an attack with its place, day and toll, or ordinary news."""
    title = title_for(feed_no, item, share)
    if not is_incident(feed_no, item, share):
        return article_page(title, [QUIET[(feed_no + item + k) % len(QUIET)] for k in range(4)])
    pick = random.Random(feed_no * 100_003 + item + 1)
    place, day = place_for(feed_no, item), pick.choice(DAYS)
    killed, victims = pick.randint(2, 40), pick.choice(["civils", "civils", "soldats"])
    return article_page(title, [
        f"Des hommes armés ont attaqué {day} le village de {place}, selon des sources locales.",
        f"Au moins {killed} {victims} ont été tués et plusieurs autres blessés, d'après un élu de la commune.",
        "Les assaillants sont repartis vers la brousse à moto; l'armée a envoyé des renforts.",
        QUIET[item % len(QUIET)],
    ])


def serve(port_queue: multiprocessing.Queue[int], new_items: int, share: float) -> None:
    polls: dict[str, int] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            parts = self.path.strip("/").split("/")
            if parts[0] == "feeds":
                self._feed(int(parts[1].split(".")[0]))
            else:
                page = page_for(int(parts[1]), int(parts[2].split(".")[0]), share)
                self._send(page, "text/html; charset=utf-8")

        def _feed(self, feed_no: int) -> None:
            with lock:
                n = polls[self.path] = polls.get(self.path, -1) + 1
            first = n * new_items
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            items = [
                Item(title=title_for(feed_no, i, share), link=f"{base}/articles/{feed_no}/{i}.html",
                     guid=f"soak-{feed_no}-{i}", summary=f"Résumé {i} du flux {feed_no}.")
                for i in range(first + WINDOW - 1, first - 1, -1)
            ]
            self._send(rss(items), "application/rss+xml", etag=f'"{n}"')

        def _send(self, body: bytes, kind: str, etag: str | None = None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

        def handle_error(self, request: object, client_address: object) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)  # type: ignore[arg-type]
            # a client closing an idle kept-alive connection is not news

    server = Server(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


# --- watching the daemon ---------------------------------------------------------------


@dataclass
class Sample:
    at: float  # seconds since the daemon started
    rss_kb: int
    fds: int


@dataclass
class LogCounts:
    lines: int = 0
    errors: int = 0
    warnings: int = 0
    first_errors: list[str] = field(default_factory=list)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def read_log(stream: IO[str], counts: LogCounts) -> None:
    for line in stream:
        counts.lines += 1
        try:
            level = json.loads(line)["level"]
        except (ValueError, KeyError, TypeError):
            level = "error"  # anything but a JSON log line (a traceback) is a fault
        if level in ("error", "critical"):
            counts.errors += 1
            if len(counts.first_errors) < 5:
                counts.first_errors.append(line.strip()[:300])
        elif level == "warning":
            counts.warnings += 1


def make_due(db: Path) -> None:
    conn = sqlite3.connect(db, timeout=30)
    try:
        with conn:
            conn.execute("UPDATE feeds SET next_poll = '2000-01-01T00:00:00Z' WHERE enabled = 1")
    finally:
        conn.close()


def write_config(path: Path, base: str, feeds: int) -> None:
    data = {
        "database": str(path.parent / "soak.db"),
        "feeds": [{"name": f"feed-{i}", "url": f"{base}/feeds/{i}.xml", "language": "fr", "interval": "60s"}
                  for i in range(feeds)],
        # all feeds share one host here: the per-host limit is raised to the pool size
        "fetch": {"timeout": "10s", "allow_private_addresses": True, "concurrency": 8, "per_host": 16,
                  "page_concurrency": 8},
        "scheduler": {"tick": "1s", "jitter": 0},
        "retention": {"irrelevant_text_after": 0},
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


# --- the run ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--new-items", type=int, default=3, help="new items per feed at every poll")
    parser.add_argument("--incident-share", type=float, default=0.1,
                        help="share of articles that report an attack (the rest is ordinary news)")
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds before the memory baseline")
    parser.add_argument("--show-samples", action="store_true", help="also list every sample")
    args = parser.parse_args()

    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, args.new_items, args.incident_share), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=10)}"

    with tempfile.TemporaryDirectory() as tmp, NotifyReceiver() as systemd:
        config, db = Path(tmp) / "config.yaml", Path(tmp) / "soak.db"
        write_config(config, base, args.feeds)
        proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config), "--log-format", "json", "run"],
            cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
            # the allocator setting of systemd/sahel-monitor.service: the daemon as it is deployed
            env={**os.environ, "MALLOC_ARENA_MAX": "2", **systemd.env(WATCHDOG_USEC)},
        )
        started = time.monotonic()
        counts = LogCounts()
        reader = threading.Thread(target=read_log, args=(proc.stderr, counts), daemon=True)
        reader.start()

        samples = run_for(proc, systemd, db, started, args.minutes * 60)
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            status = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            status = proc.wait()
        stop_took = time.monotonic() - sent
        reader.join(timeout=10)
        cycles = [tuple(map(float, m.groups())) for s in systemd.values("STATUS") if (m := _CYCLE.search(s))]
        pings = systemd.times("WATCHDOG", "1")
        articles = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
        db_mb = sum(p.stat().st_size for p in Path(tmp).glob("soak.db*")) / 1e6
    server.terminate()

    print_table(args, samples, counts, cycles, pings, status, stop_took, articles, db_mb)
    if args.show_samples:
        print("\nsamples (s, RSS MB, fds): " + ", ".join(f"{s.at:.0f} {s.rss_kb / 1024:.1f} {s.fds}" for s in samples))
    return 0 if passed(samples, counts, args.warmup, status) else 1


def run_for(proc: subprocess.Popen[str], systemd: NotifyReceiver, db: Path, started: float,
            seconds: float) -> list[Sample]:
    samples: list[Sample] = []
    seen_cycles = 0
    next_sample = started + SAMPLE_EVERY
    while time.monotonic() - started < seconds and proc.poll() is None:
        statuses = [s for s in systemd.values("STATUS") if _CYCLE.search(s)]
        if len(statuses) > seen_cycles:
            seen_cycles = len(statuses)
            make_due(db)
        if time.monotonic() >= next_sample:
            samples.append(Sample(time.monotonic() - started, rss_kb(proc.pid), open_fds(proc.pid)))
            next_sample += SAMPLE_EVERY
        time.sleep(0.2)
    return samples


def baseline(samples: list[Sample], warmup: float) -> Sample:
    return next((s for s in samples if s.at >= warmup), samples[0])


def growth(samples: list[Sample], warmup: float) -> float:
    start = baseline(samples, warmup)
    return (samples[-1].rss_kb - start.rss_kb) / start.rss_kb * 100


def fd_growth(samples: list[Sample], warmup: float) -> float:
    """Median fds open in the last third less in the first third (after warm-up).

    Kept-alive connections make the count wander by a few from one sample to the next;
    a leak lifts the whole last third.
    """
    steady = [s for s in samples if s.at >= warmup] or samples
    third = max(1, len(steady) // 3)
    return statistics.median(s.fds for s in steady[-third:]) - statistics.median(s.fds for s in steady[:third])


def passed(samples: list[Sample], counts: LogCounts, warmup: float, status: int) -> bool:
    return bool(samples) and growth(samples, warmup) < 10 and fd_growth(samples, warmup) <= 0 \
        and counts.errors == 0 and status == 0


def print_table(args: argparse.Namespace, samples: list[Sample], counts: LogCounts, cycles: list[tuple[float, ...]],
                pings: list[float], status: int, stop_took: float, articles: int, db_mb: float) -> None:
    start, end = baseline(samples, args.warmup), samples[-1]
    gaps = [b - a for a, b in itertools.pairwise(pings)]
    polled = int(sum(c[0] for c in cycles))
    median = statistics.median(c[5] for c in cycles) if cycles else 0.0
    rows = [
        ("duration", f"{args.minutes:g} min, {len(samples)} samples every {SAMPLE_EVERY:g} s"),
        ("feeds / new items per poll / attack share", f"{args.feeds} / {args.new_items} / {args.incident_share:g}"),
        ("cycles (all feeds each)", f"{len(cycles)}, median {median:.1f} s each"),
        ("feed polls: ok / failed", f"{sum(c[1] for c in cycles):.0f} / {sum(c[3] for c in cycles):.0f} of {polled}"),
        ("new articles (pages fetched, extracted)", f"{sum(c[4] for c in cycles):.0f} ({articles} in the store, {db_mb:.0f} MB)"),
        ("RSS first sample (10 s)", f"{samples[0].rss_kb / 1024:.1f} MB"),
        (f"RSS start (after {args.warmup:g} s warm-up)", f"{start.rss_kb / 1024:.1f} MB"),
        ("RSS end", f"{end.rss_kb / 1024:.1f} MB"),
        ("RSS growth start -> end (limit 10 %)", f"{growth(samples, args.warmup):+.1f} %"),
        ("RSS max", f"{max(s.rss_kb for s in samples) / 1024:.1f} MB"),
        ("open fds start / end / max", f"{start.fds} / {end.fds} / {max(s.fds for s in samples)}"),
        ("fd growth (median of last third - first third)", f"{fd_growth(samples, args.warmup):+g}"),
        ("log lines / warnings / ERRORS", f"{counts.lines} / {counts.warnings} / {counts.errors}"),
        ("watchdog pings / longest gap (timeout 20 s)", f"{len(pings)} / {max(gaps, default=0):.1f} s"),
        ("SIGTERM: exit status, seconds", f"{status}, {stop_took:.1f} s"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\nbench/soak.py: the daemon against {args.feeds} local feeds whose items change at every poll\n")
    print(f"| {'measure':<{width}} | value")
    print(f"|{'-' * (width + 2)}|{'-' * 40}")
    for name, value in rows:
        print(f"| {name:<{width}} | {value}")
    verdict = "PASS" if passed(samples, counts, args.warmup, status) else "FAIL"
    print(f"\n{verdict}: RSS growth < 10 %, no fd growth, no ERROR lines, exit 0")
    for line in counts.first_errors:
        print(f"  error: {line}")


if __name__ == "__main__":
    sys.exit(main())
