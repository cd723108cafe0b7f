"""One pass over an article for every watch term and place name, and how relevant it is.

``Matcher.build`` puts all watch-list terms and gazetteer names, folded, into one
Aho-Corasick automaton. ``Matcher.scan`` folds the article once (``fold_words``: same
length, punctuation turned into spaces) and runs the automaton over it with a space on
each side; every key is stored with a space on each side too, so only whole words match
(never "mali" inside "somalie", never "san" inside "sans"). All hits are kept, nested ones
included ("une attaque suicide": an attack and a suicide bombing), except place names
inside an actor's name ("Boko" in "Boko Haram", "Macina" in "Katiba Macina").

Then guards drop what is not meant:
- hits inside a URL or an e-mail address, or right after ``@`` ("www.mali-web.org");
- case-sensitive terms written otherwise ("FAN" the army, not "fan");
- place names not written as names: news capitalises them, so a lower-case one counts
  only when a nearby mention of its region vouches for it; capitals alone count in a
  dateline or a headline in capitals, not as an acronym ("IPO");
- two-letter place names ("Pô") count only capitalised right after a preposition of place
  ("à Pô", "in Po", "de Pô");
- weak place names (short, or equal to a common word, a watch term or a personal name:
  "Diré"/"dire", "Say", "Keïta") also must not be glued to another capitalised word
  ("San Francisco", "Ibrahim Boubacar Keïta"), follow a title ("Président"), nor, for
  common words, open the sentence or sit in a Title Case headline; a nearby mention of
  the place's region or cercle lets them count anyway ("à San, dans la région de Ségou");
- any place name after a title and up to two given names, or after "the family of", is a
  person's ("General Oumarou Sadou", "la famille de Sadou"), unless its region vouches;
- place names spelled exactly like an actor ("FAMa", not the village of Fama) or inside
  a blocking phrase ("Niger Delta", "fleuve Niger");
- ambiguous terms ("Wagner", "Islamic State") unless the article is about the Sahel: a
  known watched place, an unambiguous actor or a context word ("Sahel", "Azawad").

Place hits list their candidate ids best first: the gazetteer's order
(``Gazetteer.resolve``), with the context of nearby place names, a parenthesis after the
name ("Niena (Sikasso region)"), an admin word after it ("the Kossi and Soum
provinces") and, for a mere village, a parenthesis around it that locates another name
("Dimasso (Bourasso, Kossi)": areas first). Villages GeoNames knows little about are flagged ``minor``: their names are
common elsewhere ("Titan", "Adam") and count for relevance only in a Sahel article.

``monitor.reading.relevance`` scores a scan.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from monitor.reading.gazetteer import Gazetteer, Place
from monitor.reading.hits import Hit
from monitor.reading.limits import (
    MAX_PLACES_PER_SENTENCE,
    MAX_SENTENCE_CHARS,
    MAX_WORDS_PER_SENTENCE,
    kept_per_sentence,
    split_long_sentences,
)
from monitor.reading.namesakes import (
    DIRECTIONS,
    Namesakes,
    is_minor,
    keeps_word_name,
    placed_at,
)
from monitor.reading.terms import COMMON_WORDS, Term, Watchlist
from monitor.reading.text import (
    fold,
    fold_words,
    name_key,
    nfc_with_offsets,
    sentence_at,
    split_sentences,
)

__all__ = ["CALENDAR_WORDS", "Hit", "Matcher", "Scan"]

# Phrases in which a place name is not the place.
BLOCKING_PHRASES = (
    "Niger Delta",
    # the lake four countries share, Niger among them: its islands are no place in Chad
    "Lake Chad",
    "lac Tchad",
    "delta du Niger",
    "Niger State",
    "État du Niger",
    "Etat du Niger",
    "fleuve Niger",
    "Niger River",
    "river Niger",
    "Office du Niger",
    "Mali Empire",
    "empire du Mali",
    "San Francisco",
    "San Diego",
    "San Antonio",
    "San José",
    "San Jose",
    "San Pedro",
    "San Salvador",
    "San Marino",
    "San Sebastián",
)

# Words that may stand next to a weak place name without making it part of another name.
_PLACE_WORDS = frozenset(
    name_key(w)
    for w in "region région regions cercle province commune department département district prefecture "  # noqa: SIM905
    "préfecture airport aéroport camp base town ville village city localité locality road route axe "
    "north south east west nord sud est ouest central centre".split()
)
# A weak name after one of these is a person's name ("Président Keïta").
_TITLES = frozenset(
    name_key(w)
    for w in "president président presidente general général gen colonel col lieutenant lt captain capitaine "  # noqa: SIM905
    "cpt commandant major maj minister ministre premier prime mr mrs ms m mme mlle dr imam cheikh sheikh "
    "chef ambassador ambassadeur sergent sergeant adjudant caporal corporal monsieur madame mister "
    "feu late".split()
)

# Month and day names are never taken for places ("in May", "mardi").
CALENDAR_WORDS = frozenset(
    name_key(w)
    for w in "january february march april may june july august september october november december "  # noqa: SIM905
    "monday tuesday wednesday thursday friday saturday sunday janvier février mars avril mai juin "
    "juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi vendredi samedi "
    "dimanche".split()
)

_TLDS = "com|org|net|info|ml|bf|ne|fr|africa|news|tv|io|co|uk|de|be|ch|ca|us|gov|int|edu"
_URL_TOKEN = re.compile(
    r"(?:https?://|www\.)|[\w.+-]@[\w-]"
    r"|^[\w.-]*[a-z0-9-]\.(?:" + _TLDS + r")(?:\W|$)",
    re.IGNORECASE,
)
_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("ß", "ss"))


@dataclass(frozen=True)
class Scan:
    text: str
    hits: tuple[Hit, ...]  # sorted by start, longer first
    sentences: tuple[tuple[int, int], ...]
    sahel_context: bool  # a watched place, an unambiguous actor or a context word
    hit_sentences: tuple[int, ...] = ()  # the sentence index of each hit
    folded: str = ""  # ``fold(text)`` when the scan computed it (offsets as in ``text``), else ""
    skipped: tuple[str, ...] = ()  # what the caps of ``monitor.reading.limits`` left out or cut

    def of(self, *kinds: str) -> list[Hit]:
        return [h for h in self.hits if h.kind in kinds]

    def sentence_of(self, hit: Hit) -> int:
        return sentence_at(self.sentences, hit.start) if self.sentences else 0

    def sentence_text(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.text[start:end]

    def by_sentence(self) -> dict[int, list[Hit]]:
        """Hits grouped by the sentence they start in."""
        groups: dict[int, list[Hit]] = {}
        for hit, index in zip(self.hits, self.hit_sentences):
            groups.setdefault(index, []).append(hit)
        return groups


@dataclass(frozen=True, slots=True)
class _Entry:
    """What a matched key means. ``weak``: 0 no guard, 1 proper name, 2 also not sentence-initial,
    3 two letters: capitalised after a preposition of place only."""

    kind: str
    key: str | tuple[str, ...]
    flags: frozenset[str] = frozenset()
    ambiguous: bool = False
    case_patterns: frozenset[tuple[bool, ...]] | None = None
    weak: int = 0


@dataclass(slots=True)
class _Candidate:
    """A place name found, before the guards: its candidate ids and their guard (``_Entry.weak``)."""

    start: int
    end: int
    ids: tuple[str, ...]
    weak: int
    surface: str
    name: str  # name_key of the surface


# What the automaton holds for each of its ~80,000 keys, nearly all of them place names:
# ``(length, weak, ids, entries)``, the length of the key with its two spaces, the guard of its
# place entry (``_Entry.weak``, -1 when it names no place), that entry's candidate ids (the
# gazetteer's own tuple; () when none) and what else the key means (terms, a blocking phrase;
# most keys: nothing). One plain tuple: an entry object, a tuple of entries and the key's text
# for each would take several times the memory, and unpacking a tuple subclass is slower.
_Key = tuple[int, int, tuple[str, ...], tuple[_Entry, ...]]


class _Found(NamedTuple):
    """What the automaton found in an article, before the place guards."""

    places: list[_Candidate]  # place names, in the automaton's order (by end)
    others: list[Hit]  # every other match, already a hit
    ambiguous: set[int]  # indexes in ``others`` of hits that count only in a Sahel article
    blocks: list[tuple[int, int]]  # blocking phrases ("Niger Delta"): spans only
    sahel_word: bool  # an unambiguous actor among ``others``
    context_word: bool  # a context word ("Sahel", "Malian") among ``others``


def _case_pattern(text: str) -> tuple[bool, ...]:
    return tuple(c.isupper() for c in text if c.isalpha())


def _match_keys(text: str) -> set[str]:
    """Automaton keys for a term: its folded words, and ligatures spelled both ways."""
    key = fold_words(text).strip()
    keys = {key}
    for lig, spelled in _LIGATURES:
        if lig in key or spelled in key:
            keys |= {k.replace(lig, spelled) for k in keys} | {k.replace(spelled, lig) for k in keys}
    return {k for k in keys if k}


class _Builder:
    """Collects entries by automaton key, merging the same meaning from several spellings.

    The automaton under construction is the table of keys: ~80,000 of them, a dict of them
    beside it would double the memory the build takes, and leave the process bigger after."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()

    def add(self, text: str, entry: _Entry) -> None:
        for key in _match_keys(text):
            self.add_key(key, entry)

    def add_key(self, key: str, entry: _Entry) -> None:
        """Add an already folded key (``fold_words`` form) for a term or a blocking phrase."""
        padded = f" {key} "
        length, weak, ids, entries = self._automaton.get(padded, None) or (len(padded), -1, (), ())
        self._automaton.add_word(padded, (length, weak, ids, _with_entry(entries, entry)))

    def add_place(self, key: str, ids: tuple[str, ...], weak: int) -> None:
        """Add a place name: a key's first place entry is its ``ids`` and ``weak``; another
        one (a ligature spelled out may be another name too) joins its other entries."""
        padded = f" {key} "
        known: _Key | None = self._automaton.get(padded, None)
        value: _Key
        if known is None:
            value = (len(padded), weak, ids, ())
        else:
            length, known_weak, known_ids, entries = known
            if known_weak < 0:
                value = (length, weak, ids, entries)
            elif known_ids == ids:  # the same place under two spellings: the looser guard wins
                value = (length, min(known_weak, weak), ids, entries)
            else:
                value = (length, known_weak, known_ids, _with_entry(entries, _Entry("place", ids, weak=weak)))
        self._automaton.add_word(padded, value)

    def add_term(self, term: Term, kind: str, key: str | tuple[str, ...], flags: frozenset[str] = frozenset()) -> None:
        patterns = frozenset({_case_pattern(term.text)}) if term.case_sensitive else None
        self.add(term.text, _Entry(kind, key, flags, term.ambiguous, patterns))

    def automaton(self) -> ahocorasick.Automaton:
        self._automaton.make_automaton()
        return self._automaton


