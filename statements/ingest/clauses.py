"""Reporting clauses: the words around a quotation that say who spoke.

Each finder returns `Clause`s, candidates in the order they should be tried: the subject as the
text writes it ("Russian Deputy Foreign Minister Sergey Ryabkov", "he", "the spokesman", "the
ministry"), the verb, and where it was found. Who a subject means is decided later, in speakers.py.
"""

import re
from dataclasses import dataclass

from .lexicon import (
    GROUP_PRONOUNS,
    INTRO_WORDS,
    NAME_PARTICLES,
    PRONOUNS,
    RELATIVE_PRONOUNS,
    ROLE_NOUNS,
    SPEAKER_FOLLOWS,
    TITLES,
    VERB_RE,
)
from .text import PARAGRAPH_BREAK, SentenceIndex, first_sentence, paragraph_start

OPENING_MARKS = "\"“«'‘"
# What may stand between a closing mark and its clause: '...," he said' / '...." - Sanders'.
CLOSING_JUNK = " \t\"”»'’,.;:!?—–-"
# A subject longer than this is a clause of its own, not who spoke.
MAX_SUBJECT_WORDS = 14
# How far after a quote its reporting clause is looked for ('"...," said the spokesman for ...').
AFTER_REACH = 200
# How far back a short attribution sentence before a quote may start, and how many characters
# may follow its verb ('Sam Lau, ..., said in a statement. "..."').
PREVIOUS_SENTENCE_REACH = 400
SHORT_TAIL = 60
# A sentence's subject is looked for in its first comma-separated parts, and in their first words.
SUBJECT_PARTS = 4
SUBJECT_HEAD_WORDS = 10
# Where the speaker named after its verb ends: "said Monte Shaw | in an interview".
INVERTED_END_RE = re.compile(
    r"\s+(?:said|says|in an?|on|at|during|after|before|that|because|when|while|who)\b|[;:!?—]|\.$"
)
WITH_NAME_RE = re.compile(r"\bwith ((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*)\s+(?:[a-z]+ly\s+)?$")
# "Name:" right before the quote, with no verb
COLON_NAME_RE = re.compile(r"(?:^|[-–—]\s+)((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w'’-]*)\s*:\s*$")
# A signature in capitals before a quote: a name of two to four words, then its title, firm and city.
CAPS_SIGNATURE_RE = re.compile(
    r"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]*){1,3}(?:,\s*[^,a-z\"“”:]{2,80}){1,5}\s*:?$"
)
# A remark named by whose it is, right before the quote: "Ginsburg's comments that", "Trump's call for"
# (not "her remark": the last woman named is too often not the one who made it)
POSSESSIVE_SPEECH_RE = re.compile(
    r"\b(?P<name>(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'-]*)['’]s\s+"
    r"(?:[\w-]+\s+){0,2}(?:remarks?|comments?|call|calls|promise|pledge|claim|statement|words|warning|assertion"
    r"|vow|quip|tweet|description|insistence|boast|admission|declaration|demand|charge|accusation)"
    r"(?:\s+(?:that|of|for|to|about|on))?\s*,?$"
)


@dataclass
class Clause:
    subject: str
    verb: str
    subject_start: int  # offset of the subject in the article text
    where: str  # how close to the quote: a key of attribution.CONFIDENCE ("after", "before", ...)
    inverted: bool = False  # the speaker follows the verb: "said Peskov", "according to X"
    strict: bool = False  # a guess from sentence structure: only names the article already gave


def clause_after(text: str, quote_end: int, limit: int) -> list[Clause]:
    """'"...," Peskov said' / '"...," said the spokesman' / '"...," according to X'."""
    start = quote_end
    while start < limit and text[start] in CLOSING_JUNK + "“«":  # "“" misused as a closing mark too
        start += 1
    window = text[start : min(limit, start + AFTER_REACH)]
    sentence = first_sentence(window)
    match = VERB_RE.search(sentence)
    if not match:
        return []
    subject = sentence[: match.start()].strip()
    verb = (match.group("verb") + (match.group("object") or "")).strip()
    following = INVERTED_END_RE.split(sentence[match.end() :])[0].strip().rstrip(",")
    inverted = [Clause(following, verb, start + match.end(), "after", inverted=True)] if following else []
    if match.group("verb").lower() in SPEAKER_FOLLOWS or not subject:
        return inverted
    clauses = []
    first_part = subject.split(",")[0]
    if ";" not in subject and (len(subject.split()) <= MAX_SUBJECT_WORDS or len(first_part.split()) <= 6):
        clauses.append(Clause(subject, verb, start, "after"))
    elif "," in subject and len(subject.rsplit(",", 1)[1].split()) <= 4:
        # 'Fundraising was "stagnant" as donors waited to see ..., he said.': the words before the verb
        tail = subject.rsplit(",", 1)[1]
        clauses.append(Clause(tail.strip(), verb, start + len(subject) - len(tail.lstrip()), "after"))
    if subject.endswith(","):
        # '"...," like the recent volatility, said Richard Curtin'
        clauses += inverted
    return clauses


