"""Hand-made reports, places and articles for the incident register's tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from monitor.config import IncidentsConfig
from monitor.daemon.incident_step import Register
from monitor.models import Figure, Location, Report
from monitor.register import Account, Source
from monitor.store import Store

RULES = IncidentsConfig()
NOW = datetime(2025, 6, 5, 12, 0, tzinfo=UTC)

# real places (seeds/gazetteer.csv, seeds/places_extra.csv)
BOULKESSI = Location("Boulkessi", "Mopti", "Douentza", "ML", 14.7936, -1.3036, "x-boulkessi", "PPL")
MONDORO = Location("Mondoro", "Mopti", "Douentza", "ML", 14.67619, -1.95127, "2453375", "PPL")
TIMBUKTU = Location("Timbuktu", "Tombouctou", "Tombouctou", "ML", 16.77348, -3.00742, "2449067", "PPLA")
ASDAY = Location("Asday", "Tombouctou", "Tombouctou", "ML", 16.77, -2.96, "x-asday", "PPL")
DOUENTZA_CERCLE = Location("Douentza", "Mopti", "Douentza", "ML", 15.0, -2.4, "x-douentza-adm2", "ADM2")
MENAKA = Location("Ménaka", "Ménaka", "Ménaka", "ML", 15.9182, 2.4022, "2453514", "PPLA")
GAO = Location("Gao", "Gao", "Gao", "ML", 16.27167, -0.04472, "2457163", "PPLA")


def day(text: str) -> date:
    return date.fromisoformat(text)


def at(text: str) -> datetime:
    return datetime.combine(day(text), time(12), tzinfo=UTC)


def killed(low: int | None, high: int | None = None, group: str = "military", qualifier: str = "exact") -> Figure:
    high = low if high is None and qualifier == "exact" else high
    return Figure("killed", group, low, high, qualifier, f"{low} {group} killed")


def report(
    place: Location | None = BOULKESSI,
    when: str | None = "2025-06-01",
    precision: str = "day",
    event_type: str | None = "Battles",
    actors: tuple[str, ...] = ("JNIM", "FAMa"),
    figures: tuple[Figure, ...] = (),
    historical: bool = False,
    claimed_by: tuple[str, ...] = (),
    flags: frozenset[str] = frozenset(),
) -> Report:
    return Report(
        event_date=day(when) if when else None,
        date_precision=precision if when else "unknown",
        location=place,
        event_type=event_type,
        sub_event_type="Armed clash" if event_type == "Battles" else None,
        actors=actors,
        figures=figures,
        fatalities=sum(f.low or 0 for f in figures if f.kind == "killed"),
        historical=historical,
        evidence=("an evidence sentence",),
        claimed_by=claimed_by,
        flags=flags,
    )


def source(article_id: int, published: str = "2025-06-02", publisher: str | None = None) -> Source:
    return Source(article_id, publisher or f"outlet {article_id}", f"https://example.org/{article_id}", f"article {article_id}", at(published))


def account(r: Report, article_id: int, published: str = "2025-06-02", position: int = 0, publisher: str | None = None) -> Account:
    return Account(r, source(article_id, published, publisher), position)


class ArticleMaker:
    """Stores articles (so reports can point at them) and links their reports through a Register."""

    def __init__(self, path: Path, rules: IncidentsConfig = RULES, now: datetime = NOW) -> None:
        self.store = Store(path)
        self.now = now
        self.register = Register(self.store, rules, _no_reader, lambda _changes: [], lambda: self.now)
        self._n = 0

    def article(self, reports: list[Report], published: str = "2025-06-02", publisher: str | None = None, relevant: bool = True):  # type: ignore[no-untyped-def]
        from monitor.models import ArticleRecord

        self._n += 1
        text = f"article {self._n} " + " ".join(repr(r) for r in reports)
        record = ArticleRecord(
            guid=f"urn:test:{self._n}", url=None, link=None, title=f"article {self._n}", summary="", text=text,
            published=at(published), fetched=at(published), language="en", extraction_status="local",
            extraction_error=None, content_hash=f"hash-{self._n}-{published}",
        )  # fmt: skip
        [(article_id, _)] = self.store.save_local_articles([record])
        src = Source(article_id, publisher or f"outlet {article_id}", None, record.title, record.published)
        accounts = [Account(r, src, i) for i, r in enumerate(reports)]
        return self.register.link(accounts, (article_id, 1.0 if relevant else 0.0, relevant))

    def close(self) -> None:
        self.store.close()


def _no_reader():  # type: ignore[no-untyped-def]
    raise AssertionError("these tests link hand-made reports; nothing is read")
