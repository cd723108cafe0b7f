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

Near copies, exactly: in the order of ``chronology``, each account is joined to the account
that had a 5-gram first, for every such account that had at least ``COPY_SHARE`` of the
shorter one's 5-grams first. The groups are what these links (and the shared articles and
wires) connect, so they do not depend on the order accounts are given in. ``VoiceIndex``
keeps them as accounts come: one more account costs its own 5-grams and the groups it joins
(one published before the copies of it that came first re-counts those copies).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from monitor.reading import fold
from monitor.register.journal import Journal
from monitor.register.records import Account

__all__ = ["AGGREGATORS", "COPY_SHARE", "Voice", "VoiceIndex", "chronology", "voices"]

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

Shingle = tuple[str, ...]
Key = tuple[Any, ...]  # where an account stands among the others (see VoiceIndex)


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
    index = VoiceIndex(Journal())
    order = sorted(range(len(accounts)), key=lambda i: (chronology(accounts[i]), i))
    for i in order:
        index.add(accounts[i], (i,))
    seq_of = {i: seq for seq, i in enumerate(order)}
    return index.voices(), [index.voice_name(seq_of[i]) for i in range(len(accounts))]


def chronology(account: Account) -> tuple[object, ...]:
    """Earliest first; between sources of one time, an order of what they are, never of when
    they arrived (article ids), so that replaying the same articles in another order names
    the same voices."""
    s = account.source
    return (s.published, fold(s.publisher), s.url or "", s.title, account.position, s.article_id or 0)


