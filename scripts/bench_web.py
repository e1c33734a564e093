"""Page and search latency at scale, on SQLite and PostgreSQL, side by side with Datasette.

    .venv/bin/python scripts/bench_web.py [--sizes 10000,100000,1000000] [--databases sqlite,postgresql]
                                          [--repeat 20] [--no-datasette]

For each database and size it builds (or reuses) a database under bench/ (SQLite) or
`newsdesk_bench_<size>` (PostgreSQL, at $BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432):
migrate, the sample articles and the Reuters corpus (../shared/corpus) through the normal importer,
then `generate_demo_data` (quotes built from the corpus's real sentences) up to the size. It serves the database with
gunicorn (one worker, so requests are timed one at a time through the real WSGI stack) and times each
URL `--repeat` times after a warm-up, printing p50 and p95 in milliseconds. On SQLite it also serves
the same file with Datasette (installed into its own virtualenv from requirements-bench.txt) and times
the equivalent table queries, printing the ratio Newsdesk/Datasette.
"""

import argparse
import datetime
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PYTHON = sys.executable
CORPUS = ROOT.parent / "shared" / "corpus" / "reuters-20k.jsonl.gz"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Names of the benchmark databases: bench/<prefix>-<size>.sqlite3 and <prefix>_bench_<size>
# (BENCH_PREFIX=newsdesk_h keeps one person's databases apart from another's on a shared machine).
PREFIX = os.environ.get("BENCH_PREFIX", "newsdesk")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "benchmark-only-secret",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, capture_output=capture, text=True
    )


def shell(env, code):
    return manage(env, "shell", "-c", code, capture=True).stdout.strip().splitlines()[-1]


def build(database, size, smaller=None):
    """The benchmark database of `size` quotes; a new one starts as a copy of the `smaller` one."""
    if database == "sqlite":
        BENCH.mkdir(exist_ok=True)
        path = BENCH / f"{PREFIX}-{size}.sqlite3"
        if smaller and not path.exists() and (BENCH / f"{PREFIX}-{smaller}.sqlite3").exists():
            with (
                sqlite3.connect(BENCH / f"{PREFIX}-{smaller}.sqlite3") as source,
                sqlite3.connect(path) as target,
            ):
                source.backup(target)
        url = f"sqlite:///{path}"
    else:
        name = f"{PREFIX}_bench_{size}"
        template = f" TEMPLATE {PREFIX}_bench_{smaller}" if smaller else ""
        created = subprocess.run(
            ["psql", f"{POSTGRES}/postgres", "-qc", f"CREATE DATABASE {name}{template}"], capture_output=True
        )
        if created.returncode and template:  # no smaller database to copy: start empty
            subprocess.run(
                ["psql", f"{POSTGRES}/postgres", "-qc", f"CREATE DATABASE {name}"], capture_output=True
            )
        url = f"{POSTGRES}/{name}"
    env = env_for(url)
    manage(env, "migrate", "-v", "0")
    have, corpus_articles = map(
        int,
        shell(
            env,
            (
                "from statements.models import Article, Quote; "
                "from statements.demo import DEMO_PREFIX; print(Quote.objects.count(), "
                "Article.objects.filter(source='Reuters').exclude(external_id__startswith=DEMO_PREFIX).count())"
            ),
        ).split(),
    )
    # Real articles first: their quotes are real, and demo quotes are built from their sentences.
    # (The corpus alone holds ~76,000 quotes: the smallest size is built from the samples only.)
    use_corpus = CORPUS.exists() and size >= 100_000 and not corpus_articles
    if have == 0 or use_corpus:
        sources = [str(ROOT / "fixtures")] + ([str(CORPUS)] if use_corpus else [])
        started = time.monotonic()
        subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), "import_articles", *sources], env=env, capture_output=True
        )
        print(f"  imported {', '.join(sources)} in {time.monotonic() - started:.0f} s")
        have = int(shell(env, "from statements.models import Quote; print(Quote.objects.count())"))
    if have < size:
        started = time.monotonic()
        manage(env, "generate_demo_data", "--quotes", str(size - have), capture=True)
        print(f"  built {size - have:,} quotes on {database} in {time.monotonic() - started:.0f} s")
    if database == "postgresql":
        subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
    else:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            db.execute("ANALYZE")
    return url, env


