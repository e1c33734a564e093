"""The staff-only "Edit" link on quote, speaker, article and event pages."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_seed_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_seed_world()


@pytest.fixture
def editor():
    user = User.objects.create_user("editor", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def pages(world):
    """(public page, the admin page its Edit link opens)"""
    quote = world.quotes.peskov_ceasefire
    speaker = world.speakers.peskov
    article = world.articles.tass
    event = world.events.suspension
    return [
        (quote.get_absolute_url(), f"/admin/statements/quote/{quote.pk}/change/"),
        (speaker.get_absolute_url(), f"/admin/statements/speaker/{speaker.pk}/change/"),
        (article.get_absolute_url(), f"/admin/statements/article/{article.pk}/change/"),
        (event.get_absolute_url(), f"/admin/statements/event/{event.pk}/change/"),
    ]


def test_staff_see_an_edit_link_to_the_admin_page_of_what_they_read(client, world, editor):
    client.force_login(editor)
    for page, admin_page in pages(world):
        html = client.get(page).content.decode()
        assert f'<a class="edit-link" href="{admin_page}"' in html, page
        assert client.get(admin_page).status_code == 200


def test_visitors_and_logged_in_readers_see_no_edit_link(client, world):
    for page, admin_page in pages(world):
        assert admin_page not in client.get(page).content.decode()
    User.objects.create_user("reader", password="pw-for-tests-only")
    client.login(username="reader", password="pw-for-tests-only")
    for page, admin_page in pages(world):
        html = client.get(page).content.decode()
        assert "edit-link" not in html and admin_page not in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_edit_link_costs_no_query(client, world, editor):
    """A staff page costs what it cost before the link: the footer's "Curation" link read the user
    already. Compared with the same user made not staff, each page counted warm (its counts cached)."""
    client.force_login(editor)
    for page, _ in pages(world):
        count_queries(client, page)
        with_link = count_queries(client, page)
        User.objects.filter(pk=editor.pk).update(is_staff=False)
        count_queries(client, page)
        without_link = count_queries(client, page)
        User.objects.filter(pk=editor.pk).update(is_staff=True)
        assert with_link == without_link, page


def test_a_staff_page_is_never_kept_by_a_shared_cache_for_the_public(client, world, editor):
    page = world.quotes.peskov_ceasefire.get_absolute_url()
    public = client.get(page)
    assert "Cookie" in public.get("Vary", "")  # a cache keys the page by the session cookie
    client.force_login(editor)
    staff = client.get(page)
    assert "edit-link" in staff.content.decode()
    assert "private" in staff["Cache-Control"]
    assert "Cookie" in staff.get("Vary", "")
    client.logout()
    assert "edit-link" not in client.get(page).content.decode()
