"""Casualty figures in one sentence, English and French, and the conservative death toll."""

from __future__ import annotations

import pytest

from monitor.reading.figures import (
    ABDUCTED,
    ARRESTED,
    ASSAILANTS,
    CIVILIAN,
    KILLED,
    MILITARY,
    MISSING,
    UNSPECIFIED,
    WOUNDED,
    Figure,
    fatalities,
    find_figures,
)
from monitor.reading.numbers import (
    ABOUT,
    AT_LEAST,
    EXACT,
    MORE_THAN,
    NEARLY,
    RANGE,
    UP_TO,
    VAGUE,
)

A = True  # aggregate
I = False  # an incident's own toll

# (sentence, [(kind, group, low, high, qualifier, aggregate)], conservative killed)
SENTENCES: list[tuple[str, list[tuple[str, str, int | None, int | None, str, bool]], int]] = [
    # --- English: verb before the count
    ("Insurgents killed at least 30 soldiers at the base.", [(KILLED, MILITARY, 30, None, AT_LEAST, I)], 30),
    ("The raid killed over 20 Nigerien troops.", [(KILLED, MILITARY, 21, None, MORE_THAN, I)], 21),
    ("The blast went off at the gate, killing 30.", [(KILLED, UNSPECIFIED, 30, 30, EXACT, I)], 30),
    ("A rights group condemned the killing of 17 herders.", [(KILLED, CIVILIAN, 17, 17, EXACT, I)], 17),
    ("The ambush claimed the lives of nine gendarmes.", [(KILLED, MILITARY, 9, 9, EXACT, I)], 9),
    ("The death toll rose to 41.", [(KILLED, UNSPECIFIED, 41, 41, EXACT, I)], 41),
    ("Officials reported the deaths of some 20 villagers.", [(KILLED, CIVILIAN, 20, 20, ABOUT, I)], 20),
    # --- English: count, noun, then the verb
    ("At least 30 soldiers were killed when the post fell.", [(KILLED, MILITARY, 30, None, AT_LEAST, I)], 30),
    ("Eleven gunmen were neutralised, the statement said.", [(KILLED, ASSAILANTS, 11, 11, EXACT, I)], 11),
    ("13 or 14 attackers killed, says the governor.", [(KILLED, ASSAILANTS, 13, 14, RANGE, I)], 13),
    ("Dozens of civilians were killed at the weekly fair.", [(KILLED, CIVILIAN, 12, None, VAGUE, I)], 12),
    ("Nearly 30 people died when the bus hit a mine.", [(KILLED, UNSPECIFIED, None, 29, NEARLY, I)], 29),
    ("Up to 30 herders are feared dead.", [(KILLED, CIVILIAN, None, 30, UP_TO, I)], 30),
    ("Several soldiers were wounded.", [(WOUNDED, MILITARY, 3, None, VAGUE, I)], 0),
    ("Five teachers are still missing.", [(MISSING, CIVILIAN, 5, 5, EXACT, I)], 0),
    ("Gunmen abducted 12 passengers from the bus.", [(ABDUCTED, CIVILIAN, 12, 12, EXACT, I)], 0),
    ("Twenty women were kidnapped near the well.", [(ABDUCTED, CIVILIAN, 20, 20, EXACT, I)], 0),
    ("Police said 31 suspects were arrested.", [(ARRESTED, ASSAILANTS, 31, 31, EXACT, I)], 0),
    ("Troops captured 31 suspected jihadists.", [(ARRESTED, ASSAILANTS, 31, 31, EXACT, I)], 0),
    ("The patrol said 31 arrested.", [(ARRESTED, UNSPECIFIED, 31, 31, EXACT, I)], 0),
    (
        "A soldier was killed and two were injured.",
        [(KILLED, MILITARY, 1, 1, EXACT, I), (WOUNDED, MILITARY, 2, 2, EXACT, I)],
        1,
    ),
    ("One of the attackers was captured alive.", [(ARRESTED, ASSAILANTS, 1, 1, EXACT, I)], 0),
    ("A herder aged 25 was shot dead.", [(KILLED, CIVILIAN, 1, 1, EXACT, I)], 1),
    # --- English: several counts in one sentence
    (
        "The attack left 12 dead and 20 wounded.",
        [(KILLED, UNSPECIFIED, 12, 12, EXACT, I), (WOUNDED, UNSPECIFIED, 20, 20, EXACT, I)],
        12,
    ),
    (
        "Thirteen attackers were killed and 31 others arrested.",
        [(KILLED, ASSAILANTS, 13, 13, EXACT, I), (ARRESTED, ASSAILANTS, 31, 31, EXACT, I)],
        13,
    ),
    (
        "Troops drove off the raid, killing 9 militants and arresting 22.",
        [(KILLED, ASSAILANTS, 9, 9, EXACT, I), (ARRESTED, ASSAILANTS, 22, 22, EXACT, I)],
        9,
    ),
    (
        "Seven soldiers were caught in the ambush; two of them wounded.",
        [(WOUNDED, MILITARY, 2, 2, EXACT, I)],
        0,
    ),
    (
        "Officials said 30 soldiers and 10 civilians were killed.",
        [(KILLED, MILITARY, 30, 30, EXACT, I), (KILLED, CIVILIAN, 10, 10, EXACT, I)],
        40,
    ),
    (
        "The jihadists killed 12 soldiers and 3 civilians.",
        [(KILLED, MILITARY, 12, 12, EXACT, I), (KILLED, CIVILIAN, 3, 3, EXACT, I)],
        15,
    ),
    (
        "The gunmen killed 5 soldiers and wounded 20.",
        [(KILLED, MILITARY, 5, 5, EXACT, I), (WOUNDED, MILITARY, 20, 20, EXACT, I)],
        5,
    ),
    (
        "Soldiers killed 4 attackers after the attackers killed 2 villagers.",
        [(KILLED, ASSAILANTS, 4, 4, EXACT, I), (KILLED, CIVILIAN, 2, 2, EXACT, I)],
        6,
    ),
    # --- French
    ("30 soldats tués dans une embuscade.", [(KILLED, MILITARY, 30, 30, EXACT, I)], 30),
    ("Une trentaine de militaires ont perdu la vie.", [(KILLED, MILITARY, 25, 35, ABOUT, I)], 30),
    ("13 terroristes neutralisés, selon l'état-major.", [(KILLED, ASSAILANTS, 13, 13, EXACT, I)], 13),
    ("Treize assaillants ont été neutralisés.", [(KILLED, ASSAILANTS, 13, 13, EXACT, I)], 13),
    ("13 ou 14 assaillants tués, selon le gouverneur.", [(KILLED, ASSAILANTS, 13, 14, RANGE, I)], 13),
    ("L'armée fait état de 31 interpellations.", [(ARRESTED, UNSPECIFIED, 31, 31, EXACT, I)], 0),
    ("Au moins 30 soldats maliens ont été tués.", [(KILLED, MILITARY, 30, None, AT_LEAST, I)], 30),
    ("Plus de 30 militaires ont trouvé la mort.", [(KILLED, MILITARY, 31, None, MORE_THAN, I)], 31),
    ("Des dizaines de civils ont été tués au marché.", [(KILLED, CIVILIAN, 10, None, VAGUE, I)], 10),
    ("Plusieurs villageois ont été enlevés.", [(ABDUCTED, CIVILIAN, 3, None, VAGUE, I)], 0),
    ("Des hommes armés ont enlevé 12 passagers.", [(ABDUCTED, CIVILIAN, 12, 12, EXACT, I)], 0),
    ("Deux éléments des forces armées sont portés disparus.", [(MISSING, MILITARY, 2, 2, EXACT, I)], 0),
    (
        "Les affrontements ont coûté la vie à une vingtaine de personnes.",
        [(KILLED, UNSPECIFIED, 17, 23, ABOUT, I)],
        20,
    ),
    ("L'attaque a causé la mort d'une dizaine de bergers.", [(KILLED, CIVILIAN, 8, 12, ABOUT, I)], 10),
    ("Les assaillants ont tué 7 villageois.", [(KILLED, CIVILIAN, 7, 7, EXACT, I)], 7),
    (
        "Un soldat a été tué et deux civils blessés.",
        [(KILLED, MILITARY, 1, 1, EXACT, I), (WOUNDED, CIVILIAN, 2, 2, EXACT, I)],
        1,
    ),
    ("L'un des assaillants a été capturé.", [(ARRESTED, ASSAILANTS, 1, 1, EXACT, I)], 0),
    ("Un berger âgé de 25 ans a été tué.", [(KILLED, CIVILIAN, 1, 1, EXACT, I)], 1),
    ("Cinq HANI ont été neutralisés.", [(KILLED, ASSAILANTS, 5, 5, EXACT, I)], 5),
    ("Trois individus armés ont été interpellés.", [(ARRESTED, ASSAILANTS, 3, 3, EXACT, I)], 0),
    (
        "Bilan : 5 morts et 10 blessés.",
        [(KILLED, UNSPECIFIED, 5, 5, EXACT, I), (WOUNDED, UNSPECIFIED, 10, 10, EXACT, I)],
        5,
    ),
    (
        "Deux soldats ont été tués et trois autres blessés.",
        [(KILLED, MILITARY, 2, 2, EXACT, I), (WOUNDED, MILITARY, 3, 3, EXACT, I)],
        2,
    ),
    (
        "Cinq soldats tués et dix blessés dans l'embuscade.",
        [(KILLED, MILITARY, 5, 5, EXACT, I), (WOUNDED, MILITARY, 10, 10, EXACT, I)],
        5,
    ),
    (
        "Les FAMa ont neutralisé 14 terroristes et interpellé 31 suspects.",
        [(KILLED, ASSAILANTS, 14, 14, EXACT, I), (ARRESTED, ASSAILANTS, 31, 31, EXACT, I)],
        14,
    ),
    # --- aggregates: a time span or a series of attacks in the same clause
    (
        "Since early April, more than 250 soldiers have been killed across the region.",
        [(KILLED, MILITARY, 251, None, MORE_THAN, A)],
        0,
    ),
    (
        "Over 150 troops are believed to have died since the month began.",
        [(KILLED, MILITARY, 151, None, MORE_THAN, A)],
        0,
    ),
    (
        "Depuis le début du mois, plus de 400 soldats ont été tués.",
        [(KILLED, MILITARY, 401, None, MORE_THAN, A)],
        0,
    ),
    ("Over the past year, 1,200 civilians were killed.", [(KILLED, CIVILIAN, 1200, 1200, EXACT, A)], 0),
    ("Au cours des derniers mois, 90 civils ont été tués.", [(KILLED, CIVILIAN, 90, 90, EXACT, A)], 0),
    ("Some 300 soldiers died in a series of attacks.", [(KILLED, MILITARY, 300, 300, ABOUT, A)], 0),
    ("This year alone, 250 villagers were killed.", [(KILLED, CIVILIAN, 250, 250, EXACT, A)], 0),
    (
        "Since early May 400 soldiers have died; on Sunday 30 soldiers were killed at the camp.",
        [(KILLED, MILITARY, 400, 400, EXACT, A), (KILLED, MILITARY, 30, 30, EXACT, I)],
        30,
    ),
    (  # the span is in the second clause; the 400 is beyond these patterns and not read
        "On Sunday 30 soldiers were killed, bringing to 400 the number of troops killed since May.",
        [(KILLED, MILITARY, 30, 30, EXACT, I)],
        30,
    ),
    ("Earlier this year, 30 soldiers were killed in one ambush.", [(KILLED, MILITARY, 30, 30, EXACT, I)], 30),
    # --- subsets and look-alikes
    (
        "At least 12 people, including three children, were killed.",
        [(KILLED, UNSPECIFIED, 12, None, AT_LEAST, I), (KILLED, CIVILIAN, 3, 3, EXACT, I)],
        12,
    ),
    (
        "Trois soldats, dont un officier, ont été tués.",
        [(KILLED, MILITARY, 3, 3, EXACT, I), (KILLED, MILITARY, 1, 1, EXACT, I)],
        3,
    ),
    ("Le chef du village a perdu deux enfants, tués par balle.", [(KILLED, CIVILIAN, 2, 2, EXACT, I)], 2),
    ("Le bilan de l'attaque s'élève à 12 morts.", [(KILLED, UNSPECIFIED, 12, 12, EXACT, I)], 12),
    (
        "The group said it killed 25 soldiers in Nara, and 300 more are thought to have died since March.",
        [(KILLED, MILITARY, 25, 25, EXACT, I), (KILLED, MILITARY, 300, 300, EXACT, A)],
        25,
    ),
    # --- where the victims were, between their noun and the verb
    ("Some 25 soldiers in Nara were killed at dawn.", [(KILLED, MILITARY, 25, 25, ABOUT, I)], 25),
    ("Eight gendarmes at the Hombori post were wounded.", [(WOUNDED, MILITARY, 8, 8, EXACT, I)], 0),
    ("Douze soldats du camp de Nara ont été tués.", [(KILLED, MILITARY, 12, 12, EXACT, I)], 12),
    ("Six civils à Hombori ont été enlevés.", [(ABDUCTED, CIVILIAN, 6, 6, EXACT, I)], 0),
    ("Four soldiers in Nara killed two attackers.", [(KILLED, ASSAILANTS, 2, 2, EXACT, I)], 2),
    # --- dozens: "two dozen" is 24, not 2 and 12
    ("Two dozen herders were killed near the well.", [(KILLED, CIVILIAN, 24, 24, ABOUT, I)], 24),
    ("Gunmen killed at least two dozen villagers.", [(KILLED, CIVILIAN, 24, None, AT_LEAST, I)], 24),
    ("Deux douzaines de soldats ont été tués.", [(KILLED, MILITARY, 24, 24, ABOUT, I)], 24),
    ("Une douzaine de bergers ont été tués.", [(KILLED, CIVILIAN, 12, 12, ABOUT, I)], 12),
    # --- millions are never victims here; the toll beside them is read as usual
    ("A million people have fled the region and 9 soldiers were killed.", [(KILLED, MILITARY, 9, 9, EXACT, I)], 9),
    ("Des millions de déplacés, et 7 civils tués dimanche.", [(KILLED, CIVILIAN, 7, 7, EXACT, I)], 7),
    # --- a two-digit year after an apostrophe is no count
    ("In '24, 40 soldiers were killed in Nara.", [(KILLED, MILITARY, 40, 40, EXACT, I)], 40),
    ("En ’23, 15 soldats ont été tués à Nara.", [(KILLED, MILITARY, 15, 15, EXACT, I)], 15),
]