def start(command, env, port, ready_path):
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=5).read()
            return process
        except Exception:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"server did not start: {command}")


def timed(url, repeat):
    for _ in range(2):  # warm-up: caches, connections
        urllib.request.urlopen(url, timeout=120).read()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]


def parameters(env):
    """Real values to filter by, read from the database: the busiest speaker, country and so on."""
    code = """
from django.db.models import Count
from statements.models import *
top = Speaker.objects.order_by('-quote_count').first()
country = Country.objects.annotate(n=Count('speakers__quotes')).order_by('-n').first()
org = Organisation.objects.annotate(n=Count('speakers__quotes')).order_by('-n').first()
topic = Topic.objects.annotate(n=Count('quotes')).order_by('-n').first()
event = Event.objects.annotate(n=Count('quotes')).order_by('-n').first()
total = Quote.objects.count()
# a window of days holding about 10,000 quotes, for the export
days = max(1, int(3652 * 10000 / max(total, 1)))
print('|'.join(map(str, [top.slug, top.pk, top.name.split()[-1], country.code, country.pk, org.slug, org.pk,
      topic.slug, topic.pk, event.slug, event.pk, days])))
"""
    keys = (
        "speaker speaker_id surname country country_id organisation organisation_id "
        "topic topic_id event event_id days"
    ).split()
    return dict(zip(keys, shell(env, code).split("|")))


def export_end(p):
    """The last day of the export's window: from 2012-01-01, about 10,000 quotes."""
    return (datetime.date(2012, 1, 1) + datetime.timedelta(days=int(p["days"]))).isoformat()


def newsdesk_urls(p):
    return [
        ("list, unfiltered", "/quotes/"),
        ("filter speaker", f"/quotes/?speaker={p['speaker']}"),
        ("filter organisation", f"/quotes/?organisation={p['organisation']}"),
        ("filter country", f"/quotes/?country={p['country']}"),
        ("filter topic", f"/quotes/?topic={p['topic']}"),
        ("filter event", f"/quotes/?event={p['event']}"),
        ("filter source", "/quotes/?source=Reuters"),
        ("filter date range", "/quotes/?said_after=2012-01-01&said_before=2012-12-31"),
        (
            "country+topic+dates",
            f"/quotes/?country={p['country']}&topic={p['topic']}&said_after=2010-01-01&said_before=2014-12-31",
        ),
        ("text search", "/quotes/?q=ceasefire"),
        ("common-word search", "/quotes/?q=government"),
        ("search + filters", f"/quotes/?q=dialogue&country={p['country']}&said_after=2009-01-01"),
        ("deep page", "/quotes/?page=300"),
        ("speaker page", f"/speakers/{p['speaker']}/"),
        ("event page", f"/events/{p['event']}/"),
        ("speaker-name search", f"/speakers/?q={p['surname'].lower()}"),
        ("CSV export ~10k rows", f"/quotes/?format=csv&said_after=2012-01-01&said_before={export_end(p)}"),
    ]


