"""Small template helpers: facet links that keep the query string, citations, the timeline chart."""

from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst

from statements import untrusted

register = template.Library()

# Query parameters that only describe one rendering of a list: a new filter starts again at page 1.
RESET_ON_CHANGE = ("page", "format")


def year_bounds(year):
    return f"{year}-01-01", f"{year}-12-31"


def facet_is_active(query, name, value):
    if name == "year":
        after, before = year_bounds(value)
        return query.get("said_after") == after and query.get("said_before") == before
    current = query.get(name, "")
    return current.lower() == str(value).lower()


def facet_link(query, name, value):
    """(query string, active) of a facet value's link: it adds the filter, or removes it when it
    is already in force; every other parameter of `query` is kept where it stands."""
    active = facet_is_active(query, name, value)
    chosen = dict(zip(("said_after", "said_before"), year_bounds(value))) if name == "year" else {name: value}
    lists = dict(query.lists())
    for key, item in chosen.items():
        if active:
            lists.pop(key, None)
        else:
            lists[key] = [item]  # in place of the current value, or last
    encoded = urlencode([(key, str(item)) for key, items in lists.items() for item in items])
    return (f"?{encoded}" if encoded else "?"), active


@register.simple_tag(takes_context=True)
def facet_group(context, name, title, items):
    """One group of facet links ("Country": Russia 120, ...), built in Python: six groups of ten
    links through the template engine cost more than the rest of the list's sidebar."""
    if not items:
        return ""
    e = conditional_escape
    query = context["request"].GET.copy()
    for key in RESET_ON_CHANGE:
        query.pop(key, None)
    list_url = e(context.get("list_url", ""))
    entries = []
    for item in items:
        url, active = facet_link(query, name, item["value"])
        count = item["count"]
        if active:
            entries.append(
                f'\n    <li class="is-active">\n      <a href="{list_url}{e(url)}" aria-current="true" title="Remove this filter">'
                f'<span class="visually-hidden">Remove filter: </span><span aria-hidden="true" class="remove-x">×</span> '
                f'{e(item["label"])}</a>'
            )
        else:
            entries.append(f'\n    <li>\n      <a href="{list_url}{e(url)}">{e(item["label"])}</a>')
        entries.append(
            f'\n      <span class="count" aria-label="{count} quote{pluralize(count)}">{count}</span>\n    </li>'
        )
    return mark_safe(
        f'<section class="facet" aria-labelledby="facet-{e(name)}">\n  <h3 id="facet-{e(name)}">{e(title)}</h3>\n'
        f'  <ul>{"".join(entries)}\n  </ul>\n</section>'
    )


