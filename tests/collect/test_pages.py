"""The extract stage on pages the project wrote: text, charsets, metadata, and hostile input."""

from __future__ import annotations

import gzip
import random
import time
from datetime import datetime, timezone

import pytest

from monitor.collect.pages import (
    MAX_ELEMENTS,
    decode_html,
    extract_page,
    normalise_language,
    parse_page_date,
)
from monitor.models import ExtractedPage
from tests.conftest import FIXTURES

PAGES = FIXTURES / "pages"
# Generous for a 2-core CI machine; each of these runs well under a second on a laptop.
HOSTILE_SECONDS = 5.0


def extract_fixture(name: str, headers: dict[str, str] | None = None) -> ExtractedPage:
    return extract_page((PAGES / name).read_bytes(), f"https://news.example/{name}", headers)


def timed_extract(body: bytes, headers: dict[str, str] | None = None) -> tuple[ExtractedPage, float]:
    start = time.monotonic()
    page = extract_page(body, "https://news.example/hostile", headers)
    return page, time.monotonic() - start


# --- articles -------------------------------------------------------------------


def test_french_article_body_is_found_without_the_page_around_it() -> None:
    page = extract_fixture("fr_article.html")

    assert page.status == "ok", page.error
    assert page.error is None
    assert "pris pour cible jeudi matin sur la route nationale 16" in page.text
    assert "L'état-major général des armées a confirmé l'attaque" in page.text
    assert "dénoncent la hausse du prix du carburant" in page.text
    for boilerplate in ("MENU-SPORTS-NAVIGATION", "COMMENTAIRE-LECTEUR", "LIEN-CONNEXE", "PIED-DE-PAGE"):
        assert boilerplate not in page.text
    for code in ("PIEGE_SCRIPT", "PIEGE-STYLE", "dataLayer"):
        assert code not in page.text


def test_french_article_metadata() -> None:
    page = extract_fixture("fr_article.html")

    assert page.title == "Mopti : une embuscade contre un convoi de ravitaillement près de Konna"
    assert page.published == datetime(2025, 3, 14, 9, 30, tzinfo=timezone.utc)
    assert page.language == "fr"


def test_without_metadata_the_text_is_the_same_and_the_tags_give_title_and_site() -> None:
    # a feed entry with its own title and date: the page's date is not looked for
    body = (PAGES / "fr_article.html").read_bytes().replace(
        b"<meta charset", b'<meta property="og:site_name" content="Le Courrier du Delta"><meta charset', 1
    )
    full = extract_page(body, "https://news.example/a")
    quick = extract_page(body, "https://news.example/a", metadata=False)
    assert (quick.status, quick.text, quick.language) == (full.status, full.text, full.language)
    assert quick.title == full.title == "Mopti : une embuscade contre un convoi de ravitaillement près de Konna"
    assert quick.site_name == "Le Courrier du Delta" and quick.published is None and full.published is not None
    untitled = extract_page(body.replace(b'property="og:title"', b'property="og:other"'), "https://n.example/a", metadata=False)
    assert untitled.title == "Mopti : une embuscade contre un convoi de ravitaillement près de Konna | Le Courrier du Delta"


def test_english_article_body_and_metadata() -> None:
    page = extract_fixture("en_article.html")

    assert page.status == "ok", page.error
    assert "swept away bridges and submerged stretches of road" in page.text
    assert "more than 11,000 people displaced" in page.text
    for boilerplate in (
        "NAV-OPINION-LINK",
        "COOKIE-BANNER-TEXT",
        "RELATED-STORY",
        "READER-COMMENT",
        "FOOTER-TEXT",
        "TRAP_SCRIPT_TEXT",
        "TRAP-STYLE-RULE",
    ):
        assert boilerplate not in page.text
    assert page.title == "Flooding and insecurity leave thousands stranded in central Sahel"
    # the publication date, not the later modification date
    assert page.published == datetime(2024, 9, 2, 16, 45, tzinfo=timezone.utc)
    assert page.language == "en"


