"""Cleaning: turn a RawArticle into the text that pages show and quote offsets point into.

What the stored body is:
- the article's prose, paragraphs separated by "\\n\\n": the standfirst/lead and the dateline
  sentence ("ASTANA, October 4./TASS/. Contacts ...") stay, because they are prose a reader quotes;
- without the title line (the first line when no title is given, unless it is too long to be a
  headline: then it stays as prose), a date-only line ("29/09/2016") and site boilerplate ("All news",
  "Read more [...](#)", a paragraph that is only a link to another article, a trailing "---");
- markdown emphasis and link markup removed (link text kept, "\\[" "\\]" unescaped), inline HTML-ish
  tags such as "<tweet ...>" removed (their attributes carry quote marks that are not quotations);
- hard-wrapped lines joined, non-breaking spaces made spaces, and paragraphs that the page
  conversion broke mid-sentence ("restore the" / "truce in Syria") joined again.

Plain texts (Reuters, PolNeAR) go through the same steps; none of them changes well-formed prose.
The title and the source (outlet) lose the same markup as the prose ("<i>Reuters</i>" -> "Reuters").

The date: metadata first; else a date-only line; else the dateline ("ASTANA, October 4./TASS/."),
which gives a date only when it has a year or the metadata has one. When no date can be determined
`published` stays None and a reason is added to `review_reasons`: we never guess a year.
"""

import datetime
import re

from .records import ParsedArticle, RawArticle
from .text import MONTH_NAMES, MONTHS, safe_date

_MONTH_RE = "|".join(MONTH_NAMES)

# Whole paragraphs that are site furniture, not article prose.
BOILERPLATE_PARAGRAPH_RE = re.compile(
    r"^(?:all news|abstract\.?|full text\.?|read more\b.*|related\b.*:?|advertisement|share this article"
    r"|-{3,}|\*{3,}|_{3,})$",
    re.IGNORECASE,
)
# A paragraph that is nothing but one link: a headline pointing to another article.
LINK_ONLY_RE = re.compile(r"^\[(?:\\.|[^\]\\\n])*\]\([^)\s]*\)$")
LINK_RE = re.compile(r"\[((?:\\.|[^\]\\\n])*)\]\([^)\s]*\)")
TAG_RE = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")
# Asterisks at the edge of a word are emphasis; inside one ("n****r") they are the text's own.
EMPHASIS_RE = re.compile(r"(?<![\w*])\*+|\*+(?![\w*])")
ESCAPE_RE = re.compile(r"\\([\[\]*_\\#()])")
PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t\u00a0]*\n\s*")

NUMERIC_DATE_RE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
WORDY_DATE_RE = re.compile(
    rf"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:(\d{{1,2}})\s+({_MONTH_RE})\.?|({_MONTH_RE})\.?\s+(\d{{1,2}}),?)\s+(\d{{4}})$",
    re.IGNORECASE,
)
# "ASTANA, October 4./TASS/." or "ANCHORAGE, Alaska  (Reuters) - " at the start of the first paragraphs.
# Also "NEW YORK/LONDON (Reuters) - ", "Nov 16 (Reuters) - ", "(Reuters) - " with no place, and
# after an editor's note ("(Corrects paragraph 3) ABU DHABI (Reuters) - ").
DATELINE_RE = re.compile(
    r"^(?:\([^()\n]{1,300}\)\s*)?"
    rf"(?:(?P<place>[A-Z][A-Za-z.'\-/ ]{{1,40}}?)(?:,\s+(?P<region>[A-Z][A-Za-z./ ]{{1,40}}?))??,?)?"
    rf"(?:\s*(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?\s*\.?)?"
    r"\s*(?:/(?P<slash_source>[A-Z][A-Za-z\-]{1,20})/\.?"
    r"|\((?P<paren_source>[A-Z][A-Za-z\-]{1,20})\)\s*[-\u2013\u2014])",
    re.IGNORECASE,
)
MAX_TITLE_CHARS = 300  # a first "line" longer than this is prose, not a headline
SENTENCE_END = ".!?:;\"”'’»)]"


