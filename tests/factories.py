"""Tiny make_* helpers for page tests, and a small world mirroring the two seed articles.

The sentences come from the seed articles in fixtures/ (never from eval/ or corpus/).
"""

import datetime
from types import SimpleNamespace

from django.db.models import Count

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


def make_country(code, name, aliases=()):
    return Country.objects.create(
        code=code, name=name, slug=unique_slug(Country, name), aliases=list(aliases)
    )


def make_organisation(name, country=None, kind=Organisation.Kind.GOVERNMENT, aliases=()):
    return Organisation.objects.create(
        name=name, slug=unique_slug(Organisation, name), country=country, kind=kind, aliases=list(aliases)
    )


def make_speaker(name, organisation=None, role="", aliases=(), kind=Speaker.Kind.PERSON, country=None):
    # Like the importer: a speaker's country comes from their organisation unless given.
    if country is None and organisation is not None:
        country = organisation.country
    return Speaker.objects.create(
        name=name,
        slug=unique_slug(Speaker, name),
        organisation=organisation,
        country=country,
        role=role,
        aliases=list(aliases),
        kind=kind,
    )


def make_topic(name, slug=None, description=""):
    return Topic.objects.create(name=name, slug=slug or unique_slug(Topic, name), description=description)


def make_event(
    title, date, slug=None, description="", countries=(), topics=(), status=Event.Status.CONFIRMED
):
    event = Event.objects.create(
        title=title,
        slug=slug or unique_slug(Event, title),
        date=date,
        description=description,
        status=status,
    )
    event.countries.set(countries)
    event.topics.set(topics)
    return event


def make_article(title, source, published, paragraphs=(), url="", external_id=None):
    body = "\n\n".join(paragraphs)
    return Article.objects.create(
        external_id=external_id or f"{source}-{Article.objects.count() + 1}",
        source=source,
        title=title,
        published=published,
        url=url,
        body=body,
        content_hash=str(hash(body)),
    )


def make_quote(article, speaker, text, said_on=None, kind=Quote.Kind.DIRECT, topics=(), events=(), **fields):
    """A quote whose offsets point at `text` in the article body (added as a paragraph if absent)."""
    start = article.body.find(text)
    if start < 0:
        article.body = f"{article.body}\n\n{text}" if article.body else text
        article.save(update_fields=["body"])
        start = article.body.find(text)
    quote = Quote.objects.create(
        article=article,
        speaker=speaker,
        text=text,
        kind=kind,
        start=start,
        end=start + len(text),
        said_on=said_on or article.published,
        **fields,
    )
    quote.topics.set(topics)
    for event in events:
        QuoteEvent.objects.create(quote=quote, event=event)
    return quote


def refresh_quote_counts():
    """What the importer maintains: each speaker's number of quotes."""
    counts = dict(Speaker.objects.annotate(n=Count("quotes")).values_list("pk", "n"))
    for speaker in Speaker.objects.all():
        Speaker.objects.filter(pk=speaker.pk).update(quote_count=counts.get(speaker.pk, 0))


TASS_PARAGRAPHS = [
    "ASTANA, October 4./TASS/. Contacts between Russian and US military will continue to avoid "
    "serious incidents in Syria, Kremlin spokesman Dmitry Peskov told reporters on Tuesday.",
    '"As far as we understand, mutual contacts of our military as to avoiding any dangerous actions '
    'continue and will continue, this is necessary to avoid serious incidents," Peskov said in comments '
    "on cooperation on Syria between Moscow and Washington.",
    '"So far, I would not exaggerate things so much. However, it is clear that we perceive the US '
    'withdrawal from the dialogue on the cessation of offensive operations in Syria with regret, " '
    "Peskov said.",
    "On Monday, the chief of the US Department of State press service, John Kirby, said the US was "
    "suspending the use of bilateral channels with Russia that had been established to help serve the "
    "ceasefire in Syria.",
    '"The US breaking off a dialog with us on Syria as to sustaining the ceasefire, substantially '
    'complicates the situation there," the spokesman said.',
]

