"""Facet counts from structures built for counting: per-value bitmaps of quote ids, in memory.

A GROUP BY over the quotes a new filter combination matches costs 0.3-0.8 s at a million quotes,
and most combinations an analyst asks for are new, so no cache helps. Instead each process keeps,
for every speaker, topic, event, outlet and day (and the rejected quotes), the set of its quote
ids as a Roaring bitmap (pyroaring); a country's or organisation's set is the union of its speakers'. A
filter combination's matches are then an intersection of sets, and a facet's counts are the sizes
of the matches' intersections with each value's set: exact, in a few milliseconds.

Kept current without rereading everything:
- new quotes: the index remembers the highest quote id it has read and reads only those above it;
- anything else (a quote rejected or edited, topics retagged, a speaker's country changed, an
  article's outlet, a quote deleted): database triggers (install_triggers, run after every
  `migrate`) append the changed quote or speaker to the table statements_counting_change, and the
  index rereads just those quotes or the speakers. A very long list of changes rebuilds it.
Every page looks at both (one query of two indexed MAX()), so an import or an editor's change shows
in the next page's counts, in every process.

The index is built the first time a page needs it: on a small database at once, on a large one
(over BACKGROUND_BUILD_ABOVE quotes) in a thread, while pages count the old way until it is ready.
"""

import copy
import datetime
import logging
import os
import pickle
import re
import threading
import time
from array import array
from collections import OrderedDict, defaultdict

from django.core.cache import cache
from django.db import DatabaseError, connection
from pyroaring import BitMap

from statements import search
from statements.batching import batched
from statements.filters import NOT, REPEATABLE
from statements.models import Country, Quote, as_list
from statements.pagination import PAGE_SIZE, Page

log = logging.getLogger(__name__)

CHANGE_TABLE = "statements_counting_change"
FACET_SIZE = 10
# A search's matches are read from the text index as ids, at most this many (the newest ids): a
# word in a third of a million quotes costs 60-150 ms to read in full. Counts over a capped search
# say they are of a sample, like the SQL facets did.
SEARCH_CAP = 100_000
# More changed quotes than this since the index last looked: reading them one by one costs more
# than building the index again.
MAX_CHANGES = 50_000
# Up to this many quotes the index is built during the request that first needs it (about a
# second for 100,000); above, in a thread, while pages count with SQL.
BACKGROUND_BUILD_ABOVE = 150_000
# A set of matches up to this size counts its speakers by walking its ids; a larger one by
# intersecting with the speakers' sets, the largest first, stopping when no smaller one can rank.
WALK_MATCHES_UP_TO = 20_000
# How many searches' matching ids each process keeps (at most SEARCH_CAP ids each, 10-200 KB).
SEARCHES_KEPT = 32
# How many lists' matches, facets and charts each process keeps (QuoteIndex.remembered): a set of
# matches is up to a few hundred KB, facets and charts a few KB.
MEMOS_KEPT = 64

EMPTY = BitMap()
# The index's sets of each filter whose values are model instances (QuoteIndex.any_of).
SETS_OF = {
    "speaker": "by_speaker",
    "country": "by_country",
    "organisation": "by_organisation",
    "topic": "by_topic",
    "event": "by_event",
}


# --- keeping the index current: the change log and its triggers -----------------------------------

# A quote's links to what it is about: (table, column, the index's sets of them).
LINKS = (
    ("statements_quote_topics", "topic_id", "by_topic"),
    ("statements_quoteevent", "event_id", "by_event"),
    ("statements_quote_mentioned_countries", "country_id", "by_mentioned_country"),
    ("statements_quote_mentioned_organisations", "organisation_id", "by_mentioned_organisation"),
)
LINK_TABLES = [table for table, _, _ in LINKS]

SQLITE_TRIGGERS = [
    f"""CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} (
        id integer PRIMARY KEY AUTOINCREMENT, quote_id bigint NULL, speaker_id bigint NULL)""",
    f"""CREATE TRIGGER IF NOT EXISTS counting_quote_update AFTER UPDATE ON statements_quote
        WHEN OLD.speaker_id IS NOT NEW.speaker_id OR OLD.status IS NOT NEW.status OR OLD.kind IS NOT NEW.kind
          OR OLD.said_on IS NOT NEW.said_on OR OLD.article_id IS NOT NEW.article_id OR OLD.id IS NOT NEW.id
          OR OLD.is_primary_report IS NOT NEW.is_primary_report
        BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) VALUES (OLD.id); END""",
    f"""CREATE TRIGGER IF NOT EXISTS counting_quote_delete AFTER DELETE ON statements_quote
        BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) VALUES (OLD.id); END""",
    *(
        statement
        for table in LINK_TABLES
        for statement in (
            f"""CREATE TRIGGER IF NOT EXISTS counting_{table}_insert AFTER INSERT ON {table}
                BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) VALUES (NEW.quote_id); END""",
            f"""CREATE TRIGGER IF NOT EXISTS counting_{table}_delete AFTER DELETE ON {table}
                BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) VALUES (OLD.quote_id); END""",
            f"""CREATE TRIGGER IF NOT EXISTS counting_{table}_update AFTER UPDATE ON {table}
                BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) VALUES (OLD.quote_id), (NEW.quote_id); END""",
        )
    ),
    # The importer recounts speakers' quote_count in every batch: only what counts is logged.
    f"""CREATE TRIGGER IF NOT EXISTS counting_speaker_update AFTER UPDATE ON statements_speaker
        WHEN OLD.country_id IS NOT NEW.country_id OR OLD.organisation_id IS NOT NEW.organisation_id
          OR OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug
        BEGIN INSERT INTO {CHANGE_TABLE} (speaker_id) VALUES (NEW.id); END""",
    f"""CREATE TRIGGER IF NOT EXISTS counting_article_update AFTER UPDATE ON statements_article
        WHEN OLD.source IS NOT NEW.source
        BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) SELECT id FROM statements_quote WHERE article_id = NEW.id; END""",
    # A renamed country, organisation or topic: a row with neither id rereads the labels.
    *(
        f"""CREATE TRIGGER IF NOT EXISTS counting_{table}_update AFTER UPDATE ON {table}
            BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) VALUES (NULL); END"""
        for table in ("statements_country", "statements_organisation", "statements_topic")
    ),
]

