from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, F
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from statements import charts, counting, days, export, queries, search, untrusted
from statements.filters import ORDERINGS, EventSearchForm, QuoteFilter
from statements.models import Article, Country, Organisation, Quote, Speaker, SpeakerMerge, Statement, Topic
from statements.pagecache import kept_for_visitors
from statements.pagination import BadPage, page_of, parse_page, quote_page

RECENT = 10
EVENTS_PER_PAGE = 50
HOME_EVENTS = 4
# An event page shows this many responses (the first, in time order) and links to the full
# filtered list for the rest: a page of 100 took 50 ms to draw.
EVENT_QUOTES_SHOWN = 50
# An article page marks and lists at most this many of its quotes, in text order, and pages through
# the rest: an article of 45,000 quotes (a transcript) made a page of tens of megabytes.
ARTICLE_QUOTES_SHOWN = 1000
EXPORT_FORMATS = {
    "csv": (export.csv_lines, "text/csv; charset=utf-8"),
    "json": (export.json_array_chunks, "application/json; charset=utf-8"),
}


def bad_request(request, message):
    return render(request, "statements/bad_request.html", {"message": message}, status=400)


def quote_list_context(request, quotes, *, fixed=(), facet_names=None):
    """Filters, one page and facets of `quotes`; returns (context, error message or None), or
    (None, a redirect) for a merged speaker's old slug."""
    try:
        number = parse_page(request.GET.get("page"))
    except BadPage as exc:
        return None, str(exc)
    filterset = QuoteFilter(request.GET, queryset=quotes, request=request, fixed=fixed)
    if (moved := merged_speaker_list(request, filterset)) is not None:
        return None, moved
    # Sorted by date, the page's ids come from the counting index, as do the facets below
    page = counting.quote_page(filterset, number) or quote_page(filterset.page_qs(number), number)
    names = facet_names or queries.FACET_NAMES
    # From the in-memory counting index (exact, milliseconds for any combination), else with SQL
    facets = counting.quote_facets(filterset, names) or queries.cached_quote_facets(filterset.qs, names)
    if facets.get("counted_with") != "index":
        request.keep_page = False  # counted from a sample while the index is built: not to be kept
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "facets": facets,
        "search": filterset.search,
        "search_query": filterset.search_query,
        "ignored": filterset.ignored(),
        "active": filterset.active(),
        "sort": filterset.sort_order,
        "too_many_to_rank": filterset.too_many_to_rank,
        "grouped": filterset.grouped,
        "rank_limit": search.RANK_LIMIT,
    }
    context.update(search_notes(filterset, quotes, page))
    return context, None


def search_notes(filterset, quotes, page):
    """What the page says about the search: the speaker its words name (the list filtered by them,
    or offered), and "did you mean" when it found nothing."""
    notes = {}
    named = filterset.named_speaker
    if named is not None:
        rest = search.remove_words(filterset.search, named.words)
        notes["named"] = named
        notes["named_choices"] = named.others if named.applied else [named.speaker, *named.others]
        notes["search_without_name"] = rest or None
        notes["search_as_words"] = search.quote_words(filterset.search, named.words)
    notes["named_filters"] = filterset.named_filters()
    if filterset.search and not page.items and page.number == 1:
        notes["spelling"] = queries.spelling_fix(filterset.search, quotes)
    return notes


def merged_speaker_list(request, filterset):
    """A list asked for by a merged speaker's old slug (`?speaker=old-slug`, a bookmark): a
    permanent redirect to the same list of the survivor. Looked up only when the filter found
    no speaker of that slug, so a list costs no query more."""
    if "speaker" not in filterset.filters or "speaker" not in filterset.errors:
        return None
    query = request.GET.copy()
    slugs = query.getlist("speaker")
    survivors = [SpeakerMerge.survivor_slug(slug) or slug for slug in slugs]
    if survivors == slugs:
        return None
    query.setlist("speaker", survivors)
    return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")


