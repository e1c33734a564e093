"""Template helpers: quote cards, facet links that keep the query string, search highlights, an
article's text with its quotes marked and citations (the volume charts: statements/charts.py).

The hot fragments (a card drawn 25 times a page, six facet groups) are built with format_html
rather than templates: the template engine took 0.8 ms a card, most of a list page's time. Every
value goes through format_html's escaping; the only markup written here is the format strings'.
"""

import bisect
import functools
import re
from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import pluralize
from django.urls import get_script_prefix, reverse
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst

from statements import search, untrusted
from statements.ingest import grouping
from statements.ingest.text import paragraph_spans
from statements.ingest.transcripts import turn_layout

register = template.Library()

# Query parameters that only describe one rendering of a list: a new filter starts again at page 1.
RESET_ON_CHANGE = ("page", "format")


def year_bounds(year):
    return f"{year}-01-01", f"{year}-12-31"


class FacetLinks:
    """The links of one facet group's values: each filters by its value (in place of that
    filter's values) or, when it is in force, removes it; its "not" link leaves its quotes out
    (`-country=USA`). Every other parameter is kept, encoded once for the group (a list page has
    some seventy of these links)."""

    def __init__(self, query, name):
        self.name = name
        self.keys = ("said_after", "said_before") if name == "year" else (name,)
        self.current = [value for key in self.keys for value in query.getlist(key)]
        self.rest = urlencode([(k, v) for k, values in query.lists() if k not in self.keys for v in values])
        left_out = ("-" + name, name)
        self.rest_but_left_out = urlencode(
            [(k, v) for k, values in query.lists() if k not in left_out for v in values]
        )
        self.left_out = query.getlist("-" + name)

    def link(self, value):
        """(query string, whether `value` is in force)."""
        if self.name == "year":
            bounds = list(zip(self.keys, year_bounds(value)))
            active = self.current == [bound for _, bound in bounds]
            return joined(self.rest, [] if active else bounds), active
        wanted = str(value).lower()
        others = [(self.name, v) for v in self.current if v.lower() != wanted]
        active = len(others) < len(self.current)
        return joined(self.rest, others if active else [(self.name, value)]), active

    def leave_out(self, value):
        wanted = str(value).lower()
        kept = [(self.name, v) for v in self.current if v.lower() != wanted]
        left_out = [("-" + self.name, v) for v in [*self.left_out, value]]
        return joined(self.rest_but_left_out, kept + left_out)


def joined(encoded, pairs):
    """`encoded` (a query string) and `pairs`, as a link's query string."""
    encoded = "&".join(part for part in (encoded, urlencode(pairs)) if part)
    return f"?{encoded}" if encoded else "?"


FACET_GROUP = (
    '<section class="facet" aria-labelledby="facet-{0}">\n'
    '  <h3 id="facet-{0}">{1}</h3>\n  <ul>{2}\n  </ul>\n</section>'
)
# A link that adds a filter, or removes it when it is in force, and its count.
FACET_ENTRY = (
    '\n    <li>\n      <a href="{0}">{1}</a>'
    '\n      <span class="count" aria-label="{2} quote{3}">{2}</span>{4}\n    </li>'
)
# A facet value of a filter that can leave quotes out: "not" (`-country=USA`).
EXCLUDE_LINK = (
    ' <a class="facet-exclude" href="{0}" title="Leave out {1}">'
    '<span aria-hidden="true">not</span><span class="visually-hidden">Leave out {1}</span></a>'
)
# Facets whose values can be left out (the others are years).
EXCLUDABLE = ("country", "organisation", "mentions", "speaker", "topic", "source", "event")
ACTIVE_FACET_ENTRY = (
    '\n    <li class="is-active">\n      <a href="{0}" aria-current="true" title="Remove this filter">'
    '<span class="visually-hidden">Remove filter: </span><span aria-hidden="true" class="remove-x">×</span> {1}</a>'
    '\n      <span class="count" aria-label="{2} quote{3}">{2}</span>\n    </li>'
)


