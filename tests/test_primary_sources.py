"""Primary sources end to end: import_articles on briefings, statements, readouts (tests/data/briefings,
public domain) and saved web pages written here; the document filter, the transcript page, quote
cards and the export."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.models import Article, Quote, Speaker

ROOT = Path(__file__).resolve().parents[1]
BRIEFINGS = ROOT / "tests" / "data" / "briefings"
RT_SEED = ROOT / "fixtures" / "003_a0bf8ad288c97066.txt"
CALL = (
    "2022-06-29-on-the-record-press-call-by-nsc-coordinator-for-strategic-communications-john-kirby"
    "-and-assistant-secretary-for-defense-celeste-wallander.md"
)
STATEMENT = "2022-03-13-statement-by-national-security-advisor-jake-sullivan-on-iran-missile-attack-on-kurdistan-region-of-iraq.md"
READOUT = "2022-02-21-readout-of-president-bidens-call-with-president-macron-of-france-and-chancellor-scholz-of-germany.md"

SAVED_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Press Gaggle by John Kirby | The White House</title>
<link rel="canonical" href="https://www.whitehouse.gov/briefing-room/press-briefings/2023/03/17/press-gaggle/">
<meta property="og:title" content="Press Gaggle by NSC Coordinator for Strategic Communications John Kirby">
<meta property="article:published_time" content="2023-03-17T14:05:00-04:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/briefing-room/">Briefing Room</a></li></ul></nav>
<main><article>
<h1>Press Gaggle by NSC Coordinator for Strategic Communications John Kirby</h1>
<p>Aboard Air Force One, en route to San Diego, California</p>
<p>MR. KIRBY: Good afternoon. The President will meet with the prime ministers of Australia and
the United Kingdom this afternoon in San Diego to discuss the next phase of their partnership.</p>
<p>Q Thanks, John. Will the leaders talk about the submarine deal and what it means for China?</p>
<p>MR. KIRBY: Yes, the submarine programme will be the centre of the conversation, and it is about
the security of the Indo-Pacific, not about any one country. (Laughter.)</p>
</article></main>
<footer><p>Subscribe to our newsletter for updates from the White House. Privacy Policy. Copyright Policy.</p></footer>
</body></html>
"""