def _summary(f: Figure) -> tuple[str, str, int | None, int | None, str, bool]:
    return (f.kind, f.group, f.low, f.high, f.qualifier, f.aggregate)


@pytest.mark.parametrize(("sentence", "expected", "killed"), SENTENCES)
def test_figures(
    sentence: str, expected: list[tuple[str, str, int | None, int | None, str, bool]], killed: int
) -> None:
    figures = find_figures(sentence)
    assert [_summary(f) for f in figures] == expected
    assert fatalities(figures) == killed
    assert all(f.text and f.text in sentence for f in figures)


# numbers that are no casualty count, beside casualty words that could fool a reader
NOT_FIGURES = [
    "Timbuktu was recaptured in 2013.",
    "The town, captured by rebels in 2012, was retaken in 2013.",
    "Gunmen killed in 2013 were never identified.",
    "The army said on June 2 that the base was attacked.",
    "L'armée a indiqué le 2 juin que des assaillants avaient été tués.",
    "The victim, aged 25, was found dead near the road.",
    "A 25-year-old was killed near the road.",
    "Il avait 25 ans quand il a été tué.",
    "The convoy was ambushed 30 km from Mopti; no one was killed.",
    "Le convoi a été attaqué à 30 kilomètres de Mopti.",
    "The attackers arrived at 5 a.m. and were repelled.",
    "Les assaillants sont arrivés vers 14h30 et ont été repoussés.",
    "A ransom of 30 million CFA francs was demanded for the hostage.",
    "The attackers seized 30 motorcycles and burned 12 vehicles.",
    "Les assaillants ont emporté 30 motos et 200 têtes de bétail.",
    "Soldiers of the 33rd regiment were deployed after the killings.",
    "Le 2e bataillon a été déployé après l'attaque meurtrière.",
    "Call +223 76 45 12 34 to report missing persons.",
    "Some 400 soldiers were deployed to the area.",  # a count of people, but no casualty
    "Two security sources spoke to Reuters about the attack.",
    "No one was hurt in the blast.",
    "Both sides reported casualties without giving any figures.",
    "Les 30 terroristes ont tué des civils.",  # the count is the killers, not the dead
    "Between 2020 and 2023 the juntas promised to end the killings.",
    "Resolution 2100 deplored the killing of civilians.",
    "The killings of '24 were never investigated.",
    "A million people were displaced by the killings.",
    "Des millions de personnes ont fui les tueries.",
    "The ransom for the hostages reached two million dollars.",
]


