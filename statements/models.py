import functools
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, Max, OuterRef, Q, Sum
from django.urls import get_script_prefix, reverse
from django.utils.text import slugify

from statements import names, search
from statements.batching import batched


def detail_url(name, value):
    """reverse(name, args=[value]) for a page addressed by one slug, code or id, built from a
    pattern reversed once: a list page draws over a hundred such links, at 10 µs a reverse()."""
    head, tail = detail_url_parts(name)
    return f"{head}{quote(str(value), safe='')}{tail}"


def detail_url_parts(name):
    """(what comes before, what comes after) the slug or id in the URLs of `name`."""
    return _detail_url_parts(name, get_script_prefix())


@functools.lru_cache(maxsize=None)
def _detail_url_parts(name, script_prefix):
    head, _, tail = reverse(name, args=["0"]).rpartition("0")  # "0" fits int, slug and str
    return head, tail


def unique_slug(model, text, max_length=200, taken=None):
    """A slug for `text` that no row of `model` has yet ("john-kirby", "john-kirby-2"). `taken`: the
    slugs of its rows, read once by a caller that makes many (no query then); the new slug joins it."""
    base = slugify(text)[: max_length - 8] or "item"
    slug, n = base, 1
    while slug in taken if taken is not None else model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    if taken is not None:
        taken.add(slug)
    return slug


