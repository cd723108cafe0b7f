"""HTTP GET for feeds and pages: the only module that touches the network.

Every expected outcome is a value (``FetchResult``); only bugs raise. One call
walks this tree, one hop per redirect:

    fetch(url)                   (fetch_page(url, deadline): an article page, its own address policy)
     ├─ check_url refuses the hop ─────────── BAD_URL | DNS | BLOCKED_ADDRESS
     ├─ no per-host slot by the deadline ──── TIMEOUT (a page: the cycle's page deadline)
     └─ per-host slot taken, GET sent
         ├─ transport failure ─────────────── DNS | CONNECT | TIMEOUT | PROTOCOL
         ├─ connected peer not public ─────── BLOCKED_ADDRESS (the name changed since the check)
         ├─ 301/302/303/307/308 + Location ── next hop (checked again)
         │    ├─ no Location ──────────────── PROTOCOL
         │    └─ more than max_redirects ──── PROTOCOL
         ├─ 304 ───────────────────────────── ok, not_modified, validators (new, else the ones sent)
         ├─ 429, 503 ──────────────────────── RATE_LIMITED (+ retry_after)
         ├─ 410 ───────────────────────────── GONE
         ├─ any other non-2xx ─────────────── HTTP
         └─ 2xx: body streamed and decoded
              ├─ Content-Length or decoded size > max_bytes ── TOO_LARGE
              ├─ broken gzip/deflate/br ──────────────────── PROTOCOL
              ├─ still dripping after the exchange deadline ─ TIMEOUT (or the page deadline, if sooner)
              └─ ok: body, etag, last_modified, max_age, permanent_redirect

``permanent_redirect`` is set on an ok result when every hop was 301/308.
Bodies are decoded here, a bounded piece at a time, so ``max_bytes`` caps the
decoded size and a compression bomb costs no more memory than the cap.
``etag``/``last_modified`` are always what the caller should send next time:
the new ones on 200, the new-or-old ones on 304, the old ones on failure.

Feed URLs were chosen by the user, article links by whoever writes the feed: each kind
has its own switch for non-public addresses (``monitor.collect.addresses``), both
defaulting to ``fetch.allow_private_addresses``.
"""

from __future__ import annotations

import email.utils
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import timezone
from types import TracebackType
from typing import Any, Protocol

import brotli
import httpcore
import httpx

from monitor.collect.addresses import IPAddress, address_problem
from monitor.config import FetchConfig
from monitor.models import FetchErrorKind, FetchResult

__all__ = [
    "FEED_ACCEPT",
    "FEED_SWITCH",
    "PAGE_ACCEPT",
    "PAGE_SWITCH",
    "Fetcher",
    "address_problem",
    "check_url",
    "max_age_seconds",
    "retry_after_seconds",
]

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
# the config keys that allow non-public addresses, named in refusals
FEED_SWITCH = "fetch.allow_private_feed_addresses"
PAGE_SWITCH = "fetch.allow_private_page_addresses"
ANY_SWITCH = "fetch.allow_private_addresses"
ACCEPT_ENCODING = "gzip, deflate, br"

MAX_HINT_SECONDS = 86400.0  # Retry-After and max-age beyond a day are a server's mistake
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECT_STATUSES = frozenset({301, 308})
RATE_LIMIT_STATUSES = frozenset({429, 503})

# Read timeouts bound each read, not the whole body: a server dripping a byte
# just under the timeout would hold a worker forever without this.
EXCHANGE_DEADLINE_FACTOR = 4
# Decompressed output is produced in pieces this big, so a bomb never sits in memory whole.
DECODED_PIECE = 64 * 1024

_HOST_NAME = re.compile(r"[A-Za-z0-9._-]+")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_MAX_AGE = re.compile(r'(?:^|,)\s*max-age\s*=\s*"?([0-9]+)"?\s*(?=,|$)', re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)([^@\s]+)(@)")


# --- address policy ------------------------------------------------------------


