"""The quote list's query language beyond one value a filter: repeated values OR-ed, values left
out (`-country=USA` or `country=-USA`), "mentions", totals, and paging that never ends in an error.
Every check runs twice: with the in-memory counting index and with SQL alone (COUNTING_INDEX=off)."""

import re

import pytest
from django.core.cache import cache

from statements import counting, pagination
from statements.models import Quote
from tests.factories import make_more_quotes, make_seed_world

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["index", "sql"])
def counting_by(request, monkeypatch):
    if request.param == "sql":
        monkeypatch.setenv("COUNTING_INDEX", "off")
    counting.holder.forget()
    cache.clear()
    return request.param


@pytest.fixture
def world(counting_by):
    world = make_seed_world()
    q, countries, organisations = world.quotes, world.countries, world.organisations
    # What the quotes' words name, as the importer's gazetteer would store it
    for quote in (q.peskov_regret, q.peskov_ceasefire, q.kirby_suspends, q.konashenkov_dialogue):
        quote.mentioned_countries.add(countries.usa)
    q.kirby_suspends.mentioned_countries.add(countries.rus)
    q.mod_threats.mentioned_countries.add(countries.rus)
    q.kirby_lives.mentioned_organisations.add(organisations.kremlin)
    return world


def shown(response):
    assert response.status_code == 200, response.content.decode()[:500]
    return {quote.pk for quote in response.context["page"].items}


def pks(*quotes):
    return {quote.pk for quote in quotes}


def everything():
    return set(Quote.objects.values_list("pk", flat=True))


def test_two_countries_show_the_quotes_of_either(client, world):
    russia = shown(client.get("/quotes/", {"country": "RUS"}))
    america = shown(client.get("/quotes/", {"country": "USA"}))
    both = client.get("/quotes/?country=RUS&country=usa")
    assert shown(both) == russia | america and russia and america
    html = both.content.decode()
    assert '<option value="RUS" selected>Russia</option>' in html
    assert '<option value="USA" selected>United States</option>' in html


def test_two_topics_and_two_outlets_are_either_too(client, world):
    q = world.quotes
    topics = shown(client.get("/quotes/?topic=terrorism&topic=ceasefire"))
    ceasefire = pks(q.peskov_regret, q.peskov_ceasefire, q.kirby_suspends, q.ryabkov_breaks)
    assert topics == ceasefire | pks(q.konashenkov_dialogue)
    outlets = shown(client.get("/quotes/?source=TASS&source=rt"))
    assert outlets == everything()


def test_a_country_left_out_either_way_of_writing_it(client, world):
    america = shown(client.get("/quotes/", {"country": "USA"}))
    for query in ("-country=USA", "country=-usa"):
        response = client.get(f"/quotes/?{query}")
        assert shown(response) == everything() - america, query
        assert "Not speaker&#x27;s country:" in response.content.decode()


def test_leaving_out_a_topic_keeps_the_untagged_quotes(client, world):
    q = world.quotes
    kept = shown(client.get("/quotes/?topic=-ceasefire"))
    assert kept == everything() - pks(q.peskov_regret, q.peskov_ceasefire, q.kirby_suspends, q.ryabkov_breaks)
    assert q.zakharova_ventriloquism.pk in kept  # no topic at all


def test_filters_and_exclusions_combine(client, world):
    q = world.quotes
    response = client.get("/quotes/?country=RUS&-topic=ceasefire&-speaker=maria-zakharova&source=RT")
    assert shown(response) == pks(q.mod_threats, q.konashenkov_dialogue)


def test_mentions_a_country_or_an_organisation(client, world):
    q = world.quotes
    america = shown(client.get("/quotes/?mentions=USA"))
    assert america == pks(q.peskov_regret, q.peskov_ceasefire, q.kirby_suspends, q.konashenkov_dialogue)
    # by the speaker's country, Kirby; by what the words are about, Russia
    assert shown(client.get("/quotes/?mentions=rus&country=USA")) == pks(q.kirby_suspends)
    assert shown(client.get("/quotes/?mentions=kremlin&mentions=RUS")) == pks(
        q.kirby_lives, q.kirby_suspends, q.mod_threats
    )
    assert shown(client.get("/quotes/?-mentions=USA")) == everything() - america


