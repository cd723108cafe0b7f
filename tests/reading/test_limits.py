"""What one article may cost the extractor (monitor.reading.limits), measured as work, never as time.

The work of a reading is counted as the Python lines it runs (``sys.settrace``): a step that
compares every name of a text with every other shows as lines that grow with the square of
the text, whatever the machine's speed. Four times the text must cost at most about four
times the lines, and past the caps no more at all. bench/read_scaling.py measures the time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from types import FrameType
from typing import Any

import pytest

from monitor.reading import Extractor, Reading
from monitor.reading.limits import (
    MAX_CHARS,
    MAX_INCIDENT_PLACES,
    MAX_PLACES_PER_SENTENCE,
    MAX_SENTENCE_CHARS,
    MAX_TITLE_CHARS,
    cut_at_space,
    kept_per_sentence,
    split_long_sentences,
)

PUBLISHED = date(2025, 6, 3)
# places of the watched countries, in the project's gazetteer
TOWNS = ["Djibo", "Gao", "Kidal", "Mopti", "Ménaka", "Tombouctou", "Dori", "Arbinda", "Douentza", "Niono", "Bankass"]
SENTENCES = [
    "Des hommes armés ont attaqué le poste de {town} dimanche, tuant {n} soldats.",
    "At least {n} civilians were killed near {town} on Sunday, security sources said.",
    "L'armée a neutralisé {n} terroristes et arrêté plusieurs suspects à {town}.",
    "Le document, publié mardi, s'appuie sur des entretiens menés pendant plusieurs mois.",
]


def prose(size: int) -> str:
    """Incident sentences on one line."""
    return _filled(size, lambda i: SENTENCES[i % len(SENTENCES)].format(town=TOWNS[i % len(TOWNS)], n=i % 40 + 2), " ")


def unended(size: int) -> str:
    """The same without a sentence end: one sentence as long as the text."""
    return prose(size).replace(".", ",")


def place_list(size: int) -> str:
    return "Attaques à " + _filled(size, lambda i: TOWNS[i % len(TOWNS)], ", ") + " : 12 civils tués."


def one_word(size: int) -> str:
    return _filled(size, lambda i: "tués", " ")


def _filled(size: int, piece: Callable[[int], str], sep: str) -> str:
    parts, length, i = [], 0, 0
    while length < size:
        parts.append(piece(i))
        length += len(parts[-1]) + len(sep)
        i += 1
    return sep.join(parts)[:size]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def lines_run(extractor: Extractor, text: str) -> tuple[int, Reading]:
    """The Python lines a reading runs, and the reading."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        reading = extractor.read(text, PUBLISHED)
    finally:
        sys.settrace(None)
    return count, reading


@pytest.mark.parametrize("make", [prose, unended, place_list, one_word], ids=lambda f: f.__name__)
def test_work_grows_no_faster_than_the_text(extractor: Extractor, make: Callable[[int], str]) -> None:
    small, _ = lines_run(extractor, make(6_000))
    large, _ = lines_run(extractor, make(24_000))
    assert large <= 5 * small, f"4 x the text cost {large / small:.1f} x the work"


@pytest.mark.parametrize("make", [prose, unended, place_list, one_word], ids=lambda f: f.__name__)
def test_past_the_caps_the_work_stays_flat(extractor: Extractor, make: Callable[[int], str]) -> None:
    at_cap, _ = lines_run(extractor, make(MAX_CHARS))
    beyond, reading = lines_run(extractor, make(4 * MAX_CHARS))
    assert beyond <= 1.1 * at_cap
    assert any(s.startswith("text: read the first") for s in reading.skipped)


def test_a_long_text_is_read_up_to_the_cap_and_says_so(extractor: Extractor, caplog: pytest.LogCaptureFixture) -> None:
    head = "Des hommes armés ont attaqué le poste de Djibo dimanche, tuant 12 soldats. "
    filler = "Le document, publié mardi, s'appuie sur des entretiens menés pendant plusieurs mois. "
    tail = "Gunmen killed 40 civilians in Gao on Monday."
    text = head + filler * (MAX_CHARS // len(filler) + 10) + tail
    with caplog.at_level("WARNING", logger="monitor.reading"):
        reading = extractor.read(text, PUBLISHED)
    places = [r.location.name for r in reading.reports if r.location]
    assert "Djibo" in places and "Gao" not in places  # the tail lies past the cap
    (said,) = reading.skipped
    assert said.startswith("text: read the first ") and said.endswith(f" of {len(text):,} characters")
    assert MAX_CHARS - 200 <= int(said.split()[4].replace(",", "")) <= MAX_CHARS  # cut between words
    assert "reading capped: text: read the first" in caplog.text
    assert extractor.read(head, PUBLISHED).skipped == ()  # nearly every article


def test_a_long_title_is_cut(extractor: Extractor) -> None:
    reading = extractor.read("12 soldats tués à Djibo.", PUBLISHED, title="Djibo " * 1000)
    assert reading.skipped[0].startswith("title: read the first ")
    assert reading.skipped[0].endswith(" of 6,000 characters")
    assert int(reading.skipped[0].split()[4]) <= MAX_TITLE_CHARS


def test_every_sentence_is_bounded_and_so_are_its_places(extractor: Extractor) -> None:
    scan = extractor.matcher.scan(place_list(20_000))
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in scan.sentences)
    per_sentence: dict[int, int] = {}
    for hit, index in zip(scan.hits, scan.hit_sentences):
        if hit.kind == "place":
            per_sentence[index] = per_sentence.get(index, 0) + 1
    assert max(per_sentence.values()) <= MAX_PLACES_PER_SENTENCE
    assert any("skipped beyond" in s for s in scan.skipped)


def test_an_article_reports_a_bounded_number_of_incident_places(extractor: Extractor) -> None:
    towns = [p.name for p in extractor.gazetteer.all_places() if p.population >= 5000]
    assert len(towns) > MAX_INCIDENT_PLACES
    lines = [f"Attaque à {name} : 3 civils tués." for name in towns]
    reading = extractor.read("\n".join(lines), PUBLISHED)
    assert len(reading.reports) <= MAX_INCIDENT_PLACES


def test_cutting_keeps_whole_words_and_sentences_keep_their_text() -> None:
    text = "mot " * 1000
    assert cut_at_space(text, 101) == ("mot " * 25).rstrip()
    assert cut_at_space("x" * 500, 100) == "x" * 100  # no space near: exactly the cap
    spans, cut = split_long_sentences([(0, len(text) - 1)], text)
    assert cut == 0 or all(e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    long = "mot " * 2000
    spans, cut = split_long_sentences([(0, len(long) - 1)], long)
    assert cut == 1 and len(spans) > 1
    assert all(e - s <= MAX_SENTENCE_CHARS and long[s:e].strip() == long[s:e] for s, e in spans)
    assert " ".join(long[s:e] for s, e in spans) == long.strip()


def test_the_first_names_of_each_sentence_are_kept() -> None:
    sentences = [(0, 10), (10, 20)]
    assert kept_per_sentence([1, 12], sentences, 2) == [True, True]  # fewer than the cap in all
    assert kept_per_sentence([5, 1, 3, 12, 11, 15], sentences, 2) == [False, True, True, True, True, False]
