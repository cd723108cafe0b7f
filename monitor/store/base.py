"""The SQLite register: the only module that speaks SQL.

One file in WAL mode while it is open: the daemon writes while users read it with
``sqlite3``, Datasette or pandas. Closed, it is left in rollback-journal mode, so that
users with read permission alone can still open it (see ``_leave_readable``).
The schema is public and documented in ``docs/schema.md``; it changes only
through the numbered migrations in ``MIGRATIONS``, and ``PRAGMA user_version``
records how many have run.

Times are stored as ISO 8601 UTC text, ``YYYY-MM-DDTHH:MM:SSZ``: it sorts as
text and SQLite's date functions accept it. Every method takes and returns
timezone-aware datetimes; a naive datetime is a bug and raises ``ValueError``.

Errors: when SQLite cannot do its job because of the environment (the database
is locked by another writer beyond the write patience, the disk is full, the file cannot be opened,
is read-only or is not a database) a method raises ``StoreError`` whose message
names the operation and the database path, e.g.
``cannot save article https://x/1 in /var/lib/sahel/monitor.db: database is locked``.
A failed write is rolled back as a whole and leaves what was committed before
untouched. Other ``sqlite3`` errors are bugs and propagate unchanged.

The store is shared by threads: one connection, serialized by a lock. Writes
are short ``BEGIN IMMEDIATE`` transactions, so a writer waits for the lock up
front instead of failing halfway through. Other processes write the same file
(the daemon, ``ingest`` runs, ``seed``): a write waits for their lock as long as
``write_patience`` (a minute), saying so in the log after each busy timeout;
only a lock held longer than that (a forgotten ``sqlite3`` shell in a
transaction) is an error. ``transaction`` holds that lock over
reads and writes that must see one state of the database (the register plans a
link on what it reads, then writes it): the writes inside join it.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import sqlite_utils

from monitor.store import schema

log = logging.getLogger("monitor.store")

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

# how long a write waits for other writers' lock before the database is "locked": far more
# than any of our own transactions takes, less than the watchdog's default stall limit
WRITE_PATIENCE = 60.0

# SQLite caps bound parameters at 999 in older builds; stay well under it
_CHUNK = 500

_T = TypeVar("_T")


class StoreError(Exception):
    """The database cannot be used right now. The message names the operation and the file."""


# --- values --------------------------------------------------------------------


def to_text(moment: datetime) -> str:
    """An aware datetime as stored: ``2024-05-01T12:00:00Z``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: the store needs aware datetimes")
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def from_text(value: str | None) -> datetime | None:
    """Stored text back to an aware UTC datetime."""
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone(UTC)


def _opt_text(moment: datetime | None) -> str | None:
    return to_text(moment) if moment is not None else None


def _plain(value: Any) -> Any:
    """Enum members (FetchErrorKind) are stored as their value."""
    return getattr(value, "value", value)


