"""How relevant an article is: a score in [0, 1] from what the matcher found in it.

``relevance(scan)`` scores a ``Scan``; ``RELEVANCE_THRESHOLD`` is the cut. docs/extract.md
(Relevance) says the rule for users, and a test keeps the two in step.
"""

from __future__ import annotations

from monitor.reading.match import Scan

__all__ = ["CASUALTY_WEIGHTS", "EVENT_WEIGHTS", "RELEVANCE_THRESHOLD", "relevance"]

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
