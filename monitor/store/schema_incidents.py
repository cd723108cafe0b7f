"""Migration 2: the incident register (incidents, reports, claims, revisions, views). Issue 4."""

SCHEMA = """
-- filled in by the incident register's migration
"""
