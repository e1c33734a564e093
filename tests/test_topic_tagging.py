"""Topic tagging with the curated taxonomy: a quote gets a topic when it is about it.

The sentences are written for these tests (none from the Reuters corpus): each one shows a rule a
reader would notice, with the real topics of fixtures/reference/topics.json.
"""

import datetime
import json
from pathlib import Path

from statements.ingest.records import ExtractedQuote, ParsedArticle, QuoteSpan, SpeakerMention
from statements.ingest.tagging import TaggingRules, annotate

TOPICS = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "topics.json").read_text(
        encoding="utf-8"
    )
)
RULES = TaggingRules.from_reference(TOPICS, [])
DAY = datetime.date(2012, 5, 3)


def topics_of(text, quoted, title="", speaker=None, rules=RULES):
    """The topics `quoted` (a passage of `text`) gets in an article of that text and title."""
    start = text.index(quoted)
    quote = ExtractedQuote(
        span=QuoteSpan(start=start, end=start + len(quoted), text=quoted, kind="direct"),
        speaker=SpeakerMention(name="Jane Roe", country=speaker) if speaker else None,
    )
    annotate(ParsedArticle(external_id="t", text=text, title=title, published=DAY), [quote], rules)
    return set(quote.topics)


def test_a_quote_is_filed_under_the_most_specific_topic_not_also_its_area():
    text = '"The yen is far too strong, and economic growth suffers from it," the minister said.'
    assert topics_of(text, "The yen is far too strong, and economic growth suffers from it,") == {
        "currencies",
        "economic-growth",
    }


def test_the_speakers_affiliation_says_nothing_of_what_the_quote_is_about():
    text = (
        '"We expect a better second half," said Jane Roe, chief investment officer at Acme Securities '
        "and a former central bank economist."
    )
    assert topics_of(text, "We expect a better second half,") == set()


def test_what_follows_the_attribution_can_say_what_the_quote_is_about():
    text = '"It has gone on far too long," Roe said of the bond purchases by the central bank.'
    assert topics_of(text, "It has gone on far too long,") == {"monetary-policy"}


def test_the_question_a_quote_answers_counts_but_not_the_reporting_clause():
    text = 'Asked whether interest rates would rise this year, Roe said: "I wouldn\'t bet on it."'
    assert topics_of(text, "I wouldn't bet on it.") == {"monetary-policy"}


def test_a_quote_is_not_tagged_from_the_articles_other_paragraphs():
    text = (
        "Tariffs on steel imports rose again this week, and the trade war with the neighbours deepened.\n\n"
        "The company opened a new office in the capital on Monday.\n\n"
        '"We are very happy with the new building," Roe said.'
    )
    assert topics_of(text, "We are very happy with the new building,") == set()


def test_a_quote_that_refers_back_takes_its_subject_from_the_sentence_before():
    text = (
        "The rebels offered a 48-hour truce around Aleppo. The government said the proposal remained "
        '"on the table."'
    )
    assert "syria-ceasefire" in topics_of(text, "on the table.")


def test_the_title_settles_a_co_mention_the_quote_starts():
    text = '"The truce is holding, and we hope it lasts," Roe told reporters.'
    quoted = "The truce is holding, and we hope it lasts,"
    assert topics_of(text, quoted, title="Syria truce holds for a second day") == {
        "syria-ceasefire",
        "syrian-war",
    }
    # Without the title the truce could be anywhere: the broad area only.
    assert topics_of(text, quoted, title="Truce holds for a second day") == {"armed-conflicts"}


def test_the_title_alone_never_tags():
    text = '"We will see what tomorrow brings," Roe said.'
    assert topics_of(text, "We will see what tomorrow brings,", title="Oil prices and the euro") == set()


