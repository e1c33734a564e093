"""How far topic tags can be trusted: precision and recall on hand labels, and coverage.

    .venv/bin/python scripts/measure_topics.py [CORPUS] [--database FILE] [--retag] [--labels FILE]
    .venv/bin/python scripts/measure_topics.py --database FILE --show-sample   # for labelling
    .venv/bin/python scripts/measure_topics.py --database FILE --draw SEED --size N   # a new sample
    .venv/bin/python scripts/measure_topics.py --database FILE --review errors [--split tuning]

Imports CORPUS (default ../shared/corpus/reuters-20k.jsonl.gz) and the White House briefings
(--briefings, default ../shared/briefings) into a new SQLite database through `manage.py
import_articles`, as a user would (or reads --database, an existing import; --retag first
re-applies the topic rules of fixtures/reference/topics.json: `manage.py load_reference
--update-topic-rules`, then `manage.py retag`), then prints:

- precision and recall of the quotes' topics against scripts/data/topic_labels.jsonl: random
  samples of the quotes that a labelling agent (an AI assistant) read and labelled with the topics
  each is about, from the quote's words and its sentence (the article only to tell what "it" is).
  Its splits, Reuters first (drawn from an import of the corpus alone):
  - tuning: 320 quotes (--draw SAMPLE_SEED), which the rules were adjusted on;
  - heldout: 170 quotes (--draw 2127), labelled before any rule changed;
  - training: 14,800 quotes (--draw 3001 --size 2000, --draw 3003 --size 3500, the first 4,800
    of --draw 3004 --size 5600 and the first 4,500 of --draw 3005 --size 5000, each leaving out
    the quotes labelled before it);
  - rare: 300 quotes that the rules of 2026-11-30 tagged with a topic outside the economy and
    business, to give the model examples of the rarer topics (and of the rules' mistakes there);
  - heldout-2: the last 800 of --draw 3004; heldout-3: the last 500 of --draw 3005.
  Then the briefings' (every quote of an import of ../shared/briefings alone: --draw 4001, 4002
  and 4003), split by briefing so that no held-out quote shares a document with a trained-on one:
  - briefings-training: 3,149 quotes from 51 of the 70 documents;
  - briefings-heldout: 2,211 quotes from the other 19.
  The topic model (scripts/train_topics.py) is trained on tuning, training, rare and
  briefings-training; the held-out splits say how tagging does on quotes nothing was fitted to,
  and come first, the news agency's, then the briefings'.
  A tag counts as right only when it is the labelled topic itself; a parent topic where the label
  is one of its children, or the reverse, is wrong. Then "topics or their area": a tag is also
  right when it is the broad area of a labelled topic, and a label also found when one of its own
  topics is tagged (print_scores_by_area). The same figures at the level of the seven top-level
  topics follow (a tag and a label under one parent agree there);
- coverage: the share of each source's quotes with at least one topic, and the quotes per topic.

The labels file holds the article's id, the quote's offsets and the labels, never the text: the
corpus belongs to its publisher. --show-sample and --draw print quotes in context for labelling,
and --review the labelled quotes with their tags and labels (to the terminal only).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench_import import limited_copy

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_CORPUS = SHARED / "corpus" / "reuters-20k.jsonl.gz"
DEFAULT_BRIEFINGS = SHARED / "briefings"
DEFAULT_LABELS = ROOT / "scripts" / "data" / "topic_labels.jsonl"
SAMPLE_SEED = 21
# The splits nothing was trained or tuned on: Reuters quotes, then the briefings' (whole briefings
# held out, so that no held-out quote shares an article with a trained-on one).
HELD_OUT = ("heldout", "heldout-2", "heldout-3")
BRIEFINGS_HELD_OUT = ("briefings-heldout",)
SAMPLE_SIZE = 320
CONTEXT_CHARS = 220


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--database", help="an existing import to read instead of importing CORPUS")
    parser.add_argument("--keep", help="import into this file (kept) instead of a temporary one")
    parser.add_argument(
        "--briefings",
        default=str(DEFAULT_BRIEFINGS),
        help="the White House briefings, imported beside CORPUS (their labels are split briefings-*)",
    )
    parser.add_argument("--limit", type=int, help="import only the first N articles")
    parser.add_argument(
        "--retag",
        action="store_true",
        help="re-apply the file's topic rules to --database first (load_reference, retag)",
    )
    parser.add_argument("--labels", default=str(DEFAULT_LABELS))
    parser.add_argument(
        "--show-sample", action="store_true", help="print the sample in context, for labelling"
    )
    parser.add_argument("--errors", action="store_true", help="list the sample's wrong and missed tags")
    parser.add_argument(
        "--review",
        choices=["errors", "all"],
        help="print the labelled quotes in context with their tags and labels (to the terminal only)",
    )
    parser.add_argument(
        "--split", help="only the labels of this split (tuning, heldout, training, rare, heldout-2, ...)"
    )
    parser.add_argument(
        "--draw",
        type=int,
        metavar="SEED",
        help="print a new sample drawn with SEED, leaving out quotes already labelled, for labelling",
    )
    parser.add_argument("--size", type=int, default=SAMPLE_SIZE, help="how many quotes --draw draws")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        database = args.database or args.keep or str(Path(folder) / "topics.sqlite3")
        if not args.database:
            import_corpus(args.corpus, args.limit, database, args.briefings)
        elif args.retag:
            run_manage(database, "migrate", "-v", "0")
            # The database keeps the rules it was imported with; measure the file's.
            run_manage(database, "load_reference", "--update-topic-rules", quiet=True)
            started = time.monotonic()
            run_manage(database, "retag", quiet=True)
            print(f"retag wall time: {time.monotonic() - started:.1f} s")
        setup_django(database)
        if args.show_sample:
            show_sample(sample_keys())
            return
        labels = read_labels(Path(args.labels))
        if args.draw is not None:
            labelled = {(item["article"], item["start"], item["end"]) for item in labels}
            show_sample(sample_keys(args.draw, args.size, leave_out=labelled))
            return
        if args.review:
            review(select(labels, args.split), args.review == "all")
            return
        if args.split:
            report(select(labels, args.split), args.errors, args.split)
            return
        held_out = [item for item in labels if split_of(item) in HELD_OUT]
        report(held_out, args.errors, "held out: " + " + ".join(HELD_OUT), coverage="Reuters")
        held_out = [item for item in labels if split_of(item) in BRIEFINGS_HELD_OUT]
        print("\n-- White House briefings --")
        report(held_out, args.errors, "held out: " + " + ".join(BRIEFINGS_HELD_OUT), coverage="White House")
        for split in sorted({split_of(item) for item in labels}):
            trained = "" if split in HELD_OUT + BRIEFINGS_HELD_OUT else ", trained on"
            print(f"\n-- {split} split{trained} --")
            report(select(labels, split), False, split, coverage=None)


def django_env(database):
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "measure-only", "DEBUG": "0"}


def run_manage(database, *command, quiet=False):
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=django_env(database),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-3000:])
        raise SystemExit(f"{command[0]} failed")
    return "" if quiet else result.stdout


def import_corpus(corpus, limit, database, briefings):
    run_manage(database, "migrate", "-v", "0")
    with tempfile.TemporaryDirectory() as folder:
        if limit:
            corpus = limited_copy(corpus, limit, folder)
        started = time.monotonic()
        output = run_manage(database, "import_articles", str(corpus))
        elapsed = time.monotonic() - started
    summary = next((line for line in output.splitlines() if line.startswith("Articles:")), "")
    print(summary)
    print(f"import wall time: {elapsed:.1f} s")
    if Path(briefings).is_dir():
        output = run_manage(database, "import_articles", str(briefings))
        summary = next((line for line in output.splitlines() if line.startswith("Articles:")), "")
        print(f"briefings: {summary}")


def setup_django(database):
    os.environ.update(django_env(database))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def sample_keys(seed=SAMPLE_SEED, size=SAMPLE_SIZE, leave_out=frozenset()):
    """A sample: `size` quotes drawn at random (fixed seed) from every quote, by position. The
    tuning split is SAMPLE_SIZE quotes with SAMPLE_SEED; a held-out split uses another seed and
    leaves out the quotes already labelled."""
    from statements.models import Quote

    keys = sorted(Quote.objects.values_list("article__external_id", "start", "end"))
    keys = [key for key in keys if key not in leave_out]
    return random.Random(seed).sample(keys, min(size, len(keys)))


def in_context(quote):
    """The quote between [[ ]] with CONTEXT_CHARS either side, on one line."""
    body, start, end = quote.article.body, quote.start, quote.end
    before = body[max(0, start - CONTEXT_CHARS) : start].replace("\n", " ")
    after = body[end : end + CONTEXT_CHARS].replace("\n", " ")
    return f"TITLE: {quote.article.title}\n...{before}[[{body[start:end]}]]{after}..."


def show_sample(keys):
    from statements.models import Quote, Topic

    print("topics:", ", ".join(Topic.objects.order_by("slug").values_list("slug", flat=True)))
    for number, (article_id, start, end) in enumerate(keys):
        quote = Quote.objects.select_related("article").get(
            article__external_id=article_id, start=start, end=end
        )
        print(f"\n#{number} {json.dumps({'article': article_id, 'start': start, 'end': end})}")
        print(in_context(quote))  # not its tags: they would sway the labeller


def read_labels(path):
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def split_of(item):
    return item.get("split", "tuning")


def select(labels, split):
    return [item for item in labels if split is None or split_of(item) == split]


def labelled_quotes(labels):
    """(label item, quote or None) for each label."""
    from statements.models import Quote

    found = {
        (quote.article.external_id, quote.start, quote.end): quote
        for quote in Quote.objects.filter(article__external_id__in={item["article"] for item in labels})
        .select_related("article")
        .prefetch_related("topics")
    }
    return [(item, found.get((item["article"], item["start"], item["end"]))) for item in labels]


def review(labels, everything):
    """Each labelled quote (or each one whose tags differ from its labels) in context."""
    for number, (item, quote) in enumerate(labelled_quotes(labels)):
        if quote is None:
            continue
        gold, tagged = set(item["topics"]), {topic.slug for topic in quote.topics.all()}
        if gold == tagged and not everything:
            continue
        print(f"\n#{number} {item['article']} {item['start']} {split_of(item)}")
        print(in_context(quote))
        print(f"LABELS: {sorted(gold)}  TAGS: {sorted(tagged)}", end="")
        if gold != tagged:
            print(f"  wrong {sorted(tagged - gold)} missed {sorted(gold - tagged)}", end="")
        print()


def report(labels, show_errors, name, coverage=None):
    """Scores of the tags on `labels`; then, with `coverage` (an article source), the share of that
    source's quotes with a topic and the quotes per topic."""
    from django.db.models import Count

    from statements.models import Quote, Topic

    parents = dict(Topic.objects.values_list("slug", "parent__slug"))
    pairs = []  # (label item, labelled topics, tagged topics)
    missing = 0
    for item, quote in labelled_quotes(labels):
        if quote is None:
            missing += 1
            continue
        pairs.append((item, set(item["topics"]), {topic.slug for topic in quote.topics.all()}))
    print(f"labelled sample ({name}): {len(labels)} quotes ({missing} no longer extracted, left out)")
    print(f"  with a labelled topic: {sum(1 for _, gold, _ in pairs if gold)}")
    print_scores("topics", [(gold, tagged) for _, gold, tagged in pairs])

    print_scores_by_area([(gold, tagged) for _, gold, tagged in pairs], parents)

    def root(slug):
        return parents.get(slug) or slug

    print_scores(
        "top-level topics",
        [({root(s) for s in gold}, {root(s) for s in tagged}) for _, gold, tagged in pairs],
    )
    if show_errors:
        for item, gold, tagged in pairs:
            if gold != tagged:
                print(
                    f"  {item['article']} {item['start']}: wrong {sorted(tagged - gold)} missed {sorted(gold - tagged)}"
                )
    if not coverage:
        return

    quotes = Quote.objects.filter(article__source=coverage)
    total = quotes.count()
    tagged = quotes.filter(topics__isnull=False).values("pk").distinct().count()
    print(f"coverage: {tagged:,} of {total:,} {coverage} quotes have a topic ({tagged / max(total, 1):.1%})")
    links = (
        Quote.topics.through.objects.filter(quote__article__source=coverage)
        .values("topic__slug")
        .annotate(count=Count("pk"))
    )
    counts = Counter({row["topic__slug"]: row["count"] for row in links})
    for slug, count in counts.most_common():
        print(f"  {slug}: {count:,}")


