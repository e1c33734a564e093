"""Reported speech (statements/ingest/reported.py): what officials said without quotation marks.

The seed articles' sentences are real (fixtures/); the others are written for these tests, one for
each shape the extractor reads and for each thing that is not a statement.
"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from statements.ingest.actors import Gazetteer
from statements.ingest.cleaning import parse_article
from statements.ingest.pipeline import extract
from statements.ingest.records import RawArticle
from statements.ingest.reported import reported_in_text
from statements.models import Quote

ROOT = Path(__file__).resolve().parents[1]
GAZETTEER = Gazetteer.load(ROOT / "fixtures" / "reference" / "actors.json")
SEEDS_INDIRECT = ROOT / "tests" / "data" / "seeds.indirect.gold.jsonl"


def reported(text, source=""):
    """(content, speaker name or None, verb) of each reported statement in `text`."""
    article = parse_article(
        RawArticle(external_id="t", text=text, origin="test", title="Test", source=source)
    )
    return [
        (quote.span.text, quote.speaker.name if quote.speaker else None, quote.verb)
        for quote in extract(article, GAZETTEER)
        if quote.span.kind == "indirect"
    ]


def contents(text):
    return [content for content, _, _ in reported(text)]


def seed_statements(name):
    raw = RawArticle(
        external_id=name, text=(ROOT / "fixtures" / name).read_text(encoding="utf-8"), origin=name
    )
    article = parse_article(raw)
    return article, [quote for quote in extract(article, GAZETTEER) if quote.span.kind == "indirect"]


def shared_half(gold, predicted):
    """The scorer's rule for reported speech: half the words of each are shared."""
    gold_words, predicted_words = gold.lower().split(), predicted.lower().split()
    shared = len(set(gold_words) & set(predicted_words))
    return shared >= 0.5 * len(set(gold_words)) and shared >= 0.5 * len(set(predicted_words))


# --- the seeds --------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", SEEDS_INDIRECT.read_text(encoding="utf-8").splitlines())
def test_every_required_seed_statement_is_found_with_its_speaker(line):
    gold = json.loads(line)
    article, statements = seed_statements(gold["article_id"])
    for expected in gold["quotes"]:
        if expected["optional"]:
            continue
        found = [quote for quote in statements if shared_half(expected["text"], quote.span.text)]
        assert found, expected["text"]
        speaker = found[0].speaker
        assert speaker is not None, expected["text"]
        # "Russian Ministry of Defense" is an organisation, "Russia" a country speaking as one
        assert expected["speaker"].split()[-1] in speaker.name or speaker.organisation == expected["speaker"]


@pytest.mark.parametrize("line", SEEDS_INDIRECT.read_text(encoding="utf-8").splitlines())
def test_no_seed_statement_is_made_up(line):
    gold = json.loads(line)
    _, statements = seed_statements(gold["article_id"])
    for quote in statements:
        assert any(shared_half(expected["text"], quote.span.text) for expected in gold["quotes"]), (
            quote.span.text
        )


def test_the_kremlin_statement_has_its_offsets_verb_and_confidence():
    article, statements = seed_statements("000_6de1334cdd6cb548.txt")
    contacts = next(
        q for q in statements if q.span.text.startswith("Contacts between Russian and US military")
    )
    assert article.text[contacts.span.start : contacts.span.end] == contacts.span.text
    assert contacts.span.text.endswith("serious incidents in Syria")  # not the attribution
    assert contacts.speaker.name == "Dmitry Peskov"
    assert contacts.speaker.role == "Kremlin spokesman"
    assert contacts.verb == "told"
    assert 0.5 < contacts.confidence <= 1


def test_a_partial_quotation_inside_a_paraphrase_is_one_reported_statement():
    # "Ryabkov on Thursday said that this latest proposal remains "on the table.""
    _, statements = seed_statements("003_a0bf8ad288c97066.txt")
    table = [q for q in statements if "latest proposal remains" in q.span.text]
    assert len(table) == 1 and table[0].speaker.name == "Sergey Ryabkov"


def test_a_reported_statement_that_is_mostly_a_quotation_stays_the_quotation():
    # 'Peskov said "I wouldn't like to speak about this risk".' and 'Kirby said that if the war in
    # Syria continues, "more Russian lives will be lost ..."': the quotations are the records
    _, statements = seed_statements("000_6de1334cdd6cb548.txt")
    assert not [q for q in statements if "speak about this risk" in q.span.text]
    _, statements = seed_statements("003_a0bf8ad288c97066.txt")
    assert not [q for q in statements if "Russian lives" in q.span.text]


