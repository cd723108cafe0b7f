"""Writers at once lose nothing: the real daemon polling its feeds, two ``sahel-monitor ingest``
runs and a ``sahel-monitor seed`` write one register at the same time, and every article is
read and every relevant one linked, as if they had run one after another.

Real processes on a real SQLite file, the feeds and pages served on 127.0.0.1. The articles
are our own short dispatches, in French and in English: each writer tells the same incidents
(the same places and days, tolls that differ), so that the writers link into the same
incidents at the same moments; one article in five is ordinary news.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml

from tests.daemonkit import ROOT, query, wait_for, write_config
from tests.httpserver import LocalHTTPServer, Response

pytestmark = pytest.mark.daemon

# towns the reader places without doubt, far enough apart that no two make one incident; few
# incidents with many reports each, so that the writers keep linking into the same ones
PLACES = ("Ségou", "Gao", "Ménaka", "Djibo", "Tillabéri", "Kayes")
DAYS = (date(2025, 3, 4), date(2025, 4, 15))  # six weeks apart: a place makes one incident a day
MONTHS = {3: ("March", "mars"), 4: ("April", "avril")}
WEEKDAYS = (("Monday", "lundi"), ("Tuesday", "mardi"), ("Wednesday", "mercredi"), ("Thursday", "jeudi"),
            ("Friday", "vendredi"), ("Saturday", "samedi"), ("Sunday", "dimanche"))  # fmt: skip
WRITTEN = 400  # articles each ingest writes
FEEDS = 2
FEED_ITEMS = 20


@dataclass(frozen=True)
class Dispatch:
    ref: str  # unique: no two dispatches are one article
    title: str
    text: str
    published: date
    relevant: bool


def dispatch(writer: str, k: int) -> Dispatch:
    """The ``k``-th article of ``writer``: an incident (a place on a day) told in French or English, or market news."""
    ref = f"{writer}-{k}"
    incident = k % (len(PLACES) * len(DAYS))
    place, day = PLACES[incident // len(DAYS)], DAYS[incident % len(DAYS)]
    published = day + timedelta(days=1)
    if k % 5 == 4:
        title = "Market prices steady in Bamako"
        text = f"The price of rice and millet stayed steady at the Bamako market this week, traders said. Reference {ref}."
        return Dispatch(ref, title, text, published, relevant=False)
    toll = 3 + incident % 10 + (2 if k % 3 == 0 else 0)  # the sources disagree: a range
    if k % 2:
        when = f"le {WEEKDAYS[day.weekday()][1]} {day.day} {MONTHS[day.month][1]} {day.year}"
        title = f"Attaque meurtrière près de {place}"
        text = (
            f"Des hommes armés ont tué {toll} soldats lors d'une attaque contre un poste de l'armée près de {place} "
            f"{when}, selon des sources sécuritaires. Les assaillants ont pris la fuite à moto. Référence {ref}."
        )
    else:
        when = f"{WEEKDAYS[day.weekday()][0]}, {MONTHS[day.month][0]} {day.day}, {day.year}"
        title = f"Gunmen kill {toll} soldiers near {place}"
        text = (
            f"Gunmen killed {toll} soldiers in an attack on an army post near {place} on {when}, "
            f"security sources said. The assailants fled on motorbikes. Reference {ref}."
        )
    return Dispatch(ref, title, text, published, relevant=True)


def write_jsonl(path: Path, writer: str, count: int) -> list[Dispatch]:
    dispatches = [dispatch(writer, k) for k in range(count)]
    lines = [
        json.dumps(
            {"id": d.ref, "title": d.title, "text": f"{d.title}\n{d.text}", "published": d.published.isoformat(),
             "publisher": f"{writer} outlet {k % 40}", "url": f"https://{writer}.example/{k}"},
            ensure_ascii=False,
        )
        for k, d in enumerate(dispatches)
    ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dispatches


# --- the daemon's feeds ------------------------------------------------------------------


def page(d: Dispatch) -> bytes:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{escape(d.title)}</title>"
        f"<meta property='article:published_time' content='{d.published.isoformat()}T08:00:00+00:00'></head>"
        f"<body><main><article><h1>{escape(d.title)}</h1><p>{escape(d.text)}</p></article></main></body></html>"
    ).encode("utf-8")


def feed(server: LocalHTTPServer, number: int) -> list[Dispatch]:
    """A feed of ``FEED_ITEMS`` articles whose pages tell the same incidents as the ingests."""
    dispatches = [dispatch(f"feed{number}", k) for k in range(FEED_ITEMS)]
    items = []
    for k, d in enumerate(dispatches):
        path = f"/feed{number}/{k}.html"
        server.route(path, Response(body=page(d), headers={"Content-Type": "text/html; charset=utf-8"}))
        moment = datetime.combine(d.published, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8)
        items.append(
            f"<item><title>{escape(d.title)}</title><link>{server.url(path)}</link>"
            f"<guid isPermaLink='false'>{d.ref}</guid><pubDate>{format_datetime(moment)}</pubDate></item>"
        )
    body = (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Feed {number}</title>"
        f"<link>{server.base_url}/</link><description>test</description>{''.join(items)}</channel></rss>"
    ).encode("utf-8")
    server.route(f"/feed{number}.xml", Response(body=body, headers={"Content-Type": "application/rss+xml"}))
    return dispatches


# --- known incidents: seed during the ingests ---------------------------------------------

KNOWN = (
    ("gao-post", "Gao", DAYS[0], {"place_id": "2457163", "admin1": "Gao", "admin2": "Gao", "country": "ML", "lat": 16.27167, "lon": -0.04472}),
    ("djibo-post", "Djibo", DAYS[1], {"place_id": "2361177", "admin1": "Sahel", "admin2": "Soum", "country": "BF", "lat": 14.0994, "lon": -1.62554}),
    ("menaka-post", "Ménaka", DAYS[0], {"place_id": "2453514", "admin1": "Ménaka", "admin2": "Ménaka", "country": "ML", "lat": 15.9182, "lon": 2.4022}),
)  # fmt: skip


def write_known(path: Path) -> Path:
    """Known incidents at places and days the articles tell: the articles link to them, or are absorbed."""
    entries = [
        {
            "key": key, "label": f"attack on the army post near {name}", "date": day.isoformat(),
            "places": [{"name": name, **where}], "type": "Battles", "sub_type": "Armed clash",
            "sources": [{
                "publisher": "Army statement", "published": (day + timedelta(days=1)).isoformat(),
                "said": f"the army post near {name} was attacked; six soldiers killed",
                "figures": [{"kind": "killed", "group": "military", "low": 6, "qualifier": "exact", "text": "six soldiers killed"}],
            }],
        }
        for key, name, day, where in KNOWN
    ]  # fmt: skip
    path.write_text(yaml.safe_dump({"incidents": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --- the writers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Work:
    """What the writers are given: two JSON Lines files for the ingests, known incidents for seed."""

    jsonl: tuple[Path, Path]
    known: Path
    dispatches: list[Dispatch]  # every article, the feeds' too


@pytest.fixture
def work(http_server: LocalHTTPServer, tmp_path: Path) -> Work:
    jsonl = (tmp_path / "a.jsonl", tmp_path / "b.jsonl")
    written = [d for path, writer in zip(jsonl, "ab", strict=True) for d in write_jsonl(path, writer, WRITTEN)]
    fed = [d for number in range(1, FEEDS + 1) for d in feed(http_server, number)]
    return Work(jsonl, write_known(tmp_path / "known.yaml"), written + fed)


def configure(server: LocalHTTPServer, folder: Path) -> tuple[Path, Path]:
    """A config on a database of its own in ``folder``, with the feeds: its path and the database's."""
    folder.mkdir()
    feeds = [{"name": f"Feed {n}", "url": server.url(f"/feed{n}.xml"), "interval": "1h"} for n in range(1, FEEDS + 1)]
    return write_config(folder / "config.yaml", feeds), folder / "monitor.db"


