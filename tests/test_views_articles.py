"""The article page: cleaned text with every quote highlighted and linked."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.models import Quote
from tests.factories import make_article, make_more_quotes, make_quote, make_seed_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_seed_world()


def article_paragraphs(response):
    """The paragraphs of the article's text as the page shows them (HTML)."""
    body = response.content.decode().split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
    return [paragraph.split("</p>", 1)[0] for paragraph in body.split("<p>")[1:]]


def test_each_quote_is_highlighted_and_linked_to_its_page_and_speaker(client, world):
    response = client.get(world.articles.tass.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    quote = world.quotes.peskov_contacts
    assert (
        f'<mark class="quote-span" id="quote-{quote.pk}"><a href="/quotes/{quote.pk}/">As far as we understand,'
    ) in html
    # The speaker's name follows the closing quotation mark.
    assert (
        'serious incidents,</a></mark>&quot; <a class="quote-speaker" href="/speakers/dmitry-peskov/">'
        in html
    )
    assert 'href="https://tass.com/politics/903766"' in html
    assert len(article_paragraphs(response)) == 5


def test_article_text_is_escaped(client, world):
    article = make_article(
        "Markup", "Test", datetime.date(2016, 10, 1), ["<img src=x onerror=alert(1)> said: ok"]
    )
    make_quote(article, world.speakers.kirby, "ok")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_quote_across_two_paragraphs_is_marked_in_both(client, world):
    article = make_article(
        "Split", "RT", datetime.date(2016, 9, 29), ["He said: “Once", "again we declare.”"]
    )
    start = article.body.index("Once")
    quote = Quote.objects.create(
        article=article,
        speaker=world.speakers.konashenkov,
        text="Once again we declare.",
        start=start,
        end=article.body.index(".”") + 1,
    )
    paragraphs = article_paragraphs(client.get(article.get_absolute_url()))
    assert f'<mark class="quote-span" id="quote-{quote.pk}">' in paragraphs[0]
    assert '<mark class="quote-span"><a href' in paragraphs[1]


def test_overlapping_or_broken_offsets_are_left_unmarked(client, world):
    article = world.articles.rt
    bad = Quote.objects.create(article=article, text="bad", start=5, end=999999)
    inside = Quote.objects.create(
        article=article,
        text="overlap",
        start=world.quotes.kirby_lives.start + 2,
        end=world.quotes.kirby_lives.start + 9,
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="quote-{bad.pk}"' not in html and f'id="quote-{inside.pk}"' not in html
    assert f'id="quote-{world.quotes.kirby_lives.pk}"' in html


def test_unknown_articles_are_404(client, world):
    assert client.get("/articles/999999/").status_code == 404


def test_the_article_list_pages_newest_first(client, world):
    response = client.get("/articles/")
    assert [a.source for a in response.context["page"].items] == ["TASS", "RT"]
    assert client.get("/articles/", {"page": "abc"}).status_code == 400


def test_the_article_page_uses_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    url = world.articles.rt.get_absolute_url()
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(20):
        make_quote(world.articles.rt, world.speakers.ryabkov, f"Extra sentence number {i}.")
    make_more_quotes(world, 5)
    with django_assert_num_queries(len(small)):
        client.get(url)


# --- long articles (transcripts of thousands of quotes) ---------------------------------------------


def make_long_article(world, size):
    """An article of `size` paragraphs, each holding one quote by Peskov, written in two queries."""
    paragraphs = [f"“Statement number {i} on the ceasefire,” Peskov said." for i in range(size)]
    article = make_article("Transcript", "TASS", datetime.date(2016, 10, 5), paragraphs)
    quotes, offset = [], 0
    for paragraph in paragraphs:
        start = offset + 1
        end = start + paragraph.index("”") - 1
        quotes.append(
            Quote(
                article=article,
                speaker=world.speakers.peskov,
                text=article.body[start:end],
                start=start,
                end=end,
                said_on=article.published,
            )
        )
        offset += len(paragraph) + 2
    Quote.objects.bulk_create(quotes)
    return article


def test_a_long_article_marks_a_thousand_quotes_a_page(client, world):
    article = make_long_article(world, 1500)
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<mark class="quote-span" id=') == 1000
    assert "quotes 1–1000, in text order, of the 1500 we found" in html
    assert 'href="?page=2"' in html
    assert len(response.context["paragraphs"]) == 1500  # the whole text is still there
    second = client.get(article.get_absolute_url(), {"page": 2})
    html = second.content.decode()
    assert second.status_code == 200
    assert html.count('<mark class="quote-span" id=') == 500 and "Statement number 1499 on" in html
    assert "quotes 1001–1500" in html and '<ol class="plain" start="1001">' in html
    assert client.get(article.get_absolute_url(), {"page": 3}).status_code == 404
    assert client.get(article.get_absolute_url(), {"page": "²"}).status_code == 400


def test_a_short_article_has_no_pages(client, world):
    html = client.get(world.articles.rt.get_absolute_url()).content.decode()
    assert "the 5 quotes we found" in html and "?page=" not in html


class CountingQuote:
    """A quote that counts how often its offsets are read: the work of marking an article."""

    reads = 0

    def __init__(self, pk, start, end):
        self.pk, self._start, self.end, self.speaker, self.kind = pk, start, end, None, "direct"

    @property
    def start(self):
        CountingQuote.reads += 1
        return self._start

    def get_absolute_url(self):
        return f"/quotes/{self.pk}/"


def test_marking_an_article_grows_with_its_quotes_not_their_square():
    from statements.templatetags.newsdesk import annotated_paragraphs

    def reads_for(size):
        paragraph = "“Words,” he said."
        body = "\n\n".join([paragraph] * size)
        step = len(paragraph) + 2
        quotes = [CountingQuote(i, i * step + 1, i * step + 6) for i in range(size)]
        CountingQuote.reads = 0
        paragraphs = annotated_paragraphs(body, quotes)
        assert len(paragraphs) == size and all("<mark" in p for p in paragraphs)
        return CountingQuote.reads

    # twice the quotes, about twice the work (every paragraph looking at every quote was 4 times)
    assert reads_for(2000) < 2.5 * reads_for(1000)