@pytest.mark.parametrize("sentence", NOT_FIGURES)
def test_not_figures(sentence: str) -> None:
    figures = find_figures(sentence)
    assert all(f.low not in (2013, 2012, 2, 25, 30, 5, 14, 33, 223, 400, 2020, 2100) for f in figures), (
        figures
    )
    assert fatalities(figures) == 0


def test_the_soldiers_who_kill_are_not_the_dead() -> None:
    assert [_summary(f) for f in find_figures("30 soldiers killed 5 attackers.")] == [
        (KILLED, ASSAILANTS, 5, 5, EXACT, I)
    ]


def test_including_marks_a_subset_left_out_of_the_toll() -> None:
    figures = find_figures("12 people were killed, including 7 soldiers.")
    assert [(f.group, f.low, f.subset) for f in figures] == [(UNSPECIFIED, 12, False), (MILITARY, 7, True)]
    assert fatalities(figures) == 12
    figures = find_figures("L'attaque a fait 12 morts, dont 8 militaires.")
    assert [(f.kind, f.group, f.low, f.subset) for f in figures] == [
        (KILLED, UNSPECIFIED, 12, False),
        (KILLED, MILITARY, 8, True),
    ]
    assert fatalities(figures) == 12


def test_figure_text_is_the_evidence() -> None:
    (f,) = find_figures("Insurgents killed at least 30 soldiers at the base.")
    assert f.text == "killed at least 30 soldiers"
    (f,) = find_figures("Une trentaine de militaires ont perdu la vie.")
    assert f.text == "Une trentaine de militaires ont perdu la vie"


