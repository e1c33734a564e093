"""Attribution: who said each quotation.

For every quote span, `find_speaker` tries the rules of `RULES` in this order and takes the first
that names somebody:
1. named_after: the reporting clause right after the closing mark: '"...," Peskov said', '"...,"
   said the spokesman', '"...?" Zakharova asked', '"...," according to the spokesman' (not when the
   quote ended its sentence and a new one starts: '... "beyond his control." Bloomberg says ...');
2. named_before: the clause before the opening mark in the same sentence: 'Peskov said "..."',
   'Kirby said that ... "..."', 'Konashenkov said: "..."', 'According to X, ... "..."', the middle
   of a split quote ('"A," he said, "B."'), a digest's 'Carl Bialik: "..."', or a short attribution
   sentence just before ('"Worried," Carson said. "There is ..."'). An unnamed source there ("one
   of the prosecutors said") counts only when there is no clause after the quote;
3. unnamed_after: an unnamed source in the clause after the quote ('"...," a senior aide said');
4. signature_line: a quotation paragraph signed on the next line ('- Sanders.');
5. same_sentence_as_previous: the speaker of the quote before it in the same sentence ('Kirby said
   that "A" as "B"');
6. joined_to_next: the clause after the next quote when the two are joined by "and" ('"A" and "B,"
   Dean said');
7. subject_of_partial: for a quote inside a sentence, the subject leading that sentence ('Obama
   described the attack as "..."');
8. pronoun_before_partial: then the last "he"/"she" in that sentence;
9. previous_speaker: the previous quote's speaker in the same paragraph, or in the previous one
   when this paragraph opens with the quote;
10. subject_of_sentence_before and 11. subject_of_paragraph_before: for a quotation that stands
   alone, the subject of the sentence or the paragraph just before it.
When none applies the speaker stays None: the article does not say who, so we do not guess.

The parts: clauses.py finds reporting clauses, people.py the people the article names and their
roles, speakers.py whom a clause's subject means; the words they know are in lexicon.py.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from .actors import Gazetteer
from .clauses import (
    CLOSING_JUNK,
    OPENING_MARKS,
    Clause,
    clause_after,
    clause_before,
    previous_paragraph_subject,
    sentence_subject,
)
from .people import ArticleContext
from .records import ExtractedQuote, ParsedArticle, QuoteSpan, SpeakerMention
from .speakers import PRONOUN_PENALTY, mention_for, pronoun_person, resolve
from .text import PARAGRAPH_BREAK, has_sentence_boundary, paragraph_end, paragraph_start

# Confidence of each way of finding the speaker (a Clause's `where`).
CONFIDENCE = {
    "after": 0.95,
    "before": 0.85,
    "same_sentence": 0.75,
    "same_paragraph": 0.7,
    "previous_paragraph": 0.6,
}
# People named further than this after the last quote cannot be anybody's speaker.
SPEAKER_REACH = 400
# How far after a closing mark a capital shows that a new sentence starts.
NEW_SENTENCE_REACH = 4
# A paragraph that signs the quotation before it: "- Sanders." / "—President Obama, tweeting ..."
DASH_SIGNATURE_RE = re.compile(r"[-–—]+\s*((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w'’-]*)[.,]?(?:\s|$)")
# What joins two quotes that share one clause: '"A" and "B," Dean said'.
JOINER_RE = re.compile(r"[\"”’'»,\s]*(?:and|or|,)[\s\"“‘'«]*")
SUBJECT_PRONOUN_RE = re.compile(r"\b([Hh]e|[Ss]he)\b")

# (speaker, verb as written, confidence)
Found = tuple[SpeakerMention, str, float]


def attribute(
    article: ParsedArticle,
    spans: list[QuoteSpan],
    gazetteer: Gazetteer,
    context: ArticleContext | None = None,
) -> list[ExtractedQuote]:
    """The quotes with their speakers. `context` is the article's people and organisations
    (article_context()), when the caller needs them too; else they are read up to the last quote."""
    if not spans:
        return []
    text = masked_dateline(article)
    if context is None:
        context = ArticleContext(
            text, gazetteer, end=min(len(text), spans[-1].end + SPEAKER_REACH), outlet=article.source
        )
    results: list[ExtractedQuote] = []
    previous: ExtractedQuote | None = None
    for index, span in enumerate(spans):
        following = spans[index + 1] if index + 1 < len(spans) else None
        speaker, verb, confidence = find_speaker(QuoteInText(text, span, following, previous, context))
        if speaker is not None and is_own_outlet(speaker, article):
            speaker, verb = None, ""
        confidence = round(confidence, 2) if speaker else 0.0
        quote = ExtractedQuote(span=span, speaker=speaker, verb=verb, confidence=confidence)
        results.append(quote)
        previous = quote
    return results


def article_context(article: ParsedArticle, gazetteer: Gazetteer) -> ArticleContext:
    """The people and organisations of the whole article (its dateline blanked), for stages that
    share them: attribution and reported speech."""
    return ArticleContext(masked_dateline(article), gazetteer, outlet=article.source)


def is_own_outlet(speaker: SpeakerMention, article: ParsedArticle) -> bool:
    """Whether the speaker found is the outlet that published the article: "the draft obtained by
    Reuters said", "Reuters reported" in a Reuters story name the reporter, not who spoke, so the
    quote is left without a speaker rather than filed under the outlet."""
    outlet = article.source.strip().casefold()
    return bool(outlet) and not speaker.is_unnamed and speaker.name.strip().casefold() == outlet


def masked_dateline(article: ParsedArticle) -> str:
    """The text with its dateline ("LONDON (Reuters) - ") blanked: the same length, so offsets
    still hold, but neither the place nor the outlet can be a speaker, a role or a country."""
    end = article.dateline_end
    return " " * end + article.text[end:] if end else article.text


@dataclass
class QuoteInText:
    """One quote span with what the rules look at around it."""

    text: str
    span: QuoteSpan
    following: QuoteSpan | None  # the next quote span of the article
    previous: ExtractedQuote | None  # the quote before, already attributed
    context: ArticleContext

    def __post_init__(self):
        text, span = self.text, self.span
        self.paragraph_start = paragraph_start(text, span.start)
        self.paragraph_end = paragraph_end(text, span.end)
        self.sentence_start = self.context.sentences.last_start(self.paragraph_start, span.start)
        previous_end = self.previous.span.end if self.previous else 0
        # words of the sentence come before the quote: it is part of the reporter's sentence
        self.embedded = bool(
            text[max(self.sentence_start, previous_end) : span.start].strip(OPENING_MARKS + CLOSING_JUNK)
        )
        # the quote ends its sentence and a new one starts after it
        self.ended = (
            span.text.rstrip("'’\")] ")[-1:] in ".!?"
            and text[span.end : span.end + NEW_SENTENCE_REACH].lstrip(CLOSING_JUNK)[:1].isupper()
        )

    def first_speaker(self, clauses: list[Clause]) -> Found | None:
        """(speaker, verb, confidence) from the first clause that names somebody, or None."""
        for clause in clauses:
            speaker, penalty = resolve(clause, self.context, self.previous)
            if speaker is not None:
                return speaker, clause.verb, CONFIDENCE[clause.where] - penalty
        return None

    @cached_property
    def after(self) -> Found | None:
        """The speaker the clause after the quote names; words after a quote that ended a sentence
        embedded in the reporter's own belong to the next sentence."""
        if self.embedded and self.ended:
            return None
        limit = min(self.following.start if self.following else len(self.text), self.paragraph_end)
        return self.first_speaker(clause_after(self.text, self.span.end, limit))

    @cached_property
    def continues(self) -> str | None:
        """How a quote with no clause of its own continues the previous quote's speaker, if it does:
        "same_sentence", "same_paragraph" or "previous_paragraph" (a paragraph that opens with the
        quote, right after the paragraph holding the previous one)."""
        if not (self.previous and self.previous.speaker):
            return None
        between = self.text[self.previous.span.end : self.span.start]
        if PARAGRAPH_BREAK not in between:
            one_sentence = not has_sentence_boundary(between.strip(CLOSING_JUNK) + " ")
            return "same_sentence" if one_sentence else "same_paragraph"
        opens_paragraph = self.text[self.paragraph_start : self.span.start].strip(" " + OPENING_MARKS) == ""
        if opens_paragraph and between.count(PARAGRAPH_BREAK) == 1:
            return "previous_paragraph"
        return None


