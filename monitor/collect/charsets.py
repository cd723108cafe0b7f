"""Charset labels as browsers read them, shared by the feed and page modules."""

from __future__ import annotations

import codecs


def codec_name(label: str) -> str | None:
    """Python's codec for a charset label, with the aliases browsers apply; None if unknown.

    Latin-1 and ASCII labels are read as windows-1252 (WHATWG Encoding): publishers who
    write "l’armée" in Word mean the windows-1252 apostrophe, not a C1 control character.
    """
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    if name in {"latin-1", "iso8859-1", "ascii"}:
        return "cp1252"
    return name
