"""Text normalisation that keeps offsets, and sentence spans.

``fold`` turns text into a comparable form (accents stripped, case folded, apostrophes,
dashes and spaces unified) *one character for one character*, so a match found in the
folded text is the same span in the original. Everything that matches watch terms or
place names goes through it, terms and articles alike.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

__all__ = [
    "blank_link_lists",
    "contains_any",
    "fold",
    "fold_words",
    "name_key",
    "nfc_with_offsets",
    "sentence_at",
    "split_sentences",
]

APOSTROPHES = "'’ʼ‘`´′‛ʹʻʽ＇"
DASHES = "-‐‑‒–—―−⁃﹘﹣－"
ODD_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
LINE_BREAKS = "\u2028\u2029\u0085"

# Ligatures that casefold/NFKC would expand to two letters keep one letter of their own;
# matching adds the spelled-out variant of each term instead (see monitor.reading.match).
_SPECIAL = {"œ": "œ", "Œ": "œ", "æ": "æ", "Æ": "æ", "ß": "ß", "ẞ": "ß"}


def _fold_char(ch: str) -> str:
    """Exactly one character: the comparable form of ``ch`` (folding it again changes nothing)."""
    folded = _fold_once(ch)
    # NFKC may give a character that has its own rule ("‴" -> "′" -> "'")
    return folded if folded == ch else _fold_once(folded)


def _fold_once(ch: str) -> str:
    if ch in APOSTROPHES:
        return "'"
    if ch in DASHES:
        return "-"
    if ch in ODD_SPACES:
        return " "
    if ch in LINE_BREAKS:
        return "\n"
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if unicodedata.category(ch) == "Cf":  # zero-width and format characters
        return " "
    folded = unicodedata.normalize("NFKC", ch).casefold()
    stripped = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    if len(stripped) == 1:
        return stripped
    if not stripped:  # a lone combining mark: keep it, it is part of the word before
        return ch
    return stripped[0]  # "ﬁ" -> "f", "½" -> "1", "…" -> "."


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that fills itself: each character is worked out once."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code))
        return value


class _WordsTable(dict[int, str]):
    """Like ``_FoldTable`` but every character that is not part of a word becomes a space."""

    def __missing__(self, code: int) -> str:
        folded = _FOLD_TABLE[code]
        keep = folded.isalnum() or unicodedata.category(folded).startswith("M")
        value = self[code] = folded if keep else " "
        return value


_FOLD_TABLE = _FoldTable()
_WORDS_TABLE = _WordsTable()


class _Folding(NamedTuple):
    """One folding (``fold`` or ``fold_words``) in the forms ``_translate`` uses."""

    table: dict[int, str]
    latin1: bytes  # the table for the Latin-1 characters whose folded form is Latin-1 too
    outside: str  # the Latin-1 characters whose folded form is not ("µ" -> "μ")
    replacements: tuple[tuple[str, str], ...]  # common signs beyond Latin-1 that fold into it


# the characters beyond Latin-1 that news uses most ("’", "–", "…")
_COMMON_OUTSIDE = "\u2019\u2018\u2013\u2014\u201c\u201d\u2026"


def _folding(table: dict[int, str]) -> _Folding:
    """French and English news is nearly all Latin-1: its accented letters then fold in one
    ``bytes.translate`` (C, no per-character lookup); only texts with other characters
    take the road of one lookup per character."""
    latin1 = bytearray(range(256))
    outside = ""
    for code in range(256):
        folded = table[code]
        if len(folded) == 1 and ord(folded) < 256:
            latin1[code] = ord(folded)
        else:
            outside += chr(code)
    replacements = tuple((c, table[ord(c)]) for c in _COMMON_OUTSIDE if ord(table[ord(c)]) < 256)
    return _Folding(table, bytes(latin1), outside, replacements)


_FOLD = _folding(_FOLD_TABLE)
_WORDS = _folding(_WORDS_TABLE)
_NON_LATIN1 = re.compile(r"([^\x00-\xff]+)")
_FEW_OUTSIDE = 64


def _translate(text: str, how: _Folding) -> str:
    if text.isascii():
        return text.encode("ascii").translate(how.latin1).decode("latin-1")
    for char, folded in how.replacements:  # one C pass each, and the text may stay Latin-1
        if char in text:
            text = text.replace(char, folded)
    latin = text.encode("latin-1", "ignore")
    outside = len(text) - len(latin)
    if outside > _FEW_OUTSIDE or any(char in text for char in how.outside):
        return text.translate(how.table)  # another script (Cyrillic, Korean): a lookup per character
    if not outside:
        return latin.translate(how.latin1).decode("latin-1")
    # a few signs beyond Latin-1 ("“", "€"): they fold one by one, the Latin-1 runs between
    # them in C ([latin, other, latin, ..., latin] from the split's capturing group)
    parts = _NON_LATIN1.split(text)
    return "".join(
        part.translate(how.table) if odd else part.encode("latin-1").translate(how.latin1).decode("latin-1")
        for odd, part in zip(itertools.cycle((False, True)), parts)
    )


def fold(text: str) -> str:
    """NFKC, accents stripped, casefolded, apostrophes/dashes/spaces unified; same length."""
    return _translate(text, _FOLD)


def fold_words(text: str) -> str:
    """``fold`` with punctuation turned into spaces, so only whole words are left; same length.

    ``"L’armée (FAMa)"`` -> ``"l armee  fama "``.
    """
    return _translate(text, _WORDS)


def contains_any(text: str, cues: Sequence[str]) -> bool:
    """Whether any of ``cues`` is a substring of ``text``: the cheap look before a regex.

    A plain loop: ``any()`` over a generator resumes a frame per cue, and most texts hold
    none of them, so every cue is tried."""
    for cue in cues:
        if cue in text:
            return True
    return False


def name_key(text: str) -> str:
    """A name reduced for comparison: folded, punctuation dropped, spaces collapsed.

    ``"Gourma-Rharous"`` and ``"gourma rharous"`` give the same key. Not offset-preserving.
    """
    if text.isascii() and text.isalpha():
        return text.lower()  # one plain word (most calls): folding it is lower-casing it
    return " ".join(fold_words(text).split())


def nfc_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Compose decomposed accents (``"e\\u0301"`` -> ``"é"``) and say where each char came from.

    Returns the composed text and, when it differs from ``text``, a list giving for each
    composed position the original index (plus a final entry for the end). Already NFC
    text (nearly all news) is returned as is with ``None``.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    start = 0
    for end in range(1, len(text) + 1):
        if end < len(text) and unicodedata.combining(text[end]):
            continue  # the cluster goes on
        composed = unicodedata.normalize("NFC", text[start:end])
        if len(composed) == 1:
            out.append(composed)
            origin.append(start)
        else:  # no precomposed form: keep the characters as they were
            out.extend(text[start:end])
            origin.extend(range(start, end))
        start = end
    origin.append(len(text))
    return "".join(out), origin


# --- sentences ------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    """
    m mm mme mmes mlle dr pr prof gen gén col lt cpt cdt sgt adj cpl capt maj brig
    mr mrs ms st ste sr jr rev gov sen rep hon lieut cmdr
    no nº vol art ch chap fig p pp ed eds al approx dept est env cf vs etc ibid
    jan janv feb fév févr mar apr avr jun jul juil aug aoû sep sept oct nov dec déc
    av bd inc ltd co corp
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# "etc." ends a sentence as often as not; let the next word decide.
_SENTENCE_FINAL_ABBREVIATIONS = frozenset({"etc", "al"})

