"""The topic taxonomy: two levels, reader-facing descriptions, filters and pages that follow the tree.

Tagging itself (which words give which topic) is tests/test_tagging.py; these tests check what a
reader sees: a broad area finds its topics' quotes, its page lists them, editor notes stay in the
admin, and the curated taxonomy in fixtures/reference/topics.json holds together.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from statements.models import Quote, Topic
from statements.reference import seed_reference_data
from tests.factories import make_article, make_quote, make_speaker, make_topic

pytestmark = pytest.mark.django_db

TOPICS_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "topics.json"
TAXONOMY = json.loads(TOPICS_FILE.read_text(encoding="utf-8"))
SEED_TOPICS = {
    "syria-ceasefire",
    "counter-terrorism",
    "russia-us-relations",
    "humanitarian-access",
    "military-deconfliction",
    "personnel-safety",
    "sanctions",
    "nuclear-non-proliferation",
    "chemical-weapons",
    "ukraine-conflict",
    "trade",
    "energy-security",
    "china-us-relations",
    "israeli-palestinian-conflict",
}


# --- the curated taxonomy ------------------------------------------------------------------------


def test_the_taxonomy_is_two_levels_deep_and_keeps_the_seeds_topics():
    by_slug = {item["slug"]: item for item in TAXONOMY}
    assert len(by_slug) == len(TAXONOMY), "slugs are unique"
    assert SEED_TOPICS <= set(by_slug)
    for item in TAXONOMY:
        parent = item.get("parent")
        if parent:
            assert parent in by_slug, item["slug"]
            assert not by_slug[parent].get("parent"), f"{item['slug']}: its area has an area"


def test_the_taxonomy_covers_a_diplomacy_and_economy_archive():
    names = {item["slug"] for item in TAXONOMY}
    for subject in (
        "trade",
        "currencies",
        "sanctions",
        "nuclear-non-proliferation",
        "energy-security",
        "syrian-war",
        "ukraine-conflict",
        "counter-terrorism",
        "monetary-policy",
        "public-debt",
        "elections",
        "human-rights",
        "climate-change",
        "migration",
    ):
        assert subject in names


def test_every_topic_has_a_name_and_description_for_readers_and_rules_to_tag_with():
    for item in TAXONOMY:
        assert item["name"] and item["name"][0].isupper(), item["slug"]
        assert len(item["description"]) > 30, item["slug"]
        assert item.get("keywords") or item.get("all_of"), item["slug"]


def test_public_descriptions_hold_no_editor_notes():
    for item in TAXONOMY:
        description = item["description"].lower()
        for marker in ("keywords", "co-mention", "editor", "note:", "todo", "tagging"):
            assert marker not in description, (item["slug"], marker)
    china_us = next(item for item in TAXONOMY if item["slug"] == "china-us-relations")
    assert "co-mentions" in china_us["editor_notes"]


# --- reference data in the database ---------------------------------------------------------------


def test_loading_the_reference_data_builds_the_tree():
    seed_reference_data()
    economy = Topic.objects.get(slug="economy")
    assert economy.parent is None
    assert {"currencies", "monetary-policy", "trade"} <= set(economy.children.values_list("slug", flat=True))
    assert Topic.objects.get(slug="syria-ceasefire").parent.slug == "armed-conflicts"


def test_topics_made_before_the_tree_join_their_area_and_keep_what_editors_wrote():
    trade = make_topic("Trade", "trade", "Our own description.")
    seed_reference_data()
    trade.refresh_from_db()
    assert trade.parent.slug == "economy"
    assert trade.description == "Our own description."
    # An area an editor chose stays.
    trade.parent = Topic.objects.get(slug="diplomacy")
    trade.save()
    seed_reference_data()
    trade.refresh_from_db()
    assert trade.parent.slug == "diplomacy"


def test_a_topic_cannot_go_three_levels_deep():
    area = make_topic("Economy", "economy")
    currencies = Topic.objects.create(name="Currencies", slug="currencies", parent=area)
    yen = Topic(name="The yen", slug="yen", parent=currencies)
    with pytest.raises(ValidationError):
        yen.full_clean()
    area.parent = make_topic("Everything", "everything")
    with pytest.raises(ValidationError):
        area.full_clean()


# --- filters and pages follow the tree -------------------------------------------------------------


@pytest.fixture
def economy():
    """A broad area with two topics, and a quote on each plus one on the area itself."""
    area = make_topic("Economy", "economy", "How economies are doing.")
    currencies = Topic.objects.create(
        name="Currencies", slug="currencies", parent=area, description="Exchange rates and pegs."
    )
    trade = Topic.objects.create(name="Trade", slug="trade", parent=area, description="Tariffs and deals.")
    other = make_topic("Elections", "elections", "Votes and campaigns.")
    minister = make_speaker("Ana Ruiz", role="finance minister")
    article = make_article("Ministers meet", "Reuters", datetime.date(2012, 5, 3))
    quotes = {
        "yen": make_quote(
            article, minister, "The yen is far too strong for our exporters.", topics=[currencies]
        ),
        "tariffs": make_quote(article, minister, "Tariffs on steel will go.", topics=[trade]),
        "both": make_quote(
            article, minister, "A cheap yen and tariffs make a trade war.", topics=[currencies, trade]
        ),
        "outlook": make_quote(article, minister, "The outlook is brighter than a year ago.", topics=[area]),
        "vote": make_quote(article, minister, "I will stand in the next vote.", topics=[other]),
    }
    return area, currencies, trade, quotes


def test_filtering_by_a_broad_area_finds_its_topics_quotes(economy):
    area, currencies, _, quotes = economy
    found = set(Quote.objects.about(area))
    assert found == {quotes["yen"], quotes["tariffs"], quotes["both"], quotes["outlook"]}
    assert set(Quote.objects.about(currencies)) == {quotes["yen"], quotes["both"]}


def test_filtering_by_a_broad_area_finds_each_quote_once_when_it_is_common(economy, monkeypatch):
    area, *_ = economy
    monkeypatch.setattr(Quote.objects._queryset_class, "COMMON_MINIMUM", 0)
    assert Quote.objects.about(area).count() == 4


def test_the_quote_list_filtered_by_an_area_shows_its_topics_quotes(client, economy):
    html = client.get("/quotes/?topic=economy").content.decode()
    assert "The yen is far too strong" in html and "Tariffs on steel" in html
    assert "I will stand in the next vote" not in html
    html = client.get("/quotes/?topic=trade").content.decode()
    assert "Tariffs on steel" in html and "The yen is far too strong" not in html


def test_the_topic_list_shows_areas_with_their_topics_and_distinct_counts(client, economy):
    html = client.get("/topics/").content.decode()
    area_at, currencies_at, elections_at = (
        html.index(">Economy<"),
        html.index(">Currencies<"),
        html.index(">Elections<"),
    )
    assert area_at < currencies_at  # a topic under its area
    assert "4 quotes" in html  # the area: four distinct quotes, the one with two topics once
    assert elections_at > 0


def test_an_area_page_lists_its_topics_and_their_quotes(client, economy):
    html = client.get("/topics/economy/").content.decode()
    assert "Topics in Economy" in html
    assert 'href="/topics/currencies/"' in html
    assert "The yen is far too strong" in html


def test_a_topic_page_links_back_to_its_area(client, economy):
    html = client.get("/topics/currencies/").content.decode()
    assert 'href="/topics/economy/"' in html
    assert "Exchange rates and pegs." in html


def test_editor_notes_never_reach_public_pages(client, economy):
    area, currencies, *_ = economy
    currencies.editor_notes = "INTERNAL: co-mentions of China and the US mean nothing here."
    currencies.save()
    for url in (
        "/topics/",
        "/topics/currencies/",
        "/topics/economy/",
        "/quotes/?topic=currencies",
        "/about/",
    ):
        assert "INTERNAL" not in client.get(url).content.decode(), url
    export = client.get("/quotes/?topic=currencies&format=json")
    assert "INTERNAL" not in b"".join(export.streaming_content).decode()


def test_the_china_us_description_readers_see_has_no_editor_note(client):
    seed_reference_data()
    html = client.get("/topics/china-us-relations/").content.decode()
    assert "Beijing and Washington" in html
    assert "co-mentions" not in html and "Keywords only" not in html


def test_editors_see_the_notes_and_rules_in_the_admin(admin_client, economy):
    _, currencies, *_ = economy
    currencies.editor_notes = "Why the rules are as they are."
    currencies.save()
    html = admin_client.get(f"/admin/statements/topic/{currencies.pk}/change/").content.decode()
    assert "Why the rules are as they are." in html
    assert 'name="none_of"' in html and 'name="parent"' in html and 'name="weak_keywords"' in html


def test_editors_see_which_topics_the_model_decides_and_which_their_rules(admin_client, economy):
    _, currencies, _, _ = economy
    other = make_topic("Afghanistan war", "afghanistan-war", "The war in Afghanistan.")
    page = admin_client.get("/admin/statements/topic/").content.decode()
    assert "Decided by" in page
    assert (
        "the topic model"
        in admin_client.get(f"/admin/statements/topic/{currencies.pk}/change/").content.decode()
    )
    assert (
        "the topic model"
        not in admin_client.get(f"/admin/statements/topic/{other.pk}/change/").content.decode()
    )
    # Sanctions: the model learnt it, and its rules' tags are kept too (they found quotes it missed).
    sanctions = make_topic("Sanctions", "sanctions", "Penalties on states.")
    assert (
        "and these rules"
        in admin_client.get(f"/admin/statements/topic/{sanctions.pk}/change/").content.decode()
    )


def test_an_upgrade_can_bring_improved_rules_to_existing_topics(capsys):
    from django.core.management import call_command

    trade = Topic.objects.create(name="Trade", slug="trade", description="Ours.", keywords=["old word"])
    call_command("load_reference")
    trade.refresh_from_db()
    assert trade.keywords == ["old word"]  # left as it was
    call_command("load_reference", "--update-topic-rules")
    trade.refresh_from_db()
    assert "tariffs" in trade.keywords and "trade show" in trade.none_of and "exports" in trade.weak_keywords
    assert trade.description == "Ours."
