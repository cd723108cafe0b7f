"""Text that names no character (lone UTF-16 surrogates) is repaired, everything else kept as written."""

from __future__ import annotations

import pytest

from monitor.collect.charrefs import (
    repair_char_refs,
    repair_char_refs_in_bytes,
    repair_surrogates,
)


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("Mopti &#55357;&#56832; ce matin", "Mopti &#x1F600; ce matin"),  # the two halves of 😀
        ("&#xD83D;&#xde00;", "&#x1F600;"),  # hexadecimal, either case
        ("&#55357; seul", "&#xFFFD; seul"),  # a high half alone
        ("fin &#55357;", "fin &#xFFFD;"),  # ... at the very end
        ("&#56832;", "&#xFFFD;"),  # a low half alone
        ("&#56832;&#55357;", "&#xFFFD;&#xFFFD;"),  # in the wrong order
        ("&#55357; &#56832;", "&#xFFFD; &#xFFFD;"),  # not side by side
        ("&#55357;&#55357;&#56832;", "&#xFFFD;&#x1F600;"),  # the second high half pairs
        ("&#1114112; &#x110000;", "&#xFFFD; &#xFFFD;"),  # past U+10FFFF
        ("&#" + "9" * 5000 + ";", "&#xFFFD;"),  # more digits than int() accepts
        ("&#00000000000000000000065;", "&#00000000000000000000065;"),  # an "A", zeros and all
    ],
)
def test_references_to_half_characters_are_joined_or_replaced(text: str, repaired: str) -> None:
    assert repair_char_refs(text) == repaired
    assert repair_char_refs_in_bytes(text.encode()) == repaired.encode()


def test_every_other_reference_is_left_exactly_as_written() -> None:
    text = "l&#8217;arm&#xE9;e &#38; &#x26; &#60;b&#62; &amp;#55357 &#; &#x; &#12a;"
    assert repair_char_refs(text) is text
    assert repair_char_refs_in_bytes(text.encode()) == text.encode()


def test_wide_encodings_are_left_alone() -> None:
    body = "<title>&#55357;&#56832;</title>".encode("utf-16")
    assert repair_char_refs_in_bytes(body) == body


def test_surrogates_in_a_string_are_joined_or_replaced() -> None:
    assert repair_surrogates("a\ud83d\ude00b") == "a😀b"
    assert repair_surrogates("a\ud83db\ude00") == "a\ufffdb\ufffd"
    text = "plain 😀 text"
    assert repair_surrogates(text) is text
    repair_surrogates("x\udfff\ud800").encode("utf-8")  # encodable: the point of the repair
