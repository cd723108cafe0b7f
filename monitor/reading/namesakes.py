"""Places abroad and their namesakes at home: a place hit's flags, and what the text says
to decide between a city abroad and a Sahel village of the same name.

``Namesakes.flags`` marks a place ``abroad`` (beyond the watched countries) or ``minor`` (a
village GeoNames knows little about); ``Namesakes.settle`` decides, sentence by sentence,
between namesakes (see there); ``placed_at`` tells a locating phrase before a name ("in",
"à", "dans le nord de"), in folded text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from monitor.reading.gazetteer import MAJOR_POPULATION, Gazetteer, Place, distance_km
from monitor.reading.hits import Hit
from monitor.reading.text import fold_words, name_key, sentence_at

__all__ = ["DIRECTIONS", "NEIGHBOUR_KM", "Namesakes", "is_minor", "keeps_word_name", "placed_at"]

NEIGHBOUR_KM = 75.0  # a namesake this near the other places of its sentence is the one meant
# a little-known village this far from every other place its sentence names is a namesake of
# something there, not the place meant ("maire-adjoint de Kareri" beside "cercle de Tenenkou":
# the Malian commune, not a Nigerien hamlet 1,900 km east); cross-border raids stay within it
STRAY_KM = 500.0


class Namesakes:
    """What decides between places of one name, at home and abroad, for one gazetteer."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        countries: frozenset[str],
        demonyms: Mapping[str, str],
        actor_countries: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self._countries = countries
        self._demonyms = dict(demonyms)  # folded adjective of nationality -> country
        self._actor_countries = dict(actor_countries or {})  # actor id -> the countries it fights in

    def flags(self, place: Place) -> frozenset[str]:
        """``abroad`` for a place beyond the watched countries, ``minor`` for a little-known village."""
        if place.country not in self._countries:
            return _ABROAD
        return _MINOR if is_minor(place) else frozenset()

    def has_abroad_candidate(self, hit: Hit) -> bool:
        countries = self._countries
        return len(hit.key) > 1 and any(self.gazetteer.places(pid).country not in countries for pid in hit.key[1:])

    def settle(
        self,
        places: list[Hit],
        placed_abroad: list[Hit],
        others: list[Hit],
        sentences: list[tuple[int, int]],
        folded: str,
    ) -> list[Hit]:
        """Namesakes at home and abroad, decided by what each sentence says.

        A name that is a place abroad and a Sahel village ("Kano") is the place abroad
        unless the text gives evidence for the village: its region or cercle named near it
        (the gazetteer's order already put it first), a place noun before it ("the village
        of Bouna": no city abroad), a curated entry (the team added "Macina" because the news
        names it), in its sentence another place of a watched country or a Sahel actor, or,
        when the namesake abroad is only a region or a town (not a country nor a city of
        100,000), the article's own setting: a place at home or a Sahel actor named anywhere
        ("Sangha" in an article about Bandiagara is the Dogon village, not the Congolese
        region). And a little-known village is no Sahel place in a sentence that places its
        story abroad ("à Kano, au Nigeria") and gives no such evidence: it is a namesake of
        something there.
        """
        evidence = {sentence_at(sentences, h.start) for h in others if h.kind == "actor"}
        evidence |= {
            sentence_at(sentences, h.start)
            for h in places
            if "abroad" not in h.flags and "minor" not in h.flags and not self.has_abroad_candidate(h)
        }
        abroad: dict[int, set[int]] = {}  # sentence -> starts of the places it places abroad
        for h in placed_abroad:
            abroad.setdefault(sentence_at(sentences, h.start), set()).add(h.start)
        # the article's setting: that evidence anywhere, or a village at home the gazetteer
        # knows a population for ("Bandiagara", a cercle's seat that GeoNames files as a village)
        setting = bool(evidence) or any(
            "minor" in h.flags and not self.has_abroad_candidate(h) and self.gazetteer.places(h.key[0]).population > 0
            for h in places
        )
        settled: list[Hit] = []
        for hit in places:
            sentence = sentence_at(sentences, hit.start)
            home = [pid for pid in hit.key if self.gazetteer.places(pid).country in self._countries]
            if "abroad" in hit.flags and home and (
                sentence in evidence
                or _village_noun_at(folded, hit.start)
                or self.gazetteer.places(home[0]).source
                or (
                    setting
                    and not abroad.get(sentence, set()) - {hit.start}
                    and _lesser_abroad(self.gazetteer.places(hit.key[0]))
                )
            ):
                hit = self._first(hit, home)
            elif "minor" in hit.flags and sentence in abroad and sentence not in evidence:
                continue
            settled.append(hit)
        # a place abroad the sentence does not place anything at ("an Orange kiosk in Polesgo",
        # "ISGS fired Grad rockets") is where the incident happened only when the sentence
        # names no place at home, no Sahel actor and no watched nation
        homes = {sentence_at(sentences, h.start) for h in settled if "abroad" not in h.flags}
        homes |= {sentence_at(sentences, h.start) for h in others if h.kind in ("actor", "context")}
        return [
            h._replace(kind="foreign")
            if "abroad" in h.flags and sentence_at(sentences, h.start) in homes and not placed_at(folded, h.start)
            else h
            for h in settled
        ]

    def of_the_nation_named(self, hit: Hit, folded: str) -> Hit | None:
        """ "la ville nigériane de Chibok", "the Nigerian town of Chibok": the place is the
        named nation's, first among namesakes, and no place at all when only a namesake at
        home bears the name; "la ville nigérienne de Diffa" puts the watched country first."""
        nation = _nation_before(folded, hit.start, self._demonyms)
        if nation is None or self.gazetteer.places(hit.key[0]).country == nation:
            return hit
        theirs = [pid for pid in hit.key if self.gazetteer.places(pid).country == nation]
        if not theirs:
            return None if nation not in self._countries else hit
        return self._first(hit, theirs)

    def nation_before(self, folded: str, start: int) -> str | None:
        """The country whose adjective and place noun lead to ``start`` ("the Nigerian town
        of"), if any."""
        return _nation_before(folded, start, self._demonyms)

    def nearest_to_their_neighbours(self, places: list[Hit], sentences: list[tuple[int, int]]) -> list[Hit]:
        """Among namesakes at home, the one near the other places its sentence names: "Doro
        (entre Gossi et Gao)", "entre Dogofry et Nampala" mean the Doro and the Dogofry of
        that area, not their namesakes hundreds of kilometres away. A neighbour counts when
        its name tells one place (a town, a village, a cercle, or a town and its cercle; not
        a country or a region, whose points say little); the nearest namesake wins when it lies within
        ``NEIGHBOUR_KM`` of one and the first choice lies much further, unless the sentence
        names the first choice's region or cercle ("Niena (région de Sikasso)")."""
        by_sentence: dict[int, list[Place]] = {}
        for h in places:
            place = self._one_place(h)
            if place is not None and place.feature_code not in ("PCLI", "ADM1"):
                by_sentence.setdefault(sentence_at(sentences, h.start), []).append(place)
        if not by_sentence:
            return places
        names: dict[int, set[str]] = {}  # the place names of each sentence, as admin context
        for h in places:
            names.setdefault(sentence_at(sentences, h.start), set()).add(name_key(h.surface))
        out = []
        for hit in places:
            sentence = sentence_at(sentences, hit.start)
            neighbours = by_sentence.get(sentence, [])
            first = self.gazetteer.places(hit.key[0])
            vouched = self.gazetteer.admin_matches(first, names[sentence])  # "Niena (région de Sikasso)"
            if len(hit.key) > 1 and neighbours and "abroad" not in hit.flags and not vouched:
                hit = self._nearest_first(hit, neighbours)
            if not vouched and self._strays(hit, neighbours):
                continue
            out.append(hit)
        return out

    def in_their_country(self, places: list[Hit], others: list[Hit], sentences: list[tuple[int, int]]) -> list[Hit]:
        """Among villages of one name in several watched countries, the one in the country the
        text is set in: "the village of Bouro, 40 km from Djibo, Soum province" is the Burkinabè
        Bouro, not the Malian one the watched countries' order puts first. The setting is the
        one watched country of the places whose name leaves no doubt (a town, a province, a
        country: not a village) and of the actors that fight in one country only, in the
        sentence, else in the whole text; a village vouched for by its region or cercle keeps it."""
        if not any("minor" in h.flags and len(h.key) > 1 for h in places):
            return places  # most texts: no village with namesakes
        settings: dict[int, set[str]] = {}  # sentence -> countries its sure mentions lie in
        for h in places:
            if not h.flags:  # at home and no mere village
                settings.setdefault(sentence_at(sentences, h.start), set()).add(self.gazetteer.places(h.key[0]).country)
        for h in others:
            countries = self._actor_countries.get(h.key, ()) if h.kind == "actor" and isinstance(h.key, str) else ()
            if len(countries) == 1:
                settings.setdefault(sentence_at(sentences, h.start), set()).add(countries[0])
        whole = set().union(*settings.values()) if settings else set()
        names = {name_key(h.surface) for h in places}
        out = []
        for hit in places:
            setting = settings.get(sentence_at(sentences, hit.start)) or whole
            if "minor" in hit.flags and len(hit.key) > 1 and len(setting) == 1:
                hit = self._of_country(hit, next(iter(setting)), names)
            out.append(hit)
        return out

    def _of_country(self, hit: Hit, country: str, names: set[str]) -> Hit:
        first = self.gazetteer.places(hit.key[0])
        if first.country == country or self.gazetteer.admin_matches(first, names):
            return hit
        theirs = [pid for pid in hit.key if self.gazetteer.places(pid).country == country]
        if not theirs:
            return hit
        return self._first(hit, theirs[:1])

    def _first(self, hit: Hit, chosen: list[str]) -> Hit:
        """The hit with the ``chosen`` candidates first, in their order, and the flags of the
        one now first."""
        key = (*chosen, *(pid for pid in hit.key if pid not in chosen))
        return hit._replace(key=key, flags=self.flags(self.gazetteer.places(key[0])))

    def _one_place(self, hit: Hit) -> Place | None:
        """The place a hit names when its name tells one place: a single place at home, or
        places within ``NEIGHBOUR_KM`` of each other ("Tenenkou": the town and its cercle)."""
        if "abroad" in hit.flags:
            return None
        first = self.gazetteer.places(hit.key[0])
        if all(distance_km(first, self.gazetteer.places(pid)) <= NEIGHBOUR_KM for pid in hit.key[1:]):
            return first
        return None

    def _strays(self, hit: Hit, neighbours: list[Place]) -> bool:
        """A little-known village, and all its namesakes, far from every better-known place its
        sentence names (``STRAY_KM``): a town, a cercle, a commune; not another village, which
        may be the stray one."""
        if "minor" not in hit.flags:
            return False
        candidates = [self.gazetteer.places(pid) for pid in hit.key]
        others = [n for n in neighbours if n.id not in hit.key and not is_minor(n)]
        return bool(others) and all(
            is_minor(c) and min(distance_km(c, n) for n in others) > STRAY_KM for c in candidates
        )

    def _nearest_first(self, hit: Hit, neighbours: list[Place]) -> Hit:
        def reach(pid: str) -> float:
            place = self.gazetteer.places(pid)
            return min(distance_km(place, n) for n in neighbours if n.id != place.id) if place.country in self._countries else 1e9

        others = [n for n in neighbours if n.id not in hit.key]
        if not others:
            return hit
        neighbours = others
        nearest = min(hit.key, key=lambda pid: (reach(pid), hit.key.index(pid)))
        if nearest == hit.key[0] or reach(nearest) > NEIGHBOUR_KM or reach(hit.key[0]) < 2 * reach(nearest) + NEIGHBOUR_KM:
            return hit
        return self._first(hit, [nearest])

    def abroad_only(self, ids: tuple[str, ...]) -> bool:
        """Whether every place of these ids is beyond the watched countries."""
        return all(self.gazetteer.places(pid).country not in self._countries for pid in ids)


