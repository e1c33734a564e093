"""The import pipeline for one article, from raw text to quotes with speakers, topics and events.

source -> cleaning -> quotes -> attribution -> reported speech -> tagging; no database here (see
store.py). A primary source (a briefing transcript, an official statement, a readout) is read by its
shape instead of its quotation marks: source -> cleaning -> transcripts -> tagging.
"""

from dataclasses import dataclass

from statements.ingest import attribution, cleaning, quotes, reported, sources, tagging, transcripts
from statements.ingest.actors import Gazetteer
from statements.ingest.records import ExtractedQuote, ParsedArticle, ProcessedArticle, RawArticle
from statements.ingest.topic_model import shipped_model


@dataclass
class Reference:
    """Everything the pipeline knows beyond the article: actors, topics, events. Built once per run."""

    gazetteer: Gazetteer
    rules: tagging.TaggingRules
    # Who held an office when ("THE PRESIDENT:" in a transcript): fixtures/reference/office_holders.json.
    office_holders: tuple = ()

    @classmethod
    def from_dicts(cls, countries, organisations, topics, events, office_holders=()):
        """From lists of plain dicts, as fixtures/reference/*.json holds them (and
        reference.reference_for_extraction() reads them from the database)."""
        return cls(
            gazetteer=Gazetteer.from_reference(countries, organisations),
            rules=tagging.TaggingRules.from_reference(topics, events, model=shipped_model()),
            office_holders=tuple(office_holders),
        )


def process(raw: RawArticle, reference: Reference) -> ProcessedArticle:
    article = cleaning.parse_article(raw)
    if article.published and not sources.is_plausible_date(article.published):
        # Read from the text ("MOSCOW, January 5, 0001 /TASS/."): sources.py refuses such a date
        # given as metadata; one in the text leaves the date unknown, as an editor would.
        article.review_reasons.append(f"implausible date {article.published.isoformat()} in the text")
        article.published, article.published_inferred = None, False
    article.kind = transcripts.document_kind(article)
    if article.kind == transcripts.NEWS:
        extracted = extract(article, reference.gazetteer)
    else:
        extracted = read_primary_source(article, reference.gazetteer, reference.office_holders)
    for quote in extracted:
        if quote.said_on and not sources.is_plausible_date(quote.said_on):
            quote.said_on = None  # the article's date stands in, as for a quote with no date of its own
    candidates = tagging.annotate(article, extracted, reference.rules)
    if article.kind != transcripts.NEWS:
        for quote in extracted:
            quote.said_on = None  # said when the document was: a date in an answer is what it is about
    # What each quote's words name, from one reading of the article; a quote whose words are not
    # one stretch of it (a reported content around an inner "X told Reuters") is read alone.
    gazetteer = reference.gazetteer
    whole, apart = [], []
    for quote in extracted:
        stretch = article.text[quote.span.start : quote.span.end] == quote.span.text
        (whole if stretch else apart).append(quote)
    spans = [(quote.span.start, quote.span.end) for quote in whole]
    for quote, named in zip(whole, gazetteer.named_in_spans(article.text, spans)):
        quote.mentioned_countries, quote.mentioned_organisations = named
    for quote in apart:
        quote.mentioned_countries, quote.mentioned_organisations = gazetteer.named_in(quote.span.text)
    return ProcessedArticle(article=article, quotes=extracted, candidate_events=candidates)


def extract(article: ParsedArticle, gazetteer: Gazetteer) -> list[ExtractedQuote]:
    """The article's quotations and reported statements with their speakers, in text order."""
    context = attribution.article_context(article, gazetteer)
    quoted = attribution.attribute(article, quotes.find_quotes(article.text), gazetteer, context)
    statements = reported.find_reported(article, quoted, gazetteer, context)
    # One record a stretch of text (the store's rule): a reported content that is exactly a
    # quotation's words ('... but added that "every offer is interesting to us"') is the quotation.
    taken = {(quote.span.start, quote.span.end) for quote in quoted}
    kept = []
    for statement in statements:
        if (statement.span.start, statement.span.end) not in taken:
            taken.add((statement.span.start, statement.span.end))
            kept.append(statement)
    return sorted(quoted + kept, key=lambda quote: (quote.span.start, quote.span.end))


def read_primary_source(article: ParsedArticle, gazetteer: Gazetteer, office_holders) -> list[ExtractedQuote]:
    """A briefing transcript's, statement's or readout's statements, in text order. A readout is the
    issuing office's account, and what it says each side said ("The President reaffirmed ...") are
    reported statements of theirs, inside the office's own."""
    # the issuing office is the outlet ("White House", not the page's "whitehouse.gov")
    article.source = transcripts.issuer_of(article) or article.source
    extracted = transcripts.statements(article, gazetteer, office_holders)
    if article.kind == transcripts.READOUT:
        for quote in reported.reported_in_text(article.text, gazetteer, article.source):
            # "President Joseph R. Biden, Jr." of the readout is the office holder, Joe Biden
            quote.speaker = transcripts.as_office_holder(quote.speaker, article.published, office_holders)
            extracted.append(quote)
    return sorted(extracted, key=lambda quote: (quote.span.start, quote.span.end))
