"""The page stage: an article page's bytes -> its main text and metadata.

trafilatura does the extraction; this module decides how the bytes become text
(the charset), refuses input that is not HTML, and bounds the work a hostile
page can cause, so that one page never stalls or crashes a poll cycle.
Expected outcomes are values: ``extract_page`` never raises.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Document

from monitor.collect.charrefs import repair_char_refs, repair_surrogates
from monitor.collect.charsets import codec_name
from monitor.models import ExtractedPage

__all__ = ["MIN_TEXT_CHARS", "extract_page"]

# Less prose than this is a caption, a login prompt or a list of headlines, not an article.
MIN_TEXT_CHARS = 100
# A line of prose has at least this many words; menus, headline lists and forms have fewer.
PROSE_LINE_WORDS = 10
# Real news pages are well under 2 MB of HTML, much of it inline scripts, which are dropped
# before the cap on what lxml gets; past these sizes we would only pay for ads and inline data.
MAX_INPUT_BYTES = 8_000_000
MAX_HTML_CHARS = 3_000_000
# trafilatura's time grows with the element count (about 0.05 ms each); real pages have a few thousand.
MAX_ELEMENTS = 30_000
# libxml2's parser and htmldate slow down quadratically with the attributes of one element
# (100,000 of them took 45 s); real elements have a few, the benchmark's worst has 64.
MAX_ATTRIBUTES = 100
# Elements that never hold article text; dropping them first keeps the element budget for content.
# (Scripts and styles are already gone from the string, except JSON-LD, which metadata reads.)
_NEVER_TEXT = ("noscript", "template", "svg", "math", "iframe", "object", "embed")
_SNIFF_BYTES = 4096
# Some templates put <meta charset> after kilobytes of inline styles, past the 1 KB browsers scan.
_META_SNIFF_BYTES = 16_384
# Scripts and styles never hold article text; JSON-LD does hold metadata (date, headline) and is kept.
_BLOCK_START = re.compile(r"<(script|style)\b([^<>]{0,4096})>", re.IGNORECASE)
_BLOCK_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}
_JSON_LD = re.compile(r"application/ld\+json", re.IGNORECASE)
_MAX_JSON_LD_CHARS = 200_000
# An opening tag followed by more attributes than any real element has; group 1 is "<name".
_ATTRIBUTE_FLOOD = re.compile(
    r"""(<[A-Za-z][^\s/<>]{0,64})(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)"""
    rf"{{{MAX_ATTRIBUTES},}}"
)

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.IGNORECASE)
# Matches both <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.IGNORECASE)
_LANGUAGE_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese).
_UNSPACED_SCRIPT = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# htmldate keeps the time and the offset when the page gives them; a bare date comes out at midnight.
_DATE_PARAMS: dict[str, Any] = {
    "original_date": True,  # the publication date, not the last edit
    "extensive_search": False,  # the text-pattern search is slow and guesses
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


def extract_page(body: bytes, url: str, headers: dict[str, str] | None = None, metadata: bool = True) -> ExtractedPage:
    """The main text, title, date and language of an HTML page, or why there is none.

    ``metadata=False``: the caller has the title and the date already (a feed entry gives
    them): trafilatura's metadata search, a third of its time, is skipped; the title and
    the site name then come from the page's own tags, and no date is looked for.
    """
    try:
        return _extract(body, url, _lower_keys(headers or {}), metadata)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the poll cycle
        return _failed(exc)


def _extract(body: bytes, url: str, headers: dict[str, str], metadata: bool) -> ExtractedPage:
    html = decode_html(body, headers.get("content-type"))
    if not looks_like_html(html):
        return ExtractedPage(status="failed", error="not HTML: binary or tagless content")
    html = defuse_html(repair_char_refs(html))  # an emoji written as its two UTF-16 halves
    tree = trafilatura.load_html(html)
    if tree is None:
        return ExtractedPage(status="failed", error="not HTML: no document could be parsed")
    if not fits_budget(tree):
        return ExtractedPage(status="failed", error=f"page too large: more than {MAX_ELEMENTS} elements")
    language = page_language(tree, headers.get("content-language"))
    own_tags = None if metadata else _tagged_metadata(tree)  # read before extraction prunes the tree
    document = trafilatura.bare_extraction(
        tree,
        url=url,  # used only for metadata: bare_extraction never fetches
        fast=True,
        include_comments=False,
        with_metadata=metadata,
        date_extraction_params=dict(_DATE_PARAMS),
    )
    if not isinstance(document, Document):
        return ExtractedPage(status="empty", language=language)
    if own_tags is not None:
        document.title, document.sitename = own_tags
    return _page_from(document, language)


def _tagged_metadata(tree: HtmlElement) -> tuple[str | None, str | None]:
    """The title and the site name as the page tags them (og:title, else <title>; og:site_name)."""
    title = _meta_property(tree, "og:title") or (tree.findtext(".//head/title") or "").strip() or None
    return title, _meta_property(tree, "og:site_name")


def _meta_property(tree: HtmlElement, name: str) -> str | None:
    for meta in tree.iterfind(f".//head/meta[@property='{name}']"):
        content = " ".join((meta.get("content") or "").split())
        if content:
            return content
    return None


def _page_from(document: Document, language: str | None) -> ExtractedPage:
    # JSON-LD metadata is read by json.loads, which makes a lone "\ud83d" a lone surrogate
    text = repair_surrogates(document.text or "").strip()
    title = repair_surrogates(document.title or "").strip() or None
    published = parse_page_date(document.date)
    language = normalise_language(document.language) or language
    site_name = " ".join((document.sitename or "").split()) or None
    if prose_chars(text) < MIN_TEXT_CHARS:
        return ExtractedPage(status="empty", title=title, published=published, language=language, site_name=site_name)
    return ExtractedPage(status="ok", text=text, title=title, published=published, language=language, site_name=site_name)


def prose_chars(text: str) -> int:
    """Characters in lines long enough to be sentences: what separates an article from an index."""
    return sum(len(line) for line in text.splitlines() if is_prose(line))


def is_prose(line: str) -> bool:
    """A line with enough words to be a sentence rather than a menu item or a headline."""
    if len(line.split()) >= PROSE_LINE_WORDS:
        return True
    # about two characters a word where words are not separated by spaces
    return len(_UNSPACED_SCRIPT.findall(line)) >= 2 * PROSE_LINE_WORDS


def _failed(exc: BaseException) -> ExtractedPage:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    error = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return ExtractedPage(status="failed", error=error[:300])


def _lower_keys(headers: dict[str, str]) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


# --- bytes -> text ------------------------------------------------------------


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode with the first charset that fits: BOM, HTTP header, <meta>, UTF-8, detection.

    A declared charset is tried strictly first because servers and templates often
    disagree (a header saying UTF-8 over a windows-1252 page); when none decodes
    cleanly, the most authoritative one is used with replacement characters.
    """
    data = body[:MAX_INPUT_BYTES]
    truncated = len(body) > len(data)
    tried: list[str] = []
    for encoding in charset_candidates(data, content_type):
        if encoding in tried:
            continue
        tried.append(encoding)
        text = _decode_prefix(data, encoding, strict=True, truncated=truncated)
        if text is not None:
            return _strip_bom(text)
    text = _decode_prefix(data, tried[0], strict=False, truncated=truncated) or ""
    return _strip_bom(text)