# The last three letters of the abbreviations that can hide a sentence end: a dot after
# three letters that end none of them closes no abbreviation ("year.", "Gao."), and most
# dots are such (one slice and a set lookup instead of the search for the token).
_ABBREVIATION_ENDS = frozenset(a[-3:] for a in ABBREVIATIONS - _SENTENCE_FINAL_ABBREVIATIONS if len(a) >= 3)

_OPENERS = "«\"“‘'([—–-¿¡"
_INITIALS = re.compile(r"^(?:[^\W\d_]\.)*[^\W\d_]$")


def _token_before(text: str, end: int) -> str:
    """The word before ``end`` (an abbreviation is short: look 24 characters back at most)."""
    window = max(0, end - 24)
    start = max(text.rfind(" ", window, end), text.rfind("\n", window, end), text.rfind("\u00a0", window, end))
    if start < 0:
        start = window - 1 if window else -1
    return text[start + 1 : end].lstrip("«\"“‘'([\t")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Does the ``.`` at ``dot`` close an abbreviation or an initial ("M.", "U.N.", "J.")?"""
    if dot == 0 or not text[dot - 1].isalpha():
        return False
    tail = text[dot - 3 : dot]
    if dot >= 3 and tail.isalpha() and tail.lower() not in _ABBREVIATION_ENDS:
        return False  # a word of three letters or more that is no abbreviation (nor initials)
    if dot >= 7 and text[dot - 7 : dot].isalpha():
        return False  # a word of seven letters or more: no abbreviation is that long
    token = _token_before(text, dot)
    if len(token) == 1:
        return token.isalpha()  # an initial: "J. Smith", "M. Goïta"
    if "." in token:
        return bool(_INITIALS.match(token))  # "U.N", "U.S"
    lowered = token.lower()
    return lowered in ABBREVIATIONS and lowered not in _SENTENCE_FINAL_ABBREVIATIONS


def _starts_sentence(text: str, pos: int) -> bool:
    """Could a sentence start at ``pos`` (the first non-space character after a stop)?"""
    if pos >= len(text):
        return True
    ch = text[pos]
    return ch.isupper() or ch.isdigit() or ch in _OPENERS or not ch.isalpha() and not ch.isspace()


_STOPS = ".!?…"
_CLOSERS = "»\"”’')]"
_INLINE_SPACES = " \t\u00a0\u202f"


def _stop_positions(text: str) -> list[int]:
    """Offsets of every stop character, in order.

    ``str.find`` per stop character is several times faster than a regular expression
    with a character class over the whole text.
    """
    positions: list[int] = []
    for stop in _STOPS:
        i = text.find(stop)
        while i >= 0:
            positions.append(i)
            i = text.find(stop, i + 1)
    positions.sort()
    return positions


def _boundaries(text: str) -> list[int]:
    """Offsets where one sentence ends and the next may begin, in order.

    A run of stops with the closing quotes/brackets after it (". »", "?!") ends a sentence
    when a space follows and the next word may start one. One pass per stop: the spaces
    skipped while looking for a closing quote are those before the next word, so they are
    not walked twice (most stops are ". " and a capital).
    """
    cuts: list[int] = []
    size, last_end = len(text), -1
    for start in _stop_positions(text):
        if start < last_end:
            continue  # inside the previous run ("...", "?!")
        end = start + 1
        while end < size and text[end] in _STOPS:
            end += 1
        while True:  # closing quotes, possibly after a (non-breaking) space: ". »"
            nxt = end
            while nxt < size and text[nxt] in _INLINE_SPACES:
                nxt += 1
            if nxt < size and text[nxt] in _CLOSERS:
                end = nxt + 1
            else:
                break
        last_end = end
        # ``nxt``: the first character after the run and the inline spaces that follow it
        if end < size and not text[end].isspace():
            continue  # "1.5", "U.N.", "maliweb.net"
        if nxt < size:
            ch = text[nxt]
            if ch == "\n":
                cuts.append(end)
                continue
            if not ch.isupper() and not _starts_sentence(text, nxt):  # a capital: the common case, no call
                continue
        single_dot = text[start] == "." and (end == start + 1 or text[start + 1] not in _STOPS)
        if single_dot and _is_abbreviation(text, start):
            continue
        cuts.append(end)
    return cuts


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, surrounding spaces excluded.

    A line break always ends a sentence (titles, list items, paragraphs). A stop ends one
    when the next word may start a sentence, except after abbreviations and initials
    ("M. Goïta", "U.N. forces"), inside numbers ("1.5"), and it keeps closing quotes
    (« ... . ») with the sentence they close.
    """
    cuts = _boundaries(text)
    newline = text.find("\n")
    if newline >= 0:  # line breaks cut too (``str.find``: no match objects to build)
        while newline >= 0:
            cuts.append(newline)
            newline = text.find("\n", newline + 1)
        cuts = sorted(set(cuts))
    cuts.append(len(text))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        # trim the spaces around the piece, inline: nearly every piece but the first
        # opens with the space after a stop, and a call per piece costs more than the loop
        while start < cut and text[start].isspace():
            start += 1
        end = cut
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
        start = cut
    return spans