def test_exclusions_keep_words_that_mean_something_else_out():
    shows = '"We showed the new model at a trade show in Frankfurt," Roe said.'
    assert "trade" not in topics_of(shows, "We showed the new model at a trade show in Frankfurt,")
    tariffs = '"Tariffs on our cars will hurt trade with Europe," Roe said.'
    assert "trade" in topics_of(tariffs, "Tariffs on our cars will hurt trade with Europe,")
    share = '"Our market share grew in every region," Roe said.'
    assert "financial-markets" not in topics_of(share, "Our market share grew in every region,")
    stocks = '"Stocks are cheap and the bond market is calm," Roe said.'
    assert "financial-markets" in topics_of(stocks, "Stocks are cheap and the bond market is calm,")


def test_a_keyword_written_in_the_plural_matches_for_a_topic_written_in_the_singular():
    text = '"The terrorists must be stopped," Roe said.'
    assert "counter-terrorism" in topics_of(text, "The terrorists must be stopped,")


def test_an_editors_exclusion_applies_to_its_own_topic_only():
    rules = TaggingRules.from_reference(
        [
            {"slug": "shows", "name": "Shows", "keywords": ["show"], "none_of": ["trade show"]},
            {"slug": "fairs", "name": "Fairs", "keywords": ["trade show"]},
        ],
        [],
    )
    text = '"The trade show was busy," Roe said.'
    assert topics_of(text, "The trade show was busy,", rules=rules) == {"fairs"}


def test_a_company_launch_proposes_no_event_but_a_collapsed_truce_does():
    launch = "On Monday, the company launched a new phone in Tokyo."
    truce = "On Monday, the truce in Syria collapsed."
    for text, expected in ((launch, 0), (truce, 1)):
        article = ParsedArticle(external_id="t", text=text, published=DAY)
        assert len(annotate(article, [], RULES)) == expected, text


def test_a_weak_keyword_alone_does_not_tag_but_two_do():
    # "recovery" and "jobs" point to the economy; either alone could be a company's or a patient's.
    one = '"The recovery will take time," Roe said.'
    assert "economic-growth" not in topics_of(one, "The recovery will take time,")
    two = '"The recovery will take time, and jobs will come back last," Roe said.'
    assert "economic-growth" in topics_of(two, "The recovery will take time, and jobs will come back last,")
    with_keyword = '"The recovery will take time, and unemployment will stay high," Roe said.'
    assert "economic-growth" in topics_of(
        with_keyword, "The recovery will take time, and unemployment will stay high,"
    )


def test_a_word_in_passing_does_not_make_a_second_topic():
    text = (
        '"Interest rates will stay low for as long as inflation does, whatever happens to tariffs," Roe said.'
    )
    quoted = "Interest rates will stay low for as long as inflation does, whatever happens to tariffs,"
    assert topics_of(text, quoted) == {"monetary-policy"}
    both = '"Tariffs and quotas hurt us, and interest rates are too high," Roe said.'
    assert topics_of(both, "Tariffs and quotas hurt us, and interest rates are too high,") == {
        "monetary-policy",
        "trade",
    }


def test_the_title_weighs_between_topics_the_quote_names_equally():
    text = '"Tariffs are rising and so are interest rates," Roe said.'
    quoted = "Tariffs are rising and so are interest rates,"
    assert topics_of(text, quoted, title="Central bank warns on interest rates") == {"monetary-policy"}
    assert topics_of(text, quoted, title="Exporters fear new tariffs") == {"trade"}


def test_an_editors_weak_keywords_need_company():
    rules = TaggingRules.from_reference(
        [
            {
                "slug": "shipping",
                "name": "Shipping",
                "keywords": ["freight rates"],
                "weak_keywords": ["ships", "ports"],
            }
        ],
        [],
    )
    assert topics_of('"The ships are late," Roe said.', "The ships are late,", rules=rules) == set()
    assert topics_of(
        '"The ships wait outside the ports," Roe said.', "The ships wait outside the ports,", rules=rules
    ) == {"shipping"}


def test_the_title_says_what_a_weak_keyword_is_about():
    text = '"We are pleased with the results," Roe said.'
    quoted = "We are pleased with the results,"
    assert topics_of(text, quoted, title="Acme profit beats forecasts") == {"company-results"}
    assert topics_of(text, quoted, title="Acme opens a new office") == set()


