"""Poll benchmark: 1,000 feeds of 50 items each, served from a local server.

Two cycles through the real pipeline (fetcher, parser, store; page fetches off):
the first gets every feed with 200 and stores 50,000 articles, the second gets
304 for all. Prints one table: wall time, feeds/s, items/s, peak RSS.

    python bench/poll.py [--feeds 1000] [--items 50] [--concurrency 16]

The feed server runs in its own process so that it does not share the
poller's interpreter lock. All feeds are on one host, so the per-host limit is
raised to the pool size here.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.collect import Fetcher  # noqa: E402
from monitor.config import Config, FeedConfig, FetchConfig, SchedulerConfig  # noqa: E402
from monitor.daemon import Poller  # noqa: E402
from monitor.store import Store  # noqa: E402
from tests.feedgen import items_for, rss  # noqa: E402


def serve(port_queue: "multiprocessing.Queue[int]", feeds: int, items: int) -> None:
    bodies: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            feed_no = int(self.path.rsplit("/", 1)[-1].split(".")[0])
            body = bodies.get(self.path)
            if body is None:
                body = bodies[self.path] = rss(items_for("http://127.0.0.1", feed_no, items))
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    port_queue.put(server.server_address[1])
    server.serve_forever()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, args.feeds, args.items), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=10)}"

    with tempfile.TemporaryDirectory() as tmp:
        config = Config(
            database=str(Path(tmp) / "bench.db"),
            feeds=[FeedConfig(name=f"feed-{i}", url=f"{base}/feeds/{i}.xml", language="fr", interval=3600)
                   for i in range(args.feeds)],
            fetch=FetchConfig(allow_private_addresses=True, fetch_pages=False,
                              concurrency=args.concurrency, per_host=min(args.concurrency, 16)),
            scheduler=SchedulerConfig(jitter=0),
        )
        store = Store(config.database)
        fetcher = Fetcher(config.fetch)
        poller = Poller(config, store, fetcher, rng=random.Random(0))
        store.sync_feeds(config.feeds, datetime.now(UTC))
        feeds = store.all_feeds()

        rows = []
        for label in ("first (200, parse, store)", "repeat (304)"):
            started = time.perf_counter()
            summary = poller.run_cycle(store.all_feeds() if rows else feeds)
            wall = time.perf_counter() - started
            items = summary.new_articles if not rows else 0
            rows.append((label, wall, summary, items))
        poller.close()
        fetcher.close()
        store.close()
    server.terminate()

    print(f"\nbench/poll.py: {args.feeds} feeds x {args.items} items, concurrency {args.concurrency}, "
          f"page fetches off\n")
    header = f"| {'cycle':<27} | {'wall s':>7} | {'feeds/s':>8} | {'items/s':>8} | {'ok':>5} | {'304':>5} | {'failed':>6} | {'new articles':>12} |"
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    for label, wall, s, items in rows:
        print(f"| {label:<27} | {wall:>7.2f} | {s.polled / wall:>8.0f} | {items / wall:>8.0f} | "
              f"{s.ok:>5} | {s.not_modified:>5} | {s.failed:>6} | {s.new_articles:>12} |")
    print(f"\npeak RSS of the poller process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
