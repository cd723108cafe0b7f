"""Benchmark: the extractor (scan + reports) on synthetic ~5 KB articles, one core.

    python bench/extract_speed.py [--articles 1000] [--size 5000] [--seed 7]

The articles are bench/match.py's (sentences written for the benchmarks: French and
English incident reports, politics, sport, tech, and neutral filler). Prints one table:
load time of ``Extractor.load()`` (watch list, full gazetteer, automaton) and articles/s
through ``Extractor.read``, by CPU time (one core; a busy machine slows the wall clock) and
by wall clock. Targets: load < 1 s; >= 1,000 articles/s. One more row gives the resident
memory the loaded reader adds to the process (VmRSS after ``Extractor.load()`` less before,
Linux): every process that reads articles pays it once (the daemon, ``ingest``, ``extract``).

Two additional rows (never replacing the synthetic one) read real text from ../shared
(read, never copied): the real news pages of ../shared/corpus/pages/article-extraction-benchmark,
their text extracted with ``monitor.collect.pages.extract_page`` before the clock starts, each read
``--repeat`` times (a general news mix: most name no violence); and the five seed reports
(Sahel incident reports, the densest real text the monitor reads), with their rate also
scaled to 5 KB. The synthetic set is dense on purpose (every article of the incident kind
is all incidents).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from match import make_article, print_table

from monitor.reading import Extractor

PAGES = ROOT.parent / "shared" / "corpus" / "pages" / "article-extraction-benchmark" / "html"
SEEDS = ROOT.parent / "shared" / "seeds"


def real_texts() -> list[tuple[str, str]]:
    """(title, text) of the benchmark's real pages; [] when ../shared is not there."""
    import gzip

    from monitor.collect import extract_page

    out: list[tuple[str, str]] = []
    for path in sorted(PAGES.glob("*.html.gz")) if PAGES.is_dir() else []:
        page = extract_page(gzip.decompress(path.read_bytes()), f"https://example.org/{path.name}")
        if page.status == "ok" and page.text:
            out.append((page.title or "", page.text))
    return out


def resident_mb() -> float | None:
    """The process's resident memory (VmRSS) in MB, None where /proc does not say it."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    return next((int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:")), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="extractor throughput")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--size", type=int, default=5000, help="characters per article")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the real pages")
    args = parser.parse_args(argv)

    before = resident_mb()
    started = time.perf_counter()
    extractor = Extractor.load()
    load_time = time.perf_counter() - started
    after = resident_mb()
    reader_mb = f"{after - before:.0f} MB" if before is not None and after is not None else "n/a"

    rng = random.Random(args.seed)
    articles = [make_article(rng, args.size) for _ in range(args.articles)]
    published = date(2025, 6, 2)
    extractor.read(articles[0], published)  # caches warm, as in the daemon

    started, cpu = time.perf_counter(), time.process_time()
    readings = [extractor.read(article, published) for article in articles]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    reports = sum(len(r.reports) for r in readings)
    relevant = sum(r.relevant for r in readings)

    real = real_texts()
    real_row: list[tuple[str, str, str]] = []
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    if seeds:
        chars = sum(len(t) for t in seeds) / len(seeds)
        cpu_seeds = time.process_time()
        for _ in range(args.repeat * 8):
            for text in seeds:
                extractor.read(text, published)
        cpu_seeds = time.process_time() - cpu_seeds
        rate = len(seeds) * args.repeat * 8 / cpu_seeds
        real_row.append(
            (
                f"articles/s (read, the {len(seeds)} seed reports x {args.repeat * 8}, ~{chars / 1000:.1f} KB, CPU time)",
                f"{rate:,.0f} ({rate * chars / 5000:,.0f} per 5 KB)",
                "(additional)",
            )
        )
    if real:
        chars = sum(len(t) for _, t in real) / len(real)
        cpu_real = time.process_time()
        for _ in range(args.repeat):
            for title, text in real:
                extractor.read(text, published, title=title)
        cpu_real = time.process_time() - cpu_real
        real_row.insert(
            0,
            (
                f"articles/s (read, {len(real)} real pages x {args.repeat}, ~{chars / 1000:.1f} KB, CPU time)",
                f"{len(real) * args.repeat / cpu_real:,.0f}",
                "(additional)",
            ),
        )

    rows = [
        ("load time (Extractor.load)", f"{load_time:.3f} s", "< 1 s"),
        ("resident memory the loaded reader adds", reader_mb, "< 80 MB"),
        (
            f"articles/s (read, {args.articles} x ~{args.size // 1000} KB, CPU time)",
            f"{args.articles / cpu:,.0f}",
            ">= 1,000",
        ),
        ("articles/s (wall clock)", f"{args.articles / elapsed:,.0f}", ""),
        *real_row,
        ("reports per article", f"{reports / args.articles:.2f}", ""),
        ("relevant articles", f"{relevant}/{args.articles}", ""),
    ]
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
