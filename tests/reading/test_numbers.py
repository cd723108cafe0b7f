"""Quantities in English and French: digits, number words, approximations, vague counts."""

from __future__ import annotations

import pytest

from monitor.reading.numbers import (
    ABOUT,
    AT_LEAST,
    EXACT,
    MORE_THAN,
    NEARLY,
    RANGE,
    UP_TO,
    VAGUE,
    Lexicon,
    Quantity,
    conservative,
    find_quantities,
    normalised,
    parse_count,
    parse_number_words,
    spellings,
)

# (text containing exactly one quantity, its surface, low, high, qualifier, conservative count)
SINGLE_QUANTITIES = [
    # digits, with EN and FR thousands separators
    ("Gunmen shot 30 herders.", "30", 30, 30, EXACT, 30),
    ("Some 1,200 families fled.", "Some 1,200", 1200, 1200, ABOUT, 1200),
    ("Ils étaient 1 200 à fuir.", "1 200", 1200, 1200, EXACT, 1200),
    ("Ils étaient 1\u00a0200 à fuir.", "1\u00a0200", 1200, 1200, EXACT, 1200),
    ("On compte 1.200 déplacés.", "1.200", 1200, 1200, EXACT, 1200),
    ("A total of 25,000 people.", "25,000", 25000, 25000, EXACT, 25000),
    # English number words
    ("Thirteen gunmen came at dawn.", "Thirteen", 13, 13, EXACT, 13),
    ("They buried twenty-one men.", "twenty-one", 21, 21, EXACT, 21),
    ("They buried twenty one men.", "twenty one", 21, 21, EXACT, 21),
    ("Nearly a hundred homes burned.", "Nearly a hundred", None, 99, NEARLY, 99),
    ("The camp held a hundred men.", "a hundred", 100, 100, EXACT, 100),
    ("It took one hundred and five lives.", "one hundred and five", 105, 105, EXACT, 105),
    ("He saw two thousand three hundred cattle.", "two thousand three hundred", 2300, 2300, EXACT, 2300),
    # French number words
    ("Treize assaillants sont venus.", "Treize", 13, 13, EXACT, 13),
    ("On a retrouvé vingt et un corps.", "vingt et un", 21, 21, EXACT, 21),
    ("On a retrouvé vingt-et-un corps.", "vingt-et-un", 21, 21, EXACT, 21),
    ("Il y avait quatre-vingt-dix véhicules.", "quatre-vingt-dix", 90, 90, EXACT, 90),
    ("Il y avait quatre-vingts motos.", "quatre-vingts", 80, 80, EXACT, 80),
    ("Il y avait soixante-dix motos.", "soixante-dix", 70, 70, EXACT, 70),
    ("Il y avait soixante et onze motos.", "soixante et onze", 71, 71, EXACT, 71),
    ("Il y avait quatre-vingt-onze motos.", "quatre-vingt-onze", 91, 91, EXACT, 91),
    ("Cent familles ont fui.", "Cent", 100, 100, EXACT, 100),
    ("Deux cents familles ont fui.", "Deux cents", 200, 200, EXACT, 200),
    ("Cent cinq familles ont fui.", "Cent cinq", 105, 105, EXACT, 105),
    ("Mille familles ont fui.", "Mille", 1000, 1000, EXACT, 1000),
    ("Trois mille familles ont fui.", "Trois mille", 3000, 3000, EXACT, 3000),
    ("Dix-sept bergers ont disparu.", "Dix-sept", 17, 17, EXACT, 17),
    # approximations keep the stated figure (ACLED codes "around 30" as 30)
    ("about 30 men", "about 30", 30, 30, ABOUT, 30),
    ("around 30 men", "around 30", 30, 30, ABOUT, 30),
    ("roughly 30 men", "roughly 30", 30, 30, ABOUT, 30),
    ("approximately 30 men", "approximately 30", 30, 30, ABOUT, 30),
    ("an estimated 30 men", "an estimated 30", 30, 30, ABOUT, 30),
    ("environ 30 hommes", "environ 30", 30, 30, ABOUT, 30),
    ("quelque 300 hommes", "quelque 300", 300, 300, ABOUT, 300),
    ("30 or so men", "30 or so", 30, 30, ABOUT, 30),
    ("a 30-odd strong unit", "30-odd", 30, 30, ABOUT, 30),
    # "nearly N" is below N: ACLED coded "nearly ten" as nine
    ("nearly 30 men", "nearly 30", None, 29, NEARLY, 29),
    ("almost 30 men", "almost 30", None, 29, NEARLY, 29),
    ("près de 30 hommes", "près de 30", None, 29, NEARLY, 29),
    ("presque 30 hommes", "presque 30", None, 29, NEARLY, 29),
    # floors and ceilings
    ("at least 30 men", "at least 30", 30, None, AT_LEAST, 30),
    ("no fewer than 30 men", "no fewer than 30", 30, None, AT_LEAST, 30),
    ("au moins 30 hommes", "au moins 30", 30, None, AT_LEAST, 30),
    ("pas moins de 30 hommes", "pas moins de 30", 30, None, AT_LEAST, 30),
    ("more than 30 men", "more than 30", 31, None, MORE_THAN, 31),
    ("over 30 men", "over 30", 31, None, MORE_THAN, 31),
    ("plus de 30 hommes", "plus de 30", 31, None, MORE_THAN, 31),
    ("plus d'une centaine d'hommes", "plus d'une centaine", 101, None, MORE_THAN, 101),
    ("up to 30 men", "up to 30", None, 30, UP_TO, 30),
    ("as many as 30 men", "as many as 30", None, 30, UP_TO, 30),
    ("jusqu'à 30 hommes", "jusqu'à 30", None, 30, UP_TO, 30),
    ("jusqu’à 30 hommes", "jusqu’à 30", None, 30, UP_TO, 30),
    # French collective nouns: a band around the nominal figure, which is the count
    ("une dizaine de motos", "une dizaine", 8, 12, ABOUT, 10),
    ("une quinzaine de motos", "une quinzaine", 13, 17, ABOUT, 15),
    ("une vingtaine de motos", "une vingtaine", 17, 23, ABOUT, 20),
    ("une trentaine de motos", "une trentaine", 25, 35, ABOUT, 30),
    ("une cinquantaine de motos", "une cinquantaine", 45, 55, ABOUT, 50),
    ("une centaine de motos", "une centaine", 80, 120, ABOUT, 100),
    ("un millier de motos", "un millier", 800, 1200, ABOUT, 1000),
    ("près d'une trentaine de motos", "près d'une trentaine", None, 29, NEARLY, 29),
    ("au moins une vingtaine de motos", "au moins une vingtaine", 20, None, AT_LEAST, 20),
    # a dozen is twelve
    ("a dozen goats", "a dozen", 12, 12, ABOUT, 12),
    ("une douzaine de chèvres", "une douzaine", 12, 12, ABOUT, 12),
    ("half a dozen goats", "half a dozen", 6, 6, ABOUT, 6),
    ("more than a dozen goats", "more than a dozen", 13, None, MORE_THAN, 13),
    # ranges: the lower figure is the conservative one
    ("13 or 14 men", "13 or 14", 13, 14, RANGE, 13),
    ("13 ou 14 hommes", "13 ou 14", 13, 14, RANGE, 13),
    ("between 13 and 14 men", "between 13 and 14", 13, 14, RANGE, 13),
    ("entre 13 et 14 hommes", "entre 13 et 14", 13, 14, RANGE, 13),
    ("13 à 14 hommes", "13 à 14", 13, 14, RANGE, 13),
    ("13-14 men", "13-14", 13, 14, RANGE, 13),
    ("13 – 14 men", "13 – 14", 13, 14, RANGE, 13),
    ("thirteen or fourteen men", "thirteen or fourteen", 13, 14, RANGE, 13),
    ("deux ou trois hommes", "deux ou trois", 2, 3, RANGE, 2),
    # vague counts: ACLED's codes ("dozens" 12, "tens" 10, "hundreds" 100, unknown 3)
    ("dozens of goats", "dozens", 12, None, VAGUE, 12),
    ("des dizaines de chèvres", "des dizaines", 10, None, VAGUE, 10),
    ("tens of goats", "tens", 10, None, VAGUE, 10),
    ("scores of goats", "scores", 20, None, VAGUE, 20),
    ("hundreds of goats", "hundreds", 100, None, VAGUE, 100),
    ("des centaines de chèvres", "des centaines", 100, None, VAGUE, 100),
    ("thousands of goats", "thousands", 1000, None, VAGUE, 1000),
    ("des milliers de chèvres", "des milliers", 1000, None, VAGUE, 1000),
    ("several dozen goats", "several dozen", 12, None, VAGUE, 12),
    ("plusieurs dizaines de chèvres", "plusieurs dizaines", 10, None, VAGUE, 10),
    ("several goats", "several", 3, None, VAGUE, 3),
    ("plusieurs chèvres", "plusieurs", 3, None, VAGUE, 3),
    ("many goats", "many", 3, None, VAGUE, 3),
    ("numerous goats", "numerous", 3, None, VAGUE, 3),
    ("de nombreuses chèvres", "de nombreuses", 3, None, VAGUE, 3),
    ("nombreux sont les blessés", "nombreux", 3, None, VAGUE, 3),
    ("a few goats", "a few", 3, None, VAGUE, 3),
    ("quelques chèvres", "quelques", 3, None, VAGUE, 3),
    ("an unknown number of goats", "an unknown number", 3, None, VAGUE, 3),
    ("un nombre indéterminé de chèvres", "un nombre indéterminé", 3, None, VAGUE, 3),
    ("a couple of goats", "a couple", 2, None, VAGUE, 2),
    # unaccented French still reads
    ("pres de 30 hommes", "pres de 30", None, 29, NEARLY, 29),
]


