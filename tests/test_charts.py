"""Volume-over-time charts: on the quote list for any filter or search, on topic, country, event and
speaker pages, each bar a link to its period; and two lists compared (issue 20, item 7)."""

import datetime
import re

import pytest

from statements import charts, counting
from statements.models import Quote
from tests.factories import make_more_quotes, make_seed_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_seed_world()
    make_more_quotes(world, 24)  # two years' worth of months, 2016 only: Jan-Dec
    return world


def bars(response):
    return response.context["chart"]["bars"]


def shown(response):
    return {quote.pk for quote in response.context["page"].items}


def test_the_quote_list_charts_what_it_lists_and_each_bar_opens_its_period(client, world):
    response = client.get("/quotes/", {"country": "RUS"})
    chart = response.context["chart"]
    assert chart["unit"] == "month"
    russian = Quote.objects.filter(speaker__country__code="RUS")
    assert sum(bar["count"] for bar in chart["bars"]) == russian.count()
    october = next(bar for bar in chart["bars"] if bar["name"] == "Oct 2016")
    assert october["href"] == "/quotes/?country=RUS&said_after=2016-10-01&said_before=2016-10-31"
    period = client.get(october["href"])
    expected = russian.filter(said_on__range=(datetime.date(2016, 10, 1), datetime.date(2016, 10, 31)))
    assert shown(period) == set(expected.values_list("pk", flat=True)) and len(expected) == october["count"]
    html = response.content.decode()
    assert 'aria-label="Oct 2016: %d quote' % october["count"] in html


def test_a_search_has_its_chart_and_a_bar_keeps_the_search(client, world):
    response = client.get("/quotes/", {"q": "ventriloquism"})
    [bar] = [bar for bar in bars(response) if bar["count"]]
    assert bar["href"].startswith("/quotes/?q=ventriloquism&said_after=")
    assert response.context["chart"]["unit"] == "day"


def test_a_bar_replaces_the_dates_and_the_page_of_the_list(client, world):
    response = client.get("/quotes/", {"said_after": "2016-03-01", "page": "1", "topic": "ceasefire"})
    first = bars(response)[0]
    assert first["name"] == "Mar 2016"
    assert first["href"] == "/quotes/?topic=ceasefire&said_after=2016-03-01&said_before=2016-03-31"


def test_labels_under_the_bars_are_never_tiny(client, world):
    html = client.get("/quotes/").content.decode()
    assert '<svg class="volume-svg" width="100%"' in html  # drawn at the page's width, never scaled down
    assert re.search(r'<text class="label[^"]*" x="[\d.]+%" y="\d+"', html)


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/topics/ceasefire/", "topic=ceasefire"),
        ("/countries/usa/", "country=USA"),
        ("/events/us-suspends-syria-talks/", "event=us-suspends-syria-talks"),
    ],
)
def test_topic_country_and_event_pages_chart_their_quotes(client, world, url, parameter):
    response = client.get(url)
    chart = response.context["chart"]
    counted = [bar for bar in chart["bars"] if bar["count"]]
    assert counted and all(bar["href"].startswith(f"/quotes/?{parameter}&said_after=") for bar in counted)
    assert 'class="volume-svg"' in response.content.decode()


def test_the_chart_counts_the_same_with_sql_as_with_the_index(client, world, monkeypatch):
    with_index = [(bar["name"], bar["count"]) for bar in bars(client.get("/quotes/", {"topic": "terrorism"}))]
    monkeypatch.setenv("COUNTING_INDEX", "off")
    with_sql = [(bar["name"], bar["count"]) for bar in bars(client.get("/quotes/", {"topic": "terrorism"}))]
    assert with_index == with_sql and sum(count for _, count in with_sql) > 0


def test_a_rejected_quote_is_not_counted_for_the_public(client, world):
    quote = world.quotes.zakharova_ventriloquism
    Quote.objects.filter(pk=quote.pk).update(status=Quote.Status.REJECTED)
    response = client.get("/quotes/", {"q": "ventriloquism"})
    assert "chart" in response.context and not response.context["chart"]["bars"]


