"""What the extractor's stages hand each other: a sentence's places and items, and the
clusters (one per incident place) they are gathered into.

``monitor.reading.reports`` assembles the ``Sentence``s, ``monitor.reading.places`` finds their
``Anchor``s, ``monitor.reading.clusters`` gathers them into ``Cluster``s, and
``monitor.reading.reports`` turns each cluster into a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from monitor.reading.gazetteer import Place
from monitor.reading.match import Hit

HISTORY_DAYS = 14  # older than this before publication: history, not news
SPECIFIC, ADMIN, COUNTRY = 0, 1, 2  # how precise a place is
ADMIN_CODES = frozenset({"ADM1", "ADM2", "ADM3", "ADM4", "ADMD"})
COUNTRY_CODES = frozenset({"PCLI", "PCL", "PCLD", "PCLF", "PCLS"})


@dataclass(slots=True)
class Anchor:
    hit: Hit
    place: Place
    level: int  # SPECIFIC, ADMIN or COUNTRY
    context: str = ""  # why it is named as context, not as where something happened ("" if not)
    near: bool = False  # a title's "near X"/"près de X": a landmark for the story's own place


@dataclass(slots=True)
class Item:
    """One thing a sentence says, placed in the text so it can go to the nearest anchor."""

    start: int
    end: int
    kind: str  # event | actor | victim | claim | casualty | figure | date | noun
    value: Any


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    anchors: list[Anchor]
    items: list[Item]
    title: bool
    historical: bool  # every date it gives is history
    incident: bool  # it reports violence: an event word, a casualty word or a figure
    anaphoric: bool = False  # it only refers back to the incident before ("les auteurs de l'attaque")


@dataclass(slots=True)
class Cluster:
    key: tuple[str, bool]  # (place id or "", historical)
    place: Place | None
    level: int
    first: int  # first sentence index
    sentences: list[int] = field(default_factory=list)
    near_title: bool = False  # a title placed it "near" here ...
    named: bool = False  # ... and no other mention did (see reports_clusters.fold_title_landmarks)
    items: list[tuple[int, Item]] = field(default_factory=list)  # (sentence index, item)

    def add(self, sentence: int, item: Item | None = None) -> None:
        # sentences come in text order: only the last can be this one (a search of the
        # whole list would make an article of many sentences about one place quadratic)
        if not self.sentences or self.sentences[-1] != sentence:
            self.sentences.append(sentence)
        if item is not None:
            self.items.append((sentence, item))

    def of(self, kind: str) -> list[Any]:
        return [item.value for _, item in self.items if item.kind == kind]

    def by_kind(self) -> dict[str, list[Any]]:
        """The values of ``of`` for every kind at once, in one pass over the items (a report
        asks for most kinds; each ``of`` would walk them all again)."""
        groups: dict[str, list[Any]] = {}
        for _, item in self.items:
            group = groups.get(item.kind)
            if group is None:
                groups[item.kind] = [item.value]
            else:
                group.append(item.value)
        return groups


@dataclass(frozen=True, slots=True)
class ClusterDate:
    """A date a sentence gives, as the date of the incident it goes to."""

    date: date
    precision: str
    explicit: bool  # written in the text, not computed from another incident's date


def span_gap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters between two spans of the text (0 when they overlap)."""
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0
