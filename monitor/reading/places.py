"""The incident's own place in a sentence: which of the places it names is where something
happened (its anchors), and which are only context.

A place is context when it qualifies another ("Tangouchmane (Ayorou, Tillaberi)"), names a
border, a region or province, where forces are stationed, whose office it is ("the mayor
of Djibo", beside another specific place), where a movement went or came from ("toward
Dori", "coming from Kaya"), a distance reference ("30 km from Djibo"), the far end of a
road or pair ("between San and Kimbala"), a town's quarter named with the town, or the
known place that locates one the gazetteer lacks ("the hamlet of X, near Djibo"). Places
the gazetteer lacks count when the text says they are places ("the village of X"); a known
name the text continues into a longer one ("Koulo Koura") is not the known place. See the
module doc of ``monitor.reading.reports``, step 2.
"""

from __future__ import annotations

import re
from itertools import pairwise

from monitor.reading.gazetteer import Gazetteer, Place
from monitor.reading.match import CALENDAR_WORDS, Hit, Scan
from monitor.reading.sentences import (
    ADMIN,
    ADMIN_CODES,
    COUNTRY,
    COUNTRY_CODES,
    SPECIFIC,
    Anchor,
    span_gap,
)
from monitor.reading.text import contains_any, name_key

_BORDER_AFTER = re.compile(r"(?:'s)?\s*(?:border|borders|frontier|boundary)\b")
_BORDER_BEFORE = re.compile(
    r"(?:border\s+with|frontiere\s+(?:avec|entre)|frontiere|frontieres|frontaliere\s+(?:du|de|avec))"
    r"\s+(?:the\s+|le\s+|la\s+|l'|du\s+|de\s+la\s+|des\s+|de\s+)?$"
)
_ADMIN_AFTER = re.compile(
    r"\s*(?:region|regions|province|provinces|cercle|cercles|department|departement|district|prefecture)\b"
)
_ADMIN_BEFORE = re.compile(
    r"(?:region|province|cercle|department|departement|prefecture|district)\s+(?:of\s+|de\s+|du\s+|d')?$"
)
_STATIONED_BEFORE = re.compile(
    r"(?:stationed|based|deployed|posted|garrisoned|headquartered|stationnes?|deployes?|cantonnes?)\s+"
    r"(?:at|in|à|a|au|en|near|dans)\s+(?:the\s+|le\s+|la\s+|l')?$"
)
_DISTANCE_BEFORE = re.compile(
    r"(?:\d[\d,.]*\s*(?:km|kilometres?|kilometers?|miles?)\s+(?:\w+\s+){0,2}?(?:of|from|de|du|d')\s+(?:the\s+)?"
    # a direction alone is a reference too: "au nord de Ouagadougou", "north-east of Djibo"
    r"|\b(?:au|a\s+l'|à\s+l')\s*(?:nord|sud|est|ouest)(?:-(?:est|ouest))?\s+(?:de\s+|du\s+|d')"
    r"|\b(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+)?)"
    r"(?:(?:town|city|village|locality|ville|localite|commune)\s+(?:of\s+|de\s+|d')?)?$"
)
# "the mayor of Markoye", "workers of the regional directorate of hydraulics of Tahoua", "le
# préfet de Djibo": whose office or institution, a context beside the place named as where
_OFFICE_NOUNS = (
    r"mayor|prefect|governor|priest|imam|emir|sultan|bishop|diocese|directorate|directory|direction|director"
    r"|headquarters|maire|prefet|gouverneur|cure|eveque|diocese|directeur|siege"
)
_OFFICE_BEFORE = re.compile(
    rf"\b(?:{_OFFICE_NOUNS})(?:[- ]adjoint)?"
    r"(?:\s+(?:regional|regionale|provincial|provinciale|departmental|departementale|general|generale"
    r"|(?:of|de|du|des)\s+(?:l')?[a-z]+))*\s+(?:of|de|du|d')\s*(?:the\s+)?$"
)
# Substrings every _OFFICE_BEFORE match holds (prechecks with `in`).
_OFFICE_CUES = (
    "mayor", "prefe", "governor", "priest", "imam", "emir", "sultan", "bishop", "dioce", "direct", "headquarters",
    "maire", "gouverneur", "cure", "eveque", "siege",
)  # fmt: skip
# "withdrew toward In-Ates", "travelling from Agadez toward Iferouane", "ont fui en direction de
# Ménaka": where a movement went, not where it happened (unless the sentence names no other)
_TOWARD_BEFORE = re.compile(
    r"\b(?:towards?\s+|en\s+direction\s+(?:de\s+|du\s+|d')"
    # and where it came from: "villagers coming from Nedogo destroyed a school in Moaga"
    r"|(?:coming|came|arriving|arrived|venus?|venant|en\s+provenance)\s+(?:from\s+|de\s+|du\s+|d'))"
    r"(?:the\s+|la\s+|l')?$"
)
_TOWARD_CUES = ("toward", "direction", "com", "came", "arriv", "ven", "provenance")
# "Bamako (AFP) -", "NIAMEY, 3 juin (Reuters) -", "APA-Bamako (Mali)": where a wire filed the
# story, not where it happened (the sentence's other places say that)
_DATELINE_AFTER = re.compile(
    r"(?:\s*,\s*[^,()\n]{1,30})?\s*\((?:AFP|Reuters|AP|APA|Xinhua|AA|Anadolu|MAP|PANA|ANP|AIB|ATP)\)\s*[-–—:]"
)
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:APA-)?$")
_APA_AFTER = re.compile(r"\s*\([^()\n]{2,30}\)")
# Substrings each match of the three regexes above must hold (prechecks with `in`).
_BORDER_CUES = ("border", "front")
_ADMIN_CUES = ("region", "province", "cercle", "depart", "prefecture", "district")
_STATIONED_CUES = ("station", "based", "deploye", "posted", "garrisoned", "headquartered", "cantonne")