def run_import(*paths):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *[str(p) for p in paths], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def exported():
    out = io.StringIO()
    call_command("export_quotes", "--format", "jsonl", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def briefings(db):
    return run_import(BRIEFINGS, RT_SEED)


def test_documents_import_with_their_kind_and_metadata_and_readmes_are_skipped(briefings):
    out, err = briefings
    assert "6 new, 0 updated, 0 unchanged, 0 failed" in out  # 5 documents and the RT article
    assert "README" not in out + err
    call = Article.objects.get(external_id=CALL)
    assert call.kind == Article.Kind.TRANSCRIPT
    assert call.title.startswith(
        "On-the-Record Press Call by NSC Coordinator for Strategic Communications John Kirby"
    )
    assert (str(call.published), call.source) == ("2022-06-29", "White House")
    assert call.url.startswith("https://bidenwhitehouse.archives.gov/briefing-room/")
    statement = Article.objects.get(external_id=STATEMENT)
    # "\\_" in the YAML title is a no-break space, and the folded lines are one title
    assert (
        statement.title
        == "Statement by National Security Advisor Jake Sullivan on Iran Missile Attack on Kurdistan Region of Iraq"
    )
    assert statement.kind == Article.Kind.STATEMENT
    assert Article.objects.get(external_id=READOUT).kind == Article.Kind.READOUT
    assert Article.objects.get(external_id=RT_SEED.name).kind == Article.Kind.NEWS


def test_reimporting_the_documents_changes_nothing(briefings):
    quotes = Quote.objects.count()
    out, _ = run_import(BRIEFINGS)
    assert "0 new, 0 updated, 5 unchanged" in out
    assert Quote.objects.count() == quotes


def test_kirby_of_the_briefing_is_kirby_of_the_news(briefings):
    kirby = Speaker.objects.get(name="John Kirby")
    kinds = set(kirby.quotes.values_list("article__kind", flat=True))
    assert kinds == {"transcript", "news"}  # what he said first-hand, and how RT reported it
    assert not Speaker.objects.filter(name__in=["Kirby", "MR. KIRBY"]).exists()


def test_the_export_says_where_each_statement_comes_from_and_what_it_answers(briefings):
    records = exported()
    by_document = {r["document"] for r in records}
    assert by_document == {"news", "transcript", "statement", "readout"}
    turns = [r for r in records if r["article_id"] == CALL]
    assert {r["kind"] for r in turns} == {"turn"}
    answers = [r for r in turns if r["question"]]
    assert answers and all(r["speaker"]["name"] in ("John Kirby", "Celeste Wallander") for r in answers)
    readout = next(r for r in records if r["article_id"] == READOUT)
    assert readout["speaker"]["name"] == "White House"
    assert all(r["question"] is None for r in records if r["document"] != "transcript")


def test_document_filter_shows_only_that_kind_of_document(client, briefings):
    response = client.get("/quotes/", {"document": "transcript"})
    assert response.status_code == 200
    items = response.context["page"].items
    assert items and {quote.article.kind for quote in items} == {"transcript"}
    news = client.get("/quotes/", {"document": "news"}).context["page"].items
    assert news and {quote.article.kind for quote in news} == {"news"}
    bad = client.get("/quotes/", {"document": "<script>"})
    assert (
        bad.status_code == 200
        and "<script>" not in bad.content.decode().split("</header>", 1)[-1].split("Document")[0]
    )
    assert [label for label, _ in bad.context["ignored"]] == ["Document"]  # said, and not applied


def test_quote_cards_say_where_a_statement_comes_from_and_what_was_asked(client, briefings):
    html = client.get("/quotes/", {"document": "transcript"}).content.decode()
    assert '<span class="origin">Briefing</span>' in html
    assert '<p class="asked">Asked: “' in html
    html = client.get("/quotes/", {"document": "news"}).content.decode()
    assert '<span class="origin">News report</span>' in html


def test_a_transcript_page_reads_as_a_transcript(client, briefings):
    article = Article.objects.get(external_id=CALL)
    html = client.get(article.get_absolute_url()).content.decode()
    kirby = Speaker.objects.get(name="John Kirby")
    assert "Briefing transcript" in html
    assert f'<h2 class="turn-speaker"><a href="{kirby.get_absolute_url()}">John Kirby</a></h2>' in html
    assert '<h2 class="turn-speaker"><abbr title="A reporter\'s question">Q</abbr></h2>' in html
    assert 'The moderator <span class="muted">(unnamed)</span>' in html
    assert "MR. KIRBY:" not in html  # the label became the turn's heading
    assert "Statements in this document" in html and "Original document" in html


def test_a_saved_web_page_imports_without_its_boilerplate(db, tmp_path):
    page = tmp_path / "kirby-gaggle.html"
    page.write_text(SAVED_PAGE, encoding="utf-8")
    out, err = run_import(page)
    assert "1 new" in out and err == ""
    article = Article.objects.get(external_id="kirby-gaggle.html")
    assert article.title == "Press Gaggle by NSC Coordinator for Strategic Communications John Kirby"
    assert str(article.published) == "2023-03-17"
    assert article.url == "https://www.whitehouse.gov/briefing-room/press-briefings/2023/03/17/press-gaggle/"
    assert "newsletter" not in article.body and "Briefing Room" not in article.body
    assert article.kind == Article.Kind.TRANSCRIPT
    turns = list(article.quotes.order_by("start"))
    assert [q.speaker.name for q in turns] == ["John Kirby", "John Kirby"]
    assert (
        turns[1].question
        == "Thanks, John. Will the leaders talk about the submarine deal and what it means for China?"
    )
    assert "(Laughter.)" not in turns[1].text


def test_an_html_file_that_is_no_page_is_reported_and_the_rest_imports(db, tmp_path):
    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    (tmp_path / "good.html").write_text(SAVED_PAGE, encoding="utf-8")
    with pytest.raises(CommandError):
        run_import(tmp_path)
    assert Article.objects.filter(external_id="good.html").exists()


def test_a_plain_text_transcript_with_yaml_front_matter(db, tmp_path):
    (tmp_path / "gaggle.txt").write_text(
        "---\ndate: '2024-04-08'\ntitle: \"On-the-Record Press Gaggle by White House National Security\\\n"
        '  \\ Communications Advisor John\\_Kirby"\nsource_url: https://www.whitehouse.gov/briefing-room/g/\n---\n\n'
        "MR. KIRBY: Good afternoon, everybody. I have a couple of things at the top here today.\n\n"
        "Q Thank you. Is a ceasefire close, and what is the holdup right now?\n\n"
        "MR. KIRBY: We believe that a deal is possible, and we are working very hard to get it done.\n",
        encoding="utf-8",
    )
    run_import(tmp_path / "gaggle.txt")
    article = Article.objects.get(external_id="gaggle.txt")
    assert (
        article.title
        == "On-the-Record Press Gaggle by White House National Security Communications Advisor John Kirby"
    )
    assert (str(article.published), article.kind) == ("2024-04-08", "transcript")
    assert [q.speaker.name for q in article.quotes.all()] == ["John Kirby", "John Kirby"]
