"""The only module of the importer that writes to the database: idempotent upserts.

- An article is matched by its external id; an unchanged content hash means nothing to do.
- A changed article is updated and its quotes re-extracted, except quotes an editor curated, which
  stay exactly as they are (and new quotes overlapping them are not added).
- Speakers are one row per canonical name across articles; a curated speaker is never overwritten.
- Organisations the reference data lacks are created and flagged for an editor.
"""

import hashlib
import json

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from statements.ingest.pipeline import Reference
from statements.models import (
    Article,
    Country,
    Event,
    Organisation,
    Quote,
    QuoteEvent,
    Speaker,
    Topic,
    unique_slug,
)
from statements.text import fold


def slug_for(mention):
    return slugify(mention.name)[:200] or "unnamed"


def describe(speaker, mention, organisation, country):
    """Applies the article's description of a known speaker (the latest wins for an uncurated
    speaker: roles change over time); whether anything changed."""
    changed = False
    new_aliases = [a for a in mention.aliases if a != speaker.name and a not in speaker.aliases]
    if new_aliases:
        speaker.aliases = [*speaker.aliases, *new_aliases]
        changed = True
    for field, value in (("role", mention.role[:300]), ("organisation", organisation), ("country", country)):
        if value and getattr(speaker, field) != value:
            setattr(speaker, field, value)
            changed = True
    return changed