@register.simple_tag(takes_context=True)
def facet_group(context, name, title, items):
    """One group of facet links ("Country": Russia 120, ...), built with format_html: six groups
    of ten links through the template engine cost more than the rest of the list's sidebar."""
    if not items:
        return ""
    query = context["request"].GET.copy()
    for key in RESET_ON_CHANGE:
        query.pop(key, None)
    list_url = context.get("list_url", "")
    links = FacetLinks(query, name)
    entries = []
    for item in items:
        url, active = links.link(item["value"])
        count = item["count"]
        if active:
            entry = format_html(ACTIVE_FACET_ENTRY, list_url + url, item["label"], count, pluralize(count))
        else:
            exclude = ""
            if name in EXCLUDABLE:
                exclude = format_html(EXCLUDE_LINK, list_url + links.leave_out(item["value"]), item["label"])
            entry = format_html(FACET_ENTRY, list_url + url, item["label"], count, pluralize(count), exclude)
        entries.append((entry,))
    return format_html(FACET_GROUP, name, title, format_html_join("", "{}", entries))


@register.simple_tag(takes_context=True)
def without(context, name, value=None):
    """The current query string less the parameter `name` (only its `value`, when given, of a
    repeated one; `country=-USA` counts as `-country=USA`) and the page: a "remove filter" chip."""
    query = context["request"].GET.copy()
    for key in RESET_ON_CHANGE:
        query.pop(key, None)
    if value is None:
        query.pop(name, None)
    elif name == "q":
        # a part of the search: the name of the speaker it named, or the words besides it
        if rest := search.remove_words(query.get("q", ""), [str(value)]):
            query["q"] = rest
        else:
            query.pop("q", None)
    else:
        wanted = str(value).lower()
        written = {wanted, "-" + wanted} if name.startswith("-") else {wanted}
        for key in {name, name.lstrip("-")}:
            kept = [v for v in query.getlist(key) if v.strip().lower() not in written]
            if kept:
                query.setlist(key, kept)
            else:
                query.pop(key, None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def with_format(context, fmt, **options):
    """The current filters as an export or feed link: same parameters, no page, plus the filters
    the page pins (a speaker page's `pinned` is {"speaker": slug}) and `options` (excel=1)."""
    query = context["request"].GET.copy()
    for key in RESET_ON_CHANGE:
        query.pop(key, None)
    for key, value in (context.get("pinned") or {}).items():
        query[key] = value
    if fmt:
        query["format"] = fmt
    for key, value in options.items():
        query[key] = value
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
        if quote.role_here:
            parts.append(quote.role_here)
    verb = "reported by" if quote.kind == "indirect" else "quoted in"
    quoted = f"{verb} {article.source}" if article.source else verb.split()[0]
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


# --- quote cards --------------------------------------------------------------------------------

QUOTE_CARD = (
    '<article class="quote-card{reported_class}" aria-labelledby="q{pk}-who">\n'
    '  <blockquote class="quote-text"{cite}>\n    <p>{label}{open}{words}{close}</p>\n  </blockquote>\n{asked}'
    '  <p class="quote-meta">\n    <span id="q{pk}-who" class="who">{who}</span>{actors}\n  </p>\n'
    '  <p class="quote-source">\n    {said_on}{origin}{source}<a href="{article_url}#quote-{pk}">{title}</a>\n'
    '    · <a class="quote-link" href="{url}">Quote page and citation'
    '<span class="visually-hidden"> for this quote by {speaker_name}</span></a>\n'
    "    {badges}\n  </p>{events}{reports}{chips}\n</article>"
)
CITE = ' cite="{}"'
NAMED_SPEAKER = '<a class="speaker-name" href="{}">{}</a>'
NAMED_SPEAKER_AND_ROLE = NAMED_SPEAKER + '<span class="role">, {}</span>'
UNNAMED_SOURCE = (
    '<span class="speaker-name unnamed" title="The article describes this source but does not name them">'
    '{} <span class="muted">(unnamed)</span></span>'
)
# Constant markup, nothing in it to escape.
UNATTRIBUTED = mark_safe('<span class="speaker-name">Unattributed</span>')
OPENING_MARK, CLOSING_MARK = mark_safe("“"), mark_safe("”")
ACTOR = '\n    <span class="sep" aria-hidden="true">·</span> <a class="{}" href="{}">{}</a>'
SAID_ON = '<time datetime="{}">{}</time> · '
SOURCE = "{}: "
# Where a statement comes from (primary sources): the document's kind, before its outlet and title.
ORIGIN = '<span class="origin">{}</span> · '
ORIGINS = {"news": "News report", "transcript": "Briefing", "statement": "Statement", "readout": "Readout"}
ASKED = '  <p class="asked">Asked: “{}”</p>\n'
ASKED_CHARS = 200
BADGE = '<span class="badge{}">{}</span>'
# The events a quote is on (confirmed ones: Quote.objects.for_listing's `listed_events`).
EVENT_LINE = '\n  <p class="quote-event">On the event {}</p>'
EVENT_LINK = '<a href="{}">{}</a> (<time datetime="{}">{}</time>)'
# Reported speech: the article's words for what was said, shown without quotation marks and labelled.
REPORTED_LABEL = mark_safe(
    '<span class="badge badge-reported" title="Reported statement: the article\'s words, not a quotation">'
    "Reported</span> "
)
TOPIC_CHIPS = '\n  <ul class="chips" aria-label="Topics">{}</ul>'
TOPIC_CHIP = '<li><a class="chip" href="{}?topic={}">{}</a></li>'


@functools.lru_cache(maxsize=None)
def _quote_list_url(script_prefix):
    return reverse("statements:quote_list")


def quote_list_url():
    """reverse("statements:quote_list"), once per script prefix: each card's topics link to it."""
    return _quote_list_url(get_script_prefix())


@register.simple_tag
def unnamed_source(quote):
    """Who said it, for a source the article describes but does not name ("A senior aide
    (unnamed)"); "" for any other quote."""
    if not quote.unnamed_source:
        return ""
    return format_html(UNNAMED_SOURCE, capfirst(quote.unnamed_source))


def speaker_html(quote):
    speaker = quote.speaker
    if speaker is None:
        return unnamed_source(quote) or UNATTRIBUTED
    if quote.role_here:
        return format_html(NAMED_SPEAKER_AND_ROLE, speaker.get_absolute_url(), speaker.name, quote.role_here)
    return format_html(NAMED_SPEAKER, speaker.get_absolute_url(), speaker.name)


def actors(speaker):
    """(css class, url, name) of the speaker's organisation (unless it is the speaker, speaking as
    a body) and country."""
    if speaker is None:
        return
    organisation = speaker.organisation
    if organisation is not None and organisation.name != speaker.name:
        yield "org", organisation.get_absolute_url(), organisation.name
    if speaker.country is not None:
        yield "country", speaker.country.get_absolute_url(), speaker.country.name


def badges(quote):
    # a turn's origin is said before its title; a reported statement has its label by its words
    if quote.kind not in ("direct", "turn", "indirect"):
        yield "", quote.get_kind_display()
    if quote.status == "verified":
        yield " badge-ok", "Verified"
    elif quote.status == "rejected":
        yield " badge-bad", "Rejected"


def event_line(quote):
    """ "On the event <link> (3 Oct 2016)" for the confirmed events a listed quote is on, else ""."""
    events = getattr(quote, "listed_events", None)
    if not events:
        return ""
    links = format_html_join(
        "; ",
        EVENT_LINK,
        (
            (event.get_absolute_url(), event.title, event.date.isoformat(), format_date(event.date, "j M Y"))
            for event in events
        ),
    )
    return format_html(EVENT_LINE, links)


@register.simple_tag
def quote_card(quote, search_query=None):
    """One quote of a list: its words (the search's words marked), who said it (role,
    organisation, country), where and when, and its topics."""
    speaker, article = quote.speaker, quote.article
    url = untrusted.http_url(article.url)
    topics = quote.topics.all()
    direct = quote.kind != "indirect"
    return format_html(
        QUOTE_CARD,
        pk=quote.pk,
        cite=format_html(CITE, url) if url else "",
        reported_class=" is-reported" if not direct else "",
        label="" if direct else REPORTED_LABEL,
        open=OPENING_MARK if direct else "",
        words=highlight(quote.text, search_query),
        close=CLOSING_MARK if direct else "",
        who=speaker_html(quote),
        actors=format_html_join("", ACTOR, actors(speaker)),
        said_on=format_html(SAID_ON, quote.said_on.isoformat(), format_date(quote.said_on, "j M Y"))
        if quote.said_on
        else "",
        source=format_html(SOURCE, article.source) if article.source else "",
        origin=format_html(ORIGIN, ORIGINS.get(article.kind, "News report")),
        asked=format_html(ASKED, Truncator(quote.question).chars(ASKED_CHARS)) if quote.question else "",
        article_url=article.get_absolute_url(),
        title=Truncator(article.title or "the article").chars(90),
        url=quote.get_absolute_url(),
        speaker_name=speaker.name if speaker is not None else "an unattributed speaker",
        badges=format_html_join("", BADGE, badges(quote)),
        events=event_line(quote),
        reports=reports_line(quote),
        chips=format_html(
            TOPIC_CHIPS,
            format_html_join(
                "", TOPIC_CHIP, ((quote_list_url(), topic.slug, topic.name) for topic in topics)
            ),
        )
        if topics
        else "",
    )


# --- statements: a card's line about the other reports of its statement --------------------------

# Outlets named on a card before "and N more".
OUTLETS_NAMED = 3
REPORTED_BY = (
    '\n  <p class="quote-reports">Reported by {} {}: {}{} · <a href="{}">all {} reports'
    '<span class="visually-hidden"> of this statement</span></a></p>'
)
ONE_OF_REPORTS = '\n  <p class="quote-reports">One of <a href="{}">{} reports of this statement</a></p>'
FIRST_OUTLET = '{} <span class="muted">(first)</span>'


def reports_line(quote):
    """The line "Reported by 2 sources: TASS (first), RT · all 3 reports" on the card of a
    statement's primary report; "One of 3 reports" on another report's (the list of every report)."""
    statement = quote.statement if quote.statement_id else None
    if statement is None or statement.report_count < 2:
        return ""
    url = statement.get_absolute_url()
    if not quote.is_primary_report:
        return format_html(ONE_OF_REPORTS, url, statement.report_count)
    outlets = statement.outlets or ["unknown outlets"]
    named = [format_html(FIRST_OUTLET, outlets[0]), *outlets[1:OUTLETS_NAMED]]
    more = len(outlets) - OUTLETS_NAMED
    return format_html(
        REPORTED_BY,
        statement.outlet_count,
        "source" if statement.outlet_count == 1 else "sources",
        format_html_join(", ", "{}", ((name,) for name in named)),
        f" and {more} more" if more > 0 else "",
        url,
        statement.report_count,
    )


WORDING = {
    "same": "{} ",
    "added": '<ins title="Not in the primary report">{}</ins> ',
    "left out": '<del title="Only in the primary report">{}</del> ',
}


@register.simple_tag
def wording_difference(report, primary):
    """A report's words marked against its statement's primary report: words it alone has
    (<ins>) and words of the primary it leaves out (<del>); with a summary, as (markup, summary)."""
    segments, summary = grouping.wording_difference(report.text, primary.text)
    markup = format_html_join("", "{}", ((format_html(WORDING[how], text),) for how, text in segments))
    return markup, summary


# --- search highlights ----------------------------------------------------------------------------

# Crude suffix stripping, so a highlight finds the word forms the stemming search matched
# ("declared" highlights "declare", "ceasefire" highlights "ceasefires").
SUFFIXES = ("ing", "ed", "es", "s", "e", "y")


def highlight_stem(word):
    word = word.lower()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=256)
