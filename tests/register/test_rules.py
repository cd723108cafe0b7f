"""The register's rules as pure functions: linking, tolls, escalation, history (no database)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest

from monitor.config import IncidentsConfig
from monitor.models import Figure, Location, TollRange, killed_total
from monitor.reading.gazetteer import distance_km
from monitor.register import (
    ESCALATED,
    NEAR,
    NEW,
    SAME_ADMIN2,
    SAME_PLACE,
    UPDATED,
    IncidentRecord,
    RegisterView,
    agreement,
    bounding_box,
    day_span,
    escalation,
    is_historical,
    picture,
    place_agreement,
    plan_article,
    reached_levels,
    tolls,
    type_score,
)
from tests.incidentkit import (
    ASDAY,
    BOULKESSI,
    DOUENTZA_CERCLE,
    GAO,
    MENAKA,
    MONDORO,
    NOW,
    RULES,
    TIMBUKTU,
    account,
    day,
    killed,
    report,
)

# --- places ----------------------------------------------------------------------


def test_the_same_gazetteer_entry_is_the_same_place() -> None:
    assert place_agreement(BOULKESSI, BOULKESSI, RULES)[0] == SAME_PLACE  # type: ignore[index]


def test_places_within_the_link_distance_agree_and_farther_ones_do_not() -> None:
    assert distance_km((TIMBUKTU.lat, TIMBUKTU.lon), (ASDAY.lat, ASDAY.lon)) < 25  # type: ignore[arg-type]
    near = place_agreement(TIMBUKTU, ASDAY, RULES)
    assert near is not None and near[0] == NEAR
    assert distance_km((BOULKESSI.lat, BOULKESSI.lon), (MONDORO.lat, MONDORO.lon)) > 25  # type: ignore[arg-type]
    assert place_agreement(BOULKESSI, MONDORO, RULES) is None
    assert place_agreement(BOULKESSI, MONDORO, IncidentsConfig(link_distance_km=100)) is not None


def test_a_vague_place_agrees_with_places_of_its_admin2_only() -> None:
    assert place_agreement(DOUENTZA_CERCLE, BOULKESSI, RULES)[0] == SAME_ADMIN2  # type: ignore[index]
    assert place_agreement(BOULKESSI, DOUENTZA_CERCLE, RULES)[0] == SAME_ADMIN2  # type: ignore[index]
    no_coordinates = replace(MONDORO, lat=None, lon=None, place_id="x-other")
    assert place_agreement(no_coordinates, BOULKESSI, RULES)[0] == SAME_ADMIN2  # type: ignore[index]
    assert place_agreement(DOUENTZA_CERCLE, TIMBUKTU, RULES) is None
    # two precise places of one cercle are compared by distance, not by cercle
    assert place_agreement(BOULKESSI, MONDORO, RULES) is None


def test_bounding_box_holds_every_point_within_the_distance() -> None:
    lat0, lat1, lon0, lon1 = bounding_box(TIMBUKTU, 25)  # type: ignore[misc]
    assert lat0 < ASDAY.lat < lat1 and lon0 < ASDAY.lon < lon1  # type: ignore[operator]
    for bearing_lat, bearing_lon in ((0.2248, 0), (0, 0.2345), (-0.2248, 0), (0, -0.2345)):
        point = (TIMBUKTU.lat + bearing_lat, TIMBUKTU.lon + bearing_lon)  # type: ignore[operator]
        if distance_km((TIMBUKTU.lat, TIMBUKTU.lon), point) <= 25:  # type: ignore[arg-type]
            assert lat0 <= point[0] <= lat1 and lon0 <= point[1] <= lon1


# --- dates -------------------------------------------------------------------------


def test_day_spans_widen_with_imprecision() -> None:
    published = day("2025-06-10")
    assert day_span(report(when="2025-06-01"), published, RULES) == (day("2025-06-01"), day("2025-06-01"))
    assert day_span(report(when="2025-06-02", precision="week"), published, RULES) == (day("2025-06-02"), day("2025-06-08"))
    assert day_span(report(when="2025-06-01", precision="month"), published, RULES) == (day("2025-06-01"), day("2025-06-30"))
    assert day_span(report(when=None), published, RULES) == (day("2025-06-07"), day("2025-06-10"))


@pytest.mark.parametrize(
    ("when", "precision", "agrees"),
    [
        ("2025-06-04", "day", True),  # 3 days: the window
        ("2025-06-05", "day", False),
        ("2025-05-29", "day", True),
        ("2025-05-28", "day", False),
        ("2025-06-09", "week", False),  # June 9-15: 8 days after
        ("2025-06-02", "week", True),
        ("2025-06-01", "month", True),
        ("2025-07-01", "month", False),
    ],
)
def test_dates_agree_within_the_window(when: str, precision: str, agrees: bool) -> None:
    base = account(report(when="2025-06-01"), 1)
    other = account(report(when=when, precision=precision), 2, published="2025-07-20")
    assert (agreement(other, base, RULES) is not None) is agrees


def test_an_undated_report_links_on_a_precise_place_never_on_a_vague_one() -> None:
    dated = account(report(BOULKESSI, when="2025-06-01"), 1)
    undated_here = account(report(BOULKESSI, when=None), 2, published="2025-06-03")
    undated_cercle = account(report(DOUENTZA_CERCLE, when=None), 3, published="2025-06-03")
    dated_cercle = account(report(DOUENTZA_CERCLE, when="2025-06-01"), 4, published="2025-06-03")
    late = account(report(BOULKESSI, when=None), 5, published="2025-06-12")
    assert agreement(undated_here, dated, RULES) is not None
    assert agreement(undated_cercle, dated, RULES) is None
    assert agreement(dated_cercle, dated, RULES) is not None
    assert agreement(late, dated, RULES) is None


def test_history_is_older_than_the_freshness_window_at_publication() -> None:
    assert not is_historical(account(report(when="2025-05-20"), 1, published="2025-06-02"), RULES)
    assert is_historical(account(report(when="2025-05-18"), 1, published="2025-06-02"), RULES)
    assert is_historical(account(report(when="2012-04-01", precision="month"), 1, published="2025-06-02"), RULES)
    assert is_historical(account(report(when="2025-06-01", historical=True), 1), RULES)  # the extractor says so
    assert not is_historical(account(report(when=None), 1), RULES)


# --- types --------------------------------------------------------------------------


def test_types_compatible_with_a_base_attack_told_as_shelling_but_not_with_a_protest() -> None:
    assert type_score("Battles", "Battles") == 2
    assert type_score("Battles", "Explosions/Remote violence") == 1
    assert type_score(None, "Protests") == 1
    assert type_score("Battles", "Protests") is None
    base = account(report(event_type="Battles"), 1)
    assert agreement(account(report(event_type="Protests"), 2), base, RULES) is None


# --- tolls --------------------------------------------------------------------------


def test_tolls_low_is_the_most_conservative_best_the_highest_count_high_the_top_of_any_range() -> None:
    figures = [
        Figure("killed", "military", 30, None, "at_least", "at least 30"),
        Figure("killed", "military", 31, None, "more_than", "more than 30"),
        Figure("killed", "military", 30, 60, "range", "30 to 60"),
        Figure("killed", "assailants", 13, 13, "exact", "thirteen"),
        Figure("killed", "assailants", 14, 14, "exact", "14"),
        Figure("arrested", "assailants", 31, 31, "exact", "31"),
        Figure("killed", "civilian", None, 29, "nearly", "nearly 30"),
    ]
    assert tolls(figures) == (
        TollRange("killed", "military", 30, 31, 60),
        TollRange("killed", "civilian", 29, 29, 29),
        TollRange("killed", "assailants", 13, 14, 14),
        TollRange("arrested", "assailants", 31, 31, 31),
    )


def test_about_counts_its_nominal_value() -> None:
    assert tolls([Figure("killed", "civilian", 54, 66, "about", "around 60")]) == (TollRange("killed", "civilian", 60, 60, 66),)


def test_killed_across_groups_adds_named_groups_and_lets_an_unspecified_toll_cover_them() -> None:
    ranges = (
        TollRange("killed", "military", 10, 12, 15),
        TollRange("killed", "civilian", 3, 3, 3),
        TollRange("killed", "unspecified", 14, 20, 20),
        TollRange("wounded", "military", 40, 40, 40),
    )
    assert killed_total(ranges) == (14, 20, 20)
    assert killed_total(ranges[:2]) == (13, 15, 18)
    assert killed_total(()) == (0, 0, 0)


def test_the_picture_does_not_depend_on_the_order_of_its_accounts() -> None:
    accounts = [
        account(report(when="2025-06-02", figures=(killed(30, qualifier="at_least"),)), 1, "2025-06-03"),
        account(report(when="2025-06-01", figures=(killed(31, qualifier="more_than"),)), 2, "2025-06-02"),
        account(report(when="2025-05-31", figures=(killed(31, qualifier="more_than"),)), 3, "2025-06-02"),
        account(report(when="2025-06-01", actors=("JNIM",), claimed_by=("JNIM",)), 4, "2025-06-03"),
    ]
    pictures = {picture(list(order), RULES) for order in itertools.permutations(accounts)}
    assert len(pictures) == 1
    (p,) = pictures
    assert p.event_date == date(2025, 6, 1)  # the day most sources give
    assert (p.first_day, p.last_day) == (date(2025, 5, 31), date(2025, 6, 2))
    assert p.killed == (30, 31, 31)
    assert p.publishers == 4
    assert p.actors == ("JNIM", "FAMa")
    assert p.claimed_by == ("JNIM",)


# --- escalation ------------------------------------------------------------------------


def _picture(killed_low: int, flags: frozenset[str] = frozenset(), claimed: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return picture([account(report(figures=(killed(killed_low),), flags=flags, claimed_by=claimed), 1)], RULES)


def test_levels_are_tiers_reached_flags_and_claims() -> None:
    levels = reached_levels(_picture(30, frozenset({"overrun", "vbied"}), ("JNIM",)), RULES)
    assert list(levels) == ["killed:25", "killed:10", "killed:1", "flag:overrun", "claimed:JNIM"]


def test_escalation_reports_only_new_levels_gravest_first() -> None:
    before = frozenset({"killed:1", "killed:10", "killed:25", "claimed:JNIM"})
    assert escalation(before, 31, _picture(31, claimed=("JNIM",)), RULES) == []
    new = escalation(before, 31, _picture(60, frozenset({"overrun"})), RULES)
    assert [level for level, _ in new] == ["killed:50", "killed:jump:60", "flag:overrun"]


@pytest.mark.parametrize(
    ("baseline", "now", "jumps"),
    [(100, 149, False), (100, 150, True), (4, 8, False), (8, 13, True), (0, 4, False), (0, 5, True)],
)
def test_a_jump_is_at_least_the_ratio_and_the_minimum(baseline: int, now: int, jumps: bool) -> None:
    new = escalation(frozenset(f"killed:{t}" for t in (1, 10, 25, 50, 100)), baseline, _picture(now), RULES)
    assert any(level.startswith("killed:jump:") for level, _ in new) is jumps


# --- planning one article ----------------------------------------------------------------


def _view(*records: IncidentRecord, next_id: int = 100) -> RegisterView:
    return RegisterView(version=7, next_id=next_id, incidents={r.id: r for r in records})


def _record(incident_id: int, *accounts, known: bool = False, levels: frozenset[str] = frozenset(), baseline: int = 0):  # type: ignore[no-untyped-def]
    return IncidentRecord(incident_id, "NEW", tuple(accounts), levels, baseline, known)


def test_a_report_of_a_fresh_attack_makes_an_alertable_new_incident() -> None:
    plan = plan_article([account(report(MENAKA, figures=(killed(7, group="civilian"),)), 1)], _view(), RULES, NOW)
    (change,) = plan.changes
    assert change.state == NEW and change.alertable and change.level == "new"
    assert change.incident_id == 100 and plan.accounts[0].incident_id == 100
    assert change.snapshot.killed == (7, 7, 7)
    assert ("killed:1", "killed toll reached 1 (now 7)") in plan.incidents[0].new_levels


def test_a_historical_report_makes_a_new_incident_that_does_not_alert() -> None:
    plan = plan_article([account(report(GAO, when="2024-07-27"), 1, published="2025-06-02")], _view(), RULES, NOW)
    (change,) = plan.changes
    assert change.state == NEW and not change.alertable
    assert any("history" in r for r in change.reasons)


def test_a_report_of_a_known_event_updates_it() -> None:
    old = _record(1, account(report(figures=(killed(31, qualifier="more_than"),)), 10), levels=frozenset({"killed:1", "killed:10", "killed:25"}), baseline=31)
    plan = plan_article([account(report(when="2025-06-02", figures=(killed(30, qualifier="at_least"),)), 11)], _view(old), RULES, NOW)
    (change,) = plan.changes
    assert (change.incident_id, change.state, change.alertable) == (1, UPDATED, False)
    assert change.snapshot.killed == (30, 31, 31)


def test_a_much_higher_toll_escalates_once() -> None:
    old = _record(1, account(report(figures=(killed(31, qualifier="more_than"),)), 10), levels=frozenset({"killed:1", "killed:10", "killed:25"}), baseline=31)
    plan = plan_article([account(report(figures=(killed(60, qualifier="at_least"),)), 11)], _view(old), RULES, NOW)
    (change,) = plan.changes
    assert (change.state, change.level, change.alertable) == (ESCALATED, "killed:50", True)
    assert change.reasons[0].startswith("killed toll reached 50")
    assert plan.incidents[0].baseline == 60


def test_an_article_never_feeds_one_incident_twice() -> None:
    both = [account(report(TIMBUKTU), 5, position=0), account(report(ASDAY), 5, position=1)]
    plan = plan_article(both, _view(), RULES, NOW)
    assert len({pa.incident_id for pa in plan.accounts}) == 2
    existing = _record(1, account(report(TIMBUKTU), 1))
    plan = plan_article(both, _view(existing), RULES, NOW)
    # the Timbuktu report takes the Timbuktu incident (same place beats 4 km away)
    assert [(pa.account.report.location.name, pa.incident_id) for pa in plan.accounts] == [("Timbuktu", 1), ("Asday", 100)]  # type: ignore[union-attr]
    again = plan_article([account(report(TIMBUKTU), 1, position=3)], _view(existing), RULES, NOW)
    assert again.accounts[0].incident_id == 100  # article 1 is in incident 1 already


def test_the_best_candidate_wins_same_place_before_shared_actors() -> None:
    timbuktu = _record(1, account(report(TIMBUKTU, actors=("FAMa",)), 1))
    asday = _record(2, account(report(ASDAY, actors=("JNIM",)), 2), account(report(ASDAY, actors=("JNIM",)), 3))
    plan = plan_article([account(report(TIMBUKTU, actors=("JNIM",)), 4)], _view(timbuktu, asday), RULES, NOW)
    # it agrees with both and they share no article: one event, merged into the earliest
    assert plan.accounts[0].incident_id == 1
    assert [(m.absorbed, m.into) for m in plan.merges] == [(2, 1)]


TIMBUKTU_AIRPORT = Location("Timbuktu Airport", "Tombouctou", "Tombouctou", "ML", 16.73046, -3.00758, "6297182", "AIRP")


def test_a_report_at_a_town_s_airport_joins_the_town_s_incident_not_the_outpost_s() -> None:
    # the Timbuktu attack, told by three outlets; the Asday outpost on the city's edge, by one
    # article that also told Timbuktu apart from it (so the two are never merged)
    timbuktu = _record(
        1, *(account(report(TIMBUKTU, when="2025-06-02", figures=(killed(14, group="assailants"),)), n) for n in (1, 2, 9)),
        levels=frozenset({"new", "killed:1", "killed:10"}), baseline=14,
    )  # fmt: skip
    asday = _record(2, account(report(ASDAY, when="2025-06-02"), 9, position=1))
    airport = report(TIMBUKTU_AIRPORT, when="2025-06-02", figures=(killed(61, qualifier="more_than"),), flags=frozenset({"vbied"}))
    plan = plan_article([account(airport, 20, published="2025-06-04")], _view(timbuktu, asday), RULES, NOW)
    assert plan.accounts[0].incident_id == 1 and plan.merges == ()
    (change,) = plan.changes
    assert (change.incident_id, change.state, change.alertable) == (1, ESCALATED, True)
    assert change.level == "killed:50"


def test_of_two_incidents_that_could_take_a_report_the_one_most_sources_tell_wins() -> None:
    # Asday is the nearer to this report; Timbuktu is what three outlets tell
    nearer_asday = Location("Timbuktu east gate", "Tombouctou", "Tombouctou", "ML", 16.772, -2.965, None, "PPLX")
    timbuktu = _record(1, *(account(report(TIMBUKTU), n) for n in (1, 2, 9)))
    asday = _record(2, account(report(ASDAY), 9, position=1))
    plan = plan_article([account(report(nearer_asday), 20)], _view(timbuktu, asday), RULES, NOW)
    assert plan.accounts[0].incident_id == 1


def test_incidents_an_article_told_apart_are_not_merged() -> None:
    timbuktu = _record(1, account(report(TIMBUKTU), 1), account(report(TIMBUKTU), 9))
    asday = _record(2, account(report(ASDAY), 2), account(report(ASDAY), 9, position=1))
    plan = plan_article([account(report(TIMBUKTU), 4)], _view(timbuktu, asday), RULES, NOW)
    assert plan.accounts[0].incident_id == 1 and plan.merges == ()


def test_known_incidents_are_never_merged_with_each_other_and_absorb_others() -> None:
    timbuktu = _record(1, account(report(TIMBUKTU), 1), known=True)
    asday = _record(2, account(report(ASDAY), 2), known=True)
    plan = plan_article([account(report(TIMBUKTU), 4)], _view(timbuktu, asday), RULES, NOW)
    assert plan.merges == () and plan.accounts[0].incident_id == 1
    found = _record(3, account(report(ASDAY), 5))
    plan = plan_article([account(report(TIMBUKTU, when="2025-06-02"), 6)], _view(found, _record(4, account(report(TIMBUKTU), 7), known=True)), RULES, NOW)
    assert plan.accounts[0].incident_id == 4 and [(m.absorbed, m.into) for m in plan.merges] == [(3, 4)]
    assert plan.changes[0].snapshot.known


def test_a_known_incident_is_updated_or_escalated_never_new() -> None:
    known = _record(1, account(report(figures=(killed(31, qualifier="more_than"),), claimed_by=("JNIM",)), 10), known=True,
                    levels=frozenset({"known", "killed:1", "killed:10", "killed:25", "claimed:JNIM"}), baseline=31)  # fmt: skip
    same = plan_article([account(report(figures=(killed(31, qualifier="more_than"),), claimed_by=("JNIM",)), 11)], _view(known), RULES, NOW)
    assert [c.state for c in same.changes] == [UPDATED]


def test_a_report_without_a_place_is_stored_unlinked() -> None:
    plan = plan_article([account(report(None), 1)], _view(), RULES, NOW)
    assert plan.changes == () and plan.accounts[0].incident_id is None
    assert "no place" in plan.accounts[0].how


def test_an_irrelevant_article_links_nothing() -> None:
    plan = plan_article([account(report(MENAKA), 1)], _view(), RULES, NOW, link=False)
    assert plan.changes == () and plan.accounts[0].incident_id is None


def test_changes_are_dated_now() -> None:
    plan = plan_article([account(report(MENAKA), 1)], _view(), RULES, NOW)
    assert plan.changes[0].at == NOW


def test_vague_place_location_keeps_the_precise_place_as_canonical() -> None:
    p = picture([account(report(DOUENTZA_CERCLE), 1), account(report(BOULKESSI), 2)], RULES)
    assert p.location == BOULKESSI
    assert isinstance(p.location, Location)


# --- configuration ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"killed_tiers": [10, 1]}, "incidents.killed_tiers: must be distinct numbers in ascending order"),
        ({"killed_tiers": [0, 5]}, "incidents.killed_tiers: tiers must be at least 1"),
        ({"escalating_flags": ["overun"]}, "incidents.escalating_flags: unknown flag 'overun'"),
        ({"link_distance_km": 0}, "incidents.link_distance_km"),
        ({"link_window_days": -1}, "incidents.link_window_days"),
        ({"jump_min": 0}, "incidents.jump_min"),
        ({"seeds": "/nowhere/incidents.yaml"}, "incidents.seeds: '/nowhere/incidents.yaml': no such file"),
        ({"window": 3}, "incidents.window: unknown key"),
    ],
)
def test_bad_incident_settings_name_the_key(section: dict, message: str) -> None:  # type: ignore[type-arg]
    from monitor.config import ConfigError, parse_config

    with pytest.raises(ConfigError) as caught:
        parse_config({"incidents": section}, "config.yaml")
    assert message in str(caught.value)


def test_incident_settings_default_to_the_documented_rules() -> None:
    from monitor.config import parse_config

    rules = parse_config({}).config.incidents
    assert (rules.link_window_days, rules.link_distance_km, rules.freshness_days) == (3, 25, 14)
    assert (rules.killed_tiers, rules.jump_ratio, rules.jump_min) == ([1, 10, 25, 50, 100], 0.5, 5)
    assert rules.escalating_flags == ["overrun", "territory", "hostages", "suicide"] and rules.load_seeds


def test_a_year_is_a_span_of_its_own_not_today() -> None:
    history = account(report(TIMBUKTU, when="2012-01-01", precision="year"), 1, published="2025-06-03")
    today = account(report(TIMBUKTU, when="2025-06-02"), 2, published="2025-06-03")
    assert day_span(history.report, date(2025, 6, 3), RULES) == (date(2012, 1, 1), date(2012, 12, 31))
    assert agreement(history, today, RULES) is None
    assert is_historical(history, RULES)
