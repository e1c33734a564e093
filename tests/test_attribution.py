import json
import re
from collections import Counter
from pathlib import Path

import pytest

from statements.ingest.actors import Gazetteer
from statements.ingest.attribution import attribute
from statements.ingest.cleaning import parse_article
from statements.ingest.quotes import find_quotes
from statements.ingest.records import RawArticle

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
SEEDS_GOLD = REPO / "tests" / "data" / "seeds.json"  # copied from ../shared/gold
GAZETTEER = Gazetteer.load(FIXTURES / "reference" / "actors.json")


def extract(text):
    article = parse_article(RawArticle(external_id="x", text="Title\n\n" + text, origin="test"))
    return attribute(article, find_quotes(article.text), GAZETTEER)


def extract_fixture(name):
    raw = RawArticle(external_id=name, text=(FIXTURES / name).read_text(encoding="utf-8"), origin=name)
    article = parse_article(raw)
    return attribute(article, find_quotes(article.text), GAZETTEER)


def speaker_of(quotes, opening):
    [quote] = [q for q in quotes if q.span.text.startswith(opening)]
    return quote.speaker


def test_one_result_per_span_in_order():
    article = parse_article(
        RawArticle(external_id="x", text='"One two three," he said. "Four five six."', origin="t")
    )
    spans = find_quotes(article.text)
    quotes = attribute(article, spans, GAZETTEER)
    assert [q.span for q in quotes] == spans
    assert all(q.said_on is None and q.topics == [] and q.events == [] for q in quotes)


def test_name_after_the_quote_with_its_role_from_the_first_mention():
    quotes = extract_fixture("000_6de1334cdd6cb548.txt")
    speaker = speaker_of(quotes, "As far as we understand")
    assert speaker.name == "Dmitry Peskov"
    assert speaker.role == "Kremlin spokesman"
    assert (speaker.organisation, speaker.country) == ("Kremlin", "RUS")
    assert "Peskov" in speaker.aliases
    assert quotes[0].verb == "said"
    assert quotes[0].confidence > 0.9


def test_role_noun_and_pronoun_resolve_to_the_person_last_named():
    quotes = extract_fixture("000_6de1334cdd6cb548.txt")
    assert speaker_of(quotes, "The US breaking off").name == "Dmitry Peskov"  # "the spokesman said"
    added = [q for q in quotes if q.span.text.startswith("But this does not mean")][0]
    assert added.speaker.name == "Dmitry Peskov"  # "he added"
    assert added.verb == "added"


def test_title_and_rank_are_split_from_the_name():
    quotes = extract_fixture("003_a0bf8ad288c97066.txt")
    speaker = speaker_of(quotes, "Once again we declare")
    assert speaker.name == "Igor Konashenkov"
    assert speaker.role == "Russian Ministry of Defense spokesman, Major-General"
    assert (speaker.organisation, speaker.country) == ("Russian Ministry of Defense", "RUS")


def test_the_spokesman_stressed_after_a_paragraph_starting_with_the_quote():
    quotes = extract_fixture("003_a0bf8ad288c97066.txt")
    quote = [q for q in quotes if q.span.text.startswith("However, even the slightest")][0]
    assert quote.speaker.name == "Igor Konashenkov"
    assert quote.verb == "stressed"


def test_apposition_gives_the_role():
    text = (
        "On Monday, the chief of the US Department of State press service, John Kirby, said the US was "
        '"suspending the use of bilateral channels with Russia."'
    )
    speaker = extract(text)[0].speaker
    assert speaker.name == "John Kirby"
    assert speaker.role == "chief of the US Department of State press service"
    assert (speaker.organisation, speaker.country) == ("US Department of State", "USA")


def test_the_ministrys_spokeswoman_names_the_ministry_mentioned_before():
    quotes = extract_fixture("003_a0bf8ad288c97066.txt")
    speaker = speaker_of(quotes, "Don’t you think")
    assert speaker.name == "Maria Zakharova"
    assert speaker.role == "Russian Foreign Ministry spokeswoman"
    assert (speaker.organisation, speaker.country) == ("Russian Foreign Ministry", "RUS")


