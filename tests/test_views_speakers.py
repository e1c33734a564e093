"""Speakers: the name search and the speaker page (profile, quotes, topics, timeline)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import counting
from statements.models import Quote
from tests.factories import make_more_quotes, make_organisation, make_seed_world, make_speaker

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_seed_world()


def found(client, q):
    response = client.get("/speakers/", {"q": q})
    assert response.status_code == 200
    return [speaker.name for speaker in response.context["page"].items]


@pytest.mark.parametrize(
    "q", ["peskov", "PESKOV", "Dmitry Peskov", "Peskov D.", "peskov dmitry", "pesk", "Peskóv"]
)
def test_the_search_finds_peskov_however_he_is_written(client, world, q):
    assert found(client, q) == ["Dmitry Peskov"]


def test_the_search_matches_aliases_and_accented_names(client, world):
    assert found(client, "Konaschenkow") == ["Igor Konashenkov"]
    make_speaker("Jean-Marc Ayrault", make_organisation("French Foreign Ministry"), aliases=["Ayrault"])
    make_speaker("José Manuel Barroso")
    assert found(client, "jose barroso") == ["José Manuel Barroso"]
    assert found(client, "jean marc") == ["Jean-Marc Ayrault"]


def test_the_list_shows_role_organisation_country_and_count_most_quoted_first(client, world):
    response = client.get("/speakers/")
    names = [speaker.name for speaker in response.context["page"].items]
    assert names[0] == "Dmitry Peskov"
    html = response.content.decode()
    assert "Kremlin spokesman" in html and "US Department of State" in html and "United States" in html


@pytest.mark.parametrize("q", ['"', "' OR 1=1 --", "%", "_", "x" * 1000, "NEAR("])
def test_hostile_searches_never_fail(client, world, q):
    assert client.get("/speakers/", {"q": q}).status_code == 200


def test_a_speaker_search_for_nobody_says_so(client, world):
    assert "No speaker matches" in client.get("/speakers/", {"q": "nobody"}).content.decode()


def test_the_speaker_page_shows_profile_quotes_topics_and_a_timeline(client, world):
    response = client.get("/speakers/dmitry-peskov/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Dmitry Peskov</h1>" in html and "Kremlin spokesman" in html
    assert {q.speaker_id for q in response.context["page"].items} == {world.speakers.peskov.pk}
    assert response.context["topics"] == [{"slug": "ceasefire", "name": "Ceasefire", "count": 2}]
    assert '<svg class="volume-svg"' in html and "per day: 3 quotes" in html
    # The text alternative: the same figures as a table, each period a link to its quotes.
    assert (
        '<a href="/speakers/dmitry-peskov/?said_after=2016-10-04&amp;said_before=2016-10-04">4 Oct 2016</a></td><td class="num">3</td>'
        in html
    )


def test_the_chart_fills_months_without_quotes(client, world):
    make_more_quotes(world, 12)  # Peskov gets the quotes of January, May and September 2016
    chart = client.get("/speakers/dmitry-peskov/").context["chart"]
    assert chart["unit"] == "month"
    assert [bar["name"] for bar in chart["bars"]] == [
        f"{month} 2016" for month in "Jan Feb Mar Apr May Jun Jul Aug Sep Oct".split()
    ]
    assert chart["bars"][1]["count"] == 0 and chart["bars"][1]["height"] == 0
    assert (
        sum(bar["count"] for bar in chart["bars"])
        == Quote.objects.filter(speaker=world.speakers.peskov).count()
    )


def test_the_speaker_page_filters_like_the_main_list(client, world):
    response = client.get("/speakers/dmitry-peskov/", {"q": "ceasefire"})
    assert [q.pk for q in response.context["page"].items] == [world.quotes.peskov_ceasefire.pk]
    html = response.content.decode()
    assert 'href="/quotes/?q=ceasefire&amp;speaker=dmitry-peskov&amp;format=csv"' in html
    # The speaker page does not offer filters that make no sense for one speaker.
    assert 'name="country"' not in html


def test_an_unknown_speaker_is_a_404(client, world):
    assert client.get("/speakers/nobody/").status_code == 404


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url, params", [("/speakers/", {}), ("/speakers/", {"q": "peskov"}), ("/speakers/dmitry-peskov/", {})]
)
def test_speaker_pages_use_a_fixed_number_of_queries(client, world, django_assert_num_queries, url, params):
    small = count_queries(client, url, params)
    make_more_quotes(world, 40)
    cache.clear()  # the same cold start as the first request: menus and facets built again
    counting.holder.forget()  # and the counting index (the speaker's chart counts with it)
    for i in range(30):
        make_speaker(f"Extra Speaker {i}", world.organisations.kremlin, "spokesman")
    with django_assert_num_queries(small):
        client.get(url, params)


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": "99999999999999"}, {"q": "NEAR("}, {"said_after": "nope"}, {"topic": "none"}],
)
def test_hostile_parameters_on_the_speaker_page_never_fail(client, world, params):
    response = client.get("/speakers/dmitry-peskov/", params)
    assert response.status_code in (200, 400)
    assert response.status_code == 400 or response.context["page"] is not None
