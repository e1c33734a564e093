"""The quote page: the quote, who said it, its context, and a citation ready to paste."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.models import Quote
from tests.factories import make_more_quotes, make_seed_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_seed_world()


def test_the_quote_page_shows_the_quote_speaker_and_context(client, world):
    quote = world.quotes.peskov_regret
    response = client.get(quote.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "So far, I would not exaggerate things so much." in html
    assert "Dmitry Peskov" in html and "Kremlin spokesman" in html
    assert 'href="/organisations/kremlin/"' in html and 'href="/countries/rus/"' in html
    assert "Tuesday 4 October 2016" in html
    assert "Ceasefire" in html and "US suspends bilateral channels with Russia on Syria" in html
    # The surrounding paragraph, with the quote marked in it.
    context = html.split('<p class="context-paragraph">', 1)[1].split("</p>", 1)[0]
    assert context.startswith(f'&quot;<mark class="quote-span is-current">{quote.text}</mark>')
    assert context.endswith("Peskov said.")


def test_the_citation_line_names_speaker_role_outlet_title_date_and_url(client, world):
    response = client.get(world.quotes.peskov_regret.get_absolute_url())
    assert (
        "Dmitry Peskov, Kremlin spokesman, quoted in TASS, “Contacts between Russian, US military on Syria "
        "to continue — Kremlin”, 4 October 2016, https://tass.com/politics/903766"
    ) in response.content.decode()


def test_the_role_the_article_gives_wins_over_the_speakers_latest_role(client, world):
    quote = world.quotes.kirby_suspends
    quote.speaker_role = "chief of the US Department of State press service"
    quote.save()
    html = client.get(quote.get_absolute_url()).content.decode()
    # a reported statement: TASS reported what he said, in its own words
    assert "John Kirby, chief of the US Department of State press service, reported by TASS" in html


def test_a_rejected_quote_is_not_public(client, world):
    Quote.objects.filter(pk=world.quotes.kirby_lives.pk).update(status=Quote.Status.REJECTED)
    assert client.get(world.quotes.kirby_lives.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("path", ["/quotes/0/", "/quotes/999999/", "/quotes/99999999999999999999999/"])
def test_missing_quotes_are_404(client, world, path):
    assert client.get(path).status_code == 404


def test_offsets_outside_the_body_do_not_break_the_page(client, world):
    quote = world.quotes.zakharova_ventriloquism
    Quote.objects.filter(pk=quote.pk).update(start=100000, end=100010)
    response = client.get(quote.get_absolute_url())
    assert response.status_code == 200 and "In context" not in response.content.decode()


def test_the_quote_page_uses_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    url = world.quotes.peskov_regret.get_absolute_url()
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make_more_quotes(world, 20)
    with django_assert_num_queries(len(small)):
        client.get(url)
