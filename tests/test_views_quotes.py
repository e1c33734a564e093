"""The quote list (/quotes/ and the home page): filters, search, facets, paging, exports, feeds."""

import csv
import io
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import counting
from statements.models import Quote
from tests.factories import make_more_quotes, make_seed_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_seed_world()


def shown(response):
    """The pks of the quotes a list page shows, in order."""
    return [quote.pk for quote in response.context["page"].items]


def pks(*quotes):
    return {quote.pk for quote in quotes}


def body(response):
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


# --- filters ----------------------------------------------------------------------------------------


def test_filtering_by_russia_shows_the_russian_officials_and_not_kirby(client, world):
    q, s = world.quotes, world.speakers
    response = client.get("/quotes/", {"country": "RUS"})
    assert response.status_code == 200
    speakers = {quote.speaker_id for quote in response.context["page"].items}
    assert speakers == {s.peskov.pk, s.konashenkov.pk, s.zakharova.pk, s.ryabkov.pk, s.mod.pk}
    assert q.kirby_lives.pk not in shown(response) and q.kirby_suspends.pk not in shown(response)


def test_country_codes_match_in_any_case_and_select_the_option(client, world):
    upper = client.get("/quotes/", {"country": "RUS"})
    lower = client.get("/quotes/", {"country": "rus"})
    assert shown(upper) == shown(lower)
    assert '<option value="RUS" selected>Russia</option>' in lower.content.decode()


def test_country_matches_speakers_through_their_organisation(client, world):
    # A speaker whose own country is missing still counts for their organisation's country.
    world.speakers.ryabkov.country = None
    world.speakers.ryabkov.save()
    response = client.get("/quotes/", {"country": "RUS"})
    assert world.quotes.ryabkov_breaks.pk in shown(response)


def test_said_after_keeps_only_the_later_quotes(client, world):
    response = client.get("/quotes/", {"said_after": "2016-10-01"})
    assert set(shown(response)) == {q.pk for q in world.articles.tass.quotes.all()}


def test_said_before_and_after_together_make_a_date_range(client, world):
    response = client.get("/quotes/", {"said_after": "2016-09-29", "said_before": "2016-09-29"})
    assert set(shown(response)) == pks(
        world.quotes.mod_threats,
        world.quotes.konashenkov_dialogue,
        world.quotes.zakharova_ventriloquism,
        world.quotes.ryabkov_breaks,
    )


def test_russian_officials_on_the_ceasefire_in_october(client, world):
    response = client.get(
        "/quotes/",
        {"country": "RUS", "topic": "ceasefire", "said_after": "2016-10-01", "said_before": "2016-10-31"},
    )
    assert set(shown(response)) == pks(world.quotes.peskov_regret, world.quotes.peskov_ceasefire)


def test_organisation_matches_its_people_and_itself_speaking_as_a_body(client, world):
    response = client.get("/quotes/", {"organisation": world.organisations.mod.slug})
    assert set(shown(response)) == pks(world.quotes.konashenkov_dialogue, world.quotes.mod_threats)


def test_speaker_topic_event_source_and_kind_filters(client, world):
    q = world.quotes
    assert set(shown(client.get("/quotes/", {"speaker": "john-kirby"}))) == pks(
        q.kirby_lives, q.kirby_suspends
    )
    assert set(shown(client.get("/quotes/", {"topic": "terrorism"}))) == pks(q.konashenkov_dialogue)
    assert set(shown(client.get("/quotes/", {"event": "us-suspends-syria-talks"}))) == pks(
        q.peskov_contacts, q.peskov_regret, q.peskov_ceasefire
    )
    assert set(shown(client.get("/quotes/", {"source": "tass"}))) == {
        quote.pk for quote in world.articles.tass.quotes.all()
    }
    assert set(shown(client.get("/quotes/", {"kind": "partial"}))) == pks(q.mod_threats, q.kirby_lives)


