"""Issue 20 in the browser: facets before the results in keyboard order, the quote pages at phone
width, the volume chart's bars, share-friendly addresses and dates typed as the site prints them."""

import re

import pytest
from playwright.sync_api import expect

from statements.models import Article
from tests.e2e.conftest import open_page, shoot
from tests.factories import make_more_quotes, make_seed_world

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(transactional_db):
    world = make_seed_world()
    make_more_quotes(world, 24)
    return world


@pytest.fixture
def desktop(browser, live_server, world):
    with open_page(browser, live_server, viewport={"width": 1280, "height": 900}) as page:
        yield page


@pytest.fixture
def phone(browser, live_server, world):
    with open_page(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        yield page


def focused(page):
    return page.evaluate(
        """() => {
        const element = document.activeElement;
        return {
            text: element.textContent.trim(),
            inFacet: !!element.closest(".facet"),
            inResults: !!element.closest(".quote-list"),
        };
    }"""
    )


def test_the_keyboard_reaches_the_facets_before_any_result(desktop):
    desktop.goto(desktop.base_url + "/quotes/?country=RUS")
    for presses in range(1, 80):
        desktop.keyboard.press("Tab")
        where = focused(desktop)
        assert not where["inResults"], f"a result took the focus before any facet, after {presses} presses"
        if where["inFacet"]:
            break
    else:
        pytest.fail("no facet link within 80 presses of Tab")
    assert presses <= 40  # the site's links, the skip links and the form's fields first


def test_a_skip_link_jumps_over_the_form_and_facets_to_the_results(desktop):
    desktop.goto(desktop.base_url + "/quotes/")
    desktop.keyboard.press("Tab")  # "Skip to content"
    for _ in range(12):
        desktop.keyboard.press("Tab")
        if focused(desktop)["text"] == "Skip to the results":
            break
    else:
        pytest.fail("no 'Skip to the results' link among the first presses of Tab")
    desktop.keyboard.press("Enter")
    expect(desktop).to_have_url(re.compile(r"#results$"))
    desktop.keyboard.press("Tab")
    assert focused(desktop)["inResults"] or "volume" in desktop.evaluate(
        "document.activeElement.closest('figure')?.className || ''"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/quotes/?country=RUS",
        "QUOTE",
        "/events/",
        "/events/us-suspends-syria-talks/",
        "/compare/?a=RUS&b=USA",
        "/speakers/dmitry-peskov/",
        "/quotes/?q=Peskov+ceasefire+Russia",
        "/quotes/?speaker_name=Zakarova",
    ],
)
def test_pages_fit_a_phone_without_sideways_scrolling(phone, world, path):
    if path == "QUOTE":
        quote = world.quotes.zakharova_ventriloquism
        long_url = (
            "https://www.example.org/news/"
            + "a-very-long-article-address-without-any-break-" * 6
            + "1234567890"
        )
        Article.objects.filter(pk=quote.article_id).update(url=long_url)
        path = quote.get_absolute_url()
    phone.goto(phone.base_url + path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    shoot(phone, "phone" + re.sub(r"\W+", "-", path).rstrip("-"))
    assert width <= PHONE["width"]


def test_on_a_phone_the_form_is_folded_and_the_first_quote_is_on_the_first_screen(phone):
    phone.goto(phone.base_url + "/quotes/?country=RUS")
    form = phone.get_by_role("search", name="Find quotes")
    expect(form.get_by_label("Speaker's country")).to_be_hidden()
    first_quote = phone.locator(".quote-card").first.bounding_box()
    assert first_quote["y"] < PHONE["height"]
    phone.get_by_text("Find quotes").click()  # the summary opens it
    expect(form.get_by_label("Speaker's country")).to_be_visible()


def test_chart_labels_are_readable_at_phone_width(phone):
    phone.goto(phone.base_url + "/quotes/")
    sizes = phone.eval_on_selector_all(
        "svg.volume-svg text.label",
        "labels => labels.filter(l => l.getBBox().width > 0).map(l => l.getBoundingClientRect().height)",
    )
    assert sizes and min(sizes) >= 11  # CSS pixels: no 7 px (or 3 px) text


def test_a_bar_of_the_chart_opens_that_period(desktop):
    desktop.goto(desktop.base_url + "/quotes/?topic=ceasefire")
    bar = desktop.locator("svg.volume-svg a[aria-label^='Mar 2016']")
    label = bar.get_attribute("aria-label")
    count = int(re.search(r": (\d+) quote", label)[1])
    assert count > 0
    bar.click()
    expect(desktop).to_have_url(re.compile(r"topic=ceasefire&said_after=2016-03-01&said_before=2016-03-31$"))
    dates = desktop.locator(".quote-card time").all_inner_texts()
    assert len(dates) == count and all(date.endswith("Mar 2016") for date in dates)
    shoot(desktop, "chart-period")


def test_the_form_sends_only_the_fields_that_have_a_value(desktop):
    desktop.goto(desktop.base_url + "/quotes/")
    form = desktop.get_by_role("search", name="Find quotes")
    form.get_by_label("Speaker's country").select_option(label="Russia")
    form.get_by_role("button", name="Show quotes").click()
    expect(desktop).to_have_url(re.compile(r"/quotes/\?country=RUS$"))


def test_an_address_with_empty_parameters_becomes_the_clean_one(desktop):
    desktop.goto(desktop.base_url + "/quotes/?q=&country=RUS&topic=&said_after=")
    expect(desktop).to_have_url(re.compile(r"/quotes/\?country=RUS$"))


def test_dates_are_typed_and_shown_as_the_site_prints_them(desktop):
    desktop.goto(desktop.base_url + "/quotes/")
    form = desktop.get_by_role("search", name="Find quotes")
    form.get_by_label("Said on or after").fill("1 Oct 2016")
    form.get_by_label("Said on or before").fill("2016-10-31")
    form.get_by_role("button", name="Show quotes").click()
    expect(form.get_by_label("Said on or after")).to_have_value("1 Oct 2016")
    expect(form.get_by_label("Said on or before")).to_have_value("31 Oct 2016")
    expect(desktop.locator(".chip-active").first).to_contain_text("1 Oct 2016")
    dates = desktop.locator(".quote-card time").all_inner_texts()
    assert dates and all(date.endswith("Oct 2016") for date in dates)


def test_find_an_event_and_read_its_statement_and_the_answers(desktop, world):
    event = world.events.suspension
    event.organisations.set([world.organisations.state])
    world.quotes.kirby_suspends.events.add(event)
    desktop.goto(desktop.base_url + "/events/")
    search = desktop.get_by_role("search", name="Find events")
    search.get_by_label("Words in the title or description").fill("suspends channels")
    search.get_by_label("On or after").fill("1 Oct 2016")
    search.get_by_role("button", name="Show events").click()
    expect(desktop).to_have_url(re.compile(r"/events/\?q=suspends\+channels&after=1\+Oct\+2016$"))
    desktop.get_by_role("link", name="US suspends bilateral channels with Russia on Syria").click()
    statement = desktop.locator("section.trigger")
    expect(statement).to_contain_text("suspending the use of bilateral channels")
    expect(statement.locator(".speaker-name")).to_have_text("John Kirby")
    responses = desktop.locator(".response-timeline li")
    expect(responses.filter(has_text="Dmitry Peskov").first).to_contain_text("1 day later")
    assert "John Kirby" not in " ".join(responses.all_inner_texts())
    shoot(desktop, "event-statement")


def test_a_search_sent_again_keeps_its_best_match_order(desktop):
    desktop.goto(desktop.base_url + "/quotes/")
    form = desktop.get_by_role("search", name="Find quotes")
    form.get_by_label("Search the quoted words").fill("ceasefire")
    form.get_by_role("button", name="Show quotes").click()
    expect(desktop).to_have_url(re.compile(r"/quotes/\?q=ceasefire$"))
    expect(form.get_by_label("Order")).to_have_value("relevance")
    expect(desktop.locator(".results-count")).to_contain_text("best matches first")
    form.get_by_role("button", name="Show quotes").click()
    expect(desktop).to_have_url(re.compile(r"q=ceasefire&sort=relevance$"))
    expect(desktop.locator(".results-count")).to_contain_text("best matches first")
    form.get_by_label("Order").select_option(label="Newest first")
    form.get_by_role("button", name="Show quotes").click()
    expect(desktop).to_have_url(re.compile(r"q=ceasefire&sort=newest$"))
    expect(form.get_by_label("Order")).to_have_value("newest")


def test_a_search_link_opens_in_best_match_order_and_the_form_keeps_it(desktop):
    desktop.goto(desktop.base_url + "/quotes/?q=ceasefire")
    form = desktop.get_by_role("search", name="Find quotes")
    expect(form.get_by_label("Order")).to_have_value("relevance")
    form.get_by_role("button", name="Show quotes").click()
    expect(desktop).to_have_url(re.compile(r"/quotes/\?q=ceasefire&sort=relevance$"))


def test_a_name_typed_in_the_search_box_lists_that_speakers_quotes(desktop, world):
    desktop.goto(desktop.base_url + "/quotes/")
    form = desktop.get_by_role("search", name="Find quotes")
    form.get_by_label("Search the quoted words").fill("Peskov")
    form.get_by_role("button", name="Show quotes").click()
    expect(desktop.locator(".search-note")).to_contain_text("these are quotes by Dmitry Peskov")
    speakers = desktop.locator(".quote-card .speaker-name").all_inner_texts()
    assert speakers and set(speakers) == {"Dmitry Peskov"}


def test_the_speaker_field_suggests_names_chosen_with_the_keyboard(desktop):
    desktop.goto(desktop.base_url + "/quotes/?country=RUS")
    form = desktop.get_by_role("search", name="Find quotes")
    field = form.get_by_role("combobox", name="Speaker")
    field.fill("zak")
    option = desktop.get_by_role("option", name=re.compile("Maria Zakharova"))
    expect(option).to_be_visible()
    shoot(desktop, "speaker-suggestions")
    field.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    field.press("Enter")
    expect(form.get_by_role("checkbox", name="Maria Zakharova")).to_be_checked()
    expect(field).to_have_value("")
    form.get_by_role("button", name="Show quotes").click()
    expect(desktop).to_have_url(re.compile(r"speaker=maria-zakharova&country=RUS"))
    expect(form.get_by_role("checkbox", name="Maria Zakharova")).to_be_checked()
