"""What a sentence says beyond the matcher's hits and the dates module's dates, as items
for the clusters: relative days ("the next morning", "la veille"), the incident figures
(no aggregates, no subsets), one killed for a single named victim ("assassinated a village
chief"), and incidents named by a bare noun ("incidents were recorded in X"), with the
event words of the sentence that announced them.
"""

from __future__ import annotations

import re

from monitor.reading import figures as figs
from monitor.reading.match import Hit
from monitor.reading.sentences import Item, Sentence
from monitor.reading.text import contains_any, fold

# --- relative dates the dates module leaves to us --------------------------------------------

_NEXT_DAY = re.compile(
    r"\b(?:(?:next|following)\s+(?:morning|day|evening|night|afternoon)|(?<!\ba\s)(?:day|morning)\s+after|day\s+later"
    r"|lendemain|jour\s+plus\s+tard|jour\s+suivant)\b"
)
_PREVIOUS_DAY = re.compile(
    r"\b(?:(?:day|night|evening)\s+(?:before|prior|earlier)|previous\s+(?:day|night|evening)|la\s+veille)\b"
)
# Words every step cue holds: a str.find for each is ten times cheaper than the regexes.
_STEP_KEYS = {
    "next ": 1, "following ": 1, " after": 1, " later": 1, "lendemain": 1, "suivant": 1,
    " before": -1, " prior": -1, " earlier": -1, "previous ": -1, "veille": -1,
}  # fmt: skip


def step_cues(low: str) -> list[Item]:
    """ "The next morning" (+1 day) and "the day prior" (-1) from the previous incident date."""
    found: dict[int, Item] = {}
    for key, days in _STEP_KEYS.items():
        pattern = _NEXT_DAY if days > 0 else _PREVIOUS_DAY
        pos = low.find(key)
        while pos >= 0:
            m = pattern.search(low, max(0, pos - 12), pos + len(key) + 24)
            if m is not None:
                found[m.start()] = Item(m.start(), m.end(), "step", days)
            pos = low.find(key, pos + 1)
    return sorted(found.values(), key=lambda i: i.start)


# --- aggregates the figures module misses ---------------------------------------------------


def figure_items(sentence: str, offset: int, lang: str | None) -> list[Item]:
    """Incident figures of a sentence: no aggregates ("400 soldiers since early May", which
    ``figures`` marks clause by clause), no subsets."""
    found = figs.find_figures(sentence, lang)
    if not found:
        return []
    out: list[Item] = []
    cursor = 0
    for f in found:
        at = sentence.find(f.text, cursor)
        at = at if at >= 0 else sentence.find(f.text)
        cursor = max(cursor, at) if at >= 0 else cursor
        if not (f.aggregate or f.subset):
            out.append(Item(offset + max(at, 0), offset + max(at, 0) + len(f.text), "figure", f))
    return out


_FORCES_WORDS_ONE = (
    r"soldier|gendarme|policeman|police\s+officer|officer|guard|ranger|militiaman|volunteer|commander|"
    r"customs\s+officer|soldat|militaire|policier|douanier|volontaire"
)
_CIVILIAN_ONE = (
    r"civilian|villager|resident|chief|imam|pastor|priest|catechist|teacher|councill?or|councilman|official|notable|"
    r"trader|merchant|vendor|butcher|herder|shepherd|farmer|fisherman|miner|driver|nurse|doctor|health\s+worker|"
    r"student|pupil|child|boy|girl|tourist|journalist|mayor|prefect|mechanic|worker|guide|head|leader|elder|"
    r"civil|villageois|chef|enseignant|conseiller|maire|prefet|commercant|eleveur|berger|cultivateur|"
    r"chauffeur|infirmier|marabout|charlatan|journaliste|eleve|enfant"
)
_PERSON_ONE = (
    r"man|woman|person|individual|youth|brother|sister|son|daughter|father|mother|husband|wife|member|"
    r"homme|femme|personne|individu|jeune|frere|soeur|fils|fille|pere|mere|membre"
)
_ONE_VICTIM = (
    rf"(?:(?P<armed>{_FORCES_WORDS_ONE})|(?P<civilian>{_CIVILIAN_ONE})|(?P<person>{_PERSON_ONE}))\b(?!['-])"
)


