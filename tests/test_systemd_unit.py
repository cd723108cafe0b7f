"""The shipped unit file: systemd finds nothing to say about it, and it confines the service.

Both checks run systemd's own tool. It is required: .ci/run installs it when missing,
so a machine without it fails here rather than skipping the check.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config
from monitor.daemon.scheduler import STOP_GRACE

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