def test_a_content_that_is_exactly_a_quotation_is_stored_once_as_the_quotation(db, tmp_path):
    # "but added that" opens a statement of its own, whose words are all the quotation's: two
    # records of one stretch of text made the article fail to import (one quote a span)
    text = (
        "Shipping company chief executive Tomas Lind, speaking in Oslo, said the company had held no "
        'talks with buyers but added that "every offer is interesting to us", the Interfax news '
        "agency reported."
    )
    article = parse_article(RawArticle(external_id="t", text=text, origin="test", title="Test"))
    spans = [(quote.span.kind, quote.span.text) for quote in extract(article, GAZETTEER)]
    assert spans == [
        ("indirect", "the company had held no talks with buyers"),
        ("partial", "every offer is interesting to us"),
    ]
    path = tmp_path / "lind.jsonl"
    path.write_text(json.dumps({"id": "lind", "title": "Talks", "text": text}) + "\n")
    call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Quote.objects.filter(article__external_id="lind").count() == 2


def test_a_country_and_an_organisation_speak_as_bodies():
    _, statements = seed_statements("003_a0bf8ad288c97066.txt")
    by_start = {q.span.text.split()[0:3].__str__(): q for q in statements}
    ministry = next(q for q in statements if q.span.text.startswith("Russia is fully ready"))
    assert ministry.speaker.is_organisation and ministry.speaker.organisation == "Russian Ministry of Defense"
    russia = next(q for q in statements if q.span.text.startswith("the previous seven-day ceasefire"))
    assert russia.speaker.name == "Russia" and russia.speaker.country == "RUS"
    assert by_start


# --- each shape -----------------------------------------------------------------------------------


def test_source_said_that_content():
    assert reported("The foreign minister, Anna Lindqvist, said that the talks would resume in March.") == [
        ("the talks would resume in March", "Anna Lindqvist", "said")
    ]


def test_source_said_content_without_that_and_with_a_day():
    assert reported("Anna Lindqvist said on Tuesday the embassy will reopen next week.") == [
        ("the embassy will reopen next week", "Anna Lindqvist", "said")
    ]


def test_content_then_source_said():
    assert reported("The embassy will reopen next week, Swedish Foreign Minister Anna Lindqvist said.") == [
        ("The embassy will reopen next week", "Anna Lindqvist", "said")
    ]


def test_content_then_said_source():
    assert reported("The embassy will reopen next week, said Anna Lindqvist, the foreign minister.") == [
        ("The embassy will reopen next week", "Anna Lindqvist", "said")
    ]


def test_according_to_source_then_content():
    assert reported("According to Anna Lindqvist, the embassy will reopen next week.") == [
        ("the embassy will reopen next week", "Anna Lindqvist", "according to")
    ]


def test_content_then_according_to_source():
    assert reported("The embassy will reopen next week, according to Anna Lindqvist.") == [
        ("The embassy will reopen next week", "Anna Lindqvist", "according to")
    ]


def test_told_reporters():
    assert reported("Anna Lindqvist told reporters the embassy will reopen next week.") == [
        ("the embassy will reopen next week", "Anna Lindqvist", "told")
    ]


def test_has_said_and_a_pronoun_after_a_named_speaker():
    text = "Anna Lindqvist spoke in Oslo.\n\nShe has said the embassy will reopen next week."
    assert reported(text) == [("the embassy will reopen next week", "Anna Lindqvist", "said")]


@pytest.mark.parametrize("verb", ["warned", "stressed", "announced", "noted", "added", "insisted", "denied"])
def test_other_speech_verbs(verb):
    text = f"Anna Lindqvist {verb} that the embassy would not reopen before March."
    assert reported(text) == [("the embassy would not reopen before March", "Anna Lindqvist", verb)]


def test_urged_someone_to():
    assert reported("The UN has urged Sweden and Norway to resume their talks on fishing rights.") == [
        ("Sweden and Norway to resume their talks on fishing rights", "United Nations", "urged")
    ]


def test_called_on_someone_to():
    found = reported("Anna Lindqvist called on both sides to return to the negotiating table.")
    assert found == [("both sides to return to the negotiating table", "Anna Lindqvist", "called on")]


def test_content_around_the_source():
    found = reported("Any new agreement, officials said, would have to be approved by parliament.")
    assert found == [("Any new agreement would have to be approved by parliament", "officials", "said")]


def test_saying_after_the_sentence_subject():
    found = reported("Anna Lindqvist left the talks early, saying the proposal was unacceptable to Sweden.")
    assert found == [("the proposal was unacceptable to Sweden", "Anna Lindqvist", "saying")]


def test_pledged_to():
    assert reported("Anna Lindqvist has pledged to reopen the embassy before the summer.") == [
        ("to reopen the embassy before the summer", "Anna Lindqvist", "pledged")
    ]


def test_a_country_speaks():
    assert reported("Norway has repeatedly noted that the quota was set by both governments.") == [
        ("the quota was set by both governments", "Norway", "noted")
    ]


def test_the_content_stops_at_the_sentence_and_before_a_second_cue():
    text = (
        "Anna Lindqvist said the embassy would reopen, adding that staff would return in April. "
        "The embassy has been closed since May."
    )
    assert contents(text) == ["the embassy would reopen", "staff would return in April"]


