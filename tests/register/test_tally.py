"""A tally kept one account at a time (monitor.register.picture.Tally) pictures an incident as
``picture`` does from all its accounts at once: whatever order they come in, with copies,
wires, seeds, vague places and ties; a trial account leaves no trace."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from monitor.models import Figure, Location, Report
from monitor.register import Account, Source, Tally, agreement, picture
from tests.incidentkit import (
    BOULKESSI,
    DOUENTZA_CERCLE,
    GAO,
    MONDORO,
    RULES,
    account,
    report,
)

# a namesake of Boulkessi's gazetteer entry with other fields, and a place without coordinates
CAMP = Location("Boulkessi camp", "Mopti", "Douentza", "ML", 14.80, -1.31, "x-boulkessi", "MILB")
UNPLACED = Location("Mondoro", "Mopti", "Douentza", "ML", None, None, None, "PPL")
PLACES = (BOULKESSI, CAMP, DOUENTZA_CERCLE, MONDORO, UNPLACED, GAO, None)
WORDS = ("les", "jihadistes", "ont", "attaqué", "le", "camp", "militaire", "dimanche", "matin", "tuant", "des", "soldats",
         "et", "civils", "près", "de", "la", "ville", "selon", "une", "source", "sécuritaire", "locale")  # fmt: skip
PUBLISHERS = ("rfi.fr", "RFI.fr", "news.google.com", "msn.com", "lemonde.fr", "Studio Tamani", "maliweb.net")
QUALIFIERS = ("exact", "at_least", "about", "nearly", "range", "upper_bound", "more_than", "up_to")


def figure(rng: random.Random) -> Figure:
    low = rng.choice((None, rng.randint(0, 60)))
    high = rng.choice((None, (low or 0) + rng.randint(0, 20)))
    return Figure(rng.choice(("killed", "wounded")), rng.choice(("military", "civilian", "unspecified")), low, high,
                  rng.choice(QUALIFIERS), "")  # fmt: skip


def told(rng: random.Random, n: int, stories: list[str]) -> Account:
    """One outlet's account: a story shared with others (whole or in part) or its own words."""
    precision = rng.choice(("day", "day", "week", "month", "year", "unknown"))
    when = date(2025, 6, 1) + timedelta(days=rng.randint(-3, 3)) if precision != "unknown" else None
    figures = tuple(figure(rng) for _ in range(rng.randint(0, 2)))
    words = rng.choice([*stories, " ".join(rng.choice(WORDS) for _ in range(12)), "trop court"]).split()
    evidence = " ".join(words[: rng.randint(5, len(words))]) if len(words) > 5 else " ".join(words)
    r = Report(
        event_date=when, date_precision=precision, location=rng.choice(PLACES),
        event_type=rng.choice(("Battles", "Explosions/Remote violence", "Violence against civilians", None)),
        sub_event_type=rng.choice(("Armed clash", "Attack", None)), actors=tuple(rng.sample(("JNIM", "FAMa", "IS-Sahel"), 2)),
        figures=figures, fatalities=0, historical=rng.random() < 0.1, evidence=(evidence,),
        claimed_by=tuple(rng.sample(("JNIM", "IS-Sahel"), rng.randint(0, 1))),
        flags=frozenset(rng.sample(("overrun", "hostages"), rng.randint(0, 1))),
    )  # fmt: skip
    seed = rng.random() < 0.1
    publisher = rng.choice(PUBLISHERS)
    published = datetime(2025, 6, 1, 12, tzinfo=UTC) + timedelta(hours=rng.choice((0, 0, rng.randint(0, 300))))
    source = Source(
        None if seed else rng.choice((n, n, rng.randint(1, n))), publisher, None if seed else f"https://{publisher}/{n}",
        f"article {n}", published, origin="seed" if seed else "article", credit=rng.choice((None, None, None, "AFP")),
    )  # fmt: skip
    return Account(r, source, position=rng.randint(0, 1))


def incident(seed: int) -> list[Account]:
    rng = random.Random(seed)
    stories = [" ".join(rng.choice(WORDS) for _ in range(16)) for _ in range(3)]
    return [told(rng, n, stories) for n in range(1, rng.randint(2, 40))]


@pytest.mark.parametrize("seed", range(40))
def test_a_tally_kept_as_accounts_come_pictures_what_all_of_them_at_once_do(seed: int) -> None:
    accounts = incident(seed)
    rng = random.Random(seed)
    tally, known = Tally(), 0
    while known < len(accounts):
        known = min(len(accounts), known + rng.randint(1, 3))
        tally.sync(tuple(accounts[:known]), RULES)  # the accounts come in their order, not in time
        assert tally.picture() == picture(accounts[:known], RULES)
        assert tally.picture(sources=False) == picture(accounts[:known], RULES, sources=False)
        if known < len(accounts):  # tried, then taken back
            assert tally.picture_with(accounts[known]) == picture(accounts[: known + 1], RULES)
            assert tally.picture() == picture(accounts[:known], RULES)


@pytest.mark.parametrize("seed", range(10))
def test_the_picture_does_not_depend_on_the_order_of_the_accounts(seed: int) -> None:
    accounts = incident(seed)
    shuffled = random.Random(seed).sample(accounts, len(accounts))
    first, again = picture(accounts, RULES), picture(shuffled, RULES)
    assert (first.voices, first.publishers, first.tolls, first.location, first.event_date) == (
        again.voices, again.publishers, again.tolls, again.location, again.event_date,
    )  # fmt: skip
    assert sorted(first.sources, key=repr) == sorted(again.sources, key=repr)


@pytest.mark.parametrize("seed", range(10))
def test_its_representatives_agree_as_all_the_accounts_do(seed: int) -> None:
    accounts = incident(seed)
    tally = Tally.of(accounts, RULES)
    assert len(tally.representatives()) <= len(accounts)
    for new in incident(seed + 100)[:10]:
        every = [g for old in accounts if (g := agreement(new, old, RULES)) is not None]
        some = [g for old in tally.representatives() if (g := agreement(new, old, RULES)) is not None]
        assert (max(every).how if every else None) == (max(some).how if some else None)
        assert (max(every) if every else None) == (max(some) if some else None)


def test_a_tally_follows_new_rules_and_other_accounts_from_scratch() -> None:
    accounts = [account(report(when="2025-05-20"), n, published="2025-06-02") for n in (1, 2)]
    tally = Tally.of(accounts, RULES)
    assert tally.picture().historical is False
    strict = RULES.model_copy(update={"freshness_days": 5})
    tally.sync(accounts, strict)
    assert tally.picture().historical is True
    tally.sync(accounts[1:], strict)  # not the accounts it had: counted again
    assert tally.picture().reports == 1 and tally.has_article(2) and not tally.has_article(1)


def test_a_trial_that_fails_leaves_the_tally_as_it_was() -> None:
    tally = Tally.of([account(report(), 1)], RULES)
    broken = account(report(), 2)
    object.__setattr__(broken.report, "figures", (None,))  # not a figure: counting it raises
    with pytest.raises(AttributeError):
        tally.picture_with(broken)
    assert tally.picture() == picture([account(report(), 1)], RULES)