def charset_candidates(data: bytes, content_type: str | None) -> Iterator[str]:
    """Codec names to try, most authoritative first; detection runs only if it is reached."""
    declared = (_bom_charset(data), _header_charset(content_type), _meta_charset(data[:_META_SNIFF_BYTES]))
    yield from _known_codecs(declared)
    yield "utf-8"
    yield from _prefer_western(_known_codecs(_detected_charsets(data)))
    yield "cp1252"  # what browsers assume for undeclared legacy pages


def _prefer_western(names: Iterable[str]) -> list[str]:
    """Detectors often tie windows-1252 with other Latin codecs; our sources write French and English."""
    ordered = list(names)
    return sorted(ordered, key=lambda name: name != "cp1252")


def _known_codecs(labels: Iterable[str | None]) -> Iterator[str]:
    for label in labels:
        name = codec_name(label) if label else None
        if name:
            yield name


def _bom_charset(data: bytes) -> str | None:
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def _header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace")
    # A page that could be read as ASCII to find this tag is not UTF-16, whatever it says.
    return "utf-8" if label.lower().startswith("utf-16") else label


def _detected_charsets(data: bytes) -> list[str]:
    try:
        from trafilatura.utils import (
            detect_encoding,  # charset_normalizer, sampled for speed
        )

        return detect_encoding(data)
    except Exception:  # noqa: BLE001 - detection is a hint; windows-1252 follows anyway
        return []


