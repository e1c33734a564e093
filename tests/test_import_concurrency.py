"""Imports split, repeated, interrupted or run side by side end with what one import gives.

The subprocess tests run `manage.py import_articles` for real: on PostgreSQL against the test
database (committed data, hence `transaction=True`), on SQLite against a database file of their own
(the test database is in memory, out of reach of another process).
"""

import datetime
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from statements.models import Quote, Speaker

ROOT = Path(__file__).resolve().parents[1]

PEOPLE = [
    "Anna Berg",
    "Mikko Laine",
    "Sofia Lind",
    "Jonas Eklund",
    "Pieter de Vries",
    "Clara Moreau",
    "Lukas Brandt",
    "Elena Petrova",
    "Tomasz Nowak",
    "Ingrid Solberg",
    "Marco Rossi",
    "Aino Virtanen",
]
ROLES = ["negotiator", "chief negotiator", "spokeswoman", "deputy minister", "senior adviser"]
# Organisations the reference data lacks: the importer creates them, flagged for review.
BODIES = ["ZBK", "Norrland Fisheries Council", "Baltic Ferry Union", "QRX Holdings"]


def wire_article(n):
    """A short wire story; each person is named in many of them, with a different role and date."""
    person, other = PEOPLE[n % len(PEOPLE)], PEOPLE[(n * 5 + 3) % len(PEOPLE)]
    body = BODIES[n % len(BODIES)]
    published = datetime.date(2024, 1, 1) + datetime.timedelta(days=(n * 37) % 300)
    text = (
        f'"We will meet again on day {n + 1}," said {person}, a {ROLES[n % len(ROLES)]} at {body}.\n\n'
        f'"Nothing is agreed on point {n}," {body} said in a statement.\n\n'
        f'"The ferry talks go on," {other} told reporters.'
    )
    return {
        "id": f"wire-{n:04d}",
        "title": f"Ferry talks, round {n}",
        "published": published.isoformat(),
        "source": "Wire",
        "text": text,
    }


def write_corpus(path, numbers):
    path.write_text("".join(json.dumps(wire_article(n)) + "\n" for n in numbers), encoding="utf-8")
    return path


def run_import(*paths, **options):
    out = io.StringIO()
    call_command("import_articles", *[str(p) for p in paths], stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def empty_database():
    """As after `migrate`: no articles, speakers or reference data (flush cannot run in a test's
    transaction on PostgreSQL)."""
    from statements.models import Article, Country, Event, Organisation, Topic

    for model in (Quote, Speaker, Article, Event, Organisation, Topic, Country):
        model.objects.all().delete()


def snapshot():
    """What an import leaves, without row ids: the same imports must give the same snapshot."""
    from statements.models import Article, Event, Organisation

    return {
        "articles": sorted(Article.objects.values_list("external_id", "content_hash", "title", "published")),
        "quotes": sorted(
            Quote.objects.values_list(
                "article__external_id", "start", "end", "text", "speaker__slug", "speaker_role", "said_on"
            )
        ),
        "speakers": sorted(
            (
                s.slug,
                s.name,
                s.kind,
                s.aliases,
                s.role,
                s.organisation and s.organisation.name,
                s.country and s.country.code,
                s.quote_count,
            )
            for s in Speaker.objects.select_related("organisation", "country")
        ),
        "organisations": sorted(Organisation.objects.values_list("name", "country__code", "needs_review")),
        "events": sorted(Event.objects.values_list("date", "title", "status")),
    }


# In one process ------------------------------------------------------------------------------


def test_two_runs_give_what_one_run_gives(db, tmp_path):
    first = tmp_path / "first.jsonl"
    first.write_text(
        json.dumps(
            {
                "id": "a1",
                "title": "Bank talks",
                "published": "2016-10-03",
                "text": '"Rates will rise," ZBK said in a statement.',
            }
        )
        + "\n"
    )
    second = tmp_path / "second.jsonl"
    second.write_text(
        json.dumps(
            {
                "id": "a2",
                "title": "Bank talks again",
                "published": "2016-10-04",
                "text": '"These rates are in line with our scenario," ZBK analyst Mary Jones '
                "wrote in a note.",
            }
        )
        + "\n"
    )
    run_import(first, second)
    together = snapshot()
    empty_database()

    run_import(first)  # creates the organisation ZBK, which the reference data lacks
    run_import(second)
    assert snapshot() == together
    # Mary Jones's organisation stays unknown either way: ZBK is only a candidate until reviewed.
    assert Speaker.objects.get(name="Mary Jones").organisation is None


def test_an_article_the_store_cannot_save_is_left_out_alone_and_reported(db, tmp_path, monkeypatch):
    """A batch is written without a savepoint an article; one that fails sends the batch back to
    be written article by article, so the others are saved exactly as without it."""
    from statements.ingest.store import ArticleStore

    empty_database()
    write_corpus(tmp_path / "all.jsonl", range(60))
    run_import(tmp_path / "all.jsonl")
    expected = snapshot()
    empty_database()

    save = ArticleStore.save

    def save_or_fail(store, processed, digest, is_new):
        if processed.article.external_id == "wire-0031":
            raise ValueError("a disk full of bad luck")
        return save(store, processed, digest, is_new)

    monkeypatch.setattr(ArticleStore, "save", save_or_fail)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 input"):  # the command's exit status says so
        call_command("import_articles", str(tmp_path / "all.jsonl"), stdout=out, stderr=out)
    assert "all.jsonl:32: could not be imported (ValueError: a disk full of bad luck)" in out.getvalue()
    monkeypatch.setattr(ArticleStore, "save", save)
    run_import(tmp_path / "all.jsonl")  # the one left out, alone
    assert snapshot() == expected


def test_a_speaker_is_described_by_the_latest_article_whatever_the_import_order(db, tmp_path):
    older = {
        "id": "older",
        "title": "Talks",
        "published": "2016-10-03",
        "text": '"We will talk," said Anna Berg, the Finnish chief negotiator.',
    }
    newer = {
        "id": "newer",
        "title": "Talks",
        "published": "2016-10-05",
        "text": '"We talked," said Anna Berg, a Swedish deputy minister.',
    }
    undated_role = {
        "id": "plain",
        "title": "Talks",
        "published": "2016-10-09",
        "text": '"Talks end," Anna Berg said.',
    }
    for order in ([older, newer, undated_role], [undated_role, newer, older]):
        empty_database()
        for item in order:  # one run each, so that nothing but the order differs
            path = tmp_path / f"{item['id']}.jsonl"
            path.write_text(json.dumps(item) + "\n", encoding="utf-8")
            run_import(path)
        berg = Speaker.objects.get(name="Anna Berg")
        # the newest article that gives a role and country wins; one without them changes nothing
        assert (berg.role, berg.country.code, berg.quote_count) == ("Swedish deputy minister", "SWE", 3), (
            order
        )


# In subprocesses -----------------------------------------------------------------------------


@pytest.fixture
def database_url(request, tmp_path):
    """A migrated database another process can reach, as a DATABASE_URL."""
    if connection.vendor == "postgresql":
        request.getfixturevalue("transactional_db")
        settings = connection.settings_dict
        credentials = quote(settings["USER"] or "") + (
            f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
        )
        return f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    url = f"sqlite:///{tmp_path / 'import.sqlite3'}"
    manage("migrate", "-v", "0", database_url=url, check=True)
    return url


def manage(*args, database_url, check=False, **options):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-only"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
        **options,
    )


