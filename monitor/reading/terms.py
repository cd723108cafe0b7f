"""The watch list: actors, event words, victim and casualty words, place rules.

``load_watchlist`` reads ``seeds/watchlist.yaml`` (format described at its top) and checks
it like a configuration: an unknown key or a bad value raises ``WatchlistError`` whose
message names the key path, e.g. ``actors[3].names: must be a non-empty list``.

Users extend the list from config.yaml with a mapping of the same schema, merged so:
``countries`` replaces; an actor whose ``id`` is known gets the extra names (and ``kind``
or ``countries`` when given), a new actor is added; events are added; victim and casualty
groups get the extra terms; ``claims``, ``context``, ``off_topic`` and ``non_violent_causes``
get the extra terms;
the ``places`` lists are unions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import product
from pathlib import Path
from typing import Any

import yaml

from monitor.reading.text import fold
from monitor.resources import seed_file

WATCHLIST_FILE = seed_file("watchlist.yaml")

__all__ = [
    "ACLED_EVENT_TYPES",
    "ACTOR_KINDS",
    "CASUALTY_KINDS",
    "COMMON_WORDS",
    "EVENT_FLAGS",
    "VICTIM_GROUPS",
    "WATCHLIST_FILE",
    "Actor",
    "EventClass",
    "PlaceRules",
    "Term",
    "TermGroup",
    "Watchlist",
    "WatchlistError",
    "expand_braces",
    "load_watchlist",
    "parse_watchlist",
]

ACTOR_KINDS = ("state", "rebel", "jihadist", "militia", "international")
VICTIM_GROUPS = ("military", "civilian", "assailants", "unspecified")
CASUALTY_KINDS = ("killed", "wounded", "missing", "abducted", "arrested")
EVENT_FLAGS = frozenset({"generic", "overrun", "hostages", "suicide", "vbied"})

# ACLED's event types and sub-event types (codebook 2023/2024).
ACLED_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

# Common French and English words. A gazetteer name equal to one of them ("Dire" for Diré,
# "Say", "Tin") counts as a place only when the text writes it like a proper name.
COMMON_WORDS = frozenset(
    fold(word)
    for word in """
    a à au aux avec ce ces cet cette dans de des du elle elles en entre et eux il ils je la le les leur
    leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa sans se
    ses si son sur ta te tes toi ton tu un une vos votre vous y ça ici là car donc or ni puis alors
    ainsi aussi après avant chez contre depuis derrière devant durant malgré parmi pendant près sous
    selon vers voici voilà dont quand comme lors tout tous toute toutes autre autres aucun aucune
    chaque plusieurs quelque quelques certains certaines tel telle tels telles
    être est sont était étaient été sera seront avoir ai as avons avez ont avait avaient eu aura
    faire fait font faisait dire dit dits disent aller va vont allait voir vu venir vient venu
    pouvoir peut peuvent pu vouloir veut devoir doit doivent prendre pris mettre mis savoir sait
    donner donné trouver trouvé passer passé rester reste partir parti tenir tient porter porté
    parler parlé demander sembler laisser suivre suite rendre mort morte morts vie vies bien mal
    bon bonne bons mauvais grand grande grands petit petite petits nouveau nouvelle nouveaux vieux
    jeune haut haute bas basse long longue plein pleine seul seule premier première dernier
    dernière deux trois quatre cinq six sept huit neuf dix cent mille million
    jour jours nuit matin soir heure heures an ans année années mois semaine temps fois moment
    homme hommes femme femmes enfant enfants gens personne personnes peuple pays ville villes
    village villages région cercle commune camp base poste route routes axe pont marché mine mines
    puits forêt fleuve lac mont terre eau feu sang bois pierre fer or argent prix mer sel vent
    sable dune roche roc port gare foire fête paix guerre loi droit force forces armée armes arme
    état etat nation chef chefs roi reine père mère fils fille frère soeur ami amis dieu
    nord sud est ouest centre bus car taxi moto vélo avion train
    lundi mardi mercredi jeudi vendredi samedi dimanche
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    the of and to in is was it for on are as with his they at be this from have or by one had not
    but what all were when we there can an your which their said if do will each about how up out
    them then she many some so these would other into has more her two like him see time could no
    make than first been its who now people my made over did down only way find use may water long
    little very after words called just where most know get through back much go good new write
    our me man too any day same right look think also around another came come work three word
    must because does part even place well such here take why help put different away again off
    went old number great tell men say small every found still between name should home big give
    air line set own under read last never us left end along while might next sound below saw
    something thought both few those always show large often together asked house don world going
    want school important until form food keep children feet land side without boy once animal
    life enough took sometimes four head above kind began almost live page got earth need far
    hand high year mother light country father let night picture being study second soon story
    since white ever paper hard near sentence better best across during today however sure knew
    it's try told young sun thing whole hear example heard several change answer room sea against
    top turned learn point city play toward five himself usually money seen didn't car morning
    i'm body upon family later turn move face door cut done group true leave color red friend pass
    red blue black gray green yellow brown rose tin iron gold silver salt sand rock fire wood stone
    mine camp base post road bridge market fort gate bay hill mount lake river well spring bank
    bus van taxi tank gun arms army war peace law king queen lord god dan ban bar bat bed bee bin
    bit bow box boy bud bug bun cab can cap cat cow cry cup dam den dew dig dim dip dog dot dry due
    dug ear eat egg elf elk elm eve eye fan far fat fax fed fee fen few fig fin fir fit fix fly fog
    for fox fry fun fur gap gas gel gem get gin got gum gut guy gym hat hay hen hid him hip his hit
    hog hop hot how hub hue hug hum hut ice ill ink inn ion ivy jab jam jar jaw jet job jog joy jug
    key kid kin kit lab lad lap law lay leg let lid lie lip lit log lot low mad map mat mob mop mud
    mug nap net nod nor not now nut oak oar oat odd off oil old one opt orb ore our out owl own pad
    pal pan pat paw pay pea peg pen pet pie pig pin pit pod pop pot pub pun pup put rag ram ran rat
    raw ray rib rid rim rip rob rod rot row rub rug rum run sad sag sat saw sea sew shy sin sip sir
    sit six ski sky sly sob sod son sow soy spa spy sub sum sun tab tag tan tap tar tax tea ten the
    tie tip toe ton top toy try tub tug two urn use van vat vet via vow wag war was wax way web wed
    wet who why wig win wit woe wok won yak yam yes yet you zip zoo
    monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december
    all any game games guide guides pure thing things tie ties dare tale tales tone tones die dies
    sale sales site sites table task tasks session logo wake thin onto dose saga beta pro pros
    title titan nano guard team teams data note notes plan plans case cases line lines list hope
    mind kind mine rule rules role base bases term terms type types film films book books song
    songs star stars sport club clubs press media video photo photos page pages post posts news
    report reports source sources story stories state states union unit units zone zones area
    areas field fields front fronts side sides stage step steps level levels rate rates price
    prices cost costs value values deal deals bill bills vote votes poll polls seat seats term
    power force forces party parties leader leaders chief head heads member members staff office
    offices center centre centres centers service services safe safety risk risks crisis threat
    threats fear fears help aid care food fuel oil gas grain water river rivers lake lakes hill
    hills valley plain plains desert forest forests island islands coast border borders north
    south east west central eastern western northern southern upper lower middle great little
    old new big small long short high low hot cold dry wet dark light open close closed free fair
    good bad best worst more most less least many much few several some such only just even
    still also very well back again ever never always often soon later early late today tonight
    made make makes making going gone get gets got give gave take took come came see saw seen
    know knew known think thought say says said tell told ask asked call called work worked
    jeu jeux tête fête site sites table tâche guide pur pure titre équipe donnée note plan cas
    ligne liste espoir genre règle rôle base terme type livre chanson étoile club presse média
    photo page nouvelles rapport source histoire état union unité zone aire champ front côté
    étape niveau taux coût valeur accord projet vote siège pouvoir parti membre bureau service
    sécurité risque crise menace peur aide soin nourriture carburant pétrole gaz grain rivière
    colline vallée plaine désert île côte frontière central centrale haute basse moyen moyenne
    sale sales dame dames sage sages mare mares lac mont monts col cols bourg tour tours ville
    allah dieu saint sainte sans son sont sous sur sud
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


