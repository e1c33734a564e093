"""The public query language of the quote list: every filter is a URL parameter.

A parameter that does not validate (an unknown slug, a malformed date) becomes a form error shown on
the page and that one filter is ignored; the others still apply (django-filter filters with the
form's cleaned_data, which holds only the fields that validated).
"""

import copy
import datetime
import itertools

import django_filters
from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from statements import days, queries, search, untrusted
from statements.models import Article, Country, Event, Organisation, Quote, Speaker, Topic
from statements.pagination import PAGE_SIZE
from statements.text import fold

SORT_CHOICES = [
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("relevance", "Best match"),
]
# The order menu's choice when there is nothing to search for yet (sent as no `sort` at all).
DEFAULT_ORDER = "Newest, or best match"
# Undated quotes (an article without a date) go last either way, never on top of "newest".
ORDERINGS = {
    "newest": [F("said_on").desc(nulls_last=True), "-id"],
    "oldest": [F("said_on").asc(nulls_last=True), "id"],
    "relevance": ["-rank", F("said_on").desc(nulls_last=True), "-id"],
}


# How many choices the event and organisation menus offer, and how long a built menu is reused.
MENU_CHOICES = 200
MENU_CACHE_SECONDS = 60


def event_options():
    events = Event.objects.exclude(status=Event.Status.REJECTED).order_by("-date", "title")
    rows = events.values_list("slug", "date", "title")[:MENU_CHOICES]
    return [(slug, f"{date:%Y-%m-%d}: {title}") for slug, date, title in rows]


def reviewed_organisations():
    return Organisation.objects.filter(needs_review=False).order_by("name").values_list("slug", "name")


def mention_options():
    """Countries (by code) and reviewed organisations (by slug), one menu in name order."""
    countries = Country.objects.values_list("code", "name")
    return sorted([*countries, *reviewed_organisations()[:MENU_CHOICES]], key=lambda option: option[1])


MENUS = {
    "country": lambda: Country.objects.order_by("name").values_list("code", "name"),
    "topic": lambda: Topic.objects.order_by("name").values_list("slug", "name"),
    "organisation": lambda: reviewed_organisations()[:MENU_CHOICES],
    "event": event_options,
    "mentions": mention_options,
}

# The parameters that may be repeated, their values OR-ed (`country=RUS&country=SYR`), and negated:
# `-country=USA` (or `country=-USA`) leaves out the quotes that match. Different parameters AND.
REPEATABLE = ("speaker", "organisation", "country", "topic", "event", "source", "mentions")
NOT = "-"


def read_query(data):
    """The request's parameters as the filters read them: `country=-USA` moved to `-country=USA`,
    country codes upper-cased (?country=rus and ?country=RUS are one filter, and the menu selects
    the option), and empty values dropped (the form's "Any country" sends `country=`)."""
    if data is None:
        return None
    if not isinstance(data, QueryDict):
        query = QueryDict(mutable=True)
        for key, value in data.items():
            query.setlist(key, value if isinstance(value, list) else [value])
        data = query
    if not any(name in data or NOT + name in data for name in REPEATABLE):
        return data
    data = data.copy()
    for name in REPEATABLE:
        chosen, excluded = [], []
        for key, into in ((name, chosen), (NOT + name, excluded)):
            for value in data.getlist(key):
                value = value.strip()
                if name == "country":
                    value = value.upper()
                if value.startswith(NOT) and key == name:
                    excluded.append(value[1:].strip())
                elif value:
                    into.append(value)
        for key, values in ((name, chosen), (NOT + name, excluded)):
            if values:
                data.setlist(key, list(dict.fromkeys(values)))
            else:
                data.pop(key, None)
    return data


def unknown(what):
    return {"invalid_choice": f"No {what} “%(value)s”: this filter was ignored."}