def test_newest_first_by_default_and_oldest_on_request(client, world):
    newest = client.get("/quotes/")
    oldest = client.get("/quotes/", {"sort": "oldest"})
    dates = [quote.said_on for quote in newest.context["page"].items]
    assert dates == sorted(dates, reverse=True)
    assert shown(newest)[0] != shown(oldest)[0]
    assert oldest.context["page"].items[0] == world.quotes.kirby_lives


def test_undated_quotes_come_last_whatever_the_order(client, world):
    Quote.objects.filter(pk=world.quotes.zakharova_ventriloquism.pk).update(said_on=None)
    assert shown(client.get("/quotes/"))[-1] == world.quotes.zakharova_ventriloquism.pk
    assert shown(client.get("/quotes/", {"sort": "oldest"}))[-1] == world.quotes.zakharova_ventriloquism.pk


def test_rejected_quotes_are_hidden_from_the_public_and_status_is_staff_only(client, world):
    Quote.objects.filter(pk=world.quotes.kirby_lives.pk).update(status=Quote.Status.REJECTED)
    public = client.get("/quotes/", {"status": "rejected"})
    assert world.quotes.kirby_lives.pk not in shown(public)
    assert 'name="status"' not in public.content.decode()
    staff = User.objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(staff)
    response = client.get("/quotes/", {"status": "rejected"})
    assert shown(response) == [world.quotes.kirby_lives.pk]


# --- search -----------------------------------------------------------------------------------------


def test_search_finds_zakharova_and_highlights_the_word(client, world):
    response = client.get("/quotes/", {"q": "ventriloquism"})
    assert shown(response) == [world.quotes.zakharova_ventriloquism.pk]
    assert "<mark>ventriloquism</mark>" in response.content.decode()


def test_search_needs_every_word_and_ranks_by_relevance(client, world):
    response = client.get("/quotes/", {"q": "ceasefire dialog"})
    assert shown(response) == [world.quotes.peskov_ceasefire.pk]
    assert response.context["sort"] == "relevance"


def test_a_search_in_too_many_quotes_to_rank_is_listed_newest_first_and_says_so(client, world, monkeypatch):
    from statements import search

    ranked = client.get("/quotes/", {"q": "ceasefire"})
    assert ranked.context["sort"] == "relevance" and "too many to rank" not in ranked.content.decode()
    monkeypatch.setattr(search, "RANK_LIMIT", 0)  # PostgreSQL's estimate is never below one row
    response = client.get("/quotes/", {"q": "ceasefire"})
    assert response.context["sort"] == "newest"
    assert (
        "These words are in more than 0 quotes, too many to rank by best match" in response.content.decode()
    )
    newest = client.get("/quotes/", {"q": "ceasefire", "sort": "newest"})
    assert shown(response) == shown(newest) and set(shown(response)) == set(shown(ranked))
    assert "too many to rank" not in newest.content.decode()  # the visitor asked for dates


def test_a_common_word_walks_the_date_index_for_its_page_only(client, world, monkeypatch):
    from statements import search

    monkeypatch.setattr(counting, "quote_page", lambda *args: None)  # the database's paging, not the index's
    plain = client.get("/quotes/", {"q": "ceasefire", "sort": "newest"})
    monkeypatch.setattr(search, "WALK_COST", 0)  # every search counts as common
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        walked = client.get("/quotes/", {"q": "ceasefire", "sort": "newest"})
    assert shown(walked) == shown(plain) and len(shown(plain)) > 1
    assert walked.context["facets"] == plain.context["facets"]
    walks = [query["sql"] for query in ctx.captured_queries if "statements_quote_fts.rowid =" in query["sql"]]
    # SQLite walks for the page's ids, never for the facets; PostgreSQL's planner chooses itself
    assert len(walks) == (1 if connection.vendor == "sqlite" else 0)


