"""The five seed reports (../shared/seeds): Boulkessi and Timbuktu, June 2025, as five outlets told it.

Publication dates are the facts recorded in seeds/seed_reports.yaml (why each, there). Every
reading must find both attacks with their date and toll as that text gives them, never take
the 400 soldiers killed "since early May" for a toll, and never make the 2012-2013 history of
Timbuktu today's incident.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from monitor.models import Report
from monitor.reading.dates import period_end
from monitor.reading.reports import Extractor, Reading
from tests.conftest import ROOT

FACTS = yaml.safe_load((ROOT / "seeds" / "seed_reports.yaml").read_text(encoding="utf-8"))["reports"]
BOULKESSI, TIMBUKTU = "x-boulkessi", "2449067"
# the texts that give the Timbuktu army's toll of assailants (13 or 14) and of arrests (31)
ASSAILANTS_KILLED = {"000": 14, "001": 13, "003": 14, "004": 13}
ARRESTED = {"000": 31, "003": 31}

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


_READINGS: dict[str, Reading] = {}


@pytest.fixture(params=sorted(FACTS))
def seed(request: pytest.FixtureRequest, shared_dir: Path, extractor: Extractor) -> tuple[str, Reading, date]:
    """(short key, reading, publication date) of one seed report; each is read once."""
    name = request.param
    published = FACTS[name]["published"]
    if name not in _READINGS:
        text = (shared_dir / "seeds" / name).read_text(encoding="utf-8")
        _READINGS[name] = extractor.read(text, published)
    return name[:3], _READINGS[name], published


def at(reading: Reading, place_id: str) -> Report:
    found = [r for r in reading.reports if not r.historical and r.location and r.location.place_id == place_id]
    assert len(found) == 1, [(r.location.name if r.location else None, r.event_date) for r in reading.reports]
    return found[0]


def test_facts_cover_the_five_seed_reports(shared_dir: Path) -> None:
    assert sorted(FACTS) == sorted(p.name for p in (shared_dir / "seeds").glob("*.txt"))


def test_reading_is_relevant(seed: tuple[str, Reading, date]) -> None:
    _, reading, _ = seed
    assert reading.relevant and reading.language == "en"


def test_boulkessi_base_attack(seed: tuple[str, Reading, date]) -> None:
    _, reading, _ = seed
    report = at(reading, BOULKESSI)
    assert report.event_date is not None and abs((report.event_date - date(2025, 6, 1)).days) <= 1
    assert report.event_type == "Battles"
    killed = [f for f in report.figures if f.kind == "killed" and f.group == "military"]
    counted = [f for f in killed if f.qualifier != "upper_bound"]
    if counted:  # APA (004) acknowledges losses without a number
        assert min(f.low or 0 for f in counted) >= 30
        assert report.fatalities >= 30
    # a total of victims that counts the missing and hostages too only caps the dead
    assert all(f.high is not None and f.high > 30 for f in killed if f.qualifier == "upper_bound")


def test_the_larger_total_reaches_the_report_as_a_ceiling(shared_dir: Path, extractor: Extractor) -> None:
    name = "000_566f91da116a2222.txt"
    reading = extractor.read((shared_dir / "seeds" / name).read_text(encoding="utf-8"), FACTS[name]["published"])
    report = at(reading, BOULKESSI)
    ceilings = [f for f in report.figures if f.qualifier == "upper_bound"]
    assert [(f.kind, f.group, f.high) for f in ceilings] == [("killed", "military", 60)]
    assert report.fatalities == 30  # ACLED's conservative count ignores the ceiling


def test_timbuktu_camp_attack(seed: tuple[str, Reading, date]) -> None:
    key, reading, _ = seed
    report = at(reading, TIMBUKTU)
    assert report.event_date is not None and abs((report.event_date - date(2025, 6, 2)).days) <= 1
    assert report.event_type == "Battles"
    killed = [f for f in report.figures if f.kind == "killed" and f.group == "assailants"]
    if key in ASSAILANTS_KILLED:
        assert [f.low for f in killed] == [ASSAILANTS_KILLED[key]]
        assert report.fatalities == ASSAILANTS_KILLED[key]
    arrested = [f.low for f in report.figures if f.kind == "arrested"]
    assert arrested == ([ARRESTED[key]] if key in ARRESTED else [])


def test_both_attacks_come_before_anything_else(
    seed: tuple[str, Reading, date],
) -> None:
    _, reading, _ = seed
    first_two = {r.location.place_id for r in reading.reports[:2] if r.location}
    assert {BOULKESSI, TIMBUKTU} & first_two and reading.reports[0].location.place_id in (BOULKESSI, TIMBUKTU)  # type: ignore[union-attr]


def test_no_figure_is_the_aggregate_400(seed: tuple[str, Reading, date]) -> None:
    _, reading, _ = seed
    for report in reading.reports:
        assert all(f.low not in (400, 401) and f.high not in (400, 401) for f in report.figures)
        assert report.fatalities < 400


def test_history_is_never_todays_incident(seed: tuple[str, Reading, date]) -> None:
    _, reading, published = seed
    for report in reading.reports:
        if report.historical:
            continue
        assert report.event_date is not None and report.event_date.year == 2025
        assert (published - period_end(report.event_date, report.date_precision)).days <= 14  # "earlier in May"
    for report in reading.reports:
        if report.location and report.location.place_id == TIMBUKTU and report.event_date.year in (2012, 2013):  # type: ignore[union-attr]
            assert report.historical
