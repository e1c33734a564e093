"""Read side of the site: facets and counts beside the quote lists (how quotes are found is
QuoteQuerySet's business, in models.py; pages of them are pagination.py's).

Every function here costs a fixed number of queries whatever the number of rows, so pages keep a
constant query budget (checked by the tests with assertNumQueries at two data sizes).
"""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

import jellyfish
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, Count, Q, Sum
from django.db.models.functions import Cast, Coalesce, Substr

from statements import names, search
from statements.models import Event, Quote, Speaker, SpeakerNameKey, SpeakerQuerySet, Topic

FACET_SIZE = 10

WORD_RE = re.compile(r"\w+")


def visible_events(user=None):
    events = Event.objects.all()
    if user is None or not user.is_staff:
        events = events.exclude(status=Event.Status.REJECTED)
    return events


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


FACET_NAMES = ("country", "organisation", "mentions", "speaker", "topic", "source", "year")


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
    """Counts beside a quote list: {name: [{"value", "label", "count"}, ...], "sampled": bool,
    "total": how many quotes match, or None when more than FACET_SAMPLE (then the counts are of
    the FACET_SAMPLE most recent)}: one query each."""
    base, sampled = facet_sample(quotes)
    total = None if sampled else base.count()
    facets = {"sampled": sampled, "sample_size": FACET_SAMPLE, "total": total, "counted_with": "sql"}
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
    if "mentions" in names:
        facets["mentions"] = mention_facet(base)
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
        facets["topic"] = topic_facet(base)
    if "source" in names:
        rows = (
            base.exclude(article__source="")
            .values("article__source")
            .annotate(count=Count("pk"))
            .order_by("-count", "article__source")[:FACET_SIZE]
        )
        facets["source"] = [
            {"value": r["article__source"], "label": r["article__source"], "count": r["count"]} for r in rows
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


def mention_facet(base):
    """The countries and organisations most named by the quotes `base`: one query each, merged."""
    items = []
    for relation, value in (("mentioned_countries", "code"), ("mentioned_organisations", "slug")):
        rows = (
            base.values(f"{relation}__{value}", f"{relation}__name")
            .annotate(count=Count("pk"))
            .order_by("-count", f"{relation}__name")[: FACET_SIZE + 1]
        )
        items += [
            {"value": r[f"{relation}__{value}"], "label": r[f"{relation}__name"], "count": r["count"]}
            for r in rows
            if r[f"{relation}__{value}"]  # the quotes that name none
        ]
    return sorted(items, key=lambda item: (-item["count"], item["label"]))[:FACET_SIZE]


# --- speakers -------------------------------------------------------------------------------------


def search_speakers(queryset, q):
    """Speakers named by every word of `q`, in any order, any case, with or without accents, as
    transliterated one way or another, a word possibly the start of a name ("zak"); dots and
    commas are ignored ("Peskov D." finds Dmitry Peskov). See SpeakerQuerySet.named. A `q`
    without any word leaves the speakers as they are."""
    return queryset.named(q) if names.keys(q) else queryset


# How many speakers a name suggestion offers, and the speaker field's autocomplete.
SUGGESTIONS = 8


def suggested_speakers(q, limit=SUGGESTIONS):
    """The speakers the speaker field suggests for what was typed so far: named by its words
    (the last one possibly half typed), the most quoted first."""
    return list(
        Speaker.objects.named(q)
        .select_related("organisation", "country")
        .order_by("-quote_count", "name")[:limit]
    )


# Name keys starting with one letter that a spelling suggestion compares (each one costs a
# microsecond or two): enough for every name of a letter in an archive of 50,000 speakers.
MAX_SPELLING_CANDIDATES = 20_000


def speaker_by_name(typed):
    """(the speaker the speaker field's text names, [the speakers it may mean when not one]): the
    most quoted of those with every word as a whole name word, when they are one or it is quoted
    DOMINANT times as often as the next; else those whose names start with the words."""
    for prefix in (False, True):
        found = list(Speaker.objects.named(typed, prefix=prefix).order_by("-quote_count", "pk")[:SUGGESTIONS])
        if len(found) == 1 or (found and found[0].quote_count >= DOMINANT * max(found[1].quote_count, 1)):
            return found[0], []
        if found:
            return None, found
    return None, []


def speakers_spelt_like(q, limit=3):
    """Did you mean, on the speakers page: (the search with its words that start no name replaced
    by the closest name word, e.g. "Zakharova" for "zakarova"; the most quoted speakers it names),
    or None when every word starts a name or one is close to none."""
    typed = names.WORD_RE.findall(q or "")[: SpeakerQuerySet.MAX_WORDS]
    corrected = []
    for word in typed:
        if Speaker.objects.named(word).exists():
            corrected.append(word)
        elif (fix := closest_name_word(word)) is not None:
            corrected.append(fix)
        else:
            return None
    if corrected == typed:
        return None
    fixed = " ".join(corrected)
    speakers = list(
        Speaker.objects.named(fixed)
        .select_related("organisation", "country")
        .order_by("-quote_count", "name")[:limit]
    )
    return (fixed, speakers) if speakers else None


def closest_name_word(word):
    """The word of a speaker's name, as the name writes it, that `word` most likely misspells
    ("Zakharova" for "zakarova", "Peskov" for "Peskof"): the closest of the name keys that start
    with its letter (one indexed range, grouped), the most quoted first; None when none is close."""
    forms = names.typed_forms(word)
    if not forms:
        return None
    first = forms[0][0]
    nearby = SpeakerNameKey.objects.filter(**names.starting_with(first))
    weights = list(
        nearby.values("key")
        .annotate(weight=Sum("speaker__quote_count"))
        .values_list("key", "weight")[:MAX_SPELLING_CANDIDATES]
    )
    found = sorted((names.closest(form, weights)[:1] for form in forms), key=lambda best: not best)[0]
    if not found:
        return None
    speaker = Speaker.objects.filter(name_keys__key=found[0]).order_by("-quote_count", "pk").first()
    if speaker is None:
        return None
    for name in [speaker.name, *speaker.aliases]:
        for written in names.WORD_RE.findall(name):
            if found[0] in names.typed_forms(written):
                return written
    return None


def spelling_fix(q, quotes):
    """Did you mean, on a quote list that found nothing: the search `q` with each bare word that no
    quote holds and that names no one replaced by the closest speaker's name word or word of the
    quotes ("Peskof" -> "Peskov", "cesefire" -> "ceasefire"); None when there is nothing to fix.
    Only when a search found nothing: a few indexed lookups a word."""
    tokens = search.TYPED_TOKEN_RE.findall(q or "")[: search.MAX_GROUPS]
    fixed, changed = [], False
    for token in tokens:
        word = token.lower()
        if not token.isalpha() or Speaker.objects.named(token, prefix=False).exists():
            fixed.append(token)
            continue
        if search.has_matches(quotes, token):
            fixed.append(token)
            continue
        candidates = []
        if (name := closest_name_word(token)) is not None:
            candidates.append((jellyfish.damerau_levenshtein_distance(word, name.lower()), 1, name))
        for known in names.closest(word, search.known_words_like(word))[:1]:
            candidates.append((jellyfish.damerau_levenshtein_distance(word, known), 0, known))
        if candidates:
            fixed.append(min(candidates)[2])
            changed = True
        else:
            fixed.append(token)
    if not changed:
        return None
    fixed = " ".join(fixed)
    return fixed if finds_something(search.parse(fixed), quotes) else None


def finds_something(query, quotes):
    """Whether the search `query` finds any quote of the archive: what "did you mean" offers must
    (a word fixed alone may make a phrase that no quote holds: "foreign" is not "forcing")."""
    named = named_speaker(query, quotes)
    if named is not None and named.applied:
        query = query.without(named.groups)
        if not query:
            return True
    return search.count_matches(quotes, query, 1) > 0


@dataclass
class NamedSpeaker:
    """The speaker that a search's bare words name ("Peskov" in "Peskov ceasefire")."""

    speaker: Speaker
    groups: set  # the search's groups (search.SearchQuery) that name them
    words: list  # those words as typed
    # Whether the list is filtered by the speaker instead of searched for the words: when the name
    # is unambiguous and means the person more often than quotes use it as a word.
    applied: bool
    others: list = field(default_factory=list)  # other speakers so named, most quoted first


# Bare words of a search looked up as names, at most.
MAX_NAME_WORDS = 6
# Speakers a search's words may name that are weighed, the most quoted first.
MAX_NAMED = 50
# A name names one speaker when the most quoted one so named has at least this many times the
# quotes of the next.
DOMINANT = 2
# The quotes holding a name as a word are counted up to this many (on PostgreSQL each is read).
NAME_CHECK_CAP = 5000
# Organisation names' words that need not be typed ("Ministry of Foreign Affairs").
NAME_STOPWORDS = {"of", "the", "for", "and", "de", "du", "la", "le", "al", "el"}


def named_speaker(query, quotes):
    """The speaker that the bare words of the search `query` (a search.SearchQuery) name, or None:
    a person by their family name at least ("Peskov", "Dmitri Peskov", "zaharova"), a body by all
    the words of its name ("Xinhua"). `quotes`: the quotes searched, to tell whether the words are
    more often a word in quotes than the person's name. Two indexed queries on the speaker tables
    (three when words name someone), never a scan of the quotes."""
    plain = [(index, names.keys(word)) for index, word in query.plain_words[:MAX_NAME_WORDS]]
    plain = [(index, keys) for index, keys in plain if keys and all(len(key) >= 2 for key in keys)]
    if not plain:
        return None
    wanted = {key for _, keys in plain for key in keys}
    rows = (
        SpeakerNameKey.objects.filter(key__in=wanted)
        .order_by("-speaker__quote_count", "speaker_id")
        .values_list("speaker_id", "key")[: MAX_NAMED * len(wanted)]
    )
    found = defaultdict(set)
    for speaker_id, key in rows:
        found[speaker_id].add(key)
    candidates = []
    speakers = Speaker.objects.filter(pk__in=list(found)[:MAX_NAMED]).order_by("-quote_count", "pk")
    for speaker in speakers:
        matched = found[speaker.pk]
        if not names_them(speaker, matched):
            continue
        groups = {index for index, keys in plain if set(keys) <= matched}
        candidates.append((len(groups), speaker, groups))
    if not candidates:
        return None
    candidates.sort(key=lambda item: (-item[0], -item[1].quote_count, item[1].pk))
    _, best, groups = candidates[0]
    rivals = [speaker for size, speaker, other in candidates[1:] if other == groups]
    words = [query.groups[index][0] for index in sorted(groups)]
    unambiguous = not rivals or best.quote_count >= DOMINANT * rivals[0].quote_count
    # the words as words of the quotes, counted up to the speaker's quotes (at most NAME_CHECK_CAP)
    cap = min(best.quote_count, NAME_CHECK_CAP)
    as_words = search.SearchQuery(groups=[[word] for word in words])
    applied = unambiguous and cap > 0 and search.count_matches(quotes, as_words, cap + 1) <= cap
    return NamedSpeaker(best, groups, words, applied, rivals[: SUGGESTIONS - 1])


def names_them(speaker, keys):
    """Whether the name keys `keys` name `speaker`: a person's family name (of the name or an
    alias) is among them, or every word of a body's name."""
    if speaker.kind == Speaker.Kind.ORGANISATION:
        return any(
            {key for key in names.keys(name) if key not in NAME_STOPWORDS} <= keys
            for name in [speaker.name, *speaker.aliases]
        )
    return any(names.surname_key(name) in keys for name in [speaker.name, *speaker.aliases])


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
    is in it) and data_version(), so an import or an editor's change shows at once. Costs one
    query of two indexed MAX() on a hit."""
    try:
        sql, params = quotes.order_by().query.sql_with_params()
    except EmptyResultSet:  # a filter Django knows matches nothing, e.g. pk__in=[]
        return compute(quotes.none())
    key = f"{key_prefix}:" + hashlib.sha256(repr((sql, params, data_version())).encode()).hexdigest()
    return cache.get_or_set(key, lambda: compute(quotes))


def data_version():
    """What changes whenever a cached count may: the newest quote id (an import) and the newest
    entry of the admin's history (every editor's change writes one: an edit, a reassignment, a
    rejection, a merge), in one query, the same in every process."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT max(id) FROM {Quote._meta.db_table}), (SELECT max(id) FROM {LogEntry._meta.db_table})"
        )
        return cursor.fetchone()