def named_after(quote: QuoteInText) -> Found | None:
    if quote.after and not quote.after[0].is_unnamed:
        return quote.after
    return None


def named_before(quote: QuoteInText) -> Found | None:
    previous_end = quote.previous.span.end if quote.previous else 0
    clauses = clause_before(
        quote.text, max(quote.paragraph_start, previous_end), quote.span.start, quote.context.sentences
    )
    found = quote.first_speaker(clauses)
    # 'Trump claimed that "...," one of the prosecutors said': the named speaker before wins
    if found and (quote.after is None or not found[0].is_unnamed):
        return found
    return None


def unnamed_after(quote: QuoteInText) -> Found | None:
    return quote.after


def signature_line(quote: QuoteInText) -> Found | None:
    text, end = quote.text, quote.paragraph_end
    if quote.embedded or text[quote.span.end : end].strip(CLOSING_JUNK) != "":
        return None
    signature = DASH_SIGNATURE_RE.match(text, end + 2) if end + 2 < len(text) else None
    if signature is None:
        return None
    clause = Clause(signature.group(1), "", signature.start(1), "after", inverted=True)
    speaker, penalty = resolve(clause, quote.context, quote.previous)
    return (speaker, "", CONFIDENCE["after"] - penalty) if speaker is not None else None


