"""Speakers on wire news: datelines are metadata, names are names, roles stop where the title does.

Every sentence here is written for the test (wire style, invented wording)."""

import pytest

from statements.ingest.actors import Gazetteer
from statements.ingest.attribution import attribute
from statements.ingest.cleaning import parse_article
from statements.ingest.quotes import find_quotes
from statements.ingest.records import RawArticle
from tests.test_attribution import FIXTURES

GAZETTEER = Gazetteer.load(FIXTURES / "reference" / "actors.json")


def extract(text):
    article = parse_article(RawArticle(external_id="x", text="Title\n\n" + text, origin="test"))
    return article, attribute(article, find_quotes(article.text), GAZETTEER)


def speakers(text):
    return [q.speaker for q in extract(text)[1]]


@pytest.mark.parametrize(
    "dateline, place, source",
    [
        ("LONDON (Reuters) - ", "London", "Reuters"),
        ("WASHINGTON, Oct 3 (Reuters) - ", "Washington", "Reuters"),
        ("ASTANA, October 4./TASS/. ", "Astana", "TASS"),
        ("ANCHORAGE, Alaska (Reuters) - ", "Anchorage", "Reuters"),
    ],
)
def test_dateline_is_metadata_and_never_the_speaker_or_the_role(dateline, place, source):
    article, quotes = extract(
        dateline + '"Rates will stay where they are for a while," the central bank governor told a '
        "conference of bankers, without naming anyone.\n\n"
        '"We see no need to move," Jane Holloway, the bank\'s chief economist, said.'
    )
    assert (article.dateline, article.source) == (place, source)
    assert article.text.startswith(dateline.strip())  # the stored text keeps it: quote offsets point into it
    assert [q.speaker.name if q.speaker else None for q in quotes] == [None, "Jane Holloway"]


def test_a_person_named_after_the_dateline_gets_no_role_or_country_from_it():
    [speaker] = speakers(
        "LONDON (Reuters) - Federal Reserve Chairman Ben Bernanke said on Monday that growth was "
        'slowing.\n\n"We are watching the data closely," Bernanke told lawmakers.'
    )
    assert (speaker.name, speaker.role) == ("Ben Bernanke", "Federal Reserve Chairman")
    assert (speaker.organisation, speaker.country) == ("Federal Reserve", "USA")


def test_an_outlet_quoted_as_one_is_still_a_speaker():
    [speaker] = speakers(
        'BEIJING (Reuters) - "The plan is a step backwards for the region," Xinhua said in a '
        "commentary on Tuesday."
    )
    assert (speaker.name, speaker.is_organisation) == ("Xinhua", True)


def test_the_articles_own_outlet_reports_and_is_never_the_speaker():
    text = (
        'BRUSSELS (Reuters) - "Members stand ready to act where necessary," the draft seen by Reuters '
        "said.\n\n"
        '"We will not let it drag on," Reuters reported a company official as saying.'
    )
    article = parse_article(
        RawArticle(external_id="x", text="Title\n\n" + text, origin="test", source="Reuters")
    )
    quotes = attribute(article, find_quotes(article.text), GAZETTEER)
    assert len(quotes) == 2
    assert [q.speaker for q in quotes] == [None, None]


def test_a_dotted_abbreviation_never_splits_a_name_and_stays_in_the_role():
    quotes = speakers(
        '"We will act quickly," said U.S. President Barack Obama.\n\n'
        '"The talks go on," said U.N. Secretary-General Ban Ki-moon.'
    )
    assert [(s.name, s.role, s.country) for s in quotes] == [
        ("Barack Obama", "U.S. President", "USA"),
        ("Ban Ki-moon", "U.N. Secretary-General", None),
    ]
    assert quotes[1].organisation == "United Nations"


def test_compound_titles_go_to_the_role():
    [speaker] = speakers('"The transition is going well," President-elect Barack Obama said on Friday.')
    assert speaker.name == "Barack Obama"


@pytest.mark.parametrize("opener", ["Echoing", "Unlike", "Perhaps", "Instead", "Separately"])
def test_a_capitalised_sentence_opener_is_not_part_of_the_name(opener):
    found = speakers(
        f'German Chancellor Angela Merkel spoke first.\n\n{opener} Merkel said "the euro is safe with us".'
    )
    assert [s.name for s in found] == ["Angela Merkel"]


def test_a_description_in_front_of_a_full_name_goes_to_the_role():
    [speaker] = speakers('"Markets always come back," said billionaire investor Warren Buffett. ')
    assert speaker.name == "Warren Buffett"
    [speaker] = speakers('"We all knew it was coming," said Billionaire Warren Buffett on Monday.')
    assert (speaker.name, speaker.role) == ("Warren Buffett", "Billionaire")


def test_a_name_ending_a_sentence_keeps_its_role_whole():
    [speaker] = speakers('"The plan works," said IMF Managing Director Dominique Strauss-Kahn.')
    assert (speaker.name, speaker.role) == ("Dominique Strauss-Kahn", "IMF Managing Director")
    assert (speaker.organisation, speaker.country) == ("International Monetary Fund", None)


