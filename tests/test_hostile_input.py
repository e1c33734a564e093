"""Hostile input from visitors (query strings) and from imported data (articles nobody controls):
a bad parameter gets the 400 page or is ignored, never a 500; data never becomes live markup,
script links, control characters in XML or spreadsheet formulas."""

import csv
import datetime
import io
import json
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client

from statements.filters import QuoteFilter
from statements.models import Article, Quote
from tests.factories import make_article, make_quote, make_seed_world

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world():
    return make_seed_world()


@pytest.fixture
def visitor():
    """A client that returns a server error as a response instead of raising it, like a browser."""
    return Client(raise_request_exception=False)


def body(response):
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


# --- page numbers -----------------------------------------------------------------------------------

LIST_PAGES = ["/", "/quotes/", "/speakers/", "/articles/", "/events/", "/speakers/dmitry-peskov/"]


@pytest.mark.parametrize("url", LIST_PAGES)
@pytest.mark.parametrize("page", ["²", "①", "٣", "１", "10" * 20, "1e3", "-1", "0"])
def test_a_page_that_is_not_a_plain_number_gets_the_400_page(visitor, world, url, page):
    response = visitor.get(url, {"page": page})
    assert response.status_code == 400
    assert "Page must be a whole number" in response.content.decode()


# --- control characters in parameters ---------------------------------------------------------------


CONTROL_QUERIES = [
    "topic=%00",
    "country=a%00b",
    "organisation=%00",
    "event=a%00b",
    "speaker=%00",
    "source=%00",
    "q=%00",
    "kind=%00",
    "said_after=2016%00",
    "sort=%00",
    "topic=%01",
    "country=r%1Bus",
    "organisation=%1F",
    "event=a%02b",
    "speaker=%07",
    "source=TASS%08",
    "q=peskov%0B",
    "kind=direct%0C",
    "said_before=%7F2016-10-01",
]


@pytest.mark.parametrize(
    "url", ["/", "/quotes/", "/quotes/feed/", "/quotes/?format=csv", "/quotes/?format=json"]
)
@pytest.mark.parametrize("query", CONTROL_QUERIES)
def test_a_control_character_in_a_filter_is_refused_or_ignored(visitor, world, url, query):
    joined = f"{url}&{query}" if "?" in url else f"{url}?{query}"
    response = visitor.get(joined)
    assert response.status_code in (200, 400)
    assert "\x00" not in body(response) and "\x01" not in body(response)


@pytest.mark.parametrize(
    "name", ["topic", "country", "organisation", "event", "speaker", "kind", "said_after"]
)
@pytest.mark.parametrize("control", ["\x00", "\x01", "\x1b"])
def test_the_quote_filter_reads_a_control_character_as_an_unknown_value(world, name, control):
    # Whatever refuses such requests in front of it, the filter itself never queries with one.
    data = QueryDict(mutable=True)
    data.update({name: f"cease{control}fire", "source": "RT"})
    filterset = QuoteFilter(data, queryset=Quote.objects.all())
    html = str(filterset.form)
    assert control not in html
    assert list(filterset.errors) == [name]
    quotes = list(filterset.qs)  # the other filter still applies
    assert quotes and all(quote.article_id == world.articles.rt.pk for quote in quotes)


def test_a_filter_with_a_control_character_says_it_was_ignored(visitor, world):
    response = visitor.get("/quotes/?topic=cease%01fire&country=RUS")
    html = response.content.decode()
    assert response.status_code == 200
    assert "this filter was ignored" in html and "\x01" not in html
    # the other filters still apply
    assert all(quote.speaker.country_id == world.countries.rus.pk for quote in response.context["page"].items)


@pytest.mark.parametrize("q", ["pes%00kov", "pes%01kov", "%1B%5B31m"])
def test_speaker_search_with_a_control_character(visitor, world, q):
    response = visitor.get(f"/speakers/?q={q}")
    assert response.status_code in (200, 400)
    assert "\x00" not in response.content.decode() and "\x01" not in response.content.decode()


# --- the feed never emits a control character -------------------------------------------------------


def feed_entries(response):
    root = ElementTree.fromstring(response.content)  # fails on any character XML forbids
    return root, root.findall(f"{ATOM}entry")


@pytest.mark.parametrize(
    "query", ["q=%01", "source=%1B%5B31m", "q=peskov%1B&source=TASS%08", "country=%0Brus"]
)
def test_control_characters_in_feed_parameters(visitor, world, query):
    response = visitor.get(f"/quotes/feed/?{query}")
    assert response.status_code == 200
    feed_entries(response)


