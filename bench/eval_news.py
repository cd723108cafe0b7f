"""Evaluate reading on real news: false alarms on ordinary news, and French incident lines.

    python bench/eval_news.py [--show-alerts] [--misses METRIC] [--show 20]

Three development sets of ../shared/data/news (evaluation only, never copied):

* BBC Afrique, French (211 articles) and BBC News, English (472): ordinary news (politics,
  business, sport, health, technology). Each set goes through the whole pipeline as
  ``sahel-monitor ingest`` takes it: one empty register (no known incidents), every article
  stored, read and linked, the alerts drafted into the outbox. The sets carry no dates, so
  every article is published on ``PUBLISHED`` (mid-range of 2019-2022); an event the text
  dates more than 14 days earlier is history and never alerts, so the table also counts
  the incidents history hides (``incidents``), the stricter measure. Only two BBC Afrique
  articles report a Sahel incident (twelve detainees dead in cells at Fada N'Gourma;
  fifteen killed at Dibilou, Pissila): they must alert, every other alert is false.
* Malilink (278 French incident lines of 2015-2016): ``evenement`` and ``victimes`` make an
  article published on the coded ``date``; its first report is scored: relevant; place
  within 25 km of the coded OCHA locality (``point_id``, or either end of a road,
  ``depart_id``/``arrivee_id``); date; deaths (``nbr_morts``) against ``fatalities``.

One table is printed. ``--show-alerts`` lists every alert the BBC sets raise with the
article's headline; ``--misses METRIC`` a sample of the Malilink rows a metric misses.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from ocha import read_localities  # noqa: E402

from monitor.collect import Fetcher  # noqa: E402
from monitor.config import Config, IncidentsConfig  # noqa: E402
from monitor.daemon import Poller, content_hash  # noqa: E402
from monitor.models import ArticleRecord, Report  # noqa: E402
from monitor.reading import Extractor, distance_km  # noqa: E402
from monitor.store import Store  # noqa: E402

NEWS = ROOT.parent / "shared" / "data" / "news"
BBC_SETS = (("BBC Afrique (fr)", "bbc_afrique_fr_dev.tsv", "fr"), ("BBC News (en)", "bbc_news_en_dev.tsv", "en"))
MALILINK = NEWS / "malilink_mali_incidents_fr_2013_2016.csv"
PUBLISHED = datetime(2021, 6, 1, 12, tzinfo=UTC)
PLACE_KM = 25.0
# the two BBC Afrique articles that report an incident in a watched country, by a word of their text
INCIDENTS = ("Fada N'Gourma", "Dibilou")
TARGETS = {"relevant": 0.97, "place (25 km)": 0.90, "date": 0.97, "deaths": 0.90}


@dataclass
class NewsOutcome:
    name: str
    articles: int = 0
    relevant: int = 0
    incidents: int = 0  # NEW incidents, history included
    alerts: int = 0  # alert drafts written to the outbox (NEW and ESCALATED)
    false_alerts: int = 0
    incident_alerts: int = 0  # alerts the incident articles raise: one each is right
    incident_articles: list[str] = field(default_factory=list)  # "alerted" or "missed", per incident article
    alerted: list[tuple[str, str]] = field(default_factory=list)  # (headline, alert title)
    seconds: float = 0.0


def bbc_rows(file: str) -> list[dict[str, str]]:
    with (NEWS / file).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def run_news(name: str, file: str, language: str, extractor: Extractor) -> NewsOutcome:
    """The set through ingest's path into an empty register; what it alerts."""
    rows = bbc_rows(file)
    outcome = NewsOutcome(name, articles=len(rows))
    with tempfile.TemporaryDirectory() as folder:
        config = Config(database=str(Path(folder) / "news.db"), incidents=IncidentsConfig(load_seeds=False))
        records = [_record(row, language) for row in rows]
        started = time.perf_counter()
        with Store(config.database) as store, Fetcher(config.fetch) as fetcher:
            poller = Poller(config, store, fetcher, clock=lambda: PUBLISHED, extractor=extractor)
            try:
                results = poller.ingest([replace(r, publisher=f"bbc-{i}") for i, r in enumerate(records)])
            finally:
                poller.close()
            outcome.seconds = time.perf_counter() - started
            pending = store.alerts_in_state(["pending"], limit=100_000)
            titles = {a.incident_id: a.title for a in pending if a.incident_id is not None}
        for row, result in zip(rows, results, strict=True):
            if result is None:
                continue  # the same text twice: stored once
            outcome.relevant += result.relevant
            new = [c for c in result.changes if c.state == "NEW"]
            outcome.incidents += len(new)
            alerts = [c for c in result.changes if c.alertable]
            outcome.alerts += len(alerts)
            is_incident = any(word in row["text"] for word in INCIDENTS) and language == "fr"
            if is_incident:
                outcome.incident_articles.append("alerted" if alerts else "missed")
                outcome.incident_alerts += len(alerts)
            else:
                outcome.false_alerts += len(alerts)
            for change in alerts:
                outcome.alerted.append((row["headline"], titles.get(change.incident_id, change.level)))
    return outcome


def _record(row: dict[str, str], language: str) -> ArticleRecord:
    text = f"{row['headline']}\n\n{row['text']}"
    return ArticleRecord(
        guid=None, url=row["url"], link=row["url"], title=row["headline"], summary="", text=text,
        published=PUBLISHED, fetched=PUBLISHED, language=language, extraction_status="local",
        extraction_error=None, content_hash=content_hash(text),
    )  # fmt: skip


