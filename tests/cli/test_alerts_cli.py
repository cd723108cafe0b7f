"""`sahel-monitor alerts show|retry`: an id that is not in the outbox is an error, one line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from monitor.alerts import sample_draft
from monitor.cli import cli
from monitor.store import Store

NOW = datetime(2025, 6, 3, 8, 0, tzinfo=UTC)


def outbox(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "monitor.db"
    draft = sample_draft(NOW)
    with Store(db) as store:
        store.add_alerts([draft])
    return db, draft.alert_id


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), "--config", str(db.parent / "absent.yaml"), "alerts", *args])
    return result.exit_code, result.stdout, result.stderr


def test_retry_of_an_unknown_id_is_an_error_and_requeues_nothing(tmp_path: Path) -> None:
    db, known = outbox(tmp_path)
    code, out, err = run(db, "retry", known, "foo", "bar", "foo")
    assert code == 1 and out == ""
    assert err == "Error: not in the outbox: 'foo', 'bar' (see `sahel-monitor alerts`)\n"
    code, out, _ = run(db, "retry", known)
    assert code == 0 and out.startswith("0 failed deliveries requeued")


def test_show_of_an_unknown_id_is_an_error(tmp_path: Path) -> None:
    db, known = outbox(tmp_path)
    assert run(db, "show", "foo")[0::2] == (1, "Error: no alert 'foo' in the outbox\n")
    code, out, _ = run(db, "show", known)
    assert code == 0 and known in out