# "assassinated a councillor", "killed the village chief", "lynched a man": one victim
# that ``figures`` does not count (its nouns and verbs are fewer). ACLED codes them as 1.
_ONE_KILLED = re.compile(
    r"\b(?:assassinated|assassinating|killed|killing|executed|executing|murdered|murdering|shot\s+dead|gunned\s+down|"
    r"lynched|beheaded|slaughtered|slit\s+the\s+throat\s+of|ont\s+tue|a\s+tue|ont\s+assassine|a\s+assassine|"
    r"ont\s+execute|a\s+execute|ont\s+abattu|a\s+abattu)\s+(?:a|an|the|one|his|her|their|un|une|le|la|l')\s+(?:[\w'-]+\s+){0,3}?"
    + _ONE_VICTIM
)
# "The man was killed", "a village chief was shot and killed", "un enseignant a été assassiné":
# the passive with a singular subject (the auxiliary "was"/"a été" is singular).
_ONE_KILLED_PASSIVE = re.compile(
    r"\b(?:a|an|the|one|un|une|le|la|l')\s+(?:[\w'-]+\s+){0,3}?"
    + _ONE_VICTIM
    + r"(?:\s+[\w'-]+){0,4}?,?\s+(?:was|has\s+been|a\s+ete|est)\s+(?:\w+\s+)?(?:shot\s+and\s+)?"
    r"(?:killed|assassinated|murdered|executed|shot\s+dead|gunned\s+down|beheaded|lynched|tue|tuee|assassinee?|"
    r"executee?|abattue?|egorgee?)\b"
)


# Substrings every killing verb of the two regexes above holds (folded text).
_KILL_CUES = (
    "assassin", "kill", "execut", "murder", "shot", "gunned", "lynch", "behead", "slaughter", "slit",
    "tue", "abattu", "egorge",
)  # fmt: skip
_PASSIVE_CUES = re.compile(r"\b(?:was|has\s+been|a\s+ete|est)\s")


def single_kills(sentence: str, offset: int, figures: list[Item], folded: str | None = None) -> list[Item]:
    """One killed where the sentence names a single victim and ``figures`` counted none
    (``folded``: ``fold(sentence)`` when the caller has it)."""
    if figures and any(i.value.kind == figs.KILLED for i in figures):
        return []
    low = fold(sentence) if folded is None else folded
    if not contains_any(low, _KILL_CUES):
        return []  # most sentences: a str.find per cue is far cheaper than the two regexes
    m = _ONE_KILLED.search(low) or (_PASSIVE_CUES.search(low) and _ONE_KILLED_PASSIVE.search(low))
    if m is None:
        return []
    group = figs.MILITARY if m["armed"] else figs.CIVILIAN if m["civilian"] else figs.UNSPECIFIED
    text = sentence[m.start() : m.end()]
    one = figs.Figure(figs.KILLED, group, 1, 1, "exact", text, aggregate=False)
    return [Item(offset + m.start(), offset + m.end(), "figure", one)]


# --- incidents named by a bare noun -----------------------------------------------------------

# What ``re.finditer(r"\b(?:incidents?|violences?)\b", low)`` finds, found with str.find:
# the regex's scan of a whole article cost ten times the two finds.
_INCIDENT_STEMS = ("incident", "violence")


def incident_nouns(low: str) -> list[Item]:
    """ "Incidents were recorded between San and Kimbala": an incident without an event word."""
    out: list[Item] = []
    for stem in _INCIDENT_STEMS:
        pos = low.find(stem)
        while pos >= 0:
            end = pos + len(stem)
            if low.startswith("s", end):
                end += 1  # the plural (a word character after it fails the \b with or without it)
            if not (_is_word_char(low, pos - 1) or _is_word_char(low, end)):
                out.append(Item(pos, end, "noun", low[pos:end]))
            pos = low.find(stem, pos + 1)
    if len(out) > 1:
        out.sort(key=lambda i: i.start)
    return out


def _is_word_char(text: str, at: int) -> bool:
    """Whether ``text[at]`` is a word character of ``re`` (alphanumeric or "_"); False outside the text."""
    if at < 0 or at >= len(text):
        return False
    char = text[at]
    return char.isalnum() or char == "_"


_NOUN_LOOKBACK = 2  # sentences: "Attacks were reported on Sunday. Incidents hit X, Y and Z."


def name_listed_incidents(sentences: list[Sentence]) -> None:
    """ "Additional attacks were reported. Incidents were recorded between San and Kimbala,
    ...; violence was reported in Kossi": a sentence that lists incidents by a bare noun
    says what they were in the sentence that announced them. Its incident nouns take the
    event words of the nearest of the sentences before it that has any; without them the
    incidents have no event type."""
    for i, sentence in enumerate(sentences):
        nouns = [item for item in sentence.items if item.kind == "noun"]
        if not nouns or any(item.kind == "event" for item in sentence.items):
            continue
        for earlier in reversed(sentences[max(0, i - _NOUN_LOOKBACK) : i]):
            events = [item.value for item in earlier.items if item.kind == "event"]
            if events:
                sentence.items += [Item(n.start, n.end, "event", hit) for n in nouns for hit in events]
                break


# "Le pays a été visé plusieurs fois par des attaques", "c'est la cinquième attaque dans la
# commune", "a wave of attacks": a sentence that tells of attacks in general, not of one
_HABITUAL = re.compile(
    r"\b(?:[àa]\s+plusieurs\s+reprises|[àa]\s+maintes\s+reprises|plusieurs\s+fois|r[ée]guli[eè]rement|fr[ée]quemment"
    r"|fr[ée]quentes|r[ée]p[ée]t[ée]es|s[ée]rie\s+d'|vague\s+d'|recrudescence|se\s+multiplient|multiplication\s+des"
    r"|repeatedly|frequent(?:ly)?|regularly|(?:a|another)\s+(?:series|wave|spate|string)\s+of|on\s+the\s+rise"
    r"|(?:deuxi|troisi|quatri|cinqui|sixi|septi|huiti|neuvi|dixi)[eè]me\s+(?:attaque|attentat|embuscade|incident)"
    r"|(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:attack|ambush|raid|incident))\b"
)


