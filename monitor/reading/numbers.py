"""Quantities in English and French news text, with the bounds they imply.

``find_quantities(text)`` returns every cardinal quantity: digits ("30", "1,200", "1 200",
"1.200"), number words ("thirteen", "one hundred and five", "vingt et un",
"quatre-vingt-dix") and vague counts ("dozens", "plusieurs"), each as a ``Quantity`` with a
``low`` and ``high`` bound and a normalised ``qualifier``:

=============  =============================================  ===============  ============
qualifier      forms                                          low / high       conservative
=============  =============================================  ===============  ============
``exact``      "30", "thirteen", "trente"                     30 / 30          30
``about``      "about/around/some/roughly/approximately 30",  30 / 30          30
               "environ 30", "quelque 30", "30 or so",
               "a dozen", "une douzaine"                      12 / 12          12
               "une dizaine" 8-12, "une quinzaine" 13-17,     bounds of the    the nominal
               "une vingtaine" 17-23, "une trentaine" 25-35,  table below      figure (30)
               ... "une centaine" 80-120, "un millier"
``nearly``     "nearly/almost/close to 30", "près de 30"      None / 29        29
``at_least``   "at least 30", "au moins 30", "pas moins de"   30 / None        30
``more_than``  "more than/over 30", "plus de 30"              31 / None        31
``up_to``      "up to/as many as 30", "jusqu'à 30"            None / 30        30
``range``      "13 or 14", "between 13 and 14", "13-14",      13 / 14          13
               "13 ou 14", "entre 13 et 14", "13 à 14"
``vague``      "tens"/"des dizaines" 10, "dozens" 12,         n / None         n
               "scores" 20, "hundreds"/"des centaines" 100,
               "thousands"/"des milliers" 1000; "several",
               "many", "a few", "plusieurs", "nombreux",
               "an unknown number" 3; "a couple" 2
=============  =============================================  ===============  ============

Why these numbers (ACLED's fatality coding, which the register follows):

* ACLED keeps the most conservative figure and codes vague plurals at their base: "10 for
  'tens', 12 for 'dozens', 100 for 'hundreds', and so on" (ACLED, "Fatalities", Knowledge
  Base, updated 7 May 2024). "Des dizaines" is literally "tens", so it counts 10, not 12.
* A reported death toll without a number is coded 3, ACLED's low estimate: the coders' notes
  in ACLED's Niger and Burkina Faso 1997-2020 data say so for unknown tolls (some older
  events carry 10). We apply 3 to "several", "many", "plusieurs", "nombreux", "a few" etc.
* "Around N" is coded N (a note with about thirty militants and six civilians killed
  carries 36) and "nearly ten" was coded nine in the same data; hence ``about`` -> N and
  ``nearly`` -> N - 1.
* "More than 30" is at least 31; "up to 30" gives only a ceiling, and the figure reported is
  the best count we have, so the conservative count is the ceiling.

Not quantities (left out on purpose, so callers never see them): ordinals ("33rd", "2e",
"1er"), decimals ("1.5", "2,5"), percentages, clock times ("14h30", "10:30", "5 a.m."),
numeric dates ("02/06/2025", "2025-06-02"), phone numbers, and a bare "un"/"une"/"a"
(articles; ``monitor.reading.figures`` handles "a soldier was killed" itself). Years, ages and
distances *are* cardinals here; ``monitor.reading.figures`` decides from context that they are not
casualty figures.

Speed: the text is lower-cased once (``normalised``); an Aho-Corasick automaton
(``PhraseStarts``, pyahocorasick, in C) finds where a quantity can start, and one
precompiled regex, its word lists factored as tries (``word_alternation``), is matched only
there. Scanning every position with a regex costs ~30 ns a character however it is written,
and re.IGNORECASE or flat alternations several times more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import ahocorasick

EXACT = "exact"
ABOUT = "about"
NEARLY = "nearly"
AT_LEAST = "at_least"
MORE_THAN = "more_than"
UP_TO = "up_to"
RANGE = "range"
VAGUE = "vague"
# a total that includes the dead among others (missing, hostages): caps the killed, counts none
UPPER_BOUND = "upper_bound"


@dataclass(frozen=True)
class Quantity:
    """One quantity in a text: ``text[start:end]`` is its surface form."""

    start: int
    end: int
    low: int | None  # None: no floor stated ("up to 30", "nearly 30")
    high: int | None  # None: no ceiling stated ("at least 30", "dozens")
    qualifier: str  # one of EXACT, ABOUT, NEARLY, AT_LEAST, MORE_THAN, UP_TO, RANGE, VAGUE
    text: str


class Bounded(Protocol):
    """Anything with bounds and a qualifier: a Quantity or a casualty Figure."""

    @property
    def low(self) -> int | None: ...

    @property
    def high(self) -> int | None: ...

    @property
    def qualifier(self) -> str: ...


def conservative(q: Bounded) -> int:
    """ACLED's count for one figure: the nominal value of an approximation, else the floor."""
    if q.qualifier == ABOUT and q.low is not None and q.high is not None:
        return (q.low + q.high) // 2  # bounds are symmetric around the nominal figure
    if q.low is not None:
        return q.low
    return q.high if q.high is not None else 0


