"""The parse stage over feeds written for these tests (tests/fixtures/feeds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from monitor.collect.feeds import canonical_url, entry_identity, parse_feed
from monitor.models import FeedEntry, ParsedFeed
from tests.conftest import FIXTURES

FEEDS = FIXTURES / "feeds"
FEED_URL = "https://feeds.example.ml/rss/"
RSS = {"content-type": "application/rss+xml"}


def parse_fixture(name: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    return parse_feed((FEEDS / name).read_bytes(), RSS if headers is None else headers, FEED_URL)


def entry_titled(feed: ParsedFeed, prefix: str) -> FeedEntry:
    return next(entry for entry in feed.entries if entry.title.startswith(prefix))


# ---------------------------------------------------------------------------
# every fixture: version, entries, first title, problem


@dataclass(frozen=True)
class FixtureCase:
    name: str
    version: str | None
    entries: int
    first_title: str | None
    problem: str | None = None  # a fragment the problem must contain; None: no problem
    ok: bool = True


BOULKESSI = "Attaque contre le camp militaire de Boulkessi : l’armée annonce un bilan"
SEVARE = "Sévaré : la sécurité renforcée à l'entrée de la ville"
LERE = "L’armée reprend le contrôle de Léré – « un succès »"  # typed in Word: windows-1252 punctuation

FIXTURE_CASES = [
    FixtureCase("rss20_fr.xml", "rss20", 5, BOULKESSI),
    FixtureCase("atom_fr.xml", "atom10", 3, "Niger : embuscade près de Tillabéri"),
    FixtureCase("rss10_rdf.xml", "rss10", 2, "Gao : afflux de déplacés après les violences"),
    FixtureCase("empty_channel.xml", "rss20", 0, None),
    FixtureCase("duplicate_links.xml", "rss20", 2, "Mopti : marché rouvert"),
    FixtureCase("broken_mismatched_tag.xml", "rss20", 2, "Première dépêche : Kayes", "malformed XML"),
    FixtureCase("truncated.xml", "rss20", 2, "Koulikoro : article complet", "malformed XML"),
    FixtureCase("iso8859_1_declared_utf8.xml", "rss20", 2, SEVARE, "declared as utf-8"),
    FixtureCase("iso8859_1_no_declaration.xml", "rss20", 2, SEVARE, "encoding"),
    FixtureCase("iso8859_1_declared.xml", "rss20", 2, SEVARE),
    FixtureCase("utf8_declared_latin1.xml", "rss20", 2, SEVARE, "bytes are UTF-8"),
    FixtureCase("windows1252_declared.xml", "rss20", 1, LERE),
    FixtureCase("windows1252_declared_iso.xml", "rss20", 1, LERE),
    FixtureCase("html_page.html", None, 0, None, "not a feed", ok=False),
]  # fmt: skip


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=lambda case: case.name)
def test_fixture_parses_as_expected(case: FixtureCase) -> None:
    feed = parse_fixture(case.name)
    assert (feed.ok, feed.version, len(feed.entries)) == (case.ok, case.version, case.entries)
    assert (feed.entries[0].title if feed.entries else None) == case.first_title
    if case.problem is None:
        assert feed.problem is None
    else:
        assert feed.problem is not None and case.problem in feed.problem
        assert "\n" not in feed.problem


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("iso8859_1_declared_utf8.xml", "Journal déclaré UTF-8"),
        ("iso8859_1_no_declaration.xml", "Journal sans déclaration"),
        ("windows1252_declared.xml", "Journal windows-1252"),
        ("utf8_declared_latin1.xml", "Journal UTF-8 étiqueté Latin-1"),
        ("rss20_fr.xml", "Studio Test – Actualités du Mali"),
        ("atom_fr.xml", "Agence Exemple — Afrique"),
    ],
)
def test_feed_title_is_decoded(name: str, title: str) -> None:
    assert parse_fixture(name).title == title


@pytest.mark.parametrize("name", ["windows1252_declared.xml", "windows1252_declared_iso.xml"])
def test_windows_1252_punctuation_is_decoded_not_c1_controls(name: str) -> None:
    entry = parse_fixture(name).entries[0]
    assert entry.summary == "Le cœur de la ville est calme… coût : 5 000 €."
    assert not any("\x80" <= char <= "\x9f" for char in entry.title + entry.summary)


@pytest.mark.parametrize("content_type", ["text/xml", "application/xml", ""])
def test_content_type_without_charset_lets_the_document_decide(content_type: str) -> None:
    headers = {"content-type": content_type} if content_type else {}
    feed = parse_fixture("rss20_fr.xml", headers)
    assert feed.title == "Studio Test – Actualités du Mali"
    assert feed.problem is None


# ---------------------------------------------------------------------------
# entry fields


def test_rss_entry_fields() -> None:
    entry = parse_fixture("rss20_fr.xml").entries[0]
    assert entry.guid == "news-example-ml-10231"
    assert entry.link == "https://news.example.ml/securite/attaque-boulkessi.html?utm_source=rss&utm_medium=feed"
    assert entry.url == "https://news.example.ml/securite/attaque-boulkessi.html"
    assert entry.published == datetime(2025, 6, 1, 18, 30, tzinfo=UTC)
    assert entry.author == "Aminata Traoré"


def test_summary_is_the_fullest_text_with_paragraphs_and_no_markup() -> None:
    summary = parse_fixture("rss20_fr.xml").entries[0].summary
    # content:encoded is longer than description, so it wins
    assert summary == (
        "Des hommes armés ont attaqué le camp de Boulkessi à l’aube, dans la région de Mopti.\n\n"
        "Selon une source sécuritaire, le bilan reste provisoire.\n"
        "Les forces armées ont lancé une riposte."
    )
    assert "alert" not in summary and "<" not in summary


def test_escaped_html_in_description_is_stripped() -> None:
    entry = entry_titled(parse_fixture("rss20_fr.xml"), "Tombouctou")
    assert entry.summary == "Des habitants de Tombouctou ont entendu des tirs nourris ce lundi matin."
    assert entry.title == "Tombouctou : des tirs entendus près de l'aéroport & du camp"


def test_whitespace_in_summary_is_collapsed() -> None:
    entry = entry_titled(parse_fixture("rss20_fr.xml"), "Ségou")
    assert entry.summary == "Après plusieurs jours de fermeture, la circulation a repris."


def test_relative_link_is_resolved_against_the_feed_url() -> None:
    entry = entry_titled(parse_fixture("rss20_fr.xml"), "Tombouctou")
    assert entry.link == "https://feeds.example.ml/securite/tombouctou-tirs.html#commentaires"
    assert entry.url == "https://feeds.example.ml/securite/tombouctou-tirs.html"


def test_feed_url_host_and_port_are_canonicalised() -> None:
    entry = entry_titled(parse_fixture("rss20_fr.xml"), "Ségou")
    assert entry.guid is None
    assert entry.url == "https://news.example.ml/societe/segou-route.html?id=7"


def test_published_is_aware_utc_from_a_local_offset() -> None:
    entry = entry_titled(parse_fixture("rss20_fr.xml"), "Tombouctou")
    assert entry.published == datetime(2025, 6, 2, 8, 15, tzinfo=UTC)
    assert entry.published is not None and entry.published.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_date_far_in_the_future_is_ignored() -> None:
    assert entry_titled(parse_fixture("rss20_fr.xml"), "Date impossible").published is None


def test_entry_without_link_or_guid() -> None:
    entry = entry_titled(parse_fixture("rss20_fr.xml"), "Communiqué")
    assert (entry.guid, entry.link, entry.url, entry.published) == (None, None, None, None)
    assert entry_identity(entry).startswith("hash:")


def test_atom_entries() -> None:
    first, second, third = parse_fixture("atom_fr.xml").entries
    # xml:base on the feed resolves the relative hrefs
    assert first.link == "https://agence.example.org/fr/articles/501-embuscade-tillaberi"
    assert second.link == "https://agence.example.org/en/articles/502"
    assert first.published == datetime(2025, 6, 2, 20, 45, tzinfo=UTC)
    assert first.author == "Moussa Diallo"
    assert first.summary == (
        "Une patrouille est tombée dans une embuscade près de Tillabéri.\n\nLe ministère n’a pas donné de bilan."
    )
    # no <published>: <updated> stands in
    assert second.published == datetime(2025, 6, 3, 10, 0, tzinfo=UTC)
    assert third.title == "Mopti : couvre-feu prolongé"
    assert third.summary == "Le gouverneur a prolongé le couvre-feu.\n\nIl court jusqu’au 15 juin."


def test_rss10_entries() -> None:
    gao, kidal = parse_fixture("rss10_rdf.xml").entries
    assert gao.url == "https://ong.example.net/alertes/gao-deplaces"  # xtor dropped
    assert gao.author == "Bureau de Gao"
    assert gao.published == datetime(2025, 6, 4, 6, 0, tzinfo=UTC)
    assert kidal.published == datetime(2025, 6, 5, tzinfo=UTC)


def test_same_article_with_different_tracking_has_one_url() -> None:
    first, second = parse_fixture("duplicate_links.xml").entries
    assert first.link != second.link
    assert first.url == second.url == "https://double.example.ml/article/42"
    assert entry_identity(first) == entry_identity(second) == "url:https://double.example.ml/article/42"


# ---------------------------------------------------------------------------
# broken and hostile bodies


def test_broken_xml_keeps_entries_and_says_where() -> None:
    feed = parse_fixture("broken_mismatched_tag.xml")
    assert feed.ok
    assert feed.problem == "malformed XML: mismatched tag at line 10"
    assert [entry.guid for entry in feed.entries] == [
        "https://malforme.example.ml/depeches/1",
        "https://malforme.example.ml/depeches/2",
    ]


def test_truncated_feed_keeps_what_arrived() -> None:
    feed = parse_fixture("truncated.xml")
    assert feed.ok and feed.problem is not None
    assert [entry.url for entry in feed.entries] == ["https://coupe.example.ml/a/1", "https://coupe.example.ml/a/2"]


def test_empty_but_valid_feed_is_ok() -> None:
    feed = parse_fixture("empty_channel.xml")
    assert (feed.ok, feed.entries, feed.problem) == (True, [], None)


@pytest.mark.parametrize("headers", [{"Content-Type": "text/html; charset=utf-8"}, {}], ids=["text/html", "none"])
def test_html_page_is_not_a_feed(headers: dict[str, str]) -> None:
    feed = parse_fixture("html_page.html", headers)
    assert not feed.ok and feed.entries == [] and feed.version is None
    assert feed.problem is not None and feed.problem.startswith("not a feed: an HTML page")


def test_feed_served_as_html_is_still_read() -> None:
    feed = parse_fixture("rss20_fr.xml", {"content-type": "text/html; charset=utf-8"})
    assert feed.ok and len(feed.entries) == 5
    assert feed.problem is not None and "text/html" in feed.problem


@pytest.mark.parametrize("body", [b"", b"   \n\t", b"\xef\xbb\xbf"])
def test_empty_body_is_not_ok(body: bytes) -> None:
    feed = parse_feed(body, RSS, FEED_URL)
    assert not feed.ok and feed.entries == [] and feed.problem


@pytest.mark.parametrize(
    "body",
    [
        b"\x00\xff\xfe garbage \x81\x8d",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
        b"<rss",
        b"<?xml version='1.0'?><a><b></a>",
        b"<?xml version='1.0' encoding='bogus-42'?><rss version='2.0'><channel><item><title>x",
        "<rss version='2.0'><channel><item><title>\ud800</title></item></channel></rss>".encode(
            "utf-8", "surrogatepass"
        ),
        b"<!DOCTYPE x [<!ENTITY a '&#38;a;'>]><rss version='2.0'><channel><title>&a;</title></channel></rss>",
    ],
)
def test_never_raises_on_junk(body: bytes) -> None:
    feed = parse_feed(body, {}, FEED_URL)
    assert isinstance(feed, ParsedFeed)
    assert feed.ok or feed.problem


@pytest.mark.parametrize("url", ["http://[broken/rss", "", "not a url"])
def test_unusable_feed_url_still_gives_absolute_links(url: str) -> None:
    headers = {"content-type": "application/rss+xml", "content-location": "/x"}
    feed = parse_feed((FEEDS / "rss20_fr.xml").read_bytes(), headers, url)
    assert len(feed.entries) == 5
    assert feed.entries[0].url == "https://news.example.ml/securite/attaque-boulkessi.html"


def test_body_that_looks_like_a_path_is_not_opened(tmp_path: Path) -> None:
    # feedparser would open a file (or fetch a URL) named by a string; bytes must stay bytes.
    real_feed = tmp_path / "feed.xml"
    real_feed.write_bytes((FEEDS / "rss20_fr.xml").read_bytes())
    feed = parse_feed(str(real_feed).encode(), {}, FEED_URL)
    assert not feed.ok and feed.entries == []


def test_body_that_looks_like_a_url_is_not_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("feedparser tried to fetch")

    monkeypatch.setattr(feedparser.api.http, "get", no_network)
    feed = parse_feed(b"https://feeds.example.ml/rss/", {}, FEED_URL)
    assert not feed.ok


def test_header_names_are_case_insensitive_and_content_location_is_the_base() -> None:
    headers = {"Content-Type": "application/rss+xml", "Content-Location": "/other/feed.xml"}
    entry = entry_titled(parse_fixture("rss20_fr.xml", headers), "Tombouctou")
    assert entry.link == "https://feeds.example.ml/securite/tombouctou-tirs.html#commentaires"


def test_non_http_links_are_dropped() -> None:
    body = (
        b"<rss version='2.0'><channel><title>t</title>"
        b"<item><title>x</title><link>javascript:alert(1)</link></item></channel></rss>"
    )
    entry = parse_feed(body, RSS, FEED_URL).entries[0]
    assert (entry.link, entry.url) == (None, None)


def test_plain_text_title_with_angle_brackets_and_double_escaping() -> None:
    body = (
        b"<rss version='2.0'><channel><title>t</title><item>"
        b"<title>Bilan : 5 &lt; 10 morts, selon l&amp;#8217;arm\xc3\xa9e</title>"
        b"<guid isPermaLink='false'>  g-1  </guid></item></channel></rss>"
    )
    entry = parse_feed(body, RSS, FEED_URL).entries[0]
    assert entry.title == "Bilan : 5 < 10 morts, selon l’armée"
    assert entry.guid == "g-1"


# ---------------------------------------------------------------------------
# canonical_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.ML/Securite/Article.html", "https://news.example.ml/Securite/Article.html"),
        ("http://example.ml:80/a", "http://example.ml/a"),
        ("https://example.ml:443/a", "https://example.ml/a"),
        ("https://example.ml:8443/a", "https://example.ml:8443/a"),
        ("http://example.ml:443/a", "http://example.ml:443/a"),
        ("https://example.ml/a#comments", "https://example.ml/a"),
        ("https://example.ml/a?", "https://example.ml/a"),
        ("https://example.ml", "https://example.ml/"),
        ("https://example.ml/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://example.ml/a"),
        ("https://example.ml/a?id=3&utm_source=rss&page=2", "https://example.ml/a?id=3&page=2"),
        ("https://example.ml/a?b=2&a=1", "https://example.ml/a?b=2&a=1"),
        ("https://example.ml/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ocid=5", "https://example.ml/a"),
        ("https://example.ml/a?cmpid=1&xtor=RSS-3&igshid=2&_ga=3&ref=tw&ref_src=twsrc", "https://example.ml/a"),
        ("https://example.ml/a?at_medium=rss&at_campaign=fr&id=9", "https://example.ml/a?id=9"),
        ("https://example.ml/a?UTM_Source=x&Id=1", "https://example.ml/a?Id=1"),
        ("https://example.ml/a?q=mali%20attaque&x=a+b", "https://example.ml/a?q=mali%20attaque&x=a+b"),
        ("https://example.ml/a?reference=1&referer=2", "https://example.ml/a?reference=1&referer=2"),
        ("https://User:Pass@Example.ML/a", "https://User:Pass@example.ml/a"),
        ("http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"),
        ("  https://example.ml/a  ", "https://example.ml/a"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("url", ["http://[broken/a", "not a url", ""])
def test_canonical_url_never_raises(url: str) -> None:
    assert isinstance(canonical_url(url), str)


# ---------------------------------------------------------------------------
# entry_identity


def make_entry(**fields: object) -> FeedEntry:
    values: dict[str, object] = {
        "guid": None, "link": None, "url": None, "title": "Attaque à Boulkessi", "summary": "", "published": None,
    }  # fmt: skip
    values.update(fields)
    return FeedEntry(**values)  # type: ignore[arg-type]


def test_identity_prefers_guid() -> None:
    entry = make_entry(guid="abc-1", link="https://x.ml/a?utm_source=y", url="https://x.ml/a")
    assert entry_identity(entry) == "guid:abc-1"


def test_identity_falls_back_to_canonical_url() -> None:
    assert entry_identity(make_entry(url="https://x.ml/a")) == "url:https://x.ml/a"
    assert entry_identity(make_entry(link="https://X.ml/a?fbclid=2#top")) == "url:https://x.ml/a"


def test_identity_hashes_title_and_date_last() -> None:
    when = datetime(2025, 6, 1, 18, 30, tzinfo=UTC)
    identity = entry_identity(make_entry(published=when))
    assert identity.startswith("hash:") and len(identity) == len("hash:") + 32
    assert identity == entry_identity(make_entry(title="  attaque   à BOULKESSI ", published=when))
    assert identity != entry_identity(make_entry())
    assert identity != entry_identity(make_entry(published=datetime(2025, 6, 2, tzinfo=UTC)))


# ---------------------------------------------------------------------------
# half characters: one item's emoji written as two UTF-16 references


def test_one_item_with_surrogate_references_loses_nothing_of_the_feed() -> None:
    items = [
        f"<item><title>Dépêche {i}</title><link>https://news.example.ml/{i}</link>"
        f"<description>Résumé {i}.</description></item>"
        for i in range(5)
    ]
    items[2] = (
        "<item><title>Mopti &#55357;&#56832; ce matin &#55357;</title><link>https://news.example.ml/2</link>"
        "<description>&lt;p&gt;Deux fois &amp;#55357;&amp;#56832; échappé&lt;/p&gt;</description></item>"
    )
    body = f"<rss version='2.0'><channel><title>t</title>{''.join(items)}</channel></rss>".encode()

    feed = parse_feed(body, RSS, FEED_URL)

    assert feed.ok and feed.problem is None
    assert [e.title[:7] for e in feed.entries] == ["Dépêche"] * 2 + ["Mopti 😀"] + ["Dépêche"] * 2
    assert feed.entries[2].title == "Mopti 😀 ce matin \ufffd"
    assert feed.entries[2].summary == "Deux fois 😀 échappé"
    for entry in feed.entries:  # every field can be written as UTF-8 (SQLite, JSON)
        "".join(filter(None, (entry.title, entry.summary, entry.guid, entry.link))).encode("utf-8")
