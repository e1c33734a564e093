"""What a quote is about, decided by a linear model trained on hand-labelled quotes.

The keyword rules (tagging.py) know the taxonomy's words but not how much each is worth where: "the
company" in a quote on interest rates, "debt" in a story on a bank's results. The model weighs
them. Its features are the quote's own words, the words of its sentence and of the sentences
around it, the title's and the article's opening words, who speaks (their role and organisation),
and what the rules found (each topic's keywords in the quote's sentence, around it and in the
title, and the rules' own verdict); tagging.quote_features lists them.

It is a multinomial logistic regression: one class per topic it learnt, and one for "none of
them". A quote's features, weighted by how rare each is among the training quotes (idf) times how
much its group counts (the quote's own words more than the title's) and normalised to unit
length, give each class a score, and the scores a probability per class. It was trained by
scripts/train_topics.py (scikit-learn, not needed here) on quotes a labelling agent (an AI
assistant, scripts/data/LABELLING.md) labelled with the topics they are about
(scripts/data/topic_labels.jsonl).

What it tags (decide):
- the most probable topic, when its probability reaches `confident`;
- else the broad area (a parent topic) whose topics together reach `area_confident`: "this is
  about business" is often clear when "results or a takeover?" is not;
- and any other topic that reaches `also`: a quote can be about two things.
A topic the model did not learn (too few labelled quotes, or one an editor added since) is left to
the rules.

The model is data: fixtures/reference/topic_model.json holds features (words and rule signals),
weights and thresholds, no text of any article.
"""

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy

MODEL_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "topic_model.json"
FORMAT = 2
NO_TOPIC = ""  # the class of quotes about none of the model's topics

# A word: letters, then letters, digits, apostrophes or hyphens, ending in a letter or digit; two
# characters at least (single letters say nothing).
WORD_RE = re.compile(r"[^\W\d_][\w'-]*[^\W_]")
# Words too common to say what a quote is about; leaving them out keeps the model small.
STOPWORDS = frozenset(
    """about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves said says say told added re ve ll
    don didn doesn isn wasn weren won wouldn""".split()
)


def words(text: str) -> set[str]:
    """The distinct content words of a text, lowercased, without a possessive "'s"; numbers and
    stopwords left out."""
    lowered = text.lower().replace("’", "'")
    found = set(WORD_RE.findall(lowered))
    possessives = [word for word in found if word.endswith("'s")] if "'s" in lowered else None
    if possessives:
        found.difference_update(possessives)
        found.update(word[:-2] for word in possessives if len(word) > 3)
    return found - STOPWORDS