def _with_entry(entries: tuple[_Entry, ...], entry: _Entry) -> tuple[_Entry, ...]:
    """``entries`` and ``entry``, combined with the one of the same meaning if there is one."""
    ident = (entry.kind, entry.key, entry.flags)
    for i, known in enumerate(entries):
        if (known.kind, known.key, known.flags) == ident:
            return (*entries[:i], _combine(known, entry), *entries[i + 1 :])
    return (*entries, entry)


def _combine(a: _Entry, b: _Entry) -> _Entry:
    """Two spellings with one meaning: the looser guard wins."""
    patterns = None if a.case_patterns is None or b.case_patterns is None else a.case_patterns | b.case_patterns
    return _Entry(a.kind, a.key, a.flags, a.ambiguous and b.ambiguous, patterns, min(a.weak, b.weak))


class Matcher:
    """The watch list and the gazetteer in one automaton."""

    def __init__(
        self,
        watchlist: Watchlist,
        gazetteer: Gazetteer,
        automaton: ahocorasick.Automaton,
        demonyms: Mapping[str, str] | None = None,
    ) -> None:
        self.watchlist = watchlist
        self.gazetteer = gazetteer
        self._automaton = automaton
        self._countries = frozenset(watchlist.countries)
        self._nations = bool(demonyms)  # adjectives of nationality to read ("la ville nigériane de")
        actor_countries = {a.id: a.countries for a in watchlist.actors}
        self.namesakes = Namesakes(gazetteer, self._countries, demonyms or {}, actor_countries)

    @classmethod
    def build(cls, watchlist: Watchlist, gazetteer: Gazetteer, demonyms: Mapping[str, str] | None = None) -> Matcher:
        builder = _Builder()
        _add_watchlist(builder, watchlist)
        _add_places(builder, watchlist, gazetteer)
        for phrase in BLOCKING_PHRASES:
            builder.add(phrase, _Entry("block", "block"))
        return cls(watchlist, gazetteer, builder.automaton(), demonyms)

    def place(self, hit: Hit) -> Place:
        """The place a place hit most likely means (its first candidate)."""
        return self.gazetteer.places(hit.key[0])

    def scan(self, text: str) -> Scan:
        """Every hit in ``text``, guarded and resolved, with the sentence spans."""
        composed, origin = nfc_with_offsets(text)
        folded = fold(composed)  # folding is idempotent: fold_words(folded) == fold_words(composed)
        sentences, cut = split_long_sentences(split_sentences(text), text)
        found, dropped = _capped(self._raw_candidates(text, folded, origin), sentences)
        places = _drop_shadowed(found)
        places.sort(key=lambda c: (c.start, -c.end))
        contexts = _local_contexts(places, sentences)
        qualifiers = _parenthetical_contexts(places, text, sentences)
        # what a weak place name may stand next to in a list of places ("Kidal Gao"): any
        # other match but a weak place name
        strong_spans = [(h.start, h.end) for h in found.others] + found.blocks if places else []
        strong = _Covering(strong_spans + [(c.start, c.end) for c in places if c.weak == 0])
        place_hits = [
            self._place_hit(c, ctx | qual, qual, text)
            for c, ctx, qual in zip(places, contexts, qualifiers)
            if self._proper_place(c, text, sentences, strong, ctx | qual)
        ]
        if self._nations:
            namesakes = self.namesakes
            place_hits = [h for hit in place_hits if (h := namesakes.of_the_nation_named(hit, folded)) is not None]
        placed_abroad = [h for h in place_hits if "abroad" in h.flags and placed_at(folded, h.start)]
        if any("abroad" in h.flags or self.namesakes.has_abroad_candidate(h) for h in place_hits):
            place_hits = self.namesakes.settle(place_hits, placed_abroad, found.others, sentences, folded)
        # after settling: a name settled at home ("Singa", also a Sudanese city) has its
        # namesakes at home to choose between
        place_hits = self.namesakes.nearest_to_their_neighbours(place_hits, sentences)
        place_hits = self.namesakes.in_their_country(place_hits, found.others, sentences)
        # "Wagner fighters clashed with Malian smugglers in Libya": a context word makes an
        # article about the Sahel unless it places its story in another country
        sahel = found.sahel_word or self._sahel_place(place_hits) or (found.context_word and not placed_abroad)
        others = _not_opposed(text, found.others)
        # blocking phrases stay as hits: "near Lake Chad" names no village the gazetteer lacks
        blocks = [Hit(a, b, "block", "block", text[a:b]) for a, b in found.blocks]
        hits = place_hits + others + blocks
        if found.ambiguous and not sahel:  # "Wagner", "Islamic State": only in a Sahel article
            hits = place_hits + [h for i, h in enumerate(found.others) if i not in found.ambiguous and h in others] + blocks
        hits.sort(key=lambda h: (h.start, -h.end, h.kind))
        return Scan(
            text,
            tuple(hits),
            tuple(sentences),
            sahel,
            _sentence_indices(hits, sentences),
            folded if origin is None else "",
            _skipped(cut, dropped),
        )

    # --- scanning ------------------------------------------------------------------

    def _raw_candidates(self, text: str, folded: str, origin: list[int] | None) -> _Found:
        padded = f" {fold_words(folded)} "
        urls = _may_hold_urls(text, folded)
        places: list[_Candidate] = []
        others: list[Hit] = []
        ambiguous: set[int] = set()
        blocks: list[tuple[int, int]] = []
        sahel_word = context_word = False
        for last, (length, weak, ids, entries) in self._automaton.iter(padded):
            start, end = last - length + 1, last - 1  # the term, in composed offsets
            if origin is not None:
                start, end = origin[start], origin[end]
            # common words that are also village names ("were", "side") match only capitalised:
            # most of the automaton's hits in any text, rejected before any other work
            if weak >= 2 and not entries and not text[start].isupper():
                continue
            if urls and _in_url(start, end, text):
                continue
            surface = text[start:end]
            if ids and (weak < 2 or surface[0].isupper()):  # "were", "side": words, never names
                # the name_key of the surface: the key matched (same folding), unless offsets moved
                name = padded[last - length + 2 : last] if origin is None else name_key(surface)
                places.append(_Candidate(start, end, ids, weak, surface, name if "  " not in name else _collapsed(name)))
            for entry in entries:
                if entry.case_patterns is not None and _case_pattern(surface) not in entry.case_patterns:
                    continue
                kind = entry.kind
                if kind == "place":  # a second place entry: a ligature spelled out ("Boeuf") is another name
                    if entry.weak >= 2 and not surface[0].isupper():
                        continue
                    name = padded[last - length + 2 : last] if origin is None else name_key(surface)
                    places.append(_Candidate(start, end, entry.key, entry.weak, surface, _collapsed(name)))  # type: ignore[arg-type]
                elif kind == "block":
                    blocks.append((start, end))
                else:
                    # a hit as it will be reported: no guard left but ambiguity (most hits)
                    if entry.ambiguous:
                        ambiguous.add(len(others))
                    elif kind == "actor":
                        sahel_word = True
                    elif kind == "context":
                        context_word = True
                    others.append(Hit(start, end, kind, entry.key, surface, entry.flags))
        return _Found(places, others, ambiguous, blocks, sahel_word, context_word)

    def _proper_place(
        self, cand: _Candidate, text: str, sentences: list[tuple[int, int]], strong: _Covering, context: set[str]
    ) -> bool:
        """Is this place name written as the name of a place?

        News capitalises place names, so a lower-case one counts only when a nearby
        mention of its region or cercle vouches for it ("san, région de ségou"), and never
        when it is a common word ("were", "side"). An all-capitals one counts only in an
        all-capitals line (a headline), not as an acronym ("IPO", "LAN"). Weak names must
        also stand apart from other proper names, and common words must not open the
        sentence.
        """
        capitalised = cand.surface[:1].isupper()
        if cand.weak >= 3:  # two letters ("Pô"): a capitalised name after "à", "in", "de"...
            return capitalised and not _is_acronym(cand.surface) and _after_place_preposition(text, cand.start)
        if not capitalised:
            return cand.weak < 2 and self._has_admin_context(cand, context)
        if _is_acronym(cand.surface) and not _capitals_allowed(cand, text, sentences):
            return False
        if self.namesakes.abroad_only(cand.ids):  # "restaurant Aziz Istanbul", "the Chad Embassy": a name
            return not _glued_to_other_name(cand, text, strong)
        if _a_persons_name(cand, text):
            return self._has_admin_context(cand, context)
        if cand.weak == 0 or self._has_admin_context(cand, context):
            return True
        if cand.weak >= 2 and (_sentence_initial(cand.start, text, sentences) or _title_case(text, sentences, cand.start)):
            return False
        return not _glued_to_other_name(cand, text, strong)

    def _has_admin_context(self, cand: _Candidate, context: set[str]) -> bool:
        return any(self.gazetteer.admin_matches(self.gazetteer.places(pid), context) for pid in cand.ids)

    def _place_hit(self, cand: _Candidate, context: set[str], qualifiers: set[str], text: str) -> Hit:
        """Candidates best first: the gazetteer's order, then a parenthesis naming the
        place's region ("Niéna (Sikasso region)") and an admin word after the name ("the
        Kossi and Soum provinces") take precedence."""
        if len(cand.ids) == 1:
            place = self.gazetteer.places(cand.ids[0])
            return Hit(cand.start, cand.end, "place", cand.ids, cand.surface, self.namesakes.flags(place))
        ranked = self.gazetteer.rank(cand.ids, context)
        if qualifiers:
            ranked.sort(key=lambda p: -self.gazetteer.admin_matches(p, qualifiers))
        if _admin_word_follows(cand, text) or (is_minor(ranked[0]) and _qualifies_a_name(cand, text)):
            ranked.sort(key=lambda p: not p.feature_code.startswith("ADM"))
        return Hit(cand.start, cand.end, "place", tuple([p.id for p in ranked]), cand.surface, self.namesakes.flags(ranked[0]))

    def _sahel_place(self, places: list[Hit]) -> bool:
        """Does the article name a known place of a watched country (not merely a village
        whose name may be a word elsewhere)? With an unambiguous actor or a context word
        (``_Found.sahel_word``), that makes it an article about the Sahel."""
        for hit in places:
            if "minor" not in hit.flags and self.gazetteer.places(hit.key[0]).country in self._countries:
                return True
        return False


