"""Casualty figures in one sentence: how many were killed, wounded, missing, abducted, arrested.

``find_figures(sentence)`` reads forms such as "killed at least 30 soldiers", "at least 30
soldiers were killed", "30 soldats tués", "une trentaine de militaires ont perdu la vie",
"13 terroristes neutralisés", "13 or 14 assailants killed", "31 interpellations", "the
attack left 12 dead and 20 wounded", "bilan : 5 morts et 10 blessés", "killing 30", "the
deaths of 17 herders", "dozens of civilians were killed", "un soldat a été tué", and
returns one ``Figure`` per count, with its ``kind`` (killed, wounded, missing, abducted,
arrested), victim ``group`` (military, civilian, assailants, unspecified), bounds and
qualifier from ``monitor.reading.numbers``.

How a count gets its kind and group:

* The kind comes from the words after the count's noun phrase ("... were killed", "...
  blessés", "12 dead"), else from a verb or noun right before it ("killing 30", "la mort de
  30"). A verb after the phrase that takes an object ("30 soldiers killed 5 attackers") is
  the soldiers acting, not dying. Coordinated counts share a kind: "30 soldiers and 10
  civilians were killed", "killing 12 soldiers and 3 civilians".
* The group comes from the noun after the count (a small EN/FR table of inflected forms,
  below). "31 others arrested", "two of them wounded" and a bare count coordinated with the
  previous figure ("killing 9 militants and arresting 22", "5 soldats tués et 10 blessés")
  take the previous figure's group; any other bare count is ``unspecified``.
* Counts introduced by "including", "among them", "dont", "parmi eux" that repeat a kind
  already counted are marked ``subset`` and left out of ``fatalities``: "12 people were
  killed, including 7 soldiers" is 12 dead, not 19.
* The common constructions of a toll (docs/extract.md, "Figures", lists each with an example
  and a near-miss): an article or a possessive counts one victim ("killed a marabout and his
  son" is 2, "un marabout et son fils" too); victim nouns written one after another are one
  victim ("three Koglweogo volunteer fighters"); an aside in brackets is skipped between the
  victims and their verb and between the counts of a list; people listed beside a named group
  are civilians and add up; "lynched", "beaten to death", "battus à mort" kill, a death
  sentence does not; dead added later ("two others died", "one of the wounded succumbed")
  join the toll of their group; "them", "him", "les" after a killing verb count who was
  counted before; bodies found are the dead; an infinitive ("attempted to assassinate") or
  what was done before ("had previously assassinated") is no toll.
* A figure is ``aggregate`` when its clause also holds a time span (``dates.find_spans``:
  "since early May", "depuis 2012", "over the past year", "this year") or speaks of a series
  of attacks: "more than 400 soldiers have died since early May" is no incident's toll.

``Figure`` has the fields of the extract contract's ``monitor.models.Figure`` plus
``aggregate`` and ``subset``: a report keeps its incident figures and leaves those two kinds
out of its toll (``fatalities`` does).

Numbers that are never figures: years ("in 2013", "2020-2023"), days of a month ("June 2",
"2 juin"), ages ("aged 25", "âgé de 25 ans", "25-year-old"), distances, durations, times,
money, percentages, things (vehicles, weapons, cattle, houses), ordinals ("the 33rd
regiment"), house, route and phone numbers, and any number above ``MAX_TOLL`` (100,000); a
figure whose parts add up past it is dropped too, and ``fatalities`` never exceeds it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import NamedTuple

# the kind and group codes a Figure carries are read as figures.KILLED etc. elsewhere: the
# ones this module does not use itself are imported for them (noqa: F401)
from monitor.reading.casualty_words import (
    ABDUCTED,  # noqa: F401
    ARRESTED,  # noqa: F401
    ASSAILANTS,  # noqa: F401
    CIVILIAN,
    CIVILIAN_ADJECTIVES,
    FILLERS,
    GENERIC_HEADS,
    GROUP_WORDS,
    KILLED,
    KIND_WORDS,
    LEFT_WORDS,
    MILITARY,  # noqa: F401
    MISSING,  # noqa: F401
    PARTITIVE_KINDS,
    PASSIVE_MARKERS,
    PLURALS_WITHOUT_S,
    POSSESSIVES,
    STOP_WORDS,
    UNSPECIFIED,
    WOUNDED,  # noqa: F401
)
from monitor.reading.counts import (
    MAX_TOLL,
    beyond_any_toll,
    casualty_counts,
    may_be_casualty_count,
)
from monitor.reading.dates import find_spans
from monitor.reading.numbers import (
    ABOUT,
    AT_LEAST,
    EXACT,
    MORE_THAN,
    NUMBER_WORDS,
    RANGE,
    UPPER_BOUND,
    Lexicon,
    PhraseStarts,
    Quantity,
    conservative,
    find_quantities,
    normalised,
    word_alternation,
)
from monitor.reading.text import contains_any


@dataclass(frozen=True)
class Figure:
    """One casualty count in a sentence, as the source stated it."""

    kind: str  # KILLED, WOUNDED, MISSING, ABDUCTED or ARRESTED
    group: str  # MILITARY, CIVILIAN, ASSAILANTS or UNSPECIFIED
    low: int | None
    high: int | None
    qualifier: str  # as in monitor.reading.numbers: exact, about, nearly, at_least, ...
    text: str  # the words that gave the figure: "at least 30 soldiers were killed"
    aggregate: bool  # a total over a period or many events, not one incident's toll
    subset: bool = False  # part of a count already given ("including 7 soldiers")


def fatalities(figures: list[Figure]) -> int:
    """The conservative number killed in one event, by ACLED's rule.

    ACLED "uses the most conservative estimate available" when reports differ, and codes
    vague counts low ("dozens" = 12, an unknown number = 3; see ``monitor.reading.numbers``). So:
    within a victim group, repeated or competing claims give their lowest conservative
    count (an article restates its toll; it does not add to it); the groups are summed;
    an unspecified toll ("12 dead") usually covers the named groups, so the total is the
    larger of the named sum and the lowest unspecified claim. Aggregates and subsets are
    left out.
    """
    lowest: dict[str, int] = {}
    for f in figures:
        if f.kind == KILLED and not f.aggregate and not f.subset and f.qualifier != UPPER_BOUND:
            count = conservative(f)
            lowest[f.group] = min(count, lowest.get(f.group, count))
    named = sum(n for group, n in lowest.items() if group != UNSPECIFIED)
    return min(max(named, lowest.get(UNSPECIFIED, 0)), MAX_TOLL)


# --- vocabularies (monitor.reading.casualty_words) -----------------------------------------

_GROUP_OF: dict[str, str] = {w: g for g, words in GROUP_WORDS.items() for w in words}
_GROUPS = Lexicon(_GROUP_OF)


def _table(words_by_key: dict[str, list[str]]) -> dict[str, str]:
    return {w: key for key, words in words_by_key.items() for w in words}


_KIND_OF = _table(KIND_WORDS)
_KINDS = Lexicon(_KIND_OF)
_LEFT_KIND_OF = _table(LEFT_WORDS)
_LEFT_KINDS = Lexicon(_LEFT_KIND_OF)


# --- regexes -------------------------------------------------------------------------------

_GROUP = word_alternation(_GROUP_OF) + r"(?![\w])"
# a count's noun phrase never holds another count: "il a deux enfants" is no "a" + noun
_STOP = word_alternation([*STOP_WORDS, *NUMBER_WORDS]) + r"(?![\w])"
_KIND = word_alternation(_KIND_OF) + r"(?![\w])"
_FILLER = word_alternation(FILLERS) + r"(?![\w])"
_SEP = r"(?:\s+|(?<=['’]))"  # words follow a space, or an elided "d'"/"l'"
_MOD_WORD = rf"(?!{_STOP}|{_KIND})[^\W\d_][\w'’\-]*"

_NOUN_PHRASE = re.compile(
    rf"(?:{_SEP}(?:of(?:\s+(?:the|these|those|its|their))?|among(?:\s+the)?|de|des|du|d['’]|parmi(?:\s+les)?)(?![\w]))?"
    rf"(?:{_SEP}{_MOD_WORD}){{0,2}}?"
    rf"{_SEP}(?P<group>{_GROUP})"
    rf"(?P<heads>(?:\s+{_GROUP}){{0,2}})"
    rf"(?:\s+(?:and|et)\s+(?!(?:son|sa|leur)\s+{_GROUP})(?P<group2>{_GROUP}))?"
)
_REFERENCE = re.compile(
    r"\s+(?:(?P<part>of\s+them|of\s+whom|among\s+them|d['’]\s*entre\s+(?:eux|elles)|parmi\s+(?:eux|elles))"
    r"|(?P<more>others|other|autres|more|de\s+plus|supplémentaires|supplementaires|additional)"
    # "one of the wounded", "five of the seven abducted", "deux des blessés": people counted
    # under another kind
    rf"|(?:of\s+(?:the|those)|among\s+the|des|d['’]\s*entre\s+les|parmi\s+les)(?:\s+{word_alternation(NUMBER_WORDS)}|\s+\d+)?"
    rf"\s+(?P<kind>{word_alternation(PARTITIVE_KINDS)}))(?![\w])"
)
_AGE = r"(?:\s*,?\s+(?:aged\s+\d{1,3}|âgée?s?\s+de\s+\d{1,3}\s+ans|\(\d{1,3}\))(?:\s*,)?)?"
# an aside in brackets between the victims and their verb: "four civilians (including three
# men and a woman) were killed", "three volunteer fighters (VDP) killed"
_ASIDE = r"(?:\s*\([^()]{1,120}\))?"
_AFTER_PHRASE = re.compile(rf"{_AGE}{_ASIDE}(?:\s*,)?(?P<fill>(?:\s+{_FILLER})*)\s+(?P<kind>{_KIND})")
# where the victims were, between their noun and the verb: "30 soldiers in Boulkessi were
# killed", "30 soldats du camp de Boulkessi ont été tués", "32 civilians from the Mossi and
# Foulse communities were killed" (words, no count, no kind)
_WHERE = (
    rf"(?:\s+(?:in|at|near|of|from|à|a|au|aux|dans|de|des|du|d['’]|près\s+de|pres\s+de)"
    rf"(?:\s+(?:the|la|le|les|l['’]))?{_SEP}{_MOD_WORD}(?:(?:\s+(?:and|et))?{_SEP}{_MOD_WORD}){{0,2}}?){{1,2}}"
)
_WHERE_FIRST = re.compile(_WHERE)
_AFTER_PHRASE_WITH_ADJECTIVE = re.compile(
    rf"(?:\s+{_MOD_WORD})??{_AGE}{_ASIDE}(?:\s*,)?(?P<fill>(?:\s+{_FILLER})*)\s+(?P<kind>{_KIND})"
)
_AFTER_PHRASE_WITH_PLACE = re.compile(
    rf"{_WHERE}{_AGE}{_ASIDE}(?:\s*,)?(?P<fill>(?:\s+{_FILLER})*)\s+(?P<kind>{_KIND})"
)
# the determiners are whole words ("killed and four wounded" has no object "a(nd)"); a count
# in words is an object too ("four soldiers killed two attackers")
_OBJECT_AFTER = re.compile(
    r"\s+(?:(?:the|a|an|les|des|un|une|le|la|their|his|her|its|leurs?|ses|plusieurs|several|many)(?![\w'’-])"
    rf"|l['’]|\d|{_GROUP}|{word_alternation(NUMBER_WORDS)}(?![\w]))"
)
_LEFT = re.compile(rf"(?<![\w])(?P<left>{word_alternation(_LEFT_KIND_OF)})\s*$")
_SUBSET_BEFORE = re.compile(
    r"(?<![\w])(?:including|among\s+them|among\s+whom|of\s+whom|dont|parmi\s+(?:eux|elles|lesquels|lesquelles)"
    r"|notamment|y\s+compris|incluant)\s*$"
)
_ARTICLES = PhraseStarts([], whole_words=["a", "an", "un", "une", *POSSESSIVES])
# nouns an article can count as one victim ("a soldier", "un civil", "l'un des assaillants")
_SINGULAR_VICTIMS = PhraseStarts(
    [w for w in _GROUP_OF if not w.endswith(("s", "x")) or w in ("corps", "fds", "hani")]
    + ["des ", "of the "]
)
# a sentence without any of these words counts no victims; most sentences are like that
_CASUALTY_WORDS = PhraseStarts(
    [], whole_words=[*_KIND_OF, *_LEFT_KIND_OF, "to death", "à mort", "corpses", "cadavres", "bodies", "corps"]
)
_CLAUSE_BREAK = re.compile(
    r";|:\s|\s[—–-]\s|[()]|,\s+(?=(?:bringing|raising|taking|portant|ce\s+qui\s+porte|which\s+brings"
    r"|which\s+raises|while|whereas|alors\s+que|tandis\s+que|but|mais|and|et)(?![\w]))"
)
_SERIES = re.compile(
    r"(?<![\w])(?:in\s+(?:a\s+series\s+of|several|multiple|separate|various|recent)\s+attacks"
    r"|(?:dans|lors\s+d['’]\s*)(?:plusieurs|une\s+s[ée]rie\s+d['’]\s*|diverses|diff[ée]rentes|des)\s*attaques"
    r"|cumulative|cumulé|au\s+cumul)(?![\w])"
)


class _Candidate(NamedTuple):
    """A count being read: what its neighbourhood says so far (NamedTuple: cheap _replace)."""

    q: Quantity
    start: int  # evidence start: the count, or the verb before it
    end: int  # evidence end: the kind word, the noun, or the count
    noun_end: int  # end of the count and its noun phrase
    group: str | None
    reference: str  # "" or how the count refers back, and takes the previous figure's group:
    # PART_OF ("of them"), MORE ("others", "more") or OF_KIND ("of the wounded")
    kind: str | None
    kind_after: bool  # the kind came from words after the count
    subset_cue: bool
    additional: bool = False  # dead on top of a toll already given: "two more died", "one of the wounded succumbed"


def find_figures(sentence: str, lang: str | None = None) -> list[Figure]:
    """The casualty figures of one sentence, in order.

    ``lang`` ("en", "fr" or None) only settles whether "a"/"un" can be an article counting
    one victim: French "a" is a verb ("a été tué"), English has no "un".
    """
    low = normalised(sentence)
    if not _CASUALTY_WORDS.found(low):
        return _combined_total(sentence, low)  # most sentences: [] at once
    counts = casualty_counts(sentence, low)
    # the articles first: "des "/"of the " put _SINGULAR_VICTIMS in nearly every casualty
    # sentence, while about half of them hold no "a"/"un" at all
    articles = _ARTICLES(low)
    if articles and _SINGULAR_VICTIMS.found(low):
        singles = _article_counts(low, sentence, counts, lang, articles)
        if singles:  # counts are in order already: sort only what the articles add to
            counts = sorted(counts + singles, key=lambda q: q.start)
    subsets = contains_any(low, _SUBSET_CUES)
    candidates = _resolve([_read_candidate(q, low, subsets) for q in counts], low)
    if contains_any(low, _PRONOUN_CUES):
        candidates = _pronoun_victims(candidates, low, sentence)
    if not any(c.kind for c in candidates):
        return _combined_total(sentence, low)
    summed, breaks = _aggregate_clauses(sentence, low)
    read = [c for c in candidates if c.kind]
    if len(read) > 1:
        read = _people_beside_a_group(read, low)
    figures = [_figure(c, sentence, bool(summed) and _clause_of(c.q.start, breaks) in summed) for c in read]
    if any(c.additional for c in read):
        read, figures = _add_later_dead(read, figures, sentence)
    figures = _sum_parts(read, figures, low, sentence) if len(read) > 1 else figures
    # "two thousand dozen", or parts that add up past it: no toll is that large
    return [f for f in figures if not beyond_any_toll(f)]


# the victims named before, killed by a pronoun: "arrested fifteen villagers and executed
# them", "abducted a man and executed him", "il a été tué", "les ont exécutés"
_KILL_VERB = (
    r"(?:killed|executed|murdered|assassinated|beheaded|slaughtered|lynched|shot\s+dead|shot\s+and\s+killed"
    r"|gunned\s+down|hanged)"
)
_PRONOUN_FILL = r"(?:\s+(?:later|reportedly|allegedly|subsequently|then|summarily|extrajudicially|also|eventually|found))*"
_PRONOUN_VICTIMS = re.compile(
    rf"(?<![\w])(?:{_KILL_VERB}\s+(?P<them>them|all\s+of\s+them)|{_KILL_VERB}\s+(?P<one>him|her)(?=\s*[,.;]|\s*$|\s+"
    r"(?:in|at|near|on|and|after|before|with|by|outside|inside|later|in|the\s+next|the\s+following|a\s+few))"
    rf"|(?P<subject>he|she)\s+(?:was|had\s+been){_PRONOUN_FILL}\s+(?:{_KILL_VERB}|dead)"
    r"|(?P<les>les|l['’])\s*(?:ont|a|auraient|aurait|avaient|avait)\s+(?:(?:ensuite|froidement|sommairement|tous|toutes)\s+)?"
    r"(?:tu[ée]e?s?|ex[ée]cut[ée]e?s?|abattue?s?|[ée]gorg[ée]e?s?|assassin[ée]e?s?|d[ée]capit[ée]e?s?)"
    r"|(?P<il>il|elle)\s+(?:a|aurait)\s+[ée]t[ée]\s+(?:(?:ensuite|froidement|sommairement|retrouv[ée]e?)\s+)?"
    r"(?:tu[ée]e?|ex[ée]cut[ée]e?|abattue?|[ée]gorg[ée]e?|assassin[ée]e?|d[ée]capit[ée]e?)|(?P<found>retrouv[ée]e?\s+mort(?:e)?))(?![\w])"
)
_SUBORDINATE_BEFORE = re.compile(
    r"(?<![\w])(?:when|quand|lorsqu['’]?|after|before|since|if|si|until|unless|that|que|qu['’]|where|o[uù])\s*$"
)
_PRONOUN_CUES = (
    " them", " him", " her", "he was", "he had", "les ont", "l'ont", "les a ", "l'a ", "les aur", "l'aur", "les avai",
    "l'avai", "il a été", "elle a été", "il aurait", "elle aurait",
)  # fmt: skip


def _pronoun_victims(cs: list[_Candidate], low: str, sentence: str) -> list[_Candidate]:
    """The people a pronoun kills: "them" the count named before it (its group too), "him",
    "her", "il", "l'" one. A "them" with no count before it counts no one."""
    found = []
    for m in _PRONOUN_VICTIMS.finditer(low):
        if (m["subject"] or m["il"]) and _SUBORDINATE_BEFORE.search(low, max(0, m.start() - 12), m.start()):
            continue  # "il avait 25 ans quand il a été tué": background, not the news
        before = [c for c in cs if c.noun_end <= m.start()]
        plural = m["them"] or (m["les"] and low.startswith("les", m.start()))
        if plural:
            named = next((c for c in reversed(before) if c.group), None)
            if named is None:
                continue
            low_, high, qualifier, group = named.q.low, named.q.high, named.q.qualifier, named.group
        else:
            named = next((c for c in reversed(before) if c.group and c.q.low == 1 and c.q.high == 1), None)
            low_, high, qualifier, group = 1, 1, EXACT, named.group if named else UNSPECIFIED
        q = Quantity(m.start(), m.end(), low_, high, qualifier, sentence[m.start() : m.end()])
        found.append(_Candidate(q, m.start(), m.end(), m.end(), group, "", KILLED, False, False))
    if not found:
        return cs
    return sorted(cs + found, key=lambda c: c.q.start)


_ADDABLE = {EXACT, ABOUT, AT_LEAST, MORE_THAN, RANGE}


def _sum_parts(cs: list[_Candidate], figures: list[Figure], low: str, sentence: str) -> list[Figure]:
    """ "Eleven soldiers and three VDP were killed": coordinated counts of one kind and one
    group, each with its own noun, are parts of one toll (14 military dead), not competing
    claims about it, which ``fatalities`` would take the lowest of. Counts at different
    places ("5 soldiers in Boni and 3 in Hombori") stay apart."""
    out = [figures[0]]
    first, last = cs[0], cs[0]  # the first and last parts of out[-1]
    for c, f in zip(cs[1:], figures[1:]):
        prev = out[-1]
        merged = (
            _added(prev, f, sentence[min(first.start, c.start) : max(last.end, c.end)])
            if f.kind == prev.kind and f.group == prev.group and _parts(last, c, low)
            else None
        )
        if merged is None:
            out.append(f)
            first = c
        else:
            out[-1] = merged
        last = c
    return out


def _people_beside_a_group(cs: list[_Candidate], low: str) -> list[_Candidate]:
    """ "Killed an elderly man and a soldier", "4 people and 3 soldiers were killed": people
    listed beside a named group are told apart from it, so civilians, and parts of the toll
    (an unspecified count stands for all the dead, and ``fatalities`` would not add it)."""
    out = list(cs)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        if a.kind != b.kind or {a.group, b.group} == {UNSPECIFIED} or UNSPECIFIED not in (a.group, b.group):
            continue
        if a.reference or b.reference or not _parts(a, b, low):
            continue
        if a.group == UNSPECIFIED:
            out[i - 1] = a._replace(group=CIVILIAN)
        else:
            out[i] = b._replace(group=CIVILIAN)
    return out


def _add_later_dead(
    cs: list[_Candidate], figures: list[Figure], sentence: str
) -> tuple[list[_Candidate], list[Figure]]:
    """ "Five soldiers were killed and two more died later": the later dead join the toll of
    their group given before them (one figure of 7), which ``fatalities`` would otherwise
    take as a competing, lower claim. Without such a toll they stand alone."""
    kept_cs: list[_Candidate] = []
    kept: list[Figure] = []
    for c, f in zip(cs, figures):
        base = next(
            (i for i in range(len(kept) - 1, -1, -1)
             if c.additional and kept[i].kind == f.kind and kept[i].group == f.group
             and not (kept[i].subset or kept[i].aggregate)),
            None,
        )  # fmt: skip
        merged = None if base is None else _added(kept[base], f, sentence[kept_cs[base].start : c.end])
        if merged is None:
            kept_cs.append(c)
            kept.append(f)
        else:
            kept[base] = merged
            kept_cs[base] = kept_cs[base]._replace(end=c.end)
    return kept_cs, kept


def _parts(a: _Candidate, b: _Candidate, low: str) -> bool:
    """Two counts, each with its noun, joined by "and", "et" or a comma alone."""
    return (
        a.noun_end > a.q.end
        and b.noun_end > b.q.end
        and not (a.subset_cue or b.subset_cue)
        and not _PARTITIVE.match(low, b.q.end)  # "two gunmen, one of the assailants killed"
        and (
            _joined_by(low, a.noun_end, b.q.start, _PART_JOINS)
            # a comma before a possessive lists kin, it opens no breakdown: "a farmer, his wife"
            or (low[b.q.start : b.q.end] in POSSESSIVES and _joined_by(low, a.noun_end, b.q.start, {""}))
        )
    )


def _added(a: Figure, b: Figure, text: str) -> Figure | None:
    """One figure counting both, or None when their qualifiers do not add up ("dozens")."""
    if a.aggregate or b.aggregate or a.low is None or b.low is None:
        return None
    if a.qualifier not in _ADDABLE or b.qualifier not in _ADDABLE:
        return None
    qualifiers = {a.qualifier, b.qualifier} - {EXACT}
    if len(qualifiers) > 1:
        return None
    high = a.high + b.high if a.high is not None and b.high is not None else None
    return replace(a, low=a.low + b.low, high=high, qualifier=qualifiers.pop() if qualifiers else EXACT, text=text)


# "the total number of victims, including the dead, the missing and hostages, around 60
# soldiers": not a count of the dead, but a ceiling on it. Kept as an upper bound so an
# incident's range can reach it while ACLED's conservative count ignores it.
_TOTAL_NOUN = re.compile(
    r"(?<![\w])(?:(?:overall|total)\s+(?:number\s+of\s+)?(?:victims|casualties|losses|toll)"
    r"|bilan\s+(?:total|global)|nombre\s+total\s+de\s+victimes|total\s+des\s+(?:victimes|pertes))(?![\w])"
)
_DEAD_WORD = re.compile(r"(?<![\w])(?:dead|killed|deaths|morts|tu[ée]s|d[ée]c[èe]s)(?![\w])")
_OTHER_LOSS = re.compile(
    r"(?<![\w])(?:missing|hostages?|captured|wounded|injured|disparus|otages?|captur[ée]s|bless[ée]s)(?![\w])"
)


def _combined_total(sentence: str, low: str) -> list[Figure]:
    # every _TOTAL_NOUN phrase holds one of these words: most sentences skip the regexes
    if not ("total" in low or "overall" in low or "bilan" in low):
        return []
    if not (_TOTAL_NOUN.search(low) and _DEAD_WORD.search(low) and _OTHER_LOSS.search(low)):
        return []
    counts = [q for q in find_quantities(sentence, low) if may_be_casualty_count(q, low)]
    if not counts:
        return []
    q = max(counts, key=lambda c: c.high if c.high is not None else (c.low or 0))
    ceiling = q.high if q.high is not None else q.low
    group, _, end = _group_after(q, low)
    return [Figure(KILLED, group or UNSPECIFIED, None, ceiling, UPPER_BOUND, sentence[q.start : end],
                   aggregate=False, subset=False)]


# --- which numbers can be counts of people -------------------------------------------------


def _article_counts(
    low: str, sentence: str, counts: list[Quantity], lang: str | None, articles: list[int]
) -> list[Quantity]:
    """One victim for an article that heads a victim noun phrase: "a soldier", "un civil".

    ``articles`` is ``_ARTICLES(low)``, where the articles start.
    """
    found = []
    for start in articles:
        end = low.find(" ", start)
        article = low[start:end]
        possessive = POSSESSIVES.get(article)
        if (
            end < 0
            or (lang == "fr" and article in ("a", "an"))
            or (lang == "en" and article in ("un", "une"))
            or (possessive is not None and lang not in (None, possessive))
        ):
            continue  # French "a" is a verb; English has no "un"
        if any(q.start <= start < q.end for q in counts):
            continue  # the "un" of "vingt et un"
        phrase = _NOUN_PHRASE.match(low, end)
        # French "son", "sa", "leur" are singular themselves; English "his" is not ("his men")
        if phrase and (possessive != "en" or _singular(phrase)):
            found.append(Quantity(start, end, 1, 1, EXACT, sentence[start:end]))
    return found


def _singular(phrase: re.Match[str]) -> bool:
    """Whether a victim noun phrase names one person: "his son", not "his sons" or "his men"."""
    head = (phrase["heads"].split() or [phrase["group"]])[-1]
    return phrase["group2"] is None and not head.endswith(("s", "x", *PLURALS_WITHOUT_S))


# --- reading one count ------------------------------------------------------------------------


_LEFT_REACH = 48  # the longest phrase before a count: "the death toll has risen to"


def _read_candidate(q: Quantity, low: str, subsets: bool) -> _Candidate:
    """What the words around one count say: its group, its kind, where its evidence lies."""
    group, reference, noun_end = _group_after(q, low)
    kind, kind_end = _kind_after(low, noun_end, has_noun=group is not None and not reference)
    start = q.start
    if kind is None and group == UNSPECIFIED:
        kind, kind_end = _bodies(low, q.end, noun_end)
    if kind is None:
        left = _LEFT.search(low, max(0, q.start - _LEFT_REACH), q.start)
        if left and not _NOT_DONE_BEFORE.search(low, max(0, left.start() - 30), left.start()):
            kind, start = _LEFT_KINDS.get(left["left"]), left.start()
    if kind is None and noun_end > q.end:
        by_hand = _BY_HAND_BEFORE.search(low, max(0, q.start - 24), q.start)
        to_death = _TO_DEATH.match(low, noun_end) if by_hand else None
        if to_death:  # "tortured a young herdsman to death"
            kind, start, kind_end = KILLED, by_hand.start(), to_death.end()
    cue = subsets and _SUBSET_BEFORE.search(low, max(0, q.start - 30), q.start) is not None
    subset = cue or reference == PART_OF
    end = kind_end if kind_end else noun_end
    return _Candidate(q, start, end, noun_end, group, reference, kind, kind_end is not None, subset)


# a body is one dead: "five corpses", "13 cadavres"; "bodies" and "corps" name other
# things too ("two bodies agreed", "corps d'armée"): they count when found
_CORPSES = re.compile(r"(?:corpses|corpse|cadavres|cadavre|d[ée]pouilles|d[ée]pouille)$")
_BODIES = re.compile(r"(?:bodies|body|corps)$")
_FOUND = re.compile(
    rf"(?:\s+{_FILLER})*\s+(?:found|discovered|recovered|retrieved|seen|exhumed|dumped"
    r"|retrouv[ée]e?s?|d[ée]couverte?s?|ramass[ée]e?s?)(?![\w])"
)


def _bodies(low: str, count_end: int, noun_end: int) -> tuple[str | None, int | None]:
    """KILLED for a count of the dead's bodies ("five corpses", "5 bodies were seen")."""
    noun = low[count_end:noun_end]
    if _CORPSES.search(noun):
        return KILLED, None
    found = _FOUND.match(low, noun_end) if _BODIES.search(noun) else None
    return (KILLED, found.end()) if found else (None, None)