# libyaml's parser when pyyaml has it: the watch list loads five times faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class WatchlistError(Exception):
    """The watch list cannot be used. The message names the key path and the problem."""


@dataclass(frozen=True)
class Term:
    """One spelling to look for. ``text`` is as written (braces already expanded)."""

    text: str
    ambiguous: bool = False  # counts only when the article is about the Sahel
    case_sensitive: bool = False  # the text must have the same capitals


@dataclass(frozen=True)
class Actor:
    id: str
    kind: str  # one of ACTOR_KINDS
    countries: tuple[str, ...]
    names: tuple[Term, ...]


@dataclass(frozen=True)
class EventClass:
    """Words for one ACLED event type and sub-type, with what they say about severity."""

    event_type: str
    sub_event_type: str
    terms: tuple[Term, ...]
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TermGroup:
    """Words for one victim group or one casualty kind."""

    name: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class PlaceRules:
    """Folded gazetteer names to skip (``stop``) or to take only as proper names."""

    stop: frozenset[str] = frozenset()
    weak: frozenset[str] = frozenset()
    person_names: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Watchlist:
    countries: tuple[str, ...]
    actors: tuple[Actor, ...]
    events: tuple[EventClass, ...]
    victims: tuple[TermGroup, ...]
    casualties: tuple[TermGroup, ...]
    claims: tuple[Term, ...] = ()
    context: tuple[Term, ...] = ()
    off_topic: tuple[Term, ...] = ()
    non_violent_causes: tuple[Term, ...] = ()
    places: PlaceRules = field(default_factory=PlaceRules)

    def actor(self, actor_id: str) -> Actor:
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(actor_id)

    def vocabulary(self) -> frozenset[str]:
        """Every folded word or phrase of the list except actor names (for place guards)."""
        return frozenset(fold(term.text) for term in self._vocabulary_terms())

    def _vocabulary_terms(self) -> Iterator[Term]:
        for event in self.events:
            yield from event.terms
        for group in (*self.victims, *self.casualties):
            yield from group.terms
        yield from self.claims
        yield from self.context
        yield from self.off_topic
        yield from self.non_violent_causes


