"""Text helpers every ingest stage shares: paragraphs, sentences, months and dates, regex tries.

This module is the bottom of the import pipeline: it imports no other stage, and the stages use it
instead of keeping their own copies (a second abbreviation list is how "Sen." ended a sentence in
one stage and not in another).
"""

import bisect
import datetime
import re

PARAGRAPH_BREAK = "\n\n"


# ---------------------------------------------------------------------------------------------------
# Paragraphs: cleaned text separates them with one blank line.


def paragraph_start(text: str, offset: int) -> int:
    """Where the paragraph holding `offset` starts."""
    found = text.rfind(PARAGRAPH_BREAK, 0, offset)
    return 0 if found < 0 else found + len(PARAGRAPH_BREAK)


def paragraph_end(text: str, offset: int) -> int:
    """Where the paragraph holding `offset` ends (at its break, or at the end of the text)."""
    found = text.find(PARAGRAPH_BREAK, offset)
    return len(text) if found < 0 else found


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every paragraph, in order; an empty text is one empty paragraph."""
    spans = []
    start = 0
    end = text.find(PARAGRAPH_BREAK)
    while end != -1:
        spans.append((start, end))
        start = end + len(PARAGRAPH_BREAK)
        end = text.find(PARAGRAPH_BREAK, start)
    spans.append((start, len(text)))
    return spans


# ---------------------------------------------------------------------------------------------------
# Sentences

# Words that end with a period without ending the sentence: titles and ranks, name suffixes, company
# forms, months, and initials of places. Compared in lowercase; any single letter ("J.", "U.") is one too.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr sen rep gov gen lt col maj capt cmdr adm sgt st jr sr rev prof inc co corp ltd no vs
    u.s u.n u.k a.m p.m jan feb mar apr jun jul aug sep sept oct nov dec d.c ft mt""".split()
)
# No abbreviation above is this long: a dot after a word this long ends a sentence.
LONGEST_ABBREVIATION = 5
# A sentence boundary: end punctuation, closing marks, then space.
SENTENCE_BOUNDARY_RE = re.compile(r"[.!?]+[\"”’']*\s+")
# The same where the next sentence visibly starts: a capital or a digit, perhaps after an opening mark.
SENTENCE_START_RE = re.compile(r"[.!?]+[\"”’'»)\]]*\s+(?=[\"“‘'«(\[]?[A-Z0-9])")
# Attribution looks at most this far back for the start of a quote's sentence: text that lost its
# punctuation would otherwise make a whole article one sentence.
MAX_SENTENCE_CHARS = 600


def is_abbreviation(text: str, dot: int) -> bool:
    """Whether the character at `dot` is the period of an abbreviation ("Mr.", "U.S.", "J.")."""
    if text[dot] != ".":
        return False
    if dot >= LONGEST_ABBREVIATION and text[dot - LONGEST_ABBREVIATION : dot].isalpha():
        return False  # a long word: the common case, decided without building the word
    word_start = max(text.rfind(" ", 0, dot), text.rfind("\n", 0, dot)) + 1
    word = text[word_start:dot].lower().lstrip('("“')
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_starts(
    text: str, start: int = 0, end: int | None = None, capital_follows: bool = False
) -> list[int]:
    """Offsets in text[start:end] where a sentence begins after a boundary (not `start` itself).
    With capital_follows, only where the next sentence opens with a capital or a digit."""
    pattern = SENTENCE_START_RE if capital_follows else SENTENCE_BOUNDARY_RE
    end = len(text) if end is None else end
    starts = []
    for match in pattern.finditer(text, start, end):
        dot = match.start()
        if text[dot] != "." or not is_abbreviation(text, dot):
            starts.append(match.end())
    return starts


class SentenceIndex:
    """Sentence starts of a text, found once, so each lookup is a bisect."""

    def __init__(self, text: str, end: int):
        self.starts = sentence_starts(text, 0, end)

    def last_start(self, start: int, end: int) -> int:
        """Offset where the last sentence in text[start:end] starts (at most MAX_SENTENCE_CHARS back)."""
        index = bisect.bisect_right(self.starts, end) - 1
        found = self.starts[index] if index >= 0 else 0
        return max(start, found, end - MAX_SENTENCE_CHARS)


def first_sentence(window: str) -> str:
    """The window up to its first sentence boundary."""
    for match in SENTENCE_BOUNDARY_RE.finditer(window):
        if not is_abbreviation(window, match.start()):
            return window[: match.start()]
    return window


def has_sentence_boundary(text: str) -> bool:
    """Whether a sentence ends inside text (its end counts when followed by a space)."""
    return SENTENCE_BOUNDARY_RE.search(text) is not None


# ---------------------------------------------------------------------------------------------------
# Months, weekdays and dates

WEEKDAYS = {
    name: number
    for number, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# Month names and abbreviations, longest first so "Sept" is not read as "Sep" + "t".
MONTH_NAMES = sorted(MONTHS, key=len, reverse=True)


def safe_date(year: int, month: int, day: int) -> datetime.date | None:
    """The date, or None when there is no such day ("February 30")."""
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------------
# Regex tries


def trie_pattern(entries, end=None, space=None) -> str:
    """One regex for many alternatives, shaped as a prefix tree ("sa(?:id|ys)"): the engine then
    tests one branch per character instead of every alternative at every position, which is many
    times faster than a plain alternation.

    `entries` are sequences of regex atoms; a plain string is its characters, escaped here. Longer
    alternatives are tried first. `end(value)` gives the pattern that closes an entry given as
    (atoms, value), e.g. a named group telling which keyword matched; without it an entry simply
    ends, and the words are taken in sorted order. `space`, if given, is the pattern for a space
    in a plain string (a run of white space, say).
    """
    root: dict = {}
    for entry in entries if end else sorted(entries):
        atoms, value = (
            entry if end else ([space if char == " " and space else re.escape(char) for char in entry], None)
        )
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[None] = value
    return _render(root, end)


def word_start_trie_pattern(words) -> str:
    r"""The pattern of r"\b" + trie_pattern(words), for words that open with a capital letter, with
    the word boundary checked after that letter ((?<!\w.) there): a pattern that opens with a
    literal character lets the engine jump from one capital to the next instead of trying every
    position of the text, three times faster over an article. (Words that open with a lowercase
    letter gain nothing: most positions are one.)"""
    rests_by_first: dict[str, list[str]] = {}
    for word in sorted(words):
        if not word[:1].isalpha():
            raise ValueError(f"{word!r} does not open with a letter")
        rests_by_first.setdefault(word[0], []).append(word[1:])
    branches = [
        re.escape(first) + r"(?<!\w.)" + trie_pattern(rests) for first, rests in rests_by_first.items()
    ]
    return "(?:" + "|".join(branches) + ")"


def _render(node: dict, end) -> str:
    branches = [atom + _render(child, end) for atom, child in node.items() if atom is not None]
    ends_here = None in node
    if ends_here and end:
        branches.append(end(node[None]))  # last, so the longest alternative wins
    if not branches:
        return ""
    optional = ends_here and not end
    if len(branches) == 1 and not optional:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")
