"""Gathering an article's sentences into incidents: one cluster per incident place, and
each cluster's date.

Each anchor has a cluster keyed by its gazetteer id (and whether the sentence is history);
a sentence without an anchor continues the cluster in focus; each date, figure and event
word goes to the nearest anchor, what a list of places shares to every place of the list.
A title's "near X" only locates the body's incident. Pruning drops country-level summaries
and folds a region into the place inside it. See the module doc of ``monitor.reading.reports``,
steps 3 to 6.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise

from monitor.reading.dates import DAY, MONTH, WEEK, YEAR, is_historical
from monitor.reading.gazetteer import Place, distance_km
from monitor.reading.limits import MAX_INCIDENT_PLACES
from monitor.reading.places import incident_anchors, without_parentheses
from monitor.reading.sentences import (
    ADMIN,
    COUNTRY,
    COUNTRY_CODES,
    HISTORY_DAYS,
    SPECIFIC,
    Anchor,
    Cluster,
    ClusterDate,
    Item,
    Sentence,
    span_gap,
)
from monitor.reading.text import name_key

_PRECISION_RANK = {DAY: 0, WEEK: 1, MONTH: 2, YEAR: 3}


def cluster_sentences(sentences: list[Sentence], published: date) -> tuple[list[Cluster], int]:
    """Sentences and their items into one cluster per incident place (see the module doc),
    the first ``MAX_INCIDENT_PLACES`` in the order they are named; and how many more there were."""
    clusters: dict[tuple[str, bool], Cluster] = {}
    focus: tuple[str, bool] | None = None
    last_date: date | None = None  # the last incident date given, for "the next morning"
    lead: tuple[int, list[Anchor]] | None = None  # a place the sentence before named, no incident told
    for s in sentences:
        if not s.anchors and not s.incident:
            continue  # most sentences: no place and no incident, nothing moves the focus
        anchors = incident_anchors(s.anchors)
        if focus is not None and anchors and _within_focus(anchors, clusters[focus]):
            anchors = []  # "an attack in Mali" continues the Boulkessi story
        if not s.incident:
            if anchors:
                known = [(a.place.id, s.historical) for a in anchors if (a.place.id, s.historical) in clusters]
                focus = known[0] if known else focus
                lead = (s.index, anchors)
            continue
        if not anchors and focus is None and lead is not None and lead[0] == s.index - 1:
            # "Escarmouche à Kidal." then "2 morts (combattants)": the toll of the line before,
            # when nothing else is in focus yet
            anchors = [a for a in lead[1] if a.level == SPECIFIC]
        if anchors:
            anchors = _title_landmarks_last(anchors, s.title)
            targets = [_get(clusters, a.place, a.level, s.historical, s.index) for a in anchors]
            for anchor, cluster in zip(anchors, targets):
                cluster.near_title |= s.title and anchor.near
                cluster.named |= not (s.title and anchor.near)
        else:
            target = _focus_cluster(clusters, focus, s)
            targets = [target]
        last_date = _assign(s, anchors, targets, last_date)
        focus = _main_target(targets).key
    made = list(clusters.values())  # in the order they were first named
    return made[:MAX_INCIDENT_PLACES], max(0, len(made) - MAX_INCIDENT_PLACES)


def _title_landmarks_last(anchors: list[Anchor], title: bool) -> list[Anchor]:
    """A title naming a place and a landmark near it ("Attack in Sangha near Bandiagara") is
    about the place alone."""
    if not title or not any(a.near for a in anchors):
        return anchors
    own = [a for a in anchors if not a.near]
    return own or anchors


def fold_title_landmarks(clusters: list[Cluster]) -> list[Cluster]:
    """A cluster only a title's "near X" made is the story the body tells at its own place:
    it joins the body's incident nearest that landmark (same admin2, else admin1, else the
    one with most to say). Kept when the body names no other place."""
    landmarks = [c for c in clusters if c.near_title and not c.named and not c.key[1]]
    if not landmarks:
        return clusters
    out = [c for c in clusters if c not in landmarks]
    for landmark in landmarks:
        bodies = [c for c in out if not c.key[1] and c.place is not None and _has_incident(c)]
        if not bodies:
            out.append(landmark)
            continue
        _merge_into(min(bodies, key=lambda c: _closeness(landmark.place, c)), landmark)
    return out


_LANDMARK_KM = 60.0  # how far "near" a town reaches, generously: a cercle's size


def _closeness(landmark: Place | None, cluster: Cluster) -> tuple[bool, bool, float, int]:
    """Sort key: the body's incidents near the landmark first, then those of its region."""
    place = cluster.place
    assert place is not None and landmark is not None
    near = bool(place.admin2) and place.admin2 == landmark.admin2
    if not near and None not in (place.lat, place.lon, landmark.lat, landmark.lon):
        near = distance_km((place.lat, place.lon), (landmark.lat, landmark.lon)) <= _LANDMARK_KM  # type: ignore[arg-type]
    same1 = bool(place.admin1) and place.admin1 == landmark.admin1
    return (not near, not same1, -cluster_weight(cluster), cluster.first)