def test_an_organisation_speaking_as_a_body():
    quotes = extract_fixture("003_a0bf8ad288c97066.txt")
    speaker = speaker_of(quotes, "any hints of threats")
    assert speaker.is_organisation
    assert speaker.name == "Russian Ministry of Defense"
    assert speaker.country == "RUS"


def test_surname_alone_links_to_the_full_name():
    quotes = extract_fixture("003_a0bf8ad288c97066.txt")
    speaker = speaker_of(quotes, "In order to solve humanitarian problems")  # "Ryabkov told reporters"
    assert speaker.name == "Sergey Ryabkov"
    assert speaker.role == "Russian Deputy Foreign Minister"
    assert "Ryabkov" in speaker.aliases


def test_told_reporters_is_kept_as_the_verb():
    quotes = extract_fixture("003_a0bf8ad288c97066.txt")
    [quote] = [q for q in quotes if q.span.text.startswith("In order to solve")]
    assert quote.verb == "told reporters"


@pytest.mark.parametrize("verb", ["said", "remarked", "commented", "mocks"])
def test_every_reporting_verb_attributes_alike(verb):
    # "commented" was in the dates' verb list but not in attribution's, so this quote fell through
    # to the weakest rule (the previous paragraph's subject, no verb, confidence 0.6)
    quotes = extract(
        "Kremlin spokesman Dmitry Peskov met reporters in Astana.\n\n"
        f'"The talks with Washington will go on," Peskov {verb} on Tuesday.'
    )
    [quote] = quotes
    assert (quote.speaker.name, quote.verb, quote.confidence) == ("Dmitry Peskov", verb, 0.95)


def test_partial_quote_after_said_that():
    quotes = extract_fixture("003_a0bf8ad288c97066.txt")
    speaker = speaker_of(quotes, "will be the best step forward")
    assert speaker.name == "Ramzy Ezzeldine Ramzy"
    assert (speaker.organisation, speaker.country) == ("United Nations", None)


def test_second_partial_quote_in_a_sentence_keeps_the_speaker():
    quotes = extract_fixture("003_a0bf8ad288c97066.txt")
    assert speaker_of(quotes, "extremist groups will continue").name == "John Kirby"


def test_paragraph_that_is_only_a_quotation_continues_the_previous_speaker():
    text = (
        '"We are ready to talk to anyone who wants peace," said Sen. Chuck Grassley, the Iowa Republican.\n\n'
        '"But nobody should doubt our resolve on this question."'
    )
    quotes = extract(text)
    assert [q.speaker.name for q in quotes] == ["Chuck Grassley", "Chuck Grassley"]
    assert quotes[1].confidence < quotes[0].confidence


def test_honorific_and_middle_initial_forms_are_one_person():
    text = (
        "Donald J. Trump spoke in Ohio on Monday.\n\n"
        '"We are going to win so much, you will get tired of winning," Mr. Trump said.'
    )
    speaker = extract(text)[0].speaker
    assert speaker.name == "Donald J. Trump"
    assert "Trump" in speaker.aliases


def test_pronoun_after_a_split_quote():
    text = '"This has of course substantially aggravated the situation," he said, "and nobody wanted that."'
    quotes = extract("Kremlin spokesman Dmitry Peskov spoke on Tuesday.\n\n" + text)
    assert [q.speaker.name for q in quotes] == ["Dmitry Peskov", "Dmitry Peskov"]


def test_according_to_the_spokesman():
    text = (
        "Kremlin spokesman Dmitry Peskov spoke to reporters.\n\n"
        'According to the spokesman, the talks had been "a useful exchange of views on Syria."'
    )
    assert extract(text)[0].speaker.name == "Dmitry Peskov"


def test_an_unattributed_quote_stays_without_a_speaker():
    text = 'The banner over the square read "we will never surrender our city to anyone."'
    quote = extract(text)[0]
    assert quote.speaker is None
    assert quote.confidence == 0.0


def test_a_name_after_a_preposition_is_not_the_speaker():
    text = (
        "Senator Bernie Sanders spoke on Monday.\n\n"
        '"He will fight to the end of the primaries," said Tad Devine, a senior strategist for Sanders.'
    )
    assert extract(text)[0].speaker.name == "Tad Devine"


