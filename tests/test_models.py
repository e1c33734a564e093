import pytest
from django.db import IntegrityError, transaction

from statements.models import Article, Quote, Speaker


def make_article(external_id="a.txt", body='Peskov said: "We regret it."'):
    return Article.objects.create(external_id=external_id, title="T", body=body, content_hash="x")


@pytest.mark.django_db
def test_an_article_id_can_be_imported_only_once():
    make_article("000.txt")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article("000.txt")


@pytest.mark.django_db
def test_the_same_span_of_an_article_is_one_quote():
    article = make_article()
    Quote.objects.create(article=article, text="We regret it.", start=14, end=27)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=article, text="We regret it.", start=14, end=27)


@pytest.mark.django_db
def test_a_quote_span_cannot_be_empty():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=article, text="", start=14, end=14)


@pytest.mark.django_db
def test_speaker_search_text_folds_case_and_accents_of_name_and_aliases():
    speaker = Speaker.objects.create(name="Dmitry Peskóv", slug="dmitry-peskov", aliases=["Peskov D."])
    assert speaker.search_text == "dmitry peskov | peskov d."


@pytest.mark.django_db
def test_quotes_read_as_their_words():
    article = make_article()
    quote = Quote.objects.create(article=article, text="We regret it.", start=14, end=27)
    assert str(quote) == "“We regret it.”"
    assert str(article) == "T"


@pytest.mark.parametrize("script_prefix", ["/", "/newsdesk/"])
@pytest.mark.parametrize(
    "name, value",
    [
        ("statements:speaker_detail", "dmitry-peskov"),
        ("statements:quote_detail", 120),
        ("statements:country_detail", "rus"),
        ("statements:article_detail", 10),
    ],
)
def test_detail_links_are_the_urls_reverse_gives(name, value, script_prefix):
    from django.urls import reverse, set_script_prefix

    from statements.models import detail_url

    set_script_prefix(script_prefix)
    try:
        assert detail_url(name, value) == reverse(name, args=[value])
        assert detail_url(name, value).startswith(script_prefix)
    finally:
        set_script_prefix("/")


# --- QuoteQuerySet: how pages find quotes ----------------------------------------------------------


@pytest.fixture
def world(db):
    from tests.factories import make_seed_world

    return make_seed_world()


def test_the_public_sees_every_quote_but_rejected_ones_and_staff_see_all(world):
    from django.contrib.auth.models import AnonymousUser, User

    rejected = world.quotes.kirby_lives
    Quote.objects.filter(pk=rejected.pk).update(status=Quote.Status.REJECTED)
    staff = User(username="editor", is_staff=True)
    assert rejected not in Quote.objects.visible_to(AnonymousUser())
    assert rejected not in Quote.objects.visible_to(None)
    assert rejected in Quote.objects.visible_to(staff)


@pytest.mark.parametrize("common", [True, False], ids=["common value: EXISTS", "rare value: join"])
def test_topic_country_and_organisation_find_the_same_quotes_however_they_are_planned(
    world, monkeypatch, common
):
    from statements.models import QuoteQuerySet

    # every value counts as common (walk the date index), or none does (start from its quotes)
    monkeypatch.setattr(QuoteQuerySet, "COMMON_MINIMUM", -1 if common else 10**9)
    monkeypatch.setattr(QuoteQuerySet, "COMMON_SHARE", 0 if common else 1)
    quotes, w = Quote.objects.all(), world
    tagged = quotes.about(w.topics.ceasefire)
    assert set(tagged) == set(quotes.filter(topics=w.topics.ceasefire)) and tagged.exists()
    assert ("EXISTS" in str(tagged.query)) is common
    russian = quotes.in_country(w.countries.rus)
    assert set(russian) == {q for q in quotes if q.speaker and q.speaker.country == w.countries.rus}
    assert w.quotes.kirby_lives not in russian and russian.exists()
    kremlin = quotes.in_organisation(w.organisations.kremlin)
    assert set(kremlin) == {
        q for q in quotes if q.speaker and q.speaker.organisation == w.organisations.kremlin
    }
    assert kremlin.exists()


def test_a_search_is_given_as_text_or_parsed_and_an_empty_one_changes_nothing(world):
    from statements import search

    by_text = Quote.objects.matching("ventriloquism")
    assert list(by_text) == list(Quote.objects.matching(search.parse("ventriloquism")))
    assert [quote.pk for quote in by_text] == [world.quotes.zakharova_ventriloquism.pk]
    assert Quote.objects.matching("--").count() == Quote.objects.count()


def test_an_unnamed_source_and_a_named_speakers_role_are_told_apart(world):
    article = world.articles.tass
    unnamed = Quote(article=article, speaker=None, speaker_role="a senior Kremlin official", text="x")
    named = world.quotes.peskov_regret
    assert unnamed.unnamed_source == "a senior Kremlin official" and unnamed.role_here == ""
    assert named.unnamed_source == "" and named.role_here == (named.speaker_role or named.speaker.role)
    named.speaker_role = ""
    assert named.role_here == named.speaker.role  # the speaker's latest role when the article gives none
    assert Quote(article=article, text="x").unnamed_source == ""  # no one at all: unattributed
