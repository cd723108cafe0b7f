"""An incident's tolls: every source's casualty figures combined per kind and victim group.

Per kind and victim group, over every figure of every source: ``low`` is the most
conservative count any source gives (ACLED's rule: "at least 30" counts 30, "about 60" 60);
``best`` the highest such count (tolls rise as bodies are counted, and UCDP's best estimate is
the most reliable report, in practice the latest and highest); ``high`` the top of any stated
range. Across groups the named groups add up and an unspecified toll is taken to cover them
(``monitor.models.killed_total``).

A total that counts the dead with the missing and the captured ("around 60 military
personnel, dead, missing or taken hostage": the reader's ``upper_bound`` qualifier) is no
killed toll: it is kept apart as kind ``mixed`` (``MIXED``), its ceiling as low, best and
high, and shown as what it is ("up to ~60 dead, missing or captured").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from monitor.models import MIXED, Figure, TollRange
from monitor.reading import UPPER_BOUND, conservative


def tolls(figures: Iterable[Figure]) -> tuple[TollRange, ...]:
    """Low, best and high per kind and victim group over every source's figures (see the module doc)."""
    bounds: dict[tuple[str, str], tuple[int, int, int]] = {}
    for f in figures:
        if (entry := toll_entry(f)) is not None:
            key, count, top = entry
            bounds[key] = widened(bounds.get(key), count, top)
    return toll_ranges(bounds)


def toll_entry(f: Figure) -> tuple[tuple[str, str], int, int] | None:
    """What one figure adds: its (kind, group), its count and the top of its range; None
    when it states no number."""
    if f.low is None and f.high is None:
        return None
    if f.qualifier == UPPER_BOUND:  # "60 victims, dead and missing": a mixed total, no killed toll
        ceiling = f.high or f.low or 0
        return (MIXED, f.group), ceiling, ceiling
    count = conservative(f)
    return (f.kind, f.group), count, max(count, f.high if f.high is not None else count)


def widened(bound: tuple[int, int, int] | None, count: int, top: int) -> tuple[int, int, int]:
    """(low, best, high) with one more figure: the lowest count, the highest, the highest top."""
    if bound is None:
        return count, count, top
    low, best, high = bound
    return min(low, count), max(best, count), max(high, top)


def toll_ranges(bounds: Mapping[tuple[str, str], tuple[int, int, int]]) -> tuple[TollRange, ...]:
    """The ranges, killed first, by victim group."""
    return tuple(TollRange(kind, group, *bounds[kind, group]) for kind, group in sorted(bounds, key=_toll_order))


_KIND_ORDER = ("killed", "wounded", "missing", "abducted", "arrested", MIXED)
_GROUP_ORDER = ("military", "civilian", "assailants", "unspecified")


def _toll_order(key: tuple[str, str]) -> tuple[int, int, str, str]:
    kind, group = key
    return (
        _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER),
        _GROUP_ORDER.index(group) if group in _GROUP_ORDER else len(_GROUP_ORDER),
        kind,
        group,
    )


def toll_text(killed: tuple[int, int, int]) -> str:
    """``30-60 (best 31)``, ``14``, ``none reported``."""
    low, best, high = killed
    if high == 0:
        return "none reported"
    if low == high:
        return str(low)
    return f"{low}-{high} (best {best})"


__all__ = ["MIXED", "toll_entry", "toll_ranges", "toll_text", "tolls", "widened"]
