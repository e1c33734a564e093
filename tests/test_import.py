"""import_articles and export_quotes end to end, on the two real sample articles."""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.ingest import importer, sources
from statements.ingest.importer import Importer
from statements.models import Article, Country, Event, Organisation, Quote, Speaker, Topic

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
DATA = ROOT / "tests" / "data"  # the seed oracle and scorer, copied from ../shared
TASS = "000_6de1334cdd6cb548.txt"
RT = "003_a0bf8ad288c97066.txt"


def run_import(*paths, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def export(fmt="jsonl"):
    out = io.StringIO()
    call_command("export_quotes", "--format", fmt, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeds(db):
    return run_import(FIXTURES)


def test_the_samples_import_with_their_metadata(seeds):
    out, err = seeds
    assert "2 new, 0 updated, 0 unchanged, 0 failed" in out
    assert err == ""  # reference files and the manifest are not reported as bad articles
    tass = Article.objects.get(external_id=TASS)
    assert (tass.source, str(tass.published), tass.dateline) == ("TASS", "2016-10-04", "Astana")
    assert tass.title == "Contacts between Russian, US military on Syria to continue — Kremlin"
    rt = Article.objects.get(external_id=RT)
    assert (rt.source, str(rt.published)) == ("RT", "2016-09-29")
    assert not tass.needs_review and not rt.needs_review


def test_reference_data_is_there_right_after_migrate_and_import(seeds):
    assert set(Country.objects.values_list("code", flat=True)) >= {"RUS", "USA", "GBR", "FRA", "CHN"}
    assert Organisation.objects.filter(name="Kremlin", country__code="RUS").exists()
    assert Topic.objects.filter(slug__contains="ceasefire").exists()
    assert Event.objects.filter(date="2016-10-03").exists()


def test_the_scorer_finds_the_seed_quotes_perfect(seeds, tmp_path):
    pred = tmp_path / "pred.jsonl"
    pred.write_text(export("jsonl"), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            str(DATA / "score.py"),
            "--gold",
            str(DATA / "seeds.gold.jsonl"),
            "--pred",
            str(pred),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert "P=1.000 R=1.000" in summary and "speaker=1.000" in summary, result.stdout


def test_each_speaker_has_the_role_organisation_and_country_the_article_gives(seeds):
    gold = json.loads((DATA / "seeds.json").read_text(encoding="utf-8"))
    records = [json.loads(line) for line in export("jsonl").splitlines()]
    for article in gold["articles"]:
        described = {
            r["speaker"]["name"]: r["speaker"]
            for r in records
            if r["article_id"] == article["file"] and r["speaker"]
        }
        for person in article["speakers"]:
            if person["name"] not in described:
                continue  # e.g. a speaker whose only quote is indirect
            got = described[person["name"]]
            assert got["organisation"] == person["organisation"], person["name"]
            assert got["country"] == person["country"], person["name"]
            assert got["role"], person["name"]


def test_john_kirby_is_one_speaker_across_both_articles(seeds):
    assert Speaker.objects.filter(name__icontains="Kirby").count() == 1
    kirby = Speaker.objects.get(name="John Kirby")
    assert kirby.quotes.filter(article__external_id=RT).count() == 2
    assert (kirby.organisation.name, kirby.country.code) == ("US Department of State", "USA")


def test_imported_speakers_are_found_by_name_however_it_is_spelt(seeds, client):
    # the importer writes the name keys (SpeakerNameKey) of the speakers it creates and describes
    for q in ["Dmitri Peskov", "zaharova", "kirby john"]:
        assert Speaker.objects.named(q).count() == 1, q
    response = client.get("/quotes/", {"q": "Peskov"})
    assert {quote.speaker.name for quote in response.context["page"].items} == {"Dmitry Peskov"}


def test_importing_again_changes_and_duplicates_nothing(seeds):
    before = list(Quote.objects.order_by("pk").values_list("pk", "text", "speaker_id"))
    out, _ = run_import(FIXTURES)
    assert "0 new, 0 updated, 2 unchanged, 0 failed" in out
    assert list(Quote.objects.order_by("pk").values_list("pk", "text", "speaker_id")) == before
    assert Article.objects.count() == 2


def test_importing_unchanged_files_again_reads_no_extraction_rules(seeds, monkeypatch):
    # building the rules compiles seconds of regular expressions; a re-import of unchanged files
    # has nothing to extract and should not wait for them
    built = []
    real = importer.reference_for_extraction
    monkeypatch.setattr(importer, "reference_for_extraction", lambda: built.append(1) or real())
    out, _ = run_import(FIXTURES)
    assert "0 new, 0 updated, 2 unchanged, 0 failed" in out and built == []
    out, _ = run_import(FIXTURES, reprocess=True)
    assert "2 updated" in out and built == [1]


def test_a_changed_article_is_re_extracted_but_curated_quotes_stay_exactly_as_they_are(db, tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES, folder)
    run_import(folder)
    tass = Article.objects.get(external_id=TASS)
    curated = tass.quotes.get(text__startswith="I wouldn")
    curated.text = "I wouldn't like to speak about this risk (editor's check)"
    curated.status = Quote.Status.VERIFIED
    curated.curated = True
    curated.save()
    uncurated_before = tass.quotes.filter(curated=False).count()

    path = folder / TASS
    path.write_text(
        path.read_text(encoding="utf-8") + "\n\nThe Kremlin gave no further details.\n", encoding="utf-8"
    )
    out, _ = run_import(folder)

    assert "0 new, 1 updated, 1 unchanged" in out
    curated.refresh_from_db()
    assert curated.text == "I wouldn't like to speak about this risk (editor's check)"
    assert curated.status == Quote.Status.VERIFIED
    assert tass.quotes.filter(curated=False).count() == uncurated_before
    assert tass.quotes.filter(text__startswith="I wouldn").count() == 1
    assert "The Kremlin gave no further details." in Article.objects.get(pk=tass.pk).body


def test_bad_inputs_are_reported_by_name_and_the_rest_still_import(db, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(FIXTURES / TASS, folder / TASS)
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (folder / "lines.jsonl").write_text(
        '{"id": "ok-1", "title": "A", "published": "2016-10-05", "source": "X", "url": null, '
        '"text": "\\"We will talk again,\\" the minister said."}\n'
        "this is not json\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 input"):
        call_command("import_articles", str(folder), stdout=io.StringIO(), stderr=err)
    messages = err.getvalue()
    assert "empty.txt" in messages
    assert "binary.txt" in messages
    assert "lines.jsonl:2" in messages
    assert set(Article.objects.values_list("external_id", flat=True)) == {TASS, "ok-1"}


def test_an_article_without_a_date_is_imported_and_flagged(db, tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text(
        'Talks to resume\n\n"We are ready to talk," the Russian Deputy Foreign Minister '
        "Sergey Ryabkov told reporters.\n",
        encoding="utf-8",
    )
    out, _ = run_import(path)
    article = Article.objects.get(external_id="undated.txt")
    assert article.published is None
    assert article.needs_review
    assert "flagged for review" in out


def test_csv_export_has_one_row_per_quote_with_flattened_speaker(seeds):
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert len(rows) == Quote.objects.count()
    peskov = [r for r in rows if r["speaker_name"] == "Dmitry Peskov"]
    assert peskov and all(r["speaker_country"] == "Russia" for r in peskov)
    assert all(r["article_id"] in (TASS, RT) for r in rows)


def test_an_unnamed_source_is_kept_as_described_without_a_speaker_row(db, tmp_path, client):
    path = tmp_path / "unnamed.txt"
    path.write_text(
        'Port talks stall\n\n"Nobody wants to blink first," said a senior Finnish official who asked '
        "not to be named.\n",
        encoding="utf-8",
    )
    run_import(path)
    quote = Quote.objects.get()
    assert quote.speaker is None
    assert quote.speaker_role == "a senior Finnish official"
    assert not Speaker.objects.exists()

    [record] = [json.loads(line) for line in export().splitlines()]
    assert record["speaker"] == {
        "name": "a senior Finnish official",
        "role": "",
        "organisation": None,
        "country": None,
        "unnamed": True,
    }
    [row] = csv.DictReader(io.StringIO(export("csv")))
    assert (row["speaker_name"], row["speaker_unnamed"]) == ("a senior Finnish official", "yes")

    page = client.get("/quotes/").content.decode()
    assert 'A senior Finnish official <span class="muted">(unnamed)</span>' in page
    assert "Unattributed" not in page


def test_a_large_import_extracts_in_worker_processes_with_the_same_result(db, tmp_path):
    lines = [
        json.dumps(
            {
                "id": f"wire-{n}",
                "title": f"Port talks, day {n}",
                "published": "2024-05-01",
                "source": "Wire",
                "text": f'"We will meet again on day {n + 1}," said Anna Berg, a Finnish '
                f"negotiator.\n\nNo date was set for day {n + 2}.",
            }
        )
        for n in range(120)
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, _ = run_import(path, jobs=2)
    assert "120 new" in out
    assert Quote.objects.count() == 120
    assert set(Quote.objects.values_list("speaker__name", flat=True)) == {"Anna Berg"}
    assert Speaker.objects.get(name="Anna Berg").quote_count == 120
    assert "0 updated, 120 unchanged" in run_import(path, jobs=2)[0]


def test_extract_jsonl_predicts_the_quotes_the_export_gives_in_its_layout(seeds):
    exported = [json.loads(line) for line in export("jsonl").splitlines()]
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "extract_jsonl.py"), FIXTURES / TASS, FIXTURES / RT],
        capture_output=True,
        text=True,
        check=True,
    )
    predicted = [json.loads(line) for line in result.stdout.splitlines()]

    def essentials(record):
        speaker = record["speaker"] or {}
        return (
            record["article_id"],
            record["start"],
            record["text"],
            record["kind"],
            record["published"],
            speaker.get("name"),
            speaker.get("organisation"),
            speaker.get("country"),
            speaker.get("unnamed"),
        )

    # 20 quotations and 11 reported statements
    assert len(predicted) == len(exported) == 31
    assert sorted(map(essentials, predicted)) == sorted(map(essentials, exported))
    # the same fields in the same order
    assert {tuple(record) for record in predicted} == {tuple(record) for record in exported}
    assert {(record["id"], record["url"], record["status"]) for record in predicted} == {(None, None, None)}


def test_the_importer_the_benchmark_runs_counts_what_the_command_prints(db, capsys):
    run = Importer(jobs=1).run(sources.iter_articles([FIXTURES, FIXTURES / "missing.txt"]))
    assert (run.counts["new"], run.counts["failed"], run.articles) == (2, 1, 2)
    assert run.counts["quotes"] == Quote.objects.count() == 31  # 20 quotations, 11 reported statements
    assert run.problems == [f"{FIXTURES / 'missing.txt'}: no such file or directory"]
    assert capsys.readouterr() == ("", "")  # says nothing itself: the command prints


def test_a_large_import_brings_the_planners_statistics_up_to_date(db, monkeypatch):
    from django.db import connection

    from statements.management.commands import import_articles

    out, _ = run_import(FIXTURES / TASS)
    assert "statistics" not in out  # one article: not worth it
    monkeypatch.setattr(import_articles, "ANALYZE_AFTER", 1)
    out, _ = run_import(FIXTURES / RT)
    assert "Database statistics brought up to date" in out
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'statements_quote'")
            assert cursor.fetchone()[0] is not None


def test_long_documents_are_written_in_smaller_batches_than_short_ones():
    from statements.batching import batched_by_size

    short = [f"short {n}" for n in range(5)]
    assert [len(b) for b in batched_by_size(short, 2, 1_000, len)] == [2, 2, 1]  # by count
    long = ["x" * 400] * 5
    assert [len(b) for b in batched_by_size(long, 200, 1_000, len)] == [3, 2]  # by text


def test_speakers_quote_counts_follow_new_changed_and_reimported_articles(db, tmp_path):
    def article(n, text):
        return {
            "id": f"talks-{n}",
            "title": "Port talks",
            "published": "2024-05-0%d" % n,
            "source": "Wire",
            "text": text,
        }

    def write(*articles):
        path = tmp_path / "wire.jsonl"
        path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
        return path

    two = article(
        1,
        '"We will meet again," said Anna Berg, a Finnish negotiator.\n\n'
        '"The port stays open," Berg said.\n\n"No deal yet," said Lars Holm, a Swedish envoy.',
    )
    run_import(write(two))
    counts = dict(Speaker.objects.values_list("name", "quote_count"))
    assert (counts["Anna Berg"], counts["Lars Holm"]) == (2, 1)

    # a second article adds to the counts; the first, changed to quote Berg once, takes from them
    one = article(1, '"We will meet again," said Anna Berg, a Finnish negotiator.')
    more = article(2, '"Talks resume on Monday," said Lars Holm, a Swedish envoy.')
    run_import(write(one, more))
    for speaker in Speaker.objects.all():
        assert speaker.quote_count == Quote.objects.filter(speaker=speaker).count(), speaker.name
    counts = dict(Speaker.objects.values_list("name", "quote_count"))
    assert (counts["Anna Berg"], counts["Lars Holm"]) == (1, 1)

    # a known speaker quoted in a new article only: added to, not recounted
    run_import(write(article(3, '"We sign on Friday," said Anna Berg, a Finnish negotiator.')))
    assert Speaker.objects.get(name="Anna Berg").quote_count == 2