def test_language_hint_keeps_french_a_a_verb() -> None:
    # "a" is "has" in French: "il a civils" is no article and noun
    assert find_figures("Un soldat a été tué.", "fr")[0].low == 1
    assert find_figures("A soldier was killed.", "en")[0].low == 1


def _fig(
    kind: str,
    group: str,
    low: int | None,
    qualifier: str = EXACT,
    aggregate: bool = False,
    subset: bool = False,
) -> Figure:
    return Figure(kind, group, low, low, qualifier, "", aggregate, subset)


@pytest.mark.parametrize(
    ("figures", "killed"),
    [
        ([], 0),
        ([_fig(WOUNDED, MILITARY, 20)], 0),
        ([_fig(KILLED, MILITARY, 30), _fig(KILLED, ASSAILANTS, 13)], 43),  # groups add up
        ([_fig(KILLED, MILITARY, 31), _fig(KILLED, MILITARY, 30)], 30),  # claims: the lowest
        ([_fig(KILLED, UNSPECIFIED, 12), _fig(KILLED, MILITARY, 7), _fig(KILLED, CIVILIAN, 3)], 12),
        ([_fig(KILLED, UNSPECIFIED, 5), _fig(KILLED, MILITARY, 7), _fig(KILLED, CIVILIAN, 3)], 10),
        ([_fig(KILLED, MILITARY, 400, aggregate=True), _fig(KILLED, MILITARY, 30)], 30),
        ([_fig(KILLED, UNSPECIFIED, 12), _fig(KILLED, MILITARY, 7, subset=True)], 12),
        ([Figure(KILLED, CIVILIAN, 25, 35, ABOUT, "", False)], 30),  # "une trentaine"
        ([Figure(KILLED, CIVILIAN, 12, None, VAGUE, "", False)], 12),  # "dozens"
        ([Figure(KILLED, CIVILIAN, None, 29, NEARLY, "", False)], 29),
    ],
)
def test_fatalities(figures: list[Figure], killed: int) -> None:
    assert fatalities(figures) == killed


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a list's serial comma is no clause break: the span still makes the count a total
        ("More than 400 soldiers have died in Mali, Niger, and Burkina Faso since the month began.",
         [(KILLED, MILITARY, 401, True)]),
        ("Plus de 300 civils sont morts au Mali, au Niger, et au Burkina depuis le début de l'année.",
         [(KILLED, CIVILIAN, 301, True)]),
        # a comma before a clause still breaks it: the first count is this incident's
        ("12 soldiers were killed on Sunday, and 400 have died since early May.",
         [(KILLED, MILITARY, 12, False), (KILLED, UNSPECIFIED, 400, True)]),
    ],
)  # fmt: skip
def test_list_commas_do_not_break_clauses(sentence: str, expected: list[tuple[str, str, int, bool]]) -> None:
    assert [(f.kind, f.group, f.low, f.aggregate) for f in find_figures(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "while" joins two clauses: the verb of the first does not carry over
        ("The army killed 57 fighters while 15 soldiers and 2 civilians were lightly wounded.",
         [(KILLED, ASSAILANTS, 57), (WOUNDED, MILITARY, 15), (WOUNDED, CIVILIAN, 2)]),
        ("The army killed 20 fighters while 3 soldiers escaped.", [(KILLED, ASSAILANTS, 20)]),
        ("L'armée a neutralisé 10 terroristes tandis que 4 soldats ont été grièvement blessés.",
         [(KILLED, ASSAILANTS, 10), (WOUNDED, MILITARY, 4)]),
        # how badly, between the auxiliary and the kind
        ("Two soldiers were seriously injured and 3 civilians were slightly hurt.",
         [(WOUNDED, MILITARY, 2), (WOUNDED, CIVILIAN, 3)]),
    ],
)  # fmt: skip
def test_while_does_not_carry_the_kind(sentence: str, expected: list[tuple[str, str, int]]) -> None:
    assert [(f.kind, f.group, f.low) for f in find_figures(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "and" is no object "a": the first count keeps its verb
        ("Two soldiers killed and four wounded in the ambush.", [(KILLED, MILITARY, 2), (WOUNDED, MILITARY, 4)]),
        ("At least one gendarme killed and three others injured.", [(KILLED, MILITARY, 1), (WOUNDED, MILITARY, 3)]),
        ("Deux soldats tués et trois blessés dans l'embuscade.", [(KILLED, MILITARY, 2), (WOUNDED, MILITARY, 3)]),
        # a real object still makes the soldiers the ones who killed
        ("Thirty soldiers killed an attacker near the well.", [(KILLED, ASSAILANTS, 1)]),
    ],
)  # fmt: skip
def test_a_kind_before_and_is_not_an_active_verb(sentence: str, expected: list[tuple[str, str, int]]) -> None:
    assert [(f.kind, f.group, f.low) for f in find_figures(sentence, "en")] == expected