# a beating with its victim before "to death": "beat a thief to death", "battu un voleur à mort"
_BY_HAND_BEFORE = re.compile(
    r"(?<![\w])(?:beat|beaten|beating|tortured|torturing|hacked|stabbed|stoned|clubbed|burned|burnt|kicked"
    r"|battu|battus|battue|battent|tortur[ée]s?|poignard[ée]s?|lapid[ée]s?|lynch[ée]s?)\s+$"
)
_TO_DEATH = re.compile(r"\s+(?:to\s+death|[àa]\s+mort)(?![\w])")


# a verb that tells no casualty of this incident: an infinitive ("attempted to assassinate
# a councilman", "threatened to kill", "menacé de tuer") or what was done before it ("who
# had previously assassinated a village chief")
_NOT_DONE_BEFORE = re.compile(
    r"(?<![\w])(?:to|de|d['’]|pour|afin\s+de|sans)\s*$"
    r"|(?<![\w])(?:previously|earlier|already|auparavant|pr[ée]c[ée]demment)\s+(?:had\s+)?(?:been\s+)?$"
    r"|(?<![\w])had\s+(?:previously|earlier|already)\s+$"
)


_SUBSET_CUES = ("includ", "among", "whom", "dont", "parmi", "notamment", "compris")


PART_OF, MORE, OF_KIND = "part of", "more", "of kind"


