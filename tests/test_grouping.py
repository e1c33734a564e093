"""Statement grouping: the reports of one statement across articles and outlets.

The rules on strings (ingest/grouping.py), then through the real importer and pages: the TASS seed
reported a second time by another outlet, editors' splits and joins surviving a re-import, the list
of one card per statement, the statement page, reports_min and the export's `statement`.
"""

import csv
import datetime
import io
import json
import random
import re
import shutil

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from statements import counting
from statements.ingest import grouping
from statements.ingest.store import join_reports, split_report
from statements.models import Article, Quote, Statement
from tests.factories import make_article, make_quote, make_speaker
from tests.test_import import FIXTURES, TASS, run_import

DAY = datetime.date(2016, 10, 4)
FULL = "Contacts between Russian and US military will continue to avoid serious incidents in Syria"


def report(pk, text, speaker=1, day=DAY, statement=None, curated=False):
    return grouping.Report(pk, speaker, day, text, statement, curated)


def groups_of(new, known=()):
    return [sorted([*group.statements, *group.lone]) for group in grouping.plan(new, known)]


# --- the rules, on strings -------------------------------------------------------------------------


def test_the_same_words_of_one_speaker_are_one_statement_whatever_the_punctuation():
    same = FULL.replace("Russian", "Russian,").upper() + "."
    assert groups_of([report(1, FULL), report(2, same)]) == [[1, 2]]


def test_a_partial_quotation_joins_the_full_one():
    assert groups_of([report(1, FULL), report(2, "will continue to avoid serious incidents in Syria")]) == [
        [1, 2]
    ]


def test_different_speakers_never_share_a_statement():
    assert groups_of([report(1, FULL, speaker=1), report(2, FULL, speaker=2)]) == []


def test_a_quote_without_a_speaker_or_date_stays_alone():
    assert groups_of([report(1, FULL, speaker=None), report(2, FULL, speaker=None)]) == []
    assert groups_of([report(1, FULL, day=None), report(2, FULL)]) == []


def test_two_remarks_sharing_a_phrase_are_two_statements():
    first = "We will not allow anyone to dictate terms to us on the question of Syria and its future"
    second = "We will not allow anyone to question the right of our military to act against terrorists"
    assert groups_of([report(1, first), report(2, second)]) == []


def test_a_few_common_words_are_too_few_to_tell_one_remark():
    assert groups_of([report(1, "a grave mistake"), report(2, "a grave mistake")]) == []


def test_a_report_worded_a_little_differently_joins_the_full_one():
    """A word changed or cut by one outlet breaks the trigrams around it; the words still lie in
    the full quotation, in order, but for one."""
    full = "The central bank will keep interest rates low for as long as the recovery needs support"
    changed = "the bank would keep interest rates low for as long as the recovery needs support"
    assert groups_of([report(1, full), report(2, changed)]) == [[1, 2]]
    cut = "the ministers agreed on a plan to cut the deficit by half"
    longer = (
        "the ministers agreed on a plan, drawn up over the summer by the finance ministry, "
        "to cut the deficit by half within four years"
    )
    assert groups_of([report(1, longer), report(2, cut)]) == [[1, 2]]


def test_the_same_sentence_with_other_figures_is_another_statement():
    twelve = "Profit rose 12 percent in the third quarter on higher sales in Asia"
    assert groups_of([report(1, twelve), report(2, twelve.replace("12", "15"))]) == []
    assert groups_of([report(1, twelve), report(2, "profit rose 12 percent in the third quarter")]) == [
        [1, 2]
    ]


def test_a_remark_with_a_few_words_changed_or_only_a_common_phrase_shared_stays_apart():
    raise_taxes = "the government will not raise taxes on small firms this year"
    cut_taxes = "the government will not cut taxes on large firms this year"
    assert groups_of([report(1, raise_taxes), report(2, cut_taxes)]) == []
    scattered = "we will see whether the talks go ahead, and what the ministers decide comes next"
    assert groups_of([report(1, "we will see what comes next"), report(2, scattered)]) == []


def test_the_same_words_a_week_apart_are_two_statements():
    later = DAY + datetime.timedelta(days=grouping.WINDOW_DAYS + 1)
    assert groups_of([report(1, FULL), report(2, FULL, day=later)]) == []
    assert groups_of([report(1, FULL), report(2, FULL, day=DAY + datetime.timedelta(days=2))]) == [[1, 2]]


