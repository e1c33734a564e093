"""When something was said or happened, read from the words of an article.

News writes dates relative to the day it is published: "on Monday", "on September 19". Both are
resolved against the article's published date and never land after it:
- a weekday is the most recent such day on or before the published date ("on Monday" in an article
  of Tuesday 2016-10-04 is 2016-10-03; "on Tuesday" in that article is the same day);
- a month and day takes the published year, or the year before when that would be in the future
  ("December 30" in an article of 2017-01-02 is 2016-12-30); a year written out is kept.
Without a published date nothing relative can be resolved, and the functions return None.

`said_on_phrase` reads only attribution phrases ("told reporters on Tuesday", "Speaking on Thursday",
"at a press briefing on Wednesday", "Ryabkov on Thursday said", "On Monday, ..., John Kirby, said"),
never any date in the text: "said the ceasefire expired on Monday" dates the expiry, not the
statement.
"""

import datetime
import re

from .lexicon import DATING_VERBS, PLURAL_NOUN_FORMS, forms_of
from .text import MONTH_NAMES, MONTHS, WEEKDAYS, safe_date, trie_pattern

WEEKDAY_PREFIXES = {name[:3]: number for name, number in WEEKDAYS.items()}

# Capitalised names only: "may" and "march" in lowercase are a verb and a noun, not months.
_MONTH = "|".join(f"{name[0].upper()}{name[1:]}" for name in MONTH_NAMES)
_WEEKDAY = "(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<{}>(?:19|20)\d\d))?"
# "September 19", "Sept. 19", "September 19th, 2016", "19 September", "19 September 2016".
MONTH_DAY = (
    rf"(?:(?P<month_a>{_MONTH})\.?\s+(?P<day_a>{_DAY})(?!\d)" + _YEAR.format("year_a") + "|"
    rf"(?P<day_b>{_DAY})\s+(?P<month_b>{_MONTH})\b\.?" + _YEAR.format("year_b") + ")"
)
DATE_PHRASE = rf"(?:(?P<weekday>{_WEEKDAY})\b|{MONTH_DAY})"
# The same without named groups, for lookaheads that test "a date follows" more than once.
_ANY_DATE = re.sub(r"\(\?P<\w+>", "(?:", DATE_PHRASE)
# "on Monday", "On September 19": the form news uses for the day something happened. The regex
# starts with a literal "n " so the engine can jump between candidates (it is run over every
# article); the "o" before it and the word boundary before that are checked by lookbehind.
ON_DATE_RE = re.compile(rf"n\s(?<=(?<![^\W_])[Oo]n\s)\s*(?=[A-Z0-9]){DATE_PHRASE}")

# Verbs that report speech, as news writes them before "on <date>": "told", "says", "pointed out".
_SPEECH_FORMS = [form for form in forms_of(DATING_VERBS, finite=True) if form not in PLURAL_NOUN_FORMS]
SPEECH_VERBS = "(?:" + trie_pattern(_SPEECH_FORMS, space=r"\s+") + ")"
# Whom or where a statement was made to, between the verb and "on <date>": "told reporters",
# "said in a statement", "said at a news conference" ("told RIA Novosti" has its own branch).
_AUDIENCE = (
    r"(?:\s+(?:to\s+)?(?:reporters|journalists|lawmakers|parliament|Reuters)"
    r"|\s+(?:in|at|to|during)\s+(?:a|an|the|his|her|their)(?:\s+[\w-]+){1,3}?)"
)
_OCCASION = (
    r"(?:briefing|conference|interview|statement|speech|meeting|hearing|address|session|"
    r"press\s+event|summit|forum|visit)s?"
)
# The longest attribution phrase before its date ("Speaking to reporters in Astana on"); three times
# that after it covers "On Monday, <up to 15 words>, said".
ATTRIBUTION_REACH = 80
_DATE_AHEAD = rf"(?={_WEEKDAY}|{_MONTH}|\d)"
SAID_ON_RE = re.compile(
    rf"\b[Ss]peaking(?:\s+(?:to|with|at|in)(?:\s+[\w-]+){{1,3}}?)?\s+on\s+{_DATE_AHEAD}"
    rf"|\b{SPEECH_VERBS}{_AUDIENCE}?\s+on\s+{_DATE_AHEAD}"
    rf"|\b(?:told|tells)(?:\s+[A-Z][\w.’'-]*){{1,3}}\s+on\s+{_DATE_AHEAD}"
    rf"|\b(?:at|during|in)\s+(?:a|an|the|his|her|their)(?:\s+[\w-]+){{0,2}}?\s+{_OCCASION}\s+on\s+{_DATE_AHEAD}"
    rf"|\bon\s+(?={_ANY_DATE},?\s+{SPEECH_VERBS}\b)"
    # "On Monday, the chief of the US Department of State press service, John Kirby, said ...":
    # a sentence that opens with the date and whose first clause ends in a speech verb.
    rf"|\bOn\s+(?={_ANY_DATE},\s+(?:[^\s.!?;:]+\s+){{0,15}}?{SPEECH_VERBS}\b)"
)