# what places a story at the place named next ("in southern Libya", "en Libye", "dans le sud de
# la Libye", "à Kano", "l'attaque russe contre l'Ukraine"; not "near the border with
# Mauritania"), read in folded text before a name
_PLACED_BEFORE = re.compile(
    r"\b(?:in|inside|at|en|au|aux|dans|a|near|pres\s+de|against|contre|on|into)\s+(?:the\s+|la\s+|le\s+|l')?"
    r"(?:(?:(?:north|south)(?:[- ]?(?:east|west))?|east|west)(?:ern)?\s+"
    r"|(?:nord|sud)(?:-(?:est|ouest))?\s+(?:de\s+la\s+|de\s+l'|du\s+|de\s+)?"
    r"|(?:est|ouest)\s+(?:de\s+la\s+|de\s+l'|du\s+|de\s+))?$"
)
_PLACED_REACH = 40
_MINOR = frozenset({"minor"})
_ABROAD = frozenset({"abroad"})


# "the village of X", "la localité de X": a village, not the city abroad of the same name
_VILLAGE_BEFORE = re.compile(
    r"\b(?:villages?|hamlets?|hameaux?|localit(?:y|ies|e|es)|areas?|zones?|secteurs?|vicinity|environs)"
    r"\s+(?:of|de|du|d')\s*$"
)