class DayInput(forms.TextInput):
    """A day written as the site prints it ("4 Oct 2016"): a browser's date picker shows the
    reader's locale (mm/dd/yyyy in the US) while every page prints "4 Oct 2016"."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "e.g. 4 Oct 2016", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return days.show_day(value)
        parsed = days.parse_day(value) if isinstance(value, str) else None
        return days.show_day(parsed) if parsed else super().format_value(value)


class DayField(forms.DateField):
    """A day as the site prints it or in ISO form (statements/days.py); nothing else is guessed."""

    widget = DayInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        day = days.parse_day(value)
        if day is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class DayFilter(django_filters.DateFilter):
    field_class = DayField


BAD_DAY = {"invalid": f"{days.HOW_TO_WRITE}: this filter was ignored."}


OPTION = '<option value="{}"{}>{}</option>'
SELECTED = mark_safe(" selected")  # a constant attribute, for OPTION's second field


def options_html(choices, selected=()):
    """<option> elements for (value, label) pairs, those whose value is in `selected` selected."""
    return format_html_join(
        "", OPTION, ((value, SELECTED if str(value) in selected else "", label) for value, label in choices)
    )


# What a search that names a country, an organisation or a topic is offered instead:
# {menu: [(parameter, what the link lists)]}.
NAMED_FILTERS = {
    "country": [("mentions", "quotes that mention {name}"), ("country", "quotes by speakers from {name}")],
    "organisation": [
        ("mentions", "quotes that mention {name}"),
        ("organisation", "quotes by {name} and its people"),
    ],
    "topic": [("topic", "quotes on {name}")],
}
KIND_NAMES = {"country": "a country", "organisation": "an organisation", "topic": "a topic"}


class Menu:
    """A long menu's options, rendered once when the menu is built: hundreds of options escaped on
    every list page cost more than the page's queries. Kept in the cache (menu()), which unpickles
    it on every request: hence one string of options and their offsets, not a string per option."""

    def __init__(self, choices):
        self.values = [str(value) for value, _ in choices]
        self.labels = [str(label) for _, label in choices]
        options = [
            str(format_html(OPTION, value, "", label)) for value, label in zip(self.values, self.labels)
        ]
        self.options_html = "".join(options)
        self.starts = list(itertools.accumulate((len(option) for option in options), initial=0))

    def value_named(self, text):
        """The value whose label is `text`, in any case and with or without accents, or None."""
        if not hasattr(self, "_by_label"):
            self._by_label = {fold(label).strip(): value for value, label in zip(self.values, self.labels)}
        return self._by_label.get(fold(" ".join(text.split())))

    def label_of(self, value):
        return self.labels[self.values.index(value)]

    def html(self, selected):
        """The options, with those whose value is in `selected` rendered again as selected."""
        html, cursor = [], 0
        for index, value in enumerate(self.values):
            if value in selected:
                html.append(self.options_html[cursor : self.starts[index]])
                html.append(format_html(OPTION, value, SELECTED, self.labels[index]))
                cursor = self.starts[index + 1]
        html.append(self.options_html[cursor:])
        # the options format_html built when the menu was, and the chosen ones rendered again
        return mark_safe("".join(html))


def menu(name):
    """The Menu `name`, built at most once a minute."""
    return cache.get_or_set(f"menu:{name}", lambda: Menu(list(MENUS[name]())), MENU_CACHE_SECONDS)


class FastSelect(forms.Select):
    """A <select> built with format_html: Django's template per option costs about 0.1 ms each,
    and the filter form has hundreds of options on every list page. A long menu (`menu`, a Menu)
    comes after the options in `choices`."""

    menu = None
    # The option shown as chosen when the request chose none (the order a search gets by default).
    shown = None

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value) if v}
        if not selected and self.shown is not None:
            selected = {self.shown}
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        return format_html(
            "<select{}>{}{}</select>",
            flatatt(final_attrs),
            options_html(self.choices, selected),
            self.menu.html(selected) if self.menu else "",
        )


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


REPORTS_CHOICES = [("all", "Every report")]


class FastSelectMultiple(FastSelect):
    """A FastSelect of which several options may be chosen: each is one more `name=value`."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"size": 5, **(attrs or {})})