def _group_after(q: Quantity, low: str) -> tuple[str | None, str, int]:
    """The victim group named after a count, how it refers back ("" when it does not), and
    where the phrase ends."""
    phrase = _NOUN_PHRASE.match(low, q.end)
    if phrase:
        group = _compound_group([phrase["group"], *phrase["heads"].split()])
        second = phrase["group2"]
        if second and _GROUPS.get(second) != group:
            group = UNSPECIFIED  # "soldiers and civilians": no one group
        return group, "", phrase.end()
    reference = _REFERENCE.match(low, q.end)
    if reference:
        how = PART_OF if reference["part"] else MORE if reference["more"] else OF_KIND
        return None, how, reference.end()
    return None, "", q.end


def _compound_group(words: list[str]) -> str:
    """The group of victim nouns written one after another ("Koglweogo volunteer fighters"):
    the last one's, unless it is a generic head and a noun before it names a group."""
    groups = [_GROUPS.get(w) or UNSPECIFIED for w in words]
    if len(words) > 1 and words[0] in CIVILIAN_ADJECTIVES:
        return CIVILIAN  # "a civilian guard", "civilian workers"
    if len(words) > 1 and words[-1] in GENERIC_HEADS:
        return next((g for g in reversed(groups[:-1]) if g != UNSPECIFIED), groups[-1])
    return groups[-1]