# --- not statements -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Anna Lindqvist thinks the embassy will reopen next week.",  # a belief
        "Anna Lindqvist wants the embassy to reopen next week.",  # a wish
        "Anna Lindqvist hopes the embassy will reopen next week.",
        "The report found that the embassy had been closed for too long.",  # a document's finding
        "A new poll says most voters want the embassy to reopen.",  # a poll
        "Reporters asked Anna Lindqvist whether the embassy would reopen next week.",  # a question
        "Anna Lindqvist would say the embassy is ready if she were asked.",  # a hypothetical
        "If Anna Lindqvist says the embassy will reopen, the staff will return.",
        "Anna Lindqvist did not say whether the embassy would reopen next week.",
        "Anna Lindqvist hit back at the statement on her Facebook page.",  # speech without content
        "Anna Lindqvist said so in a statement on Tuesday.",
        "Anna Lindqvist denied the charges brought against the embassy staff.",  # a noun, no statement
        "Anna Lindqvist wrote a long letter to the Norwegian foreign minister.",
    ],
)
def test_not_a_statement(sentence):
    assert reported(sentence) == []


def test_the_outlet_itself_is_no_source():
    text = "The embassy will reopen next week, Reuters reported."
    assert reported(text, source="Reuters") == []


# --- sources the article describes without naming --------------------------------------------------


def described(text):
    """(content, the source's description, whether it is unnamed) of each statement."""
    article = parse_article(RawArticle(external_id="t", text=text, origin="test", title="Test"))
    return [
        (quote.span.text, quote.speaker.name, quote.speaker.is_unnamed)
        for quote in extract(article, GAZETTEER)
        if quote.span.kind == "indirect"
    ]


@pytest.mark.parametrize(
    "sentence, content, source",
    [
        (
            "Police said the driver had been stopped twice before the crash.",
            "the driver had been stopped twice before the crash",
            "Police",
        ),
        (
            "The witness said the van accelerated as it reached the square.",
            "the van accelerated as it reached the square",
            "The witness",
        ),
        (
            "Harbour workers say the new cranes will arrive in the spring.",
            "the new cranes will arrive in the spring",
            "Harbour workers",
        ),
        (
            "A spokesman for the harbour authority said the port would stay closed until Friday.",
            "the port would stay closed until Friday",
            "A spokesman for the harbour authority",
        ),
        (
            "In a statement, the newspaper said that the interview had been edited for length.",
            "the interview had been edited for length",
            "the newspaper",
        ),
        (
            "By wide margins, those surveyed say stricter rules would prevent accidents.",
            "stricter rules would prevent accidents",
            "those surveyed",
        ),
        (
            "Twenty-four percent said the ferry service should be cut back.",
            "the ferry service should be cut back",
            "Twenty-four percent",
        ),
        (
            "A court filing released on Monday says the harbour master will not be charged.",
            "the harbour master will not be charged",
            "A court filing released on Monday",
        ),
    ],
)
def test_a_described_source_is_kept_as_its_description(sentence, content, source):
    assert described(sentence) == [(content, source, True)]


@pytest.mark.parametrize(
    "sentence, content, source",
    [
        (
            "According to recent polls, Ms. Berg holds only 14 percent of the rural vote.",
            "Ms. Berg holds only 14 percent of the rural vote",
            "recent polls",
        ),
        (
            "The harbour fund spent more than $3 million on dredging, according to figures the city released.",
            "The harbour fund spent more than $3 million on dredging",
            "figures the city released",
        ),
    ],
)
def test_according_to_a_document_or_poll_is_a_statement(sentence, content, source):
    # "according to" attributes what follows, whatever the source; "the poll found" does not
    assert described(sentence) == [(content, source, True)]


def test_a_country_whose_name_ends_like_a_demonym_speaks_as_itself():
    assert reported("Iran insists it does not know where the tanker is.") == [
        ("it does not know where the tanker is", "Iran", "insists")
    ]


def test_that_lets_a_content_open_with_a_phrase():
    text = "Discounting the idea, Anna Lindqvist said that with the votes she had, the bill would pass."
    assert contents(text) == ["with the votes she had, the bill would pass"]


def test_a_condition_before_the_cue_belongs_to_the_content():
    text = "Unless the two governments act, the experts say, the fishing grounds will be empty by 2030."
    assert contents(text) == ["Unless the two governments act the fishing grounds will be empty by 2030"]


