"""Topics, events, said_on and candidate events on the seed articles.

The oracle below is a hand labelling of the seed quotes (the gold quotes of
/work/shared/gold/seeds.json, plus the two optional ones the extractor finds): the topics a reader
would give each quote in its context, the events it answers and the day it was said. The first
tests build their input by hand (cleaned text, quote spans located from the gold texts, speakers
from the gold speakers) so they check tagging alone; the last ones run the real import chain.

Scores against the oracle: `.venv/bin/python -m pytest tests/test_tagging.py -q -s -k scores`.
"""

import datetime
import json
import re
import time
from pathlib import Path

import pytest

from statements.ingest.records import ExtractedQuote, ParsedArticle, QuoteSpan, SpeakerMention
from statements.ingest.tagging import KEYWORD_BOUNDARY, TaggingRules, _keyword_hits, annotate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
TOPICS = json.loads((FIXTURES / "reference" / "topics.json").read_text(encoding="utf-8"))
EVENTS = json.loads((FIXTURES / "reference" / "events.json").read_text(encoding="utf-8"))
RULES = TaggingRules.from_reference(TOPICS, EVENTS)

TASS_FILE, RT_FILE = "000_6de1334cdd6cb548.txt", "003_a0bf8ad288c97066.txt"
TASS_DAY = datetime.date(2016, 10, 4)  # Tuesday
RT_DAY = datetime.date(2016, 9, 29)  # Thursday
BRIEFING_DAY = datetime.date(2016, 9, 28)  # "at a press briefing on Wednesday"

SUSPENSION = "us-suspends-syria-channels-with-russia-2016-10-03"
BRIEFING = "state-department-body-bags-warning-2016-09-28"
EXPIRY = "syria-ceasefire-expires-2016-09-19"

CEASEFIRE, TERRORISM, RELATIONS = "syria-ceasefire", "counter-terrorism", "russia-us-relations"
HUMANITARIAN, DECONFLICTION, SAFETY = "humanitarian-access", "military-deconfliction", "personnel-safety"
# Every seed quote but Zakharova's "ventriloquism" reply is about the war in Syria.
SYRIAN_WAR = "syrian-war"

