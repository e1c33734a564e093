"""Facet counts from the in-memory counting index (statements/counting.py): the same numbers as a
plain GROUP BY over the same quotes, and current after an import or an editor's change."""

import datetime
import time

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from statements import counting, queries
from statements.models import Article, Quote
from tests.factories import (
    make_article,
    make_country,
    make_more_quotes,
    make_quote,
    make_seed_world,
    make_topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_seed_world()
    make_more_quotes(world, 30)
    # other years, an outlet in two spellings, a quote without a topic or a speaker
    for year, source in ((2014, "Interfax"), (2015, "interfax"), (2017, "TASS"), (2018, "RT")):
        article = make_article(f"Statement of {year}", source, datetime.date(year, 3, 4))
        make_quote(
            article,
            world.speakers.kirby,
            f"The talks of {year} on the ceasefire go on.",
            topics=[world.topics.terrorism],
        )
        make_quote(article, None, f"Nobody said a word in {year}.")
    return world


def sql_facets(response):
    """The page's facets counted again with GROUP BY over the page's own filtered quotes."""
    facets = queries.quote_facets(response.context["filter"].qs)
    assert not facets["sampled"]
    return {name: facets[name] for name in queries.FACET_NAMES}


def page_facets(client, params):
    response = client.get("/quotes/", params)
    assert response.status_code == 200
    facets = response.context["facets"]
    assert facets["counted_with"] == "index"
    return response, facets


COMBINATIONS = [
    {},
    {"country": "RUS"},
    {"topic": "ceasefire"},
    {"country": "USA", "topic": "terrorism"},
    {"country": "RUS", "topic": "ceasefire", "said_after": "2016-03-01", "said_before": "2016-08-31"},
    {"said_after": "2015-01-01"},
    {"said_before": "2016-01-31"},
    {"organisation": "russian-foreign-ministry"},
    {"speaker": "john-kirby"},
    {"event": "us-suspends-syria-talks"},
    {"source": "INTERFAX"},
    {"q": "ceasefire"},
    {"q": "ceasefire", "country": "USA", "said_after": "2014-01-01"},
    {"q": "talks OR military -Syria"},
    {"q": "ventriloquism"},
]


@pytest.mark.parametrize("params", COMBINATIONS)
def test_counts_equal_a_group_by_over_the_same_quotes(client, world, params):
    response, facets = page_facets(client, params)
    assert {name: facets[name] for name in queries.FACET_NAMES} == sql_facets(response)
    assert facets["total"] == response.context["filter"].qs.count()


def test_staff_counts_include_rejected_quotes_and_the_public_counts_do_not(client, world):
    Quote.objects.filter(speaker=world.speakers.kirby).update(status=Quote.Status.REJECTED)
    _, public = page_facets(client, {"country": "USA"})
    assert public["total"] == 0 and public["country"] == []

    staff = User.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(staff)
    response, facets = page_facets(client, {"country": "USA"})
    assert facets["total"] == Quote.objects.filter(speaker=world.speakers.kirby).count() > 0
    assert {name: facets[name] for name in queries.FACET_NAMES} == sql_facets(response)


def count_of(facets, name, value):
    return next((item["count"] for item in facets[name] if item["value"] == value), 0)


def test_an_import_shows_in_the_next_pages_counts(client, world, tmp_path):
    _, before = page_facets(client, {})
    (tmp_path / "new.txt").write_text(
        "---\ntitle: Briefing\npublished: 2019-05-06\nsource: Newswire\n---\n"
        '"We will not accept any new sanctions," Dmitry Peskov, the Kremlin spokesman, told reporters.\n\n'
        '"The ceasefire must hold," Peskov said.\n\n'
        '"We are watching closely," said Annika Lindqvist, a spokeswoman for the Swedish government.\n'
    )
    call_command("import_articles", str(tmp_path / "new.txt"), stdout=None)
    added = Quote.objects.filter(article__source="Newswire").count()
    assert added >= 2
    assert Quote.objects.filter(speaker__name="Annika Lindqvist").exists()  # a speaker new to the index

    response, after = page_facets(client, {})
    assert after["total"] == before["total"] + added
    assert count_of(after, "source", "Newswire") == added
    assert count_of(after, "year", "2019") == added
    assert {name: after[name] for name in queries.FACET_NAMES} == sql_facets(response)


def test_a_rejected_quote_leaves_the_next_pages_counts(client, world):
    _, before = page_facets(client, {"topic": "ceasefire"})
    quote = Quote.objects.filter(topics=world.topics.ceasefire, speaker=world.speakers.peskov).first()
    # what the admin's "mark rejected" action does
    Quote.objects.filter(pk=quote.pk).update(status=Quote.Status.REJECTED, curated=True)
    response, after = page_facets(client, {"topic": "ceasefire"})
    assert after["total"] == before["total"] - 1
    assert count_of(after, "speaker", "dmitry-peskov") == count_of(before, "speaker", "dmitry-peskov") - 1
    assert {name: after[name] for name in queries.FACET_NAMES} == sql_facets(response)


def test_a_speakers_new_country_shows_in_the_next_pages_counts(client, world):
    _, before = page_facets(client, {})
    kirby = world.speakers.kirby
    said = Quote.objects.filter(speaker=kirby).count()
    kirby.country = make_country("GBR", "United Kingdom")
    kirby.save()
    response, after = page_facets(client, {})
    assert count_of(after, "country", "GBR") == said
    assert count_of(after, "country", "USA") == count_of(before, "country", "USA") - said
    _, british = page_facets(client, {"country": "GBR"})
    assert british["total"] == said
    assert {name: after[name] for name in queries.FACET_NAMES} == sql_facets(response)


def test_retagged_edited_and_deleted_quotes_show_in_the_next_pages_counts(client, world):
    page_facets(client, {})  # the index is built
    quote = Quote.objects.filter(topics=world.topics.ceasefire).first()
    quote.topics.set([make_topic("Sanctions", "sanctions")])
    Quote.objects.filter(pk=Quote.objects.filter(said_on__year=2014).first().pk).update(
        said_on=datetime.date(2013, 1, 2)
    )
    Article.objects.filter(source="RT").update(source="RT News")
    Article.objects.get(title="Statement of 2017").delete()
    for params in (
        {},
        {"topic": "sanctions"},
        {"topic": "ceasefire"},
        {"source": "rt news"},
        {"said_before": "2013-12-31"},
    ):
        response, facets = page_facets(client, params)
        assert {name: facets[name] for name in queries.FACET_NAMES} == sql_facets(response), params
        assert facets["total"] == response.context["filter"].qs.count()


def test_a_common_search_counts_its_newest_matches_and_says_so(client, world, monkeypatch):
    monkeypatch.setattr(counting, "SEARCH_CAP", 3)
    response = client.get("/quotes/", {"q": "ceasefire"})
    facets = response.context["facets"]
    assert facets["sampled"] and facets["total"] == 3
    assert "Counts are over the 3 most recent matching quotes." in response.content.decode()


def test_filters_the_index_does_not_hold_are_counted_with_sql(client, world):
    response = client.get("/quotes/", {"kind": "direct", "country": "RUS"})
    facets = response.context["facets"]
    assert facets["counted_with"] == "sql"
    assert {name: facets[name] for name in queries.FACET_NAMES} == sql_facets(response)


@pytest.mark.django_db(transaction=True)
def test_a_large_database_counts_with_sql_until_its_index_is_built(client, monkeypatch):
    world = make_seed_world()
    make_more_quotes(world, 5)
    monkeypatch.setattr(counting, "BACKGROUND_BUILD_ABOVE", 0)
    first = client.get("/quotes/", {"country": "RUS"})
    assert (
        first.status_code == 200 and first.context["facets"]["counted_with"] == "sql"
    )  # SQL, while it builds
    deadline = time.monotonic() + 30
    while counting.holder.building and time.monotonic() < deadline:
        time.sleep(0.05)
    response, facets = page_facets(client, {"country": "RUS"})
    assert {name: facets[name] for name in queries.FACET_NAMES} == sql_facets(response)
    assert {name: facets[name] for name in queries.FACET_NAMES} == {
        name: first.context["facets"][name] for name in queries.FACET_NAMES
    }

    # Another process (here: this one, forgetting its index) loads the copy the build left in the
    # cache, and catches up with what changed since
    counting.holder.forget()
    Quote.objects.filter(speaker=world.speakers.peskov).update(status=Quote.Status.REJECTED)
    response, later = page_facets(client, {"country": "RUS"})
    assert not counting.holder.building
    assert later["total"] == facets["total"] - count_of(facets, "speaker", "dmitry-peskov") > 0
    assert {name: later[name] for name in queries.FACET_NAMES} == sql_facets(response)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"country": "RUS"},
        {"topic": "terrorism", "said_after": "2015-01-01"},
        {"q": "ceasefire", "sort": "newest"},
        {"source": "interfax", "sort": "oldest"},
    ],
)
def test_pages_found_in_the_index_are_the_databases_pages(client, world, monkeypatch, params):
    from statements import pagination

    make_quote(make_article("Undated", "TASS", None), world.speakers.peskov, "A ceasefire without a date.")
    monkeypatch.setattr(counting, "PAGE_SIZE", 4)
    monkeypatch.setattr(pagination, "PAGE_SIZE", 4)
    for sort in ("newest", "oldest"):
        for number in range(1, 14):
            query = {"sort": sort, **params, "page": number}
            response = client.get("/quotes/", query)
            with monkeypatch.context() as sql_only:
                sql_only.setattr(counting, "quote_page", lambda *args: None)
                expected = client.get("/quotes/", query)
            assert response.status_code == expected.status_code
            if expected.status_code == 404:
                break
            assert counting.quote_page(response.context["filter"], number) is not None  # from the index
            page, reference = response.context["page"], expected.context["page"]
            assert [q.pk for q in page.items] == [q.pk for q in reference.items], query
            assert page.has_next == reference.has_next


def test_a_database_not_migrated_since_counting_came_counts_with_sql(client, world):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {counting.CHANGE_TABLE}")
    response = client.get("/quotes/", {"country": "RUS"})
    assert response.status_code == 200
    assert response.context["facets"]["counted_with"] == "sql"
    assert response.context["facets"]["country"] == sql_facets(response)["country"] != []