def command(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "monitor", "--config", str(config), *args]


def start(config: Path, *args: str, log: Path) -> subprocess.Popen[bytes]:
    """A command, or the daemon (``run``), its output in ``log``: a pipe nobody reads would fill and block it."""
    with log.open("wb") as out:
        return subprocess.Popen(command(config, *args), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip


def finish(proc: subprocess.Popen[bytes], log: Path) -> str:
    proc.wait(timeout=120)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, f"{' '.join(map(str, proc.args))} exited {proc.returncode}:\n{text[-3000:]}"
    return text


def wait_beside(daemon: subprocess.Popen[bytes], log: Path, condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` while the daemon runs; a daemon that died says why."""
    wait_for(lambda: daemon.poll() is not None or condition(), timeout=60, what=what)
    if daemon.poll() is not None:
        raise AssertionError(f"the daemon exited {daemon.returncode}:\n{log.read_text(encoding='utf-8')[-3000:]}")


def stop(daemon: subprocess.Popen[bytes], log: Path) -> str:
    if daemon.poll() is None:
        daemon.send_signal(signal.SIGTERM)
    return finish(daemon, log)


def fed_and_read(db: Path) -> bool:
    """The daemon has stored and read every article of its feeds."""
    return query(db, f"""
        SELECT count(*) = {FEEDS * FEED_ITEMS} AND count(relevant) = count(*) FROM articles
        WHERE url LIKE 'http://127.0.0.1%'
    """) == [(1,)]  # fmt: skip


def linked(db: Path) -> int:
    return int((query(db, "SELECT count(*) FROM reports WHERE incident_id IS NOT NULL AND origin = 'article'") or [(0,)])[0][0])


def unread_ingested(db: Path) -> int:
    return int(query(db, "SELECT count(*) FROM articles WHERE url LIKE 'https://%.example/%' AND relevant IS NULL")[0][0])


# --- what the register says ----------------------------------------------------------------


def counts(db: Path) -> dict[str, int]:
    """Articles, their reading, and the reports of relevant articles left unlinked."""
    (row,) = query(db, """
        SELECT count(*), count(*) - count(relevant) - count(read_error), count(read_error), count(*) FILTER (WHERE relevant),
               (SELECT count(*) FROM reports JOIN articles ON articles.id = reports.article_id WHERE articles.relevant),
               (SELECT count(*) FROM reports JOIN articles ON articles.id = reports.article_id
                WHERE articles.relevant AND reports.incident_id IS NULL)
        FROM articles
    """)  # fmt: skip
    return dict(zip(("articles", "unread", "failed", "relevant", "reports", "unlinked"), row, strict=True))


def register(db: Path) -> list[tuple[object, ...]]:
    """The incidents as people compare them: where, when, what, the toll as a range, how many
    reports, known or not. Not ids: they follow the order the writers came in."""
    return sorted(query(db, """
        SELECT place, country, event_date, event_type, killed_low, killed_best, killed_high, reports, known
        FROM incidents WHERE merged_into IS NULL
    """))  # fmt: skip


# --- the test ----------------------------------------------------------------------------------


def test_the_daemon_two_ingests_and_a_seed_at_once_link_every_article_as_one_after_another(
    work: Work, http_server: LocalHTTPServer, tmp_path: Path
) -> None:
    config, db = configure(http_server, tmp_path / "together")
    logs = {name: tmp_path / f"{name.replace(' ', '-')}.log" for name in ("daemon", "ingest a", "ingest b", "seed")}

    # all at once on a new register (the daemon and both ingests load the shipped known incidents
    # as they start), and seed while the ingests link
    daemon = start(config, "run", log=logs["daemon"])
    try:
        ingests = [start(config, "ingest", "--jsonl", str(path), log=logs[f"ingest {name}"])
                   for name, path in zip("ab", work.jsonl, strict=True)]  # fmt: skip
        wait_beside(daemon, logs["daemon"], lambda: linked(db) >= 50, "the ingests linking")
        seeded = finish(start(config, "seed", "--file", str(work.known), log=logs["seed"]), logs["seed"])
        overlapped = all(proc.poll() is None for proc in ingests)
        outputs = {f"ingest {name}": finish(proc, logs[f"ingest {name}"]) for name, proc in zip("ab", ingests, strict=True)}
        assert overlapped, "the ingests ended before seed did: nothing ran beside them"
        left_by_ingests = unread_ingested(db)  # an ingest that ended has read all it stored, or another process has
        wait_beside(daemon, logs["daemon"], lambda: fed_and_read(db), "the daemon's feed articles read")
    finally:
        logged = {"daemon": stop(daemon, logs["daemon"])}
    logged |= {"seed": seeded, **outputs}

    seen = counts(db) | {
        "unread when the ingests ended": left_by_ingests,
        "gave up linking": sum(text.count("kept changing") for text in logged.values()),
        "tracebacks": sum(text.count("Traceback") for text in logged.values()),
    }
    relevant = sum(d.relevant for d in work.dispatches)
    assert seen == {
        "articles": len(work.dispatches), "unread": 0, "failed": 0, "relevant": relevant,
        "reports": relevant, "unlinked": 0, "unread when the ingests ended": 0, "gave up linking": 0, "tracebacks": 0,
    }  # fmt: skip
    assert "3 known incidents: 3 loaded" in seeded

    # the same work one writer after another, on a register of its own
    config, db = configure(http_server, tmp_path / "alone")
    daemon = start(config, "run", log=tmp_path / "daemon-alone.log")
    try:
        wait_beside(daemon, tmp_path / "daemon-alone.log", lambda: fed_and_read(db), "the daemon's feed articles read")
    finally:
        stop(daemon, tmp_path / "daemon-alone.log")
    both = tmp_path / "a-then-b.jsonl"  # one process: each one loads the reader, a second or two
    both.write_text("".join(path.read_text(encoding="utf-8") for path in work.jsonl), encoding="utf-8")
    subprocess.run(command(config, "ingest", "--jsonl", str(both)), cwd=ROOT, check=True, capture_output=True)
    subprocess.run(command(config, "seed", "--file", str(work.known)), cwd=ROOT, check=True, capture_output=True)
    assert counts(db) == counts(tmp_path / "together" / "monitor.db")
    alone = register(db)
    assert len(alone) == len(PLACES) * len(DAYS) + 8  # an incident a place and day, and the 8 shipped known ones
    assert register(tmp_path / "together" / "monitor.db") == alone
