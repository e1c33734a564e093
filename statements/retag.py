"""Re-applies topic and event tagging to stored quotes, e.g. after editors changed keywords.

Curated quotes are never changed (they still give context to their neighbours). Returns what
changed, quote by quote, so the command can print it. This module decides what changes; store.py
writes it.

It reads plain values, not model instances (a million quotes with their speakers, topics and
events as instances cost more than tagging them), a batch of articles at a time, and writes a
batch's changes in a few statements.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef

from statements.batching import batched
from statements.ingest import tagging
from statements.ingest.records import ExtractedQuote, ParsedArticle, QuoteSpan, SpeakerMention
from statements.ingest.store import set_quote_events, set_topics_in_bulk
from statements.models import Article, Event, Quote, QuoteEvent, Speaker, Topic, unnamed_source
from statements.reference import reference_for_extraction

BATCH_SIZE = 200
ARTICLE_FIELDS = ("pk", "external_id", "body", "title", "source", "published", "kind")
QUOTE_FIELDS = (
    "pk",
    "article_id",
    "start",
    "end",
    "text",
    "kind",
    "verb",
    "confidence",
    "curated",
    "speaker_id",
    "speaker_role",
    "speaker_organisation",
)


@dataclass
class Change:
    quote_id: int
    article_id: str  # the article's external id
    topics: list[int]  # the quote's topics after the change (pks)
    events: dict[int, float]  # its events after the change: {event pk: confidence}
    added: list[str] = field(default_factory=list)  # "topic:slug" / "event:slug"
    removed: list[str] = field(default_factory=list)

    @property
    def topics_changed(self):
        return any(name.startswith("topic:") for name in self.added + self.removed)

    @property
    def events_changed(self):
        return any(name.startswith("event:") for name in self.added + self.removed)

    def __str__(self):
        parts = [f"+{name}" for name in self.added] + [f"-{name}" for name in self.removed]
        return f"quote {self.quote_id} ({self.article_id}): {' '.join(parts)}"


class Speakers:
    """Speakers as the tagger sees them (SpeakerMention), read once each."""

    def __init__(self):
        self.known = {}

    def load(self, ids):
        missing = sorted(set(ids) - set(self.known) - {None})
        for chunk in batched(missing, 500):
            rows = Speaker.objects.filter(pk__in=chunk).values(
                "pk", "name", "role", "kind", "organisation__name", "country__code"
            )
            for row in rows:
                self.known[row["pk"]] = row

    def mention(self, quote):
        """The speaker as the import read them: the role and organisation the article gave
        (Quote.speaker_role, Quote.speaker_organisation), else the record's."""
        row = self.known.get(quote["speaker_id"])
        organisation = quote["speaker_organisation"]
        if row is not None:
            if organisation is None:  # imported before the article's organisation was kept
                role, organisation = quote["speaker_role"] or row["role"], row["organisation__name"]
            else:
                role, organisation = quote["speaker_role"], organisation or None
            return SpeakerMention(
                name=row["name"],
                role=role,
                organisation=organisation,
                country=row["country__code"],
                is_organisation=row["kind"] == Speaker.Kind.ORGANISATION,
            )
        unnamed = unnamed_source(quote["speaker_id"], quote["speaker_role"])
        if unnamed:
            return SpeakerMention(name=unnamed, organisation=organisation or None, is_unnamed=True)
        return None


def as_parsed(article):
    """The tagger's view of an article read with ARTICLE_FIELDS (its kind too: tagging reads a
    primary source's co-mentions differently)."""
    return ParsedArticle(
        external_id=article["external_id"],
        text=article["body"],
        title=article["title"],
        source=article["source"],
        published=article["published"],
        kind=article["kind"],
    )


def as_extracted(quote, speakers):
    span = QuoteSpan(start=quote["start"], end=quote["end"], text=quote["text"], kind=quote["kind"])
    return ExtractedQuote(
        span=span, speaker=speakers.mention(quote), verb=quote["verb"], confidence=quote["confidence"]
    )


