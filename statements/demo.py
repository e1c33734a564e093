"""A realistic large dataset for benchmarks: `python manage.py generate_demo_data --quotes N`.

Speakers follow a Zipf-like distribution (a few speak very often), dates span ten years, quote texts
are built from real sentences of the articles already imported (the sample articles at least), so
full-text search meets realistic vocabulary. Rows are written in batches with bulk inserts, so
memory stays bounded whatever N is.
"""

import bisect
import datetime
import itertools
import random
import re

from django.db import transaction
from django.utils.text import slugify

from statements.models import (
    Article,
    Country,
    Event,
    Organisation,
    Quote,
    QuoteEvent,
    Speaker,
    SpeakerNameKey,
    Topic,
)

DEMO_PREFIX = "demo-"
SENTENCE_RE = re.compile(r"[^.!?\n]{30,300}[.!?]")
FIRST_NAMES = (
    "Anna Boris Carlos Dmitry Elena Farid Grace Hassan Irina John Karim Laura Maria Nikolai Olga "
    "Pierre Qin Ramzy Sergey Tatiana Umar Victoria Wang Xavier Yusuf Zainab Ahmed Beatrice Chen "
    "Diego Emma Fatima Georg Hiroshi Ines Jakub Kofi Lena Mohammed Nadia Omar Priya"
).split()
LAST_NAMES = (
    "Abbas Baker Castro Dubois Eriksen Fischer Garcia Haddad Ivanov Jensen Kowalski Lopez Morozov "
    "Nakamura Okafor Petrov Quinn Rossi Schmidt Tanaka Usmanov Volkov Weber Xu Yilmaz Zhang Novak "
    "Kuznetsov Sokolov Popov Lebedev Kozlov Orlov Smith Johnson Brown Miller Davis Wilson Moore"
).split()
ROLES = ("spokesman", "spokeswoman", "minister", "deputy minister", "ambassador", "envoy", "adviser")
START = datetime.date(2007, 1, 1)
DAYS = 3652  # ten years


def sentences_from_articles(limit=50_000):
    """Real sentences from imported articles (the sample articles at least)."""
    sentences = []
    for body in (
        Article.objects.exclude(external_id__startswith=DEMO_PREFIX).values_list("body", flat=True).iterator()
    ):
        sentences.extend(m.group(0).strip() for m in SENTENCE_RE.finditer(body))
        if len(sentences) >= limit:
            break
    return sentences[:limit] or ["We are ready to continue the dialogue on all issues of mutual interest."]


class ZipfChooser:
    """Picks index i with probability proportional to 1 / (i + 1) ** s."""

    def __init__(self, n, s=1.1, rng=random):
        weights = [1 / (i + 1) ** s for i in range(n)]
        self.cumulative = list(itertools.accumulate(weights))
        self.rng = rng

    def pick(self):
        return bisect.bisect_left(self.cumulative, self.rng.random() * self.cumulative[-1])


def make_speakers(count, rng):
    organisations = list(Organisation.objects.select_related("country"))
    countries = list(Country.objects.all())
    existing = set(Speaker.objects.filter(slug__startswith=DEMO_PREFIX).values_list("slug", flat=True))
    speakers = []
    for i in range(count):
        slug = f"{DEMO_PREFIX}{i}"
        if slug in existing:
            continue
        organisation = rng.choice(organisations) if organisations and rng.random() < 0.8 else None
        country = organisation.country if organisation else (rng.choice(countries) if countries else None)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        speakers.append(
            Speaker(
                name=name,
                slug=slug,
                role=rng.choice(ROLES),
                organisation=organisation,
                country=country,
                search_text=name.casefold(),
            )
        )
    Speaker.objects.bulk_create(speakers, batch_size=1000)
    SpeakerNameKey.refresh(Speaker.objects.filter(slug__startswith=DEMO_PREFIX, name_keys__isnull=True))
    return list(
        Speaker.objects.filter(slug__startswith=DEMO_PREFIX).order_by("pk").values_list("pk", flat=True)
    )


def make_events(count, topics, rng):
    existing = Event.objects.filter(slug__startswith=DEMO_PREFIX).count()
    events = []
    for i in range(existing, count):
        date = START + datetime.timedelta(days=rng.randrange(DAYS))
        opening = rng.choice(["Talks on", "Statement on", "Briefing on", "Agreement on"])
        title = f"{opening} {rng.choice(topics).name if topics else 'relations'}"
        events.append(
            Event(
                title=title, slug=f"{DEMO_PREFIX}{i}-{slugify(title)}"[:200], date=date, kind=Event.Kind.OTHER
            )
        )
    Event.objects.bulk_create(events)
    return sorted(Event.objects.filter(slug__startswith=DEMO_PREFIX).values_list("date", "pk"))


def sentence_mentions(sentences):
    """[(country pks, organisation pks)] that each sentence names, found once by the importer's
    gazetteer: a demo quote names what its sentences name."""
    from statements.reference import reference_for_extraction

    gazetteer = reference_for_extraction().gazetteer
    country_ids = dict(Country.objects.values_list("code", "pk"))
    organisation_ids = dict(Organisation.objects.values_list("name", "pk"))
    found = []
    for sentence in sentences:
        codes, names = gazetteer.named_in(sentence)
        found.append(
            (
                [country_ids[code] for code in codes if code in country_ids],
                [organisation_ids[name] for name in names if name in organisation_ids],
            )
        )
    return found