class RepeatedTextInput(forms.TextInput):
    """A text field per value given (one when none): `source=TASS&source=RIA` shows two."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def render(self, name, value, attrs=None, renderer=None):
        values = value if isinstance(value, list | tuple) else [value]
        fields = [
            super(RepeatedTextInput, self).render(name, v, attrs if i == 0 else {}, renderer)
            for i, v in enumerate(values or [""])
        ]
        return mark_safe("".join(fields))  # each rendered by Django's own template


class TextListField(forms.Field):
    """A list of short texts (the outlets): `max_length` each."""

    def __init__(self, *, max_length=None, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_python(self, value):
        values = [value] if isinstance(value, str) else list(value or [])
        values = [v.strip() for v in values if v and v.strip()]
        if self.max_length and any(len(v) > self.max_length for v in values):
            raise ValidationError(f"At most {self.max_length} characters: this filter was ignored.")
        return values


class TextListFilter(django_filters.Filter):
    field_class = TextListField


class MentionsField(forms.Field):
    """Countries (by ISO code, any case) and organisations (by slug) a quote names: a list of
    Country and Organisation instances."""

    widget = FastSelectMultiple

    def to_python(self, value):
        values = [value] if isinstance(value, str) else list(value or [])
        values = [v.strip() for v in values if v and v.strip()]
        if not values:
            return []
        codes = {v.upper() for v in values if len(v) == 3}
        countries = {c.code: c for c in Country.objects.filter(code__in=codes)} if codes else {}
        organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=values)}
        found, unknown_values = [], []
        for v in values:
            actor = countries.get(v.upper()) or organisations.get(v)
            (found if actor is not None else unknown_values).append(actor or v)
        if unknown_values:
            raise ValidationError(
                f"No country or organisation “{unknown_values[0]}”: this filter was ignored."
            )
        return found


class MentionsFilter(django_filters.Filter):
    field_class = MentionsField


class QuoteFilter(django_filters.FilterSet):
    """URL parameters to QuoteQuerySet calls. The search is applied by filter_queryset (not as a
    field's filter), so the page's own query can choose how it searches (page_qs)."""

    q = django_filters.CharFilter(
        label="Search the quoted words",
        method="keep",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. ceasefire"}),
    )
    country = django_filters.ModelMultipleChoiceFilter(
        label="Speaker's country",
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_values",
        widget=FastSelectMultiple,
        error_messages=unknown("country with code"),
    )
    organisation = django_filters.ModelMultipleChoiceFilter(
        label="Speaker's organisation",
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        method="filter_values",
        widget=FastSelectMultiple,
        error_messages=unknown("organisation"),
    )
    mentions = MentionsFilter(
        label="Mentions (country or organisation)",
        method="filter_values",
    )
    speaker = django_filters.ModelMultipleChoiceFilter(
        label="Speaker",
        queryset=Speaker.objects.all(),
        to_field_name="slug",
        method="filter_values",
        widget=forms.MultipleHiddenInput,
        error_messages=unknown("speaker"),
    )
    topic = django_filters.ModelMultipleChoiceFilter(
        label="Topic",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        method="filter_values",
        widget=FastSelectMultiple,
        error_messages=unknown("topic"),
    )
    event = django_filters.ModelMultipleChoiceFilter(
        label="Responding to event",
        queryset=queries.visible_events(),
        to_field_name="slug",
        method="filter_values",
        widget=FastSelectMultiple,
        error_messages=unknown("event"),
    )
    said_after = DayFilter(
        label="Said on or after", field_name="said_on", lookup_expr="gte", error_messages=BAD_DAY
    )
    said_before = DayFilter(
        label="Said on or before", field_name="said_on", lookup_expr="lte", error_messages=BAD_DAY
    )
    source = TextListFilter(
        label="Outlet",
        method="filter_values",
        max_length=100,
        widget=RepeatedTextInput(attrs={"placeholder": "e.g. TASS"}),
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of quote", choices=Quote.Kind.choices, empty_label="Any kind", widget=FastSelect
    )
    document = django_filters.ChoiceFilter(
        label="Document",
        choices=Article.Kind.choices,
        empty_label="Any document",
        method="filter_document",
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        label="Review status", choices=Quote.Status.choices, empty_label="Any status", widget=FastSelect
    )
    # Grouping of reports (ingest/grouping.py): one card per statement unless reports=all.
    reports = django_filters.ChoiceFilter(
        label="Reports",
        choices=REPORTS_CHOICES,
        method="keep",
        empty_label="One per statement",
        widget=FastSelect,
    )
    reports_min = WholeNumberFilter(
        label="Reported at least (times)",
        method="filter_reports_min",
        min_value=1,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"min": 1, "placeholder": "e.g. 2"}),
        error_messages={"invalid": "Write a whole number of reports: this filter was ignored."},
    )
    sort = django_filters.ChoiceFilter(
        label="Order",
        choices=SORT_CHOICES,
        method="keep",
        empty_label=None,
        required=False,
        widget=FastSelect,
    )

    class Meta:
        model = Quote
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, fixed=(), **kwargs):
        # Before anything reads a value (the menus look a chosen slug up before the form validates):
        # a control character would reach the database (NUL is a DataError on PostgreSQL), the page
        # and the feed's XML. It becomes U+FFFD, so that filter is ignored like any unknown value.
        data = read_query(untrusted.readable_query(data))
        super().__init__(data, queryset, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is None or not user.is_staff:
            # The public sees every quote except rejected ones; only staff filter by review state.
            del self.filters["status"]
        # Filters a page pins (the speaker on a speaker page) are neither shown nor read.
        self.fixed = fixed
        for name in fixed:
            self.filters.pop(name, None)
            self.filters.pop(NOT + name, None)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            super().form  # noqa: B018 - builds and keeps self._form
            for name in MENUS:
                self.set_menu(self._form, name)
            self.set_sort_menu(self._form)
        return self._form

    def set_sort_menu(self, form):
        """The order menu: "Best match" first, and chosen by default, when there are words to
        search for; else "best match, or newest" (no `sort`), so that a search typed into the form
        is listed best match first, and sent again keeps its order."""
        field = form.fields.get("sort")
        if field is None:
            return
        if self.search_query:
            field.widget.choices = [SORT_CHOICES[2], *SORT_CHOICES[:2]]
            field.widget.shown = self.requested_sort
        else:
            # no value: a search typed into this form is then listed best match first
            field.widget.choices = [("", DEFAULT_ORDER), *SORT_CHOICES[:2]]
            field.widget.shown = "" if not self.cleaned().get("sort") else None

    def set_menu(self, form, name):
        """The options of a menu as plain values (hundreds of model instances per request cost more
        than the query). Any slug still filters, and a chosen one that the menu does not offer (an
        older event, an unreviewed organisation) stays selected."""
        field = form.fields.get(name)
        if field is None:
            return
        long_menu = menu(name)
        chosen = (
            [value for value in self.data.getlist(name) if value not in long_menu.values] if self.data else []
        )
        choices = []
        if chosen and hasattr(field, "queryset"):
            others = field.queryset.filter(**{f"{field.to_field_name}__in": chosen})
            choices = [(getattr(other, field.to_field_name), str(other)) for other in others]
        field.widget.choices = choices
        field.widget.menu = long_menu

    def cleaned(self):
        """The values that validated (validating the form first if need be), with the speaker the
        search names (named_speaker) as the speaker filter when it is applied."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - runs the form's validation once
        values = self.form.cleaned_data
        named = self.named_speaker
        if named is not None and named.applied and not given(values.get("speaker")):
            values["speaker"] = [named.speaker]
        return values

    @property
    def search(self):
        """The search as typed (after validation), for the page to show."""
        if not self.is_bound:
            return ""
        self.errors  # noqa: B018 - runs the form's validation once
        return self.form.cleaned_data.get("q") or ""

    @property
    def chosen_speakers(self):
        """The speakers the request chose (`speaker=`), not the one its search names: the form's
        speaker field lists them, each with a box to untick."""
        if not self.is_bound or "speaker" not in self.filters or not self.data.getlist("speaker"):
            return []
        self.errors  # noqa: B018 - runs the form's validation once
        return list(self.form.cleaned_data.get("speaker") or [])

    @cached_property
    def typed_query(self):
        """The search as typed, parsed."""
        return search.parse(self.search)

    @cached_property
    def named_speaker(self):
        """The speaker the search's bare words name (queries.NamedSpeaker), or None; never on a
        speaker's page. With speakers chosen (`speaker=`), only one of them."""
        if not self.typed_query or "speaker" not in self.filters:
            return None
        named = queries.named_speaker(self.typed_query, self.queryset)
        chosen = self.form.cleaned_data.get("speaker")
        if named is None or not given(chosen):
            return named
        # Speakers chosen already (the form sent again): a name among them filters nothing more,
        # and is not searched for in the quotes' words either; another name is only words.
        if named.speaker in chosen:
            named.applied = True
            return named
        return None

    def named_filters(self):
        """The countries, organisations and topics the search names by their whole name ("Syria",
        "Kremlin", "Sanctions"), with links that filter by them instead of searching for the
        words: [(kind, name, [(what the link lists, its query string)])]. From the menus, which
        are cached: no query."""
        if not self.search or not self.typed_query:
            return []
        texts = [self.search, *(word for _, word in self.typed_query.plain_words)]
        found, seen = [], set()
        for text in dict.fromkeys(texts):
            for kind, parameters in NAMED_FILTERS.items():
                if kind not in self.filters:
                    continue
                value = menu(kind).value_named(text)
                if value is None or (kind, value) in seen:
                    continue
                seen.add((kind, value))
                name = menu(kind).label_of(value)
                links = [
                    (
                        what.format(name=name),
                        self.query_string(q=search.remove_words(self.search, [text]), **{parameter: value}),
                    )
                    for parameter, what in parameters
                    if parameter in self.filters
                ]
                found.append((KIND_NAMES[kind], name, links))
        return found

    def query_string(self, q, **added):
        """This list's query string with the search `q` and the values `added` to their
        parameters, from the first page."""
        query = self.data.copy() if self.data is not None else QueryDict(mutable=True)
        for key in ("page", "format", "speaker_name"):
            query.pop(key, None)
        if q:
            query["q"] = q
        else:
            query.pop("q", None)
        for key, value in added.items():
            if value not in query.getlist(key):
                query.appendlist(key, value)
        return "?" + query.urlencode()

    @cached_property
    def search_query(self):
        """The search parsed, once per request: what filters, ranks and highlights. Words that
        name the speaker the list is filtered by are not searched for in the quotes' text."""
        named = self.named_speaker
        if named is not None and named.applied:
            return self.typed_query.without(named.groups)
        return self.typed_query

    @cached_property
    def requested_sort(self):
        chosen = self.cleaned().get("sort")
        if chosen == "relevance" and not self.search_query:
            chosen = None  # nothing to rank by
        return chosen or ("relevance" if self.search_query else "newest")

    @cached_property
    def too_many_to_rank(self):
        """Whether the search's words are in too many quotes to rank (the list says so)."""
        return self.requested_sort == "relevance" and search.too_many_to_rank(
            self.queryset, self.search_query
        )

    @cached_property
    def sort_order(self):
        return "newest" if self.too_many_to_rank else self.requested_sort

    def filter_queryset(self, queryset, walk=False):
        """Every filter in force, then the order. `walk`: search by walking the date index (see
        search.walks_date_index), for the page's own rows only."""
        self.cleaned()  # the speaker the search names joins the filters first
        queryset = queryset.matching(self.search_query, ranked=self.sort_order == "relevance", walk=walk)
        queryset = super().filter_queryset(queryset)
        if self.grouped:
            queryset = queryset.grouped()
        return queryset.order_by(*ORDERINGS[self.sort_order])

    @cached_property
    def grouped(self):
        """Whether the list shows one card per statement (its primary report), as it does unless
        asked for every report (reports=all) or filtered by outlet or kind of document, where that
        outlet's or document's own report is what is asked for."""
        filters = self.cleaned()
        if filters.get("reports") == "all" or filters.get("source") or filters.get("document"):
            return False
        return "source" not in self.fixed

    def page_qs(self, number):
        """`qs` for finding page `number`. A date-sorted search for a common word, with no other
        filter, then walks the date index. Not for facets or exports: a walk to the 5,000th match,
        or the last, would check hundreds of thousands of quotes."""
        if self.search_alone_walks(number):
            return self.filter_queryset(self.queryset.all(), walk=True)
        return self.qs

    def search_alone_walks(self, number):
        if self.sort_order == "relevance" or self.fixed:
            return False
        # another filter changes how many quotes a walk must read: then every match is read first
        others = [
            name for name, value in self.cleaned().items() if given(value) and name not in ("q", "sort")
        ]
        offset = (number - 1) * PAGE_SIZE
        return not others and search.walks_date_index(self.queryset, self.search_query, offset, PAGE_SIZE)

    @cached_property
    def total_quotes(self):
        return self.queryset.newest_id()

    def total(self):
        # given to the planned filters as a function: read once a request, and only if one needs it
        return self.total_quotes

    def filter_topic(self, queryset, name, topic):
        return queryset.about(topic, self.total)

    def filter_country(self, queryset, name, country):
        return queryset.in_country(country, self.total)

    def filter_organisation(self, queryset, name, organisation):
        return queryset.in_organisation(organisation, self.total)

    def filter_reports_min(self, queryset, name, reports):
        return queryset.reported_at_least(reports)

    def filter_source(self, queryset, name, source):
        return queryset.from_outlet(source)

    def filter_values(self, queryset, name, values):
        """Quotes matching any of `values` of the parameter `name`, or none of them (`-name`)."""
        values = list(values)
        if not values:
            return queryset
        if name.startswith(NOT):
            return queryset.excluding(name[len(NOT) :], values)
        if name == "speaker":
            return queryset.filter(speaker__in=values)
        if name == "topic":
            return queryset.about(values, self.total)
        if name == "country":
            return queryset.in_country(values, self.total)
        if name == "organisation":
            return queryset.in_organisation(values, self.total)
        if name == "event":
            return queryset.responding_to(values)
        if name == "source":
            return queryset.from_outlet(values)
        return queryset.mentioning(values)

    def filter_document(self, queryset, name, kind):
        return queryset.from_documents(kind)

    def keep(self, queryset, name, value):
        return queryset  # the search and the order are applied in filter_queryset

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
        """The filters in force, as (parameter, label, shown value, value in the URL) for the
        "remove" chips: one chip per value of a repeated parameter."""
        chips = []
        named = self.named_speaker if self.named_speaker and self.named_speaker.applied else None
        for name, value in self.cleaned().items():
            if not given(value) or name == "sort":
                continue
            label = self.form.fields[name].label
            if named is not None and name == "speaker" and not self.data.getlist("speaker"):
                continue  # the speaker the search names: its chip takes the name out of the search
            if named is not None and name == "q":
                # removing either chip takes its words out of the search
                if not self.data.getlist("speaker"):
                    chips.append(
                        ("q", "Speaker named in the search", str(named.speaker), " ".join(named.words))
                    )
                if rest := search.remove_words(value, named.words):
                    chips.append(("q", label, rest, rest))
                continue
            if name.lstrip(NOT) in REPEATABLE:
                for item in value:
                    chips.append((name, label, str(item), url_value(item)))
                continue
            shown = value
            if name in ("said_after", "said_before"):
                shown = days.show_day(value)
            elif name == "kind":
                shown = Quote.Kind(value).label
            elif name == "document":
                shown = Article.Kind(value).label
            elif name == "status":
                shown = Quote.Status(value).label
            elif name == "reports":
                shown = dict(REPORTS_CHOICES)[value]
            chips.append((name, label, str(shown), None))
        return chips


def left_out(name):
    """The filter `-name`: the values of the filter `name`, whose quotes are left out; hidden in
    the form, so that the form keeps them."""
    excluded = copy.deepcopy(QuoteFilter.base_filters[name])
    excluded.field_name = NOT + name
    excluded.label = f"Not {excluded.label[0].lower()}{excluded.label[1:]}"
    excluded.extra["widget"] = forms.MultipleHiddenInput
    return excluded


QuoteFilter.base_filters.update((NOT + name, left_out(name)) for name in REPEATABLE)


def given(value):
    """Whether a cleaned value says something: not None, "", nor an empty list or QuerySet."""
    if value is None or isinstance(value, str):
        return bool(value)
    return not hasattr(value, "__len__") or len(value) > 0


def url_value(item):
    """How a filter value is written in the URL: a country's code, another model's slug, an outlet."""
    if isinstance(item, Country):
        return item.code
    return getattr(item, "slug", item)


# --- the events list --------------------------------------------------------------------------------


class EventSearchForm(forms.Form):
    """/events/'s parameters: words of the title or description, a date range and the switch that
    adds the importer's unconfirmed proposals. A value that does not validate is ignored, with a
    message, like the quote list's."""

    q = forms.CharField(
        label="Words in the title or description",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. ceasefire"}),
    )
    after = DayField(label="On or after", required=False, error_messages=BAD_DAY)
    before = DayField(label="On or before", required=False, error_messages=BAD_DAY)
    candidates = forms.BooleanField(label="Include unconfirmed events the importer proposed", required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(untrusted.readable_query(data), **kwargs)

    def cleaned(self):
        """The values that validated (the others are left out)."""
        self.is_valid()
        return self.cleaned_data

    def ignored(self):
        return [
            (self.fields[name].label, message) for name, errors in self.errors.items() for message in errors
        ]

    def filter(self, events):
        values = self.cleaned()
        events = queries.search_events(events, values.get("q"))
        if values.get("after"):
            events = events.filter(date__gte=values["after"])
        if values.get("before"):
            events = events.filter(date__lte=values["before"])
        return events
