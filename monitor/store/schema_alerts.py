"""Migration 3: the alert outbox and delivery attempts. Issue 5.

An alert is one row of ``alerts``, written in the transaction of the change that
caused it. Each configured target it is routed to gets one row of
``alert_deliveries``, delivered and retried on its own, so that a target that
is down never makes another receive the alert twice. Every try is a row of
``alert_attempts``. ``feed_watch`` remembers what was last said about each
feed's health, so that a feed alerts once when it degrades and once when it
recovers. See docs/alerts.md.
"""

SCHEMA = """
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    incident_id INTEGER,
    feed_id INTEGER,
    memo TEXT,
    state TEXT NOT NULL DEFAULT 'pending',
    digest_id TEXT REFERENCES alerts (id),
    not_before TEXT,
    created TEXT NOT NULL,
    sent TEXT
);
CREATE INDEX idx_alerts_state ON alerts (state, created);
CREATE INDEX idx_alerts_incident_id ON alerts (incident_id, created);
CREATE INDEX idx_alerts_feed_id ON alerts (feed_id, created);

CREATE TABLE alert_deliveries (
    alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT NOT NULL,
    claimed TEXT,
    last_error TEXT,
    sent TEXT,
    created TEXT NOT NULL,
    PRIMARY KEY (alert_id, target)
);
CREATE INDEX idx_alert_deliveries_due ON alert_deliveries (state, next_attempt);

CREATE TABLE alert_attempts (
    id INTEGER PRIMARY KEY,
    alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    result TEXT NOT NULL,
    error TEXT,
    elapsed_ms INTEGER
);
CREATE INDEX idx_alert_attempts_alert_id ON alert_attempts (alert_id, target);

CREATE TABLE feed_watch (
    feed_id INTEGER PRIMARY KEY REFERENCES feeds (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    reason TEXT,
    since TEXT NOT NULL,
    episodes INTEGER NOT NULL DEFAULT 0,
    alerted TEXT,
    checked TEXT NOT NULL
);

-- one row per alert: where it stands on every target, for people and dashboards
CREATE VIEW alert_status AS
SELECT a.id, a.kind, a.severity, a.state, a.title, a.incident_id, a.feed_id, a.created, a.sent,
       count(d.target) AS targets,
       sum(d.state = 'sent') AS delivered,
       sum(d.state IN ('pending', 'sending')) AS in_flight,
       sum(d.state = 'failed') AS failed,
       max(d.attempts) AS max_attempts,
       group_concat(CASE WHEN d.last_error IS NOT NULL AND d.state != 'sent'
                         THEN d.target || ': ' || d.last_error END, '; ') AS errors
FROM alerts a LEFT JOIN alert_deliveries d ON d.alert_id = a.id
GROUP BY a.id;
"""
