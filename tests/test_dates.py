"""Dates read from article words, resolved against the published date.

Sentences come from the two seed articles: TASS (published Tuesday 2016-10-04) and RT (published
Thursday 2016-09-29), or are written for the test.
"""

import datetime
import time

import pytest

from statements.ingest.dates import find_on_dates, resolve_weekday, said_on_phrase

TASS_PUBLISHED = datetime.date(2016, 10, 4)  # a Tuesday
RT_PUBLISHED = datetime.date(2016, 9, 29)  # a Thursday


def on_date(text, published):
    """The date of the first "on <date>" in text, as tagging reads it."""
    found = list(find_on_dates(text, published))
    return found[0][2] if found else None


def spoken_on(text, published):
    """The day the attribution in text says the words were spoken."""
    found = said_on_phrase(text, published)
    return found[2] if found else None


def test_on_monday_in_a_tuesday_article_is_the_day_before():
    assert resolve_weekday("Monday", TASS_PUBLISHED) == datetime.date(2016, 10, 3)
    assert resolve_weekday("Mon", TASS_PUBLISHED) == datetime.date(2016, 10, 3)


def test_the_published_weekday_means_the_published_day():
    assert resolve_weekday("Tuesday", TASS_PUBLISHED) == TASS_PUBLISHED
    assert resolve_weekday("thursday", RT_PUBLISHED) == RT_PUBLISHED


def test_a_later_weekday_means_last_week():
    assert resolve_weekday("Wednesday", TASS_PUBLISHED) == datetime.date(2016, 9, 28)


@pytest.mark.parametrize(
    "text",
    [
        "On September 19, the week-long ceasefire",
        "on Sept. 19",
        "on Sep 19",
        "on 19 September",
        "on September 19th",
    ],
)
def test_month_and_day_take_the_published_year(text):
    assert on_date(text, RT_PUBLISHED) == datetime.date(2016, 9, 19)


def test_a_month_and_day_after_the_published_date_is_last_year():
    assert on_date("on December 30", datetime.date(2017, 1, 2)) == datetime.date(2016, 12, 30)


def test_a_written_year_is_kept_even_without_a_published_date():
    assert on_date("signed on September 9, 2016 in Geneva", None) == datetime.date(2016, 9, 9)
    assert on_date("on 14 September 2013", None) == datetime.date(2013, 9, 14)


def test_no_date_without_a_year_or_a_published_date():
    assert on_date("On September 19, the week-long ceasefire", None) is None
    assert spoken_on("Peskov told reporters on Tuesday.", None) is None


def test_impossible_dates_and_lowercase_month_words_are_not_dates():
    assert on_date("on February 30", RT_PUBLISHED) is None
    assert on_date("officials on may 5 times refuse", RT_PUBLISHED) is None
    assert on_date("on September 190", RT_PUBLISHED) is None


@pytest.mark.parametrize(
    "sentence, published, said_on",
    [
        # The TASS dateline sentence.
        (
            "ASTANA, October 4./TASS/. Contacts between Russian and US military will continue to avoid "
            "serious incidents in Syria, Kremlin spokesman Dmitry Peskov told reporters on Tuesday.",
            TASS_PUBLISHED,
            TASS_PUBLISHED,
        ),
        (
            "Speaking on Thursday, Russian Ministry of Defense spokesman Major-General Igor Konashenkov said:",
            RT_PUBLISHED,
            RT_PUBLISHED,
        ),
        (
            "The statement came in response to comments made by US State Department spokesperson John Kirby "
            "at a press briefing on Wednesday.",
            RT_PUBLISHED,
            datetime.date(2016, 9, 28),
        ),
        (
            "Russian Deputy Foreign Minister Sergey Ryabkov on Thursday said that this latest proposal remains",
            RT_PUBLISHED,
            RT_PUBLISHED,
        ),
        (
            "The United Nations deputy Syria envoy, Ramzy Ezzeldine Ramzy, on Thursday said that the restoration",
            RT_PUBLISHED,
            RT_PUBLISHED,
        ),
        (
            "On Monday, the chief of the US Department of State press service, John Kirby, said the US was "
            "suspending the use of bilateral channels with Russia",
            TASS_PUBLISHED,
            datetime.date(2016, 10, 3),
        ),
        (
            "Lavrov told RIA Novosti on Sunday that talks would go on.",
            TASS_PUBLISHED,
            datetime.date(2016, 10, 2),
        ),
        ("the ministry said in a statement on Sept. 30.", TASS_PUBLISHED, datetime.date(2016, 9, 30)),
        # every form of the lexicon's verbs, not only the ones a list happened to spell out
        ("Lavrov warns on Monday that the truce is at risk.", TASS_PUBLISHED, datetime.date(2016, 10, 3)),
    ],
)
def test_said_on_is_read_from_the_attribution(sentence, published, said_on):
    assert spoken_on(sentence, published) == said_on


@pytest.mark.parametrize(
    "sentence",
    [
        # The date belongs to what was reported, not to when it was said.
        "Lavrov said the ceasefire expired on Monday.",
        "On September 19, the week-long ceasefire brokered by Russia and the US expired in Syria.",
        "Moscow regrets Washington's withdrawal from the dialogue on the ceasefire in Syria.",
    ],
)
def test_dates_outside_an_attribution_are_not_said_on(sentence):
    assert spoken_on(sentence, RT_PUBLISHED) is None


def test_on_dates_are_found_with_their_offsets():
    text = "On September 19, the week-long ceasefire expired. Ryabkov on Thursday said so. Lebanon Monday."
    found = list(find_on_dates(text, RT_PUBLISHED))
    assert [(text[start:end], date) for start, end, date in found] == [
        ("September 19", datetime.date(2016, 9, 19)),
        ("Thursday", RT_PUBLISHED),
    ]


def test_adversarial_text_is_read_in_linear_time():
    started = time.perf_counter()
    spoken_on("On Monday, " + "officials " * 50_000 + "said", TASS_PUBLISHED)
    spoken_on("said " * 50_000, TASS_PUBLISHED)
    spoken_on("at a " + "press " * 50_000, TASS_PUBLISHED)
    list(find_on_dates("on " * 50_000 + "September", TASS_PUBLISHED))
    on_date("on September " * 50_000, TASS_PUBLISHED)
    assert time.perf_counter() - started < 2