def resolve_weekday(weekday_name: str, published: datetime.date) -> datetime.date:
    """The most recent `weekday_name` ("Monday", "mon") on or before `published` (the same day when
    they match). Raises KeyError for a word that is not a weekday."""
    target = WEEKDAY_PREFIXES[weekday_name.strip().lower()[:3]]
    return published - datetime.timedelta(days=(published.weekday() - target) % 7)


def resolve_date(match: re.Match, published: datetime.date | None) -> datetime.date | None:
    """The date a match of DATE_PHRASE (ON_DATE_RE) means in an article published on `published`."""
    if match.group("weekday"):
        return resolve_weekday(match.group("weekday"), published) if published else None
    return _month_day_date(match, published)


def find_on_dates(text: str, published: datetime.date | None):
    """(start, end, date) for every "on <date>" that resolves; start is where the date begins."""
    for match in ON_DATE_RE.finditer(text):
        date = resolve_date(match, published)
        if date:
            yield _date_start(match), match.end(), date


def said_on_phrase(
    context: str, published: datetime.date | None, start: int = 0, end: int | None = None
) -> tuple[int, int, datetime.date] | None:
    """(start, end, date) of the first attribution date phrase in context[start:end], else None."""
    end = len(context) if end is None else end
    # Every attribution ends in "on <date>": find those (a fast scan), then look just before each.
    for date_match in ON_DATE_RE.finditer(context, start, end):
        date_start = _date_start(date_match)
        # Bounded on both sides, so each date costs the same however long the text is.
        window_end = min(end, date_match.end() + ATTRIBUTION_REACH * 3)
        for match in SAID_ON_RE.finditer(context, max(start, date_start - ATTRIBUTION_REACH), window_end):
            if match.start() >= date_start:
                break
            if match.end() == date_start:
                date = resolve_date(date_match, published)
                if date:
                    return match.start(), date_match.end(), date
                break
    return None


def _date_start(match: re.Match) -> int:
    """Where the date itself begins in a match that may start with "on "."""
    for group in ("weekday", "month_a", "day_b"):
        if match.group(group):
            return match.start(group)
    return match.start()


def _month_day_date(match: re.Match, published: datetime.date | None) -> datetime.date | None:
    month_name = match.group("month_a") or match.group("month_b")
    day = int(re.match(r"\d+", match.group("day_a") or match.group("day_b")).group())
    year = match.group("year_a") or match.group("year_b")
    month = MONTHS[month_name.lower()]
    if year:
        return safe_date(int(year), month, day)
    if not published:
        return None
    date = safe_date(published.year, month, day)
    if date and date > published:
        date = safe_date(published.year - 1, month, day)
    return date