@register.simple_tag(takes_context=True)
def without(context, *names):
    """The current query string less `names` (and the page): the link of a "remove filter" chip."""
    query = context["request"].GET.copy()
    for key in (*names, *RESET_ON_CHANGE):
        query.pop(key, None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def with_format(context, fmt):
    """The current filters as an export or feed link: same parameters, no page, plus the filters
    the page pins (a speaker page's `pinned` is {"speaker": slug})."""
    query = context["request"].GET.copy()
    for key in RESET_ON_CHANGE:
        query.pop(key, None)
    for key, value in (context.get("pinned") or {}).items():
        query[key] = value
    if fmt:
        query["format"] = fmt
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


@register.filter
def http_url(url):
    """A stored URL fit for an href or cite attribute (http or https with a host), else "":
    every link built from imported data goes through this filter (see statements/untrusted.py)."""
    return untrusted.http_url(url)


@register.filter
def citation(quote):
    """A citation line: Name, role, quoted in Outlet, "Title", 4 October 2016, URL."""
    article = quote.article
    parts = []
    if quote.speaker is not None:
        parts.append(quote.speaker.name)
        role = quote.speaker_role or quote.speaker.role
        if role:
            parts.append(role)
    quoted = f"quoted in {article.source}" if article.source else "quoted"
    parts.append(quoted)
    if article.title:
        parts.append(f"“{article.title}”")
    day = article.published or quote.said_on
    if day:
        parts.append(f"{day.day} {day:%B %Y}")
    url = untrusted.http_url(article.url)
    if url:
        parts.append(url)
    return ", ".join(parts)


CHART_HEIGHT = 120
CHART_WIDTH = 560
CHART_GAP = 4
CHART_LABEL = 34


@register.inclusion_tag("includes/_timeline.html")
def timeline_chart(months):
    """An inline SVG bar chart of quotes per month, with the same figures as a table for screen
    readers and anyone who prefers numbers."""
    peak = max((count for _, count in months), default=0)
    # Bars share the chart's width: wide for a few months, never thinner than 6 units.
    bar = max(6, min(40, CHART_WIDTH // max(len(months), 1) - CHART_GAP))
    bars = []
    for index, (month, count) in enumerate(months):
        height = round(CHART_HEIGHT * count / peak) if peak else 0
        x = index * (bar + CHART_GAP)
        bars.append(
            {
                # month names formatted here once, not by the template's date filter three times
                "name": format_date(month, "F Y"),
                "short_month": format_date(month, "M"),
                "year": month.year,
                "count": count,
                "x": x,
                "y": CHART_HEIGHT - height,
                "height": height,
                "label_x": x + bar / 2,
                # Label every month when there is room, else each January and the first month.
                "show_label": month.month == 1 or index == 0 or (len(months) <= 12 and bar >= 24),
            }
        )
    width = max(len(months) * (bar + CHART_GAP), 60)
    return {
        "bars": bars,
        "peak": peak,
        "width": width,
        "height": CHART_HEIGHT + CHART_LABEL,
        "chart_height": CHART_HEIGHT,
        "bar_width": bar,
        "total": sum(count for _, count in months),
    }


@register.simple_tag
def quote_card(quote):
    """One quote of a list: its words, who said it (role, organisation, country), where and when,
    and its topics. Built in Python rather than with a template: the card is drawn 25 times on
    every list page, and the template engine took 0.8 ms a card, most of the page's time (see
    the README's benchmark figures). Every value goes through `e` (escape); `quote.highlighted`
    is the search highlighter's text, already escaped."""
    e = conditional_escape
    speaker, article = quote.speaker, quote.article
    words = getattr(quote, "highlighted", None) or e(quote.text)
    if quote.kind != "indirect":
        words = f"“{words}”"
    url = untrusted.http_url(article.url)
    cite = f' cite="{e(url)}"' if url else ""

    if speaker is not None:
        role = quote.speaker_role or speaker.role
        who = f'<a class="speaker-name" href="{e(speaker.get_absolute_url())}">{e(speaker.name)}</a>'
        if role:
            who += f'<span class="role">, {e(role)}</span>'
    elif quote.speaker_role:
        who = (
            '<span class="speaker-name unnamed" title="The article describes this source but does not name them">'
            f'{e(capfirst(quote.speaker_role))} <span class="muted">(unnamed)</span></span>'
        )
    else:
        who = '<span class="speaker-name">Unattributed</span>'
    actors = ""
    organisation = speaker.organisation if speaker is not None else None
    if organisation is not None and organisation.name != speaker.name:
        actors += (
            '\n    <span class="sep" aria-hidden="true">·</span> '
            f'<a class="org" href="{e(organisation.get_absolute_url())}">{e(organisation.name)}</a>'
        )
    if speaker is not None and speaker.country is not None:
        country = speaker.country
        actors += (
            '\n    <span class="sep" aria-hidden="true">·</span> '
            f'<a class="country" href="{e(country.get_absolute_url())}">{e(country.name)}</a>'
        )

    said_on = ""
    if quote.said_on:
        said_on = f'<time datetime="{quote.said_on.isoformat()}">{e(format_date(quote.said_on, "j M Y"))}</time> · '
    source = f"{e(article.source)}: " if article.source else ""
    title = e(Truncator(article.title or "the article").chars(90))
    speaker_name = e(speaker.name) if speaker is not None else "an unattributed speaker"
    badges = ""
    if quote.kind != "direct":
        badges += f'<span class="badge">{e(quote.get_kind_display())}</span>'
    if quote.status == "verified":
        badges += '<span class="badge badge-ok">Verified</span>'
    elif quote.status == "rejected":
        badges += '<span class="badge badge-bad">Rejected</span>'
    chips = ""
    topics = list(quote.topics.all())
    if topics:
        list_url = reverse("statements:quote_list")
        links = "".join(
            f'<li><a class="chip" href="{list_url}?topic={e(topic.slug)}">{e(topic.name)}</a></li>' for topic in topics
        )
        chips = f'\n  <ul class="chips" aria-label="Topics">{links}</ul>'
    return mark_safe(
        f'<article class="quote-card" aria-labelledby="q{quote.pk}-who">\n'
        f'  <blockquote class="quote-text"{cite}>\n    <p>{words}</p>\n  </blockquote>\n'
        f'  <p class="quote-meta">\n    <span id="q{quote.pk}-who" class="who">{who}</span>{actors}\n  </p>\n'
        f'  <p class="quote-source">\n    {said_on}{source}'
        f'<a href="{e(article.get_absolute_url())}#quote-{quote.pk}">{title}</a>\n'
        f'    · <a class="quote-link" href="{e(quote.get_absolute_url())}">Quote page and citation'
        f'<span class="visually-hidden"> for this quote by {speaker_name}</span></a>\n'
        f"    {badges}\n  </p>{chips}\n</article>"
    )
