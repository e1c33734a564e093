"""Volume-over-time charts: how many quotes a list holds per day, month or year, as a server-drawn SVG
whose bars link to that period's list (issue 20, item 7).

The counts come from the counting index (statements/counting.py: the list's matching ids
intersected with each period's ids, milliseconds at a million quotes); while the index cannot
answer (a large database's index being built, a kind or review-status filter) a small database is
counted with SQL and a large one draws no chart. The drawing is geometry only: the template
(includes/_volume_chart.html) writes the SVG, with every coordinate in percent of the chart's width
and in CSS pixels of its height, so labels keep their size on any screen.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count
from django.http import QueryDict
from django.utils.dateformat import format as format_date
from django.utils.text import slugify

from statements import counting, queries
from statements.counting import Volume, next_period
from statements.models import Country, Organisation, Speaker, Topic

# Up to this many quotes a list the index cannot answer is counted with SQL (tens of milliseconds).
SQL_UP_TO = 200_000
# The plot's height and the labels' line under it, in CSS pixels.
PLOT_TOP = 8
PLOT_HEIGHT = 130
LABEL_Y = PLOT_HEIGHT + PLOT_TOP + 18
CHART_HEIGHT = LABEL_Y + 6
# Labels under the bars: at most this many (every other one hidden on a phone, see the CSS).
MAX_LABELS = 8
# A bar with any quotes is at least this high, so one quote shows.
MIN_BAR = 2
# The width is shared as if there were at least this many bars.
MIN_SLOTS = 12

# How a period is named on its bar, in its tooltip and in the table.
PERIOD_FORMATS = {"day": "j M Y", "month": "M Y", "year": "Y"}
LABEL_FORMATS = {"day": "j M", "month": "Y", "year": "Y"}


def for_list(filterset, link_base, query=None, pinned=None, including=None):
    """The chart of the quote list `filterset`, its bars linking to `link_base` (the list's
    address) with `query` (the list's parameters, by default the request's) narrowed to the
    period, its span stretched to `including` (a day) if given; None when it cannot be counted
    cheaply."""
    volume = list_volume(filterset, pinned)
    if volume is None:
        return None
    if including is not None and volume:
        # an event's chart starts at (or ends on) the event's day, however late the first answer
        first, last = volume.span
        span = (min(first, including), max(last, including))
        volume = list_volume(filterset, pinned, unit=counting.unit_for(*span), span=span)
    return drawing(volume, as_query(filterset.data if query is None else query), link_base)


def as_query(params):
    """`params` (a QueryDict, a dict or None) as a QueryDict."""
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        query[key] = value
    return query


def list_volume(filterset, pinned=None, unit=None, span=None):
    """The Volume of the quote list `filterset` (see counting.volume), or None when it cannot be
    counted cheaply."""
    volume = counting.volume(filterset, pinned, unit=unit, span=span)
    if volume is None and filterset.total_quotes <= SQL_UP_TO:
        days = queries.cached("day-counts", filterset.qs, day_counts)
        volume = Volume.from_days(days, unit=unit, span=span)
    return volume


def day_counts(quotes):
    """{day: number of `quotes` said that day}, one GROUP BY (the index's fallback)."""
    rows = quotes.order_by().exclude(said_on__isnull=True).values("said_on").annotate(n=Count("pk"))
    return {row["said_on"]: row["n"] for row in rows}


def kept_filters(query):
    """`query` (a QueryDict of the list's parameters) as a query string without the page and the
    dates: what every bar's link starts with."""
    return urlencode(
        [
            (key, value)
            for key, values in query.lists()
            if key not in ("page", "format", "said_after", "said_before")
            for value in values
        ]
    )


def period_query(kept, start, unit):
    """The list narrowed to the period from `start` (`kept`: kept_filters()): what a bar links to.
    The page and any earlier dates go; every other filter stays."""
    end = next_period(start, unit) - datetime.timedelta(days=1)
    dates = urlencode([("said_after", start.isoformat()), ("said_before", end.isoformat())])
    return f"?{kept}&{dates}" if kept else f"?{dates}"


def period_name(start, unit):
    return format_date(start, PERIOD_FORMATS[unit])


def labelled(counts, unit):
    """Indexes of the bars that get a label under them: each year's first bar for months, each
    month's for days (or every bar when there are few), thinned to at most MAX_LABELS."""
    if unit == "month":
        marks = [i for i, (start, _) in enumerate(counts) if start.month == 1 or i == 0]
    elif unit == "day":
        marks = [i for i, (start, _) in enumerate(counts) if start.day == 1 or i == 0]
        if len(marks) < 3:
            marks = list(range(len(counts)))
    else:
        marks = list(range(len(counts)))
    step = max(1, -(-len(marks) // MAX_LABELS))  # ceiling
    return marks[::step]


def drawing(volume, query, link_base, peak=None):
    """What the template draws for `volume`: bars (position and size, count, name, link) and
    labels. `peak` is the count of a full-height bar (two charts compared share one)."""
    counts = volume.counts
    peak = peak or max((count for _, count in counts), default=0)
    # A few bars stay bar-shaped, centred, rather than filling the width.
    slot = 100 / max(len(counts), MIN_SLOTS)
    left = (100 - slot * len(counts)) / 2
    gap = slot * (0.2 if len(counts) <= 40 else 0.1)
    bars = []
    kept = kept_filters(query)
    for index, (start, count) in enumerate(counts):
        height = round(PLOT_HEIGHT * count / peak) if peak else 0
        if count and height < MIN_BAR:
            height = MIN_BAR
        bars.append(
            {
                "x": f"{left + index * slot + gap / 2:.3f}%",
                "width": f"{slot - gap:.3f}%",
                "y": PLOT_TOP + PLOT_HEIGHT - height,
                "height": height,
                "count": count,
                "name": period_name(start, volume.unit),
                "href": link_base + period_query(kept, start, volume.unit),
            }
        )
    marks = labelled(counts, volume.unit)
    labels = [
        {
            "x": f"{left + (index + 0.5) * slot:.3f}%",
            "text": format_date(counts[index][0], LABEL_FORMATS[volume.unit]),
            "minor": position % 2 == 1,
        }
        for position, index in enumerate(marks)
    ]
    busiest = max(counts, key=lambda item: item[1]) if counts else None
    return {
        "bars": bars,
        "labels": labels,
        "unit": volume.unit,
        "peak": peak,
        "busiest": period_name(busiest[0], volume.unit) if busiest and busiest[1] else "",
        "busiest_count": busiest[1] if busiest else 0,
        "total": sum(count for _, count in counts),
        "sampled": volume.sampled,
        "height": CHART_HEIGHT,
        "baseline": PLOT_TOP + PLOT_HEIGHT,
        "label_y": LABEL_Y,
    }


# --- comparing two lists over time -----------------------------------------------------------------

# What a side of a comparison may name before a colon, and the quote list's parameter it becomes.
SIDE_KINDS = {
    "country": "country",
    "speaker": "speaker",
    "topic": "topic",
    "organisation": "organisation",
    "words": "q",
}


def shared_span(volumes):
    """(span, unit) that covers every one of `volumes`, or None when none has a dated quote."""
    spans = [volume.span for volume in volumes if volume]
    if not spans:
        return None
    span = (min(first for first, _ in spans), max(last for _, last in spans))
    return span, counting.unit_for(*span)


def comparison(filtersets, link_base):
    """Drawings of two quote lists (QuoteFilters) over the same periods, on the same scale; a side
    that cannot be counted cheaply is None."""
    volumes = [list_volume(filterset) for filterset in filtersets]
    if any(volume is None for volume in volumes):
        return [None, None]
    shared = shared_span(volumes)
    if shared is not None:  # counted again over the same periods, so the bars line up
        span, unit = shared
        volumes = [list_volume(filterset, unit=unit, span=span) for filterset in filtersets]
    peak = max((count for volume in volumes for _, count in volume.counts), default=0)
    return [
        drawing(volume, as_query(filterset.data), link_base, peak=peak)
        for volume, filterset in zip(volumes, filtersets)
    ]


class Side:
    """One side of a comparison as the reader typed it ("country:RUS", "Dmitry Peskov",
    "ceasefire"): the quote list parameter it becomes, its value and how the page names it."""

    def __init__(self, term, parameter, value, label):
        self.term, self.parameter, self.value, self.label = term, parameter, value, label


def read_side(term):
    """The Side `term` names: "kind:value" with a kind of SIDE_KINDS, else a country code, a
    speaker's or topic's address name (or a speaker's full name), else words to search for."""
    term = " ".join(term.split())[:200]
    kind, colon, value = term.partition(":")
    if colon and kind.strip().lower() in SIDE_KINDS:
        kind, value = kind.strip().lower(), value.strip()
        return side_of_kind(term, kind, value) or Side(term, SIDE_KINDS[kind], value, value)
    for kind in ("country", "speaker", "topic"):
        side = side_of_kind(term, kind, term)
        if side is not None:
            return side
    return side_of_kind(term, "words", term)


def side_of_kind(term, kind, value):
    """The Side of `value` read as `kind`, or None when no such country, speaker or topic exists."""
    if kind == "words":
        return Side(term, "q", value, f"“{value}”")
    if kind == "country":
        country = Country.objects.filter(code__iexact=value).first() if len(value) == 3 else None
        return country and Side(term, "country", country.code, country.name)
    if kind == "speaker":
        speaker = Speaker.objects.filter(slug__in={value, slugify(value)}).first()
        return speaker and Side(term, "speaker", speaker.slug, speaker.name)
    if kind == "topic":
        topic = Topic.objects.filter(slug__in={value, slugify(value)}).first()
        return topic and Side(term, "topic", topic.slug, topic.name)
    if kind == "organisation":
        organisation = Organisation.objects.filter(slug__in={value, slugify(value)}).first()
        return organisation and Side(term, "organisation", organisation.slug, organisation.name)
    return None


# The list parameters a comparison can take as its first side ("words" is the search).
COMPARABLE = {
    "country": "country",
    "speaker": "speaker",
    "topic": "topic",
    "organisation": "organisation",
    "q": "words",
}
NOT_SHARED = ("page", "format", "excel", "sort")


def compare_query(params):
    """The query string of /compare/ starting from a quote list's `params`: its one country,
    speaker, topic, organisation or search as the first side and its other filters shared; "" when
    the list has no such single value to start from."""
    chosen = [key for key in COMPARABLE if params.get(key, "").strip()]
    if len(chosen) != 1 or len(params.getlist(chosen[0])) != 1:
        return ""
    key = chosen[0]
    shared = [
        (k, v)
        for k, values in params.lists()
        for v in values
        if k != key and k not in NOT_SHARED and v.strip()
    ]
    return "?" + urlencode([("a", f"{COMPARABLE[key]}:{params[key].strip()}"), *shared])
