"""Migration 4: an article's reading, as values on the article. Issues 12 and 14.

Reading one article can fail (a bug in the reader on that text). The failure is stored on the
article with the reader version that failed, so that it is shown to people, is not tried again
at every cycle, and is tried again once the reader changes (an upgrade, new reading data: see
``monitor.daemon.incident_step.reader_version``). Every successful reading records its reader
version too. ``v_articles`` shows every article's reading state: relevant, irrelevant,
unread (not read yet) or failed.
"""

SCHEMA = """
ALTER TABLE articles ADD COLUMN reader_version TEXT;
ALTER TABLE articles ADD COLUMN read_error TEXT;
ALTER TABLE articles ADD COLUMN read_failed_at TEXT;

-- the articles not read yet are few among many: the catch-up pages through them by id
CREATE INDEX idx_articles_unread ON articles (id) WHERE relevant IS NULL;

-- every article with its reading state, for people; the unread and failed ones cheaply so:
-- filter on `relevant IS NULL` too and the partial index above answers
CREATE VIEW v_articles AS
SELECT
    a.id,
    a.published,
    (SELECT f.name FROM article_feeds af JOIN feeds f ON f.id = af.feed_id
     WHERE af.article_id = a.id ORDER BY af.first_seen, f.name LIMIT 1) AS feed,
    a.title,
    coalesce(a.url, a.link) AS url,
    a.language,
    a.relevance,
    a.relevant,
    CASE
        WHEN a.relevant = 1 THEN 'relevant'
        WHEN a.relevant = 0 THEN 'irrelevant'
        WHEN a.read_error IS NOT NULL THEN 'failed'
        ELSE 'unread'
    END AS state,
    a.read_error,
    a.read_failed_at,
    a.reader_version
FROM articles a;
"""