_PAIR_WORDS = re.compile(r"\s*(?:and|et|to|a|à|-)\s*$")
# (a place noun may stand between: "between the village of Wobsinga and Seytenga")
_BETWEEN_BEFORE = re.compile(
    r"(?:between|entre|from|de|axis|axe|road|route)\s+(?:the\s+|l'|les\s+)?"
    r"(?:(?:villages?|towns?|localit(?:y|ies|es?)|communes?|hamlets?|hameaux?)\s+(?:of\s+|de\s+|d')?)?$"
)
_BETWEEN_REACH = 40


def find_anchors(
    scan: Scan,
    sentence: tuple[int, int],
    hits: list[Hit],
    gazetteer: Gazetteer,
    low: str,
    incident: bool = False,
) -> list[Anchor]:
    """The places of one sentence, with whether each is named as context."""
    places = _longest([h for h in hits if h.kind == "place"])  # the matcher drops names inside actors
    # a country or region is never the start of a village's name: "au Burkina 18 morts..." runs
    # two headlines together
    named = [h for h in places if gazetteer.places(h.key[0]).feature_code not in COUNTRY_CODES | ADMIN_CODES]
    longer = _longer_names(scan.text, low, sentence, named, hits)
    if longer:  # "Koulo Koura" is not the Koulo the gazetteer knows
        places = [h for h in places if h.start not in longer]
        hits = [h for h in hits if not (h.kind == "place" and h.start in longer)]
    out: list[Anchor] = []
    for i, hit in enumerate(places):
        place = gazetteer.places(hit.key[0])
        level = (
            SPECIFIC  # a country abroad is as specific as it gets: what is told near it happened there
            if "abroad" in hit.flags
            else COUNTRY
            if place.feature_code in COUNTRY_CODES
            else ADMIN
            if place.feature_code in ADMIN_CODES
            else SPECIFIC
        )
        before = low[max(sentence[0], hit.start - 60) : hit.start]
        after = low[hit.end : min(sentence[1], hit.end + 24)]
        # The "before" regexes are searched (not matched) over 60 characters: a word each of
        # them must hold, looked for with `in`, spares most places all three searches.
        if level == SPECIFIC and (
            _ADMIN_AFTER.match(after) or (contains_any(before, _ADMIN_CUES) and _ADMIN_BEFORE.search(before))
        ):
            level = ADMIN  # "in the Mopti region", "the commune of Mondoro" stays specific
        context = (
            "dateline"
            if _dateline(scan.text, hit, sentence[0])
            else "border"
            if _BORDER_AFTER.match(after) or (contains_any(before, _BORDER_CUES) and _BORDER_BEFORE.search(before))
            else "stationed"
            if contains_any(before, _STATIONED_CUES) and _STATIONED_BEFORE.search(before)
            else "office"
            if contains_any(before, _OFFICE_CUES) and _OFFICE_BEFORE.search(before)
            else "toward"
            if contains_any(before, _TOWARD_CUES) and _TOWARD_BEFORE.search(before)
            else "qualifier"
            if _qualifies_previous(scan.text, places, i)
            else "pair"
            if _second_of_pair(low, places, i, sentence[0])
            else ""
        )
        out.append(Anchor(hit, place, level, context))
    unknown = _unknown_places(scan.text, sentence, hits, out, incident, longer)
    if unknown:
        out = sorted(out + unknown, key=lambda a: a.hit.start)
    if len(out) > 1:
        _mark_locators(out, scan.text, low, sentence[0])
    _keep_offices_alone(out)
    # quarters first: "Tanghin, un quartier au nord de Ouagadougou" is in the town, which the
    # direction would otherwise make a mere reference
    if len(out) > 1 and _QUARTER_WORD.search(low, sentence[0], sentence[1]):  # rare: skip the pairs' regexes
        _mark_quarters(out, low)
    _mark_distance_references(out, low)
    return out


