"""The import pipeline for one article, from raw text to quotes with speakers, topics and events.

source -> cleaning -> quotes -> attribution -> tagging; no database here (see store.py).
"""

from dataclasses import dataclass

from statements.ingest import attribution, cleaning, quotes, tagging
from statements.ingest.actors import Gazetteer
from statements.ingest.records import ProcessedArticle, RawArticle


@dataclass
class Reference:
    """Everything the pipeline knows beyond the article: actors, topics, events. Built once per run."""

    gazetteer: Gazetteer
    rules: tagging.TaggingRules

    @classmethod
    def from_data(cls, countries, organisations, topics, events):
        return cls(
            gazetteer=Gazetteer.from_reference(countries, organisations),
            rules=tagging.TaggingRules.from_reference(topics, events),
        )


def process(raw: RawArticle, reference: Reference) -> ProcessedArticle:
    article = cleaning.parse_article(raw)
    spans = quotes.find_quotes(article.text)
    extracted = attribution.attribute(article, spans, reference.gazetteer)
    candidates = tagging.annotate(article, extracted, reference.rules)
    return ProcessedArticle(article=article, quotes=extracted, candidate_events=candidates)
