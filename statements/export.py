"""Quote exports: one record layout for `export_quotes` and the quote list's format=csv|json.

Records are built from a queryset in batches with a fixed number of queries per batch, so an export
streams at constant memory whatever the number of quotes.
"""

import csv
import datetime
import io
import json
import re
from collections import defaultdict

from django.utils.text import slugify

from statements import days, untrusted
from statements.batching import batched
from statements.models import Quote, QuoteEvent, detail_url_parts, unnamed_source

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
    "speaker_unnamed",
    "verb",
    "topics",
    "events",
    "start",
    "end",
    "confidence",
    "status",
    "speaker_slug",  # added last: columns keep their positions for readers that count them
    "document",  # primary sources: the kind of document the quote comes from
    "question",  # a transcript turn's: the question it answers
    "article_url",  # the article's original address (http or https), after every older column
    "statement",  # the statement's stable id, shared by its reports (Quote.statement_key)
]


FIELDS = {
    "id": "pk",
    "article_id": "article__external_id",
    "article_title": "article__title",
    "source": "article__source",
    "published": "article__published",
    "said_on": "said_on",
    "text": "text",
    "kind": "kind",
    "speaker_id": "speaker_id",
    "speaker_name": "speaker__name",
    "speaker_slug": "speaker__slug",
    "speaker_default_role": "speaker__role",
    "speaker_role": "speaker_role",
    "speaker_organisation": "speaker__organisation__name",
    "speaker_country": "speaker__country__name",
    "verb": "verb",
    "start": "start",
    "end": "end",
    "confidence": "confidence",
    "status": "status",
    "document": "article__kind",
    "question": "question",
    "article_url": "article__url",
    "statement_id": "statement_id",
}


def iter_records(queryset, batch_size=BATCH_SIZE, base_url=""):
    """Yields export records, in the queryset's order, from one query read in batches of plain
    values (no model instances), plus two queries per batch for topics and events: exports stream
    at constant memory. (A keyset query per batch re-read a filtered date range for every batch.)
    `base_url` ("https://newsdesk.example.org") makes each quote's `url` absolute; without it the
    `url` is the page's path, "/quotes/17/", as exports gave it before."""
    names = list(FIELDS)
    rows = queryset.values_list(*FIELDS.values()).iterator(chunk_size=batch_size)
    head, tail = detail_url_parts("statements:quote_detail")
    url_parts = (base_url.rstrip("/") + head, tail)
    for batch in batched(rows, batch_size):
        ids = [row[0] for row in batch]
        topics = slugs_by_quote(Quote.topics.through.objects.filter(quote__any=ids), "topic__slug")
        events = slugs_by_quote(QuoteEvent.objects.filter(quote__any=ids), "event__slug")
        for row in batch:
            yield record(dict(zip(names, row)), url_parts, topics.get(row[0], []), events.get(row[0], []))


def slugs_by_quote(links, slug):
    """{quote id: [slugs, sorted]} from a queryset of a quote's links to topics or events."""
    slugs = defaultdict(list)
    for quote_id, value in links.order_by().values_list("quote_id", slug):
        slugs[quote_id].append(value)
    for values in slugs.values():
        values.sort()  # in Python: PostgreSQL's collation may order hyphens differently
    return slugs


