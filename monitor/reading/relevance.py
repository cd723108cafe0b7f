"""How relevant an article is: a score in [0, 1] from what the matcher found in it, and the
verdict on its reports.

``relevance(scan)`` scores a ``Scan``; ``RELEVANCE_THRESHOLD`` is the cut. ``is_relevant``
says whether an article's reports make it the monitor's business: an incident placed in a
watched country that is not history, and either the score or violence placed there.
docs/extract.md (Relevance) says the rule for users, and a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Collection

from monitor.models import Report
from monitor.reading import figures as figs
from monitor.reading.event_type import POLITICAL_VIOLENCE
from monitor.reading.match import Scan
from monitor.reading.places import is_unknown_place, named_as_a_place
from monitor.reading.sentences import ADMIN_CODES, COUNTRY_CODES

__all__ = ["CASUALTY_WEIGHTS", "EVENT_WEIGHTS", "RELEVANCE_THRESHOLD", "is_relevant", "relevance"]

# An article is an incident report candidate at or above this score. It takes a watched
# place or actor together with violent vocabulary (0.45), plus one of: both in the same
# or neighbouring sentences, a toll near an anchor, or both a place and an actor named.
# Sport pages and politics without violence stay below. See ``relevance``.
RELEVANCE_THRESHOLD = 0.5

# How strongly a word says "an incident happened here", by ACLED event type.
EVENT_WEIGHTS = {
    "Battles": 1.0,
    "Explosions/Remote violence": 1.0,
    "Violence against civilians": 1.0,
    "Riots": 0.7,
    "Protests": 0.4,
    "Strategic developments": 0.4,
}
CASUALTY_WEIGHTS = {"killed": 1.0, "wounded": 0.9, "abducted": 0.9, "missing": 0.7, "arrested": 0.4}


def relevance(scan: Scan) -> float:
    """How likely the article reports an incident in the watched area, in [0, 1].

    Anchors are actors and watched places (a minor village only when the article is
    otherwise about the Sahel). Then:
    - 0.45 x the strongest incident word (event or casualty; violent ones weigh 1, arrests
      and protests less: ``EVENT_WEIGHTS``, ``CASUALTY_WEIGHTS``), when the article also
      names an anchor; without both, at most 0.3;
    - + 0.3 x the strongest incident word sharing a sentence with an anchor (half for
      the next or previous sentence);
    - + 0.1 for a toll near an anchor: a casualty word and another victim word in one
      sentence ("30 soldats tués"), in or next to a sentence with an anchor;
    - + 0.1 when both a place and an actor are named;
    - + 0.05 when two or more sentences each hold an anchor and an incident word;
    - x 0.4 when sport/entertainment words are at least as many as incident words
      (x 0.8 when there are only two or more of them).
    """
    anchored: set[int] = set()
    by_sentence: dict[int, float] = {}
    casualty_spans: dict[int, set[tuple[int, int]]] = {}
    victim_spans: dict[int, set[tuple[int, int]]] = {}
    kinds: set[str] = set()
    incidents = off_topic = 0
    sahel = scan.sahel_context
    # one dispatch on the kind per hit, no helper calls (two calls per hit were a third
    # of the time). An anchor: an actor, or a place unless a minor village outside a
    # Sahel article.
    for hit, index in zip(scan.hits, scan.hit_sentences):
        kind = hit.kind
        if kind == "actor" or (kind == "place" and "abroad" not in hit.flags and (sahel or "minor" not in hit.flags)):
            anchored.add(index)
            kinds.add(kind)
            continue  # an anchor is no incident, casualty, victim nor off-topic word
        if kind == "event":
            weight = EVENT_WEIGHTS.get(str(hit.key[0]), 0.0)
        elif kind == "casualty":
            weight = CASUALTY_WEIGHTS.get(str(hit.key), 0.0)
            if hit.key != "arrested":
                casualty_spans.setdefault(index, set()).add((hit.start, hit.end))
        else:
            if kind == "victim":
                victim_spans.setdefault(index, set()).add((hit.start, hit.end))
            elif kind == "off_topic":
                off_topic += 1
            continue
        if weight:
            incidents += 1
            by_sentence[index] = max(by_sentence.get(index, 0.0), weight)
    strongest = max(by_sentence.values(), default=0.0)
    if not anchored or not by_sentence:
        return round(0.15 * bool(anchored) + 0.15 * strongest, 3)
    same = max((by_sentence.get(i, 0.0) for i in anchored), default=0.0)
    near = max((by_sentence.get(i + d, 0.0) for i in anchored for d in (-1, 1)), default=0.0)
    score = 0.45 * strongest + max(0.3 * same, 0.15 * near)
    tolls = {i for i in casualty_spans.keys() & victim_spans.keys() if victim_spans[i] - casualty_spans[i]}
    score += 0.1 * any(i + d in anchored for i in tolls for d in (-1, 0, 1))
    score += 0.1 * ({"place", "actor"} <= kinds)
    score += 0.05 * (len(anchored & by_sentence.keys()) >= 2)
    score *= _off_topic_factor(off_topic, incidents)
    return round(min(score, 1.0), 3)


def _off_topic_factor(off_topic: int, incidents: int) -> float:
    if off_topic >= 2 and off_topic >= incidents:
        return 0.4
    return 0.8 if off_topic >= 2 else 1.0


# --- the verdict on an article's reports ----------------------------------------------


def is_relevant(reports: list[Report], scan: Scan, score: float, countries: Collection[str]) -> bool:
    """At least one report that is not history and is placed at home (``_at_home``), and
    either the score reaches ``RELEVANCE_THRESHOLD`` or violence is placed there; or
    violence done in a village nobody knows, in an article that places nothing abroad."""
    # victims other than the attackers ("les groupes jihadistes profitent du retrait" names none)
    victims = _sentences_with(scan, "victim", _HARMED) if any(r.location is None for r in reports) else set()
    return (
        any(not r.historical and _at_home(r, scan, victims, countries) for r in reports)
        and (
            score >= RELEVANCE_THRESHOLD
            or _placed_violence(reports, scan, countries)
            or _violence_among_sahel_people(reports, scan, countries)
        )
    ) or _violence_in_an_unknown_village(reports, scan)


def _at_home(report: Report, scan: Scan, victims: set[str], countries: Collection[str]) -> bool:
    """Placed in a watched country; or placed nowhere the gazetteer knows (no place, or a
    village it lacks and could not locate) in an article about the Sahel; one placed nowhere
    at all needs a victim, a toll or a named actor of political violence besides ("the
    trial of those behind the attack", "jihadists profit from the withdrawal" are none). A report placed
    at no more than a country ("Burkina Faso") is an incident when it tells political
    violence or a toll of harm: an arrest, a plot or unrest told of the whole country
    without one is no incident of its own."""
    location = report.location
    if location is None:  # placed nowhere: an incident only with a victim, a toll or an author
        author = bool(report.actors) and report.event_type in POLITICAL_VIOLENCE
        return scan.sahel_context and (author or bool(report.figures) or bool(victims & set(report.evidence)))
    country = location.country
    if not country:
        return scan.sahel_context
    if location is not None and location.feature_code in COUNTRY_CODES:
        harm = any(f.kind in _HARM for f in report.figures)
        return country in countries and (harm or report.event_type in POLITICAL_VIOLENCE)
    return country in countries

def _violence_among_sahel_people(reports: list[Report], scan: Scan, countries: Collection[str]) -> bool:
    """ "Gunmen killed nine Nigerien herders in Kofogou", "two Burkinabe officers were
    kidnapped": political violence with victims, told in a sentence that names a watched
    nation (or the Sahel) by a context word, is the monitor's business even when the
    village is unknown or not named; unless the place found is in another country."""
    if not any(h.kind == "context" for h in scan.hits) or scan.of("off_topic"):
        return False  # most articles: no context word, nothing to look at
    told = _sentences_with(scan, "context")
    abroad = _sentences_abroad(scan)
    for report in reports:
        country = report.location.country if report.location else None
        if report.historical or report.event_type not in POLITICAL_VIOLENCE:
            continue
        if country and country not in countries:
            continue  # "Malian migrants killed in Libya" happened in Libya
        if (report.figures or report.fatalities) and any(
            e in told and e not in abroad for e in report.evidence
        ):
            return True
    return False

def _placed_violence(reports: list[Report], scan: Scan, countries: Collection[str]) -> bool:
    """A place of a watched country where a violent event (political violence, or a riot
    that killed or wounded people) with victims or a named actor happened. The matcher discounts villages whose names are common elsewhere unless
    the article is otherwise about the Sahel; here the village is where the violence,
    its victims or its perpetrators were placed in the same sentences: a figure, an
    actor, a victim or harm word ("gunmen attacked worshippers in X", "three were
    killed") in the report's own sentences, or an explosion, which is violence
    enough."""
    if scan.of("off_topic"):
        return False
    victims = _sentences_with(scan, "victim") | _sentences_with(scan, "casualty", _HARM)
    for report in reports:
        loc = report.location
        if report.historical or loc is None or not _violent(report):
            continue
        if (
            loc.country in countries
            and (loc.feature_code or "") not in ADMIN_CODES | COUNTRY_CODES
        ):
            violent = (
                bool(report.figures or report.actors or report.fatalities)
                or report.event_type == "Explosions/Remote violence"
                or any(e in victims for e in report.evidence)
            )
            if violent and _named_as_a_place(report, scan):
                return True
    return False


def _violence_in_an_unknown_village(reports: list[Report], scan: Scan) -> bool:
    """ "Gunmen killed nine people in the village of X": a village the gazetteer lacks, named
    as a place, where political violence was done (a sentence of the report holds a violent
    event or harm word and a victim word or an actor), in an article that names no place
    beyond the watched countries. The gazetteer knows the world's countries, regions and
    cities, so a story from elsewhere names one; a village the Sahel's gazetteers lack
    and nothing places abroad is the monitor's business."""
    unknown = [
        r
        for r in reports
        if not r.historical
        and r.event_type in POLITICAL_VIOLENCE
        and r.location is not None
        and not r.location.country
        and is_unknown_place(r.location.place_id)
    ]
    if not unknown or scan.of("off_topic") or any("abroad" in h.flags for h in scan.hits):
        return False
    violent = _sentences_with(scan, "event", types=POLITICAL_VIOLENCE) | _sentences_with(scan, "casualty", _HARM)
    people = _sentences_with(scan, "victim") | _sentences_with(scan, "actor")
    return any(violent & people & set(r.evidence) for r in unknown)


def _violent(report: Report) -> bool:
    """Political violence, or a riot that killed or wounded people."""
    if report.event_type in POLITICAL_VIOLENCE:
        return True
    return report.event_type == "Riots" and any(f.kind in (figs.KILLED, figs.WOUNDED) for f in report.figures)


def _named_as_a_place(report: Report, scan: Scan) -> bool:
    """ "in Sassé", "the village of Kan", "between Po and Guiaro": the report's place was
    named as the place of an incident when a locative phrase leads to it, or to another
    place its sentences name (a list). A village whose name is common elsewhere may
    otherwise be a person or a source ("Sen. Ben Sasse", "Kan reported")."""
    place_id = report.location.place_id if report.location else None
    if place_id is None or is_unknown_place(place_id):
        return True  # a name the gazetteer lacks is only ever taken after a place word
    evidence = set(report.evidence)
    return any(
        named_as_a_place(scan.text, hit.start)
        for hit, index in zip(scan.hits, scan.hit_sentences)
        if hit.kind == "place" and (place_id in hit.key or scan.sentence_text(index) in evidence)
    )


def _sentences_with(
    scan: Scan, kind: str, keys: frozenset[str] | None = None, types: frozenset[str] | None = None
) -> set[str]:
    """The text of each sentence holding a hit of ``kind`` (with one of ``keys``, or for an
    event word one of the event ``types``): read off the hits' sentence indices, without
    grouping every hit by sentence as ``scan.by_sentence()`` would."""
    indices = {
        i
        for h, i in zip(scan.hits, scan.hit_sentences)
        if h.kind == kind and (keys is None or h.key in keys) and (types is None or h.key[0] in types)
    }
    return {scan.sentence_text(i) for i in indices}


def _sentences_abroad(scan: Scan) -> set[str]:
    """The text of each sentence naming a place beyond the watched countries."""
    indices = {i for h, i in zip(scan.hits, scan.hit_sentences) if "abroad" in h.flags}
    return {scan.sentence_text(i) for i in indices}


# casualty words that tell of harm done to people (an arrest is none)
_HARM = frozenset({figs.KILLED, figs.WOUNDED, figs.ABDUCTED, figs.MISSING})
_HARMED = frozenset({figs.MILITARY, figs.CIVILIAN, figs.UNSPECIFIED})  # victim groups but the attackers