@dataclass(frozen=True)
class _Refusal:
    kind: FetchErrorKind
    reason: str


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def check_url(url: str, allow_private: bool, switch: str = ANY_SWITCH) -> str | None:
    """None when ``url`` may be fetched, else a one-line reason.

    Refused: anything but http(s), no host, a malformed host, and (unless
    ``allow_private``) a host that is, or resolves to, a non-public address;
    the reason then names ``switch``, the config key that would allow it.
    """
    refusal = _refuse_url(url, allow_private, switch)
    return refusal.reason if refusal else None


def _refuse_url(url: str, allow_private: bool, switch: str) -> _Refusal | None:
    shown = _displayed(url)
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        return _Refusal(FetchErrorKind.BAD_URL, f"malformed URL {shown}: {_one_line(exc)}")
    malformed = _malformed(parsed)
    if malformed:
        return _Refusal(FetchErrorKind.BAD_URL, f"{malformed}: {shown}")
    if allow_private:
        return None
    host = parsed.raw_host.decode("ascii")
    literal = _ip_literal(host)
    if literal is not None:
        return _refuse_addresses(host, [literal], shown, switch)
    try:
        addresses = _resolve(host)
    except OSError as exc:
        return _Refusal(FetchErrorKind.DNS, f"{host} does not resolve ({_os_reason(exc)}) fetching {shown}")
    return _refuse_addresses(host, addresses, shown, switch)


def _malformed(parsed: httpx.URL) -> str | None:
    """What makes a parsed URL unusable, before any policy; None when it is usable."""
    if parsed.scheme not in ("http", "https"):
        return "not an http(s) URL"
    host = parsed.raw_host.decode("ascii", "replace")
    if not host:
        return "no host in URL"
    if parsed.port is not None and not 0 < parsed.port < 65536:
        return f"port {parsed.port} out of range in URL"
    if _ip_literal(host) is not None:
        return None
    # the resolver raises (not fails) on these, and socket code deeper down as well
    labels = host.rstrip(".").split(".")
    if not _HOST_NAME.fullmatch(host) or len(host) > 253 or not all(0 < len(label) < 64 for label in labels):
        return f"malformed host {host!r} in URL"
    return None


def _resolve(host: str) -> list[IPAddress]:
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def _refuse_addresses(host: str, addresses: Sequence[IPAddress], shown: str, switch: str) -> _Refusal | None:
    # every address counts: the connection may use any of them
    for address in addresses:
        problem = address_problem(address)
        if problem:
            where = "" if str(address) == host else f"{host} resolves to "
            return _Refusal(FetchErrorKind.BLOCKED_ADDRESS, f"{where}{problem}: refusing {shown} ({switch} is off)")
    return None


class _BlockedPeer(Exception):
    """The connection reached an address the pre-flight check would have refused."""


class _PublicPeersOnly(httpcore.NetworkBackend):
    """Closes, before a byte is sent, a connection whose peer is not public.

    check_url resolved the name a moment earlier; the connection resolves it
    again, and a hostile DNS server may answer differently (DNS rebinding).
    """

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        problem = _peer_problem(stream.get_extra_info("server_addr"))
        if problem:
            stream.close()
            raise _BlockedPeer(f"{host} connected to {problem}")
        return stream

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return self._inner.connect_unix_socket(path, timeout, socket_options)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _peer_problem(peer: Any) -> str | None:
    address = _ip_literal(str(peer[0])) if isinstance(peer, tuple) and peer else None
    if address is None:  # fail closed: an unknown peer is not known to be public
        return f"an address that cannot be checked ({peer!r})"
    return address_problem(address)


# --- response hints ------------------------------------------------------------