# "manifestation contre les attaques", "la lutte contre les enlèvements": attacks in general,
# as what is fought or protested against
_AGAINST_BEFORE = re.compile(r"\b(?:contre|against)\s+(?:les|des|the|toutes\s+les|all)\s+$", re.IGNORECASE)


_LISTED_WITH = re.compile(r"[\w\s'’-]{0,30}?\b(?:et|and|ou|or)\s+(?:les\s+|des\s+|the\s+)?", re.IGNORECASE)


def _not_opposed(text: str, others: list[Hit]) -> list[Hit]:
    """The hits but event words that name what is fought or protested against ("contre les
    attaques jihadistes et les enlèvements"), not what happened."""
    kept: list[Hit] = []
    last: Hit | None = None  # the last event word opposed
    for hit in others:
        if hit.kind == "event":
            if _AGAINST_BEFORE.search(text, max(0, hit.start - 20), hit.start) or (
                last is not None and _LISTED_WITH.fullmatch(text, last.end, hit.start)
            ):
                last = hit
                continue
            last = None
        kept.append(hit)
    return kept


def _sentence_indices(hits: list[Hit], sentences: list[tuple[int, int]]) -> tuple[int, ...]:
    """Sentence index of each hit (hits sorted by start): one merge pass."""
    out: list[int] = []
    index = 0
    for hit in hits:
        while index + 1 < len(sentences) and sentences[index + 1][0] <= hit.start:
            index += 1
        out.append(index)
    return tuple(out)