@pytest.mark.parametrize(("text", "surface", "low", "high", "qualifier", "count"), SINGLE_QUANTITIES)
def test_one_quantity(
    text: str, surface: str, low: int | None, high: int | None, qualifier: str, count: int
) -> None:
    (q,) = find_quantities(text)
    assert (q.text, q.low, q.high, q.qualifier) == (surface, low, high, qualifier)
    assert text[q.start : q.end] == surface
    assert conservative(q) == count


# text with no cardinal quantity at all
NOT_QUANTITIES = [
    "the 33rd regiment",
    "the 2nd battalion",
    "le 2e bataillon et le 33ème régiment",
    "le 1er juin",
    "a rate of 1.5 per day",
    "un taux de 2,5",
    "30% of the villages",
    "trente pour cent des villages",
    "5 per cent",
    "at 14h30",
    "at 10:30",
    "on 02/06/2025",
    "on 2025-06-02",
    "call +223 76 45 12 34",
    "appeler le 76 45 12 34",
    "un soldat et une femme",
    "a soldier and an officer",
    "Mi-24 helicopters and AK-47 rifles",
    "the G5 Sahel force",
    "someone often done attention",  # number words inside other words
    "la famille du centre",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_a_quantity(text: str) -> None:
    assert find_quantities(text) == []


def test_several_quantities_in_order_with_offsets() -> None:
    text = "Thirteen attackers were killed and 31 others arrested, while about 60 fled."
    found = find_quantities(text)
    assert [(q.text, q.low, q.qualifier) for q in found] == [
        ("Thirteen", 13, EXACT),
        ("31", 31, EXACT),
        ("about 60", 60, ABOUT),
    ]
    assert all(text[q.start : q.end] == q.text for q in found)


def test_a_toll_that_changed_is_two_counts_not_a_range() -> None:
    found = find_quantities("the toll rose from 12 to 30")
    assert [(q.text, q.qualifier) for q in found] == [("12", EXACT), ("30", EXACT)]


def test_a_descending_pair_is_two_counts() -> None:
    found = find_quantities("the score was 14-7")
    assert [q.low for q in found] == [14, 7]


def test_years_and_distances_are_still_cardinals() -> None:
    # monitor.reading.figures decides from context that these are no casualty figures
    assert [q.low for q in find_quantities("in 2013, 30 km away")] == [2013, 30]


def test_typographic_apostrophes_and_spaces() -> None:
    text = "près d’une trentaine\u202fet plus d’une centaine"
    assert [(q.low, q.high) for q in find_quantities(text)] == [(None, 29), (101, None)]


def test_uppercase_headlines() -> None:
    (q,) = find_quantities("MALI : AU MOINS TRENTE SOLDATS TUÉS")
    assert (q.low, q.qualifier) == (30, AT_LEAST)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("one", 1),
        ("nineteen", 19),
        ("forty-two", 42),
        ("a hundred", 100),
        ("nine hundred and ninety-nine", 999),
        ("un", 1),
        ("seize", 16),
        ("soixante-dix-sept", 77),
        ("quatre-vingt-dix-neuf", 99),
        ("cent quatre-vingts", 180),
        ("deux mille vingt-cinq", 2025),
        ("zéro", 0),
        ("not a number", None),
    ],
)
def test_parse_number_words(words: str, value: int | None) -> None:
    assert parse_number_words(words) == value


