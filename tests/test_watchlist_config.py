"""The watch list extended from config.yaml (``watchlist.extra_terms``): checked at load,
read by the daemon's pipeline (``ingest``) and by ``extract``.

The articles are our own sentences; "Brigade du Fleuve" is a group name made up for the tests.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from monitor.cli import cli
from monitor.config import (
    ConfigError,
    load_config,
    load_watchlist_extension,
    parse_config,
)
from monitor.store import Store

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (
    "Attaque près de Ségou\n"
    "Des hommes armés de la Brigade du Fleuve ont attaqué dimanche le village de Dioro, "
    "près de Ségou, et tué cinq civils, selon des sources locales.\n"
)
EXTENSION = """
watchlist:
  extra_terms:
    actors:
      - {id: Brigade-Fleuve, kind: militia, countries: [ML], names: [Brigade du Fleuve]}
"""


def write_config(folder: Path, body: str) -> Path:
    path = folder / "config.yaml"
    path.write_text("database: register.db\n" + body, encoding="utf-8")
    return path


def invoke(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


# --- checked at load ------------------------------------------------------------------------


def test_an_extension_loads_with_the_config() -> None:
    loaded = parse_config(yaml.safe_load(EXTENSION), "config.yaml")
    assert loaded.config.watchlist.extra_terms["actors"][0]["id"] == "Brigade-Fleuve"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"extra_term": {}}, r"watchlist\.extra_term: unknown key"),
        ({"extra_terms": {"actors": [{"id": "X-Group", "names": ["X"]}]}}, r"watchlist\.extra_terms\.actors\[0\]\.kind: is required"),
        ({"extra_terms": {"nonsense": []}}, r"watchlist\.extra_terms\.nonsense: unknown key"),
        ({"extra_terms": "attack"}, r"watchlist\.extra_terms"),
    ],
)
def test_a_wrong_extension_names_its_key_path(section: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=message):
        parse_config({"watchlist": section}, "config.yaml")


def test_check_config_refuses_a_wrong_extension(tmp_path: Path) -> None:
    config = write_config(tmp_path, "watchlist:\n  extra_terms:\n    victims: {soldiers: [recrues]}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "check-config"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "watchlist.extra_terms.victims.soldiers: unknown key" in proc.stderr


def test_the_example_in_the_shipped_config_is_valid() -> None:
    # the commented example under `watchlist:` in config.yaml, uncommented, must load
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    block = text[text.index("\nwatchlist:") : text.index("\nlog:")]
    example = [line.split("# ", 1)[1] for line in block.splitlines() if line.startswith(("  #   ", "  # extra"))]
    body = "\n".join(re.sub(r"\s+# .*$", "", line) for line in example)
    extra = yaml.safe_load(body)["extra_terms"]
    assert {"actors", "events", "victims", "places"} <= set(extra)
    loaded = parse_config({"watchlist": {"extra_terms": extra}}, "config.yaml")
    assert loaded.config.watchlist.extra_terms == extra


# --- read by ingest and extract ---------------------------------------------------------------


def test_ingest_reads_with_the_extended_watch_list(tmp_path: Path) -> None:
    config = write_config(tmp_path, EXTENSION)
    article = tmp_path / "dioro.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = invoke(config, "ingest", "--published", "2025-06-03", str(article))
    assert result.exit_code == 0, result.output
    with Store(tmp_path / "register.db") as store:
        reports = store.reports_of_article(1)
    assert reports and "Brigade-Fleuve" in json.loads(reports[0]["actors"])


def test_without_the_extension_the_group_is_no_actor(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    article = tmp_path / "dioro.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = invoke(config, "extract", "--published", "2025-06-03", str(article))
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)["reports"]
    assert reports and all("Brigade-Fleuve" not in r["actors"] for r in reports)


def test_extract_reads_the_extension_and_needs_no_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the service's secrets are not set where an analyst runs extract: it must still work
    monkeypatch.delenv("SAHEL_TEST_UNSET_PASSWORD", raising=False)
    body = EXTENSION + "alerts:\n  urls: ['mailtos://u:${SAHEL_TEST_UNSET_PASSWORD}@example.org']\n"
    config = write_config(tmp_path, body)
    with pytest.raises(ConfigError, match="SAHEL_TEST_UNSET_PASSWORD"):
        load_config(config)  # the daemon would refuse it
    assert load_watchlist_extension(config)["actors"][0]["id"] == "Brigade-Fleuve"
    article = tmp_path / "dioro.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = invoke(config, "extract", "--published", "2025-06-03", str(article))
    assert result.exit_code == 0, result.output
    (reading,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert "Brigade-Fleuve" in reading["reports"][0]["actors"]


def test_extract_refuses_a_wrong_extension_with_its_key(tmp_path: Path) -> None:
    config = write_config(tmp_path, "watchlist:\n  extra_terms:\n    actors: [{id: X-Group, names: [X]}]\n")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = invoke(config, "extract", str(article))
    assert result.exit_code != 0
    assert "watchlist.extra_terms.actors[0].kind: is required" in result.output
    assert result.stdout.strip() == "" or "reports" not in result.stdout


def test_extract_without_a_config_file_uses_the_seed_watch_list(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = invoke(tmp_path / "absent.yaml", "extract", "--published", "2025-06-03", str(article))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["reports"]