def _clamp_hint(seconds: float) -> float:
    return min(max(seconds, 0.0), MAX_HINT_SECONDS)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After (delta seconds or HTTP date) as seconds in [0, 24 h]; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if _NUMBER.fullmatch(value):
        return _clamp_hint(float(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT even when they forget to say so
        when = when.replace(tzinfo=timezone.utc)
    return _clamp_hint(when.timestamp() - (time.time() if now is None else now))


def max_age_seconds(cache_control: str | None) -> float | None:
    """Cache-Control max-age as seconds in [0, 24 h]; None if absent."""
    match = _MAX_AGE.search(cache_control or "")
    return _clamp_hint(float(match.group(1))) if match else None


def _content_length(headers: httpx.Headers) -> int | None:
    try:
        return int(headers.get("content-length", ""))
    except ValueError:
        return None


# --- bounded content decoding --------------------------------------------------
# httpx's own decoders inflate a whole network read at once: 50 KB of gzip
# becomes 50 MB in one call, a few hundred bytes of brotli half a gigabyte.
# These produce at most about DECODED_PIECE per step, so the size cap bites first.


class _Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...


class _ZlibDecoder:
    def __init__(self, wbits: int) -> None:
        self._inflater = zlib.decompressobj(wbits)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            piece = self._inflater.decompress(data, DECODED_PIECE)
            if piece:
                yield piece
            data = self._inflater.unconsumed_tail
            if self._inflater.eof or (not data and len(piece) < DECODED_PIECE):
                return


class _DeflateDecoder:
    """"deflate" is zlib-wrapped by the RFC and raw in much of the wild: sniff which."""

    def __init__(self) -> None:
        self._inner: _ZlibDecoder | None = None

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._inner is None:
            self._inner = _ZlibDecoder(zlib.MAX_WBITS if _has_zlib_header(data) else -zlib.MAX_WBITS)
        yield from self._inner.feed(data)


def _has_zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0


class _BrotliDecoder:
    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        piece = self._decompressor.process(data, output_buffer_limit=DECODED_PIECE)
        # output held back by the limit comes out of calls with no input
        while piece:
            yield piece
            if self._decompressor.is_finished():
                return
            piece = self._decompressor.process(b"", output_buffer_limit=DECODED_PIECE)


def _gzip_decoder() -> _Decoder:
    return _ZlibDecoder(zlib.MAX_WBITS | 16)


_DECODERS: dict[str, Callable[[], _Decoder]] = {
    "gzip": _gzip_decoder,
    "x-gzip": _gzip_decoder,
    "deflate": _DeflateDecoder,
    "br": _BrotliDecoder,
}


def _decoders_for(content_encoding: str) -> list[_Decoder]:
    """Decoders in the order to apply them (the reverse of the header's)."""
    codings = [coding.strip().lower() for coding in content_encoding.split(",")]
    # like httpx, an unknown coding ("identity", a misplaced "UTF-8"...) is taken as none
    return [_DECODERS[coding]() for coding in reversed(codings) if coding in _DECODERS]


def _decode(decoders: Sequence[_Decoder], data: bytes) -> Iterator[bytes]:
    if not decoders:
        if data:
            yield data
        return
    for piece in decoders[0].feed(data):
        yield from _decode(decoders[1:], piece)


# --- messages ------------------------------------------------------------------


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _displayed(url: str) -> str:
    """The URL for messages and logs: a password in it is masked."""
    return _URL_PASSWORD.sub(r"\1***\3", url)


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return _one_line(exc) or type(exc).__name__


def _root_cause(exc: BaseException) -> BaseException:
    seen: set[int] = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        nested = exc.__cause__ or exc.__context__
        if nested is None:
            break
        exc = nested
    return exc


_TIMEOUT_PHASES: dict[type[httpx.TimeoutException], str] = {
    httpx.ConnectTimeout: "connecting",
    httpx.ReadTimeout: "waiting for data",
    httpx.WriteTimeout: "sending the request",
    httpx.PoolTimeout: "waiting for a free connection",
}


def _transport_refusal(exc: httpx.TransportError, url: str, timeout: float) -> _Refusal:
    """What a transport exception means, as a kind and a one-line message."""
    shown, host = _displayed(url), httpx.URL(url).host
    if isinstance(exc, httpx.TimeoutException):
        phase = _TIMEOUT_PHASES.get(type(exc), "waiting")
        return _Refusal(FetchErrorKind.TIMEOUT, f"timeout after {timeout} s fetching {shown} ({phase})")
    cause = _root_cause(exc)
    if isinstance(exc, httpx.ConnectError) and isinstance(cause, socket.gaierror):
        return _Refusal(FetchErrorKind.DNS, f"{host} does not resolve ({_os_reason(cause)}) fetching {shown}")
    if isinstance(exc, httpx.ConnectError) and isinstance(cause, ssl.SSLError):
        reason = cause.reason or _one_line(cause)
        return _Refusal(FetchErrorKind.CONNECT, f"TLS failure with {host} ({reason}) fetching {shown}")
    if isinstance(exc, httpx.ConnectError):
        reason = f"cannot connect to {host} ({_os_reason(cause)}) fetching {shown}"
        return _Refusal(FetchErrorKind.CONNECT, reason)
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.CloseError)):
        reason = f"connection to {host} lost ({_os_reason(cause)}) fetching {shown}"
        return _Refusal(FetchErrorKind.CONNECT, reason)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return _Refusal(FetchErrorKind.BAD_URL, f"unsupported URL {shown}: {_one_line(exc)}")
    detail = _one_line(exc) or type(exc).__name__
    return _Refusal(FetchErrorKind.PROTOCOL, f"broken HTTP from {host} ({detail}) fetching {shown}")


