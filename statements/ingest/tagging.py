"""Topics and events: what each quote is about, what it answers, and when it was said.

Where the evidence comes from (a quote is tagged from its own words and its surroundings, never
from the whole article):
- near: the sentence(s) the quote sits in, with its attribution ("..., Peskov said"), weight 1;
- rest: the rest of the quote's paragraph, weight 0.5;
- setting: the previous paragraph, weight 0.5, when the quote's paragraph is only quotes and a
  short tag ("Zakharova asked.", "he added"): such a paragraph continues the one before it, which
  says what "this" and "the situation" are;
- follow-up, for events only, weight 1: the first sentence of the next paragraph when it says what
  the statement answered ("The statement came in response to comments made by ... on Wednesday").

"The rest of the paragraph" is at most CONTEXT_SENTENCES sentences either side of the quote's own,
so text that lost its paragraph breaks (much of the Reuters corpus) is not read whole.

Topics (fixtures/reference/topics.json) apply when their keywords in the quote's sentence (less its
attribution) or its setting score at least 1: a keyword counts 1 and a weak keyword ("the company",
"recovery", "exports": words that point to the topic but say too little alone) 0.5, each distinct
word once, so one keyword or two weak ones are enough; the title's words add half as much to the
topics the quote's sentence names (a weak "the results" in a story titled "... profit beats ...").
A topic also applies when every group of its `all_of` lists is mentioned in the near sentence, the
sentence either side of it or the setting ("Syria" + "ceasefire"; "Russia" + "US" + "dialogue"):
co-mentions further apart mean little (a business story naming "Russia", "the U.S." and "talks" two
sentences apart is not about relations). A group may name a country ("country:RUS"), which the
speaker's own country satisfies: a Kremlin spokesman talking about "the US" is Russia talking to
the US. Of the topics keywords give, a quote keeps those with at least KEEP_RATIO of the best one's
score: a quote on interest rates that says "our business" in passing is not also about business. A
co-mention is specific by itself and always counts. When the quote's sentence gives nothing, the
sentence before says what "this" refers to.

The topic model (topic_model.py, fixtures/reference/topic_model.json) then decides the topics it
learnt: it reads the quote's words, its zones, the speaker's role and what the rules above found,
and also the title and the article's opening (weighted less: what the story is about settles what
"it" is, never alone). The rules' verdict stands for the topics it did not learn, beside the
model's for those it learnt with their help, and in place of a topic the model doubts
(_decided_topics).

Events (fixtures/reference/events.json) link when the quote was said on or within `window_days`
after the event and the quote's zones name the event: its keywords, or a date that resolves to the
event's day, which counts alone only in the quote's own sentence or follow-up and on a shared topic
(a date says when, not what). Shared topics and the speaker being one of the event's actors add to
the evidence; confidence grows with the evidence and decays with the days since the event. Quotes
from one speaker on one day are one set of remarks: what one of them answers, the others answer
too, at lower confidence ("This has of course substantially aggravated the situation," he said).

Keywords match case-insensitively on word boundaries, tolerate plurals ("ceasefire" matches
"ceasefires", "treaty" "treaties") and treat spaces and hyphens alike ("cease-fire", "cease fire");
acronyms ("US", "UN", "U.S.") match case-sensitively, so "us" is not the United States. A match
also counts for the keywords inside it ("refused to coordinate" holds "coordinate"). All keywords
go into one Aho-Corasick automaton run once per article, over the zones of its quotes only.

Candidate events are dated sentences reporting a recent development on one of the topics ("On
Monday, ... said the US was suspending ...", "... collapsed on Sunday"), not what will happen;
they are proposed unless an existing event has the same date and shares keywords or words with
the sentence.
"""

import datetime
import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import ahocorasick

from . import dates
from .lexicon import VERB_RE
from .records import CandidateEvent, ExtractedQuote, ParsedArticle
from .text import paragraph_spans, sentence_starts, trie_pattern
from .topic_model import TopicModel, words
from .transcripts import NEWS

NEAR, REST, SETTING, FOLLOW_UP = 1.0, 0.5, 0.5, 1.0
TOPIC_THRESHOLD = 1.0
# Of the topics a quote's words give, those with at least KEEP_RATIO of the best one's evidence.
KEEP_RATIO = 0.75
# A weak keyword ("the company", "recovery") counts this much: two of them, or one with a keyword, tag.
WEAK_WEIGHT = 0.5
# What a keyword's use says in TaggingRules.topic_uses: a keyword, a weak keyword, or (0, 1, ...) a
# co-mention group.
KEYWORD, WEAK_KEYWORD = -1, -2
# What each of the title's keywords adds to a topic the quote's words give: it completes a weak
# keyword's evidence, and breaks ties.
TITLE_WEIGHT = 0.5
# A quote whose sentence (and the one before) names no topic ("We're not out of the woods yet") is
# about what its neighbourhood is about when that says so clearly: keywords (a weak one counts
# WEAK_WEIGHT of these) in the sentences around it and the title, each distinct word once, adding up
# to NEIGHBOURHOOD_THRESHOLD, of which at least one outside the title. The title and the sentences
# next to the quote count fully, the ones beyond them half. Two or three words around a quote that
# names nothing are a guess right about three times in five (the story's subject, not what the
# quote says); two and a half keywords' worth, about four in five (tuning split).
NEIGHBOURHOOD_WEIGHTS = {"before": 1.0, "rest": 1.0, "setting": 1.0, "title": 1.0, "far": 0.5}
NEIGHBOURHOOD_THRESHOLD = 2.5
# The zones whose words complete a co-mention in a primary source (see annotate): the quote's own
# sentence, and the sentence before when the quote names nothing and refers back to it.
OWN_ZONES = ("near", "earlier")
# A quote whose own sentence names no topic takes one from the sentence before only when that
# sentence names it at least this clearly (two keywords, or a co-mention), or when the quote's own
# sentence names it in passing (a weak keyword): one word in the sentence before is as often about
# something the quote does not address ("The group reports its sales in yen. 'We like to keep our
# stores small,' she said" is not on currencies).
EARLIER_THRESHOLD = 2.0
# How many sentences either side of the quote's own count as "the rest of its paragraph".
CONTEXT_SENTENCES = 2
# At most this many words outside the quotes make a paragraph a "short tag" continuation.
SHORT_TAG_WORDS = 8
WINDOW_DAYS = 14
# What a member of a speaker's remarks inherits from the member that names the event.
REMARKS_FACTOR = 0.7

# Curly and angled quote marks become spaces (same length, so offsets hold) and typographic
# apostrophes plain ones: "Kirby’s “threat" reads as "Kirby's  threat".
MATCH_TRANSLATION = str.maketrans(
    {"“": " ", "”": " ", "„": " ", "«": " ", "»": " ", '"': " ", "’": "'", "‘": "'"}
)
SEPARATOR = r"[\s\-‐–]+"
# A run of separators in the text the automaton reads, where each is a space: it stands for one.
SPACES_RE = re.compile(" +")
# What the automaton reads every character no keyword has as (see _automaton_text): NUL, which no
# keyword has (Django's forms refuse it).
NOT_IN_KEYWORDS = "\x00"
WORD_RE = re.compile(r"\w+")
# "The statement came in response to ...", "His remarks followed ...", "This came after ...".
FOLLOW_UP_RE = re.compile(
    r"(?:(?:The|This|These|Those|His|Her|Their|Such)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statements?|remarks?|comments?|warnings?|words|announcement|response|reaction)\s+"
    r"(?:came|comes|was|were|followed|follow|is|are)\b|This\s+came\b)"
)

