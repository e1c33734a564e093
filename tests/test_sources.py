import datetime
import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path

from statements.ingest.records import RawArticle, SourceProblem
from statements.ingest.sources import MAX_ARTICLE_CHARS, iter_articles

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

PESKOV = (
    "Contacts between Russian and US military will continue to avoid serious incidents in Syria, "
    "Kremlin spokesman Dmitry Peskov told reporters on Tuesday."
)
KIRBY = "The statement came in response to comments made by US State Department spokesperson John Kirby."


def read(*paths, **options):
    items = list(iter_articles([str(path) for path in paths], **options))
    articles = [item for item in items if isinstance(item, RawArticle)]
    problems = [item for item in items if isinstance(item, SourceProblem)]
    return articles, problems


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*items):
    return "".join(json.dumps(item) + "\n" for item in items)


# Paths: files, directories, globs


def test_a_directory_is_read_recursively_in_sorted_order(tmp_path):
    write(tmp_path / "b.txt", KIRBY)
    write(tmp_path / "a" / "z.txt", PESKOV)
    write(tmp_path / "a.txt", PESKOV + " One.")
    write(tmp_path / "c" / "d" / "e.txt", KIRBY + " Two.")
    articles, problems = read(tmp_path)
    assert problems == []
    assert [a.origin for a in articles] == [
        str(tmp_path / "a" / "z.txt"),  # by path component: directory "a" sorts before "a.txt"
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "c" / "d" / "e.txt"),
    ]


def test_a_text_file_is_one_article_named_by_its_file(tmp_path):
    path = write(tmp_path / "000_6de1334cdd6cb548.txt", PESKOV + "\n")
    [article], problems = read(path)
    assert problems == []
    assert article.external_id == "000_6de1334cdd6cb548.txt"
    assert article.origin == str(path)
    assert article.text == PESKOV + "\n"
    assert (article.title, article.published, article.source, article.url) == (None, None, None, None)


def test_a_glob_selects_files_and_a_missing_path_is_reported(tmp_path):
    write(tmp_path / "one.txt", PESKOV)
    write(tmp_path / "two.txt", KIRBY)
    write(tmp_path / "other.jsonl", jsonl({"id": "x", "text": KIRBY + " Again."}))
    articles, problems = read(tmp_path / "*.txt", tmp_path / "missing.txt", tmp_path / "none-*.txt")
    assert [a.external_id for a in articles] == ["one.txt", "two.txt"]
    assert [(p.origin, p.reason) for p in problems] == [
        (str(tmp_path / "missing.txt"), "no such file or directory"),
        (str(tmp_path / "none-*.txt"), "no files match this pattern"),
    ]


def test_a_file_reached_by_two_paths_is_read_once(tmp_path):
    path = write(tmp_path / "one.txt", PESKOV)
    articles, problems = read(tmp_path, path, tmp_path / "*.txt")
    assert [a.external_id for a in articles] == ["one.txt"]
    assert problems == []


