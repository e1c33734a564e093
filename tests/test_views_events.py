"""Events: the list by date, and an event's responses in time order, grouped by actor."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import counting
from statements.models import Event
from tests.factories import make_event, make_more_quotes, make_quote, make_seed_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_seed_world()


def test_the_events_list_is_by_date_with_counts(client, world):
    make_event("Week-long ceasefire expires", datetime.date(2016, 9, 19))
    make_event("A rejected guess", datetime.date(2016, 9, 20), status=Event.Status.REJECTED)
    response = client.get("/events/")
    html = response.content.decode()
    assert [e.title for e in response.context["page"].items] == [
        "US suspends bilateral channels with Russia on Syria",
        "Week-long ceasefire expires",
    ]
    assert "3 statements in response" in html


def test_the_event_page_answers_who_responded_and_in_what_order(client, world):
    event = world.events.suspension
    # Kirby's own statement and Zakharova's later answer join Peskov's responses.
    make_quote(
        world.articles.tass,
        world.speakers.kirby,
        "the US was suspending",
        datetime.date(2016, 10, 3),
        events=[event],
    )
    answer = make_quote(
        world.articles.rt,
        world.speakers.zakharova,
        "Don’t you think",
        datetime.date(2016, 10, 5),
        events=[event],
    )
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "The US State Department suspends the channels" in html
    dates = [q.said_on for q in response.context["quotes"]]
    assert dates == sorted(dates) and response.context["quotes"][-1] == answer
    groups = response.context["groups"]
    # Countries in order of first response, then speakers within each country.
    assert [country for country, _ in groups] == ["United States", "Russia"]
    assert [speaker.name for speaker, _ in groups[1][1]] == ["Dmitry Peskov", "Maria Zakharova"]
    assert 'href="/quotes/?event=us-suspends-syria-talks&amp;sort=oldest"' in html


def test_unknown_and_rejected_events_are_404(client, world):
    rejected = make_event("A rejected guess", datetime.date(2016, 9, 20), status=Event.Status.REJECTED)
    assert client.get("/events/nothing-happened/").status_code == 404
    assert client.get(rejected.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url", ["/events/", "/events/us-suspends-syria-talks/"])
def test_event_pages_use_a_fixed_number_of_queries(client, world, django_assert_num_queries, url):
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make_more_quotes(world, 40)
    cache.clear()  # the same cold start as the first request: menus and facets built again
    counting.holder.forget()  # and the counting index (the charts count with it)
    make_event("Another event", datetime.date(2016, 8, 1), countries=[world.countries.rus])
    with django_assert_num_queries(len(small)):
        client.get(url)