def test_a_new_report_joins_a_stored_statement_and_a_full_quote_joins_two_fragments():
    known = [report(10, FULL, statement=10), report(11, FULL, statement=10)]
    assert groups_of([report(12, FULL)], known) == [[10, 12]]
    fragments = [
        report(20, "Contacts between Russian and US military will continue"),
        report(21, "to avoid serious incidents in Syria, the Kremlin said"),
    ]
    assert groups_of([report(22, FULL + ", the Kremlin said")], fragments) == [[20, 21, 22]]


def test_a_speaker_with_many_reports_in_one_batch_groups_as_one_with_few(monkeypatch):
    """Over COMPARE_ALL_UP_TO reports of one speaker (a long briefing), candidates come from a
    trigram index instead of comparing every pair: the groups must be the same."""
    words = [f"w{n}" for n in range(400)]
    shuffled = random.Random(7)
    remarks = [" ".join(shuffled.sample(words, 20)) for _ in range(180)]
    new = [report(100 + i, text, day=DAY + datetime.timedelta(days=i % 3)) for i, text in enumerate(remarks)]
    new += [report(300 + i, " ".join(remarks[i].split()[3:]), day=DAY) for i in range(0, 60, 7)]  # fragments
    known = [report(10 + i, remarks[i], statement=10 + i) for i in range(0, 30, 5)]
    assert len(new) + len(known) > grouping.COMPARE_ALL_UP_TO
    by_index = groups_of(new, known)
    monkeypatch.setattr(grouping, "COMPARE_ALL_UP_TO", 10_000)
    assert groups_of(new, known) == by_index
    assert [10, 100, 300] in by_index  # a stored report, a new one and a fragment of it


def test_two_statements_an_editor_curated_are_never_joined():
    known = [report(10, FULL, statement=10, curated=True), report(11, FULL, statement=11, curated=True)]
    (group,) = grouping.plan([report(12, FULL)], known)
    assert len(group.statements) == 1 and group.lone == [12]


def test_the_primary_report_is_a_transcript_turn_else_the_fullest_never_a_rejected_one():
    def reported(pk, kind, text, rejected=False):
        return grouping.Reported(pk, kind, text, DAY, "TASS", DAY, rejected)

    fragment = reported(1, "partial", "will continue to avoid serious incidents")
    full = reported(2, "direct", FULL)
    turn = reported(3, "turn", FULL[:60])
    assert grouping.primary_of([fragment, full]) == full
    assert grouping.primary_of([fragment, full, turn]) == turn
    assert grouping.primary_of([fragment, reported(2, "direct", FULL, rejected=True)]) == fragment


def test_wording_differences_say_what_a_report_adds_and_leaves_out():
    segments, summary = grouping.wording_difference("will continue to avoid serious incidents in Syria", FULL)
    assert summary == "A part of it: 8 of its 14 words" and segments == [
        ("same", "will continue to avoid serious incidents in Syria")
    ]
    segments, summary = grouping.wording_difference(FULL.replace("will continue", "would go on"), FULL)
    assert ("left out", "will continue") in segments and ("added", "would go on") in segments
    assert summary.startswith("Worded differently")


# --- through the importer -------------------------------------------------------------------------


@pytest.fixture
def re_reported(db, tmp_path):
    """The TASS seed, and the same article published again by another outlet under another id."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(FIXTURES / TASS, folder / TASS)
    shutil.copy(FIXTURES / "manifest.csv", folder / "manifest.csv")
    text = (FIXTURES / TASS).read_text(encoding="utf-8")
    front = (
        "---\ntitle: Kremlin on contacts with the US military\npublished: 2016-10-05\nsource: Sputnik\n---\n"
    )
    (folder / "sputnik-copy.txt").write_text(front + text, encoding="utf-8")
    run_import(folder)
    return folder


def peskov_quotes():
    return Quote.objects.filter(speaker__name="Dmitry Peskov")


def in_tass():
    """How many of Peskov's statements the TASS seed carries (seven quotations, and his reported speech)."""
    return peskov_quotes().filter(article__source="TASS").count()


