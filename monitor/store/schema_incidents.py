"""Migration 2: the incident register (incidents, reports, claims, revisions, views). Issue 4.

Days are ISO text (``YYYY-MM-DD``), times as everywhere (``YYYY-MM-DDTHH:MM:SSZ``); lists
(actors, flags, evidence, reasons) are JSON arrays, which the views spell out as text.
docs/schema.md describes every table, column and view.
"""

SCHEMA = """
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    known INTEGER NOT NULL DEFAULT 0,
    seed_key TEXT,
    seed_digest TEXT,
    event_date TEXT,
    date_precision TEXT NOT NULL DEFAULT 'unknown',
    first_day TEXT,
    last_day TEXT,
    place TEXT,
    place_id TEXT,
    admin1 TEXT,
    admin2 TEXT,
    country TEXT,
    lat REAL,
    lon REAL,
    event_type TEXT,
    sub_event_type TEXT,
    actors TEXT NOT NULL DEFAULT '[]',
    claimed_by TEXT NOT NULL DEFAULT '[]',
    flags TEXT NOT NULL DEFAULT '[]',
    killed_low INTEGER NOT NULL DEFAULT 0,
    killed_best INTEGER NOT NULL DEFAULT 0,
    killed_high INTEGER NOT NULL DEFAULT 0,
    publishers INTEGER NOT NULL DEFAULT 0,
    reports INTEGER NOT NULL DEFAULT 0,
    historical INTEGER NOT NULL DEFAULT 0,
    baseline INTEGER NOT NULL DEFAULT 0,
    merged_into INTEGER REFERENCES incidents (id),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
-- partial: most incidents have no seed key, and their inserts leave this index alone
CREATE UNIQUE INDEX idx_incidents_seed_key ON incidents (seed_key) WHERE seed_key IS NOT NULL;

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER REFERENCES incidents (id),
    article_id INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    origin TEXT NOT NULL DEFAULT 'article',
    link TEXT NOT NULL,
    publisher TEXT NOT NULL,
    url TEXT,
    title TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL,
    event_date TEXT,
    date_precision TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    place TEXT,
    place_id TEXT,
    admin1 TEXT,
    admin2 TEXT,
    country TEXT,
    lat REAL,
    lon REAL,
    feature_code TEXT,
    vague INTEGER NOT NULL DEFAULT 0,
    event_type TEXT,
    sub_event_type TEXT,
    actors TEXT NOT NULL DEFAULT '[]',
    claimed_by TEXT NOT NULL DEFAULT '[]',
    flags TEXT NOT NULL DEFAULT '[]',
    fatalities INTEGER NOT NULL DEFAULT 0,
    historical INTEGER NOT NULL DEFAULT 0,
    prominence REAL NOT NULL DEFAULT 0,
    evidence TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL
);
CREATE INDEX idx_reports_incident_id ON reports (incident_id);
CREATE INDEX idx_reports_article_id ON reports (article_id, position);
-- the candidate search: reports of a precision whose days reach a window
CREATE INDEX idx_reports_date_precision_first_day ON reports (date_precision, first_day);

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    victim_group TEXT NOT NULL,
    low INTEGER,
    high INTEGER,
    qualifier TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idx_claims_report_id ON claims (report_id);

CREATE TABLE incident_tolls (
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    kind TEXT NOT NULL,
    victim_group TEXT NOT NULL,
    low INTEGER NOT NULL,
    best INTEGER NOT NULL,
    high INTEGER NOT NULL,
    PRIMARY KEY (incident_id, kind, victim_group)
) WITHOUT ROWID;

CREATE TABLE incident_levels (
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    level TEXT NOT NULL,
    reached TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    revision_id INTEGER,
    PRIMARY KEY (incident_id, level)
) WITHOUT ROWID;

CREATE TABLE incident_revisions (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    at TEXT NOT NULL,
    state TEXT NOT NULL,
    level TEXT NOT NULL,
    alertable INTEGER NOT NULL DEFAULT 0,
    reasons TEXT NOT NULL DEFAULT '[]',
    report_id INTEGER,
    article_id INTEGER,
    publisher TEXT,
    killed_low INTEGER,
    killed_best INTEGER,
    killed_high INTEGER,
    publishers INTEGER,
    snapshot TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_incident_revisions_incident_id ON incident_revisions (incident_id, id);
CREATE TRIGGER incident_revisions_no_update BEFORE UPDATE ON incident_revisions BEGIN
    SELECT RAISE(ABORT, 'incident_revisions is append-only');
END;
CREATE TRIGGER incident_revisions_no_delete BEFORE DELETE ON incident_revisions BEGIN
    SELECT RAISE(ABORT, 'incident_revisions is append-only');
END;

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
WHERE i.merged_into IS NULL;

CREATE VIEW v_incident_sources AS
SELECT
    r.incident_id,
    i.place AS incident_place,
    i.event_date AS incident_date,
    r.id AS report_id,
    r.article_id,
    r.origin,
    r.publisher,
    r.published,
    r.url,
    r.title,
    r.event_date,
    r.date_precision,
    r.place,
    r.link,
    c.kind,
    c.victim_group,
    c.low,
    c.high,
    c.qualifier,
    c.text
FROM reports r
JOIN incidents i ON i.id = r.incident_id
LEFT JOIN claims c ON c.report_id = r.id;

CREATE VIEW v_timeline AS
SELECT
    v.id AS revision_id,
    v.at,
    v.incident_id,
    i.place,
    i.event_date,
    v.state,
    v.level,
    v.alertable,
    (SELECT group_concat(value, '; ') FROM json_each(v.reasons)) AS reasons,
    v.publisher,
    v.article_id,
    v.killed_low,
    v.killed_best,
    v.killed_high,
    v.publishers
FROM incident_revisions v
JOIN incidents i ON i.id = v.incident_id
ORDER BY v.id;
"""
