"""`sahel-monitor ingest`, `incidents` and `seed`: the whole pipeline on local files, and scenarios.

The articles here are written for these tests (our own sentences), read by the real extractor.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from monitor.cli import cli
from monitor.store import Store

LATER_TOLL = """Boulkessi attack: toll rises to at least 60 soldiers
The toll of the attack on the Boulkessi military base on Sunday, June 1, has risen to at least 60 soldiers killed, security sources said on Friday.
JNIM fighters overran the camp near the border with Burkina Faso before the army withdrew.
"""

FRESH_ATTACK = """Gunmen kill 12 civilians in central Mali
Gunmen killed 12 civilians in an attack on the village of Ogossagou in central Mali on Thursday, June 5, local officials said.
The assailants burned houses and stole cattle before fleeing on motorbikes.
"""

NOT_ABOUT_CONFLICT = """Bamako football club wins the cup
The Bamako club won the national football cup on Saturday after a penalty shoot-out in front of a large crowd.
"""


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "config.yaml").write_text("database: register.db\n", encoding="utf-8")
    for name, text in (("later.txt", LATER_TOLL), ("fresh.txt", FRESH_ATTACK), ("football.txt", NOT_ABOUT_CONFLICT)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    yield tmp_path


def run(workdir: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--config", str(workdir / "config.yaml"), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def changes(result: Result) -> list[dict]:  # type: ignore[type-arg]
    return [c for line in result.stdout.splitlines() if line.startswith("{") for c in json.loads(line).get("changes", [])]


def test_seed_loads_the_known_incidents_once(workdir: Path) -> None:
    first = run(workdir, "seed")
    assert "8 loaded" in first.stdout
    again = run(workdir, "seed")
    assert "0 loaded, 0 updated, 8 unchanged" in again.stdout
    listed = run(workdir, "incidents", "--json")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {r["place"] for r in rows} >= {"Boulkessi", "Timbuktu", "Dioura", "Asday"}
    assert all(r["state"] == "KNOWN" and r["known"] for r in rows)


def test_incidents_shows_place_date_type_actors_toll_range_publishers_and_state(workdir: Path) -> None:
    run(workdir, "seed")
    table = run(workdir, "incidents", "--since", "2025-06-01").stdout
    header, *lines = table.splitlines()
    assert header.split()[:4] == ["id", "date", "place", "type"]
    boulkessi = next(line for line in lines if "Boulkessi" in line)
    assert "2025-06-01" in boulkessi and "Battles" in boulkessi and "JNIM" in boulkessi
    assert "30-60 (best 31)" in boulkessi and "KNOWN" in boulkessi
    assert not any("Dioura" in line for line in lines)  # May 24: before --since


def test_incidents_refuses_a_bad_date(workdir: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(workdir / "config.yaml"), "incidents", "--since", "June"])
    assert result.exit_code == 2 and "not a date" in result.output


# --- the scenario: a known incident gets worse, a repeat says nothing, a fresh attack is new ---


def test_a_later_higher_toll_escalates_a_known_incident_once_and_a_fresh_attack_is_new(workdir: Path) -> None:
    escalated = changes(run(workdir, "ingest", "--json", "--published", "2025-06-06", "--publisher", "Studio Tamani", str(workdir / "later.txt")))
    assert [(c["state"], c["alertable"]) for c in escalated] == [("ESCALATED", True)]
    assert escalated[0]["level"] == "killed:50"
    again = run(workdir, "ingest", "--json", "--published", "2025-06-06", str(workdir / "later.txt"))
    assert json.loads(again.stdout) == {"path": str(workdir / "later.txt"), "new": False, "article_id": 1, "state": "relevant"}
    fresh = changes(run(workdir, "ingest", "--json", "--published", "2025-06-06", "--publisher", "Maliweb", str(workdir / "fresh.txt")))
    assert [(c["state"], c["alertable"]) for c in fresh] == [("NEW", True)]
    with Store(workdir / "register.db") as store:
        boulkessi = next(r for r in store.incidents() if r["place"] == "Boulkessi")
        assert (boulkessi["state"], boulkessi["killed_best"]) == ("ESCALATED", 60)
        sources = {s["publisher"] for s in store.incident_sources(boulkessi["id"])}
        assert {"Studio Tamani", "Reuters"} <= sources
        timeline = [(r["state"], r["level"]) for r in store.revisions(boulkessi["id"])]
        assert timeline == [("KNOWN", "known"), ("ESCALATED", "killed:50")]


def test_the_same_facts_from_another_outlet_update_without_alerting(workdir: Path) -> None:
    run(workdir, "ingest", "--published", "2025-06-06", "--publisher", "Studio Tamani", str(workdir / "later.txt"))
    copy = workdir / "copy.txt"
    copy.write_text(LATER_TOLL.replace("security sources said", "military sources told reporters"), encoding="utf-8")
    updated = changes(run(workdir, "ingest", "--json", "--published", "2025-06-07", "--publisher", "RFI", str(copy)))
    assert [(c["state"], c["alertable"]) for c in updated] == [("UPDATED", False)]


def test_ingest_stores_relevance_and_reports_with_the_article(workdir: Path) -> None:
    out = run(workdir, "ingest", "--published", "2025-06-06", str(workdir / "football.txt"), str(workdir / "fresh.txt")).stdout
    assert "football.txt: article 1, not relevant" in out
    assert "fresh.txt: article 2, relevant" in out and "NEW" in out
    with Store(workdir / "register.db") as store:
        football, fresh = store.article(1), store.article(2)
        assert football["relevant"] is False and fresh["relevant"] is True  # type: ignore[index]
        assert football["extraction_status"] == "local"  # type: ignore[index]
        (report,) = store.reports_of_article(2)
        assert report["place_id"] == "12232587" and report["incident_id"] is not None  # Ogossagou
        assert report["publisher"] == "local file fresh.txt"  # no --publisher, no site name: the file


def test_an_old_event_told_today_is_recorded_but_does_not_alert(workdir: Path) -> None:
    both = workdir / "both.txt"
    both.write_text(
        "Soldiers killed in Ménaka\nGunmen killed five soldiers at a checkpoint in Ménaka on Thursday, June 5.\n"
        "The village of Ogossagou was attacked in March 2019 by gunmen, who massacred 160 villagers.\n",
        encoding="utf-8",
    )
    new = changes(run(workdir, "ingest", "--json", "--published", "2025-06-06", str(both)))
    assert sorted((c["state"], c["alertable"]) for c in new) == [("NEW", False), ("NEW", True)]
    with Store(workdir / "register.db") as store:
        old = next(r for r in store.incidents() if r["historical"])
        assert old["event_date"].startswith("2019-03")


def test_ingest_reads_standard_input(workdir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--config", str(workdir / "config.yaml"), "ingest", "--published", "2025-06-06", "-"], input=FRESH_ATTACK
    )
    assert result.exit_code == 0, result.output
    assert "-: article 1, relevant" in result.stdout


# --- the same path in a poll cycle -----------------------------------------------------------


def test_a_poll_links_new_articles_into_the_register_in_the_same_cycle(http_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from monitor.collect.fetch import Fetcher
    from monitor.config import Config, FeedConfig, FetchConfig, SchedulerConfig
    from monitor.daemon.cycle import Poller
    from tests.feedgen import Item, article_page, rss
    from tests.httpserver import Response

    told = {
        "tamani": [
            "Des hommes armés ont tué au moins 12 civils le lundi 2 juin 2025 à Ménaka, dans le nord-est du Mali, selon des sources locales.",
            "Les assaillants sont arrivés à moto en début de matinée et ont ouvert le feu sur le marché.",
        ],
        "maliweb": [
            "Au moins 14 civils ont été tués lundi 2 juin 2025 lors d'une attaque contre le marché de Ménaka, a indiqué un élu local.",
            "Les habitants ont fui vers le centre de la ville, où les forces armées ont été déployées.",
        ],
    }
    published = datetime(2025, 6, 3, 8, 0, tzinfo=UTC)
    feeds = []
    for name, paragraphs in told.items():
        link = http_server.url(f"/{name}/attaque.html")
        item = Item(f"Attaque meurtrière à Ménaka ({name})", link, guid=f"{name}-1", published=published)
        http_server.route(f"/{name}.xml", Response(body=rss([item]), headers={"Content-Type": "application/rss+xml"}))
        http_server.route(f"/{name}/attaque.html", Response(body=article_page(item.title, paragraphs), headers={"Content-Type": "text/html; charset=utf-8"}))
        feeds.append(FeedConfig(name=name.title(), url=http_server.url(f"/{name}.xml"), language="fr", interval=600))
    config = Config(
        database=str(tmp_path / "poll.db"), feeds=feeds,
        fetch=FetchConfig(timeout=2, allow_private_addresses=True), scheduler=SchedulerConfig(tick=1, jitter=0),
    )  # fmt: skip
    now = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
    store, fetcher = Store(config.database), Fetcher(config.fetch)
    poller = Poller(config, store, fetcher, clock=lambda: now)
    try:
        store.sync_feeds(config.feeds, now)
        summary = poller.run_cycle(store.all_feeds())
        assert summary.new_articles == 2
        menaka = [r for r in store.incidents() if r["place"] == "Ménaka"]
        assert len(menaka) == 1
        (incident,) = menaka
        assert (incident["publishers"], incident["killed_low"], incident["killed_high"]) == (2, 12, 14)
        assert {s["publisher"] for s in store.incident_sources(incident["id"])} == {"Tamani", "Maliweb"}
        assert all(store.article(i)["relevant"] for i in (1, 2))  # type: ignore[index]
        assert [r["state"] for r in store.revisions(incident["id"])] == ["NEW", "UPDATED"]
    finally:
        poller.close()
        fetcher.close()
        store.close()


def test_articles_stored_but_never_read_are_read_at_the_next_cycle(tmp_path: Path) -> None:
    """A stop or a crash between storing an article and reading it delays its incident, never loses it."""
    from datetime import UTC, datetime

    from monitor.collect.fetch import Fetcher
    from monitor.config import Config, FeedConfig
    from monitor.daemon.cycle import Poller, content_hash
    from monitor.models import ArticleRecord

    now = datetime(2025, 6, 6, 12, 0, tzinfo=UTC)
    config = Config(database=str(tmp_path / "r.db"), feeds=[FeedConfig(name="Tamani", url="https://example.org/rss")])
    store, fetcher = Store(config.database), Fetcher(config.fetch)
    store.sync_feeds(config.feeds, now)
    feed_id = store.all_feeds()[0].id
    record = ArticleRecord(
        guid="g1", url="https://example.org/a1", link="https://example.org/a1", title="Gunmen kill 12 civilians in central Mali",
        summary="", text=FRESH_ATTACK, published=now, fetched=now, language="en", extraction_status="ok",
        extraction_error=None, content_hash=content_hash(FRESH_ATTACK),
    )  # fmt: skip
    [(article_id, _)] = store.save_articles(feed_id, [record])  # ... and the process died here
    poller = Poller(config, store, fetcher, clock=lambda: now)
    try:
        poller.run_cycle([])
        assert store.article(article_id)["relevant"] is True  # type: ignore[index]
        (incident,) = [r for r in store.incidents() if not r["known"]]
        assert {s["publisher"] for s in store.incident_sources(incident["id"])} == {"Tamani"}
        assert poller.catch_up() == []  # read once
    finally:
        poller.close()
        fetcher.close()
        store.close()