def test_a_name_with_an_apposition_before_its_verb_is_no_content():
    # "Name, apposition, told X that ...": the words before the comma are who spoke, not what
    text = "Jonas Berg, 39, a fisherman from Bergen, told the local radio that the nets had been cut."
    assert reported(text) == [("the nets had been cut", "Jonas Berg", "told")]
    text = "Jonas Berg, who fished there for years, said on Sunday that the nets had been cut."
    assert reported(text) == [("the nets had been cut", "Jonas Berg", "said")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The harbour report found that the cranes were too old.",  # a finding
        "A new survey says most residents want the ferry to run at night.",  # a poll's finding
        "Like Ms. Berg, many residents said nothing about the ferry.",  # no content
        "This week the new cranes arrived in the harbour, officials hope.",  # a hope
        "On Sunday said the port would open.",  # no source at all
    ],
)
def test_described_sources_do_not_make_statements_of_these(sentence):
    assert described(sentence) == []


# --- more shapes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # auxiliaries and adverbs between the source and its verb
        (
            "Anna Lindqvist has long said the embassy would reopen after the summit.",
            ("the embassy would reopen after the summit", "Anna Lindqvist", "said"),
        ),
        (
            "Norway also is promising to fund the new harbour in Tromso.",
            ("to fund the new harbour in Tromso", "Norway", "promising"),
        ),
        # told somebody the article does not name
        (
            "Anna Lindqvist has told friends she is worried about the talks.",
            ("she is worried about the talks", "Anna Lindqvist", "told"),
        ),
        (
            "Anna Lindqvist told The Bergen Post and Courier on Saturday that the quota was unfair.",
            ("the quota was unfair", "Anna Lindqvist", "told"),
        ),
        # an apposition whose own "and", "as" do not cut the source
        (
            "Anna Lindqvist, an envoy who has met the minister and been named as a successor, said the quota "
            "was unfair.",
            ("the quota was unfair", "Anna Lindqvist", "said"),
        ),
        # an aside between two dashes stays inside the content
        (
            "Anna Lindqvist said the visit to Tromso — the largest port in the north — would go ahead.",
            (
                "the visit to Tromso — the largest port in the north — would go ahead",
                "Anna Lindqvist",
                "said",
            ),
        ),
        # a paraphrase with a quoted fragment before a content-first cue
        (
            'The quota signals "the beginning of the end" for the fleet, said Anna Lindqvist, the envoy.',
            ('The quota signals "the beginning of the end" for the fleet', "Anna Lindqvist", "said"),
        ),
    ],
)
def test_more_shapes(sentence, expected):
    assert reported(sentence) == [expected]


def test_a_share_of_voters_and_a_relative_who():
    text = "Seventy percent of voters say they like the mayor, compared with 64 percent who say the same of the governor."
    assert described(text) == [
        ("they like the mayor", "Seventy percent of voters", True),
        ("the same of the governor", "64 percent", True),
    ]


def test_the_rest_of_a_content_after_an_inner_cue():
    text = "Nor does the ministry have any plans, advisers say, to cut the quota before the summer."
    assert contents(text) == ["Nor does the ministry have any plans to cut the quota before the summer"]


@pytest.mark.parametrize(
    "sentence",
    [
        '"We will not give up the harbour," Kari Dale, who fishes out of Tromso, said on a call set up by the union.',
        "In a speech last July, Anna Lindqvist spoke about the quota at length.",
        "Anna Lindqvist hinted at that in a news conference on Monday.",
    ],
)
def test_more_things_that_are_no_statement(sentence):
    assert reported(sentence) == []  # the first one's quotation stays a quotation


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Anna Lindqvist issued a statement saying that the quota should not be raised.",
            ("the quota should not be raised", "Anna Lindqvist", "saying"),
        ),
        (
            "The governor vetoed the harbour bill, which critics said was unfair to small fishing towns.",
            ("was unfair to small fishing towns", "critics", "said"),
        ),
        (
            "Kari Dale, who said she would not vote for either candidate, left the hall early.",
            ("she would not vote for either candidate", "Kari Dale", "said"),
        ),
        (
            "People briefed on the talks say that Anna Lindqvist, who must make the final decision, has revealed "
            "nothing.",
            (
                "Anna Lindqvist, who must make the final decision, has revealed nothing",
                "People briefed on the talks",
                "say",
            ),
        ),
    ],
)
def test_ing_forms_relative_clauses_and_asides(sentence, expected):
    assert reported(sentence) == [expected]


def test_with_a_share_saying():
    text = "Most voters shrugged off the choice, with three in 10 saying the running mate would not change their vote."
    assert described(text) == [("the running mate would not change their vote", "three in 10", True)]


