import pytest
from django.db import connection

from statements import search
from statements.models import Article, Quote

TEXTS = [
    "Once again we declare that we are fully prepared to continue the dialogue with the American side",
    "Don't you think that such ventriloquism about body bags sounds more like a command",
    "We have repeatedly offered 48-hour ceasefires, but American counterparts have fixated on seven-day breaks",
    "This has of course substantially aggravated the situation",
]


@pytest.fixture
def quotes(db):
    article = Article.objects.create(external_id="a", body="x" * 1000, content_hash="h")
    return [
        Quote.objects.create(article=article, text=text, start=i * 100, end=i * 100 + 50)
        for i, text in enumerate(TEXTS)
    ]


def found(q, walk=False):
    results = search.filter_quotes(Quote.objects.all(), search.parse(q), walk=walk)
    return sorted(TEXTS.index(quote.text) for quote in results)


def test_all_words_must_match(quotes):
    assert found("american dialogue") == [0]
    assert found("american") == [0, 2]


def test_word_forms_match(quotes):
    assert found("ceasefire") == [2]
    assert found("declared") == [0]


def test_phrases_or_and_exclusions(quotes):
    assert found('"body bags"') == [1]
    assert found('"bags body"') == []
    assert found("ventriloquism OR aggravated") == [1, 3]
    assert found("american -ceasefires") == [0]


@pytest.mark.parametrize(
    "hostile", ['"', "NEAR(", "' OR 1=1 --", "*", "AND", "text:body", "-", '"unclosed phrase', "OR OR", "^x"]
)
def test_hostile_input_is_never_an_error(quotes, hostile):
    query = search.parse(hostile)
    list(search.filter_quotes(Quote.objects.all(), query, with_rank=True))


def test_relevance_ranks_better_matches_higher(quotes):
    results = search.filter_quotes(Quote.objects.all(), search.parse("american OR situation"), with_rank=True)
    ranks = {q.text: q.rank for q in results}
    assert len(ranks) == 3 and all(isinstance(r, float) for r in ranks.values())


@pytest.mark.parametrize(
    "q", ["american", "ceasefire", '"body bags"', "ventriloquism OR aggravated", "american -ceasefires"]
)
def test_walking_the_date_index_finds_the_same_quotes(quotes, q):
    assert found(q, walk=True) == found(q)


def test_matches_are_counted_from_the_index_up_to_a_cap(quotes):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL gives its planner's estimate, not a count")
    quotes = Quote.objects.all()
    assert search.estimated_matches(quotes, search.parse("american"), 10) == 2
    assert search.estimated_matches(quotes, search.parse("american OR situation"), 2) == 2
    assert search.estimated_matches(quotes, search.parse("nothing"), 10) == 0
    assert search.estimated_matches(quotes, search.parse("--"), 10) == 0


@pytest.mark.parametrize(
    "matches, offset, walks",
    [(312_000, 0, True), (59_000, 0, True), (4_000, 0, False), (59_000, 2_500, False), (0, 0, False)],
)
def test_a_page_of_a_common_word_is_found_by_walking_the_date_index(matches, offset, walks):
    assert search.walk_is_cheaper(matches, 1_000_000, offset) is walks


def test_a_search_works_inside_a_larger_query(quotes):
    # facets and topic counts use the searched quotes as a subquery
    matches = search.filter_quotes(Quote.objects.all(), search.parse("american"))
    outer = Quote.objects.filter(pk__in=matches.values("pk")).exclude(text__startswith="Once")
    assert [TEXTS.index(quote.text) for quote in outer] == [2]
    walked = search.filter_quotes(Quote.objects.all(), search.parse("american"), walk=True)
    assert Quote.objects.filter(pk__in=walked.values("pk")).count() == 2


def test_terms_to_highlight_come_from_the_query():
    assert search.parse('body "bags sounds" -command OR x').terms == ["body", "bags", "sounds", "x"]
