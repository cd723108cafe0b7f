"""The shipped unit file: systemd finds nothing to say about it, and it confines the service.

Both checks run systemd's own tool. It is required: .ci/run installs it when missing,
so a machine without it fails here rather than skipping the check.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor.cli.main import cli
from monitor.config import ConfigError, load_config
from monitor.daemon.scheduler import STOP_GRACE
from tests.daemonkit import query, stop_daemon, wait_for, write_config
from tests.feedgen import article_page, items_for, rss
from tests.httpserver import LocalHTTPServer, Response

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "systemd" / "sahel-monitor.service"
ENV_EXAMPLE = ROOT / "systemd" / "sahel-monitor.env.example"
INSTALLED_BINARY = "/opt/sahel-monitor/.venv/bin/sahel-monitor"
MAX_EXPOSURE = 2.5


def systemd_analyze() -> str:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.fail("systemd-analyze is missing: install systemd (.ci/run does: apt-get install systemd)")
    return tool


@pytest.fixture
def unit_here(tmp_path: Path) -> Path:
    """The shipped unit, with only its install path pointed at this checkout's binary.

    `verify` checks that ExecStart's program exists and is executable; everything else is the
    file users install, byte for byte.
    """
    text = UNIT.read_text(encoding="utf-8")
    assert text.count(INSTALLED_BINARY) == 1
    here = Path(sys.executable).parent / "sahel-monitor"
    assert here.exists(), f"{here}: install the project (make test does)"
    copy = tmp_path / UNIT.name
    copy.write_text(text.replace(INSTALLED_BINARY, str(here)), encoding="utf-8")
    return copy


def test_systemd_analyze_verify_has_nothing_to_say(unit_here: Path) -> None:
    done = subprocess.run([systemd_analyze(), "verify", unit_here.name], cwd=unit_here.parent,
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_security_exposure_is_low(unit_here: Path) -> None:
    done = subprocess.run([systemd_analyze(), "security", "--offline=yes", unit_here.name],
                          cwd=unit_here.parent, capture_output=True, text=True, timeout=60, check=False)
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", done.stdout)
    assert found, done.stdout + done.stderr
    assert float(found.group(1)) <= MAX_EXPOSURE, done.stdout


def unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def test_unit_has_what_the_daemon_relies_on() -> None:
    unit = unit_settings()
    assert unit["Type"] == ["notify"]  # READY=1 from monitor.daemon.sdnotify
    assert unit["ExecReload"] == ["/bin/kill -HUP $MAINPID"]  # SIGHUP reloads
    assert "WatchdogSec" in unit and unit["Restart"] == ["on-failure"]
    assert unit["ExecStart"] == [f"{INSTALLED_BINARY} run"]
    # the daemon's own stop (STOP_GRACE, then exit) fits well inside the unit's stop timeout
    assert unit["TimeoutStopSec"] == ["30s"] and STOP_GRACE + 5 < 30
    for hardening in ("ProtectSystem", "ProtectHome", "PrivateTmp", "NoNewPrivileges", "RestrictAddressFamilies",
                      "SystemCallFilter", "MemoryMax", "LoadCredential", "StateDirectory"):
        assert hardening in unit, hardening


def test_env_example_is_all_comments_or_assignments() -> None:
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        assert not line.strip() or line.startswith("#") or re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S.*", line), line


def test_credentials_from_the_unit_reach_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # what systemd makes of LoadCredential=secret:/etc/sahel-monitor/credentials with one file in it
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "secret_token").write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(credentials))
    config = tmp_path / "config.yaml"
    config.write_text('fetch:\n  user_agent: "monitor ${credential:secret_token}"\n', encoding="utf-8")
    assert load_config(config).config.fetch.user_agent == "monitor s3cret"

    config.write_text('fetch:\n  user_agent: "monitor ${credential:secret_missing}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="fetch.user_agent"):
        load_config(config)


def test_every_configuration_check_in_the_guide_sees_what_the_service_sees() -> None:
    """docs/deploy.md checks the config with systemd-run (install, upgrade): each must load the
    credentials and the environment file the unit loads, or a ${...} the service resolves fails."""
    unit = unit_settings()
    wanted = {f"LoadCredential={v}" for v in unit["LoadCredential"]} | {f"EnvironmentFile={v}" for v in unit["EnvironmentFile"]}
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8").replace("\\\n", " ")
    checks = [line for line in guide.splitlines() if line.startswith("systemd-run") and "check-config" in line]
    assert len(checks) >= 2  # step 5 and the upgrade
    for check in checks:
        assert set(re.findall(r"-p (\S+)", check)) == wanted, check

# --- analysts query the register, the service running or stopped -----------------
#
# docs/deploy.md, "Querying the register": the unit gives the state directory and the
# register to the service's user and group (StateDirectoryMode=, UMask=), and an analyst in
# that group reads it with `sqlite3 -readonly`, Python's `mode=ro` or `sahel-monitor --db`.
# The test takes the modes from the unit, runs the real daemon, and reads as three people:
# the analyst in the group, and someone outside it, each with only their own rights. As
# root it switches to their ids; run by another user, it can only drop its own write
# permission (the analyst is then the owner, with read permission alone, and nobody is
# outside).

SERVICE_ID = 64_001  # `useradd --system sahel-monitor`: its user and group
ANALYST_ID = 64_002  # `usermod -aG sahel-monitor alice`
OUTSIDER_ID = 64_003
LATEST = "select published, title, url from articles order by published desc limit 20"  # the guide's query


@dataclass(frozen=True)
class Person:
    uid: int
    groups: tuple[int, ...]


AS_ROOT = os.geteuid() == 0
ANALYST = Person(ANALYST_ID, (SERVICE_ID,)) if AS_ROOT else Person(os.geteuid(), ())
OUTSIDER = Person(OUTSIDER_ID, ())


def as_person(person: Person, action: Callable[[], Any]) -> dict[str, Any]:
    """``action`` in a forked child holding only ``person``'s rights: {"ok": result} or {"error": why}."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to the person, act, report, leave without running pytest's cleanup
        os.close(read_end)
        try:
            if AS_ROOT:
                os.setgroups(list(person.groups))
                os.setgid(person.uid)
                os.setuid(person.uid)
            outcome: dict[str, Any] = {"ok": action()}
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            outcome = {"error": f"{type(exc).__name__}: {exc}"}
        os.write(write_end, json.dumps(outcome, default=str).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def read_only(db: Path) -> Callable[[], Any]:
    """What pandas and Datasette do (docs/deploy.md): a `mode=ro` connection, the guide's query."""
    def read() -> Any:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return [conn.execute("PRAGMA journal_mode").fetchone()[0], len(conn.execute(LATEST).fetchall())]
        finally:
            conn.close()
    return read


def write(db: Path) -> Callable[[], Any]:
    def insert() -> Any:
        conn = sqlite3.connect(db)
        try:
            conn.execute("UPDATE feeds SET name = 'defaced'")
            conn.commit()
        finally:
            conn.close()
    return insert


def monitor_command(db: Path, *args: str) -> Callable[[], Any]:
    """`sahel-monitor --db DB ...`, run from a directory without a config.yaml, as the guide says."""
    def run() -> Any:
        os.chdir(db.parent)
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
        return [result.exit_code, result.output]
    return run


def sqlite_shell(person: Person, db: Path) -> subprocess.CompletedProcess[str]:
    """The guide's first command: `sqlite3 -readonly DB "select ..."`."""
    ids: dict[str, Any] = {"user": person.uid, "group": person.uid, "extra_groups": list(person.groups)}
    return subprocess.run([shutil.which("sqlite3") or "sqlite3", "-readonly", str(db), LATEST], capture_output=True,
                          text=True, timeout=30, check=False, **(ids if AS_ROOT else {}))


@pytest.fixture
def state_directory() -> Iterator[Path]:
    """/var/lib/sahel-monitor: under /tmp, not pytest's 0700 tmp_path, so that others can reach it."""
    unit = unit_settings()
    path = Path(tempfile.mkdtemp(prefix="sahel-state-"))
    path.chmod(int(unit["StateDirectoryMode"][0], 8))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def give_to_service(directory: Path) -> None:
    """What systemd does to StateDirectory= at every start: the service's user and group own it.

    Run by another user than root, the owner keeps read permission only (r-x, r--)."""
    for path in [directory, *directory.iterdir()]:
        if AS_ROOT:
            os.chown(path, SERVICE_ID, SERVICE_ID)
        else:
            path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)