def _collapsed(key: str) -> str:
    """An automaton key as a name_key: runs of spaces made one ("gourma - rharous")."""
    return " ".join(key.split())


def _drop_shadowed(found: _Found) -> list[_Candidate]:
    """The place candidates, but for names inside a blocking phrase or an actor's name.

    "FAMa" is the army, not the village of Fama; "Boko" in "Boko Haram" is no village;
    "fleuve Niger" is not the country.
    """
    if not found.places:
        return found.places
    covers = [(h.start, h.end) for h in found.others if h.kind == "actor"] + found.blocks
    if not covers:
        return found.places
    covering = _Covering(covers)
    return [c for c in found.places if not covering.covers(c.start, c.end)]


class _Covering:
    """Whether a span lies inside any of many spans, by a bisect: the spans sorted by start,
    with the furthest end reached by any of them so far (no loop over all the spans)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(itertools.accumulate((e for _, e in ordered), max))

    def covers(self, start: int, end: int) -> bool:
        """Some span starts at or before ``start`` and ends at or after ``end``."""
        last = bisect_right(self._starts, start) - 1
        return last >= 0 and self._reach[last] >= end


def _capped(found: _Found, sentences: list[tuple[int, int]]) -> tuple[_Found, int]:
    """The first names of each sentence, up to the caps (``monitor.reading.limits``), and how
    many were left out: the guards below compare the names of a sentence with each other."""
    keep_places = kept_per_sentence([c.start for c in found.places], sentences, MAX_PLACES_PER_SENTENCE)
    keep_others = kept_per_sentence([h.start for h in found.others], sentences, MAX_WORDS_PER_SENTENCE)
    if all(keep_places) and all(keep_others):
        return found, 0
    places = [c for c, keep in zip(found.places, keep_places) if keep]
    others: list[Hit] = []
    ambiguous: set[int] = set()
    for i, (hit, keep) in enumerate(zip(found.others, keep_others)):
        if keep:
            if i in found.ambiguous:
                ambiguous.add(len(others))
            others.append(hit)
    dropped = len(found.places) - len(places) + len(found.others) - len(others)
    return found._replace(places=places, others=others, ambiguous=ambiguous), dropped


def _skipped(cut: int, dropped: int) -> tuple[str, ...]:
    out = []
    if cut:
        out.append(f"{cut} sentence(s) longer than {MAX_SENTENCE_CHARS:,} characters read in pieces")
    if dropped:
        out.append(
            f"{dropped} name(s) and word(s) skipped beyond {MAX_PLACES_PER_SENTENCE} place names"
            f" or {MAX_WORDS_PER_SENTENCE} other words in a sentence"
        )
    return tuple(out)


def _local_contexts(places: list[_Candidate], sentences: list[tuple[int, int]]) -> list[set[str]]:
    """For each place candidate, the names of the nearby place mentions in its sentence.

    Nearby: up to two mentions before and two after it (overlapping names are one), so "Boulikessi (Douentza,
    Mopti)" and "à San, dans la région de Ségou" give context, while a region named three
    clauses away ("Niéna (Sikasso region), ... Koulikoro") does not.

    ``places`` are sorted by start. One pass groups overlapping names into mentions ("Ségou
    region" and "Ségou"): a name overlaps an earlier one of the mention exactly when it
    starts before the furthest end so far. The sentence of each mention (that of its first
    name) comes from a pointer that only moves forward, not a search per name.
    """
    mention_of: list[int] = []  # for each candidate, the index of its mention
    names: list[set[str]] = []  # the names of each mention
    mention_sentence: list[int] = []
    reach = sentence = 0
    last_sentence = len(sentences) - 1
    for c in places:
        if not names or c.start >= reach:
            while sentence < last_sentence and sentences[sentence + 1][0] <= c.start:
                sentence += 1
            names.append(set())
            mention_sentence.append(sentence)
            reach = c.end
        elif c.end > reach:
            reach = c.end
        names[-1].add(c.name)
        mention_of.append(len(names) - 1)
    count = len(names)
    nearby_of: list[set[str]] = []
    for here in range(count):
        nearby: set[str] = set()
        sentence = mention_sentence[here]
        for i in (here - 2, here - 1, here + 1, here + 2):  # sentences only grow: neighbours suffice
            if 0 <= i < count and mention_sentence[i] == sentence:
                nearby |= names[i]
        nearby_of.append(nearby)
    return [nearby_of[i] for i in mention_of]


def _parenthetical_contexts(places: list[_Candidate], text: str, sentences: list[tuple[int, int]]) -> list[set[str]]:
    """Place names in the parenthesis that follows a place: "Niena and Komani (Sikasso region)".

    The parenthesis must open in the same sentence within 60 characters, with no other
    parenthesis or clause break in between.
    """
    out: list[set[str]] = []
    starts = [c.start for c in places]
    for cand in places:
        end = sentences[sentence_at(sentences, cand.start)][1] if sentences else len(text)
        opening = text.find("(", cand.end, min(end, cand.end + 60))
        if opening < 0 or any(ch in ")(;:." for ch in text[cand.end : opening]):
            out.append(set())
            continue
        closing = text.find(")", opening, end)
        closing = end if closing < 0 else closing
        inside = places[bisect_right(starts, opening) : bisect_left(starts, closing)]  # by start: a bisect, not a loop over all
        out.append({c.name for c in inside if c.end <= closing})
    return out


_ADMIN_WORDS_SINGULAR = frozenset(name_key(w) for w in "province cercle region région department département".split())  # noqa: SIM905
_ADMIN_WORDS_PLURAL = frozenset(name_key(w) for w in "provinces cercles regions régions departments départements".split())  # noqa: SIM905
_LIST_WORDS = frozenset({"and", "et", "or", "ou", "the", "les", "des"})


def _admin_word_follows(cand: _Candidate, text: str) -> bool:
    """"Soum province", "the Kossi and Soum provinces": the name is an admin area's."""
    pos, first = cand.end, True
    for _ in range(6):
        at, word = _word_after(text, pos)
        if not word:
            if pos < len(text) and text[pos] == ",":  # "Kossi, Soum and Oudalan provinces"
                pos, first = pos + 1, False
                continue
            return False
        key = name_key(word)
        if key in _ADMIN_WORDS_PLURAL or (first and key in _ADMIN_WORDS_SINGULAR):
            return True
        if key not in _LIST_WORDS and not word[0].isupper():
            return False
        pos, first = at + len(word), False
    return False


def _qualifies_a_name(cand: _Candidate, text: str) -> bool:
    """ "Gasselik village (Soum, Sahel)", "Dimasso (Bourasso, Kossi)": a name in the parenthesis
    after a name says where that one lies, as an area does (a province, not a namesake village)."""
    opening = text.rfind("(", max(0, cand.start - 40), cand.start)
    if opening < 0 or ")" in text[opening : cand.start]:
        return False
    return bool(_word_before(text, opening)[1])


_WORD_END = frozenset(",;!?)»\"'’")


# A top-level domain after a dot, looked for in the folded text (lower case already, and
# one byte a character for most news: several times faster than re.IGNORECASE over the
# original). Under re.IGNORECASE "ı" (dotless i) matches "i" but folds to itself, hence
# "[iı]". No "\b" at the end: folding can turn a sign after the name into a letter
# ("™" -> "t"), and a few more false alarms only cost the exact check of ``_in_url``.
_FOLDED_DOMAIN_HINT = re.compile(r"\.(?:" + _TLDS.replace("i", "[iı]") + r")")


def _may_hold_urls(text: str, folded: str) -> bool:
    """Whether any token of ``text`` can be a URL, an address or a handle (most texts: no).

    ``folded`` is ``fold`` of ``text`` (or of its NFC form). A cheap filter before
    ``_in_url``: it may say yes for a text without any (then ``_in_url`` decides, exactly),
    never no for one with some. Everything ``_URL_TOKEN`` matches holds "@", "://", "www."
    in any case (which folds to "www.") or a dot and a top-level domain in any case.
    Substring tests and a regex that opens on a literal dot: one alternation over the
    whole text would cost as much as the scan it spares."""
    return "@" in text or "://" in text or "www." in folded or _FOLDED_DOMAIN_HINT.search(folded) is not None


def _in_url(start: int, end: int, text: str) -> bool:
    """Is the span part of a URL, an e-mail address, a domain name or an @handle?"""
    if start > 0 and text[start - 1] == "@":
        return True
    if (start == 0 or text[start - 1].isspace()) and (end == len(text) or text[end].isspace() or text[end] in _WORD_END):
        return False  # a plain word between spaces (the common case)
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    return bool(_URL_TOKEN.search(text[left:right]))


def _capitals_allowed(cand: _Candidate, text: str, sentences: list[tuple[int, int]]) -> bool:
    """A name in capitals: a dateline ("TOMBOUCTOU -"), a headline in capitals, or a long
    name; not a short acronym ("IPO", "LAN") nor a word ("SAY") in running text."""
    if cand.weak >= 2:
        return False
    if _shouting(text, sentences, cand.start) or _sentence_initial(cand.start, text, sentences):
        return True
    return cand.weak == 0 and sum(c.isalpha() for c in cand.surface) > 4


def _is_acronym(surface: str) -> bool:
    return len(surface) > 1 and surface.isupper()


def _shouting(text: str, sentences: list[tuple[int, int]], pos: int) -> bool:
    """Is the sentence at ``pos`` written in capitals (a headline in caps)?"""
    start, end = sentences[sentence_at(sentences, pos)] if sentences else (0, len(text))
    letters = [c for c in text[start:end] if c.isalpha()]
    return sum(c.isupper() for c in letters) >= 0.6 * len(letters)


def _title_case(text: str, sentences: list[tuple[int, int]], pos: int) -> bool:
    """A headline in Title Case capitalises words, so a capital proves nothing there."""
    start, end = sentences[sentence_at(sentences, pos)] if sentences else (0, len(text))
    words = [w for w in re.findall(r"[^\W\d_]{3,}", text[start:end])]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _sentence_initial(pos: int, text: str, sentences: list[tuple[int, int]]) -> bool:
    if not sentences:
        return True
    start = sentences[sentence_at(sentences, pos)][0]
    return not any(ch.isalnum() for ch in text[start:pos])


_PLACE_PREPOSITIONS = frozenset({"a", "in", "at", "near", "de", "from", "vers", "pres"})


def _after_place_preposition(text: str, pos: int) -> bool:
    """ "à Pô", "in Po", "de Pô", "near Po": a preposition of place right before ``pos``."""
    _, word = _word_before(text, pos)
    return bool(word) and name_key(word) in _PLACE_PREPOSITIONS


def _word_before(text: str, pos: int) -> tuple[int, str]:
    i = pos
    while i > 0 and text[i - 1] in " \u00a0\u202f\t":
        i -= 1
    if i == pos and pos > 0:  # no space: glued by punctuation, not a neighbouring word
        return pos, ""
    end = i
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "'’-"):
        i -= 1
    return i, text[i:end]