@pytest.mark.parametrize(
    ("sentence", "lang", "expected", "killed"),
    [
        # coordinated counts of one group are the parts of one toll, not competing claims
        ("Eleven soldiers and three VDP were killed in the ambush.", "en", [(KILLED, MILITARY, 14, EXACT)], 14),
        ("At least 11 soldiers and 3 VDP were killed.", "en", [(KILLED, MILITARY, 14, AT_LEAST)], 14),
        # a comma alone may open a breakdown of the count before it: no sum
        ("Gunmen killed 15 civilians, 10 women and 5 children.", "en",
         [(KILLED, CIVILIAN, 15, EXACT), (KILLED, CIVILIAN, 15, EXACT)], 15),
        # a time between the noun and "and" is no French adjective: the second count has no verb
        ("Four soldiers were killed Friday and two soldiers Saturday.", "en", [(KILLED, MILITARY, 4, EXACT)], 4),
        # a French adjective may follow the noun before the "et"
        ("Onze militaires burkinabè et trois VDP ont été tués.", "fr", [(KILLED, MILITARY, 14, EXACT)], 14),
        ("Cinq soldats maliens et deux civils ont été tués.", "fr",
         [(KILLED, MILITARY, 5, EXACT), (KILLED, CIVILIAN, 2, EXACT)], 7),
        # counts at different places stay apart, and so do a count and part of it
        ("The attack killed 5 soldiers in Boni and 3 soldiers in Hombori.", "en",
         [(KILLED, MILITARY, 5, EXACT), (KILLED, MILITARY, 3, EXACT)], 3),
        ("Two gunmen attacked the post, one of the assailants was killed.", "en", [(KILLED, ASSAILANTS, 1, EXACT)], 1),
        # every count listed after "including" is part of the toll before it
        ("Gunmen killed 4 VDP and 11 civilians, including 1 woman and 1 girl.", "en",
         [(KILLED, MILITARY, 4, EXACT), (KILLED, CIVILIAN, 11, EXACT), (KILLED, CIVILIAN, 1, EXACT),
          (KILLED, CIVILIAN, 1, EXACT)], 15),
        # ... until a comma closes the list
        ("The attack killed 12 civilians, including three children, and five soldiers.", "en",
         [(KILLED, CIVILIAN, 12, EXACT), (KILLED, CIVILIAN, 3, EXACT), (KILLED, MILITARY, 5, EXACT)], 17),
        # "agents": of the state or of a company; police and forest agents are forces
        ("Deux agents burkinabè ont été enlevés.", "fr", [(ABDUCTED, UNSPECIFIED, 2, EXACT)], 0),
        ("Trois agents des eaux et forêts ont été tués.", "fr", [(KILLED, MILITARY, 3, EXACT)], 3),
        ("Two health workers were abducted near the clinic.", "en", [(ABDUCTED, CIVILIAN, 2, EXACT)], 0),
    ],
)  # fmt: skip
def test_parts_of_one_toll_add_up(sentence: str, lang: str, expected: list[tuple[str, str, int, str]], killed: int) -> None:
    found = find_figures(sentence, lang)
    assert [(f.kind, f.group, f.low, f.qualifier) for f in found] == expected
    assert fatalities(found) == killed


