"""Which numbers of a casualty sentence count people, and how many.

``casualty_counts`` gives the quantities of a sentence that may count victims: never years
("in 2013", "2020-2023"), days of a month ("June 2", "2 juin"), ages ("aged 25", "âgé de 25
ans"), distances, durations, money, percentages, numbered things, nor any number above
``MAX_TOLL``. "Two dozen soldiers" counts 24; "twelve of the thirty soldiers", "douze des
trente soldats" count 12, where the thirty's noun phrase is. ``monitor.reading.figures``
gives each count its kind and group.
"""

from __future__ import annotations

import re

from monitor.reading.casualty_words import (
    MONTHS,
    NOT_COUNT_BEFORE_WORDS,
    PARTITIVE_KINDS,
    UNITS,
)
from monitor.reading.numbers import (
    ABOUT,
    EXACT,
    RANGE,
    Bounded,
    Quantity,
    find_quantities,
    word_alternation,
)

# The largest toll a figure may state. The deadliest single events ACLED has coded stay far
# below it; a bigger number beside a casualty word is a population, a sum of money or a
# typo, and an integer of any size would reach the store (SQLite holds 64 bits).
MAX_TOLL = 100_000


def casualty_counts(sentence: str, low: str) -> list[Quantity]:
    """The quantities of ``sentence`` (``low``: its normalised form) that may count people."""
    counts = [q for q in find_quantities(sentence, low) if may_be_casualty_count(q, low)]
    if len(counts) > 1:
        counts = _partitive_counts(counts, low, sentence)
    if "dozen" in low or "douzaine" in low:
        counts = _dozens(counts, low, sentence)
    return counts


_MONTH = word_alternation(MONTHS) + r"(?![\w])"
# after a count: a unit ("30 km") or, for a day number, a month ("2 juin", "2nd of June")
_AFTER_COUNT = re.compile(
    rf"\s*[\-]?\s*(?:{word_alternation(UNITS)}(?![\w])|[$€£%°])"
    rf"|(?P<month>(?:er|re|st|nd|rd|th)?\s*(?:of\s+)?{_MONTH})"
)
# before a count: ages, money, numbered things ("aged 25", "n° 3") or a month ("June 2")
_BEFORE_COUNT = re.compile(
    rf"(?<![\w])(?:{word_alternation(NOT_COUNT_BEFORE_WORDS)}|(?P<month>{_MONTH}\.?))\s*$"
)


def may_be_casualty_count(q: Quantity, low: str) -> bool:
    """Whether a number can count people: not a year, a distance, an age, a day of a month,
    nor more than any toll."""
    if beyond_any_toll(q) or _is_year(q) or _is_short_year(q, low):
        return False
    # a month beside a number is a date only if the number can be a day; the words before
    # are searched only when those after do not settle it
    after = _AFTER_COUNT.match(low, q.end)
    if after is not None and (after["month"] is None or _may_be_day(q)):
        return False
    before = _BEFORE_COUNT.search(low, max(0, q.start - 14), q.start)
    return before is None or (before["month"] is not None and not _may_be_day(q))


def beyond_any_toll(bounded: Bounded) -> bool:
    return (bounded.low or 0) > MAX_TOLL or (bounded.high or 0) > MAX_TOLL


_DOZENS_AFTER = re.compile(r"\s+(?:dozens?|douzaines?)(?![\w])")


def _dozens(counts: list[Quantity], low: str, sentence: str) -> list[Quantity]:
    """ "Two dozen soldiers", "deux douzaines de civils": the count times twelve, about as
    exact as "a dozen" (the dozen itself, read alone as 12, goes)."""
    out: list[Quantity] = []
    for q in counts:
        if out and out[-1].start < q.start < out[-1].end:
            continue  # the "dozen" of the multiple just made
        m = _DOZENS_AFTER.match(low, q.end)
        if m is None:
            out.append(q)
            continue
        qualifier = ABOUT if q.qualifier == EXACT else q.qualifier  # "two or three dozen": a range
        floor, ceiling = (None if q.low is None else q.low * 12), (None if q.high is None else q.high * 12)
        out.append(Quantity(q.start, m.end(), floor, ceiling, qualifier, sentence[q.start : m.end()]))
    return out


def _may_be_day(q: Quantity) -> bool:
    """ "May 400" is a count; "May 24" is a date."""
    return q.qualifier in (EXACT, RANGE) and q.low is not None and q.low <= 31 and q.text[:1].isdigit()


def _is_year(q: Quantity) -> bool:
    """A bare 19xx/20xx is a year: real tolls that size are written "2,013" or qualified."""
    if q.qualifier not in (EXACT, RANGE) or q.low is None or not 1900 <= q.low <= 2099:
        return False
    return q.high is not None and q.high <= 2099 and q.text[:4].isdigit()


def _is_short_year(q: Quantity, low: str) -> bool:
    """ "In '25", "the '24 attack": two digits after an apostrophe that opens a word are a year."""
    at = q.start
    if at == 0 or low[at - 1] not in "'’" or len(q.text) != 2 or not q.text.isdigit():
        return False
    return at == 1 or not low[at - 2].isalnum()


# "twelve of the thirty soldiers", "douze des trente soldats", "12 sur 30": the first number
# counts the victims, the second the group they were taken from
_PART_OF_COUNT = re.compile(
    r"\s+(?:of\s+the|of|out\s+of|among\s+the|des|d['’]\s*entre\s+les|parmi\s+les|sur|sur\s+les)\s+$"
)
# ... unless the whole are victims of another kind, read as such ("three of the 12 abducted
# were killed": 3 killed and 12 abducted; see _REFERENCE)
_WHOLE_OF_A_KIND = re.compile(rf"\s+(?:{word_alternation(PARTITIVE_KINDS)})(?![\w])")


def _partitive_counts(counts: list[Quantity], low: str, sentence: str) -> list[Quantity]:
    """A count of a part and the count of the whole it is taken from, as one count of the part
    where the whole's noun phrase is: the victims are the part."""
    out: list[Quantity] = []
    for q in counts:
        part = out[-1] if out else None
        if (
            part is not None
            and _PART_OF_COUNT.fullmatch(low, part.end, q.start)
            and not _WHOLE_OF_A_KIND.match(low, q.end)
        ):
            out[-1] = Quantity(part.start, q.end, part.low, part.high, part.qualifier, sentence[part.start : q.end])
        else:
            out.append(q)
    return out
