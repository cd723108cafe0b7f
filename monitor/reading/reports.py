"""Reading an article: which incidents it reports, where, when, what, who and how many.

``Extractor.load()`` builds the matcher once (watch list + gazetteer, under a second);
``Extractor.read(text, published)`` returns a ``Reading``: the article's relevance and its
``Report``s, the incident the text is mainly about first.

This module holds that public surface (with ``report_to_json`` and ``detect_language``),
the assembly of sentences, the building of reports and the watch-list supplement; the
steps below each have their own module:

- ``monitor.reading.sentences``: what the steps hand each other (``Anchor``, ``Item``,
  ``Sentence``, ``Cluster``, ``ClusterDate``), the place levels and ``HISTORY_DAYS``;
- ``monitor.reading.items``: a sentence's figures, single victims, relative days and
  incident nouns (step 1, beyond the matcher's hits and the dates);
- ``monitor.reading.places``: the incident's own place in a sentence (step 2);
- ``monitor.reading.clusters``: clusters, history, dates and pruning (steps 3 to 6);
- ``monitor.reading.event_type``: the event type (step 7).

How an article becomes reports
-------------------------------
1. **Sentences.** The matcher's scan gives, per sentence, the places, event words, actors,
   victims, claims; ``find_dates`` and ``find_figures`` add the dates and casualty figures.
   Dates inside a time span ("since 2012") and aggregate figures ("400 soldiers since
   early May") are dropped here: they never date or count an incident, and a sentence
   that sums up a period ("Since 2012, Mali has faced attacks") reports no incident. A
   single named victim ("assassinated a village chief") counts one killed. The watch list
   is read with a small supplement of event words news notes use and the seed list lacks
   (``SUPPLEMENT_EVENTS``, ``SUPPLEMENT_CLAIMS``: "assassinated", "set ablaze",
   "demonstration"...), to move into seeds/watchlist.yaml.
2. **The incident's own place.** Not every place named is where something happened. A
   place is *context* when it qualifies another ("Tangouchmane (Ayorou, Tillaberi)"), names
   a border ("near the Burkina Faso border", "à la frontière nigérienne"), a region or
   province ("in the Mopti region"), where forces are stationed ("Russian forces stationed
   at the airport" is not an airport attack), whose office it is ("abducted the mayor of
   Djibo near Kaya"), where a movement went or came from ("fleeing toward Aribinda",
   "coming from Kaya"), a distance reference ("30 km from Djibo"),
   the far end of a road or pair ("between San and Kimbala", "the Kidal-Anéfif road":
   one incident, placed at the first), or a town's quarter named with the town ("the
   Tanghin quarter of Ouagadougou", "le quartier X de Kaya": the gazetteer's match for the
   quarter is mostly a namesake village elsewhere). A distance reference, a qualifier or a
   road's far end (or an office's place, or a movement's end) that is all the sentence
   names is its place ("30 km from Djibo"). A place the gazetteer lacks counts too when the
   text says it is one ("the village of X", "X (Commune, Province)"): it is placed,
   approximately, at the known place that qualifies or is named nearest to it, and a known
   place right after it joined by a locating word ("X, near Djibo") is then context.
   Of the rest, specific places (towns, villages, bases) are the sentence's *anchors*; regions and countries anchor only a sentence that
   names nothing more specific.
3. **Clusters.** Each anchor has a cluster, keyed by its gazetteer id, so every mention
   of one place is one incident ("Tombouctou" and "Timbuktu" are one id). In a sentence
   with several anchors, each date, figure and event word goes to the nearest anchor;
   actors and claims go to all of them ("JNIM claimed the attacks on Boulikessi and
   Timbuktu"); event words, victims and a sole date go to every place of a list ("attacks
   hit Boni, Hombori and Douentza"), and a bare "incidents"/"violence" takes the event
   words of the sentence before that announced it. A title's "near X" only locates the
   body's incident. A sentence without an anchor continues the cluster in focus (the last one
   named), and so does a sentence naming only a region or country that contains it ("an
   attack in Mali" after the Boulkessi paragraph is the Boulkessi attack).
4. **History.** A sentence whose dates are all older than publication minus 14 days
   (``dates.is_historical``) feeds a separate historical cluster of the same place:
   "Timbuktu, recaptured in 2013" never touches today's Timbuktu attack. A historical
   cluster becomes a report (``historical=True``) only when it has a specific place and
   an event word; otherwise it is dropped.
5. **Dates.** A cluster's date is its first dated mention of day precision (else the
   coarsest available), explicit or relative ("on Sunday" against the publication date;
   "the next morning"/"le lendemain" and "the day prior"/"la veille" against the previous
   incident date of the article). An undated cluster takes the last non-historical date
   the article gave before it ("On Sunday, June 1, attacks were reported... Meanwhile in
   Boulikessi..."), else the publication date with precision ``unknown``.
6. **Pruning.** Clusters at country level are dropped when anything more specific
   exists (they are summaries: "attacks in Mali and Burkina Faso"); a region's cluster
   merges into the one specific cluster inside it (the same name first, else the first
   named); a placeless cluster survives only when it is all there is.
7. **Event type** (ACLED's precedence, see ``classify``): a real fight (clash, firefight,
   ambush, repelled, counter-attack) makes a Battle even with a car bomb or IED in it;
   otherwise explosives make Explosions/Remote violence; a generic "attack" is a Battle
   when its target is military (soldiers, a base, post, convoy, a state actor named) and
   violence against civilians when the victims are civilians or no armed side is
   named. Overrunning a base is a Battle: Armed clash with flag ``overrun``; taking a town
   or area is "Non-state actor overtakes territory" (flag ``territory``); a state
   actor retaking one is "Government regains territory". Mob violence and riots,
   protests and strategic developments (arrests, looting, withdrawal, an operation or an
   ultimatum, a ban...) come only when no political violence is reported.
8. **Toll.** Figures are those of ``monitor.reading.figures`` without aggregates and subsets,
   with lower-case kind and group; ``fatalities`` is ``figures.fatalities`` (ACLED's
   conservative total).
9. **Prominence** in [0, 1]: the cluster's share of the article's incident words and
   figures, plus 0.15 when the title names the place and up to 0.1 for coming early;
   historical clusters count half. Reports are ordered by it.

``Reading.relevant`` needs at least one non-historical report (an article that only tells
history links nothing into the register) and either ``relevance(scan) >=
RELEVANCE_THRESHOLD`` or a report of political violence (Battles, Explosions/Remote
violence, Violence against civilians) at a specific place of a watched country with a
figure or a named actor: the matcher discounts villages whose names are common elsewhere
unless the article is otherwise about the Sahel, and the extractor has found the village
as the place of the violence; or such a report with a figure whose sentence names a watched
nation by a context word ("nine Nigerien herders killed in the village of X", "deux
fonctionnaires burkinabè enlevés"), unless it names a country abroad ("Malian migrants
killed in Libya"). ``Reading.score`` stays the matcher's score. An article
without any event or casualty word is not read further (no reports).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from monitor.models import Figure, Location, Report
from monitor.reading import figures as figs
from monitor.reading.clusters import (
    cluster_date,
    cluster_sentences,
    cluster_weight,
    dates_before,
    fold_title_landmarks,
    place_name_keys,
    prune,
)
from monitor.reading.dates import (
    DateMention,
    find_dates,
    find_spans,
    is_historical,
    sane_publication,
)
from monitor.reading.event_type import (
    ARMED_KINDS,
    POLITICAL_VIOLENCE,
    Evidence,
    classify,
)
from monitor.reading.gazetteer import Gazetteer, Place, load_demonyms
from monitor.reading.items import (
    anaphoric,
    anterior,
    figure_items,
    habitual,
    incident_nouns,
    name_listed_incidents,
    single_kills,
    step_cues,
    stopped_not_arrested,
)
from monitor.reading.limits import MAX_INCIDENT_PLACES, within_caps
from monitor.reading.match import Hit, Matcher, Scan
from monitor.reading.places import (
    LOCATED_CUE,
    UNKNOWN_CUES,
    find_anchors,
    is_unknown_place,
    mark_near,
)
from monitor.reading.relevance import is_relevant, relevance
from monitor.reading.sentences import (
    HISTORY_DAYS,
    SPECIFIC,
    Anchor,
    Cluster,
    ClusterDate,
    Item,
    Sentence,
)
from monitor.reading.terms import Watchlist, load_watchlist
from monitor.reading.text import blank_link_lists, fold, name_key
from monitor.resources import SEEDS_DIR

__all__ = ["Extractor", "Reading", "classify", "detect_language", "report_to_json"]

log = logging.getLogger("monitor.reading")

# The state forces a report at a place of this country most likely involves.
_STATE_ACTORS = {"ML": "FAMa", "BF": "Burkina-Army", "NE": "Niger-Army"}


@dataclass(frozen=True)
class Reading:
    relevant: bool
    score: float
    language: str | None
    reports: list[Report]  # ordered by prominence: the incident the text is mainly about first
    # what the caps on one article's cost (``monitor.reading.limits``) left out or cut, in
    # words; empty for nearly every article
    skipped: tuple[str, ...] = ()


# --- language ----------------------------------------------------------------------------

_FR_WORDS = frozenset(
    "le la les des du de et est une un dans pour que qui sur au aux avec ont été par pas sont ces cette "  # noqa: SIM905
    "selon leur il ils elle ne se sa son lors depuis à hier ont été".split()
)
_EN_WORDS = frozenset(
    "the and of to in is was for on that with by were have has are from at an as it its after said "  # noqa: SIM905
    "this which who been had their".split()
)
# Frequent words of the other languages feeds carry (German, Dutch, Spanish, Portuguese,
# Italian, Indonesian) that are no French or English words, nor names met in Sahel news
# ("El", "Dan", "Di"): a text full of them is not read, lest "die" or "Sie" pass for a
# casualty word or a village.
_OTHER_WORDS = frozenset(
    "der das und ist nicht mit sich auf für ein eine einen dem den von zu wird werden sind auch bei oder wie "  # noqa: SIM905
    "sie ich zijn niet los las del y por una como pero más muy não dos das della delle gli sono anche che "
    "ao pelo pela também foi são seu sua muito nel nella alla degli dello questo "
    "yang ini itu dengan untuk dari tidak akan".split()
)
_FOREIGN_MIN = 5  # other-language words, at least, and at least as many as French and English ones
# what ``[a-zà-ÿ']+`` would find as words, found by byte translation and split (C, no regex)
_WORD_BYTES = bytes(b if (97 <= b <= 122 or b >= 0xE0 or b == 39) else 32 for b in range(256))
# each stop word's language (the three lists share no word)
_LANGUAGE_OF = {
    w.encode("latin-1"): lang for lang, words in (("fr", _FR_WORDS), ("en", _EN_WORDS), ("other", _OTHER_WORDS)) for w in words
}


def detect_language(text: str) -> str | None:
    """ "fr" or "en" by counting stop words in the first 3,000 characters; None when unclear
    (fewer than two, or as many of each) or when the text is in another language."""
    fr, en, other = _stop_word_counts(text)
    return None if _foreign(fr, en, other) else _french_or_english(fr, en)


def _stop_word_counts(text: str) -> tuple[int, int, int]:
    """French, English and other-language stop words among the first 3,000 characters."""
    words = text[:3000].lower().encode("latin-1", "replace").translate(_WORD_BYTES).split()
    counts = Counter(map(_LANGUAGE_OF.get, words))  # one pass in C, no Python loop
    return counts["fr"], counts["en"], counts["other"]


def _foreign(fr: int, en: int, other: int) -> bool:
    return other >= max(_FOREIGN_MIN, fr + en)


def _french_or_english(fr: int, en: int) -> str | None:
    if max(fr, en) < 2 or fr == en:
        return None
    return "fr" if fr > en else "en"


# --- the extractor ---------------------------------------------------------------------------


class Extractor:
    """Reads articles into reports. Build once with ``load``; ``read`` is a pure function."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.gazetteer: Gazetteer = matcher.gazetteer
        self.watchlist: Watchlist = matcher.watchlist
        self._actor_kind = {a.id: a.kind for a in self.watchlist.actors}

    @classmethod
    def load(cls, seeds_dir: Path | None = None, extra: Mapping[str, Any] | None = None) -> Extractor:
        """The watch list (with ``extra``, the config's extension) and the gazetteer of ``seeds_dir``."""
        folder = Path(seeds_dir) if seeds_dir else SEEDS_DIR
        watchlist = load_watchlist(folder / "watchlist.yaml", _with_supplement(extra))
        csvs = [
            folder / "gazetteer.csv",
            folder / "world.csv",
            *sorted(p for p in folder.glob("places*.csv")),
        ]
        gazetteer = Gazetteer.load([p for p in csvs if p.exists()], watchlist.countries or ("ML", "BF", "NE"))
        demonyms = load_demonyms(folder / "demonyms.csv") if (folder / "demonyms.csv").exists() else {}
        return cls(Matcher.build(watchlist, gazetteer, demonyms))

    def read(self, text: str, published: date, lang: str | None = None, title: str = "") -> Reading:
        """The article's relevance and reports. Never raises on any text or date: a date out
        of the calendar's sane years is taken as the nearest sane one, and a text past the
        caps of ``monitor.reading.limits`` is read up to them (``Reading.skipped`` says what
        was left out, and a warning is logged)."""
        published = sane_publication(published)
        title, text, cut = within_caps(title, text)
        reading = self._read(text, published, lang, title)
        skipped = cut + reading.skipped
        if skipped:
            log.warning("reading capped: %s", "; ".join(skipped))
        return replace(reading, skipped=skipped) if cut else reading

    def _read(self, text: str, published: date, lang: str | None, title: str) -> Reading:
        if lang not in ("en", "fr"):
            fr, en, other = _stop_word_counts(f"{title}\n{text}")
            if _foreign(fr, en, other):
                return Reading(False, 0.0, None, [])  # neither French nor English: not read
            lang = _french_or_english(fr, en)
        body, title_end = _with_title(title, text)
        body = blank_link_lists(body)  # "Lire aussi : ..." lists other stories' headlines
        scan = self.matcher.scan(body)
        score = relevance(scan)
        if not any(h.kind in ("event", "casualty") for h in scan.hits) and "incident" not in body.lower():
            return Reading(False, score, lang, [], scan.skipped)  # no violence named: nothing to read (most news)
        low = scan.folded or fold(body)  # the scan folded the text once already
        sentences = self._sentences(scan, low, published, lang, title_end)
        clusters, unread = cluster_sentences(sentences, published)
        clusters = prune(fold_title_landmarks(clusters))
        reports = [r for r in self._reports(clusters, sentences, low, published, title) if not self._abroad(r)]
        relevant = is_relevant(reports, scan, score, self.watchlist.countries)
        skipped = scan.skipped
        if unread:
            skipped += (f"{unread} incident place(s) skipped beyond the first {MAX_INCIDENT_PLACES}",)
        return Reading(relevant, score, lang, reports, skipped)

    def _abroad(self, report: Report) -> bool:
        """Placed in a country beyond the watched ones ("Kano", "Kyiv"): no Sahel incident."""
        country = report.location.country if report.location else None
        return bool(country) and country not in self.watchlist.countries

    # --- sentences ---------------------------------------------------------------------

    def _sentences(self, scan: Scan, low: str, published: date, lang: str | None, title_end: int) -> list[Sentence]:
        """Every sentence with what it says; the text-wide searches run once, not per sentence."""
        spans = [(s.start, s.end) for s in find_spans(scan.text, None)]
        dates = find_dates(scan.text, published, lang)
        if spans:  # most articles have no time span ("since 2012") to drop dates from
            dates = [d for d in dates if not any(a <= d.start < b for a, b in spans)]
        extras = sorted(
            [Item(d.start, d.end, "date", d) for d in dates] + step_cues(low) + incident_nouns(low),
            key=lambda i: i.start,
        )
        span_starts = sorted(a for a, _ in spans)  # for a bisect per sentence, not a scan of all spans
        by_sentence = scan.by_sentence()
        out: list[Sentence] = []
        at = 0
        for index, (start, end) in enumerate(scan.sentences):
            mine: list[Item] = []
            while at < len(extras) and extras[at].start < end:
                if extras[at].start >= start:
                    mine.append(extras[at])
                at += 1
            hits = by_sentence.get(index)
            if not hits and not mine:  # most sentences of an article: nothing to read
                out.append(
                    Sentence(
                        index,
                        start,
                        end,
                        scan.text[start:end],
                        [],
                        [],
                        start < title_end,
                        False,
                        False,
                    )
                )
                continue
            out.append(
                self._sentence(
                    scan,
                    index,
                    (start, end),
                    hits or [],
                    mine,
                    span_starts,
                    published,
                    lang,
                    low,
                    title_end,
                )
            )
        if extras and any(i.kind == "noun" for i in extras):
            name_listed_incidents(out)
        return out

    def _sentence(
        self,
        scan: Scan,
        index: int,
        span: tuple[int, int],
        hits: list[Hit],
        extras: list[Item],
        span_starts: list[int],
        published: date,
        lang: str | None,
        low: str,
        title_end: int,
    ) -> Sentence:
        start, end = span
        text = scan.text[start:end]
        hits = [h for h in hits if not stopped_not_arrested(low, h)]
        items = [Item(h.start, h.end, h.kind, h) for h in hits if h.kind in _HIT_ITEMS]
        kinds = {h.kind for h in hits}
        if "actor" in kinds:
            items = self._background_actors_out(items, hits, low, span)
        # event and casualty hits are always items (only actors are ever taken out), and
        # figures come only with them: the sentence is eventful by its hits or by a noun
        # "18 morts suite à la consommation d'aliments contaminés": deaths, but no violence
        violent = any(h.kind == "event" and h.key[0] in POLITICAL_VIOLENCE for h in hits)
        harmless = "cause" in kinds and not violent
        if harmless:
            items = [i for i in items if i.kind != "casualty"]
            kinds.discard("casualty")
        eventful = "casualty" in kinds or "event" in kinds
        if eventful and not harmless:  # "executed seven civilians": an event word counts too
            counted = figure_items(text, start, lang)
            items += counted + single_kills(text, start, counted, low[start:end])
        historical = False
        if extras:  # most sentences with hits have no date, step or noun: skip the lists
            dates: list[DateMention] = [i.value for i in extras if i.kind == "date"]
            historical = bool(dates) and all(
                is_historical(d.date, published, HISTORY_DAYS, d.precision) for d in dates
            )
            items += [Item(d.start, d.end, "date", ClusterDate(d.date, d.precision, not d.relative)) for d in dates]
            nouns = [i for i in extras if i.kind == "noun" or (i.kind == "step" and not dates)]
            items += nouns
            eventful = eventful or any(i.kind == "noun" for i in nouns)
        anchors = (
            find_anchors(scan, span, hits, self.gazetteer, low, eventful)
            if "place" in kinds
            or UNKNOWN_CUES.search(low, start, end)
            or (eventful and LOCATED_CUE.search(scan.text, start, end))
            else []
        )
        if anchors:
            anchors = self._not_of_other_nations(anchors, low)
        if start < title_end:
            mark_near(anchors, low, start)
        # "Since 2012, Mali has faced attacks": a sentence that sums up a period without naming
        # a specific place reports no incident ("40 killed in Dioura, 400 since May" does)
        first_span = bisect_left(span_starts, start)  # a span starting in this sentence?
        placed = any(a.level == SPECIFIC and not a.context for a in anchors)
        summary = (first_span < len(span_starts) and span_starts[first_span] < end and not placed) or (
            eventful and habitual(low, start, end, placed, items, violent or "casualty" in kinds)
        )
        incident = not summary and eventful and not (lang == "fr" and anterior(low, hits, items))
        told_before = incident and not anchors and anaphoric(low, hits, items)
        return Sentence(
            index,
            start,
            end,
            text,
            anchors,
            items,
            start < title_end,
            historical,
            incident,
            told_before,
        )

    def _not_of_other_nations(self, anchors: list[Anchor], low: str) -> list[Anchor]:
        """Without the villages the gazetteer lacks that the text gives to a nation beyond
        the watched ones ("the Nigerian town of X"): no place of ours, and none we can place."""
        countries = self.watchlist.countries
        namesakes = self.matcher.namesakes
        return [
            a
            for a in anchors
            if not is_unknown_place(a.place.id) or namesakes.nation_before(low, a.hit.start) in (None, *countries)
        ]

    def _background_actors_out(
        self, items: list[Item], hits: list[Hit], low: str, span: tuple[int, int]
    ) -> list[Item]:
        """Actor names that are no side of the incident: al-Qaeda as an allegiance, forces
        named as gone."""
        if any(h.key == _AL_QAEDA_ID for h in hits):
            items = self._affiliations(items, low)
        if _DEPARTURE_CUE.search(low, *span):
            items = [i for i in items if not (i.kind == "actor" and _departed(i.start, low, span[0]))]
        return items

    def _affiliations(self, items: list[Item], low: str) -> list[Item]:
        """ "Al-Qaeda-linked JNIM", "gunmen linked to al-Qaida", "le JNIM, affilié à al-Qaïda":
        the bare name of al-Qaeda describes a group's allegiance; it does not name AQIM as a
        perpetrator. It goes when the sentence names another armed group (the one it
        describes), else it stands for JNIM, al-Qaeda's branch in the Sahel."""
        described = [i for i in items if i.kind == "actor" and _affiliation(i.value, low)]
        if not described:
            return items
        others = any(
            i.kind == "actor" and i not in described and self._actor_kind.get(i.value.key) in ARMED_KINDS
            for i in items
        )
        out: list[Item] = []
        for item in items:
            if item not in described:
                out.append(item)
            elif not others and _AL_QAEDA_BRANCH in self._actor_kind:
                hit = item.value
                branch = Hit(hit.start, hit.end, "actor", _AL_QAEDA_BRANCH, hit.surface, hit.flags)
                out.append(Item(item.start, item.end, "actor", branch))
        return out

    # --- reports ---------------------------------------------------------------------------

    def _reports(
        self,
        clusters: list[Cluster],
        sentences: list[Sentence],
        low: str,
        published: date,
        title: str,
    ) -> list[Report]:
        weights = [cluster_weight(c) for c in clusters]
        total = sum(weights) or 1.0
        title_key = f" {name_key(title)} " if title else ""
        made: list[Report] = []
        earlier = dates_before(sentences, published) if clusters else []
        claimants = self._last_claimants(sentences) if any(i.kind == "claim" for c in clusters for _, i in c.items) else []
        for cluster, weight in zip(clusters, weights):
            made.append(self._report(cluster, sentences, low, published, weight / total, title_key, earlier, claimants))
        made.sort(key=lambda r: (r.historical, -r.prominence))
        return made

    def _report(
        self,
        cluster: Cluster,
        sentences: list[Sentence],
        low: str,
        published: date,
        share: float,
        title_key: str,
        earlier: list[ClusterDate | None],
        claimants: list[str | None],
    ) -> Report:
        values = cluster.by_kind()  # one pass over the items; every step below reads it
        when = cluster_date(cluster, sentences, published, values.get("date", []), earlier)
        historical = cluster.key[1] or (
            when.precision != "unknown" and is_historical(when.date, published, HISTORY_DAYS, when.precision)
        )
        found: list[figs.Figure] = values.get("figure", [])
        actors = self._actors(cluster, values)
        evidence = Evidence(
            values.get("event", []),
            values.get("casualty", []),
            found,
            actors,
            low,
            [(sentences[i].start, sentences[i].end) for i in cluster.sentences],
        )
        event_type, sub_type, flags = classify(evidence, self._actor_kind)
        if any(f.kind == figs.ABDUCTED for f in found):
            flags = flags | {"hostages"}
        return Report(
            event_date=when.date,
            date_precision=when.precision,
            location=_location(cluster.place),
            event_type=event_type,
            sub_event_type=sub_type,
            actors=tuple(actors),
            figures=_report_figures(found),
            fatalities=figs.fatalities(found),
            historical=historical,
            evidence=tuple(dict.fromkeys(sentences[i].text for i in cluster.sentences)),
            claimed_by=self._claims(cluster, sentences, claimants) if "claim" in values else (),
            flags=frozenset(flags),
            prominence=_prominence(cluster, share, len(sentences), title_key, historical),
        )

    def _actors(self, cluster: Cluster, values: dict[str, list[Any]]) -> list[str]:
        """Canonical ids in order of mention, plus the state forces of the place's country
        when the cluster speaks of soldiers without naming them (``values``: the cluster's
        ``by_kind``)."""
        ids = list(dict.fromkeys(h.key for h in values.get("actor", ())))
        military = any(h.key == "military" for h in values.get("victim", ())) or any(
            f.group == figs.MILITARY for f in values.get("figure", ())
        )
        state = _STATE_ACTORS.get(cluster.place.country) if cluster.place else None
        if (
            military
            and state
            and state in self._actor_kind
            and not any(self._actor_kind.get(a) == "state" for a in ids)
        ):
            ids.append(state)
        return ids

    def _claims(self, cluster: Cluster, sentences: list[Sentence], claimants: list[str | None]) -> tuple[str, ...]:
        """Who claimed it: the actor nearest a claim word in its sentence (a non-state one
        first), else the last non-state actor the article named before it."""
        claimed: list[str] = []
        for index, item in cluster.items:
            if item.kind != "claim":
                continue
            sentence = sentences[index]
            if _negated(sentence.text, item.start - sentence.start):
                continue
            actor = self._claimant(sentence, item) or claimants[index]
            if actor:
                claimed.append(actor)
        return tuple(dict.fromkeys(claimed))

    def _claimant(self, sentence: Sentence, claim: Item) -> str | None:
        actors = [i for i in sentence.items if i.kind == "actor" and self._actor_kind.get(i.value.key) != "state"]
        before = [a for a in actors if a.end <= claim.start]
        if before:
            return str(before[-1].value.key)
        return str(actors[0].value.key) if actors else None

    def _last_claimants(self, sentences: list[Sentence]) -> list[str | None]:
        """For each sentence, the last armed actor the sentences before it named (one pass
        for an article, not a walk back per claim)."""
        out: list[str | None] = []
        last: str | None = None
        for sentence in sentences:
            out.append(last)
            for item in sentence.items:
                if item.kind == "actor" and self._actor_kind.get(item.value.key) in ARMED_KINDS:
                    last = str(item.value.key)
        return out


