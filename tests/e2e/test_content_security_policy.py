"""Under the Content-Security-Policy, every page and the admin still work and nothing is blocked.

Chromium reports each resource, inline script or inline style the policy blocks as a console
error ("Refused to ..."); a journey through the public pages and a curator's admin session must
produce none.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from tests.factories import make_seed_world, make_speaker


@pytest.fixture
def world(transactional_db):
    world = make_seed_world()
    make_speaker("D. Peskov")  # the importer's second record of Peskov, for the curator to merge
    curator = User.objects.create_user("curator", password="the-right-password", is_staff=True)
    curator.groups.add(Group.objects.get(name="Editors"))
    return world


@pytest.fixture
def page_and_refusals(browser, live_server, world):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    refusals = []

    def note_refusal(message):
        if "Content Security Policy" in message.text:
            refusals.append(message.text)

    page.on("console", note_refusal)
    yield page, refusals
    context.close()


def test_the_public_pages_run_under_the_policy_with_nothing_refused(page_and_refusals, world):
    page, refusals = page_and_refusals
    for path in [
        "/",
        "/quotes/?country=RUS&topic=ceasefire",
        "/quotes/?q=ventriloquism",
        f"/speakers/{world.speakers.peskov.slug}/",
        f"/events/{world.events.suspension.slug}/",
        "/about/",
    ]:
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
    # The site's script ran: the filter form still submits and the results follow it.
    page.goto(page.base_url + "/")
    page.get_by_role("search", name="Find quotes").get_by_role("button", name="Show quotes").click()
    expect(page).to_have_url(re.compile(r"/quotes/"))
    assert refusals == []


def test_a_curator_logs_in_and_merges_speakers_in_the_admin_with_nothing_refused(page_and_refusals, world):
    page, refusals = page_and_refusals
    page.goto(page.base_url + "/admin/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("the-right-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    # A change form with autocomplete widgets (select2) and the date shortcuts (admin JavaScript).
    page.goto(page.base_url + f"/admin/statements/quote/{world.quotes.zakharova_ventriloquism.pk}/change/")
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    page.keyboard.press("Escape")

    page.goto(page.base_url + "/admin/statements/speaker/?q=Peskov")
    page.locator("#action-toggle").check()  # the admin's select-all checkbox, made by its script
    page.locator("select[name=action]").select_option("merge_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Keep which speaker?")).to_be_visible()
    assert refusals == []