def test_search_results_are_escaped_before_marking(client, world):
    article = world.articles.rt
    quote = Quote.objects.create(
        article=article,
        speaker=world.speakers.kirby,
        text="<script>alert(1)</script> ceasefire & co",
        start=0,
        end=10,
        said_on=article.published,
    )
    html = client.get("/quotes/", {"q": "ceasefire"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>ceasefire</mark> &amp; co" in html
    assert quote.pk


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"'},
        {"q": "NEAR("},
        {"q": "' OR 1=1 --"},
        {"q": "ceasefire AND OR NOT *"},
        {"q": "x" * 5000},
        {"speaker": "nobody-at-all"},
        {"country": "ZZZ"},
        {"country": "'; DROP TABLE statements_quote; --"},
        {"topic": "no-such-topic"},
        {"event": "../../etc/passwd"},
        {"said_after": "2016-13-45"},
        {"said_before": "yesterday"},
        {"kind": "shouted"},
        {"sort": "random"},
        {"status": "rejected"},
        {"source": "\x01"},
    ],
)
def test_hostile_parameters_never_fail(client, world, params):
    response = client.get("/quotes/", params)
    assert response.status_code == 200


def test_a_nul_parameter_is_refused_or_ignored(client, world):
    # refused at the door (400) where the middleware does so, else ignored like any unknown value
    assert client.get("/quotes/", {"source": "\x00"}).status_code in (200, 400)


def test_menu_labels_are_escaped_and_the_chosen_option_is_selected(client, world):
    from tests.factories import make_organisation

    make_organisation('Ministry <b>"of"</b> & Co')
    cache.clear()  # the organisation menu is built once a minute
    html = client.get("/quotes/", {"organisation": "ministry-bofb-co"}).content.decode()
    assert (
        '<option value="ministry-bofb-co" selected>Ministry &lt;b&gt;&quot;of&quot;&lt;/b&gt; &amp; Co</option>'
        in html
    )
    assert '<option value="kremlin">Kremlin</option>' in html and "<b>" not in html
    organisation_menu = re.search(r'<select [^>]*name="organisation".*?</select>', html, re.S)[0]
    assert organisation_menu.count('value="ministry-bofb-co"') == 1  # selected in place, not added twice


def test_an_unknown_slug_is_ignored_with_a_visible_message(client, world):
    response = client.get("/quotes/", {"speaker": "nobody-at-all", "country": "RUS"})
    html = response.content.decode()
    assert "Some filters were ignored" in html
    assert "No speaker “nobody-at-all”: this filter was ignored." in html
    # The valid filter still applies.
    assert world.quotes.kirby_lives.pk not in shown(response)
    assert len(shown(response)) == 7


def test_a_malformed_date_is_ignored_with_a_message(client, world):
    response = client.get("/quotes/", {"said_after": "2016-13-45"})
    assert "Write a date as the site shows it, 4 Oct 2016, or as 2016-10-04" in response.content.decode()
    assert len(shown(response)) == 9


def test_repeated_parameters_use_the_last_page_and_any_of_the_countries(client, world):
    response = client.get("/quotes/?country=USA&country=RUS&page=1&page=1")
    assert response.status_code == 200
    assert world.quotes.kirby_lives.pk in shown(response) and world.quotes.peskov_regret.pk in shown(response)


# --- paging -----------------------------------------------------------------------------------------


def test_pages_know_if_there_is_a_next_page_without_counting(client, world):
    make_more_quotes(world, 30)
    first = client.get("/quotes/")
    assert first.context["page"].has_next and len(shown(first)) == 25
    second = client.get("/quotes/", {"page": "2"})
    assert not second.context["page"].has_next and len(shown(second)) == 14
    assert not set(shown(first)) & set(shown(second))
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999", "1e9", "401"])
def test_bad_page_numbers_are_a_400_with_a_message(client, world, page):
    response = client.get("/quotes/", {"page": page})
    assert response.status_code == 400
    assert "Page must be a whole number from 1 to 400." in response.content.decode()


