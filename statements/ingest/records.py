"""Plain records that flow through the import pipeline.

Data flows one way: sources -> cleaning -> quotes -> attribution -> tagging -> store.
Every stage before `store` is a pure function over these dataclasses, with no Django imports,
so each can be tested on a string.
"""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawArticle:
    """One article as read from a file or a JSONL line, before any cleaning."""

    external_id: str
    text: str
    origin: str  # where it came from, for messages: "fixtures/a.txt" or "corpus.jsonl:12"
    title: str | None = None
    published: datetime.date | None = None
    source: str | None = None
    url: str | None = None
    # Fields that were dropped or cut to fit ("url 'javascript:...' is not an http or https URL;
    # imported without it"): the article is imported and the importer prints each as a warning.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceProblem:
    """An input that could not be read as an article; reported, never raised to the user."""

    origin: str  # file name, with ":line" for JSONL
    reason: str
    external_id: str | None = None


@dataclass
class ParsedArticle:
    """An article after cleaning: `text` is what pages show and what quote offsets point into."""

    external_id: str
    text: str
    title: str = ""
    source: str = ""
    url: str = ""
    published: datetime.date | None = None
    # True when the date was read from the text (a dateline or a date line), not given as metadata.
    published_inferred: bool = False
    dateline: str = ""
    # Where the dateline and byline ("LONDON (Reuters) - ", "ASTANA, October 4./TASS/. ") end in
    # `text`: they stay in the stored text, which quote offsets point into, but they are metadata,
    # so attribution reads that stretch as blank (0: no dateline).
    dateline_end: int = 0
    # Set when something could not be determined (e.g. no year): the article is imported but
    # flagged for an editor, and the import summary says so.
    review_reasons: list[str] = field(default_factory=list)
    # Primary sources (transcripts.py): "news", "transcript", "statement" or "readout".
    kind: str = "news"


@dataclass(frozen=True)
class QuoteSpan:
    """Quoted words found in the text. start/end are offsets of the words inside the marks
    (for a quote over several paragraphs: from the first word of the first part to the last word
    of the last part)."""

    start: int
    end: int
    text: str  # the quoted words, without quote marks and markup
    kind: str  # "direct" | "partial" | "turn" (a transcript turn or an official statement's paragraph)


@dataclass(frozen=True)
class SpeakerMention:
    """Who said it, as the article describes them."""

    name: str  # canonical full name ("Dmitry Peskov"), the organisation's name for a body, or
    # for an unnamed source the article's description of them ("a senior Cruz adviser")
    role: str = ""  # as the article says: "Kremlin spokesman"
    organisation: str | None = None  # reference-data name when known ("Kremlin")
    country: str | None = None  # ISO 3166 alpha-3 ("RUS")
    is_organisation: bool = False  # an organisation speaking as a body
    aliases: tuple[str, ...] = ()  # other forms seen in the article ("Peskov")
    is_unnamed: bool = False  # a source the article describes but does not name


@dataclass
class ExtractedQuote:
    span: QuoteSpan
    speaker: SpeakerMention | None  # None: the article does not say who, so we do not guess
    verb: str = ""  # reporting verb as written: "said", "told reporters", "according to"
    confidence: float = 0.0  # attribution confidence, 0..1
    said_on: datetime.date | None = None
    topics: list[str] = field(default_factory=list)  # topic slugs
    events: list[tuple[str, float]] = field(default_factory=list)  # (event slug, confidence)
    # Primary sources: the reporter's question a transcript turn answers ("" for anything else).
    question: str = ""
    # The countries (codes) and organisations (names) the quoted words name: what the quote is about
    mentioned_countries: list[str] = field(default_factory=list)
    mentioned_organisations: list[str] = field(default_factory=list)


@dataclass
class CandidateEvent:
    """A dated development an article reports, proposed to editors as an unreviewed Event."""

    date: datetime.date
    title: str
    sentence: str
    start: int  # offset of the sentence in the article text


@dataclass
class ProcessedArticle:
    article: ParsedArticle
    quotes: list[ExtractedQuote]
    candidate_events: list[CandidateEvent] = field(default_factory=list)
