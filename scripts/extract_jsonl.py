#!/usr/bin/env python3
"""Dev tool: run cleaning -> quotes -> attribution -> reported speech (no database) and print predictions.

Reads articles as `import_articles` does (statements/ingest/sources.py: JSONL, optionally .gz, text
files, directories, globs) and writes one JSON line per quote, the record `export_quotes --format
jsonl` writes (statements/export.py); the scorer reads it. Its id, url and status are null and its
topics and events empty: they come with saving and tagging. Articles per second go to stderr.

  python3 scripts/extract_jsonl.py fixtures/*.txt > /tmp/seeds.pred.jsonl
  python3 scripts/extract_jsonl.py ../shared/eval/polnear-train/articles.jsonl > /tmp/polnear.pred.jsonl
  python3 scripts/extract_jsonl.py --limit 5000 --quiet ../shared/corpus/reuters-20k.jsonl.gz
  python3 scripts/extract_jsonl.py ../shared/briefings > /tmp/briefings.pred.jsonl
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django  # noqa: E402

django.setup()  # export.py reads the models' module; no query is made

from statements.export import extracted_record  # noqa: E402
from statements.ingest import sources  # noqa: E402
from statements.ingest.actors import Gazetteer  # noqa: E402
from statements.ingest.cleaning import parse_article  # noqa: E402
from statements.ingest.pipeline import extract, read_primary_source  # noqa: E402
from statements.ingest.records import SourceProblem  # noqa: E402
from statements.ingest.transcripts import NEWS, document_kind  # noqa: E402

OFFICE_HOLDERS = Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "office_holders.json"


def read_articles(paths, limit):
    """The first `limit` articles under `paths`; inputs that are not articles are reported on stderr."""
    articles = []
    for item in sources.iter_articles(paths):
        if isinstance(item, SourceProblem):
            print(f"skipped {item.origin}: {item.reason}", file=sys.stderr)
        else:
            articles.append(item)
            if limit and len(articles) >= limit:
                break
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--quiet", action="store_true", help="do not print predictions (benchmarking)")
    args = parser.parse_args()

    gazetteer = Gazetteer.load()
    office_holders = json.loads(OFFICE_HOLDERS.read_text(encoding="utf-8"))
    raws = list(read_articles(args.paths, args.limit))  # read first: time the pipeline, not gzip
    started, cpu_started = time.perf_counter(), time.process_time()
    quotes = 0
    out = sys.stdout
    for raw in raws:
        article = parse_article(raw)
        article.kind = document_kind(article)
        if article.kind == NEWS:
            extracted = extract(article, gazetteer)
        else:  # a briefing transcript, statement or readout: read by its shape
            extracted = read_primary_source(article, gazetteer, office_holders)
        quotes += len(extracted)
        if args.quiet:
            continue
        for quote in extracted:
            record = extracted_record(article, quote, gazetteer.country_name)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = len(raws) / elapsed if elapsed else float("inf")
    cpu_rate = len(raws) / cpu if cpu else float("inf")
    # CPU time as well: on a busy machine wall-clock rates say more about the neighbours
    print(
        f"{len(raws)} articles, {quotes} quotes in {elapsed:.2f}s: {rate:.0f} articles/s "
        f"({cpu_rate:.0f} per CPU second)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