def test_a_body_itself_and_this_or_that_person():
    assert reported("Equinor itself said the deal was still on.") == [
        ("the deal was still on", "Equinor", "said")
    ]
    assert described("That person said the hostility of his colleagues hurt the campaign.") == [
        ("the hostility of his colleagues hurt the campaign", "That person", True)
    ]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "As The Bergen Post reported, the mayor gave thousands of kroner to the campaign.",
            ("the mayor gave thousands of kroner to the campaign", "Bergen Post", "reported"),
        ),
        (
            "The ferry will not run this winter, as Anna Lindqvist said on Monday.",
            ("The ferry will not run this winter", "Anna Lindqvist", "said"),
        ),
        (
            "Critics note that the harbour has been closed for most of the year.",
            ("the harbour has been closed for most of the year", "Critics", "note"),
        ),
    ],
)
def test_as_clauses_and_verbs_that_are_nouns_elsewhere(sentence, expected):
    assert reported(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "The notes that the mayor left on the desk were never found.",  # a noun
        "Ten states that will vote in March have closed their harbours.",  # a noun before "that"
    ],
)
def test_nouns_before_that_are_no_cue(sentence):
    assert reported(sentence) == []


def test_according_to_without_a_comma_stops_before_a_new_clause():
    text = "Ms. Berg leads the race by 271 votes according to a count by the local radio, but Mr. Dale has vowed to fight on."
    assert described(text)[0] == ("Ms. Berg leads the race by 271 votes", "a count by the local radio", True)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            '"It is not normal," said Ola Weaver, who said business owners often misread politics.',
            [("business owners often misread politics", "Ola Weaver", "said")],
        ),
        (
            "The plan was derided by Armin Lasse, the leader of the opposition in the region, who suggested that "
            "Mr. Dale would do better to keep quiet.",
            [("Mr. Dale would do better to keep quiet", "Armin Lasse", "suggested")],
        ),
        (
            "Mayor Kari Dale - who previously said he would close the harbour - said at a rally that the ferry "
            "should run.",
            [
                ("he would close the harbour", "Kari Dale", "said"),
                ("the ferry should run", "Kari Dale", "said"),
            ],
        ),
        ("This campaign, Ola Berg says, is different.", [("This campaign is different", "Ola Berg", "says")]),
        (
            "The harbour was doing what 40 towns already do, Ola Berg told the court in his filing.",
            [("The harbour was doing what 40 towns already do", "Ola Berg", "told")],
        ),
    ],
)
def test_relative_who_asides_and_short_split_contents(sentence, expected):
    assert reported(sentence) == expected


def test_someone_who_said_is_not_the_last_person_named():
    text = "Anna Lindqvist spoke first. For someone who had defended the quota, the shift in tone was stark."
    assert [name for _, name, _ in reported(text)] != ["Anna Lindqvist"]


def test_what_follows_the_cue_is_not_always_more_content():
    # how it was said, and who the source is, are not what was said
    text = "The fund is still a major earner, with $1.6 billion in profit, according to Kari Dale, an analyst at Nordbank."
    assert described(text)[0][0] == "The fund is still a major earner, with $1.6 billion in profit"
    text = "While most of the files were marked confidential, according to a ministry official, two of them were upgraded to secret."
    assert described(text) == [("two of them were upgraded to secret", "a ministry official", True)]


@pytest.mark.parametrize(
    "sentence, content",
    [
        (
            "The ministers have vowed to block the new quota, meaning that the fleet will stay in port.",
            "to block the new quota",
        ),
        (
            "Anna Lindqvist pledged on Saturday to rid the harbour of old wrecks but said little about how.",
            "to rid the harbour of old wrecks",
        ),
        (
            "Three years after the ministers vowed to court the fishermen, the party has done the opposite.",
            "to court the fishermen",
        ),
    ],
)
def test_a_promise_ends_where_the_sentence_moves_on(sentence, content):
    assert contents(sentence) == [content]


def test_calling_for_after_a_comma_is_the_sentence_subjects():
    text = "Anna Lindqvist rejected the quota, calling for heavy tariffs on imported fish."
    assert reported(text) == [("heavy tariffs on imported fish", "Anna Lindqvist", "calling for")]


def test_the_subjects_next_act_is_not_part_of_the_content():
    text = "Kari Dale said she earns 41,000 kroner a year and questioned how the plan would help her."
    assert contents(text)[0] == "she earns 41,000 kroner a year"


def test_a_quotation_inside_a_content_first_statement_before_said_x():
    text = 'The party, held every four years, "lets us get our message out," said Kari Dale, the group\'s director.'
    assert [name for _, name, _ in reported(text)] in ([], ["Kari Dale"])


@pytest.mark.parametrize(
    "sentence",
    [
        "Later, the ministry added trucks to the list of vehicles it inspects at the border.",  # add: include
        "Anna Lindqvist built her name on the cause, writing a book called Women Who Fish.",  # a book
    ],
)
def test_verbs_that_also_mean_doing_need_that(sentence):
    assert reported(sentence) == []


def test_according_to_a_long_source_and_a_dash_after_it():
    text = (
        "According to a January 2016 study by the Nordic Research Center based on census data from 2014, "
        "young voters lean left in the region."
    )
    assert [content for content, _, _ in described(text)] == ["young voters lean left in the region"]
    text = "The plan would raise only 1.1 trillion kroner, according to the Tax Policy Center - half a point of output."
    assert reported(text) == [
        ("The plan would raise only 1.1 trillion kroner", "Tax Policy Center", "according to")
    ]