def test_published_is_aware_utc_even_when_the_page_gives_another_offset() -> None:
    html = (PAGES / "fr_article.html").read_text(encoding="utf-8")
    html = html.replace('content="2025-03-14T09:30:00+00:00"', 'content="2025-03-14T11:30:00+02:00"', 1)

    page = extract_page(html.encode("utf-8"), "https://news.example/x")

    assert page.published == datetime(2025, 3, 14, 9, 30, tzinfo=timezone.utc)
    assert page.published is not None and page.published.utcoffset() is not None


def test_script_style_and_noscript_content_never_reach_the_text() -> None:
    page = extract_fixture("scripts_and_styles.html")

    assert page.status == "ok", page.error
    assert "finished repairing a dozen boreholes" in page.text
    assert "Women's associations will manage the new water points" in page.text
    assert "LEAK" not in page.text


# --- charsets -------------------------------------------------------------------

ACCENTED = "Le gouverneur s’est rendu sur place dès l’après-midi"


@pytest.mark.parametrize(
    "name",
    ["fr_windows1252_meta.html", "fr_latin1_http_equiv.html", "fr_cp1252_undeclared.html"],
)
def test_legacy_charsets_decode_accents(name: str) -> None:
    page = extract_fixture(name)

    assert page.status == "ok", page.error
    assert ACCENTED in page.text
    assert "Les cœurs sont lourds" in page.text
    assert "\ufffd" not in page.text
    assert page.title is not None and "Ménaka" in page.title


def test_latin1_label_is_read_as_windows_1252_like_browsers_do() -> None:
    # the file declares ISO-8859-1 but holds 0x92 (’) and 0x9c (œ), as many real pages do
    page = extract_fixture("fr_latin1_http_equiv.html")

    assert "le cœur du bourg" in (page.title or "")
    assert "d’angoisse" in page.text


def test_content_type_header_charset_is_used_when_the_page_declares_none() -> None:
    body = (PAGES / "fr_cp1252_undeclared.html").read_bytes()

    page = extract_page(body, "https://news.example/x", {"Content-Type": "text/html; charset=windows-1252"})

    assert ACCENTED in page.text


def test_a_wrong_utf8_header_falls_back_to_the_meta_declaration() -> None:
    body = (PAGES / "fr_windows1252_meta.html").read_bytes()

    page = extract_page(body, "https://news.example/x", {"content-type": "text/html; charset=utf-8"})

    assert ACCENTED in page.text
    assert "\ufffd" not in page.text


def test_utf8_page_is_not_misread_when_the_header_names_a_legacy_charset() -> None:
    # cp1252 would decode UTF-8 bytes without error into mojibake, so the header must not win blindly
    body = (PAGES / "fr_article.html").read_bytes()

    page = extract_page(body, "https://news.example/x", {"content-type": "text/html; charset=utf-8"})

    assert "près de Konna" in (page.title or "")


def test_unknown_charset_label_is_ignored() -> None:
    body = (PAGES / "fr_article.html").read_bytes()

    page = extract_page(body, "https://news.example/x", {"content-type": "text/html; charset=x-no-such-thing"})

    assert page.status == "ok"
    assert "près de Konna" in (page.title or "")


def test_utf8_cut_in_the_middle_of_a_character_still_decodes() -> None:
    text = "<html><body><p>" + "é" * 10 + "</p></body></html>"
    body = text.encode("utf-8")
    cut = body.index("é".encode("utf-8")) + 1  # inside the two-byte sequence

    assert decode_html(body[:cut] + body[cut:]) == text


# --- pages without an article -----------------------------------------------------


@pytest.mark.parametrize("name", ["login_wall.html", "index_page.html"])
def test_pages_without_an_article_are_empty(name: str) -> None:
    page = extract_fixture(name)

    assert page.status == "empty"
    assert page.text == ""
    assert page.error is None