def test_a_summed_figure_quotes_all_its_parts() -> None:
    (figure,) = find_figures("Eleven soldiers and three VDP were killed in the ambush.", "en")
    assert figure.text == "Eleven soldiers and three VDP were killed"


# --- every form of every casualty verb, accented or not ------------------------------------

# French participles as a count's verb after its noun ("12 soldats tués"): each in its four
# forms, and English ones; every accent may be dropped, one by one or all together
_PARTICIPLES = {
    KILLED: ["tué", "abattu", "exécuté", "massacré", "assassiné", "neutralisé", "égorgé", "décédé", "calciné"],
    WOUNDED: ["blessé", "grièvement blessé", "légèrement blessé"],
    MISSING: ["disparu", "porté disparu"],
    ABDUCTED: ["enlevé", "kidnappé", "séquestré"],
    ARRESTED: ["arrêté", "interpellé", "capturé", "appréhendé"],
}
_ENGLISH_AFTER = {
    KILLED: ["killed", "dead", "slain", "executed", "massacred", "murdered", "neutralized", "neutralised"],
    WOUNDED: ["wounded", "injured"],
    MISSING: ["missing", "disappeared"],
    ABDUCTED: ["abducted", "kidnapped", "taken hostage"],
    ARRESTED: ["arrested", "detained", "captured", "apprehended"],
}
# French and English verbs before the count ("l'armée arrête 12 civils"), in the present,
# the participle and the gerund
_FRENCH_BEFORE = {
    KILLED: ["tue", "tuent", "tué", "tuant", "abat", "abattent", "exécute", "massacrent", "assassine", "neutralise"],
    WOUNDED: ["blesse", "blessent", "blessé", "blessant"],
    ABDUCTED: ["enlève", "enlèvent", "enlevé", "enlevant", "kidnappe", "kidnappent", "kidnappé"],
    ARRESTED: ["arrête", "arrêtent", "arrêté", "arrêtant", "interpelle", "interpellent", "capturent", "appréhende"],
}
_ENGLISH_BEFORE = {
    KILLED: ["kill", "kills", "killed", "killing", "execute", "murdered"],
    WOUNDED: ["wound", "wounded", "injuring"],
    ABDUCTED: ["abduct", "abducts", "abducted", "kidnapping"],
    ARRESTED: ["arrest", "arrests", "arrested", "arresting", "detained", "apprehend"],
}


def _agreeing(participle: str) -> list[str]:
    """ "tué" -> tué, tués, tuée, tuées; "porté disparu" agrees word by word, "grièvement" not."""
    return [
        " ".join(w + ending if w.endswith(("é", "u")) else w for w in participle.split())
        for ending in ("", "s", "e", "es")
    ]


def _bare_variants(phrase: str) -> list[str]:
    """The phrase as written, with all its accents dropped, and with each one dropped alone."""
    bare = phrase.translate(str.maketrans("éèêëàâçôûùîï", "eeeeaacouuii"))
    singles = [phrase[:i] + bare[i] + phrase[i + 1 :] for i in range(len(phrase)) if phrase[i] != bare[i]]
    return list(dict.fromkeys([phrase, bare, *singles]))


def _cases(table: dict[str, list[str]], agree: bool) -> list[tuple[str, str]]:
    forms = [(kind, form) for kind, words in table.items() for w in words for form in (_agreeing(w) if agree else [w])]
    return [(kind, variant) for kind, form in forms for variant in _bare_variants(form)]