def generate(quotes, speakers=5000, events=2000, quotes_per_article=8, seed=1, batch=5000, progress=None):
    """Adds `quotes` demo quotes (with their articles, speakers, topics, events, mentions).
    Returns counts."""
    rng = random.Random(seed)
    sentences = sentences_from_articles()
    mentions = dict(zip(sentences, sentence_mentions(sentences)))
    topic_ids = list(Topic.objects.values_list("pk", flat=True))
    topics = list(Topic.objects.all())
    speaker_ids = make_speakers(speakers, rng)
    event_dates = make_events(events, topics, rng)
    event_day_index = [d for d, _ in event_dates]
    chooser = ZipfChooser(len(speaker_ids), rng=rng)
    sources = ["TASS", "RT", "Reuters", "AP", "AFP", "Interfax", "Xinhua", "BBC"]
    start_number = Article.objects.filter(external_id__startswith=DEMO_PREFIX).count()
    made = 0
    article_number = start_number
    while made < quotes:
        size = min(batch, quotes - made)
        with transaction.atomic():
            articles, pending = [], []
            for _ in range((size + quotes_per_article - 1) // quotes_per_article):
                day = START + datetime.timedelta(days=rng.randrange(DAYS))
                picked = [
                    rng.sample(sentences, k=min(len(sentences), rng.choice((1, 1, 2, 3))))
                    for _ in range(quotes_per_article)
                ]
                texts = [" ".join(chosen) for chosen in picked]
                body, spans = "", []
                for text, chosen in zip(texts, picked):
                    prefix = (body + "\n\n") if body else ""
                    start = len(prefix) + 1
                    body = f'{prefix}"{text}" the official said.'
                    spans.append((start, start + len(text), text, chosen))
                article_number += 1
                articles.append(
                    Article(
                        external_id=f"{DEMO_PREFIX}{article_number:08d}",
                        source=rng.choice(sources),
                        title=texts[0][:120],
                        published=day,
                        body=body,
                        content_hash="demo",
                    )
                )
                pending.append((day, spans))
            Article.objects.bulk_create(articles)
            rows, named = [], []
            for article, (day, spans) in zip(articles, pending):
                for start, end, text, chosen in spans:
                    named.append(chosen)
                    rows.append(
                        Quote(
                            article_id=article.pk,
                            speaker_id=speaker_ids[chooser.pick()] if speaker_ids else None,
                            text=text,
                            kind=Quote.Kind.DIRECT,
                            start=start,
                            end=end,
                            said_on=day,
                            verb="said",
                            confidence=0.9,
                        )
                    )
            rows = rows[:size]
            Quote.objects.bulk_create(rows)
            topic_links, event_links, country_links, organisation_links = [], [], [], []
            for quote, chosen in zip(rows, named):
                countries = {pk for sentence in chosen for pk in mentions[sentence][0]}
                organisations = {pk for sentence in chosen for pk in mentions[sentence][1]}
                country_links += [
                    Quote.mentioned_countries.through(quote_id=quote.pk, country_id=pk) for pk in countries
                ]
                organisation_links += [
                    Quote.mentioned_organisations.through(quote_id=quote.pk, organisation_id=pk)
                    for pk in organisations
                ]
                for topic_id in set(rng.sample(topic_ids, k=min(len(topic_ids), rng.choice((0, 1, 1, 2))))):
                    topic_links.append(Quote.topics.through(quote_id=quote.pk, topic_id=topic_id))
                if event_dates and rng.random() < 0.1:
                    i = bisect.bisect_right(event_day_index, quote.said_on) - 1
                    if i >= 0 and (quote.said_on - event_dates[i][0]).days <= 14:
                        event_links.append(
                            QuoteEvent(quote_id=quote.pk, event_id=event_dates[i][1], confidence=0.8)
                        )
            Quote.topics.through.objects.bulk_create(topic_links)
            QuoteEvent.objects.bulk_create(event_links)
            Quote.mentioned_countries.through.objects.bulk_create(country_links)
            Quote.mentioned_organisations.through.objects.bulk_create(organisation_links)
        made += len(rows)
        if progress:
            progress(made)
    refresh_speaker_counts()
    return {"quotes": made, "articles": article_number - start_number, "speakers": len(speaker_ids)}


def refresh_speaker_counts():
    """Recomputes every speaker's quote_count with one GROUP BY and batched updates."""
    from django.db.models import Count

    counts = dict(
        Quote.objects.filter(speaker__isnull=False).values_list("speaker").annotate(n=Count("pk")).order_by()
    )
    speakers = list(Speaker.objects.only("pk", "quote_count"))
    for speaker in speakers:
        speaker.quote_count = counts.get(speaker.pk, 0)
    Speaker.objects.bulk_update(speakers, ["quote_count"], batch_size=1000)