def same_sentence_as_previous(quote: QuoteInText) -> Found | None:
    if quote.continues == "same_sentence":
        return quote.previous.speaker, quote.previous.verb, CONFIDENCE["same_sentence"]
    return None


def joined_to_next(quote: QuoteInText) -> Found | None:
    following = quote.following
    if following is None or not JOINER_RE.fullmatch(quote.text[quote.span.end : following.start]):
        return None
    for clause in clause_after(quote.text, following.end, quote.paragraph_end):
        speaker, penalty = resolve(clause, quote.context, quote.previous)
        if speaker is not None:
            return speaker, clause.verb, CONFIDENCE["same_sentence"] - penalty
    return None


def subject_of_partial(quote: QuoteInText) -> Found | None:
    if not quote.embedded:
        return None
    for clause in sentence_subject(quote.text, quote.sentence_start, quote.span.start):
        speaker, penalty = resolve(clause, quote.context, quote.previous)
        if speaker is not None:
            return speaker, clause.verb, CONFIDENCE["same_sentence"] - penalty
    return None


def pronoun_before_partial(quote: QuoteInText) -> Found | None:
    """ "When he returned he began by saying, '...'": the last he or she before the quote."""
    if not quote.embedded:
        return None
    pronoun = None
    for pronoun in SUBJECT_PRONOUN_RE.finditer(quote.text, quote.sentence_start, quote.span.start):  # noqa: B007
        pass  # the loop keeps the last pronoun, the one nearest the quote
    person = pronoun_person(quote.context, pronoun.start(), quote.previous) if pronoun else None
    if person is None:
        return None
    return mention_for(person, quote.context), "", CONFIDENCE["same_sentence"] - 2 * PRONOUN_PENALTY


def previous_speaker(quote: QuoteInText) -> Found | None:
    if quote.continues:
        return quote.previous.speaker, quote.previous.verb, CONFIDENCE[quote.continues]
    return None


def subject_of_sentence_before(quote: QuoteInText) -> Found | None:
    """'Bolton distanced himself from ... . "I'm going to support him"': the previous sentence's subject."""
    text, start = quote.text, quote.paragraph_start
    if quote.embedded or quote.sentence_start <= start:
        return None
    end_of_previous = quote.sentence_start
    while end_of_previous > start and text[end_of_previous - 1].isspace():
        end_of_previous -= 1
    previous_sentence = quote.context.sentences.last_start(start, end_of_previous)
    for clause in sentence_subject(text, previous_sentence, quote.sentence_start)[:1]:
        speaker, penalty = resolve(clause, quote.context, quote.previous)
        if speaker is not None:
            return speaker, "", CONFIDENCE["previous_paragraph"] - penalty
    return None


def subject_of_paragraph_before(quote: QuoteInText) -> Found | None:
    """A paragraph opening with a quotation carries on from whoever the previous paragraph is about."""
    if quote.embedded or quote.paragraph_start < len(PARAGRAPH_BREAK):
        return None
    clause = previous_paragraph_subject(quote.text, quote.paragraph_start, quote.context.sentences)
    if clause is None:
        return None
    speaker, _penalty = resolve(clause, quote.context, quote.previous)
    return (speaker, "", CONFIDENCE["previous_paragraph"]) if speaker is not None else None


# The ways of finding the speaker, in the order they are tried (see the module docstring).
RULES = (
    named_after,
    named_before,
    unnamed_after,
    signature_line,
    same_sentence_as_previous,
    joined_to_next,
    subject_of_partial,
    pronoun_before_partial,
    previous_speaker,
    subject_of_sentence_before,
    subject_of_paragraph_before,
)


def find_speaker(quote: QuoteInText) -> tuple[SpeakerMention | None, str, float]:
    """(speaker, verb, confidence) from the first rule that names somebody, else (None, "", 0.0)."""
    for rule in RULES:
        found = rule(quote)
        if found:
            return found
    return None, "", 0.0