def highlight_pattern(terms):
    """The regex marking the words of a search (`terms`, a tuple), or None; compiled once per
    search rather than once per card."""
    stems = sorted({highlight_stem(term) for term in terms if term}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.IGNORECASE)


def highlight(text, search_query):
    """`text` escaped, with each word of `search_query` (a search.SearchQuery, or None) in <mark>.

    Matching runs on the raw text and every piece is escaped on its own, so a match can never cut
    through an HTML entity and no unescaped character reaches the page.
    """
    pattern = highlight_pattern(tuple(search_query.terms)) if search_query else None
    if pattern is None:
        return escape(text)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append((text[last : match.start()], match.group()))
        last = match.end()
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", pieces), text[last:])


# --- an article's text with its quotes marked -----------------------------------------------------


def paragraphs_of(body):
    """(start, end) of each paragraph of a cleaned body that holds more than white space."""
    return [(start, end) for start, end in paragraph_spans(body) if body[start:end].strip()]


CLOSING_MARKS = "\"”’'»*_"
QUOTE_SPAN = '<mark class="{}"{}>{}</mark>'
# A reported statement is marked apart from a quotation: its words are the article's, not the speaker's.
REPORTED_SPAN = '<mark class="{}" title="Reported statement (the article\'s words)"{}>{}</mark>'
QUOTE_LINK = '<a href="{}">{}</a>'
QUOTE_SPEAKER = ' <a class="quote-speaker" href="{}">{}</a>'


