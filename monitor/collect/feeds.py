"""The parse stage: a fetched body becomes a ``ParsedFeed`` of ``FeedEntry`` values.

feedparser does the parsing. It is only ever given bytes (wrapped in a stream) and
the response headers: handed a string it would treat it as a URL or a file path and
fetch or read it, and only ``fetch`` may touch the network.

Expected trouble is a value, not an exception: a malformed feed keeps the entries
it has and says what was wrong in ``ParsedFeed.problem``; a body that is no feed at
all gives ``ok=False``. ``parse_feed`` does not raise on any input.

Entry identity (``entry_identity``) is GUID, else canonical URL, else a hash of the
title and date. Feeds whose GUIDs change between polls are handled by the store,
which also de-duplicates articles by canonical URL and content hash.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import unicodedata
import xml.sax
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from time import struct_time
from typing import Any
from urllib.parse import SplitResult, unquote, urljoin, urlsplit, urlunsplit

import feedparser

from monitor.collect.charrefs import (
    repair_char_refs,
    repair_char_refs_in_bytes,
    repair_surrogates,
)
from monitor.collect.charsets import codec_name
from monitor.models import FeedEntry, ParsedFeed

__all__ = ["canonical_url", "entry_identity", "parse_feed"]

# Clock skew and time zones mislabelled by a few hours are common; a date further
# ahead than this is a publisher's bug (or a scheduled post) and would pin the entry
# at the top of every "latest" query, so it is dropped.
FUTURE_TOLERANCE = timedelta(days=2)

MAX_PROBLEM_CHARS = 300

# Query parameters that say how a reader arrived, not what they read. Matched
# case-insensitively; prefixes end with "_".
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid",
        "mc_cid", "mc_eid", "ocid", "cmpid", "xtor", "xtref", "ref", "ref_src",
        "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "wt.mc_id", "wt_mc", "wt_zmc",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "at_")

DEFAULT_PORTS = {"http": 80, "https": 443}

_SINGLE_BYTE_LABELS = frozenset(
    {
        "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "windows-1252", "cp1252", "iso-8859-15",
        "us-ascii", "ascii",
    }
)  # fmt: skip
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_WHITESPACE = re.compile(r"\s+")
_LINE_SPACE = re.compile(r"[^\S\n]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


# ---------------------------------------------------------------------------
# parse_feed


def parse_feed(body: bytes, headers: dict[str, str], url: str) -> ParsedFeed:
    """Parse a fetched feed body; ``headers`` are the response's, ``url`` the feed's final URL."""
    if not body or not body.strip():
        return ParsedFeed(title=None, version=None, entries=[], problem="empty body", ok=False)
    # one item's "&#55357;&#56832;" would crash feedparser's fallback parser: the whole feed lost
    body = repair_char_refs_in_bytes(body)
    feedparser_headers, note = _headers_for_feedparser(headers, url, body)
    try:
        result = feedparser.parse(
            io.BytesIO(body),
            response_headers=feedparser_headers,
            # Summaries are reduced to plain text here, but sanitising first means
            # script/style content never leaks into that text.
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except Exception as error:  # noqa: BLE001 - feedparser has crashed on odd input before
        problem = _one_line(f"parser failed: {_describe(error)}")
        return ParsedFeed(title=None, version=None, entries=[], problem=problem, ok=False)
    return _parsed_feed_from(result, body, feedparser_headers, url, note)


def _parsed_feed_from(
    result: Any, body: bytes, headers: Mapping[str, str], url: str, note: str | None
) -> ParsedFeed:
    version = result.get("version") or None
    entries = [_entry_from(raw, url) for raw in result.get("entries", [])]
    title = _text_of(result.get("feed", {}), "title") or None
    problem = _bozo_problem(result) or note
    ok = bool(entries) or version is not None
    if not ok:
        problem = _not_a_feed_problem(body, headers, problem)
    return ParsedFeed(title=title, version=version, entries=entries, problem=problem, ok=ok)


def _headers_for_feedparser(
    headers: Mapping[str, str], url: str, body: bytes
) -> tuple[dict[str, str], str | None]:
    """Lower-cased headers with a base URL and a content type feedparser decodes well.

    Also returns a note when the declared charset had to be overruled.
    """
    out = {str(key).lower(): str(value) for key, value in headers.items()}
    # Without a Content-Location feedparser has no base for relative links.
    out["content-location"] = _base_url(url, out.get("content-location", "").strip())
    out["content-type"] = _content_type_for_feedparser(out.get("content-type", ""))
    charset, note = _charset_override(body, out["content-type"])
    if charset:
        out["content-type"] = _with_charset(out["content-type"], charset)
    return out, note


def _base_url(url: str, content_location: str) -> str:
    """Content-Location resolved against the feed URL; "" if neither is a usable URL."""
    base = _join(url, content_location)
    return base if base and _scheme(base) else ""


def _content_type_for_feedparser(content_type: str) -> str:
    """Replace the content types for which RFC 3023 prescribes a wrong default charset.

    With no Content-Type feedparser assumes ISO-8859-1, and for text/xml without a
    charset it assumes US-ASCII: both override the document's own XML declaration
    and turn every UTF-8 feed into mojibake or a spurious "encoding" problem.
    application/xml lets the declaration (or UTF-8) decide, as browsers do.
    """
    media_type, _, params = content_type.partition(";")
    media_type = media_type.strip().lower()
    if not media_type:
        return "application/xml"
    is_text_xml = media_type == "text/xml" or (media_type.startswith("text/") and media_type.endswith("+xml"))
    if is_text_xml and "charset" not in params.lower():
        return "application/xml" + (";" + params if params.strip() else "")
    return content_type


def _charset_override(body: bytes, content_type: str) -> tuple[str | None, str | None]:
    """The charset to impose on feedparser instead of the declared one, and a note for people.

    Servers often add a default ``charset=iso-8859-1`` and CMSs keep a stale
    ``encoding="windows-1252"`` prolog after moving to UTF-8; trusting the label
    turns every "é" into "Ã©". Latin-1 text that also decodes as UTF-8 (with
    non-ASCII bytes) is vanishingly rare, so then the bytes win. Otherwise the
    ISO-8859-1 and ASCII labels are read as windows-1252, as browsers do
    (WHATWG Encoding): publishers who write "l’armée" in Word mean the
    windows-1252 apostrophe, not a C1 control character.
    """
    declared = _http_charset(content_type) or _xml_declared_encoding(body)
    label = (declared or "").lower()
    if label not in _SINGLE_BYTE_LABELS or body.isascii():
        return None, None
    if _is_utf8(body):
        return "utf-8", f"encoding: declared as {declared}, but the bytes are UTF-8"
    if codec_name(label) == "cp1252":
        return "windows-1252", None
    return None, None


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _http_charset(content_type: str) -> str | None:
    match = _CHARSET_PARAM.search(content_type)
    return match.group(1) if match else None


def _xml_declared_encoding(body: bytes) -> str | None:
    match = _XML_DECLARED_ENCODING.match(body[:512])
    return match.group(1).decode("ascii") if match else None


def _with_charset(content_type: str, charset: str) -> str:
    media_type = content_type.partition(";")[0].strip() or "application/xml"
    return f"{media_type}; charset={charset}"


def _bozo_problem(result: Any) -> str | None:
    if not result.get("bozo"):
        return None
    error = result.get("bozo_exception")
    if error is None:
        return "malformed feed"
    return _one_line(_describe(error))


def _describe(error: BaseException) -> str:
    """One phrase for people: what went wrong and, for XML, where."""
    if isinstance(error, xml.sax.SAXParseException):
        return f"malformed XML: {error.getMessage()} at line {error.getLineNumber()}"
    if isinstance(error, feedparser.CharacterEncodingOverride | feedparser.CharacterEncodingUnknown):
        return f"encoding: {error}"
    if isinstance(error, feedparser.NonXMLContentType):
        return f"content type: {error}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _not_a_feed_problem(body: bytes, headers: Mapping[str, str], detail: str | None) -> str:
    content_type = headers.get("content-type", "").partition(";")[0].strip().lower()
    if _looks_like_html(body) or content_type in _HTML_TYPES:
        return f"not a feed: an HTML page (served as {content_type or 'no content type'})"
    reason = "not a feed: no RSS, Atom or RDF document found"
    return _one_line(f"{reason} ({detail})" if detail else reason)


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lower()
    return b"<!doctype html" in head or b"<html" in head


def _one_line(text: str) -> str:
    text = _WHITESPACE.sub(" ", text).strip()
    return text if len(text) <= MAX_PROBLEM_CHARS else text[: MAX_PROBLEM_CHARS - 1] + "…"


# ---------------------------------------------------------------------------
# entries


def _entry_from(raw: dict[str, Any], feed_url: str) -> FeedEntry:
    link = _absolute_link(raw.get("link"), feed_url)
    return FeedEntry(
        guid=_clean_str(raw.get("id")),
        link=link,
        url=canonical_url(link) if link else None,
        title=_text_of(raw, "title"),
        summary=_best_summary(raw),
        published=_published(raw),
        author=_clean_str(raw.get("author")),
    )


def _clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = repair_surrogates(value).strip()
    return value or None


def _absolute_link(link: Any, feed_url: str) -> str | None:
    """The entry's link made absolute; None unless it is http(s), the only kind fetch takes."""
    link = _clean_str(link)
    if link is None:
        return None
    absolute = _join(feed_url, link)
    return absolute if absolute and _scheme(absolute) in ("http", "https") else None


