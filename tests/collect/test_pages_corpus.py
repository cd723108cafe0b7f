"""Extraction quality on real news pages: ../shared/corpus/pages/article-extraction-benchmark.

Each page's extracted text is scored against the benchmark's expected article body
with a bag-of-words F1 (lower-cased ``\\w+`` tokens, counted with multiplicity).
All 181 pages run in about 5 seconds, so nothing is sampled.
Measured with trafilatura 2.3.1 in fast mode: 181 pages, 181 ok, mean F1 0.961.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor.collect.pages import extract_page

pytestmark = pytest.mark.shared

BENCHMARK = Path("corpus/pages/article-extraction-benchmark")
# Measured 0.961; the margin absorbs small changes in trafilatura's heuristics between releases.
MEAN_F1_FLOOR = 0.92
MIN_OK_SHARE = 0.95
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Score:
    key: str
    status: str
    f1: float
    error: str | None


def token_f1(extracted: str, expected: str) -> float:
    found = Counter(_TOKEN.findall(extracted.lower()))
    wanted = Counter(_TOKEN.findall(expected.lower()))
    common = sum((found & wanted).values())
    if common == 0:
        return 0.0
    precision = common / sum(found.values())
    recall = common / sum(wanted.values())
    return 2 * precision * recall / (precision + recall)


def score_page(root: Path, key: str, truth: dict[str, str]) -> Score:
    body = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
    page = extract_page(body, truth["url"])
    return Score(key, page.status, token_f1(page.text, truth["articleBody"]), page.error)


def test_extraction_quality_on_the_benchmark(shared_dir: Path) -> None:
    root = shared_dir / BENCHMARK
    truths: dict[str, dict[str, str]] = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    start = time.monotonic()

    scores = [score_page(root, key, truth) for key, truth in sorted(truths.items())]

    seconds = time.monotonic() - start
    statuses = Counter(score.status for score in scores)
    mean_f1 = statistics.mean(score.f1 for score in scores)
    print(
        f"\nextraction benchmark: pages={len(scores)} ok={statuses['ok']} empty={statuses['empty']} "
        f"failed={statuses['failed']} mean_f1={mean_f1:.3f} "
        f"median_f1={statistics.median(s.f1 for s in scores):.3f} seconds={seconds:.1f}"
    )
    failed = [f"{s.key[:12]}: {s.error}" for s in scores if s.status == "failed"]
    assert len(scores) == len(truths) > 100
    assert not failed, failed
    assert statuses["ok"] >= MIN_OK_SHARE * len(scores)
    assert mean_f1 >= MEAN_F1_FLOOR