def _within_focus(anchors: list[Anchor], focus: Cluster) -> bool:
    """Only regions or countries that contain the place in focus."""
    place = focus.place
    if place is None or focus.level != SPECIFIC:
        return False
    return all(a.level != SPECIFIC and _contains(a.place, place) for a in anchors)


def _contains(area: Place, place: Place) -> bool:
    if area.country != place.country:
        return False
    if area.feature_code in COUNTRY_CODES:
        return True
    keys = place_name_keys(area.names)
    return _name_key(place.admin1) in keys or _name_key(place.admin2) in keys


@lru_cache(maxsize=16384)
def place_name_keys(names: tuple[str, ...]) -> frozenset[str]:
    """The ``name_key`` of each of a place's names (places recur: cached)."""
    return frozenset(name_key(n) for n in names)


@lru_cache(maxsize=16384)
def _name_key(name: str) -> str:
    return name_key(name)


def _get(
    clusters: dict[tuple[str, bool], Cluster],
    place: Place | None,
    level: int,
    historical: bool,
    index: int,
) -> Cluster:
    key = (place.id if place else "", historical)
    if key not in clusters:
        clusters[key] = Cluster(key, place, level, index)
    return clusters[key]


def _focus_cluster(
    clusters: dict[tuple[str, bool], Cluster],
    focus: tuple[str, bool] | None,
    s: Sentence,
) -> Cluster:
    """The cluster a sentence without its own place continues (its historical twin for history)."""
    if focus is None:
        return _get(clusters, None, COUNTRY + 1, s.historical, s.index)
    current = clusters[focus]
    if s.anaphoric:  # "les auteurs de l'attaque restent inconnus": the attack told before, history or not
        return current
    return _get(clusters, current.place, current.level, s.historical, s.index)


def _assign(
    s: Sentence,
    anchors: list[Anchor],
    targets: list[Cluster],
    last_date: date | None,
) -> date | None:
    """Each item to the nearest anchor's cluster; actors and claims to all of them; what
    the sentence says of a list of places ("attacks hit Boni, Hombori and Douentza") to
    every place of the list, except figures (one toll is not counted twice)."""
    for cluster in targets:
        cluster.add(s.index)
    index = s.index
    if len(targets) == 1:  # most sentences: everything goes to the one cluster, no choosing
        own = targets[0].items
        for item in s.items:
            if item.kind == "step":
                if last_date is None:
                    continue
                item = _step_date(item, last_date)
            own.append((index, item))
            if item.kind == "date" and not s.historical and item.value.precision == DAY:
                last_date = item.value.date
        return last_date
    lists = _enumerations(s, anchors)
    one_date = bool(lists) and sum(1 for i in s.items if i.kind == "date") == 1  # a list shares a sole date
    for item in s.items:
        if item.kind == "step":
            if last_date is None:
                continue
            item = _step_date(item, last_date)
        if item.kind in ("actor", "claim"):
            chosen = targets
        else:
            nearest = _nearest(item, anchors, s)
            shared = (item.kind in _LIST_ITEMS or item.kind == "date" and one_date) and lists
            chosen = [t for t, g in zip(targets, lists) if g == lists[nearest]] if shared else [targets[nearest]]
        for cluster in chosen:  # every target holds the sentence already (above)
            cluster.items.append((index, item))
        if item.kind == "date" and not s.historical and item.value.precision == DAY:
            last_date = item.value.date
    return last_date