def _kind_after(low: str, pos: int, has_noun: bool) -> tuple[str | None, int | None]:
    """The casualty kind stated after a noun phrase ("were killed", "blessés", "dead")."""
    m = (_AFTER_PHRASE_WITH_ADJECTIVE if has_noun else _AFTER_PHRASE).match(low, pos)
    if m is None and has_noun:  # "30 soldiers in Boulkessi were killed"
        m = _AFTER_PHRASE_WITH_PLACE.match(low, pos)
    if m is None:
        return None, None
    word = _KINDS.key(m["kind"])
    if word is None:
        return None, None
    if _acts_on_an_object(word, m, low):
        return None, None  # "30 soldiers killed 5 attackers": they did the killing
    return _KIND_OF[word], m.end()


def _acts_on_an_object(word: str, m: re.Match[str], low: str) -> bool:
    """An active verb with an object after it: "killed 5 attackers", "ont tué des civils"."""
    if not _is_participle(word) or _OBJECT_AFTER.match(low, m.end()) is None:
        return False
    return not any(w in PASSIVE_MARKERS for w in m["fill"].split())


def _is_participle(word: str) -> bool:
    """Forms that are also active verbs taking an object ("killed", "tué", "abattu", "beat to
    death")."""
    verb = word.split(" ", 1)[0]
    return verb.endswith(("ed", "é", "és", "ée", "ées", "u", "us", "ue", "ues", "e", "es")) or verb in ("beat", "shot")