def _keep_offices_alone(anchors: list[Anchor]) -> None:
    """An office's place is context only beside another specific place named as where: "the
    mayor of Ouagadougou was injured when soldiers ransacked his home" happened there."""
    if any(a.context == "office" for a in anchors) and not any(a.level == SPECIFIC and not a.context for a in anchors):
        for anchor in anchors:
            if anchor.context == "office":
                anchor.context = ""


def _dateline(text: str, hit: Hit, floor: int) -> bool:
    """Is the place a wire's dateline, opening its line ("Bamako (AFP) -", "APA-Bamako (Mali)")?"""
    if not _DATELINE_BEFORE.search(text, max(0, floor - 1, hit.start - 8), hit.start):
        return False
    if text[max(0, hit.start - 4) : hit.start] == "APA-":
        return _APA_AFTER.match(text, hit.end) is not None
    return _DATELINE_AFTER.match(text, hit.end) is not None


# "the Salla quarter of Titao", "Sikasso-Sira neighborhood of Bobo", "le quartier Tanghin de
# Ouagadougou", "Rimkieta, a neighborhood on the north side of Ouagadougou": what lies between
# a town's quarter and the town (the quarter's name may run on past the part the gazetteer
# matched, "Garin Dole quarter")
_QUARTER_NOUNS = r"(?:neighbou?rhoods?|quarters?|district|sector|suburbs?|quartiers?|secteur|faubourg)"
_QUARTER_GAP = re.compile(
    rf"[\w'’ -]{{0,30}}?\s{_QUARTER_NOUNS}\s+(?:of|in)\s+(?:the\s+(?:city|town)\s+of\s+)?"
    rf"|,\s+(?:an?|un|une|le|the)\s+{_QUARTER_NOUNS}\b[^,.;()]{{0,40}}?\s(?:of|in|de|d'|du|à|a)\s*"
)
_QUARTER_WORD = re.compile(r"quart|neighbo|district|sector|secteur|suburb|faubourg")
_QUARTER_BEFORE = re.compile(r"\b(?:quartiers?|secteur|sector)\s+(?:de\s+|d')?$")
_QUARTER_OF = re.compile(r"[\w'’ -]{0,30}?\s(?:de|d'|du|of|in|à|a)\s*(?:la\s+ville\s+de\s+)?")


def _mark_quarters(anchors: list[Anchor], low: str) -> None:
    """A town's quarter, named with its town, is in the town: the gazetteer rarely knows
    the quarter, and when it matches the name it is mostly a namesake village elsewhere."""
    for i, town in enumerate(anchors):
        if town.level != SPECIFIC or town.context:
            continue
        for quarter in reversed(anchors[:i]):  # "Sikasso-Sira neighborhood": both names are the quarter's
            if quarter.hit.end > town.hit.start or not _names_quarter(quarter, town, low):
                break
            quarter.context = "quarter"


def _names_quarter(quarter: Anchor, town: Anchor, low: str) -> bool:
    return bool(
        _QUARTER_GAP.fullmatch(low, quarter.hit.end, town.hit.start)
        or (
            _QUARTER_BEFORE.search(low, max(0, quarter.hit.start - 16), quarter.hit.start)
            and _QUARTER_OF.fullmatch(low, quarter.hit.end, town.hit.start)
        )
    )


# --- places the gazetteer lacks -------------------------------------------------------------