def start_import(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-only"}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "import_articles", *map(str, args)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


SNAPSHOT_SCRIPT = "import json; from tests.test_import_concurrency import snapshot; print(json.dumps(snapshot(), default=str))"


def snapshot_of(database_url):
    result = manage("shell", "-c", SNAPSHOT_SCRIPT, database_url=database_url, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])  # after what the shell says it imported


def test_importers_side_by_side_end_with_what_one_import_of_both_gives(database_url, tmp_path):
    first = write_corpus(tmp_path / "first.jsonl", range(0, 260))
    second = write_corpus(tmp_path / "second.jsonl", range(140, 400))  # 120 articles in both

    union = manage("import_articles", first, second, database_url=database_url)
    assert union.returncode == 0, union.stderr
    expected = snapshot_of(database_url)
    manage("flush", "--no-input", database_url=database_url, check=True)  # a new, empty database

    importers = [start_import(path, "--jobs", "1", database_url=database_url) for path in (first, second)]
    results = [importer.communicate(timeout=300) for importer in importers]
    for importer, (out, err) in zip(importers, results):
        assert importer.returncode == 0, err[-3000:]
        assert "0 failed" in out, out
    got = snapshot_of(database_url)

    assert len(expected["articles"]) == 400 and len(expected["quotes"]) == 1200
    created = {name for name, _, needs_review in expected["organisations"] if needs_review}
    assert len(created & set(BODIES)) >= 3  # organisations both importers meet, created once
    for table in expected:
        assert got[table] == expected[table], table


def child_pids(pid):
    """The processes whose parent is `pid` (from /proc: psutil is not a dependency)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def alive(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_killing_the_importer_ends_its_worker_processes(database_url, tmp_path):
    corpus = write_corpus(tmp_path / "big.jsonl", range(4000))
    importer = start_import(corpus, "--jobs", "2", database_url=database_url)
    try:
        deadline = time.monotonic() + 120
        workers = []
        while len(workers) < 2 and time.monotonic() < deadline and importer.poll() is None:
            time.sleep(0.2)
            workers = child_pids(importer.pid)
        assert len(workers) >= 2, "the importer never started its worker processes"
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=10)

        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = [pid for pid in workers if alive(pid)]
        for pid in survivors:  # do not leave them behind for the next test
            os.kill(pid, signal.SIGKILL)
        assert survivors == []
    finally:
        if importer.poll() is None:
            importer.kill()
        importer.communicate()