@pytest.mark.parametrize(("kind", "form"), _cases(_PARTICIPLES, agree=True))
def test_every_form_of_a_french_participle_after_the_count(kind: str, form: str) -> None:
    for sentence in (f"Au total, 12 soldats {form}.", f"AU TOTAL, 12 SOLDATS {form.upper()}."):
        found = find_figures(sentence, "fr")
        assert [(f.kind, f.group, f.low) for f in found] == [(kind, MILITARY, 12)], sentence


@pytest.mark.parametrize(("kind", "form"), _cases(_ENGLISH_AFTER, agree=False))
def test_every_english_verb_after_the_count(kind: str, form: str) -> None:
    found = find_figures(f"Officials said 12 soldiers {form}.", "en")
    assert [(f.kind, f.group, f.low) for f in found] == [(kind, MILITARY, 12)]


@pytest.mark.parametrize(("kind", "form"), _cases(_FRENCH_BEFORE, agree=False))
def test_every_french_verb_before_the_count(kind: str, form: str) -> None:
    for count, low in (("12", 12), ("plusieurs", 3)):
        found = find_figures(f"L'armée {form} {count} civils.", "fr")
        assert [(f.kind, f.group, f.low) for f in found] == [(kind, CIVILIAN, low)]


@pytest.mark.parametrize(("kind", "form"), _cases(_ENGLISH_BEFORE, agree=False))
def test_every_english_verb_before_the_count(kind: str, form: str) -> None:
    found = find_figures(f"Gunmen {form} 12 civilians on Sunday.", "en")
    assert [(f.kind, f.group, f.low) for f in found] == [(kind, CIVILIAN, 12)]


def test_the_sentences_of_issue_12_read_without_raising() -> None:
    """A bare form spelled like a key of another table ("tue" is a verb before a count,
    "tué" a participle after one) once raised KeyError, by hash order for "enleve"."""
    assert [(f.kind, f.low) for f in find_figures("12 soldats tue.", "fr")] == [(KILLED, 12)]
    assert [(f.kind, f.low) for f in find_figures("3 civils enleve.", "fr")] == [(ABDUCTED, 3)]
    assert [(f.kind, f.low) for f in find_figures("l'armée arrête plusieurs civils", "fr")] == [(ARRESTED, 3)]


# --- victims the common constructions name (docs/extract.md, "Figures": the rules table) ----


@pytest.mark.parametrize(
    ("sentence", "lang", "expected"),
    [
        # militias fight beside the state: armed, not attackers
        ("Three Dozo militiamen killed and two wounded.", "en", [(KILLED, MILITARY, 3), (WOUNDED, MILITARY, 2)]),
        ("Deux miliciens koglweogo tués.", "fr", [(KILLED, MILITARY, 2)]),
        # a compound's last noun says who, unless it only counts people
        ("Gunmen killed four Koglweogo volunteer fighters.", "en", [(KILLED, MILITARY, 4)]),
        ("Soldiers killed four jihadist fighters.", "en", [(KILLED, ASSAILANTS, 4)]),
        ("A civilian guard was wounded.", "en", [(WOUNDED, CIVILIAN, 1)]),
        # attackers killed stay attackers, and those who kill are no victims
        ("Three assailants were killed in the counter-attack.", "en", [(KILLED, ASSAILANTS, 3)]),
        ("Three Dozo militiamen killed two herders.", "en", [(KILLED, CIVILIAN, 2)]),
        ("Two policemen beat to death a mechanic.", "en", [(KILLED, CIVILIAN, 1)]),
        ("An unknown gunman (a suspected militant) shot dead a soldier.", "en", [(KILLED, MILITARY, 1)]),
    ],
)  # fmt: skip
def test_victim_groups_of_militias_compounds_and_killers(
    sentence: str, lang: str, expected: list[tuple[str, str, int]]
) -> None:
    assert [(f.kind, f.group, f.low) for f in find_figures(sentence, lang)] == expected