# --- Malilink ---------------------------------------------------------------------------


def malilink_rows() -> list[dict[str, str]]:
    with MALILINK.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def locality_points() -> dict[str, tuple[float, float]]:
    rows = read_localities()
    return {row["id"]: (float(row["latitude"]), float(row["longitude"])) for row in rows if row["latitude"]}


def coded_points(row: dict[str, str], points: dict[str, tuple[float, float]]) -> list[tuple[float, float]]:
    ids = [row["point_id"]] if row["point_id"] else [row["depart_id"], row["arrivee_id"]]
    return [points[i] for i in ids if i in points]


def score_malilink(extractor: Extractor) -> tuple[dict[str, list[bool]], list[tuple[str, dict[str, str], object]]]:
    points = locality_points()
    results: dict[str, list[bool]] = {k: [] for k in TARGETS}
    misses: list[tuple[str, dict[str, str], object]] = []
    for row in malilink_rows():
        published = date.fromisoformat(row["date"])
        text = f"{row['evenement'].strip()}\n{row['victimes'].strip()}"
        reading = extractor.read(text, published, lang="fr")
        primary = reading.reports[0] if reading.reports else None
        coded = coded_points(row, points)
        checks = {
            "relevant": reading.relevant,
            "date": primary is not None and primary.event_date == published,
            "deaths": (primary.fatalities if primary else 0) == int(row["nbr_morts"].strip() or 0),
        }
        if coded:  # rows whose locality the OCHA file lacks are not scored on place
            checks["place (25 km)"] = _near(primary, coded)
        for key, ok in checks.items():
            results[key].append(ok)
            if not ok:
                misses.append((key, row, primary))
    return results, misses


def _near(report: Report | None, coded: list[tuple[float, float]]) -> bool:
    loc = report.location if report else None
    if loc is None or loc.lat is None or loc.lon is None:
        return False
    return any(distance_km((loc.lat, loc.lon), point) <= PLACE_KM for point in coded)


# --- the table ----------------------------------------------------------------------------


def table(news: list[NewsOutcome], malilink: dict[str, list[bool]], load: float) -> str:
    lines = [f"{'set / measure':<52} {'value':>9} {'target':>8}", "-" * 74]
    for o in news:
        lines += [
            _line(f"{o.name}: articles", o.articles),
            _line(f"{o.name}: relevant", o.relevant),
            _line(f"{o.name}: incidents made (history too)", o.incidents),
            _line(f"{o.name}: alerts from non-incident articles", o.false_alerts, "0", o.false_alerts == 0),
        ]
        if o.incident_articles:
            alerted = o.incident_articles.count("alerted")
            everyone = alerted == len(o.incident_articles)
            count = f"{alerted} of {len(o.incident_articles)}"
            lines.append(_line(f"{o.name}: incident articles alerted", count, "all", everyone))
            extra = o.incident_alerts - alerted
            lines.append(_line(f"{o.name}: more alerts from those articles", extra, "0", extra == 0))
        lines.append(_line(f"{o.name}: articles/s (whole pipeline)", f"{o.articles / o.seconds:.0f}"))
    lines.append("-" * 74)
    for key, values in malilink.items():
        share = sum(values) / len(values) if values else 0.0
        target = TARGETS[key]
        line = _line(f"Malilink (fr): {key}", f"{share:.1%}", f"{target:.0%}", share >= target)
        lines.append(f"{line}  (n={len(values)})")
    lines += ["-" * 74, _line("load (s)", f"{load:.2f}")]
    return "\n".join(lines)


def _line(label: str, value: object, target: str = "", ok: bool | None = None) -> str:
    mark = "" if ok is None else (" ok" if ok else " MISS")
    return f"{label:<52} {value!s:>9} {target:>8}{mark}".rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-alerts", action="store_true", help="list the alerts the BBC sets raise")
    parser.add_argument("--misses", default="", help="print a sample of the Malilink rows this metric misses")
    parser.add_argument("--show", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    extractor = Extractor.load()
    load = time.perf_counter() - started
    news = [run_news(name, file, language, extractor) for name, file, language in BBC_SETS]
    malilink, misses = score_malilink(extractor)
    print(table(news, malilink, load))
    if args.show_alerts:
        for o in news:
            for headline, title in o.alerted:
                print(f"\n[{o.name}] {headline}\n    -> {title}")
    if args.misses:
        chosen = [m for m in misses if m[0] == args.misses]
        random.Random(args.seed).shuffle(chosen)
        for _, row, got in chosen[: args.show]:
            where = row["point"] or f"{row['depart']} - {row['arrivee']}"
            print(f"\n-- {row['date']} | {where} | morts {row['nbr_morts']}")
            print("  ", row["evenement"].strip(), "|", row["victimes"].strip())
            if isinstance(got, Report):
                loc = got.location
                where = f"{loc.name} ({loc.admin1}, {loc.country})" if loc else None
                when = f"{got.event_date} ({got.date_precision})"
                print(f"   got: {when} at {where}, {got.event_type}, fatalities {got.fatalities}")
            else:
                print("   got: no report")


if __name__ == "__main__":
    main()