def test_a_page_past_the_end_is_a_404_with_a_way_back(client, world):
    response = client.get("/quotes/", {"page": "5", "country": "RUS"})
    assert response.status_code == 404
    assert "There are no quotes on page 5" in response.content.decode()


def test_paging_links_keep_the_filters(client, world):
    make_more_quotes(world, 60)
    html = client.get("/quotes/", {"topic": "ceasefire", "page": "1"}).content.decode()
    assert 'href="?topic=ceasefire&amp;page=2"' in html


# --- facets -----------------------------------------------------------------------------------------


def facet(response, name):
    return {item["value"]: item["count"] for item in response.context["facets"][name]}


def test_facets_count_the_filtered_quotes(client, world):
    response = client.get("/quotes/", {"topic": "ceasefire"})
    assert facet(response, "country") == {"RUS": 3, "USA": 1}
    assert facet(response, "speaker") == {"dmitry-peskov": 2, "sergey-ryabkov": 1, "john-kirby": 1}
    assert facet(response, "source") == {"TASS": 3, "RT": 1}
    assert facet(response, "year") == {"2016": 4}
    assert facet(response, "topic") == {"ceasefire": 4}


def test_facet_links_add_a_filter_and_remove_it_when_active(client, world):
    html = client.get("/quotes/", {"topic": "ceasefire"}).content.decode()
    assert 'href="/quotes/?topic=ceasefire&amp;country=RUS"' in html
    active = client.get("/quotes/", {"topic": "ceasefire", "country": "rus"}).content.decode()
    assert 'href="/quotes/?topic=ceasefire" aria-current="true"' in active
    year = client.get("/quotes/").content.decode()
    assert 'href="/quotes/?said_after=2016-01-01&amp;said_before=2016-12-31"' in year


def test_the_home_page_answers_the_newcomers_questions(client, world):
    html = client.get("/").content.decode()
    # Country, topic, event and date filters are right there, populated from the database.
    for needle in (
        '<label for="id_country">',
        '<option value="RUS">Russia</option>',
        '<option value="ceasefire">Ceasefire</option>',
        '<label for="id_said_after">',
        'placeholder="e.g. 4 Oct 2016"',
        '<option value="us-suspends-syria-talks">',
        "US suspends bilateral channels with Russia on Syria",
    ):
        assert needle in html


# --- exports and feeds ------------------------------------------------------------------------------