# Verbs that report a dated development, as opposed to speech.
EVENT_VERB_RE = re.compile(
    r"\b(?:suspend(?:s|ed|ing)?|expir(?:e|es|ed|ing)|sign(?:s|ed|ing)?|agree(?:s|d)?|agreeing|"
    r"announc(?:e|es|ed|ing)|withdr(?:ew|aw|aws|awn|awing)|launch(?:es|ed|ing)?|"
    r"collaps(?:e|es|ed|ing)|halt(?:s|ed|ing)?|impos(?:e|es|ed|ing)|lift(?:s|ed|ing)?|"
    r"kill(?:s|ed|ing)?|attack(?:s|ed|ing)?|invad(?:e|es|ed|ing)|seiz(?:e|es|ed|ing)|"
    r"annex(?:es|ed|ing)?|brokered|declar(?:e|es|ed|ing)|adopt(?:s|ed|ing)?|approv(?:e|es|ed|ing)|"
    r"reject(?:s|ed|ing)?|veto(?:es|ed|ing)?|test(?:s|ed|ing)?|struck|strikes?|bomb(?:s|ed|ing)?|"
    r"shelled|shot\s+down|cut(?:s|ting)?\s+off|broke\s+off|ended|began|begun|started|"
    r"resum(?:e|es|ed|ing)|expel(?:s|led|ling)?|met|meets?|meeting\s+with|held\s+talks|"
    r"resign(?:s|ed|ing)?|ratif(?:y|ies|ied|ying)|voted|deploy(?:s|ed|ing)?|took\s+effect|"
    r"came\s+into\s+force|ordered|captured|exploded|detonated)\b"
)
# A sentence about what will happen is not a development yet.
FUTURE_RE = re.compile(
    r"\b(?:will|would|shall|is\s+due|are\s+due|is\s+expected|are\s+expected|is\s+scheduled|"
    r"are\s+scheduled|plans?\s+to|planned\s+to|next)\b"
)
# The opening of a date-first sentence, and an event verb shortly before "on <date>".
DATE_OPENING_RE = re.compile(r"(?:On|on)\s+$")
VERB_BEFORE_DATE_RE = re.compile(rf"(?:{EVENT_VERB_RE.pattern})(?:\s+[\w'’-]+){{0,3}}?\s+on\s+$")
TITLE_LENGTH = 140
# "WASHINGTON (Reuters) - ", "ASTANA, October 4./TASS/. ": where the story was filed, not what happened.
DATELINE_PREFIX_RE = re.compile(
    r"^[A-Z][\w.,'’ -]{0,60}?(?:\([A-Za-z][\w ]{0,20}\)\s*[-–—]|/[A-Za-z]{2,10}/\.)\s*"
)
# News reports recent developments; an older date in a sentence is background ("in 1973") or a
# deadline ahead read as last year's ("expire on June 30" in January).
CANDIDATE_MAX_AGE_DAYS = 31
TITLE_STOPWORDS = frozenset(
    "the a an of on in at to for and or with by from that this was were is are be been has have had "
    "its it their his her as said says after before".split()
)


@dataclass
class _Topic:
    slug: str
    group_countries: list[frozenset]  # per all_of group: speaker countries that satisfy it
    group_count: int
    parent: int | None = None  # index of the broad area it belongs to
    proposes_events: bool = True  # dated developments on it become candidate events


@dataclass
class _Event:
    slug: str
    date: datetime.date
    topics: frozenset
    countries: frozenset
    organisations: frozenset
    words: frozenset  # content words of the title and keywords, for duplicate candidates


@dataclass
class TaggingRules:
    topics: list[_Topic]
    events: list[_Event]
    topic_uses: list[
        list[tuple[int, int]]
    ]  # keyword index -> [(topic index, all_of group or KEYWORD, WEAK_KEYWORD)]
    event_uses: list[list[int]]  # keyword index -> [event index]
    country_groups: dict[str, list[tuple[int, int]]]  # speaker country -> [(topic index, group)]
    # Every spelling of every keyword (see _keyword_automaton), found on lowercased text.
    automaton: ahocorasick.Automaton
    # What the automaton reads each character of lowercased text as (see _ReadingTable).
    reading_table: "_ReadingTable"
    # The same keywords as one trie-shaped regex, which says what a match is (the automaton finds
    # exactly its matches); compiled case-insensitively only for the rare text whose length
    # .lower() changes, where the automaton's offsets would be off (see _fallback_pattern).
    trie: str
    leaves: dict[str, list[int]]  # trie leaf (regex group name) -> keyword indexes spelled that way
    exact: dict[int, re.Pattern]  # acronym keywords: the case the matched text must have
    window_days: int = WINDOW_DAYS
    # Decides the topics it was trained on from the rules' evidence and the quote's words (see
    # topic_model.py); without one, the rules decide alone.
    model: TopicModel | None = None
    model_topics: frozenset = field(init=False)  # the topics it learnt that the taxonomy has
    taxonomy: frozenset = field(init=False)  # every topic's slug

    def __post_init__(self):
        self.taxonomy = frozenset(topic.slug for topic in self.topics)
        learnt = self.model.topics if self.model is not None else ()
        self.model_topics = frozenset(learnt) & self.taxonomy

    def proposes_events(self, slug: str) -> bool:
        return any(topic.proposes_events for topic in self.topics if topic.slug == slug)

    @classmethod
    def from_reference(
        cls, topics: list[dict], events: list[dict], model: TopicModel | None = None
    ) -> "TaggingRules":
        keyword_index: dict[tuple[bool, tuple[str, ...]], int] = {}
        uses: list[list[tuple[str, int, int]]] = []

        def add(keyword: str, use: tuple[str, int, int]) -> None:
            key = _keyword_key(keyword)
            if key not in keyword_index:
                keyword_index[key] = len(uses)
                uses.append([])
            uses[keyword_index[key]].append(use)

        topic_rules = []
        for number, item in enumerate(topics):
            for keyword in item.get("keywords", []):
                add(keyword, ("topic", number, KEYWORD))
            for keyword in item.get("weak_keywords", []):
                add(keyword, ("topic", number, WEAK_KEYWORD))
            for phrase in item.get("none_of", []):
                add(phrase, ("exclude", number, -1))
            group_countries = []
            for group_number, group in enumerate(item.get("all_of", [])):
                countries = set()
                for term in group:
                    if term.startswith("country:"):
                        countries.add(term.removeprefix("country:"))
                    else:
                        add(term, ("topic", number, group_number))
                group_countries.append(frozenset(countries))
            topic_rules.append(
                _Topic(
                    item["slug"],
                    group_countries,
                    len(group_countries),
                    proposes_events=item.get("proposes_events", True),
                )
            )

        event_rules = []
        for number, item in enumerate(events):
            for keyword in item.get("keywords", []):
                add(keyword, ("event", number, 0))
            words = _content_words(" ".join([item.get("title", "")] + item.get("keywords", [])))
            event_rules.append(
                _Event(
                    slug=item["slug"],
                    date=datetime.date.fromisoformat(item["date"]),
                    topics=frozenset(item.get("topics", [])),
                    countries=frozenset(item.get("countries", [])),
                    organisations=frozenset(item.get("organisations", [])),
                    words=words,
                )
            )

        numbers = {item["slug"]: number for number, item in enumerate(topics)}
        for item, topic in zip(topics, topic_rules):
            topic.parent = numbers.get(item.get("parent"))
        _credit_contained_keywords(keyword_index, uses)
        _apply_exclusions(uses)
        country_groups: dict[str, list[tuple[int, int]]] = {}
        for number, topic in enumerate(topic_rules):
            for group, codes in enumerate(topic.group_countries):
                for code in codes:
                    country_groups.setdefault(code, []).append((number, group))
        leaf_of: dict[tuple[str, ...], int] = {}
        leaves: dict[str, list[int]] = {}
        exact = {}
        for (case_sensitive, atoms), index in keyword_index.items():
            lowered = tuple(atom.lower() for atom in atoms)
            if lowered not in leaf_of:
                leaf_of[lowered] = len(leaves)
                leaves[f"k{leaf_of[lowered]}"] = []
            leaves[f"k{leaf_of[lowered]}"].append(index)
            if case_sensitive:
                exact[index] = re.compile("".join(atoms))
        # Where a plural ("rebels") and a singular that accepts plurals ("rebel") both match, the
        # plural is tried first: its match counts for both (_credit_contained_keywords).
        entries = sorted(leaf_of.items(), key=lambda entry: [_plural_first(a) for a in entry[0]])
        automaton, alphabet = _keyword_automaton(entries, leaves)
        return cls(
            topics=topic_rules,
            events=event_rules,
            topic_uses=[[(number, group) for kind, number, group in use if kind == "topic"] for use in uses],
            event_uses=[[number for kind, number, _ in use if kind == "event"] for use in uses],
            country_groups=country_groups,
            automaton=automaton,
            reading_table=_ReadingTable(alphabet),
            trie=_trie_pattern(entries),
            leaves=leaves,
            exact=exact,
            model=model,
        )


