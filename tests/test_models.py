import pytest
from django.db import IntegrityError, transaction

from statements.models import Article, Quote, Speaker


def make_article(external_id="a.txt", body="Peskov said: \"We regret it.\""):
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
    [("statements:speaker_detail", "dmitry-peskov"), ("statements:quote_detail", 120),
     ("statements:country_detail", "rus"), ("statements:article_detail", 10)],
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
