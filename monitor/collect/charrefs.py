"""Text that names no character: lone UTF-16 surrogates, as numeric references or in strings.

Publishers' JavaScript and older CMSs write an emoji as the two halves of its UTF-16 form,
``&#55357;&#56832;`` for 😀. Each half alone is no character: feedparser's fallback parser
crashes on the reference (the whole feed is lost), and a string holding a lone surrogate
cannot be encoded as UTF-8, so SQLite refuses the write of the feed's whole batch.

The repair is the same everywhere: a high half followed at once by a low half is the one
character they encode; any other half, and a reference beyond U+10FFFF, becomes U+FFFD.
Every other reference is left exactly as written. Cost is one linear scan; text without
``&#`` or surrogates is returned as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import AnyStr

__all__ = ["repair_char_refs", "repair_char_refs_in_bytes", "repair_surrogates"]

REPLACEMENT = 0xFFFD
MAX_CODE_POINT = 0x10FFFF
_HIGH = range(0xD800, 0xDC00)
_LOW = range(0xDC00, 0xE000)
_MAX_DIGITS = 8  # after leading zeros: 0x10FFFF has 7 decimal digits; more is out of range anyway

_CHAR_REF = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));")
_CHAR_REF_BYTES = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));")
_SURROGATE = re.compile("[\ud800-\udfff]")
# UTF-16 and UTF-32 bodies carry NUL bytes in their ASCII; their references are not "&#" bytes
_WIDE_ENCODING_MARKS = (b"\x00", b"\xff\xfe", b"\xfe\xff")


def repair_surrogates(text: str) -> str:
    """``text`` with surrogate pairs joined and lone surrogates replaced by U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def repair_char_refs(text: str) -> str:
    """``text`` with its numeric references to surrogates or beyond U+10FFFF repaired."""
    if "&#" not in text:
        return text
    return _repair(text, _CHAR_REF, lambda code: f"&#x{code:X};")


def repair_char_refs_in_bytes(body: bytes) -> bytes:
    """``repair_char_refs`` for a document still in bytes, in any ASCII-compatible charset.

    UTF-16 and UTF-32 documents are returned unchanged (their references are not ASCII bytes).
    """
    if b"&#" not in body or any(mark in body[:1024] for mark in _WIDE_ENCODING_MARKS):
        return body
    return _repair(body, _CHAR_REF_BYTES, lambda code: f"&#x{code:X};".encode("ascii"))


def _repair(text: AnyStr, pattern: re.Pattern[AnyStr], written: Callable[[int], AnyStr]) -> AnyStr:
    """One pass over the references of ``text`` (str or bytes); ``written`` spells a code point."""
    pieces: list[AnyStr] = []
    kept_until = 0
    pending: tuple[re.Match[AnyStr], int] | None = None  # a high half waiting for its low half
    for match in pattern.finditer(text):
        code = _code_point(match)
        if pending is not None:
            high_match, high = pending
            pending = None
            if match.start() == high_match.end() and code in _LOW:
                joined = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
                pieces += [text[kept_until : high_match.start()], written(joined)]
                kept_until = match.end()
                continue
            pieces += [text[kept_until : high_match.start()], written(REPLACEMENT)]
            kept_until = high_match.end()
        if code in _HIGH:
            pending = (match, code)
        elif code in _LOW or code > MAX_CODE_POINT:
            pieces += [text[kept_until : match.start()], written(REPLACEMENT)]
            kept_until = match.end()
    if pending is not None:
        high_match, _ = pending
        pieces += [text[kept_until : high_match.start()], written(REPLACEMENT)]
        kept_until = high_match.end()
    if not pieces:
        return text
    pieces.append(text[kept_until:])
    return text[:0].join(pieces)


def _code_point(match: re.Match[AnyStr]) -> int:
    hexadecimal, decimal = match.groups()
    raw = hexadecimal or decimal
    digits = (raw.decode("ascii") if isinstance(raw, bytes) else raw).lstrip("0")
    if len(digits) > _MAX_DIGITS:  # int() of thousands of digits is slow, then refused
        return MAX_CODE_POINT + 1
    return int(digits or "0", 16 if hexadecimal else 10)