class VoiceIndex:
    """The voices of an incident's accounts, kept up to date as accounts are added.

    Accounts are numbered in the order they are added (``seq``) and placed in time by their
    ``chronology``, then by the order the caller keeps them in (``order``: unique, so that
    no two accounts tie). Every change goes through ``journal``, so that a trial account can
    be taken back.
    """

    def __init__(self, journal: Journal) -> None:
        self._journal = journal
        self._accounts: list[Account] = []
        self._keys: list[Key] = []
        self._articles: list[str] = []  # each account's article (or wire): one voice
        self._sizes: list[int] = []  # distinct 5-grams of each account's evidence
        self._first: dict[Shingle, int] = {}  # 5-gram -> the earliest account that has it
        self._holders: dict[Shingle, list[int]] = {}  # 5-gram -> its accounts, once a second one has it
        self._toward: dict[int, dict[int, int]] = {}  # account -> earlier account -> 5-grams it had first
        self._article_first: dict[str, int] = {}  # article (or wire) -> an account of it
        self._group: list[int] = []  # account -> its group, named by the group's earliest account
        self._members: dict[int, tuple[int, ...]] = {}  # group -> its accounts, earliest first
        self._voice: dict[int, Voice | None] = {}  # group -> its voice (None: an aggregator's copy)
        self._ranked: list[tuple[Key, int]] = []  # groups with a voice, earliest first
        self._labels: list[str] = []  # their labels, in the same order

    def add(self, account: Account, order: Key) -> list[tuple[Key, Account, str | None]]:
        """Add an account; returns those whose voice changed (the new one too), with their
        ``order`` and the name of their voice now."""
        j, seq, key = self._journal, len(self._accounts), (chronology(account), order)
        j.append(self._accounts, account)
        j.append(self._keys, key)
        j.append(self._group, seq)
        own = _shingles(account.report.evidence)
        j.append(self._sizes, len(own))
        touched = {seq}
        article = _article_key(account)
        j.append(self._articles, article)
        if article in self._article_first:
            touched.add(self._article_first[article])
        else:
            j.put(self._article_first, article, seq)
        for s in sorted(own):  # sorted: the same steps whatever the hash seed
            touched |= self._count(s, seq, key)
        touched.update(self._edges(seq))
        if len(touched) == 1:  # it copies none, none copies it: a voice of its own
            self._add_group((seq,))
            return [(order, account, self.voice_name(seq))]
        changed = self._regroup({m for t in touched for m in self._members.get(self._group[t], (t,))})
        return [(self._keys[c][1], self._accounts[c], self.voice_name(c)) for c in changed]

    def voice_name(self, seq: int) -> str | None:
        voice = self._voice[self._group[seq]]
        return voice.name if voice else None

    def voices(self) -> tuple[Voice, ...]:
        """Every voice, earliest first."""
        return tuple(self._voice[group] for _, group in self._ranked)  # type: ignore[misc]  # ranked: voiced

    def labels(self) -> tuple[str, ...]:
        """Every voice's label, earliest first."""
        return tuple(self._labels)

    # --- near copies --------------------------------------------------------------

    def _count(self, s: Shingle, seq: int, key: Key) -> set[int]:
        """Count one 5-gram of a new account; returns the accounts whose links it changed."""
        j = self._journal
        first = self._first.get(s)
        if first is None:
            j.put(self._first, s, seq)
            return set()
        holders = self._holders.get(s)
        if holders is None:
            j.put(self._holders, s, [first, seq])
        else:
            j.append(holders, seq)
        if self._keys[first] < key:
            self._bump(seq, first, 1)
            return set()
        # published before the account that had it first: now the new one had it first
        j.put(self._first, s, seq)
        for h in (holders if holders is not None else [first]):
            if h != seq:
                if h != first:
                    self._bump(h, first, -1)
                self._bump(h, seq, 1)
        return set(holders if holders is not None else [first])

    def _bump(self, seq: int, earlier: int, by: int) -> None:
        j = self._journal
        toward = self._toward.get(seq)
        if toward is None:
            toward = {}
            j.put(self._toward, seq, toward)
        count = toward.get(earlier, 0) + by
        if count:
            j.put(toward, earlier, count)
        else:
            j.delete(toward, earlier)

    def _edges(self, seq: int) -> list[int]:
        """The earlier accounts this one nearly copies."""
        size = self._sizes[seq]
        return [e for e, n in self._toward.get(seq, {}).items() if n >= COPY_SHARE * min(size, self._sizes[e])]

    # --- groups and their voices ----------------------------------------------------

    def _regroup(self, seqs: set[int]) -> list[int]:
        """Group again these accounts (whole groups and the new account, so no link leaves
        them); returns those whose voice changed."""
        before = {seq: self.voice_name(seq) for seq in seqs if self._group[seq] in self._voice}
        parent = {seq: seq for seq in seqs}

        def root(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        def join(a: int, b: int) -> None:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        by_article: dict[str, int] = {}
        for seq in sorted(seqs):
            join(seq, by_article.setdefault(self._articles[seq], seq))
            for earlier in self._edges(seq):
                join(seq, earlier)
        groups: dict[int, list[int]] = {}
        for seq in sorted(seqs):
            groups.setdefault(root(seq), []).append(seq)
        for old in sorted({self._group[seq] for seq in seqs if self._group[seq] in self._members}):
            self._drop_group(old)
        for members in groups.values():
            self._add_group(tuple(sorted(members, key=self._keys.__getitem__)))
        return sorted(seq for seq in seqs if before.get(seq, "new") != self.voice_name(seq))

    def _drop_group(self, group: int) -> None:
        j = self._journal
        if self._voice[group] is not None:
            at = bisect_left(self._ranked, (self._keys[group], group))
            j.remove_at(self._ranked, at)
            j.remove_at(self._labels, at)
        j.delete(self._members, group)
        j.delete(self._voice, group)

    def _add_group(self, members: tuple[int, ...]) -> None:
        j, group = self._journal, members[0]
        for seq in members:
            if self._group[seq] != group:
                j.setitem(self._group, seq, group)
        j.put(self._members, group, members)
        voice = self._voice_of(members)
        j.put(self._voice, group, voice)
        if voice is not None:
            at = bisect_left(self._ranked, (self._keys[group], group))
            j.insert(self._ranked, at, (self._keys[group], group))
            j.insert(self._labels, at, voice.label())

    def _voice_of(self, members: Sequence[int]) -> Voice | None:
        accounts = [self._accounts[seq] for seq in members]
        carriers = tuple(dict.fromkeys(a.source.publisher for a in accounts))
        credit = next((a.source.credit for a in accounts if a.source.credit), None)
        outlets = [c for c in carriers if not is_aggregator(c)]
        if credit is None and not outlets:
            return None  # an aggregator's copy of nothing else: no voice
        return Voice(credit or outlets[0], carriers)


@lru_cache(maxsize=4096)
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


@lru_cache(maxsize=4096)
def _shingles(evidence: Sequence[str]) -> frozenset[Shingle]:
    words = _WORD.findall(fold(" ".join(evidence)))
    return frozenset(tuple(words[i : i + _SHINGLE]) for i in range(max(0, len(words) - _SHINGLE + 1)))