@pytest.mark.parametrize(
    "sentence, role",
    [
        ('"It will pass," said a conglomerate run by billionaire Warren Buffett.', "billionaire"),
        (
            'Worries returned after European Central Bank chief Warren Buffett said "we are done here".',
            "European Central Bank chief",
        ),
        (
            'But Berkshire Hathaway chairman Warren Buffett said "so be it, then".',
            "Berkshire Hathaway chairman",
        ),
        ('"We are fine with that," said analyst Warren Buffett.', "analyst"),
        (
            'San Francisco Fed President Warren Buffett said "rates can wait for now".',
            "San Francisco Fed President",
        ),
    ],
)
def test_a_role_is_the_title_only_not_the_sentence_around_it(sentence, role):
    [speaker] = speakers(sentence)
    assert (speaker.name, speaker.role) == ("Warren Buffett", role)


def test_a_name_ending_a_sentence_does_not_run_into_the_next_one():
    [speaker] = speakers(
        'The panel heard from Fed Governor Janet Yellen. Yellen told it that "risks are rising".'
    )
    assert speaker.name == "Janet Yellen"


def test_whom_a_speaker_told_is_not_the_speaker():
    found = speakers(
        '"We need to start talks with the union soon," Parker told Reuters in an interview on Monday, '
        'adding that no date was set. "Creditors will see the value of this proposal."'
    )
    assert [s.name for s in found] == ["Parker", "Parker"]


def test_a_signature_in_capitals_names_the_person_not_the_city():
    found = speakers(
        "Reactions from analysts:\n\n"
        "MARY O'HARE-LANE, CHIEF ECONOMIST, EXAMPLE SECURITIES, TOKYO: \"The cut is a quick fix and "
        'nothing more."\n\n'
        'JOHN DOE, STRATEGIST, SAMPLE BANK, LONDON "It looks as if the review has started again."'
    )
    assert [(s.name, s.role) for s in found] == [
        ("Mary O'Hare-Lane", "Chief Economist, Example Securities"),
        ("John Doe", "Strategist, Sample Bank"),
    ]


def test_the_articles_own_outlet_is_not_the_group_or_company_that_spoke():
    found = speakers(
        "NEW YORK (Reuters) - Consumers were cautious, a Reuters poll of economists showed.\n\n"
        '"The rebate will lift spending only for a short while," the survey group said.'
    )
    assert found == [None]


@pytest.mark.parametrize(
    "text",
    [
        'Had Merkel agreed earlier, she said, "the crisis would be over by now".',
        '"It is a fair price for a fine company," Stock Exchange Merkel said.',
    ],
)
def test_an_auxiliary_verb_or_an_organisation_word_in_front_of_a_surname_is_not_part_of_it(text):
    found = speakers("German Chancellor Angela Merkel spoke on Monday.\n\n" + text)
    assert [s.name for s in found] == ["Angela Merkel"]


def test_a_slashed_abbreviation_does_not_start_a_name():
    article, quotes = extract(
        "NEW YORK (Reuters) - Profit beat forecasts compiled by Thomson Reuters I/B/E/S. It also "
        'raised its outlook to "at least $11.40 a share" for the year.'
    )
    assert [q.speaker for q in quotes] == [None]


def test_a_body_named_by_one_head_word_speaks_as_an_organisation():
    [speaker] = speakers(
        'LONDON (Reuters) - The bank will pay a fee.\n\n"The guarantees cover very little debt," the '
        "Treasury also said."
    )
    assert (speaker.name, speaker.is_organisation) == ("Treasury", True)


def test_a_possessive_organisation_and_an_honorific_stay_out_of_the_name():
    found = speakers(
        '"The outlook is fine," said the Bank of England\'s Mervyn King.\n\n'
        '"It is done and dusted now," Herr Schaeuble said.'
    )
    assert [s.name for s in found] == ["Mervyn King", "Schaeuble"]


def test_a_dateline_with_a_region_and_a_second_place():
    article, quotes = extract(
        "WINNIPEG, Manitoba/WASHINGTON (Reuters) - Prime Minister Stephen Harper spoke.\n\n"
        '"We will not budge on this at all," Harper said.'
    )
    assert article.dateline == "Winnipeg"
    assert (quotes[0].speaker.name, quotes[0].speaker.role) == ("Stephen Harper", "Prime Minister")


@pytest.mark.parametrize(
    "apposition, role",
    [
        ("an economist who advises state and local governments", "economist"),
        (
            "analyst at Example & Partners who has covered U.S. banks for years",
            "analyst at Example & Partners",
        ),
        ("chief executive of the largest U.S. lender", "chief executive of the largest U.S. lender"),
    ],
)
def test_an_apposition_role_stops_before_its_relative_clause(apposition, role):
    [speaker] = speakers(f'"Growth will slow next year," said Jane Holloway, {apposition}, on Monday.')
    assert (speaker.name, speaker.role) == ("Jane Holloway", role)


def test_a_capital_signature_after_a_heading_and_with_an_honorific():
    found = speakers(
        "Reactions:\n\n"
        'COMMENTS: RICHARD ROEBUCK, ECONOMIST, THE EXAMPLE GROUP, BOSTON "It is a positive surprise."\n\n'
        'DR. JANE ROE, CHIEF ECONOMIST, SAMPLE BANK, LONDON: "Growth is slower than we thought."'
    )
    assert [(s.name, s.role) for s in found] == [
        ("Richard Roebuck", "Economist, the Example Group"),
        ("Jane Roe", "Chief Economist, Sample Bank"),
    ]


def test_the_words_of_a_long_title_in_front_of_a_full_name_go_to_the_role():
    [speaker] = speakers(
        '"Growth is fine," Vice Finance Minister for International Affairs Takehiko Nakao said.'
    )
    assert speaker.name == "Takehiko Nakao"