POSTGRESQL_TRIGGERS = [
    f"CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} "
    "(id bigserial PRIMARY KEY, quote_id bigint NULL, speaker_id bigint NULL)",
    f"""CREATE OR REPLACE FUNCTION counting_quote_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) VALUES (OLD.id); RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION counting_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') THEN INSERT INTO {CHANGE_TABLE} (quote_id) VALUES (OLD.quote_id); END IF;
          IF TG_OP = 'UPDATE' THEN INSERT INTO {CHANGE_TABLE} (quote_id) VALUES (NEW.quote_id); END IF;
          RETURN NULL;
        END $$""",
    # Links are inserted in bulk by the importer: one statement logs a whole batch.
    f"""CREATE OR REPLACE FUNCTION counting_links_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) SELECT DISTINCT quote_id FROM inserted_links;
        RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION counting_speaker_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO {CHANGE_TABLE} (speaker_id) VALUES (NEW.id); RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION counting_article_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) SELECT id FROM statements_quote WHERE article_id = NEW.id;
        RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION counting_labels_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO {CHANGE_TABLE} (quote_id) VALUES (NULL); RETURN NULL; END $$""",
    "DROP TRIGGER IF EXISTS counting_quote_update ON statements_quote",
    """CREATE TRIGGER counting_quote_update AFTER UPDATE ON statements_quote FOR EACH ROW
        WHEN (OLD.speaker_id IS DISTINCT FROM NEW.speaker_id OR OLD.status IS DISTINCT FROM NEW.status
          OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.said_on IS DISTINCT FROM NEW.said_on
          OR OLD.article_id IS DISTINCT FROM NEW.article_id OR OLD.id IS DISTINCT FROM NEW.id
          OR OLD.is_primary_report IS DISTINCT FROM NEW.is_primary_report)
        EXECUTE FUNCTION counting_quote_changed()""",
    "DROP TRIGGER IF EXISTS counting_quote_delete ON statements_quote",
    """CREATE TRIGGER counting_quote_delete AFTER DELETE ON statements_quote FOR EACH ROW
        EXECUTE FUNCTION counting_quote_changed()""",
    *(
        statement
        for table in LINK_TABLES
        for statement in (
            f"DROP TRIGGER IF EXISTS counting_insert ON {table}",
            f"""CREATE TRIGGER counting_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS inserted_links
                FOR EACH STATEMENT EXECUTE FUNCTION counting_links_inserted()""",
            f"DROP TRIGGER IF EXISTS counting_change ON {table}",
            f"""CREATE TRIGGER counting_change AFTER UPDATE OR DELETE ON {table} FOR EACH ROW
                EXECUTE FUNCTION counting_link_changed()""",
        )
    ),
    "DROP TRIGGER IF EXISTS counting_speaker_update ON statements_speaker",
    """CREATE TRIGGER counting_speaker_update AFTER UPDATE ON statements_speaker FOR EACH ROW
        WHEN (OLD.country_id IS DISTINCT FROM NEW.country_id OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id
          OR OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug)
        EXECUTE FUNCTION counting_speaker_changed()""",
    "DROP TRIGGER IF EXISTS counting_article_update ON statements_article",
    """CREATE TRIGGER counting_article_update AFTER UPDATE ON statements_article FOR EACH ROW
        WHEN (OLD.source IS DISTINCT FROM NEW.source) EXECUTE FUNCTION counting_article_changed()""",
    *(
        statement
        for table in ("statements_country", "statements_organisation", "statements_topic")
        for statement in (
            f"DROP TRIGGER IF EXISTS counting_labels ON {table}",
            f"""CREATE TRIGGER counting_labels AFTER UPDATE ON {table} FOR EACH STATEMENT
                EXECUTE FUNCTION counting_labels_changed()""",
        )
    ),
]


SQLITE_TRIGGER_NAME = re.compile(r"CREATE TRIGGER IF NOT EXISTS (\w+)")


def install_triggers(using=None, **kwargs):
    """The change log and its triggers, (re)made after every `migrate` (a post_migrate receiver):
    on SQLite a migration that rebuilds a table drops the table's triggers with it."""
    from django.db import connections

    db = connections[using or "default"]
    statements = POSTGRESQL_TRIGGERS if db.vendor == "postgresql" else SQLITE_TRIGGERS
    with db.cursor() as cursor:
        for statement in statements:
            if db.vendor == "sqlite" and (name := SQLITE_TRIGGER_NAME.match(statement)):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name[1]}")  # a changed definition replaces the old
            cursor.execute(statement)


# --- the index ------------------------------------------------------------------------------------


