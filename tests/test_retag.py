import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from statements.models import Organisation, Quote, Speaker, Topic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BRIEFINGS = Path(__file__).resolve().parent / "data" / "briefings"


@pytest.fixture
def seeds(db):
    call_command("import_articles", str(FIXTURES), stdout=io.StringIO(), stderr=io.StringIO())


def retag():
    out = io.StringIO()
    call_command("retag", stdout=out)
    return out.getvalue()


def test_retag_changes_nothing_when_nothing_changed(seeds):
    assert retag().strip().splitlines()[-1].startswith("0 quote(s) changed")


def test_a_new_topic_is_applied_to_old_quotes_and_reported(seeds):
    Topic.objects.create(name="Ventriloquism", slug="ventriloquism", keywords=["ventriloquism"])
    output = retag()
    zakharova = Quote.objects.get(text__contains="ventriloquism")
    assert "ventriloquism" in zakharova.topics.values_list("slug", flat=True)
    assert f"quote {zakharova.pk} " in output and "+topic:ventriloquism" in output


def test_retag_leaves_curated_quotes_alone(seeds):
    Topic.objects.create(name="Ventriloquism", slug="ventriloquism", keywords=["ventriloquism"])
    zakharova = Quote.objects.get(text__contains="ventriloquism")
    zakharova.topics.clear()
    zakharova.curated = True
    zakharova.save()
    output = retag()
    assert not zakharova.topics.exists()
    assert f"quote {zakharova.pk} " not in output


def test_retag_restores_topics_removed_from_uncurated_quotes(seeds):
    quote = Quote.objects.filter(topics__isnull=False).first()
    before = set(quote.topics.values_list("slug", flat=True))
    quote.topics.clear()
    output = retag()
    assert set(quote.topics.values_list("slug", flat=True)) == before
    assert f"quote {quote.pk} " in output


def test_an_editors_weak_keywords_apply_in_pairs(seeds):
    # Zakharova's "such ventriloquism ... sounds more like a 'get 'em' command": one weak keyword
    # is not enough, two are.
    zakharova = Quote.objects.get(text__contains="ventriloquism")
    topic = Topic.objects.create(name="Puppetry", slug="puppetry", weak_keywords=["ventriloquism"])
    retag()
    assert not zakharova.topics.filter(pk=topic.pk).exists()
    topic.weak_keywords = ["ventriloquism", "command"]
    topic.save()
    output = retag()
    assert zakharova.topics.filter(pk=topic.pk).exists() and "+topic:puppetry" in output


def test_retag_reads_each_speaker_as_the_article_described_them(db):
    # Retag re-applies the import's tagging: it must read a speaker as the import did, from the
    # article ("KIRBY", of the National Security Council, in this call), not from the speaker's
    # record, which an earlier document or an editor may have filed under the White House. Else a
    # retag straight after an import moves topics for no reason a reader could see.
    call_command("import_articles", str(BRIEFINGS), stdout=io.StringIO(), stderr=io.StringIO())
    white_house = Organisation.objects.create(name="The White House Office", slug="the-white-house-office")
    assert Speaker.objects.exclude(organisation=white_house).update(organisation=white_house) > 3
    assert retag().strip().splitlines()[-1].startswith("0 quote(s) changed")


def test_the_admin_shows_the_organisation_the_article_gave_the_speaker(db, admin_client):
    call_command("import_articles", str(BRIEFINGS), stdout=io.StringIO(), stderr=io.StringIO())
    quote = Quote.objects.filter(speaker__name="John Kirby").first()
    assert quote.speaker_organisation == "US National Security Council"
    page = admin_client.get(reverse("admin:statements_quote_change", args=[quote.pk]))
    assert page.status_code == 200
    assert '<div class="readonly">US National Security Council</div>' in page.content.decode()