def _decode_prefix(data: bytes, encoding: str, strict: bool, truncated: bool) -> str | None:
    """Decode; when the input was cut, a multi-byte character split at the end is dropped."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict" if strict else "replace")
    try:
        return decoder.decode(data, final=not truncated)
    except (UnicodeDecodeError, LookupError):
        return None


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def looks_like_html(text: str) -> bool:
    """Binary data and plain text are refused before lxml makes a document of them."""
    head = text[:_SNIFF_BYTES]
    if not head.strip() or "<" not in text[:65536]:
        return False
    controls = len(_CONTROL_CHARS.findall(head))
    return controls <= len(head) * 0.02


# --- text -> what lxml may parse --------------------------------------------------


def defuse_html(html: str) -> str:
    """Drop what only costs time (scripts, styles, attribute floods), then cap the size."""
    return _ATTRIBUTE_FLOOD.sub(r"\1", drop_script_blocks(html))[:MAX_HTML_CHARS]


def drop_script_blocks(html: str) -> str:
    """Remove <script> and <style> blocks in one linear pass (a regex with .*? is quadratic on unclosed ones).

    An unclosed block runs to the end of the page, as it does in a browser.
    """
    kept: list[str] = []
    position = 0
    while (start := _BLOCK_START.search(html, position)) is not None:
        name = start.group(1).lower()
        end = _BLOCK_END[name].search(html, start.end())
        stop = end.end() if end else len(html)
        is_metadata = bool(_JSON_LD.search(start.group(2))) and stop - start.end() <= _MAX_JSON_LD_CHARS
        kept.append(html[position:stop] if is_metadata else html[position : start.start()])
        position = stop
    kept.append(html[position:])
    return "".join(kept)


# --- the parsed tree ----------------------------------------------------------


def fits_budget(tree: HtmlElement) -> bool:
    """Trim what can be trimmed cheaply, then say whether the page is small enough to extract."""
    etree.strip_elements(tree, *_NEVER_TEXT, with_tail=False)
    count = 0
    for element in tree.iter():
        count += 1
        if count > MAX_ELEMENTS:
            return False
        if len(element.attrib) > MAX_ATTRIBUTES:
            element.attrib.clear()
    return True


def page_language(tree: HtmlElement, content_language: str | None) -> str | None:
    """The language the page declares: <html lang>, else og:locale, else Content-Language."""
    declared = [tree.get("lang"), tree.get("xml:lang"), _og_locale(tree), content_language]
    return next((code for code in map(normalise_language, declared) if code), None)


def _og_locale(tree: HtmlElement) -> str | None:
    for meta in tree.iterfind(".//head/meta[@property='og:locale']"):
        return meta.get("content")
    return None


def normalise_language(tag: str | None) -> str | None:
    """``"fr-FR"`` -> ``"fr"``; None when it is not a language tag."""
    match = _LANGUAGE_TAG.match(tag or "")
    return match.group(1).lower() if match else None


def parse_page_date(value: str | None) -> datetime | None:
    """htmldate's string -> an aware UTC datetime; a date without an offset is taken as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)