def test_csv_export_holds_exactly_the_filtered_rows(client, world):
    response = client.get("/quotes/", {"country": "RUS", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="quotes-country-RUS.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response))))
    expected = set(shown(client.get("/quotes/", {"country": "RUS"})))
    assert {int(row["id"]) for row in rows} == expected and len(rows) == len(expected)
    assert {row["speaker_country"] for row in rows} == {"Russia"}


def test_json_export_holds_exactly_the_filtered_rows(client, world):
    response = client.get("/quotes/", {"q": "ventriloquism", "format": "json"})
    records = json.loads(body(response))
    assert [record["id"] for record in records] == [world.quotes.zakharova_ventriloquism.pk]
    assert records[0]["speaker"]["name"] == "Maria Zakharova"
    assert response["Content-Disposition"].endswith('.json"')


def test_exported_quotes_keep_their_own_topics_and_events_across_batches(world):
    from statements.export import iter_records

    records = list(iter_records(Quote.objects.order_by("pk"), batch_size=2))
    assert [record["id"] for record in records] == sorted(Quote.objects.values_list("pk", flat=True))
    for record in records:
        quote = Quote.objects.get(pk=record["id"])
        assert record["topics"] == sorted(quote.topics.values_list("slug", flat=True))
        assert record["events"] == sorted(quote.events.values_list("slug", flat=True))
    assert any(record["topics"] for record in records) and any(record["events"] for record in records)


def test_an_unknown_export_format_is_a_400(client, world):
    response = client.get("/quotes/", {"format": "xml"})
    assert response.status_code == 400


def test_export_links_keep_the_filters(client, world):
    html = client.get("/quotes/", {"country": "RUS", "page": "1"}).content.decode()
    assert 'href="/quotes/?country=RUS&amp;format=csv"' in html
    assert 'href="/quotes/feed/?country=RUS"' in html


def test_the_atom_feed_follows_the_filters(client, world):
    response = client.get("/quotes/feed/", {"country": "USA"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert xml.count("<entry>") == 2 and "John Kirby" in xml and "Peskov" not in xml


@pytest.mark.parametrize(
    "params",
    [
        {"country": "ZZZ", "q": "NEAR(", "page": "abc"},
        {"q": "' OR 1=1 --"},
        {"said_after": "x", "q": "ceasefire"},
    ],
)
def test_the_feed_ignores_bad_parameters(client, world, params):
    response = client.get("/quotes/feed/", params)
    assert response.status_code == 200


def test_the_feed_searches_like_the_list(client, world):
    xml = client.get("/quotes/feed/", {"q": "ventriloquism"}).content.decode()
    assert xml.count("<entry>") == 1 and "Maria Zakharova" in xml


# --- query budget -----------------------------------------------------------------------------------


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        if response.streaming:
            body(response)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url, params",
    [
        ("/", {}),
        ("/quotes/", {}),
        ("/quotes/", {"country": "RUS", "topic": "ceasefire", "said_after": "2016-01-01", "q": "ceasefire"}),
        ("/quotes/feed/", {"topic": "ceasefire"}),
    ],
)
def test_list_pages_use_a_fixed_number_of_queries(client, world, django_assert_num_queries, url, params):
    small = count_queries(client, url, params)
    make_more_quotes(world, 40)
    cache.clear()  # the same cold start as the first request: menus and facets built again
    counting.holder.forget()  # and the counting index
    with django_assert_num_queries(small):
        client.get(url, params)
    # with a cold cache: menus and counts are built on this first request, and the counting index
    # (13 queries, once per process: its sets of topics, events and mentioned countries and
    # organisations are one query each), and for a search one to look its words up as speakers' names
    assert small <= (33 if "q" in params else 32)


def test_facets_of_a_list_known_to_be_empty_are_empty(world):
    from statements.queries import FACET_NAMES, cached_quote_facets

    facets = cached_quote_facets(Quote.objects.filter(pk__in=[]))
    assert all(facets[name] == [] for name in FACET_NAMES) and not facets["sampled"]


def test_highlighting_never_cuts_through_an_entity():
    from statements.search import parse
    from statements.templatetags.newsdesk import highlight

    assert highlight("Tom & Jerry said amp", parse("amp")) == "Tom &amp; Jerry said <mark>amp</mark>"
    assert highlight("<b>ceasefires</b>", parse("ceasefire")) == "&lt;b&gt;<mark>ceasefires</mark>&lt;/b&gt;"
    assert highlight("a quote", parse('"')) == "a quote"


def test_facets_on_a_large_result_count_a_recent_sample_and_say_so(client, world, monkeypatch):
    from statements import queries

    # the SQL counts, which pages use while a large database's counting index is being built
    monkeypatch.setattr(counting, "quote_facets", lambda *args: None)
    total = Quote.objects.count()
    monkeypatch.setattr(queries, "FACET_SAMPLE", total - 2)
    response = client.get("/quotes/")
    facets = response.context["facets"]
    assert facets["sampled"]
    assert sum(item["count"] for item in facets["year"]) == total - 2
    assert "most recent matching quotes" in response.content.decode()

    narrow = client.get("/quotes/?country=USA")
    assert not narrow.context["facets"]["sampled"]
    assert "most recent matching quotes" not in narrow.content.decode()


def test_facets_of_a_search_work_on_both_databases(client, world, monkeypatch):
    from statements import queries

    monkeypatch.setattr(queries, "FACET_SAMPLE", 1)
    response = client.get("/quotes/?q=ventriloquism OR ceasefire")
    assert response.status_code == 200
    assert response.context["page"].items
