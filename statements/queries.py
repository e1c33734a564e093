"""Read side of the site: the querysets behind each page, facets, search and pagination.

Every function here costs a fixed number of queries whatever the number of rows, so pages keep a
constant query budget (checked by the tests with assertNumQueries at two data sizes).
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import CharField, Count, Max
from django.db.models.functions import Cast, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from statements import search
from statements.models import Event, Quote
from statements.text import fold

PAGE_SIZE = 25
# Deep OFFSETs cost a scan of every skipped row: past this, narrow the filters or export instead.
MAX_PAGE = 400
FACET_SIZE = 10
# Caps the work one speaker search can ask for (each word is one more LIKE).
MAX_SEARCH_WORDS = 8

WORD_RE = re.compile(r"\w+")


# --- query planning -------------------------------------------------------------------------------

# A filter value matching at least this share of all quotes counts as common (see filters.py).
COMMON_SHARE = 0.02


def newest_quote_id():
    """The highest quote id: roughly how many quotes there are (no COUNT over the table), and what
    changes when an import adds quotes (so cached counts keyed by it show them at once)."""
    return Quote.objects.aggregate(n=Max("pk"))["n"] or 0


def is_common(matches, total):
    """Whether `matches` quotes are a large enough share of `total` that walking the newest-first
    index finds a page of them quickly."""
    return matches >= COMMON_SHARE * total and matches > 1000


# --- visibility -----------------------------------------------------------------------------------


def visible_quotes(user=None):
    """Quotes a visitor may see: staff see every quote, the public all but rejected ones."""
    quotes = Quote.objects.all()
    if user is None or not user.is_staff:
        quotes = quotes.exclude(status=Quote.Status.REJECTED)
    return quotes


def visible_events(user=None):
    events = Event.objects.all()
    if user is None or not user.is_staff:
        events = events.exclude(status=Event.Status.REJECTED)
    return events


def for_listing(quotes):
    """What a quote row shows: speaker, organisation, country, article and topics."""
    return (
        quotes.select_related("speaker__organisation", "speaker__country", "article")
        .defer("article__body")  # kilobytes a row that a list never shows
        .prefetch_related("topics")
    )


# --- full-text search -----------------------------------------------------------------------------


def search_query(q):
    """The parsed search (words, "phrases", -exclusions, OR); false when `q` holds no word."""
    return search.parse(q)


def search_quotes(queryset, q, ranked=True, walk=False):
    """Quotes whose text matches the search `q`; when `ranked`, annotated with `rank` (higher is
    better), which costs a score for every match, so a list sorted by date goes without. `walk`
    (see search.filter_quotes) only when walks_date_index() says so.

    The single place the quote list searches: the engine behind it (SQLite FTS5 or PostgreSQL
    full-text search, see statements/search.py) can change without touching any page. Any input is
    accepted: the parser keeps words only, so quotes, NEAR( or -- are never syntax errors. A query
    without any word leaves the queryset as it is.
    """
    query = search_query(q)
    if not query:
        return queryset
    return search.filter_quotes(queryset, query, with_rank=ranked, walk=walk)


# Ranking scores every match (about 2 µs each): a search whose words are in more quotes than this
# is listed by date instead, and the page says why.
RANK_LIMIT = 20_000


def too_many_to_rank(q):
    return search.estimated_matches(search_query(q), RANK_LIMIT + 1) > RANK_LIMIT


# On SQLite, checking one quote against the FTS5 index as the date index is walked costs about
# 40 times as much as reading one match into the set of matching ids.
WALK_COST = 40
WALK_COUNT_CAP = 100_000


def walks_date_index(q, offset, total):
    """(SQLite) Whether a date-sorted page of the search `q` alone, from `offset`, is found faster by
    walking the date index and checking each quote (a word in 30% of quotes: 4 ms instead of 170)
    than by reading every match first (a word in 0.4% of them: 2 ms instead of 400). `total`:
    about how many quotes there are (newest_quote_id())."""
    return walk_is_cheaper(search.estimated_matches(search_query(q), WALK_COUNT_CAP), total, offset)


def walk_is_cheaper(matches, total, offset):
    """Whether walking `total` quotes newest first, checking each, reads a page from `offset` of
    `matches` evenly spread matches faster than reading every match."""
    if not matches:
        return False
    rows_walked = (offset + PAGE_SIZE + 1) * total / matches
    return rows_walked * WALK_COST < matches


# Crude suffix stripping, so a highlight finds the word forms the stemming search matched
# ("declared" highlights "declare", "ceasefire" highlights "ceasefires").
SUFFIXES = ("ing", "ed", "es", "s", "e", "y")


def highlight_stem(word):
    word = word.lower()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def highlight(text, q):
    """`text` escaped, with each word of the search `q` wrapped in <mark>.

    Matching runs on the raw text and every piece is escaped on its own, so a match can never cut
    through an HTML entity and no unescaped character reaches the page.
    """
    stems = sorted({highlight_stem(term) for term in search_query(q).terms if term}, key=len, reverse=True)
    if not stems:
        return escape(text)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


# --- pagination -----------------------------------------------------------------------------------


class BadPage(ValueError):
    """A page parameter that is not a whole number from 1 to MAX_PAGE."""


# ASCII digits only: str.isdigit() accepts "²" and "①", which int() then refuses (a 500), and
# int() accepts "٣" and "１"; a page number is written the way the site writes it.
PAGE_NUMBER_RE = re.compile(r"[0-9]{1,6}")


def parse_page(value):
    if value in (None, ""):
        return 1
    value = value.strip()
    if not PAGE_NUMBER_RE.fullmatch(value):
        raise BadPage(f"Page must be a whole number from 1 to {MAX_PAGE}.")
    number = int(value)
    if not 1 <= number <= MAX_PAGE:
        raise BadPage(f"Page must be a whole number from 1 to {MAX_PAGE}.")
    return number


@dataclass
class Page:
    """One page of rows, found without counting the whole result: we fetch one row more than we
    show, and that extra row only tells us a next page exists."""

    number: int
    items: list = field(default_factory=list)
    has_next: bool = False
    size: int = PAGE_SIZE

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def start_index(self):
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def end_index(self):
        return (self.number - 1) * self.size + len(self.items)


def page_of(queryset, number, size=PAGE_SIZE):
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return Page(number=number, items=rows[:size], has_next=len(rows) > size, size=size)


def quote_page(quotes, number):
    """A page of the quote list: the page's ids first, then their rows with speaker, article and
    topics. Sorting only ids is much cheaper than sorting whole rows (texts and joins) when a
    search or filter matches tens of thousands of quotes."""
    offset = (number - 1) * PAGE_SIZE
    ids = list(quotes.values_list("pk", flat=True)[offset : offset + PAGE_SIZE + 1])
    rows = for_listing(Quote.objects.all()).in_bulk(ids[:PAGE_SIZE])
    return Page(number=number, items=[rows[pk] for pk in ids[:PAGE_SIZE]], has_next=len(ids) > PAGE_SIZE)


def quote_counts(quotes, relation, objects):
    """{pk: number of `quotes`} for the given articles or events (`relation` is "article" or
    "events"): one query for a page of rows, instead of counting for every row of the table."""
    rows = (
        quotes.order_by()
        .filter(**{f"{relation}__in": [obj.pk for obj in objects]})
        .values(relation)
        .annotate(count=Count("pk"))
    )
    return {row[relation]: row["count"] for row in rows}


# --- facets ---------------------------------------------------------------------------------------


FACET_NAMES = ("country", "organisation", "speaker", "topic", "source", "year")


def cached_quote_facets(quotes, names=FACET_NAMES):
    """quote_facets, cached (see cached()). Each facet is a GROUP BY over the matching quotes, the
    same for every visitor of the same list; a curator's change shows within the cache timeout."""
    return cached("facets-" + ",".join(names), quotes, lambda quotes: quote_facets(quotes, names))


# Facets count at most this many matching quotes (the most recent ones), so they cost the same on
# a million quotes as on ten thousand; the page says when the counts are of a sample.
FACET_SAMPLE = 5000


def facet_sample(quotes):
    """(the quotes facets count, whether that is a sample): every match when there are at most
    FACET_SAMPLE of them, else the FACET_SAMPLE most recent."""
    sampled = quotes.order_by().values("pk")[FACET_SAMPLE : FACET_SAMPLE + 1].exists()
    if not sampled:
        return quotes.order_by(), False
    # Fetched once, not as a subquery: each facet would run it again, and on PostgreSQL it can
    # cost a few hundred milliseconds for a filter whose matches it estimates badly.
    recent = list(quotes.order_by("-said_on", "-pk").values_list("pk", flat=True)[:FACET_SAMPLE])
    return Quote.objects.filter(pk__in=recent), True


def quote_facets(quotes, names=FACET_NAMES):
    """Counts beside a quote list: {name: [{"value", "label", "count"}, ...], "sampled": bool},
    one query each, over at most FACET_SAMPLE quotes."""
    base, sampled = facet_sample(quotes)
    facets = {"sampled": sampled, "sample_size": FACET_SAMPLE}
    if "country" in names:
        rows = (
            base.exclude(speaker__country__isnull=True)
            .values("speaker__country__code", "speaker__country__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "speaker__country__name")[:FACET_SIZE]
        )
        facets["country"] = [
            {"value": r["speaker__country__code"], "label": r["speaker__country__name"], "count": r["count"]}
            for r in rows
        ]
    if "organisation" in names:
        rows = (
            base.exclude(speaker__organisation__isnull=True)
            .values("speaker__organisation__slug", "speaker__organisation__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "speaker__organisation__name")[:FACET_SIZE]
        )
        facets["organisation"] = [
            {
                "value": r["speaker__organisation__slug"],
                "label": r["speaker__organisation__name"],
                "count": r["count"],
            }
            for r in rows
        ]
    if "speaker" in names:
        rows = (
            base.exclude(speaker__isnull=True)
            .values("speaker__slug", "speaker__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "speaker__name")[:FACET_SIZE]
        )
        facets["speaker"] = [
            {"value": r["speaker__slug"], "label": r["speaker__name"], "count": r["count"]} for r in rows
        ]
    if "topic" in names:
        rows = (
            base.values("topics__slug", "topics__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "topics__name")[: FACET_SIZE + 1]
        )
        facets["topic"] = [
            {"value": r["topics__slug"], "label": r["topics__name"], "count": r["count"]}
            for r in rows
            if r["topics__slug"]  # quotes without a topic
        ][:FACET_SIZE]
    if "source" in names:
        rows = (
            base.exclude(article__source="")
            .values("article__source")
            .annotate(count=Count("pk"))
            .order_by("-count", "article__source")[:FACET_SIZE]
        )
        facets["source"] = [
            {"value": r["article__source"], "label": r["article__source"], "count": r["count"]}
            for r in rows
        ]
    if "year" in names:
        # The first four characters of the ISO date: several times faster on SQLite than
        # extracting the year through its Python date function, and the same on PostgreSQL.
        rows = (
            base.exclude(said_on__isnull=True)
            .annotate(year=Substr(Cast("said_on", CharField()), 1, 4))
            .values("year")
            .annotate(count=Count("pk"))
            .order_by("-year")[:FACET_SIZE]
        )
        facets["year"] = [{"value": r["year"], "label": r["year"], "count": r["count"]} for r in rows]
    return facets


# --- speakers -------------------------------------------------------------------------------------


def search_speakers(queryset, q):
    """Speakers whose name or aliases contain every word of `q`, in any order, any case, with or
    without accents; dots and commas are ignored ("Peskov D." finds Dmitry Peskov)."""
    words = WORD_RE.findall(fold(q or ""))[:MAX_SEARCH_WORDS]
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def speaker_listing(queryset):
    return queryset.select_related("organisation", "country").order_by("-quote_count", "name")


def top_speakers(quotes, limit=FACET_SIZE):
    """The most quoted speakers among `quotes`, with role, organisation and country: one query,
    cached (a big topic or country has hundreds of thousands of quotes to group)."""
    return cached(f"top-speakers-{limit}", quotes, lambda quotes: _top_speakers(quotes, limit))


def _top_speakers(quotes, limit):
    rows = (
        quotes.order_by()
        .exclude(speaker__isnull=True)
        .values(
            "speaker__slug",
            "speaker__name",
            "speaker__role",
            "speaker__organisation__name",
            "speaker__country__name",
        )
        .annotate(count=Count("pk"))
        .order_by("-count", "speaker__name")[:limit]
    )
    return [
        {
            "slug": r["speaker__slug"],
            "name": r["speaker__name"],
            "role": r["speaker__role"],
            "organisation": r["speaker__organisation__name"],
            "country": r["speaker__country__name"],
            "count": r["count"],
        }
        for r in rows
    ]


def speaker_topics(quotes, limit=FACET_SIZE):
    rows = (
        Quote.topics.through.objects.filter(quote__in=quotes.order_by().values("pk"))
        .values("topic__slug", "topic__name")
        .annotate(count=Count("quote_id"))
        .order_by("-count", "topic__name")[:limit]
    )
    return [{"slug": r["topic__slug"], "name": r["topic__name"], "count": r["count"]} for r in rows]


def cached(key_prefix, quotes, compute):
    """compute(quotes), kept in the cache for CACHE_TIMEOUT seconds: for counts over up to a
    million quotes. The key is the queryset's SQL (so every filter, and what the visitor may see,
    is in it) and the newest quote id, so an import shows at once. Costs one indexed query on a hit."""
    try:
        sql, params = quotes.order_by().query.sql_with_params()
    except EmptyResultSet:  # a filter Django knows matches nothing, e.g. pk__in=[]
        return compute(quotes.none())
    key = f"{key_prefix}:" + hashlib.sha256(repr((sql, params, newest_quote_id())).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute(quotes)
        cache.set(key, value)
    return value


def monthly_counts(quotes):
    """[(first day of month, count)] for every month from the first to the last quote, gaps as 0."""
    rows = (
        quotes.order_by()
        .exclude(said_on__isnull=True)
        # "YYYY-MM" of the ISO date: native SQL on both databases, unlike SQLite's date_trunc.
        .annotate(month=Substr(Cast("said_on", CharField()), 1, 7))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    counts = {}
    for row in rows:
        year, month = row["month"].split("-")
        counts[datetime.date(int(year), int(month), 1)] = row["count"]
    if not counts:
        return []
    first, last = min(counts), max(counts)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = datetime.date(year, month, 1)
        months.append((day, counts.get(day, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- articles -------------------------------------------------------------------------------------


def paragraph_spans(body):
    """(start, end) offsets of each paragraph of a cleaned body (paragraphs split by blank lines)."""
    spans, start = [], 0
    for match in re.finditer(r"\n\s*\n", body):
        if body[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if body[start:].strip():
        spans.append((start, len(body)))
    return spans


CLOSING_MARKS = "\"”’'»*_"


def marked_spans(body, quotes):
    """The quotes whose spans can be marked in `body`, sorted by start: a span that overlaps the one
    before it or falls outside the body is left unmarked rather than mangled."""
    spans, last_end = [], 0
    for quote in sorted(quotes, key=lambda q: (q.start, q.end)):
        if quote.start < last_end or quote.end > len(body) or quote.start >= quote.end:
            continue
        spans.append(quote)
        last_end = quote.end
    return spans


def annotated_paragraphs(body, quotes, link_quotes=True, current=None):
    """The body as a list of safe HTML paragraphs, each quote's span wrapped in a highlight.

    `quotes` are Quote rows (with their speakers). Paragraphs and spans are both in text order and
    spans never overlap, so one walk through the two together marks them all: the time grows with
    paragraphs plus quotes, not their product (an article of 8,000 quotes took 19 s when every
    paragraph looked at every quote). Every piece of text is escaped before it is wrapped, so the
    markup is ours alone.
    """
    spans = marked_spans(body, quotes)
    paragraphs, first = [], 0
    for p_start, p_end in paragraph_spans(body):
        # Spans that ended before this paragraph are done with; one may run on into the next.
        while first < len(spans) and spans[first].end <= p_start:
            first += 1
        parts, cursor, index = [], p_start, first
        while index < len(spans) and spans[index].start < p_end:
            quote = spans[index]
            index += 1
            a, b = max(quote.start, p_start), min(quote.end, p_end)
            parts.append(escape(body[cursor:a]))
            css = "quote-span is-current" if current == quote.pk else "quote-span"
            anchor = f' id="quote-{quote.pk}"' if a == quote.start else ""
            words = escape(body[a:b])
            if link_quotes:
                words = f'<a href="{escape(quote.get_absolute_url())}">{words}</a>'
            parts.append(f'<mark class="{css}"{anchor}>{words}</mark>')
            cursor = b
            if b == quote.end and link_quotes and quote.speaker is not None:
                # The speaker's name goes after the closing quotation mark, not inside it.
                while cursor < p_end and body[cursor] in CLOSING_MARKS:
                    cursor += 1
                parts.append(escape(body[b:cursor]))
                parts.append(
                    f' <a class="quote-speaker" href="{escape(quote.speaker.get_absolute_url())}">'
                    f"{escape(quote.speaker.name)}</a>"
                )
        parts.append(escape(body[cursor:p_end]))
        paragraphs.append(mark_safe("".join(parts).strip()))
    return paragraphs


def surrounding_text(body, start, end):
    """(before, quoted, after): the paragraph(s) holding [start, end), cut around the quote."""
    if not (0 <= start < end <= len(body)):
        return None
    spans = [s for s in paragraph_spans(body) if s[1] > start and s[0] < end]
    if not spans:
        return None
    p_start, p_end = spans[0][0], spans[-1][1]
    return body[p_start:start], body[start:end], body[end:p_end]


def cached_topic_counts():
    return cached("topic-counts", Quote.objects.all(), lambda quotes: topic_counts())


def topic_counts():
    """{topic id: quotes the public sees}: every link counted from the topic index, less the few
    rejected quotes' links (a join over every quote costs over a second at a million quotes)."""
    links = Quote.topics.through.objects
    counts = dict(links.values("topic").annotate(n=Count("pk")).values_list("topic", "n"))
    rejected_quotes = Quote.objects.filter(status=Quote.Status.REJECTED).values("pk")  # a partial index
    rejected = links.filter(quote__in=rejected_quotes).values("topic").annotate(n=Count("pk"))
    for topic, n in rejected.values_list("topic", "n"):
        counts[topic] -= n
    return counts