def _word_after(text: str, pos: int) -> tuple[int, str]:
    i = pos
    while i < len(text) and text[i] in " \u00a0\u202f\t":
        i += 1
    if i == pos:
        return pos, ""
    start = i
    while i < len(text) and (text[i].isalnum() or text[i] in "'’-"):
        i += 1
    return start, text[start:i]


_GIVEN_NAMES_REACH = 2  # "General Oumarou Sadou", "Colonel Abdoul Karim Sadou"
# "the family of X", "la famille de X": whose family, a person's name
_FAMILY_BEFORE = re.compile(r"\b(?:family|famille)\s+(?:of|de|d['’])\s*$", re.IGNORECASE)


def _a_persons_name(cand: _Candidate, text: str) -> bool:
    """ "General Oumarou Sadou", "le colonel Sadou", "the family of Sadou": a name after a
    title (and the person's given names) or a family's is the person's, whatever village
    bears it too."""
    if _FAMILY_BEFORE.search(text, max(0, cand.start - 16), cand.start):
        return True
    pos = cand.start
    for _ in range(_GIVEN_NAMES_REACH + 1):
        at, word = _word_before(text, pos)
        if not word:
            return False
        if name_key(word) in _TITLES:
            return True
        if not word[0].isupper():
            return False
        pos = at
    return False


