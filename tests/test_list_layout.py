"""The quote list's addresses and dates as a reader shares and types them (issue 20, item 9): no empty
parameters, dates written as the site prints them, facets before the results in the page's order."""

import datetime

import pytest

from statements.days import parse_day, show_day
from tests.factories import make_seed_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_seed_world()


@pytest.mark.parametrize(
    "path, clean",
    [
        ("/quotes/?q=&country=RUS&topic=&said_after=", "/quotes/?country=RUS"),
        ("/quotes/?q=&country=", "/quotes/"),
        ("/?q=&topic=ceasefire", "/?topic=ceasefire"),
        ("/speakers/dmitry-peskov/?q=&topic=ceasefire", "/speakers/dmitry-peskov/?topic=ceasefire"),
        ("/quotes/?q=body+bags&country=&q=", "/quotes/?q=body+bags"),
    ],
)
def test_a_list_address_with_empty_parameters_redirects_to_the_clean_one(client, world, path, clean):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == clean
    assert client.get(clean).status_code == 200


def test_an_export_with_empty_parameters_is_served_where_it_was_asked(client, world):
    response = client.get("/quotes/?q=&country=RUS&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert client.get("/quotes/?q=&format=json").status_code == 200


def test_a_clean_address_is_not_redirected(client, world):
    assert client.get("/quotes/?country=RUS&page=1").status_code == 200


@pytest.mark.parametrize(
    "typed",
    [
        "2016-10-01",
        "1 Oct 2016",
        "1 October 2016",
        "01 oct 2016",
        "Oct 1, 2016",
        "October 1st 2016",
        " 1  Oct  2016 ",
    ],
)
def test_a_date_is_read_as_iso_or_as_the_site_prints_it(client, world, typed):
    response = client.get("/quotes/", {"said_after": typed})
    assert response.context["filter"].cleaned()["said_after"] == datetime.date(2016, 10, 1)
    html = response.content.decode()
    assert 'value="1 Oct 2016"' in html  # the field shows it as the site prints dates
    assert "Said on or after:</span> 1 Oct 2016" in html  # and so does the "remove" chip
    assert {quote.said_on.month for quote in response.context["page"].items} == {10}


@pytest.mark.parametrize("typed", ["04/10/2016", "31 Feb 2016", "1 Octember 2016", "2016-13-01", "yesterday"])
def test_an_ambiguous_or_impossible_date_is_ignored_with_a_message(client, world, typed):
    response = client.get("/quotes/", {"said_after": typed, "country": "RUS"})
    html = response.content.decode()
    assert "Write a date as the site shows it, 4 Oct 2016, or as 2016-10-04" in html
    assert response.context["filter"].cleaned().get("said_after") is None
    assert response.context["page"].items  # the country filter still applies


def test_show_day_and_parse_day_agree():
    day = datetime.date(2016, 10, 4)
    assert show_day(day) == "4 Oct 2016" and parse_day(show_day(day)) == day
    assert parse_day("") is None and parse_day("x" * 100) is None


def test_the_form_and_facets_come_before_the_results_in_the_page(client, world):
    html = client.get("/quotes/", {"country": "RUS"}).content.decode()
    skip, form, facets, results = (
        html.index('href="#results">Skip to the results'),
        html.index('<form class="filters"'),
        html.index('<nav class="facets"'),
        html.index('<ol class="quote-list"'),
    )
    assert skip < form < facets < results
    assert html.count("data-closed-on-phones") == 2  # both fold on a phone
