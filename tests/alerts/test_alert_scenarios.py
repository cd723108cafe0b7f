"""What an analyst receives, end to end: articles ingested into an empty register, read by the
real extractor, linked, and the alerts delivered to a real SMTP server and a real webhook on
127.0.0.1 between runs, as the daemon's alert job would.

The articles here are written for these tests; the seed scenario reads ../shared/seeds.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor.alerts.delivery import Sender
from monitor.cli import cli
from monitor.config import AlertsConfig
from monitor.store import Store
from tests.alertkit import LocalSMTPServer, Webhook
from tests.conftest import SHARED
from tests.httpserver import LocalHTTPServer


class Analyst:
    """An empty register whose alerts go by e-mail and to a webhook, fed by ``ingest`` runs."""

    def __init__(self, folder: Path, smtp: LocalSMTPServer, webhook: Webhook) -> None:
        self.folder = folder
        self.smtp = smtp
        self.webhook = webhook
        self.database = folder / "monitor.db"
        self.config = folder / "config.yaml"
        self.config.write_text(json.dumps({
            "database": str(self.database),
            "alerts": {"urls": [smtp.url(), webhook.url()], "digest_every": 0},
            "incidents": {"load_seeds": False},
        }))  # fmt: skip
        self.runs = 0

    def ingest(self, *items: dict[str, Any]) -> None:
        """One ``ingest`` run of JSON Lines items, then one delivery of what it alerted."""
        self.runs += 1
        batch = self.folder / f"run{self.runs}.jsonl"
        batch.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
        result = CliRunner().invoke(cli, ["--config", str(self.config), "ingest", "--jsonl", str(batch)])
        assert result.exit_code == 0, result.output
        with Store(self.database) as store:
            alerts = AlertsConfig(urls=[self.smtp.url(), self.webhook.url()], digest_every=0, timeout=5)
            Sender(alerts, store, out=io.StringIO()).deliver()

    def documents(self) -> list[dict[str, Any]]:
        return self.webhook.payloads()

    def incidents(self) -> list[dict[str, Any]]:
        with closing(sqlite3.connect(self.database)) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM incidents ORDER BY id")]


@pytest.fixture
def analyst(tmp_path: Path, smtp: LocalSMTPServer, http_server: LocalHTTPServer) -> Analyst:
    return Analyst(tmp_path, smtp, Webhook(http_server))


def item(key: str, publisher: str, published: str, text: str) -> dict[str, Any]:
    return {"id": key, "publisher": publisher, "published": published, "text": text,
            "url": f"https://{publisher.lower().replace(' ', '-')}.example/{key}"}  # fmt: skip


def one_message_per_alert(analyst: Analyst) -> None:
    """Every alert reached both targets exactly once, the same alerts in the same order."""
    ids = analyst.webhook.alert_ids()
    assert Counter(ids).most_common(1)[0][1] == 1
    assert analyst.smtp.alert_ids() == ids


# --- the seed scenario -----------------------------------------------------------------------

# when each seed report came out (one is dated in its text; the others the day after their
# latest event), and an outlet name for each
SEEDS = {
    "000_566f91da116a2222": ("2025-06-03", "Outlet A"),
    "001_93ae9faec7be8964": ("2025-06-02", "Outlet B"),
    "002_a632c4fcb408536f": ("2025-06-03", "Outlet C"),
    "003_bd28a84b956c39af": ("2025-06-03", "Outlet D"),
    "004_0a8104e0d0c03060": ("2025-06-02", "Outlet E"),
}


@pytest.mark.shared
def test_the_five_seed_reports_give_one_alert_per_incident_with_the_right_subjects(analyst: Analyst) -> None:
    analyst.ingest(*(
        item(name, publisher, day, (SHARED / "seeds" / f"{name}.txt").read_text(encoding="utf-8"))
        for name, (day, publisher) in SEEDS.items()
    ))  # fmt: skip
    documents = analyst.documents()
    one_message_per_alert(analyst)
    per_incident = Counter(d["incident"]["id"] for d in documents)
    assert per_incident and max(per_incident.values()) == 1
    assert all(d["kind"] == "NEW" for d in documents)
    alerted = {i["id"] for i in analyst.incidents() if i["state"] != "HISTORY"}
    by_place = {d["incident"]["place"]["name"]: d for d in documents}
    boulkessi, timbuktu = by_place["Boulkessi"], by_place["Timbuktu"]
    # Boulkessi: the dead are soldiers, and one outlet's 60 (dead, missing and captured) is no death toll
    assert "soldiers killed" in boulkessi["subject"] and "60" not in boulkessi["subject"]
    assert boulkessi["incident"]["killed"]["high"] < 60
    assert {t["kind"] for t in boulkessi["incident"]["tolls"]} >= {"killed"}
    # Timbuktu: the dead were the attackers, and the subject says so
    assert "attackers killed" in timbuktu["subject"] and "soldiers" not in timbuktu["subject"]
    assert timbuktu["incident"]["claimed_by"] == ["JNIM"]
    # no market attack elsewhere adds to Timbuktu's toll
    assert timbuktu["incident"]["killed"]["high"] <= 14
    assert len(documents) <= len(alerted) + 1  # an alert per incident that is news, and no more


# --- a higher toll from an independent source ---------------------------------------------------

FIRST = """Mali : au moins 12 soldats tués dans l'attaque du camp de Boulkessi

Des hommes armés ont attaqué mardi le camp de l'armée malienne à Boulkessi, dans la région de Mopti.
Au moins 12 soldats ont été tués, selon une source sécuritaire jointe par notre rédaction.
"""
HIGHER = """Boulkessi : le bilan de l'attaque contre l'armée passe à 45 morts