# "the village of Daogo", "in the area of Kadro", "la localité de Tagou": a capitalised name
# after a place noun; "Dimasso (Bourasso, Kossi)": a capitalised name qualified by known places.
_NAME = r"[A-ZÀ-Ý][\w'’-]+(?:[ -][A-ZÀ-Ý][\w'’-]+){0,2}"
# the words that place what follows them: place nouns and locating prepositions
_PLACE_NOUNS = r"villages?|towns?|localit(?:y|ies)|area|commune|hamlet|localit[ée]s?|hameau|secteur|quartier"
_LOCATING = r"in|near|at|outside|around|dans|à|pr[eè]s\s+de|non\s+loin\s+de|vers"
# the places a village is known by: "the market of X", "the mining site of X", "la mare de X"
_SITE_NOUNS = r"market|march[ée]|mining\s+site|gold\s+mine|mine|site\s+minier|site\s+d['’]orpaillage|forest|for[êe]t|pond|mare"
_PLACE_NOUN_NAME = re.compile(rf"\b(?:{_PLACE_NOUNS}|{_SITE_NOUNS})\s+(?:of|de|du|d['’])\s*(?P<name>{_NAME})")
# Substrings every _PLACE_NOUN_NAME match holds (case-sensitive, like the regex).
_PLACE_NOUN_CUES = (
    "village", "town", "localit", "area", "commune", "hamlet", "hameau", "secteur", "quartier",
    "market", "march", "site", "mine", "forest", "for", "pond", "mare",
)  # fmt: skip
_QUALIFIED_NAME = re.compile(rf"(?P<name>{_NAME})\s*\(")
# "attacked the market in Zandogou", "près de Wobsinga": a capitalised name after a locating
# preposition, read only in a sentence that reports an incident (see _unknown_places)
_LOCATED_NAME = re.compile(rf"(?<![\w'’-])(?:{_LOCATING})\s+(?P<name>{_NAME})")
# what leads to a place named as where something happened: "in", "the village of", "près d'",
# "dans la commune de", "between Po and" (not "according to Sasse", "Sen. Ben Sasse")
_LOCATIVE_BEFORE = re.compile(
    # "en route pour Nampala", "on the road to Djibo", "aux alentours de Gao": on the way, around
    r"(?:\b(?:en\s+route\s+(?:pour|vers)|en\s+direction\s+d[eu']?|on\s+(?:the|its|their)\s+(?:road|way)\s+to"
    r"|heading\s+(?:to|for)|aux\s+alentours\s+d[eu']?|[àa]\s+proximit[ée]\s+d[eu']?|in\s+the\s+vicinity\s+of)\s*$)|"
    rf"(?:\b(?:{_LOCATING}|of|between|a|au|aux|de|du|entre|sur)\s+"
    rf"(?:(?:the|la|le|les|l['’]|areas|rural|city|ville|{_PLACE_NOUNS})\s*){{0,2}}"
    r"|\bd['’]\s*"
    r"|\b(?:between|entre)\s+[\w'’-]+(?:\s+[\w'’-]+)?\s+(?:and|et)\s+)$",
    re.IGNORECASE,
)
_LOCATIVE_REACH = 32


# the id of a place the gazetteer lacks, read from the text ("the village of X"):
# "u:" + the id of the known place that locates it (or nothing) + ":" + its name's key
_UNKNOWN = "u:"


def is_unknown_place(place_id: str | None) -> bool:
    """Whether a place id is one the text gave and the gazetteer lacks."""
    return place_id is not None and place_id.startswith(_UNKNOWN)


def named_as_a_place(text: str, start: int) -> bool:
    """Whether a locative phrase leads to the name at ``start``."""
    return _LOCATIVE_BEFORE.search(text, max(0, start - _LOCATIVE_REACH), start) is not None
LOCATED_CUE = re.compile(r"(?<![\w'’-])(?:in|near|at|outside|around|dans|à|de|vers)\s+[A-ZÀ-Ý]")
# a place noun: the sentence may name a place the gazetteer lacks ("the village of Daogo")
UNKNOWN_CUES = re.compile(
    r"\b(?:village|town|localit|area\s|commune|hamlet|hameau|secteur|quartier|market|marche|site|mine|forest|foret|pond|mare)"
)
_NOT_NAMES = CALENDAR_WORDS | frozenset(
    name_key(w)
    for w in "the a an and or of in on at near le la les de du des et en au aux north south east west nord sud est ouest "  # noqa: SIM905
    "northern southern eastern western central "
    # continents and languages ("preaching in Arabic"); countries are places the gazetteer knows
    "africa europe arabic french english afrique "
    # media, clubs and institutions: "à BBC Mundo", "à Real Madrid", "près de Radio Kledu"
    "bbc rfi afp reuters radio tv television télévision studio agence journal presse press media médias "
    "ortm mundo sport sports club fc real united athletic atletico olympique stade stadium association "
    "ong ngo universite université university ecole école school ministere ministère ministry".split()
)
# "a déclaré à BBC Mundo", "told Reuters", "a expliqué à Toro Hardy": who heard it, not where
_SAID_TO_BEFORE = re.compile(
    r"\b(?:d[ée]clar[ée]|expliqu[ée]|confi[ée]|indiqu[ée]|dit|pr[ée]cis[ée]|affirm[ée]|rapport[ée]|annonc[ée]|"
    r"soulign[ée]|assur[ée]|racont[ée]|told|said\s+to|explained\s+to)\s+(?:[àa]\s+)?$",
    re.IGNORECASE,
)


