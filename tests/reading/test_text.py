from __future__ import annotations

import unicodedata

import pytest

from monitor.reading.text import (
    fold,
    fold_words,
    name_key,
    nfc_with_offsets,
    sentence_at,
    split_sentences,
)

TRICKY = [
    "Œuvre, cœur et sœur",
    "Straße, STRASSE, ẞ",
    "ﬁn du ﬂux, ﬃ",
    "İstanbul, ıdrıs, DİYARBAKIR",
    "e\u0301tat, Se\u0301gou, n\u0303",  # decomposed accents
    "À Tombouctou, l’armée — « 30 morts »\u00a0!",
    "½ ¼ … ™ ℃ Ⅻ ㎞ ｆｕｌｌ",
    "\u200b\u200d\u00ad\ufeff",  # zero-width and format characters
    "Кидаль, كيدال, 基達爾, 🇲🇱",
    "ŉ ǆ ǈ ẞ ﬀ",
]


@pytest.mark.parametrize("text", TRICKY)
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)
    assert len(fold_words(text)) == len(text)


@pytest.mark.parametrize("text", TRICKY)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold_words(fold_words(text)) == fold_words(text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ségou", "segou"),
        ("TOMBOUCTOU", "tombouctou"),
        ("Ménaka", "menaka"),
        ("Anéfif", "anefif"),
        ("Diré", "dire"),
        ("l’armée", "l'armee"),
        ("l‘armée", "l'armee"),
        ("lʼarmée", "l'armee"),
        ("l`armée", "l'armee"),
        ("l´armée", "l'armee"),
        ("Kidal–Anéfif", "kidal-anefif"),
        ("Kidal—Gao", "kidal-gao"),
        ("Kidal‑Gao", "kidal-gao"),
        ("−30", "-30"),
        ("30\u00a0morts", "30 morts"),
        ("30\u202fmorts", "30 morts"),
        ("İnates", "inates"),
        ("Œuvre", "œuvre"),
        ("ﬁn", "fn"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_maps_offsets_back_to_the_original() -> None:
    text = "L’armée a repoussé l’attaque à Tombouctou (Mali)."
    start = fold(text).index("tombouctou")
    assert text[start : start + len("tombouctou")] == "Tombouctou"


def test_fold_words_turns_punctuation_into_spaces() -> None:
    assert fold_words("L’armée (FAMa), à Kidal.") == "l armee  fama   a kidal "
    assert name_key("Gourma-Rharous") == name_key("gourma  rharous") == "gourma rharous"


def test_nfc_with_offsets_composes_and_maps_back() -> None:
    text = "Se\u0301gou et Tombouctou"
    composed, origin = nfc_with_offsets(text)
    assert composed == "Ségou et Tombouctou"
    assert origin is not None and len(origin) == len(composed) + 1
    start = composed.index("Tombouctou")
    assert text[origin[start] : origin[start + len("Tombouctou")]] == "Tombouctou"
    assert nfc_with_offsets("déjà composé") == ("déjà composé", None)
    assert unicodedata.is_normalized("NFC", composed)


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "M. Goïta a reçu le Dr. Traoré. Le bilan reste inconnu.",
            ["M. Goïta a reçu le Dr. Traoré.", "Le bilan reste inconnu."],
        ),
        (
            "U.N. peacekeepers left in 2023. U.S. Africa Command warned of the threat.",
            ["U.N. peacekeepers left in 2023.", "U.S. Africa Command warned of the threat."],
        ),
        ("Some 1.5 million people fled. Aid is short.", ["Some 1.5 million people fled.", "Aid is short."]),
        (
            "Des tirs ont été entendus... Puis plus rien. Pourquoi ? Personne ne sait !",
            ["Des tirs ont été entendus...", "Puis plus rien.", "Pourquoi ?", "Personne ne sait !"],
        ),
        ("Il y a eu… des morts, dit-il. Fin.", ["Il y a eu… des morts, dit-il.", "Fin."]),
        (
            "Un habitant a dit : « Les assaillants sont partis. » Le calme est revenu.",
            ["Un habitant a dit : « Les assaillants sont partis. »", "Le calme est revenu."],
        ),
        (
            "He said: \u201cThe camp fell.\u201d Reinforcements arrived.",
            ["He said: \u201cThe camp fell.\u201d", "Reinforcements arrived."],
        ),
        (
            "Attaque à Boulkessi\nL'armée a confirmé. Sources: maliweb.net, le 3 juin.",
            ["Attaque à Boulkessi", "L'armée a confirmé.", "Sources: maliweb.net, le 3 juin."],
        ),
        ("J. Smith and Gen. Diarra met. It rained.", ["J. Smith and Gen. Diarra met.", "It rained."]),
        ("Trente soldats. 14 assaillants.", ["Trente soldats.", "14 assaillants."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_split_sentences_edge_cases() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n  ") == []
    assert _sentences("  Pas de point final  ") == ["Pas de point final"]


def test_sentence_at() -> None:
    spans = split_sentences("Un. Deux. Trois.")
    assert [sentence_at(spans, p) for p in (0, 3, 4, 9, 10, 15)] == [0, 0, 1, 1, 2, 2]


_CYRILLIC = "Вооружённые люди напали на пост в районе Мопти " * 3  # more than a few signs: per character


@pytest.mark.parametrize(
    "text",
    [
        "Москва и Бамако",
        "Tombouctou, l’armée — «ŒUVRE» ﬁn",
        "日本語のテキスト Gao",
        "Ségou\u00a0: e\u0301té",
        "ascii only",
        "Défense: “l’attaque” a fait 30 morts à Boulkessi…",  # Latin-1 but for signs that stay
        "Coût: 5 € ou 3 µg, Ségou → Mopti",  # "µ" folds outside Latin-1
        _CYRILLIC + "À Ségou, “DES HOMMES ARMÉS”",
        "Ω" * 70 + "Éé",
    ],
)
def test_fold_by_runs_equals_fold_by_character(text: str) -> None:
    # bytes for Latin-1 runs, one lookup per character for other scripts: every road gives
    # the character-by-character result
    assert fold(text) == "".join(fold(ch) for ch in text)
    assert fold_words(text) == "".join(fold_words(ch) for ch in text)
    assert fold_words(fold(text)) == fold_words(text)  # what the matcher relies on
