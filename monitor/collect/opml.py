"""Reading and writing OPML subscription lists, the format feed readers export.

OPML files come from users and other tools, so they are parsed as untrusted XML:
any DOCTYPE or entity declaration is refused before ElementTree sees the document
(the "billion laughs" expansion and external entities both need one).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import NoReturn
from xml.parsers import expat

__all__ = ["OpmlError", "OpmlFeed", "parse_opml", "render_opml"]

# Characters XML 1.0 cannot carry at all, even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class OpmlError(Exception):
    """The document is not usable OPML. The message says what is wrong and where."""


@dataclass(frozen=True)
class OpmlFeed:
    """One subscription: an outline with an ``xmlUrl``."""

    name: str
    url: str
    language: str | None = None
    html_url: str | None = None


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML document, nested outlines flattened in document order.

    Outlines without ``xmlUrl`` (folders, links) are skipped. Raises ``OpmlError``
    for XML that is not well-formed, declares a DTD or entities, or is not OPML.
    """
    _refuse_declarations(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:  # already caught by expat above; kept for safety
        raise OpmlError(f"invalid XML: {error}") from error
    if _local_name(root.tag) != "opml":
        raise OpmlError(f"not OPML: the root element is <{_local_name(root.tag)}>, expected <opml>")
    body = next((child for child in root if _local_name(child.tag) == "body"), None)
    if body is None:
        return []
    return [feed for outline in _outlines(body) if (feed := _feed_from(outline.attrib)) is not None]


def _refuse_declarations(data: bytes) -> None:
    """Parse once with bare expat, failing on any DOCTYPE or ENTITY declaration."""
    parser = expat.ParserCreate()

    def refuse(what: str) -> NoReturn:
        raise OpmlError(
            f"refused: OPML must not contain {what} (line {parser.CurrentLineNumber}); "
            "DTDs and entity declarations allow entity-expansion attacks"
        )

    parser.StartDoctypeDeclHandler = lambda *_: refuse("a <!DOCTYPE>")
    parser.EntityDeclHandler = lambda *_: refuse("an <!ENTITY> declaration")
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise OpmlError(
            f"invalid XML: {expat.ErrorString(error.code)} at line {error.lineno}, column {error.offset + 1}"
        ) from error
    except LookupError as error:  # expat's way of saying the declared encoding is unknown
        raise OpmlError(f"invalid XML: {error} (line 1)") from error


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def _outlines(element: ET.Element) -> Iterator[ET.Element]:
    return (node for node in element.iter() if _local_name(node.tag) == "outline")


def _feed_from(attributes: Mapping[str, str]) -> OpmlFeed | None:
    # Exporters disagree on case (xmlUrl, xmlurl, XMLURL): match attributes case-insensitively.
    lowered = {key.lower(): value.strip() for key, value in attributes.items()}
    url = lowered.get("xmlurl")
    if not url:
        return None
    name = lowered.get("text") or lowered.get("title") or url
    return OpmlFeed(
        name=name,
        url=url,
        language=lowered.get("language") or None,
        html_url=lowered.get("htmlurl") or None,
    )


def render_opml(feeds: Iterable[OpmlFeed], title: str) -> bytes:
    """An OPML 2.0 document (UTF-8) listing ``feeds``; ``parse_opml`` reads it back unchanged."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _xml_safe(title)
    body = ET.SubElement(root, "body")
    for feed in feeds:
        ET.SubElement(body, "outline", _outline_attributes(feed))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _outline_attributes(feed: OpmlFeed) -> dict[str, str]:
    attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
    if feed.html_url:
        attributes["htmlUrl"] = feed.html_url
    if feed.language:
        attributes["language"] = feed.language
    return {key: _xml_safe(value) for key, value in attributes.items()}


def _xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)
