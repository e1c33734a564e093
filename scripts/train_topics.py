"""Trains the topic model (statements/ingest/topic_model.py) on the hand-labelled quotes.

    .venv/bin/python scripts/train_topics.py --database FILE [--write] [--folds 5]

FILE is an import of the Reuters corpus and the White House briefings (`scripts/measure_topics.py
--keep FILE` makes one), which holds the labelled quotes' articles: scripts/data/topic_labels.jsonl
gives only their ids, offsets and labels. Needs scikit-learn: `.venv/bin/pip install -r
requirements-train.txt`. Takes about 8 minutes.

Trains on every label except the held-out splits, which it never sees. It prints precision and
recall of out-of-fold predictions on the training labels (each quote predicted by a model trained
on the other folds) for a range of thresholds, and keeps those that fall least short of the
targets; then which topics it leaves to their rules, and for which it keeps the rules' tags too
(both decided out of fold); then the final model's figures on the held-out splits, the news
agency's and the briefings'. With --write, it saves the final model to
fixtures/reference/topic_model.json. The features are tagging.quote_features of each quote as the
rules alone tag it, so training and tagging read quotes the same way.
"""

import argparse
import dataclasses
import functools
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from measure_topics import BRIEFINGS_HELD_OUT, HELD_OUT, tag_scores  # noqa: E402

from statements.ingest.topic_model import FORMAT, NO_TOPIC, TopicModel  # noqa: E402

LABELS = ROOT / "scripts" / "data" / "topic_labels.jsonl"
# A topic needs this many labelled quotes to be learnt; rarer ones are left to the rules.
MIN_POSITIVES = 40
# A feature needs to occur in this many training quotes to get a weight.
MIN_FEATURE_COUNT = 3
# Inverse regularisation strength (scikit-learn's C), chosen by cross-validation.
C = 16.0
# How much each group of features (tagging.quote_features: "c:" the sentences next to the quote,
# "f:" those beyond, "t:" the title, "a:" the article's opening) counts, before a quote's features
# are normalised: the farther from the quote, the less a word says of it. Chosen by cross-validation
# (log loss and recall out of fold); a group not listed ("q:", "n:", "sp:", the rules') counts 1.
GROUP_WEIGHTS = {"c": 0.7, "f": 0.5, "t": 0.7, "a": 0.7}
# The targets: the share of tags that are right, and of labels that are found, both counted
# "by area" (measure_topics.tag_scores). The thresholds saved are those whose out-of-fold figures
# fall least short of both: a precision bought with half the recall leaves a topic filter missing
# half its quotes, which a researcher cannot see and so cannot allow for.
TARGET_PRECISION = 0.90
TARGET_RECALL = 0.80
# Weights smaller than this are dropped from the saved model (keeps it small and tagging fast).
PRUNE_BELOW = 0.1


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True)
    parser.add_argument("--labels", default=str(LABELS))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    setup_django(args.database)
    labels = [json.loads(line) for line in Path(args.labels).read_text(encoding="utf-8").splitlines() if line]
    features = read_features(labels)
    rows = [(item, features[key(item)]) for item in labels if key(item) in features]
    print(f"labels: {len(labels)}, of quotes still extracted: {len(rows)}")
    training = [(item, f) for item, f in rows if item.get("split") not in HELD_OUT + BRIEFINGS_HELD_OUT]

    counts = Counter(topic for item, _ in training for topic in item["topics"])
    # The seeds' topics are never learnt ("left_to_rules" in topics.json): their rules were written
    # and checked against the seeds' hand labels (tests/test_tagging.py), which file every quote of
    # a Moscow-Washington exchange under their relations, where our labels file only the quotes
    # about the relations themselves; the model would take them away from those quotes.
    ruled = {item["slug"] for item in reference_topics() if item.get("left_to_rules")}
    print(f"left to the rules by the taxonomy: {', '.join(sorted(ruled))}")
    topics = sorted(topic for topic, count in counts.items() if count >= MIN_POSITIVES and topic not in ruled)
    print(f"topics with {MIN_POSITIVES} labels or more ({len(topics)}): ", end="")
    print(", ".join(f"{t} {counts[t]}" for t in topics))
    print("left to the rules, too few labels: ", end="")
    print(", ".join(f"{t} {c}" for t, c in sorted(counts.items()) if t not in topics and t not in ruled))

    chosen, predictions = choose_thresholds(training, topics, args.c, args.folds)
    # The model decides a topic only where it finds it better than the topic's rules do, out of
    # fold: a topic whose labels are too few or too mixed for the model to do better (human rights,
    # protests) stays with its rules. Then it is trained again without them.
    f1s = per_topic_f1(training, predictions, chosen, topics)
    worse = [topic for topic, (model_f1, rules_f1, _) in f1s.items() if model_f1 <= rules_f1]
    if worse:
        topics = [topic for topic in topics if topic not in worse]
        print(f"\nleft to the rules, which find them better out of fold: {', '.join(worse)}")
        chosen, predictions = choose_thresholds(training, topics, args.c, args.folds)
        f1s = per_topic_f1(training, predictions, chosen, topics)

    # And where the model learnt a topic, its rules may still find quotes it misses (sanctions or
    # Ukraine in the news, whose labels come mostly from the briefings): their tags are kept beside
    # the model's where the two together do better out of fold.
    rules_too = [topic for topic, (model_f1, _, both_f1) in f1s.items() if both_f1 > model_f1]
    print(f"\nthe rules' tags kept beside the model's, better together out of fold: {', '.join(rules_too)}")

    data = fit(training, topics, args.c)
    data["thresholds"] = chosen._asdict()
    data["rules_too"] = rules_too
    model = TopicModel.from_dict(data)
    for splits in (HELD_OUT, BRIEFINGS_HELD_OUT):
        pairs = [
            (set(item["topics"]), set(model.decide(f))) for item, f in rows if item.get("split") in splits
        ]
        result = tag_scores(pairs, parents())
        print(f"\nheld out ({' + '.join(splits)}, {len(pairs)} quotes), the model alone: {show(result)}")

    if args.write:
        out = ROOT / "fixtures" / "reference" / "topic_model.json"
        out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"\nwrote {out} ({out.stat().st_size:,} bytes, {len(data['features']):,} features)")