def test_a_stored_control_character_does_not_break_the_feed(visitor, world):
    article = make_article(
        "Bell\x07 title\x01", "Out\x1blet", datetime.date(2016, 10, 5), url="https://example.com/\x01"
    )
    speaker = world.speakers.peskov
    speaker.name = "Dmitry\x1b Peskov"
    speaker.save()
    make_quote(article, speaker, "We will\x01 respond\x1b[31m in kind.", speaker_role="spokes\x0bman")
    response = visitor.get("/quotes/feed/")
    assert response.status_code == 200
    root, entries = feed_entries(response)
    assert any(
        "We will respond[31m in kind." in (entry.findtext(f"{ATOM}summary") or "") for entry in entries
    )
    for char in range(32):
        if chr(char) not in "\t\n\r":
            assert chr(char) not in response.content.decode()


# --- links from imported data -----------------------------------------------------------------------


HOSTILE_URLS = [
    "javascript:alert(3)",
    "JavaScript:alert(3)",
    " javascript:alert(3)",
    "java\tscript:alert(3)",
    "\x01javascript:alert(3)",
    "data:text/html,<script>alert(3)</script>",
    "vbscript:msgbox(3)",
    "//evil.example/",
]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.cites = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "cite" in attrs:
            self.cites.append(attrs["cite"])


def links(html):
    parser = Links()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_an_article_url_that_is_not_http_is_never_a_link(visitor, world, url):
    article = world.articles.tass
    Article.objects.filter(pk=article.pk).update(url=url)
    quote = world.quotes.peskov_regret
    for page in (
        article.get_absolute_url(),
        quote.get_absolute_url(),
        "/quotes/",
        "/speakers/dmitry-peskov/",
    ):
        response = visitor.get(page)
        assert response.status_code == 200
        found = links(response.content.decode())
        for value in found.hrefs + found.cites:
            assert "script" not in value.lower() and not value.startswith(("data:", "//")), (page, value)


def test_an_http_article_url_is_still_linked(visitor, world):
    Article.objects.filter(pk=world.articles.tass.pk).update(url="HTTPS://tass.com/politics/903766")
    for page in (world.articles.tass.get_absolute_url(), world.quotes.peskov_regret.get_absolute_url()):
        assert "HTTPS://tass.com/politics/903766" in links(visitor.get(page).content.decode()).hrefs


# --- the feed's HTML summary ------------------------------------------------------------------------


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_markup_in_a_source_or_title_arrives_in_the_feed_as_text(visitor, world):
    article = make_article(
        "<img src=x onerror=alert(1)>", "<script>alert(2)</script>", datetime.date(2016, 10, 5)
    )
    make_quote(article, world.speakers.kirby, "<b>bold</b> & plain")
    root, entries = feed_entries(visitor.get("/quotes/feed/"))
    summaries = [entry.find(f"{ATOM}summary") for entry in entries]
    assert all(summary.get("type") == "html" for summary in summaries)
    hostile = [s.text for s in summaries if "alert(2)" in s.text]
    assert len(hostile) == 1
    # A feed reader parses the summary as HTML: what it finds must be text, not elements.
    parser = Elements()
    parser.feed(hostile[0])
    assert parser.tags == []
    assert "<script>alert(2)</script>" in hostile[0].replace("&lt;", "<").replace("&gt;", ">")


# --- spreadsheet formulas in CSV exports ------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.fixture
def formula_quotes(world):
    quotes = []
    for i, formula in enumerate(FORMULAS):
        article = make_article(formula, formula, datetime.date(2016, 11, 1 + i))
        quotes.append(make_quote(article, world.speakers.kirby, f"{formula} said {i}"))
    return quotes


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def assert_no_formulas(rows):
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)


def test_the_web_csv_export_neutralises_formulas(visitor, formula_quotes):
    rows = csv_rows(body(visitor.get("/quotes/?format=csv")))
    assert_no_formulas(rows)
    by_title = {row["article_title"] for row in rows}
    assert '\'=HYPERLINK("http://evil.example","x")' in by_title and "'+1+1" in by_title


def test_the_command_line_csv_export_neutralises_formulas(formula_quotes):
    out = io.StringIO()
    call_command("export_quotes", "--format", "csv", stdout=out)
    rows = csv_rows(out.getvalue())
    assert_no_formulas(rows)
    assert "'@SUM(A1) said 3" in {row["text"] for row in rows}


def test_json_exports_keep_the_exact_text(visitor, formula_quotes):
    records = json.loads(body(visitor.get("/quotes/?format=json")))
    assert {r["article_title"] for r in records} >= set(FORMULAS)
    out = io.StringIO()
    call_command("export_quotes", "--format", "jsonl", stdout=out)
    texts = {json.loads(line)["text"] for line in out.getvalue().splitlines()}
    assert f"{FORMULAS[1]} said 1" in texts


def test_a_negative_number_or_a_plain_cell_is_only_prefixed_when_it_starts_a_formula(visitor, world):
    rows = csv_rows(body(visitor.get("/quotes/?format=csv")))
    starts = {row["start"] for row in rows}
    # numbers we write ourselves (offsets, confidence) are never prefixed
    assert all(value.isdigit() for value in starts)
    assert {row["source"] for row in rows} == {"TASS", "RT"}