def _person_follows(text: str, end: int, stop: int) -> bool:
    """ "à BBC Mundo José Gregorio": a first name after it makes the name a newsroom's or a
    person's, never a village's."""
    m = _NEXT_WORD.match(text, end, stop)
    return m is not None and name_key(m.group(1)) in _FIRST_NAMES


# "l'économiste vénézuélien Toro Hardy", "le président Bazoum": a person's title before the name
_TITLE_BEFORE = re.compile(
    r"\b(?:[ée]conomiste|analyste|analyst|journaliste|journalist|chercheur|researcher|expert|professeur|professor"
    r"|pr[ée]sident|president|ministre|minister|g[ée]n[ée]ral|general|colonel|capitaine|captain|imam|chef|chief"
    r"|porte-parole|spokesman|spokesperson|d[ée]put[ée]|maire|mayor|avocat|lawyer|juge|judge|sieur|monsieur|mr|mrs|dr)"
    r"\s+(?:[a-zà-ÿ][\w'’-]*\s+)?$",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"\s+([A-ZÀ-Ý][\w'’-]+)")
_FIRST_NAMES = frozenset(
    name_key(w)
    for w in "José Jose Juan Maria María Carlos Luis Jean Pierre Paul Marie Michel Ahmed Mohamed Mohammed "  # noqa: SIM905
    "John James David Peter Michael".split()
)


def _unknown_places(
    text: str,
    sentence: tuple[int, int],
    hits: list[Hit],
    known: list[Anchor],
    incident: bool = False,
    longer: dict[int, int] | None = None,
) -> list[Anchor]:
    """Places the gazetteer lacks, where the text says they are places: the name after a
    place noun ("the village of Daogo") or before a parenthesis that names known places
    ("Dimasso (Bourasso, Kossi)"); and, in a sentence that reports an incident but names
    no known village or town, the name after a locating preposition ("killed a trader in
    Zandogou": a known place already says where, and skipping it keeps read() fast).
    Placed, approximately, at the first known place of the parenthesis, else at the known
    place the sentence names nearest to it (not a country); else without coordinates.
    A name any hit covers (a known place, an actor, a watch word) is not unknown."""
    start, end = sentence
    found: list[tuple[int, int, str]] = []
    chunk = text[start:end]
    if "(" in chunk:
        for m in _QUALIFIED_NAME.finditer(text, start, end):
            inside = [a for a in known if m.end() <= a.hit.start < _closing(text, m.end(), end)]
            if inside and not _ARTICLE_BEFORE.search(text, max(start, m.start() - 6), m.start()):
                found.append((m.start("name"), m.end("name"), inside[0].place.id))
    if contains_any(chunk, _PLACE_NOUN_CUES):  # most sentences name no place noun: skip the regex
        for m in _PLACE_NOUN_NAME.finditer(text, start, end):
            found.append((m.start("name"), m.end("name"), ""))
    if incident and not any(k.level == SPECIFIC for k in known):
        for m in _LOCATED_NAME.finditer(text, start, end):
            found.append((m.start("name"), m.end("name"), ""))
    if longer:
        found += [(a, b, "") for a, b in longer.items()]
    if not found:
        return []
    out: list[Anchor] = []
    seen: set[int] = set()
    for a, b, qualifier in sorted(found, key=lambda f: (f[0], f[2] == "", -f[1])):  # the longest name at a place
        name = text[a:b].rstrip("'’-")
        b = a + len(name)
        words = name_key(name).split()
        if a in seen or not words or len(name) < 3 or any(w in _NOT_NAMES for w in words) or name.isupper():
            continue
        if any(h.start < b and a < h.end for h in hits):
            continue  # a known place, an actor, a watch word
        if (
            _SAID_TO_BEFORE.search(text, max(start, a - 24), a)
            or _TITLE_BEFORE.search(text, max(start, a - 40), a)
            or _person_follows(text, b, end)
        ):
            continue
        seen.add(a)
        locator = next((k for k in known if k.place.id == qualifier), None) or _nearest_known(known, a, b)
        at = locator.place if locator else None
        place = Place(
            id=f"{_UNKNOWN}{at.id if at else ''}:{name_key(name)}",
            name=name,
            feature_code="PPL",
            country=at.country if at else "",
            admin1=(at.admin1 or (at.name if at.feature_code == "ADM1" else "")) if at else "",
            admin2=(at.admin2 or (at.name if at.feature_code in ("ADM2", "ADM3") else "")) if at else "",
            lat=at.lat if at else None,  # type: ignore[arg-type]
            lon=at.lon if at else None,  # type: ignore[arg-type]
            population=0,
            names=(name,),
            approximate=True,
            source=f"not in the gazetteer; placed at {at.name}" if at else "not in the gazetteer",
        )
        out.append(Anchor(Hit(a, b, "place", (place.id,), name), place, SPECIFIC))
    return out