def retag_article(article, quotes, old, rules, speakers):
    """The Change of each of the article's uncurated quotes whose topics or events differ.
    `old` holds the stored links: {"topics": {quote pk: {topic pks}}, "events": {...}} and the
    slug <-> pk maps."""
    quotes = sorted(quotes, key=lambda q: q["start"])
    extracted = [as_extracted(q, speakers) for q in quotes]
    tagging.annotate(as_parsed(article), extracted, rules)
    changes = []
    for quote, item in zip(quotes, extracted):
        if quote["curated"]:
            continue
        old_topics = {old.topic_slugs[pk] for pk in old.topics.get(quote["pk"], ())}
        new_topics = {slug for slug in item.topics if slug in old.topic_ids}
        old_events = {old.event_slugs[pk] for pk in old.events.get(quote["pk"], ()) if pk in old.event_slugs}
        new_events = {slug: conf for slug, conf in item.events if slug in old.event_ids}
        if old_topics == new_topics and old_events == set(new_events):
            continue
        changes.append(
            Change(
                quote_id=quote["pk"],
                article_id=article["external_id"],
                topics=[old.topic_ids[s] for s in new_topics],
                events={old.event_ids[slug]: confidence for slug, confidence in new_events.items()},
                added=[f"topic:{s}" for s in sorted(new_topics - old_topics)]
                + [f"event:{s}" for s in sorted(set(new_events) - old_events)],
                removed=[f"topic:{s}" for s in sorted(old_topics - new_topics)]
                + [f"event:{s}" for s in sorted(old_events - set(new_events))],
            )
        )
    return changes


@dataclass
class Links:
    """A batch's stored topic and event links, and the slug <-> pk maps of topics and events."""

    topic_ids: dict
    event_ids: dict
    topics: dict = field(default_factory=lambda: defaultdict(set))
    events: dict = field(default_factory=lambda: defaultdict(set))

    def __post_init__(self):
        self.topic_slugs = {pk: slug for slug, pk in self.topic_ids.items()}
        self.event_slugs = {pk: slug for slug, pk in self.event_ids.items()}

    def read(self, quote_ids):
        self.topics.clear()
        self.events.clear()
        for chunk in batched(quote_ids, 500):
            for quote, topic in Quote.topics.through.objects.filter(quote_id__in=chunk).values_list(
                "quote_id", "topic_id"
            ):
                self.topics[quote].add(topic)
            for quote, event in QuoteEvent.objects.filter(quote_id__in=chunk).values_list(
                "quote_id", "event_id"
            ):
                self.events[quote].add(event)


def retag_all(articles=None):
    """Yields the Change of every quote whose topics or events changed."""
    rules = reference_for_extraction().rules
    links = Links(
        topic_ids=dict(Topic.objects.values_list("slug", "pk")),
        event_ids=dict(Event.objects.filter(status=Event.Status.CONFIRMED).values_list("slug", "pk")),
    )
    speakers = Speakers()
    articles = (articles or Article.objects.all()).order_by("pk")
    last_pk = 0
    while True:
        # EXISTS, not a join with DISTINCT: that sorted every remaining quote's article, body
        # included, for each batch of 200 (72% of a retag of the Reuters archive, and growing
        # with the square of its size)
        batch = list(
            articles.filter(pk__gt=last_pk)
            .filter(Exists(Quote.objects.filter(article=OuterRef("pk"))))
            .values(*ARTICLE_FIELDS)[:BATCH_SIZE]
        )
        if not batch:
            return
        quotes_of = defaultdict(list)
        for chunk in batched([article["pk"] for article in batch], 100):
            for quote in Quote.objects.filter(article_id__in=chunk).values(*QUOTE_FIELDS):
                quotes_of[quote["article_id"]].append(quote)
        every_quote = [quote for quotes in quotes_of.values() for quote in quotes]
        speakers.load(quote["speaker_id"] for quote in every_quote)
        links.read([quote["pk"] for quote in every_quote])
        changes = [
            change
            for article in batch
            for change in retag_article(article, quotes_of[article["pk"]], links, rules, speakers)
        ]
        with transaction.atomic():
            set_topics_in_bulk(
                {change.quote_id: change.topics for change in changes if change.topics_changed}
            )
            for change in changes:
                if change.events_changed:
                    set_quote_events(change.quote_id, change.events)
        yield from changes
        last_pk = batch[-1]["pk"]