def choose_thresholds(training, topics, c, folds):
    """Out-of-fold predictions for `topics`, and the thresholds that fall least short of the
    targets on them (printed with a range of others)."""
    predictions = cross_validated(training, topics, c, folds)
    results = [(thresholds, scores(training, predictions, thresholds)) for thresholds in GRID]
    chosen, result = min(results, key=lambda item: shortfall(item[1]))
    print(
        f"\nout of fold on the training labels ({len(training)} quotes, {folds} folds, {len(topics)} topics):"
    )
    for thresholds, measured_here in sorted(results, key=lambda item: -item[1]["recall"])[
        :: max(1, len(results) // 12)
    ]:
        print(f"  {tuple(thresholds)}: {show(measured_here)}")
    print(f"chosen {chosen}: {show(result)}")
    return chosen, predictions


def per_topic_f1(rows, predictions, thresholds, topics):
    """{topic: F1 of the model, of the rules, of both together} on `rows`, the model's out of fold;
    the rules' verdict is among each quote's features ("r:", tagging.quote_features)."""
    counts = {topic: Counter() for topic in topics}
    for (item, features), (model, probabilities) in zip(rows, predictions):
        labelled = set(item["topics"])
        by_model = set(TopicModel.decide_from(model.classes, model.areas, probabilities, *thresholds))
        by_rules = {feature[2:] for feature in features if feature.startswith("r:")}
        for topic in topics:
            for name, found in (("model", by_model), ("rules", by_rules), ("both", by_model | by_rules)):
                counts[topic][name + " right"] += topic in found and topic in labelled
                counts[topic][name] += topic in found
            counts[topic]["labelled"] += topic in labelled

    def f1(count, name):
        return 2 * count[name + " right"] / max(1, count[name] + count["labelled"])

    return {
        topic: (f1(count, "model"), f1(count, "rules"), f1(count, "both")) for topic, count in counts.items()
    }


def setup_django(database):
    os.environ.update({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "train-only", "DEBUG": "0"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def key(item):
    return (item["article"], item["start"], item["end"])


def read_features(labels):
    """{(article id, start, end): the model's features of that quote}, as the rules alone tag it,
    its speaker as the import read them (retag.Speakers: an import made before migration 0018
    gives the records' organisations instead, which the import did not read)."""
    from statements.batching import batched
    from statements.ingest import tagging
    from statements.models import Article, Quote
    from statements.reference import reference_for_extraction
    from statements.retag import ARTICLE_FIELDS, QUOTE_FIELDS, Speakers, as_extracted, as_parsed

    rules = dataclasses.replace(reference_for_extraction().rules, model=None)
    wanted = defaultdict(set)
    for item in labels:
        wanted[item["article"]].add((item["start"], item["end"]))
    speakers = Speakers()
    found = {}
    for chunk in batched(sorted(wanted), 500):
        articles = list(Article.objects.filter(external_id__in=chunk).values(*ARTICLE_FIELDS))
        quotes_of = defaultdict(list)
        for quote in Quote.objects.filter(article_id__in=[a["pk"] for a in articles]).values(*QUOTE_FIELDS):
            quotes_of[quote["article_id"]].append(quote)
        speakers.load(quote["speaker_id"] for quotes in quotes_of.values() for quote in quotes)
        for article in articles:
            quotes = sorted(quotes_of[article["pk"]], key=lambda q: q["start"])
            read = []
            tagging.annotate(
                as_parsed(article), [as_extracted(q, speakers) for q in quotes], rules, features=read
            )
            for quote, quote_features in read:
                span = (quote.span.start, quote.span.end)
                if span in wanted[article["external_id"]]:
                    found[(article["external_id"], *span)] = quote_features
    return found


def make_vocabulary(feature_lists):
    counts = Counter(feature for features in feature_lists for feature in features)
    kept = sorted(feature for feature, count in counts.items() if count >= MIN_FEATURE_COUNT)
    return {feature: number for number, feature in enumerate(kept)}


def matrix(rows, vocabulary):
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for _, features in rows:
        indices.extend(sorted(vocabulary[f] for f in features if f in vocabulary))
        indptr.append(len(indices))
    return csr_matrix(([1.0] * len(indices), indices, indptr), shape=(len(rows), len(vocabulary)))


def fit(rows, topics, c):
    """A TopicModel trained on `rows` ((label item, features)) for `topics`, thresholds unset."""
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import normalize

    vocabulary = make_vocabulary([features for _, features in rows])
    x = matrix(rows, vocabulary)
    # Each feature's weight: its idf times its group's weight; TopicModel.probabilities weighs and
    # normalises a quote's features the same way.
    groups = [name.split(":", 1)[0] for name in sorted(vocabulary, key=vocabulary.get)]
    idf = TfidfTransformer().fit(x).idf_ * [GROUP_WEIGHTS.get(group, 1.0) for group in groups]
    x = normalize(x.multiply(idf).tocsr())
    # A quote with two labels is two examples of half the weight; one with none, of NO_TOPIC. A
    # label the model does not learn counts as its broad area where the model learns that (the
    # rules' topic then takes the area's place), else not at all.
    areas = parents()
    examples, classes, weights = [], [], []
    for number, (item, _) in enumerate(rows):
        learnt = {topic if topic in topics else areas.get(topic) for topic in item["topics"]}
        labels = sorted(learnt & set(topics)) or [NO_TOPIC]
        for label in labels:
            examples.append(number)
            classes.append(label)
            weights.append(1.0 / len(labels))
    classifier = LogisticRegression(C=c, max_iter=3000).fit(x[examples], classes, sample_weight=weights)
    return export(classifier, vocabulary, idf, Thresholds(1.0, 1.0, 1.0))


def export(classifier, vocabulary, idf, thresholds):
    """The model as fixtures/reference/topic_model.json holds it (TopicModel.from_dict)."""
    areas = {item["slug"]: item["parent"] for item in reference_topics() if item.get("parent")}
    names = sorted(vocabulary, key=vocabulary.get)
    coefficients = classifier.coef_.T  # features x classes
    weights = [
        [[column, round(float(weight), 3)] for column, weight in enumerate(row) if abs(weight) >= PRUNE_BELOW]
        for row in coefficients
    ]
    return {
        "format": FORMAT,
        "classes": [str(name) for name in classifier.classes_],
        "areas": areas,
        "features": names,
        "idf": [round(float(value), 4) for value in idf],
        "weights": weights,
        "bias": [round(float(value), 4) for value in classifier.intercept_],
        "thresholds": thresholds._asdict(),
    }


class Thresholds(NamedTuple):
    confident: float
    area_confident: float
    also: float


GRID = [
    Thresholds(confident, area, also)
    for confident in (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75)
    for area in (0.5, 0.6, 0.7, 0.8, 1.01)
    for also in (0.3, 0.4, 0.5, 1.01)
    if also >= confident
]


def cross_validated(rows, topics, c, folds):
    """Each row's class probabilities from a model trained on the other folds, and that model."""
    from sklearn.model_selection import KFold

    predictions = [None] * len(rows)
    for train, test in KFold(folds, shuffle=True, random_state=21).split(rows):
        model = TopicModel.from_dict(fit([rows[i] for i in train], topics, c))
        for i, probabilities in zip(test, model.probabilities_of_many([rows[i][1] for i in test])):
            predictions[i] = (model, probabilities)
    return predictions


def scores(rows, predictions, thresholds):
    """Precision and recall, strict and by area (see measure_topics.py)."""
    pairs = []
    for (item, _), (model, probabilities) in zip(rows, predictions):
        tagged = set(TopicModel.decide_from(model.classes, model.areas, probabilities, *thresholds))
        pairs.append((set(item["topics"]), tagged))
    return tag_scores(pairs, parents())


def shortfall(result):
    """How far out-of-fold figures fall short of the targets: the larger gap, then the sum."""
    gaps = (
        max(0.0, TARGET_PRECISION - result["precision_by_area"]),
        max(0.0, TARGET_RECALL - result["recall_by_area"]),
    )
    return (max(gaps), sum(gaps))


def show(result):
    return (
        f"precision {result['precision']:.3f} recall {result['recall']:.3f} | by area: precision "
        f"{result['precision_by_area']:.3f} recall {result['recall_by_area']:.3f} "
        f"({result['tags']} tags, {result['labels']} labels)"
    )


@functools.cache
def reference_topics():
    return json.loads((ROOT / "fixtures" / "reference" / "topics.json").read_text(encoding="utf-8"))


def parents():
    return {item["slug"]: item.get("parent") for item in reference_topics()}


if __name__ == "__main__":
    main()