# --- brace expansion ---------------------------------------------------------------

_BRACES = re.compile(r"\{([^{}]*)\}")


def expand_braces(text: str) -> list[str]:
    """``"attaqu{e|és}"`` -> ``["attaque", "attaqués"]``; several groups multiply."""
    if "{" not in text and "}" not in text:
        return [text]
    parts = _BRACES.split(text)
    literals, groups = parts[0::2], [p.split("|") for p in parts[1::2]]
    if any("{" in lit or "}" in lit for lit in literals):
        raise ValueError("unbalanced or nested braces")
    out: list[str] = []
    for choice in product(*groups):
        spelled = literals[0] + "".join(c + lit for c, lit in zip(choice, literals[1:]))
        if spelled.strip() and spelled not in out:
            out.append(spelled)
    return out


# --- validation helpers ------------------------------------------------------------


def _fail(path: str, problem: str) -> WatchlistError:
    return WatchlistError(f"{path}: {problem}" if path else problem)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _mapping(value: Any, path: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(path or "(top level)", "must be a mapping of keys")
    for key in value:
        if key not in allowed:
            raise _fail(_join(path, str(key)), "unknown key")
    for key in required:
        if key not in value:
            raise _fail(_join(path, key), "is required")
    return value


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, "must be a non-empty string")
    return value.strip()


def _boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, "must be true or false")
    return value


def _list(value: Any, path: str, allow_empty: bool = False) -> list[Any]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise _fail(path, "must be a list" if allow_empty else "must be a non-empty list")
    return value


def _choice(value: Any, path: str, choices: tuple[str, ...] | frozenset[str]) -> str:
    if value not in choices:
        raise _fail(path, f"must be one of {', '.join(sorted(choices))} (got {value!r})")
    return str(value)


def _country(value: Any, path: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value):
        raise _fail(path, f"must be a two-letter country code such as ML (got {value!r})")
    return value