@pytest.mark.parametrize(
    ("text", "value"), [("3", 3), ("1 200", 1200), ("1,200", 1200), ("trois", 3), ("", None)]
)
def test_parse_count(text: str, value: int | None) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("low", "high", "qualifier", "count"),
    [
        (30, 30, EXACT, 30),
        (25, 35, ABOUT, 30),
        (None, 29, NEARLY, 29),
        (31, None, MORE_THAN, 31),
        (None, 30, UP_TO, 30),
        (13, 14, RANGE, 13),
        (12, None, VAGUE, 12),
        (None, None, VAGUE, 0),
    ],
)
def test_conservative(low: int | None, high: int | None, qualifier: str, count: int) -> None:
    assert conservative(Quantity(0, 1, low, high, qualifier, "x")) == count


def test_normalised_keeps_offsets() -> None:
    text = "İstanbul’s\u00a030\u202fmen\nleft"
    norm = normalised(text)
    assert len(norm) == len(text)
    assert "’" not in norm and "\u00a0" not in norm and "\n" not in norm


# --- tables read back from their regexes -----------------------------------------------------


def test_a_lexicon_finds_its_phrase_under_any_spelling_the_regex_takes() -> None:
    lexicon = Lexicon({"tué": "killed", "grièvement blessé": "wounded", "jusqu'à": "up to"})
    assert lexicon.get("tué") == "killed"
    assert [lexicon.key(s) for s in spellings("tués")] == [None, None]  # not a phrase of this table
    assert {lexicon.key(s) for s in spellings("grièvement blessé")} == {"grièvement blessé"}
    assert lexicon.get("grievement   blesse") == "wounded"  # a run of spaces, as the regex's \\s+
    assert lexicon.get("jusqu’ a") == "up to"
    assert lexicon.get("tuée") is None  # never a KeyError


def test_phrases_spelled_alike_must_mean_the_same() -> None:
    assert Lexicon({"tue": "killed", "tué": "killed"}).key("tue") == "tue"
    with pytest.raises(ValueError, match="spelled alike"):
        Lexicon({"tue": "killed", "tué": "wounded"})


def test_spellings_list_every_mix_of_written_and_bare_accents() -> None:
    assert spellings("arrêté") == ["arrêté", "arreté", "arrête", "arrete"]
    assert spellings("killed") == ["killed"]


@pytest.mark.parametrize(
    "text", ["un nombre indeterminé de civils", "un nombre indétermine de civils", "pres d'une trentaine", "pres de 30"]
)
def test_a_mix_of_written_and_bare_accents_is_read(text: str) -> None:
    (q,) = find_quantities(text)
    assert q.qualifier in (VAGUE, NEARLY)


def test_a_number_too_long_to_be_a_count_is_none() -> None:
    assert find_quantities("9" * 5000 + " morts") == []  # int() would refuse 4,300 digits
    assert find_quantities("1" * 15 + " morts")[0].low == 10**15 // 9
    assert parse_count("9" * 5000) is None
    assert parse_number_words("hundred " * 2000) is None  # each word would multiply a huge number
