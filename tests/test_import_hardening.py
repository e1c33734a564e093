"""Hostile and out-of-range input: every field the importer stores fits the database the same way on
SQLite and PostgreSQL, a bad field is reported and dropped without losing its article, a bad line
is reported and the import goes on, and no internal error reaches the user."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.ingest import sources
from statements.management.commands import import_articles
from statements.models import Article, Quote, Speaker

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f]")
QUOTE = '"We will meet again," said Anna Berg, a Finnish negotiator.'


def run_import(*paths, **options):
    """(stdout, stderr) of a run that exits 0; raises CommandError for one that would not."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing_import(*paths):
    """(stdout, stderr) of a run that exits non-zero."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", *[str(p) for p in paths], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def article(external_id, **fields):
    return {
        "id": external_id,
        "title": f"Talks {external_id}",
        "published": "2016-10-04",
        "text": QUOTE,
        **fields,
    }


def write_jsonl(path, *items):
    path.write_text(
        "".join((item if isinstance(item, str) else json.dumps(item)) + "\n" for item in items),
        encoding="utf-8",
    )
    return path


# Control characters


def test_control_characters_are_removed_from_every_field_and_quote_offsets_still_fit(db, tmp_path):
    write_jsonl(
        tmp_path / "wire.jsonl",
        {
            "id": "wire\x01-1",
            "title": "Talks\x07 resume\r",
            "source": "Wi\x1bre",
            "url": "https://example.org/\x00talks",
            "published": "2016-10-04",
            "text": '\x02HELSINKI (Wire) - "We will meet\x1f again," said Anna Berg, a Finnish negotiator.\x0c'
            'No date was set.\n\n"Nothing\x08 is agreed," Berg said.',
        },
    )
    (tmp_path / "memo\x01.txt").write_text(
        "---\ntitle: A memo\x1b[0m\nsource: Me\x03mo\n---\n" + QUOTE + "\x0e",
        encoding="utf-8",
    )
    run_import(tmp_path)

    wire = Article.objects.get(external_id="wire-1")
    assert (wire.title, wire.source, wire.url) == ("Talks resume", "Wire", "https://example.org/talks")
    assert wire.dateline == "Helsinki"
    assert wire.body.startswith('HELSINKI (Wire) - "We will meet again," said Anna Berg')
    assert "negotiator. No date was set." in wire.body  # a form feed breaks the line: no glued words
    memo = Article.objects.get(external_id="memo.txt")
    assert memo.title == "A memo[0m"
    for stored in (wire, memo):
        for value in (
            stored.external_id,
            stored.title,
            stored.source,
            stored.url,
            stored.body,
            stored.dateline,
        ):
            assert not CONTROL_CHARACTERS.search(value), value
    quotes = list(Quote.objects.filter(article=wire).order_by("start"))
    assert [q.text for q in quotes] == ["We will meet again,", "Nothing is agreed,"]
    for quote in quotes:  # pages highlight body[start:end]: it must be the quoted words
        assert wire.body[quote.start : quote.end] == quote.text


def test_a_json_nul_escape_is_removed_like_the_other_control_characters(tmp_path):
    path = write_jsonl(tmp_path / "nul.jsonl", {"id": "n\u0000ul", "text": "Nul \u0000 inside."})
    [raw] = list(sources.iter_articles([path]))
    assert (raw.external_id, raw.text) == ("nul", "Nul  inside.")


# URLs


def test_an_article_with_a_bad_url_is_imported_without_it_and_the_url_reported(db, tmp_path):
    long_url = "https://example.org/" + "a" * 990
    path = write_jsonl(
        tmp_path / "urls.jsonl",
        article("good", url="HTTPS://Example.org/talks?day=2"),
        article("script", url="javascript:alert(3)"),
        article("words", url="not a url at all"),
        article("long", url=long_url),
        article("no-host", url="http:///talks"),
        article("ftp", url="ftp://example.org/talks.txt"),
    )
    out, err = run_import(path)  # a dropped field is a warning: the command exits 0

    urls = dict(Article.objects.values_list("external_id", "url"))
    assert urls == {
        "good": "HTTPS://Example.org/talks?day=2",
        "script": "",
        "words": "",
        "long": "",
        "no-host": "",
        "ftp": "",
    }
    assert (
        f"bad field {path}:2: url 'javascript:alert(3)' is not an http or https URL; imported without it"
        in err
    )
    assert f"bad field {path}:3: url 'not a url at all' is not an http or https URL" in err
    assert (
        f"bad field {path}:4: url 'https://example.org/aaa" in err
        and "is longer than 1,000 characters" in err
    )
    assert f"bad field {path}:5: url 'http:///talks' is not a valid URL" in err
    assert f"bad field {path}:6: url 'ftp://" in err
    assert "6 new, 0 updated, 0 unchanged, 0 failed, 5 imported with a bad field dropped or cut" in out
    assert Quote.objects.filter(article__external_id="script").exists()


def test_a_url_of_exactly_the_limit_is_kept(db, tmp_path):
    url = "https://example.org/" + "a" * (1000 - len("https://example.org/"))
    run_import(write_jsonl(tmp_path / "a.jsonl", article("fits", url=url)))
    assert Article.objects.get().url == url


def test_a_bad_url_in_front_matter_is_reported_with_where_it_was_written(db, tmp_path):
    path = tmp_path / "memo.txt"
    path.write_text("---\nurl: javascript:alert(3)\n---\n" + QUOTE, encoding="utf-8")
    _, err = run_import(path)
    assert (
        f"bad field {path}: url 'javascript:alert(3)' in the front matter is not an http or https URL" in err
    )
    assert Article.objects.get().url == ""


# Markup in the source


def test_markup_is_removed_from_the_source_as_from_the_title(db, tmp_path):
    path = write_jsonl(
        tmp_path / "markup.jsonl",
        article("a", source="<i>Reuters</i>", title="<b>Talks</b> resume"),
        article("b", source="[TASS](https://tass.com)"),
        article("c", source="*RT*"),
    )
    run_import(path)
    assert dict(Article.objects.values_list("external_id", "source")) == {
        "a": "Reuters",
        "b": "TASS",
        "c": "RT",
    }
    assert Article.objects.get(external_id="a").title == "Talks resume"


# Lines that are not articles


def test_a_line_nested_100000_deep_is_reported_and_the_import_goes_on(db, tmp_path):
    path = write_jsonl(
        tmp_path / "deep.jsonl",
        "[" * 100_000 + "]" * 100_000,
        '{"id": ' + "1" * 5000 + ', "text": "An id of 5,000 digits."}',
        article("after"),
    )
    _, err = run_failing_import(path)  # a line that is not an article fails the run, as before
    assert f"skipped {path}:1: line is not an article: JSON nested too deeply" in err
    assert f"skipped {path}:2: line is not valid JSON (Exceeds the limit (4300 digits)" in err
    assert "Traceback" not in err
    assert list(Article.objects.values_list("external_id", flat=True)) == ["after"]


# Field limits, the same on SQLite and PostgreSQL


def test_the_limits_are_the_database_columns():
    def limit(name):
        return Article._meta.get_field(name).max_length

    assert sources.MAX_ID_CHARS == limit("external_id")
    assert sources.MAX_TITLE_CHARS == limit("title")
    assert sources.MAX_SOURCE_CHARS == limit("source")
    assert sources.MAX_URL_CHARS == limit("url")


def test_an_id_over_the_limit_is_refused_with_a_plain_reason(db, tmp_path):
    path = write_jsonl(tmp_path / "ids.jsonl", article("a" * 301), article("b" * 300))
    _, err = run_failing_import(path)
    assert f"skipped {path}:1: id longer than 300 characters" in err
    assert "DataError" not in err and "could not be imported" not in err
    assert list(Article.objects.values_list("external_id", flat=True)) == ["b" * 300]


def test_a_title_or_source_over_the_limit_is_cut_with_a_warning(db, tmp_path):
    path = write_jsonl(tmp_path / "long.jsonl", article("a", title="T" * 501, source="S" * 101))
    out, err = run_import(path)
    stored = Article.objects.get()
    assert (stored.title, stored.source) == ("T" * 500, "S" * 100)
    assert f"bad field {path}:1: title longer than 500 characters; cut to 500" in err
    assert f"bad field {path}:1: source longer than 100 characters; cut to 100" in err
    assert "1 imported with a bad field dropped or cut" in out


def test_an_implausible_published_date_is_refused_at_the_source(db, tmp_path):
    path = write_jsonl(
        tmp_path / "dates.jsonl",
        article("ancient", published="0001-01-01"),
        article("far", published="9999-12-31"),
        article("early", published="1799-12-31"),
        article("fine", published="1800-01-01"),
    )
    _, err = run_failing_import(path)
    assert f"skipped {path}:1: implausible published date '0001-01-01'" in err
    assert f"skipped {path}:2: implausible published date '9999-12-31'" in err
    assert f"skipped {path}:3: implausible published date '1799-12-31'" in err
    assert "OverflowError" not in err
    assert list(Article.objects.values_list("external_id", flat=True)) == ["fine"]


def test_an_implausible_date_in_the_text_leaves_the_date_unknown(db, tmp_path):
    path = write_jsonl(
        tmp_path / "dateline.jsonl",
        {"id": "d", "title": "Talks", "text": "MOSCOW, January 5, 0001 /TASS/. " + QUOTE},
    )
    out, err = run_import(path)
    stored = Article.objects.get()
    assert stored.published is None and stored.needs_review
    assert "implausible date 0001-01-05 in the text" in stored.review_note
    assert "OverflowError" not in err
    assert stored.quotes.count() == 1


# Counts


def test_quote_counts_are_right_after_an_import_that_died(db, tmp_path, monkeypatch):
    lines = [
        {
            "id": f"wire-{n}",
            "title": f"Day {n}",
            "published": "2024-05-01",
            "text": f'"We will meet again on day {n + 1}," said Anna Berg, a Finnish negotiator.',
        }
        for n in range(650)
    ]
    path = write_jsonl(tmp_path / "wire.jsonl", *lines)
    read = sources.iter_articles

    def dies_after_650(paths):
        yield from read(paths)
        raise KeyboardInterrupt  # as if the import were stopped here, its batches partly written

    # batches of 200 are saved two behind the reading: the first is saved once the third is read
    monkeypatch.setattr(import_articles.sources, "iter_articles", dies_after_650)
    with pytest.raises(KeyboardInterrupt):
        run_import(path, jobs=1)

    saved = Quote.objects.filter(speaker__name="Anna Berg").count()
    assert saved >= 200  # at least the first batch was committed
    assert Speaker.objects.get(name="Anna Berg").quote_count == saved
