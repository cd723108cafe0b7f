"""monitor.collect.fetch against a real HTTP server on 127.0.0.1 (and raw sockets for broken servers)."""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import brotli
import pytest

from monitor.collect import fetch as fetch_module
from monitor.collect.fetch import (
    FEED_ACCEPT,
    PAGE_ACCEPT,
    Fetcher,
    address_problem,
    check_url,
    max_age_seconds,
    retry_after_seconds,
)
from monitor.config import FetchConfig
from monitor.models import FetchErrorKind
from tests.httpserver import LocalHTTPServer, Request, Response

MB = 1_000_000

MakeFetcher = Callable[..., Fetcher]


@pytest.fixture
def make_fetcher() -> Iterator[MakeFetcher]:
    """Fetchers that may reach the test server (loopback) unless told otherwise; closed after the test."""
    made: list[Fetcher] = []

    def make(**settings: Any) -> Fetcher:
        settings.setdefault("allow_private_addresses", True)
        settings.setdefault("timeout", 2.0)
        fetcher = Fetcher(FetchConfig(**settings))
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


@pytest.fixture
def fetcher(make_fetcher: MakeFetcher) -> Fetcher:
    return make_fetcher()


def zeros_compressed(megabytes: int, compress: Callable[[bytes], bytes], finish: Callable[[], bytes]) -> bytes:
    """Megabytes of zeros compressed a block at a time, so the test never holds them whole."""
    block = bytes(MB)
    return b"".join(compress(block) for _ in range(megabytes)) + finish()


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    gzip = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return zeros_compressed(50, gzip.compress, gzip.flush)


@pytest.fixture(scope="module")
def brotli_bomb() -> bytes:
    br = brotli.Compressor(quality=5)
    return zeros_compressed(200, br.process, br.finish)


