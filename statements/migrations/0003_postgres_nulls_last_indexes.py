"""PostgreSQL indexes matching the quote list's order: newest first, undated quotes last.

`ORDER BY said_on DESC NULLS LAST` cannot use a plain (said_on DESC) index on PostgreSQL, which
sorts NULLs first in descending order. SQLite already sorts NULLs last in descending order and
rejects NULLS LAST in an index, so this migration does nothing there.
"""

from django.db import migrations

FORWARD = [
    """CREATE INDEX IF NOT EXISTS quote_said_on_nulls_last_idx
        ON statements_quote (said_on DESC NULLS LAST, id DESC)""",
    """CREATE INDEX IF NOT EXISTS quote_speaker_said_on_nulls_last_idx
        ON statements_quote (speaker_id, said_on DESC NULLS LAST, id DESC)""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS quote_speaker_said_on_nulls_last_idx",
    "DROP INDEX IF EXISTS quote_said_on_nulls_last_idx",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("statements", "0002_quote_full_text_search")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