# --- what the counts of a sentence say about each other -----------------------------------------


def _resolve(candidates: list[_Candidate], low: str) -> list[_Candidate]:
    candidates = _share_kind_backwards(candidates, low)
    candidates = _share_kind_forwards(candidates, low)
    return _settle_groups(candidates, low)


_CONNECTORS = {
    "", "and", "et", "as well as", "ainsi que", "plus", "along with", "with", "avec",
    # a possessive before the next count: "a female IDP and her two children", "a farmer, his wife"
    "and his", "and her", "and their", "et ses", "et leurs", "his", "her", "their", "ses", "leurs", "son", "sa",
}  # fmt: skip  # not "while"/"tandis que": they join clauses, each with its own verb
# what joins the parts of one toll: "11 soldiers and 3 VDP"; not a comma alone, which may
# open a breakdown of the count before it ("15 civilians, 10 women and 5 children")
_PART_JOINS = _CONNECTORS - {"", "with", "avec", "along with"}


_BRACKETED = re.compile(r"\([^()]{0,120}\)")


def _without_asides(text: str) -> str:
    """The words between two counts without an aside in brackets ("fighters (VDP) and")."""
    return _BRACKETED.sub(" ", text) if "(" in text else text


def _connected(low: str, start: int, end: int) -> bool:
    """Whether only "and", "et", a comma and the like stand between two counts, after the
    place of the first: "killing 5 soldiers in Boni, 3 in Hombori and 2 in Douentza"."""
    if start > end:
        return False
    if _joined_by(low, start, end, _CONNECTORS):
        return True
    where = _WHERE_FIRST.match(low, start, end)
    return where is not None and " ".join(low[where.end() : end].replace(",", " ").split()) in _CONNECTORS


