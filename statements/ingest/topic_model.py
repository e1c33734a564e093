"""What a quote is about, decided by a linear model trained on hand-labelled quotes.

The keyword rules (tagging.py) know the taxonomy's words but not how much each is worth where: "the
company" in a quote on interest rates, "debt" in a story on a bank's results. The model weighs
them. Its features are the quote's own words, the words of its sentence and of the sentences
around it, the title's and the article's opening words, who speaks (their role and organisation),
and what the rules found (each topic's keywords in the quote's sentence, around it and in the
title, and the rules' own verdict); tagging.quote_features lists them.

It is a multinomial logistic regression: one class per topic it learnt, and one for "none of
them". A quote's features, weighted by how rare each is among the training quotes (idf) and
normalised to unit length, give each class a score, and the scores a probability per class. It
was trained by scripts/train_topics.py (scikit-learn, not needed here) on quotes a person labelled
with the topics they are about (scripts/data/topic_labels.jsonl).

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
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy

MODEL_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "topic_model.json"
FORMAT = 2
NO_TOPIC = ""  # the class of quotes about none of the model's topics

WORD_RE = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
# Words too common to say what a quote is about; leaving them out keeps the model small.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves said says say told added s t re ve ll
    d m don didn doesn isn wasn weren won wouldn""".split()
)


def words(text: str) -> set[str]:
    """The distinct content words of a text, lowercased; numbers and stopwords left out."""
    found = set()
    for word in WORD_RE.findall(text.lower()):
        word = word.replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) > 1 and word not in STOPWORDS:
            found.add(word)
    return found


@dataclass(frozen=True, eq=False)
class TopicModel:
    classes: tuple[str, ...]  # topic slugs, and NO_TOPIC
    areas: dict[str, str]  # topic slug -> its broad area's slug, for the topics that have one
    index: dict[str, int]  # feature -> row of `weights`
    idf: numpy.ndarray  # per feature
    weights: numpy.ndarray  # features x classes
    bias: numpy.ndarray  # per class
    confident: float
    area_confident: float
    also: float

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(slug for slug in self.classes if slug != NO_TOPIC)

    def probabilities(self, features) -> numpy.ndarray:
        rows = [self.index[feature] for feature in features if feature in self.index]
        scores = self.bias.copy()
        if rows:
            values = self.idf[rows]
            scores += (values / math.sqrt(float(values @ values))) @ self.weights[rows]
        scores -= scores.max()
        exponents = numpy.exp(scores)
        return exponents / exponents.sum()

    def decide(self, features) -> list[str]:
        """The topics (and at most one broad area) the quote is about; see the module docstring."""
        return self.decide_from(
            self.classes,
            self.areas,
            self.probabilities(features),
            self.confident,
            self.area_confident,
            self.also,
        )

    @staticmethod
    def decide_from(classes, areas, probabilities, confident, area_confident, also) -> list[str]:
        best = int(probabilities.argmax())
        found = {
            classes[number]
            for number, probability in enumerate(probabilities)
            if probability >= also and classes[number] != NO_TOPIC
        }
        if classes[best] != NO_TOPIC and probabilities[best] >= confident:
            found.add(classes[best])
        elif not found:
            by_area: dict[str, float] = {}
            for slug, probability in zip(classes, probabilities):
                if slug != NO_TOPIC:
                    area = areas.get(slug, slug)
                    by_area[area] = by_area.get(area, 0.0) + float(probability)
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
        return cls(
            classes=classes,
            areas=dict(data["areas"]),
            index={feature: row for row, feature in enumerate(features)},
            idf=numpy.array(data["idf"]),
            weights=weights,
            bias=numpy.array(data["bias"]),
            confident=data["thresholds"]["confident"],
            area_confident=data["thresholds"]["area_confident"],
            also=data["thresholds"]["also"],
        )


@functools.cache
def shipped_model() -> TopicModel | None:
    """The model in fixtures/reference/, or None when there is none."""
    if not MODEL_PATH.exists():
        return None
    return TopicModel.from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
