"""The incident register in a real SQLite file: schema, candidate search, plans, merges, seeds, views."""

from __future__ import annotations

import itertools
import random
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from monitor.config import IncidentsConfig
from monitor.daemon.incident_step import Register
from monitor.models import AlertDraft, Location
from monitor.register import Account, agreement, plan_article, search_for
from monitor.register.known import DEFAULT_SEEDS, SeedError, load_seeds
from monitor.store import Store
from tests.incidentkit import (
    ASDAY,
    BOULKESSI,
    GAO,
    MENAKA,
    NOW,
    RULES,
    TIMBUKTU,
    ArticleMaker,
    account,
    killed,
    report,
)


@pytest.fixture
def maker(tmp_path: Path) -> Iterator[ArticleMaker]:
    m = ArticleMaker(tmp_path / "register.db")
    yield m
    m.close()


def rows(store: Store, sql: str, *params: object) -> list[dict]:  # type: ignore[type-arg]
    cur = store.db.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


# --- schema --------------------------------------------------------------------------


def test_migration_2_makes_the_register_tables_and_views(maker: ArticleMaker) -> None:
    names = {r["name"] for r in rows(maker.store, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"incidents", "reports", "claims", "incident_tolls", "incident_levels", "incident_revisions"} <= names
    assert {"v_incidents", "v_incident_sources", "v_timeline"} <= names


def test_revisions_are_append_only(maker: ArticleMaker) -> None:
    maker.article([report(MENAKA)])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        maker.store.db.execute("UPDATE incident_revisions SET state = 'X'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        maker.store.db.execute("DELETE FROM incident_revisions")


# --- one article, stored --------------------------------------------------------------


def test_an_article_makes_an_incident_with_its_reports_claims_tolls_levels_and_revision(maker: ArticleMaker) -> None:
    changes = maker.article([report(BOULKESSI, figures=(killed(30, qualifier="at_least"),), claimed_by=("JNIM",))])
    (change,) = changes
    store = maker.store
    (incident,) = rows(store, "SELECT * FROM v_incidents")
    assert incident["id"] == change.incident_id
    assert (incident["place"], incident["admin1"], incident["event_date"], incident["event_type"]) == (
        "Boulkessi", "Mopti", "2025-06-01", "Battles",
    )  # fmt: skip
    assert (incident["killed_low"], incident["killed_best"], incident["killed_high"]) == (30, 30, 30)
    assert (incident["actors"], incident["claimed_by"], incident["state"], incident["publishers"]) == ("FAMa, JNIM", "JNIM", "NEW", 1)
    (source,) = rows(store, "SELECT * FROM v_incident_sources")
    assert (source["publisher"], source["kind"], source["victim_group"], source["low"], source["high"]) == (
        "outlet 1", "killed", "military", 30, None,
    )  # fmt: skip
    (revision,) = rows(store, "SELECT * FROM v_timeline")
    assert (revision["state"], revision["level"], revision["alertable"]) == ("NEW", "new", 1)
    assert revision["reasons"].startswith("new incident: Battles at Boulkessi")
    levels = {r["level"] for r in rows(store, "SELECT level FROM incident_levels")}
    assert levels == {"new", "killed:1", "killed:10", "killed:25", "claimed:JNIM"}
    article = store.article(1)
    assert article is not None and article["relevant"] is True and article["relevance"] == 1.0


def test_an_irrelevant_article_keeps_its_reports_unlinked(maker: ArticleMaker) -> None:
    assert maker.article([report(MENAKA)], relevant=False) == ()
    (stored,) = rows(maker.store, "SELECT incident_id, link FROM reports")
    assert stored["incident_id"] is None and "not relevant" in stored["link"]
    assert maker.store.article(1)["relevant"] is False  # type: ignore[index]


def test_a_later_report_with_a_much_higher_toll_escalates_once(maker: ArticleMaker) -> None:
    maker.article([report(figures=(killed(31, qualifier="more_than"),))])
    assert [c.state for c in maker.article([report(figures=(killed(30, qualifier="at_least"),))])] == ["UPDATED"]
    (change,) = maker.article([report(when="2025-06-02", figures=(killed(60, qualifier="at_least"),))], published="2025-06-04")
    assert (change.state, change.level, change.alertable) == ("ESCALATED", "killed:50", True)
    assert [c.state for c in maker.article([report(figures=(killed(60),))], published="2025-06-04")] == ["UPDATED"]
    timeline = [(r["state"], r["level"]) for r in rows(maker.store, "SELECT state, level FROM v_timeline")]
    assert timeline == [("NEW", "new"), ("UPDATED", "updated"), ("ESCALATED", "killed:50"), ("UPDATED", "updated")]
    (incident,) = rows(maker.store, "SELECT * FROM v_incidents")
    assert (incident["killed_low"], incident["killed_best"], incident["killed_high"], incident["publishers"]) == (30, 60, 60, 4)
    assert incident["state"] == "UPDATED"


# --- plans applied on a moved register ------------------------------------------------


def test_a_plan_made_on_a_stale_view_writes_nothing_not_even_its_alerts(maker: ArticleMaker) -> None:
    store = maker.store
    fresh = [account(report(MENAKA), 99)]
    view = store.register_view([search_for(fresh[0], RULES)])  # type: ignore[list-item]
    plan = plan_article(fresh, view, RULES, NOW)
    maker.article([report(TIMBUKTU)])  # someone else links meanwhile
    draft = AlertDraft("incident-x-new", "NEW", "urgent", ("urgent",), "t", "b", None, NOW)
    assert store.apply_plan(plan, [draft], NOW, RULES) == "stale"
    assert store.db["incidents"].count == 1 and store.db["reports"].count == 1
    assert store.db["alerts"].count == 0


def test_alert_drafts_are_written_with_the_change_that_caused_them(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.db")
    made: list[list[str]] = []

    def drafts(changes):  # type: ignore[no-untyped-def]
        made.append([c.level for c in changes])
        return [AlertDraft(f"incident-{c.incident_id}-{c.level}", c.state, "urgent", ("urgent",), "t", "b", c.incident_id, c.at)
                for c in changes if c.alertable]  # fmt: skip

    register = Register(store, RULES, lambda: None, drafts, lambda: NOW)  # type: ignore[arg-type, return-value]
    [(article_id, _)] = store.save_local_articles([_record("a")])
    register.link([account(report(MENAKA), article_id)], (article_id, 1.0, True))
    assert made == [["new"]]
    assert [r["id"] for r in rows(store, "SELECT id FROM alerts")] == ["incident-1-new"]
    store.close()


def _record(text: str):  # type: ignore[no-untyped-def]
    from monitor.models import ArticleRecord

    return ArticleRecord(None, None, None, text, "", text, NOW, NOW, "en", "local", None, f"hash-{text}")


# --- candidate search -------------------------------------------------------------------


def test_the_candidate_search_finds_every_incident_a_report_agrees_with(tmp_path: Path) -> None:
    """The SQL search is a superset of what the pure rule links: checked against brute force."""
    rng = random.Random(4)
    maker = ArticleMaker(tmp_path / "search.db")
    kinds = [("day", 1), ("week", 7), ("month", 30)]
    accounts: list[Account] = []
    for i in range(300):
        precision, _ = rng.choice(kinds + [("day", 1)] * 4)
        when = NOW.date() - timedelta(days=rng.randint(0, 60))
        if precision == "week":
            when -= timedelta(days=when.weekday())
        if precision == "month":
            when = when.replace(day=1)
        vague = rng.random() < 0.15
        place = Location(
            f"p{i}", "Mopti", rng.choice(["Douentza", "Bandiagara"]), "ML",
            None if vague else 14.5 + rng.random() * 0.6, None if vague else -2 + rng.random() * 0.6,
            f"x-{rng.randint(0, 40)}", "ADM2" if vague else "PPL",
        )  # fmt: skip
        undated = rng.random() < 0.1
        r = report(place, when=None if undated else when.isoformat(), precision=precision, event_type=None)
        accounts.append(account(r, 1000 + i, published=(when + timedelta(days=rng.randint(0, 5))).isoformat()))
        maker.article([r], published=accounts[-1].source.published.date().isoformat())
    everything = maker.store.incident_records([r["id"] for r in rows(maker.store, "SELECT id FROM incidents")])
    for probe in accounts[:120]:
        found = maker.store.register_view([search_for(probe, RULES)]).incidents  # type: ignore[list-item]
        wanted = {i for i, rec in everything.items() if any(agreement(probe, old, RULES) for old in rec.accounts)}
        assert wanted <= set(found)
    maker.close()


# --- order ----------------------------------------------------------------------------------


ARTICLES = [
    # a chain: June 1 and June 6 are too far apart, June 3 bridges them
    [report(BOULKESSI, when="2025-06-01", figures=(killed(30, qualifier="at_least"),))],
    [report(BOULKESSI, when="2025-06-06", figures=(killed(40),))],
    [report(BOULKESSI, when="2025-06-03")],
    # one article, two events 4 km apart: they stay two incidents
    [report(TIMBUKTU, when="2025-06-02"), report(ASDAY, when="2025-06-02")],
    [report(TIMBUKTU, when="2025-06-03", figures=(killed(14, group="assailants"),))],
    [report(TIMBUKTU, when=None, figures=(killed(13, group="assailants"),))],
    [report(MENAKA, when="2025-06-02", event_type="Violence against civilians")],
    [report(MENAKA, when="2025-06-01", event_type="Explosions/Remote violence"), report(GAO, when="2025-06-01")],
]
# Not here, on purpose: an article about Asday alone. 4 km from Timbuktu, it agrees with both
# events of article 4, and which one it joins depends on what came first (docs/incidents.md).


def _partition(store: Store) -> set[frozenset[tuple[str, ...]]]:
    """Incidents as sets of (article text, position): comparable across orders."""
    found = rows(store, "SELECT r.incident_id, a.title, r.position FROM reports r JOIN articles a ON a.id = r.article_id")
    groups: dict[int, set[tuple[str, ...]]] = {}
    for row in found:
        groups.setdefault(row["incident_id"], set()).add((row["title"], str(row["position"])))
    return {frozenset(g) for g in groups.values()}


def test_the_register_does_not_depend_on_arrival_order(tmp_path: Path) -> None:
    results = set()
    orders = list(itertools.permutations(range(len(ARTICLES))))
    for n, order in enumerate(random.Random(1).sample(orders, 40) + [tuple(range(len(ARTICLES))), tuple(reversed(range(len(ARTICLES))))]):
        maker = ArticleMaker(tmp_path / f"order{n}.db")
        for i in order:
            maker._n = i  # the article's title names it, whatever the order
            maker.article(ARTICLES[i], published="2025-06-07")
        results.add(frozenset(_partition(maker.store)))
        tolls = {(r["place"], r["killed_low"], r["killed_best"], r["killed_high"]) for r in rows(maker.store, "SELECT * FROM v_incidents")}
        assert ("Boulkessi", 30, 40, 40) in tolls
        maker.close()
    assert len(results) == 1
    (partition,) = results
    assert len(partition) == 5  # Boulkessi (the chain merged), Timbuktu, Asday, Ménaka, Gao


def test_a_merged_incident_leaves_the_views_and_says_where_it_went(maker: ArticleMaker) -> None:
    maker.article(ARTICLES[0])
    maker.article(ARTICLES[1])
    assert maker.store.db["incidents"].count == 2
    (change,) = maker.article(ARTICLES[2])
    assert change.incident_id == 1 and any("merged with incident 2" in r for r in change.reasons)
    assert [r["id"] for r in rows(maker.store, "SELECT id FROM v_incidents")] == [1]
    merged = rows(maker.store, "SELECT * FROM incidents WHERE id = 2")[0]
    assert (merged["state"], merged["merged_into"]) == ("MERGED", 1)
    assert rows(maker.store, "SELECT state FROM v_timeline WHERE incident_id = 2")[-1]["state"] == "MERGED"
    assert maker.store.db.execute("SELECT count(*) FROM reports WHERE incident_id = 1").fetchone()[0] == 3


# --- known incidents ----------------------------------------------------------------------


def test_seeds_load_once_and_again_only_when_changed(tmp_path: Path) -> None:
    store = Store(tmp_path / "seeds.db")
    register = Register(store, RULES, lambda: None, lambda _c: [], lambda: NOW)  # type: ignore[arg-type, return-value]
    seeds = load_seeds()
    assert register.load_seeds().loaded == len(seeds) >= 8
    assert register.load_seeds().unchanged == len(seeds)
    assert store.db["incidents"].count == len(seeds)
    data = yaml.safe_load(DEFAULT_SEEDS.read_text(encoding="utf-8"))
    data["incidents"][0]["sources"][0]["figures"][0]["low"] = 35
    changed = tmp_path / "incidents.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    summary = register.load_seeds(changed)
    assert (summary.loaded, summary.updated, summary.unchanged) == (0, 1, len(seeds) - 1)
    assert store.db["incidents"].count == len(seeds)
    boulkessi = rows(store, "SELECT * FROM v_incidents WHERE place = 'Boulkessi'")[0]
    assert (boulkessi["killed_best"], boulkessi["state"], boulkessi["known"]) == (35, "KNOWN", 1)
    assert store.db.execute("SELECT count(*) FROM reports WHERE origin = 'seed' AND incident_id = ?", (boulkessi["id"],)).fetchone()[0] == 6
    store.close()


def test_v_incidents_lists_the_newest_event_first(tmp_path: Path) -> None:
    with Store(tmp_path / "seeds.db") as store:
        Register(store, RULES, lambda: None, lambda _c: [], lambda: NOW).load_seeds()  # type: ignore[arg-type, return-value]
        store.db.execute("UPDATE incidents SET event_date = NULL WHERE id = 1")  # an undated one goes last
        listed = [(r["event_date"], r["id"]) for r in rows(store, "SELECT event_date, id FROM v_incidents")]
    dated = [entry for entry in listed if entry[0] is not None]
    assert len(dated) >= 7 and listed[-1] == (None, 1)
    assert [d for d, _ in dated] == sorted((d for d, _ in dated), reverse=True)


def test_the_seeded_incidents_are_the_ones_the_seed_corpus_names() -> None:
    seeds = {s.key: s for s in load_seeds()}
    places = {s.key: {a.report.location.name for a in s.accounts} for s in seeds.values()}  # type: ignore[union-attr]
    assert places == {
        "boulkessi-base-2025-06-01": {"Boulkessi"},
        "timbuktu-camp-2025-06-02": {"Timbuktu"},
        "dioura-base-2025-05-24": {"Dioura"},
        "kidal-anefif-ied-2025-06": {"Kidal", "Anéfif"},
        "asday-outpost-2025-06": {"Asday"},
        "san-kimbala-2025-06-01": {"San", "Kimbala"},
        "niena-komani-2025-06-01": {"Niéna", "Komani"},
        "kolokani-djedjeni-2025-06-01": {"Kolokani", "Djedjeni"},
    }
    publishers = {a.source.publisher for a in seeds["boulkessi-base-2025-06-01"].accounts}
    assert {"Reuters", "ClashReport", "APA"} <= publishers


def test_an_article_about_a_known_incident_links_to_it(tmp_path: Path) -> None:
    maker = ArticleMaker(tmp_path / "known.db")
    maker.register.load_seeds()
    (change,) = maker.article([report(BOULKESSI, when="2025-06-01", figures=(killed(31, qualifier="more_than"),), claimed_by=("JNIM",))])
    assert change.state == "UPDATED" and change.snapshot.known and not change.alertable
    (change,) = maker.article([report(BOULKESSI, when="2025-06-02", figures=(killed(100, qualifier="at_least"),))], published="2025-06-06")
    assert (change.state, change.level) == ("ESCALATED", "killed:100")
    maker.close()


def test_a_bad_seeds_file_names_the_entry_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "incidents.yaml"
    bad.write_text(
        "incidents:\n  - key: x\n    date: 2025-06-01\n    places: [{name: A, country: ML, lat: 1, lon: 2}]\n"
        "    sources: [{publisher: P, published: 2025-06-02, figures: [{kind: dead, group: military, low: 1, qualifier: exact}]}]\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedError, match=r"incidents\[0\]\.sources\[0\]\.figures\[0\]\.kind: must be one of killed"):
        load_seeds(bad)


def test_incidents_listing_filters_by_day_and_carries_tolls(maker: ArticleMaker) -> None:
    maker.article([report(BOULKESSI, when="2025-05-20", figures=(killed(3),))], published="2025-05-21")
    maker.article([report(MENAKA, when="2025-06-02", figures=(killed(5, group="civilian"),))])
    listed = maker.store.incidents()
    assert [r["place"] for r in listed] == ["Ménaka", "Boulkessi"]
    assert listed[0]["tolls"] == [{"kind": "killed", "group": "civilian", "low": 5, "best": 5, "high": 5}]
    from datetime import date

    assert [r["place"] for r in maker.store.incidents(since=date(2025, 6, 1))] == ["Ménaka"]


def test_rules_come_from_the_config(tmp_path: Path) -> None:
    wide = ArticleMaker(tmp_path / "wide.db", rules=IncidentsConfig(link_window_days=10))
    wide.article([report(MENAKA, when="2025-06-01")])
    (change,) = wide.article([report(MENAKA, when="2025-06-09")])
    assert change.state == "UPDATED"
    wide.close()