@dataclass(frozen=True, eq=False)
class TopicModel:
    classes: tuple[str, ...]  # topic slugs, and NO_TOPIC
    areas: dict[str, str]  # topic slug -> its broad area's slug, for the topics that have one
    index: dict[str, int]  # feature -> row of `weighted`
    idf_squared: numpy.ndarray  # per feature: (its idf times its group's weight) squared
    weighted: numpy.ndarray  # features x classes: the weights times the feature's idf
    bias: numpy.ndarray  # per class
    confident: float
    area_confident: float
    also: float
    # Learnt topics whose rules' tags are kept beside the model's: for these, out of fold, the
    # model and the rules together found the labelled quotes better than the model alone.
    rules_too: frozenset = frozenset()

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(slug for slug in self.classes if slug != NO_TOPIC)

    def probabilities(self, features) -> numpy.ndarray:
        return self.probabilities_of_many([features])[0]

    def probabilities_of_many(self, feature_lists, shared=()) -> numpy.ndarray:
        """One row of class probabilities per list of features, each with the `shared` features
        too (the article's, the same for all its quotes): one array operation for all."""
        index, known = self.index, self.index.keys()
        shared_rows = list(map(index.__getitem__, known & set(shared)))
        shared_sum = self.weighted[shared_rows].sum(axis=0)
        shared_length = float(self.idf_squared[shared_rows].sum())
        rows, starts = [], []
        for features in feature_lists:
            starts.append(len(rows))
            # The features the model knows, found by a set intersection (in C, not a loop here).
            rows.extend(map(index.__getitem__, known & set(features)))
        sums = numpy.tile(shared_sum, (len(starts), 1))
        lengths = numpy.full(len(starts), shared_length)
        if rows:
            # reduceat sums each quote's rows; a quote with none (its start equal to the next
            # one's) adds nothing.
            present = numpy.diff(starts + [len(rows)]) > 0
            offsets = numpy.array(starts)[present]
            sums[present] += numpy.add.reduceat(self.weighted[rows], offsets)
            lengths[present] += numpy.add.reduceat(self.idf_squared[rows], offsets)
        # Each row of `weighted` is a feature's weights times its idf; a quote's vector has unit
        # length, so its sum is divided by the length of its idf values.
        lengths = numpy.sqrt(numpy.maximum(lengths, 1e-12))
        scores = self.bias + sums / lengths[:, numpy.newaxis]
        exponents = numpy.exp(scores - scores.max(axis=1, keepdims=True))
        return exponents / exponents.sum(axis=1, keepdims=True)

    def decide(self, features) -> list[str]:
        """The topics (and at most one broad area) the quote is about; see the module docstring."""
        return self.decide_many([features])[0]

    def decide_many(self, feature_lists, shared=()) -> list[list[str]]:
        return [decided for decided, _ in self.decide_many_with_doubts(feature_lists, shared)]

    def decide_many_with_doubts(self, feature_lists, shared=()) -> list[tuple[list[str], set[str]]]:
        """Per quote, what decide gives, and those of its topics the model is less sure of than it
        must be of a broad area: tagging lets a topic its rules found in the same area, one the
        model never learnt, take their place."""
        found = []
        for probabilities in self.probabilities_of_many(feature_lists, shared):
            decided = self.decide_from(
                self.classes, self.areas, probabilities, self.confident, self.area_confident, self.also
            )
            doubts = {
                slug
                for slug in decided
                if slug in self.areas and probabilities[self.classes.index(slug)] < self.area_confident
            }
            found.append((decided, doubts))
        return found

    @staticmethod
    def decide_from(classes, areas, probabilities, confident, area_confident, also) -> list[str]:
        values = probabilities.tolist()
        best = max(range(len(values)), key=values.__getitem__)
        found = {
            classes[number]
            for number, probability in enumerate(values)
            if probability >= also and classes[number] != NO_TOPIC
        }
        if classes[best] != NO_TOPIC and values[best] >= confident:
            found.add(classes[best])
        elif not found:
            by_area: dict[str, float] = {}
            for slug, probability in zip(classes, values):
                if slug != NO_TOPIC:
                    area = areas.get(slug, slug)
                    by_area[area] = by_area.get(area, 0.0) + probability
            area, probability = max(by_area.items(), key=lambda item: item[1], default=("", 0.0))
            if probability >= area_confident:
                found.add(area)
        return sorted(found)

    @classmethod
    def from_dict(cls, data: dict) -> "TopicModel":
        if data.get("format") != FORMAT:
            raise ValueError(f"topic model format {data.get('format')!r}, expected {FORMAT}")
        classes = tuple(data["classes"])
        features = data["features"]
        weights = numpy.zeros((len(features), len(classes)))
        for row, pairs in enumerate(data["weights"]):
            for column, weight in pairs:
                weights[row, column] = weight
        idf = numpy.array(data["idf"])
        return cls(
            classes=classes,
            areas=dict(data["areas"]),
            index={feature: row for row, feature in enumerate(features)},
            idf_squared=(idf * idf).astype(numpy.float32),
            weighted=(weights * idf[:, numpy.newaxis]).astype(numpy.float32),
            bias=numpy.array(data["bias"]),
            confident=data["thresholds"]["confident"],
            area_confident=data["thresholds"]["area_confident"],
            also=data["thresholds"]["also"],
            rules_too=frozenset(data.get("rules_too", ())),
        )


@functools.cache
def shipped_model() -> TopicModel | None:
    """The model in fixtures/reference/, or None when there is none."""
    if not MODEL_PATH.exists():
        return None
    return TopicModel.from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
