"""A few thousand hostile query strings over every public page: none may answer with a server error.

The generator is seeded (FUZZ_SEED to explore others, FUZZ_REQUESTS for more or fewer requests), so a
failure is reproducible from the URLs the assertion lists. It mixes full-text search syntax, NUL and
other control characters, percent-encoded bytes that are not UTF-8 (lone surrogates, %FF), huge and
non-ASCII numbers, impossible dates, very long values, repeated and unknown parameters and unicode,
over the quote list's parameters and the plain pages' `page` and `q`. The data holds what an import
of hostile articles could leave behind: a quote with control characters, a `javascript:` URL, markup
in a title and an outlet.
"""

import datetime
import os
import random
from collections import Counter
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.test import Client

from statements.models import Article, Quote
from tests.factories import make_article, make_more_quotes, make_quote, make_seed_world

pytestmark = pytest.mark.django_db

SEED = int(os.environ.get("FUZZ_SEED", "20261130"))
REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "2000"))

LIST_PARAMETERS = [
    "q", "speaker", "organisation", "country", "topic", "event", "source", "kind",
    "said_after", "said_before", "sort", "page", "format", "status",
]


def text(value):
    """A value percent-encoded as a browser would send it (UTF-8)."""
    return quote(value, safe="")


# Pieces already percent-encoded, so they reach the server as these exact bytes.
RAW = [
    "%00", "%01", "%07", "%08", "%0B", "%0C", "%1B%5B31m", "%1F", "%7F", "%C2%85",  # control characters
    "%ED%A0%80", "%ED%B0%80", "%FF", "%FE%FF", "%C0%AF", "%80", "%E2%82", "%F4%90%80%80",  # not UTF-8
    "%", "%G0", "%2", "%25", "%26", "%3D", "%2B", "+", "%0A", "%0D%0A", "%09",  # broken or tricky escapes
]

FTS = ["NEAR(", "NEAR(a b, 2)", '"', '"unclosed', "*", "-", "--", "OR", "AND", "NOT", "^", ":", "(", ")", "{", "}",
       "col:word", "a OR OR b", "-ceasefire", "cease*", '"body bags"', "ceasefire AND", "OR", "'", "\\", "''"]

NUMBERS = ["²", "①", "٣", "１", "੩", "Ⅻ", str(10**30), "9" * 400, "-1", "0", "00", "1e3", "0x10", " 2 ", "2.0",
           "NaN", "inf", "-0", "+1", "1_000", "401", "400", "2"]

DATES = ["0001-01-01", "9999-12-31", "2024-02-30", "0000-00-00", "2016-10-01T00:00", "10/04/2016",
         "-2016-01-01", "99999-01-01", "2016-10-04", "2016-9-4", "2016-10", "", "today", "1970-01-01",
         "2016-10-01%00", "２０１６-１０-０１", "2016-13-45"]

UNICODE = ["Пресс-секретарь", "زاخاروفا", "İstanbul", "straße", "ＲＵＳ", "rus", "RUS", "usa", "e\u0301",
           "\u200b", "\u202e", "\u2028", "😀" * 20, "\ufffd", "\ufeff", "ǅ", "ﬁ"]

HOSTILE = ["' OR 1=1 --", "../../etc/passwd", "<script>alert(1)</script>", "javascript:alert(1)", "%s%s%n",
           "${7*7}", "{{ 7*7 }}", "a&b=c", "NULL", "None", "[]", "{}", "true", " ", "\t"]

CHOICES = {
    "kind": ["direct", "partial", "indirect", "DIRECT", "shouted"],
    "sort": ["newest", "oldest", "relevance", "random", "-said_on"],
    "format": ["csv", "json", "xml", "CSV", "jsonl", ""],
    "status": ["verified", "rejected", "unreviewed", "x"],
}


def known_values(world):
    """Values that exist, so fuzzed pages also run their real filters and queries."""
    return {
        "speaker": ["dmitry-peskov", "john-kirby", "DMITRY-PESKOV"],
        "organisation": [world.organisations.kremlin.slug, world.organisations.state.slug],
        "country": ["RUS", "usa", "Rus"],
        "topic": ["ceasefire", "terrorism"],
        "event": [world.events.suspension.slug],
        "source": ["TASS", "rt", "<b>Out</b>"],
        "q": ["ceasefire", "Syria dialogue", '"body bags"', "peskov", "regret -ceasefire"],
        "page": ["1", "2", "3"],
    }


