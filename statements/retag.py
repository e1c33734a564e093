"""Re-applies topic and event tagging to stored quotes, e.g. after editors changed keywords.

Curated quotes are never changed (they still give context to their neighbours). Returns what
changed, quote by quote, so the command can print it. This module decides what changes; store.py
writes it.
"""

from dataclasses import dataclass, field

from django.db import transaction

from statements.ingest import tagging
from statements.ingest.records import ExtractedQuote, ParsedArticle, QuoteSpan, SpeakerMention
from statements.ingest.store import set_quote_events, set_topics_in_bulk
from statements.models import Article, Event, Quote, Topic
from statements.reference import reference_for_extraction

BATCH_SIZE = 200


@dataclass
class Change:
    quote: Quote
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
        return f"quote {self.quote.pk} ({self.quote.article.external_id}): {' '.join(parts)}"


def as_extracted(quote):
    speaker = quote.speaker
    mention = None
    if speaker is not None:
        mention = SpeakerMention(
            name=speaker.name,
            role=quote.speaker_role or speaker.role,
            organisation=speaker.organisation.name if speaker.organisation else None,
            country=speaker.country.code if speaker.country else None,
            is_organisation=speaker.kind == speaker.Kind.ORGANISATION,
        )
    elif quote.unnamed_source:
        mention = SpeakerMention(name=quote.unnamed_source, is_unnamed=True)
    span = QuoteSpan(start=quote.start, end=quote.end, text=quote.text, kind=quote.kind)
    return ExtractedQuote(span=span, speaker=mention, verb=quote.verb, confidence=quote.confidence)


def retag_article(article, rules, topic_ids, event_ids):
    """The Change of each of the article's uncurated quotes whose topics or events differ."""
    quotes = sorted(article.quotes.all(), key=lambda q: q.start)
    if not quotes:
        return []
    parsed = ParsedArticle(
        external_id=article.external_id,
        text=article.body,
        title=article.title,
        source=article.source,
        published=article.published,
    )
    extracted = [as_extracted(q) for q in quotes]
    tagging.annotate(parsed, extracted, rules)
    changes = []
    for quote, item in zip(quotes, extracted):
        if quote.curated:
            continue
        old_topics = {t.slug for t in quote.topics.all()}
        new_topics = {slug for slug in item.topics if slug in topic_ids}
        old_events = {e.slug for e in quote.events.all()}
        new_events = {slug: conf for slug, conf in item.events if slug in event_ids}
        if old_topics == new_topics and old_events == set(new_events):
            continue
        changes.append(
            Change(
                quote=quote,
                topics=[topic_ids[s] for s in new_topics],
                events={event_ids[slug]: confidence for slug, confidence in new_events.items()},
                added=[f"topic:{s}" for s in sorted(new_topics - old_topics)]
                + [f"event:{s}" for s in sorted(set(new_events) - old_events)],
                removed=[f"topic:{s}" for s in sorted(old_topics - new_topics)]
                + [f"event:{s}" for s in sorted(old_events - set(new_events))],
            )
        )
    return changes


def retag_all(articles=None):
    """Yields the Change of every quote whose topics or events changed."""
    rules = reference_for_extraction().rules
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    event_ids = dict(Event.objects.filter(status=Event.Status.CONFIRMED).values_list("slug", "pk"))
    articles = (articles or Article.objects.all()).order_by("pk")
    last_pk = 0
    while True:
        batch = list(
            articles.filter(pk__gt=last_pk, quotes__isnull=False)
            .distinct()
            .prefetch_related(
                "quotes__topics",
                "quotes__events",
                "quotes__speaker__organisation",
                "quotes__speaker__country",
            )[:BATCH_SIZE]
        )
        if not batch:
            return
        changes = [
            change for article in batch for change in retag_article(article, rules, topic_ids, event_ids)
        ]
        with transaction.atomic():
            set_topics_in_bulk(
                {change.quote.pk: change.topics for change in changes if change.topics_changed}
            )
            for change in changes:
                if change.events_changed:
                    set_quote_events(change.quote, change.events)
        yield from changes
        last_pk = batch[-1].pk
