"""The whole cycle against its floor: 181 real news pages polled from a local feed, beside
bare trafilatura on the same pages, in one run.

    python bench/pages.py [--rounds 2] [--limit N]

The pages are ../shared/corpus/pages/article-extraction-benchmark (real news sites, MIT
licence for the set; page content belongs to the publishers; read from ../shared, never
copied). A server in its own process (so it does not share the poller's interpreter lock)
serves an RSS feed whose items link to the pages. The pipeline is one real poll cycle:
fetch the feed, parse it, fetch each page, extract it (the page stage, trafilatura), read
it, link its reports into an empty register, write everything to a SQLite file. The floor
is ``trafilatura.extract`` called on the same HTML, one page after another, no network.

Each round times the floor, then a cycle on a new database; the table gives the best round
of each (the machine is shared) and the ratio floor / pipeline (the target: 0.8 or more).
The extractor's one-second load is done before the clock starts, as in the daemon. The feed's
items have titles and dates, as real feeds' do, so the page stage skips trafilatura's
metadata search (``extract_page(metadata=False)``); the floor is ``extract``'s default.
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from monitor.collect import Fetcher  # noqa: E402
from monitor.config import Config, FeedConfig, FetchConfig, IncidentsConfig  # noqa: E402
from monitor.daemon import Poller, shared_extractor  # noqa: E402
from monitor.store import Store  # noqa: E402

PAGES = ROOT.parent / "shared" / "corpus" / "pages" / "article-extraction-benchmark" / "html"
TARGET = 0.8


def load_pages(limit: int) -> list[bytes]:
    files = sorted(PAGES.glob("*.html.gz"))
    return [gzip.decompress(f.read_bytes()) for f in files[: limit or None]]


def feed_xml(count: int) -> bytes:
    items = "".join(
        f"<item><title>Page {i}</title><link>http://127.0.0.1:{{port}}/page/{i}.html</link>"
        f"<guid>page-{i}</guid><pubDate>Mon, 02 Jun 2025 08:00:00 GMT</pubDate></item>"
        for i in range(count)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Pages</title>{items}</channel></rss>'.encode()


def serve(port_queue: multiprocessing.Queue, pages: list[bytes]) -> None:  # type: ignore[type-arg]
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            port = self.server.server_address[1]
            if self.path == "/feed.xml":
                body, kind = feed_xml(len(pages)).replace(b"{port}", str(port).encode()), "application/rss+xml"
            else:
                body, kind = pages[int(self.path.rsplit("/", 1)[-1].split(".")[0])], "text/html"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


def floor(pages: list[bytes]) -> float:
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page.decode("utf-8", errors="replace"))
    return time.perf_counter() - started


def cycle(port: int, folder: Path, round_no: int) -> tuple[float, int]:
    """One poll cycle on a fresh database: (seconds, new articles)."""
    feed = FeedConfig(name="pages", url=f"http://127.0.0.1:{port}/feed.xml", interval=3600)
    config = Config(
        database=str(folder / f"pages-{round_no}.db"),
        feeds=[feed],
        fetch=FetchConfig(allow_private_addresses=True, per_host=8),
        incidents=IncidentsConfig(load_seeds=False),
    )
    with Store(config.database) as store, Fetcher(config.fetch) as fetcher:
        store.sync_feeds(config.feeds, datetime.now(UTC))
        poller = Poller(config, store, fetcher)
        try:
            started = time.perf_counter()
            summary = poller.run_cycle(store.all_feeds())
            seconds = time.perf_counter() - started
        finally:
            poller.close()
    return seconds, summary.new_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args()
    pages = load_pages(args.limit)
    ports: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=serve, args=(ports, pages), daemon=True)
    server.start()
    port = ports.get(timeout=10)
    shared_extractor()  # the extractor's load, once, before any clock
    floors, cycles = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_no in range(args.rounds):
            floors.append(floor(pages))
            cycles.append(cycle(port, Path(tmp), round_no))
    server.terminate()
    best_floor = min(floors)
    best_cycle = min(cycles)
    ratio = best_floor / best_cycle[0]
    mark = "ok" if ratio >= TARGET else "MISS"
    print(f"{'measure':<40} {'value':>10}")
    print("-" * 51)
    print(f"{'pages':<40} {len(pages):>10}")
    print(f"{'articles stored by the cycle':<40} {best_cycle[1]:>10}")
    print(f"{'bare trafilatura (s, best of rounds)':<40} {best_floor:>10.2f}")
    print(f"{'whole cycle (s, best of rounds)':<40} {best_cycle[0]:>10.2f}")
    print(f"{'  per page, bare / cycle (ms)':<40} {f'{1000 * best_floor / len(pages):.1f} / {1000 * best_cycle[0] / len(pages):.1f}':>10}")
    print(f"{'ratio bare / cycle (target 0.8)':<40} {ratio:>10.2f} {mark}")
    print(f"{'peak RSS (MB)':<40} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:>10.0f}")
    print(f"{'rounds (floor s | cycle s)':<40} {' '.join(f'{f:.2f}|{c[0]:.2f}' for f, c in zip(floors, cycles)):>10}")


if __name__ == "__main__":
    main()
