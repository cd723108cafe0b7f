"""Migration 6: independent sources, and alerts as data. Issue 13.

A report keeps the wire its article credits (``reports.credit``: AFP, Reuters...), so that a
wire story carried by many sites counts once however the incident is pictured again; an
incident keeps how many independent sources tell it and their names (``sources``,
``source_names``), shown by ``v_incidents`` (still newest first, as migration 5 made it); an alert keeps the incident as data
(``alerts.data``: the versioned JSON document webhooks receive, docs/alerts.md).
"""

SCHEMA = """
ALTER TABLE reports ADD COLUMN credit TEXT;
ALTER TABLE incidents ADD COLUMN sources INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN source_names TEXT NOT NULL DEFAULT '[]';
ALTER TABLE alerts ADD COLUMN data TEXT;

-- until an incident changes again, its publishers are the best count of its sources there is
UPDATE incidents SET sources = publishers;

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
    i.sources,
    (SELECT group_concat(value, '; ') FROM json_each(i.source_names)) AS source_names,
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
