"""One search box that knows people: names in `q`, the speaker field, "did you mean", best match."""

import json
import re

import pytest

from statements import names
from statements.models import Speaker
from tests.factories import make_article, make_quote, make_seed_world, make_speaker, refresh_quote_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_seed_world()


def shown(response):
    return {quote.pk for quote in response.context["page"].items}


def speakers_found(client, q):
    response = client.get("/speakers/", {"q": q})
    assert response.status_code == 200
    return [speaker.name for speaker in response.context["page"].items]


@pytest.mark.parametrize(
    "one, other",
    [
        ("Dmitri", "Dmitry"),
        ("Dmitriy", "Dmitry"),
        ("Sergey", "Sergei"),
        ("Zaharova", "Zakharova"),
        ("Riabkov", "Ryabkov"),
        ("Yevgeny", "Evgeny"),
        ("Alexei", "Aleksey"),
        ("Захарова", "Zakharova"),
        ("PESKÓV", "peskov"),
        ("Konaschenkow", "Konashenkov"),
    ],
)
def test_spellings_of_one_name_share_a_key(one, other):
    assert names.key(one) == names.key(other)


def test_different_names_keep_different_keys():
    assert len({names.key(name) for name in ["Peskov", "Lavrov", "Ryabkov", "Zakharova", "Kirby"]}) == 5


@pytest.mark.parametrize(
    "q, name",
    [
        ("Sergey Lavrov", "Sergei Lavrov"),
        ("lavrov sergey", "Sergei Lavrov"),
        ("Dmitri Peskov", "Dmitry Peskov"),
        ("Dmitriy Peskov", "Dmitry Peskov"),
        ("zaharova", "Maria Zakharova"),
        ("riabkov", "Sergey Ryabkov"),
        ("Sergei Riabkov", "Sergey Ryabkov"),
    ],
)
def test_the_speakers_page_finds_a_name_however_it_is_transliterated(client, world, q, name):
    make_speaker("Sergei Lavrov", world.speakers.zakharova.organisation, "Russian Foreign Minister")
    assert speakers_found(client, q)[0] == name


def test_the_start_of_a_name_finds_the_most_quoted_first_and_no_name_that_only_contains_it(client, world):
    make_speaker("Kazakhstan", kind=Speaker.Kind.ORGANISATION)
    make_speaker("Hidetoshi Kamezaki")
    zakir = make_speaker("Zakir Hussain")
    make_quote(world.articles.rt, zakir, "A quote of a less quoted speaker whose name starts the same way.")
    refresh_quote_counts()
    assert speakers_found(client, "zak") == ["Maria Zakharova", "Zakir Hussain"]


def test_a_misspelt_name_on_the_speakers_page_gets_a_did_you_mean(client, world):
    html = client.get("/speakers/", {"q": "zakarova"}).content.decode()
    assert "No speaker matches" in html
    assert 'Did you mean <a href="?q=Zakharova">Zakharova</a>' in html
    assert 'href="/speakers/maria-zakharova/"' in html


def test_a_name_in_the_search_lists_that_speakers_quotes(client, world):
    response = client.get("/quotes/", {"q": "Peskov"})
    q = world.quotes
    assert shown(response) == {q.peskov_contacts.pk, q.peskov_regret.pk, q.peskov_ceasefire.pk}
    html = response.content.decode()
    assert "“Peskov” is a speaker’s name: these are quotes by" in html
    assert 'href="/speakers/dmitry-peskov/">Dmitry Peskov</a>' in html
    # searching the quotes' words for the name instead is one click away
    assert 'href="?q=%22Peskov%22">Search the quoted words for Peskov instead</a>' in html
    assert shown(client.get("/quotes/", {"q": '"Peskov"'})) == set()