def datasette_urls(p):
    def where(sql):
        return "_where=" + urllib.parse.quote(sql)

    base = "/db/statements_quote?_sort_desc=said_on&_size=25"
    facets = "&_facet=speaker_id&_facet=kind&_facet=article_id"
    by_speaker = "speaker_id in (select id from statements_speaker where {}={})"
    organisation = where(by_speaker.format("organisation_id", p["organisation_id"]))
    country = where(by_speaker.format("country_id", p["country_id"]))
    topic = where(
        "id in (select quote_id from statements_quote_topics where topic_id={})".format(p["topic_id"])
    )
    event = where(
        "id in (select quote_id from statements_quoteevent where event_id={})".format(p["event_id"])
    )
    return {
        "list, unfiltered": base + facets,
        "filter speaker": f"{base}&speaker_id={p['speaker_id']}{facets}",
        "filter organisation": f"{base}&{organisation}{facets}",
        "filter country": f"{base}&{country}{facets}",
        "filter topic": f"{base}&{topic}{facets}",
        "filter event": f"{base}&{event}{facets}",
        "filter date range": f"{base}&said_on__gte=2012-01-01&said_on__lte=2012-12-31{facets}",
        "text search": f"/db/statements_quote?_search=ceasefire&_size=25{facets}",
        "common-word search": f"/db/statements_quote?_search=government&_size=25{facets}",
        "deep page": f"{base}&_next=" + urllib.parse.quote("2010-01-01,1"),
        # every matching row streamed as CSV, foreign keys expanded to their labels
        "CSV export ~10k rows": f"/db/statements_quote.csv?said_on__gte=2012-01-01&said_on__lte={export_end(p)}"
        "&_stream=on&_labels=on&_sort=id",
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-datasette", action="store_true")
    args = parser.parse_args()

    manage(env_for("sqlite:///:memory:"), "collectstatic", "--noinput", "-v", "0")
    datasette = None if args.no_datasette else install_datasette()
    for database in args.databases.split(","):
        smaller = None
        for size in sorted(int(s) for s in args.sizes.split(",")):
            print(f"\n== {database}, {size:,} quotes ==")
            url, env = build(database, size, smaller)
            smaller = size
            p = parameters(env)
            port = free_port()
            # Newsdesk first, then Datasette, never both at once: Datasette goes on working (counts,
            # facet suggestions) after a response, which would slow whatever is timed next.
            server = start(
                [
                    str(Path(PYTHON).parent / "gunicorn"),
                    "newsdesk.wsgi",
                    "--workers",
                    "1",
                    "--timeout",
                    "300",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--chdir",
                    str(ROOT),
                ],
                env,
                port,
                "/healthz",
            )
            try:
                ours = {
                    label: timed(f"http://127.0.0.1:{port}{path}", args.repeat)
                    for label, path in newsdesk_urls(p)
                }
            finally:
                server.terminate()
                server.wait()
            theirs = {}
            if datasette and database == "sqlite":
                ds_port = free_port()
                path = url.removeprefix("sqlite:///")
                ds_server = start(
                    [
                        datasette,
                        "serve",
                        path,
                        "--port",
                        str(ds_port),
                        "--setting",
                        "sql_time_limit_ms",
                        "20000",
                        "--setting",
                        "facet_time_limit_ms",
                        "20000",
                    ],
                    {**os.environ},
                    ds_port,
                    "/-/versions.json",
                )
                ds_db = Path(path).stem  # Datasette names the database after the file
                try:
                    for label, ds_path in datasette_urls(p).items():
                        ds_path = ds_path.replace("/db/", f"/{ds_db}/", 1)
                        theirs[label] = timed(
                            f"http://127.0.0.1:{ds_port}{ds_path}", max(5, args.repeat // 2)
                        )[0]
                finally:
                    ds_server.terminate()
                    ds_server.wait()
            print(
                f"{'URL':<24}{'p50 ms':>9}{'p95 ms':>9}"
                + (f"{'Datasette p50':>15}{'ratio':>8}" if theirs else "")
            )
            for label, (p50, p95) in ours.items():
                line = f"{label:<24}{p50:>9.1f}{p95:>9.1f}"
                if label in theirs:
                    line += f"{theirs[label]:>15.1f}{p50 / theirs[label]:>8.2f}"
                print(line, flush=True)


def install_datasette():
    """Datasette in its own virtualenv: a benchmark-only dependency, kept out of the app's."""
    venv = BENCH / ".venv-datasette"
    binary = venv / "bin" / "datasette"
    if not binary.exists():
        BENCH.mkdir(exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "-r", str(ROOT / "requirements-bench.txt")],
            check=True,
        )
    return str(binary)


if __name__ == "__main__":
    main()
