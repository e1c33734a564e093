"""The topic model: what it decides, how it sits with the rules, and what the shipped one holds.

The articles here are written for these tests (none from the Reuters corpus the model was trained
on); the model is the shipped one, fixtures/reference/topic_model.json.
"""

import datetime
import json
import re
from pathlib import Path

import pytest

from statements.ingest.records import ExtractedQuote, ParsedArticle, QuoteSpan, SpeakerMention
from statements.ingest.tagging import TaggingRules, _decided_topics, annotate
from statements.ingest.topic_model import MODEL_PATH, NO_TOPIC, TopicModel, shipped_model, words
from statements.ingest.transcripts import NEWS, TRANSCRIPT

TOPICS = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "topics.json").read_text(
        encoding="utf-8"
    )
)
WITH_MODEL = TaggingRules.from_reference(TOPICS, [], model=shipped_model())
RULES_ALONE = TaggingRules.from_reference(TOPICS, [])
DAY = datetime.date(2012, 5, 3)


def topics_of(text, quoted, title, rules=WITH_MODEL, kind=NEWS):
    start = text.index(quoted)
    quote = ExtractedQuote(
        span=QuoteSpan(start=start, end=start + len(quoted), text=quoted, kind="direct"),
        speaker=SpeakerMention(name="Jane Roe"),
    )
    article = ParsedArticle(external_id="t", text=text, title=title, published=DAY, kind=kind)
    annotate(article, [quote], rules)
    return set(quote.topics)


# --- the shipped model through tagging -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, quoted, title, topic",
    [
        (
            "Acme Corp's chief executive will step down at the end of the year, the company said, "
            "after a decade in which its stock tripled. \"It's time for a new generation to lead this "
            'company," Roe said in a statement.',
            "It's time for a new generation to lead this company,",
            "Acme CEO to step down",
            "business",
        ),
        # Not Russia-US relations or missile defence either, which the sentence's end names.
        (
            "Leaders met in Germany. "
            '"The club of rich nations can no longer decide alone; China and India must be at the '
            'table," said Jane Roe, a former finance minister, as Russia and the United States argued '
            "over missile defence.",
            "The club of rich nations can no longer decide alone; China and India must be at the table,",
            "G8 summit opens",
            "diplomacy",
        ),
    ],
)
def test_a_quote_that_names_no_topic_word_is_filed_by_what_it_is_about(text, quoted, title, topic):
    assert topics_of(text, quoted, title, rules=RULES_ALONE) == set()
    assert topics_of(text, quoted, title) == {topic}


def test_clear_quotes_keep_their_topic():
    cases = [
        (
            "Acme Corp said on Tuesday that its quarterly profit rose 12 percent, beating analysts' "
            'forecasts. "We had a terrific quarter and we expect the second half to be even better," '
            "chief executive Jane Roe told reporters.",
            "We had a terrific quarter and we expect the second half to be even better,",
            "Acme profit beats forecasts on printer sales",
            "company-results",
        ),
        (
            "The central bank left its benchmark interest rate unchanged on Thursday. "
            '"Inflation is still too high for us to cut rates now," the governor told a news conference.',
            "Inflation is still too high for us to cut rates now,",
            "Central bank holds rates as inflation stays high",
            "monetary-policy",
        ),
        (
            "Shares of Acme jumped after it agreed to buy its rival Widget Inc for $4 billion in cash. "
            '"This deal makes us the biggest maker of widgets in the world," Roe said.',
            "This deal makes us the biggest maker of widgets in the world,",
            "Acme to buy Widget for $4 billion",
            "mergers-acquisitions",
        ),
    ]
    for text, quoted, title, topic in cases:
        assert topics_of(text, quoted, title) == {topic}, quoted


def test_a_personal_remark_gets_no_topic():
    text = (
        "Friends and neighbours gathered on Sunday to remember the retired teacher. "
        '"He was a wonderful man and I will miss him every day," said Jane Roe, who lived next door.'
    )
    assert (
        topics_of(text, "He was a wonderful man and I will miss him every day,", "Town mourns teacher")
        == set()
    )