# (the quote as /work/shared/gold/seeds.json gives it, speaker, topics, events, said_on)
ORACLE = {
    TASS_FILE: [
        (
            "As far as we understand, mutual contacts of our military as to avoiding any dangerous actions continue and will continue, this is necessary to avoid serious incidents,",
            "Dmitry Peskov",
            {DECONFLICTION, RELATIONS, SYRIAN_WAR},
            {SUSPENSION},
            TASS_DAY,
        ),
        (
            "So far, I would not exaggerate things so much. However, it is clear that we perceive the US withdrawal from the dialogue on the cessation of offensive operations in Syria with regret,",
            "Dmitry Peskov",
            {CEASEFIRE, RELATIONS, SYRIAN_WAR},
            {SUSPENSION},
            TASS_DAY,
        ),
        (
            "We would like to hope for presence of common sense and the continuation of contacts in particularly sensitive areas necessary for maintaining peace and security.",
            "Dmitry Peskov",
            {CEASEFIRE, RELATIONS, SYRIAN_WAR},
            {SUSPENSION},
            TASS_DAY,
        ),
        # Its own words say nothing; the question about military clashes after the US refused to
        # coordinate says what "this risk" is.
        (
            "I wouldn't like to speak about this risk",
            "Dmitry Peskov",
            {DECONFLICTION, RELATIONS, SYRIAN_WAR},
            {SUSPENSION},
            TASS_DAY,
        ),
        (
            "The US breaking off a dialog with us on Syria as to sustaining the ceasefire, substantially complicates the situation there. This withdrawal unfortunately confirms impossibility to de-facto draw a distinction between terrorists and the so-called moderate opposition,",
            "Dmitry Peskov",
            {CEASEFIRE, RELATIONS, TERRORISM, SYRIAN_WAR},
            {SUSPENSION},
            TASS_DAY,
        ),
        (
            "This has of course substantially aggravated the situation,",
            "Dmitry Peskov",
            {CEASEFIRE, RELATIONS, SYRIAN_WAR},
            {SUSPENSION},
            TASS_DAY,
        ),
        (
            "But this does not mean that the Russian side intends to abandon its plans on fight against terrorism and assistance to the Syrian armed forces in their anti-terrorist activity,",
            "Dmitry Peskov",
            {TERRORISM, SYRIAN_WAR},
            {SUSPENSION},
            TASS_DAY,
        ),
    ],
    RT_FILE: [
        (
            "any hints of threats to Russia's military and citizens.",
            "Russian Ministry of Defense",
            {SAFETY, RELATIONS, SYRIAN_WAR},
            {BRIEFING},
            RT_DAY,
        ),
        (
            "more Russian lives will be lost, more Russian aircraft will be shot down",
            "John Kirby",
            {SAFETY, RELATIONS, TERRORISM, SYRIAN_WAR},
            {BRIEFING},
            BRIEFING_DAY,
        ),
        (
            "extremist groups will continue to exploit the vacuums that are there in Syria to expand their operations, which could include attacks against Russian interests, perhaps even Russian cities.",
            "John Kirby",
            {SAFETY, RELATIONS, TERRORISM, SYRIAN_WAR},
            {BRIEFING},
            BRIEFING_DAY,
        ),
        (
            "Once again we declare that we are fully prepared to continue the dialogue with the American side and carry on with the joint actions to combat terrorists in Syria.",
            "Igor Konashenkov",
            {TERRORISM, RELATIONS, SYRIAN_WAR},
            {BRIEFING},
            RT_DAY,
        ),
        (
            "However, even the slightest hints of a threat to our soldiers and Russian citizens must be excluded from this dialogue. The matter of safety of Russian citizens, wherever they may be, is not up for bargaining. It is our main and unconditional priority,",
            "Igor Konashenkov",
            {SAFETY, RELATIONS, SYRIAN_WAR},
            {BRIEFING},
            RT_DAY,
        ),
        (
            "threat of potential losses",
            "Igor Konashenkov",
            {SAFETY, RELATIONS, SYRIAN_WAR},
            {BRIEFING},
            RT_DAY,
        ),
        (
            "experts involved in operational planning and supervision of the militants' actions.",
            "Igor Konashenkov",
            {SAFETY, RELATIONS, SYRIAN_WAR},
            {BRIEFING},
            RT_DAY,
        ),
        (
            "Don't you think that such ventriloquism about 'body bags,' 'terrorist attacks in Russian cities' and 'loss of aircraft,' sounds more like a 'get 'em' command, rather than a diplomatic comment?",
            "Maria Zakharova",
            {RELATIONS, SAFETY, TERRORISM},
            {BRIEFING},
            RT_DAY,
        ),
        (
            "will be the best step forward.",
            "Ramzy Ezzeldine Ramzy",
            {CEASEFIRE, RELATIONS, HUMANITARIAN, SYRIAN_WAR},
            {EXPIRY},
            RT_DAY,
        ),
        ("on the table.", "Sergey Ryabkov", {CEASEFIRE, RELATIONS, SYRIAN_WAR}, {EXPIRY}, RT_DAY),
        (
            "In order to solve humanitarian problems and provide humanitarian access, we have repeatedly offered 48-hour ceasefires, but American counterparts have fixated entirely on the requirement of seven-day breaks for reasons only known to them,",
            "Sergey Ryabkov",
            {CEASEFIRE, HUMANITARIAN, RELATIONS, SYRIAN_WAR},
            {EXPIRY},
            RT_DAY,
        ),
        ("rest and regroup forces.", "Russia", {CEASEFIRE, TERRORISM, SYRIAN_WAR}, {EXPIRY}, RT_DAY),
        (
            "The duration [seven days] seems to be specifically chosen for solving such problems [as regrouping], so a seven-day ceasefire is not acceptable to us, however the proposals for 48-hour breaks are still on the table,",
            "Sergey Ryabkov",
            {CEASEFIRE, RELATIONS, SYRIAN_WAR},
            {EXPIRY},
            RT_DAY,
        ),
    ],
}
PUBLISHED = {TASS_FILE: TASS_DAY, RT_FILE: RT_DAY}
COUNTRY_CODES = {"Russia": "RUS", "United States": "USA", None: None}
# Speakers that are bodies rather than people (not in the gold file's list of people).
BODIES = {
    "Russian Ministry of Defense": SpeakerMention(
        name="Russian Ministry of Defense",
        organisation="Russian Ministry of Defense",
        country="RUS",
        is_organisation=True,
    ),
    "Russia": SpeakerMention(name="Russia", country="RUS", is_organisation=True),
}
GOLD_SPEAKERS = {
    "Dmitry Peskov": ("Kremlin", "Russia"),
    "John Kirby": ("US Department of State", "United States"),
    "Igor Konashenkov": ("Russian Ministry of Defense", "Russia"),
    "Maria Zakharova": ("Russian Foreign Ministry", "Russia"),
    "Ramzy Ezzeldine Ramzy": ("United Nations", None),
    "Sergey Ryabkov": ("Russian Foreign Ministry", "Russia"),
}


