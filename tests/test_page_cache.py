"""Quote lists kept whole for visitors who are not signed in (statements/pagecache.py): a kept page
is never older than what it shows, and staff never see one."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.models import Quote
from tests.factories import make_article, make_quote, make_seed_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True  # as in production (conftest.py turns it off for the other tests)


@pytest.fixture
def world():
    return make_seed_world()


def visit(client, path="/quotes/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_list_asked_for_again_is_the_same_page_without_rendering_it_again(client, world):
    first, first_queries = visit(client, "/quotes/?country=RUS")
    again, again_queries = visit(client, "/quotes/?country=RUS")
    assert again == first
    assert again_queries < first_queries and again_queries <= 2  # the data's stamp, at most a session
    other, _ = visit(client, "/quotes/?country=USA")
    assert other != first


def test_an_editors_change_to_a_quotes_words_shows_on_the_next_page(client, world):
    quote = Quote.objects.filter(speaker=world.speakers.peskov).first()
    page, _ = visit(client)
    assert quote.text in page
    quote.text = "Words an editor corrected by hand in the admin"
    quote.save()  # as the admin saves it
    page, _ = visit(client)
    assert "Words an editor corrected by hand in the admin" in page


def test_an_articles_new_title_and_a_rejected_quote_show_on_the_next_page(client, world):
    quote = Quote.objects.filter(speaker=world.speakers.kirby).first()
    page, _ = visit(client)
    assert quote.text in page
    article = quote.article
    article.title = "A title an editor rewrote"
    article.save()
    page, _ = visit(client)
    assert "A title an editor rewrote" in page
    Quote.objects.filter(pk=quote.pk).update(status=Quote.Status.REJECTED)  # the admin's bulk action
    page, _ = visit(client)
    assert quote.text not in page


def test_an_import_shows_on_the_next_page(client, world, tmp_path):
    visit(client)
    (tmp_path / "new.txt").write_text(
        "---\ntitle: Briefing\npublished: 2019-05-06\nsource: Newswire\n---\n"
        '"The new talks begin in Vienna on Monday," Dmitry Peskov, the Kremlin spokesman, told reporters.\n'
    )
    call_command("import_articles", str(tmp_path / "new.txt"), stdout=None)
    page, _ = visit(client)
    assert "The new talks begin in Vienna on Monday" in page


def test_staff_never_get_a_visitors_kept_page_nor_leave_theirs(client, world):
    rejected = Quote.objects.filter(speaker=world.speakers.kirby).first()
    Quote.objects.filter(pk=rejected.pk).update(status=Quote.Status.REJECTED)
    visitors_page, _ = visit(client)
    assert rejected.text not in visitors_page
    staff = User.objects.create_user("editor", password="pw", is_staff=True, is_superuser=True)
    client.force_login(staff)
    staff_page, _ = visit(client)
    assert rejected.text in staff_page  # staff see rejected quotes: not the visitors' kept page
    client.logout()
    page, _ = visit(client)
    assert rejected.text not in page


def test_exports_and_bad_requests_are_never_kept(client, world):
    first = client.get("/quotes/?format=csv")
    article = make_article("Later", "Wire", datetime.date(2016, 10, 5))
    make_quote(article, world.speakers.peskov, "A late quote for the export to carry.")
    second = client.get("/quotes/?format=csv")
    content = b"".join(second.streaming_content) if second.streaming else second.content
    assert b"A late quote for the export to carry" in content
    assert first.status_code == 200
    assert client.get("/quotes/?page=0").status_code == 400


def test_a_page_counted_with_sql_is_not_kept(client, world, monkeypatch):
    """While the counting index is built (or switched off) a page's facets are SQL counts of a
    sample: such a page is not kept, so the next visitor gets the exact one once the index is up."""
    monkeypatch.setenv("COUNTING_INDEX", "off")
    _, first_queries = visit(client, "/quotes/?country=RUS")
    _, again_queries = visit(client, "/quotes/?country=RUS")
    assert again_queries > 2  # rendered again, not kept
