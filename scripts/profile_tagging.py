"""What tagging costs in the import pipeline: cProfile over the first N articles of a corpus.

    .venv/bin/python scripts/profile_tagging.py [CORPUS] [--articles 800]

Runs statements.ingest.pipeline.process on each article (no database: reference data from
fixtures/reference) under cProfile and prints the pipeline's and tagging.annotate's cumulative
seconds, tagging's share, and the tagging functions that cost most. Then, without the profiler,
times tagging alone on the same extracted quotes (CPU seconds, best of three), which a busy machine
disturbs less. To compare with an older version, run it in a checkout of that version.
"""

import argparse
import copy
import cProfile
import itertools
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "reuters-20k.jsonl.gz"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--articles", type=int, default=800)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from statements.ingest import cleaning, pipeline, sources, tagging
    from statements.ingest.records import RawArticle

    folder = ROOT / "fixtures" / "reference"
    actors = json.loads((folder / "actors.json").read_text(encoding="utf-8"))
    reference = pipeline.Reference.from_dicts(
        actors["countries"],
        actors["organisations"],
        json.loads((folder / "topics.json").read_text(encoding="utf-8")),
        json.loads((folder / "events.json").read_text(encoding="utf-8")),
    )
    raws = [
        raw
        for raw in itertools.islice(sources.iter_articles([args.corpus]), args.articles)
        if isinstance(raw, RawArticle)
    ]

    profile = cProfile.Profile(time.process_time)  # CPU: other processes on the machine do not count
    profile.enable()
    for raw in raws:
        pipeline.process(raw, reference)
    profile.disable()
    stats = pstats.Stats(profile).stats
    process = next(v[3] for k, v in stats.items() if k[2] == "process" and k[0].endswith("pipeline.py"))
    annotate = next(v[3] for k, v in stats.items() if k[2] == "annotate" and k[0].endswith("tagging.py"))
    print(
        f"{len(raws)} articles under cProfile: pipeline {process:.2f} s, "
        f"tagging {annotate:.2f} s ({annotate / process:.0%})"
    )
    costly = sorted(
        ((v[3], k[2]) for k, v in stats.items() if k[0].endswith("tagging.py") and k[2] != "annotate"),
        reverse=True,
    )[:6]
    print("  " + ", ".join(f"{name} {seconds:.2f} s" for seconds, name in costly))

    extracted = []
    for raw in raws:
        article = cleaning.parse_article(raw)
        extracted.append((article, pipeline.extract(article, reference.gazetteer)))
    runs = []
    for _ in range(3):
        work = [(article, copy.deepcopy(quotes)) for article, quotes in extracted]
        started = time.process_time()
        for article, quotes in work:
            tagging.annotate(article, quotes, reference.rules)
        runs.append(time.process_time() - started)
    quotes = sum(len(quotes) for _, quotes in extracted)
    print(
        f"tagging alone, no profiler: {min(runs):.2f} s of CPU for {len(raws)} articles, {quotes} quotes (best of 3)"
    )


if __name__ == "__main__":
    main()
