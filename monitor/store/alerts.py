"""The alert outbox: alerts written with the change that caused them, and every delivery attempt."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from monitor.models import AlertDraft
from monitor.store.base import StoreBase


class AlertStore(StoreBase):
    def insert_alerts(self, cur: sqlite3.Cursor, alerts: Sequence[AlertDraft]) -> None:
        """Write alert drafts inside the caller's transaction (the incident change that caused them)."""
        if alerts:
            raise NotImplementedError("the alert outbox arrives with migration 3")
