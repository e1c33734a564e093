"""Curation at the speed of reading (issue 18): the review queue, reassigning quotes, merging
speakers, history. Through the admin's real pages with Django's test client."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from statements.models import Quote, Speaker, SpeakerMerge
from tests.factories import (
    make_article,
    make_organisation,
    make_quote,
    make_speaker,
    make_topic,
    refresh_quote_counts,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/statements/quotetoreview/"


@pytest.fixture
def editor():
    user = User.objects.create_user("editor", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def viewer():
    user = User.objects.create_user("viewer", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return user


@pytest.fixture
def palin_world():
    """The issue's case: an RBC Capital Markets report credited to Sarah Palin."""
    palin = make_speaker("Sarah Palin", role="former Alaska governor")
    reuters = make_article("Oil outlook", "Reuters", datetime.date(2010, 5, 3))
    tass = make_article("Syria talks", "TASS", datetime.date(2016, 10, 4))
    energy = make_topic("Energy")
    misattributed = make_quote(
        reuters,
        palin,
        "Crude prices are likely to stay range-bound through the summer",
        speaker_role="former Alaska governor",
        confidence=0.35,
        topics=[energy],
    )
    own = [
        make_quote(reuters, palin, f"Drill, baby, drill, number {i}", confidence=0.9, speaker_role="governor")
        for i in range(4)
    ]
    doubtful = make_quote(tass, None, "We regret the decision", confidence=0.1)
    verified = make_quote(tass, None, "It is clear", confidence=0.05, status=Quote.Status.VERIFIED)
    refresh_quote_counts()
    return dict(
        palin=palin, misattributed=misattributed, own=own, doubtful=doubtful, verified=verified, energy=energy
    )


def queue(client, **params):
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return [row.pk for row in response.context["cl"].result_list]


# --- the review queue ---------------------------------------------------------------------------


def test_the_queue_lists_unreviewed_quotes_least_confident_first(client, editor, palin_world):
    client.force_login(editor)
    rows = queue(client)
    assert rows[:2] == [palin_world["doubtful"].pk, palin_world["misattributed"].pk]
    assert palin_world["verified"].pk not in rows
    html = client.get(QUEUE).content.decode()
    assert "Crude prices are likely to stay range-bound through the summer" in html  # enough to decide
    assert "Sarah Palin" in html and "former Alaska governor" in html and "0.35" in html


def test_the_queue_filters_by_speaker_outlet_and_year(client, editor, palin_world):
    client.force_login(editor)
    palin = palin_world["palin"]
    by_palin = queue(client, speaker=palin.pk)
    assert set(by_palin) == {palin_world["misattributed"].pk, *(q.pk for q in palin_world["own"])}
    assert queue(client, source="TASS") == [palin_world["doubtful"].pk]
    assert queue(client, year="2016") == [palin_world["doubtful"].pk]
    assert queue(client, year="1999") == []
    assert queue(client, speaker="not-a-number") == []
    assert queue(client, speaker="none") == [palin_world["doubtful"].pk]
    assert palin_world["doubtful"].pk not in queue(client, speaker="named")
    assert queue(client, speaker="named")[0] == palin_world["misattributed"].pk


def test_one_click_verifies_or_rejects_and_writes_the_history(client, editor, palin_world):
    client.force_login(editor)
    quote = palin_world["doubtful"]
    url = reverse("admin:statements_quotetoreview_review", args=[quote.pk])
    response = client.post(url, {"review": "verified"}, HTTP_REFERER=f"http://testserver{QUEUE}?source=TASS")
    assert response.status_code == 302 and response["Location"] == f"http://testserver{QUEUE}?source=TASS"
    quote.refresh_from_db()
    assert quote.status == Quote.Status.VERIFIED and quote.curated
    assert quote.pk not in queue(client)
    client.post(
        reverse("admin:statements_quotetoreview_review", args=[palin_world["own"][0].pk]),
        {"review": "rejected"},
    )
    assert Quote.objects.get(pk=palin_world["own"][0].pk).status == Quote.Status.REJECTED
    history = client.get(reverse("admin:statements_quote_history", args=[quote.pk])).content.decode()
    assert "Status: “Unreviewed” → “Verified”" in history and "editor" in history