class Fuzzer:
    def __init__(self, seed, world):
        self.random = random.Random(seed)
        self.known = known_values(world)

    def piece(self, name):
        r = self.random
        kind = r.random()
        if kind < 0.25 and name in self.known:
            return text(r.choice(self.known[name]))
        if kind < 0.35 and name in CHOICES:
            return text(r.choice(CHOICES[name]))
        if kind < 0.45:
            return r.choice(RAW)
        if kind < 0.55:
            return text(" ".join(r.choice(FTS + ["ceasefire", "syria"]) for _ in range(r.randint(1, 6))))
        if kind < 0.65:
            return text(r.choice(NUMBERS))
        if kind < 0.72:
            return text(r.choice(DATES))
        if kind < 0.80:
            return text(r.choice(UNICODE))
        if kind < 0.88:
            return text(r.choice(HOSTILE))
        if kind < 0.93:
            return text(r.choice(["a", "é", "ceasefire ", "-", '"', "9"]) * r.choice([300, 1000, 5000]))
        return text("".join(chr(r.randint(0, 0x2FFF)) for _ in range(r.randint(1, 12))).replace("\ud800", ""))

    def value(self, name):
        return "".join(self.piece(name) for _ in range(self.random.choice([1, 1, 1, 2, 3])))

    def name(self, names):
        r = self.random
        if r.random() < 0.06:
            return r.choice(["", "%00", "q%00", "page[]", "Q", "q ", "%FF", "amp;q", "x" * 300, "format%1B"])
        return r.choice(names)

    def query(self, names):
        pairs = []
        for _ in range(self.random.choice([1, 1, 2, 2, 3, 4, 6])):
            name = self.name(names)
            for _ in range(self.random.choice([1, 1, 1, 1, 2, 3])):  # repeated parameters
                pairs.append(f"{name}={self.value(name)}")
        return "&".join(pairs)


def public_urls(world, hostile_article, control_quote):
    """(path, parameters it reads, weight): the quote lists read every filter."""
    peskov = world.speakers.peskov.get_absolute_url()
    return [
        ("/", LIST_PARAMETERS, 4),
        ("/quotes/", LIST_PARAMETERS, 8),
        ("/quotes/feed/", LIST_PARAMETERS, 5),
        (peskov, LIST_PARAMETERS, 3),
        ("/speakers/", ["q", "page"], 2),
        ("/articles/", ["page"], 1),
        (world.articles.tass.get_absolute_url(), ["page"], 1),
        (hostile_article.get_absolute_url(), ["page"], 1),
        ("/events/", ["page"], 1),
        (world.events.suspension.get_absolute_url(), ["page"], 1),
        ("/topics/", ["page"], 1),
        (world.topics.ceasefire.get_absolute_url(), ["page", "q"], 1),
        ("/organisations/", ["page"], 1),
        (world.organisations.kremlin.get_absolute_url(), ["page"], 1),
        ("/countries/", ["page"], 1),
        (world.countries.rus.get_absolute_url(), ["page"], 1),
        ("/about/", ["page"], 1),
        (world.quotes.peskov_regret.get_absolute_url(), ["page"], 1),
        (control_quote.get_absolute_url(), ["page"], 1),
    ]


def hostile_world():
    world = make_seed_world()
    make_more_quotes(world, 30)  # a second page on the lists
    article = make_article(
        "<img src=x onerror=alert(1)> Bell\x07", "<script>alert(2)</script>", datetime.date(2016, 10, 6),
        ["The envoy\x1b[31m said: “We will\x01 respond in kind.”"],
    )
    # Written straight through the ORM: what an older import, or an import that missed it, leaves.
    Article.objects.filter(pk=article.pk).update(url="JaVaScRiPt:alert(3)")
    control_quote = make_quote(article, world.speakers.peskov, "We will\x01 respond in kind.",
                               speaker_role="envoy\x1b[31m", topics=[world.topics.ceasefire])
    make_quote(article, None, "=HYPERLINK(\"http://evil.example\")", kind=Quote.Kind.INDIRECT)
    return world, article, control_quote


def read(response):
    """The whole body: a streamed export fails, if it fails, while it is read."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_no_hostile_query_string_gets_a_server_error():
    world, article, control_quote = hostile_world()
    urls = public_urls(world, article, control_quote)
    fuzzer = Fuzzer(SEED, world)
    client = Client(raise_request_exception=False)
    statuses, failures = Counter(), []
    for _ in range(REQUESTS):
        path, names, _ = fuzzer.random.choices(urls, weights=[weight for *_, weight in urls])[0]
        url = f"{path}?{fuzzer.query(names)}"
        try:
            response = client.get(url)
            content = read(response)
            status = response.status_code
            if status == 200 and path == "/quotes/feed/":
                ElementTree.fromstring(content)  # well-formed XML, no forbidden character
        except Exception as exc:  # a streamed export or the feed's XML broke after the status
            status, content = f"broken: {exc.__class__.__name__}", b""
        statuses[status] += 1
        if not isinstance(status, int) or status >= 500:
            failures.append((status, url))
    print(f"\nfuzz seed {SEED}: {REQUESTS} requests, statuses {dict(sorted(statuses.items(), key=str))}")
    assert not failures, f"seed {SEED}, {len(failures)} failures, first ones: " + "\n".join(
        f"{status} {url[:300]}" for status, url in failures[:20]
    )
    assert statuses[200] > REQUESTS / 4  # most requests reached a page, not only the 400 page
