"""Independent voices: how many sources tell an incident on their own, and which.

Ten sites carrying one AFP story are one voice, not ten. Sources are joined into one voice
when they

- credit the same wire (``Source.credit``: AFP, Reuters, AP, APA, Xinhua, Anadolu, read from
  the article's text by ``monitor.reading.wire_credit``): the voice is the wire's;
- are a near copy of one another: their evidence sentences share most of their word
  5-grams (``COPY_SHARE`` of the shorter one's), as a rewritten wire story or a site that
  republishes another does;
- are one article's reports (an article is one voice whatever it tells).

An aggregator (Google News, MSN, Yahoo News...) is never a voice of its own: its copy
counts only through the wire it credits or the story it copies. A known incident's seed
sources are voices like any other. The voice of a group is named after its wire, else
after its earliest source; each voice lists the sites that carry it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from monitor.reading import fold
from monitor.register.records import Account

__all__ = ["AGGREGATORS", "COPY_SHARE", "Voice", "voices"]

# hosts (or publisher names) that gather other outlets' stories
AGGREGATORS = (
    "news.google.",
    "msn.com",
    "news.yahoo.",
    "yahoo.com",
    "flipboard.",
    "newsnow.",
    "feedly.",
    "google news",
    "yahoo news",
    "msn",
)
COPY_SHARE = 0.6  # shared word 5-grams, of the shorter evidence, that make a near copy
_SHINGLE = 5
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Voice:
    """One independent source and the publishers that carry it."""

    name: str
    carriers: tuple[str, ...]  # publishers, earliest first

    def label(self) -> str:
        """``AFP (via rfi.fr, lemonde.fr)``, ``Studio Tamani``."""
        others = [c for c in self.carriers if c.casefold() != self.name.casefold()]
        return f"{self.name} (via {', '.join(others)})" if others else self.name


def voices(accounts: Sequence[Account]) -> tuple[tuple[Voice, ...], list[str | None]]:
    """The independent voices among these accounts, earliest first (see the module doc), and
    the voice each account belongs to, in the order given (None: an aggregator's copy of
    nothing else, which is no voice)."""
    order = sorted(range(len(accounts)), key=lambda i: _chronology(accounts[i]))
    parent = list(range(len(accounts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:  # the earliest account stays the root
            early, late = (a, b) if rank[a] < rank[b] else (b, a)
            parent[late] = early

    rank = {i: r for r, i in enumerate(order)}
    first_of: dict[str, int] = {}
    for i in order:
        key = _article_key(accounts[i])
        if key in first_of:
            join(first_of[key], i)
        else:
            first_of[key] = i
    _join_near_copies([_shingles(accounts[i].report.evidence) for i in order], order, root, join)
    groups: dict[int, list[int]] = {}
    for i in order:
        groups.setdefault(root(i), []).append(i)
    found: list[Voice] = []
    voice_of: list[str | None] = [None] * len(accounts)
    for members in sorted(groups.values(), key=lambda m: rank[m[0]]):
        carriers = tuple(dict.fromkeys(accounts[i].source.publisher for i in members))
        credit = next((accounts[i].source.credit for i in members if accounts[i].source.credit), None)
        outlets = [c for c in carriers if not is_aggregator(c)]
        if credit is None and not outlets:
            continue  # an aggregator's copy of nothing else: no voice
        voice = Voice(credit or outlets[0], carriers)
        found.append(voice)
        for i in members:
            voice_of[i] = voice.name
    return tuple(found), voice_of


def _chronology(account: Account) -> tuple[object, ...]:
    """Earliest first; between sources of one time, an order of what they are, never of when
    they arrived (article ids), so that replaying the same articles in another order names
    the same voices."""
    s = account.source
    return (s.published, fold(s.publisher), s.url or "", s.title, account.position, s.article_id or 0)


def is_aggregator(publisher: str) -> bool:
    low = publisher.casefold()
    return any(low == a or low.startswith(a) or f".{a}" in f".{low}" for a in AGGREGATORS)


def _article_key(account: Account) -> str:
    """One article is one voice; a wire credit joins articles that carry the same wire."""
    if account.source.credit:
        return f"wire:{account.source.credit}"
    if account.source.article_id is not None:
        return f"article:{account.source.article_id}"
    return f"seed:{fold(account.source.publisher)}"


def _shingles(evidence: Sequence[str]) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(fold(" ".join(evidence)))
    return frozenset(tuple(words[i : i + _SHINGLE]) for i in range(max(0, len(words) - _SHINGLE + 1)))


def _join_near_copies(
    shingles: list[frozenset[tuple[str, ...]]],
    order: list[int],
    root: Callable[[int], int],
    join: Callable[[int, int], None],
) -> None:
    """Join each account to the earlier ones it nearly copies (``shingles`` in ``order``): an
    index from each 5-gram to the first account that had it counts the shared ones in one
    pass (no pair of accounts is compared, so a story told by hundreds of sites costs what
    its words cost)."""
    first: dict[tuple[str, ...], int] = {}  # 5-gram -> position in ``order``
    for pos, own in enumerate(shingles):
        shared: dict[int, int] = {}
        for s in own:
            earlier = first.get(s)
            if earlier is not None:
                shared[earlier] = shared.get(earlier, 0) + 1
        i = order[pos]
        for earlier in sorted(shared):
            j = order[earlier]
            if root(i) != root(j) and shared[earlier] >= COPY_SHARE * min(len(own), len(shingles[earlier])):
                join(j, i)
        for s in own:
            first.setdefault(s, pos)