def test_a_place_after_the_name_and_an_opener_before_it_are_not_the_speaker():
    assert reported("Kari Dale of Lansing, Mich., said she had not given up on the ferry.") == [
        ("she had not given up on the ferry", "Kari Dale", "said")
    ]
    text = "Regardless, the ministry said it found no sign that the file was ever sent."
    assert [name for _, name, _ in reported(text)] == ["the ministry"]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "The billionaire shipping magnate says the new harbour fees will ruin the trade.",
            ("the new harbour fees will ruin the trade", "The billionaire shipping magnate", "says"),
        ),
        (
            "Dale however said he would welcome the ministry's help with the harbour.",
            ("he would welcome the ministry's help with the harbour", "Dale", "said"),
        ),
        (
            "Kari Dale, a former mayor, said in one of a series of messages on Twitter that the ferry was full.",
            ("the ferry was full", "Kari Dale", "said"),
        ),
        (
            "Kari Dale, the former governor, told The Star-Ledger of Newark last week she would vote for him.",
            ("she would vote for him", "Kari Dale", "told"),
        ),
    ],
)
def test_described_people_and_longer_asides(sentence, expected):
    assert reported(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "The week says little about the harbour and its many problems.",
        "The idea says nothing about who pays for it.",
    ],
)
def test_a_definite_description_of_a_thing_is_no_source(sentence):
    assert reported(sentence) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # recalled, revealed and agreed report speech without "that"; agreed to, like promised to
        (
            "Anna Lindqvist recalled how the fleet had left Tromso in the middle of the night.",
            [("how the fleet had left Tromso in the middle of the night", "Anna Lindqvist", "recalled")],
        ),
        (
            "Anna Lindqvist revealed her ministry had drafted a new quota for cod.",
            [("her ministry had drafted a new quota for cod", "Anna Lindqvist", "revealed")],
        ),
        (
            "Anna Lindqvist agreed to meet again next month, ostensibly to settle the quota.",
            [("to meet again next month, ostensibly to settle the quota", "Anna Lindqvist", "agreed")],
        ),
        # "questioned" reports speech
        (
            "Anna Lindqvist questioned the ministry's figures and its plans for the harbour.",
            [("the ministry's figures and its plans for the harbour", "Anna Lindqvist", "questioned")],
        ),
        # what a warning or a complaint was about
        (
            "The Norwegian Ministry of Fisheries warned of the risk of an outbreak in the fish farms.",
            [("the risk of an outbreak in the fish farms", "Norwegian Ministry of Fisheries", "warned")],
        ),
        (
            "Kari Dale complained about the tone of the debate on the harbour.",
            [("the tone of the debate on the harbour", "Kari Dale", "complained")],
        ),
        # a content that opens with a quantity
        (
            "Kari Dale said about half of the boats had stayed in port this winter.",
            [("about half of the boats had stayed in port this winter", "Kari Dale", "said")],
        ),
        # a verb that takes a noun elsewhere, with a clause and no "that"
        (
            "Kari Dale denied she had met the minister before the vote.",
            [("she had met the minister before the vote", "Kari Dale", "denied")],
        ),
    ],
)
def test_verbs_that_report_without_that(text, expected):
    assert reported(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a contraction, a time or an opener between the subject and its verb is not who spoke
        (
            "Kari Dale won the vote in Tromso. She's also praising the harbour workers who stayed on strike.",
            [("the harbour workers who stayed on strike", "Kari Dale", "praising")],
        ),
        (
            "Kari Dale rarely speaks to the press. Late on Saturday she announced that the harbour would be sold.",
            [("the harbour would be sold", "Kari Dale", "announced")],
        ),
        (
            "Union spokesman Ola Berg on Thursday evening said the vote would be delayed until May.",
            [("the vote would be delayed until May", "Ola Berg", "said")],
        ),
        (
            "Anna Lindqvist is continuing to insist she will publish the quota only after the vote.",
            [("she will publish the quota only after the vote", "Anna Lindqvist", "insist")],
        ),
        # a second verb with no subject of its own: the sentence's subject
        (
            "Ola Berg often questions the budget and has called for the council to cut taxes.",
            [("the council to cut taxes", "Ola Berg", "called for")],
        ),
        # bodies and groups named by a plural
        (
            "Shipping companies say that the new quota would empty the harbour within a year.",
            [("the new quota would empty the harbour within a year", "Shipping companies", "say")],
        ),
        (
            "Some of the women said they had spoken at every council hearing on the harbour.",
            [("they had spoken at every council hearing on the harbour", "Some of the women", "said")],
        ),
    ],
)
def test_sources_with_words_between_them_and_their_verb(text, expected):
    assert reported(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a speech act of the subject's own after "and" or "but" is a statement of its own
        (
            "Kari Dale said that the harbour would be sold next year and called on the council to approve it.",
            [
                ("the harbour would be sold next year", "Kari Dale", "said"),
                ("the council to approve it", "Kari Dale", "called on"),
            ],
        ),
        (
            "Kari Dale said it was too early to sell the harbour but added that a sale might come later.",
            [
                ("it was too early to sell the harbour", "Kari Dale", "said"),
                ("a sale might come later", "Kari Dale", "added"),
            ],
        ),
        # a clause about something else ends the content
        (
            "Kari Dale said the harbour would stay open, even though the fleet has shrunk by half.",
            [("the harbour would stay open", "Kari Dale", "said")],
        ),
        (
            "Kari Dale said she would back the quota, and she asked the minister to visit Tromso.",
            [("she would back the quota", "Kari Dale", "said")],
        ),
        (
            "Kari Dale said 52 percent of the fleet had stayed in port, compared with 41 percent last year.",
            [("52 percent of the fleet had stayed in port", "Kari Dale", "said")],
        ),
        (
            "Kari Dale said the council had approved the sale but would not offer details of the price.",
            [("the council had approved the sale", "Kari Dale", "said")],
        ),
        # an -ing cue after a quotation's clause is a statement of whoever said the quotation
        (
            '"We will rebuild the harbour," Mayor Kari Dale said on Monday, adding that the work would start in May.',
            [("the work would start in May", "Kari Dale", "adding")],
        ),
        (
            'Kari Dale is the mayor. "It will take time," she said, suggesting that the council was divided.',
            [("the council was divided", "Kari Dale", "suggesting")],
        ),
        # after "CONTENT, X said": where it was said, then a second cue
        (
            "The harbour will be sold next year, Kari Dale said Tuesday in Oslo, noting that taxes would rise.",
            [("The harbour will be sold next year", "Kari Dale", "said")],
        ),
    ],
)
def test_where_a_content_ends_and_the_next_statement_starts(text, expected):
    assert reported(text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # "questions" and "question" are nouns here
        "The questions that remain about the harbour will be settled in May.",
        "The mayor raised the question that the council had avoided for years.",
        # "about" opens a content only with a quantity after it
        "Kari Dale said little about the harbour or the fleet on Monday.",
        "Kari Dale spoke about the harbour and the fleet at length on Monday.",
    ],
)
def test_nouns_and_mentions_are_no_statements(sentence):
    assert reported(sentence) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # forms that are nouns elsewhere report speech before a clause and after a content
        (
            "Fishing unions claim it will empty the harbour within a year.",
            [("it will empty the harbour within a year", "Fishing unions", "claim")],
        ),
        (
            "The harbour will be empty within a year, the unions claim.",
            [("The harbour will be empty within a year", "the unions", "claim")],
        ),
        # the predicate after an inverted source and its apposition is the content's too
        (
            "Any serious reading of the budget, said Ola Berg, a professor at the university, would see it as a "
            "retreat.",
            [("Any serious reading of the budget would see it as a retreat", "Ola Berg", "said")],
        ),
        # adverbs before an -ing cue, and a progressive with "already"
        (
            "Kari Dale has raised doubts about the harbour, falsely suggesting that the fleet had already left.",
            [("the fleet had already left", "Kari Dale", "suggesting")],
        ),
        (
            "The Tromso council is already claiming a victory of sorts in the harbour vote.",
            [("a victory of sorts in the harbour vote", "The Tromso council", "claiming")],
        ),
        # a cue after a quotation that has its own clause starts a statement of its own
        (
            '"I love the harbour," Kari Dale said in August after the Tromso council announced it was closing '
            "the fish market.",
            [("it was closing the fish market", "the Tromso council", "announced")],
        ),
        # told somebody to do something
        (
            "Kari Dale told the council to approve the sale of the harbour.",
            [("to approve the sale of the harbour", "Kari Dale", "told")],
        ),
        # a phrase of time before a content-first cue is not what was said
        (
            "Later in the day, the ministry said it would review the quota.",
            [("it would review the quota", "the ministry", "said")],
        ),
    ],
)
def test_noun_like_forms_inverted_sources_and_quotations_with_clauses(text, expected):
    assert reported(text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The notes of the meeting were lost in the flood.",
        "In the end, the claims were dropped by the council.",
    ],
)
def test_noun_like_forms_without_a_clause_are_no_cue(sentence):
    assert reported(sentence) == []


