import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError
from django.urls import reverse

from statements.curation import merge_speakers
from statements.models import Article, Quote, Speaker


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def make_quote(speaker, start, text="We regret it."):
    article, _ = Article.objects.get_or_create(
        external_id="a.txt", defaults={"body": "x" * 500, "content_hash": "h"}
    )
    return Quote.objects.create(article=article, speaker=speaker, text=text, start=start, end=start + 5)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get("/admin/statements/quote/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_logged_in_users_who_are_not_staff_cannot_reach_the_admin(client):
    User.objects.create_user("reader", password="pw-for-tests-only")
    client.login(username="reader", password="pw-for-tests-only")
    response = client.get("/admin/statements/quote/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_editors_can_curate_quotes_but_not_manage_users(client, editor):
    client.force_login(editor)
    assert client.get("/admin/statements/quote/").status_code == 200
    assert client.get("/admin/statements/speaker/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


@pytest.mark.django_db
def test_an_editors_change_to_a_quote_marks_it_curated(client, editor):
    speaker = Speaker.objects.create(name="Dmitry Peskov", slug="dmitry-peskov")
    quote = make_quote(speaker, 10)
    client.force_login(editor)
    url = reverse("admin:statements_quote_change", args=[quote.pk])
    form = {
        "article": quote.article_id,
        "speaker": speaker.pk,
        "speaker_role": "Kremlin spokesman",
        "text": "We regret it very much.",
        "kind": "direct",
        "start": 10,
        "end": 15,
        "verb": "said",
        "confidence": 0.9,
        "status": "verified",
        "quoteevent_set-TOTAL_FORMS": 0,
        "quoteevent_set-INITIAL_FORMS": 0,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:2000]
    quote.refresh_from_db()
    assert quote.text == "We regret it very much."
    assert quote.curated


@pytest.mark.django_db
def test_mark_verified_action_sets_status_and_curates(client, editor):
    quote = make_quote(None, 10)
    client.force_login(editor)
    client.post(
        reverse("admin:statements_quote_changelist"),
        {"action": "mark_verified", "_selected_action": [quote.pk]},
    )
    quote.refresh_from_db()
    assert quote.status == Quote.Status.VERIFIED
    assert quote.curated


@pytest.mark.django_db
def test_merging_speakers_asks_first_then_moves_quotes_and_keeps_names_as_aliases(client, editor):
    full = Speaker.objects.create(name="Dmitry Peskov", slug="dmitry-peskov", quote_count=2)
    short = Speaker.objects.create(name="D. Peskov", slug="d-peskov", aliases=["Peskov"], quote_count=1)
    make_quote(full, 10)
    make_quote(full, 20)
    moved = make_quote(short, 30)
    client.force_login(editor)
    changelist = reverse("admin:statements_speaker_changelist")
    selection = {"action": "merge_selected", "_selected_action": [full.pk, short.pk]}

    confirmation = client.post(changelist, selection)
    assert confirmation.status_code == 200
    assert b"Keep which speaker?" in confirmation.content
    assert Speaker.objects.count() == 2  # nothing happens before the editor confirms

    response = client.post(changelist, {**selection, "confirm": "yes", "survivor": full.pk})
    assert response.status_code == 302
    moved.refresh_from_db()
    full.refresh_from_db()
    assert moved.speaker == full
    assert not Speaker.objects.filter(pk=short.pk).exists()
    assert full.aliases == ["D. Peskov", "Peskov"]
    assert full.quote_count == 3
    assert full.curated


@pytest.mark.django_db
def test_a_merge_that_fails_changes_nothing():
    survivor = Speaker.objects.create(name="Dmitry Peskov", slug="dmitry-peskov")
    other = Speaker.objects.create(name="D. Peskov", slug="d-peskov")
    Speaker.objects.create(name="Someone Else", slug="someone-else")
    quote = make_quote(other, 10)
    survivor.slug = "someone-else"  # saving the survivor fails after the quotes were moved
    with pytest.raises(IntegrityError):
        merge_speakers(survivor, [other])
    quote.refresh_from_db()
    assert quote.speaker_id == other.pk
    assert Speaker.objects.filter(pk=other.pk).exists()