def _glued_to_other_name(cand: _Candidate, text: str, strong: _Covering) -> bool:
    """"San Francisco", "Boubacar Keïta", "Président Keïta": part of another proper name."""
    before_at, before = _word_before(text, cand.start)
    if before and name_key(before) in _TITLES:
        return True
    after_at, after = _word_after(text, cand.end)
    for at, word in ((before_at, before), (after_at, after)):
        if not word or not word[0].isupper():
            continue
        key = name_key(word)
        if key in COMMON_WORDS or key in _PLACE_WORDS:
            continue
        if strong.covers(at, at + 1):
            continue  # a strong name next to it: a list of places, "Kidal Gao"
        return True
    return False


def _add_watchlist(builder: _Builder, watchlist: Watchlist) -> None:
    for actor in watchlist.actors:
        for term in actor.names:
            if not term.case_sensitive and fold_words(term.text).strip() in COMMON_WORDS:
                term = Term(term.text, term.ambiguous, True)  # "Serval"-like names that are words
            builder.add_term(term, "actor", actor.id)
    for event in watchlist.events:
        for term in event.terms:
            builder.add_term(term, "event", (event.event_type, event.sub_event_type), event.flags)
    for kind, groups in (("victim", watchlist.victims), ("casualty", watchlist.casualties)):
        for group in groups:
            for term in group.terms:
                builder.add_term(term, kind, group.name)
    kinds = (
        ("claim", watchlist.claims),
        ("context", watchlist.context),
        ("off_topic", watchlist.off_topic),
        ("cause", watchlist.non_violent_causes),
    )
    for kind, terms in kinds:
        for term in terms:
            builder.add_term(term, kind, kind)