def marked_spans(body, quotes):
    """(quote, start, end) of each stretch of `body` to mark, in text order and never overlapping.

    A quotation whose span overlaps the one before it or falls outside the body is left unmarked
    rather than mangled. A reported statement may hold quotations ("said that this latest proposal
    remains "on the table.""): it is marked around them, in pieces, and they inside it."""
    quoted, reported, last_end = [], [], 0
    for quote in sorted(quotes, key=lambda q: (q.start, q.end)):
        start, end = quote.start, quote.end
        if end > len(body) or start >= end:
            continue
        if getattr(quote, "kind", "") == "indirect":
            reported.append((quote, start, end))
        elif start >= last_end:
            quoted.append((quote, start, end))
            last_end = end
    pieces, index = list(quoted), 0
    for quote, start, end in reported:
        while index < len(quoted) and quoted[index][2] <= start:
            index += 1  # quotations before this statement
        cursor, inner = start, index
        while inner < len(quoted) and quoted[inner][1] < end:
            if quoted[inner][1] > cursor:
                pieces.append((quote, cursor, quoted[inner][1]))
            cursor = max(cursor, quoted[inner][2])
            inner += 1
        if cursor < end:
            pieces.append((quote, cursor, end))
    pieces.sort(key=lambda piece: piece[1])
    # reported statements that overlap each other: the first one wins
    marked, last_end = [], 0
    for piece in pieces:
        if piece[1] >= last_end:
            marked.append(piece)
            last_end = piece[2]
    return marked