def test_a_staff_user_who_may_only_view_cannot_verify_from_the_queue(client, viewer, palin_world):
    client.force_login(viewer)
    quote = palin_world["doubtful"]
    assert client.get(QUEUE).status_code == 200
    response = client.post(
        reverse("admin:statements_quotetoreview_review", args=[quote.pk]), {"review": "verified"}
    )
    assert response.status_code == 403
    client.post(QUEUE, {"action": "mark_verified", "_selected_action": [quote.pk]})
    client.post(
        QUEUE, {"action": "reassign_speaker", "_selected_action": [quote.pk], "speaker": "new:Somebody"}
    )
    quote.refresh_from_db()
    assert quote.status == Quote.Status.UNREVIEWED and quote.speaker is None
    assert not Speaker.objects.filter(name="Somebody").exists()


def test_a_review_with_a_bad_value_is_refused(client, editor, palin_world):
    client.force_login(editor)
    url = reverse("admin:statements_quotetoreview_review", args=[palin_world["doubtful"].pk])
    assert client.post(url, {"review": "deleted"}).status_code == 400
    assert client.get(url).status_code == 405
    assert (
        client.post(
            reverse("admin:statements_quotetoreview_review", args=[99999]), {"review": "verified"}
        ).status_code
        == 404
    )


def queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_queries_for_5_or_60_quotes(client, editor, palin_world):
    client.force_login(editor)
    small = queue_queries(client)
    article = make_article("More", "Xinhua", datetime.date(2012, 1, 1))
    for i in range(55):
        make_quote(
            article,
            make_speaker(f"Speaker {i}") if i % 2 else None,
            f"Quote number {i} here",
            confidence=i / 100,
        )
    assert queue_queries(client) == small


# --- changing a speaker ---------------------------------------------------------------------------


def quote_form(quote, **changes):
    form = {
        "article": quote.article_id,
        "speaker": quote.speaker_id or "",
        "speaker_role": quote.speaker_role,
        "text": quote.text,
        "kind": quote.kind,
        "start": quote.start,
        "end": quote.end,
        "said_on": quote.said_on.isoformat() if quote.said_on else "",
        "verb": quote.verb,
        "confidence": quote.confidence,
        "status": quote.status,
        "topics": [t.pk for t in quote.topics.all()],
        "quoteevent_set-TOTAL_FORMS": 0,
        "quoteevent_set-INITIAL_FORMS": 0,
    }
    return {**form, **changes}


def speaker_page_count(client, slug):
    response = client.get(f"/speakers/{slug}/")
    assert response.status_code == 200
    return response.context["speaker"].quote_count, len(response.context["page"].items)


def test_fixing_the_palin_misattribution_from_the_quote_page(client, editor, palin_world):
    """Quote page -> Edit -> type the right speaker, pick "New speaker: ..." -> Save."""
    quote = palin_world["misattributed"]
    client.force_login(editor)
    before = client.get("/speakers/sarah-palin/")
    assert before.context["speaker"].quote_count == 5
    assert before.context["topics"] == [{"slug": "energy", "name": "Energy", "count": 1}]  # now cached

    page = client.get(quote.get_absolute_url()).content.decode()
    edit = reverse("admin:statements_quote_change", args=[quote.pk])
    assert f'href="{edit}"' in page
    assert client.get(edit).status_code == 200
    response = client.post(edit, quote_form(quote, speaker="new:RBC Capital Markets"))
    assert response.status_code == 302, response.content[:3000]

    quote.refresh_from_db()
    rbc = Speaker.objects.get(name="RBC Capital Markets")
    assert quote.speaker == rbc and quote.speaker_role == "" and quote.curated
    # every count follows at once: both speakers' pages, the cached topics of Palin's page
    assert speaker_page_count(client, rbc.slug) == (1, 1)
    assert speaker_page_count(client, "sarah-palin") == (4, 4)
    assert client.get("/speakers/sarah-palin/").context["topics"] == []
    facets = client.get("/quotes/", {"q": "range-bound"}).context["facets"]
    assert [(f["label"], f["count"]) for f in facets["speaker"]] == [("RBC Capital Markets", 1)]
    html = client.get(quote.get_absolute_url()).content.decode()
    assert "RBC Capital Markets" in html and "former Alaska governor" not in html
    history = LogEntry.objects.filter(object_id=str(quote.pk)).latest("pk").get_change_message()
    assert "Speaker: “Sarah Palin” → “RBC Capital Markets”" in history
    assert "Speaker role: “former Alaska governor” → (none)" in history and "Curated" not in history