Quarante-cinq militaires ont perdu la vie lors de l'assaut lancé mardi contre la base de Boulkessi,
ont indiqué mercredi des élus de la commune de Mondoro. Les assaillants sont repartis vers la frontière.
"""
SAME_AGAIN = """Centre du Mali : 45 soldats tués à Boulkessi

Le camp militaire de Boulkessi a été la cible mardi d'une attaque qui a coûté la vie à 45 soldats,
d'après des notables locaux interrogés jeudi par notre correspondant.
"""


def test_a_higher_toll_from_an_independent_source_escalates_once(analyst: Analyst) -> None:
    analyst.ingest(item("first", "Studio Tamani", "2024-05-01", FIRST))
    analyst.ingest(item("higher", "Radio Kledu", "2024-05-02", HIGHER))
    analyst.ingest(item("again", "Journal du Mali", "2024-05-03", SAME_AGAIN))
    one_message_per_alert(analyst)
    new, escalated = analyst.documents()  # the third report repeats the toll: no third message
    assert new["kind"] == "NEW" and "12 soldiers killed" in new["subject"]
    assert escalated["kind"] == "ESCALATED" and escalated["subject"].startswith("ESCALATED: ")
    assert "45 soldiers killed" in escalated["subject"] and "Boulkessi" in escalated["subject"]
    assert escalated["incident"]["id"] == new["incident"]["id"]
    assert escalated["incident"]["independent_sources"] == 2
    (incident,) = analyst.incidents()
    assert incident["sources"] == 3  # noqa: PLR2004 - three outlets, each its own voice


# --- one wire story carried by three sites ------------------------------------------------------

WIRE = """Bamako (AFP) - Au moins vingt civils ont été tués dimanche dans l'attaque du village de Dioura,
dans le centre du Mali, par des hommes armés arrivés à moto, a-t-on appris lundi de sources locales.
Les assaillants ont incendié des greniers et emporté du bétail, selon un élu local joint par l'AFP.
"""
OWN = """Dioura : vingt-deux habitants tués dans l'attaque de dimanche

Selon nos correspondants, vingt-deux habitants ont été tués dimanche à Dioura lors de l'attaque
de jihadistes présumés. Des familles ont fui vers Diafarabé.
"""


def test_one_wire_story_from_three_sites_is_one_source(analyst: Analyst) -> None:
    # each site puts the agency's text in its own page: a headline, a line of its own
    analyst.ingest(
        item("lp", "Le Point Afrique", "2025-05-26", "Mali : vingt civils tués à Dioura\n\n" + WIRE),
        item("tv", "TV5Monde", "2025-05-26", "Mali : une attaque fait vingt morts dans le centre\n\n" + WIRE + "\nPublié le 26 mai."),
        item("ll", "La Libre Afrique", "2025-05-26", "Au moins vingt civils tués au Mali\n\n" + WIRE + "\n(Belga avec AFP)"),
    )  # fmt: skip
    (alert,) = analyst.documents()
    incident = alert["incident"]
    assert alert["kind"] == "NEW" and incident["place"]["name"] == "Dioura"
    assert incident["independent_sources"] == 1
    assert len(incident["sources"]) == 3 and {s["voice"] for s in incident["sources"]} == {"AFP"}  # noqa: PLR2004
    # an outlet of its own is a second voice, and its toll is the same event's
    analyst.ingest(item("own", "Studio Tamani", "2025-05-27", OWN))
    (incident_row,) = analyst.incidents()
    assert incident_row["sources"] == 2  # noqa: PLR2004
    assert set(json.loads(incident_row["source_names"])) == {"AFP (via La Libre Afrique, Le Point Afrique, TV5Monde)", "Studio Tamani"}
    one_message_per_alert(analyst)


# --- a report at Timbuktu's airport ----------------------------------------------------------------

CAMP = """Mali : l'armée repousse une attaque contre son camp de Tombouctou

Des jihadistes ont attaqué lundi matin le camp militaire de Tombouctou. L'état-major affirme avoir
neutralisé 14 assaillants et saisi des armes.
"""
CAMP_AND_OUTPOST = """Tombouctou : 13 assaillants tués après l'attaque du camp

Le camp de l'armée à Tombouctou a été attaqué lundi à l'aube ; treize assaillants ont été tués selon l'armée.

Le même jour, à Asday, un poste avancé à la sortie de la ville, deux soldats ont été tués par des hommes armés.
"""
AIRPORT = """VBIED attack on Timbuktu airport: more than 60 soldiers killed

A car bomb struck the military camp at Timbuktu airport on Monday, and more than 60 soldiers were
killed, local sources said on Wednesday.
"""


def test_a_report_at_timbuktu_airport_escalates_timbuktu_not_the_outpost(analyst: Analyst) -> None:
    analyst.ingest(
        item("camp", "Studio Tamani", "2025-06-02", CAMP),
        item("outpost", "Radio Mali Nord", "2025-06-03", CAMP_AND_OUTPOST),
    )
    first = {d["incident"]["place"]["name"]: d for d in analyst.documents()}
    assert set(first) == {"Timbuktu", "Asday"} and all(d["kind"] == "NEW" for d in first.values())
    analyst.ingest(item("airport", "Sahel Watch", "2025-06-04", AIRPORT))
    *_, escalated = analyst.documents()
    assert escalated["kind"] == "ESCALATED" and escalated["incident"]["id"] == first["Timbuktu"]["incident"]["id"]
    assert "61 soldiers" in escalated["subject"] and "13–14 attackers" in escalated["subject"]
    assert len(analyst.documents()) == 3  # noqa: PLR2004 - Asday is not told again
    one_message_per_alert(analyst)
