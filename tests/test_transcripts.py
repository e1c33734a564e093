"""Primary sources read by their shape (statements/ingest/transcripts.py), on strings and on real
White House documents (tests/data/briefings/, public domain)."""

import datetime
import json
from pathlib import Path

import pytest

from statements.ingest import pipeline, sources, transcripts
from statements.ingest.records import RawArticle

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "fixtures" / "reference"
BRIEFINGS = ROOT / "tests" / "data" / "briefings"
GAGGLE = "2024-07-11-on-the-record-press-gaggle-by-apnsa-jake-sullivan.md"
CALL = (
    "2022-06-29-on-the-record-press-call-by-nsc-coordinator-for-strategic-communications-john-kirby"
    "-and-assistant-secretary-for-defense-celeste-wallander.md"
)


@pytest.fixture(scope="module")
def reference():
    actors = json.loads((REFERENCE / "actors.json").read_text())
    return pipeline.Reference.from_dicts(
        actors["countries"],
        actors["organisations"],
        json.loads((REFERENCE / "topics.json").read_text()),
        json.loads((REFERENCE / "events.json").read_text()),
        json.loads((REFERENCE / "office_holders.json").read_text()),
    )


def process(
    reference, text, title="", published="2023-02-10", url="https://www.whitehouse.gov/briefing-room/x/"
):
    raw = RawArticle(
        external_id="doc.txt",
        text=text,
        origin="doc.txt",
        title=title,
        published=datetime.date.fromisoformat(published) if published else None,
        url=url,
    )
    return pipeline.process(raw, reference)


def said(processed):
    """[(speaker name or None, words)] in reading order."""
    return [(q.speaker.name if q.speaker else None, q.span.text) for q in processed.quotes]


BRIEFING = """James S. Brady Press Briefing Room

2:14 P.M. EST

MS. JEAN-PIERRE: Good afternoon, everybody. With that, my colleague, John Kirby, from the NSC is going
to come up and share some words and take some questions.

MR. KIRBY: Thanks, Karine.

Brazil is a key partner of the United States in a region that is also a critically important region.
(Laughter.)

Q Thanks, John. Was the object over Alaska a balloon, and who did it belong to?

MR. KIRBY: We don't know yet what it was, and we are not going to speculate about it here today.

Q And the second one?

MR. SULLIAN: I would just add that the President was briefed on the object on Thursday evening.

2:45 P.M. EST
"""
TITLE = (
    "Press Briefing by Press Secretary Karine Jean-Pierre and National Security Council Coordinator for"
    " Strategic Communications John Kirby, February 10, 2023"
)


def test_each_turn_is_its_speakers_statement_resolved_to_the_full_name_from_the_title(reference):
    processed = process(reference, BRIEFING, TITLE)
    assert processed.article.kind == "transcript"
    speakers = [name for name, _ in said(processed)]
    assert speakers[:3] == ["Karine Jean-Pierre", "John Kirby", "John Kirby"]
    kirby = processed.quotes[1].speaker
    assert kirby.role == "National Security Council Coordinator for Strategic Communications"
    assert (kirby.organisation, kirby.country) == ("US National Security Council", "USA")


def test_statements_are_paragraph_sized_and_point_into_the_stored_text(reference):
    processed = process(reference, BRIEFING, TITLE)
    text = processed.article.text
    for quote in processed.quotes:
        assert quote.span.kind == "turn"
        assert text[quote.span.start : quote.span.end].split() == quote.span.text.split()
    # "Thanks, Karine." is too short to cite alone: it joins the paragraph after it, without the
    # stage direction at its end and without the label before it
    thanks = processed.quotes[1]
    assert thanks.span.text.startswith("Thanks, Karine. Brazil is a key partner")
    assert thanks.span.text.endswith("critically important region.")
    assert "(Laughter.)" not in thanks.span.text
    assert not text[thanks.span.start :].startswith("MR. KIRBY")


def test_a_question_is_never_a_statement_and_the_answer_keeps_it(reference):
    processed = process(reference, BRIEFING, TITLE)
    assert not any("belong to" in words for _, words in said(processed))
    answer = next(q for q in processed.quotes if q.span.text.startswith("We don't know yet"))
    assert answer.question == "Thanks, John. Was the object over Alaska a balloon, and who did it belong to?"
    # opening remarks answer nothing
    assert processed.quotes[0].question == ""