def test_a_topic_the_model_did_not_learn_is_left_to_its_rules():
    text = (
        "Fighting flared in the south of the country on Tuesday. "
        '"The Taliban attacked two checkpoints in Helmand overnight," said a spokeswoman for the '
        "coalition."
    )
    assert "afghanistan-war" not in shipped_model().topics
    quoted = "The Taliban attacked two checkpoints in Helmand overnight,"
    assert "afghanistan-war" in topics_of(text, quoted, "Attacks in Helmand")


def test_a_briefing_answer_on_aid_for_gaza_is_filed_under_the_war_and_humanitarian_access():
    text = (
        "Q On the crossings, what is the administration asking for?\n\n"
        "MR. SMITH: We want many more trucks of humanitarian aid getting into Gaza every day, and "
        "we want the crossings kept open so that food and medicine can reach the families who need it."
    )
    quoted = text[text.index("We want") :]
    assert topics_of(text, quoted, "Press Briefing by the National Security Spokesman") == {
        "israeli-palestinian-conflict",
        "humanitarian-access",
    }


def test_a_question_names_no_topic_for_an_answer_on_something_else():
    # In news, "Syria" in the sentence before and "crisis" in the quote's make the Syrian war (the
    # seeds' convention). In a transcript the sentence before is a reporter's question, here a
    # double one, and the answer takes up only its second part.
    text = (
        "Q Two questions. First, is there any update on Syria? And second, on the rail strike: will "
        "the President step in?\n\n"
        "MR. SMITH: On the rail strike, he has been clear that this crisis ends at the table, with a "
        "fair contract for the workers."
    )
    quoted = text[text.index("On the rail strike, he") :]
    title = "Press Briefing by the Press Secretary"
    assert topics_of(text, quoted, title, RULES_ALONE, kind=NEWS) == {"syrian-war"}
    assert topics_of(text, quoted, title, RULES_ALONE, kind=TRANSCRIPT) == set()
    assert "syrian-war" not in topics_of(text, quoted, title, kind=TRANSCRIPT)


def test_a_procedural_turn_in_a_briefing_gets_no_topic():
    text = (
        "Q Thank you. On Ukraine, will the President sign the aid package this week?\n\n"
        "MS. DOE: Go ahead, Peter. I think you had one more.\n\n"
        "Q Thanks. On the sanctions announced this morning..."
    )
    quoted = "Go ahead, Peter. I think you had one more."
    assert topics_of(text, quoted, "Press Briefing by the Press Secretary") == set()


def test_a_topic_an_editor_adds_is_tagged_by_its_keywords_with_the_model_in_place():
    space = {
        "slug": "space-exploration",
        "name": "Space exploration",
        "description": "Rockets, astronauts and space stations.",
        "parent": "politics-society",
        "keywords": ["astronauts", "space station"],
    }
    rules = TaggingRules.from_reference(TOPICS + [space], [], model=shipped_model())
    text = (
        'The launch was put off by a day. "The astronauts will reach the space station on Friday," Roe said.'
    )
    assert "space-exploration" in topics_of(
        text, "The astronauts will reach the space station on Friday,", "Launch delayed", rules=rules
    )


# --- the decision, on a model small enough to follow ---------------------------------------------


def tiny_model(rules_too=(), **thresholds):
    """Three topics, two of them in one area, and none."""
    return TopicModel.from_dict(
        {
            "format": 2,
            "classes": [NO_TOPIC, "company-results", "mergers-acquisitions", "trade"],
            "areas": {"company-results": "business", "mergers-acquisitions": "business", "trade": "economy"},
            "features": ["q:tariffs", "q:profit", "q:company", "q:vague"],
            "idf": [1.0, 1.0, 1.0, 1.0],
            "weights": [[[3, 6.0]], [[1, 6.0]], [[1, 3.0], [2, 3.0]], [[1, 0.5], [3, 0.5]]],
            "bias": [1.0, 0.0, 0.0, 0.0],
            "thresholds": {"confident": 0.6, "area_confident": 0.7, "also": 1.01, **thresholds},
            "rules_too": list(rules_too),
        }
    )


