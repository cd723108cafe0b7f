"""OPML subscription lists: reading, writing, and refusing hostile documents."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from monitor.collect.opml import (
    OpmlError,
    OpmlFeed,
    Subscriptions,
    parse_opml,
    render_opml,
)

READER_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Abonnements de l’analyste</title></head>
  <body>
    <outline text="Mali" title="Mali">
      <outline type="rss" text="Studio Tamani" xmlUrl="https://www.studiotamani.org/feed"
               htmlUrl="https://www.studiotamani.org/" language="fr"/>
      <outline text="Presse écrite">
        <outline type="rss" title="Maliweb – Sécurité" xmlUrl=" https://www.maliweb.net/category/securite/feed "/>
      </outline>
      <outline text="Un simple lien" type="link" url="https://example.ml/"/>
    </outline>
    <outline type="rss" text="RFI Afrique" xmlurl="https://www.rfi.fr/fr/afrique/rss" LANGUAGE="fr"/>
    <outline type="rss" text="Sans adresse" xmlUrl=""/>
  </body>
</opml>
""".encode()


def test_parse_reads_nested_outlines_in_order_with_their_folders_as_category() -> None:
    assert parse_opml(READER_EXPORT).feeds == [
        OpmlFeed("Studio Tamani", "https://www.studiotamani.org/feed", "fr", "https://www.studiotamani.org/", "Mali"),
        OpmlFeed("Maliweb – Sécurité", "https://www.maliweb.net/category/securite/feed", None, None,
                 "Mali / Presse écrite"),
        OpmlFeed("RFI Afrique", "https://www.rfi.fr/fr/afrique/rss", "fr", None, None),
    ]


def test_name_falls_back_to_the_url() -> None:
    data = b'<opml version="1.0"><body><outline xmlUrl="https://x.ml/rss"/></body></opml>'
    assert parse_opml(data).feeds == [OpmlFeed("https://x.ml/rss", "https://x.ml/rss")]


def test_document_without_body_has_no_feeds() -> None:
    assert parse_opml(b'<opml version="2.0"><head><title>vide</title></head></opml>') == Subscriptions()


def test_addresses_that_are_not_http_are_refused_one_line_each_and_the_rest_is_read() -> None:
    data = b"""<opml version="2.0"><body>
      <outline text="Script" xmlUrl="javascript:alert(document.cookie)"/>
      <outline text="Local file" xmlUrl="file:///etc/passwd"/>
      <outline text="FTP" xmlUrl="ftp://files.example.ml/feed.xml"/>
      <outline text="No host" xmlUrl="https:///feed.xml"/>
      <outline text="Studio Tamani" xmlUrl="HTTPS://www.studiotamani.org/feed"/>
    </body></opml>"""
    found = parse_opml(data)
    assert [f.name for f in found.feeds] == ["Studio Tamani"]
    assert found.refused == [
        "'Script' (javascript:alert(document.cookie)): not an http(s) URL, not added",
        "'Local file' (file:///etc/passwd): not an http(s) URL, not added",
        "'FTP' (ftp://files.example.ml/feed.xml): not an http(s) URL, not added",
        "'No host' (https:///feed.xml): not a valid URL, not added",
    ]


def test_outlines_nested_thousands_deep_are_read_without_recursion() -> None:
    depth = 5000
    data = ("<opml><body>" + "<outline text='f'>" * depth + "<outline text='deep' xmlUrl='https://d.ml/rss'/>"
            + "</outline>" * depth + "</body></opml>").encode()
    (feed,) = parse_opml(data).feeds
    assert feed.name == "deep" and feed.category is not None and feed.category.count(" / ") == depth - 1


def test_iso_8859_1_document_is_decoded() -> None:
    data = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        '<opml><body><outline text="Sévaré" xmlUrl="https://s.ml/f"/></body></opml>'
    )
    assert parse_opml(data.encode("iso-8859-1")).feeds[0].name == "Sévaré"