# --- building input by hand ----------------------------------------------------------------------


def hand_clean(raw: str) -> str:
    """What a reader sees: no title, date line, link-only or "Read more" lines, no markdown; a
    paragraph broken mid-sentence (the next one starts in lowercase) joined again."""
    lines = [block.strip() for block in re.split(r"\n\s*\n", raw)]
    title = lines[1] if lines[0] == "All news" else lines[0]
    paragraphs: list[str] = []
    for block in lines:
        if block in ("", "All news", "---", title) or block.startswith(("Read more", "[")):
            continue
        if re.fullmatch(r"\d\d/\d\d/\d{4}", block):
            continue
        block = (
            re.sub(r"\[([^\]]*)\]\(#\)", r"\1", block)
            .replace("*", "")
            .replace("\\[", "[")
            .replace("\\]", "]")
        )
        block = block.replace("\u00a0", " ")
        if paragraphs and block[:1].islower():
            paragraphs[-1] = f"{paragraphs[-1]} {block}"
        else:
            paragraphs.append(block)
    return "\n\n".join(paragraphs)


def straight(text: str) -> str:
    """Same length, typographic marks made plain, so gold texts can be found in the article."""
    return text.translate(str.maketrans("’‘“”", "''\"\""))


def speaker(name: str) -> SpeakerMention:
    if name in BODIES:
        return BODIES[name]
    organisation, country = GOLD_SPEAKERS[name]
    return SpeakerMention(name=name, organisation=organisation, country=COUNTRY_CODES[country])


def make_article(text: str, published: datetime.date | None, external_id: str = "test") -> ParsedArticle:
    return ParsedArticle(external_id=external_id, text=text, published=published)


def make_quote(
    text: str, quoted: str, speaker_name: str | None = None, occurrence: int = 0
) -> ExtractedQuote:
    start = -1
    for _ in range(occurrence + 1):
        start = straight(text).index(straight(quoted), start + 1)
    span = QuoteSpan(
        start=start, end=start + len(quoted), text=text[start : start + len(quoted)], kind="direct"
    )
    return ExtractedQuote(span=span, speaker=speaker(speaker_name) if speaker_name else None)


def seed_by_hand(file_name: str) -> tuple[ParsedArticle, list[ExtractedQuote]]:
    text = hand_clean((FIXTURES / file_name).read_text(encoding="utf-8"))
    quotes = [make_quote(text, quoted, speaker_name) for quoted, speaker_name, *_ in ORACLE[file_name]]
    return make_article(text, PUBLISHED[file_name], file_name), quotes


def tag(text: str, published, quotes: list[tuple[str, str | None]], rules: TaggingRules = RULES):
    article = make_article(text, published)
    extracted = [make_quote(text, quoted, name) for quoted, name in quotes]
    candidates = annotate(article, extracted, rules)
    return extracted, candidates


def make_event(
    slug="test-event", date="2016-10-03", keywords=("bilateral channels",), topics=(RELATIONS,), **fields
):
    return {
        "slug": slug,
        "title": fields.pop("title", slug),
        "date": date,
        "kind": "announcement",
        "countries": [],
        "organisations": [],
        "topics": list(topics),
        "keywords": list(keywords),
        **fields,
    }


def by_prefix(quotes: list[ExtractedQuote], text: str) -> ExtractedQuote:
    """The quote that starts like `text` (its first words are enough to tell seed quotes apart)."""
    return next(q for q in quotes if straight(q.span.text).startswith(straight(text[:24])))


