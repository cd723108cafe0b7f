"""``seeds_dir``: another copy of the reading data reaches the extractor (``extract``, the
daemon's reader), the known incidents (``seed``, the start) and the reader version that says
which failed articles to read again. The copies are edited by the tests; the data is the
project's own seeds/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from monitor.cli import cli
from monitor.collect import Fetcher
from monitor.config import ConfigError, load_config
from monitor.daemon import Poller, reader_version
from monitor.resources import SEEDS_DIR
from monitor.store import Store

ATTACK = (
    "Gunmen kill 12 civilians in central Mali\nGunmen killed 12 civilians in an attack on the village of "
    "Ogossagou in central Mali on Thursday, June 5, local officials said.\n"
)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A copy of the shipped seeds beside the config: one known incident, no Ogossagou in the gazetteers."""
    folder = tmp_path / "my-seeds"
    shutil.copytree(SEEDS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    known = yaml.safe_load((folder / "incidents.yaml").read_text(encoding="utf-8"))
    entries = known["incidents"] if isinstance(known, dict) else known
    first = {**known, "incidents": entries[:1]} if isinstance(known, dict) else entries[:1]
    (folder / "incidents.yaml").write_text(yaml.safe_dump(first, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in ("gazetteer.csv", "places_extra.csv"):
        rows = (folder / name).read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [row for row in rows if "gossagou" not in row.lower() and "gassagou" not in row.lower()]
        (folder / name).write_text("".join(kept), encoding="utf-8")
    return folder


def write_config(tmp_path: Path, seeds_dir: str | None) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text("database: register.db\n" + (f"seeds_dir: {seeds_dir}\n" if seeds_dir else ""), encoding="utf-8")
    return config


def invoke(config: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_a_relative_seeds_dir_is_relative_to_the_config_file(tmp_path: Path, seeds: Path) -> None:
    assert load_config(write_config(tmp_path, "my-seeds")).config.seeds_dir == str(seeds)


def test_a_seeds_dir_without_a_watch_list_is_refused_with_its_key(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match=r"seeds_dir: .*empty'?: no watchlist.yaml there"):
        load_config(write_config(tmp_path, "empty"))


def test_seed_loads_the_known_incidents_of_seeds_dir(tmp_path: Path, seeds: Path) -> None:
    assert invoke(write_config(tmp_path, "my-seeds"), "seed").stdout.startswith("1 known incidents: 1 loaded")


def test_extract_reads_with_the_gazetteer_of_seeds_dir(tmp_path: Path, seeds: Path) -> None:
    (tmp_path / "article.txt").write_text(ATTACK, encoding="utf-8")

    def place(config: Path) -> dict:  # type: ignore[type-arg]
        line = json.loads(invoke(config, "extract", "--published", "2025-06-06", str(tmp_path / "article.txt")).stdout)
        return line["reports"][0]["location"]  # type: ignore[no-any-return]

    shipped = place(write_config(tmp_path, None))
    assert shipped["admin2"] == "Bankass" and shipped["lat"] is not None
    assert place(write_config(tmp_path, "my-seeds")) != shipped


def test_the_daemons_reader_and_its_version_are_those_of_seeds_dir(tmp_path: Path, seeds: Path) -> None:
    config = load_config(write_config(tmp_path, "my-seeds")).config
    with Store(config.database) as store, Fetcher(config.fetch) as fetcher:
        poller = Poller(config, store, fetcher)
        try:
            assert poller.register.version == reader_version(seeds) != reader_version()
            reading = poller._reader().read(ATTACK, poller.clock().date())  # the reader it uses
            assert "12232587" not in {r.location.place_id for r in reading.reports if r.location}  # Ogossagou's id
            assert len(store.incidents()) == 1  # the one known incident of the copy, loaded at start
        finally:
            poller.close()