def test_a_misspelt_label_is_the_participant_it_obviously_is(reference):
    text = (
        BRIEFING.replace("MR. SULLIAN:", "MR. SULLIAN:")
        + "\n\nMR. SULLIVAN: Thank you all very much for coming out today.\n"
    )
    title = "Press Gaggle by Press Secretary Karine Jean-Pierre and National Security Advisor Jake Sullivan"
    processed = process(reference, text, title)
    briefed = next(q for q in processed.quotes if "was briefed" in q.span.text)
    assert briefed.speaker.name == "Jake Sullivan"


def test_the_president_is_the_office_holder_of_the_documents_date(reference):
    remarks = "THE PRESIDENT: Thank you all for being here, and for everything you do for this country.\n"
    title = "Remarks by the President at a Reception"
    assert said(process(reference, remarks, title, published="2023-05-01"))[0][0] == "Joe Biden"
    assert said(process(reference, remarks, title, published="2019-05-01"))[0][0] == "Donald Trump"
    vice = (
        "THE VICE PRESIDENT: We are here today to talk about what the administration has done for families.\n"
    )
    assert said(process(reference, vice, title, published="2022-03-01"))[0][0] == "Kamala Harris"


def test_unnamed_labels_stay_unnamed_and_stage_directions_are_dropped(reference):
    text = (
        "MODERATOR: Thank you, everyone, for joining the call this afternoon on background.\n\n"
        "SENIOR ADMINISTRATION OFFICIAL: Thanks. (Laughs.) We have been working on this for months now.\n\n"
        "(Cross-talk.)\n"
    )
    processed = process(reference, text, "Background Press Call on the Summit")
    moderator, official = processed.quotes
    assert moderator.speaker.is_unnamed and moderator.speaker.name == "the moderator"
    assert official.speaker.is_unnamed and official.speaker.name == "the senior administration official"
    assert official.span.text == "Thanks. We have been working on this for months now."
    assert len(processed.quotes) == 2  # "(Cross-talk.)" says nothing


def test_the_host_introduces_a_speaker_the_title_does_not_name(reference):
    text = (
        "MS. JEAN-PIERRE: Please join me in welcoming to the podium Admiral John Kirby, who will take questions.\n\n"
        "ADMIRAL KIRBY: Thank you, Karine. The United States will continue to support Ukraine.\n"
    )
    processed = process(reference, text, "Press Briefing by Press Secretary Karine Jean-Pierre")
    assert said(processed)[1][0] == "John Kirby"


def test_a_surname_nobody_gives_in_full_is_kept_for_earlier_documents_to_resolve(reference):
    text = "MR. PRICE: Good afternoon. The Secretary will travel to the region next week for talks.\n"
    mention = process(reference, text, "Department Press Briefing").quotes[0].speaker
    assert (mention.name, mention.is_unnamed) == ("Price", False)


def test_a_statement_is_the_statement_of_the_person_in_its_title(reference):
    text = "The United States condemns this attack.\n\nWe will support our partners in the region.\n\n\\###\n"
    processed = process(reference, text, "Statement by National Security Advisor Jake Sullivan on Iraq")
    assert processed.article.kind == "statement"
    assert said(processed) == [
        ("Jake Sullivan", "The United States condemns this attack."),
        ("Jake Sullivan", "We will support our partners in the region."),
    ]


def test_a_readout_is_the_issuing_office_speaking_as_a_body(reference):
    text = "President Biden spoke with Chancellor Scholz today about the crisis on the borders of Ukraine.\n"
    processed = process(reference, text, "Readout of President Biden's Call with Chancellor Scholz")
    assert processed.article.kind == "readout"
    speaker = processed.quotes[0].speaker
    assert (speaker.name, speaker.is_organisation, speaker.country) == ("White House", True, "USA")
    assert processed.article.source == "White House"


def test_news_stays_news(reference):
    text = '"We will respond," Kremlin spokesman Dmitry Peskov told reporters on Monday in Moscow.\n'
    processed = process(reference, text, "Kremlin says it will respond", url="https://tass.com/politics/1")
    assert processed.article.kind == "news"
    (quote,) = processed.quotes
    assert quote.speaker.name == "Dmitry Peskov" and quote.span.kind != "turn"


