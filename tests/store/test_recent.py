"""Incidents kept between articles (monitor.store.recent), in a real SQLite file: linking does
not read an unchanged incident again, and decides exactly as if it had; a change by another
process, or a write rolled back, is never hidden."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import monitor.store.incidents as incidents_module
from monitor.models import Report
from monitor.register import Account, picture, plan_article, search_for
from monitor.register.linking import tally_of
from monitor.store import Store
from tests.incidentkit import (
    ASDAY,
    BOULKESSI,
    MENAKA,
    NOW,
    RULES,
    TIMBUKTU,
    ArticleMaker,
    account,
    killed,
    report,
)

WIRE = "Des hommes armés ont attaqué le camp militaire de Boulkessi dimanche à l'aube, tuant au moins trente soldats."


def story(words: str, **fields: Any) -> Report:
    return replace(report(**fields), evidence=(words,))


def scenario(maker: ArticleMaker) -> None:
    """One attack told by many (own words, a wire and its copies, a jump in the toll), a chain
    that merges two incidents, an article of two events, history."""
    for n in range(12):
        words = WIRE if n % 3 == 0 else f"Le correspondant numéro {n} raconte l'attaque de Boulkessi avec ses propres mots."
        maker.article([story(words, figures=(killed(30 + 3 * n, qualifier="at_least"),))], publisher=f"site-{n}.ml")
    maker.article([report(TIMBUKTU, when="2025-05-20")])
    maker.article([report(TIMBUKTU, when="2025-05-26", figures=(killed(5),))], published="2025-05-27")
    maker.article([report(TIMBUKTU, when="2025-05-23")], published="2025-05-27")  # bridges the two: a merge
    maker.article([report(MENAKA, when="2025-06-02"), report(ASDAY, when="2025-06-02")])
    maker.article([report(MENAKA, when="2025-06-02", figures=(killed(12, group="civilian"),))], publisher="site-0.ml")
    maker.article([report(BOULKESSI, when="2024-01-05")], published="2025-06-02")  # history, its own incident
    for n in range(12, 18):
        maker.article([story(WIRE + f" Bilan provisoire {n}.", figures=(killed(40),))], publisher=f"site-{n}.ml")


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    orders = {"incidents": "id", "reports": "id", "claims": "id", "incident_revisions": "id",
              "incident_levels": "incident_id, level", "incident_tolls": "incident_id, kind, victim_group"}  # fmt: skip
    return {table: store.db.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall() for table, order in orders.items()}


def everything(store: Store) -> list[Any]:
    """Searches that reach every incident."""
    ids = [row[0] for row in store.db.execute("SELECT id FROM incidents WHERE merged_into IS NULL").fetchall()]
    accounts = [a for record in store.incident_records(ids).values() for a in record.accounts]
    return [s for a in accounts if (s := search_for(a, RULES)) is not None]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many incidents the store read from the file to link."""
    read: list[int] = []
    original = incidents_module.IncidentStore._records

    def records(self: Any, cur: Any, ids: list[int]) -> Any:
        read.extend(ids)
        return original(self, cur, ids)

    monkeypatch.setattr(incidents_module.IncidentStore, "_records", records)
    yield read


def test_the_register_decides_the_same_with_and_without_kept_incidents(tmp_path: Path, counted: list[int]) -> None:
    kept, fresh = ArticleMaker(tmp_path / "kept.db"), ArticleMaker(tmp_path / "fresh.db")
    fresh.store._recent.max_accounts = 0  # type: ignore[attr-defined]  # keeps nothing: reads every time
    scenario(kept)
    read_kept = len(counted)
    scenario(fresh)
    read_fresh = len(counted) - read_kept
    try:
        assert dump(kept.store) == dump(fresh.store)
        assert read_kept * 3 < read_fresh, (read_kept, read_fresh)  # the big incident was read once
        assert kept.store.db.execute("SELECT count(*) FROM incidents WHERE merged_into IS NOT NULL").fetchone()[0] == 1
    finally:
        kept.close()
        fresh.close()


def test_kept_incidents_are_what_a_fresh_read_gives(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    maker = ArticleMaker(path)
    scenario(maker)
    view = maker.store.register_view(everything(maker.store))
    with Store(path) as other:
        fresh = other.incident_records(list(view.incidents))
    try:
        assert view.incidents == fresh and len(fresh) >= 4
        for incident_id, record in view.incidents.items():
            assert tally_of(record, RULES).picture() == picture(fresh[incident_id].accounts, RULES)
    finally:
        maker.close()


@pytest.fixture
def writers(tmp_path: Path) -> Iterator[tuple[ArticleMaker, ArticleMaker]]:
    """Two processes on one file: the daemon, and an ``ingest`` run with other articles."""
    daemon, ingest = ArticleMaker(tmp_path / "register.db"), ArticleMaker(tmp_path / "register.db")
    ingest._n = 100  # its articles are other articles than the daemon's
    yield daemon, ingest
    daemon.close()
    ingest.close()


def test_a_change_by_another_process_is_read_again(writers: tuple[ArticleMaker, ArticleMaker]) -> None:
    daemon, ingest = writers
    for n in range(5):
        daemon.article([report(figures=(killed(20),))], publisher=f"daemon-{n}")
    (change,) = ingest.article([report(figures=(killed(20),))], published="2025-06-03", publisher="ingest")
    assert change.incident_id == 1
    (change,) = daemon.article([report(figures=(killed(20),))], publisher="daemon-5")
    assert "(7 publishers, 7 reports)" in change.reasons[0]
    (incident,) = daemon.store.incidents()
    assert (incident["reports"], incident["publishers"]) == (7, 7)


def test_a_write_rolled_back_is_not_taken_for_another_process_s_change(writers: tuple[ArticleMaker, ArticleMaker]) -> None:
    daemon, ingest = writers
    for n in range(3):
        daemon.article([report()], publisher=f"daemon-{n}")
    store = daemon.store
    [(article_id, _)] = store.save_local_articles([_article("lost")])
    lost = [Account(report(figures=(killed(99),)), replace(account(report(), article_id).source, publisher="lost"))]
    with pytest.raises(RuntimeError), store.transaction("a link whose commit never comes"):
        view = store.register_view([search_for(lost[0], RULES)])  # type: ignore[list-item]
        plan = plan_article(lost, view, RULES, NOW)
        assert store.apply_plan(plan, [], NOW, RULES, relevance=(article_id, 1.0, True)) == "applied"
        raise RuntimeError("the disk is full")
    # the same revision id, report id and time, from another process and another article
    (change,) = ingest.article([report()], published="2025-06-03", publisher="ingest")
    assert store.db.execute("SELECT max(id) FROM incident_revisions").fetchone()[0] == plan.version + 1
    view = store.register_view([search_for(lost[0], RULES)])  # type: ignore[list-item]
    with Store(store.path) as other:
        assert view.incidents == other.incident_records([change.incident_id])
    publishers = {a.source.publisher for a in view.incidents[change.incident_id].accounts}
    assert "ingest" in publishers and "lost" not in publishers


def _article(title: str) -> Any:
    from monitor.models import ArticleRecord
    from tests.incidentkit import at

    when = at("2025-06-02")
    return ArticleRecord(None, None, None, title, "", title, when, when, "fr", "local", None, f"hash-{title}")
