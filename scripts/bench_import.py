"""Import benchmark: articles per second and peak memory of `import_articles` on a real corpus.

    .venv/bin/python scripts/bench_import.py [CORPUS] [--database-url URL] [--limit N] [--jobs N]

Imports CORPUS (default ../shared/corpus/reuters-20k.jsonl.gz) into a new, empty database (a
temporary SQLite file unless --database-url is given) with the importer `import_articles` runs
(statements/ingest/importer.py), in a child process, and prints articles/s and the child's peak RSS.
"""

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "reuters-20k.jsonl.gz"


def limited_copy(corpus, limit, folder):
    """The first `limit` lines of the corpus, for a quicker run."""
    path = Path(folder) / f"first-{limit}.jsonl"
    opener = gzip.open if str(corpus).endswith(".gz") else open
    with opener(corpus, "rt", encoding="utf-8") as source, path.open("w", encoding="utf-8") as target:
        for i, line in enumerate(source):
            if i >= limit:
                break
            target.write(line)
    return path


def import_in_this_process(corpus, jobs):
    """The child: imports `corpus` and prints what the importer counted, as one JSON line."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from statements.ingest import sources
    from statements.ingest.importer import DEFAULT_JOBS, Importer

    run = Importer(jobs=jobs or DEFAULT_JOBS).run(sources.iter_articles([corpus]))
    counts = {**run.counts, **run.store.created, "articles": run.articles, "problems": run.problems[:20]}
    print(json.dumps(counts))
    return 0


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--database-url")
    parser.add_argument("--limit", type=int, help="import only the first N articles")
    parser.add_argument("--jobs", type=int, help="worker processes (default: import_articles' own)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return import_in_this_process(args.corpus, args.jobs)

    with tempfile.TemporaryDirectory() as folder:
        corpus = limited_copy(args.corpus, args.limit, folder) if args.limit else args.corpus
        env = {
            **os.environ,
            "DATABASE_URL": args.database_url or f"sqlite:///{folder}/bench.sqlite3",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only"),
            "DEBUG": "0",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)
        started = time.monotonic()
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(corpus), *jobs],
            env=env,
            capture_output=True,
            text=True,
        )
        elapsed = time.monotonic() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    if result.returncode != 0:
        print(result.stderr.strip()[-3000:])
        return result.returncode
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    articles = counts["articles"]
    print(
        f"Articles: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed. Quotes: {counts['quotes']}. Speakers: {counts['speakers']} new."
    )
    for problem in counts["problems"]:
        print(f"  skipped {problem}")
    print(f"corpus: {args.corpus}" + (f" (first {args.limit})" if args.limit else ""))
    print(f"database: {env['DATABASE_URL'].split('://')[0]}")
    print(f"articles: {articles}  wall time: {elapsed:.1f} s (incl. process start)")
    print(f"throughput: {articles / elapsed:.0f} articles/s")
    print(f"peak RSS: {peak_kib / 1024:.0f} MB (the largest process: the importer or one of its workers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