def test_a_new_speaker_typed_like_an_existing_name_reuses_it(client, editor, palin_world):
    rbc = make_speaker("RBC Capital Markets", kind=Speaker.Kind.ORGANISATION)
    quote = palin_world["misattributed"]
    client.force_login(editor)
    client.post(
        reverse("admin:statements_quote_change", args=[quote.pk]),
        quote_form(quote, speaker="new:rbc  capital markets"),
    )
    quote.refresh_from_db()
    assert quote.speaker == rbc and Speaker.objects.filter(name__iexact="rbc capital markets").count() == 1


def test_an_editor_may_write_the_new_role_while_changing_the_speaker(client, editor, palin_world):
    quote = palin_world["misattributed"]
    analyst = make_speaker("Helima Croft")
    client.force_login(editor)
    client.post(
        reverse("admin:statements_quote_change", args=[quote.pk]),
        quote_form(quote, speaker=analyst.pk, speaker_role="RBC commodity strategist"),
    )
    quote.refresh_from_db()
    assert quote.speaker == analyst and quote.speaker_role == "RBC commodity strategist"


def test_changing_the_speaker_in_the_queue_list(client, editor, palin_world):
    quote, palin = palin_world["misattributed"], palin_world["palin"]
    analyst = make_speaker("Helima Croft", role="head of commodity strategy")
    client.force_login(editor)
    rows = client.get(QUEUE).context["cl"].result_list
    form = {"form-TOTAL_FORMS": len(rows), "form-INITIAL_FORMS": len(rows), "_save": "Save"}
    for i, row in enumerate(rows):
        form[f"form-{i}-id"] = row.pk
        form[f"form-{i}-speaker"] = analyst.pk if row.pk == quote.pk else (row.speaker_id or "")
    response = client.post(QUEUE, form)
    assert response.status_code == 302, response.content[:3000]
    quote.refresh_from_db()
    assert quote.speaker == analyst and quote.speaker_role == "" and quote.curated
    assert Speaker.objects.get(pk=palin.pk).quote_count == 4
    assert Speaker.objects.get(pk=analyst.pk).quote_count == 1
    assert "head of commodity strategy" in client.get(quote.get_absolute_url()).content.decode()
    history = client.get(reverse("admin:statements_quote_history", args=[quote.pk])).content.decode()
    assert "Speaker: “Sarah Palin” → “Helima Croft”" in history


def test_bulk_reassignment_moves_many_quotes_to_one_speaker(client, editor, palin_world):
    palin = palin_world["palin"]
    moved = palin_world["own"][:3]
    client.force_login(editor)
    response = client.post(
        "/admin/statements/quote/",
        {
            "action": "reassign_speaker",
            "_selected_action": [q.pk for q in moved],
            "speaker": "new:Joe the Plumber",
        },
    )
    assert response.status_code == 302
    plumber = Speaker.objects.get(name="Joe the Plumber")
    assert set(plumber.quotes.values_list("pk", flat=True)) == {q.pk for q in moved}
    assert plumber.quote_count == 3 and Speaker.objects.get(pk=palin.pk).quote_count == 2
    assert not Quote.objects.filter(pk__in=[q.pk for q in moved]).exclude(speaker_role="").exists()
    assert speaker_page_count(client, plumber.slug) == (3, 3)
    assert (
        LogEntry.objects.filter(
            object_id__in=[str(q.pk) for q in moved], change_message__contains="Joe the Plumber"
        ).count()
        == 3
    )


def test_bulk_reassignment_without_a_speaker_changes_nothing(client, editor, palin_world):
    client.force_login(editor)
    own = palin_world["own"]
    client.post(QUEUE, {"action": "reassign_speaker", "_selected_action": [own[0].pk], "speaker": ""})
    assert Quote.objects.get(pk=own[0].pk).speaker == palin_world["palin"]