def oracle_scores(tagged: dict[str, list[ExtractedQuote]]) -> dict[str, tuple[float, float]]:
    """Micro precision and recall of topics and of event links over the oracle's quotes."""
    counts = {"topics": [0, 0, 0], "events": [0, 0, 0]}  # true positives, predicted, expected
    for file_name, rows in ORACLE.items():
        for prefix, _, topics, events, _ in rows:
            quote = by_prefix(tagged[file_name], prefix)
            for name, got, expected in (
                ("topics", set(quote.topics), topics),
                ("events", {slug for slug, _ in quote.events}, events),
            ):
                counts[name][0] += len(got & expected)
                counts[name][1] += len(got)
                counts[name][2] += len(expected)
    return {
        name: (tp / max(predicted, 1), tp / max(expected, 1))
        for name, (tp, predicted, expected) in counts.items()
    }


@pytest.fixture(scope="module")
def seeds_by_hand():
    tagged, candidates = {}, {}
    for file_name in ORACLE:
        article, quotes = seed_by_hand(file_name)
        candidates[file_name] = annotate(article, quotes, RULES)
        tagged[file_name] = quotes
    return tagged, candidates


# --- the seeds, end to end on hand-built input -------------------------------------------------------


def test_scores_against_the_hand_labels(seeds_by_hand):
    tagged, _ = seeds_by_hand
    scores = oracle_scores(tagged)
    for name, (precision, recall) in scores.items():
        print(f"\n{name}: precision {precision:.3f} recall {recall:.3f}")
    assert scores["topics"][0] >= 0.95 and scores["topics"][1] >= 0.9
    assert scores["events"] == (1.0, 1.0)


def test_the_risk_quote_is_tagged_from_the_question_it_answers(seeds_by_hand):
    quote = by_prefix(seeds_by_hand[0][TASS_FILE], "I wouldn't like to speak")
    assert {DECONFLICTION, RELATIONS} <= set(quote.topics)


def test_peskov_answers_the_us_suspension_of_channels(seeds_by_hand):
    for quote in seeds_by_hand[0][TASS_FILE]:
        assert [slug for slug, _ in quote.events] == [SUSPENSION], quote.span.text


def test_zakharova_and_konashenkov_answer_the_body_bags_briefing(seeds_by_hand):
    for quote in seeds_by_hand[0][RT_FILE]:
        if quote.speaker.name in ("Maria Zakharova", "Igor Konashenkov"):
            assert [slug for slug, _ in quote.events] == [BRIEFING], quote.span.text


def test_said_on_matches_the_hand_labels(seeds_by_hand):
    for file_name, rows in ORACLE.items():
        for prefix, *_, said_on in rows:
            assert by_prefix(seeds_by_hand[0][file_name], prefix).said_on == said_on, prefix


def test_a_quote_naming_the_event_is_more_certain_than_one_that_only_follows_it(seeds_by_hand):
    tass = seeds_by_hand[0][TASS_FILE]
    named = dict(by_prefix(tass, "The US breaking off").events)[SUSPENSION]
    inherited = dict(by_prefix(tass, "But this does not mean").events)[SUSPENSION]
    assert 0 < inherited < named <= 1


def test_no_candidate_duplicates_a_curated_event(seeds_by_hand):
    assert seeds_by_hand[1] == {TASS_FILE: [], RT_FILE: []}


def test_without_curated_events_the_dated_developments_are_proposed():
    rules = TaggingRules.from_reference(TOPICS, [])
    proposed = {}
    for file_name in ORACLE:
        article, quotes = seed_by_hand(file_name)
        proposed[file_name] = annotate(article, quotes, rules)
    (suspension,) = proposed[TASS_FILE]
    assert suspension.date == datetime.date(2016, 10, 3)
    assert suspension.sentence.startswith("On Monday, the chief of the US Department of State press service")
    assert suspension.title.startswith(
        "The chief of the US Department of State press service, John Kirby, said"
    )
    assert article_text(TASS_FILE)[suspension.start :].startswith("On Monday,")
    (expiry,) = proposed[RT_FILE]
    assert expiry.date == datetime.date(2016, 9, 19)
    assert expiry.title == "The week-long ceasefire brokered by Russia and the US expired in Syria"


def article_text(file_name: str) -> str:
    return hand_clean((FIXTURES / file_name).read_text(encoding="utf-8"))


# --- the rules, one real sentence pattern each ------------------------------------------------------


