"""The package as a user installs it: the sdist and the wheel built as a packager builds them,
the wheel installed in a new virtual environment, its commands run from another folder.

Offline: the build runs without isolation (setuptools and build come with the test extras),
and the new environment gets the wheel alone (``--no-index --no-deps``); the dependencies it
declares are those of this environment, made visible to it by a ``.pth`` line (a plain path
line: the editable install of this checkout is not seen there, so every ``monitor`` import
must come from the wheel, which the test checks).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedgen import Item, rss
from tests.httpserver import LocalHTTPServer, Response

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parent.parent
READING_DATA = ("watchlist.yaml", "gazetteer.csv", "world.csv", "demonyms.csv", "places_extra.csv", "incidents.yaml")
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "data", ".pytest_cache", "*.db*")

ARTICLE = """Gunmen kill 12 civilians in central Mali
Gunmen killed 12 civilians in an attack on the village of Ogossagou in central Mali on Thursday, June 5, local officials said.
The assailants burned houses and stole cattle before fleeing on motorbikes.
"""


def run(command: list[str], cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=_clean_env(), check=False)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _clean_env() -> dict[str, str]:
    """No trace of this checkout: no PYTHONPATH, no config from the environment."""
    drop = {"PYTHONPATH", "SAHEL_MONITOR_CONFIG", "SAHEL_MONITOR_DB", "VIRTUAL_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop} | {"PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sdist and the wheel built from it (``python -m build`` builds the wheel from the sdist)."""
    work = tmp_path_factory.mktemp("build")
    source = work / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=_NOT_SOURCE)
    built = run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(work / "dist"), str(source)], work, timeout=300)
    log = built.stdout + built.stderr
    assert "deprecat" not in log.lower(), [line for line in log.splitlines() if "deprecat" in line.lower()]
    yield work / "dist"


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed: its bin/ folder."""
    env = tmp_path_factory.mktemp("venv") / "env"
    run([sys.executable, "-m", "venv", "--without-pip", str(env)], env.parent)
    python = env / "bin" / "python"
    (wheel,) = dist.glob("*.whl")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-index", "--no-deps", str(wheel)], env.parent)
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env.parent).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "dependencies_of_the_test_environment.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    return env / "bin"


def test_the_sdist_carries_the_config_the_unit_the_docs_and_the_reading_data(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = {m.name.split("/", 1)[1]: m for m in archive.getmembers() if "/" in m.name}
    wanted = ["config.yaml", "datasette.yaml", "systemd/sahel-monitor.service", "systemd/sahel-monitor.env.example", "docs/deploy.md",
              "docs/schema.md", "monitor/cli/starter_config.yaml", *(f"seeds/{name}" for name in READING_DATA)]  # fmt: skip
    missing = [name for name in wanted if name not in members]
    assert not missing, missing
    assert members["monitor/cli/starter_config.yaml"].isfile()  # the link in the tree, a file in the sdist
    assert members["seeds/world.csv"].size > 100_000


def test_the_wheel_carries_the_reading_data_and_the_starter_config(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert {f"monitor/seeds/{name}" for name in READING_DATA} <= names
    assert "monitor/cli/starter_config.yaml" in names
    assert "License-Expression: MIT" in metadata


def test_the_installed_package_reads_its_own_data_and_its_commands_run_from_another_folder(
    installed: Path, tmp_path: Path, http_server: LocalHTTPServer
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run([str(installed / "python"), "-c", "import monitor, monitor.resources as r; print(monitor.__file__); print(r.SEEDS_DIR)"], elsewhere)
    for line in where.stdout.split():
        assert Path(line).is_relative_to(installed.parent), f"{line}: not from the wheel"
    command = str(installed / "sahel-monitor")

    init = run([command, "init", "site"], elsewhere)
    assert (elsewhere / "site" / "config.yaml").read_text(encoding="utf-8").startswith("# sahel-monitor configuration.")
    assert "check-config" in init.stdout

    (elsewhere / "article.txt").write_text(ARTICLE, encoding="utf-8")
    extracted = run([command, "extract", "--published", "2025-06-06", "article.txt"], elsewhere)
    assert '"relevant": true' in extracted.stdout and "Ogossagou" in extracted.stdout

    config = _local_config(elsewhere, http_server)
    seeded = run([command, "--config", str(config), "seed"], elsewhere)
    assert " loaded, 0 updated" in seeded.stdout and not seeded.stdout.startswith("0 ")

    (elsewhere / "page.html").write_text(
        "<html><head><title>Ogossagou</title><meta property='og:site_name' content='Sahel Daily'></head><body><article>"
        + "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines()[1:]) + "</article></body></html>",
        encoding="utf-8",
    )  # fmt: skip
    ingested = run([command, "--config", str(config), "ingest", "--json", "--published", "2025-06-06", "page.html"], elsewhere)
    assert '"relevant": true' in ingested.stdout and '"publisher": "Sahel Daily"' in ingested.stdout

    _run_until_a_cycle_then_stop(command, config, elsewhere)


def _local_config(folder: Path, server: LocalHTTPServer) -> Path:
    page = "<html><body><article><p>" + "</p><p>".join(ARTICLE.splitlines()[1:]) + "</p></article></body></html>"
    server.route("/page.html", Response(body=page.encode(), headers={"Content-Type": "text/html; charset=utf-8"}))
    feed = rss([Item("Ogossagou", server.url("/page.html"), guid="one")])
    server.route("/feed.xml", Response(body=feed, headers={"Content-Type": "application/rss+xml"}))
    config = folder / "local.yaml"
    config.write_text(
        f"database: register.db\nfeeds:\n  - name: Local\n    url: {server.url('/feed.xml')}\n    interval: 60\n"
        "fetch:\n  allow_private_addresses: true\nscheduler:\n  tick: 0.5s\n  jitter: 0\n",
        encoding="utf-8",
    )
    return config


def _run_until_a_cycle_then_stop(command: str, config: Path, cwd: Path) -> None:
    daemon = subprocess.Popen([command, "--config", str(config), "run"], cwd=cwd, env=_clean_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        lines = []
        assert daemon.stderr is not None
        while time.monotonic() < deadline and daemon.poll() is None:
            line = daemon.stderr.readline()
            lines.append(line)
            if "cycle: 1 feeds polled, 1 ok" in line:
                break
        else:
            raise AssertionError("no poll cycle in 60 s:\n" + "".join(lines[-30:]))
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
