"""Topic, organisation and country pages, and the help page."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import counting
from tests.factories import make_more_quotes, make_seed_world
from tests.fuzzing import PUBLIC_LIST_PARAMETERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_seed_world()


def test_the_topic_page_shows_description_speakers_quotes_and_a_filtered_link(client, world):
    response = client.get("/topics/ceasefire/")
    html = response.content.decode()
    assert "Truces, their terms and their breakdown." in html
    assert [s["name"] for s in response.context["speakers"]][0] == "Dmitry Peskov"
    assert len(response.context["quotes"]) == 4
    assert 'href="/quotes/?topic=ceasefire"' in html
    assert "US suspends bilateral channels" in html


def test_the_organisation_page_includes_the_organisation_speaking_as_a_body(client, world):
    response = client.get("/organisations/russian-ministry-of-defense/")
    assert {s["name"] for s in response.context["speakers"]} == {
        "Igor Konashenkov",
        "Russian Ministry of Defense",
    }
    assert 'href="/quotes/?organisation=russian-ministry-of-defense"' in response.content.decode()


def test_the_country_page_lists_its_speakers_and_quotes(client, world):
    response = client.get("/countries/rus/")
    names = {s["name"] for s in response.context["speakers"]}
    assert "John Kirby" not in names and {"Dmitry Peskov", "Maria Zakharova", "Sergey Ryabkov"} <= names
    assert 'href="/quotes/?country=RUS"' in response.content.decode()


def test_country_codes_in_upper_case_redirect_to_the_lower_case_page(client, world):
    response = client.get("/countries/RUS/")
    assert response.status_code == 301 and response["Location"] == "/countries/rus/"
    assert client.get("/countries/zzz/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/countries/%01/", "/countries/ru%1B/", "/countries/russia/", "/countries/ŕus/"]
)
def test_malformed_country_codes_are_404(client, world, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/countries/%00/", "/countries/ru%00/"])
def test_a_nul_in_a_country_code_is_refused_or_not_found(client, world, path):
    # a NUL in the address is refused at the door (400) where the middleware does so
    assert client.get(path).status_code in (400, 404)


@pytest.mark.parametrize("url", ["/topics/", "/organisations/", "/countries/", "/about/"])
def test_index_pages_render(client, world, url):
    assert client.get(url).status_code == 200


def test_the_help_page_documents_the_query_language(client, world):
    html = client.get("/about/").content.decode()
    for parameter in PUBLIC_LIST_PARAMETERS:
        assert f"<code>{parameter}</code>" in html


@pytest.mark.parametrize(
    "url", ["/topics/", "/topics/ceasefire/", "/organisations/kremlin/", "/countries/rus/", "/countries/"]
)
def test_browse_pages_use_a_fixed_number_of_queries(client, world, django_assert_num_queries, url):
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make_more_quotes(world, 40)
    cache.clear()  # the same cold start as the first request: menus and facets built again
    counting.holder.forget()  # and the counting index (the charts count with it)
    with django_assert_num_queries(len(small)):
        client.get(url)