def content_hash(raw):
    """Changes whenever anything the importer reads from the input changes."""
    payload = json.dumps(
        [raw.text, raw.title, raw.published.isoformat() if raw.published else None, raw.source, raw.url],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def load_reference():
    """The pipeline's view of the reference data as it is in the database now."""
    countries = [
        {"code": c.code, "name": c.name, "aliases": c.aliases} for c in Country.objects.all()
    ]
    organisations = [
        {
            "name": o.name,
            "aliases": o.aliases,
            "kind": o.kind,
            "country": o.country.code if o.country else None,
            "parent": o.parent.name if o.parent else None,
        }
        for o in Organisation.objects.select_related("country", "parent")
    ]
    topics = [
        {
            "slug": t.slug,
            "name": t.name,
            "description": t.description,
            "keywords": t.keywords,
            "all_of": t.all_of,
        }
        for t in Topic.objects.all()
    ]
    events = [
        {
            "slug": e.slug,
            "title": e.title,
            "date": e.date.isoformat(),
            "description": e.description,
            "kind": e.kind,
            "countries": [c.code for c in e.countries.all()],
            "organisations": [o.name for o in e.organisations.all()],
            "topics": [t.slug for t in e.topics.all()],
            "keywords": e.keywords,
        }
        for e in Event.objects.filter(status=Event.Status.CONFIRMED).prefetch_related(
            "countries", "organisations", "topics"
        )
    ]
    return Reference.from_data(countries, organisations, topics, events)


class ArticleStore:
    """Writes processed articles. Keeps small lookup caches for one import run."""

    def __init__(self):
        self.touched_speakers = set()
        self.created = {"speakers": 0, "organisations": 0, "events": 0}
        self.load()

    def load(self):
        """Reads the lookup caches; again after a rolled-back transaction (forget)."""
        self.countries = {c.code: c for c in Country.objects.all()}
        self.organisations = {}
        for org in Organisation.objects.all():
            for name in [org.name, *org.aliases]:
                self.organisations.setdefault(fold(name), org)
        self.topics = dict(Topic.objects.values_list("slug", "pk"))
        self.events = dict(Event.objects.values_list("slug", "pk"))
        self.speakers = {}  # slug -> Speaker, filled lazily
        # Slugs alone (small) tell a new speaker from a known one without a query.
        self.speaker_slugs = set(Speaker.objects.values_list("slug", flat=True))
        self.described = {}  # slug -> known Speaker whose description changed, written by flush()
        self.queued = []  # (Quote, ExtractedQuote) to insert at flush()

    def forget(self, created):
        """After a rollback: drop what the cached and queued objects say was written, and go back
        to the `created` counts of before."""
        self.load()
        self.created = dict(created)

    def existing_hashes(self, external_ids):
        """{external id: content hash} of the articles already stored, in one query."""
        return dict(
            Article.objects.filter(external_id__in=external_ids).values_list("external_id", "content_hash")
        )

    @transaction.atomic
    def save(self, processed, digest, is_new):
        """Saves one article and its quotes. Returns ("new" or "updated", quotes saved).
        `is_new`: the caller already knows (from existing_hash) that no article has this id."""
        parsed = processed.article
        fields = {
            "source": parsed.source[:100],
            "title": parsed.title[:500],
            "published": parsed.published,
            "published_inferred": parsed.published_inferred,
            "dateline": parsed.dateline[:100],
            "url": parsed.url[:1000],
            "body": parsed.text,
            "content_hash": digest,
            "needs_review": bool(parsed.review_reasons),
            "review_note": "; ".join(parsed.review_reasons),
        }
        if is_new:
            article, created = Article.objects.create(external_id=parsed.external_id, **fields), True
        else:
            article, created = Article.objects.update_or_create(
                external_id=parsed.external_id, defaults=fields
            )
        curated_spans = []
        if not created:
            curated_spans = list(article.quotes.filter(curated=True).values_list("start", "end"))
            stale = article.quotes.filter(curated=False)
            self.touched_speakers.update(
                pk for pk in stale.values_list("speaker_id", flat=True) if pk is not None
            )
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
        speakers = self.speakers_for(mentions)
        rows, links = [], []
        for item in extracted:
            span = item.span
            mention = item.speaker
            speaker = speakers[slug_for(mention)] if mention and not mention.is_unnamed else None
            role = (mention.name if mention.is_unnamed else mention.role) if mention else ""
            rows.append(
                Quote(
                    article=article,
                    speaker=speaker,
                    speaker_role=role[:300],
                    text=span.text,
                    kind=span.kind,
                    start=span.start,
                    end=span.end,
                    said_on=item.said_on or article.published,
                    verb=item.verb[:60],
                    confidence=item.confidence,
                )
            )
            links.append(item)
        self.queued.extend(zip(rows, links))
        return len(rows)

    def flush(self):
        """Inserts the queued quotes with their topics and events, and writes the new descriptions
        of known speakers: a few queries for a batch of articles instead of a few for each."""
        rows = [quote for quote, _ in self.queued]
        # Returned primary keys need PostgreSQL or SQLite >= 3.35 (both are what we run on).
        saved = Quote.objects.bulk_create(rows, batch_size=500)
        topic_rows, event_rows = [], []
        for quote, (_, item) in zip(saved, self.queued):
            for slug in dict.fromkeys(item.topics):
                if slug in self.topics:
                    topic_rows.append(Quote.topics.through(quote_id=quote.pk, topic_id=self.topics[slug]))
            for slug, confidence in item.events:
                if slug in self.events:
                    event_rows.append(
                        QuoteEvent(quote_id=quote.pk, event_id=self.events[slug], confidence=confidence)
                    )
        Quote.topics.through.objects.bulk_create(topic_rows, batch_size=500, ignore_conflicts=True)
        QuoteEvent.objects.bulk_create(event_rows, batch_size=500, ignore_conflicts=True)
        self.queued.clear()
        for speaker in self.described.values():
            speaker.fill_derived_fields()
        Speaker.objects.bulk_update(
            self.described.values(), ["aliases", "role", "organisation", "country", "search_text"], batch_size=200
        )
        self.described.clear()

    def organisation_for(self, name, country_code):
        if not name:
            return None
        key = fold(name)
        if key not in self.organisations:
            # Every organisation was loaded at start: a name we don't know is new.
            org, created = Organisation.objects.get_or_create(
                name=name[:200],
                defaults={
                    "slug": unique_slug(Organisation, name),
                    "country": self.countries.get(country_code),
                    "needs_review": True,
                },
            )
            self.created["organisations"] += created
            self.organisations[key] = org
        return self.organisations[key]

    def speakers_for(self, mentions):
        """{slug: Speaker} for the article's speaker mentions: the new ones created in one query,
        known ones updated from the latest description unless an editor curated them."""
        slugs = [slug_for(mention) for mention in mentions]
        wanted = {slug for slug in slugs if slug not in self.speakers and slug in self.speaker_slugs}
        if wanted:
            self.speakers.update((speaker.slug, speaker) for speaker in Speaker.objects.filter(slug__in=wanted))
        new = {}
        for slug, mention in zip(slugs, mentions):
            organisation = self.organisation_for(mention.organisation, mention.country)
            country = self.countries.get(mention.country) or (organisation.country if organisation else None)
            if slug in new:  # named again in the article: the latest description wins before the insert
                describe(new[slug], mention, organisation, country)
            elif slug not in self.speakers:
                new[slug] = Speaker(
                    name=mention.name[:200],
                    slug=slug,
                    kind=Speaker.Kind.ORGANISATION if mention.is_organisation else Speaker.Kind.PERSON,
                    aliases=[a for a in dict.fromkeys(mention.aliases) if a != mention.name],
                    role=mention.role[:300],
                    organisation=organisation,
                    country=country,
                )
            elif not self.speakers[slug].curated and describe(self.speakers[slug], mention, organisation, country):
                self.described[slug] = self.speakers[slug]
        for speaker in new.values():
            speaker.fill_derived_fields()
        Speaker.objects.bulk_create(new.values())
        self.created["speakers"] += len(new)
        self.speaker_slugs.update(new)
        self.speakers.update(new)
        self.touched_speakers.update(self.speakers[slug].pk for slug in slugs)
        return {slug: self.speakers[slug] for slug in slugs}

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

    def update_quote_counts(self):
        """Recounts quotes for the speakers this run touched (one UPDATE per 500 speakers)."""
        touched = sorted(self.touched_speakers)
        counts = (
            Quote.objects.filter(speaker=OuterRef("pk"))
            .values("speaker")
            .annotate(n=Count("pk"))
            .values("n")
        )
        for i in range(0, len(touched), 500):
            Speaker.objects.filter(pk__in=touched[i : i + 500]).update(
                quote_count=Coalesce(Subquery(counts), 0)
            )
        self.touched_speakers.clear()
