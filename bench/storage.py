"""Storage benchmark: one incident told by thousands of outlets, and what its history costs.

One attack at one place is reported by 5,000 distinct publishers, one article each, linked
through the real register stage (candidate search in SQLite, the pure linking rules, one write
transaction per article) on a real SQLite file, as bench/link.py does; the extractor is not
involved (reports are made directly). Each outlet writes its own sentence and gives a toll
near the others', so that each is an independent voice and the toll moves now and then.

Prints one table: when the incident has 100, 500, 1,000, 2,000 and 5,000 reports, the
database's size (checkpointed, so the WAL is in it), what it grew by per report since the
empty register, the revision snapshots' share of it, and what linking one more report cost,
averaged over the last ``--block`` reports before that point. A history that copies every
source into every revision grows with the square of the sources: its bytes per report climb.

    python bench/storage.py [--block 100] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.config import IncidentsConfig
from monitor.daemon import Register
from monitor.models import ArticleRecord, Figure, Location, Report
from monitor.register import Account, Source
from monitor.store import Store

POINTS = (100, 500, 1_000, 2_000, 5_000)
EVENT_DAY = date(2025, 6, 1)
FIRST_PUBLISHED = datetime(2025, 6, 1, 18, tzinfo=UTC)
PLACE = Location("Boulkessi", "Mopti", "Douentza", "ML", 14.7936, -1.3036, "x-boulkessi", "PPL")


def vocabulary(rng: random.Random, size: int = 3_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(size)]


def account(i: int, article_id: int, published: datetime, words: list[str], rng: random.Random) -> Account:
    """Outlet ``i``'s report: its own words (no near copy of another's), a toll near the rest."""
    killed = 20 + rng.randint(0, 6)
    figure = Figure("killed", "military", killed, None, "at_least", f"at least {killed} soldiers killed")
    sentence = " ".join(rng.choice(words) for _ in range(24)).capitalize() + "."
    report = Report(
        event_date=EVENT_DAY, date_precision="day", location=PLACE, event_type="Battles",
        sub_event_type="Armed clash", actors=("JNIM", "FAMa"), figures=(figure,), fatalities=killed,
        historical=False, evidence=(sentence,),
    )  # fmt: skip
    publisher = f"outlet-{i:05d}.example.org"
    url = f"https://{publisher}/2025/06/01/attaque-boulkessi-militaires-tues-{i}"
    title = f"Mali: au moins {killed} militaires tués dans une attaque à Boulkessi ({publisher})"
    return Account(report, Source(article_id, publisher, url, title, published))


def database_bytes(store: Store) -> int:
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    return int(pages * store.db.execute("PRAGMA page_size").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block", type=int, default=100, help="reports the time per report is averaged over")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    words = vocabulary(rng)
    total = POINTS[-1]
    published = [FIRST_PUBLISHED + timedelta(seconds=20 * i) for i in range(total)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = Store(path)
        clock = {"now": FIRST_PUBLISHED}
        register = Register(store, IncidentsConfig(), lambda: None, lambda _c: [], lambda: clock["now"])  # type: ignore[arg-type, return-value]
        articles = store.save_local_articles([_article(i, p) for i, p in enumerate(published)])
        empty = database_bytes(store)
        block_started = time.perf_counter()
        for i, ((article_id, _), when) in enumerate(zip(articles, published), start=1):
            if i % args.block == 1 or args.block == 1:
                block_started = time.perf_counter()
            clock["now"] = when
            register.link([account(i, article_id, when, words, rng)], (article_id, 1.0, True))
            if i in POINTS:
                ms = 1000 * (time.perf_counter() - block_started) / min(args.block, i)
                size = database_bytes(store)
                snapshots = store.db.execute("SELECT coalesce(sum(length(CAST(snapshot AS BLOB))), 0) FROM incident_revisions").fetchone()[0]
                incidents = store.db.execute("SELECT count(*) FROM incidents").fetchone()[0]
                rows.append((i, incidents, size, (size - empty) / i, snapshots / size, ms))
        store.close()
    print(f"| reports | incidents | database | bytes/report | revision snapshots | ms/report (last {args.block}) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for reports, incidents, size, per_report, share, ms in rows:
        print(f"| {reports:,} | {incidents} | {size / 1e6:,.1f} MB | {per_report:,.0f} | {share:.0%} | {ms:.1f} |")
    print(
        f"\nempty register {empty / 1e6:.1f} MB (its {total:,} articles stored first); bytes/report is the growth"
        " past it; one write transaction per report; WAL checkpointed before each size"
    )


def _article(i: int, published: datetime) -> ArticleRecord:
    return ArticleRecord(None, None, None, f"article {i}", "", f"text {i}", published, published, "fr", "local", None, f"hash-{i}")


if __name__ == "__main__":
    main()