def test_each_peskov_quotation_of_a_re_reported_article_is_one_statement_with_two_reports(re_reported):
    quotes = peskov_quotes()
    by_statement = {}
    for quote in quotes.select_related("article"):
        by_statement.setdefault(quote.statement_id, []).append(quote.article.source)
    assert len(by_statement) == in_tass() >= 7 and None not in by_statement
    assert all(sorted(outlets) == ["Sputnik", "TASS"] for outlets in by_statement.values())
    for statement in Statement.objects.all():
        assert (statement.report_count, statement.outlet_count) == (2, 2)
        assert statement.outlets == ["TASS", "Sputnik"]  # TASS reported it first
        assert statement.first_said == min(statement.reports.values_list("said_on", flat=True))
        assert statement.reports.filter(is_primary_report=True).count() == 1


def test_importing_again_changes_no_statement(re_reported):
    before = sorted(peskov_quotes().values_list("pk", "statement_id", "is_primary_report"))
    statements = sorted(Statement.objects.values_list("pk", "report_count"))
    out, _ = run_import(re_reported)
    assert "0 new, 0 updated, 2 unchanged" in out
    assert sorted(peskov_quotes().values_list("pk", "statement_id", "is_primary_report")) == before
    assert sorted(Statement.objects.values_list("pk", "report_count")) == statements


def test_reprocessing_one_outlets_copy_keeps_the_statements_and_their_ids(re_reported):
    before = set(Statement.objects.values_list("pk", flat=True))
    sputnik = set(Quote.objects.filter(article__source="Sputnik").values_list("pk", flat=True))
    out, _ = run_import(re_reported / "sputnik-copy.txt", reprocess=True)
    assert "1 updated" in out
    assert not Quote.objects.filter(pk__in=sputnik).exists()  # made again
    assert set(Statement.objects.values_list("pk", flat=True)) == before
    assert all(statement.reports.count() == 2 for statement in Statement.objects.all())


def test_an_editors_split_and_join_survive_a_re_import(re_reported):
    statement = Statement.objects.order_by("pk").first()
    copy = statement.reports.get(article__source="Sputnik")
    own = split_report(copy)
    assert own.curated and own.report_count == 1
    first, second = Statement.objects.exclude(pk__in=[own.pk, statement.pk]).order_by("pk")[:2]
    joined = join_reports(Quote.objects.filter(statement__in=[first, second]))
    assert joined.report_count == 4 and joined.curated
    curated = sorted(Quote.objects.filter(curated=True).values_list("pk", "statement_id"))
    uncurated = Statement.objects.filter(curated=False).count()
    assert len(curated) == 2 + 4
    # the articles changed and re-extracted: uncurated quotes are made again, the editor's stay
    for path in re_reported.glob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8") + "\n\nAn added line.", encoding="utf-8")
    out, _ = run_import(re_reported)
    assert "2 updated" in out
    copy.refresh_from_db()
    assert copy.statement_id == own.pk and Statement.objects.get(pk=own.pk).report_count == 1
    assert Statement.objects.get(pk=joined.pk).report_count == 4
    assert sorted(Quote.objects.filter(curated=True).values_list("pk", "statement_id")) == curated
    # the other statements were made again from the re-extracted quotes, as before
    assert Statement.objects.filter(curated=False).count() == uncurated
    assert all(s.report_count == 2 for s in Statement.objects.filter(curated=False))


def test_joining_reports_of_different_speakers_is_refused(db):
    article = make_article("A", "TASS", DAY)
    quotes = [
        make_quote(article, make_speaker(name), FULL + f" {name}") for name in ("Dmitry Peskov", "John Kirby")
    ]
    with pytest.raises(ValueError, match="one speaker"):
        join_reports(quotes)


def test_an_editor_changing_a_reports_words_takes_it_out_of_its_statement(re_reported):
    statement = Statement.objects.order_by("pk").first()
    copy = statement.reports.get(article__source="Sputnik")
    copy.text = "Something else entirely that Peskov never said on that day at all"
    copy.save()
    copy.refresh_from_db()
    assert copy.statement_id is None and copy.is_primary_report
    assert not Statement.objects.filter(pk=statement.pk).exists()  # one report left: alone again
    assert Quote.objects.get(pk=statement.pk).statement_id is None