FEEDS = [
    OpmlFeed("Studio Tamani", "https://www.studiotamani.org/feed", "fr", "https://www.studiotamani.org/"),
    OpmlFeed('Journal "L’Indépendant" & <Co>', "https://ex.ml/rss?a=1&b=2", None, None),
    OpmlFeed("ACLED: Sahel", "https://acled.example.org/sahel.xml", "en", None),
]
FILED = [
    OpmlFeed("Studio Tamani", "https://www.studiotamani.org/feed", "fr", None, "Mali"),
    OpmlFeed("Maliweb", "https://www.maliweb.net/feed", "fr", None, "Mali / Presse"),
    OpmlFeed("L'Essor", "https://www.essor.ml/feed", "fr", None, "Mali / Presse"),
    OpmlFeed("Lefaso.net", "https://lefaso.net/feed", "fr", None, "Burkina Faso"),
    OpmlFeed("RFI Afrique", "https://www.rfi.fr/fr/afrique/rss", "fr", None, None),
]


def test_render_then_parse_round_trips() -> None:
    assert parse_opml(render_opml(FEEDS, "Veille Sahel")).feeds == FEEDS


def test_categories_are_written_as_folders_and_read_back() -> None:
    data = render_opml(FILED, "Veille Sahel")
    assert parse_opml(data).feeds == FILED
    body = ET.fromstring(data).find("body")
    assert body is not None
    assert [o.get("text") for o in body.findall("outline")] == ["Mali", "Burkina Faso", "RFI Afrique"]
    presse = body.find("outline[@text='Mali']/outline[@text='Presse']")
    assert presse is not None and [o.get("text") for o in presse] == ["Maliweb", "L'Essor"]


def test_render_is_opml_2() -> None:
    data = render_opml(FEEDS, "Veille & Sahel")
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(data)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Veille & Sahel"
    outlines = root.findall("body/outline")
    assert [outline.get("type") for outline in outlines] == ["rss"] * 3
    assert outlines[0].get("text") == "Studio Tamani" and outlines[0].get("xmlUrl") == FEEDS[0].url


def test_render_empty_list_is_still_valid() -> None:
    assert parse_opml(render_opml([], "rien")) == Subscriptions()


def test_render_drops_characters_xml_cannot_carry() -> None:
    feeds = [OpmlFeed("bell\x07 name", "https://x.ml/rss")]
    assert parse_opml(render_opml(feeds, "t\x00")).feeds == [OpmlFeed("bell name", "https://x.ml/rss")]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<opml version="2.0"><body><outline text="&lol4;" xmlUrl="https://x.ml/rss"/></body></opml>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&secret;" xmlUrl="https://x.ml/rss"/></body></opml>
"""

BARE_DOCTYPE = b"""<?xml version="1.0"?>
<!DOCTYPE opml SYSTEM "http://example.org/opml.dtd">
<opml version="2.0"><body/></opml>
"""


@pytest.mark.parametrize(
    "data",
    [
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        BARE_DOCTYPE,
        BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode(
            "utf-16"
        ),
    ],
    ids=["billion-laughs", "external-entity", "doctype", "utf-16"],
)
def test_hostile_documents_are_refused(data: bytes) -> None:
    with pytest.raises(OpmlError, match=r"refused: OPML must not contain a <!DOCTYPE> \(line 2\)"):
        parse_opml(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<opml><body><outline xmlUrl='x'></body></opml>", r"invalid XML: mismatched tag at line 1, column 35"),
        (b"<opml>\n<body>\n<outline text='&nbsp;' xmlUrl='x'/>", r"invalid XML: undefined entity at line 3"),
        (b"", r"invalid XML: no element found at line 1"),
        (b"not xml at all", r"invalid XML: syntax error at line 1"),
        (b'<?xml version="1.0" encoding="win-1252"?><opml/>', r"invalid XML: unknown encoding: win-1252"),
        (b'<rss version="2.0"><channel/></rss>', r"not OPML: the root element is <rss>, expected <opml>"),
    ],
)
def test_invalid_documents_say_what_and_where(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(data)
