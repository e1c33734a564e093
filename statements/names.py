"""Names as people type them: one key per word of a speaker's name that the usual ways of writing
it share, so "Dmitri", "Dmitriy" and "Dmitry", "Sergei" and "Sergey", "Zaharova" and "Zakharova",
"Riabkov" and "Ryabkov" find the same person (SpeakerNameKey, looked up through its index).

A key is the word folded (no case, no accents, other scripts in Latin letters: "Песков" is
"peskov") and then written the way English, French and German transliterations of Russian,
Ukrainian and Arabic names most often differ: kh/h, y/i, ks/x, ou/u, w/v, doubled letters.
Keys are never shown; they only have to be the same for two spellings of one name.

Pure functions, no database: the model, the importer and the searches call them.
"""

import functools
import re

import jellyfish
from anyascii import anyascii

from statements.text import fold

# A name word: letters, with inner apostrophes and hyphens split off ("Ban Ki-moon" is three words).
WORD_RE = re.compile(r"[^\W\d_]+")
# Keys are at most this long (the column's length); longer words are cut.
MAX_KEY = 64

# In this order: a rewrite may make the next one apply (ks -> x before doubled letters).
REWRITES = [
    (re.compile(r"tsch"), "ch"),  # German: Gorbatschow / Gorbachev
    (re.compile(r"sch"), "sh"),  # German: Konaschenkow / Konashenkov
    (re.compile(r"kh"), "h"),  # Zakharova / Zaharova
    (re.compile(r"ck"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"ks"), "x"),  # Aleksei / Alexei
    (re.compile(r"tch"), "ch"),
    (re.compile(r"ou"), "u"),  # Iouri / Yuri
    (re.compile(r"w"), "v"),  # Wladimir / Vladimir
    (re.compile(r"j(?=[aeiou])"), "i"),  # Jevgeni / Yevgeny (after y -> i below)
    (re.compile(r"y"), "i"),  # Dmitry / Dmitri, Ryabkov / Riabkov, Sergey / Sergei
    (re.compile(r"^ie"), "e"),  # Yelena / Elena, Yevgeny / Evgeny
    (re.compile(r"(.)\1+"), r"\1"),  # Dmitriy / Dmitri, Ryabkoff
]


def words(text):
    """The words of a name or a query, folded and in Latin letters: "Dmitry S. Peskov" ->
    ["dmitry", "s", "peskov"]."""
    return WORD_RE.findall(anyascii(fold(text or "")).lower())


@functools.lru_cache(maxsize=50_000)
def key(word):
    """The key of one word (already folded, or not): "Zakharova" -> "zaharova". Cached: an import
    writes the keys of thousands of speakers, most of them sharing given names and surnames."""
    folded = "".join(words(word))
    for pattern, replacement in REWRITES:
        folded = pattern.sub(replacement, folded)
    return folded[:MAX_KEY]


def keys(text):
    """The keys of every word of `text`, in order."""
    return [key(word) for word in words(text)]


def starting_with(prefix):
    """The lookups of the keys that start with `prefix` (a key: lower-case ASCII letters), as a
    range an index answers: {"key__gte": "zak", "key__lt": "zal"}. The bound is a letter, not a
    high code point, so that any collation (PostgreSQL's linguistic ones too) orders it alike."""
    lookups = {"key__gte": prefix}
    stem = prefix.rstrip("z")
    if stem:
        lookups["key__lt"] = stem[:-1] + chr(ord(stem[-1]) + 1)
    return lookups


def name_keys(name, aliases=()):
    """Every key a speaker is found by: the words of the name and of its aliases, as keys and as
    written (folded), so that the start of a name as typed finds it too ("zak" is the start of
    "zakharova", not of its key "zaharova")."""
    found = set()
    for text in [name, *aliases]:
        found.update(k for k in keys(text) if k)
        found.update(word[:MAX_KEY] for word in words(text))
    return found


def typed_forms(word):
    """The keys a typed word is looked up by: its key and, when different, the word as written."""
    return list(dict.fromkeys(k for k in (key(word), "".join(words(word))[:MAX_KEY]) if k))


def surname_key(name):
    """The key of a person's last name word ("Maria Zakharova" -> "zaharova"): a search that names
    a person must name this one at least ("Maria" alone is no one in particular)."""
    found = keys(name)
    return found[-1] if found else ""


# --- "did you mean" ---------------------------------------------------------------------------------


def close_enough(typed, known):
    """Whether `known` (a key or a word of the vocabulary) is a likely misspelling fix for `typed`:
    at most one edit (an insertion, a deletion, a change or two letters swapped) for words of up to
    five letters, two for longer ones."""
    if typed == known or abs(len(typed) - len(known)) > 2:
        return False
    limit = 1 if len(typed) <= 5 else 2
    return jellyfish.damerau_levenshtein_distance(typed, known) <= limit


def closest(typed, candidates):
    """The candidates close enough to `typed`, closest first (fewest edits, then the most
    frequent: `candidates` are (word, weight) pairs)."""
    scored = [
        (jellyfish.damerau_levenshtein_distance(typed, word), -weight, word)
        for word, weight in candidates
        if close_enough(typed, word)
    ]
    return [word for _, _, word in sorted(scored)]
