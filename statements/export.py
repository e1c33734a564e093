"""Quote exports: one record layout for `export_quotes` and the quote list's format=csv|json.

Records are built from a queryset in batches with a fixed number of queries per batch, so an export
streams at constant memory whatever the number of quotes.
"""

import csv
import io
import json

BATCH_SIZE = 2000

CSV_COLUMNS = [
    "id",
    "url",
    "article_id",
    "article_title",
    "source",
    "published",
    "said_on",
    "text",
    "kind",
    "speaker_name",
    "speaker_role",
    "speaker_organisation",
    "speaker_country",
    "verb",
    "topics",
    "events",
    "start",
    "end",
    "confidence",
    "status",
]


def export_queryset(queryset):
    """The quotes with everything a record needs, in one query per batch (+2 for topics/events)."""
    return queryset.select_related(
        "article", "speaker__organisation", "speaker__country"
    ).prefetch_related("topics", "events")


def iter_quotes(queryset, batch_size=BATCH_SIZE):
    """Yields quotes in keyset-paginated batches: deep pages stay cheap and memory stays flat."""
    queryset = queryset.order_by("pk")
    last_pk = 0
    while True:
        batch = list(export_queryset(queryset.filter(pk__gt=last_pk))[:batch_size])
        if not batch:
            return
        yield from batch
        last_pk = batch[-1].pk


def quote_record(quote):
    speaker = quote.speaker
    article = quote.article
    return {
        "id": quote.pk,
        "url": quote.get_absolute_url(),
        "article_id": article.external_id,
        "article_title": article.title,
        "source": article.source,
        "published": article.published.isoformat() if article.published else None,
        "said_on": quote.said_on.isoformat() if quote.said_on else None,
        "text": quote.text,
        "kind": quote.kind,
        "speaker": None
        if speaker is None
        else {
            "name": speaker.name,
            "role": quote.speaker_role or speaker.role,
            "organisation": speaker.organisation.name if speaker.organisation else None,
            "country": speaker.country.name if speaker.country else None,
        },
        "verb": quote.verb,
        "topics": [t.slug for t in quote.topics.all()],
        "events": [e.slug for e in quote.events.all()],
        "start": quote.start,
        "end": quote.end,
        "confidence": round(quote.confidence, 3),
        "status": quote.status,
    }


def csv_row(record):
    speaker = record["speaker"] or {}
    flat = {key: value for key, value in record.items() if key != "speaker"}
    flat.update(
        speaker_name=speaker.get("name"),
        speaker_role=speaker.get("role"),
        speaker_organisation=speaker.get("organisation"),
        speaker_country=speaker.get("country"),
        topics=";".join(record["topics"]),
        events=";".join(record["events"]),
    )
    return [flat[column] if flat[column] is not None else "" for column in CSV_COLUMNS]


def jsonl_lines(queryset):
    for quote in iter_quotes(queryset):
        yield json.dumps(quote_record(quote), ensure_ascii=False) + "\n"


def csv_lines(queryset):
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for quote in iter_quotes(queryset):
        writer.writerow(csv_row(quote_record(quote)))
        yield flush()


def json_array_chunks(queryset):
    """A JSON array, streamed: "[", records separated by commas, "]"."""
    yield "["
    first = True
    for quote in iter_quotes(queryset):
        yield ("" if first else ",\n") + json.dumps(quote_record(quote), ensure_ascii=False)
        first = False
    yield "]\n"
