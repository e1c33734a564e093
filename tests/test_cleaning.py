import datetime
from pathlib import Path

from statements.ingest.cleaning import parse_article
from statements.ingest.records import RawArticle

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TASS = "000_6de1334cdd6cb548.txt"
RT = "003_a0bf8ad288c97066.txt"


def parse(text, **metadata):
    return parse_article(RawArticle(external_id="x", text=text, origin="test", **metadata))


def parse_fixture(name, **metadata):
    return parse_article(
        RawArticle(
            external_id=name, text=(FIXTURES / name).read_text(encoding="utf-8"), origin=name, **metadata
        )
    )


def test_title_is_the_first_line_after_site_boilerplate():
    article = parse_fixture(TASS)
    assert article.title == "Contacts between Russian, US military on Syria to continue — Kremlin"
    assert "All news" not in article.text
    assert not article.text.startswith("Contacts between Russian, US military")


def test_standfirst_and_dateline_sentence_stay_in_the_body():
    article = parse_fixture(TASS)
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("According to Kremlin spokesman Dmitry Peskov, Russia will continue")
    assert paragraphs[1].startswith("ASTANA, October 4./TASS/. Contacts between Russian and US military")


def test_dateline_gives_place_and_source_but_no_year_so_the_date_is_flagged():
    article = parse_fixture(TASS)
    assert article.dateline == "Astana"
    assert article.source == "TASS"
    assert article.published is None
    assert any("no year" in reason for reason in article.review_reasons)


def test_dateline_without_a_year_defers_to_metadata():
    article = parse_fixture(TASS, published=datetime.date(2016, 10, 4))
    assert article.published == datetime.date(2016, 10, 4)
    assert not article.published_inferred
    assert article.review_reasons == []


def test_dateline_with_a_year_dates_the_article():
    article = parse("Storm hits coast\n\nASTANA, October 4, 2016 /TASS/. The storm hit the coast on Tuesday.")
    assert article.published == datetime.date(2016, 10, 4)
    assert article.published_inferred
    assert article.dateline == "Astana"


def test_date_line_dates_the_article_and_leaves_the_body():
    article = parse_fixture(RT)
    assert (
        article.title
        == "Russian MoD: We're ready for Syria dialogue with US, but threats against our military unacceptable"
    )
    assert article.published == datetime.date(2016, 9, 29)
    assert article.published_inferred
    assert "29/09/2016" not in article.text
    assert article.text.startswith("Russia is fully ready to continue the dialogue with the US")


def test_ambiguous_numeric_date_is_flagged_not_guessed():
    article = parse("A title\n\n04/05/2016\n\nSomething happened.")
    assert article.published is None
    assert any("ambiguous" in reason for reason in article.review_reasons)


def test_read_more_lines_linked_headlines_and_trailing_rule_are_removed():
    text = parse_fixture(RT).text
    assert "Read more" not in text
    assert "body bags’: US warns Moscow" not in text
    assert "US State Dept" not in text
    assert not text.rstrip().endswith("---")


def test_link_markup_keeps_its_text_and_emphasis_marks_go():
    text = parse_fixture(RT).text
    assert "Maria Zakharova, hit back at the US official’s statement" in text
    assert "(#)" not in text and "*" not in text


def test_escaped_brackets_are_unescaped():
    article = parse("Title\n\nHe said the troops \\[from Syria\\] were home.")
    assert article.text == "He said the troops [from Syria] were home."


def test_non_breaking_spaces_become_spaces():
    text = parse_fixture(TASS).text
    assert "\u00a0" not in text
    assert "the chief of the US Department of State press service, John Kirby," in text


def test_paragraphs_broken_mid_quotation_and_mid_sentence_are_rejoined():
    text = parse_fixture(RT).text
    assert "Igor Konashenkov said: “Once again we declare that we are fully prepared" in text
    assert "in order to restore the truce in Syria" in text


def test_headings_are_not_joined_to_the_next_paragraph():
    text = parse_fixture(TASS).text
    assert "\n\nRussia to keep assisting Syrian army\n\nAccording to the spokesman" in text


def test_hard_wrapped_plain_text_is_joined_and_its_paragraphs_kept():
    raw = (
        "LONDON  (Reuters) - The minister said on \nFriday that talks would resume. \n\n"
        '  "We are ready," he told \nreporters.  Markets rose.'
    )
    article = parse(raw, title="Talks to resume")
    assert article.text == (
        "LONDON (Reuters) - The minister said on Friday that talks would resume.\n\n"
        '"We are ready," he told reporters. Markets rose.'
    )
    assert article.dateline == "London"
    assert article.source == "Reuters"


def test_plain_text_with_doubled_apostrophes_is_left_intact():
    raw = "Senator wins vote\n\n''We finally won,'' the senator said on Tuesday.\n\nThe vote was close."
    article = parse(raw, title="Senator wins vote", published=datetime.date(2016, 3, 1))
    assert article.text == "''We finally won,'' the senator said on Tuesday.\n\nThe vote was close."


def test_inline_tags_are_removed_with_their_attributes():
    raw = 'Title\n\n<tweet id="1" author="@someone">We will win</tweet>\n\nMore text.'
    assert parse(raw).text == "We will win\n\nMore text."


def test_windows_line_endings_are_normalised():
    assert parse("Title\r\n\r\nOne line.\r\n\r\nTwo.").text == "One line.\n\nTwo."


def test_empty_text_does_not_crash():
    article = parse("")
    assert article.text == ""
    assert article.review_reasons


def test_a_text_without_a_headline_keeps_its_first_paragraph():
    prose = "The minister said on Friday that talks would resume next week. " * 6
    article = parse(prose.strip() + "\n\nSecond paragraph.")
    assert article.text.startswith("The minister said on Friday")
    assert article.title.startswith("The minister said on Friday") and len(article.title) <= 301


def test_asterisks_inside_a_word_are_not_emphasis():
    article = parse("Title\n\nThe poster read *\u201cWe are called c**ks\u201d* in red.")
    assert article.text == "The poster read \u201cWe are called c**ks\u201d in red."
