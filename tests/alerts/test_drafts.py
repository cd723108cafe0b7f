"""What alerts say, pure: titles, bodies, ids, routing, cooldown, formats, length limits, feed health."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from monitor.alerts.delivery import Target, draft_as_outbox, load_targets, message_for
from monitor.alerts.drafts import (
    alert_id_for,
    digest_draft,
    drafts_for,
    memo_of,
    sample_draft,
)
from monitor.alerts.formats import fit, md_escape, md_link, render, to_html, to_text
from monitor.alerts.health import check_feeds, usual_gap, verdict
from monitor.config import AlertsConfig
from monitor.models import FeedVitals, FeedWatch, Location
from tests.alertkit import NOW, change, claim

CONFIG = AlertsConfig()


def escalation() -> tuple:
    new = change("NEW", sources=(claim(101, "RFI Afrique", (8, 8), text="huit soldats"),))
    worse = change(
        "ESCALATED",
        sources=(
            claim(101, "RFI Afrique", (8, 8), text="huit soldats"),
            claim(102, "Studio Tamani", (30, 45), qualifier="range", text="entre 30 et 45 militaires",
                  evidence=("Entre 30 et 45 militaires ont été tués à Boulkessi.",), hours=4),
        ),
        claimed_by=("JNIM",),
        flags=frozenset({"overrun"}),
        level="killed:25",
        reasons=("killed toll crossed 25 (now 8–45)",),
        at=NOW + timedelta(hours=4),
    )
    return new, worse


# --- titles and bodies ---------------------------------------------------------------


def test_new_alert_title_says_kind_event_place_date_and_toll_range_in_one_line() -> None:
    (draft,) = drafts_for([change("NEW", sources=(
        claim(1, "RFI Afrique", (30, 30), qualifier="at_least"), claim(2, "Al Jazeera", (45, 60), qualifier="range"),
    ))], CONFIG)
    assert draft.title == "NEW · Armed clash · Boulkessi (Mopti, Mali) · 1 May 2024 · 30–60 soldiers killed"
    assert "\n" not in draft.title
    assert draft.alert_id == "incident-7-new"
    assert draft.kind == "NEW" and draft.incident_id == 7


def test_body_has_what_where_when_who_figures_with_sources_evidence_links_id_and_query() -> None:
    (draft,) = drafts_for([change("NEW", sources=(
        claim(101, "RFI Afrique", (30, 30), qualifier="at_least", text="au moins 30 soldats",
              evidence=("Au moins 30 soldats ont été tués lors de l'attaque.",)),
        claim(102, "Studio Tamani", (45, 45), text="45 militaires"),
    ))], CONFIG)
    body = draft.body
    for expected in (
        "**What**: Armed clash (Battles)",
        "**Where**: Boulkessi (Douentza, Mopti, Mali) — 14.550, -1.530",
        "**When**: 1 May 2024",
        "**Who**: JNIM, FAMa",
        "2 articles from 2 publishers",
        "killed, military: 30–45 (best 37)",
        "at least 30 — RFI Afrique «au moins 30 soldats»",
        "45 — Studio Tamani «45 militaires»",
        "> Au moins 30 soldats ont été tués lors de l'attaque. — _RFI Afrique_",
        "[RFI Afrique: attack in central Mali](https://news.example/rfi-afrique/101)",
        "`incident-7-new`",
        "SELECT * FROM incidents WHERE id = 7;",
    ):
        assert expected in body, expected


def test_escalated_alert_says_what_changed_since_the_last_alert() -> None:
    new, worse = escalation()
    (first,) = drafts_for([new], CONFIG)
    (second,) = drafts_for([worse], CONFIG, {7: first.memo})  # type: ignore[dict-item]
    assert second.alert_id == "incident-7-killed:25"
    assert second.title.startswith("ESCALATED: killed toll reached 25 · Armed clash · Boulkessi")
    assert second.title.endswith("8–45 soldiers killed (was 8 soldiers killed)")
    body = second.body
    assert "**Since the last alert** (`incident-7-new`" in body
    assert "killed: 8 → 8–45 (best 26)" in body
    assert "now: base overrun" in body
    assert "claimed by JNIM" in body
    assert "1 new source: Studio Tamani" in body
    assert "killed toll crossed 25 (now 8–45)" in body


def test_previous_alert_from_the_store_is_compared_with() -> None:
    new, worse = escalation()
    memo = memo_of(new, "incident-7-new")
    (draft,) = drafts_for([worse], CONFIG, {7: memo})
    assert "(was 8 soldiers killed)" in draft.title


def test_what_one_batch_learns_about_an_incident_is_one_message_with_every_reason() -> None:
    new, worse = escalation()
    (draft,) = drafts_for([new, worse], CONFIG)
    assert (draft.alert_id, draft.kind, draft.replaces) == ("incident-7-new", "NEW", False)
    assert draft.title.startswith("NEW: killed toll reached 25 · Armed clash · Boulkessi")
    assert draft.body.startswith("**NEW**: new incident; killed toll crossed 25 (now 8–45)")
    assert draft.memo is not None and draft.memo.levels == ("new", "killed:25")


def test_a_change_rewrites_its_incident_s_alert_still_waiting_in_the_outbox() -> None:
    new, worse = escalation()
    (first,) = drafts_for([new], CONFIG)
    (rewritten,) = drafts_for([worse], CONFIG, {}, {7: first.memo})  # type: ignore[dict-item]
    assert (rewritten.alert_id, rewritten.kind, rewritten.replaces) == ("incident-7-new", "NEW", True)
    assert rewritten.own_id == "incident-7-killed:25"  # if the first left meanwhile, this one goes on its own
    assert "new incident" in rewritten.body and "killed toll crossed 25" in rewritten.body


def test_the_main_reason_is_the_gravest_new_level() -> None:
    overrun = change("ESCALATED", level="flag:overrun", flags=frozenset({"overrun"}), claimed_by=("JNIM",))
    claimed = dataclasses.replace(overrun, level="claimed:JNIM", reasons=("claimed by JNIM",))
    (draft,) = drafts_for([claimed, overrun], CONFIG)
    assert draft.title.startswith("ESCALATED: base overrun · ")
    assert draft.memo is not None and set(draft.memo.levels) == {"claimed:JNIM", "flag:overrun"}


def test_the_subject_names_the_victims_and_never_counts_a_mixed_total_as_killed() -> None:
    attackers = change("NEW", sources=(claim(1, "FAMa", (13, 14), qualifier="range", group="assailants"),))
    assert drafts_for([attackers], CONFIG)[0].title.endswith("13–14 attackers killed")
    at_least = change("NEW", sources=(claim(1, "RFI", (30, 30), qualifier="at_least"),))
    assert drafts_for([at_least], CONFIG)[0].title.endswith("≥ 30 soldiers killed")


def test_ids_are_stable_and_safe() -> None:
    assert alert_id_for(change("ESCALATED", level="claimed:JNIM")) == "incident-7-claimed:JNIM"
    assert alert_id_for(change("ESCALATED", level="flag: base overrun/x")) == "incident-7-flag:-base-overrun-x"
    one = drafts_for([change("NEW")], CONFIG)
    two = drafts_for([change("NEW")], CONFIG)
    assert one == two


def test_only_alertable_new_and_escalated_changes_alert() -> None:
    updated = change("UPDATED")
    historical = dataclasses.replace(change("NEW"), alertable=False)
    assert drafts_for([updated, historical], CONFIG) == []


def test_unknown_date_and_place_are_said_plainly() -> None:
    (draft,) = drafts_for([change("NEW", location=None, event_date=None)], CONFIG)
    assert " · place unknown · date unclear · " in draft.title
    region = Location("Mopti", None, None, "ML", None, None, feature_code="ADM1")
    (draft,) = drafts_for([change("NEW", location=region)], CONFIG)
    assert "Mopti region, Mali" in draft.title
    assert "(only the area is known)" in draft.body


def test_no_toll_yet() -> None:
    (draft,) = drafts_for([change("NEW", sources=(claim(1, "RFI", None),))], CONFIG)
    assert draft.title.endswith("1 May 2024")
    assert "**Figures**: none reported yet" in draft.body


# --- routing, cooldown ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("killed", "flags", "severity"),
    [((10, 10), frozenset(), "urgent"), ((3, 12), frozenset(), "digest"), ((3, 20), frozenset(), "urgent"),
     ((2, 2), frozenset({"overrun"}), "urgent"), ((2, 2), frozenset({"territory"}), "digest")],
)
def test_severity_and_tags(killed: tuple[int, int], flags: frozenset[str], severity: str) -> None:
    (draft,) = drafts_for([change("NEW", sources=(claim(1, "RFI", killed, qualifier="range"),), flags=flags)], CONFIG)
    assert draft.severity == severity
    assert draft.tags == (severity, "new")


def test_urgent_threshold_is_configurable() -> None:
    (draft,) = drafts_for([change("NEW", sources=(claim(1, "RFI", (5, 5)),))], AlertsConfig(urgent_killed=5))
    assert draft.severity == "urgent"


def test_target_tags_route_alerts() -> None:
    anything, urgent = Target("a", "a", frozenset()), Target("b", "b", frozenset({"urgent"}))
    assert anything.takes(("digest", "new")) and urgent.takes(("urgent", "new"))
    assert not urgent.takes(("digest", "escalated"))


def test_cooldown_delays_a_follow_up_but_never_an_escalation() -> None:
    new, worse = escalation()
    memo = memo_of(new, "incident-7-new")
    again = dataclasses.replace(change("NEW", level="new-again"), at=NOW + timedelta(minutes=10))
    (held,) = drafts_for([again], CONFIG, {7: memo})
    assert held.not_before == NOW + timedelta(seconds=CONFIG.cooldown)
    (escalated,) = drafts_for([dataclasses.replace(worse, at=NOW + timedelta(minutes=1))], CONFIG, {7: memo})
    assert escalated.not_before is None
    later = dataclasses.replace(again, at=NOW + timedelta(hours=2))
    assert drafts_for([later], CONFIG, {7: memo})[0].not_before is None


def test_an_update_refreshes_the_open_alert_and_alerts_nothing_of_its_own() -> None:
    first = change("NEW")
    second_source = claim(102, "Studio Tamani", (30, 30), hours=1)
    update = dataclasses.replace(
        change("UPDATED", sources=(*first.snapshot.sources, second_source), level="updated", reasons=("another source",)),
        alertable=False,
    )
    # in one batch: the NEW alert leaves with both sources, and with its own reasons only
    (draft,) = drafts_for([first, update], CONFIG)
    assert draft.alert_id == "incident-7-new" and draft.kind == "NEW"
    assert [s["publisher"] for s in draft.data["incident"]["sources"]] == ["RFI Afrique", "Studio Tamani"]
    assert draft.memo.levels == ("new",) and draft.memo.reasons == ("new incident",)  # type: ignore[union-attr]
    # stored and still open: rewritten in place, never added under an id of its own
    open_memo = memo_of(first, "incident-7-new")
    (again,) = drafts_for([update], CONFIG, {}, {7: open_memo})
    assert again.replaces and again.alert_id == "incident-7-new" and not again.own_id
    # on its way already (no open alert): an update alerts nothing
    assert drafts_for([update], CONFIG, {7: open_memo}, {}) == []


# --- formats ------------------------------------------------------------------------------


HOSTILE = 'Attaque <script>alert("x")</script> & **faux gras** [lien](javascript:alert(1)) _x_ `code`'


def test_article_text_is_escaped_for_html_and_cannot_inject_markup() -> None:
    (draft,) = drafts_for([change("NEW", sources=(
        claim(1, "RFI <b>", (30, 30), text=HOSTILE, evidence=(HOSTILE,), title=HOSTILE),
    ))], CONFIG)
    html = to_html(draft.body)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "RFI &lt;b&gt;" in html
    assert 'href="javascript' not in html
    assert "<b>faux gras</b>" not in html and "**faux gras**" in html
    assert 'href="https://news.example/rfi-%3Cb%3E/1"' in html
    text = to_text(draft.body)
    assert '<script>alert("x")</script> & **faux gras** [lien](javascript:alert(1)) _x_ `code`' in text


def test_only_http_links_become_links() -> None:
    assert md_link("x", "javascript:alert(1)") == "x"
    assert md_link("a (b)", "https://e.org/a b(c)") == "[a (b)](https://e.org/a%20b%28c%29)"
    assert to_text(md_link("a (b)", "https://e.org/a b(c)")) == "a (b) <https://e.org/a%20b%28c%29>"
    assert 'href="https://e.org/x"' in to_html(md_link("t", "https://e.org/x"))


def test_markdown_subset_renders_to_each_format() -> None:
    md = "**Head**: line one\nline two\n\n**List**:\n- a [link](https://e.org)\n  - nested `c`\n- b\n\n> quoted _it_\n\n```sql\nSELECT 1 < 2;\n```"
    html = to_html(md)
    assert "<p><b>Head</b>: line one<br>line two</p>" in html
    assert '<ul><li>a <a href="https://e.org">link</a><ul><li>nested <code>c</code></li></ul></li><li>b</li></ul>' in html
    assert "<blockquote>quoted <i>it</i></blockquote>" in html
    assert "<pre><code>SELECT 1 &lt; 2;</code></pre>" in html
    text = to_text(md)
    assert "• a link <https://e.org>" in text and "    - nested c" in text and "    SELECT 1 < 2;" in text
    assert render(md, "markdown") == md
    with pytest.raises(ValueError):
        render(md, "rtf")


def test_md_escape_keeps_text_literal() -> None:
    for raw in ("- not a list", "> not a quote", "1. not a list", "a_b_c *x* [y](z) \\ `q`", "#tag <b>"):
        assert to_text(md_escape(raw)) == raw
        assert "<b>" not in to_html(md_escape(raw)).replace("&lt;b&gt;", "")


# --- length limits ----------------------------------------------------------------------------


def big_alert():
    sources = tuple(
        claim(i, f"Outlet {i}", (10 + i, 20 + i), qualifier="range", text="x" * 80,
              evidence=(f"Sentence {i} " + "tells what happened in some detail. " * 6,), title=f"Long title {i} " * 5)
        for i in range(60)
    )
    (draft,) = drafts_for([change("NEW", sources=sources)], CONFIG)
    return draft


def test_each_channel_limit_is_respected_telegram_4096_discord_2000() -> None:
    draft = big_alert()
    assert len(draft.body) > 10_000
    many = drafts_for([change("NEW", incident_id=i, sources=(claim(i, "RFI", (2, 2)),)) for i in range(1, 41)], CONFIG)
    digest = digest_draft([draft_as_outbox(d) for d in many], NOW, None)
    targets = {t.label.split(":")[0]: t for t in load_targets(AlertsConfig(urls=[
        "tgram://123456789:AAbbccddeeffgghhiijjkkllmmnnooppqqrr/-100123",
        "discord://1234567890/abcdefghijklmnop",
    ]))}
    assert targets["tgram"].body_limit == 4096 and targets["discord"].body_limit == 2000
    for name, target in targets.items():
        for alert in (draft, digest):
            title, body = message_for(target, draft_as_outbox(alert))
            budget = target.body_limit - (len(title) + 16 if target.title_in_body else 0)
            assert len(body) <= budget, name
            assert alert.alert_id in body, name  # the id survives
        assert "Boulkessi" in message_for(target, draft_as_outbox(draft))[1]  # the head survives
        assert "Shortened to fit this channel" in message_for(target, draft_as_outbox(digest))[1]


def test_fit_keeps_head_and_footer_and_html_stays_well_formed() -> None:
    draft = big_alert()
    for limit in (4096, 2000, 600):
        out = fit(draft.body, "html", limit, draft.alert_id)
        assert len(out) <= limit
        assert out.count("<ul>") == out.count("</ul>") and out.count("<p>") == out.count("</p>")
    tiny = fit(draft.body, "html", 120, draft.alert_id)
    assert len(tiny) <= 120 and "<" not in tiny.replace("&lt;", "")


# --- digest and sample ----------------------------------------------------------------------


def test_digest_lists_its_members() -> None:
    drafts = drafts_for([change("NEW", incident_id=i, sources=(claim(i, "RFI", (2, 2)),)) for i in (1, 2, 3)], CONFIG)
    digest = digest_draft([draft_as_outbox(d) for d in drafts], NOW + timedelta(hours=2), NOW)
    assert digest.alert_id == "digest-20240502T100000Z"
    assert digest.kind == "DIGEST" and digest.tags == ("digest",)
    assert digest.title.startswith("Digest · 3 alerts since 2024-05-02 08:00 UTC (3 NEW)")
    for d in drafts:
        assert f"`{d.alert_id}`" in digest.body


def test_sample_alert_is_marked_as_a_test() -> None:
    sample = sample_draft(NOW)
    assert sample.title.startswith("TEST")
    assert "this is a test" in sample.body.lower() and sample.incident_id is None


# --- feed health ----------------------------------------------------------------------------


def vitals(state: str = "ok", errors: int = 0, times: int = 10, gap_hours: float = 4, quiet_hours: float = 1,
           last_success_hours_ago: float = 0.1) -> FeedVitals:
    last_new = NOW - timedelta(hours=quiet_hours)
    return FeedVitals(
        feed_id=3, name="Maliweb", url="https://www.maliweb.net/rss", state=state, error_count=errors,
        last_error="HTTP 503 from https://www.maliweb.net/rss" if errors else None,
        last_success=NOW - timedelta(hours=last_success_hours_ago), created=NOW - timedelta(days=30),
        new_item_times=tuple(last_new - timedelta(hours=gap_hours * i) for i in range(times)),
    )


def test_a_failing_feed_alerts_once_when_it_degrades_and_once_when_it_recovers() -> None:
    config = AlertsConfig(feed_failures=5)
    changed, drafts = check_feeds([vitals("failing", errors=4)], {}, config, NOW)
    assert drafts == []
    changed, drafts = check_feeds([vitals("failing", errors=5)], {}, config, NOW)
    (degraded,) = drafts
    assert degraded.alert_id == "feed-3-degraded-1" and degraded.kind == "FEED_DEGRADED"
    assert degraded.title.startswith("FEED FAILING · Maliweb · 5 failed polls in a row")
    assert "HTTP 503" in degraded.body and degraded.feed_id == 3
    watch = {3: changed[0]}
    assert check_feeds([vitals("failing", errors=9)], watch, config, NOW + timedelta(hours=1))[1] == []
    later = NOW + timedelta(hours=5)
    changed, drafts = check_feeds([vitals("ok")], watch, config, later)
    (recovered,) = drafts
    assert recovered.alert_id == "feed-3-recovered-1" and recovered.kind == "FEED_RECOVERED"
    assert "after 5 hours" in recovered.title
    watch = {3: changed[0]}
    assert check_feeds([vitals("ok")], watch, config, later)[1] == []
    _, drafts = check_feeds([vitals("disabled")], watch, config, later + timedelta(days=1))
    assert drafts[0].alert_id == "feed-3-degraded-2" and "410" in drafts[0].title


def test_a_silent_feed_is_judged_against_its_own_rhythm() -> None:
    config = AlertsConfig(feed_silence_factor=10, feed_silence_min=3600)
    assert usual_gap(vitals(gap_hours=4).new_item_times) == timedelta(hours=4)
    assert verdict(vitals(gap_hours=4, quiet_hours=30), config, NOW) is None
    reason = verdict(vitals(gap_hours=4, quiet_hours=50), config, NOW)
    assert reason and reason.startswith("no new article for 2 days, usually every 4 hours")
    assert verdict(vitals(times=3, quiet_hours=500), config, NOW) is None  # no rhythm known yet
    # the daemon was off: time not spent polling does not count as silence
    assert verdict(vitals(gap_hours=4, quiet_hours=50, last_success_hours_ago=45), config, NOW) is None


def test_feed_alerts_respect_the_cooldown() -> None:
    config = AlertsConfig(feed_failures=1, cooldown=3600)
    watch = FeedWatch(3, "ok", None, NOW, 1, alerted=NOW - timedelta(minutes=10))
    _, (draft,) = check_feeds([vitals("failing", errors=1)], {3: watch}, config, NOW)
    assert draft.not_before == NOW + timedelta(minutes=50)


def test_date_precision_words() -> None:
    from monitor.alerts.drafts import date_phrase

    day = date(2024, 5, 1)
    assert [date_phrase(day, p) for p in ("day", "week", "month", "year", "unknown")] == [
        "1 May 2024", "week of 1 May 2024", "May 2024", "2024", "date unclear"]