class QuoteIndex:
    """Every quote's speaker, topics, events, outlet and day, and the rejected ones, as sets of
    quote ids. (The kind, review-status and reports_min filters are rare, and left to SQL: no index
    serves them.)"""

    def __init__(self):
        self.max_id = 0  # the highest quote id read
        self.last_change = 0  # the last row of the change log applied
        self.all = BitMap()
        self.by_speaker = defaultdict(BitMap)
        self.by_topic = defaultdict(BitMap)
        self.by_event = defaultdict(BitMap)
        self.by_mentioned_country = defaultdict(BitMap)  # the countries a quote's words name
        self.by_mentioned_organisation = defaultdict(BitMap)
        self.by_source = defaultdict(BitMap)
        self.by_status = defaultdict(BitMap)  # only "rejected": what the public does not see
        self.by_day = defaultdict(BitMap)  # date -> ids
        self.by_year = defaultdict(BitMap)
        # Statement grouping: the reports that are not their statement's primary one, which a
        # list of one card per statement leaves out (few: most quotes are reported once).
        self.secondary_reports = BitMap()
        self.speaker_of = array("i")  # quote id -> speaker id (0: none), for counting small sets
        self._by_country = None  # derived from by_speaker and the speakers' countries
        self._by_organisation = None
        self.speakers = {}  # id -> (slug, name, country id, organisation id)
        self.countries = {}  # id -> (code, name)
        self.organisations = {}  # id -> (slug, name)
        self.topics = {}  # id -> (slug, name)
        self.topic_parent = {}  # topic id -> its broad area's id (topics in an area only)
        self.built_in = 0.0

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_by_size", None)  # recomputed from the sets
        state.pop("_sizes_key", None)
        state.pop("_searches", None)
        state.pop("_memos", None)
        return state

    # reading --------------------------------------------------------------------------------------

    @classmethod
    def build(cls, cursor):
        started = time.perf_counter()
        index = cls()
        index.last_change, index.max_id = stamp(cursor)
        index.load_labels(cursor)
        # Everything, not just up to max_id: rows committed since the stamp was read are read
        # again by the next refresh, and adding a quote twice changes nothing.
        index.add_rows(cursor)
        index.compact()
        index.built_in = time.perf_counter() - started
        return index

    def load_labels(self, cursor):
        cursor.execute("SELECT id, slug, name, country_id, organisation_id FROM statements_speaker")
        self.speakers = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT id, code, name FROM statements_country")
        self.countries = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT id, slug, name FROM statements_organisation")
        self.organisations = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT id, slug, name, parent_id FROM statements_topic")
        rows = cursor.fetchall()
        self.topics = {row[0]: row[1:3] for row in rows}
        self.topic_parent = {row[0]: row[3] for row in rows if row[3] is not None}
        self._by_country = self._by_organisation = None

    def add_speakers(self, cursor, ids):
        """Reads the speakers `ids` an import added (and organisations it may have added)."""
        for chunk in batched(sorted(ids), 500):
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT id, slug, name, country_id, organisation_id FROM statements_speaker WHERE id IN ({marks})",
                chunk,
            )
            self.speakers.update((row[0], row[1:]) for row in cursor.fetchall())
        known = [self.speakers[i] for i in ids if i in self.speakers]
        if any(speaker[3] is not None and speaker[3] not in self.organisations for speaker in known):
            cursor.execute("SELECT id, slug, name FROM statements_organisation")
            self.organisations = {row[0]: row[1:] for row in cursor.fetchall()}
        if any(speaker[2] is not None and speaker[2] not in self.countries for speaker in known):
            cursor.execute("SELECT id, code, name FROM statements_country")
            self.countries = {row[0]: row[1:] for row in cursor.fetchall()}

    def add_rows(self, cursor, where="", params=(), link_where="", link_params=()):
        """Reads the quotes matching `where` (about the quote's `id`; all when empty) and their
        links. Narrow queries, each of which SQLite answers from a covering index without reading
        the quotes' text, read in chunks: a million rows at once would leave the worker's heap
        some 150 MB larger for good."""
        where = f"WHERE {where}" if where else ""
        link_where = f"WHERE {link_where}" if link_where else ""
        said_on = "CAST(said_on AS text)" if connection.vendor == "sqlite" else "said_on"  # no date parsing
        cursor.execute(f"SELECT id, speaker_id, {said_on} FROM statements_quote {where}", params)
        for rows in chunks(cursor):
            self._add_quotes(cursor, rows)
        q_where = where.replace("id", "q.id")
        cursor.execute(
            f"SELECT a.source, q.id FROM statements_quote q JOIN statements_article a ON a.id = q.article_id {q_where}",
            params,
        )
        self._add_groups(self.by_source, cursor)
        rejected = f"{where} AND status = %s" if where else "WHERE status = %s"
        cursor.execute(f"SELECT %s, id FROM statements_quote {rejected}", ["rejected", *params, "rejected"])
        self._add_groups(self.by_status, cursor)
        secondary = f"{where} AND NOT is_primary_report" if where else "WHERE NOT is_primary_report"
        cursor.execute(f"SELECT id FROM statements_quote {secondary}", params)
        for rows in chunks(cursor):
            self.secondary_reports.update(row[0] for row in rows)
        for table, column, target in LINKS:
            cursor.execute(f"SELECT {column}, quote_id FROM {table} {link_where}", link_params)
            self._add_groups(getattr(self, target), cursor)
        if any(ids and topic_id not in self.topics for topic_id, ids in self.by_topic.items()):
            self.load_labels(cursor)  # a new topic

    def _add_quotes(self, cursor, rows):
        ids, speakers, days = [], defaultdict(list), defaultdict(list)
        for quote_id, speaker_id, day in rows:
            ids.append(quote_id)
            if speaker_id is not None:
                speakers[speaker_id].append(quote_id)
            if day is not None:
                days[day].append(quote_id)
        self.all.update(ids)
        speaker_of = self.speaker_of
        highest = max(ids)
        if len(speaker_of) <= highest:
            speaker_of.frombytes(bytes(speaker_of.itemsize * (highest + 1 - len(speaker_of))))
        new_speakers = [speaker_id for speaker_id in speakers if speaker_id not in self.speakers]
        if new_speakers:
            self.add_speakers(cursor, new_speakers)
        for speaker_id, quote_ids in speakers.items():
            added = BitMap(quote_ids)
            self.by_speaker[speaker_id] |= added
            for quote_id in quote_ids:
                speaker_of[quote_id] = speaker_id
            self._add_derived(speaker_id, added)
        for day, quote_ids in days.items():
            if isinstance(day, str):
                day = datetime.date.fromisoformat(day)
            added = BitMap(quote_ids)
            self.by_day[day] |= added
            self.by_year[day.year] |= added

    @staticmethod
    def _add_groups(target, cursor):
        for rows in chunks(cursor):
            groups = defaultdict(list)
            for value, quote_id in rows:
                groups[value].append(quote_id)
            for value, quote_ids in groups.items():
                target[value] |= BitMap(quote_ids)

    def compact(self):
        """Sets built piece by piece hold spare room: given back (a third of their memory)."""
        for sets in self.all_sets():
            for ids in sets.values():
                ids.run_optimize()
                ids.shrink_to_fit()

    def all_sets(self):
        return (
            self.by_speaker,
            self.by_topic,
            self.by_event,
            self.by_mentioned_country,
            self.by_mentioned_organisation,
            self.by_source,
            self.by_status,
            self.by_day,
            self.by_year,
            self._by_country or {},
            self._by_organisation or {},
            {0: self.all},
            {0: self.secondary_reports},
        )

    def _add_derived(self, speaker_id, added):
        _, _, country_id, organisation_id = self.speakers.get(speaker_id, (None, None, None, None))
        if self._by_country is not None and country_id is not None:
            self._by_country[country_id] |= added
        if self._by_organisation is not None and organisation_id is not None:
            self._by_organisation[organisation_id] |= added

    def remove(self, quote_ids):
        removed = BitMap(quote_ids)
        for sets in self.all_sets():
            for ids in sets.values():
                ids -= removed
        for quote_id in removed:
            if quote_id < len(self.speaker_of):
                self.speaker_of[quote_id] = 0

    def refresh(self, cursor):
        """Reads what changed since the index last looked; False when it must be built again."""
        last_change, max_id = stamp(cursor)
        if last_change == self.last_change and max_id == self.max_id:
            return True
        if last_change < self.last_change:
            return False  # the log went back (a restored database): nothing said here can be trusted
        changed, speakers_changed = set(), False
        if last_change > self.last_change:
            cursor.execute(
                f"SELECT quote_id, speaker_id FROM {CHANGE_TABLE} WHERE id > %s AND id <= %s",
                [self.last_change, last_change],
            )
            rows = cursor.fetchall()
            for quote_id, _speaker_id in rows:
                if quote_id is None:
                    speakers_changed = True  # a speaker, or a label (neither id)
                elif quote_id <= self.max_id:  # newer quotes are read below anyway
                    changed.add(quote_id)
            if len(changed) > MAX_CHANGES:
                return False
        if max_id < self.max_id and not changed:
            return False
        if changed:
            self.remove(changed)
            for chunk in batched(sorted(changed), 500):
                marks = ",".join(["%s"] * len(chunk))
                self.add_rows(cursor, f"id IN ({marks})", chunk, f"quote_id IN ({marks})", chunk)
        if speakers_changed:
            self.load_labels(cursor)
        if max_id > self.max_id:
            self.add_rows(cursor, "id > %s", [self.max_id], "quote_id > %s", [self.max_id])
        self.max_id, self.last_change = max(max_id, self.max_id), last_change
        return True

    # derived sets ---------------------------------------------------------------------------------

    @property
    def by_country(self):
        if self._by_country is None:
            self._derive()
        return self._by_country

    @property
    def by_organisation(self):
        if self._by_organisation is None:
            self._derive()
        return self._by_organisation

    def _derive(self):
        countries, organisations = defaultdict(list), defaultdict(list)
        for speaker_id, ids in self.by_speaker.items():
            _, _, country_id, organisation_id = self.speakers.get(speaker_id, (None, None, None, None))
            if country_id is not None:
                countries[country_id].append(ids)
            if organisation_id is not None:
                organisations[organisation_id].append(ids)
        self._by_country = defaultdict(BitMap, {key: BitMap.union(*sets) for key, sets in countries.items()})
        self._by_organisation = defaultdict(
            BitMap, {key: BitMap.union(*sets) for key, sets in organisations.items()}
        )

    def page_ids(self, matches, offset, limit, newest=True):
        """`limit` ids of `matches` from `offset`, by day (newest or oldest first) then id the
        same way, undated quotes last: the quote list's order."""
        found = []
        for year in sorted(self.by_year, reverse=newest):
            in_year = matches.intersection_cardinality(self.by_year[year])
            if offset >= in_year:
                offset -= in_year
                continue
            days = [day for day in self.by_day if day.year == year]
            for day in sorted(days, reverse=newest):
                on_day = matches & self.by_day[day]
                if offset >= len(on_day):
                    offset -= len(on_day)
                    continue
                ids = list(on_day)
                if newest:
                    ids.reverse()
                found += ids[offset : offset + limit - len(found)]
                offset = 0
                if len(found) >= limit:
                    return found
        undated = list(matches - BitMap.union(*self.by_year.values())) if self.by_year else list(matches)
        if newest:
            undated.reverse()
        return found + undated[offset : offset + limit - len(found)]

    def search_ids(self, query):
        """search_ids(query), kept for the last few searches until the index changes: an analyst
        combines one word with filter after filter, and a common word's ids cost 50-100 ms."""
        key = (fts_key(query), self.max_id, self.last_change)
        cache_ = self.__dict__.setdefault("_searches", OrderedDict())
        if key in cache_:
            cache_.move_to_end(key)
        else:
            cache_[key] = search_ids(query)
            while len(cache_) > SEARCHES_KEPT:
                cache_.popitem(last=False)
        return cache_[key]

    def remembered(self, key, work_out):
        """work_out(), kept for the last MEMOS_KEPT keys until the index changes: the facets,
        matches and chart of a list a reader comes back to (paging, the back button, a link
        shared in a newsroom) cost nothing the second time, exactly as fresh."""
        key = (key, self.max_id, self.last_change)
        memos = self.__dict__.setdefault("_memos", OrderedDict())
        if key in memos:
            memos.move_to_end(key)
            return memos[key]
        memos[key] = value = work_out()
        while len(memos) > MEMOS_KEPT:
            memos.popitem(last=False)
        return value

    def estimate(self, matches, newest_matches):
        """About how many quotes match when a search was cut to its newest matches
        (`newest_matches`, its SEARCH_CAP newest ids) and `matches` are among those: as many
        again for each part of the archive as large as the part those newest ids span (quotes
        are spread over ids about evenly), to two significant figures."""
        if not newest_matches:
            return len(matches)
        spanned = len(self.all) - self.all.rank(newest_matches.min() - 1)
        estimate = len(matches) * len(self.all) / max(spanned, 1)
        return int(float(f"{estimate:.2g}"))

    def dated_between(self, after=None, before=None):
        """Quotes said on or after `after` and on or before `before` (either may be None)."""
        days = [
            day
            for day in self.by_day
            if (after is None or day >= after) and (before is None or day <= before)
        ]
        whole_years = {day.year for day in days}
        # A year the range covers whole comes from its year set, the rest day by day.
        if after is not None and after > datetime.date(after.year, 1, 1):
            whole_years.discard(after.year)
        if before is not None and before < datetime.date(before.year, 12, 31):
            whole_years.discard(before.year)
        sets = [self.by_year[year] for year in whole_years]
        sets += [self.by_day[day] for day in days if day.year not in whole_years]
        return BitMap.union(*sets) if sets else BitMap()

    # answering ------------------------------------------------------------------------------------

    def matching(self, filters, search_ids=None, staff=False, grouped=False):
        """The ids of the quotes matching `filters` (the quote list's cleaned values: lists of
        model instances or outlets for the repeatable filters, `-name` for those left out, dates)
        and `search_ids`, those a visitor may see; `grouped`: only each statement's primary report
        (QuoteFilter.grouped)."""
        sets, left_out = [], []
        for name in REPEATABLE:
            if filters.get(name):
                sets.append(self.any_of(name, filters[name]))
            if filters.get(NOT + name):
                left_out.append(self.any_of(name, filters[NOT + name]))
        if filters.get("said_after") or filters.get("said_before"):
            sets.append(self.dated_between(filters.get("said_after"), filters.get("said_before")))
        if search_ids is not None:
            sets.append(search_ids)
        if not sets:
            matches = self.all.copy()
        else:
            sets.sort(key=len)
            matches = sets[0] & self.all
            for ids in sets[1:]:
                matches &= ids
        for ids in left_out:
            matches -= ids
        if not staff:
            matches -= self.by_status.get("rejected", EMPTY)
        if grouped:
            matches -= self.secondary_reports
        return matches

    def any_of(self, name, values):
        """The quotes matching any of `values` (one, or several) of the filter `name`."""
        values = [values] if isinstance(values, str) else as_list(values)
        if name == "source":
            wanted = {source.lower() for source in values}
            sets = [ids for source, ids in self.by_source.items() if source.lower() in wanted]
        elif name == "mentions":
            sets = [
                (
                    self.by_mentioned_country
                    if isinstance(actor, Country)
                    else self.by_mentioned_organisation
                ).get(actor.pk, EMPTY)
                for actor in values
            ]
        elif name == "topic":
            sets = [self.topic_ids(topic.pk) for topic in values]  # a broad area with its topics
        else:
            by_value = getattr(self, SETS_OF[name])
            sets = [by_value.get(value.pk, EMPTY) for value in values]
        if len(sets) == 1:
            return sets[0]
        return BitMap.union(*sets) if sets else BitMap()

    def topic_ids(self, topic_id):
        """The quotes of a topic, and of a broad area's topics too: an area's set is the union of
        its own and its children's."""
        children = [child for child, area in self.topic_parent.items() if area == topic_id]
        if not children:
            return self.by_topic.get(topic_id, EMPTY)
        return self.remembered(
            ("area", topic_id),
            lambda: BitMap.union(
                self.by_topic.get(topic_id, EMPTY), *(self.by_topic.get(c, EMPTY) for c in children)
            ),
        )

    def facets(self, matches, names):
        """Counts of `matches` by each facet in `names`, in quote_facets' shape."""
        facets = {}
        # A small set of matches is walked once for its speakers, whose counts add up to their
        # countries' and organisations'; a large one is intersected with each value's set.
        by_speaker = self._count_speakers(matches) if len(matches) <= WALK_MATCHES_UP_TO else None
        if "country" in names:
            if by_speaker is not None:
                counts = self._rolled_up(by_speaker, 2)
            else:
                counts = self._counts(matches, self.by_country)
            facets["country"] = self._top(counts, self.countries)
        if "organisation" in names:
            if by_speaker is not None:
                counts = self._rolled_up(by_speaker, 3)
            else:
                counts = self._counts(matches, self.by_organisation)
            facets["organisation"] = self._top(counts, self.organisations)
        if "topic" in names:
            counts = self._counts(matches, self.by_topic)
            for area in set(self.topic_parent.values()):
                n = matches.intersection_cardinality(self.topic_ids(area))
                if n:
                    counts[area] = n
            labels = {
                key: (slug, f"{self.topics[self.topic_parent[key]][1]} › {name}")
                if self.topic_parent.get(key) in self.topics
                else (slug, name)
                for key, (slug, name) in self.topics.items()
            }
            facets["topic"] = self._top(counts, labels)
        if "speaker" in names:
            counts = by_speaker if by_speaker is not None else self._top_speaker_counts(matches)
            facets["speaker"] = self._top(counts, self.speakers)
        if "source" in names:
            counts = self._counts(matches, self.by_source)
            counts.pop("", None)
            facets["source"] = self._top(counts, {source: (source, source) for source in counts})
        if "mentions" in names:
            counts = {
                ("country", key): n for key, n in self._counts(matches, self.by_mentioned_country).items()
            }
            counts.update(
                (("organisation", key), n)
                for key, n in self._counts(matches, self.by_mentioned_organisation).items()
            )
            labels = {("country", key): (code, name) for key, (code, name) in self.countries.items()}
            labels.update((("organisation", key), label) for key, label in self.organisations.items())
            facets["mentions"] = self._top(counts, labels)
        if "year" in names:
            counts = self._counts(matches, self.by_year)
            facets["year"] = [
                {"value": str(year), "label": str(year), "count": counts[year]}
                for year in sorted(counts, reverse=True)
            ][:FACET_SIZE]
        return facets

    @staticmethod
    def _counts(matches, sets):
        counts = {}
        for key, ids in sets.items():
            n = matches.intersection_cardinality(ids)
            if n:
                counts[key] = n
        return counts

    def _count_speakers(self, matches):
        speaker_of, counts = self.speaker_of, defaultdict(int)
        for quote_id in matches:
            counts[speaker_of[quote_id]] += 1
        counts.pop(0, None)  # no speaker
        return counts

    def _rolled_up(self, by_speaker, field):
        """Speakers' counts added up by their country (`field` 2) or organisation (3)."""
        counts = defaultdict(int)
        for speaker_id, n in by_speaker.items():
            speaker = self.speakers.get(speaker_id)
            if speaker is not None and speaker[field] is not None:
                counts[speaker[field]] += n
        return counts

    @staticmethod
    def _top(counts, labels):
        """The FACET_SIZE values with the most quotes, ties by label; `labels`: key -> (value, label)."""
        ranked = sorted(
            (key for key in counts if key in labels), key=lambda key: (-counts[key], labels[key][1])
        )
        return [
            {"value": labels[key][0], "label": labels[key][1], "count": counts[key]}
            for key in ranked[:FACET_SIZE]
        ]

    def _top_speaker_counts(self, matches):
        """Counts of the speakers that can rank among the first FACET_SIZE: the largest sets
        first, and once a set is smaller than the tenth count so far no smaller one can reach it
        (ties at that count still come in, for ordering by name)."""
        counts, best = {}, []
        for speaker_id, ids in self.speakers_by_size():
            if len(best) >= FACET_SIZE and len(ids) < best[FACET_SIZE - 1]:
                break
            n = matches.intersection_cardinality(ids)
            if n:
                counts[speaker_id] = n
                if len(best) < FACET_SIZE or n > best[-1]:
                    best = sorted([*best, n], reverse=True)[:FACET_SIZE]
        return counts

    def speakers_by_size(self):
        # Recomputed at most once per change of the index's size: cheap next to a request's counting.
        key = (self.max_id, self.last_change, len(self.all))
        if getattr(self, "_sizes_key", None) != key:
            self._by_size = sorted(self.by_speaker.items(), key=lambda item: -len(item[1]))
            self._sizes_key = key
        return self._by_size

    def memory_bytes(self):
        """About how much memory the sets take (their serialized size, close to what they hold)."""
        if self._by_country is None:
            self._derive()
        total = 0
        for sets in self.all_sets():
            total += sum(len(ids.serialize()) for ids in sets.values())
        return total + self.speaker_of.itemsize * len(self.speaker_of)