@register.simple_tag
def annotated_paragraphs(body, quotes, link_quotes=True, current=None, name_speakers=True):
    """The body as a list of safe HTML paragraphs, each quote's span wrapped in a highlight.

    `quotes` are Quote rows (with their speakers). Paragraphs and marked stretches are both in text
    order and never overlap, so one walk through the two together marks them all: the time grows
    with paragraphs plus quotes, not their product (an article of 8,000 quotes took 19 s when every
    paragraph looked at every quote).
    """
    spans = marked_spans(body, quotes)
    paragraphs, first = [], 0
    for p_start, p_end in paragraphs_of(body):
        # Stretches that ended before this paragraph are done with; one may run on into the next.
        while first < len(spans) and spans[first][2] <= p_start:
            first += 1
        parts, cursor, index = [], p_start, first
        while index < len(spans) and spans[index][1] < p_end:
            quote, start, end = spans[index]
            index += 1
            a, b = max(start, p_start), min(end, p_end)
            parts.append(body[cursor:a])
            css = "quote-span is-current" if current == quote.pk else "quote-span"
            reported = getattr(quote, "kind", "") == "indirect"
            css += " is-reported" if reported else ""
            anchor = format_html(' id="quote-{}"', quote.pk) if a == quote.start else ""
            words = body[a:b]
            if link_quotes:
                words = format_html(QUOTE_LINK, quote.get_absolute_url(), words)
            parts.append(format_html(REPORTED_SPAN if reported else QUOTE_SPAN, css, anchor, words))
            cursor = b
            if b == quote.end and link_quotes and name_speakers and quote.speaker is not None:
                # The speaker's name goes after the closing quotation mark, not inside it.
                while cursor < p_end and body[cursor] in CLOSING_MARKS:
                    cursor += 1
                parts.append(body[b:cursor])
                parts.append(format_html(QUOTE_SPEAKER, quote.speaker.get_absolute_url(), quote.speaker.name))
        parts.append(body[cursor:p_end])
        # The first and last parts are text (the marks come between): no white space at the ends.
        parts[0] = parts[0].lstrip()
        parts[-1] = parts[-1].rstrip()
        # escapes the text between the marks; the marks are format_html's, already safe
        paragraphs.append(format_html_join("", "{}", ((part,) for part in parts)))
    return paragraphs


