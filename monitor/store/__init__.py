"""The SQLite register: the only package that speaks SQL.

``Store`` is one object over one connection; its methods are kept in one module
per subject (feeds, articles...), each a part of the class, so that a
transaction can span subjects. See ``base`` for the rules every part follows.
"""

from __future__ import annotations

from monitor.store.alerts import AlertStore
from monitor.store.articles import ArticleStore, fts_query
from monitor.store.base import StoreError, from_text, to_text
from monitor.store.feeds import FeedAdded, FeedStore, NewFeed
from monitor.store.incidents import IncidentStore
from monitor.store.schema import MIGRATIONS

__all__ = ["MIGRATIONS", "FeedAdded", "NewFeed", "Store", "StoreError", "from_text", "fts_query", "to_text"]


class Store(FeedStore, ArticleStore, IncidentStore, AlertStore):
    """The register in one SQLite file. Safe to share between threads."""
