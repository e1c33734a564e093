"""Atom feeds of any filtered quote list: /quotes/feed/ takes the same parameters as /quotes/."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.text import Truncator

from statements import untrusted
from statements.filters import QuoteFilter
from statements.models import Quote, Speaker, SpeakerMerge

FEED_SIZE = 50


def xml_safe(value):
    """A value for the feed generator with the control characters XML forbids dropped from every
    string in it (lists of categories too): Django refuses to write a feed holding one, and quotes
    come from text nobody controls."""
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe(item) for item in value)
    return untrusted.without_control_characters(value)


class XMLSafeAtom1Feed(Atom1Feed):
    """Atom whose every string, of the feed and of each entry, goes through xml_safe: one place,
    so no field (title, summary, author, link, subtitle, or one added later) can break the feed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_safe, args), **{key: xml_safe(value) for key, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_safe, args), **{key: xml_safe(value) for key, value in kwargs.items()})


class QuoteFeed(Feed):
    feed_type = XMLSafeAtom1Feed
    description_template = None

    def __call__(self, request, *args, **kwargs):
        # a merged speaker's old slug (a feed reader's subscription) leads to the survivor's feed
        slugs = request.GET.getlist("speaker")
        if slugs and Speaker.objects.filter(slug__in=slugs).count() < len(set(slugs)):
            query = request.GET.copy()
            query.setlist("speaker", [SpeakerMerge.survivor_slug(slug) or slug for slug in slugs])
            if query.getlist("speaker") != slugs:
                return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        filterset = QuoteFilter(request.GET, queryset=Quote.objects.visible_to(request.user), request=request)
        query = filterset.data.copy()  # the parameters as the filter read them
        for key in ("page", "format"):
            query.pop(key, None)
        return {"filter": filterset, "query": query.urlencode()}

    def title(self, obj):
        chips = obj["filter"].active()
        if not chips:
            return "Newsdesk: latest quotes"
        return "Newsdesk quotes: " + "; ".join(f"{label} {value}" for _, label, value, _ in chips)

    def link(self, obj):
        url = reverse("statements:quote_list")
        return f"{url}?{obj['query']}" if obj["query"] else url

    def subtitle(self, obj):
        return "What diplomats and officials said, newest first."

    def items(self, obj):
        return obj["filter"].page_qs(1).for_listing()[:FEED_SIZE]

    def item_title(self, quote):
        speaker = quote.speaker.name if quote.speaker else (quote.unnamed_source or "Unattributed")
        words = Truncator(quote.text).chars(100, truncate="...")
        return f"{speaker}: “{words}”"

    def item_description(self, quote):
        # The summary is HTML (type="html"), which the XML writer escapes once more: the values are
        # escaped here, so a reader shows "<script>" in a source or title as text.
        source = quote.article.source or "the source"
        return format_html("“{}” (quoted in {}: {})", quote.text, source, quote.article.title)

    def item_link(self, quote):
        return quote.get_absolute_url()

    def item_author_name(self, quote):
        return quote.speaker.name if quote.speaker else None

    def item_pubdate(self, quote):
        day = quote.said_on or quote.article.published
        if day is None:
            return quote.created_at
        return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.timezone.utc)

    def item_updateddate(self, quote):
        return self.item_pubdate(quote)