RT_PARAGRAPHS = [
    "Russia is fully ready to continue the dialogue with the US regarding joint actions to combat "
    "terrorists in Syria, the Russian Ministry of Defense has said. It stressed, however, that this is "
    "only possible if Washington abstains from “any hints of threats to Russia's military and citizens.”",
    "The statement came in response to comments made by US State Department spokesperson John Kirby at a "
    "press briefing on Wednesday. Kirby said that if the war in Syria continues, “more Russian lives will "
    "be lost, more Russian aircraft will be shot down”.",
    "Speaking on Thursday, Russian Ministry of Defense spokesman Major-General Igor Konashenkov said: "
    "“Once again we declare that we are fully prepared to continue the dialogue with the American side "
    "and carry on with the joint actions to combat terrorists in Syria.”",
    "“Don’t you think that such ventriloquism about ‘body bags,’ ‘terrorist attacks in Russian cities’ "
    "and ‘loss of aircraft,’ sounds more like a ‘get ’em’ command, rather than a diplomatic comment?” "
    "Zakharova asked.",
    "“In order to solve humanitarian problems and provide humanitarian access, we have repeatedly offered "
    "48-hour ceasefires, but American counterparts have fixated entirely on the requirement of seven-day "
    "breaks for reasons only known to them,” Ryabkov told reporters.",
]


