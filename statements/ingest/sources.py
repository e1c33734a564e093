"""Sources: read the paths given to `import_articles` into RawArticle records.

`iter_articles(paths)` yields a RawArticle for every article it can read and a SourceProblem for every
input it cannot; bad input never raises out of the iterator, and nothing is dropped without a reason
except the duplicates and non-article files listed below.

What a path may be: a file; a directory, read recursively in sorted order (by path component, so
"a/z.txt", "a.txt", "b.txt"); or a glob ("data/*.jsonl.gz", "**" recurses). A file reached twice (two
overlapping paths) is read once.

Article formats:
- Plain text (.txt or any other file that is not one of the formats below): one article, its external
  id the file's base name ("000_6de1334cdd6cb548.txt"). Optional front matter at the very top: a `---`
  line, `key: value` lines (title, published as YYYY-MM-DD, source, url; other keys are ignored, a
  value may be quoted, blank and `#` lines are allowed), a closing `---` line; it is cut from the text.
  A file has front matter only when its second line is already `key: value` (or the closing `---`),
  so an article that opens with a `---` rule stays text.
- Optional `manifest.csv` (columns file,title,published,source,url) and/or `manifest.json` (a list of
  objects with "file", or a mapping of file name -> fields) in a text file's own directory give the
  same fields; front matter wins over a manifest, manifest.csv over manifest.json, and an empty value
  means unknown, so the next source may fill it.
- Markdown (.md, .markdown) with front matter: a primary source (a briefing transcript, an official
  statement, a readout) read like plain text. Front matter is read as YAML first (quoted titles with
  escapes, folded over lines; `date` is another name for published, `source_url` for url), as
  `key: value` lines when it is not YAML; plain-text files take the same front matter.
- Saved web pages (.html, .htm): the main text without menus and footers, title, date and address
  read from the page (trafilatura, htmldate); paragraphs become blank-line separated ones.
- JSON Lines (.jsonl, .jsonl.gz): one article per line, {"id", "title", "published", "source", "url",
  "text"}; only "id" and "text" are required, an integer id is read as text. Streamed line by line,
  so memory stays bounded by the longest line. Origin "path:LINE"; blank lines are skipped.

Not articles, skipped silently:
- reference data: everything in a directory named `reference` (below, or at, the path given), and
  any *.json file holding reference data (an object with countries/organisations/topics/events, or a
  list of objects with a slug, code or name and no text);
- manifest.csv and manifest.json (read as metadata, above), README* files, and Markdown files
  without front matter (notes);
- hidden files and directories (names starting with "."), and editor backups ("name~"), when a
  directory is walked; a file named explicitly on the command line is read.

Reported as a SourceProblem (with the article's external id when known): a missing path or a glob
that matches nothing; something that is not a regular file (a pipe, a dangling link); an empty or
whitespace-only file; binary, UTF-16, gzip-compressed (other than .jsonl.gz) or non-UTF-8 text;
malformed front matter or manifest; a .json file that is not reference data; a JSONL line that is not
JSON, not an object, lacks "id" or "text", or has fields of the wrong type; a corrupt or truncated .gz
(after the lines read before it); an invalid published date (the article is not imported: "invalid
published date '2016-13-45'"); an article over MAX_ARTICLE_CHARS; the same id again with different
content. The same id with identical content is skipped silently; ids are tracked as id -> SHA-256
digest, never by text.

A .gz is streamed and gzip verifies its checksum only at the end, so lines decompressed from a damaged
stream before the damage shows are read (usually reported as lines that are not JSON); the final
problem says so.

Every field is checked here, where the RawArticle is built, so that what is stored fits the database
the same way on SQLite and PostgreSQL and every later offset points into the text as stored:
- C0 control characters other than tab and newline are removed from every field (id, text, title,
  source, url); form feed and vertical tab, which break pages and lines, become a newline. A
  JSON "\\u0000" is removed like the others; a raw NUL byte still marks a file as binary.
- An id longer than MAX_ID_CHARS, or a published date before MIN_YEAR or after next year
  ("implausible published date '0001-01-01'"), is a SourceProblem: the article is not imported.
- A bad field that the article can do without is dropped or shortened and noted in the article's
  `notes` (the importer prints them as warnings and still imports the article): a url that is not
  an http(s) URL with a host, or is longer than MAX_URL_CHARS; a title or source longer than
  MAX_TITLE_CHARS / MAX_SOURCE_CHARS is cut to that length.

The text is kept as written except for the control characters above, a leading byte-order mark,
line endings (they become "\\n") and front matter, which is cut off; cleaning.py does the rest.
"""