def _joined_by(low: str, start: int, end: int, joins: set[str], commas: bool = True) -> bool:
    """Whether ``low[start:end]`` is one of ``joins`` (commas aside, when ``commas``), after
    an adjective that may follow its noun in French ("onze militaires burkinabè et trois VDP")."""
    if not commas and "," in low[start:end]:
        return False
    between = " ".join(_without_asides(low[start:end]).replace(",", " ").split())
    if between in joins:
        return True
    head, _, rest = between.partition(" ")
    return rest in joins and rest != "" and _POSTPOSED_ADJECTIVE.fullmatch(head) is not None


# the adjectives French puts after a victim noun: nations, communities, "armés", "présumés"
_POSTPOSED_ADJECTIVE = re.compile(
    r"(?:mali(?:en|enne)|nig[eé]ri(?:en|enne)|burkinab[eè]|fran[cç]ais(?:e)?|tchadi(?:en|enne)|togolais(?:e)?|"
    r"ivoiri(?:en|enne)|b[eé]ninois(?:e)?|s[eé]n[eé]galais(?:e)?|mauritani(?:en|enne)|alg[eé]ri(?:en|enne)|"
    r"russe|peul|peulh|touareg|dogon|arabe|civil(?:e)?|militaire|arm[eé](?:e)?|pr[eé]sum[eé](?:e)?|"
    r"suppl[eé]mentaire)s?"
)
_LIST_ENDS = {"and", "et", "and his", "and her", "and their", "et ses", "et son", "et sa", "et leurs"}
_PARTITIVE = re.compile(r"\s+(?:of|among|d['’]entre|parmi)(?![\w])")