def test_a_name_and_a_word_give_that_speakers_quotes_with_the_word_best_match_first(client, world):
    response = client.get("/quotes/", {"q": "Dmitri Peskov ceasefire"})
    assert shown(response) == {world.quotes.peskov_ceasefire.pk}
    assert response.context["sort"] == "relevance"
    html = response.content.decode()
    # two chips: removing one takes its words out of the search
    assert re.search(
        r'href="/quotes/\?q=ceasefire"><span class="chip-label">Speaker named in the search:', html
    )
    assert re.search(
        r'href="/quotes/\?q=Dmitri\+Peskov"><span class="chip-label">Search the quoted words:', html
    )


def test_names_in_the_search_work_in_exports_and_facets(client, world):
    rows = json.loads(b"".join(client.get("/quotes/", {"q": "Peskov", "format": "json"}).streaming_content))
    assert {row["speaker"]["name"] for row in rows} == {"Dmitry Peskov"} and len(rows) == 3
    response = client.get("/quotes/", {"q": "Peskov"})
    assert [item["value"] for item in response.context["facets"]["speaker"]] == ["dmitry-peskov"]


def test_a_name_more_often_a_word_of_the_quotes_is_only_offered(client, world):
    # "Dialogue" is in three quotes' words; a speaker of that name with one quote is not what the
    # search means, so the list is of the quotes holding the word, and the speaker is offered.
    dialogue = make_speaker("Tom Dialogue")
    make_quote(world.articles.rt, dialogue, "Words of a speaker whose family name is a common word.")
    refresh_quote_counts()
    response = client.get("/quotes/", {"q": "dialogue"})
    q = world.quotes
    assert q.konashenkov_dialogue.pk in shown(response)
    html = response.content.decode()
    assert 'Did you mean the speaker <a href="?speaker=tom-dialogue">Tom Dialogue</a> (1 quote)' in html


def test_a_name_two_speakers_share_offers_both_and_filters_by_neither(client, world):
    other = make_speaker("Bob Kirby", role="Fitch director")
    make_quote(world.articles.rt, other, "A quote by the other one about rates.")
    make_quote(world.articles.rt, other, "Another quote by the other one about ratings.")
    refresh_quote_counts()
    response = client.get("/quotes/", {"q": "Kirby"})
    assert shown(response) == set()  # no quote's words hold "Kirby"
    html = response.content.decode()
    assert '<a href="?speaker=john-kirby">John Kirby</a> (2 quotes' in html
    assert '<a href="?speaker=bob-kirby">Bob Kirby</a> (2 quotes, Fitch director)' in html


def test_a_name_sent_again_with_its_speaker_chosen_still_lists_their_quotes(client, world):
    response = client.get("/quotes/", {"q": "Peskov", "speaker": "dmitry-peskov"})
    assert len(shown(response)) == 3


def test_a_first_name_alone_names_no_one(client, world):
    response = client.get("/quotes/", {"q": "Maria"})
    assert response.context["named"] is None if "named" in response.context else True
    assert shown(response) == set()


def test_did_you_mean_fixes_a_misspelt_name_and_a_misspelt_word(client, world):
    html = client.get("/quotes/", {"q": "Peskof cesefire"}).content.decode()
    assert 'Did you mean <a href="?q=Peskov+ceasefire">Peskov ceasefire</a>?' in html


def test_did_you_mean_fixes_a_misspelt_name(client, world):
    html = client.get("/quotes/", {"q": "Zakarova"}).content.decode()
    assert re.search(r'Did you mean <a href="\?q=zakharova">zakharova</a>\?', html, re.I)


# --- the speaker field ----------------------------------------------------------------------------


def test_the_form_has_a_speaker_field_listing_the_chosen_speakers_to_untick(client, world):
    html = client.get("/quotes/", {"speaker": ["dmitry-peskov", "john-kirby"]}).content.decode()
    assert '<input type="text" name="speaker_name" id="id_speaker_name"' in html
    assert '<input type="checkbox" name="speaker" value="dmitry-peskov" checked> Dmitry Peskov' in html
    assert '<input type="checkbox" name="speaker" value="john-kirby" checked> John Kirby' in html