@dataclass
class _Zone:
    start: int
    end: int
    weight: float
    # "near" | "before" and "rest" (the sentence before and after) | "far" (the next one out) |
    # "setting" | "follow_up"
    kind: str


# The rest of the quote's sentence is its attribution when a reporting verb comes within a few
# words after the quote (`," said Jane Roe, an analyst at ...`, `," the spokesman told reporters`),
# or when the text before the quote ends with one (`Speaking on Thursday, Roe said: "...`).
ATTRIBUTION_AFTER_RE = re.compile(
    r"[\s\"'“”‘’»«,.:;!?)\]*-]*(?:[\w.'’-]+\s+){0,6}?" + VERB_RE.pattern, re.IGNORECASE
)
ATTRIBUTION_BEFORE_RE = re.compile(
    r"\b(?:said|says|told(?:\s+(?:reporters|journalists|the\s+\w+|\w+))?|added|adds|wrote|writes|asked|stated|"
    r"declared|explained|noted|stressed)(?:\s+that)?\s*[:,]?\s*[\"'“‘«]?\s*$"
)
# What follows the attribution may say what the quote is about: `," Peskov said in comments on
# cooperation on Syria`, `," he said of the bond purchases`, `," she said, referring to the euro`.
ABOUT_AFTER_ATTRIBUTION_RE = re.compile(
    r"\s*,?\s*(?:(?:on|last|this)\s+\w+\s+)?(?:in\s+(?:comments|remarks|a\s+statement)\s+(?:on|about)|of|about|"
    r"regarding|referring\s+to|when\s+asked\s+(?:about|whether|if)|asked\s+about|commenting\s+on)\b"
)
# The article's title, for co-mentions only (see _topics).
TITLE_ZONE = _Zone(0, 0, 0.0, "title")


@dataclass
class _Article:
    """What annotate computes once per article: paragraphs, sentences, dates, keyword hits."""

    text: str
    published: datetime.date | None
    paragraph_starts: list[int]
    paragraph_ends: list[int]
    date_starts: list[int] = field(default_factory=list)
    date_ends: list[int] = field(default_factory=list)
    date_values: list[datetime.date] = field(default_factory=list)
    hit_starts: list[int] = field(default_factory=list)
    hit_keywords: list[int] = field(default_factory=list)
    sentence_cache: dict[int, list[int]] = field(default_factory=dict)

    def paragraph_of(self, offset: int) -> int:
        return max(0, bisect_right(self.paragraph_starts, offset) - 1)

    def sentence_starts(self, paragraph: int) -> list[int]:
        """Offsets where sentences begin in a paragraph (the first is the paragraph's start)."""
        if paragraph not in self.sentence_cache:
            start, end = self.paragraph_starts[paragraph], self.paragraph_ends[paragraph]
            self.sentence_cache[paragraph] = [start] + sentence_starts(
                self.text, start, end, capital_follows=True
            )
        return self.sentence_cache[paragraph]

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        paragraph = self.paragraph_of(offset)
        starts = self.sentence_starts(paragraph)
        index = bisect_right(starts, offset) - 1
        end = starts[index + 1] if index + 1 < len(starts) else self.paragraph_ends[paragraph]
        return starts[index], end

    def hits(self, start: int, end: int):
        low = bisect_left(self.hit_starts, start)
        high = bisect_left(self.hit_starts, end)
        return self.hit_keywords[low:high]

    def has_dates(self, start: int, end: int) -> bool:
        index = bisect_left(self.date_starts, start)
        return index < len(self.date_starts) and self.date_starts[index] < end

    def dates_in(self, start: int, end: int):
        low = bisect_left(self.date_starts, start)
        high = bisect_left(self.date_starts, end)
        return list(zip(self.date_starts[low:high], self.date_values[low:high]))


def annotate(
    article: ParsedArticle, quotes: list[ExtractedQuote], rules: TaggingRules, features: list | None = None
) -> list[CandidateEvent]:
    """Fills each quote's said_on, topics and events in place; returns the candidate events.
    Given a list as `features`, appends (quote, the model's features of it) for each quote, as the
    rules alone tag it (the topic model's training reads them)."""
    layout = _layout(article)
    quotes = sorted(quotes, key=lambda q: q.span.start)
    quotes_by_paragraph: dict[int, list[ExtractedQuote]] = {}
    for quote in quotes:
        quotes_by_paragraph.setdefault(layout.paragraph_of(quote.span.start), []).append(quote)

    short_tags: dict[int, bool] = {}
    zones = [_zones(layout, quote, quotes_by_paragraph, short_tags) for quote in quotes]
    own_dates = [
        _fill_said_on(layout, quote, quote_zones, quotes_by_paragraph)
        for quote, quote_zones in zip(quotes, zones)
    ]
    events = _events_in_reach(rules, quotes, layout.published)
    # Keywords are looked for only where some quote takes its evidence from: topics read the
    # sentences next to the quote and its setting; only events read further (and most articles
    # answer none).
    hits = _keyword_hits(rules, layout.text, _merged(zones, wide=bool(events)))
    layout.hit_starts = [start for start, _ in hits]
    layout.hit_keywords = [keyword for _, keyword in hits]
    # The title names what the story is about: it settles a co-mention ("the truce" in a story
    # titled "Syria ..."), never a topic on its own.
    title_hits = [keyword for _, keyword in _keyword_hits(rules, article.title, [(0, len(article.title))])]
    reads_features = rules.model is not None or features is not None
    article_features = _article_features(article) if reads_features else []
    read_words: dict[tuple, set[str]] = {}  # a zone's word features, for neighbours that share the zone
    # In a transcript, statement or readout the text around a quote is other turns and paragraphs:
    # a reporter's question, the next subject. A co-mention there ("Syria" in a question, "war" in
    # the answer) says nothing of what the quote is about, so there only the quote's own words
    # complete one.
    primary = article.kind != NEWS
    quote_reads = []
    for quote, quote_zones in zip(quotes, zones):
        # The quote's own sentence counts without its attribution; the other zones whole.
        zone_hits = [(quote_zones[0], _content_hits(layout, quote_zones[0], quote.span))]
        zone_hits.extend((zone, layout.hits(zone.start, zone.end)) for zone in quote_zones[1:])
        zone_hits.append((TITLE_ZONE, title_hits))
        country = quote.speaker.country if quote.speaker else None
        quote.topics = _topics(zone_hits, country, rules, own_words=primary) or _neighbourhood_topics(
            zone_hits, rules
        )
        if reads_features:
            quote_reads.append(quote_features(layout.text, quote, quote_zones, zone_hits, rules, read_words))
    if features is not None:
        features.extend(
            (quote, sorted(read.union(article_features))) for quote, read in zip(quotes, quote_reads)
        )
    if rules.model and quotes:
        for quote, (decided, doubts) in zip(
            quotes, rules.model.decide_many_with_doubts(quote_reads, article_features)
        ):
            quote.topics = _decided_topics(rules, decided, quote.topics, doubts)
    if events:
        for quote, quote_zones, own_date in zip(quotes, zones, own_dates):
            quote.events = _events(layout, quote, quote_zones, rules, events, own_date)
    else:
        for quote in quotes:
            quote.events = []
    _share_within_remarks(quotes)
    return _candidate_events(layout, quotes, rules)