def test_rejecting_the_primary_report_lists_the_statement_by_another(re_reported, client):
    admin = User.objects.create_superuser("editor", "e@example.com", "pw")
    client.force_login(admin)
    statement = Statement.objects.order_by("pk").first()
    primary = statement.reports.get(is_primary_report=True)
    response = client.post(
        "/admin/statements/quote/", {"action": "mark_rejected", "_selected_action": [primary.pk]}
    )
    assert response.status_code == 302
    client.logout()
    assert statement.reports.get(is_primary_report=True).pk != primary.pk
    assert Quote.objects.visible_to(None).grouped().filter(statement=statement).count() == 1


# --- pages ------------------------------------------------------------------------------------------


@pytest.fixture(params=["index", "sql"])
def counting_mode(request, monkeypatch):
    """Every list assertion holds with the counting index and with SQL counts."""
    counting.holder.forget()
    if request.param == "sql":
        monkeypatch.setenv("COUNTING_INDEX", "off")
    yield request.param
    counting.holder.forget()


def listed_texts(response):
    return [quote.text for quote in response.context["page"].items]


def test_the_list_shows_one_card_per_statement_with_who_reported_it(re_reported, client, counting_mode):
    grouped = client.get("/quotes/", {"speaker": "dmitry-peskov"})
    every = client.get("/quotes/", {"speaker": "dmitry-peskov", "reports": "all"})
    n = in_tass()
    assert len(listed_texts(grouped)) == n and len(listed_texts(every)) == 2 * n
    assert grouped.context["facets"]["speaker"][0]["count"] == n
    assert every.context["facets"]["speaker"][0]["count"] == 2 * n
    page = grouped.content.decode()
    assert 'Reported by 2 sources: TASS <span class="muted">(first)</span>, Sputnik' in page
    assert "Show every report" in page
    assert "One of" in every.content.decode() or "all 2 reports" in every.content.decode()


def test_an_outlet_filter_lists_that_outlets_own_reports(re_reported, client, counting_mode):
    response = client.get("/quotes/", {"speaker": "dmitry-peskov", "source": "Sputnik"})
    assert len(listed_texts(response)) == in_tass()
    assert {quote.article.source for quote in response.context["page"].items} == {"Sputnik"}


def test_reports_min_finds_statements_carried_by_several_reports(re_reported, client, counting_mode):
    response = client.get("/quotes/", {"reports_min": "2"})
    grouped_in_tass = Quote.objects.filter(article__source="TASS", statement__isnull=False).count()
    assert len(listed_texts(response)) == grouped_in_tass >= in_tass()
    assert all(quote.statement.report_count == 2 for quote in response.context["page"].items)
    assert len(listed_texts(client.get("/quotes/", {"reports_min": "3"}))) == 0
    bad = client.get("/quotes/", {"reports_min": "many"})
    assert bad.status_code == 200 and "whole number" in bad.content.decode()


