"""Text from outside, read safely: query strings anyone can type, and article fields the importer
took from pages nobody controls.

The pages rely on three rules, kept here so every reader applies them the same way:

- A C0 control character (other than tab, newline and carriage return) never reaches a query or a
  page: PostgreSQL refuses NUL in text (a DataError, so a 500), and XML forbids all of them (the
  feed could not be written). In a query parameter such a character makes the value unreadable,
  exactly as invalid UTF-8 does: Django's QueryDict already turns undecodable bytes into U+FFFD,
  and so do we, so a slug, code, date or choice holding one matches nothing and its filter is
  ignored with the usual message.
- In text we write out (the feed), such characters are dropped.
- A link is made from a stored URL only when it is an http(s) URL with a host: `javascript:` (in any
  case, with tabs or control characters inside), `data:` and scheme-relative URLs never become an
  href.
"""

import re
from urllib.parse import urlsplit

from django.http import QueryDict

# The characters XML 1.0 forbids; also the ones PostgreSQL or a terminal should never see.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
UNREADABLE = "\ufffd"  # what QueryDict puts in place of bytes that are not UTF-8

# What a browser does to an href before reading its scheme (WHATWG URL parsing): it drops tabs and
# newlines anywhere and C0 controls and spaces at either end, so "java\tscript:" runs as script.
URL_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
URL_IGNORED_AROUND = "".join(chr(c) for c in range(0x21))
LINK_SCHEMES = ("http", "https")


def without_control_characters(text):
    """`text` less the control characters XML forbids (tab, newline and carriage return stay)."""
    if not isinstance(text, str) or not CONTROL_CHARACTERS.search(text):
        return text
    return CONTROL_CHARACTERS.sub("", text)


def readable(value):
    return CONTROL_CHARACTERS.sub(UNREADABLE, value)


def readable_query(data):
    """A copy of request parameters (a QueryDict or a plain dict) in which every control character
    of a key or value is U+FFFD: safe to put in any query, and never matching a slug or a code.
    Returns `data` itself when there is nothing to replace (the common case costs no copy)."""
    if data is None:
        return None
    if isinstance(data, QueryDict):
        pairs = [(key, value) for key, values in data.lists() for value in values]
    else:
        pairs = list(data.items())
    if not any(
        CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(str(value)) for key, value in pairs
    ):
        return data
    if not isinstance(data, QueryDict):
        return {readable(key): readable(str(value)) for key, value in pairs}
    cleaned = QueryDict(mutable=True)
    for key, value in pairs:
        cleaned.appendlist(readable(key), readable(value))
    return cleaned


def http_url(url):
    """`url` as a browser would read it if it is an http or https URL with a host, else "": the only
    URLs a page may put in an href or a cite attribute."""
    if not url:
        return ""
    candidate = URL_IGNORED_INSIDE.sub("", url).strip(URL_IGNORED_AROUND)
    if CONTROL_CHARACTERS.search(candidate):
        return ""
    try:
        parts = urlsplit(candidate)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return ""
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
        return ""
    return candidate