def test_the_most_probable_topic_is_tagged_when_the_model_is_confident_of_it():
    model = tiny_model()
    assert model.decide(["q:tariffs"]) == ["trade"]
    assert model.decide(["q:profit", "q:unknown-word"]) == ["company-results"]
    assert model.probabilities(["q:profit"]).sum() == pytest.approx(1.0)


def test_nothing_is_tagged_when_no_topic_is_the_likeliest_or_no_area_is_clear():
    model = tiny_model()
    assert model.decide([]) == []
    assert model.decide(["q:vague"]) == []  # none 0.39, results 0.24, trade 0.24, deals 0.14


def test_the_area_is_tagged_when_it_is_clear_but_not_which_of_its_topics():
    # results 0.46, deals 0.46: business 0.92
    assert tiny_model().decide(["q:company"]) == ["business"]
    assert tiny_model(area_confident=0.95).decide(["q:company"]) == []


def test_a_second_topic_is_tagged_when_it_is_likely_too():
    assert tiny_model().decide(["q:tariffs", "q:profit"]) == []  # 0.49 each
    assert tiny_model(also=0.3).decide(["q:tariffs", "q:profit"]) == ["company-results", "trade"]


def test_the_quotes_of_an_article_are_decided_together_as_each_alone():
    model = tiny_model()
    lists = [["q:tariffs"], [], ["q:company"], ["q:profit"]]
    assert model.decide_many(lists) == [model.decide(features) for features in lists]
    assert model.decide_many([["q:vague"], []], shared=["q:profit"]) == [
        model.decide(["q:vague", "q:profit"]),
        model.decide(["q:profit"]),
    ]


def test_the_rules_tags_stand_for_topics_the_model_did_not_learn_or_learnt_with_their_help():
    alone = TaggingRules.from_reference(TOPICS, [], model=tiny_model())
    helped = TaggingRules.from_reference(TOPICS, [], model=tiny_model(rules_too=["trade"]))
    # The rules found trade and elections; the model found nothing.
    assert _decided_topics(alone, [], ["trade", "elections"]) == ["elections"]
    assert _decided_topics(helped, [], ["trade", "elections"]) == ["trade", "elections"]
    # A broad area the model is sure of gives way to a topic the rules found in it.
    assert _decided_topics(helped, ["economy"], ["trade"]) == ["trade"]


def test_a_topic_the_model_doubts_gives_way_to_one_the_rules_found_in_its_area():
    rules = TaggingRules.from_reference(TOPICS, [], model=tiny_model())
    # The model leans to results; the rules found technology, which it never learnt, in the same area.
    assert _decided_topics(rules, ["company-results"], ["technology"], {"company-results"}) == ["technology"]
    # Sure of results, it keeps them beside the rules' topic; a doubt in another area stands.
    assert _decided_topics(rules, ["company-results"], ["technology"]) == ["company-results", "technology"]
    assert _decided_topics(rules, ["trade"], ["technology"], {"trade"}) == ["trade", "technology"]


def test_a_model_of_another_format_is_refused():
    with pytest.raises(ValueError, match="format"):
        TopicModel.from_dict({"format": 1})


def test_words_are_lowercased_without_possessives_numbers_or_stopwords():
    assert words("The Fed's 2012 forecast: Obama’s RATE-cut, and 50 percent.") == {
        "fed",
        "forecast",
        "obama",
        "rate-cut",
        "percent",
    }


# --- what ships ---------------------------------------------------------------------------------------


def test_the_shipped_model_holds_words_and_rule_signals_and_only_the_taxonomys_topics():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    slugs = {topic["slug"] for topic in TOPICS}
    assert set(data["classes"]) - {NO_TOPIC} <= slugs
    assert set(data["areas"].values()) <= slugs
    # Single words (or a topic's slug for the rules' signals), never a stretch of an article's text.
    assert all(re.fullmatch(r"[a-z]{1,2}w?:[^\s:]+", feature) for feature in data["features"])
    assert len(data["features"]) == len(data["idf"]) == len(data["weights"])
