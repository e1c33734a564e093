"""The only module of the importer that writes to the database: idempotent upserts.

- An article is matched by its external id; an unchanged content hash means nothing to do.
- A changed article is updated and its quotes re-extracted, except quotes an editor curated, which
  stay exactly as they are (and new quotes overlapping them are not added).
- Speakers are one row per canonical name across articles; a curated speaker is never overwritten.
  Each part of an uncurated speaker's description (name, role, organisation, country) comes from
  the latest article that gives it, latest by (published, external id), whatever order the
  articles are imported in; aliases are every other name seen, sorted.
- Organisations the reference data lacks are created and flagged for an editor.
- A speaker's quote_count is kept in the transaction that adds or removes its quotes, so it is
  right after a crash or an interrupted import: the quotes a batch adds are added to it, and it is
  recounted when the batch removes or moves stored quotes.

Several importers may run at once on one database: each batch's transaction first takes the
import lock (PostgreSQL: an advisory transaction lock; SQLite: the write lock its IMMEDIATE
transactions take) and then reads what it needs (stored hashes, speakers, organisations created
since) inside the lock, so two imports end with what one import of both inputs gives.
"""

import datetime
import functools
import hashlib
import json
import operator
from collections import Counter
from types import SimpleNamespace

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from statements import names
from statements.batching import batched
from statements.curation import recount_quotes
from statements.ingest import grouping
from statements.ingest.identity import SpeakerIndex, slug_for
from statements.models import (
    Article,
    Country,
    Event,
    Organisation,
    Quote,
    QuoteEvent,
    Speaker,
    SpeakerNameKey,
    Statement,
    Topic,
    unique_slug,
)
from statements.text import fold

# pg_advisory_xact_lock key held by an importer's write transaction (any constant of our own).
IMPORT_LOCK_KEY = 7_215_300_412
# What describe() may change on a known speaker, and fill_derived_fields() after it.
DESCRIPTION_FIELDS = (
    "name",
    "kind",
    "aliases",
    "role",
    "organisation",
    "country",
    "search_text",
    "description_keys",
)
# Slugs looked up per query: well under SQLite's limit on query parameters.
LOOKUP_CHUNK = 900


def take_import_lock():
    """Makes the current transaction wait for, then exclude, other importers' write transactions.
    PostgreSQL: an advisory lock, released at commit or rollback. SQLite: nothing to do, its
    transactions are IMMEDIATE (settings), so a transaction already holds the database's write lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_import_lock() outside a transaction would lock nothing")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def description_key(article):
    """Orders articles for speaker descriptions: the latest published wins, then the external id;
    a string so that it is kept on the Speaker and compared as text ("2016-10-04 000_6de.txt")."""
    published = article.published.isoformat() if article.published else "0000-00-00"
    return f"{published} {article.external_id}"


def describe(speaker, mention, organisation, country, key):
    """Applies an article's description of an uncurated speaker: each part the article gives
    replaces the speaker's unless it came from a later article (`key`, see description_key), so
    the result does not depend on import order; whether anything changed."""
    keys = dict(speaker.description_keys)
    names = {speaker.name, *speaker.aliases, mention.name[:200], *mention.aliases} - {""}
    kind = Speaker.Kind.ORGANISATION if mention.is_organisation else Speaker.Kind.PERSON
    parts = [
        ("name", {"name": mention.name[:200], "kind": kind}),
        ("role", {"role": mention.role[:300]}),
        ("organisation", {"organisation": organisation}),
        ("country", {"country": country}),
    ]
    # An organisation brings its own country, none for an international body ("IMF Managing
    # Director"): the country goes with it, so an earlier article's country does not stay.
    # A mention linked to the record under another form ("Obama", "Dmitri Peskov") adds an alias
    # and leaves the name alone.
    given = {
        "name": slug_for(mention) == speaker.slug,
        "role": bool(mention.role),
        "organisation": organisation is not None,
        "country": country is not None or organisation is not None,
    }
    changed = False
    for part, values in parts:
        if not given[part] or key < keys.get(part, ""):
            continue
        for field, value in values.items():
            if getattr(speaker, field) != value:
                setattr(speaker, field, value)
                changed = True
        keys[part] = key
    aliases = sorted(names - {speaker.name})
    if aliases != speaker.aliases or keys != speaker.description_keys:
        speaker.aliases, speaker.description_keys = aliases, keys
        changed = True
    return changed


def names_of(speaker):
    """What a speaker's name keys (SpeakerNameKey) are made of."""
    return speaker.name, tuple(speaker.aliases)