_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the|le|la|les|un|une)\s+$", re.IGNORECASE)

# "Koulo Koura", "Bidi 2", "Kabonga II": a known name that goes on with another capitalised
# word or a number names another place, unless that word is a kind of place or building
# ("Djibo Airport", "Kaya Prefecture").
_NAME_TAIL = re.compile(r"[ -](?:[A-ZÀ-Ý][a-zà-ÿ'’]+|\d{1,2}|I{1,3}|IV)(?![\w'’-])")
_NOT_TAILS = _NOT_NAMES | frozenset(
    "region regions province department departement commune district cercle prefecture prefect river lake forest "
    "park reserve camp airport university hospital market road roads highway axis route bridge dam mine mines site "
    "station street avenue stadium square gate area village town city mosque prison school college high court "
    "police gendarmerie army military base barracks garrison post council hall mayor governor municipality "
    "international central centre center neighbourhood neighborhood district quarter quartier ville marche gare "
    "universite hopital aeroport barrage ecole lycee mosquee prison caserne brigade commissariat refugee refugees "
    "county provincial regional national municipal defence defense mayor major labour labor gold mining company "
    "workers union polytechnic".split()
)


_INSTITUTION_AFTER = re.compile(r" [A-ZÀ-Ý]")


_COUNT_AFTER = re.compile(r"\s+\d[\d  .,]*\s+(?P<word>[a-zà-ÿ][\w'’]*)")
# what may follow a numbered name ("à Kaya 2 dimanche", "Niamey 2 et Niamey 3")
_AFTER_NUMBERED = CALENDAR_WORDS | frozenset(
    name_key(w) for w in "on in at a à de du des le la les et and ou or hier yesterday ce cette this last".split()  # noqa: SIM905
)


def _counts_what_follows(text: str, end: int) -> bool:
    m = _COUNT_AFTER.match(text, end)
    return m is not None and name_key(m["word"]) not in _AFTER_NUMBERED


def _longer_names(
    text: str, low: str, sentence: tuple[int, int], places: list[Hit], hits: list[Hit]
) -> dict[int, int]:
    """Start -> end of each known name that the text continues into a longer proper name
    (``low``: the folded text, as the other pair checks read it)."""
    out: dict[int, int] = {}
    for hit in places:
        nxt = text[hit.end + 1 : hit.end + 2]
        if not (nxt.isupper() or nxt.isdigit()):
            continue  # most names go on with a comma or a small word: no regex for them
        if nxt.isdigit() and _counts_what_follows(text, hit.end):
            continue  # "à Gao 3 morts": a count of what follows, not "Gao 3"
        m = _NAME_TAIL.match(text, hit.end, sentence[1])
        if m is None or name_key(m.group()) in _NOT_TAILS or _INSTITUTION_AFTER.match(text, m.end(), sentence[1]):
            continue  # "the Gaoua Provincial High School" names a school, not a village
        lead = max(sentence[0], hit.start - 16)
        if m.group()[0] == "-" and _BETWEEN_BEFORE.search(low, lead, hit.start):
            continue  # "the axis Tougan-Kiembara" joins two places
        if any(h.start < m.end() and hit.end < h.end and h is not hit for h in hits):
            continue  # the next word is itself a place, an actor or a watch word
        out[hit.start] = m.end()
    return out


