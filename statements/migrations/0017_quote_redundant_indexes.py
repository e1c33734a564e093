"""Drops three indexes of statements_quote that others already serve, each written to by every
quote an import inserts (a fifth of the insert's time):

- the index of article_id alone, and quote_article_start_idx (article_id, start): the unique
  constraint quote_unique_span (article_id, start, end) starts with both, in that order, so it
  finds an article's quotes and gives them in reading order;
- the index of speaker_id alone: quote_speaker_said_on_idx (speaker_id, said_on) starts with it.

The database side drops the indexes by name: an AlterField of the foreign keys would make Django
rebuild the table on SQLite, which drops the full-text search triggers (migration 0002).
"""

import django.db.models.deletion
from django.db import migrations, models

# The names Django gave the foreign keys' indexes (the same on SQLite and PostgreSQL).
ARTICLE_INDEX = "statements_quote_article_id_2ffd455d"
SPEAKER_INDEX = "statements_quote_speaker_id_a9d2ff30"


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0016_speaker_name_keys_german"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="quote",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="quotes",
                        to="statements.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="quote",
                    name="speaker",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="quotes",
                        to="statements.speaker",
                    ),
                ),
                migrations.RemoveIndex(model_name="quote", name="quote_article_start_idx"),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {ARTICLE_INDEX}",
                    f'CREATE INDEX {ARTICLE_INDEX} ON "statements_quote" ("article_id")',
                ),
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {SPEAKER_INDEX}",
                    f'CREATE INDEX {SPEAKER_INDEX} ON "statements_quote" ("speaker_id")',
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS quote_article_start_idx",
                    'CREATE INDEX quote_article_start_idx ON "statements_quote" ("article_id", "start")',
                ),
            ],
        ),
    ]
