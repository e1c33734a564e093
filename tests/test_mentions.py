"""What a quote is about: the countries and organisations its own words name, stored at import by
the same gazetteer that recognises speakers."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from statements.ingest.actors import Gazetteer
from statements.models import Quote

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def seeds(db):
    call_command("import_articles", str(FIXTURES), stdout=io.StringIO(), stderr=io.StringIO())


def mentions(quote):
    return sorted(quote.mentioned_countries.values_list("code", flat=True)) + sorted(
        quote.mentioned_organisations.values_list("slug", flat=True)
    )


def test_the_gazetteer_names_countries_by_demonym_and_capital_and_organisations():
    gazetteer = Gazetteer.load()
    codes, organisations = gazetteer.named_in(
        "The Syrian army and Moscow told NATO that talks with Washington are over, as Syria said."
    )
    assert codes == ["SYR", "RUS", "USA"]  # each once, in order
    assert organisations == ["Syrian Arab Army", "NATO"]
    assert gazetteer.named_in("we are ready to talk") == ([], [])


def test_imported_quotes_keep_what_their_words_name(seeds):
    peskov = Quote.objects.get(text__startswith="So far, I would not exaggerate")
    assert mentions(peskov) == ["SYR", "USA"]
    # the speaker's own country is not what the quote is about unless the words name it
    risk = Quote.objects.get(text__startswith="I wouldn’t like to speak about this risk")
    assert mentions(risk) == []


def test_the_list_filters_by_what_the_imported_quotes_name(seeds, client):
    response = client.get("/quotes/", {"mentions": "syr", "-mentions": "USA"})
    texts = [quote.text for quote in response.context["page"].items]
    named = [Gazetteer.load().named_in(text)[0] for text in texts]
    assert named and all("SYR" in codes and "USA" not in codes for codes in named)
