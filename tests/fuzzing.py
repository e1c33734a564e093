"""A seeded generator of hostile query strings, for tests/test_fuzz.py and scripts/fuzz_web.py.

It mixes full-text search syntax, NUL and other control characters, percent-encoded bytes that are
not UTF-8 (lone surrogates, %FF), huge and non-ASCII numbers, impossible dates, very long values,
repeated and unknown parameters and unicode, with values that exist (so real filters run too).
"""

import random
from urllib.parse import quote

# The quote list's public URL parameters (the /about/ page documents each), then staff-only ones.
PUBLIC_LIST_PARAMETERS = [
    "q",
    "speaker",
    "speaker_name",
    "organisation",
    "country",
    "mentions",
    "topic",
    "event",
    "source",
    "kind",
    "said_after",
    "said_before",
    "sort",
    "page",
    "format",
    "excel",
    "reports",
    "reports_min",
]
# The repeatable filters, negated (`-country=USA`; `country=-USA` is fuzzed through known values).
EXCLUDED_LIST_PARAMETERS = [
    "-" + name for name in ("speaker", "organisation", "country", "mentions", "topic", "event", "source")
]
LIST_PARAMETERS = [*PUBLIC_LIST_PARAMETERS, *EXCLUDED_LIST_PARAMETERS, "status"]


def text(value):
    """A value percent-encoded as a browser would send it (UTF-8)."""
    return quote(value, safe="")


# Pieces already percent-encoded, so they reach the server as these exact bytes.
RAW = [
    "%00",
    "%01",
    "%07",
    "%08",
    "%0B",
    "%0C",
    "%1B%5B31m",
    "%1F",
    "%7F",
    "%C2%85",  # control characters
    "%ED%A0%80",
    "%ED%B0%80",
    "%FF",
    "%FE%FF",
    "%C0%AF",
    "%80",
    "%E2%82",
    "%F4%90%80%80",  # not UTF-8
    "%",
    "%G0",
    "%2",
    "%25",
    "%26",
    "%3D",
    "%2B",
    "+",
    "%0A",
    "%0D%0A",
    "%09",  # broken or tricky escapes
]

FTS = [
    "NEAR(",
    "NEAR(a b, 2)",
    '"',
    '"unclosed',
    "*",
    "-",
    "--",
    "OR",
    "AND",
    "NOT",
    "^",
    ":",
    "(",
    ")",
    "{",
    "}",
    "col:word",
    "a OR OR b",
    "-ceasefire",
    "cease*",
    '"body bags"',
    "ceasefire AND",
    "OR",
    "'",
    "\\",
    "''",
]

NUMBERS = [
    "²",
    "①",
    "٣",
    "１",
    "੩",
    "Ⅻ",
    str(10**30),
    "9" * 400,
    "-1",
    "0",
    "00",
    "1e3",
    "0x10",
    " 2 ",
    "2.0",
    "NaN",
    "inf",
    "-0",
    "+1",
    "1_000",
    "401",
    "400",
    "2",
]

DATES = [
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "0000-00-00",
    "2016-10-01T00:00",
    "10/04/2016",
    "-2016-01-01",
    "99999-01-01",
    "2016-10-04",
    "2016-9-4",
    "2016-10",
    "",
    "today",
    "1970-01-01",
    "2016-10-01%00",
    "２０１６-１０-０１",
    "2016-13-45",
]

UNICODE = [
    "Пресс-секретарь",
    "زاخاروفا",
    "İstanbul",
    "straße",
    "ＲＵＳ",
    "rus",
    "RUS",
    "usa",
    "e\u0301",
    "\u200b",
    "\u202e",
    "\u2028",
    "😀" * 20,
    "\ufffd",
    "\ufeff",
    "ǅ",
    "ﬁ",
]

HOSTILE = [
    "' OR 1=1 --",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "%s%s%n",
    "${7*7}",
    "{{ 7*7 }}",
    "a&b=c",
    "NULL",
    "None",
    "[]",
    "{}",
    "true",
    " ",
    "\t",
]

CHOICES = {
    "kind": ["direct", "partial", "indirect", "DIRECT", "shouted"],
    "sort": ["newest", "oldest", "relevance", "random", "-said_on"],
    "format": ["csv", "json", "xml", "CSV", "jsonl", ""],
    "status": ["verified", "rejected", "unreviewed", "x"],
    "reports": ["all", "ALL", "one", ""],
    "reports_min": ["2", "1", "0", "-3", "1.5", "99999999999999999999"],
}


class Fuzzer:
    """Hostile query strings from a seeded generator. `known`: {parameter: [values that exist]}, so
    fuzzed pages also run their real filters and queries."""

    def __init__(self, seed, known):
        self.random = random.Random(seed)
        self.known = known

    def piece(self, name):
        r = self.random
        kind = r.random()
        known = self.known.get(name.removeprefix("-"))
        if kind < 0.25 and known:
            return text(r.choice(known))
        if kind < 0.35 and name in CHOICES:
            return text(r.choice(CHOICES[name]))
        if kind < 0.45:
            return r.choice(RAW)
        if kind < 0.55:
            return text(" ".join(r.choice(FTS + ["ceasefire", "syria"]) for _ in range(r.randint(1, 6))))
        if kind < 0.65:
            return text(r.choice(NUMBERS))
        if kind < 0.72:
            return text(r.choice(DATES))
        if kind < 0.80:
            return text(r.choice(UNICODE))
        if kind < 0.88:
            return text(r.choice(HOSTILE))
        if kind < 0.93:
            return text(r.choice(["a", "é", "ceasefire ", "-", '"', "9"]) * r.choice([300, 1000, 5000]))
        return text("".join(chr(r.randint(0, 0x2FFF)) for _ in range(r.randint(1, 12))).replace("\ud800", ""))

    def value(self, name):
        return "".join(self.piece(name) for _ in range(self.random.choice([1, 1, 1, 2, 3])))

    def name(self, names):
        r = self.random
        if r.random() < 0.06:
            return r.choice(
                ["", "%00", "q%00", "page[]", "Q", "q%20", "%FF", "amp;q", "x" * 300, "format%1B"]
            )
        return r.choice(names)

    def query(self, names):
        pairs = []
        for _ in range(self.random.choice([1, 1, 2, 2, 3, 4, 6])):
            name = self.name(names)
            for _ in range(self.random.choice([1, 1, 1, 1, 2, 3])):  # repeated parameters
                pairs.append(f"{name}={self.value(name)}")
        return "&".join(pairs)