# Event words the seed watch list lacks, which incident notes use all the time (ACLED's
# "assassinated", "set ablaze", "demonstration"...). Added after the user's extension, so
# an error in that still names its own key path. To move into seeds/watchlist.yaml.
SUPPLEMENT_EVENTS: list[dict[str, Any]] = [
    {
        "type": "Violence against civilians",
        "sub_type": "Attack",
        "terms": [
            "assassinat{e|ed|es|ing|ion|ions}", "assassin{é|ée|és|ées|at|ats}", "shot dead", "gunned down",
            "murder{|ed|s}", "beaten to death", "beat to death", "hacked to death", "burned alive", "tortur{e|ed}",
            "flogg{ed|ing}", "whipped", "égorg{é|ée|és|ées}", "tortur{é|ée|és|ées}", "fouett{é|és}",
        ],
    },
    {
        "type": "Battles",
        "sub_type": "Armed clash",
        "flags": ["generic"],
        "terms": ["shot", "shooting{|s}", "fired at", "fired on", "tiré sur", "tirs sur", "coups de feu"],
    },
    {
        "type": "Battles",
        "sub_type": "Armed clash",
        "terms": ["exchanged fire", "exchange{|d} gunfire", "fought", "fighting between", "échangé des tirs"],
    },
    {
        "type": "Explosions/Remote violence",
        "sub_type": "Remote explosive/landmine/IED",
        "terms": ["struck a mine", "hit a mine", "ran over a mine", "mine explosion", "detonat{ed|ion}"],
    },
    {
        "type": "Strategic developments",
        "sub_type": "Looting/property destruction",
        "terms": [
            "burn{ed|t|ing}", "set ablaze", "ablaze", "ransack{ed|ing}", "vandali{z|s}{ed|ing}", "destroy{ed|ing}",
            "stole", "stolen", "steal{|ing}", "rustled", "seized", "seizing", "brûl{é|ée|és|ées}",
            "vandalis{é|ée|és|ées}", "détrui{t|ts|te|tes}", "emport{é|és}", "vol{é|ée|és|ées}",
        ],
    },
    {
        "type": "Riots",
        "sub_type": "Violent demonstration",
        "terms": [
            "barricad{e|es|ed|ing}", "threw stones", "throwing stones", "stone-throwing", "mutin{y|ied|ies|eers}",
            "burned tires", "burning tires", "jets de pierres", "mutinerie{|s}", "mutins",
        ],
    },
    {
        "type": "Protests",
        "sub_type": "Peaceful protest",
        "terms": [
            "demonstration{|s}", "demonstrated", "marched", "rall{y|ies|ied}", "on strike", "went on strike",
            "general strike", "strikers", "grève{|s}", "grévistes", "marche{|s} pacifique{|s}",
        ],
    },
]  # fmt: skip


