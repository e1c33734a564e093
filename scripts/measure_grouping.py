"""How well the reports of one statement are grouped, against pairs found by brute force.

    .venv/bin/python scripts/measure_grouping.py [CORPUS] [--limit N] [--database FILE] [--keep FILE]
                                                 [--show N]

Imports CORPUS (default ../shared/corpus/reuters-20k.jsonl.gz) into a new SQLite database through
`manage.py import_articles` (or reads --database, an earlier import), then compares every pair of
quotes of the same speaker record said within 3 days of each other in different articles, with
words compared lower-cased, by runs of letters and digits (not grouping.py's own code):

- exact pairs: the same words, 8 or more; the share of them whose two quotes have one statement id
  (the export's `statement`: Quote.statement_key). Target >= 0.99.
- fragment pairs: a quote of 6 words or more of which 90% or more lie inside a longer quote (the
  words of the longest common subsequences difflib finds, in order); the share with one statement
  id. Target >= 0.90.
- among statements of 2 reports or more: impure, the share whose reports name different speakers
  (target <= 1%); incoherent, the share with a report that has less than half of its words (as a
  set) in the fullest report's (target <= 1%).
It also prints how many statements have several reports, and what share of quotes a list of one
card per statement leaves out; with --show N, N examples of each miss.
"""

import argparse
import datetime
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from measure_actors import DEFAULT_CORPUS, import_corpus, setup_django

WINDOW = datetime.timedelta(days=3)
EXACT_WORDS = 8
FRAGMENT_WORDS = 6
FRAGMENT_INSIDE = 0.9
TOKEN = re.compile(r"[^\W_]+")


def tokens(text):
    return TOKEN.findall(text.lower())


def inside(short, long):
    """Share of `short`'s words that lie, in order, inside `long` (difflib's matching blocks)."""
    bound = sum((Counter(short) & Counter(long)).values())  # no alignment can match more
    if bound < FRAGMENT_INSIDE * len(short):
        return bound / len(short)
    blocks = SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks) / len(short)


def brute_force_pairs(quotes):
    """(exact pairs, fragment pairs) of quote records, each a pair of pks."""
    by_speaker = defaultdict(list)
    for quote in quotes:
        if quote["speaker_id"] is not None and quote["said_on"] is not None:
            by_speaker[quote["speaker_id"]].append(quote)
    exact, fragments = [], []
    for said in by_speaker.values():
        said.sort(key=lambda quote: quote["said_on"])
        for i, a in enumerate(said):
            for b in said[i + 1 :]:
                if b["said_on"] - a["said_on"] > WINDOW:
                    break
                if a["article_id"] == b["article_id"]:
                    continue
                wa, wb = a["words"], b["words"]
                if wa == wb:
                    if len(wa) >= EXACT_WORDS:
                        exact.append((a["pk"], b["pk"]))
                    continue
                short, long = (wa, wb) if len(wa) < len(wb) else (wb, wa)
                if len(short) >= FRAGMENT_WORDS and len(long) > len(short):
                    if inside(short, long) >= FRAGMENT_INSIDE:
                        fragments.append((a["pk"], b["pk"]))
    return exact, fragments


def measure(show):
    from statements.models import Quote, Statement

    rows = Quote.objects.values_list("pk", "speaker_id", "said_on", "text", "article_id", "statement_id")
    quotes = {}
    for pk, speaker_id, said_on, text, article_id, statement_id in rows.iterator(chunk_size=20_000):
        quotes[pk] = {
            "pk": pk,
            "speaker_id": speaker_id,
            "said_on": said_on,
            "text": text,
            "words": tokens(text),
            "article_id": article_id,
            "statement": statement_id or pk,  # Quote.statement_key
        }
    exact, fragments = brute_force_pairs(quotes.values())
    print(f"quotes: {len(quotes):,}")
    for name, pairs, target in (("exact pairs", exact, 0.99), ("fragment pairs", fragments, 0.90)):
        together = [pair for pair in pairs if quotes[pair[0]]["statement"] == quotes[pair[1]]["statement"]]
        share = len(together) / len(pairs) if pairs else 1.0
        print(
            f"{name}: {len(pairs):,}, with one statement id: {len(together):,} = {share:.3f} (target >= {target})"
        )
        missed = [pair for pair in pairs if quotes[pair[0]]["statement"] != quotes[pair[1]]["statement"]]
        for a, b in missed[:show]:
            print(f"    missed: {quotes[a]['said_on']} {quotes[a]['text'][:110]!r}")
            print(f"        and {quotes[b]['said_on']} {quotes[b]['text'][:110]!r}")

    reports = defaultdict(list)
    for quote in quotes.values():
        reports[quote["statement"]].append(quote)
    grouped = {key: found for key, found in reports.items() if len(found) >= 2}
    impure = [key for key, found in grouped.items() if len({quote["speaker_id"] for quote in found}) > 1]
    incoherent = []
    for key, found in grouped.items():
        fullest = set(max(found, key=lambda quote: len(quote["words"]))["words"])
        for quote in found:
            own = set(quote["words"])
            if own and len(own & fullest) < 0.5 * len(own):
                incoherent.append(key)
                break
    n = len(grouped) or 1
    in_groups = sum(len(found) for found in grouped.values())
    print(
        f"statements of 2+ reports: {len(grouped):,} ({in_groups:,} reports; "
        f"Statement rows: {Statement.objects.count():,}); largest: {max(map(len, grouped.values()), default=0)} reports"
    )
    print(f"impure (reports of different speakers): {len(impure)} = {len(impure) / n:.2%} (target <= 1%)")
    print(
        "incoherent (a report sharing < half its words with the fullest): "
        f"{len(incoherent)} = {len(incoherent) / n:.2%} (target <= 1%)"
    )
    for key in incoherent[:show]:
        for quote in grouped[key]:
            print(f"    {key}: {quote['said_on']} {quote['text'][:110]!r}")
    hidden = Quote.objects.filter(is_primary_report=False).count()
    print(
        f"quotes a list of one card per statement leaves out: {hidden:,} = {hidden / max(len(quotes), 1):.2%}"
    )
    primaries = Counter(
        Quote.objects.filter(statement__isnull=False).values_list("is_primary_report", flat=True)
    )
    print(f"reports in statements: {primaries[True]:,} primary, {primaries[False]:,} other")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, help="import only the first N articles")
    parser.add_argument(
        "--database", help="measure this SQLite file (an earlier import) instead of importing"
    )
    parser.add_argument("--keep", help="import into this SQLite file and keep it (default: a temporary file)")
    parser.add_argument("--show", type=int, default=5, help="examples to print per miss (0: none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.database
        if not database:
            database = args.keep or str(Path(folder) / "measure.sqlite3")
            if os.path.exists(database):
                os.remove(database)
            import_corpus(args.corpus, args.limit, database)
        setup_django(database)
        measure(args.show)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