def content_hash(raw):
    """Changes whenever anything the importer reads from the input changes."""
    payload = json.dumps(
        [raw.text, raw.title, raw.published.isoformat() if raw.published else None, raw.source, raw.url],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ArticleStore:
    """Writes processed articles, a batch per transaction (see begin()). Keeps lookup caches that
    only grow (countries, organisations, topics, events); what another importer may change at the
    same time (stored articles, speakers) is read again inside each batch's transaction."""

    def __init__(self):
        self.created = {"speakers": 0, "organisations": 0, "events": 0}
        self.load()

    def load(self):
        """Reads the lookup caches; again after a rolled-back transaction (forget)."""
        self.countries = {c.code: c for c in Country.objects.all()}
        self.countries_by_pk = {c.pk: c for c in self.countries.values()}
        self.organisations = {}
        self.organisations_by_pk = {}
        self.organisation_slugs = set()  # taken slugs, so that a new organisation's costs no query
        self.organisations_read_to = 0  # the highest Organisation pk read into the cache
        self.read_new_organisations()
        self.topics = dict(Topic.objects.values_list("slug", "pk"))
        self.events = dict(Event.objects.values_list("slug", "pk"))
        self.speakers = {}  # slug -> Speaker, read by begin() for the batch
        self.index = SpeakerIndex()
        self.described = {}  # slug -> known Speaker whose description changed, written by flush()
        # pk -> Speaker whose name keys (SpeakerNameKey) flush() writes again: new speakers, and
        # known ones with a new name or alias; once a batch rather than once an article.
        self.name_keys_due = {}
        self.names_read = {}  # pk -> names_of() a known speaker as begin() read it
        self.queued = []  # (QueuedQuote, ExtractedQuote) to insert at flush()
        # Records the batch creates, inserted at flush() in one statement each rather than one an
        # article: the quotes that point to them are only inserted then too.
        self.new_articles = []  # (Article, its candidate events)
        self.new_speakers = []
        self.new_organisations = []
        self.keys_of_new_speakers = []  # inserted speakers whose name keys flush() writes
        self.touched_speakers = set()  # pks whose stored quotes the batch removes or moves: recounted
        self.touched_statements = set()  # statements whose reports the batch removes
        # quote pk -> its word trigrams: consecutive batches read many of the same reports around them
        self.trigrams = {}

    def forget(self, created):
        """After a rollback: drop what the cached and queued objects say was written, and go back
        to the `created` counts of before."""
        self.load()
        self.created = dict(created)

    def read_new_organisations(self):
        for org in Organisation.objects.filter(pk__gt=self.organisations_read_to).order_by("pk"):
            for name in [org.name, *org.aliases]:
                self.organisations.setdefault(fold(name), org)
            self.organisation_slugs.add(org.slug)
            self.organisations_by_pk[org.pk] = org
            self.organisations_read_to = org.pk

    def with_related(self, speaker):
        """The speaker with its organisation and country, which describe() compares, from the
        caches: a join in the query made three objects a row, the import's costliest read."""
        if speaker.organisation_id in self.organisations_by_pk:
            speaker.organisation = self.organisations_by_pk[speaker.organisation_id]
        if speaker.country_id in self.countries_by_pk:
            speaker.country = self.countries_by_pk[speaker.country_id]
        return speaker

    def existing_hashes(self, external_ids):
        """{external id: content hash} of the articles already stored, in one query."""
        return dict(
            Article.objects.filter(external_id__in=external_ids).values_list("external_id", "content_hash")
        )

    def begin(self, processed_articles):
        """Starts writing a batch; call it first inside the batch's transaction. Takes the import
        lock, then reads what another importer may have written since: organisations, and the
        speakers the batch names. Returns existing_hashes() of the batch's articles, read under
        the lock, for the caller to decide again which articles are new or unchanged."""
        take_import_lock()
        self.read_new_organisations()
        self.index.read_new()
        # each mention once: a batch names most of its speakers several times
        mentions = {
            item.speaker
            for processed in processed_articles
            for item in processed.quotes
            if item.speaker and not item.speaker.is_unnamed
        }
        slugs = sorted({self.index.slug_for(mention) for mention in mentions})
        self.speakers = {}
        for i in range(0, len(slugs), LOOKUP_CHUNK):
            found = Speaker.objects.filter(slug__in=slugs[i : i + LOOKUP_CHUNK])
            self.speakers.update((speaker.slug, self.with_related(speaker)) for speaker in found)
        self.touched_speakers = set()
        self.names_read = {speaker.pk: names_of(speaker) for speaker in self.speakers.values()}
        return self.existing_hashes([processed.article.external_id for processed in processed_articles])

    def save(self, processed, digest, is_new):
        """Saves one article and its quotes. Returns ("new" or "updated", quotes saved).
        `is_new`: the caller already knows (from existing_hash) that no article has this id."""
        parsed = processed.article
        # sources.py already cut the metadata to these lengths; the dateline is short by its pattern.
        fields = {
            "source": parsed.source[:100],
            "title": parsed.title[:500],
            "published": parsed.published,
            "published_inferred": parsed.published_inferred,
            "dateline": parsed.dateline[:100],
            "url": parsed.url,
            "body": parsed.text,
            "content_hash": digest,
            "needs_review": bool(parsed.review_reasons),
            "review_note": "; ".join(parsed.review_reasons),
            "kind": parsed.kind,  # primary sources: news, transcript, statement or readout
        }
        if is_new:
            article, created = Article(external_id=parsed.external_id, **fields), True
            self.new_articles.append((article, processed.candidate_events))
        else:
            article, created = Article.objects.update_or_create(
                external_id=parsed.external_id, defaults=fields
            )
        curated_spans = []
        if not created:
            curated_spans = list(article.quotes.filter(curated=True).values_list("start", "end"))
            stale = article.quotes.filter(curated=False)
            for speaker_id, statement_id in stale.values_list("speaker_id", "statement_id"):
                if speaker_id is not None:
                    self.touched_speakers.add(speaker_id)
                if statement_id is not None:
                    self.touched_statements.add(statement_id)
            stale.delete()
            self.save_candidate_events(article, processed.candidate_events)
        queued = self.queue_quotes(article, processed.quotes, curated_spans)
        return ("new" if created else "updated"), queued

    def queue_quotes(self, article, extracted, curated_spans):
        """Creates the quotes' speakers and queues the quotes for flush(); how many."""
        extracted = [
            item
            for item in extracted
            if not any(item.span.start < end and start < item.span.end for start, end in curated_spans)
        ]
        # an unnamed source gets no Speaker row: the quote keeps the article's description
        mentions = [item.speaker for item in extracted if item.speaker and not item.speaker.is_unnamed]
        # each mention's record, decided once: the index learns the article's new names meanwhile
        speakers = dict(zip(map(id, mentions), self.speakers_for(mentions, description_key(article))))
        rows, links = [], []
        for item in extracted:
            span = item.span
            mention = item.speaker
            speaker = speakers[id(mention)] if mention and not mention.is_unnamed else None
            role = (mention.name if mention.is_unnamed else mention.role) if mention else ""
            organisation = (mention.organisation or "") if mention else ""
            rows.append(
                QueuedQuote(
                    article=article,
                    speaker=speaker,
                    speaker_role=role[:300],
                    speaker_organisation=organisation[:200],
                    text=span.text,
                    kind=span.kind,
                    start=span.start,
                    end=span.end,
                    said_on=item.said_on or article.published,
                    verb=item.verb[:60],
                    confidence=item.confidence,
                    question=item.question or None,  # a transcript turn's question
                )
            )
            links.append(item)
        self.queued.extend(zip(rows, links))
        return len(rows)

    def flush(self):
        """Inserts the queued quotes with their topics and events, writes the new descriptions
        of known speakers and recounts the quotes of the speakers the batch touched: a few queries
        for a batch of articles instead of a few for each, in the batch's transaction."""
        self.insert_new_records()
        saved = insert_rows(Quote, [quote for quote, _ in self.queued])
        topic_rows, event_rows = [], []
        country_rows, organisation_rows = self.mention_rows(saved, [item for _, item in self.queued])
        for quote, (_, item) in zip(saved, self.queued):
            for slug in dict.fromkeys(item.topics):
                if slug in self.topics:
                    topic_rows.append((quote.pk, self.topics[slug]))
            for slug, confidence in item.events:
                if slug in self.events:
                    event_rows.append(
                        QuoteEvent(quote_id=quote.pk, event_id=self.events[slug], confidence=confidence)
                    )
        insert_links(Quote.topics.through, ("quote", "topic"), topic_rows)
        QuoteEvent.objects.bulk_create(event_rows, batch_size=500, ignore_conflicts=True)
        insert_links(Quote.mentioned_countries.through, ("quote", "country"), country_rows)
        insert_links(Quote.mentioned_organisations.through, ("quote", "organisation"), organisation_rows)
        self.queued.clear()
        for speaker in self.described.values():
            speaker.fill_derived_fields()
        update_rows(Speaker, DESCRIPTION_FIELDS, self.described.values())
        # a known speaker's keys are written again only when a name or an alias changed
        self.name_keys_due.update(
            (speaker.pk, speaker)
            for speaker in self.described.values()
            if names_of(speaker) != self.names_read.get(speaker.pk)
        )
        SpeakerNameKey.refresh(self.name_keys_due.values())
        # a new speaker has no keys to delete first (unless a surname's record joined it: refreshed)
        insert_rows(
            SpeakerNameKey,
            [
                # rows, not model instances: building thousands of those cost more than their insert
                SimpleNamespace(speaker_id=speaker.pk, key=key)
                for speaker in self.keys_of_new_speakers
                if speaker.pk not in self.name_keys_due
                for key in sorted(names.name_keys(speaker.name, speaker.aliases))
            ],
        )
        self.name_keys_due.clear()
        self.keys_of_new_speakers = []
        self.described.clear()
        self.update_quote_counts(saved)
        # the batch's quotes join their statements; those that lost a report are summed up again
        new_reports = [
            grouping.Report(pk=quote.pk, speaker_id=quote.speaker_id, said_on=quote.said_on, text=quote.text)
            for quote in saved
        ]
        if len(self.trigrams) > TRIGRAMS_KEPT:
            self.trigrams.clear()
        self.trigrams.update((report.pk, report.shingles) for report in new_reports)
        touched = group_reports(new_reports, self.trigrams) | self.touched_statements
        refresh_statements(touched)
        self.touched_statements.clear()

    def mention_rows(self, quotes, items):
        """The link rows of what each quote's words name (`items`: their ExtractedQuotes), for
        the countries and organisations the database knows."""
        countries, organisations = [], []
        for quote, item in zip(quotes, items):
            for code in item.mentioned_countries:
                if code in self.countries:
                    countries.append((quote.pk, self.countries[code].pk))
            for name in item.mentioned_organisations:
                if (organisation := self.organisations.get(fold(name))) is not None:
                    organisations.append((quote.pk, organisation.pk))
        return countries, organisations

    def organisation_for(self, name, country_code):
        if not name:
            return None
        name = name[:200]
        key = fold(name)
        if key not in self.organisations:
            # begin() read every organisation there is, under the import lock: a name we don't
            # know is new, and so is a slug we have not seen.
            base = slugify(name)[:192] or "organisation"
            slug, n = base, 1
            while slug in self.organisation_slugs:
                n += 1
                slug = f"{base}-{n}"
            org = Organisation(
                name=name, slug=slug, country=self.countries.get(country_code), needs_review=True
            )
            self.new_organisations.append(org)
            self.created["organisations"] += 1
            self.organisation_slugs.add(slug)
            self.organisations[key] = org
        return self.organisations[key]

    def speakers_for(self, mentions, key):
        """The Speaker of each of the article's mentions, in order: the new ones created in one query,
        known ones updated from the article's description unless an editor curated them. `key`
        orders the article among others (description_key)."""
        # each mention once (an article names its speakers several times), in the index as it is
        # now: it learns the article's new names only below
        slug_of = {mention: self.index.slug_for(mention) for mention in dict.fromkeys(mentions)}
        slugs = [slug_of[mention] for mention in mentions]
        # linked since begin() to a record it did not read (a surname that became ambiguous)
        missing = [slug for slug in set(slugs) if slug not in self.speakers and slug in self.index.slugs]
        if missing:
            found = [self.with_related(speaker) for speaker in Speaker.objects.filter(slug__in=missing)]
            self.speakers.update((speaker.slug, speaker) for speaker in found)
            self.names_read.update((speaker.pk, names_of(speaker)) for speaker in found)
        new = {}
        previous = None
        for slug, mention in zip(slugs, mentions):
            if mention == previous:
                # described alike again (a speaker quoted twice in a row, 40% of mentions): applying
                # the same description twice in a row changes nothing
                continue
            previous = mention
            organisation = self.organisation_for(mention.organisation, mention.country)
            country = self.countries.get(mention.country) or (organisation.country if organisation else None)
            if slug in new:  # named again in the article: the latest description wins before the insert
                describe(new[slug], mention, organisation, country, key)
            elif slug not in self.speakers:
                new[slug] = Speaker(slug=slug, name=mention.name[:200], aliases=[], description_keys={})
                describe(new[slug], mention, organisation, country, key)
            elif (
                not self.speakers[slug].curated
                and describe(self.speakers[slug], mention, organisation, country, key)
                and self.speakers[slug].pk is not None  # one the batch creates is inserted as it ends up
            ):
                self.described[slug] = self.speakers[slug]
        self.new_speakers.extend(new.values())
        for speaker in new.values():
            if speaker.kind == Speaker.Kind.PERSON:
                self.index.add(
                    speaker.slug,
                    speaker.name,
                    speaker.aliases,
                    speaker.country.code if speaker.country else None,
                    speaker.organisation.name if speaker.organisation else None,
                )
        self.created["speakers"] += len(new)
        self.speakers.update(new)
        absorbed = self.absorb_surname_records(new.values())
        return [absorbed.get(slug) or self.speakers[slug] for slug in slugs]

    def absorb_surname_records(self, new_speakers):
        """A record made of a surname alone ("Obama", from an article imported before any that
        named him in full) joins a new full name with that surname when it is the only one: the
        import keeps one record per person whatever order the articles come in. Returns {old slug:
        the record it joined}."""
        absorbed = {}
        owners = {}
        for speaker in new_speakers:
            surname = self.index.surname_of(speaker)
            if surname in self.index.single_names and self.index.only_person_named(surname) == speaker.slug:
                owners[slugify(surname)] = speaker
                self.index.single_names.discard(surname)
        if not owners:
            return absorbed
        for old in [speaker for speaker in self.new_speakers if speaker.slug in owners]:
            # created earlier in this batch, not inserted yet: its quotes are only queued
            survivor = owners[old.slug]
            if old is survivor or old.kind != Speaker.Kind.PERSON:
                continue
            self.new_speakers.remove(old)
            self.created["speakers"] -= 1
            self.join_records(old, survivor)
            absorbed[old.slug] = survivor
        stored = Speaker.objects.filter(slug__in=list(owners), kind=Speaker.Kind.PERSON, curated=False)
        for old in stored:
            survivor = owners[old.slug]
            if survivor.pk is None:  # the stored quotes move to it now: it needs its id
                self.new_speakers.remove(survivor)
                self.insert_speakers([survivor])
            Quote.objects.filter(speaker=old).update(speaker=survivor)
            self.join_records(old, survivor)
            Speaker.objects.filter(pk=survivor.pk).update(
                aliases=survivor.aliases, search_text=survivor.search_text
            )
            self.name_keys_due[survivor.pk] = survivor
            self.name_keys_due.pop(old.pk, None)  # its keys go with it
            old.delete()
            self.touched_speakers.discard(old.pk)
            self.touched_speakers.add(survivor.pk)
            absorbed[old.slug] = survivor
        return absorbed

    def join_records(self, old, survivor):
        """What absorb_surname_records() does in memory: the queued quotes of `old` are the
        survivor's, whose aliases take its names."""
        old_pk = old.pk  # None when the batch created it: then only its own object is it
        for quote, _ in self.queued:
            speaker = quote.speaker
            if speaker is old or (old_pk is not None and speaker is not None and speaker.pk == old_pk):
                quote.speaker = survivor
        survivor.aliases = sorted({*survivor.aliases, old.name, *old.aliases} - {survivor.name})
        survivor.fill_derived_fields()
        self.speakers.pop(old.slug, None)
        self.described.pop(old.slug, None)

    def insert_new_records(self):
        """Inserts what the batch created, before the quotes that point to it: organisations,
        then speakers (which may name them), then articles and the candidate events they propose."""
        insert_rows(Organisation, self.new_organisations)
        self.organisations_by_pk.update((org.pk, org) for org in self.new_organisations)
        self.new_organisations = []
        for speaker in self.described.values():
            link_saved(speaker, "organisation")  # it may now name an organisation the batch created
        self.insert_speakers(self.new_speakers)
        self.new_speakers = []
        insert_rows(Article, [article for article, _ in self.new_articles])
        for article, candidates in self.new_articles:
            self.save_candidate_events(article, candidates)
        self.new_articles = []

    def insert_speakers(self, speakers):
        for speaker in speakers:
            link_saved(speaker, "organisation")
            speaker.fill_derived_fields()
        insert_rows(Speaker, speakers)
        self.keys_of_new_speakers.extend(speakers)

    def save_candidate_events(self, article, candidates):
        for candidate in candidates:
            title = candidate.title[:300]
            if Event.objects.filter(date=candidate.date, title__iexact=title).exists():
                continue
            event = Event.objects.create(
                title=title,
                slug=unique_slug(Event, f"{candidate.date:%Y-%m-%d} {title}"),
                date=candidate.date,
                status=Event.Status.CANDIDATE,
                source_article=article,
                source_sentence=candidate.sentence,
            )
            self.events[event.slug] = event.pk
            self.created["events"] += 1

    def update_quote_counts(self, saved):
        """Adds the batch's `saved` quotes to their speakers' quote_count, and recounts it for the
        speakers whose stored quotes the batch removed or moved (curation.recount_quotes).
        Recounting every speaker a batch quotes read all the quotes of the most quoted, in every
        batch: the cost grew with the archive."""
        added = Counter(quote.speaker_id for quote in saved if quote.speaker_id is not None)
        by_increment = {}  # one UPDATE for all the speakers a batch gives one quote, another for two...
        for pk, n in added.items():
            if pk not in self.touched_speakers:
                by_increment.setdefault(n, []).append(pk)
        # SQL of our own: an update() a group, compiled each time, cost more than its work
        table = connection.ops.quote_name(Speaker._meta.db_table)
        for n, pks in by_increment.items():
            execute_for_ids(
                f"UPDATE {table} SET quote_count = quote_count + %s WHERE id IN ({{ids}})", pks, n
            )
        recount_quotes(self.touched_speakers)
        self.touched_speakers.clear()


class QueuedQuote:
    """A quote for flush() to insert: its column values, and the article and speaker it belongs to,
    which may get their ids only at flush() (see insert_new_records). A Quote instance costs more
    to build than the rest of a quote's write."""

    def __init__(self, article, speaker, **columns):
        self.__dict__.update(quote_defaults())
        self.__dict__.update(columns)
        self.article, self.speaker, self.pk = article, speaker, None
        self.statement_id = None

    @property
    def article_id(self):
        return self.article.pk

    @property
    def speaker_id(self):
        return self.speaker.pk if self.speaker is not None else None


@functools.cache
def quote_defaults():
    """The model's defaults for the columns the importer leaves alone (status, curated, ...)."""
    return {
        field.attname: field.get_default()
        for field in Quote._meta.concrete_fields
        if not field.primary_key and not field.is_relation
    }


def link_saved(obj, name):
    """Sets the foreign key `name` of `obj` from the object it was given, which may have been
    saved since (Django leaves the id empty when the object had none yet)."""
    related = obj._state.fields_cache.get(name)
    if related is not None and getattr(obj, f"{name}_id") is None:
        setattr(obj, name, related)  # the id and the object: setting the id alone forgets the object


# --- inserts in bulk without bulk_create()'s cost per field ----------------------------------------

# Rows per INSERT of links: under SQLite's limit of 32,766 parameters a statement.
INSERT_ROWS = 500


def _adapters(fields):
    """(position, adapter) of the values of `fields` that are not sent to the database as they
    are: dates, times and JSON. Text, numbers and foreign keys' ids are."""
    ops = connection.ops
    adapters = {
        models.DateTimeField: ops.adapt_datetimefield_value,
        models.DateField: ops.adapt_datefield_value,
        models.JSONField: None,
    }
    adapt = []
    for i, field in enumerate(fields):
        if type(field) in adapters:
            adapter = adapters[type(field)] or functools.partial(
                field.get_db_prep_save, connection=connection
            )
            adapt.append((i, adapter))
    return adapt


@functools.cache
def _update_plan(model, names, vendor):
    """What update_rows() needs to know of a model's fields `names`, worked out once: how to read
    their values off an object, which to adapt (_adapters), and the statement."""
    ops = connection.ops
    fields = [model._meta.get_field(name) for name in names]
    values_of = operator.attrgetter(*[field.attname for field in fields], "pk")
    assignments = ", ".join(f"{ops.quote_name(field.column)} = %s" for field in fields)
    sql = f"UPDATE {ops.quote_name(model._meta.db_table)} SET {assignments} WHERE id = %s"
    return values_of, _adapters(fields), sql


@functools.cache
def _insert_plan(model, vendor):
    """What insert_rows() needs to know of a model, worked out once: its columns, how to read them
    off an object, the positions of the values to adapt for the database (dates, times, JSON) and of
    the auto_now(_add) fields, and the SQL's fixed parts."""
    ops = connection.ops
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    adapt = _adapters(fields)
    stamped = [
        i
        for i, field in enumerate(fields)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    attnames = [field.attname for field in fields]
    values_of = (
        operator.attrgetter(*attnames) if len(attnames) > 1 else (lambda obj: (getattr(obj, attnames[0]),))
    )
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    unnest = None
    if vendor == "postgresql" and not any(isinstance(field, models.JSONField) for field in fields):
        # One array a column (what bulk_create() does there too): PostgreSQL plans one parameter a
        # column instead of one a value, and psycopg parses a short statement, not 8,000 markers.
        arrays = ", ".join(f"(%s)::{field.db_type(connection).split('(')[0]}[]" for field in fields)
        unnest = f"SELECT * FROM UNNEST({arrays})"
    return attnames, values_of, adapt, stamped, table, columns, row_sql, unnest


def insert_rows(model, objects):
    """Inserts unsaved model instances (or objects with the model's column attributes, such as
    QueuedQuote) and sets their primary keys; returns them. What bulk_create() does in a fifth of
    the time: it prepares every field of every row through the field's methods and signals, which
    cost more than the database's own work at 10,000 quotes a batch. Only dates, times and JSON
    need adapting; auto_now(_add) fields get the time now."""
    if not objects:
        return objects
    attnames, values_of, adapt, stamped, table, columns, row_sql, unnest = _insert_plan(
        model, connection.vendor
    )
    per_insert = max(1, 30_000 // len(attnames))  # SQLite allows 32,766 parameters a statement
    now = timezone.now()
    now_adapted = dict(adapt).get(stamped[0], lambda value: value)(now) if stamped else None
    with connection.cursor() as cursor:
        for start in range(0, len(objects), per_insert):
            chunk = objects[start : start + per_insert]
            rows = []
            for obj in chunk:
                row = list(values_of(obj))
                for i, adapter in adapt:
                    row[i] = adapter(row[i])
                for i in stamped:
                    row[i] = now_adapted
                    setattr(obj, attnames[i], now)
                rows.append(row)
            # RETURNING gives the ids in the order of the rows, on SQLite >= 3.35 and PostgreSQL
            # (bulk_create() relies on the same).
            if unnest and len(chunk) > 1:
                values, params = unnest, [list(column) for column in zip(*rows)]
            else:
                values, params = (
                    "VALUES " + ", ".join([row_sql] * len(chunk)),
                    [v for row in rows for v in row],
                )
            cursor.execute(f"INSERT INTO {table} ({columns}) {values} RETURNING id", params)
            for obj, (pk,) in zip(chunk, cursor.fetchall()):
                obj.pk = pk
                if isinstance(obj, models.Model):
                    obj._state.adding = False
                    obj._state.db = connection.alias
    return objects


def update_rows(model, names, objects):
    """Writes the fields `names` of each object: one UPDATE statement run for every row
    (executemany). bulk_update() builds a CASE over every row for every field, and an update()
    per row compiles its query each time; either took longer than the rest of a batch's writes.
    Like insert_rows(), only dates, times and JSON are adapted, not every value by its field."""
    values_of, adapt, sql = _update_plan(model, tuple(names), connection.vendor)
    rows = []
    for obj in objects:
        row = list(values_of(obj))
        for i, adapter in adapt:
            row[i] = adapter(row[i])
        rows.append(row)
    execute_rows(sql, rows)


def execute_rows(sql, rows):
    """Runs `sql` once for every row of parameters, in one call (executemany)."""
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def delete_rows(model, pks):
    """Deletes the rows `pks` of `model` with plain DELETEs, without delete()'s collecting of
    related rows: for rows nothing points to any more."""
    execute_for_ids(
        f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE id IN ({{ids}})", pks
    )


def execute_for_ids(sql, pks, *params):
    """Runs `sql`, whose "{ids}" stands for a list of ids, for `pks` LOOKUP_CHUNK at a time (a
    statement has at most so many parameters), with `params` before the ids."""
    with connection.cursor() as cursor:
        for chunk in batched(pks, LOOKUP_CHUNK):
            cursor.execute(sql.format(ids=", ".join(["%s"] * len(chunk))), [*params, *chunk])


def insert_links(through, names, pairs):
    """Inserts (left pk, right pk) rows into a many-to-many table, leaving out any already there."""
    if not pairs:
        return
    quote_name = connection.ops.quote_name
    table = quote_name(through._meta.db_table)
    columns = ", ".join(quote_name(through._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), INSERT_ROWS):
            chunk = pairs[start : start + INSERT_ROWS]
            if connection.vendor == "postgresql":  # two arrays rather than a marker a value (insert_rows)
                values, params = (
                    "SELECT * FROM UNNEST((%s)::bigint[], (%s)::bigint[])",
                    [list(c) for c in zip(*chunk)],
                )
            else:
                values, params = (
                    "VALUES " + ", ".join(["(%s, %s)"] * len(chunk)),
                    [pk for pair in chunk for pk in pair],
                )
            cursor.execute(f"INSERT INTO {table} ({columns}) {values} ON CONFLICT DO NOTHING", params)


def set_topics_in_bulk(topics_by_quote):
    """Gives each quote exactly its topics ({quote pk: [topic pks]}): one DELETE and one INSERT
    for a batch of quotes (retag changes thousands after an editor adds a topic)."""
    links = Quote.topics.through
    quote_ids = list(topics_by_quote)
    for start in range(0, len(quote_ids), 500):
        links.objects.filter(quote_id__in=quote_ids[start : start + 500]).delete()
    links.objects.bulk_create(
        [
            links(quote_id=quote, topic_id=topic)
            for quote, topics in topics_by_quote.items()
            for topic in topics
        ],
        batch_size=500,
    )


def set_quote_events(quote_id, event_confidences):
    """Gives a quote exactly these events ({event pk: confidence}); retag.py decides which."""
    QuoteEvent.objects.filter(quote_id=quote_id).exclude(event_id__in=list(event_confidences)).delete()
    for event_id, confidence in event_confidences.items():
        QuoteEvent.objects.update_or_create(
            quote_id=quote_id, event_id=event_id, defaults={"confidence": confidence}
        )


# --- statements: the reports of one statement (ingest/grouping.py decides which) ------------------

# Speakers whose reports around a batch's dates are read per query.
SPEAKER_CHUNK = 500
# Quotes whose trigrams an import keeps for the next batches (about 1 KB each).
TRIGRAMS_KEPT = 100_000


def reports_around(new_reports, trigrams=None):
    """The stored reports the `new_reports` may group with: their speakers' quotes said within
    grouping.WINDOW_DAYS of one of theirs (read with the speaker-and-date index), the new ones
    left out. `trigrams`: {quote pk: trigrams} already worked out, which it adds to."""
    trigrams = {} if trigrams is None else trigrams
    window = [
        datetime.timedelta(days=shift) for shift in range(-grouping.WINDOW_DAYS, grouping.WINDOW_DAYS + 1)
    ]
    dates = {}  # speaker id -> the dates of their new reports (many share one)
    for report in new_reports:
        if report.groupable:
            dates.setdefault(report.speaker_id, set()).add(report.said_on)
    # speaker id -> the days their new reports reach
    days = {speaker: {date + shift for date in found for shift in window} for speaker, found in dates.items()}
    new_pks = {report.pk for report in new_reports}
    all_days = sorted(set().union(*days.values())) if days else []
    known = []
    speakers = sorted(days)
    for i in range(0, len(speakers), SPEAKER_CHUNK):
        rows = Quote.objects.filter(speaker_id__in=speakers[i : i + SPEAKER_CHUNK], said_on__in=all_days)
        for pk, speaker_id, said_on, text, statement_id, curated in rows.values_list(
            "pk", "speaker_id", "said_on", "text", "statement_id", "statement__curated"
        ):
            if pk not in new_pks and said_on in days[speaker_id]:
                if pk not in trigrams:
                    trigrams[pk] = grouping.trigrams(text)
                known.append(
                    grouping.Report(pk, speaker_id, said_on, text, statement_id, bool(curated), trigrams[pk])
                )
    return known


def group_reports(new_reports, trigrams=None):
    """Groups `new_reports` (grouping.Report: quotes just stored, or changed by an editor) with
    each other and with the reports around them, and writes the statements that result: a new
    statement takes the id of its first report, statements joined by a new report become the
    first of them (or the one an editor curated). Returns the ids of the statements whose reports
    changed, for refresh_statements(). `trigrams`: see reports_around()."""
    known = reports_around(new_reports, trigrams)
    curated = {report.statement_id for report in known if report.curated}
    touched = set()
    created = []
    joined = []  # (target, statement it absorbs)
    moved = []  # (target, quote pk) of the reports that were alone
    for group in grouping.plan(new_reports, known):
        chosen = [pk for pk in group.statements if pk in curated] or group.statements
        if chosen:
            target = chosen[0]
        else:
            target = group.lone[0]
            created.append(Statement(id=target))
        joined.extend((target, pk) for pk in group.statements if pk != target)
        moved.extend((target, pk) for pk in group.lone)
        touched.add(target)
    # One statement run for every row (executemany) rather than an update() a group, whose
    # compiling cost more than the database's work. Groups share no statement and no report, so
    # the order of the rows does not matter; the statements joined into others have no reports
    # left when they are deleted.
    quote_table = connection.ops.quote_name(Quote._meta.db_table)
    execute_rows(f"UPDATE {quote_table} SET statement_id = %s WHERE statement_id = %s", joined)
    execute_rows(f"UPDATE {quote_table} SET statement_id = %s WHERE id = %s", moved)
    delete_rows(Statement, [pk for _, pk in joined])
    # after the quotes point to them: foreign keys are checked at commit on both databases
    Statement.objects.bulk_create(created)
    return touched


def refresh_statements(statement_ids):
    """Sums each statement up again from its reports: primary report, first date, how many
    reports and outlets, the outlets in order. A statement left with one report (or none) is
    dissolved, its report alone again, unless an editor made it (a split-out report)."""
    statement_ids = sorted(statement_ids)
    for i in range(0, len(statement_ids), LOOKUP_CHUNK):
        _refresh_chunk(statement_ids[i : i + LOOKUP_CHUNK])


def _refresh_chunk(statement_ids):
    statements = Statement.objects.in_bulk(statement_ids)
    reports, primary_now = {}, {}
    rows = Quote.objects.filter(statement_id__in=statement_ids).values_list(
        "statement_id",
        "pk",
        "kind",
        "text",
        "said_on",
        "article__source",
        "article__published",
        "status",
        "speaker_id",
        "is_primary_report",
    )
    speakers = {}
    for statement_id, pk, kind, text, said_on, outlet, published, status, speaker_id, primary in rows:
        reports.setdefault(statement_id, []).append(
            grouping.Reported(pk, kind, text, said_on, outlet, published, status == Quote.Status.REJECTED)
        )
        speakers[pk] = speaker_id
        primary_now[pk] = primary
    dissolved, changed, make_primary, make_secondary = [], [], [], []
    for pk, statement in statements.items():
        found = reports.get(pk, [])
        if not found or (len(found) == 1 and not statement.curated):
            dissolved.append(pk)
            continue
        primary = grouping.primary_of(found)
        outlets = grouping.outlets_in_order(found)
        dates = [report.said_on for report in found if report.said_on]
        statement.speaker_id = speakers[primary.pk]
        statement.first_said = min(dates) if dates else None
        statement.report_count = len(found)
        statement.outlets = outlets
        statement.outlet_count = len(outlets)
        changed.append(statement)
        for report in found:
            should = report.pk == primary.pk
            if primary_now[report.pk] != should:
                (make_primary if should else make_secondary).append(report.pk)
    if dissolved:
        Quote.objects.filter(statement_id__in=dissolved).update(statement=None, is_primary_report=True)
        Statement.objects.filter(pk__in=dissolved).delete()
    update_rows(Statement, ("speaker", "first_said", "report_count", "outlets", "outlet_count"), changed)
    if make_secondary:
        Quote.objects.filter(pk__in=make_secondary).update(is_primary_report=False)
    if make_primary:
        Quote.objects.filter(pk__in=make_primary).update(is_primary_report=True)


# --- statements: what an editor changes ------------------------------------------------------------


def regroup_quote(quote):
    """After an editor changed a quote's words, speaker or date: it stays in its statement while
    it still reads as one of its reports, else it leaves it (and may join another). A statement an
    editor split or joined keeps its reports as the editor left them, unless one is given another
    speaker: reports of different speakers are never one statement."""
    statement = quote.statement if quote.statement_id else None
    if statement is not None and statement.curated and quote.speaker_id == statement.speaker_id:
        refresh_statements([statement.pk])
        return
    report = grouping.Report(quote.pk, quote.speaker_id, quote.said_on, quote.text, quote.statement_id)
    if statement is not None:
        siblings = [other for other in reports_around([report]) if other.statement_id == statement.pk]
        if report.groupable and any(
            other.speaker_id == report.speaker_id and grouping.same_statement(report, other)
            for other in siblings
        ):
            refresh_statements([statement.pk])
            return
        remaining = leave_statement(quote)
        report.statement_id = None
        refresh_statements(group_reports([report]) | {remaining})
        return
    refresh_statements(group_reports([report]))


def leave_statement(quote):
    """Takes `quote` out of its statement; returns the id of the statement its other reports are
    in. That statement keeps its id unless the quote founded it: the id is then the quote's, which
    stays with the quote, and the others move to a statement named after the first of them."""
    statement = quote.statement
    others = list(statement.reports.exclude(pk=quote.pk).values_list("pk", flat=True))
    Quote.objects.filter(pk=quote.pk).update(statement=None, is_primary_report=True)
    quote.statement_id = None
    if statement.pk != quote.pk or not others:
        return statement.pk
    remaining = Statement.objects.create(
        id=min(others), speaker_id=statement.speaker_id, curated=statement.curated
    )
    Quote.objects.filter(pk__in=others).update(statement=remaining)
    statement.delete()
    return remaining.pk


@transaction.atomic
def split_report(quote):
    """An editor's split: `quote` leaves its statement for one of its own. Both statements are
    curated, so the importer never joins them again, and so are the quotes they hold, so that a
    re-import keeps them as they are. Returns the quote's own statement."""
    if quote.statement_id is None:
        raise ValueError("This quote is not grouped with other reports.")
    remaining = leave_statement(quote)
    own = Statement.objects.create(id=quote.pk, speaker_id=quote.speaker_id, curated=True)
    Quote.objects.filter(pk=quote.pk).update(statement=own)
    Statement.objects.filter(pk=remaining).update(curated=True)
    Quote.objects.filter(statement_id__in=[remaining, own.pk]).update(curated=True)
    refresh_statements([remaining, own.pk])
    own.refresh_from_db()
    return own


@transaction.atomic
def join_reports(quotes):
    """An editor's join: the statements of `quotes`, and those of them alone, become one
    statement, curated like its quotes (see split_report). Reports of different speakers, or
    without one, are never one statement (ValueError). Returns the statement."""
    quotes = list(quotes)
    speakers = {quote.speaker_id for quote in quotes}
    if None in speakers or len(speakers) > 1:
        raise ValueError("Only reports of one speaker can be one statement.")
    statement_ids = sorted({quote.statement_id for quote in quotes if quote.statement_id})
    lone = sorted(quote.pk for quote in quotes if not quote.statement_id)
    if len(statement_ids) + len(lone) < 2:
        raise ValueError("These reports are one statement already.")
    if statement_ids:
        target = Statement.objects.get(pk=statement_ids[0])
    else:
        target = Statement.objects.create(id=lone[0], speaker_id=speakers.pop())
    Quote.objects.filter(statement_id__in=statement_ids[1:]).update(statement=target)
    Statement.objects.filter(pk__in=statement_ids[1:]).delete()
    Quote.objects.filter(pk__in=lone).update(statement=target)
    Statement.objects.filter(pk=target.pk).update(curated=True)
    Quote.objects.filter(statement=target).update(curated=True)
    refresh_statements([target.pk])
    target.refresh_from_db()
    return target