def _chunks(values: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


_ENVIRONMENT_CODES = {
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_NOTADB,
}
_ENVIRONMENT_WORDS = ("locked", "busy", "disk is full", "unable to open", "readonly", "disk i/o", "not a database")


def _is_busy(exc: sqlite3.Error) -> bool:
    """Another connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED, extended codes too)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return any(word in str(exc).lower() for word in ("locked", "busy"))


def _is_environmental(exc: BaseException) -> bool:
    """True for errors about the file or the machine, False for errors in our SQL."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _ENVIRONMENT_CODES  # extended codes keep the primary in the low byte
    return any(word in str(exc).lower() for word in _ENVIRONMENT_WORDS)


# --- the journal: WAL while open, a plain file once closed -----------------------
#
# In WAL mode a reader needs the -wal and -shm files beside the database, and creates them when
# they are missing, which takes write permission on the directory. The daemon's directory is
# read-only to the analysts who query it (docs/deploy.md), and SQLite deletes both files when the
# last connection closes: with the daemon stopped, nobody else could open the register. So the
# last connection to close checkpoints and leaves the file in rollback-journal mode, which a
# reader opens with read permission alone; the next connection to write turns WAL on again.


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL for a connection that can write; a read-only one (no write permission) reads as is."""
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_READONLY:
            raise


def _leave_readable(conn: sqlite3.Connection) -> None:
    """Checkpoint and leave WAL mode, unless another connection still has the file open.

    Never waits: while the daemon runs, a command's store closes at once and WAL stays.
    """
    with suppress(sqlite3.Error):
        conn.execute("PRAGMA busy_timeout = 0")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            conn.execute("PRAGMA journal_mode = DELETE")


# --- the store -----------------------------------------------------------------


class StoreBase:
    """The connection, transactions and migrations every part of the store shares."""

    def __init__(self, path: str | Path, busy_timeout_ms: int = 5000, write_patience: float = WRITE_PATIENCE) -> None:
        """``busy_timeout_ms``: how long SQLite waits for a lock at a time; ``write_patience``
        (seconds): how long a write waits in all for another writer's lock."""
        self.path = Path(path)
        self.write_patience = write_patience
        self._lock = threading.RLock()  # a transaction's own reads and writes take it again
        self._writing = False  # a write transaction is open (only the lock's holder looks)
        self._conn = self._connect(busy_timeout_ms)
        self.db = sqlite_utils.Database(self._conn)
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    # --- connection --------------------------------------------------------

    def _connect(self, busy_timeout_ms: int) -> sqlite3.Connection:
        in_memory = str(self.path) == ":memory:"
        try:
            if not in_memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN/COMMIT ourselves
            conn = sqlite3.connect(
                str(self.path),
                timeout=busy_timeout_ms / 1000,
                check_same_thread=False,
                isolation_level=None,
            )
        except OSError as exc:
            raise StoreError(f"cannot create the directory of {self.path}: {exc.strerror or exc}") from exc
        except sqlite3.Error as exc:
            raise self._error("open the database", exc) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, far fewer fsyncs
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            conn.close()
            raise self._error("open the database", exc) from exc
        return conn

    def close(self) -> None:
        with self._lock:
            with suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")  # keeps the planner's statistics fresh
            _leave_readable(self._conn)
            self._conn.close()

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _error(self, what: str, exc: BaseException) -> StoreError:
        return StoreError(f"cannot {what} in {self.path}: {exc}")

    @contextmanager
    def transaction(self, what: str) -> Iterator[None]:
        """Hold the database's write lock over what the block reads and writes: no other
        process writes in between, so what is written was decided on what was read. Keep it
        short: every other writer waits for it. ``what`` names it in errors."""
        with self._write(what):
            yield

    @contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Cursor]:
        """One short write transaction; ``what`` names it in errors ("save article ...").

        Inside ``transaction`` it joins the transaction open: that one commits, or rolls back.
        """
        with self._lock:
            if self._writing:
                yield self._cursor()
                return
            try:
                self._begin(what)
            except sqlite3.Error as exc:
                if _is_environmental(exc):
                    raise self._error(what, exc) from exc
                raise
            self._writing = True
            try:
                yield self._cursor()
                self._conn.execute("COMMIT")
            except BaseException as exc:
                self._rollback()
                if _is_environmental(exc):
                    raise self._error(what, exc) from exc
                raise
            finally:
                self._writing = False

    def _begin(self, what: str) -> None:
        """BEGIN IMMEDIATE, waiting for other writers up to ``write_patience``: SQLite waits one
        busy timeout at a time, and each one that runs out is said in the log."""
        started = time.monotonic()
        while True:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - started
                if not _is_busy(exc) or waited >= self.write_patience:
                    raise
                log.warning("%s waits for another writer: %s is locked (%.0f s so far)", what, self.path, waited)
                # a pause of its own, so that waiters do not all try again at the same instant
                time.sleep(random.uniform(0.01, 0.1))

    def _cursor(self) -> sqlite3.Cursor:
        # rows by name for our queries; the connection stays plain for sqlite-utils
        cur = self._conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur

    def _rollback(self) -> None:
        # SQLite may already have rolled back by itself (disk full, I/O error)
        if self._conn.in_transaction:
            with suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    @contextmanager
    def _read(self, what: str) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            try:
                yield self._cursor()
            except sqlite3.Error as exc:
                if _is_environmental(exc):
                    raise self._error(what, exc) from exc
                raise

    # --- schema ------------------------------------------------------------

    def schema_version(self) -> int:
        with self._read("read the schema version") as cur:
            return int(cur.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version()
        if current >= len(schema.MIGRATIONS):
            return  # the common case takes no write lock
        # from the first missing one: a write lock taken for each version done long ago would
        # wait (and say it waits) to "migrate the schema to version 1" while another upgrades
        for version, migration in enumerate(schema.MIGRATIONS[current:], start=current + 1):
            with self._write(f"migrate the schema to version {version}") as cur:
                # re-read inside the lock: another process may have migrated meanwhile
                if cur.execute("PRAGMA user_version").fetchone()[0] >= version:
                    continue
                if isinstance(migration, str):
                    self.db.executescript(migration)
                else:
                    migration(self.db)
                cur.execute(f"PRAGMA user_version = {version}")

