"""Full-text search over quote text, and the other places where the two databases need different
SQL or plans: the one module that looks at `connection.vendor` (QuoteQuerySet calls it).

Both search backends accept the same forgiving "web search" syntax: words (all must match), "quoted phrases",
-excluded words, and OR between alternatives. User input never reaches the engine's own query
language unescaped, so no input is a syntax error.

- SQLite: the FTS5 table `statements_quote_fts` (migration 0002), ranked with bm25.
- PostgreSQL: the stored `search_vector` column, `websearch_to_tsquery`, ranked with ts_rank.
"""

import json
import re
from dataclasses import dataclass, field

import jellyfish
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import Expression, RawSQL

TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


@dataclass
class SearchQuery:
    """A parsed query: groups of alternatives (AND between groups, OR inside), and exclusions."""

    groups: list[list[str]] = field(default_factory=list)  # each term is a word or a phrase
    excluded: list[str] = field(default_factory=list)
    # The groups that are a word typed bare (not "quoted", not in an OR): what may be a name.
    plain: list[int] = field(default_factory=list)

    def __bool__(self):
        return bool(self.groups)

    @property
    def terms(self):
        """The words to highlight in results."""
        return [word for group in self.groups for term in group for word in term.split()]

    @property
    def plain_words(self):
        """The words typed bare, in order: [(group index, word)]."""
        return [(index, self.groups[index][0]) for index in self.plain]

    def without(self, indices):
        """This query less the groups `indices` (the words that named a speaker)."""
        kept = [i for i in range(len(self.groups)) if i not in indices]
        return SearchQuery(
            groups=[self.groups[i] for i in kept],
            excluded=list(self.excluded),
            plain=[kept.index(i) for i in self.plain if i in kept],
        )


# Words (or OR-ed alternatives) one search may hold.
MAX_GROUPS = 20


def parse(q):
    query = SearchQuery()
    pending_or = False
    for negate, phrase, bare in TOKEN_RE.findall(q or ""):
        if bare and bare.upper() == "OR":
            pending_or = bool(query.groups)
            continue
        if bare.startswith("-") and len(bare) > 1:
            negate, bare = "-", bare[1:]
        words = WORD_RE.findall(phrase if phrase else bare)
        if not words:
            continue
        term = " ".join(words)[:200]
        if negate:
            query.excluded.append(term)
        elif pending_or:
            query.groups[-1].append(term)
            if query.plain and query.plain[-1] == len(query.groups) - 1:
                query.plain.pop()  # "Lavrov OR Peskov" is a search for either word
        else:
            if bare:
                query.plain.append(len(query.groups))
            query.groups.append([term])
        pending_or = False
    query.groups = query.groups[:MAX_GROUPS]  # bound the work one request can ask for
    query.plain = [index for index in query.plain if index < MAX_GROUPS]
    return query


def remove_words(q, words):
    """The search `q` less the bare words `words` ("Peskov ceasefire" less "Peskov": "ceasefire"),
    in any case; quoted phrases and the rest are kept as typed."""
    unwanted = {token.casefold() for text in words for token in TYPED_TOKEN_RE.findall(text)}
    return " ".join(token for token in TYPED_TOKEN_RE.findall(q or "") if token.casefold() not in unwanted)


def quote_words(q, words):
    """The search `q` with the bare words `words` in quotation marks, so that they are searched
    for in the quotes' text rather than taken as a speaker's name ("Peskov" -> "\"Peskov\"")."""
    wanted = {word.casefold() for word in words}
    return " ".join(
        f'"{token}"' if token.casefold() in wanted else token for token in TYPED_TOKEN_RE.findall(q or "")
    )


# A search as typed, token by token: a "quoted phrase" (perhaps -negated or unclosed) or a word.
TYPED_TOKEN_RE = re.compile(r'-?"[^"]*"?|\S+')


def fts5_expression(query):
    def quoted(term):
        return '"' + term.replace('"', '""') + '"'

    expression = " AND ".join("(" + " OR ".join(quoted(t) for t in group) + ")" for group in query.groups)
    for term in query.excluded[:10]:
        expression += f" NOT {quoted(term)}"
    return expression


def websearch_expression(query):
    parts = [" or ".join(f'"{t}"' for t in group) for group in query.groups]
    parts += [f'-"{t}"' for t in query.excluded[:10]]
    return " ".join(parts)


class QuoteTableSQL(Expression):
    """A piece of SQL about the quote row being filtered, written against whatever alias the quote
    table has in the query being compiled (`{quote}` in the template), so a filtered queryset also
    works as a subquery (facets and counts use it so). For what Django cannot express: PostgreSQL's
    `search_vector` column (migration 0002, not a model field) and SQLite's FTS5 table."""

    template = ""

    def __init__(self, text):
        super().__init__()
        self.text = text

    def as_sql(self, compiler, connection):
        quote = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.format(quote=quote), [self.text]


