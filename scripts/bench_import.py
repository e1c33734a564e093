"""Import benchmark: articles per second and peak memory of `import_articles` on a real corpus.

    .venv/bin/python scripts/bench_import.py [CORPUS] [--database-url URL] [--limit N] [--jobs N]

Imports CORPUS (default ../shared/corpus/reuters-20k.jsonl.gz) into a new, empty database (a
temporary SQLite file unless --database-url is given) through the normal command, in a child
process, and prints articles/s and the child's peak RSS.
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--database-url")
    parser.add_argument("--limit", type=int, help="import only the first N articles")
    parser.add_argument("--jobs", type=int, help="passed to import_articles (default: its own)")
    args = parser.parse_args()

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
        result = subprocess.run(
            [*manage, "import_articles", str(corpus), *(["--jobs", str(args.jobs)] if args.jobs else [])],
            env=env,
            capture_output=True,
            text=True,
        )
        elapsed = time.monotonic() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    print(result.stdout.strip())
    if result.returncode != 0:
        print(result.stderr.strip()[-3000:])
    summary = next((line for line in result.stdout.splitlines() if line.startswith("Articles:")), "")
    counts = [int(word) for word in summary.replace(",", " ").split() if word.isdigit()]
    articles = sum(counts[:3]) if counts else 0
    print(f"corpus: {args.corpus}" + (f" (first {args.limit})" if args.limit else ""))
    print(f"database: {env['DATABASE_URL'].split('://')[0]}")
    print(f"articles: {articles}  wall time: {elapsed:.1f} s (incl. process start)")
    print(f"throughput: {articles / elapsed:.0f} articles/s")
    print(f"peak RSS: {peak_kib / 1024:.0f} MB (the largest process: the importer or one of its workers)")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