# What each zone's keyword hits are called among the model's features: the quote's sentence (less
# its attribution), the sentences next to it and its setting, the ones beyond, the title.
HIT_FEATURE_PREFIXES = {
    "near": "kq",
    "before": "kc",
    "rest": "kc",
    "setting": "kc",
    "far": "kf",
    "title": "kt",
}


# How much of the article's opening the model reads: the first paragraph or two of a news story,
# which says what the story is about.
OPENING_CHARS = 600


def _article_features(article: ParsedArticle) -> list[str]:
    """The model's features of the whole article: its title's words ("t:") and its opening's
    ("a:")."""
    opening = article.text[:OPENING_CHARS]
    if len(article.text) > OPENING_CHARS:
        opening = opening.rsplit(None, 1)[0]  # not half a word
    return [f"t:{word}" for word in words(article.title)] + [f"a:{word}" for word in words(opening)]


def quote_features(
    text: str,
    quote: ExtractedQuote,
    quote_zones: list["_Zone"],
    zone_hits: list[tuple["_Zone", list[int]]],
    rules: TaggingRules,
    read_words: dict | None = None,
) -> set[str]:
    """What the topic model reads of a quote (see topic_model.py) besides the article's features
    (_article_features, the same for all its quotes): its words ("q:"), the rest of its sentence
    ("n:"), the sentences next to it ("c:") and beyond them ("f:"), the speaker's role and
    organisation ("sp:"), each topic's keyword hits by zone ("kq:", "kc:", "kf:", "kt:"; a weak
    keyword with a "w") and the topics the rules gave ("r:"). Each feature once."""
    span = quote.span
    near = quote_zones[0]
    features = {f"q:{word}" for word in words(span.text)}
    around = text[near.start : max(near.start, span.start)] + " " + text[min(span.end, near.end) : near.end]
    features.update(f"n:{word}" for word in words(around))
    read_words = {} if read_words is None else read_words
    for prefix, stretches in (("c", quote_zones[1:3]), ("f", quote_zones[3:5])):
        for zone in stretches:
            stretch = (prefix, zone.start, zone.end)
            if stretch not in read_words:
                read_words[stretch] = {f"{prefix}:{word}" for word in words(text[zone.start : zone.end])}
            features.update(read_words[stretch])
    speaker = quote.speaker
    if speaker is not None:
        about = " ".join(part for part in (speaker.role, speaker.organisation) if part)
        features.update(f"sp:{word}" for word in words(about))
    topics = rules.topics
    for zone, keywords in zone_hits:
        prefix = HIT_FEATURE_PREFIXES.get(zone.kind)
        if prefix is None:
            continue
        for keyword in keywords:
            for number, group in rules.topic_uses[keyword]:
                if group == KEYWORD:
                    features.add(f"{prefix}:{topics[number].slug}")
                elif group == WEAK_KEYWORD:
                    features.add(f"{prefix}w:{topics[number].slug}")
    features.update(f"r:{slug}" for slug in quote.topics)
    return features


def _decided_topics(
    rules: TaggingRules, decided: list[str], rule_topics: list[str], doubts: frozenset | set = frozenset()
) -> list[str]:
    """The model's topics (`decided`: topics it learnt, or a broad area it is sure of), and the
    rules' for the topics it did not learn (broad areas included: "Armed conflicts" from its
    keywords) or learnt with their rules' help (TopicModel.rules_too). A broad area gives way to
    one of its own topics; a topic the model doubts (`doubts`) gives way to one the rules found in
    its area that the model never learnt, the more specific evidence ("threats to our military":
    the rules' "Safety of personnel", not the model's unsure "Defence")."""
    kept = rules.model.rules_too if rules.model is not None else frozenset()
    unlearnt = {slug for slug in rule_topics if slug not in rules.model_topics}
    found = {slug for slug in decided if slug in rules.taxonomy}  # a learnt topic, or a broad area
    found |= unlearnt | (set(rule_topics) & kept)
    chosen = [(number, topic) for number, topic in enumerate(rules.topics) if topic.slug in found]
    broad = {topic.parent for _, topic in chosen}
    ruled_areas = {topic.parent for _, topic in chosen if topic.slug in unlearnt}
    return [
        topic.slug
        for number, topic in chosen
        if number not in broad and not (topic.slug in doubts and topic.parent in ruled_areas)
    ]


def _events_in_reach(
    rules: TaggingRules, quotes: list[ExtractedQuote], published
) -> list[tuple[int, "_Event"]]:
    """(number, event) for the events some quote of this article could answer; most articles have none."""
    said = [quote.said_on for quote in quotes if quote.said_on]
    if not published or not said:
        return []
    earliest = min(said) - datetime.timedelta(days=rules.window_days)
    return [
        (number, event) for number, event in enumerate(rules.events) if earliest <= event.date <= published
    ]


def _layout(article: ParsedArticle) -> _Article:
    text = article.text
    paragraphs = paragraph_spans(text)
    layout = _Article(
        text, article.published, [start for start, _ in paragraphs], [end for _, end in paragraphs]
    )
    for start, end, date in dates.find_on_dates(text, article.published):
        layout.date_starts.append(start)
        layout.date_ends.append(end)
        layout.date_values.append(date)
    return layout


def _merged(zones: list[list[_Zone]], wide: bool) -> list[tuple[int, int]]:
    """The text ranges the quotes' zones cover, sorted and merged; without `wide`, only the zones
    topics read (the far sentences and the follow-up count for events only)."""
    spans = []
    for quote_zones in zones:
        if wide:
            spans.append((quote_zones[3].start, quote_zones[4].end))  # far before .. far after
            spans.extend((zone.start, zone.end) for zone in quote_zones[5:])  # setting, follow-up
        else:
            spans.append((quote_zones[1].start, quote_zones[2].end))  # before .. rest
            spans.extend((zone.start, zone.end) for zone in quote_zones[5:] if zone.kind == "setting")
    ranges: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(end, ranges[-1][1]))
        else:
            ranges.append((start, end))
    return ranges


