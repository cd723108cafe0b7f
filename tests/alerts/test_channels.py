"""Each channel gets what it can use: e-mail an HTML and a text part with links (a real SMTP
server, aiosmtpd), a json:// webhook the alert's document (a real HTTP server), chat a short
message; the digest every member's essentials. All on 127.0.0.1."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from email.message import EmailMessage

import pytest

from monitor.alerts.delivery import (
    JSON_WRAPPER,
    Sender,
    draft_as_outbox,
    load_targets,
    message_for,
    webhook_payload,
)
from monitor.alerts.drafts import chat_body, digest_draft, drafts_for
from monitor.alerts.formats import md_link, render
from monitor.alerts.health import check_feeds
from monitor.config import AlertsConfig
from monitor.models import AlertDraft, Location
from monitor.store import Store
from tests.alertkit import NOW, LocalSMTPServer, Webhook, change, claim
from tests.alerts.test_drafts import vitals
from tests.httpserver import LocalHTTPServer

KIDAL = Location("Kidal", "Kidal", "Kidal", "ML", 18.441, 1.407, "2455290", "PPLA")


def two_groups(incident_id: int = 7, **extra: object) -> AlertDraft:
    """An incident with soldiers and civilians killed, told by two outlets."""
    (draft,) = drafts_for([change("NEW", incident_id=incident_id, sources=(
        claim(incident_id * 10 + 1, "RFI Afrique", (30, 30), qualifier="at_least", text="au moins 30 soldats",
              evidence=("Au moins 30 soldats ont été tués lors de l'attaque.",)),
        claim(incident_id * 10 + 2, "Studio Tamani", (4, 6), group="civilian", qualifier="range",
              text="entre 4 et 6 civils", hours=2),
    ), **extra)], AlertsConfig())  # type: ignore[arg-type]
    return draft


def parts(message: EmailMessage) -> dict[str, str]:
    return {p.get_content_type(): p.get_content() for p in message.walk() if p.get_content_type().startswith("text/")}


def deliver(store: Store, cfg: AlertsConfig) -> None:
    sender = Sender(cfg, store, clock=lambda: NOW + timedelta(hours=3), out=io.StringIO())
    report = sender.deliver()
    assert report.failed == 0, report.errors


# --- e-mail ---------------------------------------------------------------------------------


def test_an_email_has_an_html_part_and_a_text_part_both_with_every_link(store: Store, smtp: LocalSMTPServer) -> None:
    draft = two_groups()
    store.add_alerts([draft])
    deliver(store, AlertsConfig(urls=[smtp.url()], digest_every=0))
    (mail,) = smtp.messages
    assert mail.get_content_type() == "multipart/alternative"
    found = parts(mail)
    assert set(found) == {"text/plain", "text/html"}
    text, html = found["text/plain"], found["text/html"]
    urls = ["https://news.example/rfi-afrique/71", "https://news.example/studio-tamani/72"]
    for number, url in enumerate(urls, 1):
        assert f'<a href="{url}">' in html
        assert f"[{number}] {url}" in text  # the Links list, in the part a text reader sees
    assert "RFI Afrique: attack in central Mali [1] — RFI Afrique" in text  # the article says which
    assert "30 — RFI Afrique «au moins 30 soldats»" in text and "incident-7-new" in text
    assert "Alert incident-7-new · incident 7" in text  # inline code keeps its line in the text part
    assert str(mail["Subject"]) == draft.title


def test_a_plain_text_mail_target_writes_each_address_after_its_link(store: Store, smtp: LocalSMTPServer) -> None:
    store.add_alerts([two_groups()])
    deliver(store, AlertsConfig(urls=[smtp.url(format="text")], digest_every=0))
    (mail,) = smtp.messages
    assert mail.get_content_type() == "text/plain"
    text = mail.get_content()
    assert "RFI Afrique: attack in central Mali <https://news.example/rfi-afrique/71>" in text
    assert "**" not in text and "<a " not in text


def test_the_digest_mail_carries_each_member_s_essentials_and_a_link(store: Store, smtp: LocalSMTPServer) -> None:
    small = [
        *drafts_for([change("NEW", incident_id=1, sources=(claim(11, "RFI", (2, 2)),))], AlertsConfig()),
        *drafts_for([change("NEW", incident_id=2, location=KIDAL, sources=(
            claim(21, "APA", (3, 3), group="civilian"), claim(22, "Le Jalon", (1, 4), group="civilian", hours=1),
        ))], AlertsConfig()),
    ]
    _, feeds = check_feeds([vitals("failing", errors=5)], {}, AlertsConfig(), NOW)
    store.add_alerts([*small, *feeds])
    cfg = AlertsConfig(urls=[smtp.url()], digest_every=3600)
    sender = Sender(cfg, store, clock=lambda: NOW + timedelta(hours=1), out=io.StringIO())
    sender.deliver()
    assert smtp.messages == []  # all three wait for the digest
    digest_id = sender.make_digest()
    sender.deliver()
    (mail,) = smtp.messages
    assert str(mail["X-Sahel-Alert-Id"]) == digest_id
    text, html = parts(mail)["text/plain"], parts(mail)["text/html"]
    for part in (text, html):
        for draft in (*small, *feeds):
            assert draft.title in part and draft.alert_id in part
        assert "2 soldiers killed (best estimate 2 killed)" in part
        assert "Kidal (Mali) — 18.441, 1.407" in part and "1 May 2024" in part
        assert "1–4 civilians killed (best estimate 2 killed)" in part  # across both sources
        assert "2 independent sources: APA; Le Jalon" in part
        assert "HTTP 503 from https://www.maliweb.net/rss" in part
        assert "sahel-monitor alerts show" not in part  # nothing needs the command line
    # one link each: the latest report, with its address in the text part too
    for url in ("https://news.example/rfi/11", "https://news.example/le-jalon/22"):
        assert f'<a href="{url}">' in html and re.search(rf"\[\d\] {re.escape(url)}", text)
    assert "https://news.example/apa/21" not in text


# --- webhooks ---------------------------------------------------------------------------------


def test_a_json_webhook_receives_the_document_with_coordinates_and_tolls_by_group(
    store: Store, http_server: LocalHTTPServer
) -> None:
    hook = Webhook(http_server)
    store.add_alerts([two_groups(location=KIDAL)])
    deliver(store, AlertsConfig(urls=[hook.url() + "?:office=bamako&:message=text"], digest_every=0))
    (post,) = hook.posts()
    assert post.headers["content-type"] == "application/json"
    assert post.headers["x-sahel-alert-id"] == "incident-7-new"
    (document,) = hook.payloads()
    assert not set(document) & set(JSON_WRAPPER)  # apprise's {version, title, message, ...} is gone
    assert document["office"] == "bamako"  # the URL's own field, kept
    assert (document["id"], document["kind"], document["reasons"]) == ("incident-7-new", "NEW", ["new incident"])
    incident = document["incident"]
    assert incident["place"] == {
        "name": "Kidal", "admin1": "Kidal", "admin2": "Kidal", "country": "ML", "lat": 18.441, "lon": 1.407,
        "place_id": "2455290", "feature_code": "PPLA",
    }
    assert incident["tolls"] == [
        {"kind": "killed", "group": "military", "low": 30, "best": 30, "high": 30},
        {"kind": "killed", "group": "civilian", "low": 4, "best": 5, "high": 6},
    ]
    assert incident["killed"] == {"low": 34, "best": 35, "high": 36}
    assert [(s["publisher"], s["url"], s["published"]) for s in incident["sources"]] == [
        ("RFI Afrique", "https://news.example/rfi-afrique/71", "2024-05-02T08:00:00Z"),
        ("Studio Tamani", "https://news.example/studio-tamani/72", "2024-05-02T10:00:00Z"),
    ]
    assert document == {**store.alert("incident-7-new").data, "subject": document["subject"], "office": "bamako"}  # type: ignore[union-attr]


def test_the_webhook_mapping_removes_apprise_s_fields_and_refuses_a_field_it_would_rename() -> None:
    mapping = webhook_payload({"schema": "s", "id": "a"}, {"office": "bamako", "message": "text", "id": "x"})
    assert mapping == {"version": "", "title": "", "message": "", "attachments": "", "type": "", "schema": "s",
                       "id": "a", "office": "bamako"}
    with pytest.raises(ValueError, match="title"):
        webhook_payload({"schema": "s", "title": "clash"}, {})


# --- chat and the choice of channel ---------------------------------------------------------------------


CHATS = [
    "tgram://123456789:AAbbccddeeffgghhiijjkkllmmnnooppqqrr/-100123",
    "discord://1234567890/abcdefghijklmnop",
    "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#alerts",
    "ntfy://sahel-alerts",
]


def test_each_target_gets_its_channel() -> None:
    urls = [*CHATS, "mailto://u:p@mail.example?to=a@sahel.example", "mailto://u:p@mail.example?to=a@sahel.example&format=text",
            "json://127.0.0.1:9/hook", "xml://127.0.0.1:9/hook"]
    targets = load_targets(AlertsConfig(urls=urls))
    # only a chat has a real length limit; a digest of many alerts goes whole by e-mail
    assert [t.body_limit > 0 for t in targets] == [t.short for t in targets]
    got = [(t.label.split(":")[0], t.fmt, t.short) for t in targets]
    assert got == [
        ("tgram", "html", True), ("discord", "text", True), ("slack", "markdown", True), ("ntfys", "text", True),
        ("mailto", "email", False), ("mailto", "text", False), ("json", "webhook", False), ("xml", "text", False),
    ]


def test_chat_gets_a_short_message_with_the_essentials_and_one_link() -> None:
    alert = draft_as_outbox(two_groups(location=KIDAL))
    short = chat_body(alert)
    assert short.count("\n") < 10 and "**Evidence**" not in short and "**Figures**" not in short
    for target in load_targets(AlertsConfig(urls=CHATS)):
        _, body = message_for(target, alert)
        text = render(short, "text")
        assert body == render(short, target.fmt) and len(body) < 900, target.label
        assert "30 soldiers, 4–6 civilians killed (best estimate 35 killed)" in text
        assert "Kidal (Mali) — 18.441, 1.407" in text and "1 May 2024" in text
        assert "2 independent sources: RFI Afrique; Studio Tamani" in text
        assert "<https://news.example/studio-tamani/72>" in text  # the latest report
        assert "https://news.example/rfi-afrique/71" not in body and "incident-7-new" in body


def test_feed_notices_and_digests_carry_documents_and_go_whole_to_chats() -> None:
    _, (degraded,) = check_feeds([vitals("failing", errors=5)], {}, AlertsConfig(), NOW)
    assert degraded.data["feed"]["url"] == "https://www.maliweb.net/rss"  # type: ignore[index]
    assert degraded.data["reasons"][0].startswith("5 failed polls in a row")  # type: ignore[index]
    assert chat_body(draft_as_outbox(degraded)) == degraded.body
    members = [draft_as_outbox(d) for d in (two_groups(1), two_groups(2), degraded)]
    digest = digest_draft(members, NOW + timedelta(hours=2), NOW)
    assert [m["id"] for m in digest.data["members"]] == ["incident-1-new", "incident-2-new", degraded.alert_id]  # type: ignore[index]
    assert digest.data["members"][0]["subject"] == members[0].title  # type: ignore[index]
    assert digest.data["since"] == "2024-05-02T08:00:00Z"  # type: ignore[index]


# --- formats -------------------------------------------------------------------------------------------------


def test_email_html_numbers_each_link_once_and_lists_the_addresses() -> None:
    md = "\n".join([
        f"- {md_link('first', 'https://e.org/1')}", f"- {md_link('again', 'https://e.org/1')}",
        f"- {md_link('second', 'https://e.org/2')}", f"- {md_link('https://e.org/3', 'https://e.org/3')}",
        "- `code` and javascript: " + md_link("x", "javascript:alert(1)"),
    ])
    html = render(md, "email")
    assert '<a href="https://e.org/1">first</a> [1]' in html and '<a href="https://e.org/1">again</a> [1]' in html
    assert '<a href="https://e.org/2">second</a> [2]' in html
    assert '<a href="https://e.org/3">https://e.org/3</a></li>' in html  # a bare address needs no number
    assert html.endswith('[2] <a href="https://e.org/2">https://e.org/2</a></p>')
    assert "[3]" not in html and "javascript" not in html.replace("javascript: x", "")
    assert '<span style="font-family:monospace">code</span>' in html and "<code>" not in html
    assert render(md_link("https://e.org/3", "https://e.org/3"), "text") == "https://e.org/3"
    assert render("no links", "email") == "<p>no links</p>"
