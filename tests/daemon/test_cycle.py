"""A poll cycle end to end: a real HTTP server on 127.0.0.1, real fetcher, real SQLite file."""

from __future__ import annotations

import dataclasses
import random
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from monitor.collect.fetch import Fetcher
from monitor.config import Config, FeedConfig, FetchConfig, SchedulerConfig
from monitor.daemon.cycle import PAGE_CUTS, Poller, content_hash, scoped_guid
from monitor.store import Store
from tests.feedgen import Item, article_page, items_for, rss
from tests.httpserver import LocalHTTPServer, Request, Response

NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)


def make_config(db: Path, feeds: list[tuple[str, str]], **fetch: object) -> Config:
    fetch = {"timeout": 2, "allow_private_addresses": True, **fetch}
    return Config(
        database=str(db),
        feeds=[FeedConfig(name=name, url=url, language="fr", interval=600) for name, url in feeds],
        fetch=FetchConfig(**fetch),  # type: ignore[arg-type]
        scheduler=SchedulerConfig(tick=1, jitter=0),
    )


class Harness:
    """A poller over a real store, with a clock the test moves."""

    def __init__(self, config: Config) -> None:
        self.now = NOW
        self.store = Store(config.database)
        self.fetcher = Fetcher(config.fetch)
        self.poller = Poller(config, self.store, self.fetcher, clock=lambda: self.now, rng=random.Random(1))
        self.store.sync_feeds(config.feeds, self.now)

    def cycle(self, names: list[str] | None = None):  # type: ignore[no-untyped-def]
        feeds = [f for f in self.store.all_feeds() if f.enabled and (names is None or f.name in names)]
        return self.poller.run_cycle(feeds)

    def feed(self, name: str) -> dict:  # type: ignore[type-arg]
        return next(r for r in self.store.feed_health() if r["name"] == name)

    def articles(self) -> list[dict]:  # type: ignore[type-arg]
        return list(self.store.db["articles"].rows)

    def close(self) -> None:
        self.poller.close()
        self.fetcher.close()
        self.store.close()


@pytest.fixture
def harness_for(tmp_path: Path) -> Iterator:  # type: ignore[type-arg]
    made: list[Harness] = []

    def make(feeds: list[tuple[str, str]], **fetch: object) -> Harness:
        h = Harness(make_config(tmp_path / "monitor.db", feeds, **fetch))
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()