# ---------------------------------------------------------------------------------------------------
# Oracle: the hand-made gold for the seed articles

WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def words(text):
    return Counter(WORD_RE.findall(text.replace("’", "'").lower()))


def same_quote(gold, predicted):
    shared = sum((words(gold) & words(predicted)).values())
    return shared >= 0.8 * sum(words(gold).values()) and shared >= 0.8 * sum(words(predicted).values())


def seed_articles():
    return json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))["articles"]


def test_oracle_every_required_seed_quote_with_its_speaker():
    for gold_article in seed_articles():
        quotes = extract_fixture(gold_article["file"])
        speakers = {s["name"]: s for s in gold_article["speakers"]}
        for gold in gold_article["quotes"]:
            if gold.get("optional") or gold["kind"] == "indirect":
                continue
            found = [q for q in quotes if same_quote(gold["text"], q.span.text)]
            assert found, gold["text"]
            speaker = found[0].speaker
            assert speaker is not None, gold["text"]
            assert speaker.name == gold["speaker"], gold["text"]
            expected = speakers.get(gold["speaker"])
            if expected:
                assert speaker.role.lower() == expected["role"].lower(), gold["text"]
                assert speaker.organisation == expected["organisation"], gold["text"]
                assert GAZETTEER.country_name(speaker.country) == expected["country"], gold["text"]
            else:  # an organisation speaking as a body
                assert speaker.is_organisation and speaker.organisation == gold["speaker"]


def test_oracle_no_seed_not_quote_is_extracted():
    for gold_article in seed_articles():
        quotes = extract_fixture(gold_article["file"])
        for not_quote in gold_article.get("not_quotes", []):
            assert not [q for q in quotes if same_quote(not_quote, q.span.text)], not_quote


# ---------------------------------------------------------------------------------------------------
# Patterns from news writing (sentences written for these tests)


def test_inverted_said_with_an_apposition_names_the_person_and_role():
    text = '"The budget will pass before the recess," said Monte Shaw, executive director of the Iowa Fuels Association.'
    speaker = extract(text)[0].speaker
    assert speaker.name == "Monte Shaw"
    assert speaker.role == "executive director of the Iowa Fuels Association"


def test_title_words_after_an_honorific_or_an_initial_are_surnames():
    quotes = extract(
        '"The market will recover within the year," Mr. Prince said.\n\n'
        '"Nobody in the party wants another shutdown," said Representative Peter T. King.'
    )
    assert [q.speaker.name for q in quotes] == ["Prince", "Peter T. King"]


def test_a_surname_that_is_also_a_direction_or_a_demonym():
    quotes = extract(
        "Marty West and Mark Cuban spoke at the forum.\n\n"
        '"Schools need far more money than this," West said.\n\n'
        '"I would consider running in a few years," Cuban said.'
    )
    assert [q.speaker.name for q in quotes] == ["Marty West", "Mark Cuban"]


def test_names_with_accents_are_names():
    speaker = extract('"The police should have acted much sooner," said Ralf Jäger, the minister.')[0].speaker
    assert speaker.name == "Ralf Jäger"
    assert speaker.role == "minister"


def test_a_news_organisation_reporting_is_a_body_not_a_person():
    speaker = extract('"The emails were sent on a private server," CBS News reported.')[0].speaker
    assert speaker.is_organisation
    assert speaker.name == "CBS News"


def test_an_organisation_missing_from_reference_data_speaks_as_a_body():
    quotes = extract(
        '"We are very disappointed by the decision to withdraw," the ACU said in a statement.\n\n'
        '"Our mission is to defend the rights of gun owners," United Gun Group wrote.'
    )
    assert [(q.speaker.name, q.speaker.is_organisation) for q in quotes] == [
        ("ACU", True),
        ("United Gun Group", True),
    ]
    assert "United Gun Group" not in GAZETTEER.organisations  # the store creates it for review


def test_it_refers_back_to_the_organisation_named_last():
    text = (
        "The Russian Ministry of Defense issued a statement on Thursday.\n\n"
        'It added, "We are fully prepared to continue the dialogue with the American side."'
    )
    speaker = extract(text)[0].speaker
    assert speaker.is_organisation and speaker.name == "Russian Ministry of Defense"