def _status_refusal(response: httpx.Response, url: str, retry_after: float | None) -> _Refusal:
    status = response.status_code
    message = " ".join(filter(None, [f"HTTP {status}", response.reason_phrase, "from", _displayed(url)]))
    if status in RATE_LIMIT_STATUSES:
        wait = f" (retry after {retry_after:g} s)" if retry_after is not None else ""
        return _Refusal(FetchErrorKind.RATE_LIMITED, message + wait)
    if status == 410:
        return _Refusal(FetchErrorKind.GONE, message)
    return _Refusal(FetchErrorKind.HTTP, message)


# --- the fetcher ---------------------------------------------------------------


@dataclass(frozen=True)
class _Policy:
    """What one kind of URL (feed, page) may reach, and the key that says so."""

    allow_private: bool
    switch: str


@dataclass(frozen=True)
class _Call:
    """One fetch() call: what every result it makes shares."""

    url: str
    etag: str | None
    last_modified: str | None
    started: float
    policy: _Policy
    deadline: float | None  # time.monotonic() by which the whole call must end; None: no such limit

    def result(self, final_url: str, **fields: Any) -> FetchResult:
        fields.setdefault("etag", self.etag)
        fields.setdefault("last_modified", self.last_modified)
        elapsed = time.monotonic() - self.started
        return FetchResult(url=self.url, final_url=final_url, elapsed=elapsed, **fields)

    def failure(self, final_url: str, refusal: _Refusal, **fields: Any) -> FetchResult:
        return self.result(final_url, error=refusal.reason, error_kind=refusal.kind, **fields)

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()


@dataclass(frozen=True)
class _Redirect:
    status: int
    location: str


