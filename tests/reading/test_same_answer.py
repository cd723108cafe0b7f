"""Same input, same output: texts read by `sahel-monitor extract` under two hash seeds.

Nothing the extractor writes may depend on the order of a set or a dict of strings, which
``PYTHONHASHSEED`` changes from one process to the next (a table once built from a set gave
"enleve" one meaning or another by the seed). The BBC dev sets, the Malilink rows and
ACLED's notes (../shared, read and never copied) go through the command in two processes
with different seeds; the outputs must be the same bytes. So must sentences written for
this test in every spelling of their casualty words (under seed 0, "3 civils enleve." once
ended the command).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.reading.test_never_raises import SENTENCES

NEWS = SHARED / "data" / "news"
ACLED = SHARED / "data" / "acled-dev"


def _articles() -> list[dict[str, str]]:
    """One extract input a line: every dev-set text with the date it was published."""
    out: list[dict[str, str]] = []
    for path in sorted(NEWS.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for i, row in enumerate(csv.DictReader(handle, delimiter="\t")):
                out.append({"id": f"{path.name}:{i}", "text": f"{row['headline']}\n\n{row['text']}", "published": "2021-06-01"})
    with (NEWS / "malilink_mali_incidents_fr_2013_2016.csv").open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            text = f"{row['evenement']} {row['victimes']}"
            out.append({"id": f"malilink:{i}", "text": text, "published": row["date"], "lang": "fr"})
    for path in sorted(ACLED.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for i, row in enumerate(csv.DictReader(handle)):
                if not row["event_date"].startswith("#"):  # the HXL tag row
                    out.append({"id": f"{path.name}:{i}", "text": row["notes"], "published": row["event_date"], "lang": "en"})
    return out


def _extract(jsonl: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "extract", "--jsonl", str(jsonl)],
        env=env,
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout


@pytest.mark.shared
def test_the_dev_sets_read_the_same_under_two_hash_seeds(tmp_path: Path) -> None:
    articles = _articles()
    assert len(articles) > 4000
    jsonl = tmp_path / "dev.jsonl"
    jsonl.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    first, second = _extract(jsonl, "1"), _extract(jsonl, "2024")
    assert first.count(b"\n") == len(articles)
    assert first == second


def test_sentences_in_every_spelling_read_the_same_under_two_hash_seeds(tmp_path: Path) -> None:
    bare = str.maketrans("éèêëàâçôûùîï", "eeeeaacouuii")
    texts = [*SENTENCES, *(s.translate(bare) for s in SENTENCES), "12 soldats tue.", "3 civils enleve.", "5 soldats blesse."]
    jsonl = tmp_path / "sentences.jsonl"
    lines = [json.dumps({"id": i, "text": t, "published": "2025-06-03"}, ensure_ascii=False) for i, t in enumerate(texts)]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, second = _extract(jsonl, "0"), _extract(jsonl, "2")
    assert first.count(b"\n") == len(texts)
    assert first == second