class SearchVectorMatches(QuoteTableSQL):
    # Filtered on the quote table itself: PostgreSQL then reads the matches from the GIN index
    # (a match inside "id IN (subquery)" made it hash-join against every quote).
    output_field = BooleanField()
    template = "{quote}.search_vector @@ websearch_to_tsquery('english', %s)"


class SearchVectorRank(QuoteTableSQL):
    output_field = FloatField()
    template = "ts_rank({quote}.search_vector, websearch_to_tsquery('english', %s))"


class FTS5RowMatches(QuoteTableSQL):
    # One quote checked against the FTS5 index: for walking the date index (see filter_quotes).
    output_field = BooleanField()
    template = (
        "EXISTS (SELECT 1 FROM statements_quote_fts "
        "WHERE statements_quote_fts MATCH %s AND statements_quote_fts.rowid = {quote}.id)"
    )


def estimated_matches(quotes, query, cap):
    """About how many of all the quotes (`quotes`: any queryset of the model, its filters unused)
    match `query` (a SearchQuery), at most `cap`, from the text index alone: SQLite counts FTS5
    entries (0.1 ms for 4,000 matches, 1.4 ms for 60,000), PostgreSQL reads its planner's estimate
    (counting 60,000 matches there costs 50 ms)."""
    if not query:
        return 0
    if connection.vendor == "postgresql":
        matches = quotes.model.objects.order_by().filter(SearchVectorMatches(websearch_expression(query)))
        plan = json.loads(matches.values("pk").explain(format="json"))
        return min(int(plan[0]["Plan"]["Plan Rows"]), cap)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM statements_quote_fts WHERE statements_quote_fts MATCH %s LIMIT %s)",
            [fts5_expression(query), cap],
        )
        return cursor.fetchone()[0]


def filter_quotes(queryset, query, with_rank=False, walk=False):
    """Quotes whose text matches `query` (a SearchQuery). With `with_rank`, annotates `rank`
    (higher is more relevant) for ordering by relevance. With `walk` (SQLite), each quote is
    checked against the index as the date index is walked, instead of all matches being read
    first: far cheaper for a page of a word most quotes contain, far dearer for a rare one."""
    if not query:
        return queryset
    if connection.vendor == "postgresql":
        text = websearch_expression(query)
        queryset = queryset.filter(SearchVectorMatches(text))
        if with_rank:
            queryset = queryset.annotate(rank=SearchVectorRank(text))
        return queryset
    expression = fts5_expression(query)
    if with_rank:
        # Joined rather than filtered: FTS5 then computes bm25 for each match in the one pass over
        # the index (12 ms for 4,000 matches in a million quotes), where a rank per row from a
        # subquery re-runs the match each time. Django has no join to a virtual table, hence extra().
        return queryset.extra(
            tables=["statements_quote_fts"],
            where=["statements_quote_fts.rowid = statements_quote.id", "statements_quote_fts MATCH %s"],
            params=[expression],
            select={"rank": "-statements_quote_fts.rank"},  # FTS5's rank is lower for better
        )
    if walk:
        return queryset.filter(FTS5RowMatches(expression))
    return queryset.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM statements_quote_fts WHERE statements_quote_fts MATCH %s", [expression]
        )
    )


# Ranking scores every match (about 2 µs each): a search whose words are in more quotes than this
# is listed by date instead, and the page says why.
RANK_LIMIT = 20_000


def too_many_to_rank(quotes, query):
    return estimated_matches(quotes, query, RANK_LIMIT + 1) > RANK_LIMIT


# On SQLite, checking one quote against the FTS5 index as the date index is walked costs about
# 40 times as much as reading one match into the set of matching ids.
WALK_COST = 40
WALK_COUNT_CAP = 100_000


def walks_date_index(quotes, query, offset, page_size):
    """Whether a date-sorted page of the search `query` alone, from `offset`, is found faster by
    walking the date index and checking each quote (a word in 30% of quotes: 4 ms instead of 170)
    than by reading every match first (a word in 0.4% of them: 2 ms instead of 400). `quotes`: a
    QuoteQuerySet. Only on SQLite: PostgreSQL's planner estimates matches well and chooses itself."""
    if connection.vendor != "sqlite" or not query:
        return False
    matches = estimated_matches(quotes, query, WALK_COUNT_CAP)
    return walk_is_cheaper(matches, quotes.newest_id(), offset, page_size)


def walk_is_cheaper(matches, total, offset, page_size=25):
    """Whether walking `total` quotes newest first, checking each, reads a page from `offset` of
    `matches` evenly spread matches faster than reading every match."""
    if not matches:
        return False
    rows_walked = (offset + page_size + 1) * total / matches
    return rows_walked * WALK_COST < matches