class Country(models.Model):
    code = models.CharField("ISO 3166 alpha-3 code", max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    # Demonyms and capital-city metonyms the importer recognises: "Russian", "Moscow", "Kremlin".
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("statements:country_detail", self.code.lower())


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government"
        MINISTRY = "ministry", "Ministry or department"
        MILITARY = "military", "Military"
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental"
        NGO = "ngo", "NGO"
        MEDIA = "media", "Media"
        PARTY = "party", "Political party"
        ARMED_GROUP = "armed_group", "Armed group"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # Found in an article but not in the reference data: an editor should check it.
    needs_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("statements:organisation_detail", self.slug)


class SpeakerQuerySet(models.QuerySet):
    # Caps the work one name search can ask for (each word is one more index range).
    MAX_WORDS = 8

    def named(self, q, prefix=True):
        """Speakers with a name word (of their name or an alias) for every word of `q`, in any
        order, however it is transliterated or accented ("Sergey Lavrov" finds Sergei Lavrov,
        "zaharova" Maria Zakharova); with `prefix`, the words may be the start of name words ("zak",
        as one types). Each word is one range of the name key index (SpeakerNameKey), never a scan.
        A `q` without any word names no one."""
        typed = names.words(q)[: self.MAX_WORDS]
        if not typed:
            return self.none()
        speakers = self
        for word in typed:
            found = Q()
            for key in names.typed_forms(word):
                found |= Q(**names.starting_with(key)) if prefix else Q(key=key)
            speakers = speakers.filter(pk__in=SpeakerNameKey.objects.filter(found).values("speaker_id"))
        return speakers


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation speaking as a body"

    name = models.CharField("canonical name", max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    aliases = models.JSONField(default=list, blank=True)
    role = models.CharField("title or role", max_length=300, blank=True)
    rank = models.CharField(max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="speakers"
    )
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="speakers"
    )
    # Lower-cased, accent-free name and aliases, for the speaker search.
    search_text = models.TextField(blank=True, editable=False)
    # Set when an editor changes the speaker: the importer then never overwrites it.
    curated = models.BooleanField(default=False)
    quote_count = models.PositiveIntegerField(default=0, editable=False)
    # Which article each part of the importer's description came from ({"role": "2016-10-04
    # 000_6de.txt", ...}): a part changes only for a later article, whatever the import order.
    description_keys = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # Speakers page: most quoted first.
            models.Index(fields=["-quote_count", "name"], name="speaker_quote_count_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("statements:speaker_detail", self.slug)

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)
        SpeakerNameKey.refresh([self])

    def fill_derived_fields(self):
        """What save() derives; the importer calls it itself before a bulk_create."""
        from statements.text import fold

        self.search_text = fold(" | ".join([self.name, *self.aliases]))
        # The country filters match on the speaker's own country: default it to the organisation's.
        if self.country_id is None and self.organisation_id is not None:
            self.country_id = self.organisation.country_id
        if self.organisation_id is None and self.kind == self.Kind.ORGANISATION:
            self.organisation = Organisation.objects.filter(name=self.name).first()


class SpeakerNameKey(models.Model):
    """One way a speaker is found by name: the key (names.key) of a word of its name or aliases.
    Kept by Speaker.save() and, for the importer's bulk writes, by refresh(); the search of the
    speakers page, the quote list's names in `q` and the speaker field's suggestions read it."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=names.MAX_KEY)

    class Meta:
        constraints = [
            # Also the index every name lookup reads: a key, or the range of keys a prefix starts.
            models.UniqueConstraint(fields=["key", "speaker"], name="speakernamekey_key_speaker"),
        ]

    def __str__(self):
        return f"{self.key} -> {self.speaker_id}"

    @classmethod
    def refresh(cls, speakers):
        """Writes the keys of `speakers` (saved Speaker instances) again, from their name and aliases."""
        speakers = [speaker for speaker in speakers if speaker.pk is not None]
        for chunk in batched(speakers, 500):  # well under SQLite's limit on query parameters
            cls.objects.filter(speaker__in=[speaker.pk for speaker in chunk]).delete()
            cls.objects.bulk_create(
                cls(speaker_id=speaker.pk, key=key)
                for speaker in chunk
                for key in sorted(names.name_keys(speaker.name, speaker.aliases))
            )


class Topic(models.Model):
    """A subject quotes are about. Topics form a tree two levels deep: a broad area ("Economy")
    and its topics ("Currencies and exchange rates"). A quote is tagged with the most specific
    topic that fits, and a broad area finds its children's quotes too (QuoteQuerySet.about)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text="The broad area this topic belongs to; empty for a broad area itself.",
    )
    description = models.TextField(blank=True, help_text="Shown to readers on the topic's page.")
    # For editors only (the admin): why the rules are as they are. Never shown on public pages.
    editor_notes = models.TextField(blank=True, help_text="For editors only; never shown to readers.")
    # Words and phrases the importer tags quotes with.
    keywords = models.JSONField(default=list, blank=True)
    # Words that point to the topic but say too little alone ("the company", "recovery"): two of
    # them, or one with a keyword, tag a quote.
    weak_keywords = models.JSONField(default=list, blank=True)
    # Co-mention rules: lists of word groups that must all appear ("Syria" + "ceasefire").
    all_of = models.JSONField(default=list, blank=True)
    # Phrases in which this topic's keywords mean something else ("trade show", "market share").
    none_of = models.JSONField(default=list, blank=True)
    proposes_events = models.BooleanField(
        default=True,
        help_text="Whether the importer proposes candidate events from dated developments on this topic "
        "(a ceasefire collapsing on Sunday; not a company launching a phone).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and (self.parent_id == self.pk or self.parent.parent_id):
            raise ValidationError({"parent": "Choose a broad area: topics are two levels deep at most."})
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError({"parent": "A broad area with topics of its own cannot have a parent."})

    def with_children(self):
        """This topic's id and its children's ids: what filtering by it finds."""
        return [self.pk, *self.children.values_list("pk", flat=True)]

    def get_absolute_url(self):
        return detail_url("statements:topic_detail", self.slug)


class Event(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "Agreement"
        ANNOUNCEMENT = "announcement", "Announcement"
        BRIEFING = "briefing", "Briefing"
        MILITARY = "military", "Military action"
        EXPIRY = "expiry", "Expiry"
        MEETING = "meeting", "Meeting"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate (proposed by the importer)"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    date = models.DateField()
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    countries = models.ManyToManyField(Country, blank=True, related_name="events")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="events")
    topics = models.ManyToManyField(Topic, blank=True, related_name="events")
    keywords = models.JSONField(default=list, blank=True)
    # For candidates: the article and sentence the importer proposed it from.
    source_article = models.ForeignKey(
        "Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposed_events"
    )
    source_sentence = models.TextField(blank=True)
    # The statement that is the event (Kirby announcing the suspension), chosen by an editor: its
    # page shows it on top and never lists its speaker as responding. When empty, the page picks
    # one (queries.event_trigger).
    trigger = models.ForeignKey(
        "Quote",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="triggered_events",
        help_text="The statement that is the event (an announcement, a briefing). Leave empty to let the "
        "page pick a statement made on the event's day by one of its organisations.",
    )

    class Meta:
        ordering = ["-date", "title"]
        indexes = [models.Index(fields=["status", "-date"], name="event_status_date_idx")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}: {self.title}"

    def get_absolute_url(self):
        return detail_url("statements:event_detail", self.slug)


class Article(models.Model):
    # Primary sources (issue 16): what the document is. A news article reports what was said; a
    # transcript, statement or readout is the saying itself (ingest/transcripts.py).
    class Kind(models.TextChoices):
        NEWS = "news", "News report"
        TRANSCRIPT = "transcript", "Briefing transcript"
        STATEMENT = "statement", "Official statement"
        READOUT = "readout", "Readout"

    external_id = models.CharField(max_length=300, unique=True)
    source = models.CharField("outlet", max_length=100, blank=True, db_index=True)
    title = models.CharField(max_length=500, blank=True)
    published = models.DateField(null=True, blank=True)
    # True when the date was read from the text rather than given as metadata.
    published_inferred = models.BooleanField(default=False)
    dateline = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    body = models.TextField(help_text="Cleaned text; quote offsets point into it.")
    content_hash = models.CharField(max_length=64)
    needs_review = models.BooleanField(default=False)
    review_note = models.TextField(blank=True)
    kind = models.CharField("document", max_length=12, choices=Kind.choices, default=Kind.NEWS)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published", "external_id"]
        indexes = [models.Index(fields=["-published"], name="article_published_idx")]

    def __str__(self):
        return self.title or self.external_id

    def get_absolute_url(self):
        return detail_url("statements:article_detail", self.pk)

    @property
    def is_primary_source(self):
        return self.kind != self.Kind.NEWS


class Statement(models.Model):
    """One statement and its reports: the quotes of the same words of one speaker in several
    articles (a wire story's updates, TASS and RT on one remark, a transcript and the news quoting
    it, a full quotation and a fragment of it). ingest/grouping.py decides which quotes are one.

    Only statements of two reports or more have a row (and those an editor split out): a quote
    alone has no statement and is its own primary report. A statement's id is the id of the
    report that founded it, so the statement id an export gives a quote alone (its own id) stays
    when a second report joins it."""

    # The founding report's id, never reused: ingest/store.py chooses it.
    id = models.BigIntegerField(primary_key=True)
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    first_said = models.DateField(null=True, blank=True)
    report_count = models.PositiveIntegerField(default=1)
    outlet_count = models.PositiveIntegerField(default=1)
    # The outlets that reported it, the first to do so first: the card names them without a query.
    outlets = models.JSONField(default=list, blank=True)
    # Set when an editor split or joined it: the importer never joins it with another statement.
    curated = models.BooleanField(default=False)

    class Meta:
        ordering = ["-first_said", "-id"]
        indexes = [
            # reports_min=: statements carried by several reports.
            models.Index(fields=["report_count"], name="statement_report_count_idx"),
        ]

    def __str__(self):
        return f"Statement {self.pk} ({self.report_count} reports)"

    def get_absolute_url(self):
        return detail_url("statements:statement_detail", self.pk)


class QuoteQuerySet(models.QuerySet):
    """How pages find quotes, chainable: `Quote.objects.visible_to(user).in_country(c).matching(q)`.

    Filters whose fastest SQL depends on how common the value is (topic, country, organisation)
    choose it here. On a million quotes, a value most quotes share is fastest as a correlated
    EXISTS: the newest-first index is walked and stops after a page of matches. A rare value is
    fastest as a join that starts from its few quotes. They take `total`, about how many quotes
    there are (newest_id()), or a function giving it that they call only when a plan needs it: a
    page that combines several filters then estimates it once, and only if it must.
    """

    # A filter value matching at least this share of all quotes, and more than COMMON_MINIMUM of
    # them, counts as common.
    COMMON_SHARE = 0.02
    COMMON_MINIMUM = 1000

    def visible_to(self, user):
        """Staff see every quote, the public (user None or not staff) all but rejected ones."""
        if user is not None and user.is_staff:
            return self
        return self.exclude(status=self.model.Status.REJECTED)

    def for_listing(self):
        """What a quote row shows: speaker, organisation, country, article, topics and the
        confirmed events it is on (`listed_events`)."""
        confirmed = Event.objects.filter(status=Event.Status.CONFIRMED).only("slug", "title", "date")
        return (
            self.select_related("speaker__organisation", "speaker__country", "article", "statement")
            # Kilobytes of body a row, and lists of names decoded from JSON for every row (a
            # topic's keywords most of all), which a list never shows: a third of a page's time.
            .defer(
                "article__body",
                "speaker__aliases",
                "speaker__description_keys",
                "speaker__search_text",
                "speaker__organisation__aliases",
                "speaker__country__aliases",
            )
            .prefetch_related(
                models.Prefetch("topics", queryset=Topic.objects.only("name", "slug")),
                models.Prefetch("events", queryset=confirmed, to_attr="listed_events"),
            )
        )

    def grouped(self):
        """One row per statement: its primary report (a quote alone is its own)."""
        return self.filter(is_primary_report=True)

    def reported_at_least(self, reports):
        """Quotes of statements with at least `reports` reports (a quote alone has one)."""
        if reports <= 1:
            return self
        return self.filter(statement__report_count__gte=reports)

    def matching(self, query, *, ranked=False, walk=False):
        """Quotes whose text matches the search `query` (a search.SearchQuery, or the text of one).
        `ranked` annotates `rank` (higher is better), which costs a score for every match, so a
        list sorted by date goes without; `walk` only when search.walks_date_index() says so. A
        search without any word leaves the quotes as they are. The engine (SQLite FTS5 or
        PostgreSQL full-text search) is search.py's business."""
        if isinstance(query, str):
            query = search.parse(query)
        if not query:
            return self
        return search.filter_quotes(self, query, with_rank=ranked, walk=walk)

    def newest_id(self):
        """The highest id of all quotes, whatever this queryset's filters: roughly how many quotes
        there are (no COUNT over the table), and what changes when an import adds quotes (so
        counts cached under it show them at once)."""
        return self.model.objects.aggregate(n=Max("pk"))["n"] or 0

    def is_common(self, matches, total=None):
        """Whether `matches` quotes are a large enough share of them all (`total`, see above) that
        walking the newest-first index finds a page of them quickly."""
        if matches <= self.COMMON_MINIMUM:
            return False
        total = self.newest_id() if total is None else total() if callable(total) else total
        return matches >= self.COMMON_SHARE * total

    def about(self, topics, total=None):
        """Quotes tagged with any of `topics` (a Topic or several), a broad area with any of its
        topics. How many quotes they have is counted from their links at most once per import (the
        count is cached under `total`, the newest quote id)."""
        topics = as_list(topics)
        total = self.newest_id() if total is None else total() if callable(total) else total
        links = self.topic_links(topics)
        key = ",".join(str(topic.pk) for topic in topics)
        tagged = cache.get_or_set(f"topic-links:{key}:{total}", links.count)
        if self.is_common(tagged, total):
            return self.filter(Exists(links.filter(quote=OuterRef("pk"))))
        if len(topics) == 1 and topics[0].parent_id is not None:
            return self.filter(topics=topics[0])
        return self.filter(pk__in=links.values("quote"))

    def topic_links(self, topics):
        """The links to `topics` and, for a broad area (no parent), to its topics."""
        areas = [topic.pk for topic in topics if topic.parent_id is None]
        family = Topic.objects.filter(Q(pk__in=[topic.pk for topic in topics]) | Q(parent__in=areas))
        return self.model.topics.through.objects.filter(topic__in=family.values("pk"))

    def in_country(self, countries, total=None):
        """Quotes by speakers of any of `countries` (a Country or several). A speaker's country
        defaults to their organisation's (Speaker.save), so one join suffices."""
        countries = as_list(countries)
        speakers = Speaker.objects.filter(country__in=countries)
        return self.by_speakers(speakers, total, speaker__country__in=countries)

    def in_organisation(self, organisations, total=None):
        """Quotes by people of any of `organisations`, and by an organisation speaking as a body (a
        speaker linked to itself, Speaker.save)."""
        organisations = as_list(organisations)
        speakers = Speaker.objects.filter(organisation__in=organisations)
        return self.by_speakers(speakers, total, speaker__organisation__in=organisations)

    def by_speakers(self, speakers, total=None, **join):
        """Quotes by any of `speakers`; `join` is the same condition written through the quote's
        speaker, for a rare value."""
        ids = search.listed_speaker_ids(speakers)
        if ids is not None:
            return self.filter(speaker__any=ids)
        if self.is_common(speakers.aggregate(n=Sum("quote_count"))["n"] or 0, total):
            return self.filter(Exists(speakers.filter(pk=OuterRef("speaker_id"))))
        return self.filter(**join)

    def from_documents(self, kind):
        """Quotes from documents of `kind` (Article.Kind: "transcript", "news", ...)."""
        return self.filter(article__kind=kind)

    def responding_to(self, events):
        """Quotes linked to any of `events` (an Event or several)."""
        events = as_list(events)
        if len(events) == 1:
            return self.filter(events=events[0])
        return self.filter(pk__in=QuoteEvent.objects.filter(event__in=events).values("quote_id"))

    def from_outlet(self, sources):
        """Quotes from articles of any of the outlets `sources` (names, in any case). Outlets are
        few and each is common: the EXISTS walks the newest-first index."""
        return self.filter(self.from_any_outlet(sources))

    @staticmethod
    def from_any_outlet(sources):
        named = Q()
        for source in [sources] if isinstance(sources, str) else sources:
            named |= Q(source__iexact=source)
        return Exists(Article.objects.filter(named, pk=OuterRef("article_id")))

    def mentioning(self, actors):
        """Quotes whose words name any of `actors` (Country and Organisation instances)."""
        return self.filter(self.mentions_any(actors))

    def mentions_any(self, actors):
        actors = as_list(actors)
        countries = [actor for actor in actors if isinstance(actor, Country)]
        organisations = [actor for actor in actors if isinstance(actor, Organisation)]
        condition = Q(pk__in=[])
        if countries:
            links = self.model.mentioned_countries.through.objects.filter(country__in=countries)
            condition |= Q(Exists(links.filter(quote=OuterRef("pk"))))
        if organisations:
            links = self.model.mentioned_organisations.through.objects.filter(organisation__in=organisations)
            condition |= Q(Exists(links.filter(quote=OuterRef("pk"))))
        return condition

    def excluding(self, name, values):
        """Quotes matching none of `values` of the quote list's filter `name` ("country",
        "topic", ... see filters.REPEATABLE); a quote without a speaker is by no country."""
        values = as_list(values)
        if name == "speaker":
            return self.exclude(speaker__in=values)
        if name == "country":
            return self.exclude(speaker__country__in=values)
        if name == "organisation":
            return self.exclude(speaker__organisation__in=values)
        if name == "topic":
            return self.exclude(Exists(self.topic_links(values).filter(quote=OuterRef("pk"))))
        if name == "event":
            return self.exclude(Exists(QuoteEvent.objects.filter(event__in=values, quote=OuterRef("pk"))))
        if name == "source":
            return self.exclude(self.from_any_outlet(values))
        if name == "mentions":
            return self.exclude(self.mentions_any(values))
        raise ValueError(f"no filter {name!r}")


def as_list(values):
    """One model instance, or several (a list, a QuerySet), as a list."""
    return [values] if isinstance(values, models.Model) else list(values)


def unnamed_source(speaker_id, speaker_role):
    """Quote.unnamed_source from the two columns, for code that reads plain values (the export)."""
    return speaker_role if speaker_id is None else ""


class Quote(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct"
        PARTIAL = "partial", "Partial"
        INDIRECT = "indirect", "Indirect"
        # A transcript turn's paragraph or an official statement's: the speaker's own words, first-hand.
        TURN = "turn", "First-hand (transcript or statement)"

    class Status(models.TextChoices):
        UNREVIEWED = "unreviewed", "Unreviewed"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    # No index of their own (migration 0017): quote_unique_span starts with the article, and
    # quote_speaker_said_on_idx with the speaker; each index costs every quote an import inserts.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes", db_index=False)
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes", db_index=False
    )
    # The speaker's role as this article describes it (roles change; the Speaker keeps the latest).
    speaker_role = models.CharField(
        max_length=300,
        blank=True,
        help_text="How the article describes the speaker here. With no speaker, the description of "
        'a source the article does not name ("a senior Cruz adviser").',
    )
    # What the topic model read of the speaker's organisation at import, kept so that `retag` reads
    # the speaker as the import did (the record's organisation may differ: an editor's, or an
    # earlier article's). Null for quotes imported before it was kept: retag reads the record's.
    speaker_organisation = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        editable=False,
        help_text="The speaker's organisation as this article gives it.",
    )
    text = models.TextField("quoted words")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DIRECT)
    start = models.PositiveIntegerField(help_text="Offset of the first quoted character in the article body.")
    end = models.PositiveIntegerField(help_text="Offset just past the last quoted character.")
    said_on = models.DateField(null=True, blank=True)
    verb = models.CharField("reporting verb", max_length=60, blank=True)
    confidence = models.FloatField(default=0.0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNREVIEWED)
    topics = models.ManyToManyField(Topic, blank=True, related_name="quotes")
    events = models.ManyToManyField(Event, blank=True, through="QuoteEvent", related_name="quotes")
    # The countries and organisations the quoted words name ("Syria", "NATO"): what a quote is
    # about, as opposed to who said it (the speaker's country). Found by the importer's gazetteer.
    mentioned_countries = models.ManyToManyField(Country, blank=True, related_name="mentioned_in")
    mentioned_organisations = models.ManyToManyField(Organisation, blank=True, related_name="mentioned_in")
    # Set when an editor changes the quote: a re-import keeps it exactly as it is.
    curated = models.BooleanField(default=False)
    # A transcript turn's: the reporter's question it answers ("Asked: ..."); null for other quotes.
    # Nullable so that SQLite adds the column in place: a non-null column makes Django rebuild the
    # table, which drops the full-text search triggers (migration 0002) and takes minutes at 1M rows.
    question = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The statement this quote reports, with others (ingest/grouping.py); None for a quote alone.
    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports", editable=False
    )
    # The report its statement is listed by (the transcript turn, else the fullest wording); true
    # for a quote alone. Lists show these only, unless asked for every report.
    is_primary_report = models.BooleanField(default=True, editable=False)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["-said_on", "-id"]
        constraints = [
            # Also the index of article pages (an article's quotes in reading order).
            models.UniqueConstraint(fields=["article", "start", "end"], name="quote_unique_span"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="quote_span_not_empty"),
        ]
        indexes = [
            # Quote list, newest first (the default view) and date-range filters.
            models.Index(fields=["-said_on", "-id"], name="quote_said_on_idx"),
            # Speaker pages and the speaker filter.
            models.Index(fields=["speaker", "-said_on"], name="quote_speaker_said_on_idx"),
            # The few rejected quotes, which public counts leave out (topic_counts).
            models.Index(fields=["id"], condition=Q(status="rejected"), name="quote_rejected_idx"),
            # The admin's review queue: unreviewed quotes, lowest attribution confidence first.
            models.Index(fields=["status", "confidence", "id"], name="quote_review_queue_idx"),
        ]

    def __str__(self):
        words = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return f"“{words}”"

    def get_absolute_url(self):
        return detail_url("statements:quote_detail", self.pk)

    @property
    def statement_key(self):
        """The stable id of the statement this quote reports: its statement's, or its own when
        it is alone (a statement takes the id of the report that founded it)."""
        return self.statement_id or self.pk

    # speaker_role means two things: read it through these two, never directly.
    @property
    def unnamed_source(self):
        """How the article describes a source it does not name ("a senior Cruz adviser"), or ""
        for a quote with a speaker (or with no one at all)."""
        return unnamed_source(self.speaker_id, self.speaker_role)

    @property
    def role_here(self):
        """The named speaker's role as this article gives it, else their latest; "" when there is
        no named speaker."""
        if self.speaker_id is None:
            return ""
        return self.speaker_role or self.speaker.role


