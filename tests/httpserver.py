"""A real HTTP server on 127.0.0.1 for tests: routes answer with scripted responses.

    server.route("/feed.xml", Response(body=b"<rss ...>", headers={"ETag": '"v1"'}))
    server.route("/dyn", lambda req: Response(status=304) if req.headers.get("If-None-Match") else ...)
    server.requests  # every request seen: Request(method, path, headers, body)

POST is answered like GET, by the same routes; its body is kept in ``Request.body``
(webhook tests).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]  # keys lower-cased
    body: bytes = b""  # POST only


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (timeouts)
    chunks: list[bytes] | None = None  # streamed without Content-Length when set


Handler = Callable[[Request], Response]


class _RequestHandler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()}))

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer(Request("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body))

    def _answer(self, request: Request) -> None:
        path = self.path.split("?", 1)[0]
        self.server.owner.requests.append(request)
        handler = self.server.owner.routes.get(self.path) or self.server.owner.routes.get(path)
        response = handler(request) if handler else Response(404, b"not found")
        if response.delay:
            time.sleep(response.delay)
        try:
            self._send(response)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.chunks is not None:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in response.chunks:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        if "content-length" not in {k.lower() for k in response.headers}:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if response.status != 304:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: "LocalHTTPServer"

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return  # a client that hangs up on an unread body is the test's point, not a fault
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class LocalHTTPServer:
    """Serves scripted routes on 127.0.0.1 on a free port, in a background thread."""

    def __init__(self, port: int = 0) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self._server = _Server(("127.0.0.1", port), _RequestHandler)  # a port: to come back on it
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, response: Response | Handler) -> None:
        self.routes[path] = response if callable(response) else (lambda _req, r=response: r)

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> "LocalHTTPServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