def test_empty_page_still_reports_its_title_and_language() -> None:
    page = extract_fixture("login_wall.html")

    assert page.title is not None and "Connexion requise" in page.title
    assert page.language == "fr"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n\t  ",
        b"<html><head><title>Nothing</title></head><body></body></html>",
        b"<html><body><p>Too short to be an article.</p></body></html>",
    ],
)
def test_blank_and_tiny_pages_are_empty_or_failed(body: bytes) -> None:
    page = extract_page(body, "https://news.example/x")

    assert page.status in {"empty", "failed"}
    assert page.text == ""


# --- not HTML ---------------------------------------------------------------------


def test_random_bytes_fail_without_raising() -> None:
    body = random.Random(20250614).randbytes(200_000)

    page = extract_page(body, "https://news.example/x")

    assert page.status == "failed"
    assert page.error and "\n" not in page.error


@pytest.mark.parametrize(
    "body",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 50,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(4000),
        gzip.compress(b"<html><body><p>compressed twice</p></body></html>" * 100),
        b"just a line of plain text with no markup at all, as an API might send",
        "\ufeff\x00<\x00h\x00t\x00m\x00l".encode("utf-16-le") + bytes(range(32)) * 100,
    ],
    ids=["png", "pdf", "gzip", "plain-text", "utf16-junk"],
)
def test_binary_and_non_html_inputs_fail_or_are_empty(body: bytes) -> None:
    page = extract_page(body, "https://news.example/x")

    assert page.status in {"failed", "empty"}
    assert page.text == ""


def test_headers_may_be_absent_or_any_case() -> None:
    body = (PAGES / "en_article.html").read_bytes()

    for headers in (None, {}, {"CONTENT-TYPE": "text/html"}, {"Content-Language": "en-GB"}):
        assert extract_page(body, "https://news.example/x", headers).status == "ok"


# --- hostile pages ------------------------------------------------------------------

ARTICLE = "<p>" + "Les secours sont arrivés au village après une longue route dans le sable. " * 8 + "</p>"


def test_fifty_thousand_nested_divs() -> None:
    body = ("<html><body>" + "<div>" * 50_000 + ARTICLE + "</div>" * 50_000 + "</body></html>").encode()

    page, seconds = timed_extract(body)

    assert page.status in {"ok", "empty", "failed"}
    assert seconds < HOSTILE_SECONDS


def test_deep_nesting_of_mixed_unclosed_tags() -> None:
    body = ("<html><body>" + "<div><span><table><tr><td><b><i>" * 10_000 + ARTICLE).encode()

    page, seconds = timed_extract(body)

    assert page.status in {"ok", "empty", "failed"}
    assert seconds < HOSTILE_SECONDS


def test_huge_single_line() -> None:
    # 6 MB without one newline: above the input cap, which must cut it cleanly
    paragraph = "<p>" + "mot " * 150 + "</p>"
    body = ("<!DOCTYPE html><html><body><article>" + paragraph * 10_000 + "</article></body></html>").encode()

    page, seconds = timed_extract(body)

    assert page.status in {"ok", "empty", "failed"}
    assert seconds < HOSTILE_SECONDS


def test_huge_single_word() -> None:
    body = b"<html><body><article><p>" + b"a" * 3_500_000 + b"</p></article></body></html>"

    page, seconds = timed_extract(body)

    assert page.status in {"ok", "empty", "failed"}
    assert seconds < HOSTILE_SECONDS


def test_too_many_elements_is_refused_quickly() -> None:
    body = ("<html><body>" + "<p>x y z</p>" * (MAX_ELEMENTS * 3) + "</body></html>").encode()

    page, seconds = timed_extract(body)

    assert page.status == "failed"
    assert page.error is not None and "too large" in page.error
    assert seconds < HOSTILE_SECONDS


