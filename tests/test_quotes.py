from pathlib import Path

from statements.ingest.cleaning import parse_article
from statements.ingest.quotes import find_quotes
from statements.ingest.records import RawArticle

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_text(name):
    raw = RawArticle(external_id=name, text=(FIXTURES / name).read_text(encoding="utf-8"), origin=name)
    return parse_article(raw).text


def quoted(text):
    return [span.text for span in find_quotes(text)]


def test_offsets_point_at_the_quoted_words_in_both_seeds():
    for name in ("000_6de1334cdd6cb548.txt", "003_a0bf8ad288c97066.txt"):
        text = fixture_text(name)
        spans = find_quotes(text)
        assert spans
        for span in spans:
            assert text[span.start : span.end] == span.text
            assert span.text == span.text.strip()


def test_straight_quotes_with_a_stray_space_before_the_closing_mark():
    text = (
        '"So far, I would not exaggerate things so much. However, it is clear that we perceive the US '
        'withdrawal from the dialogue on the cessation of offensive operations in Syria with regret, " Peskov said.'
    )
    assert quoted(text) == [
        "So far, I would not exaggerate things so much. However, it is clear that we perceive the US withdrawal "
        "from the dialogue on the cessation of offensive operations in Syria with regret,"
    ]


def test_split_quote_gives_two_spans():
    text = (
        '"So far, I would not exaggerate things so much," Peskov said. "We would like to hope for presence '
        'of common sense."'
    )
    assert quoted(text) == [
        "So far, I would not exaggerate things so much,",
        "We would like to hope for presence of common sense.",
    ]


def test_curly_quotes_after_a_colon_are_direct():
    text = (
        "Russian Ministry of Defense spokesman Major-General Igor Konashenkov said: “Once again we declare "
        "that we are fully prepared to continue the dialogue.”"
    )
    [span] = find_quotes(text)
    assert span.text == "Once again we declare that we are fully prepared to continue the dialogue."
    assert span.kind == "direct"


def test_partial_quote_inside_reported_speech():
    text = 'Russian Deputy Foreign Minister Sergey Ryabkov on Thursday said that this latest proposal remains "on the table."'
    [span] = find_quotes(text)
    assert span.text == "on the table."
    assert span.kind == "partial"


def test_doubled_apostrophes_mark_quotes_new_york_times_style():
    text = "''We finally won the vote we needed,'' the senator said. ''It's a good day.''"
    assert quoted(text) == ["We finally won the vote we needed,", "It's a good day."]


def test_single_quotes_nested_in_a_double_quote_stay_inside_it():
    text = fixture_text("003_a0bf8ad288c97066.txt")
    zakharova = [q for q in quoted(text) if q.startswith("Don’t you think")]
    assert zakharova == [
        "Don’t you think that such ventriloquism about ‘body bags,’ ‘terrorist attacks in Russian cities’ and "
        "‘loss of aircraft,’ sounds more like a ‘get ’em’ command, rather than a diplomatic comment?"
    ]


def test_apostrophes_and_single_quoted_scare_quotes_are_not_quotations():
    text = "Washington, which supports the so-called ‘moderate opposition’ in Syria, offered 48-hour 'breaks' in Russia's war."
    assert find_quotes(text) == []


def test_very_short_segments_are_not_quotations():
    text = 'Moscow has offered week-long ceasefires, which Russia regards as "unacceptable."'
    assert find_quotes(text) == []


def test_titles_are_not_quotations():
    text = 'The senator appeared on "Meet the Press" and quoted "The Art of the Deal" twice.'
    assert find_quotes(text) == []


def test_quote_over_several_paragraphs_is_one_span():
    text = (
        "The minister spoke for an hour.\n\n"
        "“We will not give up on the talks, whatever happens in the coming weeks.\n\n"
        "“Our position has not changed,” he said."
    )
    [span] = find_quotes(text)
    assert text[span.start :].startswith("We will not give up")
    assert text[: span.end].endswith("has not changed,")
    assert span.text == (
        "We will not give up on the talks, whatever happens in the coming weeks.\n\nOur position has not changed,"
    )


def test_a_quote_that_never_closes_is_dropped_and_unbalanced_input_does_not_crash():
    text = "He said “this is never closed.\n\nThe next paragraph is plain.\n\n”"
    assert find_quotes(text) == []
    for broken in ['"', "''", "“”", '" "', "“a", "a”", '""""', "'''", "“\n\n“"]:
        find_quotes(broken)


def test_mixed_curly_styles_pair_up():
    text = "The governor said “we will appeal the ruling next week, no matter what“ and left the room."
    assert quoted(text) == ["we will appeal the ruling next week, no matter what"]


def test_a_short_segment_followed_by_a_reporting_clause_is_speech():
    text = '"Out!" the crowd yelled. "Worried," Carson said. He was on "This Week," Carson said.'
    assert quoted(text) == ["Out!", "Worried,"]