class _HostSlots:
    """A BoundedSemaphore per host, made on first use, so no host gets more than per_host requests."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    def slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.BoundedSemaphore(self._per_host)
            return self._slots[host]


def _build_client(config: FetchConfig, allow_private: bool) -> httpx.Client:
    # trust_env on the transport honours SSL_CERT_FILE/SSL_CERT_DIR; the client's
    # is off so no ~/.netrc password is ever sent to a feed (and no env proxy is used)
    transport = httpx.HTTPTransport(trust_env=True)
    if not allow_private:
        # httpx 0.28 has no public hook for the network backend; its httpcore pool does
        pool = transport._pool
        pool._network_backend = _PublicPeersOnly(pool._network_backend)
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(config.timeout),
        headers={"User-Agent": config.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        follow_redirects=False,  # followed by hand: each hop is checked
        trust_env=False,
    )


class Fetcher:
    """GETs feeds and pages through shared clients (one per address policy); thread-safe."""

    def __init__(self, config: FetchConfig) -> None:
        self._config = config
        self._feeds = _Policy(config.allow_private_feed_addresses, FEED_SWITCH)
        self._pages = _Policy(config.allow_private_page_addresses, PAGE_SWITCH)
        # the peer check lives in the connection pool, so each policy has its own pool
        self._clients = {allowed: _build_client(config, allowed) for allowed in {False, True}
                         if allowed in (self._feeds.allow_private, self._pages.allow_private)}
        self._slots = _HostSlots(config.per_host)

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
        page: bool = False,
        deadline: float | None = None,
    ) -> FetchResult:
        """GET ``url`` (conditionally when validators are given), following redirects by hand.

        ``page``: an article link, under the page address policy. ``deadline``: a
        ``time.monotonic()`` by which the call ends whatever it waits for (a slot, a byte).
        """
        policy = self._pages if page else self._feeds
        call = _Call(url, etag, last_modified, time.monotonic(), policy, deadline)
        headers = _request_headers(accept, etag, last_modified)
        current, every_hop_permanent = url, True
        for _hop in range(self._config.max_redirects + 1):
            refusal = _refuse_url(current, policy.allow_private, policy.switch)
            if refusal:
                return call.failure(current, refusal)
            outcome = self._exchange(call, current, headers)
            if isinstance(outcome, FetchResult):
                moved = current != url and every_hop_permanent and outcome.ok
                return _with_permanent_redirect(outcome, current if moved else None)
            every_hop_permanent = every_hop_permanent and outcome.status in PERMANENT_REDIRECT_STATUSES
            current = outcome.location
        limit, first, last = self._config.max_redirects, _displayed(url), _displayed(current)
        too_many = f"too many redirects (more than {limit}) from {first}; the last to {last}"
        return call.failure(current, _Refusal(FetchErrorKind.PROTOCOL, too_many))

    def fetch_page(self, url: str, deadline: float | None = None) -> FetchResult:
        """GET an article page (asks for HTML), under the page address policy."""
        return self.fetch(url, accept=PAGE_ACCEPT, page=True, deadline=deadline)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _exchange(self, call: _Call, url: str, headers: dict[str, str]) -> FetchResult | _Redirect:
        """One request/response with one host, holding that host's slot throughout."""
        slot = self._slots.slot(httpx.URL(url).host)
        wait = call.remaining()
        if not (slot.acquire() if wait is None else slot.acquire(timeout=max(wait, 0.0))):
            reason = f"timeout: the deadline passed waiting for a free connection to fetch {_displayed(url)}"
            return call.failure(url, _Refusal(FetchErrorKind.TIMEOUT, reason))
        try:
            return self._exchange_in_slot(call, url, headers)
        finally:
            slot.release()

    def _exchange_in_slot(self, call: _Call, url: str, headers: dict[str, str]) -> FetchResult | _Redirect:
        timeout, deadline = self._limits(call)
        if timeout <= 0:
            reason = f"timeout: the deadline passed before fetching {_displayed(url)}"
            return call.failure(url, _Refusal(FetchErrorKind.TIMEOUT, reason))
        client = self._clients[call.policy.allow_private]
        try:
            with client.stream("GET", url, headers=headers, timeout=timeout) as response:
                return self._answer(call, url, response, deadline)
        except _BlockedPeer as exc:
            reason = f"{exc}: refusing {_displayed(url)} ({call.policy.switch} is off)"
            return call.failure(url, _Refusal(FetchErrorKind.BLOCKED_ADDRESS, reason))
        except httpx.InvalidURL as exc:
            reason = f"malformed URL {_displayed(url)}: {_one_line(exc)}"
            return call.failure(url, _Refusal(FetchErrorKind.BAD_URL, reason))
        except httpx.TransportError as exc:
            return call.failure(url, _transport_refusal(exc, url, round(timeout, 2)))

    def _limits(self, call: _Call) -> tuple[float, float]:
        """Each wait's timeout and the exchange's deadline: the config's, cut to the call's deadline."""
        timeout = self._config.timeout
        deadline = time.monotonic() + EXCHANGE_DEADLINE_FACTOR * timeout
        remaining = call.remaining()
        if remaining is not None:
            timeout = min(timeout, remaining)
            deadline = min(deadline, time.monotonic() + remaining)
        return timeout, deadline

    def _answer(
        self, call: _Call, url: str, response: httpx.Response, deadline: float
    ) -> FetchResult | _Redirect:
        status = response.status_code
        headers = {name.lower(): value for name, value in response.headers.items()}
        retry_after = retry_after_seconds(headers.get("retry-after"))
        common: dict[str, Any] = {
            "status": status,
            "headers": headers,
            "retry_after": retry_after,
            "max_age": max_age_seconds(headers.get("cache-control")),
        }
        if status in REDIRECT_STATUSES:
            return _redirect(call, url, response, common)
        if status == 304:
            etag = headers.get("etag") or call.etag
            last_modified = headers.get("last-modified") or call.last_modified
            return call.result(url, not_modified=True, etag=etag, last_modified=last_modified, **common)
        if not 200 <= status < 300:
            return call.failure(url, _status_refusal(response, url, retry_after), **common)
        body = self._read_body(url, response, deadline)
        if isinstance(body, _Refusal):
            return call.failure(url, body, **common)
        return call.result(
            url, body=body, etag=headers.get("etag"), last_modified=headers.get("last-modified"), **common
        )

    def _read_body(self, url: str, response: httpx.Response, deadline: float) -> bytes | _Refusal:
        """The decoded body, or why it was given up on (too large, broken encoding, too slow)."""
        limit, shown = self._config.max_bytes, _displayed(url)
        declared = _content_length(response.headers)
        if declared is not None and declared > limit:
            reason = f"body of {declared} bytes (Content-Length) is over the {limit}-byte limit: {shown}"
            return _Refusal(FetchErrorKind.TOO_LARGE, reason)
        encoding = response.headers.get("content-encoding", "")
        started = time.monotonic()
        try:
            return _read_capped(response, _decoders_for(encoding), limit, deadline)
        except _OverLimit:
            return _Refusal(FetchErrorKind.TOO_LARGE, f"body over the {limit}-byte limit (decoded): {shown}")
        except _PastDeadline:
            reason = f"timeout: body of {shown} not complete after {time.monotonic() - started:.1f} s"
            return _Refusal(FetchErrorKind.TIMEOUT, reason)
        except (zlib.error, brotli.error) as exc:
            reason = f"bad {encoding} content-encoding from {shown}: {_one_line(exc)}"
            return _Refusal(FetchErrorKind.PROTOCOL, reason)


