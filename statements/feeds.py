"""Atom feeds of any filtered quote list: /quotes/feed/ takes the same parameters as /quotes/."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from statements import queries
from statements.filters import QuoteFilter

FEED_SIZE = 50


class QuoteFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def get_object(self, request):
        filterset = QuoteFilter(request.GET, queryset=queries.visible_quotes(request.user), request=request)
        query = request.GET.copy()
        for key in ("page", "format"):
            query.pop(key, None)
        return {"filter": filterset, "query": query.urlencode()}

    def title(self, obj):
        chips = obj["filter"].active()
        if not chips:
            return "Newsdesk: latest quotes"
        return "Newsdesk quotes: " + "; ".join(f"{label} {value}" for _, label, value in chips)

    def link(self, obj):
        url = reverse("statements:quote_list")
        return f"{url}?{obj['query']}" if obj["query"] else url

    def subtitle(self, obj):
        return "What diplomats and officials said, newest first."

    def items(self, obj):
        return queries.for_listing(obj["filter"].page_qs)[:FEED_SIZE]

    def item_title(self, quote):
        speaker = quote.speaker.name if quote.speaker else (quote.speaker_role or "Unattributed")
        words = quote.text if len(quote.text) <= 100 else quote.text[:97] + "..."
        return f"{speaker}: “{words}”"

    def item_description(self, quote):
        source = quote.article.source or "the source"
        return f"“{quote.text}” (quoted in {source}: {quote.article.title})"

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
