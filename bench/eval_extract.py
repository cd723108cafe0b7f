"""Evaluate the extractor on ACLED's coded notes (../shared/data/acled-dev, evaluation only).

    python bench/eval_extract.py [--limit N] [--misses METRIC] [--show 20]

Every note of the Burkina Faso and Niger 1997-2020 exports is read with
``Extractor.read(notes, published=event_date, lang="en")`` and its PRIMARY report (the
first, most prominent) is scored against the coded row:

* place: the report's place bears the coded location name (any spelling, folded), or
  lies within 20 km of the coded coordinates. Many notes do not name the coded place, or
  name one the gazetteer lacks; "place, named+known" scores only the rows whose note
  names the coded location and whose name the gazetteer knows;
* date: the report's date equals the coded event_date. Many old notes give no date at
  all, and the extractor then falls back to the publication date (precision "unknown"),
  which is the answer here by construction; so a second row, "date from text", counts
  only dates read from the note (precision day/week/month/year);
* event type: equal to ACLED's event_type;
* fatalities: equal to the coded figure (a missing report counts 0 fatalities);
* relevance: political violence against people (Battles, Explosions/Remote violence,
  Violence against civilians) must be judged relevant. Protests are expected NOT to be
  relevant (the monitor watches armed conflict), reported as their own row; Riots and
  Strategic developments are mixed (a lynching, a looted town, an arrest) and only
  reported, without a target.

A row without any report misses place, date and type. ACLED data is read from ../shared
and never copied into the project. One table is printed; ``--misses`` prints a sample of
the rows a metric misses (for development only).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.models import Report
from monitor.reading import Extractor, distance_km, name_key, report_to_json

DATA = ROOT.parent / "shared" / "data" / "acled-dev"
FILES = ("acled_burkina_faso_1997_2020.csv", "acled_niger_1997_2020.csv")
VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
# issue 12's targets
TARGETS = {
    "place": 0.80,
    "date": 0.95,
    "event type": 0.85,
    "fatalities": 0.88,
    "relevance": 0.95,
    "place, named+known": 0.92,
}
PLACE_KM = 20.0


def load_rows(folder: Path = DATA) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name in FILES:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                if row["event_date"].startswith("#"):
                    continue  # the HXL tag row
                rows.append(row)
    return rows


def place_right(report: Report | None, row: dict[str, str]) -> bool:
    if report is None or report.location is None:
        return False
    loc = report.location
    coded = name_key(row["location"])
    if coded and coded in {name_key(n) for n in _names(report)}:
        return True
    if loc.lat is None or loc.lon is None:
        return False
    return distance_km((loc.lat, loc.lon), (float(row["latitude"]), float(row["longitude"]))) <= PLACE_KM


_EXTRACTOR: Extractor | None = None


def _names(report: Report) -> list[str]:
    loc = report.location
    assert loc is not None
    names = [loc.name]
    if _EXTRACTOR is not None and loc.place_id and loc.place_id in _EXTRACTOR.gazetteer:
        names += list(_EXTRACTOR.gazetteer.places(loc.place_id).names)
    return names


def score(
    extractor: Extractor, rows: list[dict[str, str]]
) -> tuple[dict[str, list[bool]], list[tuple[str, dict, object]], float]:
    results: dict[str, list[bool]] = {
        k: [] for k in ("place", "date", "event type", "fatalities", "relevance", "protests")
    }
    extra: dict[str, list[bool]] = {
        "place, named+known": [],
        "date from text": [],
        "riots relevant": [],
        "strategic relevant": [],
    }
    misses: list[tuple[str, dict, object]] = []
    started = time.perf_counter()
    for row in rows:
        published = date.fromisoformat(row["event_date"])
        reading = extractor.read(row["notes"], published, lang="en")
        primary = reading.reports[0] if reading.reports else None
        checks = {
            "place": place_right(primary, row),
            "date": primary is not None and primary.event_date == published,
            "event type": primary is not None and primary.event_type == row["event_type"],
            "fatalities": (primary.fatalities if primary else 0) == int(row["fatalities"] or 0),
        }
        if name_key(row["location"]) in name_key(row["notes"]) and extractor.gazetteer.lookup(row["location"]):
            extra["place, named+known"].append(checks["place"])  # the note names a place we have
        dated = primary is not None and primary.date_precision != "unknown"
        extra["date from text"].append(dated and checks["date"])
        for key, ok in checks.items():
            results[key].append(ok)
            if not ok:
                misses.append((key, row, primary))
        kind = row["event_type"]
        if kind in VIOLENT:
            results["relevance"].append(reading.relevant)
            if not reading.relevant:
                misses.append(("relevance", row, (reading.score, primary)))
        elif kind == "Protests":
            results["protests"].append(not reading.relevant)
        elif kind == "Riots":
            extra["riots relevant"].append(reading.relevant)
        else:
            extra["strategic relevant"].append(reading.relevant)
    elapsed = time.perf_counter() - started
    results.update(extra)
    return results, misses, len(rows) / elapsed


def table(results: dict[str, list[bool]], rows: int, rate: float, load: float) -> str:
    lines = [f"{'metric':<22} {'value':>8} {'target':>8}", "-" * 40]
    for key, values in results.items():
        share = sum(values) / len(values) if values else 0.0
        target = TARGETS.get(key)
        mark = "" if target is None else (" ok" if share >= target else " MISS")
        label = {"protests": "protests not relevant"}.get(key, key)
        lines.append(f"{label:<22} {share:>7.1%} {(f'{target:.0%}' if target else '-'):>8}{mark}  (n={len(values)})")
    lines += [
        "-" * 40,
        f"{'rows':<22} {rows:>8}",
        f"{'articles/s':<22} {rate:>8.0f}",
        f"{'load (s)':<22} {load:>8.2f}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--misses", default="", help="print a sample of the rows this metric misses")
    parser.add_argument("--type", default="", help="with --misses: only rows of this ACLED event type")
    parser.add_argument("--show", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--confusion", action="store_true", help="event type confusion counts")
    args = parser.parse_args()
    global _EXTRACTOR
    started = time.perf_counter()
    extractor = _EXTRACTOR = Extractor.load()
    load = time.perf_counter() - started
    rows = load_rows()
    if args.limit:
        rows = rows[: args.limit]
    results, misses, rate = score(extractor, rows)
    print(table(results, len(rows), rate, load))
    if args.confusion:
        from collections import Counter

        pairs = Counter(
            (row["event_type"], got.event_type if isinstance(got, Report) else None)
            for key, row, got in misses
            if key == "event type"
        )
        for (want, got), n in pairs.most_common(25):
            print(f"{n:5}  {want:<28} -> {got}")
    if args.misses:
        chosen = [m for m in misses if m[0] == args.misses and (not args.type or m[1]["event_type"] == args.type)]
        random.Random(args.seed).shuffle(chosen)
        for _, row, got in chosen[: args.show]:
            print(
                "\n--",
                row["event_date"],
                row["event_type"],
                "/",
                row["sub_event_type"],
                "|",
                row["location"],
                "| fat",
                row["fatalities"],
            )
            print("  ", row["notes"][:400])
            if isinstance(got, Report):
                j = report_to_json(got)
                loc = j["location"]["name"] if j["location"] else None
                print(
                    "   got:",
                    loc,
                    j["event_date"],
                    j["date_precision"],
                    j["event_type"],
                    "/",
                    j["sub_event_type"],
                    "fat",
                    j["fatalities"],
                    [(f["kind"], f["group"], f["low"], f["qualifier"]) for f in j["figures"]],
                )
            else:
                print("   got:", got)


if __name__ == "__main__":
    main()