def test_a_role_noun_with_a_state_finds_the_senator():
    text = (
        "Sen. Marco Rubio ended his campaign on Tuesday.\n\n"
        'The Florida senator told supporters the country was "going through a very difficult time."'
    )
    assert extract(text)[0].speaker.name == "Marco Rubio"


def test_a_short_attribution_sentence_before_the_next_quotation():
    text = 'He called his critics "worried," Carson said. "There is no question about it, they are afraid."'
    quotes = extract("Ben Carson spoke on Sunday.\n\n" + text)
    assert [q.span.text for q in quotes] == ["There is no question about it, they are afraid."]
    assert quotes[0].speaker.name == "Ben Carson"


def test_a_name_and_a_colon_introduce_a_quote_in_a_digest():
    text = (
        "Pollsters agree - Carl Bialik: \u201cOne of the biggest lessons was to keep contacting voters.\u201d"
    )
    assert extract(text)[0].speaker.name == "Carl Bialik"


def test_with_name_and_a_participle():
    text = (
        "Sebastian Gorka and John Bolton criticised the plan, with Gorka noting the folly of sending "
        '"a couple of hundred soldiers here and a couple of hundred there."'
    )
    assert extract(text)[0].speaker.name == "Sebastian Gorka"


def test_two_quotes_joined_by_and_share_the_clause_after_the_second():
    text = (
        'Guns are "the worst public health crisis of our time" and "a danger to every child in the country," '
        "Howard Dean, the former governor of Vermont, told the convention."
    )
    quotes = extract(text)
    assert [q.speaker.name for q in quotes] == ["Howard Dean", "Howard Dean"]


def test_partial_quote_takes_the_subject_of_its_sentence():
    quotes = extract(
        "Barack Obama visited the city on Sunday.\n\n"
        'Obama described the attack as "a sobering reminder of what hatred can do."\n\n'
        'Republican presidential front-runner Donald Trump called the deal "a total disaster for working people."'
    )
    assert [q.speaker.name for q in quotes] == ["Barack Obama", "Donald Trump"]


def test_quotation_after_a_sentence_about_the_speaker():
    text = (
        "John Bolton distanced himself from the movement on Monday. "
        '"I am going to support the ticket, and I will say so in public."'
    )
    assert extract(text)[0].speaker.name == "John Bolton"


def test_he_in_the_sentence_of_a_quote_without_a_reporting_verb():
    text = (
        "Judge Richard Berman took a short recess.\n\n"
        'When he returned he began by saying, "I do not think that another hearing is necessary."'
    )
    assert extract(text)[0].speaker.name == "Richard Berman"


def test_words_after_a_quote_that_ended_its_sentence_are_not_its_attribution():
    text = (
        'Forbes says the fortune now sits in trusts that are "beyond the reach of the family." '
        "Bloomberg says its own reporting found otherwise."
    )
    speaker = extract(text)[0].speaker
    assert speaker is not None and speaker.name != "Bloomberg"


def test_lowercase_who_is_not_the_world_health_organization():
    text = '"You get your house ready for a party," said Carla Moreno, who used to work on Capitol Hill.'
    speaker = extract(text)[0].speaker
    assert speaker.name == "Carla Moreno"
    assert speaker.organisation is None


def test_two_people_with_one_surname_stay_two_people():
    quotes = extract(
        "Hillary Clinton and Bill Clinton arrived together.\n\n"
        '"We will carry this state in November," Bill Clinton told the crowd.\n\n'
        '"I am ready to lead from the first day," Clinton said.'
    )
    assert [q.speaker.name for q in quotes] == ["Bill Clinton", "Hillary Clinton"]


def test_a_person_introduced_by_a_newspaper_possessive():
    text = 'As the Washington Post\u2019s Ishaan Tharoor wrote, "the region has seldom looked so unstable."'
    assert extract(text)[0].speaker.name == "Ishaan Tharoor"