@pytest.mark.daemon
def test_analysts_read_the_register_while_the_service_runs_and_once_it_is_stopped(
    http_server: LocalHTTPServer, tmp_path: Path, state_directory: Path
) -> None:
    unit = unit_settings()
    umask = int(unit["UMask"][0], 8)
    items = items_for(http_server.base_url, 1, 3)
    http_server.route("/feed.xml", Response(body=rss(items), headers={"Content-Type": "application/rss+xml"}))
    for item in items:
        http_server.route(item.link.removeprefix(http_server.base_url), Response(body=article_page(item.title)))
    config = write_config(tmp_path / "config.yaml",
                          [{"name": "tamani", "url": http_server.url("/feed.xml"), "interval": "1h"}])
    db = state_directory / "sahel-monitor.db"
    daemon = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), "run"], cwd=ROOT, umask=umask,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "SAHEL_MONITOR_DB": str(db)},  # as the unit's Environment= sets it
    )
    try:
        wait_for(lambda: query(db, "select count(*) from articles") == [(3,)], what="the daemon storing 3 articles")
        assert stat.S_IMODE(db.stat().st_mode) == 0o666 & ~umask == 0o640
        if AS_ROOT:
            give_to_service(state_directory)
            running = as_person(ANALYST, read_only(db))
            assert running == {"ok": ["wal", 3]}, "the analyst cannot read while the service writes"
    finally:
        status, _, err = stop_daemon(daemon)
    assert status == 0, err

    give_to_service(state_directory)
    assert sorted(p.name for p in state_directory.iterdir()) == [db.name]  # no -wal, -shm left to create
    assert as_person(ANALYST, read_only(db)) == {"ok": ["delete", 3]}
    code, output = as_person(ANALYST, monitor_command(db, "feeds"))["ok"]
    assert code == 0 and "tamani" in output, output
    refused = as_person(ANALYST, write(db))
    assert "readonly" in refused.get("error", ""), refused
    if shutil.which("sqlite3"):
        shell = sqlite_shell(ANALYST, db)
        assert (shell.returncode, shell.stdout.count("\n"), shell.stderr) == (0, 3, "")
    if AS_ROOT:
        outsider = as_person(OUTSIDER, read_only(db))
        assert "unable to open" in outsider.get("error", ""), outsider