def test_units_follow_the_span():
    day = datetime.date
    assert counting.unit_for(day(2016, 10, 1), day(2016, 10, 30)) == "day"
    assert counting.unit_for(day(2016, 1, 1), day(2016, 10, 30)) == "month"
    assert counting.unit_for(day(2006, 1, 1), day(2016, 10, 30)) == "year"
    volume = counting.Volume.from_days({day(2016, 1, 2): 2, day(2016, 4, 30): 1})
    assert volume.unit == "month"
    assert volume.counts == [
        (day(2016, 1, 1), 2),
        (day(2016, 2, 1), 0),
        (day(2016, 3, 1), 0),
        (day(2016, 4, 1), 1),
    ]


def test_a_comparison_draws_two_lists_over_the_same_periods_on_one_scale(client, world):
    response = client.get("/compare/", {"a": "RUS", "b": "country:usa"})
    assert response.status_code == 200
    first, second = response.context["sides"]
    assert (first.label, second.label) == ("Russia", "United States")
    assert [bar["name"] for bar in first.chart["bars"]] == [bar["name"] for bar in second.chart["bars"]]
    assert first.chart["peak"] == second.chart["peak"]
    for side, code in ((first, "RUS"), (second, "USA")):
        assert (
            sum(bar["count"] for bar in side.chart["bars"])
            == Quote.objects.filter(speaker__country__code=code).count()
        )
        assert side.chart["bars"][0]["href"].startswith(f"/quotes/?country={code}&said_after=")


def test_a_comparison_reads_speakers_topics_and_words(client, world):
    response = client.get("/compare/", {"a": "Dmitry Peskov", "b": "ventriloquism", "topic": "ceasefire"})
    first, second = response.context["sides"]
    assert (first.parameter, first.value) == ("speaker", "dmitry-peskov")
    assert (second.parameter, second.value, second.label) == ("q", "ventriloquism", "“ventriloquism”")
    # the filter beside them narrows both sides
    assert first.list_url == "/quotes/?topic=ceasefire&speaker=dmitry-peskov"
    assert (
        sum(bar["count"] for bar in first.chart["bars"])
        == Quote.objects.filter(speaker=world.speakers.peskov, topics=world.topics.ceasefire).count()
    )


def test_a_comparison_without_two_sides_asks_for_them(client, world):
    html = client.get("/compare/", {"a": "RUS"}).content.decode()
    assert "Give two things to compare." in html
    assert client.get("/compare/").status_code == 200


def test_read_side_prefers_an_explicit_kind(world):
    assert charts.read_side("words:RUS").parameter == "q"
    assert charts.read_side("topic:ceasefire").value == "ceasefire"
    assert charts.read_side("speaker:nobody-at-all").value == "nobody-at-all"  # the filter says it is unknown


def test_the_list_offers_to_compare_itself_with_another(client, world):
    html = client.get(
        "/quotes/", {"country": "RUS", "said_after": "2016-01-01", "page": "1"}
    ).content.decode()
    assert 'href="/compare/?a=country%3ARUS&amp;said_after=2016-01-01"' in html
    page = client.get("/compare/", {"a": "country:RUS", "said_after": "2016-01-01"}).content.decode()
    # comparing again keeps the shared filter
    assert '<input type="hidden" name="said_after" value="2016-01-01">' in page


def test_a_speaker_pages_chart_counts_that_speakers_quotes_under_the_pages_filters(client, world):
    chart = client.get("/speakers/dmitry-peskov/", {"topic": "ceasefire"}).context["chart"]
    expected = Quote.objects.filter(speaker=world.speakers.peskov, topics=world.topics.ceasefire)
    assert sum(bar["count"] for bar in chart["bars"]) == expected.count() > 0
    assert all(
        bar["href"].startswith("/speakers/dmitry-peskov/?topic=ceasefire&said_after=")
        for bar in chart["bars"]
    )
