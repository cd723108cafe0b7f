"""The webhook document is what docs/alerts.md#webhooks says, field for field, as a real HTTP
server on 127.0.0.1 receives it: every documented field arrives with its documented type, and
nothing arrives that the page does not list."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from monitor.alerts.delivery import Sender, draft_as_outbox, run_test
from monitor.alerts.drafts import drafts_for, sample_draft
from monitor.config import AlertsConfig, FeedConfig
from monitor.models import FetchResult
from monitor.store import Store
from tests.alertkit import NOW, Webhook, change, claim
from tests.alerts.test_delivery import Clock
from tests.conftest import ROOT
from tests.httpserver import LocalHTTPServer

DOC = ROOT / "docs" / "alerts.md"
SECTION_OF_KIND = {
    "NEW": "Incident alerts", "ESCALATED": "Incident alerts", "FEED_DEGRADED": "Feed alerts",
    "FEED_RECOVERED": "Feed alerts", "DIGEST": "Digests", "TEST": None,
}
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
DAY = re.compile(r"\d{4}-\d\d-\d\d")


def documented() -> dict[str, dict[str, str]]:
    """Per ``###`` section of the Webhooks chapter ("Every document", "Incident alerts"...):
    each field's path and its type, as the tables say."""
    text = DOC.read_text(encoding="utf-8")
    chapter = text[text.index("\n## Webhooks") + 1 :]
    chapter = chapter[: chapter.index("\n## ")]
    sections = {}
    for section in chapter.split("\n### ")[1:]:
        name = section.split("\n", 1)[0].split(" (")[0]
        sections[name] = dict(re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|", section, re.MULTILINE))
    return sections


def fields(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every (path, value) of a document: ``a``, ``a.b``, ``a[].b``. A digest's members are
    documents of their own, checked as such."""
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path, inner
            if path != "members":
                yield from fields(inner, path)
    elif isinstance(value, list):
        for item in value:
            yield from fields(item, prefix + "[]")


def fits(kind: str, value: Any) -> bool:
    """Does ``value`` have the documented type (``string, time, or null``, ``list of objects``...)?"""
    if value is None:
        return "null" in kind
    base = kind.split(" or ")[0].split(",")[0].strip()
    if base.startswith("list of "):
        element = {"strings": str, "objects": dict}[base.removeprefix("list of ")]
        return isinstance(value, list) and all(isinstance(v, element) for v in value)
    expected = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "object": dict}[base]
    if not isinstance(value, expected) or (base in ("integer", "number") and isinstance(value, bool)):
        return False
    if "time" in kind:
        return bool(TIME.fullmatch(value))
    return True


def check(document: dict[str, Any], sections: dict[str, dict[str, str]]) -> None:
    """The document's fields are the documented ones for its kind, each of its documented type."""
    section = SECTION_OF_KIND[document["kind"]]
    expected = {**sections["Every document"], **(sections[section] if section else {})}
    received = list(fields(document))
    kind = document["kind"]
    assert {path for path, _ in received} == set(expected), (
        f"{kind}: not documented {sorted({p for p, _ in received} - set(expected))}, "
        f"documented but not received {sorted(set(expected) - {p for p, _ in received})}"
    )
    for path, value in received:
        assert fits(expected[path], value), f"{kind}: {path} = {value!r} is not {expected[path]!r}"
    for member in document.get("members", ()):
        check(member, sections)


def test_every_documented_field_arrives_and_nothing_else(store: Store, http_server: LocalHTTPServer) -> None:
    sections = documented()
    assert set(sections) == {"Every document", "Incident alerts", "Feed alerts", "Digests"}
    assert "incident.place.lat" in sections["Incident alerts"] and "feed.url" in sections["Feed alerts"]
    hook = Webhook(http_server)
    clock = Clock()

    # one alone: an urgent incident told by two sources, two victim groups, a claim
    big = change("ESCALATED", incident_id=4, sources=(
        claim(41, "RFI Afrique", (30, 30), qualifier="at_least", text="au moins 30 soldats",
              evidence=("Au moins 30 soldats ont été tués.",)),
        claim(42, "Studio Tamani", (5, 7), group="civilian", qualifier="range", text="5 à 7 civils", hours=2),
    ), claimed_by=("JNIM",), flags=frozenset({"overrun"}), level="flag:overrun", reasons=("base overrun",))
    store.add_alerts(drafts_for([big], AlertsConfig()))
    # a feed that fails, alone too
    store.sync_feeds([FeedConfig(name="Maliweb", url="https://www.maliweb.net/rss")], NOW)
    (feed,) = store.all_feeds()
    alone = Sender(AlertsConfig(urls=[hook.url()], digest_every=0, feed_failures=1), store, clock=clock,
                   out=io.StringIO())
    store.record_poll_failure(feed.id, now=NOW, next_poll=NOW, result=None, error="HTTP 503", error_kind="http")
    alone.check_feed_health()
    alone.deliver()

    # then a digest of a small incident and the feed's recovery
    clock.now = NOW + timedelta(hours=2)
    gathering = Sender(AlertsConfig(urls=[hook.url()], digest_every=60, feed_failures=1), store, clock=clock,
                       out=io.StringIO())
    store.add_alerts(drafts_for([change("NEW", incident_id=5, sources=(claim(51, "APA", (2, 2)),), at=clock.now)],
                                AlertsConfig()))
    ok = FetchResult(url=feed.url, final_url=feed.url, status=200)
    store.record_poll_success(feed.id, now=clock.now, next_poll=clock.now, result=ok, items=1, new_items=1)
    gathering.check_feed_health()
    gathering.deliver()
    assert gathering.make_digest()
    gathering.deliver()

    # and the test alert, which has only the fields every document has
    run_test(AlertsConfig(urls=[hook.url()]), draft_as_outbox(sample_draft(NOW)))

    documents = hook.payloads()
    kinds = [d["kind"] for d in documents]
    assert kinds == ["ESCALATED", "FEED_DEGRADED", "DIGEST", "TEST"], kinds
    assert [m["kind"] for m in documents[2]["members"]] == ["NEW", "FEED_RECOVERED"]
    assert hook.alert_ids() == [d["id"] for d in documents]
    for document in documents:
        assert document["schema"] == "sahel-monitor/alert/v1"
        check(document, sections)
    assert DAY.fullmatch(documents[0]["incident"]["date"])


def test_a_webhook_url_posts_the_document_like_json(store: Store, http_server: LocalHTTPServer) -> None:
    hook = Webhook(http_server, "/generic")
    plain = hook.url().replace("json://", "webhook://", 1)
    sender = Sender(AlertsConfig(urls=[f"urgent,digest={plain}"], digest_every=0), store, clock=Clock(),
                    out=io.StringIO())
    store.add_alerts(drafts_for([change("NEW", incident_id=8, sources=(claim(81, "APA", (12, 12)),))],
                                AlertsConfig()))
    sender.deliver()
    (document,) = hook.payloads()
    assert document["schema"] == "sahel-monitor/alert/v1" and document["incident"]["id"] == 8
    assert hook.posts()[0].headers["content-type"].startswith("application/json")