# "la ville nigériane de", "the Nigerian town of": a place noun and an adjective of nationality
_NATION_BEFORE = re.compile(
    r"\b(?:(?:villes?|villages?|localites?|regions?|provinces?|etats?|communes?|capitale)\s+(?P<fr>[\w'-]+)\s+(?:de\s+|d')"
    r"|(?P<en>[\w'-]+)\s+(?:towns?|city|cities|villages?|regions?|states?|provinces?|capital)\s+of\s+)$"
)


def _nation_before(folded: str, start: int, demonyms: Mapping[str, str]) -> str | None:
    m = _NATION_BEFORE.search(folded, max(0, start - _PLACED_REACH), start)
    return demonyms.get(m["fr"] or m["en"]) if m else None


_LESSER_POPULATION = 100_000


def _lesser_abroad(place: Place) -> bool:
    """A region or town abroad, which the article's setting may outweigh (not a country or city)."""
    town = place.feature_code.startswith("PPL") and place.population < _LESSER_POPULATION
    return town or place.feature_code == "ADM1"


def _village_noun_at(folded: str, start: int) -> bool:
    return _VILLAGE_BEFORE.search(folded, max(0, start - _PLACED_REACH), start) is not None


def placed_at(folded: str, start: int) -> bool:
    """Whether a locating phrase ends right before ``start`` (offsets of the folded text)."""
    return _PLACED_BEFORE.search(folded, max(0, start - _PLACED_REACH), start) is not None


