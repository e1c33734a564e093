"""Exports as a reader downloads them: absolute quote URLs, the article's own address, a file name
that says the filters, and a CSV file Excel reads as UTF-8 (issue 20, item 8)."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from statements import export
from statements.models import Article, Quote
from tests.factories import make_seed_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_seed_world()


def body(response):
    return b"".join(response.streaming_content)


def test_web_exports_give_absolute_quote_urls_and_the_articles_own_url(client, world):
    quote = world.quotes.zakharova_ventriloquism
    response = client.get("/quotes/", {"q": "ventriloquism", "format": "json"})
    [record] = json.loads(body(response))
    assert record["url"] == f"http://testserver/quotes/{quote.pk}/"
    assert client.get(record["url"]).status_code == 200
    assert record["article_url"] == quote.article.url and record["article_url"].startswith("https://")

    rows = list(csv.DictReader(io.StringIO(body(client.get("/quotes/", {"format": "csv"})).decode())))
    assert {row["url"] for row in rows} == {
        f"http://testserver/quotes/{pk}/" for pk in Quote.objects.values_list("pk", flat=True)
    }
    assert {row["article_url"] for row in rows} == set(Article.objects.values_list("url", flat=True))


def test_an_article_url_that_is_not_http_is_left_out_and_a_formula_is_neutralised(client, world):
    article = world.quotes.zakharova_ventriloquism.article
    Article.objects.filter(pk=article.pk).update(url="javascript:alert(1)")
    response = client.get("/quotes/", {"q": "ventriloquism", "format": "json"})
    assert json.loads(body(response))[0]["article_url"] is None

    Article.objects.filter(pk=article.pk).update(title='=HYPERLINK("http://evil.example")')
    rows = list(
        csv.DictReader(
            io.StringIO(body(client.get("/quotes/", {"q": "ventriloquism", "format": "csv"})).decode())
        )
    )
    assert rows[0]["article_title"].startswith("'=")


def test_the_file_name_says_the_filters(client, world):
    response = client.get(
        "/quotes/",
        {
            "country": "RUS",
            "topic": "ceasefire",
            "said_after": "2016-01-01",
            "said_before": "2016-12-31",
            "format": "csv",
        },
    )
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="quotes-country-RUS-topic-ceasefire-2016.csv"'
    )
    response = client.get("/quotes/", {"format": "json"})
    assert response["Content-Disposition"] == 'attachment; filename="quotes-all.json"'


@pytest.mark.parametrize(
    "params, name",
    [
        ({"q": 'body "bags" & co', "sort": "oldest", "page": "2"}, "quotes-q-body-bags-co.csv"),
        ({"said_after": "1 Oct 2016", "said_before": "2016-10-31"}, "quotes-2016-10.csv"),
        ({"said_after": "2016-10-04"}, "quotes-from-2016-10-04.csv"),
        ({"-country": "USA", "q": ""}, "quotes-not-country-USA.csv"),
        ({"q": '"; rm -rf / ../../etc/passwd'}, "quotes-q-rm-rf-etc-passwd.csv"),
    ],
)
def test_file_names_use_safe_characters_only(params, name):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = value
    assert export.filename(query, "csv") == name


def test_excel_csv_starts_with_a_byte_order_mark_and_plain_csv_does_not(client, world):
    plain = body(client.get("/quotes/", {"format": "csv"}))
    excel = body(client.get("/quotes/", {"format": "csv", "excel": "1"}))
    assert not plain.startswith(b"\xef\xbb\xbf") and plain.startswith(b"id,url,")
    assert excel.startswith(b"\xef\xbb\xbfid,url,")
    assert excel.decode("utf-8-sig") == plain.decode()


def test_the_list_offers_the_excel_download(client, world):
    html = client.get("/quotes/", {"country": "RUS"}).content.decode()
    assert 'href="/quotes/?country=RUS&amp;format=csv&amp;excel=1"' in html


def test_export_quotes_takes_a_base_url(world):
    out = io.StringIO()
    call_command("export_quotes", "--base-url", "https://newsdesk.example.org/", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {record["url"] for record in records} == {
        f"https://newsdesk.example.org/quotes/{pk}/" for pk in Quote.objects.values_list("pk", flat=True)
    }
    out = io.StringIO()
    call_command("export_quotes", stdout=out)  # no SITE_URL: the page's path, as before
    assert json.loads(out.getvalue().splitlines()[0])["url"].startswith("/quotes/")


def test_export_quotes_refuses_a_base_url_that_is_not_http(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="base-url"):
        call_command("export_quotes", "--base-url", "javascript:alert(1)", stdout=io.StringIO())


def test_export_quotes_excel_option(world, tmp_path):
    target = tmp_path / "quotes.csv"
    call_command("export_quotes", "--format", "csv", "--excel", "--output", str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid,url,")
