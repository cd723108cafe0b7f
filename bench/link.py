"""Linking benchmark: 10,000 synthetic reports into a register that grows to about 5,000 incidents.

Each report is one article's account of one event, linked through the real register stage
(candidate search in SQLite, the pure linking rules, one write transaction per article)
on a real SQLite file; the extractor is not involved (reports are made directly). Events
happen across Mali, Burkina Faso and Niger at a steady rate over a year; each is told by one
to three outlets within a few days, so reports of different events interleave. Prints one
table: per block of 1,000 reports, the register's size and the rate, so that a cost growing
with the register would show.

    python bench/link.py [--reports 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.config import IncidentsConfig
from monitor.daemon import Register
from monitor.models import ArticleRecord, Figure, Location, Report
from monitor.register import Account, Source
from monitor.store import Store

START = date(2025, 1, 1)
TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
ACTORS = ("JNIM", "IS-Sahel", "FAMa", "Burkina-Army", "Niger-Army", "Dozo", "VDP")


@dataclass(frozen=True)
class Event:
    day: date
    place: Location
    event_type: str
    actors: tuple[str, ...]
    killed: int


def events(n: int, rng: random.Random) -> list[Event]:
    made = []
    for i in range(n):
        lat, lon = rng.uniform(10.0, 24.0), rng.uniform(-12.0, 16.0)
        place = Location(f"place {i}", "Region", f"cercle {int(lat)}:{int(lon)}", "ML", lat, lon, f"x-{i}", "PPL")
        made.append(
            Event(START + timedelta(days=i * 365 // n), place, rng.choice(TYPES), tuple(rng.sample(ACTORS, 2)), rng.randint(0, 60))
        )
    return made


def reports_of(events_: list[Event], total: int, rng: random.Random) -> list[tuple[Report, date]]:
    """``total`` reports, 1 to 3 per event, each with its publication day, in arrival order."""
    told: list[tuple[float, Report, date]] = []
    counts = [1] * len(events_)
    for _ in range(total - len(events_)):
        counts[rng.randrange(len(events_))] += 1
    for event, count in zip(events_, counts):
        for _ in range(count):
            published = event.day + timedelta(days=rng.randint(0, 3))
            when = event.day + timedelta(days=rng.choice((0, 0, 0, -1, 1)))
            figure = Figure("killed", "military", event.killed + rng.randint(0, 5), None, "at_least", "")
            report = Report(
                event_date=when, date_precision="day", location=event.place, event_type=event.event_type,
                sub_event_type=None, actors=event.actors, figures=(figure,), fatalities=figure.low or 0,
                historical=False, evidence=("a sentence",),
            )  # fmt: skip
            told.append((published.toordinal() + rng.random(), report, published))
    told.sort(key=lambda t: t[0])
    return [(r, p) for _, r, p in told]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    stream = reports_of(events(args.reports // 2, rng), args.reports, rng)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        clock = {"now": datetime(2025, 1, 1, tzinfo=UTC)}
        register = Register(store, IncidentsConfig(), lambda: None, lambda _c: [], lambda: clock["now"])  # type: ignore[arg-type, return-value]
        articles = store.save_local_articles([_article(i, p) for i, (_, p) in enumerate(stream)])
        cpu_started = time.process_time()
        block, rows, started = 1000, [], time.perf_counter()
        tick, cpu = started, time.process_time()
        for i, ((report, published), (article_id, _)) in enumerate(zip(stream, articles), start=1):
            when = datetime(published.year, published.month, published.day, 12, tzinfo=UTC)
            clock["now"] = when
            source = Source(article_id, f"outlet {i % 40}", None, f"article {i}", when)
            register.link([Account(report, source)], (article_id, 1.0, True))
            if i % block == 0 or i == len(stream):
                now, used = time.perf_counter(), time.process_time()
                incidents = store.db.execute("SELECT count(*) FROM incidents WHERE merged_into IS NULL").fetchone()[0]
                done = i - (rows[-1][0] if rows else 0)
                rows.append((i, incidents, done / (now - tick), 1000 * (now - tick) / done, 1000 * (used - cpu) / done))
                tick, cpu = now, used
        total, total_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        size = (Path(tmp) / "bench.db").stat().st_size
        merged = store.db.execute("SELECT count(*) FROM incidents WHERE merged_into IS NOT NULL").fetchone()[0]
        store.close()
    print("| reports linked | incidents | reports/s (this block) | ms/report | CPU ms/report |")
    print("|---:|---:|---:|---:|---:|")
    for done, incidents, rate, wall_ms, cpu_ms in rows:
        print(f"| {done:,} | {incidents:,} | {rate:,.0f} | {wall_ms:.2f} | {cpu_ms:.2f} |")
    print(
        f"| **all {len(stream):,}** | {rows[-1][1]:,} ({merged} merged) | **{len(stream) / total:,.0f}** |"
        f" {1000 * total / len(stream):.2f} | {1000 * total_cpu / len(stream):.2f} |"
    )
    print(f"\ndatabase {size / 1e6:.1f} MB; one write transaction per report; WAL, synchronous=NORMAL")


def _article(i: int, published: date) -> ArticleRecord:
    when = datetime(published.year, published.month, published.day, 12, tzinfo=UTC)
    return ArticleRecord(None, None, None, f"article {i}", "", f"text {i}", when, when, "en", "local", None, f"hash-{i}")


if __name__ == "__main__":
    main()