_MINOR_FEATURES = frozenset({"PPL", "PPLX", "PPLL", "PPLS", "PPLF", "PPLR", "PPLA4"})


def is_minor(place: Place) -> bool:
    """A village or hamlet GeoNames knows little about: its name alone proves little.

    Such names ("Titan", "Beta", "Adam") are everywhere in unrelated news; they count
    for relevance only when something else says the article is about the Sahel.
    """
    return place.feature_code in _MINOR_FEATURES and place.population < MAJOR_POPULATION and not place.source


# directions, in the words regions abroad are named by ("East", "North-West", "Centre-Sud")
DIRECTIONS = frozenset(
    fold_words(f"{a}{sep}{b}").strip()
    for a in ("north", "south", "east", "west", "central", "centre", "center", "nord", "sud", "est", "ouest", "northern",
              "southern", "eastern", "western", "")
    for b in ("", "east", "west", "est", "ouest", "central", "centre", "center", "nord", "sud")
    for sep in (" ", "-")
)  # fmt: skip


def keeps_word_name(place: Place, watched: set[str]) -> bool:
    """A place named like a word keeps the name only at home or as a country: a region or town
    abroad so named ("Orange", "Central", "Lacs") costs more false places than it saves."""
    return place.country in watched or place.feature_code == "PCLI"