def _term(value: Any, path: str) -> list[Term]:
    if isinstance(value, Mapping):
        entry = _mapping(value, path, ("term", "ambiguous", "case_sensitive"), ("term",))
        text = _string(entry["term"], _join(path, "term"))
        ambiguous = _boolean(entry.get("ambiguous", False), _join(path, "ambiguous"))
        case_sensitive = _boolean(entry.get("case_sensitive", False), _join(path, "case_sensitive"))
    else:
        text, ambiguous, case_sensitive = _string(value, path), False, False
    try:
        spellings = expand_braces(text)
    except ValueError as exc:
        raise _fail(path, f"{text!r}: {exc}") from None
    terms = [Term(s, ambiguous, case_sensitive) for s in spellings]
    for term in terms:
        if not fold(term.text).strip(" '-.") or len(term.text.strip()) < 2:
            raise _fail(path, f"{term.text!r} is too short to match")
    return terms


def _terms(value: Any, path: str, allow_empty: bool = False) -> tuple[Term, ...]:
    terms: list[Term] = []
    for i, item in enumerate(_list(value, path, allow_empty)):
        terms.extend(_term(item, _join(path, i)))
    return tuple(dict.fromkeys(terms))


# --- sections ----------------------------------------------------------------------


def _actor(value: Any, path: str, known: Mapping[str, Actor]) -> Actor:
    entry = _mapping(value, path, ("id", "kind", "countries", "names"), ("id",))
    actor_id = _string(entry["id"], _join(path, "id"))
    base = known.get(actor_id)
    if base is None and "kind" not in entry:
        raise _fail(_join(path, "kind"), "is required")
    if base is None and "names" not in entry:
        raise _fail(_join(path, "names"), "is required")
    kind = _choice(entry["kind"], _join(path, "kind"), ACTOR_KINDS) if "kind" in entry else base.kind  # type: ignore[union-attr]
    countries = base.countries if base else ()
    if "countries" in entry:
        items = _list(entry["countries"], _join(path, "countries"))
        countries = tuple(_country(c, _join(_join(path, "countries"), i)) for i, c in enumerate(items))
    names = _terms(entry["names"], _join(path, "names")) if "names" in entry else ()
    if base is not None:
        names = tuple(dict.fromkeys((*base.names, *names)))
    return Actor(actor_id, kind, countries, names)


def _event(value: Any, path: str) -> EventClass:
    entry = _mapping(value, path, ("type", "sub_type", "flags", "terms"), ("type", "sub_type", "terms"))
    event_type = _choice(entry["type"], _join(path, "type"), tuple(ACLED_EVENT_TYPES))
    sub_type = _choice(entry["sub_type"], _join(path, "sub_type"), ACLED_EVENT_TYPES[event_type])
    flags = _list(entry.get("flags", []), _join(path, "flags"), allow_empty=True)
    checked = frozenset(_choice(f, _join(_join(path, "flags"), i), EVENT_FLAGS) for i, f in enumerate(flags))
    return EventClass(event_type, sub_type, _terms(entry["terms"], _join(path, "terms")), checked)


def _groups(value: Any, path: str, names: tuple[str, ...], base: tuple[TermGroup, ...]) -> tuple[TermGroup, ...]:
    entry = _mapping(value, path, names)
    merged = {group.name: group.terms for group in base}
    for name, terms in entry.items():
        extra = _terms(terms, _join(path, name))
        merged[name] = tuple(dict.fromkeys((*merged.get(name, ()), *extra)))
    return tuple(TermGroup(name, merged[name]) for name in names if name in merged)


def _folded_names(value: Any, path: str) -> frozenset[str]:
    return frozenset(fold(_string(v, _join(path, i))) for i, v in enumerate(_list(value, path, allow_empty=True)))


def _places(value: Any, path: str, base: PlaceRules) -> PlaceRules:
    entry = _mapping(value, path, ("stop", "weak", "person_names"))
    return PlaceRules(
        stop=base.stop | _folded_names(entry.get("stop", []), _join(path, "stop")),
        weak=base.weak | _folded_names(entry.get("weak", []), _join(path, "weak")),
        person_names=base.person_names | _folded_names(entry.get("person_names", []), _join(path, "person_names")),
    )