def test_a_speaker_typed_without_javascript_is_found_by_name_and_added_to_those_chosen(client, world):
    response = client.get("/quotes/", {"speaker": "john-kirby", "speaker_name": "Dmitri Peskov", "page": "2"})
    assert response.status_code == 302
    assert response["Location"] == "/quotes/?speaker=john-kirby&speaker=dmitry-peskov"


def test_a_speaker_typed_that_names_no_one_says_so_and_suggests(client, world):
    response = client.get("/quotes/", {"speaker_name": "Zakarova", "country": "RUS"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No speaker is named “Zakarova”: did you mean" in html
    assert 'href="/quotes/?country=RUS&amp;speaker=maria-zakharova">Maria Zakharova</a>' in html
    assert len(shown(response)) > 0  # the other filters still apply


def test_the_speaker_field_suggests_the_most_quoted_speakers_as_json(client, world):
    make_speaker("Zakir <b>Hussain</b>")
    data = client.get("/suggest/speakers/", {"q": "zak"}).json()
    assert [row["name"] for row in data["speakers"]] == ["Maria Zakharova", "Zakir <b>Hussain</b>"]
    assert data["speakers"][0] == {
        "slug": "maria-zakharova",
        "name": "Maria Zakharova",
        "detail": "Russian Foreign Ministry spokeswoman, Russia",
        "quotes": 1,
    }
    assert client.get("/suggest/speakers/", {"q": "z"}).json() == {"speakers": []}


# --- best match -----------------------------------------------------------------------------------


def sort_menu(html):
    return re.search(r'<select id="id_sort" name="sort">(.*?)</select>', html, re.S).group(1)


def test_a_search_is_ordered_by_best_match_and_the_menu_says_so(client, world):
    menu = sort_menu(client.get("/quotes/", {"q": "ceasefire"}).content.decode())
    assert menu.startswith('<option value="relevance" selected>Best match</option>')
    menu = sort_menu(client.get("/quotes/", {"q": "ceasefire", "sort": "newest"}).content.decode())
    assert '<option value="newest" selected>' in menu and '<option value="relevance">' in menu


def test_without_words_to_search_the_menu_offers_no_best_match(client, world):
    for params in ({}, {"q": "Peskov"}):
        menu = sort_menu(client.get("/quotes/", params).content.decode())
        assert "relevance" not in menu
        assert menu.startswith('<option value="" selected>Newest, or best match</option>')


def test_hostile_names_never_fail(client, world):
    for q in ['"', "' OR 1=1 --", "%", "_", "x" * 1000, "NEAR(", "\u0416" * 300, "-", "OR"]:
        for url, key in (("/quotes/", "q"), ("/quotes/", "speaker_name"), ("/suggest/speakers/", "q")):
            assert client.get(url, {key: q}).status_code in (200, 302)


def test_an_article_named_speaker_never_becomes_markup(client, world):
    rogue = make_speaker("Evil <script>alert(1)</script> Rogue")
    make_quote(make_article("T", "X", None, ["Body."]), rogue, "Some words of a rogue speaker here.")
    refresh_quote_counts()
    html = client.get("/quotes/", {"q": "Rogue"}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_a_search_naming_a_country_or_topic_offers_those_filters(client, world):
    html = client.get("/quotes/", {"q": "Russia ceasefire"}).content.decode()
    assert "“Russia” is a country:" in html
    assert '<a href="?q=ceasefire&amp;mentions=RUS">quotes that mention Russia</a>' in html
    assert '<a href="?q=ceasefire&amp;country=RUS">quotes by speakers from Russia</a>' in html
    html = client.get("/quotes/", {"q": "ceasefire"}).content.decode()
    assert '“Ceasefire” is a topic: <a href="?topic=ceasefire">quotes on Ceasefire</a>.' in html


def test_did_you_mean_never_offers_a_search_that_finds_nothing(client, world):
    # "cesefire" alone would be "ceasefire", but no quote holds that with a word nothing is close to
    assert "Did you mean" not in client.get("/quotes/", {"q": "cesefire qxqxqx"}).content.decode()
    assert "Did you mean" in client.get("/quotes/", {"q": "cesefire"}).content.decode()