def test_a_byte_order_mark_is_removed_and_line_endings_become_newlines(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfFirst paragraph.\r\n\r\nSecond paragraph.\rThird.")
    [article], _ = read(path)
    assert article.text == "First paragraph.\n\nSecond paragraph.\nThird."


# Front matter and manifests


def test_front_matter_gives_the_metadata_and_is_removed_from_the_text(tmp_path):
    path = write(
        tmp_path / "peskov.txt",
        "---\n"
        'title: "Contacts between Russian, US military on Syria to continue — Kremlin"\n'
        "published: 2016-10-04\n"
        "source: TASS\n"
        "url: https://example.org/peskov\n"
        "author: ignored, not a field we keep\n"
        "---\n" + PESKOV,
    )
    [article], problems = read(path)
    assert problems == []
    assert article.title == "Contacts between Russian, US military on Syria to continue — Kremlin"
    assert article.published == datetime.date(2016, 10, 4)
    assert article.source == "TASS"
    assert article.url == "https://example.org/peskov"
    assert article.text == PESKOV


def test_a_text_opening_with_a_rule_has_no_front_matter(tmp_path):
    text = "---\nRussia is fully ready to continue the dialogue with the US.\n---\nMore text."
    [article], problems = read(write(tmp_path / "rule.txt", text))
    assert problems == []
    assert article.text == text


def test_malformed_or_unclosed_front_matter_is_reported(tmp_path):
    write(tmp_path / "a_bad_line.txt", "---\nsource: TASS\nthis line is not a field\n---\n" + PESKOV)
    write(tmp_path / "b_unclosed.txt", "---\nsource: TASS\n" + PESKOV)
    write(tmp_path / "c_only_front_matter.txt", "---\nsource: TASS\n---\n\n")
    articles, problems = read(tmp_path)
    assert articles == []
    assert [(p.external_id, p.reason) for p in problems] == [
        ("a_bad_line.txt", "front matter line 3 is not 'key: value'"),
        ("b_unclosed.txt", "front matter is not closed by a '---' line"),
        ("c_only_front_matter.txt", "no article text after the front matter"),
    ]


def test_manifest_csv_gives_metadata_and_front_matter_wins(tmp_path):
    write(
        tmp_path / "manifest.csv",
        "file,title,published,source,url\n"
        "kirby.txt,Kirby on Syria,2016-09-28,State Department,\n"
        "peskov.txt,Peskov on contacts,2016-10-03,Kremlin,https://example.org/p\n",
    )
    write(tmp_path / "kirby.txt", KIRBY)
    write(tmp_path / "peskov.txt", "---\npublished: 2016-10-04\nsource: TASS\ntitle:\n---\n" + PESKOV)
    kirby, peskov = read(tmp_path)[0]
    assert (kirby.title, kirby.published, kirby.source, kirby.url) == (
        "Kirby on Syria",
        datetime.date(2016, 9, 28),
        "State Department",
        None,  # an empty cell is unknown
    )
    # The front matter's values win; its empty title leaves the manifest's.
    assert (peskov.title, peskov.published, peskov.source, peskov.url) == (
        "Peskov on contacts",
        datetime.date(2016, 10, 4),
        "TASS",
        "https://example.org/p",
    )


def test_manifest_json_as_a_list_or_a_mapping(tmp_path):
    write(tmp_path / "list" / "manifest.json", json.dumps([{"file": "a.txt", "source": "RT", "url": None}]))
    write(tmp_path / "list" / "a.txt", KIRBY)
    mapping = {"b.txt": {"source": "TASS", "published": "2016-10-04"}}
    write(tmp_path / "map" / "manifest.json", json.dumps(mapping))
    write(tmp_path / "map" / "b.txt", PESKOV)
    (a, b), problems = read(tmp_path)
    assert problems == []
    assert (a.external_id, a.source, a.url) == ("a.txt", "RT", None)
    assert (b.external_id, b.source, b.published) == ("b.txt", "TASS", datetime.date(2016, 10, 4))


def test_a_broken_manifest_is_reported_once_and_its_articles_still_import(tmp_path):
    write(tmp_path / "manifest.csv", "name,source\na.txt,RT\n")
    write(tmp_path / "a.txt", KIRBY)
    write(tmp_path / "b.txt", PESKOV)
    articles, problems = read(tmp_path)
    assert [(a.external_id, a.source) for a in articles] == [("a.txt", None), ("b.txt", None)]
    assert [(p.origin, p.reason) for p in problems] == [
        (str(tmp_path / "manifest.csv"), "manifest has no 'file' column")
    ]


# JSON Lines


def test_jsonl_gives_one_article_per_line_with_its_line_as_origin(tmp_path):
    path = write(
        tmp_path / "articles.jsonl",
        jsonl(
            {
                "id": "peskov",
                "title": "Kremlin on contacts",
                "published": "2016-10-04",
                "source": "TASS",
                "url": "https://example.org/p",
                "text": PESKOV,
            },
            {"id": 17, "title": None, "published": None, "source": None, "url": None, "text": KIRBY},
        )
        + "\n",  # a trailing blank line is not an article
    )
    (peskov, kirby), problems = read(path)
    assert problems == []
    assert peskov == RawArticle(
        external_id="peskov",
        text=PESKOV,
        origin=f"{path}:1",
        title="Kremlin on contacts",
        published=datetime.date(2016, 10, 4),
        source="TASS",
        url="https://example.org/p",
    )
    assert (kirby.external_id, kirby.origin, kirby.title, kirby.published) == ("17", f"{path}:2", None, None)


def test_bad_jsonl_lines_are_reported_and_the_good_ones_kept(tmp_path):
    path = write(
        tmp_path / "mixed.jsonl",
        '{"id": "a", "text": "Peskov said contacts continue."}\n'
        '{"id": "b", "text": \n'
        '["not", "an", "object"]\n'
        '{"text": "No id here."}\n'
        '{"id": "c"}\n'
        '{"id": "d", "text": 42}\n'
        '{"id": "e", "text": "   "}\n'
        '{"id": "f", "text": "Fine.", "title": ["x"]}\n'
        '{"id": "g", "text": 7}\n'
        '{"id": "h", "text": "Kirby said Russian lives will be lost."}\n'
        '{"id": "i", "text": "Half a pair: \\ud800."}\n',
    )
    articles, problems = read(path)
    assert [(a.external_id, a.origin) for a in articles] == [("a", f"{path}:1"), ("h", f"{path}:10")]
    assert [(p.origin.rsplit(":", 1)[1], p.external_id, p.reason) for p in problems] == [
        ("2", None, "line is not valid JSON (Expecting value at column 21)"),
        ("3", None, "line is not a JSON object"),
        ("4", None, 'line has no "id"'),
        ("5", "c", 'line has no "text"'),
        ("6", "d", '"text" is not a string'),
        ("7", "e", "empty text"),
        ("8", "f", '"title" is not a string'),
        ("9", "g", '"text" is not a string'),
        ("11", "i", '"text" contains an invalid unicode escape (a lone surrogate)'),
    ]


def test_a_jsonl_line_that_is_not_utf8_is_reported(tmp_path):
    latin1_line = '{"id": "a", "text": "caf\xe9"}\n'.encode("latin-1")
    path = write(tmp_path / "latin.jsonl", latin1_line + b'{"id": "b", "text": "ok"}\n')
    articles, problems = read(path)
    assert [a.external_id for a in articles] == ["b"]
    assert [(p.origin, p.reason) for p in problems] == [(f"{path}:1", "line is not UTF-8 text")]


def test_jsonl_gz_is_read(tmp_path):
    path = write(tmp_path / "articles.jsonl.gz", gzip.compress(jsonl({"id": "a", "text": PESKOV}).encode()))
    [article], problems = read(path)
    assert problems == []
    assert (article.external_id, article.origin, article.text) == ("a", f"{path}:1", PESKOV)


def test_a_truncated_gz_keeps_the_lines_read_before_the_damage(tmp_path):
    lines = jsonl(*({"id": f"n{number}", "text": f"{PESKOV} ({number})"} for number in range(200)))
    data = gzip.compress(lines.encode())
    path = write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])
    articles, problems = read(path)
    assert 0 < len(articles) < 200
    assert [a.external_id for a in articles] == [f"n{number}" for number in range(len(articles))]
    [problem] = problems
    assert problem.origin == str(path)
    assert problem.reason == (
        f"the compressed file is truncated after line {len(articles)}; the lines before it were read"
    )