# --- a transcript, turn by turn (primary sources) -------------------------------------------------


@register.simple_tag
def transcript_turns(article, quotes):
    """A transcript's turns, for its page, in reading order: [{"kind": "official" | "unnamed" |
    "question" | "setting", "speaker": the Speaker of the turn's statements or None, "who": the
    label as written, "unnamed": an unnamed source's description, "paragraphs": safe HTML, the
    statements marked as annotated_paragraphs marks quotes}]. Paragraphs of no one's turn (the
    room and time before the first label, the time at the end) are "setting" turns."""
    body = article.body
    # each turn is headed by its speaker: no name after every paragraph
    marked = dict(zip(paragraphs_of(body), annotated_paragraphs(body, quotes, name_speakers=False)))
    starts = sorted(marked)
    owner = {}  # paragraph -> (turn, where the turn's words start in it)
    for turn in turn_layout(body, article.title):
        for start, _ in turn.parts:
            paragraph = _paragraph_at(starts, start)
            if paragraph is not None:
                owner[paragraph] = (turn, start)
    speakers = {}
    for quote in sorted(quotes, key=lambda quote: quote.start):
        paragraph = _paragraph_at(starts, quote.start)
        if paragraph in owner:
            speakers.setdefault(id(owner[paragraph][0]), (quote.speaker, quote.unnamed_source))
    turns, current = [], None
    for paragraph in starts:
        turn, start = owner.get(paragraph, (None, paragraph[0]))
        html = str(marked[paragraph])
        label = escape(body[paragraph[0] : start].strip())
        if label and html.startswith(label):  # the label is shown as the turn's heading
            html = html[len(label) :].lstrip()
        if current is None or current["turn"] is not turn or turn is None:
            speaker, unnamed = speakers.get(id(turn), (None, ""))
            current = {
                "turn": turn,
                "kind": turn.kind if turn else "setting",
                "who": turn.label if turn else "",
                "speaker": speaker,
                "unnamed": unnamed,
                "paragraphs": [],
            }
            turns.append(current)
        current["paragraphs"].append(mark_safe(html))  # annotated_paragraphs' markup, cut between parts
    return turns


def _paragraph_at(starts, offset):
    """The (start, end) paragraph span among `starts` (sorted) holding `offset`, or None."""
    index = bisect.bisect_right(starts, (offset, float("inf"))) - 1
    if index < 0 or not (starts[index][0] <= offset <= starts[index][1]):
        return None
    return starts[index]


@register.simple_tag
def quote_in_context(quote):
    """(before, quoted, after): the paragraph(s) of the article holding the quote, cut around it;
    None when its offsets do not fit the body."""
    body, start, end = quote.article.body, quote.start, quote.end
    if not (0 <= start < end <= len(body)):
        return None
    spans = [s for s in paragraphs_of(body) if s[1] > start and s[0] < end]
    if not spans:
        return None
    p_start, p_end = spans[0][0], spans[-1][1]
    return body[p_start:start], body[start:end], body[end:p_end]