def tag_scores(pairs, parents):
    """Precision and recall of (labelled topics, tagged topics) pairs: strict (a tag is right only
    when it is a labelled topic), and by area, as a reader filtering by topic meets them: a tag is
    also right when it is the broad area of a labelled topic ("Business and markets" on a quote
    labelled "Company results": the quote is about business, less precisely said), and a label
    also found when one of its own topics is tagged (filtering by the area finds the quote)."""
    right = tags = labels = right_by_area = found_by_area = 0
    for gold, tagged in pairs:
        right += len(gold & tagged)
        tags += len(tagged)
        labels += len(gold)
        right_by_area += sum(1 for tag in tagged if tag in gold or any(parents.get(g) == tag for g in gold))
        found_by_area += sum(1 for g in gold if g in tagged or any(parents.get(tag) == g for tag in tagged))
    return {
        "precision": right / tags if tags else 0.0,
        "recall": right / labels if labels else 0.0,
        "precision_by_area": right_by_area / tags if tags else 0.0,
        "recall_by_area": found_by_area / labels if labels else 0.0,
        "right": right,
        "right_by_area": right_by_area,
        "found_by_area": found_by_area,
        "tags": tags,
        "labels": labels,
    }


def print_scores_by_area(pairs, parents):
    result = tag_scores(pairs, parents)
    print(
        f"topics or their area: precision {result['precision_by_area']:.3f} "
        f"({result['right_by_area']}/{result['tags']} tags right), recall {result['recall_by_area']:.3f} "
        f"({result['found_by_area']}/{result['labels']} labels found)"
    )


def print_scores(name, pairs):
    result = tag_scores(pairs, {})
    print(
        f"{name}: precision {result['precision']:.3f} ({result['right']}/{result['tags']} tags right), "
        f"recall {result['recall']:.3f} ({result['right']}/{result['labels']} labels found)"
    )


if __name__ == "__main__":
    main()