# --- regex building -------------------------------------------------------------------

_ACCENT_CLASSES = {
    "é": "[ée]", "è": "[èe]", "ê": "[êe]", "ë": "[ëe]", "à": "[àa]", "â": "[âa]",
    "ç": "[çc]", "ô": "[ôo]", "û": "[ûu]", "ù": "[ùu]", "î": "[îi]", "ï": "[ïi]",
}  # fmt: skip
_CHAR_PATTERNS = {
    " ": r"\s+",
    "'": r"['’]\s*",  # typographic apostrophes and the odd space after them
    "-": r"[\-\u2010\u2011]",
    **_ACCENT_CLASSES,
}


def _char_pattern(char: str) -> str:
    return _CHAR_PATTERNS.get(char) or re.escape(char)


def word_alternation(phrases: Iterable[str]) -> str:
    """A non-capturing regex matching any of the lower-case ``phrases``, factored as a trie.

    Python's re tries the branches of a flat alternation one by one at every position; a
    trie makes it test one character class per level instead. Accented letters also accept
    their bare form ("tues" for "tués") and a space accepts any run of whitespace.
    """
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [_char_pattern(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


_BARE_LETTERS = str.maketrans("éèêëàâçôûùîï", "eeeeaacouuii")
_DASH_VARIANTS = str.maketrans("\u2010\u2011", "--")
V = TypeVar("V")


def _spelling_key(surface: str) -> str:
    """A phrase with what ``word_alternation`` lets vary taken out: accents, runs of spaces,
    the kind of apostrophe (and a space after it) and of hyphen."""
    key = " ".join(surface.replace("’", "'").split()).replace("' ", "'")
    return key.translate(_DASH_VARIANTS).translate(_BARE_LETTERS)


class Lexicon(Generic[V]):
    """A table of phrases read back from what ``word_alternation(table)`` matched.

    That regex takes every accented letter bare too, letter by letter, so it matches spellings
    the table does not list ("tue" for "tué", "arreté" for "arrêté", "tues" where another
    table has "tue"). A surface is its own key when the table has it as written, else the
    phrase it spells; phrases of one table that spell alike must mean the same, which is
    checked when the lexicon is built. Lookups never raise: a surface that spells no phrase
    gives None.
    """

    def __init__(self, table: Mapping[str, V]) -> None:
        self._table = dict(table)
        self._spelled: dict[str, str] = {}
        for phrase in self._table:  # in the table's order: the first of phrases spelled alike is the key
            first = self._spelled.setdefault(_spelling_key(phrase), phrase)
            if self._table[first] != self._table[phrase]:
                raise ValueError(f"{first!r} and {phrase!r} are spelled alike but mean different things")

    def key(self, surface: str) -> str | None:
        """The table's phrase for a matched surface."""
        if surface in self._table:
            return surface
        return self._spelled.get(_spelling_key(surface))

    def get(self, surface: str) -> V | None:
        """The value of the table's phrase for a matched surface."""
        key = self.key(surface)
        return None if key is None else self._table[key]


def lowered(text: str) -> str:
    """Lower-cased text with the same length, so match offsets index the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # a few characters grow when lower-cased ("İ"); keep them as they are
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_NORMAL_CHARS = (("\u00a0", " "), ("\u202f", " "), ("\t", " "), ("\n", " "), ("\r", " "),
                 ("’", "'"), ("\u2010", "-"), ("\u2011", "-"))  # fmt: skip
_last_normalised: tuple[str, str] = ("", "")


def normalised(text: str) -> str:
    """Lower case, one kind of space and apostrophe, same length: what the scanners read."""
    global _last_normalised
    last = _last_normalised  # one read: safe if another thread replaces it meanwhile
    if last[0] is text:
        return last[1]  # the extract stage hands the same article to each finder in turn
    norm = lowered(text)
    for odd, usual in _NORMAL_CHARS:
        if odd in norm:  # "in" and str.replace are C-fast; str.translate with a dict is ~50x slower
            norm = norm.replace(odd, usual)
    _last_normalised = (text, norm)
    return norm


# what may stand right before a word; keys are stored with each, so the automaton reports
# word starts only and never the "tue" inside "statue"
_WORD_LEADS = (" ", "(", '"', "«", "“", "'", "-", "/", ".")


_ACCENTED = "éèêëàâçôûùîï"
_MAX_MIXED = 4  # accents in a phrase up to which every mix of written and bare ones is listed


def spellings(phrase: str) -> list[str]:
    """The phrase with each accented letter written or left bare, as ``word_alternation``
    reads it ("arrêté", "arreté", "arrête", "arrete"); beyond a few accents, all or none."""
    accented = [i for i, c in enumerate(phrase) if c in _ACCENTED]
    if len(accented) > _MAX_MIXED:
        return list(dict.fromkeys((phrase, phrase.translate(_BARE_LETTERS))))
    out = []
    for mask in range(2 ** len(accented)):
        chars = list(phrase)
        for bit, at in enumerate(accented):
            if mask >> bit & 1:
                chars[at] = chars[at].translate(_BARE_LETTERS)
        out.append("".join(chars))
    return out


class PhraseStarts:
    """Where any of a set of lower-case phrases starts a word in a ``normalised`` text.

    One Aho-Corasick pass in C finds the few places worth a regex match; phrases also match
    without some or all of their accents (``spellings``), as the regexes built by
    ``word_alternation`` do. A phrase marked whole-word must not run on into a longer word
    ("mar" is a month, "market" is not).
    """

    def __init__(self, phrases: Iterable[str], whole_words: Iterable[str] = ()) -> None:
        self._automaton = ahocorasick.Automaton()
        for phrase, whole in [(p, False) for p in phrases] + [(p, True) for p in whole_words]:
            for variant in spellings(phrase):
                for lead in _WORD_LEADS:
                    self._automaton.add_word(lead + variant, (len(variant), whole))
        self._automaton.make_automaton()

    def found(self, norm: str) -> bool:
        """Whether any phrase starts a word in ``norm`` (stops at the first)."""
        size = len(norm)
        for end, (_, whole) in self._automaton.iter(" " + norm):
            if not (whole and end < size and norm[end].isalnum()):
                return True
        return False

    def __call__(self, norm: str) -> list[int]:
        size = len(norm)
        # the leading space lets a phrase start the text; offsets shift back by one. A
        # comprehension, not a loop with append: this runs several times per sentence
        starts = [
            end - length
            for end, (length, whole) in self._automaton.iter(" " + norm)
            if not (whole and end < size and norm[end].isalnum())
        ]
        return sorted(set(starts)) if len(starts) > 1 else starts


# --- vocabularies -----------------------------------------------------------------------

_EN_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
}  # fmt: skip
_FR_WORDS = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100, "mille": 1000,
}  # fmt: skip
_WORD_VALUES: dict[str, int] = {**_EN_WORDS, **_FR_WORDS, "zero": 0}
NUMBER_WORDS = frozenset(_WORD_VALUES)  # "one" ... "thousand", "un" ... "mille"
_SCALES = {"hundred", "cent", "cents", "thousand", "mille"}

# "une trentaine": (nominal, low, high); the spread widens with the size, as usage does
_APPROX_NOUNS: dict[str, tuple[int, int, int]] = {
    "a dozen": (12, 12, 12), "an dozen": (12, 12, 12), "dozen": (12, 12, 12),
    "half a dozen": (6, 6, 6), "demi-douzaine": (6, 6, 6), "une demi-douzaine": (6, 6, 6),
    "dizaine": (10, 8, 12), "douzaine": (12, 12, 12), "quinzaine": (15, 13, 17),
    "vingtaine": (20, 17, 23), "trentaine": (30, 25, 35), "quarantaine": (40, 35, 45),
    "cinquantaine": (50, 45, 55), "soixantaine": (60, 55, 65), "centaine": (100, 80, 120),
    "millier": (1000, 800, 1200),
}  # fmt: skip

# vague plurals: the floor ACLED would code (see the module docstring)
_VAGUE_WORDS: dict[str, int] = {
    "tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000,
    "tens of thousands": 10_000, "hundreds of thousands": 100_000,
    "several dozen": 12, "a few dozen": 12, "several hundred": 100, "a few hundred": 100,
    "several thousand": 1000, "a few thousand": 1000,
    "dizaines": 10, "des dizaines": 10, "plusieurs dizaines": 10, "quelques dizaines": 10,
    "centaines": 100, "des centaines": 100, "plusieurs centaines": 100,
    "quelques centaines": 100, "milliers": 1000, "des milliers": 1000,
    "plusieurs milliers": 1000, "quelques milliers": 1000, "des dizaines de milliers": 10_000,
    "several": 3, "many": 3, "numerous": 3, "multiple": 3, "a few": 3, "a handful": 3,
    "a number": 3, "an unknown number": 3, "an unspecified number": 3,
    "an undetermined number": 3, "an undisclosed number": 3, "a couple": 2,
    "plusieurs": 3, "nombreux": 3, "nombreuses": 3, "de nombreux": 3, "de nombreuses": 3,
    "quelques": 3, "une poignée": 3, "un certain nombre": 3, "un nombre indéterminé": 3,
    "un nombre inconnu": 3, "un nombre non précisé": 3, "un nombre important": 3,
}  # fmt: skip

_PREFIXES: dict[str, str] = {
    **dict.fromkeys(
        ["at least", "no fewer than", "no less than", "a minimum of", "au moins", "au minimum",
         "pas moins de", "pas moins d'", "not less than"], AT_LEAST),
    **dict.fromkeys(
        ["more than", "over", "upwards of", "in excess of", "plus de", "plus d'", "au-delà de",
         "au-delà d'", "au delà de", "au delà d'", "well over", "bien plus de"], MORE_THAN),
    **dict.fromkeys(
        ["about", "around", "some", "roughly", "approximately", "an estimated", "circa",
         "environ", "quelque", "approximativement", "autour de", "autour d'", "à peu près",
         "estimated", "une estimation de"], ABOUT),
    **dict.fromkeys(
        ["nearly", "almost", "close to", "just under", "près de", "près d'", "presque",
         "pas loin de", "pas loin d'", "quasiment"], NEARLY),
    **dict.fromkeys(
        ["up to", "as many as", "at most", "no more than", "a maximum of", "jusqu'à",
         "jusqu'a", "au plus", "au maximum", "pas plus de", "pas plus d'"], UP_TO),
}  # fmt: skip

# --- the scanning regex -------------------------------------------------------------------

_W = word_alternation(_WORD_VALUES) + r"(?![\w])"
_SEP = (
    r"(?:(?:(?<=hundred)|(?<=thousand))\s+and\s+"  # "one hundred and five"
    r"|(?:(?<=vingt)|(?<=trente)|(?<=quarante)|(?<=cinquante)|(?<=soixante))"
    r"[\s\-\u2011]+et[\s\-\u2011]+(?=un\b|une\b|onze\b)"  # "vingt et un", "soixante et onze"
    r"|[\s\-\u2010\u2011]+)"
)
_WORDS = rf"(?:an?\s+(?=(?:hundred|thousand)\b))?{_W}(?:{_SEP}{_W})*"
_DIGITS = r"(?:\d{1,3}(?:(?:,|\.|[ \u00a0\u202f])\d{3})+(?!\d)|\d+)"
_NUM = rf"(?:{_DIGITS}|{_WORDS})"
_SKIP = (
    r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(?!\d)"  # numeric dates
    r"|\d{1,2}\s?[h:]\s?\d{2}(?!\d)|\d{1,2}h(?![\w])"  # clock times
    r"|\+\s?\d{1,3}(?:[\s.\-]?\(?\d{1,4}\)?){2,6}"  # international phone numbers
    r"|\d{2}(?:[ .]\d{2}){3,}(?!\d)"  # local phone numbers: 76 45 12 34
    r"|\d+[.,](?!\d{3}(?!\d))\d+"  # decimals, not thousands
)
_PERCENT = r"\s*(?:%|pour\s*cent|per\s*cent|percent)(?![\w])"
_PERCENT_AFTER = re.compile(_PERCENT)
_ORDINAL_SUFFIX = r"(?:st|nd|rd|th|e|er|re|ère|ème|eme|è|ers|ères|es)(?![\w])"  # 33rd, 2e, 1er
_DASH = r"\s*[\-\u2010\u2011\u2013\u2014]\s*"
_POSTFIX = r"(?P<postfix>\s+or\s+so(?![\w])|[\s\-]odd(?![\w]))?"
_NOT_INSIDE = r"(?<![\w.,/\-\u2011])"  # not the tail of a word, decimal, date or "AK-47"
# a quantity that starts with a digit: only these branches can apply, and trying the word
# branches too would double the cost of the commonest case
_DIGIT_QUANTITY = re.compile(
    rf"{_NOT_INSIDE}(?:"
    rf"(?P<skip>{_SKIP}|\d+(?:{_ORDINAL_SUFFIX}|{_PERCENT}))"
    rf"|(?P<num>{_DIGITS})(?:\s+(?:or|ou|to|à)\s+(?P<r2>{_NUM})|{_DASH}(?P<d2>{_DIGITS})(?![\w\-]))?{_POSTFIX})"
)
_WORD_QUANTITY = re.compile(
    rf"{_NOT_INSIDE}(?:"
    rf"p(?:ou|e)r\s*cent(?![\w])"  # the "cent" of "trente pour cent" is no hundred
    rf"|(?P<vague>{word_alternation(_VAGUE_WORDS)})(?![\w])"
    rf"|(?:(?P<prefix>{word_alternation(_PREFIXES)})(?:(?<=')\s*|\s+))?(?:"  # not "someone"
    rf"(?:between|entre)\s+(?P<b1>{_NUM})\s+(?:and|et)\s+(?P<b2>{_NUM})"
    rf"|(?P<r1>{_NUM})\s+(?:or|ou|to|à)\s+(?P<r2>{_NUM})"
    rf"|(?P<d1>{_DIGITS}){_DASH}(?P<d2>{_DIGITS})(?![\w\-])"  # "at least 13-14"
    rf"|(?:une?\s+|an?\s+)?(?P<approx>{word_alternation(_APPROX_NOUNS)})(?![\w])"
    rf"|(?P<num>{_NUM}){_POSTFIX}"
    rf"))"
)
_ARTICLES = {"un", "une", "a", "an"}
_FROM_BEFORE = re.compile(r"(?<![\w])(?:from|de|d['’])\s*$")


def _anchor_key(phrase: str) -> str:
    """The part of a phrase the automaton looks for: its first word, or two if that is common."""
    words = phrase.replace("'", "' ").split()
    key = " ".join(words[:2]) if words[0] in _COMMON_FIRST_WORDS else words[0]
    return key.replace("' ", "'")


_COMMON_FIRST_WORDS = {
    "a", "an", "de", "des", "un", "une", "in", "at", "no", "as", "up", "au", "à", "pas",
    "plus", "not", "well", "bien", "close", "just", "more", "d'",
}  # fmt: skip
_QUANTITY_STARTS = PhraseStarts(
    [*"0123456789+", "a hundred", "a thousand", "between", "entre", "pour cent", "per cent"]
    + [
        _anchor_key(p)
        for table in (_WORD_VALUES, _VAGUE_WORDS, _PREFIXES, _APPROX_NOUNS)
        for p in table
        if p not in ("un", "une")
    ]
    + [f"{article} {noun}" for noun in _APPROX_NOUNS for article in ("une", "un", "a", "an")]
)


def find_quantities(text: str, norm: str | None = None) -> list[Quantity]:
    """Every cardinal quantity in ``text``, in order of appearance.

    ``norm`` is ``normalised(text)`` when the caller already has it.
    """
    norm = normalised(text) if norm is None else norm
    found: list[Quantity] = []
    done = 0
    for start in _QUANTITY_STARTS(norm):
        if start < done:
            continue
        digit = norm[start].isdigit() or norm[start] == "+"
        m = (_DIGIT_QUANTITY if digit else _WORD_QUANTITY).match(norm, start)
        if m is None:
            continue
        done = m.end()
        found.extend(_digit_quantities(m, text, norm) if digit else _word_quantities(m, text, norm))
    return found


def _digit_quantities(m: re.Match[str], text: str, low: str) -> list[Quantity]:
    num, r2, d2, postfix = m.group("num", "r2", "d2", "postfix")
    if num is None:
        return []  # a date, a time, a phone number, a decimal
    if r2 is not None:
        return _range(m, "num", "r2", text, low)
    if d2 is not None:
        return _range(m, "num", "d2", text, low)
    value = _number_value(num, m.end("num"), low)
    if value is None:
        return []
    return [_qualified(m, text, value, value, value, ABOUT if postfix else EXACT)]


_WORD_BRANCHES = ("vague", "b1", "r1", "d1", "approx", "num", "prefix", "postfix")


def _word_quantities(m: re.Match[str], text: str, low: str) -> list[Quantity]:
    vague, b1, r1, d1, approx, num, prefix, postfix = m.group(*_WORD_BRANCHES)
    if vague is not None:
        floor = _VAGUE.get(vague)
        return [] if floor is None else [_quantity(m.start(), m.end(), text, floor, None, VAGUE)]
    if b1 is not None:
        return _range(m, "b1", "b2", text, low)
    if r1 is not None:
        return _range(m, "r1", "r2", text, low)
    if d1 is not None:
        return _range(m, "d1", "d2", text, low)
    if approx is None and num is None:
        return []  # "pour cent"
    stated = _PREFIX.get(prefix) if prefix else None
    if approx is not None:
        bounds = _APPROX.get(approx)
        if bounds is None:
            return []
        nominal, lo, hi = bounds
        return [_qualified(m, text, nominal, lo, hi, stated or ABOUT)]
    value = _number_value(num, m.end("num"), low)
    if value is None:
        return []
    return [_qualified(m, text, value, value, value, stated or (ABOUT if postfix else EXACT))]


def _range(m: re.Match[str], first: str, second: str, text: str, low: str) -> list[Quantity]:
    a = _number_value(m.group(first), m.end(first), low)
    b = _number_value(m.group(second), m.end(second), low)
    from_to = _FROM_BEFORE.search(low, max(0, m.start() - 6), m.start()) is not None
    if a is not None and b is not None and a < b and not from_to:
        return [_quantity(m.start(), m.end(), text, a, b, RANGE)]
    # "from 12 to 30" is a toll that changed, and "14-7" is no range: two separate counts
    parts = [(first, a), (second, b)]
    return [_quantity(m.start(g), m.end(g), text, v, v, EXACT) for g, v in parts if v is not None]


def _qualified(m: re.Match[str], text: str, nominal: int, lo: int, hi: int, qualifier: str) -> Quantity:
    """Bounds for a figure given what was said about it ("at least", "about", nothing)."""
    low: int | None = lo
    high: int | None = hi
    if qualifier == NEARLY:
        low, high = None, nominal - 1
    elif qualifier == AT_LEAST:
        low, high = nominal, None
    elif qualifier == MORE_THAN:
        low, high = nominal + 1, None
    elif qualifier == UP_TO:
        low, high = None, nominal
    start, end = m.span()
    return Quantity(start, end, low, high, qualifier, text[start:end])


def _quantity(start: int, end: int, text: str, low: int | None, high: int | None, qualifier: str) -> Quantity:
    return Quantity(start, end, low, high, qualifier, text[start:end])


def _number_value(surface: str, end: int, low: str) -> int | None:
    """The integer a matched number stands for, or None when it is not a count."""
    if surface[0].isdigit():  # ordinals and percentages were skipped by the digit pattern
        return _digits_value(surface if surface.isdigit() else "".join(c for c in surface if c.isdigit()))
    if _PERCENT_AFTER.match(low, end) or _NUMBER_WORD.key(surface) in _ARTICLES:
        return None
    return parse_number_words(surface)


# No count of anything in the news has more digits; and int() refuses a string of 4,300
# digits (a line of digits would raise), and bigger numbers only cost time.
MAX_DIGITS = 15


def _digits_value(digits: str) -> int | None:
    """The value of a run of digits, or None when it is too long to be a count."""
    return int(digits) if len(digits) <= MAX_DIGITS else None


_VAGUE = Lexicon(_VAGUE_WORDS)
_APPROX = Lexicon(_APPROX_NOUNS)
_PREFIX = Lexicon(_PREFIXES)
_NUMBER_WORD = Lexicon(_WORD_VALUES)

_WORD_SPLIT = re.compile(r"[\s\-\u2010\u2011]+")


def parse_number_words(surface: str) -> int | None:
    """The value of English or French number words: "one hundred and five", "quatre-vingt-dix"."""
    total = current = 0
    previous = ""
    for token in _WORD_SPLIT.split(surface.lower().strip()):
        token = _NUMBER_WORD.key(token) or token
        if token in ("and", "et", ""):
            continue
        if token in ("a", "an"):
            token = "one"
        value = _WORD_VALUES.get(token)
        if value is None:
            return None
        if token in ("thousand", "mille"):
            total += (current or 1) * 1000
            current = 0
        elif token in _SCALES:
            current = (current or 1) * 100
        elif token in ("vingt", "vingts") and previous == "quatre":
            current += 80 - 4  # quatre-vingt: four twenties, not 4 + 20
        else:
            current += value
        if total + current >= 10**MAX_DIGITS:
            return None  # "hundred hundred hundred...": no count, and each word would multiply a huge number
        previous = token
    return total + current


def parse_count(surface: str) -> int | None:
    """A count written in digits or words ("3", "1 200", "three", "trois"), else None."""
    s = surface.strip()
    if s and s[0].isdigit():
        digits = re.sub(r"[,.\s\u00a0\u202f]", "", s)
        return _digits_value(digits) if digits.isdigit() else None
    return parse_number_words(s) if s else None
