import datetime

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import IntegrityError
from django.urls import reverse

from statements.curation import merge_speakers
from statements.models import Article, Event, Organisation, Quote, Speaker


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

    chosen = {"confirm": "yes", "survivor": full.pk, "name": "Dmitry Peskov", "role": ""}
    response = client.post(changelist, {**selection, **chosen})
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


# Who may run which bulk action. A staff user who may only look at a model sees its changelist but
# cannot change rows through an action; an editor can.


@pytest.fixture
def viewer(db):
    """Staff with view rights only, on every curated model."""
    user = User.objects.create_user("viewer", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="statements", codename__startswith="view_")
    )
    return user


def quote_to_curate():
    return make_quote(None, 10)


def candidate_event():
    return Event.objects.create(
        title="Talks suspended",
        slug="talks-suspended",
        date=datetime.date(2016, 10, 3),
        status=Event.Status.CANDIDATE,
    )


def organisation_to_review():
    return Organisation.objects.create(name="Foreign Ministry", slug="foreign-ministry", needs_review=True)


ACTIONS = [
    # (model, action, make a row, what the action changed on it)
    ("quote", "mark_verified", quote_to_curate, lambda quote: quote.status == Quote.Status.VERIFIED),
    ("quote", "mark_rejected", quote_to_curate, lambda quote: quote.status == Quote.Status.REJECTED),
    ("event", "confirm_candidates", candidate_event, lambda event: event.status == Event.Status.CONFIRMED),
    (
        "organisation",
        "mark_reviewed",
        organisation_to_review,
        lambda organisation: not organisation.needs_review,
    ),
]


def run_action(client, model, action, rows):
    return client.post(
        reverse(f"admin:statements_{model}_changelist"),
        {"action": action, "_selected_action": [row.pk for row in rows]},
    )


@pytest.mark.parametrize("model, action, make_row, changed", ACTIONS, ids=[a[1] for a in ACTIONS])
def test_a_staff_user_who_may_only_view_cannot_run_an_action(
    client, viewer, model, action, make_row, changed
):
    row = make_row()
    client.force_login(viewer)
    assert client.get(reverse(f"admin:statements_{model}_changelist")).status_code == 200
    run_action(client, model, action, [row])
    row.refresh_from_db()
    assert not changed(row)


@pytest.mark.parametrize("model, action, make_row, changed", ACTIONS, ids=[a[1] for a in ACTIONS])
def test_an_editor_can_run_each_action(client, editor, model, action, make_row, changed):
    row = make_row()
    client.force_login(editor)
    response = run_action(client, model, action, [row])
    assert response.status_code == 302
    row.refresh_from_db()
    assert changed(row)


def test_merging_speakers_needs_the_merge_permission_not_just_change(client, db):
    changer = User.objects.create_user("changer", password="pw-for-tests-only", is_staff=True)
    changer.user_permissions.add(*Permission.objects.filter(codename__in=["view_speaker", "change_speaker"]))
    one = Speaker.objects.create(name="Dmitry Peskov", slug="dmitry-peskov")
    other = Speaker.objects.create(name="D. Peskov", slug="d-peskov")
    client.force_login(changer)
    client.post(
        reverse("admin:statements_speaker_changelist"),
        {
            "action": "merge_selected",
            "_selected_action": [one.pk, other.pk],
            "confirm": "yes",
            "survivor": one.pk,
        },
    )
    assert Speaker.objects.filter(pk=other.pk).exists()
    assert User.objects.get(pk=changer.pk).has_perm("statements.change_speaker")
    assert Group.objects.get(name="Editors").permissions.filter(codename="merge_speaker").exists()


# Hand-made selections: ids that are not numbers, hold a NUL or overflow a 64-bit integer are
# refused with a 400, before any query, on every admin changelist.

BAD_IDS = ["abc", "1\x00", "12345678901234567890", "-1", "", "١"]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="pw-for-tests-only")


@pytest.mark.parametrize("bad_id", BAD_IDS, ids=repr)
def test_merging_speakers_with_a_selection_that_is_not_row_ids_is_a_bad_request(client, superuser, bad_id):
    speaker = Speaker.objects.create(name="Dmitry Peskov", slug="dmitry-peskov")
    other = Speaker.objects.create(name="D. Peskov", slug="d-peskov")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:statements_speaker_changelist"),
        {
            "action": "merge_selected",
            "_selected_action": [speaker.pk, other.pk, bad_id],
            "confirm": "yes",
            "survivor": speaker.pk,
        },
    )
    assert response.status_code == 400
    assert Speaker.objects.count() == 2


@pytest.mark.parametrize("bad_id", BAD_IDS, ids=repr)
def test_a_merge_confirmed_with_a_bad_survivor_changes_nothing(client, superuser, bad_id):
    speaker = Speaker.objects.create(name="Dmitry Peskov", slug="dmitry-peskov")
    other = Speaker.objects.create(name="D. Peskov", slug="d-peskov")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:statements_speaker_changelist"),
        {
            "action": "merge_selected",
            "_selected_action": [speaker.pk, other.pk],
            "confirm": "yes",
            "survivor": bad_id,
        },
    )
    assert response.status_code in (302, 400)
    assert Speaker.objects.count() == 2


@pytest.mark.parametrize("bad_id", BAD_IDS, ids=repr)
def test_any_admin_action_with_a_selection_that_is_not_row_ids_is_a_bad_request(client, superuser, bad_id):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "delete_selected", "_selected_action": [bad_id]}
    )
    assert response.status_code == 400
    assert User.objects.filter(pk=superuser.pk).exists()


def test_a_nul_in_an_admin_filter_is_a_bad_request(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/statements/quote/?status__exact=%00")
    assert response.status_code == 400
    assert client.get("/admin/statements/quote/?status__exact=verified").status_code == 200