def test_a_quote_that_refers_back_takes_no_co_mention_from_the_sentence_after_it():
    # The sentence before names Russia, the one after Washington and a summit: they are not next
    # to each other, and the quote is about a club of countries, not Russia and the US.
    text = (
        "Brazil, Russia, India and China said they wanted more say in world affairs. "
        '"The old club cannot stay closed," the minister said. She will attend the Washington summit.'
    )
    assert "russia-us-relations" not in topics_of(text, "The old club cannot stay closed,")


def test_a_quote_without_topic_words_takes_a_clear_subject_from_the_sentences_around_it():
    # "We are not out of the woods yet" names nothing, nor does the sentence before it; the
    # sentence after it is plainly about the recession, unemployment and consumer spending.
    text = (
        'The minister was cautious. "We are not out of the woods yet," she said. '
        "Economists expect the recession to deepen, unemployment to rise and consumer spending to fall."
    )
    assert topics_of(text, "We are not out of the woods yet,") == {"economic-growth"}


def test_two_words_around_a_quote_that_names_nothing_are_not_enough():
    # The story's subject, not necessarily what the quote says.
    text = (
        'The minister was cautious. "We are not out of the woods yet," she said. '
        "Economists expect the recession to last into next year and unemployment to rise."
    )
    assert topics_of(text, "We are not out of the woods yet,") == set()


def test_one_passing_word_around_a_quote_gives_it_no_topic():
    text = (
        'The minister spoke after a long meeting. "We are not out of the woods yet," she said. '
        "She flew home on Tuesday after talks on unemployment."
    )
    assert topics_of(text, "We are not out of the woods yet,") == set()


def test_the_title_alone_does_not_give_a_quote_its_neighbourhoods_topic():
    text = 'The minister spoke after a long meeting. "We are not out of the woods yet," she said.'
    quoted = "We are not out of the woods yet,"
    assert topics_of(text, quoted, title="Unemployment and recession: the minister is cautious") == set()


def test_the_economy_by_name_is_about_how_it_is_doing_but_fuel_economy_is_not():
    text = '"There is no doubt the economy has improved in the last four years," Roe said.'
    assert topics_of(text, "There is no doubt the economy has improved in the last four years,") == {
        "economic-growth"
    }
    car = '"The new engine has the best fuel economy in its class," Roe said.'
    assert "economic-growth" not in topics_of(car, "The new engine has the best fuel economy in its class,")


def test_going_to_court_is_legal_but_the_ball_in_their_court_is_not():
    text = '"We would rather compete in the shops than in court," Roe said.'
    assert topics_of(text, "We would rather compete in the shops than in court,") == {"corporate-legal"}
    ball = '"The ball is in their court now," Roe said.'
    assert "corporate-legal" not in topics_of(ball, "The ball is in their court now,")


def test_a_bank_left_to_fail_is_about_banks_and_their_rules():
    text = '"No sound bank should be allowed to fail for lack of cash," Roe said.'
    assert topics_of(text, "No sound bank should be allowed to fail for lack of cash,") == {
        "financial-regulation"
    }


def test_what_the_world_economy_needs_is_not_a_statement_on_growth():
    text = '"Emerging countries have an important role to play in the world economy," Roe said.'
    assert "economic-growth" not in topics_of(
        text, "Emerging countries have an important role to play in the world economy,"
    )


def test_one_word_in_the_sentence_before_does_not_give_a_quote_its_subject():
    # The quote's sentence names nothing; the sentence before names currencies once, in passing.
    text = 'The group reports its sales in yen. "We like to keep our stores small," she said.'
    assert topics_of(text, "We like to keep our stores small,") == set()
    # Named twice, the sentence before says what the quote is about.
    clear = 'The yen hit a record against the dollar and the euro. "It cannot go on," she said.'
    assert topics_of(clear, "It cannot go on,") == {"currencies"}