import csv
import datetime
import glob
import gzip
import hashlib
import json
import os
import re
import urllib.parse
import zlib
from collections.abc import Iterable, Iterator

import yaml

from .records import RawArticle, SourceProblem

MAX_ARTICLE_CHARS = 2_000_000
# A JSON string may spend up to 6 bytes per character ("\u00e9"), plus the other fields.
JSONL_BYTES_PER_CHAR = 6
JSONL_LINE_OVERHEAD = 64 * 1024
# Reference JSON files are small; anything bigger is not worth parsing whole to find out.
MAX_JSON_FILE_BYTES = 50 * 1024 * 1024

# The longest values the database columns take (statements.models.Article; a test keeps them equal).
MAX_ID_CHARS = 300
MAX_TITLE_CHARS = 500
MAX_SOURCE_CHARS = 100
MAX_URL_CHARS = 1000
# A published date outside these years is a typo or a placeholder ("0001-01-01"), not a news date.
MIN_YEAR = 1800

METADATA_FIELDS = ("title", "published", "source", "url")
# Other names of those fields in front matter (the White House documents' "date" and "source_url").
# The field's own name comes first in the block's order of preference: _yaml_fields keeps the first.
FRONT_MATTER_ALIASES = {"date": "published", "source_url": "url"}
YAML_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml when the wheel has it
DATE_PREFIX_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\S.*)?$")
MANIFEST_NAMES = ("manifest.csv", "manifest.json")
REFERENCE_DIRECTORY = "reference"
REFERENCE_KEYS = {"countries", "organisations", "organizations", "topics", "events"}
MARKDOWN_SUFFIXES = (".md", ".markdown")
# A saved web page whose main text has fewer words than this has no article: a page of menus.
MIN_PAGE_WORDS = 5
HTML_SUFFIXES = (".html", ".htm")

GLOB_MAGIC_RE = re.compile(r"[*?\[]")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FRONT_MATTER_FENCE_RE = re.compile(r"^---[ \t]*$")
FRONT_MATTER_LINE_RE = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:(.*)$")
CONTROL_TABLE = {code: None for code in [*range(0x00, 0x09), *range(0x0E, 0x20)]} | {0x0B: "\n", 0x0C: "\n"}
# The same characters as bytes: UTF-8 writes every other character with bytes of 0x20 and above.
CONTROL_BYTES = bytes(sorted(CONTROL_TABLE))
SPACE_RE = re.compile(r"\s")  # the characters str.isspace() accepts