def _share_kind_backwards(cs: list[_Candidate], low: str) -> list[_Candidate]:
    """A verb after the last of coordinated counts covers them all: "30 soldiers and 10
    civilians were killed"."""
    out = list(cs)
    for i in range(len(out) - 2, -1, -1):
        this, nxt = out[i], out[i + 1]
        # the cheap field tests first: most pairs never need the text between them read
        if this.kind is None and nxt.kind_after and (
            _connected(low, this.noun_end, nxt.q.start) or _subset_between(low, this.noun_end, nxt.q.start)
        ):
            out[i] = this._replace(kind=nxt.kind, kind_after=True)
    return out


def _subset_between(low: str, start: int, end: int) -> bool:
    """Whether a subset cue alone joins two counts: "12 people, including three children"."""
    return start <= end and " ".join(low[start:end].replace(",", " ").split()) in _SUBSET_JOINS


_SUBSET_JOINS = {
    "including", "among them", "among whom", "of whom", "dont", "parmi eux", "parmi elles",
    "parmi lesquels", "parmi lesquelles", "notamment", "y compris",
}  # fmt: skip


def _share_kind_forwards(cs: list[_Candidate], low: str) -> list[_Candidate]:
    """A verb before the first of coordinated counts covers them all: "killing 12 soldiers
    and 3 civilians"; so does the count a subset belongs to: "12 killed, including 7 soldiers"."""
    out = list(cs)
    for i in range(1, len(out)):
        this, prev = out[i], out[i - 1]
        if this.kind is None and prev.kind and (this.subset_cue or _connected(low, prev.end, this.start)):
            out[i] = this._replace(kind=prev.kind)
    return out