def record(values, url_parts, topics, events):
    speaker = None
    description = unnamed_source(values["speaker_id"], values["speaker_role"])
    if values["speaker_id"] is not None:
        speaker = {
            "name": values["speaker_name"],
            # stable: the speaker's page is /speakers/<slug>/, so exports join to pages
            "slug": values["speaker_slug"],
            "role": values["speaker_role"] or values["speaker_default_role"],
            "organisation": values["speaker_organisation"],
            "country": values["speaker_country"],
            "unnamed": False,
        }
    elif description:
        # an unnamed source: the article's description of them is all we have ("a senior aide")
        speaker = {"name": description, "role": "", "organisation": None, "country": None, "unnamed": True}
    return {
        "id": values["id"],
        "url": f"{url_parts[0]}{values['id']}{url_parts[1]}" if url_parts else None,
        "article_id": values["article_id"],
        "article_title": values["article_title"],
        "source": values["source"],
        "published": values["published"].isoformat() if values["published"] else None,
        "said_on": values["said_on"].isoformat() if values["said_on"] else None,
        "text": values["text"],
        "kind": values["kind"],
        "speaker": speaker,
        "verb": values["verb"],
        "topics": topics,
        "events": events,
        "start": values["start"],
        "end": values["end"],
        "confidence": round(values["confidence"], 3),
        "status": values["status"],
        "document": values["document"],
        "question": values["question"] or None,
        # only an http(s) address with a host: a stored URL is the article's, never ours to trust
        "article_url": untrusted.http_url(values["article_url"]) or None,
        # shared by the reports of one statement; a quote alone is its own (Quote.statement_key)
        "statement": values["statement_id"] or values["id"],
    }


def extracted_record(article, quote, country_name):
    """The record of a quote the pipeline extracted but nothing saved (scripts/extract_jsonl.py), built
    by record() from the values store.py would save, so the two layouts cannot drift apart; no id,
    url or status before a save. `country_name` turns a country code into the name exported."""
    mention = quote.speaker
    named = mention is not None and not mention.is_unnamed
    # a field only a saved quote has (id, status) stays None
    values = dict.fromkeys(FIELDS) | {
        "article_id": article.external_id,
        "article_title": article.title,
        "source": article.source,
        "published": article.published,
        "said_on": quote.said_on or article.published,
        "text": quote.span.text,
        "kind": quote.span.kind,
        "speaker_id": mention.name if named else None,  # record() asks only whether there is one
        "speaker_name": mention.name if named else None,
        # the slug of the mention's own name: the store may file it under a known record's
        "speaker_slug": slugify(mention.name) if named else None,
        "speaker_default_role": "",
        # store.py keeps an unnamed source's description where a named speaker's role goes
        "speaker_role": (mention.name if mention.is_unnamed else mention.role) if mention else "",
        "speaker_organisation": mention.organisation if named else None,
        "speaker_country": country_name(mention.country) if named else None,
        "verb": quote.verb,
        "start": quote.span.start,
        "end": quote.span.end,
        "confidence": quote.confidence,
        "document": article.kind,
        "question": quote.question,
        "article_url": article.url,
    }
    return record(values, None, sorted(set(quote.topics)), sorted(slug for slug, _ in quote.events))


# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...) can send data
# away, =cmd|... run a program): quoted text and titles come from articles nobody controls.
FORMULA_STARTS = frozenset("=+-@\t\r")
# Columns whose values we write ourselves (numbers, ISO dates, choices, our own URLs) can never start
# a formula; every other column, including any added later, is checked.
OWN_COLUMNS = {
    "id",
    "url",
    "published",
    "said_on",
    "kind",
    "speaker_unnamed",
    "start",
    "end",
    "confidence",
    "status",
    "document",
    "statement",
}
CHECKED_COLUMNS = [index for index, column in enumerate(CSV_COLUMNS) if column not in OWN_COLUMNS]


def spreadsheet_safe(row):
    """`row` with a leading "'" on every checked text cell that would start a formula: the usual
    neutraliser (OWASP's advice), so a spreadsheet shows the text. JSON exports keep values exact."""
    for index in CHECKED_COLUMNS:
        value = row[index]
        if isinstance(value, str) and value[:1] in FORMULA_STARTS:
            row[index] = "'" + value
    return row


