"""docs/extract.md says what the extractor does: its tables are checked against the code."""

from __future__ import annotations

import re

import pytest

from monitor.reading import casualty_words, figures, numbers
from monitor.reading.dates import DAY, MONTH, WEEK, YEAR
from monitor.reading.relevance import RELEVANCE_THRESHOLD
from monitor.reading.reports import HISTORY_DAYS, detect_language
from monitor.reading.terms import WATCHLIST_FILE, load_watchlist
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "extract.md").read_text(encoding="utf-8")


def table(header: str) -> list[list[str]]:
    """The rows of the Markdown table whose header line starts with ``header``."""
    lines = DOC[DOC.index(header) :].splitlines()
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def code(cell: str) -> str:
    return cell.strip("`")


def bound(cell: str) -> int | None:
    return None if cell == "null" else int(cell)


QUALIFIER_ROWS = table("| qualifier | example |")


def test_every_qualifier_is_documented() -> None:
    documented = {code(row[0]) for row in QUALIFIER_ROWS}
    constants = {
        numbers.EXACT, numbers.ABOUT, numbers.NEARLY, numbers.AT_LEAST, numbers.MORE_THAN,
        numbers.UP_TO, numbers.RANGE, numbers.VAGUE, numbers.UPPER_BOUND,
    }  # fmt: skip
    assert documented == constants


@pytest.mark.parametrize("row", QUALIFIER_ROWS, ids=[r[1] for r in QUALIFIER_ROWS])
def test_each_qualifier_example_reads_as_documented(row: list[str]) -> None:
    qualifier, example, low, high = code(row[0]), row[1].strip('"'), bound(row[2]), bound(row[3])
    if qualifier == numbers.UPPER_BOUND:  # a figure of a whole sentence, not a bare quantity
        (found,) = figures.find_figures(example, "en")
    else:
        found = numbers.find_quantities(example)[0]
    assert (found.qualifier, found.low, found.high) == (qualifier, low, high)


def test_kinds_groups_and_precisions_are_the_codes() -> None:
    assert {code(r[0]) for r in table("| kind | words |")} == {
        casualty_words.KILLED, casualty_words.WOUNDED, casualty_words.MISSING, casualty_words.ABDUCTED, casualty_words.ARRESTED,
    }  # fmt: skip
    assert {code(r[0]) for r in table("| group | words |")} == {
        casualty_words.MILITARY, casualty_words.CIVILIAN, casualty_words.ASSAILANTS, casualty_words.UNSPECIFIED,
    }  # fmt: skip
    assert {code(r[0]) for r in table("| precision |")} == {DAY, WEEK, MONTH, YEAR, "unknown"}


def test_the_actor_table_lists_every_id_of_the_watch_list() -> None:
    rows = table("| id | kind |")
    documented = {code(r[0]): r[1] for r in rows}
    watchlist = load_watchlist(WATCHLIST_FILE)
    assert documented == {a.id: a.kind for a in watchlist.actors}


def test_threshold_and_history_are_the_code_s() -> None:
    assert f"The threshold is **{RELEVANCE_THRESHOLD}**" in DOC
    assert re.search(rf"more than {HISTORY_DAYS} days before publication", DOC)


def test_the_config_example_is_a_valid_extension() -> None:
    import yaml

    block = DOC[DOC.index("```yaml\nwatchlist:") + len("```yaml\n") :]
    extra = yaml.safe_load(block[: block.index("```")])["watchlist"]["extra_terms"]
    merged = load_watchlist(WATCHLIST_FILE, extra)
    assert merged.actor("Local-Militia").kind == "militia"


RULE_ROWS = table("| rule | counts | toll |")


@pytest.mark.parametrize("row", RULE_ROWS, ids=[r[1] for r in RULE_ROWS])
def test_each_figure_rule_counts_its_example_and_not_its_near_miss(row: list[str]) -> None:
    for example, toll in ((row[1], row[2]), (row[3], row[4])):
        sentence = example.strip('"')
        found = figures.find_figures(sentence, detect_language(sentence))
        assert figures.fatalities(found) == int(toll), (sentence, found)