def clause_before(text: str, window_start: int, quote_start: int, sentences: SentenceIndex) -> list[Clause]:
    """'Peskov said "..."' / 'X said that ... "..."' / 'According to X, ... "..."' / ', he said, "B."'."""
    while window_start < quote_start and text[window_start] in CLOSING_JUNK + "\n":
        window_start += 1
    window_offset = sentences.last_start(window_start, quote_start)
    window = text[window_offset:quote_start]
    clauses = []
    if not window.strip(" " + OPENING_MARKS):
        # '"They're worried," Carson said. "There is no question about it."': the sentence before
        clauses += previous_sentence_clause(text, window_offset, sentences)
    # after a heading of its own ("COMMENTS: RICHARD ROE, ECONOMIST, ...")
    signature = CAPS_SIGNATURE_RE.match(window.strip(" " + OPENING_MARKS).rstrip(":").rsplit(": ", 1)[-1])
    if signature:
        # market reaction lists: 'HIDEKI TANAKA, CHIEF ECONOMIST, SHINKO SECURITIES, TOKYO: "..."'
        clauses.append(
            Clause(signature.group(), ":", window_offset + window.find(signature.group()), "before")
        )
        return clauses
    colon = COLON_NAME_RE.search(window.rstrip(" " + OPENING_MARKS))
    if colon:
        # newsletter digests: "Pollsters agree - Carl Bialik: “...”"
        clauses.append(Clause(colon.group(1), ":", window_offset + colon.start(1), "before"))
    for match in reversed(list(VERB_RE.finditer(window))):
        verb = (match.group("verb") + (match.group("object") or "")).strip()
        if match.group("verb").lower() in SPEAKER_FOLLOWS:
            subject = re.split(r",|\s+(?:said|says|in an?|on|at|during|that)\b", window[match.end() :])[0]
            if subject.strip():
                clauses.append(
                    Clause(subject.strip(), verb, window_offset + match.end(), "before", inverted=True)
                )
            continue
        if verb.endswith("ing"):
            # "with Gorka noting ...": the name just before; "..., saying": the sentence's subject
            with_name = WITH_NAME_RE.search(window[: match.start()])
            if with_name:
                clauses.append(Clause(with_name.group(1), verb, window_offset + with_name.start(1), "before"))
            continue
        subject = window[: match.start()]
        if not subject.strip():
            # inverted in front of the quote: 'said Peskov: "..."'
            after = re.split(r"[,:;.]|\s+(?:that|in|on|at)\b", window[match.end() :])[0]
            if after.strip():
                clauses.append(
                    Clause(after.strip(), verb, window_offset + match.end(), "before", inverted=True)
                )
            continue
        clauses.append(Clause(subject, verb, window_offset, "before"))
        if subject.rstrip().endswith((",", '"', "”", "''", "“")):
            # '"The risk," said Edward Leamer, an economist, "is that ..."'
            after = re.split(r"[,:;.]|\s+(?:that|in|on|at)\b", window[match.end() :])[0]
            if after.strip()[:1].isupper():
                clauses.append(
                    Clause(after.strip(), verb, window_offset + match.end(), "before", inverted=True)
                )
    # last: a reporting verb in the sentence names the speaker, not the remark's owner
    possessive = POSSESSIVE_SPEECH_RE.search(window.rstrip(" " + OPENING_MARKS))
    if possessive:
        # "Ginsburg's comments that "...", "Trump's call for "...": whoever the remark belongs to
        clauses.append(Clause(possessive.group("name"), "", window_offset + possessive.start(), "before"))
    return clauses