_LOCATING_GAP = re.compile(
    r"\s*,?\s*(?:(?:\w+\s+)?(?:near|close\s+to|outside|in|at|of|pres\s+de|près\s+de|non\s+loin\s+de|à|a|dans)"
    r"|(?:in\s+)?the\s+(?:commune|area|department|municipality)\s+of|(?:commune|area|department)\s+of"
    r"|(?:dans\s+)?la\s+commune\s+de|(?:de\s+)?la\s+commune\s+d['’e]?)\s*(?:the\s+)?"
)


# "Dibilou, une localité située dans la commune de Pissila", "Daogo, a village in the commune of
# Barsalogho": a place named and then located in an apposition
_APPOSED_LOCATOR = re.compile(
    r"\s*,\s*(?:une?|an?|the|le|la)\s+(?:petite\s+|small\s+|rural\s+)?"
    r"(?:localit[ée]|village|town|hamlet|hameau|bourgade|commune(?:\s+rurale)?|locality)\s+"
    r"(?:(?:situ[ée]e?|located|situated|lying)\s+)?(?:dans|in|à|a|near|pr[eè]s\s+de|non\s+loin\s+de|de|of)\s+"
    r"(?:(?:la|le|the)\s+(?:commune|cercle|province|département|department|region|région)\s+(?:de\s+|du\s+|d'|of\s+)?)?"
)


def _mark_locators(anchors: list[Anchor], text: str, low: str, floor: int) -> None:
    """ "The hamlet of X, near Y", "Liamou in Barsalogho": after a place the gazetteer lacks, the
    next place, joined by a locating word, only says where it is (a context, not an incident);
    so does one located in an apposition after any place ("Dibilou, une localité située dans
    la commune de Pissila");
    "between X and Y" with X or Y unknown is one incident at X, as for known places (the
    places that qualify X in a parenthesis do not count: "between X (Yargatenga) and Bittou")."""
    for anchor, nxt in pairwise([a for a in anchors if a.context != "qualifier"]):
        if nxt.context or anchor.hit.end > nxt.hit.start:
            continue
        if anchor.level == SPECIFIC and _APPOSED_LOCATOR.fullmatch(low, anchor.hit.end, nxt.hit.start):
            nxt.context = "locator"
            continue
        unknown = is_unknown_place(anchor.place.id) or is_unknown_place(nxt.place.id)
        if not unknown:
            continue
        if is_unknown_place(anchor.place.id) and _LOCATING_GAP.fullmatch(text, anchor.hit.end, nxt.hit.start):
            nxt.context = "locator"
        elif _PAIR_WORDS.fullmatch(without_parentheses(low[anchor.hit.end : nxt.hit.start])) and _BETWEEN_BEFORE.search(
            low[max(floor, anchor.hit.start - _BETWEEN_REACH) : anchor.hit.start]
        ):
            nxt.context = "pair"


def without_parentheses(gap: str) -> str:
    return re.sub(r"\s*\([^()]*\)", "", gap) if "(" in gap else gap


def _nearest_known(known: list[Anchor], a: int, b: int) -> Anchor | None:
    """The known place named nearest a name the gazetteer lacks ("the hamlet of X, near
    Tambarga", "20 km from Djibo", "in the Tillia area"): the best position we have."""
    near = [k for k in known if k.level != COUNTRY]
    if not near:
        return None
    return min(near, key=lambda k: span_gap(k.hit.start, k.hit.end, a, b))


def _closing(text: str, opening: int, end: int) -> int:
    closing = text.find(")", opening, end)
    return end if closing < 0 else closing


def _longest(places: list[Hit]) -> list[Hit]:
    """Overlapping place names are one mention: "Burkina Faso", not also "Burkina"."""
    if len(places) < 2:
        return places  # most sentences name one place at most: nothing to sort or drop
    out: list[Hit] = []
    for hit in sorted(places, key=lambda h: (h.start, -h.end)):
        if out and hit.start < out[-1].end:
            continue
        out.append(hit)
    return out


def _qualifies_previous(text: str, places: list[Hit], i: int) -> bool:
    """A place inside the parenthesis right after a name qualifies it: "Tangouchmane (Ayorou, Tillaberi)"."""
    hit = places[i]
    opening = text.rfind("(", max(0, hit.start - 40), hit.start)
    if opening < 0 or ")" in text[opening : hit.start]:
        return False
    j = opening
    while j > 0 and text[j - 1] == " ":
        j -= 1
    return j > 0 and (text[j - 1] in ")]" or text[j - 1].isalpha() and _capitalised_word_before(text, j))