_TOP_KEYS = (
    "version", "countries", "actors", "events", "victims", "casualties", "claims", "context", "off_topic",
    "non_violent_causes", "places",
)  # fmt: skip
_EMPTY = Watchlist(countries=(), actors=(), events=(), victims=(), casualties=())


def _apply(data: Any, prefix: str, base: Watchlist) -> Watchlist:
    """Validate ``data`` and merge it into ``base`` (the empty list for the seed file)."""
    entry = _mapping(data, prefix, _TOP_KEYS)
    if "version" in entry and entry["version"] != 1:
        raise _fail(_join(prefix, "version"), f"must be 1 (got {entry['version']!r})")
    updated = base
    if "countries" in entry:
        items = _list(entry["countries"], _join(prefix, "countries"))
        countries = tuple(_country(c, _join(_join(prefix, "countries"), i)) for i, c in enumerate(items))
        updated = replace(updated, countries=countries)
    if "actors" in entry:
        updated = replace(updated, actors=_merge_actors(entry["actors"], _join(prefix, "actors"), updated.actors))
    if "events" in entry:
        path = _join(prefix, "events")
        events = tuple(_event(e, _join(path, i)) for i, e in enumerate(_list(entry["events"], path)))
        updated = replace(updated, events=(*updated.events, *events))
    if "victims" in entry:
        updated = replace(updated, victims=_groups(entry["victims"], _join(prefix, "victims"), VICTIM_GROUPS, updated.victims))
    if "casualties" in entry:
        casualties = _groups(entry["casualties"], _join(prefix, "casualties"), CASUALTY_KINDS, updated.casualties)
        updated = replace(updated, casualties=casualties)
    for key in ("claims", "context", "off_topic", "non_violent_causes"):
        if key in entry:
            extra = _terms(entry[key], _join(prefix, key), allow_empty=True)
            updated = replace(updated, **{key: tuple(dict.fromkeys((*getattr(updated, key), *extra)))})
    if "places" in entry:
        updated = replace(updated, places=_places(entry["places"], _join(prefix, "places"), updated.places))
    return updated


def _merge_actors(value: Any, path: str, base: tuple[Actor, ...]) -> tuple[Actor, ...]:
    actors = {actor.id: actor for actor in base}
    for i, item in enumerate(_list(value, path)):
        actor = _actor(item, _join(path, i), actors)
        actors[actor.id] = actor
    _check_unique_names(actors.values(), path)
    return tuple(actors.values())


def _check_unique_names(actors: Any, path: str) -> None:
    """One spelling names one actor, or a hit could not say who it is."""
    owner: dict[str, str] = {}
    for actor in actors:
        for term in actor.names:
            key = fold(term.text)
            if owner.setdefault(key, actor.id) != actor.id:
                raise _fail(path, f"{term.text!r} names both {owner[key]} and {actor.id}")


def _check_complete(watchlist: Watchlist, source: str) -> None:
    for key in ("countries", "actors", "events", "victims", "casualties"):
        if not getattr(watchlist, key):
            raise _fail(f"{source}: {key}" if source else key, "is required")


def parse_watchlist(data: Any, source: str = "", extra: Mapping[str, Any] | None = None, extra_name: str = "extra") -> Watchlist:
    """Validate already-loaded YAML data (and an extension of the same schema)."""
    try:
        watchlist = _apply(data, "", _EMPTY)
        _check_complete(watchlist, "")
    except WatchlistError as exc:
        raise WatchlistError(f"{source}: {exc}" if source else str(exc)) from None
    # errors in the extension name its own key path (it comes from config.yaml)
    return _apply(extra, extra_name, watchlist) if extra else watchlist


def load_watchlist(
    path: str | Path, extra: Mapping[str, Any] | None = None, extra_name: str = "watchlist.extra_terms"
) -> Watchlist:
    """Read and check ``path``; merge ``extra`` (from config.yaml) into it."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except OSError as exc:
        raise WatchlistError(f"{path}: cannot read the watch list: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise WatchlistError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    return parse_watchlist(data, str(path), extra, extra_name)