def test_a_quote_is_tagged_from_its_own_paragraph_not_the_whole_article():
    text = (
        "The week-long ceasefire in Syria expired on Monday.\n\n"
        'Speaking at a grain fair in Tula, the farm minister said: "We will keep our plans for the harvest."'
    )
    (quote,), _ = tag(text, TASS_DAY, [("We will keep our plans for the harvest.", None)])
    assert quote.topics == []


def test_a_paragraph_of_only_a_quote_and_a_short_tag_takes_its_setting_from_the_one_before():
    # The TASS pattern: "This has of course ..." continues the paragraph about the ceasefire dialogue.
    text = (
        '"The US breaking off a dialog with us on Syria as to sustaining the ceasefire, substantially '
        'complicates the situation there," the spokesman said.\n\n'
        '"This has of course substantially aggravated the situation," he said.'
    )
    quotes, _ = tag(
        text,
        TASS_DAY,
        [
            ("The US breaking off", "Dmitry Peskov"),
            ("This has of course substantially aggravated the situation,", "Dmitry Peskov"),
        ],
    )
    assert {CEASEFIRE, RELATIONS} <= set(quotes[1].topics)


def test_a_long_paragraph_only_lends_the_sentences_near_the_quote():
    # Run-together text (a corpus that lost its paragraph breaks) must not tag from far away.
    text = (
        "Syria's ceasefire collapsed in Aleppo. Markets fell. Traders sold bonds. Oil rose. Gold was flat. "
        'Copper slipped. "We expect a quiet week for the currency," the strategist said.'
    )
    (quote,), _ = tag(text, TASS_DAY, [("We expect a quiet week for the currency,", None)])
    assert CEASEFIRE not in quote.topics


def test_one_hit_near_the_quote_is_enough_but_the_rest_of_the_paragraph_needs_two():
    # RT: "combat terrorists" is in the sentence before the quote (0.5), so not counter-terrorism;
    # Peskov's "fight against terrorism ... anti-terrorist activity" is in the quote itself.
    rt, tass = seed_by_hand(RT_FILE), seed_by_hand(TASS_FILE)
    for article, quotes in (rt, tass):
        annotate(article, quotes, RULES)
    assert TERRORISM not in by_prefix(rt[1], "any hints of threats").topics
    assert TERRORISM in by_prefix(tass[1], "But this does not mean").topics


def test_acronyms_match_in_capitals_only():
    # "The US breaking off a dialog with us": one United States, one pronoun.
    text = '"Relations with us are frozen and the dialogue is over," the Kremlin spokesman said.'
    (quote,), _ = tag(
        text, TASS_DAY, [("Relations with us are frozen and the dialogue is over,", "Dmitry Peskov")]
    )
    assert RELATIONS not in quote.topics
    text = text.replace("with us", "with the US")
    (quote,), _ = tag(
        text, TASS_DAY, [("Relations with the US are frozen and the dialogue is over,", "Dmitry Peskov")]
    )
    assert RELATIONS in quote.topics


def test_keywords_tolerate_plurals_hyphens_and_case():
    text = '"Further Cease-Fires in Syria are possible," the envoy said. "We offered 48-hour truces in Aleppo," he added.'
    quotes, _ = tag(
        text,
        RT_DAY,
        [
            ("Further Cease-Fires in Syria are possible,", None),
            ("We offered 48-hour truces in Aleppo,", None),
        ],
    )
    assert all(CEASEFIRE in quote.topics for quote in quotes)