def test_element_with_a_hundred_thousand_attributes() -> None:
    attributes = " ".join(f"data-a{i}='2025-01-{i % 28 + 1:02d}'" for i in range(100_000))
    body = f"<html><body><div {attributes}>{ARTICLE}</div></body></html>".encode()

    page, seconds = timed_extract(body)

    assert page.status in {"ok", "empty", "failed"}
    assert seconds < HOSTILE_SECONDS


def test_attribute_flood_hidden_behind_quoted_brackets() -> None:
    attributes = " ".join(f"a{i}='>'" for i in range(100_000))
    body = f"<html><body><div {attributes}>{ARTICLE}</div></body></html>".encode()

    page, seconds = timed_extract(body)

    assert page.status in {"ok", "empty", "failed"}
    assert seconds < HOSTILE_SECONDS


@pytest.mark.parametrize(
    "filler",
    ["<script>" * 200_000, "<script " * 200_000, "<style x='" * 100_000, "</script>" * 200_000],
    ids=["unclosed-scripts", "unfinished-script-tags", "unfinished-style-attributes", "stray-end-tags"],
)
def test_unclosed_script_and_style_tags(filler: str) -> None:
    body = f"<html><body><article>{ARTICLE}</article>{filler}</body></html>".encode()

    page, seconds = timed_extract(body)

    assert page.status in {"ok", "empty", "failed"}
    assert seconds < HOSTILE_SECONDS


def test_huge_script_and_style_blocks_do_not_leak_or_stall() -> None:
    script = "<script>var x = '" + "SCRIPT-LEAK " * 200_000 + "';</script>"
    style = "<style>" + ".STYLE-LEAK { color: red } " * 50_000 + "</style>"
    body = f"<html><head>{style}</head><body>{script}<article>{ARTICLE}</article>{script}</body></html>".encode()

    page, seconds = timed_extract(body)

    assert page.status == "ok", page.error
    assert "LEAK" not in page.text
    assert "Les secours sont arrivés au village" in page.text
    assert seconds < HOSTILE_SECONDS


def test_json_ld_metadata_survives_the_script_removal() -> None:
    json_ld = '{"@type": "NewsArticle", "headline": "Relief flights resume", "datePublished": "2024-11-03T07:15:00Z"}'
    body = (
        "<html><head><title>Relief flights resume</title>"
        f'<script type="application/ld+json">{json_ld}</script></head>'
        f"<body><article><h1>Relief flights resume</h1>{ARTICLE}</article></body></html>"
    ).encode()

    page = extract_page(body, "https://news.example/x")

    assert page.status == "ok"
    assert page.published == datetime(2024, 11, 3, 7, 15, tzinfo=timezone.utc)


def test_an_emoji_written_as_two_surrogate_references_is_one_character() -> None:
    body = (
        "<html><head><title>Relief flights resume &#55357;&#56832;</title></head><body><article>"
        f"<h1>Relief flights resume &#55357;&#56832;</h1><p>Crowds cheered &#55357;&#56832; and one &#56832; alone.</p>"
        f"{ARTICLE}</article></body></html>"
    ).encode()

    page = extract_page(body, "https://news.example/x")

    assert page.status == "ok"
    assert "Crowds cheered 😀 and one \ufffd alone." in page.text
    (page.title or "").encode("utf-8")
    page.text.encode("utf-8")


# --- helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("fr-FR", "fr"), ("en_US", "en"), ("EN", "en"), ("ful", "ful"), ("", None), (None, None), ("x-klingon-1", None)],
)
def test_normalise_language(tag: str | None, expected: str | None) -> None:
    assert normalise_language(tag) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-02T14:35:00+0200", datetime(2025, 6, 2, 12, 35, tzinfo=timezone.utc)),
        ("2025-06-02T00:00:00", datetime(2025, 6, 2, tzinfo=timezone.utc)),
        ("2025-06-02", datetime(2025, 6, 2, tzinfo=timezone.utc)),
        ("not a date", None),
        (None, None),
    ],
)
def test_parse_page_date(value: str | None, expected: datetime | None) -> None:
    assert parse_page_date(value) == expected
