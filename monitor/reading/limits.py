"""What one article may cost the extractor: caps on the text it reads.

Reading time must grow with the text's length and no faster, whatever the text: a page of
one 5 MB line, a list of thousands of place names or the same word ten thousand times must
not hold a poll cycle. Most steps are linear already; the ones that compare the names or
words of a sentence with each other, or an incident with the others, are bounded by these
caps, so the cost of an article is at most linear in its length and never more than the
cost of ``MAX_CHARS`` characters.

Real news stays far below every cap. Measured on the dev sets (the seed reports, ACLED's
notes, the BBC dev sets, the Malilink rows and the 181 pages of the extraction benchmark):
the longest text has 53,000 characters, the longest sentence 1,050, the busiest sentence
21 names and words the matcher finds (12 in 99% of sentences), and no article more than
10 incident places. A page beyond a cap is a list, a table, a feed dump or an attack; what
a cap leaves out is said in ``Reading.skipped`` and in one warning of the logger
``monitor.reading``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

MAX_CHARS = 100_000  # characters of an article read, its title included; the rest is skipped
MAX_TITLE_CHARS = 1_000  # characters of a title read (the longest real ones have 150)
# a run of text without a sentence end is cut into pieces this long at most, at a space
MAX_SENTENCE_CHARS = 2_000
# place names, and other names and words (actors, event, casualty, victim words), read in
# one sentence: later ones are skipped
MAX_PLACES_PER_SENTENCE = 48
MAX_WORDS_PER_SENTENCE = 96
# incident places of an article, in the order they are first named: later ones are skipped
MAX_INCIDENT_PLACES = 100

_SPACE_REACH = 200  # how far back from a cap a space is looked for, to cut between words


def cut_at_space(text: str, limit: int) -> str:
    """``text`` if it is no longer than ``limit``, else its start up to a space just before
    ``limit`` (or exactly ``limit`` characters when no space is near)."""
    if len(text) <= limit:
        return text
    space = _last_space(text, limit - _SPACE_REACH, limit)
    return text[: space if space > 0 else limit]


def within_caps(title: str, text: str) -> tuple[str, str, tuple[str, ...]]:
    """The title and text cut to what one article may cost, between words, and what was
    cut, in words for ``Reading.skipped``."""
    if len(title) <= MAX_TITLE_CHARS and len(title) + len(text) <= MAX_CHARS:
        return title, text, ()  # nearly every article
    cut: list[str] = []
    short_title = cut_at_space(title, MAX_TITLE_CHARS)
    if len(short_title) < len(title):
        cut.append(f"title: read the first {len(short_title):,} of {len(title):,} characters")
    short_text = cut_at_space(text, max(0, MAX_CHARS - len(short_title)))
    if len(short_text) < len(text):
        cut.append(f"text: read the first {len(short_text):,} of {len(text):,} characters")
    return short_title, short_text, tuple(cut)


def _last_space(text: str, start: int, end: int) -> int:
    """The offset of the last whitespace in ``text[start:end]``, or -1."""
    for at in range(end - 1, max(start, 0) - 1, -1):
        if text[at].isspace():
            return at
    return -1


def split_long_sentences(spans: Sequence[tuple[int, int]], text: str) -> tuple[list[tuple[int, int]], int]:
    """The sentence spans with each longer than ``MAX_SENTENCE_CHARS`` cut into pieces at a
    space (or hard, when there is none near), and how many were cut."""
    if all(end - start <= MAX_SENTENCE_CHARS for start, end in spans):
        return list(spans), 0  # nearly every text: nothing to cut
    out: list[tuple[int, int]] = []
    cut = 0
    for start, end in spans:
        if end - start <= MAX_SENTENCE_CHARS:
            out.append((start, end))
            continue
        cut += 1
        while end - start > MAX_SENTENCE_CHARS:
            limit = start + MAX_SENTENCE_CHARS
            space = _last_space(text, limit - _SPACE_REACH, limit)
            piece_end = space if space > start else limit
            out.append((start, piece_end))
            start = piece_end
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            out.append((start, end))
    return out, cut


def kept_per_sentence(starts: Sequence[int], sentences: Sequence[tuple[int, int]], limit: int) -> list[bool]:
    """For each of the matches starting at ``starts`` (in any order), whether it is among the
    first ``limit`` of its sentence in text order."""
    if len(starts) <= limit:
        return [True] * len(starts)  # nearly every text: not that many in all
    sentence_starts = [s for s, _ in sentences]
    keep = [False] * len(starts)
    seen: dict[int, int] = {}
    for i in sorted(range(len(starts)), key=lambda i: starts[i]):
        sentence = bisect_right(sentence_starts, starts[i]) - 1
        count = seen.get(sentence, 0)
        if count < limit:
            keep[i] = True
            seen[sentence] = count + 1
    return keep
