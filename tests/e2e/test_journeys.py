"""Browser journeys with Playwright driving Debian's Chromium against the live server.

Screenshots of the main pages go to test-artifacts/screenshots/ on every run, pass or fail.
The browser is never downloaded: without /usr/bin/chromium these tests fail, they do not skip.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_page, shoot
from tests.factories import make_seed_world


@pytest.fixture
def world(transactional_db):
    return make_seed_world()


@pytest.fixture
def page(browser, live_server, world):
    with open_page(
        browser, live_server, viewport={"width": 1280, "height": 900}, accept_downloads=True
    ) as page:
        yield page


def card_speakers(page):
    return page.locator(".quote-card .speaker-name").all_inner_texts()


def test_filter_by_country_and_topic_then_narrow_by_date(page):
    page.goto(page.base_url + "/")
    shoot(page, "home")
    form = page.get_by_role("search", name="Find quotes")
    form.get_by_label("Speaker's country").select_option(label="Russia")
    form.get_by_label("Topic", exact=True).select_option(label="Ceasefire")
    form.get_by_role("button", name="Show quotes").click()
    expect(page).to_have_url(re.compile(r"/quotes/\?.*country=RUS.*topic=ceasefire"))
    speakers = set(card_speakers(page))
    assert speakers == {"Dmitry Peskov", "Sergey Ryabkov"}

    form.get_by_label("Said on or after").fill("2016-10-01")
    form.get_by_role("button", name="Show quotes").click()
    expect(page).to_have_url(re.compile(r"said_after=2016-10-01"))
    assert set(card_speakers(page)) == {"Dmitry Peskov"}
    shoot(page, "quotes-filtered")

    # A facet link removes the country filter and keeps the others.
    page.locator(".facet li.is-active a").first.click()
    expect(page).not_to_have_url(re.compile(r"country="))
    expect(page).to_have_url(re.compile(r"topic=ceasefire"))


def test_search_a_speaker_and_open_their_page(page):
    page.goto(page.base_url + "/speakers/")
    page.get_by_label("Name or part of a name").fill("peskov d.")
    page.get_by_role("button", name="Find speakers").click()
    page.get_by_role("link", name="Dmitry Peskov").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dmitry Peskov")
    expect(page.locator("svg.volume-svg")).to_be_visible()
    shoot(page, "speaker")


def test_open_a_quote_then_its_article(page, world):
    quote = world.quotes.zakharova_ventriloquism
    page.goto(page.base_url + "/quotes/?q=ventriloquism")
    expect(page.locator(".quote-card mark").first).to_have_text("ventriloquism")
    page.get_by_role("link", name=re.compile("Quote page and citation")).click()
    expect(page).to_have_url(re.compile(rf"/quotes/{quote.pk}/$"))
    expect(page.locator(".citation-line")).to_contain_text(
        "Maria Zakharova, Russian Foreign Ministry spokeswoman"
    )
    shoot(page, "quote")
    page.get_by_role("link", name=re.compile("Read it in the whole article")).click()
    expect(page).to_have_url(re.compile(rf"/articles/{world.articles.rt.pk}/#quote-{quote.pk}$"))
    expect(page.locator(f"#quote-{quote.pk}")).to_be_visible()
    shoot(page, "article")


def test_follow_an_event_to_see_who_answered_and_in_what_order(page):
    page.goto(page.base_url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    page.get_by_role("link", name="US suspends bilateral channels with Russia on Syria").click()
    expect(page.get_by_role("heading", name="Responses in time order")).to_be_visible()
    expect(page.locator(".actor-group h3").first).to_have_text("Russia")
    shoot(page, "event")


def test_export_the_filtered_quotes_as_csv(page):
    page.goto(page.base_url + "/quotes/?country=USA")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename == "quotes-country-USA.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert {row["speaker_name"] for row in rows} == {"John Kirby"} and len(rows) == 2


def test_the_keyboard_reaches_the_skip_link_first(page):
    page.goto(page.base_url + "/quotes/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_the_quote_list_works_on_a_phone(browser, live_server, world):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/quotes/?country=RUS")
    width = page.evaluate("document.documentElement.scrollWidth")
    shoot(page, "quotes-phone")
    context.close()
    assert width <= 390


# --- primary sources (issue 16) -----------------------------------------------------------------


def test_read_a_briefing_from_a_statement_card_to_its_transcript(page):
    from django.core.management import call_command

    briefings = Path(__file__).resolve().parents[1] / "data" / "briefings"
    call_command("import_articles", str(briefings), stdout=io.StringIO(), stderr=io.StringIO())
    page.goto(page.base_url + "/quotes/?document=transcript&q=%22Founding%20Act%22")
    card = page.locator(".quote-card").first
    expect(card.locator(".origin")).to_have_text("Briefing")
    expect(card.locator(".asked")).to_contain_text("Asked: “")
    expect(card.locator(".speaker-name")).to_have_text("Celeste Wallander")
    shoot(page, "transcript-statements")
    card.locator(".quote-source a").first.click()
    expect(page.locator(".kicker")).to_contain_text("Briefing transcript")
    expect(page.locator(".turn-speaker a", has_text="Celeste Wallander").first).to_be_visible()
    expect(page.locator(".turn-question").first).to_be_visible()
    shoot(page, "transcript")
    page.locator(".turn-speaker a", has_text="John Kirby").first.click()
    expect(page.locator("h1")).to_contain_text("John Kirby")