def chunks(cursor, size=20_000):
    """The rows of the last query, `size` at a time."""
    while rows := cursor.fetchmany(size):
        yield rows


def stamp(cursor):
    """(last change logged, highest quote id): what tells the index whether anything changed."""
    cursor.execute(f"SELECT (SELECT max(id) FROM {CHANGE_TABLE}), (SELECT max(id) FROM statements_quote)")
    last_change, max_id = cursor.fetchone()
    return last_change or 0, max_id or 0


def fts_key(query):
    return (
        search.websearch_expression(query)
        if connection.vendor == "postgresql"
        else search.fts5_expression(query)
    )


def search_ids(query, cap=None):
    """(the ids of quotes matching the search `query`, the newest `cap` (SEARCH_CAP) of them;
    whether there were more)."""
    cap = SEARCH_CAP if cap is None else cap
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM statements_quote WHERE search_vector @@ websearch_to_tsquery('english', %s) "
                "ORDER BY id DESC LIMIT %s",
                [search.websearch_expression(query), cap + 1],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM statements_quote_fts WHERE statements_quote_fts MATCH %s "
                "ORDER BY rowid DESC LIMIT %s",
                [search.fts5_expression(query), cap + 1],
            )
        ids = [row[0] for row in cursor.fetchall()]
    return BitMap(ids[:cap]), len(ids) > cap