def _settle_groups(cs: list[_Candidate], low: str) -> list[_Candidate]:
    """Bare counts and "others" take the previous figure's group; subsets are marked, and so
    are the dead added to a toll already given."""
    out: list[_Candidate] = []
    for c in cs:
        group = c.group
        if group is None and c.kind:
            group = _antecedent_group(c, out, low) or UNSPECIFIED
        listed = c.subset_cue or _listed_after_subset(c, out, low)
        counted = any(p.kind == c.kind for p in out)
        subset = listed and counted
        # "two others died later" adds to the dead before it; the wounded or the hostages who
        # died were not among them ("one of the wounded succumbed")
        additional = (c.reference == MORE and c.kind_after and not listed and counted) or (
            c.reference == OF_KIND and c.kind == KILLED
        )
        if group == c.group and subset == c.subset_cue and not additional:
            out.append(c)
        else:
            out.append(c._replace(group=group, subset_cue=subset, additional=additional))
    return out


def _listed_after_subset(c: _Candidate, before: list[_Candidate], low: str) -> bool:
    """ "including 1 woman and 1 girl": the girl is part of the count too."""
    # "and" alone: "including 2 in Ndidja and 2 in Sibe" are two places' tolls, and after a
    # comma the list of the subset is over ("including three children, and five soldiers")
    if not (before and before[-1].subset_cue):
        return False
    start, end = before[-1].noun_end, c.q.start
    if _joined_by(low, start, end, _LIST_ENDS, commas=False):
        return True
    # "including 8 members from the Fulani and 1 from the Bellah": after where the first came from
    where = _WHERE_FIRST.match(low, start, end) if start < end else None
    return where is not None and _joined_by(low, where.end(), end, _LIST_ENDS, commas=False)


def _antecedent_group(c: _Candidate, before: list[_Candidate], low: str) -> str | None:
    """The group a count without a noun refers to: the last named one for "of them"/"others",
    the previous figure's when the count is merely coordinated with it."""
    if c.reference:
        return next((p.group for p in reversed(before) if p.group), None)
    previous = next((p for p in reversed(before) if p.kind and p.group), None)
    if previous is not None and _connected(low, previous.end, c.start):
        return previous.group
    return None


# --- aggregates ------------------------------------------------------------------------------


def _aggregate_clauses(sentence: str, low: str) -> tuple[set[int], list[int]]:
    """The clauses that hold a time span or a series of attacks (their counts are totals),
    and where the sentence's clause breaks end (``_clause_breaks``) when there are any such."""
    cues = [s.start for s in find_spans(sentence, low)] if contains_any(low, _SPAN_CUES) else []
    if "attack" in low or "attaque" in low or "cumul" in low:
        cues += [m.start() for m in _SERIES.finditer(low)]
    if not cues:
        return set(), []
    breaks = _clause_breaks(low)
    return {_clause_of(p, breaks) for p in cues}, breaks


# spans "from 2019", "de 2020" hold "19"/"20" too, so those cues alone cover them: every
# cue is a scan of the sentence, and most casualty sentences have no span to find
_SPAN_CUES = (
    "since", "depuis", "past", "last", "previous", "recent", "cours", "durant", "pendant", "lors",
    "derni", "year", "année", "annee", "between", "entre", "espace", "19", "20",
)  # fmt: skip


def _clause_breaks(low: str) -> list[int]:
    """Where each clause break of a sentence ends, in order (a list's last comma is none: "in
    Mali, Niger, and Burkina Faso since the month began" is one clause). Found once per
    sentence: counting them again for every count would cost the square of its length."""
    return [m.end() for m in _CLAUSE_BREAK.finditer(low) if not _list_comma(m, low)]


def _clause_of(pos: int, breaks: list[int]) -> int:
    """How many clause breaks come before ``pos``."""
    return bisect_right(breaks, pos)


_LIST_ITEM_BEFORE = re.compile(r",\s*[^\W\d_][\w'’\-]*(?:\s+[^\W\d_][\w'’\-]*)?\s*$")


def _list_comma(m: re.Match[str], low: str) -> bool:
    """The serial comma of a list, "A, B, and C": a comma before "and"/"et" whose item
    before it is one or two words that follow another comma."""
    if not low.startswith(",", m.start()) or not low.startswith(("and", "et"), m.end()):
        return False
    return _LIST_ITEM_BEFORE.search(low, max(0, m.start() - 40), m.start()) is not None


def _figure(c: _Candidate, sentence: str, aggregate: bool) -> Figure:
    q = c.q
    return Figure(
        kind=c.kind or "",
        group=c.group or UNSPECIFIED,
        low=q.low,
        high=q.high,
        qualifier=q.qualifier,
        text=sentence[c.start : c.end],
        aggregate=aggregate,
        subset=c.subset_cue,
    )