@contextmanager
def raw_server(answer: Callable[[socket.socket, threading.Event], None]) -> Iterator[str]:
    """A one-connection TCP server that answers however ``answer`` likes (broken HTTP, a drip)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    stop = threading.Event()

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            try:
                answer(conn, stop)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed"
    finally:
        stop.set()
        listener.close()
        thread.join(5)


# --- success, validators, conditional GET -------------------------------------------


def test_200_returns_body_headers_and_validators(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    headers = {
        "ETag": '"v1"',
        "Last-Modified": "Mon, 06 May 2024 10:00:00 GMT",
        "Content-Type": "application/rss+xml; charset=utf-8",
        "Cache-Control": "public, max-age=600",
    }
    http_server.route("/feed.xml", Response(body=b"<rss/>", headers=headers))

    result = fetcher.fetch(http_server.url("/feed.xml"))

    assert result.ok and result.error_kind is None
    assert (result.status, result.body) == (200, b"<rss/>")
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 06 May 2024 10:00:00 GMT"
    assert result.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert result.max_age == 600
    assert result.final_url == result.url == http_server.url("/feed.xml")
    assert result.permanent_redirect is None and not result.not_modified
    assert result.elapsed > 0


def test_200_without_validators_forgets_the_old_ones(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    http_server.route("/feed.xml", Response(body=b"<rss/>"))
    stamp = "Mon, 06 May 2024 10:00:00 GMT"
    result = fetcher.fetch(http_server.url("/feed.xml"), etag='"old"', last_modified=stamp)
    assert result.ok and result.etag is None and result.last_modified is None


def test_304_on_etag(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    def conditional(req: Request) -> Response:
        if req.headers.get("if-none-match") == '"v1"':
            return Response(304, headers={"ETag": '"v1"'})
        return Response(body=b"<rss/>", headers={"ETag": '"v1"'})

    http_server.route("/feed.xml", conditional)

    result = fetcher.fetch(http_server.url("/feed.xml"), etag='"v1"')

    assert http_server.requests[-1].headers["if-none-match"] == '"v1"'
    assert result.ok and result.not_modified and result.status == 304
    assert result.body == b"" and result.etag == '"v1"'


def test_304_on_last_modified_keeps_the_validators_sent(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    stamp = "Mon, 06 May 2024 10:00:00 GMT"
    http_server.route(
        "/feed.xml",
        lambda req: Response(304) if req.headers.get("if-modified-since") == stamp else Response(body=b"new"),
    )

    result = fetcher.fetch(http_server.url("/feed.xml"), etag='"v7"', last_modified=stamp)

    assert http_server.requests[-1].headers["if-modified-since"] == stamp
    assert result.ok and result.not_modified
    assert (result.etag, result.last_modified) == ('"v7"', stamp)  # the 304 brought none: reuse


def test_304_may_bring_new_validators(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    http_server.route("/feed.xml", Response(304, headers={"ETag": '"v2"'}))
    result = fetcher.fetch(http_server.url("/feed.xml"), etag='"v1"')
    assert result.not_modified and result.etag == '"v2"'


def test_no_conditional_headers_without_validators(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    http_server.route("/feed.xml", Response(body=b"x"))
    fetcher.fetch(http_server.url("/feed.xml"))
    assert "if-none-match" not in http_server.requests[-1].headers
    assert "if-modified-since" not in http_server.requests[-1].headers


def test_sends_user_agent_accept_and_accept_encoding(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher
) -> None:
    http_server.route("/feed.xml", Response(body=b"x"))
    http_server.route("/article", Response(body=b"<html/>"))
    fetcher = make_fetcher(user_agent="sahel-test/1.0")

    fetcher.fetch(http_server.url("/feed.xml"))
    fetcher.fetch_page(http_server.url("/article"))

    feed, page = http_server.requests
    assert feed.headers["user-agent"] == "sahel-test/1.0"
    assert {e.strip() for e in feed.headers["accept-encoding"].split(",")} == {"gzip", "deflate", "br"}
    assert feed.headers["accept"] == FEED_ACCEPT
    assert page.headers["accept"] == PAGE_ACCEPT


# --- redirects ----------------------------------------------------------------------


def redirect(status: int, to: str) -> Response:
    return Response(status, headers={"Location": to})


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_reports_the_new_url(
    http_server: LocalHTTPServer, fetcher: Fetcher, status: int
) -> None:
    http_server.route("/old", redirect(status, "/new"))  # relative Location
    http_server.route("/new", Response(body=b"<rss/>"))

    result = fetcher.fetch(http_server.url("/old"))

    assert result.ok and result.body == b"<rss/>"
    assert result.final_url == result.permanent_redirect == http_server.url("/new")
    assert result.url == http_server.url("/old")


@pytest.mark.parametrize("status", [302, 303, 307])
def test_temporary_redirect_is_followed_but_not_reported(
    http_server: LocalHTTPServer, fetcher: Fetcher, status: int
) -> None:
    http_server.route("/old", redirect(status, http_server.url("/new")))
    http_server.route("/new", Response(body=b"<rss/>"))

    result = fetcher.fetch(http_server.url("/old"))

    assert result.ok and result.final_url == http_server.url("/new")
    assert result.permanent_redirect is None


def test_one_temporary_hop_makes_the_chain_temporary(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    http_server.route("/a", redirect(301, "/b"))
    http_server.route("/b", redirect(302, "/c"))
    http_server.route("/c", Response(body=b"ok"))
    result = fetcher.fetch(http_server.url("/a"))
    assert result.ok and result.final_url == http_server.url("/c") and result.permanent_redirect is None


def test_permanent_redirect_to_a_failure_is_not_reported(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    # the caller would replace a working URL with a broken one
    http_server.route("/old", redirect(301, "/missing"))
    result = fetcher.fetch(http_server.url("/old"))
    assert result.error_kind is FetchErrorKind.HTTP and result.permanent_redirect is None


def test_redirect_loop_is_a_protocol_error(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    http_server.route("/a", redirect(302, "/b"))
    http_server.route("/b", redirect(302, "/a"))

    result = make_fetcher(max_redirects=3).fetch(http_server.url("/a"))

    assert result.error_kind is FetchErrorKind.PROTOCOL
    assert "too many redirects" in (result.error or "")
    assert len(http_server.requests) == 4  # the first request and three redirects followed


def test_zero_redirects_allowed(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    http_server.route("/a", redirect(301, "/b"))
    result = make_fetcher(max_redirects=0).fetch(http_server.url("/a"))
    assert result.error_kind is FetchErrorKind.PROTOCOL and len(http_server.requests) == 1


def test_redirect_without_location_is_a_protocol_error(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    http_server.route("/a", Response(301))
    assert fetcher.fetch(http_server.url("/a")).error_kind is FetchErrorKind.PROTOCOL


def test_redirect_to_another_scheme_is_refused(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    http_server.route("/a", redirect(302, "file:///etc/passwd"))
    result = fetcher.fetch(http_server.url("/a"))
    assert result.error_kind is FetchErrorKind.BAD_URL and result.final_url.startswith("file:")


# --- statuses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind", "message"),
    [
        (404, FetchErrorKind.HTTP, "HTTP 404 Not Found from "),
        (500, FetchErrorKind.HTTP, "HTTP 500 Internal Server Error from "),
        (403, FetchErrorKind.HTTP, "HTTP 403 Forbidden from "),
        (410, FetchErrorKind.GONE, "HTTP 410 Gone from "),
        (429, FetchErrorKind.RATE_LIMITED, "HTTP 429 Too Many Requests from "),
        (503, FetchErrorKind.RATE_LIMITED, "HTTP 503 Service Unavailable from "),
    ],
)
def test_error_statuses(
    http_server: LocalHTTPServer, fetcher: Fetcher, status: int, kind: FetchErrorKind, message: str
) -> None:
    url = http_server.url("/feed.xml")
    http_server.route("/feed.xml", Response(status, b"nope"))

    result = fetcher.fetch(url, etag='"v1"')

    assert not result.ok and result.error_kind is kind and result.status == status
    assert result.error == message + url
    assert result.etag == '"v1"'  # a failure leaves the validators to send next time unchanged


def test_429_with_retry_after_seconds(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    http_server.route("/feed.xml", Response(429, headers={"Retry-After": "120"}))
    result = fetcher.fetch(http_server.url("/feed.xml"))
    assert result.error_kind is FetchErrorKind.RATE_LIMITED and result.retry_after == 120
    assert "retry after 120 s" in (result.error or "")


def test_503_with_retry_after_as_http_date(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    when = email.utils.formatdate(time.time() + 90, usegmt=True)
    http_server.route("/feed.xml", Response(503, headers={"Retry-After": when}))
    result = fetcher.fetch(http_server.url("/feed.xml"))
    assert result.error_kind is FetchErrorKind.RATE_LIMITED
    assert result.retry_after is not None and 80 <= result.retry_after <= 91


def test_huge_retry_after_is_clamped(http_server: LocalHTTPServer, fetcher: Fetcher) -> None:
    http_server.route("/feed.xml", Response(429, headers={"Retry-After": "99999999999"}))
    assert fetcher.fetch(http_server.url("/feed.xml")).retry_after == 86400


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("99999999999", 86400.0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),  # in the past: now
        ("Thu, 01 Jan 1970 00:01:40 GMT", 0.0),
        ("-5", None),
        ("soon", None),
        ("²", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_parsing(value: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value) == seconds


def test_retry_after_date_relative_to_now() -> None:
    now = 1_700_000_000.0
    assert retry_after_seconds(email.utils.formatdate(now + 3600, usegmt=True), now=now) == 3600
    assert retry_after_seconds(email.utils.formatdate(now + 10 * 86400, usegmt=True), now=now) == 86400


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("max-age=600", 600.0),
        ("public, MAX-AGE=60, must-revalidate", 60.0),
        ('max-age="30"', 30.0),
        ("max-age=99999999", 86400.0),
        ("s-maxage=10", None),
        ("no-cache", None),
        ("max-age=soon", None),
        (None, None),
    ],
)
def test_max_age_parsing(value: str | None, seconds: float | None) -> None:
    assert max_age_seconds(value) == seconds


# --- time ---------------------------------------------------------------------------


def test_server_that_never_answers_times_out(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    http_server.route("/slow", Response(body=b"late", delay=3.0))
    started = time.monotonic()

    result = make_fetcher(timeout=0.5).fetch(http_server.url("/slow"))

    assert result.error_kind is FetchErrorKind.TIMEOUT
    assert result.error == f"timeout after 0.5 s fetching {http_server.url('/slow')} (waiting for data)"
    assert time.monotonic() - started < 2.0


def test_body_dripping_past_the_deadline_times_out(make_fetcher: MakeFetcher) -> None:
    def drip(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        while not stop.wait(0.05):  # each byte well inside the read timeout
            conn.sendall(b"x")

    with raw_server(drip) as url:
        started = time.monotonic()
        result = make_fetcher(timeout=0.3).fetch(url)
        took = time.monotonic() - started

    assert result.error_kind is FetchErrorKind.TIMEOUT and "not complete after" in (result.error or "")
    assert took < 0.3 * fetch_module.EXCHANGE_DEADLINE_FACTOR + 1.0


# --- size ---------------------------------------------------------------------------


def test_oversize_body_with_content_length(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    http_server.route("/big", Response(body=b"x" * 5000))
    result = make_fetcher(max_bytes=4096).fetch(http_server.url("/big"))
    assert result.error_kind is FetchErrorKind.TOO_LARGE and "Content-Length" in (result.error or "")
    assert result.status == 200 and result.body == b""


def test_oversize_chunked_body(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    http_server.route("/big", Response(chunks=[b"x" * 1000] * 5))
    result = make_fetcher(max_bytes=4096).fetch(http_server.url("/big"))
    assert result.error_kind is FetchErrorKind.TOO_LARGE and "Content-Length" not in (result.error or "")


def test_body_exactly_at_the_cap_is_fine(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    http_server.route("/edge", Response(chunks=[b"x" * 1024] * 4))
    result = make_fetcher(max_bytes=4096).fetch(http_server.url("/edge"))
    assert result.ok and len(result.body) == 4096


@pytest.mark.parametrize(("encoding", "bomb_fixture"), [("gzip", "gzip_bomb"), ("br", "brotli_bomb")])
def test_compression_bomb_is_stopped_early_and_cheaply(
    http_server: LocalHTTPServer,
    make_fetcher: MakeFetcher,
    request: pytest.FixtureRequest,
    encoding: str,
    bomb_fixture: str,
) -> None:
    bomb: bytes = request.getfixturevalue(bomb_fixture)
    assert len(bomb) < 100_000  # small on the wire, far under the cap
    http_server.route("/bomb", Response(body=bomb, headers={"Content-Encoding": encoding}))
    fetcher = make_fetcher(max_bytes=MB)

    tracemalloc.start()
    started = time.monotonic()
    try:
        result = fetcher.fetch(http_server.url("/bomb"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert result.error_kind is FetchErrorKind.TOO_LARGE and "decoded" in (result.error or "")
    assert time.monotonic() - started < 2.0
    assert peak < 8 * MB  # decoding the whole bomb would take 50-200 MB


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", lambda data: zlib.compress(data, wbits=zlib.MAX_WBITS | 16)),
        ("deflate", lambda data: zlib.compress(data)),
        ("deflate", lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS)),  # raw, as some servers do
        ("br", brotli.compress),
        ("gzip, br", lambda data: brotli.compress(zlib.compress(data, wbits=zlib.MAX_WBITS | 16))),
        ("identity", lambda data: data),
    ],
)
@pytest.mark.parametrize("chunked", [False, True])
def test_encoded_bodies_are_decoded(
    http_server: LocalHTTPServer,
    fetcher: Fetcher,
    encoding: str,
    encode: Callable[[bytes], bytes],
    chunked: bool,
) -> None:
    text = "<rss><title>Attaque près de Tombouctou</title></rss>".encode() * 20000  # decodes in many pieces
    encoded = encode(text)
    chunks = [encoded[i : i + 997] for i in range(0, len(encoded), 997)] if chunked else None
    headers = {"Content-Encoding": encoding}
    http_server.route("/feed.xml", Response(body=encoded, chunks=chunks, headers=headers))
    result = fetcher.fetch(http_server.url("/feed.xml"))
    assert result.ok and result.body == text


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_invalid_compressed_body_is_a_protocol_error(
    http_server: LocalHTTPServer, fetcher: Fetcher, encoding: str
) -> None:
    headers = {"Content-Encoding": encoding}
    http_server.route("/feed.xml", Response(body=b"this is not compressed at all", headers=headers))
    result = fetcher.fetch(http_server.url("/feed.xml"))
    assert result.error_kind is FetchErrorKind.PROTOCOL
    assert f"bad {encoding} content-encoding" in (result.error or "")


# --- network failures ---------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused(fetcher: Fetcher) -> None:
    url = f"http://127.0.0.1:{closed_port()}/feed.xml"
    result = fetcher.fetch(url)
    assert result.error_kind is FetchErrorKind.CONNECT
    assert result.error is not None and url in result.error and "\n" not in result.error


@pytest.mark.parametrize("allow_private", [True, False])  # resolved by httpx / by the pre-flight check
def test_unresolvable_name(make_fetcher: MakeFetcher, allow_private: bool) -> None:
    result = make_fetcher(allow_private_addresses=allow_private).fetch("http://feeds.sahel-monitor.invalid/rss")
    assert result.error_kind is FetchErrorKind.DNS
    assert "feeds.sahel-monitor.invalid does not resolve" in (result.error or "")


def test_broken_http_is_a_protocol_error(make_fetcher: MakeFetcher) -> None:
    def garbage(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HELLO THIS IS NOT HTTP\r\n\r\n")

    with raw_server(garbage) as url:
        result = make_fetcher().fetch(url)
    assert result.error_kind is FetchErrorKind.PROTOCOL


def test_bad_urls_are_values_not_exceptions(fetcher: Fetcher) -> None:
    for url in ["ftp://example.org/feed", "not a url", "http://[::1/feed", "http:///feed"]:
        result = fetcher.fetch(url)
        assert result.error_kind is FetchErrorKind.BAD_URL, url


# --- address policy -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://127.0.0.1:8080/feed",
        "http://10.0.0.1/feed",
        "http://172.16.5.4/feed",
        "http://192.168.1.1/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/feed",
        "http://0.0.0.0/feed",
        "http://224.0.0.1/feed",
        "http://240.0.0.1/feed",
        "http://[::1]/feed",
        "http://[::]/feed",
        "http://[fe80::1]/feed",
        "http://[fc00::1]/feed",
        "http://[ff02::1]/feed",
        "http://[::ffff:127.0.0.1]/feed",
        "http://[::ffff:10.0.0.1]/feed",
        "http://[2002:7f00:1::]/feed",  # 6to4 of 127.0.0.1
        "http://[64:ff9b::a00:1]/feed",  # NAT64 of 10.0.0.1
        "http://localhost/feed",
        "http://127.1/feed",  # the resolver reads this as 127.0.0.1
        "http://2130706433/feed",  # ...and this
    ],
)
def test_check_url_blocks_private_addresses_unless_allowed(url: str) -> None:
    reason = check_url(url, allow_private=False)
    assert reason is not None and "refusing" in reason and "\n" not in reason
    assert check_url(url, allow_private=True) is None


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/feed",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "example.org/feed",
        "http:///feed",
        "http://exa mple.org/",
        "http://a..b/feed",
        "http://example.org:99999/feed",
    ],
)
def test_check_url_refuses_what_is_not_http_whatever_the_policy(url: str) -> None:
    assert check_url(url, allow_private=False) is not None
    assert check_url(url, allow_private=True) is not None


@pytest.mark.parametrize(
    "url", ["http://8.8.8.8/feed", "https://[2001:4860:4860::8888]/feed", "http://[::ffff:8.8.8.8]/"]
)
def test_check_url_allows_public_addresses(url: str) -> None:
    assert check_url(url, allow_private=False) is None


def test_address_problem_names_the_range() -> None:
    assert address_problem(ipaddress.ip_address("127.0.0.1")) == "127.0.0.1 is in 127.0.0.0/8 (Loopback)"
    assert address_problem(ipaddress.ip_address("169.254.1.1")) == "169.254.1.1 is in 169.254.0.0/16 (Link Local)"
    mapped = address_problem(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert mapped == "::ffff:7f00:1 carries 127.0.0.1 is in 127.0.0.0/8 (Loopback)"
    assert address_problem(ipaddress.ip_address("1.1.1.1")) is None


def test_blocked_address_is_refused_before_any_request(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher
) -> None:
    http_server.route("/feed.xml", Response(body=b"secret"))
    result = make_fetcher(allow_private_addresses=False).fetch(http_server.url("/feed.xml"))
    assert result.error_kind is FetchErrorKind.BLOCKED_ADDRESS and result.body == b""
    assert http_server.requests == []


def test_every_redirect_hop_is_checked(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test server is on loopback, so pretend 127.0.0.1 is public: the first hop is then
    # allowed and the redirect to another loopback address must be refused on its own.
    # (127.0.0.2 has no server: were it not refused, the fetch would fail as CONNECT, and
    # nothing ever leaves the machine.)
    real = fetch_module.address_problem
    monkeypatch.setattr(fetch_module, "address_problem", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
    target = f"http://127.0.0.2:{closed_port()}/admin"
    http_server.route("/feed.xml", redirect(302, target))

    result = make_fetcher(allow_private_addresses=False).fetch(http_server.url("/feed.xml"))

    assert result.error_kind is FetchErrorKind.BLOCKED_ADDRESS
    assert result.final_url == target
    assert result.error == (
        f"127.0.0.2 is in 127.0.0.0/8 (Loopback): refusing {target} (fetch.allow_private_feed_addresses is off)"
    )
    assert len(http_server.requests) == 1


def test_connection_to_a_private_peer_is_closed_before_sending(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the name looked public when checked, then resolved to loopback on connect.
    monkeypatch.setattr(fetch_module, "_refuse_url", lambda url, allow_private, switch: None)
    http_server.route("/feed.xml", Response(body=b"secret"))

    result = make_fetcher(allow_private_addresses=False).fetch(http_server.url("/feed.xml"))

    assert result.error_kind is FetchErrorKind.BLOCKED_ADDRESS
    assert "connected to 127.0.0.1 is in 127.0.0.0/8 (Loopback)" in (result.error or "")
    assert http_server.requests == []


# --- two switches: feed URLs (the user's choice) and article links (a stranger's) -----------------


@pytest.mark.parametrize(
    ("settings", "feed_allowed", "page_allowed"),
    [
        ({"allow_private_addresses": True}, True, True),
        ({"allow_private_addresses": False}, False, False),
        ({"allow_private_addresses": True, "allow_private_page_addresses": False}, True, False),
        ({"allow_private_feed_addresses": True}, True, False),
        ({"allow_private_addresses": True, "allow_private_feed_addresses": False}, False, True),
    ],
)
def test_feeds_and_pages_have_their_own_switch(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher, settings: dict[str, bool],
    feed_allowed: bool, page_allowed: bool,
) -> None:
    http_server.route("/feed.xml", Response(body=b"<rss/>"))
    http_server.route("/page.html", Response(body=b"<html></html>"))
    fetcher = make_fetcher(**{"allow_private_addresses": False, **settings})

    feed = fetcher.fetch(http_server.url("/feed.xml"))
    page = fetcher.fetch_page(http_server.url("/page.html"))

    for result, allowed, switch in ((feed, feed_allowed, "feed"), (page, page_allowed, "page")):
        if allowed:
            assert result.ok, result.error
        else:
            assert result.error_kind is FetchErrorKind.BLOCKED_ADDRESS
            assert f"(fetch.allow_private_{switch}_addresses is off)" in (result.error or "")
    assert len(http_server.requests) == feed_allowed + page_allowed


def test_a_page_reaching_a_private_peer_is_cut_even_when_feeds_may(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the pre-flight check fooled (DNS rebinding): the page's own connection pool still refuses
    monkeypatch.setattr(fetch_module, "_refuse_url", lambda url, allow_private, switch: None)
    http_server.route("/page.html", Response(body=b"secret"))
    fetcher = make_fetcher(allow_private_addresses=False, allow_private_feed_addresses=True)

    assert fetcher.fetch(http_server.url("/page.html")).ok  # as a feed: allowed
    page = fetcher.fetch_page(http_server.url("/page.html"))

    assert page.error_kind is FetchErrorKind.BLOCKED_ADDRESS
    assert "(fetch.allow_private_page_addresses is off)" in (page.error or "")
    assert len(http_server.requests) == 1


# --- a caller's deadline (the cycle's page deadline) -------------------------------------------


def test_a_deadline_cuts_a_dripping_body_sooner_than_the_exchange_deadline(make_fetcher: MakeFetcher) -> None:
    def drip(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        while not stop.wait(0.05):
            conn.sendall(b"x")

    with raw_server(drip) as url:
        started = time.monotonic()
        result = make_fetcher(timeout=5).fetch_page(url, deadline=started + 0.5)
        took = time.monotonic() - started

    assert result.error_kind is FetchErrorKind.TIMEOUT and "not complete after" in (result.error or "")
    assert took < 1.5  # the exchange deadline alone would allow 20 s


def test_a_deadline_already_past_sends_nothing(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    http_server.route("/page.html", Response(body=b"<html></html>"))
    result = make_fetcher().fetch_page(http_server.url("/page.html"), deadline=time.monotonic() - 1)
    assert result.error_kind is FetchErrorKind.TIMEOUT and "deadline passed" in (result.error or "")
    assert http_server.requests == []


def test_a_deadline_bounds_the_wait_for_a_busy_host(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    counter = ConcurrencyCounter(hold=2.0)
    http_server.route("/slow", counter)
    fetcher = make_fetcher(per_host=1)
    holder = threading.Thread(target=fetcher.fetch, args=(http_server.url("/slow"),))
    holder.start()
    while not counter.most:
        time.sleep(0.01)

    started = time.monotonic()
    result = fetcher.fetch_page(http_server.url("/slow"), deadline=started + 0.3)
    took = time.monotonic() - started
    holder.join()

    assert result.error_kind is FetchErrorKind.TIMEOUT and "free connection" in (result.error or "")
    assert took < 1.5


# --- concurrency --------------------------------------------------------------------


class ConcurrencyCounter:
    """A route that records how many requests it was serving at once."""

    def __init__(self, hold: float = 0.2, barrier: threading.Barrier | None = None) -> None:
        self.hold, self.barrier = hold, barrier
        self.lock = threading.Lock()
        self.active = self.most = 0

    def __call__(self, request: Request) -> Response:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            if self.barrier is not None:
                self.barrier.wait()  # raises (500) unless the other request is here too
            else:
                time.sleep(self.hold)
        finally:
            with self.lock:
                self.active -= 1
        return Response(body=b"ok")


def fetch_all(fetcher: Fetcher, urls: list[str]) -> list[bool]:
    with ThreadPoolExecutor(len(urls)) as pool:
        return [result.ok for result in pool.map(fetcher.fetch, urls)]


def test_per_host_limit_serialises_requests_to_one_host(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher
) -> None:
    counter = ConcurrencyCounter(hold=0.2)
    http_server.route("/slow", counter)

    oks = fetch_all(make_fetcher(per_host=1), [http_server.url("/slow")] * 3)

    assert oks == [True, True, True]
    assert counter.most == 1


def test_per_host_limit_allows_that_many_at_once(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher
) -> None:
    # proves the counter can see concurrency: two requests must meet at the barrier
    counter = ConcurrencyCounter(barrier=threading.Barrier(2, timeout=2))
    http_server.route("/slow", counter)

    oks = fetch_all(make_fetcher(per_host=2), [http_server.url("/slow")] * 2)

    assert oks == [True, True] and counter.most == 2


def test_per_host_limit_is_per_host(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    counter = ConcurrencyCounter(barrier=threading.Barrier(2, timeout=2))
    http_server.route("/slow", counter)
    port = http_server.base_url.rsplit(":", 1)[1]

    urls = [f"http://127.0.0.1:{port}/slow", f"http://localhost:{port}/slow"]
    oks = fetch_all(make_fetcher(per_host=1), urls)

    assert oks == [True, True] and counter.most == 2


def test_context_manager_closes(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", Response(body=b"x"))
    with Fetcher(FetchConfig(allow_private_addresses=True)) as fetcher:
        assert fetcher.fetch(http_server.url("/feed.xml")).ok