def cached_topic_counts():
    return cached("topic-counts", Quote.objects.all(), lambda quotes: topic_counts())


def topic_counts():
    """{topic id: quotes the public sees}: every link counted from the topic index, less the few
    rejected quotes' links (a join over every quote costs over a second at a million quotes). A
    broad area's count is of the distinct quotes tagged with it or any of its topics."""
    links = Quote.topics.through.objects
    counts = dict(links.values("topic").annotate(n=Count("pk")).values_list("topic", "n"))
    rejected_quotes = Quote.objects.filter(status=Quote.Status.REJECTED).values("pk")  # a partial index
    rejected = links.filter(quote__in=rejected_quotes).values("topic").annotate(n=Count("pk"))
    for topic, n in rejected.values_list("topic", "n"):
        counts[topic] -= n
    # Broad areas: the distinct quotes tagged with the area or any of its topics.
    public_links = links.exclude(quote__in=rejected_quotes).annotate(area=Coalesce("topic__parent", "topic"))
    areas = public_links.filter(topic__parent__isnull=False).values_list("area", flat=True).distinct()
    by_area = (
        public_links.filter(area__in=list(areas)).values("area").annotate(n=Count("quote", distinct=True))
    )
    counts.update(by_area.values_list("area", "n"))
    return counts


