"""``sahel-monitor extract``: files, standard input and JSON Lines in, one JSON reading a line out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from monitor.cli import cli
from monitor.cli import extract as cli_extract
from monitor.reading.reports import Extractor

ARTICLE_EN = "Gunmen attacked the gendarmerie in Djibo on Sunday, killing two gendarmes."
ARTICLE_FR = "Des hommes armés ont attaqué hier le poste militaire de Boni et tué 5 soldats."
REPORT_KEYS = {
    "event_date", "date_precision", "location", "event_type", "sub_event_type", "actors", "figures",
    "fatalities", "historical", "evidence",
}  # fmt: skip


@pytest.fixture(scope="module")
def shared_extractor() -> Extractor:
    return Extractor.load()


@pytest.fixture(autouse=True)
def one_extractor(monkeypatch: pytest.MonkeyPatch, shared_extractor: Extractor) -> None:
    """Load the watch list and gazetteer once for the module, not once per command."""
    monkeypatch.setattr(
        cli_extract.Extractor,
        "load",
        classmethod(lambda cls, *a, **k: shared_extractor),
    )


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["extract", *args], input=stdin)


def lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_files_one_line_each_with_the_contract(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(ARTICLE_EN, encoding="utf-8")
    second.write_text(ARTICLE_FR, encoding="utf-8")
    result = invoke(str(first), str(second), "--published", "2025-06-02")
    assert result.exit_code == 0, result.output
    out = lines(result)
    assert [o["id"] for o in out] == [str(first), str(second)]
    assert set(out[0]) == {"id", "relevant", "score", "language", "reports"}
    report = out[0]["reports"][0]
    assert REPORT_KEYS <= set(report)
    assert report["event_date"] == "2025-06-01" and report["date_precision"] == "day"
    assert report["location"]["name"] == "Djibo" and report["location"]["country"] == "BF"
    assert report["fatalities"] == 2 and report["event_type"] == "Battles"
    assert out[1]["language"] == "fr" and out[1]["reports"][0]["event_date"] == "2025-06-01"


def test_stdin_when_no_path(tmp_path: Path) -> None:
    result = invoke("--published", "2025-06-02", "--lang", "en", stdin=ARTICLE_EN)
    assert result.exit_code == 0
    (out,) = lines(result)
    assert out["id"] == "stdin" and out["language"] == "en" and out["relevant"] is True


def test_published_defaults_to_today() -> None:
    result = invoke(stdin="Gunmen attacked the gendarmerie in Djibo, killing two gendarmes.")
    (out,) = lines(result)
    assert out["reports"][0]["event_date"] == date.today().isoformat()
    assert out["reports"][0]["date_precision"] == "unknown"


def test_jsonl_records_with_their_own_dates_and_languages(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    records = [
        {"id": "x1", "text": ARTICLE_EN, "published": "2025-06-02"},
        {
            "id": 2,
            "text": ARTICLE_FR,
            "published": "2025-06-03T08:00:00+00:00",
            "lang": "fr",
        },
        {"id": "x3", "text": "The Eagles won the match 2-0."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    result = invoke("--jsonl", str(path), "--published", "2025-01-01")
    assert result.exit_code == 0, result.output
    out = lines(result)
    assert [o["id"] for o in out] == ["x1", 2, "x3"]
    assert out[1]["language"] == "fr" and out[1]["reports"][0]["event_date"] == "2025-06-02"
    assert out[2]["relevant"] is False and out[2]["reports"] == []


def test_jsonl_from_stdin() -> None:
    result = invoke(
        "--jsonl",
        "-",
        stdin=json.dumps({"id": "s", "text": ARTICLE_EN, "published": "2025-06-02"}),
    )
    assert [o["id"] for o in lines(result)] == ["s"]


def test_bad_lines_are_named_and_the_others_still_printed(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "ok1", "text": ARTICLE_EN, "published": "2025-06-02"}),
                "{not json",
                json.dumps({"id": "no-text"}),
                json.dumps({"id": "bad-date", "text": ARTICLE_EN, "published": "June 2"}),
                json.dumps(["a", "list"]),
                json.dumps({"id": "ok2", "text": ARTICLE_FR, "published": "2025-06-02"}),
            ]
        ),
        encoding="utf-8",
    )
    result = invoke("--jsonl", str(path))
    assert result.exit_code == 1
    assert [o["id"] for o in lines(result)] == ["ok1", "ok2"]
    errors = result.stderr.splitlines()
    assert f"{path}:2: invalid JSON" in errors[0]
    assert f"{path}:3: " in errors[1] and '"text"' in errors[1]
    assert f"{path}:4: " in errors[2] and "June 2" in errors[2]
    assert f"{path}:5: " in errors[3]


def test_missing_file_is_named_and_the_others_still_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE_EN, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = invoke(str(missing), str(good), "--published", "2025-06-02")
    assert result.exit_code == 1
    assert [o["id"] for o in lines(result)] == [str(good)]
    assert str(missing) in result.stderr and "cannot read" in result.stderr


def test_missing_jsonl_file(tmp_path: Path) -> None:
    result = invoke("--jsonl", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 1 and "none.jsonl: cannot read" in result.stderr


def test_bad_published_option() -> None:
    result = invoke("--published", "yesterday", stdin=ARTICLE_EN)
    assert result.exit_code == 2 and "yesterday" in result.stderr


def test_touches_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no config, no database file: extract needs neither
    result = invoke("--published", "2025-06-02", stdin=ARTICLE_EN)
    assert result.exit_code == 0
    assert list(tmp_path.iterdir()) == []


def test_what_the_caps_skipped_is_in_the_output(tmp_path: Path) -> None:
    article = tmp_path / "huge.txt"
    article.write_text("Des hommes armés ont tué 12 soldats dimanche à Boni. " * 4000, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(article), "--published", "2025-06-03"])
    assert result.exit_code == 0
    row = json.loads(result.stdout.splitlines()[0])
    assert row["skipped"] and "characters" in row["skipped"][0]