# --- for other stages -----------------------------------------------------------------------------


def test_reported_in_text_reads_a_plain_body():
    body = "The two ministers discussed fishing rights.\n\nAnna Lindqvist said the quota would be reviewed in May."
    found = reported_in_text(body, GAZETTEER)
    assert [(q.span.text, q.speaker.name) for q in found] == [
        ("the quota would be reviewed in May", "Anna Lindqvist")
    ]
    assert body[found[0].span.start : found[0].span.end] == found[0].span.text


def test_a_second_speech_act_after_but_is_a_statement_of_its_own():
    assert reported(
        "Anna Lindqvist doubled down, saying the quota is fair on paper but suggesting that it might not last."
    ) == [
        ("the quota is fair on paper", "Anna Lindqvist", "saying"),
        ("it might not last", "Anna Lindqvist", "suggesting"),
    ]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # ", but that ..." goes on with what was said
        (
            "Ola Berg said the harbour would stay open, but that the ferry would be cut.",
            "the harbour would stay open, but that the ferry would be cut",
        ),
        # a relative clause about the last name, the subject's next act, others doing the same, a result
        (
            "Kari Dale said the quota was drafted by Anna Lindqvist, whose office declined to comment.",
            "the quota was drafted by Anna Lindqvist",
        ),
        ("Ola Berg said the vote was rigged, and then walked out of the hall.", "the vote was rigged"),
        ("Kari Dale has said she will not run again, as has her deputy.", "she will not run again"),
        (
            "Ola Berg reported earning $2 million from the harbour, making it her largest source of income.",
            "earning $2 million from the harbour",
        ),
        (
            "Anna Lindqvist spoke on Monday, telling the council that the plan is a fraud and questioning how it "
            "was approved.",
            "the plan is a fraud",
        ),
        # a quotation that closes with the comma
        (
            'Kari Dale said the harbour plan was "far too late," though she voted for it in the end.',
            'the harbour plan was "far too late,"',
        ),
    ],
)
def test_where_a_content_ends(sentence, expected):
    assert contents(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ola Berg hinted that the harbour would close next year.",  # an implication, not a statement
        "Kari Dale indicated that she would resign from the council.",
        "His vows of silence were broken at the hearing.",  # nouns
        "Ola Berg broke his promise to cut the harbour fees next year.",
    ],
)
def test_hints_and_nouns_are_no_statements(sentence):
    assert reported(sentence) == []


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Ola Berg sent a letter on Monday urging the council to reject the harbour plan.",
            ("the council to reject the harbour plan", "Ola Berg", "urging"),
        ),
        (
            "After suggesting on Monday that the quota was too high, Anna Lindqvist voted for it.",
            ("the quota was too high", "Anna Lindqvist", "suggesting"),
        ),
        (
            'Ola Berg, who calls the plan a "disgrace," said she would fight it in court.',
            ("she would fight it in court", "Ola Berg", "said"),
        ),
        (
            "Kari Dale, who has fished out of Tromso for 30 years, has said the quota is unfair.",
            ("the quota is unfair", "Kari Dale", "said"),
        ),
        (
            "A spokesman for the mayor defended the route and said the police were ready for the march.",
            ("the police were ready for the march", "A spokesman for the mayor", "said"),
        ),
        (
            "Harbour officials have been warning that the fund is running out of cash.",
            ("the fund is running out of cash", "Harbour officials", "warning"),
        ),
        (
            "The ministry has said for months that the harbour will stay open.",
            ("the harbour will stay open", "The ministry", "said"),
        ),
        (
            "Kari Dale said in 2014 that the quota was too high for small boats.",
            ("the quota was too high for small boats", "Kari Dale", "said"),
        ),
        (
            "The ministry reported the harbour was losing money every month.",
            ("the harbour was losing money every month", "The ministry", "reported"),
        ),
        (
            "Kari Dale vows to block the quota in the council.",
            ("to block the quota in the council", "Kari Dale", "vows"),
        ),
        (
            "The union demands that the council resign before the vote.",
            ("the council resign before the vote", "The union", "demands"),
        ),
        (
            "Ola Berg promises to cut the harbour fees next year.",
            ("to cut the harbour fees next year", "Ola Berg", "promises"),
        ),
    ],
)
def test_more_shapes_of_source_and_cue(sentence, expected):
    assert reported(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        ("Many in the crowd said the mayor should resign before the summer.", "Many in the crowd"),
        ("His brother added that the family was shocked by the ruling.", "His brother"),
        ("Most Norwegians say the quota is fair to the fishing towns.", "Norwegians"),
        ("Harbour workers today argue that the quota is too low for the season.", "Harbour workers"),
        ("58 percent of voters overall said they backed the harbour plan.", "58 percent of voters overall"),
    ],
)
def test_groups_and_relatives_described_without_a_name(sentence, speaker):
    assert [found[1] for found in reported(sentence)] == [speaker]


def test_a_warning_after_but_is_the_subjects_too():
    assert reported(
        "Ola Berg backed the plan, saying the quota was fair to small towns but warning that costs could rise "
        "sharply."
    ) == [
        ("the quota was fair to small towns", "Ola Berg", "saying"),
        ("costs could rise sharply", "Ola Berg", "warning"),
    ]
