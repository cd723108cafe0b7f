"""The register plans and writes a link under the database's write lock: two stores on one
file stand for two processes (the daemon and an ``ingest``), each with its own connection.

What these show in one process, tests/daemon/test_concurrent_writers.py shows with the real
processes at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.config import IncidentsConfig
from monitor.daemon import NewArticle, Register, shared_extractor
from monitor.models import ArticleRecord
from monitor.store import Store

NOW = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)

ATTACK = (
    "Gunmen kill {n} soldiers near Gao\nGunmen killed {n} soldiers in an attack on an army post near Gao "
    "on Tuesday, March 4, 2025, security sources said. Reference {ref}."
)


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    with Store(tmp_path / "monitor.db") as first, Store(tmp_path / "monitor.db") as second:
        yield first, second


def register(store: Store) -> Register:
    return Register(store, IncidentsConfig(), shared_extractor, lambda _changes: [], lambda: NOW)


def stored(store: Store, n: int, ref: str) -> NewArticle:
    text = ATTACK.format(n=n, ref=ref)
    title = text.split("\n")[0]
    record = ArticleRecord(
        guid=None, url=f"https://{ref}.example/1", link=None, title=title, summary="", text=text,
        published=NOW, fetched=NOW, language="en", extraction_status="local", extraction_error=None,
        content_hash=f"hash {ref}",
    )  # fmt: skip
    [(article_id, _)] = store.save_local_articles([record])
    return NewArticle(article_id, title, text, NOW, "en", f"{ref} outlet", record.url)


def test_a_link_waits_for_another_writer_and_is_planned_on_what_that_one_wrote(stores: tuple[Store, Store]) -> None:
    daemon, ingest = stores
    first, second = stored(daemon, 7, "daemon"), stored(ingest, 9, "ingest")
    done: list[object] = []
    with daemon.transaction("a link of the daemon's"):
        [linked] = register(daemon).process([first])
        waiting = threading.Thread(target=lambda: done.extend(register(ingest).process([second])))
        waiting.start()
        waiting.join(timeout=1.0)
        assert waiting.is_alive() and not done  # the other writer waits for the lock ...
    waiting.join(timeout=30)
    [(incident_id, state)] = {(c.incident_id, c.state) for c in linked.changes}  # type: ignore[attr-defined]
    assert state == "NEW"
    [later] = done
    assert [(c.incident_id, c.state) for c in later.changes] == [(incident_id, "UPDATED")]  # type: ignore[attr-defined]
    # ... and links into the incident the first one made, not a second one of its own
    (incident,) = [row for row in ingest.incidents() if not row["known"]]
    assert (incident["reports"], incident["killed_low"], incident["killed_high"]) == (2, 7, 9)


class ListedBefore:
    """The known incidents as a process listed them before another, starting at the same moment,
    wrote them: none, the first time it asks."""

    def __init__(self, store: Store) -> None:
        self.asked = 0
        self.stored = store.seed_digests

    def __call__(self) -> dict[str, tuple[int, str]]:
        self.asked += 1
        return {} if self.asked == 1 else self.stored()


def test_known_incidents_loaded_by_another_process_meanwhile_are_not_loaded_twice(
    stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    daemon, ingest = stores
    monkeypatch.setattr(ingest, "seed_digests", ListedBefore(ingest))
    first = register(daemon).load_seeds()
    second = register(ingest).load_seeds()
    assert (first.loaded, first.updated, first.unchanged) == (8, 0, 0)
    assert (second.loaded, second.updated, second.unchanged) == (0, 0, 8)
    assert sum(row["known"] for row in ingest.incidents()) == 8
