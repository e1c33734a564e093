"""Days as the site prints them ("4 Oct 2016") and reads them back.

A reader copies a date from a page into a date field, or types it the way the page shows it: the
filters accept that as well as ISO dates (2016-10-04, what links and browsers' date pickers send).
Only forms that cannot be misread are accepted: "04/10/2016" is April in one country and October in
another, so it is refused with a message rather than guessed.
"""

import datetime
import re

from django.utils.dateformat import format as format_date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

ISO_DAY_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# "4 Oct 2016", "4 October 2016", "4. Oct. 2016"
DAY_MONTH_YEAR_RE = re.compile(r"(\d{1,2})\.?\s+([a-z]+)\.?,?\s+(\d{4})")
# "Oct 4, 2016", "October 4 2016"
MONTH_DAY_YEAR_RE = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")

HOW_TO_WRITE = "Write a date as the site shows it, 4 Oct 2016, or as 2016-10-04"


def parse_day(text):
    """The date `text` names, or None: "2016-10-04", "4 Oct 2016", "4 October 2016",
    "Oct 4, 2016" (any case, extra spaces ignored)."""
    text = " ".join(str(text or "").split()).lower()
    if not text or len(text) > 40:
        return None
    if match := ISO_DAY_RE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := DAY_MONTH_YEAR_RE.fullmatch(text):
        day, month, year = int(match[1]), MONTHS.get(match[2]), int(match[3])
    elif match := MONTH_DAY_YEAR_RE.fullmatch(text):
        month, day, year = MONTHS.get(match[1]), int(match[2]), int(match[3])
    else:
        return None
    if month is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 31 Feb, month 13
        return None


def show_day(day):
    """ "4 Oct 2016": how every page prints a day (Django's date filter "j M Y")."""
    return format_date(day, "j M Y")


def delay_words(since, day):
    """How long after `since` `day` came, as a reader says it: "same day", "1 day later",
    "2 days later", "3 weeks later", "2 months later", "1 day before"; "" when either is unknown."""
    if since is None or day is None:
        return ""
    days = (day - since).days
    if days == 0:
        return "same day"
    word = "later" if days > 0 else "before"
    days = abs(days)
    if days < 14:
        amount, unit = days, "day"
    elif days < 60:
        amount, unit = days // 7, "week"
    elif days < 730:
        amount, unit = days // 30, "month"
    else:
        amount, unit = days // 365, "year"
    return f"{amount} {unit}{'' if amount == 1 else 's'} {word}"