# Up to this many speakers, a country or organisation filter on PostgreSQL lists their ids.
MAX_LISTED_SPEAKERS = 2000


def listed_speaker_ids(speakers):
    """(PostgreSQL) The ids of `speakers`, to filter quotes by as a list; None on SQLite, or when
    there are more than MAX_LISTED_SPEAKERS. PostgreSQL misjudges how many quotes an EXISTS over
    speakers matches (by 40 times for a big organisation) and then sorts all of them; given the
    speakers' ids it estimates from its statistics on speaker_id and walks the newest-first index
    when it should. SQLite plans the EXISTS or the join well (QuoteQuerySet.from_speakers)."""
    if connection.vendor != "postgresql":
        return None
    ids = list(speakers.order_by().values_list("pk", flat=True)[: MAX_LISTED_SPEAKERS + 1])
    return ids if len(ids) <= MAX_LISTED_SPEAKERS else None


# --- "did you mean" -------------------------------------------------------------------------------


def has_matches(quotes, word):
    """Whether any quote's words hold `word` (one index probe)."""
    return count_matches(quotes, SearchQuery(groups=[[word]]), 1) > 0


def count_matches(quotes, query, cap):
    """How many of all the quotes (`quotes`: any queryset of the model, its filters unused) match
    `query`, counted exactly up to `cap` from the text index (estimated_matches estimates on
    PostgreSQL, and its planner never estimates none): for small caps only."""
    if not query:
        return 0
    if connection.vendor == "postgresql":
        # Not "WHERE ... LIMIT n": for a word it expects in a few hundred quotes the planner then
        # reads the whole table hoping to stop early (120 ms at 170,000 quotes for a word in none).
        # The matches come from the GIN index, and as many are read as the cap asks for.
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH matches AS MATERIALIZED (SELECT id FROM statements_quote "
                "WHERE search_vector @@ websearch_to_tsquery('english', %s)) "
                "SELECT count(*) FROM (SELECT 1 FROM matches LIMIT %s) AS capped",
                [websearch_expression(query), cap],
            )
            return cursor.fetchone()[0]
    return estimated_matches(quotes, query, cap)


def known_words_like(word):
    """(word, quotes holding it) for the words of the quotes that start with the same two letters
    as `word`, from the text index's own vocabulary. The index keeps stems ("ceasefir"), so each is
    given in the written form closest to `word` ("ceasefire"). SQLite: its fts5vocab table
    (migration 0015), about 20 ms for a letter's words in 150,000 quotes. PostgreSQL keeps no list
    of its words that is cheap to read: the words of the newest quotes (postgresql_vocabulary)."""
    if len(word) < 3:
        return []
    start = word[:2].lower()
    if connection.vendor == "postgresql":
        rows = postgresql_vocabulary(start)
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, doc FROM statements_quote_fts_vocab WHERE term >= %s AND term < %s",
                [start, start + "\uffff"],
            )
            rows = cursor.fetchall()
    return [(written_form(stem, word), count) for stem, count in rows if stem.isalpha()]


# PostgreSQL's "did you mean" words: those of the newest VOCABULARY_QUOTES quotes, read again
# at most once every VOCABULARY_SECONDS (ts_stat reads every vector it is given).
VOCABULARY_QUOTES = 50_000
VOCABULARY_SECONDS = 6 * 3600


def postgresql_vocabulary(start):
    """[(stem, quotes holding it)] of the newest quotes' words starting with the two letters
    `start`, cached by their first two letters (one cache entry of a few thousand words is read
    a search, not the whole list)."""
    key = f"search-vocabulary:{start}"
    words = cache.get(key)
    if words is None and not cache.get("search-vocabulary:read"):
        by_start = read_postgresql_vocabulary()
        cache.set_many(
            {f"search-vocabulary:{two}": found for two, found in by_start.items()}, VOCABULARY_SECONDS
        )
        cache.set("search-vocabulary:read", True, VOCABULARY_SECONDS)
        words = by_start.get(start)
    return words or []


def read_postgresql_vocabulary():
    """{two first letters: [(stem, quotes holding it)]} of the newest quotes' words."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat(%s) WHERE ndoc > 1",
            [f"SELECT search_vector FROM statements_quote ORDER BY id DESC LIMIT {VOCABULARY_QUOTES}"],
        )
        by_start = {}
        for stem, count in cursor.fetchall():
            by_start.setdefault(stem[:2], []).append((stem, count))
    return by_start


def written_form(stem, typed):
    """The word a stem stands for that is closest to what was typed: "ceasefir" for "cesefire" is
    "ceasefire", "economi" for "econmy" is "economy"."""
    forms = [stem, stem + "e", stem + "s", stem[:-1] + "y", stem + "ed", stem + "ing"]
    return min(forms, key=lambda form: (jellyfish.damerau_levenshtein_distance(form, typed), len(form)))