def test_keywords_are_found_where_words_start_as_the_trie_regex_finds_them():
    # _keyword_hits reads the text with an automaton; it must find what the trie regex, which
    # looks behind, finds: at the text's start, after punctuation, right after another keyword,
    # across a run of spaces or hyphens, in a range that starts inside a word, never inside one.
    text = (
        "Ceasefire talks: the U.S. ceasefire-sanctions plan, (truce) unsanctioned; Syria.Sanctions "
        "a cease -- fire,\n\n'ceasefires'  and Human   Rights Watch-human rights"
    )
    lowered = text.lower()
    pattern = re.compile(KEYWORD_BOUNDARY + RULES.trie)
    ranges = [
        [(0, len(text))],
        [(1, len(text))],
        [(0, 9)],
        [(10, 30), (34, 60)],
        [(text.index("ceasefire-"), text.index("sanctions plan") + 3)],
        [(text.index("sanctioned"), len(text))],
        [(text.index("cease --") + 6, text.index("fire,") + 2)],
        [(text.index("Human"), text.index("Rights Watch") - 1)],
    ]
    for spans in ranges:
        expected = [
            (match.start(), keyword)
            for start, end in spans
            for match in pattern.finditer(lowered, start, end)
            for keyword in RULES.leaves[match.lastgroup]
            if keyword not in RULES.exact or RULES.exact[keyword].fullmatch(text, match.start(), match.end())
        ]
        assert _keyword_hits(RULES, text, spans) == expected
    starts = {start for start, _ in _keyword_hits(RULES, text, [(0, len(text))])}
    assert {0, text.index("ceasefire-"), text.index("truce"), text.index("cease --")} <= starts
    assert text.index("sanctioned") not in starts  # inside "unsanctioned"


def test_keywords_in_text_that_lowercasing_lengthens_are_found_where_they_are():
    # "İ" lowercases to two characters; such a text is searched with the regex itself.
    text = "İstanbul: the ceasefire in Syria"
    assert [start for start, _ in _keyword_hits(RULES, text, [(0, len(text))])][:1] == [
        text.index("ceasefire")
    ]


def test_a_longer_keyword_still_counts_the_words_inside_it():
    # "refused to coordinate moves" is a deconfliction phrase and "coordinate" a relations word.
    article, quotes = seed_by_hand(TASS_FILE)
    annotate(article, quotes, RULES)
    assert {DECONFLICTION, RELATIONS} <= set(by_prefix(quotes, "I wouldn't like to speak").topics)


def test_the_speakers_country_counts_as_a_mention():
    text = '"We regret the withdrawal from the dialogue by the US," the spokesman said.'
    quoted = "We regret the withdrawal from the dialogue by the US,"
    (anonymous,), _ = tag(text, TASS_DAY, [(quoted, None)])
    (kremlin,), _ = tag(text, TASS_DAY, [(quoted, "Dmitry Peskov")])
    assert RELATIONS not in anonymous.topics and RELATIONS in kremlin.topics


def test_an_event_is_only_answered_on_or_after_its_date_and_within_the_window():
    text = '"The US suspended the bilateral channels with Russia," Peskov told reporters on Tuesday.'
    quoted = "The US suspended the bilateral channels with Russia,"
    confidences = {}
    for event_date in ("2016-10-05", "2016-10-04", "2016-10-03", "2016-09-25", "2016-09-19"):
        rules = TaggingRules.from_reference(TOPICS, [make_event(date=event_date)])
        (quote,), _ = tag(text, TASS_DAY, [(quoted, "Dmitry Peskov")], rules)
        confidences[event_date] = dict(quote.events).get("test-event")
    assert confidences["2016-10-05"] is None  # after the quote
    assert confidences["2016-09-19"] is None  # 15 days before: out of the window
    assert confidences["2016-10-04"] > confidences["2016-10-03"] > confidences["2016-09-25"] > 0


def test_keyword_evidence_raises_confidence():
    one = '"The bilateral channels are closed and we regret it," Peskov said.'
    two = '"The bilateral channels are closed and the suspension of talks is final," Peskov said.'
    rules = TaggingRules.from_reference(
        TOPICS, [make_event(keywords=["bilateral channels", "suspension of talks"])]
    )
    (weak,), _ = tag(
        one, TASS_DAY, [("The bilateral channels are closed and we regret it,", "Dmitry Peskov")], rules
    )
    (strong,), _ = tag(
        two,
        TASS_DAY,
        [("The bilateral channels are closed and the suspension of talks is final,", "Dmitry Peskov")],
        rules,
    )
    assert dict(strong.events)["test-event"] > dict(weak.events)["test-event"]


def test_a_date_alone_does_not_link_an_unrelated_quote():
    text = '"Our harvest was good," the farm minister told reporters on Monday.'
    rules = TaggingRules.from_reference(TOPICS, [make_event(date="2016-10-03")])
    (quote,), _ = tag(text, TASS_DAY, [("Our harvest was good,", None)], rules)
    assert quote.said_on == datetime.date(2016, 10, 3) and quote.events == []