def make_seed_world():
    """Countries, organisations, speakers, topics, an event and the quotes of the two seed articles."""
    rus = make_country("RUS", "Russia", ["Russian", "Moscow", "Kremlin"])
    usa = make_country("USA", "United States", ["US", "American", "Washington"])
    kremlin = make_organisation("Kremlin", rus)
    state = make_organisation("US Department of State", usa, kind=Organisation.Kind.MINISTRY)
    mfa = make_organisation("Russian Foreign Ministry", rus, kind=Organisation.Kind.MINISTRY)
    mod = make_organisation("Russian Ministry of Defense", rus, kind=Organisation.Kind.MILITARY)

    peskov = make_speaker("Dmitry Peskov", kremlin, "Kremlin spokesman", aliases=["Peskov"])
    kirby = make_speaker("John Kirby", state, "US State Department spokesperson", aliases=["Kirby"])
    zakharova = make_speaker("Maria Zakharova", mfa, "Russian Foreign Ministry spokeswoman")
    konashenkov = make_speaker(
        "Igor Konashenkov", mod, "Russian Ministry of Defense spokesman", aliases=["Igor Konaschenkow"]
    )
    ryabkov = make_speaker("Sergey Ryabkov", mfa, "Russian Deputy Foreign Minister")
    mod_body = make_speaker("Russian Ministry of Defense", mod, kind=Speaker.Kind.ORGANISATION)

    ceasefire = make_topic("Ceasefire", "ceasefire", "Truces, their terms and their breakdown.")
    terrorism = make_topic("Terrorism", "terrorism")
    suspension = make_event(
        "US suspends bilateral channels with Russia on Syria",
        datetime.date(2016, 10, 3),
        slug="us-suspends-syria-talks",
        description="The US State Department suspends the channels set up to serve the Syrian ceasefire.",
        countries=[usa, rus],
        topics=[ceasefire],
    )

    tass = make_article(
        "Contacts between Russian, US military on Syria to continue — Kremlin",
        "TASS",
        datetime.date(2016, 10, 4),
        TASS_PARAGRAPHS,
        url="https://tass.com/politics/903766",
    )
    rt = make_article(
        "Russian MoD: We're ready for Syria dialogue with US, but threats against our military unacceptable",
        "RT",
        datetime.date(2016, 9, 29),
        RT_PARAGRAPHS,
        url="https://www.rt.com/news/361033-russia-mod-syria-us-threats/",
    )
    day = datetime.date
    quotes = SimpleNamespace(
        peskov_contacts=make_quote(
            tass,
            peskov,
            "As far as we understand, mutual contacts of our military as to avoiding any dangerous actions "
            "continue and will continue, this is necessary to avoid serious incidents,",
            day(2016, 10, 4),
            events=[suspension],
        ),
        peskov_regret=make_quote(
            tass,
            peskov,
            "So far, I would not exaggerate things so much. However, it is clear that we perceive the US "
            "withdrawal from the dialogue on the cessation of offensive operations in Syria with regret,",
            day(2016, 10, 4),
            topics=[ceasefire],
            events=[suspension],
        ),
        peskov_ceasefire=make_quote(
            tass,
            peskov,
            "The US breaking off a dialog with us on Syria as to sustaining the ceasefire, substantially "
            "complicates the situation there,",
            day(2016, 10, 4),
            topics=[ceasefire],
            events=[suspension],
        ),
        kirby_suspends=make_quote(
            tass,
            kirby,
            "the US was suspending the use of bilateral channels with Russia that had been established to "
            "help serve the ceasefire in Syria.",
            day(2016, 10, 3),
            kind=Quote.Kind.INDIRECT,
            topics=[ceasefire],
        ),
        mod_threats=make_quote(
            rt,
            mod_body,
            "any hints of threats to Russia's military and citizens.",
            day(2016, 9, 29),
            kind=Quote.Kind.PARTIAL,
        ),
        kirby_lives=make_quote(
            rt,
            kirby,
            "more Russian lives will be lost, more Russian aircraft will be shot down",
            day(2016, 9, 28),
            kind=Quote.Kind.PARTIAL,
        ),
        konashenkov_dialogue=make_quote(
            rt,
            konashenkov,
            "Once again we declare that we are fully prepared to continue the dialogue with the American "
            "side and carry on with the joint actions to combat terrorists in Syria.",
            day(2016, 9, 29),
            topics=[terrorism],
        ),
        zakharova_ventriloquism=make_quote(
            rt,
            zakharova,
            "Don’t you think that such ventriloquism about ‘body bags,’ ‘terrorist attacks in Russian "
            "cities’ and ‘loss of aircraft,’ sounds more like a ‘get ’em’ command, rather than a "
            "diplomatic comment?",
            day(2016, 9, 29),
        ),
        ryabkov_breaks=make_quote(
            rt,
            ryabkov,
            "In order to solve humanitarian problems and provide humanitarian access, we have repeatedly "
            "offered 48-hour ceasefires, but American counterparts have fixated entirely on the "
            "requirement of seven-day breaks for reasons only known to them,",
            day(2016, 9, 29),
            topics=[ceasefire],
        ),
    )
    refresh_quote_counts()
    return SimpleNamespace(
        countries=SimpleNamespace(rus=rus, usa=usa),
        organisations=SimpleNamespace(kremlin=kremlin, state=state, mfa=mfa, mod=mod),
        speakers=SimpleNamespace(
            peskov=peskov,
            kirby=kirby,
            zakharova=zakharova,
            konashenkov=konashenkov,
            ryabkov=ryabkov,
            mod=mod_body,
        ),
        topics=SimpleNamespace(ceasefire=ceasefire, terrorism=terrorism),
        events=SimpleNamespace(suspension=suspension),
        articles=SimpleNamespace(tass=tass, rt=rt),
        quotes=quotes,
    )


def make_more_quotes(world, n):
    """`n` extra quotes spread over speakers, articles, topics and months: for query-count tests."""
    speakers = [world.speakers.peskov, world.speakers.kirby, world.speakers.zakharova, world.speakers.ryabkov]
    topics = [world.topics.ceasefire, world.topics.terrorism]
    for i in range(n):
        published = datetime.date(2016, 1 + i % 12, 1 + i % 27)
        article = make_article(f"Briefing number {i}", ["TASS", "RT", "Reuters"][i % 3], published)
        make_quote(
            article,
            speakers[i % len(speakers)],
            f"We will keep talking about the ceasefire in Syria, statement number {i}.",
            published,
            topics=[topics[i % 2]],
            events=[world.events.suspension] if i % 2 else [],
        )
    refresh_quote_counts()