# --- one index per process ------------------------------------------------------------------------


# How long other processes leave the build to the one that started it before building themselves.
BUILD_TIMEOUT = 300


# Part of the cache key of the index's copy: change it when QuoteIndex's attributes change, so a
# process never loads a copy an older version of this module left.
SNAPSHOT_VERSION = 4  # 2: topic_parent; 3: secondary_reports (statement grouping); 4: mentions


def snapshot_key():
    return f"counting-index:v{SNAPSHOT_VERSION}:{connection.settings_dict['NAME']}"


class Holder:
    """This process's index, refreshed by each request that uses it. On a large database one
    process builds it, in a thread, and leaves a copy in the cache (shared by the workers with
    CACHE_DIR or CACHE_URL): the others load that copy and catch up from the change log, which
    costs a fraction of a build, and their sets are compact (a build leaves its heap larger)."""

    def __init__(self):
        self.index = None
        self.lock = threading.Lock()
        self.building = False
        self.change_log_checked = None  # (when, whether the table is there)

    def current(self):
        """The index, current as of now; None while it is being built in the background."""
        with self.lock:
            if self.index is not None:
                with connection.cursor() as cursor:
                    if self.index.refresh(cursor):
                        return self.index
                self.index = None  # too much changed: built again below
            if self.building:
                return None
            with connection.cursor() as cursor:
                _, max_id = stamp(cursor)
                if max_id <= BACKGROUND_BUILD_ABOVE:
                    self.index = QuoteIndex.build(cursor)
                    return self.index
                self.index = self._from_snapshot(cursor)
            if self.index is not None:
                return self.index
            if not cache.add(snapshot_key() + ":building", True, BUILD_TIMEOUT):
                return None  # another process is building it
            self.building = True
        threading.Thread(target=self._build_in_background, daemon=True).start()
        return None

    def _from_snapshot(self, cursor):
        if not cache.get(snapshot_key() + ":ready"):  # a small key, before a large value
            return None
        data = cache.get(snapshot_key())
        if data is None:
            return None
        try:
            index = pickle.loads(data)
        except Exception:
            log.warning("counting index: unreadable snapshot", exc_info=True)
            return None
        return index if index.refresh(cursor) else None

    def _build_in_background(self):
        from django.db import connection as thread_connection  # this thread's own connection

        try:
            with thread_connection.cursor() as cursor:
                index = QuoteIndex.build(cursor)
            index.by_country  # noqa: B018 - derived now, so that the snapshot holds them too
            index.compact()
            log.info("counting index: %s quotes in %.1f s", len(index.all), index.built_in)
            with self.lock:
                self.index = index
            cache.set(snapshot_key(), pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL), None)
            cache.set(snapshot_key() + ":ready", True, None)
        except Exception:
            log.exception("counting index: build failed")
        finally:
            thread_connection.close()
            cache.delete(snapshot_key() + ":building")
            with self.lock:
                self.building = False

    def forget(self):
        with self.lock:
            self.index = None
            self.change_log_checked = None