# French tells what came before the news in the pluperfect: "le bureau avait été attaqué",
# "les forces avaient exécuté 31 hommes" (English past perfect is also reported speech, "police
# said gunmen had attacked", and is not read so)
_PLUPERFECT_BEFORE = re.compile(r"\bavai(?:s|t|ent)\s+(?:(?:deja|ete|aussi|egalement)\s+){0,2}$")
_VERB_KINDS = frozenset({"event", "casualty"})
_PAST_INFINITIVE = re.compile(r"\b(?:les\s+|l'|leur\s+|nous\s+|vous\s+)?avoir\s+(?:ete\s+)?$")


# "MSF a arrêté ses activités", "arrêter les travaux": French "arrêter" is also to stop something
_STOPPED_AFTER = re.compile(r"\s+(?:ses|son|sa|leurs?|ces|cette|cet|les\s+(?:travaux|activit|op[ée]ration|cours|classes))")


def stopped_not_arrested(low: str, hit: Hit) -> bool:
    """An "arrested" casualty word that stops something ("a arrêté ses activités")."""
    return hit.kind == "casualty" and hit.key == "arrested" and _STOPPED_AFTER.match(low, hit.end) is not None


# "the attack", "l'attaque", "cette embuscade": an event word that points back to one told before
_DEFINITE_BEFORE = re.compile(r"\b(?:l'|la|le|les|cette|cet|ce|ces|the|this|that)\s*$")


def anaphoric(low: str, hits: list[Hit], items: list[Item]) -> bool:
    """A sentence whose every event word is a definite reference ("les auteurs de l'attaque
    restent inconnus") and which gives no figure, date or place of its own: it speaks of the
    incident told before it, and goes with it (history included)."""
    verbs = [h for h in hits if h.kind in _VERB_KINDS]
    if not verbs or any(i.kind in ("figure", "date") for i in items):
        return False
    return all(h.kind == "event" and _DEFINITE_BEFORE.search(low, max(0, h.start - 8), h.start) for h in verbs)


def anterior(low: str, hits: list[Hit], items: list[Item]) -> bool:
    """A French sentence whose every event and casualty word is in the pluperfect and which
    gives no date ("la veille" is one): background to the news, not an incident of its own."""
    # a past infinitive ("après les avoir arrêtés") is what came before the main verb: no news
    verbs = [h for h in hits if h.kind in _VERB_KINDS and not _PAST_INFINITIVE.search(low, max(0, h.start - 16), h.start)]
    if not verbs or any(i.kind in ("date", "step") for i in items):
        return False
    return all(_PLUPERFECT_BEFORE.search(low, max(0, h.start - 24), h.start) for h in verbs)


# "ont dénoncé les attaques contre les médias", "le procès des auteurs de l'attaque": attacks
# spoken of, condemned or judged, which a figure or a day would make news again
_TOLD_OF = re.compile(
    r"\b(?:d[ée]non[cç]|condamn|d[ée]plor|denounc|condemn|deplor|proc[eè]s\b|trial\b|tribunal|cour\s+d'"
    r"|court\b|verdict|jugement|judgment|sentenced)"
)


# "un processus qui s'achèvera le mois prochain", "ouvre la voie à un retrait": what is still
# to come is no incident (a figure or a day would make it one)
_TO_COME = re.compile(
    r"\b(?:le\s+mois\s+prochain|la\s+semaine\s+prochaine|l'ann[ée]e\s+prochaine|l'an\s+prochain|prochainement"
    r"|next\s+(?:week|month|year)|s'ach[eè]vera|ouvr\w*\s+la\s+voie|paves?\s+the\s+way|will\s+(?:be|take|end|begin|start))"
)


def habitual(low: str, start: int, end: int, placed: bool, items: list[Item], violent: bool) -> bool:
    """Attacks told in general, or (``violent``: political violence) spoken of, condemned or
    judged, or still to come: a habitual cue and no place of its own, or any of these cues and
    neither a figure nor a day ("Gunmen killed 12 in Boni on Sunday, the third attack this month" is one
    attack, and so is one the UN condemned with its toll; protesters who denounce something
    still protest)."""
    general = _HABITUAL.search(low, start, end) is not None
    told = (violent and _TOLD_OF.search(low, start, end)) or _TO_COME.search(low, start, end)
    if not general and not told:
        return False
    if general and not placed:
        return True
    dated = any(i.kind == "date" and i.value.precision == "day" for i in items)
    return not dated and not any(i.kind == "figure" for i in items)
