"""Gazetteer: which organisation and country a role string points to.

Reference data (fixtures/reference/actors.json) lists countries with their aliases (demonyms,
capital-city metonyms: "Russian", "Moscow", "Kremlin") and organisations with theirs.

`Gazetteer.resolve(role)` reads a role as the article writes it and returns an `ActorMatch`:
- "Kremlin spokesman" -> Kremlin, RUS (the organisation's own country);
- "United Nations deputy Syria envoy" -> United Nations, no country (an intergovernmental body
  belongs to no country, even when the role names one);
- "Russian Deputy Foreign Minister" -> Russian Foreign Ministry, RUS: an alias without a country in
  it ("Foreign Minister") only counts when the role also names that organisation's country;
- "professor at Texas Tech University" -> "Texas Tech University", known=False: an organisation the
  reference data lacks. The store creates such organisations unreviewed, for an editor to confirm.
Matching is on lowercase words with periods dropped ("U.S." == "US"), longest alias first.
"""

import bisect
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .text import word_start_trie_pattern

TOKEN_RE = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
POSSESSIVE_RE = re.compile(r"'s$")
# Words with their offsets; periods inside ("U.S.") stay in the token and are dropped on lookup.
RAW_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[.'-][a-z0-9]+)*\.?")
# Head nouns that make a capitalised phrase an organisation's name.
ORG_HEADS = (
    "Agency|Army|Association|Bank|Board|Bureau|Campaign|Center|Centre|Coalition|College|Commission|"
    "Committee|Company|Corporation|Council|Court|Department|Foundation|Front|Fund|Group|Institute|"
    "Institution|League|Ministry|Network|Office|Organization|Organisation|Party|Project|Service|"
    "Society|Union|University|Church|School|Hospital|Museum|Library|Club|Times|News|Post|Journal|"
    "Tribune|Herald|Magazine|Channel|Radio|Press|Review|Gazette|Inc|Corp|LLC|Forum|Alliance|Caucus|"
    "Exchange|Securities|Partners|Holdings|Management|Administration|Treasury|Parliament|Cabinet"
)
ORG_HEAD_WORDS = frozenset(ORG_HEADS.lower().split("|"))


ORG_HEAD_RE = re.compile(word_start_trie_pattern(ORG_HEADS.split("|")) + r"\b")
# The words after "of" stop at a possessive: "Bank of England's Mervyn King" is a person.
UNKNOWN_ORG_RE = re.compile(
    rf"(?:[A-Z][\w&.'’-]*\s+){{0,5}}(?:{ORG_HEADS})\b(?:\s+(?:of|for)(?:\s+the)?(?:\s+[A-Z](?:[\w.-]|['’](?!s\b))*){{1,4}})?"
)
LEADING_JUNK_RE = re.compile(r"^(?:The|A|An|At|Of|For|From|In|With)\s+")
# An alias made only of these words ("Foreign Ministry", "Defense Minister") names an office every
# country has: it points to a national organisation only when the role also names the country.
GENERIC_OFFICE_WORDS = frozenset(
    "foreign affairs ministry minister defense defence of the mod fm spokesman spokeswoman deputy".split()
)

REFERENCE_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "actors.json"


@dataclass(frozen=True)
class ActorMatch:
    organisation: str | None = None
    country: str | None = None  # ISO 3166 alpha-3
    # False: the organisation was read from the text and is not in the reference data yet.
    organisation_known: bool = True


def normalise_tokens(text: str) -> list[str]:
    text = text.replace("’", "'").replace(".", "").lower()
    return [POSSESSIVE_RE.sub("", token) for token in TOKEN_RE.findall(text)]


class NormalTokens(dict):
    """A word as RAW_TOKEN_RE reads it from lower-cased text -> the token the aliases are matched
    on: without full stops ("u.s." -> "us") or a possessive 's; worked out once, since the same
    words recur from article to article."""

    LIMIT = 200_000

    def __missing__(self, raw):
        token = raw.replace(".", "") if "." in raw else raw
        if token.endswith("'s"):
            token = token[:-2]
        if len(self) >= self.LIMIT:
            self.clear()
        self[raw] = token
        return token


class Gazetteer:
    def __init__(self, countries: list[dict], organisations: list[dict]):
        self.countries = {country["code"]: country for country in countries}
        self.organisations = {organisation["name"]: organisation for organisation in organisations}
        # alias words -> country codes / organisation names it may mean
        self._country_aliases: dict[tuple[str, ...], str] = {}
        self._org_aliases: dict[tuple[str, ...], list[str]] = {}
        self._org_country_bound: dict[tuple[tuple[str, ...], str], bool] = {}
        for country in countries:
            for alias in [country["name"], *country.get("aliases", [])]:
                self._country_aliases.setdefault(tuple(normalise_tokens(alias)), country["code"])
        # acronyms ("WHO", "US", "AP") match only in capitals, never the words "who", "us", "ap"
        self._acronyms: set[tuple[str, ...]] = set()
        for alias in [
            a for entry in [*countries, *organisations] for a in [entry["name"], *entry.get("aliases", [])]
        ]:
            letters = alias.replace(".", "")
            if letters.isalpha() and letters.isupper() and len(letters) <= 6:
                self._acronyms.add(tuple(normalise_tokens(alias)))
        for organisation in organisations:
            for alias in [organisation["name"], *organisation.get("aliases", [])]:
                key = tuple(normalise_tokens(alias))
                names = self._org_aliases.setdefault(key, [])
                if organisation["name"] not in names:
                    names.append(organisation["name"])
                self._org_country_bound[(key, organisation["name"])] = bool(
                    organisation.get("country")
                ) and all(token in GENERIC_OFFICE_WORDS for token in key)
        # first word of an alias -> the alias lengths starting with it, longest first
        self._sizes_by_first: dict[str, list[int]] = {}
        for key in [*self._country_aliases, *self._org_aliases]:
            if key:
                sizes = self._sizes_by_first.setdefault(key[0], [])
                if len(key) not in sizes:
                    sizes.append(len(key))
                    sizes.sort(reverse=True)
        self._cache: dict[str, ActorMatch] = {}
        self._word_cache: dict[str, bool] = {}
        self._words_cache: dict[tuple[str, ...], bool] = {}
        self._find_cache: dict[str, list] = {}
        self._normal_tokens = NormalTokens()

    @classmethod
    def from_reference(cls, countries: list[dict], organisations: list[dict]) -> "Gazetteer":
        return cls(countries, organisations)

    @classmethod
    def load(cls, path: Path = REFERENCE_PATH) -> "Gazetteer":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["countries"], data["organisations"])

    def names_actor(self, words: list[str]) -> bool:
        """Whether some run of these words is a country's or an organisation's alias ("White House")."""
        known = self._words_cache.get(tuple(words))
        if known is None:
            known = self._names_actor(words)
            if len(self._words_cache) < 100_000:
                self._words_cache[tuple(words)] = known
        return known

    def _names_actor(self, words: list[str]) -> bool:
        key = tuple(normalise_tokens(" ".join(words)))
        if key in self._acronyms and not "".join(words).isupper():
            return False
        if key in self._org_aliases or key in self._country_aliases:
            return True
        return any(  # a name of two or more words inside ("Clinton White House"); one word may be a surname
            key[i:j] in self._org_aliases or key[i:j] in self._country_aliases
            for i in range(len(key))
            for j in range(i + 2, min(len(key), i + 5) + 1)
        )

    def is_actor_word(self, word: str) -> bool:
        """Whether one word on its own names a country or an organisation ("Russian", "CNN")."""
        known = self._word_cache.get(word)
        if known is None:
            key = tuple(normalise_tokens(word))
            known = len(key) == 1 and (key in self._country_aliases or key in self._org_aliases)
            known = known and (key not in self._acronyms or word.rstrip(".,'’s").isupper())
            if len(self._word_cache) < 100_000:
                self._word_cache[word] = known
        return known

    def country_name(self, code: str | None) -> str | None:
        country = self.countries.get(code or "")
        return country["name"] if country else None

    def organisation_country(self, name: str) -> str | None:
        organisation = self.organisations.get(name)
        return organisation.get("country") if organisation else None

    def find(self, text: str) -> list[tuple[int, int, str, object]]:
        """Countries and organisations named in text, longest alias first, as
        (start, end, "country", code) or (start, end, "organisation", [names]). Short texts
        (roles, subjects) recur, so their results are cached."""
        if len(text) > 120:
            return self._find(text)
        found = self._find_cache.get(text)
        if found is None:
            found = self._find(text)
            if len(self._find_cache) < 100_000:
                self._find_cache[text] = found
        return found

    def _find(self, text: str) -> list[tuple[int, int, str, object]]:
        # The article's words are read in C (finditer, map): only the few an alias starts with are
        # looked at in Python, a word at a time. An article has 400 words and 35 such.
        words = list(RAW_TOKEN_RE.finditer(text.lower().replace("’", "'")))  # lowercasing keeps the length
        tokens = list(map(self._normal_tokens.__getitem__, map(re.Match.group, words)))
        starts = itertools.compress(range(len(tokens)), map(self._sizes_by_first.__contains__, tokens))
        found = []
        skip_to = 0  # the first word after the last alias found
        for i in starts:
            if i < skip_to:
                continue
            for size in self._sizes_by_first[tokens[i]]:
                if i + size > len(tokens):
                    continue
                key = tuple(tokens[i : i + size])
                if key in self._acronyms and not text[words[i].start() : words[i].end()].isupper():
                    continue
                start, end = words[i].start(), words[i + size - 1].end()
                if key in self._org_aliases:
                    found.append((start, end, "organisation", self._org_aliases[key]))
                    # a country inside an organisation's name still tells its country
                    for j in range(i, i + size):
                        if (tokens[j],) in self._country_aliases:
                            code = self._country_aliases[(tokens[j],)]
                            found.append((words[j].start(), words[j].end(), "country", code))
                    skip_to = i + size
                    break
                if key in self._country_aliases:
                    found.append((start, end, "country", self._country_aliases[key]))
                    skip_to = i + size
                    break
        return found

    def mentions(
        self, text: str
    ) -> tuple[list[tuple[int, str]], list[tuple[int, list[str], tuple[str, ...]]]]:
        """Countries [(offset, code)] and organisations [(offset, names, alias words)] named in text."""
        countries, organisations = [], []
        for start, end, kind, value in self.find(text):
            if kind == "country":
                countries.append((start, value))
            else:
                organisations.append((start, value, tuple(normalise_tokens(text[start:end]))))
        return countries, organisations

    def named_in(self, text: str) -> tuple[list[str], list[str]]:
        """(country codes, organisation names) the text names, each once, in order: a quote's
        "mentions". An alias that may mean several organisations ("the foreign ministry") names none."""
        codes, names = [], []
        for _, _, kind, value in self.find(text):
            if kind == "country":
                codes.append(value)
            elif len(value) == 1:
                names.append(value[0])
        return list(dict.fromkeys(codes)), list(dict.fromkeys(names))

    def named_in_spans(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[list[str], list[str]]]:
        """named_in() of each (start, end) span of `text`, from one reading of the stretches they
        cover: overlapping quotes (a reported content around a quotation) are not read twice each,
        and the rest of the article not at all."""
        found = self._find_in_ranges(text, spans)
        starts = [match[0] for match in found]
        results = []
        for start, end in spans:
            codes, names = [], []
            for k in range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)):
                match_start, match_end, kind, value = found[k]
                # a name at the span's end may have taken the full stop after it ("... and Japan.")
                if match_end > end and not (match_end == end + 1 and text[end] == "."):
                    continue
                if kind == "country":
                    codes.append(value)
                elif len(value) == 1:
                    names.append(value[0])
            results.append((list(dict.fromkeys(codes)), list(dict.fromkeys(names))))
        return results

    def _find_in_ranges(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str, object]]:
        """find() of the stretches of `text` the spans cover (and the character after each, which
        may be a name's full stop), sorted: a news article's quotes are a third of its text."""
        ranges: list[list[int]] = []
        for start, end in sorted(spans):
            if ranges and start <= ranges[-1][1]:
                ranges[-1][1] = max(ranges[-1][1], end + 1)
            else:
                ranges.append([start, end + 1])
        found = []
        for start, end in ranges:
            found.extend(
                (match_start + start, match_end + start, kind, value)
                for match_start, match_end, kind, value in self._find(text[start:end])
            )
        return sorted(found, key=lambda match: match[0])

    def resolve(self, role: str) -> ActorMatch:
        if role in self._cache:
            return self._cache[role]
        match = self._resolve(role)
        if len(self._cache) < 50_000:
            self._cache[role] = match
        return match

    def _resolve(self, role: str) -> ActorMatch:
        if not role:
            return ActorMatch()
        countries, organisations = self.mentions(role)
        codes = {code for _, code in countries}
        for _, names, alias in organisations:
            for name in names:
                organisation = self.organisations[name]
                if self._org_country_bound[(alias, name)] and organisation.get("country") not in codes:
                    continue
                return ActorMatch(name, organisation.get("country"))
        unknown = self.unknown_organisation(role)
        country = countries[0][1] if countries else None
        if unknown:
            return ActorMatch(unknown, country, organisation_known=False)
        return ActorMatch(None, country)

    def unknown_organisation(self, text: str) -> str | None:
        """A capitalised organisation name in text that the reference data lacks ("Texas Tech University")."""
        for match in UNKNOWN_ORG_RE.finditer(text):
            name = LEADING_JUNK_RE.sub("", match.group().strip())
            # a known alias ("Foreign Ministry") is an office whose country the role left unsaid
            if len(name.split()) >= 2 and tuple(normalise_tokens(name)) not in self._org_aliases:
                return name
        return None
