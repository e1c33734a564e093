"""The public query language of the quote list: every filter is a URL parameter.

A parameter that does not validate (an unknown slug, a malformed date) becomes a form error shown on
the page and that one filter is ignored; the others still apply (django-filter filters with the
form's cleaned_data, which holds only the fields that validated).
"""

import django_filters
from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, F, OuterRef, Sum
from django.forms.utils import flatatt
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from statements import queries, untrusted
from statements.models import Article, Country, Event, Organisation, Quote, Speaker, Topic

SORT_CHOICES = [
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("relevance", "Best match (when searching)"),
]
# Undated quotes (an article without a date) go last either way, never on top of "newest".
ORDERINGS = {
    "newest": [F("said_on").desc(nulls_last=True), "-id"],
    "oldest": [F("said_on").asc(nulls_last=True), "id"],
    "relevance": ["-rank", F("said_on").desc(nulls_last=True), "-id"],
}


# How many choices the event and organisation menus offer, and how long a built menu is reused.
MENU_CHOICES = 200
MENU_CACHE_SECONDS = 60
# Up to this many speakers, a country or organisation filter lists their ids (see by_speakers).
MAX_LISTED_SPEAKERS = 2000


def event_options():
    events = Event.objects.exclude(status=Event.Status.REJECTED).order_by("-date", "title")
    return ((slug, f"{date:%Y-%m-%d}: {title}") for slug, date, title in events.values_list("slug", "date", "title")[:MENU_CHOICES])


MENUS = {
    "country": lambda: Country.objects.order_by("name").values_list("code", "name"),
    "topic": lambda: Topic.objects.order_by("name").values_list("slug", "name"),
    "organisation": lambda: Organisation.objects.filter(needs_review=False)
    .order_by("name")
    .values_list("slug", "name")[:MENU_CHOICES],
    "event": event_options,
}


def unknown(what):
    return {"invalid_choice": f"No {what} “%(value)s”: this filter was ignored."}


class CountryCodeField(forms.ModelChoiceField):
    """ISO alpha-3 codes in any case: ?country=rus and ?country=RUS are the same filter."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


class CountryCodeFilter(django_filters.ModelChoiceFilter):
    field_class = CountryCodeField


class DateInput(forms.DateInput):
    input_type = "date"


def menu(name):
    """(values, options HTML) of a long menu, built at most once a minute: hundreds of options
    escaped on every list page cost more than the page's queries."""
    key = f"menu:{name}"
    found = cache.get(key)
    if found is None:
        options = list(MENUS[name]())
        found = ({value for value, _ in options}, str(format_html_join("", '<option value="{}">{}</option>', options)))
        cache.set(key, found, MENU_CACHE_SECONDS)
    return found


class FastSelect(forms.Select):
    """A <select> whose options are built with format_html: Django's template per option costs
    about 0.1 ms each, and the filter form has hundreds of options on every list page. A long
    menu comes pre-rendered (`menu_html`, from `menu()`) after the options in `choices`."""

    menu_html = ""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            "<option value=\"{}\"{}>{}</option>",
            (
                (str(option), mark_safe(" selected") if str(option) in selected else "", label)
                for option, label in self.choices
            ),
        )
        menu_html = self.menu_html
        for chosen in selected:
            option = str(format_html('<option value="{}">', chosen))
            menu_html = menu_html.replace(option, option[:-1] + " selected>", 1)
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}{}</select>", flatatt(final_attrs), options, mark_safe(menu_html))


class QuoteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search the quoted words",
        method="filter_q",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. ceasefire"}),
    )
    country = CountryCodeFilter(
        label="Speaker's country",
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
        empty_label="Any country",
        widget=FastSelect,
        error_messages=unknown("country with code"),
    )
    organisation = django_filters.ModelChoiceFilter(
        label="Organisation",
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        method="filter_organisation",
        empty_label="Any organisation",
        widget=FastSelect,
        error_messages=unknown("organisation"),
    )
    speaker = django_filters.ModelChoiceFilter(
        label="Speaker",
        queryset=Speaker.objects.all(),
        to_field_name="slug",
        field_name="speaker",
        widget=forms.HiddenInput,
        error_messages=unknown("speaker"),
    )
    topic = django_filters.ModelChoiceFilter(
        label="Topic",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        method="filter_topic",
        empty_label="Any topic",
        widget=FastSelect,
        error_messages=unknown("topic"),
    )
    event = django_filters.ModelChoiceFilter(
        label="Responding to event",
        queryset=queries.visible_events(),
        to_field_name="slug",
        field_name="events",
        empty_label="Any event",
        widget=FastSelect,
        error_messages=unknown("event"),
    )
    said_after = django_filters.DateFilter(
        label="Said on or after",
        field_name="said_on",
        lookup_expr="gte",
        widget=DateInput,
        error_messages={"invalid": "Dates are written YYYY-MM-DD: this filter was ignored."},
    )
    said_before = django_filters.DateFilter(
        label="Said on or before",
        field_name="said_on",
        lookup_expr="lte",
        widget=DateInput,
        error_messages={"invalid": "Dates are written YYYY-MM-DD: this filter was ignored."},
    )
    source = django_filters.CharFilter(
        label="Outlet",
        method="filter_source",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "e.g. TASS"}),
    )
    kind = django_filters.ChoiceFilter(label="Kind of quote", choices=Quote.Kind.choices, empty_label="Any kind", widget=FastSelect)
    status = django_filters.ChoiceFilter(
        label="Review status", choices=Quote.Status.choices, empty_label="Any status", widget=FastSelect
    )
    sort = django_filters.ChoiceFilter(
        label="Order", choices=SORT_CHOICES, method="keep", empty_label=None, required=False, widget=FastSelect
    )

    class Meta:
        model = Quote
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, fixed=(), **kwargs):
        # Before anything reads a value (the menus look a chosen slug up before the form validates):
        # a control character would reach the database (NUL is a DataError on PostgreSQL), the page
        # and the feed's XML. It becomes U+FFFD, so that filter is ignored like any unknown value.
        data = untrusted.readable_query(data)
        if data is not None and data.get("country"):
            # Codes are upper case: normalising here also selects the right option in the form.
            data = data.copy()
            data["country"] = data["country"].strip().upper()
        super().__init__(data, queryset, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is None or not user.is_staff:
            # The public sees every quote except rejected ones; only staff filter by review state.
            del self.filters["status"]
        # Filters a page pins (the speaker on a speaker page) are neither shown nor read.
        self.fixed = fixed
        for name in fixed:
            self.filters.pop(name, None)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            super().form  # noqa: B018 - builds and keeps self._form
            for name in MENUS:
                self.set_menu(self._form, name)
        return self._form

    def set_menu(self, form, name):
        """The options of a menu as plain values (hundreds of model instances per request cost more
        than the query). Any slug still filters, and a chosen one that the menu does not offer (an
        older event, an unreviewed organisation) stays selected."""
        field = form.fields.get(name)
        if field is None:
            return
        values, html = menu(name)
        chosen = (self.data.get(name) or "").strip() if self.data else ""
        if name == "country":
            chosen = chosen.upper()
        choices = [("", field.empty_label)]
        if chosen and chosen not in values:
            other = field.queryset.filter(**{field.to_field_name: chosen}).first()
            if other is not None:
                choices.append((chosen, str(other)))
        field.widget.choices = choices
        field.widget.menu_html = html

    def cleaned(self):
        """The values that validated (validating the form first if need be)."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - runs the form's validation once
        return self.form.cleaned_data

    @property
    def search(self):
        return self.cleaned().get("q") or ""

    @cached_property
    def requested_sort(self):
        searching = bool(queries.search_query(self.search))
        chosen = self.cleaned().get("sort")
        if chosen == "relevance" and not searching:
            chosen = None  # nothing to rank by
        return chosen or ("relevance" if searching else "newest")

    @cached_property
    def too_many_to_rank(self):
        """Whether the search's words are in too many quotes to rank (the list says so)."""
        return self.requested_sort == "relevance" and queries.too_many_to_rank(self.search)

    @cached_property
    def sort_order(self):
        return "newest" if self.too_many_to_rank else self.requested_sort

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*ORDERINGS[self.sort_order])

    walking = False  # see page_qs

    def filter_q(self, queryset, name, value):
        ranked = self.sort_order == "relevance"
        return queries.search_quotes(queryset, value, ranked=ranked, walk=self.walking)

    @cached_property
    def page_qs(self):
        """`qs` for finding the page asked for. A date-sorted search for a common word, with no
        other filter, then walks the date index (queries.walks_date_index). Not for facets or
        exports: a walk to the 5,000th match, or the last, would check hundreds of thousands."""
        if self.sort_order == "relevance" or not self.search_alone_walks():
            return self.qs
        self.walking = True
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            self.walking = False

    def search_alone_walks(self):
        # another filter changes how many quotes a walk must read: then every match is read first
        others = [name for name, value in self.cleaned().items() if value not in (None, "") and name not in ("q", "sort")]
        if others or self.fixed or not queries.search_query(self.search):
            return False
        if connection.vendor != "sqlite":
            return False  # PostgreSQL's planner estimates matches well and chooses itself
        try:
            page = queries.parse_page(self.data.get("page"))
        except queries.BadPage:
            return False  # the page answers 400
        return queries.walks_date_index(self.search, (page - 1) * queries.PAGE_SIZE, self.total_quotes)

    # How a filter is written decides the plan SQLite picks on a million quotes. A value most quotes
    # share (a big country, a broad topic) is fastest as a correlated EXISTS: the newest-first index
    # is walked and stops after a page of matches. A rare value is fastest as a join that starts
    # from its few quotes. The choice uses a cheap estimate of how many quotes match.

    def is_common(self, matches):
        return queries.is_common(matches, self.total_quotes)

    @cached_property
    def total_quotes(self):
        return queries.newest_quote_id()  # about how many quotes there are

    def filter_topic(self, queryset, name, topic):
        links = Quote.topics.through.objects.filter(topic=topic)
        if self.is_common(queries.cached_topic_counts().get(topic.pk, 0)):
            return queryset.filter(Exists(links.filter(quote=OuterRef("pk"))))
        return queryset.filter(topics=topic)

    def filter_country(self, queryset, name, country):
        # A speaker's country defaults to their organisation's (Speaker.save), so one join suffices.
        return self.by_speakers(queryset, Speaker.objects.filter(country=country), speaker__country=country)

    def filter_organisation(self, queryset, name, organisation):
        # Organisations speaking as a body are speakers linked to themselves (Speaker.save).
        return self.by_speakers(
            queryset, Speaker.objects.filter(organisation=organisation), speaker__organisation=organisation
        )

    def by_speakers(self, queryset, speakers, **join):
        if connection.vendor == "postgresql":
            # PostgreSQL misjudges how many quotes an EXISTS over speakers matches (by 40 times for
            # a big organisation) and then sorts all of them; given the speakers' ids it estimates
            # from its statistics on speaker_id and walks the newest-first index when it should.
            ids = list(speakers.order_by().values_list("pk", flat=True)[: MAX_LISTED_SPEAKERS + 1])
            if len(ids) <= MAX_LISTED_SPEAKERS:
                return queryset.filter(speaker__any=ids)
        if self.is_common(speakers.aggregate(n=Sum("quote_count"))["n"] or 0):
            return queryset.filter(Exists(speakers.filter(pk=OuterRef("speaker_id"))))
        return queryset.filter(**join)

    def filter_source(self, queryset, name, source):
        # Outlets are few and each is common: walk the newest-first index.
        articles = Article.objects.filter(pk=OuterRef("article_id"), source__iexact=source)
        return queryset.filter(Exists(articles))

    def keep(self, queryset, name, value):
        return queryset  # ordering is applied last, in filter_queryset

    def ignored(self):
        """(label, message) for each parameter we ignored, to show above the results."""
        if not self.is_bound:
            return []
        return [
            (self.form.fields[name].label if name in self.form.fields else name, message)
            for name, errors in self.errors.items()
            for message in errors
        ]

    def active(self):
        """The filters in force, as (parameter, label, shown value) for the "remove" chips."""
        chips = []
        for name, value in self.cleaned().items():
            if value in (None, "") or name == "sort":
                continue
            shown = value
            if name in ("said_after", "said_before"):
                shown = value.isoformat()
            elif name == "kind":
                shown = Quote.Kind(value).label
            elif name == "status":
                shown = Quote.Status(value).label
            chips.append((name, self.form.fields[name].label, str(shown)))
        return chips