@pytest.mark.parametrize(
    ("sentence", "lang", "killed"),
    [
        # --- a single victim and his kin each count one
        ("Armed men killed an imam and his brother.", "en", 2),
        ("Armed men killed a farmer, his wife and their three children.", "en", 5),
        ("Des hommes armés ont tué un marabout et son fils.", "fr", 2),
        ("Des hommes armés ont tué un berger et ses deux fils.", "fr", 3),
        ("Gunmen killed an elderly man and a soldier.", "en", 2),
        # not one person: a plural after "his", a possessive with no killing
        ("Armed men killed his men.", "en", 0),
        ("The chief lost his son in the flood.", "en", 0),
        ("Le chef a perdu son fils.", "fr", 0),
        # --- killed by hand, to death
        ("An angry crowd lynched two suspected thieves to death.", "en", 2),
        ("Militiamen hacked to death five herders.", "en", 5),
        ("Militiamen tortured a young herdsman to death.", "en", 1),
        ("Un voleur présumé a été lynché à mort.", "fr", 1),
        ("Deux bergers ont été battus à mort.", "fr", 2),
        # a death sentence, an assault, an attempt: nobody killed
        ("The court sentenced two men to death.", "en", 0),
        ("Deux hommes ont été condamnés à mort.", "fr", 0),
        ("Deux bergers ont été battus.", "fr", 0),
        ("Militants attempted to assassinate two teachers.", "en", 0),
        ("Gunmen threatened to kill three hostages.", "en", 0),
        # --- the dead added later join the toll
        ("Five soldiers were killed and two others died later.", "en", 7),
        ("Five soldiers were killed; two more succumbed to their wounds.", "en", 7),
        ("Gunmen killed four traders and wounded two others; one of the wounded later succumbed.", "en", 5),
        ("Cinq soldats ont été tués et deux des blessés ont succombé.", "fr", 7),
        ("Three of the five hostages were found dead.", "en", 3),
        ("One of the passengers succumbed to his wounds.", "en", 1),
        # a part of the toll, not more dead
        ("Twelve people were killed, including 7 soldiers and 5 others.", "en", 12),
        ("Gunmen killed four traders; one of them was a butcher.", "en", 4),
        ("Three of the five hostages were freed.", "en", 0),
        ("Two gendarmes were killed and three went missing.", "en", 2),
        # --- bodies are the dead when found
        ("Five corpses were seen by the road.", "en", 5),
        ("Five bodies were found near the well.", "en", 5),
        ("The corpses of some twenty fighters were recovered.", "en", 20),
        ("Les corps de trois civils ont été retrouvés.", "fr", 3),
        ("The two bodies agreed to meet.", "en", 0),
        ("Le corps d'armée a déployé trente soldats.", "fr", 0),
    ],
)
def test_tolls_of_the_common_constructions(sentence: str, lang: str, killed: int) -> None:
    assert fatalities(find_figures(sentence, lang)) == killed


def test_an_aside_in_brackets_leaves_the_victims_their_verb_and_their_list() -> None:
    figures = find_figures("Six villagers (including four men and two women) were killed.", "en")
    assert [(f.group, f.low, f.subset) for f in figures] == [(CIVILIAN, 6, False), (UNSPECIFIED, 4, True), (CIVILIAN, 2, True)]
    assert fatalities(figures) == 6
    figures = find_figures("Gunmen killed two Dozo militiamen (hunters) and seven civilians.", "en")
    assert [(f.group, f.low) for f in figures] == [(MILITARY, 2), (CIVILIAN, 7)]
    assert fatalities(figures) == 9


def test_people_listed_beside_a_group_are_civilians_and_add_up() -> None:
    figures = find_figures("The blast killed 4 people and 3 soldiers.", "en")
    assert [(f.group, f.low) for f in figures] == [(CIVILIAN, 4), (MILITARY, 3)]
    assert fatalities(figures) == 7
    # a breakdown after "including" stays inside the toll
    assert fatalities(find_figures("The blast killed 12 people, including 3 soldiers.", "en")) == 12


def test_later_dead_are_one_figure_with_the_toll_they_join() -> None:
    (dead,) = [f for f in find_figures("Five soldiers were killed and two others died later.", "en")]
    assert (dead.kind, dead.group, dead.low, dead.subset) == (KILLED, MILITARY, 7, False)
    figures = find_figures("Two gendarmes were killed and three went missing.", "en")
    assert [(f.kind, f.low) for f in figures] == [(KILLED, 2), (MISSING, 3)]


@pytest.mark.parametrize(
    ("sentence", "lang", "expected"),
    [
        ("Soldiers detained nine herders and executed them.", "en", [(ARRESTED, CIVILIAN, 9), (KILLED, CIVILIAN, 9)]),
        ("Gunmen abducted a man and executed him in the bush.", "en", [(ABDUCTED, UNSPECIFIED, 1), (KILLED, UNSPECIFIED, 1)]),
        ("Gunmen abducted a nurse; she was later found dead.", "en", [(ABDUCTED, CIVILIAN, 1), (KILLED, CIVILIAN, 1)]),
        ("Les militaires ont arrêté trois bergers et les ont exécutés.", "fr", [(ARRESTED, CIVILIAN, 3), (KILLED, CIVILIAN, 3)]),
        # no one counted before "them", no killing verb, a negation, a clause of background
        ("The army said it killed them.", "en", []),
        ("Soldiers detained nine herders and released them.", "en", [(ARRESTED, CIVILIAN, 9)]),
        ("He was not killed.", "en", []),
        ("She was a nurse when she was killed.", "en", []),
    ],
)  # fmt: skip
def test_a_pronoun_after_a_killing_verb_kills_who_was_counted(
    sentence: str, lang: str, expected: list[tuple[str, str, int]]
) -> None:
    assert [(f.kind, f.group, f.low) for f in find_figures(sentence, lang)] == expected


def test_what_was_done_before_the_news_is_no_toll() -> None:
    assert fatalities(find_figures("Soldiers killed the gunmen who assassinated a village chief.", "en")) == 1
    sentence = "Soldiers encircled the gunmen who had previously assassinated a village chief."
    assert fatalities(find_figures(sentence, "en")) == 0