def _distinct(ids: tuple[str, ...]) -> tuple[str, ...]:
    """``ids`` without repeats: the very tuple when it has none (the gazetteer's, kept once)."""
    unique = dict.fromkeys(ids)
    return ids if len(unique) == len(ids) else tuple(unique)


def _weak_names(watchlist: Watchlist) -> tuple[frozenset[str], frozenset[str]]:
    """Keys that need a proper-name spelling: (common-word-like, merely short or listed)."""
    vocabulary = {fold_words(v).strip() for v in watchlist.vocabulary()}
    common = COMMON_WORDS | vocabulary | {fold_words(n).strip() for n in watchlist.places.person_names}
    listed = {fold_words(n).strip() for n in watchlist.places.weak}
    return frozenset(common), frozenset(listed)


def _add_places(builder: _Builder, watchlist: Watchlist, gazetteer: Gazetteer) -> None:
    common, listed = _weak_names(watchlist)
    stop = {fold_words(s).strip() for s in watchlist.places.stop} | CALENDAR_WORDS
    by_key: dict[str, tuple[str, ...]] = {}
    for folded, ids in gazetteer.names():
        key = fold_words(folded).strip()
        if len(key.replace(" ", "")) < 2 or key in stop or not any(ch.isalpha() for ch in key):
            continue
        known = by_key.get(key)
        by_key[key] = ids if known is None else (*known, *ids)
    watched = set(watchlist.countries)
    for key, ids in by_key.items():
        if key in common or key in DIRECTIONS:
            ids = tuple(pid for pid in ids if keeps_word_name(gazetteer.places(pid), watched))
            if not ids:
                continue
        weak = 3 if len(key.replace(" ", "")) < 3 else 2 if key in common else 1 if (len(key) <= 3 or key in listed) else 0
        ids = _distinct(ids)
        builder.add_place(key, ids, weak)
        for lig, spelled in _LIGATURES:  # "Bœuf" is also written "Boeuf"
            if lig in key:
                builder.add_place(key.replace(lig, spelled), ids, weak)
