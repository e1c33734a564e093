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
SEEDS_GOLD = REPO.parent / "shared" / "gold" / "seeds.json"
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
    article = parse_article(RawArticle(external_id="x", text='"One two three," he said. "Four five six."', origin="t"))
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
    if not SEEDS_GOLD.exists():
        pytest.skip(f"{SEEDS_GOLD} is not beside the repository")
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