holder = Holder()


def has_change_log():
    """Whether the database has the change log (it was migrated since counting came), looked up
    once a minute: a failing query would abort the request's transaction on PostgreSQL."""
    now = time.monotonic()
    if holder.change_log_checked is None or now - holder.change_log_checked[0] > 60:
        holder.change_log_checked = (now, CHANGE_TABLE in connection.introspection.table_names())
    return holder.change_log_checked[1]


def current_index(wait=False):
    """This process's index, or None if it cannot answer yet (building, or no change log: the
    database was not migrated since counting came). `wait`: build it now whatever the size."""
    if not has_change_log():
        return None
    try:
        if wait:
            with holder.lock:
                if holder.index is None:
                    with connection.cursor() as cursor:
                        holder.index = QuoteIndex.build(cursor)
        return holder.current()
    except DatabaseError:
        log.warning("counting index unavailable: is the database migrated?", exc_info=True)
        return None


def matches_for(filterset):
    """(index, ids of the quotes the quote list `filterset` (a QuoteFilter) matches, whether a
    common search was cut to its newest SEARCH_CAP matches), worked out once a request; None when
    the index cannot answer (still building, switched off, a filter it does not hold)."""
    if not hasattr(filterset, "_counting_matches"):
        filterset._counting_matches = _matches_for(filterset)
    return filterset._counting_matches


