"""The event type of one incident: ACLED's event type, sub-event type and flags, by ACLED's
precedence (see ``classify``), from the event words, casualty words, figures and actors
of the incident's sentences and what each violent verb was aimed at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from monitor.reading import figures as figs
from monitor.reading.match import Hit

# Who or what an attack, a killing or an abduction was aimed at: the first such word after
# the verb ("attacked the gendarmerie", "killed fifteen Fulani men", "assassinated a
# councillor"), or before a passive one ("the prefect was killed"). Armed people, militias
# included, make a battle; anyone else makes violence against civilians.
_FORCES_WORDS = (
    r"military|army|armed\s+forces|soldiers?|troops?|base|outpost|post|barracks|patrol|checkpoint|garrison|"
    r"gendarmerie|gendarmes?|police|policem[ae]n|police\s+officers?|security\s+forces|defen[cs]e\s+forces|"
    r"positions?|ranger\s+station|rangers?|forest\s+guards?|guards?|prison|militiam[ae]n|militias?|koglweogo|dozos?|"
    r"vdp|fds|fama|convoy\s+of\s+(?:the\s+)?(?:army|military|soldiers|troops)|military\s+convoy|army\s+convoy|"
    r"armee|soldats?|militaires?|poste(?!\s+de\s+sante)|caserne|patrouille|brigade|commissariat|detachement|camp\s+militaire"
)
# Combatants count as targets only as the object of the violence ("the army killed 17
# militants"); named anywhere else they are usually the perpetrators.
_COMBATANT_WORDS = (
    r"militants?|jihadists?|insurgents?|assailants?|attackers?|fighters?|rebels?|terrorists?|bandits?|gunmen|"
    r"terroristes?|jihadistes?|djihadistes?|assaillants?"
)
_ARMED_WORDS = f"{_FORCES_WORDS}|{_COMBATANT_WORDS}"
_CIVILIAN_WORDS = (
    r"civilians?|villagers?|residents?|inhabitants?|people|persons?|individuals?|m[ae]n|wom[ae]n|boys?|girls?|"
    r"child|children|famil(?:y|ies)|worshippers?|traders?|merchants?|herders?|pastoralists?|farmers?|agriculturalists?|"
    r"passengers?|road\s+users|travell?ers?|teachers?|pupils?|students?|officials?|council(?:l)?ors?|councilman|chiefs?|"
    r"imams?|pastors?|priests?|prefect|mayor|pharmacist|nurses?|doctors?|drivers?|tourists?|miners?|workers?|youths?|"
    r"fulani|peul|minors?|vendors?|technicians?|staff|occupants|community|notables?|nationals|"
    r"civils?|villageois|habitants?|personnes?|hommes?|femmes?|enfants?|fideles|commercants?|eleveurs?|"
    r"cultivateurs?|passagers?|enseignants?|eleves?|elus?|conseillers?|"
    # people held or fleeing: what is done to them is done to the unarmed, whoever they were
    r"prisoners?|detainees?|captives?|refugees?|idps|displaced|journalists?|lawyers?|interpreters?|"
    r"prisonniers?|detenus?|refugies?|deplaces?|journalistes?|avocats?"
)
# civilian places and goods: violence aimed at them alone is property destruction
_PROPERTY_WORDS = r"village|market|mosque|church|school|homes?|houses?|camp\s+of|encampments?|marche|mosquee|eglise|ecole"
_TARGET = re.compile(
    rf"\b(?:(?P<armed>{_ARMED_WORDS})|(?P<civilian>{_CIVILIAN_WORDS})|(?P<property>{_PROPERTY_WORDS}))\b"
)
_FALLBACK_TARGET = re.compile(
    rf"\b(?:(?P<armed>{_FORCES_WORDS})|(?P<civilian>{_CIVILIAN_WORDS})|(?P<property>{_PROPERTY_WORDS}))\b"
)
# Battle words that say how an attack was made, not that two armed sides fought: an
# ambush on a bus is violence against civilians.
_AIMED_FIGHT = re.compile(r"^(?:ambush\w*|embuscade\w*|raid\w*|storm\w*)$")
# "prisoners executed by soldiers": a participle with its agent is passive too; the agent
# did it, the people before it had it done to them
_AGENT_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:by|par)\s")
_PASSIVE_BEFORE = re.compile(r"(?:\bwas|\bwere|\bbeen|\bete|\bsont|\best)\s+(?:\w+\s+)?$")
_GUNFIRE = re.compile(
    r"\b(?:gunfire|gun\s*fire|opened\s+fire|open\s+fire|fired\s+(?:on|at|upon)|firefights?|gunfights?|exchanges?\s+of\s+fire|"
    r"exchanged\s+fire|shoot-?outs?|shooting|armed\s+assault|ambush(?:ed)?|tirs|coups\s+de\s+feu|fusillade)\b"
)
_SEIZED_BEFORE = re.compile(
    r"\b(?:seized|seizure\s+of|found|discovered|dismantled|defused|recovered|possession\s+of|saisi|saisie\s+d|decouvert|"
    r"desamorce|materials?|making|workshop)\b[^.;]{0,60}$"
)
_PROTEST_INTERVENTION = re.compile(r"\b(?:tear\s*gas|dispers\w*|gaz\s+lacrymogene\w*|arrest\w*|interpell\w*)\b")
_RIOT_VIOLENCE = re.compile(
    r"\b(?:clash\w*|fought|fight\w*|burn\w*|loot\w*|ransack\w*|vandali\w*|stones?|barricad\w*|destroy\w*|"
    r"attack\w*|affront\w*|pill\w*|saccag\w*|incendi\w*|"
    r"set\s+fire|ablaze|torch\w*|ston(?:ed|ing)|confront\w*|skirmish\w*|storm\w*|turned\s+violent|machetes?|"
    r"brul\w*|caillass\w*|jet\w*\s+des?\s+pierres|tourn\w*\s+a\s+la\s+violence)\b"
)
_TERRITORY_OBJECT = re.compile(
    r"^\W*(?:\w+\W+){0,4}?(?:town|village|city|locality|area|district|ville|localite|commune|zone|cite)\b"
)
_BASE_OBJECT = re.compile(r"^\W*(?:\w+\W+){0,4}?(?:base|camp|post|outpost|position|garrison|barracks|poste|caserne)\b")
_EXPLOSIVE_ORDER = (
    "Suicide bomb",
    "Remote explosive/landmine/IED",
    "Shelling/artillery/missile attack",
    "Air/drone strike",
    "Grenade",
    "Chemical weapon",
)
# the watch-list flags a report keeps ("generic" only steers the classification)
_REPORT_FLAGS = frozenset({"overrun", "territory", "hostages", "suicide", "vbied"})
ARMED_KINDS = frozenset({"jihadist", "rebel", "militia"})
# who may hold people: an armed group, or the state
_HOLDERS = rf"(?:(?P<group>{_COMBATANT_WORDS}|armed\s+(?:men|group|individuals))|(?P<state>{_FORCES_WORDS}))\b"
_HOLDER = re.compile(rf"\b{_HOLDERS}")
_HOLDER_AFTER = re.compile(  # the passive's agent: "arrested by security forces"
    rf"\s+(?:\w+\s+)?(?:by|par)\s+(?:the\s+|les?\s+|la\s+|des\s+|suspected\s+|presumed\s+)?{_HOLDERS}"
)
_UNARMED = ("civilian", "property")
POLITICAL_VIOLENCE = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})


@dataclass(frozen=True)
class Evidence:
    """What a cluster says, for ``classify``: its hits (with offsets into ``low``) and figures."""

    events: list[Hit]
    casualties: list[Hit]
    figures: list[figs.Figure]
    actors: list[str]
    low: str  # the folded article (hit offsets point into it)
    spans: list[tuple[int, int]]  # the cluster's sentences


def classify(ev: Evidence, actor_kind: Mapping[str, str]) -> tuple[str | None, str | None, set[str]]:
    """ACLED event type, sub-event type and flags of one incident, by ACLED's precedence:

    1. Government regains territory (retook, recaptured) unless a non-state actor overran;
       overrunning: "Non-state actor overtakes territory" for a town or area (flag
       territory), else Battles: Armed clash with flag overrun (a base overrun is a battle).
    2. A real fight (clash, firefight, ambush, repelled, counter-attack) is a Battle, and
       so are explosives with gunfire (a car bomb then a firefight, an IED then an ambush);
       a fight of crowds (students, supporters, traders, with or against the police) and
       no armed side is a riot.
    3. Explosives (IED, shelling, air strike, suicide bomb) are Explosions/Remote violence;
       an IED that was seized or defused is none.
    4. Demonstrations without armed groups or explosives: Riots when violent, Protests
       (with intervention when dispersed or arrested) otherwise; mob violence is a riot.
    5. An attack, killing or abduction: a Battle when aimed at armed people (soldiers, a
       post, police, militias, militants), and always when an event word's object is a
       post of the forces ("attacked the gendarmerie"), whoever was hurt in the crossfire,
       or when soldiers, police or militiamen were among the killed or wounded;
       else violence against civilians (abduction, sexual violence or attack).
    6. Strategic developments (looting, arrests, withdrawal...) when nothing above; an
       explosive that was seized or defused, alone, is "Disrupted weapons use".
    """
    flags = {f for e in ev.events for f in e.flags if f in _REPORT_FLAGS}
    events = [e for e in ev.events if not (e.key[0] == "Explosions/Remote violence" and _seized(e, ev.low))]
    specific = [e for e in events if "generic" not in e.flags]
    by_type: dict[str, list[Hit]] = {}
    for e in specific:
        by_type.setdefault(str(e.key[0]), []).append(e)
    battles = by_type.get("Battles", [])
    overrun = [e for e in battles if e.key[1] == "Non-state actor overtakes territory"]
    regains = [e for e in battles if e.key[1] == "Government regains territory"]
    fights: list[Hit] = []
    aimed: list[Hit] = []
    for e in battles:  # the surface as the folded article has it (fold works letter by letter)
        if e.key[1] == "Armed clash":
            (aimed if _AIMED_FIGHT.match(ev.low[e.start : e.end]) else fights).append(e)
    explosive = by_type.get("Explosions/Remote violence", [])
    armed_actor = any(actor_kind.get(a) in ARMED_KINDS for a in ev.actors)
    if regains and not overrun:
        return "Battles", "Government regains territory", flags
    if overrun:
        if _takes_territory(overrun, ev.low):
            return (
                "Battles",
                "Non-state actor overtakes territory",
                flags | {"territory"},
            )
        return "Battles", "Armed clash", flags | {"overrun"}
    crowd = by_type.get("Riots", []) + by_type.get("Protests", [])
    if crowd and not explosive and not armed_actor:
        return _crowd(crowd, ev)
    if fights and _crowd_fight(ev, armed_actor):
        return "Riots", "Violent demonstration", flags
    if fights:
        return "Battles", "Armed clash", flags
    if explosive:
        if any(_GUNFIRE.search(ev.low, a, b) for a, b in ev.spans):
            return "Battles", "Armed clash", flags
        return "Explosions/Remote violence", _explosive_sub(explosive, flags), flags
    violent = [e for e in events if e.key[0] in ("Battles", "Violence against civilians")] + aimed
    harm = [c for c in ev.casualties if c.key in (figs.KILLED, figs.WOUNDED, figs.ABDUCTED)]
    harmed = harm or any(f.kind in (figs.KILLED, figs.WOUNDED, figs.ABDUCTED) for f in ev.figures)
    property_only = (
        not harmed
        and not by_type.get("Violence against civilians")
        and any(e.key[1] == "Looting/property destruction" for e in by_type.get("Strategic developments", []))
    )
    if not harmed and _unmanned(ev):  # "attacked the police station while it was unmanned"
        return "Strategic developments", "Looting/property destruction", flags
    if property_only:
        aims = _aims(violent, ev)
        if aims.armed == 0 and not aims.at_civilians:  # "attacked and burned the school"
            return "Strategic developments", "Looting/property destruction", flags
    if violent or harmed:
        return _attack(violent + harm, by_type.get("Violence against civilians", []), ev, flags)
    if any("generic" in e.flags and e.key[0] == "Explosions/Remote violence" for e in events):
        return "Explosions/Remote violence", "Remote explosive/landmine/IED", flags
    for kind in ("Riots", "Protests", "Strategic developments"):
        if kind in by_type:
            sub = _commonest_sub(by_type[kind])
            if sub == "Arrests" and _held_by_armed_group(by_type[kind], ev):
                return "Violence against civilians", "Abduction/forced disappearance", flags
            return kind, sub, flags
    if any(f.kind == figs.ARRESTED for f in ev.figures):
        return "Strategic developments", "Arrests", flags
    if len(events) < len(ev.events):  # "the army dismantled an IED": a bomb that never went off
        return "Strategic developments", "Disrupted weapons use", flags
    return None, None, flags


def _attack(verbs: list[Hit], vac: list[Hit], ev: Evidence, flags: set[str]) -> tuple[str, str, set[str]]:
    """A Battle when the violence was aimed at armed people or at a post they hold, or
    killed or wounded some of them (soldiers, police, militiamen among the dead: they were
    there to fight), else violence against civilians."""
    aims = _aims(verbs, ev)
    harmed_forces = any(f.group == figs.MILITARY and f.kind in (figs.KILLED, figs.WOUNDED) for f in ev.figures)
    if aims.armed > aims.civilian or harmed_forces or any(_at_a_security_post(v, ev.low) for v in verbs):
        return "Battles", "Armed clash", flags
    subs = {str(e.key[1]) for e in vac}
    kinds = {f.kind for f in ev.figures} | {str(c.key) for c in ev.casualties}
    abducted = "Abduction/forced disappearance" in subs or (figs.ABDUCTED in kinds and figs.WOUNDED not in kinds)
    if abducted and figs.KILLED not in kinds:  # abducted and killed: an attack
        return "Violence against civilians", "Abduction/forced disappearance", flags
    if "Sexual violence" in subs and figs.KILLED not in kinds:
        return "Violence against civilians", "Sexual violence", flags
    return "Violence against civilians", "Attack", flags


class _Aims(NamedTuple):
    armed: int  # votes for armed targets
    civilian: int  # votes for unarmed ones, people or property
    at_civilians: bool  # a violent verb aimed at unarmed people, not only at their property


def _aims(verbs: list[Hit], ev: Evidence) -> _Aims:
    """Votes for armed and for civilian targets: the object of each violent verb (3), the
    victims the figures count (2; militants killed mean a fight), any mention (1 if no object).
    Violence aimed at property alone ("attacked the village and burned the granaries") is
    property destruction; at people ("assaulted passengers") it is not."""
    armed = civilian = 0
    at_civilians = False
    for hit in verbs:
        kind = _object_of(hit, ev.low)
        armed += 3 * (kind == "armed")
        civilian += 3 * (kind in _UNARMED)
        at_civilians = at_civilians or kind == "civilian"
    for f in ev.figures:
        if f.kind in (figs.KILLED, figs.WOUNDED, figs.ABDUCTED, figs.MISSING):
            armed += 2 * (f.group in (figs.MILITARY, figs.ASSAILANTS))
            civilian += 2 * (f.group == figs.CIVILIAN)
    if armed == civilian == 0:
        for a, b in ev.spans:
            for m in _FALLBACK_TARGET.finditer(ev.low, a, b):
                armed += m.lastgroup == "armed"
                civilian += m.lastgroup in _UNARMED
    return _Aims(armed, civilian, at_civilians)


# "attacked the gendarmerie", "attaqué le poste de police": an attack on a post the forces
# hold is a battle with them, whoever else was hurt in the crossfire (ACLED codes it so)
_SECURITY_POST = re.compile(
    r"\W*(?:contre\s+|on\s+|against\s+)?(?:the\s+|a\s+|an\s+|la\s+|le\s+|l'|les\s+|un\s+|une\s+)?(?:\w+\s+){0,2}?"
    r"(?:gendarmerie|police\s+(?:station|post)|ranger\s+station|(?:military|army)\s+(?:post|base|camp|position)|"
    r"outpost|barracks|checkpoint|garrison|brigade|commissariat|caserne|camp\s+militaire|poste(?!\s+de\s+sante))\b"
)


def _at_a_security_post(hit: Hit, low: str) -> bool:
    """An event word whose object is a post of the security forces."""
    return hit.kind == "event" and _SECURITY_POST.match(low, hit.end) is not None


def _held_by_armed_group(words: list[Hit], ev: Evidence) -> bool:
    """ "ISGS militants detained villagers": only the state arrests; an armed group that
    holds people abducts them (ACLED). Who held them: the armed people named as the
    passive's agent ("arrested by security forces") or, for an active verb, just before it
    ("gunmen detained a civilian", "the army arrested a JNIM leader"). When the text does
    not say who held them ("two jihadists were arrested"), it is an arrest."""
    for hit in words:
        if hit.key[1] != "Arrests":
            continue
        agent = _HOLDER_AFTER.match(ev.low, hit.end)
        if agent:
            return agent.lastgroup == "group"
        if _PASSIVE_BEFORE.search(ev.low, max(0, hit.start - 60), hit.start):
            continue  # the people named before a passive verb are the ones held
        holders = _holders_before(ev.low, hit.start)
        if holders:
            return "state" not in holders  # "Wagner fighters and Malian soldiers detained"
    return False


def _holders_before(low: str, start: int) -> set[str]:
    """The kinds of armed people named in the clause before ``start``."""
    clause = max(low.rfind(c, max(0, start - 80), start) for c in ".;,")
    return {m.lastgroup or "" for m in _HOLDER.finditer(low, max(clause + 1, start - 80), start)}


def _object_of(hit: Hit, low: str) -> str | None:
    """ "armed", "civilian" or "property": the first target word after the verb, or before a
    passive one."""
    before = low[max(0, hit.start - 60) : hit.start]
    if _PASSIVE_BEFORE.search(before) or _AGENT_AFTER.match(low, hit.end):
        found = [m for m in _TARGET.finditer(before)]
        return found[-1].lastgroup if found else None
    stop = min(
        (
            i
            for i in (
                low.find(".", hit.end, hit.end + 60),
                low.find(";", hit.end, hit.end + 60),
            )
            if i >= 0
        ),
        default=hit.end + 60,
    )
    m = _TARGET.search(low, hit.end, stop)
    return m.lastgroup if m else None


def _seized(hit: Hit, low: str) -> bool:
    """An IED that was seized, found or defused did not explode."""
    return bool(_SEIZED_BEFORE.search(low[max(0, hit.start - 80) : hit.start]))


def _crowd(crowd: list[Hit], ev: Evidence) -> tuple[str, str, set[str]]:
    riots = [e for e in crowd if e.key[0] == "Riots"]
    text = " ".join(ev.low[a:b] for a, b in ev.spans)
    if any(e.key[1] == "Mob violence" for e in riots):
        return "Riots", "Mob violence", set()
    if riots or _RIOT_VIOLENCE.search(text):
        return "Riots", "Violent demonstration", set()
    protests = [e for e in crowd if e.key[0] == "Protests"]
    if any(e.key[1] != "Peaceful protest" for e in protests):
        return (
            "Protests",
            _commonest_sub([e for e in protests if e.key[1] != "Peaceful protest"]),
            set(),
        )
    if _PROTEST_INTERVENTION.search(text):
        return "Protests", "Protest with intervention", set()
    return "Protests", "Peaceful protest", set()


# people who fight as a crowd, not as an armed group: "students clashed with police",
# "supporters of rival parties fought", "striking teachers clashed with other teachers"
_CROWD_PEOPLE = re.compile(
    r"\b(?:students?|pupils?|supporters?|activists?|partisans?|protesters?|protestors?|demonstrators?|crowds?|"
    r"teachers?|parents?|merchants?|traders?|butchers?|"
    r"etudiants?|eleves?|manifestants?|militants?\s+(?:du|de\s+la|des)\s+(?:parti|opposition)|foule)\b"
)
_ARMED_SIDE = re.compile(
    r"\b(?:militias?|militiam[ae]n|dozos?|koglweogo|vdp|gunmen|armed\s+(?:men|group|individuals)|militants|jihadists?|"
    r"terrorists?|insurgents?|rebels?|bandits?|soldiers?|troops?|army|military|fama|fds|armee|militaires?|soldats?|"
    r"terroristes?|jihadistes?|djihadistes?|hommes\s+armes|assaillants?|assailants?|attackers?|fighters?|combattants?|"
    r"herders?|farmers?|pastoralists?|eleveurs?|cultivateurs?|\w*communa\w*|\w*communautaire\w*|ethni\w*)\b"
)


def _crowd_fight(ev: Evidence, armed_actor: bool) -> bool:
    """A fight of crowds (students, supporters, traders; the police may be the other side)
    with no armed group, militia, army or communities at odds named: a riot, not a battle
    (ACLED). Villagers and herders fighting over land are communal militias: battles."""
    if armed_actor:
        return False
    text = " ".join(ev.low[a:b] for a, b in ev.spans)
    return _CROWD_PEOPLE.search(text) is not None and _ARMED_SIDE.search(text) is None


# a post or a place nobody held when it was attacked: what was hit is property
_UNMANNED = re.compile(
    r"\b(?:unmanned|unoccupied|abandoned\s+by|(?:was|were)\s+empty|vide\s+de|desertee?s?|inoccupee?s?)\b"
)


def _unmanned(ev: Evidence) -> bool:
    return any(_UNMANNED.search(ev.low, a, b) for a, b in ev.spans)


def _takes_territory(overrun: list[Hit], low: str) -> bool:
    """ "Took control of the town" (territory) rather than "overran the base" (a battle)."""
    for hit in overrun:
        after = low[hit.end : hit.end + 60]
        if _TERRITORY_OBJECT.match(after) and not _BASE_OBJECT.match(after):
            return True
    return False


def _explosive_sub(explosive: list[Hit], flags: set[str]) -> str:
    subs = {str(e.key[1]) for e in explosive}
    if "Suicide bomb" in subs and "suicide" not in flags:
        subs.discard("Suicide bomb")  # a car bomb need not be a suicide bombing
        subs.add("Remote explosive/landmine/IED")
    return next(s for s in _EXPLOSIVE_ORDER if s in subs)


def _commonest_sub(hits: list[Hit]) -> str:
    """The sub-type most words point to (the longer phrase wins a tie: "seized weapons")."""
    counts: dict[str, tuple[int, int]] = {}
    for h in hits:
        n, longest = counts.get(str(h.key[1]), (0, 0))
        counts[str(h.key[1])] = (n + 1, max(longest, h.end - h.start))
    return max(counts, key=lambda s: counts[s])