def test_the_statement_page_lists_every_report_with_outlet_date_and_wording(re_reported, client):
    statement = Statement.objects.order_by("pk").first()
    response = client.get(statement.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Reported 2 times by 2 sources: TASS, Sputnik" in page
    assert page.count('class="report') >= 2 and "The same words" in page
    for report in statement.reports.all():
        assert f'<time datetime="{report.said_on:%Y-%m-%d}">' in page
    assert client.get("/statements/999999/").status_code == 404


def test_the_export_gives_each_quote_its_statements_id(re_reported):
    out = io.StringIO()
    call_command("export_quotes", "--format", "jsonl", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    peskov = [r for r in records if r["speaker"] and r["speaker"]["name"] == "Dmitry Peskov"]
    assert len({r["statement"] for r in peskov}) == in_tass()
    by_text = {}
    for r in peskov:
        by_text.setdefault(r["text"], set()).add(r["statement"])
    assert all(len(ids) == 1 for ids in by_text.values())
    keys = {quote.pk: quote.statement_key for quote in Quote.objects.all()}
    assert all(r["statement"] == keys[r["id"]] for r in records)
    out = io.StringIO()
    call_command("export_quotes", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][-1] == "statement"
    assert {row[-1] for row in rows[1:]} == {str(r["statement"]) for r in records}


def test_the_list_export_carries_the_statement_and_one_row_per_statement(re_reported, client):
    grouped = json.loads(
        b"".join(client.get("/quotes/", {"format": "json", "speaker": "dmitry-peskov"}).streaming_content)
    )
    every = json.loads(
        b"".join(
            client.get(
                "/quotes/", {"format": "json", "speaker": "dmitry-peskov", "reports": "all"}
            ).streaming_content
        )
    )
    assert len(grouped) == in_tass() and len(every) == 2 * in_tass()
    assert {r["statement"] for r in grouped} == {r["statement"] for r in every}


def test_a_lone_quote_is_unchanged_by_grouping(db):
    article = make_article("A", "TASS", DAY)
    quote = make_quote(article, make_speaker("Dmitry Peskov"), FULL)
    assert quote.is_primary_report and quote.statement_id is None and quote.statement_key == quote.pk
    assert Article.objects.count() == 1


# --- the admin ---------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, db):
    client.force_login(User.objects.create_superuser("editor", "e@example.com", "pw"))
    return client


def test_an_editor_sees_a_statements_reports_and_splits_one_out_in_the_admin(re_reported, editor_client):
    statement = Statement.objects.order_by("pk").first()
    page = editor_client.get(f"/admin/statements/statement/{statement.pk}/change/").content.decode()
    assert "Split out" in page and "Sputnik" in page and "TASS" in page
    copy = statement.reports.get(article__source="Sputnik")
    response = editor_client.post(
        "/admin/statements/quote/", {"action": "split_selected_reports", "_selected_action": [copy.pk]}
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.statement_id == copy.pk and copy.curated
    assert Statement.objects.get(pk=copy.pk).curated and Statement.objects.get(pk=statement.pk).curated


def test_an_editor_joins_two_statements_in_the_admin(re_reported, editor_client):
    first, second = Statement.objects.order_by("pk")[:2]
    response = editor_client.post(
        "/admin/statements/statement/", {"action": "join_selected", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    assert not Statement.objects.filter(pk=second.pk).exists()
    joined = Statement.objects.get(pk=first.pk)
    assert joined.report_count == 4 and joined.curated
    assert joined.reports.filter(is_primary_report=True).count() == 1


def test_the_split_out_box_on_a_statements_admin_page_splits_that_report(re_reported, editor_client):
    statement = Statement.objects.order_by("pk").first()
    tass, copy = statement.reports.order_by("pk")
    data = {
        "reports-TOTAL_FORMS": "2",
        "reports-INITIAL_FORMS": "2",
        "reports-MIN_NUM_FORMS": "0",
        "reports-MAX_NUM_FORMS": "1000",
        "reports-0-id": tass.pk,
        "reports-0-statement": statement.pk,
        "reports-1-id": copy.pk,
        "reports-1-statement": statement.pk,
        "reports-1-split_out": "on",
    }
    response = editor_client.post(f"/admin/statements/statement/{statement.pk}/change/", data)
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert response.status_code == 302, errors
    copy.refresh_from_db()
    tass.refresh_from_db()
    assert copy.statement_id != tass.statement_id and copy.curated and tass.curated


def test_a_transcript_turn_is_the_primary_report_of_the_news_that_quotes_it(db):
    from statements.ingest.store import group_reports, refresh_statements

    peskov = make_speaker("Dmitry Peskov")
    transcript = make_article("Briefing transcript", "Kremlin", DAY)
    news = make_article("Kremlin says contacts continue", "TASS", DAY + datetime.timedelta(days=1))
    turn = make_quote(transcript, peskov, FULL, kind="turn")
    report = make_quote(news, peskov, FULL + ", Peskov told reporters")
    refresh_statements(
        group_reports([grouping.Report(q.pk, q.speaker_id, q.said_on, q.text) for q in (turn, report)])
    )
    turn.refresh_from_db()
    report.refresh_from_db()
    assert turn.statement_id == report.statement_id == turn.pk
    assert turn.is_primary_report and not report.is_primary_report
    assert Statement.objects.get(pk=turn.pk).outlets == ["Kremlin", "TASS"]


def test_a_report_given_another_speaker_leaves_its_statement(re_reported):
    from statements.curation import reassign_quotes

    statement = Statement.objects.order_by("pk").first()
    copy = statement.reports.get(article__source="Sputnik")
    reassign_quotes(Quote.objects.filter(pk=copy.pk), make_speaker("Maria Zakharova"))
    copy.refresh_from_db()
    assert copy.statement_id is None and copy.is_primary_report
    assert not Statement.objects.filter(pk=statement.pk).exists()