def topic_facet(quotes):
    """The topics of `quotes` with the most quotes, broad areas counting their topics' quotes
    (each once); as counting.QuoteIndex.facets gives them. Two queries, whatever the topics."""
    counts = dict(
        quotes.exclude(topics__isnull=True)
        .values("topics")
        .annotate(n=Count("pk"))
        .values_list("topics", "n")
    )
    topics = {topic.pk: topic for topic in Topic.objects.select_related("parent")}
    areas = {topic.parent_id for topic in topics.values() if topic.parent_id}
    if areas and counts:
        by_area = (
            quotes.filter(Q(topics__in=areas) | Q(topics__parent__in=areas))
            .annotate(area=Coalesce("topics__parent", "topics"))
            .values("area")
            .annotate(n=Count("pk", distinct=True))
        )
        counts.update(by_area.values_list("area", "n"))
    items = [
        {
            "value": topics[key].slug,
            "label": topic_label(topics[key].name, topics[key].parent.name if topics[key].parent else None),
            "count": n,
        }
        for key, n in counts.items()
        if key in topics
    ]
    items.sort(key=lambda item: (-item["count"], item["label"]))
    return items[:FACET_SIZE]


def topic_label(name, area_name=None):
    """A topic as facets show it: under its broad area ("Economy › Currencies and exchange rates")."""
    return f"{area_name} › {name}" if area_name else name