def _capitalised_word_before(text: str, end: int) -> bool:
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'’-"):
        start -= 1
    return text[start:end][:1].isupper()


def _second_of_pair(low: str, places: list[Hit], i: int, floor: int) -> bool:
    """The far end of "between A and B", "entre A et B", "the A-B road", "l'axe A-B"
    (a parenthesis after A does not count: "between Cinkanse (Koulpelogo) and Bittou")."""
    if i == 0:
        return False  # the first place of most sentences: no earlier one to pair with
    first = next((p for p in reversed(places[:i]) if not _inside_parenthesis(low, p.start)), None)
    if first is None:
        return False
    hit = places[i]
    gap = without_parentheses(low[first.end : hit.start])
    if gap in ("-", "–", "—", " - ", "/") and hit.start - first.end <= 3:
        return True
    if not _PAIR_WORDS.fullmatch(gap):
        return False
    return bool(_BETWEEN_BEFORE.search(low[max(floor, first.start - _BETWEEN_REACH) : first.start])) or _next_pair_of_list(
        low, places, places.index(first), floor
    )


_LIST_SEPARATOR = re.compile(r"\s*(?:\([^()]*\)\s*)?[,;]\s*(?:and\s+|et\s+)?$")


def _next_pair_of_list(low: str, places: list[Hit], j: int, floor: int) -> bool:
    """ "Between San and Kimbala (Ségou), Niéna and Komani (Sikasso), and Kolokani and
    Djédjéni": the "between" governs each pair of the list, so each second is a far end."""
    if j == 0:
        return False
    previous = next((k for k in range(j - 1, -1, -1) if not _inside_parenthesis(low, places[k].start)), None)
    if previous is None or not _LIST_SEPARATOR.fullmatch(low, places[previous].end, places[j].start):
        return False
    return _second_of_pair(low, places, previous, floor)


def _inside_parenthesis(low: str, pos: int) -> bool:
    opening = low.rfind("(", max(0, pos - 60), pos)
    return opening >= 0 and ")" not in low[opening:pos]


_NEAR_BEFORE = re.compile(
    r"\b(?:near|nearby|close\s+to|outside|around|in\s+the\s+vicinity\s+of|pres\s+d(?:e\s+|')|non\s+loin\s+d(?:e\s+|')"
    r"|(?:aux|dans\s+les)\s+environs\s+d(?:e\s+|')|a\s+proximite\s+d(?:e\s+|'))"
    r"(?:\s*(?:the\s+)?(?:town|city|village|la\s+ville|la\s+localite)\s+(?:of|de|d')\s*)?\s*$"
)


def mark_near(anchors: list[Anchor], low: str, floor: int) -> None:
    """ "Twelve killed near Bandiagara": a title that places the story near a town names a
    landmark; the body says where it happened (see ``reports_clusters.fold_title_landmarks``)."""
    for anchor in anchors:
        if not anchor.context and _NEAR_BEFORE.search(low, max(floor, anchor.hit.start - 40), anchor.hit.start):
            anchor.near = True


def _mark_distance_references(anchors: list[Anchor], low: str) -> None:
    """ "30 km from Djibo" only locates another place named in the sentence."""
    if len(anchors) < 2:
        return  # most sentences: one place, with no other to locate
    for anchor in anchors:
        before = low[max(0, anchor.hit.start - 50) : anchor.hit.start]
        # a commune is small enough to be located so: "la commune de Kareri, à 60 km de Ténenkou"
        others = [
            a for a in anchors
            if a is not anchor and not a.context and (a.level == SPECIFIC or a.place.feature_code == "ADM3")
        ]
        if others and _DISTANCE_BEFORE.search(before):
            anchor.context = "distance"


_FALLBACK_CONTEXTS = frozenset({"qualifier", "distance", "pair", "locator", "dateline", "office", "toward"})


def incident_anchors(anchors: list[Anchor]) -> list[Anchor]:
    """Where the sentence's incident happened: its most specific non-context places."""
    if not anchors:
        return []  # most sentences name no place
    candidates = [a for a in anchors if not a.context]
    if not candidates:  # "Firgoun, 12 km from Ayorou": the qualifier is the best we know
        candidates = [a for a in anchors if a.context in _FALLBACK_CONTEXTS][:1]
    if not candidates:
        return []
    best = min(a.level for a in candidates)
    chosen: dict[str, Anchor] = {}
    for anchor in candidates:
        if anchor.level == best:
            chosen.setdefault(anchor.place.id, anchor)
    return list(chosen.values())