def test_the_mentions_facet_counts_countries_and_organisations(client, world):
    response = client.get("/quotes/")
    facet = {item["value"]: item["count"] for item in response.context["facets"]["mentions"]}
    assert facet == {"USA": 4, "RUS": 2, "kremlin": 1}
    html = response.content.decode()
    assert 'href="/quotes/?mentions=USA"' in html and 'href="/quotes/?-mentions=USA"' in html


def test_an_unknown_mention_is_ignored_with_a_message(client, world):
    response = client.get("/quotes/?mentions=atlantis")
    assert shown(response) == everything()
    assert "No country or organisation “atlantis”" in response.content.decode()


def test_each_chip_removes_its_own_value(client, world):
    html = client.get("/quotes/?country=RUS&country=USA&-topic=ceasefire").content.decode()
    assert 'href="/quotes/?country=USA&amp;-topic=ceasefire"' in html  # remove Russia
    assert 'href="/quotes/?country=RUS&amp;-topic=ceasefire"' in html  # remove the United States
    assert 'href="/quotes/?country=RUS&amp;country=USA"' in html  # bring the ceasefire back


def test_the_form_keeps_what_is_left_out(client, world):
    html = client.get("/quotes/?-country=USA&organisation=kremlin").content.decode()
    assert '<input type="hidden" name="-country" value="USA"' in html
    # the organisation menu is in the form itself, not under "More filters"
    assert "More filters" not in html and re.search(r'<select [^>]*name="organisation"', html)


def test_the_list_says_how_many_quotes_match(client, world):
    q = world.quotes
    response = client.get("/quotes/", {"country": "RUS", "topic": "ceasefire"})
    assert shown(response) == pks(q.peskov_regret, q.peskov_ceasefire, q.ryabkov_breaks)
    assert "<strong>3 quotes</strong>" in response.content.decode()
    assert response.context["facets"]["total"] == 3
    assert f"<strong>{len(everything())} quotes</strong>" in client.get("/quotes/").content.decode()


def test_facets_count_every_match_not_the_newest(client, world, monkeypatch):
    from statements import queries

    monkeypatch.setattr(queries, "FACET_SAMPLE", 3)
    make_more_quotes(world, 30)
    response = client.get("/quotes/", {"topic": "ceasefire"})
    years = {item["value"]: item["count"] for item in response.context["facets"]["year"]}
    if response.context["facets"]["sampled"]:  # SQL alone: a sample, and the page says so
        assert sum(years.values()) == 3
        assert "More than 3 quotes" in response.content.decode()
        assert "most recent matching quotes" in response.content.decode()
    else:
        assert sum(years.values()) == Quote.objects.filter(topics=world.topics.ceasefire).count() == 19


def test_the_last_page_goes_on_from_its_last_date(client, world, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_PAGE", 1)
    make_more_quotes(world, 60)
    response = client.get("/quotes/", {"topic": "ceasefire"})
    last = response.context["page"].items[-1]
    assert response.context["page"].has_next
    html = response.content.decode()
    continued = f"?topic=ceasefire&amp;said_before={last.said_on.isoformat()}"
    assert f'href="{continued}"' in html and "page=2" not in html
    later = client.get(f"/quotes/{continued.replace('&amp;', '&')}")
    assert last.pk in shown(later)  # the same day again: nothing skipped
    assert '<input type="text" id="jump-date" name="said_before"' in html


def test_index_and_sql_agree_on_every_combination(client, world, monkeypatch):
    """Pages, totals and facet counts are the same whichever counts them."""
    make_more_quotes(world, 40)
    urls = [
        "/quotes/?country=RUS&country=USA&-topic=terrorism",
        "/quotes/?-country=RUS&mentions=USA&sort=oldest",
        "/quotes/?source=-TASS&topic=ceasefire&topic=terrorism&said_after=2016-03-01",
        "/quotes/?organisation=kremlin&organisation=-kremlin",
        "/quotes/?event=us-suspends-syria-talks&-mentions=kremlin",
    ]

    def answers():
        found = []
        for url in urls:
            cache.clear()
            response = client.get(url)
            facets = response.context["facets"]
            found.append(
                (
                    [q.pk for q in response.context["page"].items],
                    {k: facets[k] for k in facets if k not in ("sample_size", "counted_with")},
                )
            )
        return found

    monkeypatch.setenv("COUNTING_INDEX", "on")
    by_index = answers()
    monkeypatch.setenv("COUNTING_INDEX", "off")
    assert answers() == by_index