SUPPLEMENT_CLAIMS = [
    "claimed the {ambush|raid|assault|attacks|bombing|killing|killings|abduction|kidnapping|operation|operations}",
    "claimed it", "claimed the strike", "has claimed", "have claimed", "claimed by",
]  # fmt: skip


def _with_supplement(extra: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if extra is not None and not isinstance(extra, Mapping):
        return extra  # let the watch list's own checks name the problem
    merged = dict(extra or {})
    for key, supplement in (
        ("events", SUPPLEMENT_EVENTS),
        ("claims", SUPPLEMENT_CLAIMS),
    ):
        given = merged.get(key, [])
        merged[key] = [*given, *supplement] if isinstance(given, list) else given
    return merged


def _with_title(title: str, text: str) -> tuple[str, int]:
    """The title as the first line, unless the text already begins with it."""
    title = title.strip()
    if not title or name_key(title) in name_key(text[: len(title) + 200]):
        return text, 0
    return f"{title}\n\n{text}", len(title)


# al-Qaeda named as the network a group belongs to, not as its branch AQIM ("in the Islamic
# Maghreb", "AQIM" itself are that branch's own names)
_AL_QAEDA_ID = "AQIM"
_AL_QAEDA_BRANCH = "JNIM"
_AFFILIATION_AFTER = re.compile(
    r"\s*(?:-\s*|\s)(?:linked|affiliated|allied|aligned|backed|inspired|loyal|affilie\w*|lie|liee?s?)\b"
    r"|'s\s+(?:\w+\s+)?(?:affiliate|branch|franchise|offshoot|wing|arm|ally|allies)\b"
)
_AFFILIATION_BEFORE = re.compile(
    r"\b(?:linked|affiliated|allied|aligned|tied|loyal|allegiance|close|connected|affiliate|branch|franchise|offshoot"
    r"|affilie\w*|lie|liee?s?|proches?|allie\w*|fideles?|allegeance|branche|filiale|franchise|bras)"
    r"\s+(?:\w+\s+)?(?:to|with|of|a|au|avec|de|d'|du)\s*(?:the\s+)?$"
)


def _affiliation(hit: Hit, low: str) -> bool:
    """A bare "al-Qaeda" that says whom a group is linked to: "al-Qaeda-linked",
    "al-Qaeda's affiliate", "affiliated to al-Qaeda", "affilié à al-Qaïda"."""
    if hit.key != _AL_QAEDA_ID or not low.startswith("al", hit.start):
        return False
    if "maghreb" in low[hit.start : hit.end]:
        return False
    before = low[max(0, hit.start - 40) : hit.start]
    return bool(_AFFILIATION_AFTER.match(low, hit.end) or _AFFILIATION_BEFORE.search(before))


# "since the withdrawal of MINUSMA peacekeepers", "le départ de Barkhane": forces named as
# gone are background, never a side of the incident told beside them
_DEPARTURE_CUE = re.compile(r"\b(?:withdr[ae]w|depart|pull-?out|drawdown|retrait|exit)")
_DEPARTED_BEFORE = re.compile(
    r"\b(?:withdrawal|departure|pull-?out|drawdown|exit|retrait|depart)\s+(?:of|from|de|du|des|d')\s*"
    r"(?:the\s+|la\s+|le\s+|les\s+|l')?(?:[a-z]+\s+)?$"
)


def _departed(pos: int, low: str, floor: int) -> bool:
    return _DEPARTED_BEFORE.search(low, max(floor, pos - 50), pos) is not None


_HIT_ITEMS = frozenset({"event", "actor", "victim", "claim", "casualty"})


_NEGATION = re.compile(
    r"(?:\bno\b|\bnot\b|\bnobody\b|\bnone\b|yet\s+to|n'a\s+pas|n'ont\s+pas|pas\s+encore|aucun|non\s+)[^.]{0,30}$"
)


def _negated(sentence: str, pos: int) -> bool:
    """ "No group has claimed responsibility", "n'a pas été revendiquée"."""
    return bool(_NEGATION.search(fold(sentence[max(0, pos - 40) : pos])))


# --- output --------------------------------------------------------------------------------------


def _prominence(cluster: Cluster, share: float, sentences: int, title_key: str, historical: bool) -> float:
    score = share + 0.1 * (1 - cluster.first / max(sentences, 1))
    if cluster.place is not None and title_key and any(f" {k} " in title_key for k in place_name_keys(cluster.place.names)):
        score += 0.15
    if historical:
        score *= 0.5
    return round(min(score, 1.0), 3)


def _location(place: Place | None) -> Location | None:
    if place is None:
        return None
    return Location(
        name=place.name,
        admin1=place.admin1 or None,
        admin2=place.admin2 or None,
        country=place.country or None,
        lat=place.lat,
        lon=place.lon,
        place_id=place.id,
        feature_code=place.feature_code or None,
        admin3=place.admin3 or None,
    )


def _report_figures(found: list[figs.Figure]) -> tuple[Figure, ...]:
    """Each claim once; "31 arrested" after "arresting 31 suspected terrorists" repeats it."""
    seen: dict[tuple[object, ...], Figure] = {}
    named = {(f.kind, f.low, f.high) for f in found if f.group != figs.UNSPECIFIED}
    for f in found:
        if f.group == figs.UNSPECIFIED and (f.kind, f.low, f.high) in named:
            continue
        key = (f.kind, f.group, f.low, f.high, f.qualifier)
        seen.setdefault(
            key,
            Figure(f.kind.lower(), f.group.lower(), f.low, f.high, f.qualifier, f.text),
        )
    return tuple(seen.values())


def report_to_json(report: Report) -> dict[str, Any]:
    """The ``extract`` contract's report object (plus claimed_by, flags and prominence)."""
    loc = report.location
    return {
        "event_date": report.event_date.isoformat() if report.event_date else None,
        "date_precision": report.date_precision,
        "location": None
        if loc is None
        else {
            "name": loc.name,
            "admin1": loc.admin1,
            "admin2": loc.admin2,
            "admin3": loc.admin3,
            "country": loc.country,
            "lat": loc.lat,
            "lon": loc.lon,
        },
        "event_type": report.event_type,
        "sub_event_type": report.sub_event_type,
        "actors": list(report.actors),
        "figures": [
            {
                "kind": f.kind,
                "group": f.group,
                "low": f.low,
                "high": f.high,
                "qualifier": f.qualifier,
                "text": f.text,
            }
            for f in report.figures
        ],
        "fatalities": report.fatalities,
        "historical": report.historical,
        "evidence": list(report.evidence),
        "claimed_by": list(report.claimed_by),
        "flags": sorted(report.flags),
        "prominence": report.prominence,
    }