def test_said_on_uses_only_the_quotes_own_attribution():
    # The TASS article dates Kirby's announcement "On Monday"; Peskov's quotes stay on the 4th.
    article, quotes = seed_by_hand(TASS_FILE)
    annotate(article, quotes, RULES)
    assert "On Monday" in article.text
    assert {quote.said_on for quote in quotes} == {TASS_DAY}


def test_a_continuing_quote_keeps_the_day_its_speaker_spoke():
    text = (
        'Speaking on Monday, the spokesman said: "We are ready to continue the dialogue."\n\n'
        '"Threats to our soldiers must be excluded," he stressed.'
    )
    quotes, _ = tag(
        text,
        TASS_DAY,
        [
            ("We are ready to continue the dialogue.", "Igor Konashenkov"),
            ("Threats to our soldiers must be excluded,", "Igor Konashenkov"),
        ],
    )
    assert [quote.said_on for quote in quotes] == [datetime.date(2016, 10, 3)] * 2


def test_without_a_published_date_nothing_is_dated_or_linked():
    article, quotes = seed_by_hand(TASS_FILE)
    article.published = None
    assert annotate(article, quotes, RULES) == []
    assert all(quote.said_on is None and quote.events == [] for quote in quotes)
    assert by_prefix(quotes, "I wouldn't like").topics  # topics need no date


def test_future_and_old_dated_sentences_are_not_proposed():
    text = (
        "On Monday, the ministers will sign a new ceasefire agreement for Syria.\n\n"
        "On August 1, Russia and the US signed a truce for Aleppo in Syria."
    )
    _, candidates = tag(text, TASS_DAY, [], TaggingRules.from_reference(TOPICS, []))
    assert candidates == []


def test_a_development_outside_the_archives_subjects_is_not_proposed():
    text = "On Monday, the company launched a new phone in Tokyo."
    _, candidates = tag(text, TASS_DAY, [], TaggingRules.from_reference(TOPICS, []))
    assert candidates == []


def test_a_verb_then_date_sentence_is_proposed():
    text = "A ceasefire for Aleppo in Syria collapsed on Sunday after a week of fighting."
    _, candidates = tag(text, TASS_DAY, [], TaggingRules.from_reference(TOPICS, []))
    assert [(c.date, c.start) for c in candidates] == [(datetime.date(2016, 10, 2), 0)]


def test_empty_and_unbalanced_input_never_crashes():
    assert annotate(make_article("", TASS_DAY), [], RULES) == []
    text = 'He said "\n\n\n\n"" On On on Monday, . . .'
    quote = ExtractedQuote(
        span=QuoteSpan(start=len(text) - 3, end=len(text), text=text[-3:], kind="partial"), speaker=None
    )
    annotate(make_article(text, TASS_DAY), [quote], RULES)
    assert quote.said_on == TASS_DAY


def test_adversarial_text_is_tagged_in_linear_time():
    # Four times the text may take about four times as long, never sixteen: a ratio of two runs in
    # the same minute holds on a busy machine, where a fixed time limit would not.
    def seconds_to_tag(times):
        text = ("cease " * 20 + "On Monday " * 5 + "U.S. " * 10 + "Mr. " * 10) * times
        quote = ExtractedQuote(span=QuoteSpan(start=0, end=len(text), text=text, kind="direct"), speaker=None)
        started = time.perf_counter()
        annotate(make_article(text, TASS_DAY), [quote], RULES)
        return time.perf_counter() - started

    seconds_to_tag(50)  # warm: compiled patterns and caches
    small = min(seconds_to_tag(250) for _ in range(3))
    large = min(seconds_to_tag(1000) for _ in range(3))
    assert large < 8 * small, (small, large)


def test_reference_files_are_well_formed():
    topic_slugs = {topic["slug"] for topic in TOPICS}
    assert {CEASEFIRE, TERRORISM, RELATIONS, HUMANITARIAN, DECONFLICTION, SAFETY} <= topic_slugs
    kinds = {"agreement", "announcement", "briefing", "military", "expiry", "meeting", "other"}
    for event in EVENTS:
        datetime.date.fromisoformat(event["date"])
        assert event["kind"] in kinds and set(event["topics"]) <= topic_slugs, event["slug"]
        assert all(re.fullmatch(r"[A-Z]{3}", code) for code in event["countries"]), event["slug"]
    assert {SUSPENSION, BRIEFING, EXPIRY} <= {event["slug"] for event in EVENTS}


