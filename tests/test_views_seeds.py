"""The pages on the two real seed articles, as `import_articles fixtures` stores them."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from statements.models import Article, Quote

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def seeds(db):
    call_command("import_articles", str(FIXTURES), stdout=io.StringIO(), stderr=io.StringIO())
    return {article.source: article for article in Article.objects.all()}


def speakers_shown(response):
    return {quote.speaker.name for quote in response.context["page"].items if quote.speaker}


def body(response):
    return b"".join(response.streaming_content).decode()


def test_russia_shows_the_russian_officials_and_not_kirby(client, seeds):
    response = client.get("/quotes/", {"country": "RUS"})
    names = speakers_shown(response)
    assert {"Dmitry Peskov", "Igor Konashenkov", "Maria Zakharova", "Sergey Ryabkov"} <= names
    assert "John Kirby" not in names


def test_after_the_first_of_october_only_the_tass_quotes_remain(client, seeds):
    response = client.get("/quotes/", {"said_after": "2016-10-01"})
    shown = {quote.pk for quote in response.context["page"].items}
    assert shown and shown == set(seeds["TASS"].quotes.values_list("pk", flat=True))


def test_searching_ventriloquism_finds_zakharova(client, seeds):
    response = client.get("/quotes/", {"q": "ventriloquism"})
    assert speakers_shown(response) == {"Maria Zakharova"}
    assert "<mark>ventriloquism</mark>" in response.content.decode()


def test_the_speaker_search_finds_peskov(client, seeds):
    response = client.get("/speakers/", {"q": "peskov"})
    assert [speaker.name for speaker in response.context["page"].items] == ["Dmitry Peskov"]


def test_exports_hold_exactly_the_filtered_rows(client, seeds):
    expected = set(
        Quote.objects.filter(speaker__country__code="RUS")
        .exclude(status="rejected")
        .values_list("pk", flat=True)
    )
    rows = list(
        csv.DictReader(io.StringIO(body(client.get("/quotes/", {"country": "RUS", "format": "csv"}))))
    )
    assert {int(row["id"]) for row in rows} == expected and len(rows) == len(expected)
    records = json.loads(body(client.get("/quotes/", {"country": "RUS", "format": "json"})))
    assert {record["id"] for record in records} == expected and len(records) == len(expected)


def test_every_seed_quote_is_highlighted_in_its_article(client, seeds):
    for article in seeds.values():
        html = client.get(article.get_absolute_url()).content.decode()
        for pk in article.quotes.values_list("pk", flat=True):
            assert f'id="quote-{pk}"' in html
