"""What the alert tests share: a real SMTP server, a webhook, and incidents to alert about.

    smtp = LocalSMTPServer().start()        # aiosmtpd on 127.0.0.1; smtp.messages
    smtp.url()                              # "mailto://127.0.0.1:PORT?from=...&to=..."
    smtp.stop(); smtp.start()               # down, and back on the same port

    webhook = Webhook(http_server)          # json:// POSTs to /hook on a LocalHTTPServer
    webhook.alert_ids()                     # X-Sahel-Alert-Id of every POST received, in order

    change("NEW", incident_id=7, killed=(30, 60))   # an IncidentChange with sources and evidence
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from monitor.models import (
    Figure,
    IncidentChange,
    IncidentSnapshot,
    Location,
    SourceClaim,
    TollRange,
)
from tests.httpserver import LocalHTTPServer, Request, Response

NOW = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- SMTP ----------------------------------------------------------------------------


class _Collect:
    def __init__(self, owner: LocalSMTPServer) -> None:
        self.owner = owner

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's naming)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.owner.lock:
            self.owner.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"


class LocalSMTPServer:
    """aiosmtpd on 127.0.0.1, keeping every message it accepts. Restartable on its port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> LocalSMTPServer:
        self._controller = Controller(_Collect(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def url(self, **params: str) -> str:
        query = {"from": "alerts@sahel.example", "to": "analyst@sahel.example", **params}
        return f"mailto://127.0.0.1:{self.port}?" + "&".join(f"{k}={v}" for k, v in query.items())

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(m["Subject"]) for m in self.messages]

    def alert_ids(self) -> list[str]:
        with self.lock:
            return [str(m["X-Sahel-Alert-Id"]) for m in self.messages]


def text_of(message: EmailMessage) -> str:
    """The plain-text and HTML parts of a mail, decoded, one after the other."""
    parts = [p.get_content() for p in message.walk() if p.get_content_type() in ("text/plain", "text/html")]
    return "\n".join(parts)


# --- webhook -----------------------------------------------------------------------------


class Webhook:
    """A json:// target on a LocalHTTPServer: answers 200 unless told otherwise."""

    def __init__(self, server: LocalHTTPServer, path: str = "/hook") -> None:
        self.server = server
        self.path = path
        self.answer: Any = None  # a Response, or a function of the request; None: 200
        server.route(path, self._handle)

    def _handle(self, request: Request) -> Response:
        if callable(self.answer):
            return self.answer(request)
        return self.answer or Response(200, b"ok")

    def url(self) -> str:
        return self.server.url(self.path).replace("http://", "json://", 1)

    def posts(self) -> list[Request]:
        return [r for r in list(self.server.requests) if r.method == "POST" and r.path == self.path]

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(r.body) for r in self.posts()]

    def alert_ids(self) -> list[str]:
        return [r.headers.get("x-sahel-alert-id", "") for r in self.posts()]

    def counts(self) -> Counter[str]:
        return Counter(self.alert_ids())


# --- incidents -----------------------------------------------------------------------------


def claim(
    article_id: int,
    publisher: str,
    killed: tuple[int, int] | None,
    *,
    qualifier: str = "exact",
    text: str = "",
    evidence: tuple[str, ...] = (),
    group: str = "military",
    title: str | None = None,
    hours: float = 0,
) -> SourceClaim:
    figures = ()
    if killed is not None:
        figures = (Figure("killed", group, killed[0], killed[1], qualifier, text or f"{killed[0]} killed"),)
    return SourceClaim(
        article_id=article_id,
        publisher=publisher,
        url=f"https://news.example/{publisher.lower().replace(' ', '-')}/{article_id}",
        title=title or f"{publisher}: attack in central Mali",
        published=NOW + timedelta(hours=hours),
        figures=figures,
        evidence=evidence,
        voice=publisher,
    )


BOULKESSI = Location("Boulkessi", "Mopti", "Douentza", "ML", 14.55, -1.53, "2361120", "PPL")


def snapshot(
    incident_id: int,
    state: str,
    sources: tuple[SourceClaim, ...],
    *,
    flags: frozenset[str] = frozenset(),
    claimed_by: tuple[str, ...] = (),
    location: Location | None = BOULKESSI,
    event_date: date | None = date(2024, 5, 1),
) -> IncidentSnapshot:
    tolls = []
    for group in dict.fromkeys(f.group for s in sources for f in s.figures if f.kind == "killed"):
        said = [f for s in sources for f in s.figures if f.kind == "killed" and f.group == group]
        low = min(f.low for f in said if f.low is not None)
        high = max(f.high for f in said if f.high is not None)
        tolls.append(TollRange("killed", group, low, (low + high) // 2, high))
    return IncidentSnapshot(
        id=incident_id, state=state, event_date=event_date, date_precision="day", location=location,
        event_type="Battles", sub_event_type="Armed clash", actors=("JNIM", "FAMa"), claimed_by=claimed_by,
        flags=flags, tolls=tuple(tolls), publishers=len({s.publisher for s in sources}), sources=sources,
        first_seen=NOW, last_seen=max(s.published for s in sources),
        voices=tuple(dict.fromkeys(s.voice or s.publisher for s in sources)),
    )


def change(
    state: str,
    incident_id: int = 7,
    sources: tuple[SourceClaim, ...] | None = None,
    *,
    level: str | None = None,
    reasons: tuple[str, ...] = (),
    at: datetime = NOW,
    **snapshot_args: Any,
) -> IncidentChange:
    if sources is None:
        sources = (
            claim(101, "RFI Afrique", (30, 30), qualifier="at_least", text="au moins 30 soldats",
                  evidence=("Au moins 30 soldats ont été tués lors de l'attaque du camp de Boulkessi.",)),
        )
    snap = snapshot(incident_id, state, sources, **snapshot_args)
    return IncidentChange(
        incident_id=incident_id,
        state=state,
        level=level or ("new" if state == "NEW" else "killed:25"),
        reasons=reasons or (("new incident",) if state == "NEW" else ("killed toll crossed 25",)),
        at=at,
        snapshot=snap,
        alertable=True,
    )
