"""Independent voices (monitor.register.voices): wire copies and near copies are one voice,
aggregators none, and the answer does not depend on the order the accounts arrived in."""

from __future__ import annotations

import itertools
from dataclasses import replace

from monitor.register import Account, Source
from monitor.register.voices import voices
from tests.incidentkit import at, report

WIRE_TEXT = (
    "Au moins vingt civils ont été tués dimanche dans l'attaque du village de Dioura, dans le centre du Mali, "
    "par des hommes armés arrivés à moto, a-t-on appris lundi de sources locales et sécuritaires."
)
OWN_TEXT = "Selon nos correspondants, vingt-deux habitants ont été tués dimanche à Dioura lors de l'attaque de jihadistes."
OTHER_TEXT = "Le bilan de l'attaque de Dioura s'élève à vingt-quatre morts, a indiqué un élu de la commune de Kareri mardi."


def told(article_id: int, publisher: str, evidence: str, published: str = "2025-05-26", credit: str | None = None) -> Account:
    source = Source(article_id, publisher, f"https://{publisher.lower().replace(' ', '')}.example/{article_id}",
                    f"article {article_id}", at(published), credit=credit)  # fmt: skip
    return Account(replace(report(), evidence=(evidence,)), source)


def names(accounts: list[Account]) -> list[tuple[str, tuple[str, ...]]]:
    found, _ = voices(accounts)
    return [(v.name, v.carriers) for v in found]


def test_sites_crediting_one_wire_are_one_voice_named_after_it() -> None:
    accounts = [told(1, "Le Point", WIRE_TEXT, credit="AFP"), told(2, "TV5Monde", OTHER_TEXT, credit="AFP"),
                told(3, "Studio Tamani", OWN_TEXT)]  # fmt: skip
    assert names(accounts) == [("AFP", ("Le Point", "TV5Monde")), ("Studio Tamani", ("Studio Tamani",))]


def test_a_near_copy_joins_the_voice_it_copies_and_other_words_do_not() -> None:
    copy = WIRE_TEXT.replace("dimanche", "ce dimanche") + " Les familles ont fui."
    accounts = [told(1, "Maliweb", WIRE_TEXT), told(2, "Mali Actu", copy, published="2025-05-27"), told(3, "Studio Tamani", OWN_TEXT)]
    assert names(accounts) == [("Maliweb", ("Maliweb", "Mali Actu")), ("Studio Tamani", ("Studio Tamani",))]


def test_an_aggregator_is_no_voice_but_carries_the_one_it_copies() -> None:
    accounts = [told(1, "Maliweb", WIRE_TEXT), told(2, "news.google.com", WIRE_TEXT), told(3, "msn.com", OTHER_TEXT)]
    assert names(accounts) == [("Maliweb", ("Maliweb", "news.google.com"))]


def test_the_voices_do_not_depend_on_arrival_order() -> None:
    # published the same day, so the order of arrival (article ids) is all that differs
    texts = [("Maliweb", WIRE_TEXT), ("Mali Actu", WIRE_TEXT + " Les familles ont fui vers Diafarabé."),
             ("Studio Tamani", OWN_TEXT), ("Journal du Mali", OTHER_TEXT), ("news.google.com", OWN_TEXT)]  # fmt: skip
    answers = set()
    for arrival in itertools.permutations(range(len(texts))):
        accounts = [told(n + 1, *texts[i]) for n, i in enumerate(arrival)]
        found, voice_of = voices(accounts)
        by_publisher = {a.source.publisher: v for a, v in zip(accounts, voice_of, strict=True)}
        answers.add((tuple((v.name, v.carriers) for v in found), tuple(sorted(by_publisher.items(), key=str))))
    assert len(answers) == 1, answers
