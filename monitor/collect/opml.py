"""Reading and writing OPML subscription lists, the format feed readers export.

OPML files come from users and other tools, so they are parsed as untrusted XML:
any DOCTYPE or entity declaration is refused before ElementTree sees the document
(the "billion laughs" expansion and external entities both need one), and a feed
whose address is not http(s) (``javascript:``, ``file:``, ``ftp:``) is refused with
a message; the other feeds of the file are read.

Folders (outlines without ``xmlUrl`` that hold others) become the feeds' category,
nested folders joined with `` / `` (``Mali / Presse``); ``render_opml`` writes the
categories back as folders.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NoReturn
from urllib.parse import urlsplit
from xml.parsers import expat

__all__ = ["CATEGORY_SEPARATOR", "OpmlError", "OpmlFeed", "Subscriptions", "parse_opml", "render_opml"]

CATEGORY_SEPARATOR = " / "

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
    category: str | None = None  # the folders it sits in, outermost first, joined by CATEGORY_SEPARATOR


@dataclass
class Subscriptions:
    """What an OPML document subscribes to: the usable feeds, and one line per feed refused."""

    feeds: list[OpmlFeed] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def parse_opml(data: bytes) -> Subscriptions:
    """The feeds of an OPML document in document order, each with the folders it sits in.

    Outlines without ``xmlUrl`` are folders (or links, skipped). Raises ``OpmlError`` for XML
    that is not well-formed, declares a DTD or entities, or is not OPML.
    """
    _refuse_declarations(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:  # already caught by expat above; kept for safety
        raise OpmlError(f"invalid XML: {error}") from error
    if _local_name(root.tag) != "opml":
        raise OpmlError(f"not OPML: the root element is <{_local_name(root.tag)}>, expected <opml>")
    body = next((child for child in root if _local_name(child.tag) == "body"), None)
    found = Subscriptions()
    if body is None:
        return found
    for outline, folders in _outlines(body):
        feed = _feed_from(outline.attrib, CATEGORY_SEPARATOR.join(folders) or None)
        if feed is None:
            continue
        problem = _url_problem(feed.url)
        if problem:
            found.refused.append(f"{feed.name!r} ({feed.url}): {problem}, not added")
        else:
            found.feeds.append(feed)
    return found


def _url_problem(url: str) -> str | None:
    """Why a feed address cannot be polled; None for an http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "not an http(s) URL"
    if not parts.hostname or any(c.isspace() for c in url):
        return "not a valid URL"
    return None


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


def _outlines(body: ET.Element) -> Iterator[tuple[ET.Element, tuple[str, ...]]]:
    """Every outline in document order, with the titles of the folders around it.

    A stack, not recursion: a hostile file may nest outlines thousands deep."""
    stack: list[tuple[ET.Element, tuple[str, ...]]] = [(child, ()) for child in reversed(body)]
    while stack:
        node, folders = stack.pop()
        if _local_name(node.tag) != "outline":
            continue
        yield node, folders
        attributes = _lowered(node.attrib)
        inner = folders if attributes.get("xmlurl") else (*folders, _folder_title(attributes))
        stack.extend((child, inner) for child in reversed(node))


def _lowered(attributes: Mapping[str, str]) -> dict[str, str]:
    # Exporters disagree on case (xmlUrl, xmlurl, XMLURL): match attributes case-insensitively.
    return {key.lower(): value.strip() for key, value in attributes.items()}


def _folder_title(attributes: Mapping[str, str]) -> str:
    # the separator inside a title would read as a deeper folder on the way back
    title = attributes.get("text") or attributes.get("title") or "untitled"
    return title.replace(CATEGORY_SEPARATOR, " - ")


def _feed_from(attributes: Mapping[str, str], category: str | None) -> OpmlFeed | None:
    lowered = _lowered(attributes)
    url = lowered.get("xmlurl")
    if not url:
        return None
    name = lowered.get("text") or lowered.get("title") or url
    return OpmlFeed(
        name=name,
        url=url,
        language=lowered.get("language") or None,
        html_url=lowered.get("htmlurl") or None,
        category=category,
    )


def render_opml(feeds: Iterable[OpmlFeed], title: str) -> bytes:
    """An OPML 2.0 document (UTF-8) listing ``feeds``, each in the folders of its category;
    ``parse_opml`` reads it back unchanged. Folders come in the order of their first feed."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _xml_safe(title)
    body = ET.SubElement(root, "body")
    folders: dict[tuple[str, ...], ET.Element] = {(): body}
    for feed in feeds:
        path = tuple(feed.category.split(CATEGORY_SEPARATOR)) if feed.category else ()
        ET.SubElement(_folder(folders, path), "outline", _outline_attributes(feed))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _folder(folders: dict[tuple[str, ...], ET.Element], path: tuple[str, ...]) -> ET.Element:
    """The outline element of a folder path, made (with its parents) on first use."""
    if path not in folders:
        name = _xml_safe(path[-1])
        folders[path] = ET.SubElement(_folder(folders, path[:-1]), "outline", {"text": name, "title": name})
    return folders[path]


def _outline_attributes(feed: OpmlFeed) -> dict[str, str]:
    attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
    if feed.html_url:
        attributes["htmlUrl"] = feed.html_url
    if feed.language:
        attributes["language"] = feed.language
    return {key: _xml_safe(value) for key, value in attributes.items()}


def _xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)