def topic_tree():
    """[(broad area, [its topics])] by name, each with `quote_count`; topics without an area are
    areas of their own."""
    counts = cached_topic_counts()
    topics = list(Topic.objects.order_by("name"))
    children = {}
    for topic in topics:
        topic.quote_count = counts.get(topic.pk, 0)
        if topic.parent_id:
            children.setdefault(topic.parent_id, []).append(topic)
    return [(topic, children.get(topic.pk, [])) for topic in topics if not topic.parent_id]


# --- events ---------------------------------------------------------------------------------------

# Events that are not statements: no quote can be the event itself.
NOT_STATEMENTS = (Event.Kind.MILITARY, Event.Kind.EXPIRY)
# Caps the work one event search can ask for (each word is one more pair of LIKEs).
MAX_EVENT_WORDS = 8


def listed_events(user=None, candidates=False):
    """Events the lists show: confirmed ones; with `candidates` also those the importer proposed
    and nobody confirmed yet (never rejected ones, except to staff: visible_events)."""
    events = visible_events(user)
    if not candidates:
        events = events.filter(status=Event.Status.CONFIRMED)
    return events


def candidate_events():
    """The events the importer proposed and nobody confirmed or rejected yet."""
    return Event.objects.filter(status=Event.Status.CANDIDATE)


def search_events(events, q):
    """Events whose title or description holds every word of `q`, in any case."""
    for word in WORD_RE.findall(q or "")[:MAX_EVENT_WORDS]:
        events = events.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return events


def event_trigger(event, quotes):
    """The statement that is `event` among `quotes` (those the visitor may see), or None: the one an
    editor chose, else the first one linked to the event that was said on its day by a speaker of
    one of its organisations (Kirby, of the State Department, announcing the suspension). An
    attack or an expiry is no statement. Expects `event.organisations` prefetched."""
    quotes = quotes.select_related("speaker__organisation", "speaker__country", "article")
    if event.trigger_id is not None:
        return quotes.filter(pk=event.trigger_id).first()
    organisations = [organisation.pk for organisation in event.organisations.all()]
    if event.kind in NOT_STATEMENTS or not organisations:
        return None
    return (
        quotes.filter(events=event, said_on=event.date, speaker__organisation__in=organisations)
        .order_by("article__published", "article_id", "start")
        .first()
    )