def without_empty_parameters(request):
    """The page's address less its empty parameters (?q=&country=RUS&topic= -> ?country=RUS), or
    None when it has none: a shared link then says only what it filters. (Exports are never
    redirected: `format=csv|json` answers at its own address.)"""
    pairs = [(key, value) for key, values in request.GET.lists() for value in values]
    kept = [(key, value) for key, value in pairs if value.strip(" ")]  # (str.strip() takes \x1f too)
    if len(kept) == len(pairs):
        return None
    return request.path + (f"?{urlencode(kept)}" if kept else "")


def speaker_typed(request):
    """The speaker field's text, sent without JavaScript (`speaker_name=Lavrov`): (the same list
    with that speaker chosen as `speaker=` beside any chosen before, or None; what the page says
    when the name names no one or several)."""
    typed = untrusted.readable_query(request.GET).get("speaker_name", "").strip()[:200]
    if not typed:
        return None, {}
    speaker, choices = queries.speaker_by_name(typed)
    query = request.GET.copy()
    query.pop("speaker_name")
    query.pop("page", None)
    if speaker is not None:
        if speaker.slug not in query.getlist("speaker"):
            query.appendlist("speaker", speaker.slug)
        return f"{request.path}?{query.urlencode()}", {}
    spelt_like = [] if choices else (queries.speakers_spelt_like(typed) or ("", []))[1]
    links = [(speaker, f"?{with_speaker(query, speaker)}") for speaker in choices or spelt_like]
    return None, {"speaker_typed": typed, "speaker_typed_known": bool(choices), "speaker_typed_links": links}


def with_speaker(query, speaker):
    query = query.copy()
    query.appendlist("speaker", speaker.slug)
    return query.urlencode()


def render_quote_list(request, template, quotes, extra, chart=False, pinned=None, **options):
    """The list page; `chart` adds its volume over time (`pinned`: the values the page's own
    queryset fixes, {"speaker": speaker} on a speaker page)."""
    if (clean := without_empty_parameters(request)) is not None:
        return redirect(clean)
    chosen, typed_notes = speaker_typed(request)
    if chosen is not None:
        return redirect(chosen)
    extra = {**extra, **typed_notes}
    context, error = quote_list_context(request, quotes, **options)
    if isinstance(error, HttpResponse):
        return error
    if error:
        return bad_request(request, error)
    if chart:
        context["chart"] = charts.for_list(context["filter"], extra["list_url"], pinned=pinned)
    context.update(extra)
    status = 404 if context["page"].number > 1 and not context["page"].items else 200
    return render(request, template, context, status=status)


