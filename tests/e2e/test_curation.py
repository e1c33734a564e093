"""An editor curating in the browser (issue 18): the Edit link on public pages, fixing a
misattribution in four steps, and the review queue's one-click verify, speaker box and bulk
reassignment. Each step an editor takes is one numbered comment; the note counts them."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from statements.models import Quote, Speaker
from tests.e2e.conftest import open_page, shoot
from tests.factories import (
    make_article,
    make_organisation,
    make_quote,
    make_seed_world,
    make_speaker,
    refresh_quote_counts,
)

PASSWORD = "the-right-password"


@pytest.fixture
def world(transactional_db):
    world = make_seed_world()
    Quote.objects.update(confidence=0.8)  # the importer's usual confidence for the seeds' quotes
    palin = make_speaker("Sarah Palin", role="former Alaska governor")
    article = make_article("Oil outlook", "Reuters", datetime.date(2010, 5, 3))
    world.misattributed = make_quote(
        article,
        palin,
        "Crude prices are likely to stay range-bound through the summer",
        speaker_role="former Alaska governor",
        confidence=0.05,
    )
    world.palin_own = make_quote(article, palin, "Drill, baby, drill", confidence=0.9)
    refresh_quote_counts()
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    return world


@pytest.fixture
def page(browser, live_server, world):
    with open_page(browser, live_server, viewport={"width": 1400, "height": 900}) as page:
        yield page


def log_in(page):
    page.goto(page.base_url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def choose_speaker(page, box, typed, option):
    """Opens a speaker box (select2), types, and picks the option whose text is `option`."""
    box.click()
    page.locator(".select2-dropdown .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_staff_follow_the_edit_link_and_the_public_sees_none(page, world):
    for path in [
        world.quotes.peskov_ceasefire.get_absolute_url(),
        f"/speakers/{world.speakers.peskov.slug}/",
    ]:
        page.goto(page.base_url + path)
        expect(page.locator(".edit-link")).to_have_count(0)
    log_in(page)
    pages = [
        (world.quotes.peskov_ceasefire.get_absolute_url(), "Change quote"),
        (f"/speakers/{world.speakers.peskov.slug}/", "Change speaker"),
        (world.articles.tass.get_absolute_url(), "Change article"),
        (world.events.suspension.get_absolute_url(), "Change event"),
    ]
    for path, heading in pages:
        page.goto(page.base_url + path)
        page.get_by_role("link", name=re.compile("^Edit")).click()
        expect(page.get_by_role("heading", name=heading)).to_be_visible()


def test_fixing_the_palin_misattribution_takes_four_steps_from_the_quote_page(page, world):
    log_in(page)
    page.goto(page.base_url + world.misattributed.get_absolute_url())
    shoot(page, "curation-quote-page-staff")
    page.get_by_role("link", name=re.compile("^Edit")).click()  # 1. Edit
    box = page.locator("#select2-id_speaker-container")
    # 2. type the right speaker into the speaker box; 3. pick "New speaker: ..." (nobody fits)
    choose_speaker(page, box, "RBC Capital Markets", "New speaker: RBC Capital Markets")
    page.get_by_role("button", name="Save", exact=True).click()  # 4. Save
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(page.base_url + world.misattributed.get_absolute_url())
    expect(page.locator("figcaption")).to_have_text("RBC Capital Markets")  # the old role is gone
    page.goto(page.base_url + "/speakers/rbc-capital-markets/")
    expect(page.locator(".stat")).to_have_text("1 quote found")
    expect(page.locator(".quote-list > li")).to_have_count(1)
    page.goto(page.base_url + "/speakers/sarah-palin/")
    expect(page.locator(".stat")).to_have_text("1 quote found")


def test_the_review_queue_verifies_in_one_click_and_reassigns_in_the_list(page, world):
    log_in(page)
    page.goto(page.base_url + "/admin/statements/quotetoreview/")
    rows = page.locator("#result_list tbody tr")
    expect(rows.first).to_contain_text("Crude prices are likely to stay range-bound")  # least confident first
    shoot(page, "curation-review-queue")

    # verify: one click
    own = rows.filter(has_text="Drill, baby, drill")
    own.get_by_role("button", name="Verify").click()
    expect(page.locator(".messagelist")).to_contain_text("marked as verified")
    expect(page.locator("#result_list")).not_to_contain_text("Drill, baby, drill")
    assert Quote.objects.get(pk=world.palin_own.pk).status == Quote.Status.VERIFIED

    # change a speaker in the list: the box, an existing speaker, Save
    row = rows.filter(has_text="Crude prices are likely")
    choose_speaker(page, row.locator(".select2-selection"), "Kirby", "John Kirby")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Quote.objects.get(pk=world.misattributed.pk).speaker == world.speakers.kirby

    # bulk: tick two quotes, the action, the speaker beside it, Go
    for text in ["Crude prices are likely", "Once again we declare"]:
        rows.filter(has_text=text).locator("input.action-select").check()
    page.locator("select[name=action]").select_option("reassign_speaker")
    choose_speaker(page, page.locator(".actions .select2-selection"), "Igor Kona", "Igor Konashenkov")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("now attributed to Igor Konashenkov")
    konashenkov = Speaker.objects.get(name="Igor Konashenkov")
    assert konashenkov.quotes.filter(text__startswith="Crude prices").exists()
    page.goto(page.base_url + f"/speakers/{konashenkov.slug}/")
    expect(page.locator(".stat")).to_have_text(f"{konashenkov.quote_count} quotes found")


def test_merging_three_obama_records_keeps_the_most_common_description_and_old_links(page, world):
    white_house = make_organisation("White House")
    article = make_article("Budget", "Reuters", datetime.date(2012, 1, 1))
    debris = make_speaker("Barack Obama", make_organisation("Reuters"), role="which could delay President Ba")
    records = [
        debris,
        make_speaker("President Barack Obama", white_house),
        make_speaker("Obama", white_house),
    ]
    for i, (record, quotes) in enumerate(zip(records, [3, 2, 2])):
        for j in range(quotes):
            make_quote(article, record, f"Obama said this, {i}.{j}", speaker_role="President")
    refresh_quote_counts()
    log_in(page)
    page.goto(page.base_url + "/admin/statements/speaker/")
    page.locator("#searchbar").fill("Obama")  # 1. find the records
    page.get_by_role("button", name="Search").click()
    page.locator("#action-toggle").check()  # 2. tick them all
    page.locator("select[name=action]").select_option("merge_selected")  # 3. the action
    page.get_by_role("button", name="Go").click()  # 4. Go
    expect(page.get_by_label("Name:")).to_have_value("Barack Obama")
    expect(page.get_by_label("Title or role:")).to_have_value("President")  # not the first record's
    expect(page.locator("#select2-id_organisation-container")).to_have_text(re.compile("White House"))
    shoot(page, "curation-merge-form")
    page.get_by_role("button", name="Yes, merge them").click()  # 5. confirm the defaults
    expect(page.locator(".messagelist")).to_contain_text("4 quote(s) moved")
    merged = Speaker.objects.get(name="Barack Obama")
    assert (merged.role, merged.organisation, merged.quote_count) == ("President", white_house, 7)

    page.goto(page.base_url + "/speakers/obama/")  # an old URL
    expect(page).to_have_url(re.compile(f"/speakers/{merged.slug}/$"))
    expect(page.locator(".stat")).to_have_text("7 quotes found")
    page.goto(page.base_url + "/quotes/?speaker=president-barack-obama")  # an old bookmark
    expect(page).to_have_url(re.compile(f"speaker={merged.slug}"))