def _step_date(step: Item, last_date: date) -> Item:
    """"the next morning": the date a step of days from the article's last incident date gives."""
    return Item(step.start, step.end, "date", ClusterDate(last_date + timedelta(days=step.value), DAY, False))


def _nearest(item: Item, anchors: list[Anchor], s: Sentence) -> int:
    """The anchor an item is about: the place right after it when a preposition joins them
    ("killing 5 soldiers in Boni, 3 in Hombori"), else the nearest on either side."""
    ids = [a.place.id for a in anchors]
    for mention in s.anchors:  # every mention: "attacked Boni ..., killing 5 in Boni"
        if item.end <= mention.hit.start and mention.place.id in ids and _LOCATIVE_GAP.fullmatch(
            s.text, item.end - s.start, mention.hit.start - s.start
        ):
            return ids.index(mention.place.id)
    return min(
        range(len(anchors)),
        key=lambda i: span_gap(item.start, item.end, anchors[i].hit.start, anchors[i].hit.end),
    )


_LOCATIVE_GAP = re.compile(
    r"\s+(?:in|at|near|on|à|au|dans|de|du|près\s+de)\s+(?:the\s+|l['’]|la\s+|le\s+)?"
    r"(?:(?:village|town|city|locality|commune|localité|ville)\s+(?:of|de|d['’])\s*)?",
    re.IGNORECASE,
)


_LIST_ITEMS = frozenset({"event", "noun", "victim"})  # dates: see cluster_date
# what may stand between two places of one list once context places and parentheses are
# taken out: "Boni, Hombori and Douentza", "San and Kimbala (Ségou), Niéna and Komani",
# "entre San et Kimbala, et entre Niéna et Komani", "les provinces de la Kossi et du Soum"
_LIST_GAP = re.compile(
    r"[\s,;&/\-–]*(?:(?:and|et|or|ou|between|entre)\b[\s,;&/\-–]*(?:(?:the|la|le|les|du|de|des)\b\s*|l['’]|d['’])?)*"
)


def _enumerations(s: Sentence, anchors: list[Anchor]) -> list[int]:
    """A list number per anchor: anchors named one after another, with only commas, "and"
    and context places between them, share one."""
    context = [a.hit for a in s.anchors if a.context]
    out = [0]
    for a, b in pairwise(anchors):
        gap = s.text[a.hit.end - s.start : b.hit.start - s.start].lower()
        for hit in context:
            if a.hit.end <= hit.start and hit.end <= b.hit.start:
                gap = gap.replace(s.text[hit.start - s.start : hit.end - s.start].lower(), " ", 1)
        gap = without_parentheses(gap)
        listed = a.hit.end <= b.hit.start and gap.strip() and _LIST_GAP.fullmatch(gap)  # "Bella Beri" is one name
        out.append(out[-1] if listed else out[-1] + 1)
    return out


def _main_target(targets: list[Cluster]) -> Cluster:
    return targets[-1] if len(targets) > 1 else targets[0]


def prune(clusters: list[Cluster]) -> list[Cluster]:
    """Drop summaries and empty clusters; fold regions into the place inside them.

    A country-level or placeless cluster survives only when it is all the article has
    ("12 soldiers were killed in an attack" still says what and how many).
    """
    live = [c for c in clusters if _has_incident(c)]
    live = [c for c in live if not c.key[1] or (c.level == SPECIFIC and c.of("event"))]
    current = [c for c in live if not c.key[1]]
    placed = [c for c in current if c.place is not None and c.level <= ADMIN]
    specific = [c for c in placed if c.level == SPECIFIC]
    kept: list[Cluster] = []
    for cluster in live:
        if cluster.key[1] or cluster.level == SPECIFIC:
            kept.append(cluster)
        elif cluster.level == ADMIN:
            inside = [c for c in specific if c.place is not None and _contains(cluster.place, c.place)]  # type: ignore[arg-type]
            if inside:
                _merge_into(_same_name(cluster, inside), cluster)
            else:
                kept.append(cluster)
        elif not placed and len(current) == 1:
            kept.append(cluster)
    return kept


