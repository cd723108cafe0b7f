"""Alerts: incident changes and feed health in, messages delivered by e-mail or chat out.

Takes in: the ``IncidentChange`` values the register makes (NEW and ESCALATED may alert),
the feeds' vitals, and the ``alerts`` settings of ``config.yaml``. Gives out: ``AlertDraft``
values written to the store's outbox in the same transaction as the change that caused them,
then delivered per target with timeouts and retries, each attempt recorded.

- ``drafts``: what an alert says (title, Markdown body, severity, routing tags), digests;
- ``health``: a feed that keeps failing or goes silent, and its recovery;
- ``formats``: the Markdown rendered for each channel (HTML e-mail, text, chat) and fitted;
- ``delivery``: the outbox sent with apprise, the only apprise code of the project.
"""

from __future__ import annotations

from monitor.alerts.delivery import Sender, draft_as_outbox, load_targets, run_test
from monitor.alerts.drafts import drafts_for, sample_draft

__all__ = ["Sender", "draft_as_outbox", "drafts_for", "load_targets", "run_test", "sample_draft"]