def previous_sentence_clause(text: str, sentence_start: int, sentences: SentenceIndex) -> list[Clause]:
    """A short attribution sentence just before a quote that opens its own sentence:
    '"They're worried," Carson said. "There is no question ..."', 'Sam Lau, ..., said in a statement. "..."'."""
    previous_begin = max(paragraph_start(text, sentence_start), sentence_start - PREVIOUS_SENTENCE_REACH)
    previous = text[previous_begin:sentence_start].rstrip()
    if not previous.endswith((".", ":")):
        return []
    start = sentences.last_start(previous_begin, previous_begin + len(previous)) - previous_begin
    closing = max(previous.rfind(mark, start) for mark in ('" ', "” ", "'' ", "“ "))
    start = max(start, closing + 2)  # after a quotation that opens the sentence
    sentence = previous[start:]
    for match in VERB_RE.finditer(sentence):
        rest = sentence[match.end() :]
        if len(rest) <= SHORT_TAIL and not any(mark in rest for mark in '"“”'):
            subject = sentence[: match.start()]
            if subject.strip():
                return [Clause(subject, match.group("verb"), previous_begin + start, "same_paragraph")]
            following = INVERTED_END_RE.split(rest)[0].strip().rstrip(",.")
            if following:  # '"Safety," said Grimm, a Donald Trump supporter.'
                return [
                    Clause(
                        following,
                        match.group("verb"),
                        previous_begin + start + match.end(),
                        "same_paragraph",
                        inverted=True,
                    )
                ]
            break
    return []


def sentence_subject(text: str, sentence_start: int, quote_start: int) -> list[Clause]:
    """The grammatical subject leading the sentence a quote sits in ("Obama described the attack
    as ...", "Hours later, she issued a statement calling ..."): the source of a partial quote.
    One candidate per comma-separated part, the first parts first."""
    window = text[sentence_start:quote_start]
    offset = sentence_start
    candidates = []
    for part in window.split(",")[:SUBJECT_PARTS]:
        part_offset = offset
        offset += len(part) + 1
        words = part.strip(" " + OPENING_MARKS + CLOSING_JUNK).split()
        if words and words[0].lower() in ("and", "but", "so", "then", "still", "yet", "now", "both"):
            words = words[1:]
        if not words or words[0].lower() in INTRO_WORDS or words[0].lower() in RELATIVE_PRONOUNS:
            continue
        start = part_offset + max(0, part.find(words[0]))
        if words[0].lower() in PRONOUNS or words[0].lower() in GROUP_PRONOUNS:
            candidates.append(Clause(words[0], "", start, "same_sentence", strict=True))
            continue
        # the noun phrase: capitalised words, bridged by titles and modifiers before a capitalised
        # word ("Republican presidential front-runner Donald Trump called ...")
        head = []
        if words[0].lower() == "the" and len(words) > 1:
            head, words = [words[0]], words[1:]  # "the DNC issued", "The Florida senator sought"
        for position, word in enumerate(words[:SUBJECT_HEAD_WORDS]):
            bare = word.lower().strip(",.’'")
            ahead = words[position + 1 : position + 3]
            modifier = (
                bare in TITLES
                or bare in ROLE_NOUNS
                or "-" in bare
                or bare.endswith(("al", "ic", "an", "ive"))
            )
            if (
                word[:1].isupper()
                or bare in NAME_PARTICLES
                or bare in ("of", "and")
                or (modifier and any(w[:1].isupper() for w in ahead))
            ):
                head.append(word)
            else:
                break
        while head and (head[-1].lower() in ("the", "of", "and") or not head[-1][:1].isupper()):
            head.pop()
        if head and head[0].lower() == "the" and len(words) > len(head) - 1:
            following_word = words[len(head) - 1].lower().strip(",.")
            if following_word in ROLE_NOUNS:
                head.append(following_word)  # "The Florida senator"
        if head and head != ["the"] and head != ["The"]:
            candidates.append(Clause(" ".join(head), "", start, "same_sentence", strict=True))
    return candidates


def previous_paragraph_subject(text: str, start: int, sentences: SentenceIndex) -> Clause | None:
    """Who the last sentence of the paragraph before the one at `start` is about, if it is a person."""
    previous_end = start - len(PARAGRAPH_BREAK)
    previous_start = paragraph_start(text, previous_end)
    previous = text[previous_start:previous_end]
    if not previous or previous.lstrip()[:1] in OPENING_MARKS:
        return None  # a quotation paragraph: the previous quote's speaker already had its chance
    sentence_start = sentences.last_start(previous_start, previous_end)
    candidates = sentence_subject(text, sentence_start, previous_end)
    return candidates[0] if candidates else None
