"""Benchmark: how reading time grows with the length of one article (issue 12).

    python bench/read_scaling.py [--sizes 10000,100000,1000000,5000000] [--kinds prose,places]

Reads texts of growing size that feeds do send (a page of one line, a list of place
names) and texts made to be costly (no sentence end, one word or one toll repeated), each
once with ``Extractor.read``, and prints one table: CPU seconds by kind and size, the
characters read per second, and what the caps of ``monitor.reading.limits`` skipped. The
cost must grow no faster than the text (the per-character rate must not fall as the size
grows) and stay well under a second an article: the caps bound what one article may cost,
so past ``MAX_CHARS`` the time stays flat. Before the caps, a 1.6 MB line took 33 s, a
5 MB line over 120 s and a 360 KB list of place names 74 s.

The sentences are written for the benchmarks (bench/match.py's); the place names come
from the project's own gazetteer (seeds/gazetteer.csv). Targets: under 1 s for every row;
the rate of the largest size of a kind at least that of 100 KB of it, allowing for the caps.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from match import INCIDENT_EN, INCIDENT_FR, NEUTRAL, PLACES, REGIONS

from monitor.reading import Extractor

PUBLISHED = date(2025, 6, 3)
TARGET_SECONDS = 1.0


def _sentence(rng: random.Random) -> str:
    template = rng.choice(INCIDENT_FR + INCIDENT_EN + NEUTRAL)
    return template.format(
        place=rng.choice(PLACES), place2=rng.choice(PLACES), region=rng.choice(REGIONS), n=rng.randint(2, 40)
    )


def _repeat(size: int, piece: Callable[[int], str], sep: str) -> str:
    parts: list[str] = []
    length = i = 0
    while length < size:
        part = piece(i)
        parts.append(part)
        length += len(part) + len(sep)
        i += 1
    return sep.join(parts)[:size]


def _gazetteer_names() -> list[str]:
    with (ROOT / "seeds" / "gazetteer.csv").open(encoding="utf-8", newline="") as handle:
        return [row["name"] for row in csv.DictReader(handle)]


def make_texts(rng: random.Random, names: list[str]) -> dict[str, Callable[[int], str]]:
    """Text makers by kind: each takes a size in characters."""
    def name(i: int) -> str:
        return names[(i * 7919) % len(names)]  # a stride through the gazetteer: distinct places
    return {
        "prose, one line": lambda n: _repeat(n, lambda i: _sentence(rng), " "),
        "no sentence end": lambda n: _repeat(n, lambda i: _sentence(rng).replace(".", ","), " "),
        "list of place names": lambda n: "Attaques à " + _repeat(n, name, ", ") + " : 12 civils tués.",
        "an incident a line": lambda n: _repeat(n, lambda i: f"Attaque à {name(i)} : {i % 40 + 2} civils tués.", "\n"),
        "one word repeated": lambda n: _repeat(n, lambda i: "tués", " "),
        "tolls in one sentence": lambda n: "Bilan : " + _repeat(n, lambda i: f"{i % 90 + 2} soldats tués à {name(i)}", ", "),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="reading time against text length")
    parser.add_argument("--sizes", default="10000,100000,1000000,5000000", help="characters, comma-separated")
    parser.add_argument("--kinds", default="", help="kinds to run (default: all), comma-separated prefixes")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    extractor = Extractor.load()
    makers = make_texts(random.Random(args.seed), _gazetteer_names())
    wanted = [k for k in makers if not args.kinds or any(k.startswith(p) for p in args.kinds.split(","))]
    widths = (max(len(k) for k in makers), 11, 9, 7)
    header = ("text", "characters", "CPU s", "MB/s")
    print(_row(header, widths) + "  skipped by the caps", flush=True)
    worst = 0.0
    for kind in wanted:
        for size in sizes:  # a row at a time: a slow row shows before the table ends
            text = makers[kind](size)
            start = time.process_time()
            reading = extractor.read(text, PUBLISHED)
            seconds = time.process_time() - start
            worst = max(worst, seconds)
            skipped = "; ".join(getattr(reading, "skipped", ())) or "-"
            rate = f"{len(text) / seconds / 1e6:.2f}" if seconds > 0 else "-"
            print(_row((kind, f"{len(text):,}", f"{seconds:.3f}", rate), widths) + f"  {skipped}", flush=True)
    print(f"worst {worst:.3f} s (target < {TARGET_SECONDS:.0f} s an article: {'ok' if worst < TARGET_SECONDS else 'MISS'})")
    return 0


def _row(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))


if __name__ == "__main__":
    raise SystemExit(main())