def test_an_opening_curly_mark_used_to_close_and_the_next_quotation():
    text = (
        "\u201cIt is rather unusual,\u201c said Larry Noble, an attorney with the Campaign Legal Center. "
        "\u201cThe speeches are almost the same as the ones on the campaign trail.\u201d"
    )
    assert [q.speaker.name for q in extract(text)] == ["Larry Noble", "Larry Noble"]


@pytest.mark.parametrize(
    "text, opening, description",
    [
        (
            '"The talks are over," said a Finnish official who was not authorized to speak publicly.',
            "The talks are over",
            "a Finnish official",
        ),
        (
            'One senior diplomat said the proposal "goes nowhere near far enough."',
            "goes nowhere",
            "One senior diplomat",
        ),
        (
            '"We were never consulted," another resident wrote on a local forum.',
            "We were never",
            "another resident",
        ),
        (
            'A spokesman for the shipping company said there was "no risk to the crew."',
            "no risk",
            "A spokesman for the shipping company",
        ),
    ],
)
def test_an_unnamed_source_keeps_the_articles_description(text, opening, description):
    speaker = speaker_of(extract(text), opening)
    assert speaker.is_unnamed
    assert speaker.name == description


def test_an_unnamed_source_carries_on_to_the_next_sentence_of_the_quote():
    quotes = extract(
        '"The talks are over," said one negotiator close to the process. "Nobody expects a deal."'
    )
    assert speaker_of(quotes, "Nobody expects").name == "one negotiator close to the process"


def test_a_named_speaker_before_the_quote_beats_an_unnamed_one_after_it():
    quotes = extract(
        'Even as Senator Anna Berg said that "the rules were broken," one former prosecutor said the cases differ.'
    )
    assert speaker_of(quotes, "the rules were broken").name == "Anna Berg"


def test_a_role_noun_after_a_name_in_the_article_is_not_an_unnamed_source():
    quotes = extract('Lena Ortiz, a Finnish official, spoke first. "We agree," the official said.')
    assert not speaker_of(quotes, "We agree").is_unnamed


def test_who_after_a_common_noun_does_not_point_to_the_name_before_it():
    quotes = extract(
        "Karl Moss said the talks were useful. But his critics, who complained that the plan was "
        '"dead on arrival", stayed home.'
    )
    speaker = speaker_of(quotes, "dead on arrival")
    assert speaker is None or speaker.name != "Karl Moss"


@pytest.mark.parametrize(
    "text, opening, name",
    [
        pytest.param(
            'Maria Lind spoke at the forum.\n\n"Nobody here wants another war."\n\n- Lind.',
            "Nobody here wants",
            "Maria Lind",
            id="a_quotation_paragraph_signed_on_the_next_line_with_a_dash",
        ),
        pytest.param(
            "Diplomats welcomed the move, as did Senator Anna Berg of Maine, who argued that the pact was "
            '"long overdue for the whole region" and should pass.',
            "long overdue",
            "Anna Berg",
            id="who_after_a_name_points_back_to_that_name",
        ),
        pytest.param(
            'Ivo Laine runs the port. Traffic was "flat for most of the winter" as shipping lines waited '
            "to see how the new tariffs would play out, he said.",
            "flat for most",
            "Ivo Laine",
            id="a_short_attribution_at_the_end_of_a_long_sentence",
        ),
        pytest.param(
            "Ministers met on Friday. The row revived memories of Petra Holm's comment that \"borders are for "
            'maps, not for people."',
            "borders are for",
            "Petra Holm",
            id="a_named_persons_remark_is_theirs",
        ),
        pytest.param(
            'Jonas Berg met Petra Holm. Jonas Berg told reporters that Holm\'s remarks "went too far."',
            "went too far",
            "Jonas Berg",
            id="a_reporting_verb_beats_the_owner_of_a_remark",
        ),
        pytest.param(
            "Okafor said on Monday that the vote was fair.\n\nLater, Okafor compared the result to 2010, "
            'calling it "a clean win."',
            "a clean win",
            "Okafor",
            id="a_surname_the_article_uses_as_a_speaker_is_a_name_as_a_subject_too",
        ),
    ],
)
def test_the_speaker_of_a_sentence_pattern(text, opening, name):
    assert speaker_of(extract(text), opening).name == name