# --- the real import chain ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_through_the_pipeline():
    from statements.ingest.pipeline import Reference, process
    from statements.ingest.sources import iter_articles

    actors = json.loads((FIXTURES / "reference" / "actors.json").read_text(encoding="utf-8"))
    reference = Reference.from_dicts(actors["countries"], actors["organisations"], TOPICS, EVENTS)
    processed = {}
    for raw in iter_articles([str(FIXTURES / TASS_FILE), str(FIXTURES / RT_FILE)]):
        processed[raw.external_id] = process(raw, reference)
    return processed


def test_the_import_chain_tags_every_seed_quote_like_the_hand_labels(seeds_through_the_pipeline):
    tagged = {name: result.quotes for name, result in seeds_through_the_pipeline.items()}
    for file_name, rows in ORACLE.items():
        for prefix, _speaker_name, _topics, events, said_on in rows:
            quote = by_prefix(tagged[file_name], prefix)
            assert quote.said_on == said_on, prefix
            assert {slug for slug, _ in quote.events} == events, prefix
    scores = oracle_scores(tagged)
    # As the seeds were tagged before the topic model (59 of 61 tags right, 59 of 64 labels
    # found), or better: the model must not cost them a tag ("threats to Russia's military and
    # citizens" is the safety of personnel, not defence).
    assert scores["topics"][0] >= 59 / 61 and scores["topics"][1] >= 59 / 64
    assert all(result.candidate_events == [] for result in seeds_through_the_pipeline.values())


def test_a_written_year_without_a_published_date_proposes_nothing():
    text = "On September 9, 2016, Kerry and Lavrov agreed a ceasefire for Syria in Geneva."
    _, candidates = tag(text, None, [], TaggingRules.from_reference(TOPICS, []))
    assert candidates == []


def test_the_next_paragraph_saying_what_the_statement_answered_links_it():
    # RT: the Ministry of Defense's condition is followed by "The statement came in response to
    # comments made by ... at a press briefing on Wednesday." No keyword names the briefing.
    text = (
        "It stressed, however, that this is only possible if Washington abstains from "
        "\u201cany hints of threats to Russia's military and citizens.\u201d\n\n"
        "The statement came in response to comments made by US State Department spokesperson John Kirby "
        "at a press briefing on Wednesday."
    )
    quoted = "any hints of threats to Russia's military and citizens."
    briefing = make_event(date="2016-09-28", keywords=["unrelated words"], topics=[SAFETY])
    (quote,), _ = tag(
        text,
        RT_DAY,
        [(quoted, "Russian Ministry of Defense")],
        TaggingRules.from_reference(TOPICS, [briefing]),
    )
    assert [slug for slug, _ in quote.events] == ["test-event"]
    (unanswered,), _ = tag(
        text.split("\n\n")[0],
        RT_DAY,
        [(quoted, "Russian Ministry of Defense")],
        TaggingRules.from_reference(TOPICS, [briefing]),
    )
    assert unanswered.events == []


def test_a_candidate_title_drops_the_dateline_and_reported_plans_are_not_proposed():
    text = (
        "GENEVA (Reuters) - Russia and the US agreed on Friday a truce for Aleppo in Syria.\n\n"
        "Lavrov said talks on the Syria ceasefire would resume on Saturday."
    )
    _, candidates = tag(text, RT_DAY, [], TaggingRules.from_reference(TOPICS, []))
    assert [(c.date, c.title) for c in candidates] == [
        (datetime.date(2016, 9, 23), "Russia and the US agreed on Friday a truce for Aleppo in Syria")
    ]


def test_co_mentions_count_only_next_to_the_quote():
    far = (
        "Russia and the US resumed their talks on grain last month. Oil was flat. Wheat fell. "
        '"Volumes were thin all day," a trader said.'
    )
    near = 'Russia and the US resumed their talks on grain last month. "Volumes were thin all day," a trader said.'
    (distant,), _ = tag(far, TASS_DAY, [("Volumes were thin all day,", None)])
    (adjacent,), _ = tag(near, TASS_DAY, [("Volumes were thin all day,", None)])
    assert RELATIONS not in distant.topics and RELATIONS in adjacent.topics