def parse_article(raw: RawArticle) -> ParsedArticle:
    paragraphs = _paragraphs(raw.text)
    title = _clean_inline(raw.title).strip() if raw.title else ""
    if not title and paragraphs:
        if len(paragraphs[0]) <= MAX_TITLE_CHARS:
            title = paragraphs.pop(0)
        else:
            # prose with no headline line: name it by its opening words, keep the paragraph
            title = paragraphs[0][:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    elif paragraphs and title:
        paragraphs = _drop_title(paragraphs, title)

    article = ParsedArticle(
        external_id=raw.external_id,
        text="",
        title=title,
        source=_clean_inline(raw.source).strip() if raw.source else "",
        url=raw.url or "",
        published=raw.published,
    )
    date_from_line = None
    body = []
    for paragraph in paragraphs:
        if date_from_line is None and not body and _is_date_only(paragraph):
            date_from_line = _date_from_line(paragraph, article)
            continue
        body.append(paragraph)

    body = _rejoin_broken(body)
    found = _read_dateline(body[:3], article, date_from_line)
    article.text = "\n\n".join(body)
    if found:
        index, end = found
        article.dateline_end = sum(len(paragraph) + 2 for paragraph in body[:index]) + end
    return article


def _paragraphs(text: str) -> list[str]:
    """Clean paragraphs in order, without boilerplate; title/date lines are still included."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    out = []
    for block in PARAGRAPH_BREAK_RE.split(text):
        block = block.strip()
        if not block or LINK_ONLY_RE.match(block):
            continue
        block = _clean_inline(block)
        if block and not BOILERPLATE_PARAGRAPH_RE.match(block):
            out.append(block)
    return out


def _clean_inline(block: str) -> str:
    if "[" in block:
        block = LINK_RE.sub(r"\1", block)
    if "<" in block:
        block = TAG_RE.sub(" ", block)
    if "*" in block:
        block = EMPHASIS_RE.sub("", block)
    if "\\" in block:
        block = ESCAPE_RE.sub(r"\1", block)
    # Hard-wrapped lines inside a paragraph are one line of prose; str.split also takes
    # non-breaking and thin spaces, and is much faster than a regex over every space.
    return " ".join(block.split())


def _drop_title(paragraphs: list[str], title: str) -> list[str]:
    first = paragraphs[0]
    if first == title:
        return paragraphs[1:]
    if first.startswith(title):
        rest = first[len(title) :].strip()
        return ([rest] if rest else []) + paragraphs[1:]
    return paragraphs


def _is_date_only(paragraph: str) -> bool:
    return len(paragraph) <= 40 and bool(NUMERIC_DATE_RE.match(paragraph) or WORDY_DATE_RE.match(paragraph))


def _date_from_line(paragraph: str, article: ParsedArticle) -> datetime.date | None:
    """The date a date-only line states, or None with a review reason when it is ambiguous."""
    match = NUMERIC_DATE_RE.match(paragraph)
    if match:
        first, second, year = (int(g) for g in match.groups())
        if first > 12 or first == second:
            day, month = first, second
        elif second > 12:
            day, month = second, first
        else:
            article.review_reasons.append(f"date line {paragraph!r}: day/month order is ambiguous")
            return None
    else:
        match = WORDY_DATE_RE.match(paragraph)
        day = int(match.group(1) or match.group(4))
        month = MONTHS[(match.group(2) or match.group(3)).lower()]
        year = int(match.group(5))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        article.review_reasons.append(f"date line {paragraph!r} is not a valid date")
        return None


def _read_dateline(
    first_paragraphs: list[str], article: ParsedArticle, date_from_line
) -> tuple[int, int] | None:
    """Dateline place, source and (if still unknown) the date; sets review reasons when undetermined.
    Returns (paragraph index, end offset in it) of the dateline, or None."""
    dateline_date = None
    dateline_month_day = None
    found = None
    for index, paragraph in enumerate(first_paragraphs):
        match = DATELINE_RE.match(paragraph)
        if not match:
            continue
        found = (index, match.end())
        article.dateline = (match.group("place") or "").strip().title()
        if not article.source:
            article.source = match.group("slash_source") or match.group("paren_source") or ""
        if match.group("month"):
            dateline_month_day = (MONTHS[match.group("month").lower()], int(match.group("day")))
            year = match.group("year")
            if year:
                dateline_date = safe_date(int(year), *dateline_month_day)
            elif article.published:
                dateline_date = safe_date(article.published.year, *dateline_month_day)
        break

    if article.published:
        return found
    date = date_from_line or dateline_date
    if date:
        article.published = date
        article.published_inferred = True
    elif dateline_month_day:
        article.review_reasons.append("dateline gives a day and month but no year; publication date unknown")
    elif not article.review_reasons:
        article.review_reasons.append("no publication date in the metadata or the text")
    return found


def _rejoin_broken(paragraphs: list[str]) -> list[str]:
    """Join a paragraph the page conversion broke mid-sentence: it ends without closing punctuation
    and the next one carries on in lowercase ("restore the" / "truce in Syria")."""
    out: list[str] = []
    for paragraph in paragraphs:
        if out and out[-1][-1] not in SENTENCE_END and _starts_lowercase(paragraph):
            out[-1] = out[-1] + " " + paragraph
        else:
            out.append(paragraph)
    return out


def _starts_lowercase(paragraph: str) -> bool:
    head = paragraph.lstrip("\"“”'‘’ ")
    return bool(head) and head[0].islower()
