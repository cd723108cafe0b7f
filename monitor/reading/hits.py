"""A match of the watch list or the gazetteer in an article: what the reading steps pass on."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Hit"]


class Hit(NamedTuple):
    """One match. ``start``/``end`` are offsets in the original text. (A NamedTuple: an
    article makes hundreds, and a tuple is built several times faster than a frozen
    dataclass.)

    ``key`` by kind: actor -> actor id; event -> (event_type, sub_event_type);
    victim -> group; casualty -> kind; place -> candidate place ids, best first (flag
    ``abroad`` when the first is beyond the watched countries); foreign -> the same, for a
    place abroad named beside a place at home without being where anything happened;
    claim/context/off_topic/cause/block -> the kind itself (block: a phrase in which a place name
    is not the place, "Niger Delta").
    """

    start: int
    end: int
    kind: str  # actor | event | victim | casualty | claim | context | off_topic | cause | place | foreign | block
    key: str | tuple[str, ...]
    surface: str
    flags: frozenset[str] = frozenset()