def test_a_corrupt_gz_is_reported_after_what_was_read_before_it(tmp_path):
    # Digests compress badly, so the damage lies beyond what the first reads decompress.
    originals = [
        {"id": f"n{number}", "text": f"{PESKOV} {hashlib.sha512(str(number).encode()).hexdigest()}"}
        for number in range(2000)
    ]
    data = bytearray(gzip.compress(jsonl(*originals).encode()))
    middle = len(data) // 2
    data[middle : middle + 1000] = bytes(1000)
    path = write(tmp_path / "corrupt.jsonl.gz", bytes(data))
    articles, problems = read(path)
    assert articles[0] == RawArticle("n0", originals[0]["text"], f"{path}:1")
    assert problems[-1].origin == str(path)
    assert problems[-1].reason.startswith("corrupt")
    assert "after line" in problems[-1].reason


def test_a_gz_that_is_not_gzip_is_reported(tmp_path):
    path = write(tmp_path / "plain.jsonl.gz", jsonl({"id": "a", "text": PESKOV}))
    articles, [problem] = read(path)
    assert articles == []
    assert problem.reason.startswith("corrupt gzip data (Not a gzipped file")


def test_a_gzipped_text_file_is_reported(tmp_path):
    path = write(tmp_path / "article.txt.gz", gzip.compress(PESKOV.encode()))
    reason = "gzip-compressed file; only JSON Lines may be compressed (.jsonl.gz)"
    assert read(path) == ([], [SourceProblem(str(path), reason, "article.txt.gz")])


# Unreadable text files