def _matches_for(filterset):
    if switched_off():
        return None
    filters = filterset.cleaned()
    if (
        filterset.fixed
        or filters.get("kind")
        or filters.get("status")
        or filters.get("document")
        or filters.get("reports_min")
    ):
        # a page of one speaker (its base queryset is not in the filters), or a filter the index
        # does not hold
        return None
    index = current_index()
    if index is None:
        return None
    user = getattr(filterset, "request", None) and getattr(filterset.request, "user", None)
    staff = bool(user is not None and user.is_staff)
    query = filterset.search_query
    key = ("matches", filters_key(filters), fts_key(query) if query else None, staff, filterset.grouped)

    def work_out():
        ids, sampled = (None, False)
        if filterset.search_query:
            ids, sampled = index.search_ids(filterset.search_query)
        return index.matching(filters, ids, staff=staff, grouped=filterset.grouped), sampled, key

    matches, sampled, key = index.remembered(key, work_out)
    filterset._counting_key = key  # what the facets and the chart of these matches are kept by
    return index, matches, sampled


def filters_key(filters):
    """The cleaned filters as a key: model instances by their primary key, lists as tuples."""

    def part(value):
        if hasattr(value, "_meta"):
            return (value._meta.model_name, value.pk)
        if isinstance(value, str) or not hasattr(value, "__iter__"):
            try:
                hash(value)
            except TypeError:  # a parsed search (the words are in the key already): by its repr
                return repr(value)
            return value
        return tuple(sorted((part(item) for item in value), key=repr))  # a list, or a QuerySet

    return tuple(
        sorted((name, part(value)) for name, value in filters.items() if value not in (None, "", []))
    )


def switched_off():
    """COUNTING_INDEX=off: pages count with SQL, to measure what the index saves (bench_explore.py)."""
    return os.environ.get("COUNTING_INDEX", "on").lower() in ("0", "off", "false", "no")


def event_quote_counts(events, user):
    """{event pk: its quotes `user` may see} from the index (a set's size: no COUNT over the
    links of an event with tens of thousands of quotes); None when the index cannot answer."""
    index = None if switched_off() else current_index()
    if index is None:
        return None
    hidden = EMPTY if user is not None and user.is_staff else index.by_status.get("rejected", EMPTY)
    return {event.pk: len(index.by_event.get(event.pk, EMPTY) - hidden) for event in events}


def quote_facets(filterset, names):
    """Facet counts for the quote list `filterset` from the index, in the shape of
    queries.quote_facets, plus "total" (how many quotes match, exact unless "sampled"); None
    when the index cannot answer, and the caller counts with SQL."""
    found = matches_for(filterset)
    if found is None:
        return None
    index, matches, sampled = found

    def work_out():
        facets = index.facets(matches, names)
        facets.update(sampled=sampled, sample_size=SEARCH_CAP, total=len(matches), counted_with="index")
        if sampled:
            facets["estimate"] = index.estimate(matches, index.search_ids(filterset.search_query)[0])
        return facets

    # a copy: the view adds to it
    return dict(index.remembered(("facets", filterset._counting_key, tuple(names)), work_out))


def quote_page(filterset, number):
    """Page `number` of the quote list `filterset`, sorted by date, found in the index: the
    page's ids by walking the days (and first the years) from the newest or the oldest, skipping
    whole days by their counts, so page 300 costs what page 1 does; then the page's rows by id.
    None when the index cannot answer, or for a list sorted by best match or a search cut to a
    sample (the database sorts those)."""
    if filterset.sort_order not in ("newest", "oldest"):
        return None
    found = matches_for(filterset)
    if found is None or found[2]:
        return None
    index, matches, _ = found
    ids = index.page_ids(
        matches, (number - 1) * PAGE_SIZE, PAGE_SIZE + 1, newest=filterset.sort_order == "newest"
    )
    rows = Quote.objects.for_listing().in_bulk(ids[:PAGE_SIZE])
    # a quote deleted since the index looked is left out
    items = [rows[pk] for pk in ids[:PAGE_SIZE] if pk in rows]
    return Page(number=number, items=items, has_next=len(ids) > PAGE_SIZE)


