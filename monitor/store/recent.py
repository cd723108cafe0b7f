"""The incidents linking looked at last, kept between articles while they have not changed.

Linking one report reads its candidate incidents with every report they have. For an
incident told by thousands of outlets, reading them all again at every report was most of
what linking one more cost (issue 14). The store keeps the records it gave (with their
tallies, ``monitor.register.Tally``) and gives one again only while the incident's latest
revision is the one it was read at: every change of an incident adds a revision, whichever
process writes it, and the latest one is never pruned. A revision is told by its id, its
report, its article and its time, so that an id used again after a rolled back write is not
taken for the same change. What the store applies itself updates the incidents here, so the
next report finds them current. The accounts kept are bounded (``MAX_ACCOUNTS``), the
incidents used longest ago going first.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from monitor.register import IncidentRecord

Token = tuple[Any, ...]  # an incident's latest revision: (id, report_id, article_id, at)

# an account and its share of the tally take 4 to 10 kB (the 5-grams of its evidence): at
# most some 100 MB, reached only with incidents told by thousands; a larger one is read anew
MAX_ACCOUNTS = 10_000


class RecentIncidents:
    """Incident records by id, each with the token of the state it shows. Not thread-safe:
    the store uses it under its own lock."""

    def __init__(self, max_accounts: int = MAX_ACCOUNTS) -> None:
        self.max_accounts = max_accounts
        self._entries: OrderedDict[int, tuple[Token, IncidentRecord]] = OrderedDict()
        self._accounts = 0

    def get(self, incident_id: int, token: Token | None) -> IncidentRecord | None:
        """The record kept, if it shows the incident at ``token``."""
        entry = self._entries.get(incident_id)
        if entry is None or token is None or entry[0] != token:
            return None
        self._entries.move_to_end(incident_id)
        return entry[1]

    def peek(self, incident_id: int) -> IncidentRecord | None:
        """The record kept, whatever its token: the one a plan applied now was made on."""
        entry = self._entries.get(incident_id)
        return entry[1] if entry else None

    def put(self, incident_id: int, token: Token | None, record: IncidentRecord) -> None:
        self.drop(incident_id)
        if token is None or len(record.accounts) > self.max_accounts:
            return
        self._entries[incident_id] = (token, record)
        self._accounts += len(record.accounts)
        while self._accounts > self.max_accounts:
            _, (_, oldest) = self._entries.popitem(last=False)
            self._accounts -= len(oldest.accounts)

    def drop(self, incident_id: int) -> None:
        entry = self._entries.pop(incident_id, None)
        if entry is not None:
            self._accounts -= len(entry[1].accounts)


__all__ = ["MAX_ACCOUNTS", "RecentIncidents", "Token"]
