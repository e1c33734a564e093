#!/usr/bin/env python3
"""Dev tool: run cleaning -> quotes -> attribution without Django and print predictions.

Reads JSONL (optionally .gz) articles {"id","title","published","source","url","text"} or plain
text files, and writes one JSON line per quote in the scorer's format:
  {"article_id", "text", "kind", "speaker": {"name","role","organisation","country"} | null}
Articles per second go to stderr.

  python3 scripts/extract_jsonl.py fixtures/*.txt > /tmp/seeds.pred.jsonl
  python3 scripts/extract_jsonl.py ../shared/eval/polnear-train/articles.jsonl > /tmp/polnear.pred.jsonl
  python3 scripts/extract_jsonl.py --limit 5000 --quiet ../shared/corpus/reuters-20k.jsonl.gz
"""

import argparse
import datetime
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from statements.ingest.actors import Gazetteer  # noqa: E402
from statements.ingest.attribution import attribute  # noqa: E402
from statements.ingest.cleaning import parse_article  # noqa: E402
from statements.ingest.quotes import find_quotes  # noqa: E402
from statements.ingest.records import RawArticle  # noqa: E402


def read_articles(paths: list[str], limit: int | None):
    count = 0
    for path in paths:
        if path.endswith((".jsonl", ".jsonl.gz")):
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    if not line.strip():
                        continue
                    record = json.loads(line)
                    published = record.get("published")
                    yield RawArticle(
                        external_id=str(record.get("id") or f"{path}:{number}"),
                        text=record.get("text") or "",
                        origin=f"{path}:{number}",
                        title=record.get("title"),
                        published=datetime.date.fromisoformat(published[:10]) if published else None,
                        source=record.get("source"),
                        url=record.get("url"),
                    )
                    count += 1
                    if limit and count >= limit:
                        return
        else:
            yield RawArticle(external_id=Path(path).name, text=Path(path).read_text(encoding="utf-8"), origin=path)
            count += 1
            if limit and count >= limit:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--quiet", action="store_true", help="do not print predictions (benchmarking)")
    args = parser.parse_args()

    gazetteer = Gazetteer.load()
    raws = list(read_articles(args.paths, args.limit))  # read first: time the pipeline, not gzip
    started, cpu_started = time.perf_counter(), time.process_time()
    quotes = 0
    out = sys.stdout
    for raw in raws:
        article = parse_article(raw)
        extracted = attribute(article, find_quotes(article.text), gazetteer)
        quotes += len(extracted)
        if args.quiet:
            continue
        for quote in extracted:
            speaker = None
            if quote.speaker:
                speaker = {
                    "name": quote.speaker.name,
                    "role": quote.speaker.role,
                    "organisation": quote.speaker.organisation,
                    "country": gazetteer.country_name(quote.speaker.country),
                    "unnamed": quote.speaker.is_unnamed,
                }
            out.write(json.dumps({"article_id": article.external_id, "text": quote.span.text,
                                  "kind": quote.span.kind, "speaker": speaker}, ensure_ascii=False) + "\n")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = len(raws) / elapsed if elapsed else float("inf")
    cpu_rate = len(raws) / cpu if cpu else float("inf")
    # CPU time as well: on a busy machine wall-clock rates say more about the neighbours
    print(f"{len(raws)} articles, {quotes} quotes in {elapsed:.2f}s: {rate:.0f} articles/s "
          f"({cpu_rate:.0f} per CPU second)", file=sys.stderr)


if __name__ == "__main__":
    main()
