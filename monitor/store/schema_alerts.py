"""Migration 3: the alert outbox and delivery attempts. Issue 5."""

SCHEMA = """
-- filled in by the alert outbox's migration
"""