class _Rejected(Exception):
    """Raised inside a reader to turn one input into a SourceProblem."""

    def __init__(self, reason: str, external_id: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.external_id = external_id


def iter_articles(
    paths: Iterable[str | os.PathLike], max_chars: int = MAX_ARTICLE_CHARS
) -> Iterator[RawArticle | SourceProblem]:
    """Every article under `paths`, in order, and a SourceProblem for every input that is not one."""
    first_seen: dict[str, tuple[bytes, str]] = {}  # id -> (content digest, origin)
    manifests = _Manifests()
    for item in _expand(paths):
        if isinstance(item, SourceProblem):
            yield item
            continue
        for record in _read_file(item, manifests, max_chars):
            if isinstance(record, RawArticle):
                digest = _fingerprint(record)
                earlier = first_seen.get(record.external_id)
                if earlier is None:
                    first_seen[record.external_id] = (digest, record.origin)
                elif earlier[0] == digest:
                    continue  # the same article twice: nothing to report
                else:
                    record = SourceProblem(
                        record.origin,
                        f"duplicate id {record.external_id} with different content "
                        f"(first seen at {earlier[1]})",
                        record.external_id,
                    )
            yield record


# Finding the files -----------------------------------------------------------------------------


def _expand(paths: Iterable[str | os.PathLike]) -> Iterator[str | SourceProblem]:
    """Article candidates (file paths) for every path, directory or glob, each file once."""
    seen: set[str] = set()
    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            found = _walk(path)
        elif os.path.exists(path):
            found = [] if _in_reference_directory(path) else [path]
        elif GLOB_MAGIC_RE.search(path):
            found = []
            matches = sorted(glob.glob(path, recursive=True), key=_sort_key)
            if not matches:
                yield SourceProblem(path, "no files match this pattern")
            for match in matches:
                if os.path.isdir(match):
                    found.extend(_walk(match))
                elif not _in_reference_directory(match):
                    found.append(match)
        else:
            yield SourceProblem(path, "no such file or directory")
            continue
        for item in found:
            if isinstance(item, SourceProblem):
                yield item
                continue
            real = os.path.realpath(item)
            if real not in seen:
                seen.add(real)
                yield item


def _walk(root: str) -> list[str | SourceProblem]:
    """The files under `root` in sorted order, without hidden files and reference data."""
    if os.path.basename(os.path.normpath(root)) == REFERENCE_DIRECTORY:
        return []
    problems: list[SourceProblem] = []

    def unreadable(error: OSError) -> None:
        reason = f"cannot read the directory ({error.strerror})"
        problems.append(SourceProblem(error.filename or root, reason))

    files = []
    for directory, subdirectories, names in os.walk(root, onerror=unreadable):
        subdirectories[:] = [
            name for name in subdirectories if not _hidden(name) and name != REFERENCE_DIRECTORY
        ]
        files.extend(os.path.join(directory, name) for name in names if not _hidden(name))
    return [*problems, *sorted(files, key=_sort_key)]


def _in_reference_directory(path: str) -> bool:
    return os.path.basename(os.path.dirname(os.path.normpath(path))) == REFERENCE_DIRECTORY


def _sort_key(path: str) -> list[str]:
    return os.path.normpath(path).split(os.sep)


def _hidden(name: str) -> bool:
    return name.startswith(".") or name.endswith("~")


def _is_note(name: str) -> bool:
    return name.lower().startswith("readme")


def _is_markdown_note(path: str) -> bool:
    """A Markdown file without front matter is a note (CHANGES.md), not a document: skipped."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return False  # read it, and report why it cannot be
    return not head.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


# Reading one file ------------------------------------------------------------------------------


def _read_file(path: str, manifests: "_Manifests", max_chars: int) -> Iterator[RawArticle | SourceProblem]:
    name = os.path.basename(path)
    lowered = name.lower()
    if name in MANIFEST_NAMES or _is_note(name):
        return
    if lowered.endswith(MARKDOWN_SUFFIXES) and _is_markdown_note(path):
        return
    if not os.path.isfile(path):  # a FIFO would block, a dangling link cannot be read
        yield SourceProblem(path, "not a regular file")
        return
    if lowered.endswith((".jsonl", ".jsonl.gz")):
        yield from _read_jsonl(path, max_chars)
    elif lowered.endswith(".json"):
        problem = _check_json_file(path)
        if problem:
            yield problem
    elif lowered.endswith(HTML_SUFFIXES):
        try:
            yield _read_html_file(path, max_chars)
        except _Rejected as rejected:
            yield SourceProblem(path, rejected.reason, rejected.external_id)
    else:
        yield from manifests.problems_for(os.path.dirname(path))
        try:
            yield _read_text_file(path, manifests.fields_for(path), max_chars)
        except _Rejected as rejected:
            yield SourceProblem(path, rejected.reason, rejected.external_id)


def _read_text_file(path: str, manifest_fields: dict[str, tuple[str, str]], max_chars: int) -> RawArticle:
    name = os.path.basename(path)
    try:
        size = os.path.getsize(path)
        if size > max_chars * 4:  # UTF-8 spends at most 4 bytes per character
            raise _Rejected(f"file of {size:,} bytes is over the limit of {max_chars:,} characters", name)
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise _Rejected(f"cannot read the file ({error.strerror or error})", name) from None
    text = _decode_text(data, name)
    if not text.strip():
        raise _Rejected("empty file", name)
    front_matter, text = _split_front_matter(text, name)
    if not text.strip():
        raise _Rejected("no article text after the front matter", name)
    if len(text) > max_chars:
        raise _Rejected(_too_long(len(text), max_chars), name)

    fields = dict(manifest_fields)
    fields.update((key, (value, "in the front matter")) for key, value in front_matter.items() if value)
    published = None
    if "published" in fields:
        value, where = fields["published"]
        published = _parse_date(value, name, where)
    return _checked_article(
        external_id=name,
        text=text,
        origin=path,
        title=fields["title"][0] if "title" in fields else None,
        published=published,
        source=fields["source"][0] if "source" in fields else None,
        url=fields["url"] if "url" in fields else None,
    )


def _read_html_file(path: str, max_chars: int) -> RawArticle:
    """A saved web page: its main text without the site's menus, footers and sidebars
    (trafilatura), and its title, date (htmldate, through trafilatura) and address (the canonical
    link) read from the page. Paragraphs become the blank-line separated ones of a text file."""
    name = os.path.basename(path)
    try:
        if os.path.getsize(path) > max_chars * 4:
            raise _Rejected(f"file of {os.path.getsize(path):,} bytes is over the limit", name)
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise _Rejected(f"cannot read the file ({error.strerror or error})", name) from None
    if b"\x00" in data:
        raise _Rejected("binary file, not a web page", name)
    if not data.strip():
        raise _Rejected("empty file", name)
    import trafilatura  # imported here: a second's import that only saved pages need

    try:
        page = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    except Exception as error:  # a library parsing what the web sends: any failure is this page's
        raise _Rejected(f"cannot read the web page ({error.__class__.__name__})", name) from None
    text = (page.text if page else "") or ""
    if len(text.split()) < MIN_PAGE_WORDS:  # what is left of a page of menus: "Home"
        raise _Rejected("no article text found in the web page", name)
    text = _without_controls(_normalise_newlines(text)).replace("\n", "\n\n")
    if len(text) > max_chars:
        raise _Rejected(_too_long(len(text), max_chars), name)
    published = None
    if page.date and DATE_PREFIX_RE.match(page.date):
        published = _parse_date(page.date[:10], name, "in the web page")
    return _checked_article(
        external_id=name,
        text=text,
        origin=path,
        title=page.title,
        published=published,
        source=page.sitename,
        url=(page.url, "in the web page") if page.url else None,
    )


def _decode_text(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Rejected("UTF-16 text; save the file as UTF-8", name)
    if data.startswith(b"\x1f\x8b"):
        raise _Rejected("gzip-compressed file; only JSON Lines may be compressed (.jsonl.gz)", name)
    if b"\x00" in data:
        raise _Rejected("binary file, not text", name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Rejected(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})", name
        ) from None
    return _without_controls(_normalise_newlines(text.removeprefix("\ufeff")))


def _without_controls(value: str) -> str:
    # Nearly always none to remove. Deleting CONTROL_BYTES from the UTF-8 bytes tells a text
    # without any in a third of the time of a regular expression's search, which tries each character.
    encoded = value.encode("utf-8", "surrogatepass")
    if len(encoded.translate(None, CONTROL_BYTES)) == len(encoded):
        return value
    return value.translate(CONTROL_TABLE)


def _normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _split_front_matter(text: str, name: str) -> tuple[dict[str, str], str]:
    """({key: value}, the text without it); ({}, text) when the text has no front matter.

    The block is read as YAML (quoted titles with escapes such as "\\_", titles folded over
    lines), and as plain `key: value` lines when it is not YAML ("title: Syria: talks resume")."""
    lines = text.split("\n", 2)
    if len(lines) < 2 or not FRONT_MATTER_FENCE_RE.match(lines[0]):
        return {}, text
    if not (FRONT_MATTER_LINE_RE.match(lines[1]) or FRONT_MATTER_FENCE_RE.match(lines[1])):
        return {}, text  # a leading rule, not front matter
    block_start = position = len(lines[0]) + 1
    while True:
        end = text.find("\n", position)
        line = text[position:] if end == -1 else text[position:end]
        if FRONT_MATTER_FENCE_RE.match(line):
            block, rest = text[block_start:position], "" if end == -1 else text[end + 1 :]
            break
        if end == -1:
            raise _Rejected("front matter is not closed by a '---' line", name)
        position = end + 1
    fields = _yaml_fields(block)
    if fields is None:
        fields = _line_fields(block, name)
    return fields, rest


def _yaml_fields(block: str) -> dict[str, str] | None:
    """The metadata fields of a YAML front matter block, every value as text; None when the block
    is not a YAML mapping. The base loader reads every scalar as a string ("yes" stays "yes")."""
    try:
        data = yaml.load(block, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    fields: dict[str, str] = {}
    for key, value in data.items():
        field_name = FRONT_MATTER_ALIASES.get(str(key).lower(), str(key).lower())
        if field_name not in METADATA_FIELDS or not isinstance(value, str):
            continue
        value = value.strip()
        if field_name == "published":
            value = DATE_PREFIX_RE.sub(r"\1", value)  # "2023-02-10 19:29:05-05:00": the day
        if value and field_name not in fields:  # "published" wins over "date", "url" over "source_url"
            fields[field_name] = value
    return fields


def _line_fields(block: str, name: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for number, line in enumerate(block.split("\n"), start=2):
        match = FRONT_MATTER_LINE_RE.match(line)
        if match:
            key = FRONT_MATTER_ALIASES.get(match.group(1).lower(), match.group(1).lower())
            if key in METADATA_FIELDS:
                fields[key] = _unquote(match.group(2).strip())
        elif line.strip() and not line.lstrip().startswith("#"):
            raise _Rejected(f"front matter line {number} is not 'key: value'", name)
    return fields


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _parse_date(value: str, external_id: str | None, where: str = "") -> datetime.date:
    suffix = f" {where}" if where else ""
    try:
        date = datetime.date.fromisoformat(value) if DATE_RE.match(value) else None
    except ValueError:
        date = None
    if date is None:
        raise _Rejected(f"invalid published date '{value}'{suffix}", external_id)
    if not is_plausible_date(date):
        raise _Rejected(f"implausible published date '{value}'{suffix}", external_id)
    return date


def is_plausible_date(date: datetime.date) -> bool:
    """Whether `date` can be a news article's: from MIN_YEAR to the end of next year. Date
    arithmetic near the ends of the calendar (year 1 or 9999) would overflow."""
    return MIN_YEAR <= date.year <= datetime.date.today().year + 1


def _checked_article(
    external_id: str,
    text: str,
    origin: str,
    title: str | None,
    published: datetime.date | None,
    source: str | None,
    url: tuple[str, str] | None,
) -> RawArticle:
    """The RawArticle, its fields cut to what the database takes; notes say what was dropped or cut.
    `url` is (value, where it was written). `text` comes without control characters: each reader
    removes them before it looks into the text (front matter, an empty text)."""
    external_id = _without_controls(external_id).strip()
    if not external_id:
        raise _Rejected('"id" is not a non-empty string')
    if len(external_id) > MAX_ID_CHARS:
        raise _Rejected(f"id longer than {MAX_ID_CHARS} characters", external_id[:MAX_ID_CHARS] + "…")
    notes = []
    title = _fitted("title", title, MAX_TITLE_CHARS, notes)
    source = _fitted("source", source, MAX_SOURCE_CHARS, notes)
    if url is not None:
        value, where = url
        value = _without_controls(value).strip()
        problem = _url_problem(value)
        if problem:
            shown = value if len(value) <= 80 else value[:77] + "..."
            notes.append(f"url {shown!r}{' ' + where if where else ''} {problem}; imported without it")
            value = ""
        url = value or None
    return RawArticle(
        external_id=external_id,
        text=text,
        origin=origin,
        title=title,
        published=published,
        source=source,
        url=url,
        notes=tuple(notes),
    )


def _fitted(key: str, value: str | None, limit: int, notes: list[str]) -> str | None:
    if value is None:
        return None
    value = _without_controls(value).strip()
    if len(value) > limit:
        notes.append(f"{key} longer than {limit:,} characters; cut to {limit:,}")
        value = value[:limit].rstrip()
    return value or None


def _url_problem(url: str) -> str | None:
    """Why `url` cannot be an article's link, or None when it can."""
    if len(url) > MAX_URL_CHARS:
        return f"is longer than {MAX_URL_CHARS:,} characters"
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:  # "http://[::1" and the like
        return "is not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "is not an http or https URL"
    if not host or SPACE_RE.search(url):
        return "is not a valid URL"
    return None


def _too_long(length: int, max_chars: int) -> str:
    return f"article of {length:,} characters is over the limit of {max_chars:,}"


# JSON and JSON Lines ---------------------------------------------------------------------------


def _read_jsonl(path: str, max_chars: int) -> Iterator[RawArticle | SourceProblem]:
    line_limit = max_chars * JSONL_BYTES_PER_CHAR + JSONL_LINE_OVERHEAD
    number = 0
    try:
        with (gzip.open if path.lower().endswith(".gz") else open)(path, "rb") as handle:
            while line := handle.readline(line_limit + 1):
                number += 1
                origin = f"{path}:{number}"
                if len(line) > line_limit:
                    while line and not line.endswith(b"\n"):  # skip the rest of the line
                        line = handle.readline(JSONL_LINE_OVERHEAD)
                    yield SourceProblem(origin, f"line is longer than the limit of {max_chars:,} characters")
                    continue
                if b"\x00" in line:
                    reason = "binary data, not JSON Lines; the rest of the file is skipped"
                    yield SourceProblem(origin, reason)
                    return
                if not line.strip():
                    continue
                try:
                    yield _article_from_line(line, origin, max_chars)
                except _Rejected as rejected:
                    yield SourceProblem(origin, rejected.reason, rejected.external_id)
    except gzip.BadGzipFile as error:
        # The checksum is only verified at the end, so lines read before it may be damaged too.
        reason = _damage(f"corrupt gzip data ({error})", number)
        yield SourceProblem(path, reason + (" and may be damaged" if number else ""))
    except EOFError:
        yield SourceProblem(path, _damage("the compressed file is truncated", number))
    except zlib.error as error:
        yield SourceProblem(path, _damage(f"corrupt compressed data ({error})", number))
    except OSError as error:
        yield SourceProblem(path, _damage(f"cannot read the file ({error.strerror or error})", number))


def _damage(reason: str, lines_read: int) -> str:
    if lines_read:
        return f"{reason} after line {lines_read:,}; the lines before it were read"
    return reason


def _article_from_line(line: bytes, origin: str, max_chars: int) -> RawArticle:
    try:
        decoded = line.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
    except UnicodeDecodeError:
        raise _Rejected("line is not UTF-8 text") from None
    try:
        item = json.loads(decoded)
    except json.JSONDecodeError as error:
        raise _Rejected(f"line is not valid JSON ({error.msg} at column {error.pos + 1})") from None
    except RecursionError:  # "[[[[..." nested deeper than Python's stack
        raise _Rejected("line is not an article: JSON nested too deeply") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise _Rejected(f"line is not valid JSON ({error})") from None
    if not isinstance(item, dict):
        raise _Rejected("line is not a JSON object")

    external_id = item.get("id")
    if isinstance(external_id, int) and not isinstance(external_id, bool):
        external_id = str(external_id)
    if external_id is None:
        raise _Rejected('line has no "id"')
    if not isinstance(external_id, str):
        raise _Rejected('"id" is not a non-empty string')
    _check_storable(external_id, "id", None)
    external_id = _without_controls(external_id).strip()
    if not external_id:
        raise _Rejected('"id" is not a non-empty string')
    if len(external_id) > MAX_ID_CHARS:
        raise _Rejected(f"id longer than {MAX_ID_CHARS} characters", external_id[:MAX_ID_CHARS] + "…")

    text = item.get("text")
    if text is None:
        raise _Rejected('line has no "text"', external_id)
    if not isinstance(text, str):
        raise _Rejected('"text" is not a string', external_id)
    text = _without_controls(_normalise_newlines(text.removeprefix("\ufeff")))
    if not text.strip():
        raise _Rejected("empty text", external_id)
    if len(text) > max_chars:
        raise _Rejected(_too_long(len(text), max_chars), external_id)
    _check_storable(text, "text", external_id)

    for key in ("title", "source", "url"):  # cleaned and cut to fit by _checked_article
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            raise _Rejected(f'"{key}" is not a string', external_id)
        if value is not None:
            _check_storable(value, key, external_id)

    published = item.get("published")
    if published in (None, ""):
        published = None
    elif isinstance(published, str):
        published = _parse_date(published.strip(), external_id)
    else:
        raise _Rejected(f"invalid published date '{published}'", external_id)
    url = _without_controls(item.get("url") or "").strip()  # an empty one is no url, not a bad one
    url = (url, "") if url else None
    return _checked_article(external_id, text, origin, item.get("title"), published, item.get("source"), url)


def _check_storable(value: str, key: str, external_id: str | None) -> None:
    """Databases refuse lone surrogates (JSON allows "\\ud800"); NUL and the other control
    characters are removed, not refused."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        reason = f'"{key}" contains an invalid unicode escape (a lone surrogate)'
        raise _Rejected(reason, external_id) from None


def _check_json_file(path: str) -> SourceProblem | None:
    """None for reference data (skipped); a problem for any other .json file."""
    try:
        if os.path.getsize(path) > MAX_JSON_FILE_BYTES:
            reason = "JSON file too large to be reference data; articles go in .jsonl files"
            return SourceProblem(path, reason)
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8").removeprefix("\ufeff"))
    except OSError as error:
        return SourceProblem(path, f"cannot read the file ({error.strerror or error})")
    except UnicodeDecodeError:
        return SourceProblem(path, "not UTF-8 text")
    except json.JSONDecodeError as error:
        reason = f"not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        return SourceProblem(path, reason)
    except RecursionError:
        return SourceProblem(path, "JSON nested too deeply to be reference data")
    except ValueError as error:
        return SourceProblem(path, f"not valid JSON ({error})")
    if _is_reference_data(data):
        return None
    items = data if isinstance(data, list) else [data]
    if any(isinstance(item, dict) and "text" in item for item in items):
        reason = "a .json file of articles; write them as JSON Lines (.jsonl), one per line"
        return SourceProblem(path, reason)
    return SourceProblem(path, "JSON file that is neither reference data nor articles")


def _is_reference_data(data: object) -> bool:
    if isinstance(data, dict):
        return bool(REFERENCE_KEYS & data.keys())
    if isinstance(data, list):
        return all(
            isinstance(item, dict) and "text" not in item and ({"slug", "code", "name"} & item.keys())
            for item in data
        )
    return False


# Manifests -------------------------------------------------------------------------------------


class _Manifests:
    """Per-directory metadata from manifest.csv / manifest.json, read once per directory."""

    def __init__(self):
        self._entries: dict[str, dict[str, dict[str, tuple[str, str]]]] = {}
        self._problems: dict[str, list[SourceProblem]] = {}

    def problems_for(self, directory: str) -> list[SourceProblem]:
        """The manifest problems of `directory`, returned the first time only."""
        self._load(directory)
        return self._problems.pop(directory, [])

    def fields_for(self, path: str) -> dict[str, tuple[str, str]]:
        """{field: (value, where)} for the file at `path`; empty values are left out."""
        directory = os.path.dirname(path)
        return self._load(directory).get(os.path.basename(path), {})

    def _load(self, directory: str) -> dict[str, dict[str, tuple[str, str]]]:
        if directory in self._entries:
            return self._entries[directory]
        entries: dict[str, dict[str, tuple[str, str]]] = {}
        problems: list[SourceProblem] = []
        # manifest.json first, so manifest.csv overrides it field by field.
        for name, reader in (("manifest.json", _read_manifest_json), ("manifest.csv", _read_manifest_csv)):
            path = os.path.join(directory, name)
            if not os.path.isfile(path):
                continue
            try:
                rows = reader(path)
            except _Rejected as rejected:
                problems.append(SourceProblem(path, rejected.reason))
                continue
            except OSError as error:
                problems.append(SourceProblem(path, f"cannot read the file ({error.strerror or error})"))
                continue
            except UnicodeDecodeError:
                problems.append(SourceProblem(path, "not UTF-8 text"))
                continue
            for file_name, row in rows:
                fields = entries.setdefault(file_name, {})
                for key in METADATA_FIELDS:
                    value = row.get(key)
                    value = "" if value is None else str(value).strip()
                    if value:
                        fields[key] = (value, f"in {name}")
        self._entries[directory] = entries
        self._problems[directory] = problems
        return entries


def _read_manifest_csv(path: str) -> list[tuple[str, dict]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        try:
            reader = csv.reader(handle)
            header = [column.strip().lower() for column in next(reader, [])]
            if "file" not in header:
                raise _Rejected("manifest has no 'file' column")
            return [
                (row["file"].strip(), row)
                for row in (dict(zip(header, values)) for values in reader)
                if row.get("file", "").strip()
            ]
        except csv.Error as error:
            raise _Rejected(f"malformed CSV ({error})") from None


def _read_manifest_json(path: str) -> list[tuple[str, dict]]:
    with open(path, "rb") as handle:
        try:
            data = json.loads(handle.read().decode("utf-8").removeprefix("\ufeff"))
        except json.JSONDecodeError as error:
            raise _Rejected(f"not valid JSON ({error.msg} at line {error.lineno})") from None
        except RecursionError:
            raise _Rejected("JSON nested too deeply to be a manifest") from None
        except ValueError as error:
            raise _Rejected(f"not valid JSON ({error})") from None
    if isinstance(data, dict) and all(isinstance(value, dict) for value in data.values()):
        return [(str(name).strip(), fields) for name, fields in data.items()]
    if isinstance(data, list) and all(
        isinstance(item, dict) and isinstance(item.get("file"), str) for item in data
    ):
        return [(item["file"].strip(), item) for item in data if item["file"].strip()]
    raise _Rejected('manifest is neither a list of objects with "file" nor a mapping of file names to fields')


def _fingerprint(article: RawArticle) -> bytes:
    """A digest of everything but the origin: the same article read twice has the same one."""
    digest = hashlib.sha256()  # a quarter of blake2b's time where the processor has SHA instructions
    for value in (article.text, article.title, article.published, article.source, article.url):
        if value is None:
            digest.update(b"\x00")
        else:
            encoded = str(value).encode("utf-8")
            digest.update(len(encoded).to_bytes(8, "little") + encoded)
    return digest.digest()