class _OverLimit(Exception):
    pass


class _PastDeadline(Exception):
    pass


def _read_capped(
    response: httpx.Response, decoders: Sequence[_Decoder], limit: int, deadline: float
) -> bytes:
    """Streams and decodes the body, stopping as soon as it passes ``limit`` bytes or the deadline."""
    body = bytearray()
    for raw in response.iter_raw():
        for piece in _decode(decoders, raw):
            body += piece
            if len(body) > limit:
                raise _OverLimit
        if time.monotonic() > deadline:
            raise _PastDeadline
    return bytes(body)


def _request_headers(accept: str, etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _redirect(
    call: _Call, url: str, response: httpx.Response, common: dict[str, Any]
) -> FetchResult | _Redirect:
    location = response.headers.get("location")
    if not location:
        reason = f"HTTP {response.status_code} redirect without a Location from {_displayed(url)}"
        return call.failure(url, _Refusal(FetchErrorKind.PROTOCOL, reason), **common)
    try:
        target = str(response.url.join(location))
    except httpx.InvalidURL as exc:
        reason = f"redirect from {_displayed(url)} to a malformed URL {location!r}: {_one_line(exc)}"
        return call.failure(url, _Refusal(FetchErrorKind.BAD_URL, reason), **common)
    return _Redirect(response.status_code, target)


def _with_permanent_redirect(result: FetchResult, new_url: str | None) -> FetchResult:
    return result if new_url is None else replace(result, permanent_redirect=new_url)
