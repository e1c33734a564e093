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
    # A statement by someone of no organisation the event names, said the day before, is a response.
    make_quote(
        world.articles.tass,
        world.speakers.kirby,
        "the US was suspending",
        datetime.date(2016, 10, 2),
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


# --- issue 20, item 6: confirmed events first, search, the statement that is the event -------------


def test_the_events_list_shows_confirmed_events_and_candidates_behind_a_switch(client, world):
    make_event("Talks resume in Lausanne", datetime.date(2016, 10, 15), status=Event.Status.CANDIDATE)
    response = client.get("/events/")
    titles = [event.title for event in response.context["page"].items]
    assert titles == ["US suspends bilateral channels with Russia on Syria"]
    html = response.content.decode()
    assert "Show 1 unconfirmed event as well" in html and 'href="?candidates=1"' in html
    switched = client.get("/events/", {"candidates": "1"})
    assert [event.title for event in switched.context["page"].items] == [
        "Talks resume in Lausanne",
        "US suspends bilateral channels with Russia on Syria",
    ]
    assert "Unconfirmed" in switched.content.decode()
    # the home page's recent events are confirmed ones
    strip = client.get("/").content.decode().split('class="events-strip"')[1].split("</section>")[0]
    assert "US suspends bilateral channels" in strip and "Talks resume in Lausanne" not in strip


def test_events_are_found_by_words_and_dates(client, world):
    make_event("Week-long ceasefire expires", datetime.date(2016, 9, 19))
    make_event(
        "Geneva ceasefire agreed", datetime.date(2016, 9, 9), description="Kerry and Lavrov agree a plan."
    )

    def titles(**params):
        return [event.title for event in client.get("/events/", params).context["page"].items]

    # the suspension's description speaks of the ceasefire too
    assert titles(q="Ceasefire") == [
        "US suspends bilateral channels with Russia on Syria",
        "Week-long ceasefire expires",
        "Geneva ceasefire agreed",
    ]
    assert titles(q="lavrov ceasefire") == ["Geneva ceasefire agreed"]  # every word, title or description
    assert titles(after="10 Sep 2016", before="2016-09-30") == ["Week-long ceasefire expires"]
    assert titles(q="nothing like this") == []
    html = client.get("/events/", {"after": "31/31/2016"}).content.decode()
    assert "Write a date as the site shows it" in html  # ignored, with a message; the list still shows
    assert "US suspends bilateral channels" in html


def test_the_event_page_shows_the_statement_that_is_the_event_and_never_its_speaker_as_responding(
    client, world
):
    event = world.events.suspension
    event.organisations.set([world.organisations.state])
    kirby = world.quotes.kirby_suspends
    kirby.events.add(event)
    make_quote(
        world.articles.tass,
        world.speakers.kirby,
        "We have done everything we could",
        datetime.date(2016, 10, 5),
        events=[event],
    )
    response = client.get(event.get_absolute_url())
    assert response.context["trigger"] == kirby
    responders = {quote.speaker.name for quote in response.context["quotes"]}
    assert responders == {"Dmitry Peskov"}  # Kirby, before or after, is never "responding"
    assert ["United States" not in country for country, _ in response.context["groups"]] == [True]
    html = response.content.decode()
    assert (
        '<h2 id="trigger-title">The statement</h2>' in html
        and "suspending the use of bilateral channels" in html
    )
    assert "1 day later" in html  # Peskov answered on 4 Oct, the day after


def test_an_editors_choice_of_the_statement_wins(client, world):
    event = world.events.suspension
    chosen = world.quotes.peskov_regret
    Event.objects.filter(pk=event.pk).update(trigger=chosen)
    response = client.get(event.get_absolute_url())
    assert response.context["trigger"] == chosen
    assert all(quote.speaker != world.speakers.peskov for quote in response.context["quotes"])


def test_an_event_that_is_not_a_statement_has_none(client, world):
    attack = make_event("Aid convoy attacked", datetime.date(2016, 10, 4))
    Event.objects.filter(pk=attack.pk).update(kind=Event.Kind.MILITARY)
    attack.organisations.set([world.organisations.kremlin])
    world.quotes.peskov_regret.events.add(attack)
    response = client.get(attack.get_absolute_url())
    assert response.context["trigger"] is None and response.context["quotes"] == [world.quotes.peskov_regret]


def test_quote_cards_show_the_confirmed_event_they_answer(client, world):
    guess = make_event("An unconfirmed guess", datetime.date(2016, 10, 4), status=Event.Status.CANDIDATE)
    world.quotes.peskov_regret.events.add(guess)
    html = client.get("/quotes/", {"speaker": "dmitry-peskov"}).content.decode()
    link = (
        'On the event <a href="/events/us-suspends-syria-talks/">US suspends bilateral channels with Russia on Syria</a> '
        '(<time datetime="2016-10-03">3 Oct 2016</time>)'
    )
    assert html.count(link) == 3  # Peskov's three quotes on it
    assert "An unconfirmed guess" not in html.split('<ol class="quote-list"')[1]


@pytest.mark.parametrize(
    "since, day, words",
    [
        (datetime.date(2016, 10, 3), datetime.date(2016, 10, 3), "same day"),
        (datetime.date(2016, 10, 3), datetime.date(2016, 10, 4), "1 day later"),
        (datetime.date(2016, 10, 3), datetime.date(2016, 10, 5), "2 days later"),
        (datetime.date(2016, 10, 3), datetime.date(2016, 10, 1), "2 days before"),
        (datetime.date(2016, 10, 3), datetime.date(2016, 10, 24), "3 weeks later"),
        (datetime.date(2016, 10, 3), datetime.date(2017, 1, 3), "3 months later"),
        (datetime.date(2016, 10, 3), None, ""),
    ],
)
def test_delays_read_as_people_say_them(since, day, words):
    from statements.days import delay_words

    assert delay_words(since, day) == words
