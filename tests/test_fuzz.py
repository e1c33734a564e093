"""A few thousand hostile query strings over every public page: none may answer with a server error.

The generator (tests/fuzzing.py) is seeded (FUZZ_SEED to explore others, FUZZ_REQUESTS for more or
fewer requests), so a failure is reproducible from the URLs the assertion lists. It runs over the
quote list's parameters and the other pages' `page` and `q`; scripts/fuzz_web.py runs it against a
live server. The data holds what an import of hostile articles could leave behind: a quote with
control characters, a `javascript:` URL, markup in a title and an outlet.
"""

import datetime
import os
from collections import Counter
from xml.etree import ElementTree

import pytest
from django.test import Client

from statements.models import Article, Quote
from tests.factories import make_article, make_more_quotes, make_quote, make_seed_world
from tests.fuzzing import LIST_PARAMETERS, Fuzzer

pytestmark = pytest.mark.django_db

SEED = int(os.environ.get("FUZZ_SEED", "20261130"))
REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "2000"))


def known_values(world):
    """Values that exist, so fuzzed pages also run their real filters and queries."""
    return {
        "speaker": ["dmitry-peskov", "john-kirby", "DMITRY-PESKOV"],
        "organisation": [world.organisations.kremlin.slug, world.organisations.state.slug],
        "country": ["RUS", "usa", "Rus", "-USA", "- rus"],
        "mentions": ["USA", "rus", world.organisations.kremlin.slug, "-RUS"],
        "topic": ["ceasefire", "terrorism"],
        "event": [world.events.suspension.slug],
        "source": ["TASS", "rt", "<b>Out</b>"],
        "q": [
            "ceasefire",
            "Syria dialogue",
            '"body bags"',
            "peskov",
            "regret -ceasefire",
            "Dmitri Peskov ceasefire",
        ],
        "speaker_name": ["Peskov", "zaharova", "Kirby", "Zakarova"],
        "page": ["1", "2", "3"],
    }


def public_urls(world, hostile_article, control_quote):
    """(path, parameters it reads, weight): the quote lists read every filter."""
    peskov = world.speakers.peskov.get_absolute_url()
    return [
        ("/", LIST_PARAMETERS, 4),
        ("/quotes/", LIST_PARAMETERS, 8),
        ("/quotes/feed/", LIST_PARAMETERS, 5),
        (peskov, LIST_PARAMETERS, 3),
        ("/speakers/", ["q", "page"], 2),
        ("/suggest/speakers/", ["q"], 1),
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
        "<img src=x onerror=alert(1)> Bell\x07",
        "<script>alert(2)</script>",
        datetime.date(2016, 10, 6),
        ["The envoy\x1b[31m said: “We will\x01 respond in kind.”"],
    )
    # Written straight through the ORM: what an older import, or an import that missed it, leaves.
    Article.objects.filter(pk=article.pk).update(url="JaVaScRiPt:alert(3)")
    control_quote = make_quote(
        article,
        world.speakers.peskov,
        "We will\x01 respond in kind.",
        speaker_role="envoy\x1b[31m",
        topics=[world.topics.ceasefire],
    )
    make_quote(article, None, '=HYPERLINK("http://evil.example")', kind=Quote.Kind.INDIRECT)
    return world, article, control_quote


def read(response):
    """The whole body: a streamed export fails, if it fails, while it is read."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_no_hostile_query_string_gets_a_server_error():
    world, article, control_quote = hostile_world()
    urls = public_urls(world, article, control_quote)
    fuzzer = Fuzzer(SEED, known_values(world))
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