def test_a_headline_about_a_news_conference_is_a_news_report(reference):
    # a real Reuters headline shape: the kind comes from what a title starts with
    text = '"We will respond," Russian President Vladimir Putin told a news conference in Moscow.\n'
    processed = process(reference, text, "Putin chides Turkey and praises Trump at news conference", url="")
    assert processed.article.kind == "news"


def test_a_transcript_is_recognised_by_its_labels_when_its_title_says_nothing(reference):
    text = (
        "MR. KIRBY: Good morning. I have a few things to talk about at the top today.\n\n"
        "Q Can you tell us more about the drone that was shot down over the Black Sea?\n\n"
        "MR. KIRBY: Not much more than what the Pentagon already said this morning, I'm afraid.\n\n"
        "MR. KIRBY: Okay, thanks everybody, and have a great weekend, all of you.\n"
    )
    assert process(reference, text, "Friday, March 17").article.kind == "transcript"


@pytest.mark.parametrize(
    ("title", "people"),
    [
        (
            TITLE,
            [
                ("Karine Jean-Pierre", "Press Secretary"),
                ("John Kirby", "National Security Council Coordinator for Strategic Communications"),
            ],
        ),
        ("On-the-Record Press Gaggle by APNSA Jake Sullivan", [("Jake Sullivan", "APNSA")]),
        (
            "Statement from President Joseph R. Biden, Jr. on the Day of Remembrance",
            [("Joseph R. Biden", "President")],
        ),
        (
            "Remarks by President Biden and President Zelenskyy of Ukraine in Joint Press Conference",
            [("Biden", "President"), ("Zelenskyy", "President of Ukraine")],
        ),
        (
            "Press Briefing by Press Secretary Karine Jean-Pierre and Homeland Security Advisor Dr. Elizabeth"
            " Sherwood-Randall",
            [
                ("Karine Jean-Pierre", "Press Secretary"),
                ("Elizabeth Sherwood-Randall", "Homeland Security Advisor"),
            ],
        ),
        ("Joint Statement from India and the United States", []),
    ],
)
def test_the_people_a_title_names(title, people):
    assert [(p.name, p.role) for p in transcripts.title_participants(title)] == people


# --- real documents ------------------------------------------------------------------------------


def read(name):
    (raw,) = sources.iter_articles([BRIEFINGS / name])
    return raw


def test_a_real_gaggle_gives_every_answer_to_sullivan_even_without_the_labels_period(reference):
    raw = read(GAGGLE)
    assert "MR SULLIVAN:" in raw.text
    processed = pipeline.process(raw, reference)
    named = {q.speaker.name for q in processed.quotes if q.speaker and not q.speaker.is_unnamed}
    assert named == {"Jake Sullivan"}
    unnamed = {q.speaker.name for q in processed.quotes if q.speaker and q.speaker.is_unnamed}
    assert unnamed == {"the moderator", "the aide"}
    position = next(q for q in processed.quotes if q.span.text.startswith("We’ve made our position clear"))
    assert position.question  # the reporter's question it answers


def test_a_real_call_keeps_the_moderator_unnamed_and_finds_wallander(reference):
    processed = pipeline.process(read(CALL), reference)
    names = {q.speaker.name for q in processed.quotes if q.speaker}
    assert names == {"John Kirby", "Celeste Wallander", "the moderator"}
    assert all(q.speaker.is_unnamed for q in processed.quotes if q.speaker.name == "the moderator")


def test_a_real_statement_by_the_vice_president_is_kamala_harris(reference):
    processed = pipeline.process(
        read("2023-11-21-statement-by-vice-president-harris-on-the-hostage-release-in-gaza.md"), reference
    )
    assert processed.article.kind == "statement"
    assert {q.speaker.name for q in processed.quotes} == {"Kamala Harris"}


def test_what_a_readout_says_each_side_said_is_their_reported_statement(reference):
    text = (
        "President Joseph R. Biden, Jr. spoke today with Chancellor Olaf Scholz of Germany about Ukraine. "
        "President Biden emphasized that the United States will continue to support Ukraine for as long as it takes.\n"
    )
    processed = process(
        reference, text, "Readout of President Biden's Call with Chancellor Scholz", "2022-06-26"
    )
    office, reported = processed.quotes
    assert (office.span.kind, office.speaker.name) == ("turn", "White House")
    assert reported.span.kind == "indirect"
    assert reported.speaker.name == "Joe Biden"  # the office holder, whichever way the readout names him
    assert reported.span.text.startswith("the United States will continue to support Ukraine")