def csv_row(record):
    """The record as a CSV row: the speaker flattened into columns, lists joined by ";" (the csv
    module writes None as an empty field), every text cell spreadsheet_safe."""
    speaker = record["speaker"] or {}
    flat = {
        **record,
        "speaker_name": speaker.get("name"),
        "speaker_role": speaker.get("role"),
        "speaker_organisation": speaker.get("organisation"),
        "speaker_country": speaker.get("country"),
        "speaker_unnamed": "yes" if speaker.get("unnamed") else "",
        "speaker_slug": speaker.get("slug"),
        "topics": ";".join(record["topics"]),
        "events": ";".join(record["events"]),
    }
    return spreadsheet_safe([flat[column] for column in CSV_COLUMNS])


def chunked(lines, size=500):
    """Joins lines into larger chunks: far fewer writes for a streamed response or a file."""
    return ("".join(chunk) for chunk in batched(lines, size))


def jsonl_lines(queryset, base_url=""):
    return chunked(
        json.dumps(r, ensure_ascii=False) + "\n" for r in iter_records(queryset, base_url=base_url)
    )


# Excel reads a CSV file as UTF-8 only when it starts with a byte order mark; other programs
# (and Python's csv module with encoding="utf-8-sig") skip it.
BYTE_ORDER_MARK = "\ufeff"


def csv_lines(queryset, rows_per_chunk=500, base_url="", excel=False):
    """The CSV file in chunks of `rows_per_chunk` rows (the csv module writes to a buffer);
    `excel` starts it with a byte order mark, so Excel reads its accents and Cyrillic right."""
    buffer = io.StringIO()
    if excel:
        buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for count, record in enumerate(iter_records(queryset, base_url=base_url), 1):
        writer.writerow(csv_row(record))
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    yield buffer.getvalue()


def json_array_chunks(queryset, base_url=""):
    """A JSON array, streamed: "[", records separated by commas, "]"."""

    def parts():
        yield "["
        for i, record in enumerate(iter_records(queryset, base_url=base_url)):
            yield ("" if i == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
        yield "]\n"

    return chunked(parts())


# --- file names -----------------------------------------------------------------------------------

# Parameters that say how the list is shown or sent, not which quotes it holds.
NOT_IN_FILENAME = {"page", "format", "excel", "sort"}
UNSAFE_FILENAME_RE = re.compile(r"[^A-Za-z0-9]+")
MAX_FILENAME_WORDS = 120


def filename_part(text):
    """`text` in the characters every file system and browser keeps: letters, digits, hyphens."""
    return UNSAFE_FILENAME_RE.sub("-", text).strip("-")


def date_range_part(after, before):
    """ "2016" for a whole year, "2016-10" for a whole month, else "from-2016-10-01-to-2016-10-20"."""
    if after and before and after.month == 1 and after.day == 1 and (before.month, before.day) == (12, 31):
        if after.year == before.year:
            return str(after.year)
    if after and before and after.day == 1 and (after.year, after.month) == (before.year, before.month):
        if (before + datetime.timedelta(days=1)).day == 1:
            return f"{after:%Y-%m}"
    words = []
    if after:
        words.append(f"from-{after.isoformat()}")
    if before:
        words.append(f"to-{before.isoformat()}")
    return "-".join(words)


def filename(params, extension):
    """A file name that says what the export holds, from the list's URL parameters (a QueryDict):
    "quotes-country-RUS-topic-syria-2016.csv"; "quotes-all.csv" without filters. An excluded value
    (`-country=USA`) reads "not-country-USA"."""
    words = []
    dates = {}
    for key, values in params.lists():
        if key in NOT_IN_FILENAME:
            continue
        for value in values:
            if not value.strip():
                continue
            if key in ("said_after", "said_before"):
                dates[key] = days.parse_day(value)
                continue
            name = f"not-{key[1:]}" if key.startswith("-") else key
            words.append(filename_part(f"{name}-{value}"))
    words.append(date_range_part(dates.get("said_after"), dates.get("said_before")))
    stem = "-".join(word for word in words if word)[:MAX_FILENAME_WORDS].strip("-") or "all"
    return f"quotes-{stem}.{extension}"