class QuoteEvent(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE)
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    confidence = models.FloatField(default=1.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quote", "event"], name="quote_event_unique"),
        ]
        # Event pages: the statements responding to an event.
        indexes = [models.Index(fields=["event", "quote"], name="quoteevent_event_idx")]

    def __str__(self):
        return f"{self.quote_id} -> {self.event_id} ({self.confidence:.2f})"


# --- curation (issue 18) ---------------------------------------------------------------------------


class QuoteToReview(Quote):
    """The admin's review queue: the same quotes, listed for deciding (statements/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = "quote to review"
        verbose_name_plural = "review queue"


class SpeakerMerge(models.Model):
    """A speaker record merged into another: what it was, and where its URL now leads. Old speaker
    pages and `?speaker=` values redirect (301) to the survivor, as simonwillisonblog keeps a
    PreviousTagName for every merged tag."""

    survivor = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="merges")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    role = models.CharField(max_length=300, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    quotes_moved = models.PositiveIntegerField(default=0)
    merged_at = models.DateTimeField(auto_now_add=True)
    # Who merged it; empty for `merge_duplicate_speakers`, which merges what the importer split.
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]
        indexes = [
            # A speaker page or ?speaker= value that names no speaker: was it merged?
            models.Index(fields=["slug", "-merged_at"], name="speakermerge_slug_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.slug}) -> {self.survivor}"

    @classmethod
    def survivor_slug(cls, slug):
        """The slug of the speaker that the merged record `slug` is now part of, or None."""
        return cls.objects.filter(slug=slug).values_list("survivor__slug", flat=True).first()
