"""One speaker record per person across articles, and merging the records an import split.

The articles are written for the test, in wire style."""

import io
import json

from django.core.management import call_command

from statements.models import Quote, Speaker, SpeakerNameKey


def write_articles(tmp_path, *bodies, name="wire.jsonl"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as out:
        for number, body in enumerate(bodies, 1):
            out.write(
                json.dumps(
                    {
                        "id": f"{name}-{number}",
                        "title": f"Story {number}",
                        "published": f"2010-05-{number:02d}",
                        "source": "Reuters",
                        "text": body,
                    }
                )
                + "\n"
            )
    return path


def run_import(path):
    call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def names():
    return sorted(Speaker.objects.values_list("name", flat=True))


OBAMA_FULL = (
    # (no reported statement here: the counts below are of these quotations)
    "WASHINGTON (Reuters) - U.S. President Barack Obama spoke to reporters on Monday.\n\n"
    '"We have the votes we need for this," Obama told reporters at the White House.'
)
OBAMA_SURNAME = (
    'CHICAGO (Reuters) - "The economy is healing slowly but it is healing," Obama said on Tuesday.'
)
OBAMA_TITLE = 'BOSTON (Reuters) - "We will not stop until the job is done," President Obama said at a rally.'


def test_a_surname_alone_joins_the_one_person_the_archive_knows_by_it(db, tmp_path):
    run_import(write_articles(tmp_path, OBAMA_FULL, OBAMA_SURNAME, OBAMA_TITLE))
    [obama] = Speaker.objects.all()
    # the latest article's role ("President Obama"); the country from the one that gave it
    assert (obama.name, obama.role, obama.country.code) == ("Barack Obama", "President", "USA")
    assert obama.quote_count == 3
    assert "Obama" in obama.aliases


def test_a_surname_two_people_share_stays_apart(db, tmp_path):
    run_import(
        write_articles(
            tmp_path,
            "MOSCOW (Reuters) - President Dmitry Medvedev said the talks had gone well.\n\n"
            '"We have agreed on the main points," Medvedev said.',
            "MOSCOW (Reuters) - Gazprom deputy chief Alexander Medvedev said prices would rise.\n\n"
            '"Prices will go up next quarter," Medvedev said.',
            'MOSCOW (Reuters) - "Nobody expected it to go this fast," Medvedev said on Friday.',
        )
    )
    assert names() == ["Alexander Medvedev", "Dmitry Medvedev", "Medvedev"]


def test_another_spelling_of_the_given_name_is_the_same_person(db, tmp_path):
    run_import(
        write_articles(
            tmp_path,
            'MOSCOW (Reuters) - "The sanctions will not work," Russian Foreign Minister Sergei Lavrov said.',
            'MOSCOW (Reuters) - "We see no reason for it at all," Russian Foreign Minister Sergey Lavrov said.',
        )
    )
    [lavrov] = Speaker.objects.all()
    assert lavrov.name == "Sergei Lavrov" and "Sergey Lavrov" in lavrov.aliases
    assert lavrov.country.code == "RUS"


def test_an_international_official_keeps_no_country_from_an_earlier_article(db, tmp_path):
    run_import(
        write_articles(
            tmp_path,
            'PARIS (Reuters) - "Growth will pick up," French Finance Minister Christine Lagarde said.',
            'WASHINGTON (Reuters) - "The recovery is fragile," IMF Managing Director Christine Lagarde said.',
        )
    )
    [lagarde] = Speaker.objects.all()
    assert lagarde.organisation.name == "International Monetary Fund"
    assert lagarde.country is None


def test_merge_duplicate_speakers_joins_what_an_import_split_and_the_next_import_keeps_it(db, tmp_path):
    # as an older importer left them: one person under three records, and a different Medvedev
    barack = Speaker.objects.create(name="Barack Obama", slug="barack-obama", quote_count=5)
    surname = Speaker.objects.create(name="Obama", slug="obama", quote_count=2)
    titled = Speaker.objects.create(name="Echoing Barack Obama", slug="echoing-barack-obama", quote_count=1)
    variant = Speaker.objects.create(name="Dmitri Medvedev", slug="dmitri-medvedev", quote_count=1)
    dmitry = Speaker.objects.create(name="Dmitry Medvedev", slug="dmitry-medvedev", quote_count=4)
    alexander = Speaker.objects.create(name="Alexander Medvedev", slug="alexander-medvedev", quote_count=3)
    curated = Speaker.objects.create(name="Merkel", slug="merkel", quote_count=1, curated=True)
    # a surname with a particle is not a full name inside the longer one
    Speaker.objects.create(name="del Missier", slug="del-missier", quote_count=2)
    Speaker.objects.create(name="Jerry del Missier", slug="jerry-del-missier", quote_count=1)
    Speaker.objects.create(name="Angela Merkel", slug="angela-merkel", quote_count=9)

    out = io.StringIO()
    call_command("merge_duplicate_speakers", "--dry-run", stdout=out)
    assert "Barack Obama <- Obama (2); Echoing Barack Obama (1)" in out.getvalue()
    assert Speaker.objects.count() == 10  # a dry run changes nothing

    call_command("merge_duplicate_speakers", stdout=io.StringIO())
    assert names() == [
        "Alexander Medvedev",
        "Angela Merkel",
        "Barack Obama",
        "Dmitry Medvedev",
        "Jerry del Missier",
        "Merkel",
        "del Missier",
    ]
    barack.refresh_from_db()
    assert {"Obama", "Echoing Barack Obama"} <= set(barack.aliases) and not barack.curated
    assert "Dmitri Medvedev" in Speaker.objects.get(pk=dmitry.pk).aliases
    assert not Speaker.objects.filter(pk__in=[surname.pk, titled.pk, variant.pk]).exists()
    assert Speaker.objects.filter(pk__in=[alexander.pk, curated.pk]).count() == 2

    run_import(write_articles(tmp_path, OBAMA_SURNAME))
    assert Quote.objects.get().speaker == barack


def test_exports_carry_the_speaker_slug_that_its_page_uses(db, tmp_path, client):
    import csv

    run_import(write_articles(tmp_path, OBAMA_FULL, OBAMA_SURNAME))
    out = io.StringIO()
    call_command("export_quotes", "--format", "jsonl", stdout=out)
    speakers = [json.loads(line)["speaker"] for line in out.getvalue().splitlines()]
    assert [s["slug"] for s in speakers] == ["barack-obama", "barack-obama"]
    assert client.get(f"/speakers/{speakers[0]['slug']}/").status_code == 200

    out = io.StringIO()
    call_command("export_quotes", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    # columns added later go after it: every column keeps its position
    slug = rows[0].index("speaker_slug")
    assert slug == 21 and rows[0][:3] == ["id", "url", "article_id"]
    assert {row[slug] for row in rows[1:]} == {"barack-obama"}


def test_a_surname_record_made_before_the_full_name_joins_it_when_the_full_name_comes(db, tmp_path):
    run_import(write_articles(tmp_path, OBAMA_SURNAME, name="first.jsonl"))
    assert names() == ["Obama"]
    run_import(write_articles(tmp_path, OBAMA_FULL, name="second.jsonl"))
    [obama] = Speaker.objects.all()
    assert obama.name == "Barack Obama" and obama.quote_count == 2 and "Obama" in obama.aliases


def test_a_short_given_name_and_a_surname_with_a_particle_find_the_full_record(db, tmp_path):
    run_import(
        write_articles(
            tmp_path,
            'WASHINGTON (Reuters) - "Banks must hold more capital," Treasury Secretary Timothy Geithner said.',
            'WASHINGTON (Reuters) - "We are not there yet," Treasury Secretary Tim Geithner said on Monday.',
            'BRUSSELS (Reuters) - "The union stands together," European Council President Herman Van Rompuy said.',
            'BRUSSELS (Reuters) - "There is no plan B for the euro zone," Van Rompuy told reporters.',
        )
    )
    assert names() == ["Herman Van Rompuy", "Timothy Geithner"]


def test_a_surname_record_and_its_full_name_in_one_import_end_as_one_record(db, tmp_path):
    # the batch creates the surname's record and then the full name's: neither is in the
    # database yet when the full name comes, and the quotes queued for the first move to it
    run_import(write_articles(tmp_path, OBAMA_SURNAME, OBAMA_FULL))
    [obama] = Speaker.objects.all()
    assert obama.name == "Barack Obama" and obama.quote_count == 2 and "Obama" in obama.aliases
    assert set(Quote.objects.values_list("speaker__slug", flat=True)) == {"barack-obama"}
    # found by name: the keys of the surname's record, never inserted, are not left pointing nowhere
    assert list(SpeakerNameKey.objects.filter(key="obama").values_list("speaker", flat=True)) == [obama.pk]


def test_a_surname_record_and_its_full_name_in_one_article_end_as_one_record(db, tmp_path):
    run_import(write_articles(tmp_path, OBAMA_SURNAME, name="first.jsonl"))
    run_import(
        write_articles(
            tmp_path,
            'NEW YORK (Reuters) - "Costs keep rising for all of us," Obama said.\n\n'
            '"Nothing is settled yet," said U.S. President Barack Obama, speaking later.',
            name="second.jsonl",
        )
    )
    [obama] = Speaker.objects.all()
    assert obama.name == "Barack Obama" and obama.quote_count == 3


def test_a_shorter_form_of_a_known_full_name_and_an_ambiguous_surname_with_the_right_body(db, tmp_path):
    run_import(
        write_articles(
            tmp_path,
            'BRUSSELS (Reuters) - "We stand ready," European Commission President Jose Manuel Barroso said.',
            'BRUSSELS (Reuters) - "Nothing changes," European Commission President Manuel Barroso said.',
            'TOKYO (Reuters) - "Prices are stable," Bank of Japan Governor Masaaki Shirakawa said.',
            'TOKYO (Reuters) - "Sales will rise," said Hiromichi Shirakawa, an analyst at Example Securities.',
            'TOKYO (Reuters) - "We will ease if needed," Bank of Japan Governor Shirakawa said.',
        )
    )
    assert names() == ["Hiromichi Shirakawa", "Jose Manuel Barroso", "Masaaki Shirakawa"]
    assert Speaker.objects.get(name="Masaaki Shirakawa").quote_count == 2