def serve_feed_with_pages(server: LocalHTTPServer, path: str, items: list[Item]) -> None:
    server.route(path, Response(body=rss(items), headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'}))
    for item in items:
        server.route(item.link.removeprefix(server.base_url), Response(body=article_page(item.title),
                     headers={"Content-Type": "text/html; charset=utf-8"}))


def test_new_entries_are_fetched_extracted_and_stored(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    items = items_for(http_server.base_url, 1, 3)
    serve_feed_with_pages(http_server, "/feed.xml", items)
    h = harness_for([("one", http_server.url("/feed.xml"))])

    summary = h.cycle()

    assert (summary.ok, summary.failed, summary.new_articles) == (1, 0, 3)
    articles = h.articles()
    assert {a["guid"] for a in articles} == {f"127.0.0.1#{i.guid}" for i in items}
    assert all(a["extraction_status"] == "ok" for a in articles)
    assert all("poste de l'armée" in a["text"] for a in articles)
    assert all("Mentions légales" not in a["text"] for a in articles)
    # the feed's date wins over the page's
    assert sorted(a["published"] for a in articles)[-1].startswith("2025-06-03T08:00:00")
    row = h.feed("one")
    assert (row["state"], row["error_count"], row["items_total"]) == ("ok", 0, 3)


def test_each_article_is_stored_with_its_publisher(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    """The feed's name as configured; a feed named only by its address is told by its own title.
    Stored, so that an article read after a stop is the same source (migration 8)."""
    named, bare = items_for(http_server.base_url, 1, 2), items_for(http_server.base_url, 5, 1)
    http_server.route("/named.xml", Response(body=rss(named), headers={"Content-Type": "application/rss+xml"}))
    http_server.route("/bare.xml", Response(body=rss(bare, title="Studio Tamani Info"),
                                            headers={"Content-Type": "application/rss+xml"}))
    bare_url = http_server.url("/bare.xml")
    h = harness_for([("Journal du Mali", http_server.url("/named.xml")), (bare_url, bare_url)], fetch_pages=False)
    h.cycle()
    publishers = sorted((a["title"], a["publisher"]) for a in h.articles())
    assert publishers == sorted([(i.title, "Journal du Mali") for i in named] + [(bare[0].title, "Studio Tamani Info")])


def test_an_entry_without_a_date_takes_its_page_s(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    items = [dataclasses.replace(i, published=None) for i in items_for(http_server.base_url, 1, 2)]
    serve_feed_with_pages(http_server, "/undated.xml", items)
    h = harness_for([("undated", http_server.url("/undated.xml"))])
    h.cycle()
    assert [a["published"][:19] for a in h.articles()] == ["2025-06-02T09:30:00"] * 2


def test_repeat_poll_is_conditional_and_stores_nothing_twice(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    items = items_for(http_server.base_url, 1, 2)
    body = rss(items)

    def feed(req: Request) -> Response:
        if req.headers.get("if-none-match") == '"v1"':
            return Response(304, headers={"ETag": '"v1"'})
        return Response(body=body, headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'})

    http_server.route("/feed.xml", feed)
    h = harness_for([("one", http_server.url("/feed.xml"))], fetch_pages=False)
    h.cycle()
    second = h.cycle()

    assert second.not_modified == 1 and second.new_articles == 0
    assert http_server.requests_to("/feed.xml")[1].headers.get("if-none-match") == '"v1"'
    assert len(h.articles()) == 2


def test_duplicates_across_feeds_and_unstable_guids(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    base = items_for(http_server.base_url, 1, 2)
    # the second outlet syndicates the same stories with its own GUIDs and tracking parameters
    syndicated = [Item(i.title, i.link + "?utm_source=rss#top", guid="other-" + i.guid, published=i.published)
                  for i in base]
    http_server.route("/a.xml", Response(body=rss(base), headers={"Content-Type": "application/rss+xml"}))
    http_server.route("/b.xml", Response(body=rss(syndicated), headers={"Content-Type": "application/rss+xml"}))
    h = harness_for([("a", http_server.url("/a.xml")), ("b", http_server.url("/b.xml"))], fetch_pages=False)

    h.cycle(["a"])
    summary = h.cycle(["b"])

    assert summary.new_articles == 0
    assert len(h.articles()) == 2
    links = list(h.store.db["article_feeds"].rows)
    assert len(links) == 4  # each article recorded with both feeds


def test_page_that_fails_keeps_the_feed_summary(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    items = [
        Item("Broken page", http_server.url("/p/broken.html"), guid="b1", summary="Résumé du flux, intact."),
        Item("Missing page", http_server.url("/p/missing.html"), guid="m1", summary="Autre résumé du flux."),
    ]
    http_server.route("/feed.xml", Response(body=rss(items), headers={"Content-Type": "application/rss+xml"}))
    http_server.route("/p/broken.html", Response(body=b"\x00\x01\x02 not a page", headers={"Content-Type": "text/html"}))

    h = harness_for([("one", http_server.url("/feed.xml"))])
    h.cycle()

    by_guid = {a["guid"].split("#")[-1]: a for a in h.articles()}
    assert by_guid["b1"]["text"] == "Résumé du flux, intact."
    assert by_guid["b1"]["extraction_status"] in {"empty", "failed"}
    assert by_guid["m1"]["extraction_status"] == "not_fetched"
    assert "404" in by_guid["m1"]["extraction_error"]


def test_network_down_is_not_counted_against_feeds(harness_for) -> None:  # type: ignore[no-untyped-def]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: connection refused, as with no network
    h = harness_for([("a", f"http://127.0.0.1:{port}/a.xml"), ("b", f"http://127.0.0.1:{port}/b.xml")])

    summary = h.cycle()

    assert summary.network_down and summary.failed == 2
    for name in ("a", "b"):
        row = h.feed(name)
        assert row["error_count"] == 0
        assert row["state"] == "failing" and "127.0.0.1" in row["last_error"]
    # still backed off: both retry later, together
    assert h.feed("a")["next_poll"] == h.feed("b")["next_poll"] > NOW


def test_one_failing_feed_backs_off_exponentially(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    http_server.route("/ok.xml", Response(body=rss(items_for(http_server.base_url, 1, 1)),
                                          headers={"Content-Type": "application/rss+xml"}))
    http_server.route("/bad.xml", Response(500, b"boom"))
    h = harness_for([("ok", http_server.url("/ok.xml")), ("bad", http_server.url("/bad.xml"))], fetch_pages=False)

    delays = []
    for _ in range(4):
        h.cycle(["ok", "bad"])
        row = h.feed("bad")
        delays.append(row["next_poll"] - h.now)
        h.now += timedelta(days=2)

    assert h.feed("bad")["error_count"] == 4
    assert "500" in h.feed("bad")["last_error"]
    assert delays[0] < delays[1] < delays[2] < delays[3]  # 600 s, then about 2x, 4x, 8x (+-20%)
    assert delays[3] <= timedelta(hours=24)


def test_gone_disables_and_retry_after_is_respected(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    http_server.route("/gone.xml", Response(410, b"gone"))
    http_server.route("/busy.xml", Response(429, b"slow down", headers={"Retry-After": "7200"}))
    h = harness_for([("gone", http_server.url("/gone.xml")), ("busy", http_server.url("/busy.xml"))])

    h.cycle()

    gone = h.feed("gone")
    assert gone["state"] == "disabled"
    assert "gone" not in [f.name for f in h.store.feeds_due(NOW + timedelta(days=30))]
    busy = h.feed("busy")
    assert busy["next_poll"] >= NOW + timedelta(seconds=7200)


def test_permanent_redirect_updates_the_stored_url(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    http_server.route("/old.xml", Response(301, headers={"Location": http_server.url("/new.xml")}))
    http_server.route("/new.xml", Response(body=rss(items_for(http_server.base_url, 1, 1)),
                                           headers={"Content-Type": "application/rss+xml"}))
    h = harness_for([("moved", http_server.url("/old.xml"))], fetch_pages=False)

    h.cycle()

    assert h.store.feed("moved").url == http_server.url("/new.xml")


def test_broken_feed_keeps_its_entries_and_html_fails(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    broken = rss(items_for(http_server.base_url, 1, 2)).replace(b"</channel></rss>", b"<item><title>cut")
    http_server.route("/broken.xml", Response(body=broken, headers={"Content-Type": "application/rss+xml"}))
    http_server.route("/html.xml", Response(body=b"<html><body><p>Page d'accueil</p></body></html>",
                                            headers={"Content-Type": "text/html"}))
    h = harness_for([("broken", http_server.url("/broken.xml")), ("html", http_server.url("/html.xml"))],
                    fetch_pages=False)

    summary = h.cycle()

    assert summary.new_articles == 2
    assert h.feed("broken")["state"] == "ok"
    html = h.feed("html")
    assert html["state"] == "failing" and html["error_count"] == 1 and html["last_error"]


def test_content_hash_ignores_spacing_and_case() -> None:
    assert content_hash("Attaque à  Boulkessi\n") == content_hash("attaque à boulkessi")
    assert content_hash("Attaque à Boulkessi") != content_hash("Attaque à Tombouctou")


def test_short_guids_are_scoped_to_their_site() -> None:
    assert scoped_guid("123", "https://www.maliweb.net/feed") == "www.maliweb.net#123"
    assert scoped_guid("123", "https://studiotamani.org/feed") != scoped_guid("123", "https://www.maliweb.net/feed")
    assert scoped_guid("https://x.org/a?p=1", "https://y.org/rss") == "https://x.org/a?p=1"
    assert scoped_guid("tag:rfi.fr,2025:article-9", "https://www.rfi.fr/rss") == "tag:rfi.fr,2025:article-9"
    assert scoped_guid(None, "https://y.org/rss") is None


def test_a_lasting_feed_problem_is_logged_once(http_server: LocalHTTPServer, harness_for,  # type: ignore[no-untyped-def]
                                              caplog: pytest.LogCaptureFixture) -> None:
    broken = rss(items_for(http_server.base_url, 1, 1)).replace(b"</channel></rss>", b"<item><title>cut")
    http_server.route("/broken.xml", Response(body=broken, headers={"Content-Type": "application/rss+xml"}))
    h = harness_for([("broken", http_server.url("/broken.xml"))], fetch_pages=False)
    with caplog.at_level("WARNING", logger="monitor.poll"):
        for _ in range(3):
            h.cycle()
    assert sum("feed broken:" in r.getMessage() for r in caplog.records) == 1


def test_an_item_with_half_characters_costs_its_feed_nothing(http_server: LocalHTTPServer, harness_for) -> None:  # type: ignore[no-untyped-def]
    # an emoji written as the two halves of its UTF-16 form, and a half alone, in one item of six
    items = items_for(http_server.base_url, 1, 6)
    items[3] = Item("Mopti HALVES ce matin", items[3].link, guid=items[3].guid,
                    summary="Résumé LONE du flux.", published=items[3].published)
    serve_feed_with_pages(http_server, "/feed.xml", items)
    feed = rss(items).replace(b"HALVES", b"&#55357;&#56832;").replace(b"LONE", b"&#56832;")
    http_server.route("/feed.xml", Response(body=feed, headers={"Content-Type": "application/rss+xml"}))
    page = article_page("Mopti HALVES", ["Des tirs LONE HALVES " + "près du poste de l'armée. " * 10])
    http_server.route(items[3].link.removeprefix(http_server.base_url),
                      Response(body=page.replace(b"HALVES", b"&#55357;&#56832;").replace(b"LONE", b"&#55357;"),
                               headers={"Content-Type": "text/html; charset=utf-8"}))
    h = harness_for([("one", http_server.url("/feed.xml"))])

    summary = h.cycle()

    assert (summary.ok, summary.failed, summary.new_articles) == (1, 0, 6)
    assert h.feed("one")["state"] == "ok"
    by_guid = {a["guid"].split("#")[-1]: a for a in h.articles()}
    assert len(by_guid) == 6
    odd = by_guid[items[3].guid]
    assert (odd["title"], odd["summary"]) == ("Mopti 😀 ce matin", "Résumé \ufffd du flux.")
    assert odd["extraction_status"] == "ok" and "Des tirs \ufffd 😀 près du poste" in odd["text"]
    assert all(a["relevant"] is not None for a in by_guid.values())  # every one read



# --- the page deadline: one slow site cannot hold a cycle ------------------------------------


class DripSite:
    """A site on its own address (127.0.0.2) whose feed comes at once and whose article pages
    come a few bytes at a time, each over ``seconds`` (a slow CMS, a congested link)."""

    def __init__(self, items: int, seconds: float) -> None:
        self.seconds = seconds
        self.page_requests = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                body = site.feed if self.path == "/feed.xml" else site.pages.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml" if self.path == "/feed.xml" else "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    site.send(self.wfile, body, drip=self.path != "/feed.xml")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the fetcher gave up on the page: the point of the test

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.2:{self._server.server_address[1]}"
        self.items = [
            Item(f"Dépêche lente {i}: attaque près de Mopti", f"{self.base_url}/p/{i}.html", guid=f"slow-{i}",
                 summary=f"Résumé {i}: des hommes armés ont attaqué un poste près de Mopti.",
                 published=NOW - timedelta(hours=1, minutes=i))
            for i in range(items)
        ]
        self.feed = rss(self.items)
        self.pages = {item.link.removeprefix(self.base_url): article_page(item.title) for item in self.items}
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def send(self, out, body: bytes, drip: bool) -> None:  # type: ignore[no-untyped-def]
        if not drip:
            out.write(body)
            return
        with self._lock:
            self.page_requests += 1
        pieces = 20
        size = -(-len(body) // pieces)
        for start in range(0, len(body), size):
            if self.stopping.wait(self.seconds / pieces):
                return
            out.write(body[start : start + size])
            out.flush()

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def drip_site() -> Iterator:  # type: ignore[type-arg]
    made: list[DripSite] = []

    def make(items: int, seconds: float) -> DripSite:
        made.append(DripSite(items, seconds))
        return made[-1]

    yield make
    for site in made:
        site.stop()


def timed_cycle(h: Harness):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    summary = h.cycle()
    return summary, time.monotonic() - started


def test_slow_pages_wait_while_the_cycle_ends_on_time_and_come_later(
    http_server: LocalHTTPServer, drip_site, harness_for  # type: ignore[no-untyped-def]
) -> None:
    # ten pages of 0.8 s each, two at a time at that host: 4 s of pages; the cycle may wait 1 s
    slow = drip_site(10, 0.8)
    fast_items = items_for(http_server.base_url, 2, 3)
    serve_feed_with_pages(http_server, "/fast.xml", fast_items)
    h = harness_for([("slow", slow.base_url + "/feed.xml"), ("fast", http_server.url("/fast.xml"))],
                    page_deadline=1, per_host=2, page_concurrency=4)

    summary, took = timed_cycle(h)

    assert took < 3.0  # without the deadline: 4 s and more
    assert (summary.ok, summary.new_articles) == (2, 13)
    assert summary.pages_waiting >= 6 and "pages still to fetch" in summary.line()
    by_guid = {a["guid"].split("#")[-1]: a for a in h.articles()}
    fast = [by_guid[i.guid] for i in fast_items]
    assert all(a["extraction_status"] == "ok" and a["relevant"] is not None for a in fast)  # read on time
    waiting = [a for a in by_guid.values() if "#slow-" in a["guid"] and a["relevant"] is None]
    assert len(waiting) == summary.pages_waiting
    assert all(a["text"].startswith("Résumé") and a["extraction_status"] == "not_fetched" for a in waiting)

    for _ in range(8):  # between cycles, each tick fetches more of them, by a deadline of its own
        started = time.monotonic()
        h.poller.catch_up()
        assert time.monotonic() - started < 3.0
        if not h.poller.run_cycle([]).pages_waiting:
            break

    slow_articles = [a for a in h.articles() if "#slow-" in a["guid"]]
    assert len(slow_articles) == 10
    assert all(a["extraction_status"] == "ok" and "poste de l'armée" in a["text"] for a in slow_articles)
    assert all(a["relevant"] is not None for a in slow_articles)  # read, with the page's text
    assert h.store.reading_counts()["unread"] == 0


def test_a_page_the_deadline_always_cuts_is_read_from_the_summary(
    drip_site, harness_for  # type: ignore[no-untyped-def]
) -> None:
    slow = drip_site(2, 30.0)  # never in by a 1 s deadline
    h = harness_for([("slow", slow.base_url + "/feed.xml")], page_deadline=1)

    summary, took = timed_cycle(h)
    assert took < 3.0 and summary.pages_waiting == 2  # one cut each
    assert all(a["relevant"] is None for a in h.articles())  # waiting for their page
    for _ in range(PAGE_CUTS - 2):
        h.poller.catch_up()  # cut again
        assert all(a["relevant"] is None for a in h.articles())
    h.poller.catch_up()  # the last cut

    articles = h.articles()
    assert all(a["relevant"] is not None for a in articles)  # read once the page was given up on
    assert all(a["text"].startswith("Résumé") and a["extraction_status"] == "not_fetched" for a in articles)
    assert "page deadline" in articles[0]["extraction_error"]
    assert slow.page_requests == 2 * PAGE_CUTS


def test_a_stop_before_the_page_comes_leaves_the_article_for_the_next_start(
    drip_site, harness_for, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    slow = drip_site(1, 30.0)
    h = harness_for([("slow", slow.base_url + "/feed.xml")], page_deadline=1)
    h.cycle()
    assert [a["relevant"] for a in h.articles()] == [None]
    h.poller.close()

    restarted = Harness(make_config(tmp_path / "monitor.db", [("slow", slow.base_url + "/feed.xml")]))
    try:
        done = restarted.poller.catch_up()
        assert len(done) == 1 and restarted.store.reading_counts()["unread"] == 0
    finally:
        restarted.close()
