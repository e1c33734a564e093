"""Reported statements on the pages, as `import_articles fixtures` stores them: labelled, without
quotation marks, filtered by kind, marked apart on the article page, in search and in exports."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from statements.models import Article, Quote

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
KIRBY_ANNOUNCEMENT = "the US was suspending the use of bilateral channels with Russia"


@pytest.fixture
def seeds(db):
    call_command("import_articles", str(FIXTURES), stdout=io.StringIO(), stderr=io.StringIO())
    return {article.source: article for article in Article.objects.all()}


def shown(response):
    return list(response.context["page"].items)


def test_what_kirby_announced_on_3_october_is_found_as_a_reported_statement(client, seeds):
    response = client.get("/quotes/", {"speaker": "john-kirby", "kind": "indirect"})
    quotes = shown(response)
    assert [q.text for q in quotes if q.text.startswith(KIRBY_ANNOUNCEMENT)], [q.text for q in quotes]
    html = response.content.decode()
    card = html[html.index(KIRBY_ANNOUNCEMENT) - 300 : html.index(KIRBY_ANNOUNCEMENT)]
    assert "badge-reported" in card and ">Reported</span>" in card
    assert "“" + KIRBY_ANNOUNCEMENT not in html  # no quotation marks around the article's words


def test_kind_indirect_lists_only_reported_statements_and_direct_none_of_them(client, seeds):
    indirect = shown(client.get("/quotes/", {"kind": "indirect"}))
    direct = shown(client.get("/quotes/", {"kind": "direct"}))
    assert indirect and {q.kind for q in indirect} == {"indirect"}
    assert direct and "indirect" not in {q.kind for q in direct}
    everything = shown(client.get("/quotes/"))
    assert {"direct", "indirect"} <= {q.kind for q in everything}


def test_search_finds_a_reported_statement(client, seeds):
    quotes = shown(client.get("/quotes/", {"q": "bilateral channels"}))
    assert [q for q in quotes if q.kind == "indirect" and q.speaker and q.speaker.name == "John Kirby"]


def test_the_article_page_marks_reported_statements_apart_from_quotations(client, seeds):
    response = client.get(seeds["TASS"].get_absolute_url())
    html = response.content.decode()
    reported = Quote.objects.get(article=seeds["TASS"], kind="indirect", text__startswith=KIRBY_ANNOUNCEMENT)
    anchor = html.index(f'id="quote-{reported.pk}"')
    assert "is-reported" in html[anchor - 200 : anchor]
    direct = Quote.objects.filter(article=seeds["TASS"], kind="direct").first()
    anchor = html.index(f'id="quote-{direct.pk}"')
    assert "is-reported" not in html[anchor - 80 : anchor]
    assert "reported statements" in html  # the legend says what the underline means


def test_the_quote_page_says_it_is_reported(client, seeds):
    reported = Quote.objects.get(article=seeds["TASS"], kind="indirect", text__startswith=KIRBY_ANNOUNCEMENT)
    html = client.get(reported.get_absolute_url()).content.decode()
    assert "Reported statement" in html
    assert "reported by TASS" in html  # the citation


def test_exports_carry_reported_statements_with_their_kind_verb_and_speaker(client, seeds):
    lines = client.get("/quotes/", {"kind": "indirect", "format": "json"})
    body = b"".join(lines.streaming_content).decode()
    records = (
        json.loads(body) if body.lstrip().startswith("[") else [json.loads(x) for x in body.splitlines()]
    )
    kirby = [r for r in records if r["text"].startswith(KIRBY_ANNOUNCEMENT)]
    assert kirby and kirby[0]["kind"] == "indirect" and kirby[0]["verb"] == "said"
    assert kirby[0]["speaker"]["name"] == "John Kirby"
    out = io.StringIO()
    call_command("export_quotes", "--format", "jsonl", stdout=out)
    kinds = {json.loads(line)["kind"] for line in out.getvalue().splitlines()}
    assert "indirect" in kinds


def test_the_kind_facet_or_filter_menu_offers_reported_statements(client, seeds):
    html = client.get("/quotes/").content.decode()
    assert 'value="indirect"' in html


def test_a_quotation_inside_a_reported_statement_is_marked_inside_it(client, seeds):
    # "Ryabkov on Thursday said that this latest proposal remains "on the table.""
    rt = seeds["RT"]
    statement = Quote.objects.get(article=rt, kind="indirect", text__contains="latest proposal remains")
    fragment = Quote.objects.get(article=rt, text__startswith="on the table")
    html = client.get(rt.get_absolute_url()).content.decode()
    opening = html.index(f'id="quote-{statement.pk}"')
    inner = html.index(f'id="quote-{fragment.pk}"')
    assert opening < inner < opening + 400
    assert "is-reported" not in html[inner - 60 : inner]  # the quotation keeps its own mark