def test_speaker_autocomplete_puts_the_exact_name_first(client, editor):
    make_speaker("Sarah Palin's aide")
    for i in range(3):
        make_quote(
            make_article(f"A{i}", "AP", datetime.date(2010, 1, 1)),
            Speaker.objects.get(name="Sarah Palin's aide"),
            f"Text {i}",
        )
    make_speaker("Sarah Palin")
    refresh_quote_counts()
    client.force_login(editor)
    response = client.get(
        "/admin/autocomplete/",
        {"term": "Sarah Palin", "app_label": "statements", "model_name": "quote", "field_name": "speaker"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Sarah Palin", "Sarah Palin's aide"]


# --- the admin's quote search ---------------------------------------------------------------------


def test_the_quote_search_puts_the_exact_phrase_first(client, editor):
    article = make_article("Markets", "Reuters", datetime.date(2010, 1, 1))
    exact = make_quote(article, None, "prices will stay range-bound", said_on=datetime.date(2009, 1, 1))
    make_quote(article, None, "range of prices will not stay bound", said_on=datetime.date(2010, 1, 1))
    make_quote(article, None, "bound to stay within the price range", said_on=datetime.date(2011, 1, 1))
    client.force_login(editor)
    response = client.get("/admin/statements/quote/", {"q": "“prices will stay range-bound”"})
    rows = list(response.context["cl"].result_list)
    assert rows[0] == exact and len(rows) >= 1
    by_speaker = client.get("/admin/statements/quote/", {"q": "Palin"}).context["cl"].result_list
    assert list(by_speaker) == []
    palin = make_speaker("Sarah Palin")
    said = make_quote(article, palin, "Drill, baby, drill")
    assert list(client.get("/admin/statements/quote/", {"q": "palin"}).context["cl"].result_list) == [said]


# --- merging speakers -------------------------------------------------------------------------------


@pytest.fixture
def obamas():
    """Three records of one man, the first (most quoted) with a debris role and a wrong organisation."""
    white_house = make_organisation("White House")
    reuters = make_organisation("Reuters")
    article = make_article("Budget", "Reuters", datetime.date(2012, 1, 1))
    debris = make_speaker("Barack Obama", reuters, role="which could delay President Ba")
    president = make_speaker("President Barack Obama", white_house, role="President")
    surname = make_speaker("Obama", white_house, role="U.S. President")
    for i in range(4):
        make_quote(article, debris, f"Debris record quote {i}", speaker_role="President")
    for i in range(2):
        make_quote(article, president, f"President record quote {i}", speaker_role="President")
    for i in range(2):
        make_quote(
            article, surname, f"Surname record quote {i}", speaker_role="which could delay President Ba"
        )
    refresh_quote_counts()
    return dict(debris=debris, president=president, surname=surname, white_house=white_house, reuters=reuters)


def merge_selection(obamas):
    return {
        "action": "merge_selected",
        "_selected_action": [s.pk for s in obamas.values() if isinstance(s, Speaker)],
    }


def test_the_merge_form_offers_the_most_common_values(client, editor, obamas):
    client.force_login(editor)
    response = client.post("/admin/statements/speaker/", merge_selection(obamas))
    form = response.context["form"]
    assert form.initial["name"] == "Barack Obama"  # a full name, by quotes
    assert form.initial["role"] == "President"  # how the articles described him most often
    # the records' organisations by quotes: White House 4+2 (with the surname record) vs Reuters 4+1
    assert form.initial["organisation"] == obamas["white_house"]
    assert b"which could delay President Ba" in response.content  # shown, but not the default


def test_merging_keeps_the_editors_description_records_it_and_redirects(client, editor, obamas):
    client.force_login(editor)
    debris = obamas["debris"]
    chosen = {
        "confirm": "yes",
        "survivor": debris.pk,
        "name": "Barack Obama",
        "role": "President of the United States",
        "organisation": obamas["white_house"].pk,
        "country": "",
    }
    response = client.post("/admin/statements/speaker/", {**merge_selection(obamas), **chosen})
    assert response.status_code == 302
    survivor = Speaker.objects.get(pk=debris.pk)
    assert (survivor.name, survivor.role, survivor.organisation) == (
        "Barack Obama",
        "President of the United States",
        obamas["white_house"],
    )
    assert survivor.quote_count == 8 and survivor.curated
    assert set(survivor.aliases) >= {"President Barack Obama", "Obama"}
    merges = SpeakerMerge.objects.filter(survivor=survivor)
    assert {(m.slug, m.quotes_moved, m.merged_by) for m in merges} == {
        ("president-barack-obama", 2, editor),
        ("obama", 2, editor),
    }
    # the old pages and bookmarks lead to the survivor
    old_page = client.get("/speakers/president-barack-obama/?topic=budget")
    assert old_page.status_code == 301 and old_page["Location"] == "/speakers/barack-obama/?topic=budget"
    bookmark = client.get("/quotes/", {"speaker": "obama", "q": "record"})
    assert bookmark.status_code == 301
    assert bookmark["Location"] == "/quotes/?speaker=barack-obama&q=record"
    assert client.get("/", {"speaker": "obama"})["Location"] == "/?speaker=barack-obama"
    assert client.get("/quotes/", {"speaker": "obama", "format": "csv"}).status_code == 301
    assert (
        client.get("/quotes/feed/", {"speaker": "obama"})["Location"] == "/quotes/feed/?speaker=barack-obama"
    )
    assert client.get("/quotes/feed/", {"speaker": "barack-obama"}).status_code == 200
    assert client.get("/quotes/", {"speaker": "nobody-at-all"}).status_code == 200  # ignored, as before
    assert client.get("/speakers/nobody-at-all/").status_code == 404
    # what was merged, readable in the admin
    change_page = client.get(reverse("admin:statements_speaker_change", args=[survivor.pk])).content.decode()
    assert "president-barack-obama" in change_page and "their old URLs redirect here" in change_page
    history = client.get(reverse("admin:statements_speaker_history", args=[survivor.pk])).content.decode()
    assert "Merged President Barack Obama" in history and "President of the United States" in history


def test_a_speaker_merged_twice_still_leads_to_the_last_survivor(client, editor, obamas):
    from statements.curation import merge_speakers

    merge_speakers(obamas["president"], [obamas["surname"]])
    merge_speakers(obamas["debris"], [obamas["president"]])
    response = client.get("/speakers/obama/")
    assert response.status_code == 301 and response["Location"] == "/speakers/barack-obama/"


def test_merging_needs_the_merge_permission(client, obamas):
    changer = User.objects.create_user("changer", password="pw-for-tests-only", is_staff=True)
    changer.user_permissions.add(*Permission.objects.filter(codename__in=["view_speaker", "change_speaker"]))
    client.force_login(changer)
    chosen = {"confirm": "yes", "survivor": obamas["debris"].pk, "name": "Barack Obama"}
    client.post("/admin/statements/speaker/", {**merge_selection(obamas), **chosen})
    assert Speaker.objects.filter(name__contains="Obama").count() == 3
    assert not SpeakerMerge.objects.exists()


def test_merge_duplicate_speakers_records_its_merges_too(client, obamas):
    call_command("merge_duplicate_speakers", stdout=open("/dev/null", "w"))
    assert SpeakerMerge.objects.filter(slug="obama", merged_by=None).exists()
    survivor = SpeakerMerge.objects.get(slug="obama").survivor
    assert client.get("/speakers/obama/")["Location"] == survivor.get_absolute_url()


def test_the_speaker_list_search_works(client, editor):
    make_speaker("Barack Obama")
    make_speaker("Michelle Obama")
    client.force_login(editor)
    response = client.get("/admin/statements/speaker/", {"q": "obama"})
    assert response.status_code == 200
    assert {s.name for s in response.context["cl"].result_list} == {"Barack Obama", "Michelle Obama"}


def test_a_speakers_history_lists_the_changed_fields_with_old_and_new_values(client, editor):
    speaker = make_speaker("Barack Obama", role="which could delay President Ba")
    client.force_login(editor)
    url = reverse("admin:statements_speaker_change", args=[speaker.pk])
    form = {
        "name": "Barack Obama",
        "slug": speaker.slug,
        "kind": "person",
        "aliases": "[]",
        "role": "President of the United States",
        "rank": "",
        "organisation": "",
        "country": "",
        "merges-TOTAL_FORMS": 0,
        "merges-INITIAL_FORMS": 0,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:3000]
    history = client.get(reverse("admin:statements_speaker_history", args=[speaker.pk])).content.decode()
    assert "Title or role: “which could delay President Ba” → “President of the United States”" in history
    assert "Canonical name" not in history  # unchanged fields are not listed