def sentence_at(spans: Sequence[tuple[int, int]], pos: int) -> int:
    """Index of the sentence span containing ``pos`` (or the one before it)."""
    return max(0, bisect_right(spans, (pos, float("inf"))) - 1)


# "Lire aussi : <headline> <headline>", "Read more: ...": links to other stories, whose
# headlines ("Le mystère des morts en cascade à Kano", "18 morts au Burkina") are not this
# article's news. A web page puts them on a line of their own; a text that lost its line
# breaks runs them into the next sentence, which is then lost with them.
_LINK_LIST = re.compile(
    r"(?:^|(?<=[\s.!?»\"]))(?:[àa]\s+lire\s+(?:aussi|[ée]galement)|lire\s+(?:aussi|[ée]galement|la\s+suite)"
    r"|voir\s+aussi|sur\s+le\s+m[êe]me\s+sujet|read\s+(?:also|more)|also\s+read|related\s+(?:topics|stories)"
    r"|more\s+on\s+this\s+story)\b\s*:?",
    re.IGNORECASE,
)
_LINK_LIST_END = re.compile(r"\n|[.!?](?=\s|$)")
_LINK_LIST_REACH = 600


def blank_link_lists(text: str) -> str:
    """``text`` with every "read also" list of links turned to spaces (same length, so every
    offset stays true): up to its line's end, or its first full stop when the text has no
    line breaks there, and never more than ``_LINK_LIST_REACH`` characters."""
    if not _LINK_LIST.search(text):
        return text  # most articles
    out = []
    at = 0
    for m in _LINK_LIST.finditer(text):
        if m.start() < at:
            continue
        stop = _LINK_LIST_END.search(text, m.end(), m.end() + _LINK_LIST_REACH)
        end = stop.end() if stop else min(len(text), m.end() + _LINK_LIST_REACH)
        if stop and stop.group() == "\n":
            end = stop.start()
        out += [text[at : m.start()], " " * (end - m.start())]
        at = end
    out.append(text[at:])
    return "".join(out)