def _keyword_hits(rules: TaggingRules, text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(offset, keyword index) of every keyword match inside the given ranges of `text`: what the
    regex KEYWORD_BOUNDARY + rules.trie finds with finditer over each range of the lowercased text."""
    if not ranges:
        return []
    matchable = text.translate(MATCH_TRANSLATION)
    lowered = matchable.lower()
    hits = []
    for start, end in ranges:
        if len(lowered) == len(matchable):
            matches = _automaton_matches(rules, lowered, start, end)
        else:  # a few characters lowercase to two; keep offsets exact
            matches = (
                (match.start(), match.end(), rules.leaves[match.lastgroup])
                for match in _fallback_pattern(rules.trie).finditer(matchable, start, end)
            )
        for match_start, match_end, keywords in matches:
            for keyword in keywords:
                exact = rules.exact.get(keyword)
                if exact is None or exact.fullmatch(matchable, match_start, match_end):
                    hits.append((match_start, keyword))
    return hits


def _automaton_matches(rules: TaggingRules, lowered: str, start: int, end: int) -> list:
    """(start, end, keyword indexes) of the keyword matches in lowered[start:end], in text order.

    The automaton finds every spelling that follows a character a keyword may come after; of those
    that end where a word does, the one the trie regex would try first wins at each offset, and
    the next match is looked for after it, as finditer does."""
    reading, after_runs, removed = _automaton_text(rules, lowered, start, end)
    origin = start - 1  # the character before the range, which tells whether a keyword may start at it
    best: dict[int, tuple[int, int, list[int]]] = {}  # offset -> (rank, end, keywords)
    for last, (rank, length, keywords) in rules.automaton.iter(reading):
        first = last - length + 1
        match_start = origin + first + removed[bisect_right(after_runs, first)]
        match_end = origin + last + 1 + removed[bisect_right(after_runs, last)]
        if match_end < end and (lowered[match_end].isalnum() or lowered[match_end] == "_"):
            continue  # the keyword is the start of a longer word: "war" in "warning"
        if match_start not in best or rank < best[match_start][0]:
            best[match_start] = (rank, match_end, keywords)
    matches = []
    position = start
    for match_start in sorted(best):
        if match_start >= position:
            _, match_end, keywords = best[match_start]
            matches.append((match_start, match_end, keywords))
            position = match_end
    return matches


def _automaton_text(
    rules: TaggingRules, lowered: str, start: int, end: int
) -> tuple[str, list[int], list[int]]:
    """lowered[start:end] as the automaton reads it, after the character before it (a space at the
    text's start): a run of spaces and hyphens is one space, as keywords are spelled, and any other
    character no keyword has is NOT_IN_KEYWORDS (a "," or "(" only says where a keyword may start).

    With what maps its offsets back: `removed[bisect_right(after_runs, offset)]` is how many
    characters the runs of two or more before `offset` stood for beyond their one space."""
    piece = lowered[start - 1 : end] if start else " " + lowered[:end]
    reading = piece.translate(rules.reading_table)
    after_runs: list[int] = []  # where the text after each long run starts in the returned text
    removed = [0]  # characters removed before the text after each run
    if "  " not in reading:
        return reading, after_runs, removed
    parts = []
    position = 0
    run = reading.find("  ")
    while run >= 0:
        run_end = SPACES_RE.match(reading, run).end()
        parts.append(reading[position : run + 1])
        removed.append(removed[-1] + run_end - run - 1)
        after_runs.append(run_end - removed[-1])
        position = run_end
        run = reading.find("  ", position)
    parts.append(reading[position:])
    return "".join(parts), after_runs, removed


@functools.cache
def _fallback_pattern(trie: str) -> re.Pattern:
    return re.compile(KEYWORD_BOUNDARY + trie, re.IGNORECASE)


def _zones(
    layout: _Article, quote: ExtractedQuote, quotes_by_paragraph, short_tags: dict[int, bool]
) -> list[_Zone]:
    """Near, rest, setting and follow-up zones of a quote (see the module docstring)."""
    span = quote.span
    first = layout.paragraph_of(span.start)
    last = layout.paragraph_of(max(span.start, span.end - 1))
    first_starts = layout.sentence_starts(first)
    last_starts = layout.sentence_starts(last)
    opening = bisect_right(first_starts, span.start) - 1
    closing = bisect_right(last_starts, max(span.start, span.end - 1)) - 1

    def sentence_start(starts, paragraph, index):
        return starts[index] if index < len(starts) else layout.paragraph_ends[paragraph]

    near_start = first_starts[opening]
    near_end = sentence_start(last_starts, last, closing + 1)
    # Real paragraphs are a few sentences long; the cap keeps run-together text (a corpus that lost
    # its paragraph breaks) from turning "the rest of the paragraph" into the whole article.
    # The sentence right before and after are "rest"; the ones beyond are "far rest", which counts
    # for keywords but not for `all_of` co-mentions (those need to be close to mean something).
    before, after = first_starts[max(0, opening - 1)], sentence_start(last_starts, last, closing + 2)
    zones = [
        _Zone(near_start, near_end, NEAR, "near"),
        _Zone(before, near_start, REST, "before"),
        _Zone(near_end, after, REST, "rest"),
        _Zone(first_starts[max(0, opening - CONTEXT_SENTENCES)], before, REST, "far"),
        _Zone(after, sentence_start(last_starts, last, closing + 1 + CONTEXT_SENTENCES), REST, "far"),
    ]
    if first > 0 and first not in short_tags:
        short_tags[first] = _is_short_tag(layout, first, quotes_by_paragraph.get(first, [quote]))
    if first > 0 and short_tags[first]:
        setting_starts = layout.sentence_starts(first - 1)
        setting_start = setting_starts[max(0, len(setting_starts) - CONTEXT_SENTENCES - 1)]
        zones.append(_Zone(setting_start, layout.paragraph_ends[first - 1], SETTING, "setting"))
    if last + 1 < len(layout.paragraph_starts):
        next_start = layout.paragraph_starts[last + 1]
        if FOLLOW_UP_RE.match(layout.text, next_start):
            _, sentence_end = layout.sentence_bounds(next_start)
            zones.append(_Zone(next_start, sentence_end, FOLLOW_UP, "follow_up"))
    return zones  # near, rest, rest, far, far, then setting and follow-up when there are any


def _content_hits(layout: _Article, near: _Zone, span) -> list[int]:
    """The keyword hits of the quote's sentence less its attribution: who said it, and where they
    work, say nothing of what it is about ("said Jane Roe, chief investment officer at Acme
    Securities" is no statement on markets)."""
    start, end = near.start, near.end
    hits = []
    attribution = ATTRIBUTION_AFTER_RE.match(layout.text, span.end, end)
    if attribution:
        about = ABOUT_AFTER_ATTRIBUTION_RE.match(layout.text, attribution.end(), end)
        if about:
            hits = layout.hits(about.start(), end)
        end = span.end
    before = ATTRIBUTION_BEFORE_RE.search(layout.text[start : span.start])
    if before:
        # Only the clause with the verb is attribution: "In reply to the question whether the risk
        # of clashes increases, Peskov said" keeps the question.
        clause = layout.text.rfind(",", start, start + before.start())
        if clause > start:
            hits = layout.hits(start, clause) + hits
        start = span.start
    return layout.hits(start, end) + hits


def _is_short_tag(layout: _Article, paragraph: int, quotes: list[ExtractedQuote]) -> bool:
    """True when the paragraph is its quotes plus a few words ("the spokesman stressed")."""
    pieces, position = [], layout.paragraph_starts[paragraph]
    for quote in quotes:  # in text order
        pieces.append((position, quote.span.start))
        position = max(position, quote.span.end)
    pieces.append((position, layout.paragraph_ends[paragraph]))
    pieces = [(start, end) for start, end in pieces if end > start]
    # Cheap test first: eight words never take more than a couple of hundred characters.
    if sum(end - start for start, end in pieces) > 25 * SHORT_TAG_WORDS:
        return False
    return sum(len(WORD_RE.findall(layout.text, start, end)) for start, end in pieces) <= SHORT_TAG_WORDS


def _fill_said_on(
    layout: _Article, quote: ExtractedQuote, zones, quotes_by_paragraph
) -> tuple[int, int] | None:
    """Sets quote.said_on from its attribution; returns the span of the date phrase used, if any.

    Looks at the quote's own sentence, then the sentences around it when every quote there is by
    the same speaker (another speaker's "told reporters on Monday" is not this quote's date), then,
    for a short-tag continuation, the same speaker's quote in the paragraph before. Otherwise the
    published date.
    """
    near, window_start, window_end = zones[0], zones[3].start, zones[4].end
    paragraph = layout.paragraph_of(quote.span.start)
    found = None
    # Every attribution date is an "on <date>": without one nearby there is nothing to read.
    if layout.has_dates(window_start, window_end):
        found = dates.said_on_phrase(layout.text, layout.published, near.start, near.end)
        neighbours = [
            other
            for other in quotes_by_paragraph.get(paragraph, [])
            if window_start <= other.span.start < window_end
        ]
        if not found and _one_speaker(neighbours):
            found = dates.said_on_phrase(layout.text, layout.published, window_start, window_end)
    if found:
        quote.said_on = found[2]
        return found[0], found[1]
    if any(zone.kind == "setting" for zone in zones) and quote.speaker:
        for earlier in quotes_by_paragraph.get(paragraph - 1, []):
            if earlier.speaker and earlier.speaker.name == quote.speaker.name and earlier.said_on:
                quote.said_on = earlier.said_on
                return None
    quote.said_on = layout.published
    return None


def _one_speaker(quotes: list[ExtractedQuote]) -> bool:
    names = {quote.speaker.name if quote.speaker else None for quote in quotes}
    return len(names) == 1 and None not in names


def _topics(
    zone_hits: list[tuple[_Zone, list[int]]],
    country: str | None,
    rules: TaggingRules,
    previous_sentence=False,
    own_words=False,
) -> list[str]:
    """Topic slugs that the keyword hits of each zone (and the speaker's country) give; with
    `own_words`, a co-mention counts only the words of the quote's own sentence (or the one before).

    A keyword tags when it is in the quote's own sentence (or, for a short-tag continuation, twice
    in its setting), a weak keyword when another of the topic's words joins it there or in the
    title; the sentences around only complete a co-mention that the quote's sentence starts, and
    the title only settles one or weighs between topics the sentence names. Of the
    topics that apply, only those with nearly as much evidence as the best one are kept: one
    passing word ("the company" in a quote on interest rates) does not make a second topic. A
    broad area gives way to a topic of its own that applies (a quote on "the yen" is filed under
    currencies, not also under the economy)."""
    scores: dict[int, float] = {}
    seen: set[tuple[int, int]] = set()  # (topic, keyword) counted, so a repeated word counts once
    groups: dict[int, set[int]] = {}
    anchored: set[int] = set()  # topics with a co-mention group in the quote's own sentence
    title: list[int] = []
    named_near: set[int] = set()  # topics the quote's own sentence names, however weakly
    for zone, keywords in zone_hits:
        kind = zone.kind
        if kind == "title":
            title = keywords
        elif kind in ("follow_up", "far"):
            continue
        scoring = kind in ("near", "setting", "earlier")
        co_mentions = not own_words or kind in OWN_ZONES
        for keyword in keywords:
            for number, group in rules.topic_uses[keyword]:
                if group >= 0:
                    if not co_mentions:
                        continue
                    groups.setdefault(number, set()).add(group)
                    if scoring:
                        anchored.add(number)
                elif scoring and (number, keyword) not in seen:
                    seen.add((number, keyword))
                    if kind == "near":
                        named_near.add(number)
                    weight = zone.weight * (WEAK_WEIGHT if group == WEAK_KEYWORD else 1.0)
                    scores[number] = scores.get(number, 0.0) + weight
    if not scores and not anchored:  # no topic and no co-mention can apply: most quotes
        return [] if previous_sentence else _topics_of_sentence_before(zone_hits, country, rules, own_words)
    if groups and country:
        for number, group in rules.country_groups.get(country, ()):
            if number in groups:
                groups[number].add(group)
    # The title weighs in on the topics the quote's sentence names, never on others: it completes a
    # weak keyword ("terrific results," in a story titled "... profit beats forecasts") and breaks
    # ties between topics.
    for keyword in set(title):
        for number, group in rules.topic_uses[keyword]:
            if number in scores and group < 0:
                scores[number] += TITLE_WEIGHT * (WEAK_WEIGHT if group == WEAK_KEYWORD else 1.0)
    evidence = {number: score for number, score in scores.items() if score >= TOPIC_THRESHOLD}
    if previous_sentence:
        evidence = {
            number: score
            for number, score in evidence.items()
            if score >= EARLIER_THRESHOLD or number in named_near
        }
    co_mentioned = {
        number
        for number, hit in groups.items()
        if number in anchored and len(hit) == rules.topics[number].group_count
    }
    if not evidence and not co_mentioned and not previous_sentence:
        return _topics_of_sentence_before(zone_hits, country, rules, own_words)
    # A broad area gives way to a topic of its own that applies; the others compete on evidence,
    # except a co-mention ("Syria" + "ceasefire"): a conjunction is specific by itself.
    broad = {rules.topics[number].parent for number in co_mentioned | set(evidence)}
    evidence = {number: score for number, score in evidence.items() if number not in broad}
    best = max(evidence.values(), default=0.0)
    found = co_mentioned | {number for number, score in evidence.items() if score >= KEEP_RATIO * best}
    return [rules.topics[number].slug for number in sorted(found) if number not in broad]


def _topics_of_sentence_before(
    zone_hits: list[tuple[_Zone, list[int]]], country: str | None, rules: TaggingRules, own_words=False
) -> list[str]:
    """Nothing in the quote's sentence: it refers back ("this latest proposal remains 'on the
    table'"), and the sentence before says to what. That sentence stands for the quote's, but the
    sentence after the quote is not next to it: it completes no co-mention."""
    earlier = [
        (_Zone(zone.start, zone.end, NEAR, "earlier"), keywords)
        for zone, keywords in zone_hits
        if zone.kind == "before"
    ]
    if not earlier:
        return []
    return _topics(
        earlier + [item for item in zone_hits if item[0].kind not in ("before", "rest")],
        country,
        rules,
        previous_sentence=True,
        own_words=own_words,
    )


def _neighbourhood_topics(zone_hits: list[tuple[_Zone, list[int]]], rules: TaggingRules) -> list[str]:
    """Topics the sentences around a quote and the article's title give, for a quote whose own
    sentence gives none (see NEIGHBOURHOOD_WEIGHTS); co-mention groups do not count here."""
    scores: dict[int, float] = {}
    in_text: dict[int, float] = {}
    seen: set[tuple[int, int]] = set()
    for zone, keywords in zone_hits:
        weight = NEIGHBOURHOOD_WEIGHTS.get(zone.kind)
        if weight is None:
            continue
        for keyword in keywords:
            for number, group in rules.topic_uses[keyword]:
                if group >= 0 or (number, keyword) in seen:
                    continue
                seen.add((number, keyword))
                score = weight * (WEAK_WEIGHT if group == WEAK_KEYWORD else 1.0)
                scores[number] = scores.get(number, 0.0) + score
                if zone.kind != "title":
                    in_text[number] = in_text.get(number, 0.0) + score
    evidence = {
        number: score
        for number, score in scores.items()
        if score >= NEIGHBOURHOOD_THRESHOLD and in_text.get(number, 0.0) >= TOPIC_THRESHOLD
    }
    broad = {rules.topics[number].parent for number in evidence}
    best = max(evidence.values(), default=0.0)
    found = [
        number for number, score in evidence.items() if number not in broad and score >= KEEP_RATIO * best
    ]
    return [rules.topics[number].slug for number in sorted(found)]


def _events(
    layout, quote: ExtractedQuote, zones, rules: TaggingRules, events, own_date_span
) -> list[tuple[str, float]]:
    """Links to the `events` (number, event) near enough in time that the quote's context names."""
    if not quote.said_on:
        return []
    text_evidence: dict[int, float] = {}
    for zone in zones:
        for keyword in layout.hits(zone.start, zone.end):
            for number in rules.event_uses[keyword]:
                text_evidence[number] = text_evidence.get(number, 0.0) + zone.weight
    dated: dict[datetime.date, float] = {}
    for zone in zones:
        for start, date in layout.dates_in(zone.start, zone.end):
            if own_date_span and own_date_span[0] <= start < own_date_span[1]:
                continue  # the quote's own "told reporters on Tuesday" dates the quote, not an event
            dated[date] = max(dated.get(date, 0.0), zone.weight)

    speaker = quote.speaker
    links = []
    for number, event in events:
        days = (quote.said_on - event.date).days
        if not 0 <= days <= rules.window_days:
            continue
        named = min(text_evidence.get(number, 0.0), 2.0)
        on_the_day = dated.get(event.date, 0.0)
        shares_topic = bool(event.topics.intersection(quote.topics))
        # A date says when, not what: without a keyword it must be the quote's own context's date
        # ("The statement came in response to ... a press briefing on Wednesday") on a shared topic.
        if not named and (on_the_day < NEAR or not shares_topic):
            continue
        evidence = named + on_the_day
        if shares_topic:
            evidence += 0.5
        if speaker and (speaker.organisation in event.organisations or speaker.country in event.countries):
            evidence += 0.25
        if evidence < 1.0:
            continue
        closeness = 1.0 - 0.5 * days / rules.window_days
        links.append((event.slug, round(min(1.0, evidence / 2) * closeness, 2)))
    links.sort(key=lambda link: -link[1])
    return links


def _share_within_remarks(quotes: list[ExtractedQuote]) -> None:
    """Quotes by one speaker on one day answer the same events (at lower confidence)."""
    remarks: dict[tuple[str, datetime.date], list[ExtractedQuote]] = {}
    for quote in quotes:
        if quote.speaker and quote.said_on:
            remarks.setdefault((quote.speaker.name, quote.said_on), []).append(quote)
    for group in remarks.values():
        best: dict[str, float] = {}
        for quote in group:
            for slug, confidence in quote.events:
                best[slug] = max(best.get(slug, 0.0), confidence)
        for quote in group:
            linked = {slug for slug, _ in quote.events}
            for slug, confidence in best.items():
                if slug not in linked:
                    quote.events.append((slug, round(confidence * REMARKS_FACTOR, 2)))
            quote.events.sort(key=lambda link: -link[1])


def _candidate_events(
    layout: _Article, quotes: list[ExtractedQuote], rules: TaggingRules
) -> list[CandidateEvent]:
    if not layout.published:  # "on Monday" means nothing, and a written year cannot be aged
        return []
    quoted = sorted((quote.span.start, quote.span.end) for quote in quotes)
    candidates: list[CandidateEvent] = []
    seen: set[tuple[datetime.date, int]] = set()
    for start, end, date in zip(layout.date_starts, layout.date_ends, layout.date_values):
        if _inside(quoted, start) or (layout.published - date).days > CANDIDATE_MAX_AGE_DAYS:
            continue
        sentence_start, sentence_end = layout.sentence_bounds(start)
        before = layout.text[sentence_start:start]
        sentence = layout.text[sentence_start:sentence_end].strip()
        date_first = DATE_OPENING_RE.fullmatch(before) is not None
        if date_first:
            reports_development = EVENT_VERB_RE.search(layout.text, end, sentence_end) is not None
        else:
            reports_development = VERB_BEFORE_DATE_RE.search(before) is not None
        if not reports_development or FUTURE_RE.search(sentence) or (date, sentence_start) in seen:
            continue
        keywords = [
            keyword for _, keyword in _keyword_hits(rules, layout.text, [(sentence_start, sentence_end)])
        ]
        # Only developments in the subjects events are kept for (diplomacy, conflicts, security,
        # not a company's launch): such a topic must apply to the sentence itself.
        sentence_topics = _topics(
            [(_Zone(sentence_start, sentence_end, NEAR, "near"), keywords)], None, rules
        )
        if not any(rules.proposes_events(slug) for slug in sentence_topics):
            continue
        if _duplicates_event(rules, date, keywords, sentence):
            continue
        seen.add((date, sentence_start))
        title_text = layout.text[end:sentence_end] if date_first else sentence
        candidates.append(
            CandidateEvent(date=date, title=_title(title_text), sentence=sentence, start=sentence_start)
        )
    return candidates


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    index = bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def _duplicates_event(rules: TaggingRules, date, keywords: list[int], sentence: str) -> bool:
    """True when an existing event has this date and the sentence names it or shares its words."""
    same_day = [number for number, event in enumerate(rules.events) if event.date == date]
    if not same_day:
        return False
    named = {number for keyword in keywords for number in rules.event_uses[keyword]}
    words = _content_words(sentence)
    for number in same_day:
        shared = words & rules.events[number].words
        if number in named or len(shared) >= 3:
            return True
    return False


def _title(text: str) -> str:
    text = DATELINE_PREFIX_RE.sub("", text.strip()).strip(" ,;:").rstrip(".")
    if len(text) > TITLE_LENGTH:
        text = text[:TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text[:1].upper() + text[1:]


def _content_words(text: str) -> frozenset:
    return frozenset(
        word for word in WORD_RE.findall(text.lower()) if len(word) > 2 and word not in TITLE_STOPWORDS
    )


# --- keyword compilation -------------------------------------------------------------------------

# What may not come right before a keyword (on lowercased text): a keyword never starts inside a
# word.
KEYWORD_BOUNDARY = "(?<![a-z0-9])"
# How the trie regex matches each of these atoms, in the order it tries the ways (greedy first); a
# run of separators is one space in the text the automaton reads.
ATOM_SPELLINGS = {"s?": ("s", ""), "(?:es)?": ("es", ""), "(?:y|ies)": ("y", "ies"), SEPARATOR: (" ",)}
ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)


def _keyword_key(keyword: str) -> tuple[bool, tuple[str, ...]]:
    """(case_sensitive, regex atoms) for a keyword; equal keys are the same keyword."""
    words = [word for word in re.split(SEPARATOR, keyword.strip().replace("’", "'")) if word]
    case_sensitive = any(_is_acronym(word) for word in words)
    atoms: list[str] = []
    for number, word in enumerate(words):
        if number:
            atoms.append(SEPARATOR)
        stem, suffix = _plural(word)
        atoms.extend(re.escape(char) for char in (stem if case_sensitive else stem.lower()))
        if suffix:
            atoms.append(suffix)
    return case_sensitive, tuple(atoms)


def _credit_contained_keywords(keyword_index: dict, uses: list[list[tuple[str, int, int]]]) -> None:
    """A match consumes its words, so "coordinate moves" hides "coordinate": a keyword's match
    also counts for every keyword made of some of its consecutive words. A keyword written in the
    plural ("rebels") matches what its singular ("rebel", which accepts plurals) would, so it
    counts for that one too."""
    direct = [list(keyword_uses) for keyword_uses in uses]
    for (_case_sensitive, atoms), index in keyword_index.items():
        words = _split_words(atoms)
        for first in range(len(words)):
            for last in range(first + 1, len(words) + 1):
                part = _join_words(words[first:last])
                for form in (part, _singular_twin(part)):
                    if form is None or form == atoms:
                        continue
                    for key in ((True, form), (False, tuple(atom.lower() for atom in form))):
                        contained = keyword_index.get(key)
                        if contained is not None:
                            uses[index].extend(use for use in direct[contained] if use not in uses[index])


def _plural_first(atom: str) -> str:
    return atom + "\uffff" if atom == "s?" else atom


def _singular_twin(atoms: tuple[str, ...]) -> tuple[str, ...] | None:
    """The atoms of the same words with the last one in the singular ("rebel" for "rebels"),
    when the last word is a plural in s."""
    if len(atoms) > 3 and atoms[-1] == "(?:es)?" and atoms[-2] == "s" and atoms[-3] not in ("s", "u", "i"):
        return (*atoms[:-2], "s?")
    return None


def _apply_exclusions(uses: list[list[tuple[str, int, int]]]) -> None:
    """A topic's `none_of` phrase is a match that does not count for it: "trade show" matches
    whole (the longest match wins), and its credit for "trade" is taken back for that topic."""
    for index, keyword_uses in enumerate(uses):
        excluded = {number for kind, number, _ in keyword_uses if kind == "exclude"}
        uses[index] = [
            use for use in keyword_uses if use[0] == "event" or (use[0] == "topic" and use[1] not in excluded)
        ]


def _split_words(atoms: tuple[str, ...]) -> list[tuple[str, ...]]:
    words, current = [], []
    for atom in atoms:
        if atom == SEPARATOR:
            words.append(tuple(current))
            current = []
        else:
            current.append(atom)
    words.append(tuple(current))
    return words


def _join_words(words: list[tuple[str, ...]]) -> tuple[str, ...]:
    atoms: list[str] = []
    for number, word in enumerate(words):
        if number:
            atoms.append(SEPARATOR)
        atoms.extend(word)
    return tuple(atoms)


def _is_acronym(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return (
        len(letters) >= 2 and all(char.isupper() for char in letters) or ("." in word and len(letters) >= 1)
    )


def _plural(word: str) -> tuple[str, str]:
    """The word's stem and a regex suffix that also accepts its plural."""
    lower = word.lower()
    if _is_acronym(word) or not word.isalpha() or len(word) < 3:
        return word, ""
    if lower.endswith("y") and lower[-2] not in "aeiou":
        return word[:-1], "(?:y|ies)"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word, "(?:es)?"
    return word, "s?"


def _keyword_automaton(
    entries: list[tuple[tuple[str, ...], int]], leaves: dict[str, list[int]]
) -> tuple[ahocorasick.Automaton, str]:
    """An automaton that finds the trie regex's matches (see _trie_pattern), and the characters
    keywords are spelled with.

    Each spelling the regex accepts ("ceasefire", "cease fire", "ceasefires") goes in with its rank,
    the order in which the regex tries it: of the spellings that match at an offset, the regex takes
    the first that ends where a word does, so _automaton_matches takes the lowest rank. A spelling
    goes in after each character it may follow (a space, or a character some keyword has that is
    not a letter or digit, like the "'" of "'ceasefire'"), so matches inside words are never found."""
    root: dict = {}
    for atoms, leaf in entries:  # the trie text.trie_pattern builds, in the same order
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[None] = leaf
    ranks: dict[str, tuple[int, int]] = {}
    for rank, (spelling, leaf) in enumerate(_spellings(root, "", [])):
        ranks.setdefault(spelling, (rank, leaf))  # the same letters another way: the regex's first counts
    alphabet = "".join(sorted({char for spelling in ranks for char in spelling}))
    boundaries = sorted(
        {char for char in alphabet + " " + NOT_IN_KEYWORDS if not re.fullmatch("[a-z0-9]", char)}
    )
    automaton = ahocorasick.Automaton()
    for spelling, (rank, leaf) in ranks.items():
        found = (rank, len(spelling), leaves[f"k{leaf}"])
        for boundary in boundaries:
            automaton.add_word(boundary + spelling, found)
    automaton.make_automaton()
    return automaton, alphabet


class _ReadingTable(dict):
    """str.translate's table from lowercased text to what the automaton reads: a separator (a space,
    a line break, a hyphen) is a space, as keywords are spelled, a letter or digit or a character
    some keyword has is itself, and any other character is NOT_IN_KEYWORDS. Each character is
    looked up the first time it is met."""

    def __init__(self, alphabet: str):
        super().__init__()
        self.alphabet = alphabet

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if re.fullmatch(SEPARATOR, char):
            reading = " "
        elif char in self.alphabet or re.fullmatch("[a-z0-9]", char):
            reading = char
        else:
            reading = NOT_IN_KEYWORDS
        self[code] = reading
        return reading


def _spellings(node: dict, prefix: str, found: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """(spelling, leaf) of every path through the trie, in the order the trie regex tries them: a
    node's children in order, each atom's ways in order, and the keyword ending here last."""
    for atom, child in node.items():
        if atom is not None:
            for way in _ways(atom):
                _spellings(child, prefix + way, found)
    if None in node:
        found.append((prefix, node[None]))
    return found


@functools.cache
def _ways(atom: str) -> tuple[str, ...]:
    """The texts a trie atom matches, in the order the regex tries them (a literal atom: itself)."""
    return ATOM_SPELLINGS.get(atom) or (ESCAPE_RE.sub(r"\1", atom),)


def _trie_pattern(entries: list[tuple[tuple[str, ...], int]]) -> str:
    """One regex for all keywords, shaped as a trie; the group named after a keyword's leaf tells
    which keyword matched. The text is lowercased (or the regex case-insensitive); where a keyword
    may start is KEYWORD_BOUNDARY's business."""
    return trie_pattern(entries, end=lambda leaf: rf"(?!\w)(?P<k{leaf}>)")
