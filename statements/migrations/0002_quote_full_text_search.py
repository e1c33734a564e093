"""Full-text search over quote text, one index per database.

SQLite: an external-content FTS5 table kept in sync by triggers (ranked with bm25).
PostgreSQL: a stored tsvector column with a GIN index (queried with websearch_to_tsquery), and a
trigram index on speaker search text for fuzzy name search.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE statements_quote_fts USING fts5(
        text, content='statements_quote', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER statements_quote_fts_insert AFTER INSERT ON statements_quote BEGIN
        INSERT INTO statements_quote_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER statements_quote_fts_delete AFTER DELETE ON statements_quote BEGIN
        INSERT INTO statements_quote_fts(statements_quote_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER statements_quote_fts_update AFTER UPDATE OF text ON statements_quote BEGIN
        INSERT INTO statements_quote_fts(statements_quote_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO statements_quote_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    "INSERT INTO statements_quote_fts(statements_quote_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS statements_quote_fts_update",
    "DROP TRIGGER IF EXISTS statements_quote_fts_delete",
    "DROP TRIGGER IF EXISTS statements_quote_fts_insert",
    "DROP TABLE IF EXISTS statements_quote_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE statements_quote ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('english', text)) STORED""",
    "CREATE INDEX statements_quote_search_idx ON statements_quote USING GIN (search_vector)",
    """CREATE INDEX statements_speaker_search_trgm_idx ON statements_speaker
        USING GIN (search_text gin_trgm_ops)""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS statements_speaker_search_trgm_idx",
    "DROP INDEX IF EXISTS statements_quote_search_idx",
    "ALTER TABLE statements_quote DROP COLUMN IF EXISTS search_vector",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("statements", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
