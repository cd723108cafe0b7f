"""Incidents, the reports linked to them, every source's claims, and their revision history."""

from __future__ import annotations

from monitor.store.base import StoreBase


class IncidentStore(StoreBase):
    pass
