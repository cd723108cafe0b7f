"""`sahel-monitor ingest` of saved news pages: time, peak memory and what the pages made.

    python bench/ingest.py [--pages 600] [--batch N]

The pages are the 181 real news pages of ../shared/corpus/pages/article-extraction-benchmark
(MIT licence for the set; page content belongs to the publishers; read from ../shared, never
copied into the project). They are written as .html files into a scratch folder outside the
repository, repeated with a small change to every paragraph (" (copy N)") until there are
``--pages`` distinct pages, then ingested by one `sahel-monitor ingest` process on a new
database with no known incidents, as a user replaying an archive would.

The command runs in its own process (``python -m monitor`` of this interpreter, so an
earlier version of the package can be measured by putting its tree first on PYTHONPATH);
its wall time and peak RSS (``wait4``) are what the table gives, with the articles stored,
the relevant ones, the incidents they made and the stored texts that still hold HTML tags
(what a page stage that read raw markup left). The target: under 200 MB peak RSS.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "corpus" / "pages" / "article-extraction-benchmark" / "html"
TARGET_MB = 200
_PARAGRAPH_END = re.compile(rb"</p>", re.IGNORECASE)


def write_pages(folder: Path, count: int) -> list[Path]:
    """``count`` distinct pages: the corpus, then copies whose every paragraph says which copy."""
    sources = [gzip.decompress(f.read_bytes()) for f in sorted(PAGES.glob("*.html.gz"))]
    if not sources:
        sys.exit(f"no pages in {PAGES}: the bench needs ../shared beside the project")
    paths = []
    for i in range(count):
        copy, page = divmod(i, len(sources))
        body = sources[page] if copy == 0 else _PARAGRAPH_END.sub(f" (copy {copy})</p>".encode(), sources[page])
        path = folder / f"{i:04d}.html"
        path.write_bytes(body)
        paths.append(path)
    return paths


def ingest(folder: Path, paths: list[Path], batch: int | None) -> tuple[float, int, int]:
    """Run ingest in its own process: (seconds, peak RSS in kB, exit status)."""
    command = [sys.executable, "-m", "monitor", "--config", str(folder / "config.yaml"), "ingest", "--json"]
    if batch:
        command += ["--batch", str(batch)]
    started = time.perf_counter()
    with open(folder / "ingest.out", "wb") as out, open(folder / "ingest.err", "wb") as err:
        process = subprocess.Popen([*command, *map(str, paths)], cwd=folder, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss, process.returncode


def outcome(database: Path) -> dict[str, int]:
    """What the run left in the register (read straight from the SQLite file)."""
    with sqlite3.connect(database) as db:

        def one(sql: str) -> int:
            return int(db.execute(sql).fetchone()[0])

        return {
            "articles": one("SELECT count(*) FROM articles"),
            "relevant": one("SELECT count(*) FROM articles WHERE relevant = 1"),
            "incidents": one("SELECT count(*) FROM incidents"),
            "with tags": one("SELECT count(*) FROM articles WHERE text LIKE '%</%>%' OR text LIKE '%<div%'"),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--batch", type=int, default=0, help="ingest's --batch (default: its own)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        folder = Path(tmp)
        (folder / "config.yaml").write_text("database: ingest.db\nincidents:\n  load_seeds: false\n", encoding="utf-8")
        paths = write_pages(folder, args.pages)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        seconds, peak_kb, status = ingest(folder, paths, args.batch or None)
        if status not in (0, 3):
            sys.exit(f"ingest failed ({status}):\n{(folder / 'ingest.err').read_text(errors='replace')[-2000:]}")
        found = outcome(folder / "ingest.db")
    peak_mb = peak_kb / 1024
    rows = [
        ("pages (distinct .html files)", f"{len(paths)}"),
        ("HTML in (MB)", f"{megabytes:.1f}"),
        ("wall time (s)", f"{seconds:.1f}"),
        ("pages/s", f"{len(paths) / seconds:.1f}"),
        (f"peak RSS (MB, target < {TARGET_MB})", f"{peak_mb:.0f} {'ok' if peak_mb < TARGET_MB else 'MISS'}"),
        ("articles stored", f"{found['articles']}"),
        ("  whose text holds HTML tags", f"{found['with tags']}"),
        ("  relevant", f"{found['relevant']}"),
        ("incidents made", f"{found['incidents']}"),
        ("exit status", f"{status}"),
    ]
    print(f"{'measure':<36} {'value':>10}")
    print("-" * 47)
    for label, value in rows:
        print(f"{label:<36} {value:>10}")


if __name__ == "__main__":
    main()
