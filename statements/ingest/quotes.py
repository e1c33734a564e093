"""Quotation spans in cleaned article text.

Quotation marks are the double ones: straight ("), curly (“ ”), guillemets (« ») and the doubled
apostrophe ('') the New York Times uses. Single marks are never quotation marks at the top level:
they are apostrophes (Russia's, wouldn't, 'em) or nest inside a double quote ('body bags,'), or
mark scare quotes ('breaks', 'moderate opposition'). Whether a mark opens or closes is read from
the characters around it and from whether a quote is open, so mixed styles ("“...“", "“...\"")
and a stray space before a closing mark ("with regret, \" Peskov said") pair correctly.

A quote left open at the end of a paragraph continues when the next paragraph opens with a quote
mark (the news convention for a quotation over several paragraphs): it becomes one span from its
first word to its last word, and its `text` is the parts joined by "\\n\\n". For every other span
text[start:end] == span.text. A quote that never closes is dropped.

Not quotations: segments of fewer than 3 words (scare quotes, names) unless they open a sentence
and a reporting clause follows at once ('"No," he said.'), and titles (every content word capitalised, no first or
second person: books, shows, slogans).
"""

import re

from .lexicon import VERB_RE
from .records import QuoteSpan
from .text import paragraph_spans

# Each alternative opens with a literal character, so the regex engine jumps from one quotation
# mark to the next instead of trying every position ("'{2,}|[...]" is three times slower).
MARK_RE = re.compile(r"''+|\"|“|”|«|»")
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
OPENERS = "“«"
CLOSERS = "”»"
# Characters after which a mark reads as an opening one.
BEFORE_OPEN = "([{—–-/:;,…"
MIN_WORDS = 3
SPEECH_WINDOW = 40  # characters after a short quote in which "he said" must follow
DIRECT_MIN_WORDS = 6
# Lowercase words a title may keep in lowercase ("The Art of the Deal").
TITLE_MINOR_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or over the to up via vs with is are be".split()
)
FIRST_SECOND_PERSON = frozenset(
    "i i'm i've i'll i'd me my mine we we're we've we'll us our ours you your yours you're".split()
)


def find_quotes(text: str) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    pieces: list[tuple[int, int]] = []  # parts of a quote running over several paragraphs
    for start, end in paragraph_spans(text):
        pieces = _scan_paragraph(text, start, end, pieces, spans)
    spans.sort(key=lambda span: span.start)
    return spans


def _scan_paragraph(text, start, end, carried, spans):
    """Pairs the marks of one paragraph; returns the pieces of a quote still open at its end."""
    open_at = None
    pieces: list[tuple[int, int]] = []
    for match in MARK_RE.finditer(text, start, end):
        mark_start, mark_end = match.span()
        mark = match.group()
        if mark[0] == "'":
            # A run of three apostrophes is a nested single mark beside a doubled one.
            if open_at is None:
                mark_end = mark_start + 2
            else:
                mark_start = mark_end - 2
            mark = "''"
        before = text[mark_start - 1] if mark_start > start else " "
        after = text[mark_end] if mark_end < end else " "

        if carried and open_at is None and not text[start:mark_start].strip():
            # The opening mark of a paragraph that continues a quote left open.
            pieces, carried = carried, []
            open_at = mark_end
            continue
        if open_at is None:
            if after.isspace() or (mark in CLOSERS and not before.isspace()):
                continue  # a stray closing mark
            open_at = mark_end
        elif mark in OPENERS and (before.isspace() or before in BEFORE_OPEN) and not after.isspace():
            open_at = mark_end  # the previous quote never closed; start again here
            pieces = []
        else:
            pieces.append((open_at, mark_start))
            _add_span(text, pieces, spans)
            open_at, pieces = None, []
    if open_at is None:
        return []
    next_start = end + 2
    following = text[next_start : next_start + 3].lstrip()
    if following[:1] in ('"', "“", "«") or following.startswith("''"):
        return pieces + [(open_at, end)]
    return []


def _add_span(text, pieces, spans):
    parts = []
    for piece_start, piece_end in pieces:
        while piece_start < piece_end and text[piece_start].isspace():
            piece_start += 1
        while piece_end > piece_start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > piece_start:
            parts.append((piece_start, piece_end))
    if not parts:
        return
    words = WORD_RE.findall(" ".join(text[s:e] for s, e in parts))
    if len(words) < MIN_WORDS:
        if not (_opens_sentence(text, parts[0][0]) and _followed_by_speech(text, parts[-1][1])):
            return
    elif _is_title(words):
        return
    start, stop = parts[0][0], parts[-1][1]
    quoted = "\n\n".join(text[s:e] for s, e in parts)
    spans.append(QuoteSpan(start=start, end=stop, text=quoted, kind=_kind(text, start, quoted, len(words))))


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 6) : start].rstrip("\"“«'‘ ")
    return not before or before[-1] in ".!?\n"


def _followed_by_speech(text: str, end: int) -> bool:
    """'"No," he said.' / '"Out!" the crowd yelled.': a short segment that is clearly speech."""
    after = text[end : end + SPEECH_WINDOW].lstrip("\"”»'’ ")
    if not after or (after[0] not in ",!?" and text[end - 1 : end] not in ",!?"):
        return False
    match = VERB_RE.search(after)
    return match is not None and len(after[: match.start()].split()) <= 3


def _is_title(words: list[str]) -> bool:
    """Every content word capitalised and no first or second person ("The Art of the Deal")."""
    has_content = False
    for word in words:
        lowered = word.lower()
        if lowered.replace("’", "'") in FIRST_SECOND_PERSON:
            return False
        if lowered in TITLE_MINOR_WORDS:
            continue
        if not (word[0].isupper() or word[0].isdigit()):
            return False  # most quotes stop here, at their first lowercase word
        has_content = True
    return has_content


def _kind(text: str, start: int, quoted: str, word_count: int) -> str:
    """ "direct": six or more words that open with a capital or follow a colon, a comma or the
    start of a sentence; otherwise "partial" (a fragment woven into the reporter's sentence)."""
    if word_count < DIRECT_MIN_WORDS:
        return "partial"
    first = quoted.lstrip("'‘’[(…. ")[:1]
    if first.isupper():
        return "direct"
    before = text[max(0, start - 4) : start].rstrip("\"“”«'‘ ")
    if not before or before.endswith(("\n", ":", ",", ".", "!", "?")):
        return "direct"
    return "partial"