def _has_incident(cluster: Cluster) -> bool:
    return any(item.kind in ("event", "casualty", "figure", "noun") for _, item in cluster.items)


def _same_name(area: Cluster, inside: list[Cluster]) -> Cluster:
    """The region of Kidal folds into the town of Kidal, else into the first place named."""
    assert area.place is not None
    keys = place_name_keys(area.place.names)
    for cluster in inside:
        if cluster.place is not None and _name_key(cluster.place.name) in keys:
            return cluster
    return min(inside, key=lambda c: c.first)


def _merge_into(target: Cluster, other: Cluster) -> None:
    target.sentences = sorted(set(target.sentences) | set(other.sentences))
    target.items = sorted(target.items + other.items, key=lambda p: (p[0], p[1].start))
    target.first = min(target.first, other.first)


def cluster_date(
    cluster: Cluster,
    sentences: list[Sentence],
    published: date,
    dates: list[ClusterDate] | None = None,
    earlier: list[ClusterDate | None] | None = None,
) -> ClusterDate:
    """The first day-precision date of the cluster, else its finest; else inherited (see doc).
    ``dates``: the cluster's ``of("date")`` when the caller has it already; ``earlier``:
    ``dates_before(sentences, published)``, when the caller reads many clusters."""
    own = [
        d
        for d in (cluster.of("date") if dates is None else dates)
        if cluster.key[1] or not is_historical(d.date, published, HISTORY_DAYS, d.precision)
    ]
    if own:
        return min(own, key=lambda d: _PRECISION_RANK[d.precision])  # min keeps the first of equals
    # its own first sentence first: the dates before it is named, as its own dates are read
    # ("On Monday, attacks killed 4 in Boni and 7 in Hombori"; "On 28-29 January, ... Beri"),
    # else a date the sentence gave a sibling place ("On 3 May, gunmen killed 2 herders in X
    # near Y"), before any earlier sentence's
    first = sentences[cluster.first]
    dated = [i for i in first.items if i.kind == "date"]
    if dated:
        named_at = _first_mention(cluster, first)
        before = _fresh_dates([i for i in dated if i.start < named_at], published)
        if before:
            return min(before, key=lambda d: _PRECISION_RANK[d.precision])
        anywhere = _fresh_dates(dated, published)
        if anywhere:
            return anywhere[0]
    inherited = (earlier or dates_before(sentences[: cluster.first + 1], published))[cluster.first]
    return inherited or ClusterDate(published, "unknown", False)


def dates_before(sentences: list[Sentence], published: date) -> list[ClusterDate | None]:
    """For each sentence, the last date the sentences before it gave that is not history:
    what a cluster first named there inherits (one pass for an article, not one per cluster)."""
    out: list[ClusterDate | None] = []
    last = None
    for sentence in sentences:
        out.append(last)
        dated = [i for i in sentence.items if i.kind == "date"]
        fresh = _fresh_dates(dated, published) if dated else None
        if fresh:
            last = fresh[-1]
    return out


def _fresh_dates(items: list[Item], published: date) -> list[ClusterDate]:
    return [i.value for i in items if not is_historical(i.value.date, published, HISTORY_DAYS, i.value.precision)]


def _first_mention(cluster: Cluster, sentence: Sentence) -> int:
    """Where the sentence first names the cluster's place (its start if it does not)."""
    place_id = cluster.place.id if cluster.place else None
    return next((a.hit.start for a in sentence.anchors if a.place.id == place_id), sentence.start)


def cluster_weight(cluster: Cluster) -> float:
    """Incident vocabulary in a cluster: event and casualty words, figures (doubled)."""
    words = figures = 0
    for _, i in cluster.items:  # one pass for both counts
        if i.kind in _WORD_KINDS:
            words += 1
        elif i.kind == "figure":
            figures += 1
    return words + 2.0 * figures or 0.5


_WORD_KINDS = frozenset({"event", "casualty", "noun"})