def _join(base: str, reference: str) -> str | None:
    """urljoin; when a URL cannot be split (an unbalanced "[" in the host), the reference
    if it is absolute on its own, else None."""
    try:
        return urljoin(base, reference)
    except ValueError:
        return reference if _scheme(reference) else None


def _scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def _text_of(raw: Mapping[str, Any], key: str) -> str:
    """A title-like field as one line of plain text."""
    value = raw.get(key)
    if not isinstance(value, str):
        return ""
    content_type = (raw.get(f"{key}_detail") or {}).get("type", "text/plain")
    text = _to_plain_text(value, content_type)
    return _WHITESPACE.sub(" ", text).strip()


def _best_summary(raw: Mapping[str, Any]) -> str:
    """The longest plain text among content and summary (RSS description).

    content:encoded usually holds the full article and description a teaser, but
    some feeds invert them or leave one empty: length is the sturdy tie-breaker.
    """
    texts = [_block_text(value, content_type) for value, content_type in _summary_candidates(raw)]
    return max(texts, key=len, default="")


def _summary_candidates(raw: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    for content in raw.get("content") or []:
        if isinstance(content.get("value"), str):
            yield content["value"], content.get("type") or "text/html"
    # feedparser files RSS <description> (and Atom <summary>) under "summary".
    summary = raw.get("summary")
    if isinstance(summary, str):
        yield summary, (raw.get("summary_detail") or {}).get("type", "text/html")


def _block_text(value: str, content_type: str) -> str:
    """Plain text keeping paragraph breaks as blank lines."""
    text = _to_plain_text(value, content_type)
    lines = (_LINE_SPACE.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def _to_plain_text(value: str, content_type: str) -> str:
    # escaped twice ("&amp;#55357;&amp;#56832;"), an emoji's halves are references again here
    value = repair_char_refs(repair_surrogates(value))
    if "html" in content_type.lower():
        return html_to_text(value)
    # Plain text still often carries escaped entities ("l&#8217;armée") from
    # publishers that escape twice.
    return html.unescape(value)


def _published(raw: dict[str, Any]) -> datetime | None:
    latest_credible = datetime.now(UTC) + FUTURE_TOLERANCE
    for key in ("published_parsed", "updated_parsed"):
        # dict.get: FeedParserDict.get("updated_parsed") falls back to published with a warning.
        moment = _utc_datetime(dict.get(raw, key))
        if moment is not None and moment <= latest_credible:
            return moment
    return None


def _utc_datetime(parsed: Any) -> datetime | None:
    """feedparser's struct_time is already in UTC."""
    if not isinstance(parsed, struct_time | tuple) or len(parsed) < 6:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):  # second=60, year 0 and similar
        return None


# ---------------------------------------------------------------------------
# HTML to text


class _TextCollector(HTMLParser):
    """Collects the text of an HTML fragment, turning block boundaries into newlines."""

    BLOCKS = frozenset(
        {
            "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
            "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol",
            "p", "pre", "section", "table", "tr", "ul",
        }
    )  # fmt: skip
    INVISIBLE = frozenset({"script", "style", "template", "noscript", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.INVISIBLE:
            self.hidden_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.INVISIBLE:  # <script/> would otherwise hide the rest
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.INVISIBLE:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        # Newlines inside HTML text are layout of the source, not of the article.
        if not self.hidden_depth:
            self.parts.append(_WHITESPACE.sub(" ", data))


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, blocks on their own lines."""
    collector = _TextCollector()
    try:
        collector.feed(fragment)
        collector.close()
    except Exception:  # noqa: BLE001 - html.parser has asserted on hostile markup in the past
        return re.sub(r"<[^>]*>", " ", html.unescape(fragment))
    return "".join(collector.parts)


# ---------------------------------------------------------------------------
# URLs and identity


def canonical_url(url: str) -> str:
    """The URL an article is known by: tracking parameters, fragment and default port dropped.

    Scheme and host are lower-cased, the path is left alone (servers may be case
    sensitive) and the remaining query keeps its order and its original escaping.
    A URL that cannot be split is returned stripped but otherwise unchanged.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        netloc = _canonical_netloc(parts)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    path = parts.path or ("/" if netloc and scheme in DEFAULT_PORTS else "")
    return urlunsplit((scheme, netloc, path, _without_tracking(parts.query), ""))


def _canonical_netloc(parts: SplitResult) -> str:
    if not parts.netloc:
        return ""
    userinfo, at, _ = parts.netloc.rpartition("@")
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal: urlsplit took the brackets off
        host = f"[{host}]"
    port = parts.port  # raises ValueError on a non-numeric or out-of-range port
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    return f"{userinfo}{at}{host}"


def _without_tracking(query: str) -> str:
    # Split by hand rather than parse_qsl/urlencode so kept parameters stay byte-for-byte.
    kept = [pair for pair in query.split("&") if pair and not _is_tracking(pair)]
    return "&".join(kept)


def _is_tracking(pair: str) -> bool:
    name = unquote(pair.partition("=")[0]).strip().lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def entry_identity(entry: FeedEntry) -> str:
    """The entry's key: ``guid:<GUID>``, else ``url:<canonical URL>``, else ``hash:<32 hex>``.

    A GUID that changes from poll to poll (some CMSs put a timestamp in it) is not
    guarded against here: the store also de-duplicates articles by canonical URL and
    content hash. feedparser resolves a permalink GUID that is relative against the
    feed URL, which keeps bare numeric GUIDs from colliding across sites.
    """
    if entry.guid:
        return f"guid:{entry.guid}"
    url = entry.url or (canonical_url(entry.link) if entry.link else None)
    if url:
        return f"url:{url}"
    published = entry.published.astimezone(UTC).isoformat() if entry.published else ""
    key = f"{_normalised_title(entry.title)}|{published}"
    return "hash:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _normalised_title(title: str) -> str:
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", title)).strip().casefold()
