"""The known incidents file (seeds/incidents.yaml): a figure no toll can reach is refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from monitor.reading import MAX_TOLL
from monitor.register import SeedError, parse_seeds
from monitor.register.known import DEFAULT_SEEDS

SHIPPED = yaml.safe_load(DEFAULT_SEEDS.read_text(encoding="utf-8"))


def _with_first_figure(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SHIPPED)
    data["incidents"][0]["sources"][0]["figures"][0].update(changes)
    return data


def test_the_shipped_seeds_parse() -> None:
    assert parse_seeds(copy.deepcopy(SHIPPED))


@pytest.mark.parametrize("key", ["low", "high"])
@pytest.mark.parametrize("value", [MAX_TOLL + 1, 10**30])
def test_a_toll_beyond_any_is_refused_with_its_place_in_the_file(key: str, value: int) -> None:
    changes = {"low": 1, "high": value} if key == "high" else {"low": value, "high": None}
    with pytest.raises(SeedError, match=r"incidents\[0\]\.sources\[0\]\.figures\[0\]\." + key + ": .*more than any toll"):
        parse_seeds(_with_first_figure(**changes))


def test_the_largest_toll_is_accepted() -> None:
    (first, *_) = parse_seeds(_with_first_figure(low=MAX_TOLL, high=MAX_TOLL))
    assert first.key == SHIPPED["incidents"][0]["key"]


def test_a_yes_is_no_count() -> None:
    with pytest.raises(SeedError, match=r"figures\[0\]\.low: must be a count"):
        parse_seeds(_with_first_figure(low=True))