def test_empty_binary_and_non_utf8_files_are_reported(tmp_path):
    write(tmp_path / "a_empty.txt", "")
    write(tmp_path / "b_blank.txt", " \n\t\n")
    write(tmp_path / "c_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "d_latin1.txt", "Le ministre a déclaré".encode("latin-1"))
    write(tmp_path / "e_utf16.txt", "Peskov said".encode("utf-16"))
    articles, problems = read(tmp_path)
    assert articles == []
    assert [(p.external_id, p.reason) for p in problems] == [
        ("a_empty.txt", "empty file"),
        ("b_blank.txt", "empty file"),
        ("c_binary.txt", "binary file, not text"),
        ("d_latin1.txt", "not UTF-8 text (byte 0xe9 at offset 15)"),
        ("e_utf16.txt", "UTF-16 text; save the file as UTF-8"),
    ]


def test_a_dangling_link_or_a_pipe_is_reported_not_read(tmp_path):
    (tmp_path / "a_link.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "b_pipe.txt")
    articles, problems = read(tmp_path)
    assert articles == []
    assert [(Path(p.origin).name, p.reason) for p in problems] == [
        ("a_link.txt", "not a regular file"),
        ("b_pipe.txt", "not a regular file"),
    ]


def test_a_binary_jsonl_file_is_reported_once(tmp_path):
    path = write(tmp_path / "data.jsonl", b"\x00\x01\x02\n" * 50)
    reason = "binary data, not JSON Lines; the rest of the file is skipped"
    assert read(path) == ([], [SourceProblem(f"{path}:1", reason)])


# Dates


def test_an_invalid_date_makes_the_article_a_problem_wherever_it_is_written(tmp_path):
    write(tmp_path / "manifest.csv", "file,title,published,source,url\nb.txt,,2016-13-45,,\n")
    write(tmp_path / "a.txt", "---\npublished: 2016-02-30\n---\n" + PESKOV)
    write(tmp_path / "b.txt", KIRBY)
    write(tmp_path / "c.txt", "---\npublished: 4 October 2016\n---\n" + PESKOV)
    write(
        tmp_path / "d.jsonl",
        jsonl(
            {"id": "d", "published": "2016-13-45", "text": KIRBY},
            {"id": "e", "published": 2016, "text": KIRBY},
        ),
    )
    articles, problems = read(tmp_path)
    assert articles == []
    assert [(p.external_id, p.reason) for p in problems] == [
        ("a.txt", "invalid published date '2016-02-30' in the front matter"),
        ("b.txt", "invalid published date '2016-13-45' in manifest.csv"),
        ("c.txt", "invalid published date '4 October 2016' in the front matter"),
        ("d", "invalid published date '2016-13-45'"),
        ("e", "invalid published date '2016'"),
    ]


# Size limit


def test_an_article_over_the_limit_is_reported(tmp_path):
    write(tmp_path / "a_huge.txt", "a" * (MAX_ARTICLE_CHARS + 1))
    write(tmp_path / "b_fits.txt", "a" * MAX_ARTICLE_CHARS)
    articles, problems = read(tmp_path)
    assert [a.external_id for a in articles] == ["b_fits.txt"]
    assert [(p.external_id, p.reason) for p in problems] == [
        (
            "a_huge.txt",
            f"article of {MAX_ARTICLE_CHARS + 1:,} characters is over the limit of {MAX_ARTICLE_CHARS:,}",
        ),
    ]


def test_an_overlong_jsonl_line_is_skipped_and_the_next_line_read(tmp_path):
    path = write(
        tmp_path / "long.jsonl",
        jsonl(
            {"id": "long", "text": "x" * 2000},
            {"id": "fits", "text": "x" * 100},
            {"id": "next", "text": PESKOV},
        ),
    )
    articles, problems = read(path, max_chars=150)
    assert [a.external_id for a in articles] == ["fits", "next"]
    assert [(p.origin, p.external_id, p.reason) for p in problems] == [
        (f"{path}:1", "long", "article of 2,000 characters is over the limit of 150")
    ]
    # A line far too long to be an article is skipped without being read whole.
    path = write(
        tmp_path / "longer.jsonl",
        jsonl({"id": "long", "text": "x" * 100_000}, {"id": "next", "text": PESKOV}),
    )
    articles, problems = read(path, max_chars=10)
    assert [a.external_id for a in articles] == []
    assert problems == [
        SourceProblem(f"{path}:1", "line is longer than the limit of 10 characters"),
        SourceProblem(f"{path}:2", f"article of {len(PESKOV)} characters is over the limit of 10", "next"),
    ]


# Duplicates


def test_a_duplicate_id_is_skipped_when_identical_and_reported_when_different(tmp_path):
    write(tmp_path / "a" / "peskov.txt", PESKOV)
    write(tmp_path / "b" / "peskov.txt", PESKOV)  # the same article again: silently skipped
    write(tmp_path / "c" / "peskov.txt", PESKOV + " He added nothing.")
    write(
        tmp_path / "d.jsonl",
        jsonl({"id": "k", "text": KIRBY}, {"id": "k", "text": KIRBY}, {"id": "k", "text": PESKOV}),
    )
    articles, problems = read(tmp_path)
    assert [a.origin for a in articles] == [str(tmp_path / "a" / "peskov.txt"), f"{tmp_path / 'd.jsonl'}:1"]
    assert [(p.origin, p.reason) for p in problems] == [
        (
            str(tmp_path / "c" / "peskov.txt"),
            f"duplicate id peskov.txt with different content (first seen at {tmp_path / 'a' / 'peskov.txt'})",
        ),
        (
            f"{tmp_path / 'd.jsonl'}:3",
            f"duplicate id k with different content (first seen at {tmp_path / 'd.jsonl'}:1)",
        ),
    ]


# Files that are not articles


def test_reference_data_notes_and_hidden_files_are_skipped_silently(tmp_path):
    write(tmp_path / "reference" / "anything.txt", "Not an article.")
    write(tmp_path / "countries.json", json.dumps({"countries": [{"code": "RUS", "name": "Russia"}]}))
    write(tmp_path / "topics.json", json.dumps([{"slug": "syria", "name": "Syria"}]))
    write(tmp_path / "README", "How these files were collected.")
    write(tmp_path / "notes.md", "# Notes")
    write(tmp_path / ".hidden.txt", "An editor's scratch file.")
    write(tmp_path / ".cache" / "x.txt", "Cached.")
    write(tmp_path / "peskov.txt~", PESKOV)
    write(tmp_path / "peskov.txt", PESKOV)
    articles, problems = read(tmp_path)
    assert [a.external_id for a in articles] == ["peskov.txt"]
    assert problems == []
    # Named explicitly, reference data is still reference data, but a hidden file is read.
    assert read(tmp_path / "reference" / "anything.txt", tmp_path / "reference") == ([], [])
    [hidden], _ = read(tmp_path / ".hidden.txt")
    assert hidden.external_id == ".hidden.txt"


def test_a_json_file_that_is_not_reference_data_is_reported(tmp_path):
    write(tmp_path / "a_articles.json", json.dumps([{"id": "a", "text": PESKOV}]))
    write(tmp_path / "b_settings.json", json.dumps({"colour": "blue"}))
    write(tmp_path / "c_broken.json", '{"countries": [')
    articles, problems = read(tmp_path)
    assert articles == []
    assert [(Path(p.origin).name, p.reason) for p in problems] == [
        ("a_articles.json", "a .json file of articles; write them as JSON Lines (.jsonl), one per line"),
        ("b_settings.json", "JSON file that is neither reference data nor articles"),
        ("c_broken.json", "not valid JSON (Expecting value at line 1 column 16)"),
    ]


# The real fixtures


def test_the_fixtures_give_the_two_seed_articles_with_their_sources():
    articles, problems = read(FIXTURES)
    assert problems == []
    assert [(a.external_id, a.source) for a in articles] == [
        ("000_6de1334cdd6cb548.txt", "TASS"),
        ("003_a0bf8ad288c97066.txt", "RT"),
    ]
    assert "Kremlin spokesman Dmitry Peskov told reporters on Tuesday" in articles[0].text
    assert not articles[1].text.startswith("\ufeff")


def test_a_copy_of_the_fixtures_with_reference_data_reads_the_same(tmp_path):
    copy = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, copy)
    write(copy / "reference" / "actors.json", json.dumps({"countries": [], "organisations": []}))
    write(copy / "reference" / "events.json", json.dumps([{"slug": "syria-talks", "name": "Syria talks"}]))
    articles, problems = read(copy)
    assert problems == []
    assert [(a.external_id, a.source, a.origin) for a in articles] == [
        ("000_6de1334cdd6cb548.txt", "TASS", str(copy / "000_6de1334cdd6cb548.txt")),
        ("003_a0bf8ad288c97066.txt", "RT", str(copy / "003_a0bf8ad288c97066.txt")),
    ]