def export_response(request, quotes, fmt):
    """The whole filtered result, streamed in the shared export layout, with absolute quote URLs
    and a file name that says the filters; `excel=1` gives a CSV file Excel reads as UTF-8."""
    filterset = QuoteFilter(request.GET, queryset=quotes, request=request)
    if (moved := merged_speaker_list(request, filterset)) is not None:
        return moved
    lines, content_type = EXPORT_FORMATS[fmt]
    options = {"base_url": request.build_absolute_uri("/")}
    if fmt == "csv" and request.GET.get("excel", "").lower() in ("1", "true", "yes", "on"):
        options["excel"] = True
    response = StreamingHttpResponse(lines(filterset.qs, **options), content_type=content_type)
    name = export.filename(untrusted.readable_query(request.GET), fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@kept_for_visitors
def home(request):
    events = list(queries.listed_events(request.user).order_by("-date", "title")[:HOME_EVENTS])
    counts = queries.quote_counts(Quote.objects.visible_to(request.user), "events", events)
    for event in events:
        event.statement_count = counts.get(event.pk, 0)
    extra = {"is_home": True, "list_url": reverse("statements:quote_list"), "events": events}
    return render_quote_list(request, "statements/home.html", Quote.objects.visible_to(request.user), extra)


@kept_for_visitors
def quote_list(request):
    fmt = request.GET.get("format")
    quotes = Quote.objects.visible_to(request.user)
    if fmt:
        if fmt not in EXPORT_FORMATS:
            return bad_request(request, "format must be csv or json.")
        return export_response(request, quotes, fmt)
    extra = {
        "list_url": reverse("statements:quote_list"),
        "compare_query": charts.compare_query(untrusted.readable_query(request.GET)),
    }
    return render_quote_list(request, "statements/quote_list.html", quotes, extra, chart=True)


def quote_detail(request, pk):
    quote = get_object_or_404(
        Quote.objects.visible_to(request.user)
        .select_related("article", "speaker__organisation", "speaker__country", "statement")
        .prefetch_related("topics", "events"),
        pk=pk,
    )
    context = {"quote": quote}
    return render(request, "statements/quote_detail.html", context)


def statement_detail(request, pk):
    """Every report of one statement: outlet, date and how each one's wording differs from the
    primary report's."""
    statement = get_object_or_404(Statement, pk=pk)
    reports = list(
        statement.reports.visible_to(request.user)
        .select_related("article", "speaker")
        .defer("article__body")
        .order_by(F("said_on").asc(nulls_last=True), "article__published", "pk")
    )
    if not reports:
        raise Http404("No report of this statement is public.")
    primary = next((report for report in reports if report.is_primary_report), reports[0])
    context = {"statement": statement, "primary": primary, "reports": reports}
    return render(request, "statements/statement_detail.html", context)


def speaker_suggestions(request):
    """The speaker field's suggestions (static/js/newsdesk.js) for what was typed so far:
    `{"speakers": [{"slug", "name", "detail", "quotes"}]}`, the most quoted first."""
    q = untrusted.readable_query(request.GET).get("q", "")[:200]
    speakers = queries.suggested_speakers(q) if len(q.strip()) >= 2 else []
    rows = [
        {
            "slug": speaker.slug,
            "name": speaker.name,
            "detail": ", ".join(
                part for part in (speaker.role, speaker.country.name if speaker.country else "") if part
            ),
            "quotes": speaker.quote_count,
        }
        for speaker in speakers
    ]
    return JsonResponse({"speakers": rows})


def speaker_list(request):
    params = untrusted.readable_query(request.GET)  # no control character reaches the query or page
    q = params.get("q", "")[:200]
    try:
        number = parse_page(params.get("page"))
    except BadPage as exc:
        return bad_request(request, str(exc))
    speakers = queries.speaker_listing(queries.search_speakers(Speaker.objects.all(), q))
    page = page_of(speakers, number)
    status = 404 if number > 1 and not page.items else 200
    context = {"page": page, "q": q}
    if q and number == 1 and not page.items:
        context["spelling"] = queries.speakers_spelt_like(q)
    return render(request, "statements/speaker_list.html", context, status=status)


def speaker_detail(request, slug):
    speaker = Speaker.objects.select_related("organisation", "country").filter(slug=slug).first()
    if speaker is None:
        survivor = SpeakerMerge.survivor_slug(slug)
        if survivor is None:
            raise Http404("No speaker has that address.")
        url = reverse("statements:speaker_detail", args=[survivor])
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
    quotes = Quote.objects.visible_to(request.user).filter(speaker=speaker)
    extra = {
        "speaker": speaker,
        "list_url": speaker.get_absolute_url(),
        "pinned": {"speaker": speaker.slug},
        "topics": queries.cached("speaker-topics", quotes, queries.speaker_topics),
    }
    return render_quote_list(
        request,
        "statements/speaker_detail.html",
        quotes,
        extra,
        chart=True,
        pinned={"speaker": speaker},
        fixed=("speaker", "organisation", "country"),
        facet_names=("topic", "source", "year"),
    )


def article_list(request):
    try:
        number = parse_page(request.GET.get("page"))
    except BadPage as exc:
        return bad_request(request, str(exc))
    articles = Article.objects.defer("body").order_by("-published", "-id")
    page = page_of(articles, number)
    counts = queries.quote_counts(Quote.objects.visible_to(request.user), "article", page.items)
    for article in page.items:
        article.quote_count = counts.get(article.pk, 0)
    status = 404 if number > 1 and not page.items else 200
    return render(request, "statements/article_list.html", {"page": page}, status=status)


def article_detail(request, pk):
    article = get_object_or_404(Article, pk=pk)
    try:
        number = parse_page(request.GET.get("page"))
    except BadPage as exc:
        return bad_request(request, str(exc))
    quotes = (
        Quote.objects.visible_to(request.user)
        .filter(article=article)
        .select_related("speaker__organisation", "speaker__country")
        .order_by("start", "end", "pk")
    )
    page = page_of(quotes, number, size=ARTICLE_QUOTES_SHOWN)
    if number > 1 and not page.items:
        raise Http404("This article has no quotes on that page.")
    # Counted only when the quotes take more than one page: a plain article costs no extra query.
    paged = page.has_next or page.has_previous
    context = {
        "article": article,
        "page": page,
        "quotes": page.items,
        "quote_total": quotes.count() if paged else len(page.items),
        "paged": paged,
    }
    return render(request, "statements/article_detail.html", context)


def event_list(request):
    try:
        number = parse_page(request.GET.get("page"))
    except BadPage as exc:
        return bad_request(request, str(exc))
    form = EventSearchForm(request.GET)
    show_candidates = bool(form.cleaned().get("candidates"))
    events = form.filter(queries.listed_events(request.user, candidates=show_candidates))
    events = events.prefetch_related("countries").order_by("-date", "title")
    page = page_of(events, number, size=EVENTS_PER_PAGE)
    counts = counting.event_quote_counts(page.items, request.user)
    if counts is None:
        counts = queries.quote_counts(Quote.objects.visible_to(request.user), "events", page.items)
    for event in page.items:
        event.statement_count = counts.get(event.pk, 0)
    context = {
        "page": page,
        "form": form,
        "ignored": form.ignored(),
        "searching": any(form.cleaned().get(name) for name in ("q", "after", "before")),
        "show_candidates": show_candidates,
        # what the switch would add: the candidates matching the same search
        "candidate_count": 0 if show_candidates else form.filter(queries.candidate_events()).count(),
    }
    status = 404 if number > 1 and not page.items else 200
    return render(request, "statements/event_list.html", context, status=status)


def event_detail(request, slug):
    event = get_object_or_404(
        queries.visible_events(request.user).prefetch_related("countries", "organisations", "topics"),
        slug=slug,
    )
    visible = Quote.objects.visible_to(request.user)
    trigger = queries.event_trigger(event, visible)
    responses = visible.filter(events=event)
    if trigger is not None:
        # responses by others only: the speaker whose statement is the event never answers himself
        if trigger.speaker_id is not None:
            responses = responses.exclude(speaker_id=trigger.speaker_id)
        else:
            responses = responses.exclude(pk=trigger.pk)
    quotes = list(
        responses.select_related("speaker__organisation", "speaker__country", "article").order_by(
            "said_on", "article__published", "article_id", "start"
        )[: EVENT_QUOTES_SHOWN + 1]
    )
    truncated = len(quotes) > EVENT_QUOTES_SHOWN
    quotes = quotes[:EVENT_QUOTES_SHOWN]
    for quote in quotes:
        quote.delay = days.delay_words(event.date, quote.said_on)
    context = {
        "event": event,
        "trigger": trigger,
        "quotes": quotes,
        "groups": group_by_actor(quotes),
        "truncated": truncated,
        "chart": list_chart(request, including=event.date, event=event.slug),
    }
    return render(request, "statements/event_detail.html", context)


def group_by_actor(quotes):
    """[(country name, [(speaker, [quotes])])], countries and speakers in order of first response."""
    countries = {}
    for quote in quotes:
        speaker = quote.speaker
        country = speaker.country.name if speaker and speaker.country else "Country not known"
        speakers = countries.setdefault(country, {})
        speakers.setdefault(speaker.pk if speaker else None, (speaker, []))[1].append(quote)
    return [(country, list(speakers.values())) for country, speakers in countries.items()]


def list_chart(request, including=None, **filters):
    """The volume chart of the quote list with `filters` ({"topic": slug}), its bars linking to
    that list narrowed to their period: for the topic, country and event pages."""
    filterset = QuoteFilter(filters, queryset=Quote.objects.visible_to(request.user), request=request)
    return charts.for_list(filterset, reverse("statements:quote_list"), including=including)


# Parameters of a comparison's address that are not quote list filters shared by both sides.
COMPARISON_OWN = ("a", "b", "page", "format")


def compare(request):
    """Two speakers, countries, topics or searches over time on one scale (/compare/?a=RUS&b=USA);
    any quote list filter beside them (topic=..., said_after=...) narrows both sides."""
    params = untrusted.readable_query(request.GET)
    terms = [params.get("a", "").strip(), params.get("b", "").strip()]
    shared = params.copy()
    for key in COMPARISON_OWN:
        shared.pop(key, None)
    # kept by the form as hidden fields, so comparing again keeps them
    hidden = [(key, value) for key, values in shared.lists() for value in values]
    context = {"terms": terms, "sides": [], "rows": [], "shared": hidden}
    if all(terms):
        sides, filtersets = [charts.read_side(term) for term in terms], []
        for side in sides:
            data = shared.copy()
            data[side.parameter] = side.value
            filtersets.append(
                QuoteFilter(data, queryset=Quote.objects.visible_to(request.user), request=request)
            )
        list_url = reverse("statements:quote_list")
        drawings = charts.comparison(filtersets, list_url)
        for side, filterset, drawing in zip(sides, filtersets, drawings):
            side.list_url = f"{list_url}?{filterset.data.urlencode()}"
            side.chart = drawing
        context["sides"] = sides
        if all(drawings):
            context["rows"] = list(zip(drawings[0]["bars"], drawings[1]["bars"]))
    return render(request, "statements/compare.html", context)


def topic_list(request):
    """The broad areas, each with its topics; a count is of distinct quotes (an area's includes
    its topics')."""
    return render(request, "statements/topic_list.html", {"areas": queries.topic_tree()})


def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    visible = Quote.objects.visible_to(request.user)
    children = list(topic.children.order_by("name"))
    counts = queries.cached_topic_counts()
    for child in children:
        child.quote_count = counts.get(child.pk, 0)
    # The newest quotes through about() (a common topic is fastest as an EXISTS that walks the
    # newest-first index; a broad area's quotes are its own and its topics').
    quotes = visible.about(topic)
    newest = quotes.for_listing().order_by("-said_on", "-id")
    family = [topic.pk, *(child.pk for child in children)]
    events = queries.listed_events(request.user).filter(topics__in=family).distinct().order_by("-date")
    context = {
        "topic": topic,
        "children": children,
        "speakers": queries.top_speakers(quotes),
        "quotes": list(newest[:RECENT]),
        "events": events[:RECENT],
        "list_query": f"?topic={topic.slug}",
        "chart": list_chart(request, topic=topic.slug),
    }
    return render(request, "statements/topic_detail.html", context)


def organisation_list(request):
    organisations = Organisation.objects.select_related("country").annotate(speaker_count=Count("speakers"))
    return render(request, "statements/organisation_list.html", {"organisations": organisations})


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("country", "parent"), slug=slug)
    quotes = (
        Quote.objects.visible_to(request.user).in_organisation(organisation).order_by(*ORDERINGS["newest"])
    )
    context = {
        "organisation": organisation,
        "children": organisation.children.all(),
        "speakers": queries.top_speakers(quotes),
        "quotes": list(quotes.for_listing()[:RECENT]),
        "list_query": f"?organisation={organisation.slug}",
    }
    return render(request, "statements/organisation_detail.html", context)


def country_list(request):
    countries = Country.objects.annotate(speaker_count=Count("speakers")).order_by("name")
    return render(request, "statements/country_list.html", {"countries": countries})


def country_detail(request, code):
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise Http404("Countries are addressed by their three-letter ISO code.")
    country = get_object_or_404(Country, code__iexact=code)
    if code != country.code.lower():
        return redirect(country, permanent=True)
    quotes = Quote.objects.visible_to(request.user).in_country(country).order_by(*ORDERINGS["newest"])
    context = {
        "country": country,
        "organisations": country.organisations.annotate(speaker_count=Count("speakers")).order_by(
            "-speaker_count", "name"
        )[:20],
        "speakers": queries.top_speakers(quotes),
        "quotes": list(quotes.for_listing()[:RECENT]),
        "events": queries.listed_events(request.user).filter(countries=country).order_by("-date")[:RECENT],
        "list_query": f"?country={country.code}",
        "chart": list_chart(request, country=country.code),
    }
    return render(request, "statements/country_detail.html", context)


def about(request):
    return render(request, "statements/about.html", {"rank_limit": search.RANK_LIMIT})


@never_cache
def healthz(request):
    """For load balancers and uptime checks: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