# --- volume over time (the charts; issue 20 item 7) ----------------------------------------------

# A chart has a bar per day when its quotes span at most DAILY_UP_TO days, per month up to
# MONTHLY_UP_TO months, else per year: a few dozen to about a hundred bars.
DAILY_UP_TO = 62
MONTHLY_UP_TO = 120


def month_start(day):
    return day.replace(day=1)


def next_period(start, unit):
    if unit == "day":
        return start + datetime.timedelta(days=1)
    if unit == "month":
        return (
            start.replace(year=start.year + 1, month=1)
            if start.month == 12
            else start.replace(month=start.month + 1)
        )
    return start.replace(year=start.year + 1)


def periods(first, last, unit):
    """The first day of every period from the one holding `first` to the one holding `last`."""
    start = {"day": first, "month": month_start(first), "year": first.replace(month=1, day=1)}[unit]
    found = []
    while start <= last:
        found.append(start)
        start = next_period(start, unit)
    return found


def unit_for(first, last):
    """ "day", "month" or "year": the finest unit that draws the span in a readable number of bars."""
    if (last - first).days < DAILY_UP_TO:
        return "day"
    if (last.year - first.year) * 12 + last.month - first.month < MONTHLY_UP_TO:
        return "month"
    return "year"


class Volume:
    """Counts of quotes per period: `unit` ("day", "month", "year") and [(first day, count)],
    every period from the first dated match to the last (gaps as 0)."""

    def __init__(self, unit, counts, sampled=False):
        self.unit = unit
        self.counts = counts
        self.sampled = sampled  # counts of a common search's newest SEARCH_CAP matches only

    @classmethod
    def from_days(cls, day_counts, unit=None, span=None):
        """The Volume of {day: count} (what SQL counts give), as volume_of() draws it."""
        span = span or ((min(day_counts), max(day_counts)) if day_counts else None)
        if span is None:
            return cls(unit or "month", [])
        unit = unit or unit_for(*span)
        totals = dict.fromkeys(periods(*span, unit), 0)
        for day, count in day_counts.items():
            start = periods(day, day, unit)[0]
            if start in totals:
                totals[start] += count
        return cls(unit, list(totals.items()))

    def __bool__(self):
        return bool(self.counts)

    @property
    def span(self):
        return (self.counts[0][0], next_period(self.counts[-1][0], self.unit) - datetime.timedelta(days=1))


def dated_span(index, matches):
    """(first, last) day among `matches`, or None: years by their counts, then that year's days."""
    years = [year for year in sorted(index.by_year) if matches.intersection_cardinality(index.by_year[year])]
    if not years:
        return None
    first_days = sorted(day for day in index.by_day if day.year == years[0])
    last_days = sorted((day for day in index.by_day if day.year == years[-1]), reverse=True)
    first = next(day for day in first_days if matches.intersection_cardinality(index.by_day[day]))
    last = next(day for day in last_days if matches.intersection_cardinality(index.by_day[day]))
    return first, last


def month_sets(index):
    """{first of month: ids}, the union of each month's day sets; made again when the index changes
    (once an import, tens of milliseconds at a million quotes)."""
    key = (index.max_id, index.last_change, len(index.all))
    cached_ = index.__dict__.get("_month_sets")
    if cached_ is None or cached_[0] != key:
        days_by_month = defaultdict(list)
        for day, ids in index.by_day.items():
            days_by_month[month_start(day)].append(ids)
        cached_ = (key, {month: BitMap.union(*sets) for month, sets in days_by_month.items()})
        index.__dict__["_month_sets"] = cached_
    return cached_[1]


def volume_of(index, matches, unit=None, span=None):
    """The Volume of `matches` (a BitMap), in `unit` over `span` ((first, last) days) when given
    (a comparison draws both sides alike), else the matches' own."""
    span = span or dated_span(index, matches)
    if span is None:
        return Volume(unit or "month", [])
    unit = unit or unit_for(*span)
    sets = {"day": index.by_day, "month": month_sets(index), "year": index.by_year}[unit]
    counts = []
    for start in periods(*span, unit):
        ids = sets.get(start.year if unit == "year" else start)
        counts.append((start, matches.intersection_cardinality(ids) if ids is not None else 0))
    return Volume(unit, counts)


# The sets a page's pinned value is found in (its queryset's own filter, not a URL parameter).
PINNED_SETS = {"speaker": "by_speaker"}


def matches_pinned(filterset, pinned):
    """The ids matching a page's list whose base is pinned to one value (a speaker page: `pinned`
    is {"speaker": the speaker}): the list's filters' matches within the value's set; None when
    the index cannot answer."""
    filters = filterset.cleaned()
    if filters.get("kind") or filters.get("status"):
        return None
    index = current_index()
    if index is None:
        return None
    ids = index.search_ids(filterset.search_query)[0] if filterset.search_query else None
    user = getattr(filterset.request, "user", None)
    matches = index.matching(filters, ids, staff=bool(user is not None and user.is_staff))
    for name, value in pinned.items():
        matches &= getattr(index, PINNED_SETS[name]).get(value.pk, EMPTY)
    return index, matches


def volume(filterset, pinned=None, unit=None, span=None):
    """The Volume of the quote list `filterset` from the index (`pinned`: see matches_pinned), or
    None when the index cannot answer (the caller counts with SQL, or draws no chart)."""
    sampled = False
    if pinned:
        found = matches_pinned(filterset, pinned)
    else:
        found = matches_for(filterset)
        if found is not None:
            found, sampled = found[:2], found[2]
    if found is None:
        return None
    index, matches = found
    if pinned:
        chart = volume_of(index, matches, unit, span)
    else:
        key = ("volume", filterset._counting_key, unit, span)
        chart = copy.copy(index.remembered(key, lambda: volume_of(index, matches, unit, span)))
    chart.sampled = sampled
    return chart
