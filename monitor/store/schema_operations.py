"""Migration 5: feed folders, feeds turned off by command, the incident register newest first. Issue 14.

- ``feeds.category``: the folder an imported OPML file filed the feed under (nested folders
  joined with `` / ``: ``Mali / Presse``); ``feeds export-opml`` writes it back as folders.
- ``feeds.disabled_at``: when ``sahel-monitor feeds disable`` turned the feed off. Syncing the
  config (at start, on reload) never turns it on again; ``feeds enable`` does.
- ``v_incidents``: the same columns as migration 2 made it, newest event first (undated
  incidents last), so that a bare ``SELECT * FROM v_incidents`` and Datasette's page of the
  view show the latest first.
"""

SCHEMA = """
ALTER TABLE feeds ADD COLUMN category TEXT;
ALTER TABLE feeds ADD COLUMN disabled_at TEXT;

DROP VIEW v_incidents;
CREATE VIEW v_incidents AS
SELECT
    i.id,
    i.state,
    i.event_date,
    i.date_precision,
    i.place,
    i.admin1,
    i.admin2,
    i.country,
    i.lat,
    i.lon,
    i.event_type,
    i.sub_event_type,
    (SELECT group_concat(value, ', ') FROM json_each(i.actors)) AS actors,
    (SELECT group_concat(value, ', ') FROM json_each(i.claimed_by)) AS claimed_by,
    (SELECT group_concat(value, ', ') FROM json_each(i.flags)) AS flags,
    i.killed_low,
    i.killed_best,
    i.killed_high,
    i.publishers,
    i.reports,
    i.known,
    i.historical,
    i.first_seen,
    i.last_seen,
    i.updated
FROM incidents i
WHERE i.merged_into IS NULL
ORDER BY i.event_date IS NULL, i.event_date DESC, i.last_seen DESC, i.id DESC;
"""
