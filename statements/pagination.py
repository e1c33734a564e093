"""Pages of a list found without counting the whole result: one row more than a page is fetched,
and that extra row only tells whether a next page exists."""

import re
from dataclasses import dataclass, field

PAGE_SIZE = 25
# Deep OFFSETs cost a scan of every skipped row: past this, a list sorted by date goes on from the
# last page's date (said_before / said_after), and a ranked one asks for a narrower search.
MAX_PAGE = 400


class BadPage(ValueError):
    """A page parameter that is not a whole number from 1 to MAX_PAGE."""


# ASCII digits only: str.isdigit() accepts "²" and "①", which int() then refuses (a 500), and
# int() accepts "٣" and "１"; a page number is written the way the site writes it.
PAGE_NUMBER_RE = re.compile(r"[0-9]{1,6}")


def parse_page(value):
    if value in (None, ""):
        return 1
    value = value.strip()
    if not PAGE_NUMBER_RE.fullmatch(value) or not 1 <= int(value) <= MAX_PAGE:
        raise BadPage(f"Page must be a whole number from 1 to {MAX_PAGE}.")
    return int(value)


@dataclass
class Page:
    number: int
    items: list = field(default_factory=list)
    has_next: bool = False
    size: int = PAGE_SIZE

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def is_last_allowed(self):
        """Page MAX_PAGE: the list goes on from a date instead (no dead end at page 401)."""
        return self.number >= MAX_PAGE

    @property
    def start_index(self):
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def end_index(self):
        return (self.number - 1) * self.size + len(self.items)


def page_of(queryset, number, size=PAGE_SIZE):
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return Page(number=number, items=rows[:size], has_next=len(rows) > size, size=size)


def quote_page(quotes, number):
    """A page of the quote list: the page's ids first, then their rows with speaker, article and
    topics. Sorting only ids is much cheaper than sorting whole rows (texts and joins) when a
    search or filter matches tens of thousands of quotes."""
    offset = (number - 1) * PAGE_SIZE
    ids = list(quotes.values_list("pk", flat=True)[offset : offset + PAGE_SIZE + 1])
    rows = quotes.model.objects.for_listing().in_bulk(ids[:PAGE_SIZE])
    return Page(number=number, items=[rows[pk] for pk in ids[:PAGE_SIZE]], has_next=len(ids) > PAGE_SIZE)
