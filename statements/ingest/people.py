"""People in an article: the names it gives, the roles it gives them, and where.

People are collected over the article first, so a surname ("Peskov") or "Mr. Trump" resolves to the
full name ("Dmitry Peskov") and to the role the article gave them where the full name appears
("Kremlin spokesman"). A run of capitalised words is split into titles and a name ("Russian Deputy
Foreign Minister Sergey Ryabkov"); organisations and places are not people ("CBS News", "Vero
Beach"). Organisations the article names are found only when a quote needs them ("It said").
"""

import re
from dataclasses import dataclass, field

from .actors import ORG_HEAD_RE, ORG_HEAD_WORDS, Gazetteer
from .lexicon import (
    COMMON_REPORTING_VERBS,
    HONORIFICS,
    LEADING_DESCRIPTIONS,
    NAME_PARTICLES,
    NAME_SUFFIX,
    NOT_NAMES,
    PLACE_HEADS,
    PLACE_WORDS,
    ROLE_ABBREVIATIONS,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    SURNAME_WORDS,
    TITLE_SUFFIXES,
    TITLES,
    forms_of,
)
from .text import SentenceIndex, trie_pattern

# Runs of two or more capitalised words, the candidates for a full name, with a title or honorific
# in front ("Sen. Chuck Grassley").
# Never from inside a dotted or slashed abbreviation: "U.S. President Barack Obama" is not "S. President
# ...", nor "I/B/E/S. It" a name.
# A period continues the run only after an initial or a short title ("J.", "Sen."): "Janet Yellen.
# Yellen told" is two mentions.
_CAP_WORD = r"(?:[A-Z][a-z]{0,3}\.|[A-Z][\w'’\-]*)"
# The run's first capital comes before the look behind it (the same test, on the character before
# that capital): a pattern that opens with a character class lets the regex engine skip ahead to
# the next capital instead of trying every position, half the time of a scan over the article.
CAP_MULTI_RE = re.compile(
    rf"[A-Z](?<![\w.'’/-][A-Z])(?:[a-z]{{0,3}}\.|[\w'’\-]*)"
    rf"(?:\s+(?:(?:de|van|von|bin|al|la|del|da|der|le|di|du)\s+)?{_CAP_WORD})+"
)
INITIALS_RE = re.compile(r"(?:[A-Z]\.)+|[JS]r\.")
# Lowercase words a name may hold besides capitalised ones: "de", "van", "jr".
PARTICLES_AND_SUFFIXES = NAME_PARTICLES | NAME_SUFFIX
# Words a title is made of besides capitalised ones: "billionaire investor", "chief executive".
ROLE_WORDS = ROLE_NOUNS | TITLES | LEADING_DESCRIPTIONS | ROLE_MODIFIERS
ROLE_JOINERS = frozenset({"of", "the", "for", "and", "at", "in", "&"})
# Capitalised words before a title that are the sentence's, not the title's ("But", "When", "Its");
# not the first words of places ("San Francisco Fed President", "New York Fed President").
ROLE_OPENERS = NOT_NAMES - frozenset(
    "new los las san santa fort mount lake saint st north south east west state states".split()
)
# Abbreviations whose period ends no sentence: "U.S.", "U.N.", "Sen.", "Gov.".
ABBREVIATION_RE = re.compile(
    r"\b(?:[A-Z]\.){2,}|\b(?:Sen|Rep|Gov|Gen|Lt|Col|Sgt|Adm|Capt|Maj|Dr|Mr|Mrs|Ms|St|Prof|Rev)\."
)
# A middle initial ("George W. Bush"); "U.S." and "U.N." are places and bodies, not initials.
SINGLE_INITIAL_RE = re.compile(r"[A-Z]\.")
ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
TRAILING_ADVERBS = (
    "also|has|had|have|would|will|later|previously|once|again|recently|then|first|"
    "yesterday|today|earlier|repeatedly|simply|publicly|privately|flatly|bluntly|quickly|"
    "often|frequently|separately|too|himself|herself|in a statement|in an interview|on twitter"
).split("|")
TRAILING_ADVERBS_RE = re.compile(r"(?:\s+(?:" + "|".join(TRAILING_ADVERBS) + r"))+$", re.IGNORECASE)
# The words TRAILING_ADVERBS_RE's matches end with: a text ending otherwise is not searched.
TRAILING_ADVERB_ENDINGS = tuple(sorted({adverb.split()[-1] for adverb in TRAILING_ADVERBS}))
LONGEST_TRAILING_ADVERB_ENDING = max(map(len, TRAILING_ADVERB_ENDINGS))
# Where a role in front of a name starts: "comments made by | US State Department spokesperson John Kirby"
ROLE_START_RE = re.compile(
    r"\b(?:by|to|from|with|said|says|told|and|for|that|at)\s+(?=[^a-z]|the\b|former\b)"
)
# "the ministry's spokeswoman": a role naming an organisation mentioned before
BODY_HEADS = (
    r"(ministry|department|agency|committee|council|commission|office|campaign|company|organi[sz]ation|group"
    r"|party|government|embassy)"
)
POSSESSIVE_HEAD_RE = re.compile(rf"(?:\b[Tt]he |^){BODY_HEADS}['’]s\b", re.IGNORECASE)
MAX_ROLE_SPOTS = 3  # a role is given where a person is first named, if anywhere
# How far from a name its role is looked for, either side ("the chief of the ... press service, John Kirby").
ROLE_REACH = 160
# How far before an organisation's head noun its name is looked for ("United Gun | Group"), and in how many words.
ORG_NAME_REACH = 80
ORG_NAME_WORDS = 5
# How far before ", who" the name it refers to may end.
RELATIVE_REACH = 60
# A role longer than this is a clause, not a description.
MAX_ROLE_WORDS = 12
# "Sanders said", "Sanders argues": a word the article writes as a speaker.
COMMON_VERBS = trie_pattern(forms_of(COMMON_REPORTING_VERBS, finite=True))
SPEECH_VERB_AFTER_RE = re.compile(rf"\s+(?:{COMMON_VERBS})\b")
# "Sen. Sanders": a title that ends where the whitespace before a name starts.
HONORIFIC_END_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.?$")


@dataclass
class Person:
    name: str
    role: str = ""  # as the clause naming them as speaker describes them
    aliases: set[str] = field(default_factory=set)
    # where the full name appears; the role in front of or beside it is read when first needed
    spots: list[tuple[int, int]] = field(default_factory=list)
    role_read: bool = False


@dataclass
class Mention:
    start: int
    kind: str  # "person"
    ref: Person


class ArticleContext:
    """People and organisations the article mentions, with their positions."""

    def __init__(self, text: str, gazetteer: Gazetteer, end: int | None = None, outlet: str = ""):
        self.text = text
        self.gazetteer = gazetteer
        self.outlet = outlet.lower()  # the article's source ("Reuters")
        self.people: list[Person] = []
        self.by_last: dict[str, Person] = {}
        self.end = len(text) if end is None else end
        self.sentences = SentenceIndex(text, self.end)
        self.mentions: list[Mention] = []  # people, in text order
        self._organisations: list[tuple[int, str]] = []  # read as far as needed (organisations_before)
        self._organisations_read_to = 0
        self._collect_people(len(text) if end is None else end)
        self.mentions.sort(key=lambda mention: mention.start)

    def organisations_before(self, before: int) -> list[tuple[int, str]]:
        """(offset, name) of the organisations the article names before `before`, and maybe a
        little after. The scan is costly, so the text is read only when a quote needs it ("It
        said", "the ministry's spokeswoman"), and only as far as asked, a line at a time."""
        if before > self._organisations_read_to and self._organisations_read_to < self.end:
            start = self._organisations_read_to
            stop = self.text.find("\n", before, self.end)  # the end of the line: no name is cut
            stop = self.end if stop < 0 else stop
            self._organisations.extend(
                (match_start + start, value[0])
                for match_start, _, kind, value in self.gazetteer.find(self.text[start:stop])
                if kind == "organisation"
            )
            self._organisations.extend(self._unknown_organisations(start, stop))
            self._organisations.sort()
            self._organisations_read_to = stop
        return self._organisations

    def _unknown_organisations(self, start: int, stop: int) -> list[tuple[int, str]]:
        """(offset, name) of capitalised names ending in an organisation's head noun ("United Gun
        Group"): found from the head nouns backwards, which is much faster than a regex over
        every capitalised word."""
        found = []
        for match in ORG_HEAD_RE.finditer(self.text, start, stop):
            words = self.text[max(0, match.start() - ORG_NAME_REACH) : match.start()].split()[
                -ORG_NAME_WORDS:
            ]
            lead = []
            while words and words[-1][:1].isupper() and words[-1] not in ("The", "A", "An"):
                lead.insert(0, words.pop())
            if lead:
                name = " ".join(lead + [match.group()])
                found.append((match.start() - len(" ".join(lead)) - 1, name))
        return found

    def _collect_people(self, end: int) -> None:
        """People named in text[:end] (mentions after the last quote cannot be its speaker): full
        names from runs of capitalised words, then each later mention of a surname alone."""
        text = self.text
        for match in CAP_MULTI_RE.finditer(text, 0, end):
            name_tokens, _ = split_name(match.group().split(), self.gazetteer)
            if len(name_tokens) >= 2:
                # the name ends before a sentence's period or a possessive ("Ban Ki-moon.", "Obama's")
                run = match.group().rstrip(".,;:'’\"”")
                end = match.start() + len(run[:-2] if run.endswith(("'s", "’s")) else run)
                offset = end - len(" ".join(name_tokens))
                person = self.person_for(" ".join(name_tokens))
                person.spots.append((offset, end))
                self.mentions.append(Mention(match.start(), "person", person))
        for person in list(self.by_last.values()):
            surname = last_name(person.name.split())
            spot_ends = {spot_end for _, spot_end in person.spots}  # the full names, already counted
            position = text.find(surname, person.spots[0][0] if person.spots else 0, end)
            while position >= 0:
                stop = position + len(surname)
                whole_word = (position == 0 or not text[position - 1].isalnum()) and (
                    stop >= len(text) or not text[stop].isalnum()
                )
                if whole_word and stop not in spot_ends:
                    self.mentions.append(Mention(position, "person", person))
                position = text.find(surname, stop, end)

    def person_for(self, name: str, role: str = "") -> Person:
        """The article's person with this name or surname, created on first sight. "Mr. Trump",
        "Trump" and "Donald J. Trump" are one person; "Bill Clinton" after "Hillary Clinton" is
        another, and the surname alone stays with the one named first."""
        words = name.split()
        last = last_name(words).lower()
        person = self.by_last.get(last)
        if person is not None and len(words) >= 2 and len(person.name.split()) >= 2:
            first, known_first = words[0], person.name.split()[0]
            if first != known_first and not first.endswith("."):
                person = next((p for p in self.people if p.name == name), None)
        if person is None:
            person = Person(name=name, role=role)
            self.people.append(person)
            self.by_last.setdefault(last, person)
        elif len(words) > 1 and len(person.name.split()) == 1:
            person.aliases.add(person.name)  # first seen as a surname, now in full
            person.name = name
        elif name != person.name:
            person.aliases.add(name)
        if role and not person.role:
            person.role = role
        person.aliases.add(last_name(words))
        return person

    def speaks_elsewhere(self, word: str) -> bool:
        """Whether the article elsewhere writes the word as a speaker ("Sanders said", "Sen.
        Sanders"): then a lone capitalised subject ("Sanders compared himself ...") is a surname."""
        # Read around each place the word is written, with patterns compiled once: one pattern with
        # the word inside took 2 ms to compile, for every word asked (the verbs are many).
        text = self.text
        for start, end in _occurrences(text, word):
            if _is_boundary(text, start) and SPEECH_VERB_AFTER_RE.match(text, end):
                return True  # "Sanders said"
            if not _is_boundary(text, end):
                continue
            blank = start  # "Sen. | Sanders": whitespace, then a title, right before the word
            while blank > 0 and text[blank - 1].isspace():
                blank -= 1
            if blank < start and HONORIFIC_END_RE.search(text, max(0, blank - 4), blank):
                return True
        return False

    def lowercase_elsewhere(self, word: str) -> bool:
        """Whether the article also writes the word in lowercase: then it is no name ("Couple")."""
        lowered = word.lower()
        # where the article writes it, as a regex "\bword\b" would find it: no pattern compiled for
        # each word asked, and no set of the article's words built for the one or two asked
        text = self.text
        return any(
            _is_boundary(text, start) and _is_boundary(text, end)
            for start, end in _occurrences(text, lowered)
        )

    def role_of(self, person: Person) -> str:
        """The role the article first gives the person where their full name appears, else the
        one the clause naming them as speaker gave."""
        if not person.role_read:
            person.role_read = True
            for start, end in person.spots[:MAX_ROLE_SPOTS]:
                role = self.role_at(start, end)
                if role:
                    person.role = role
                    break
        return person.role

    def role_at(self, name_start: int, name_end: int) -> str:
        """The role the text gives a name right where it is mentioned: "Kremlin spokesman Dmitry
        Peskov", "the chief of the ... press service, John Kirby,", "John Smith, a spokesman for X,"."""
        text = self.text
        clause_start = max(text.rfind("\n", 0, name_start) + 1, name_start - ROLE_REACH)
        before = text[clause_start:name_start]
        # breaks are looked for where abbreviations have no periods: "U.S. President" is one role
        breaks = (
            ABBREVIATION_RE.sub(lambda match: match.group().replace(".", "_"), before)
            if "." in before
            else before
        )
        role = ""
        # "role, Name," apposition
        if before.rstrip().endswith(",") and text[name_end : name_end + 1] in (",", ")"):
            segment = before.rstrip()[:-1]
            cut = max(segment.rfind(","), breaks.rstrip()[:-1].rfind(". "), segment.rfind("("))
            segment = segment[cut + 1 :]
            role = cut_relative(clean_role(segment))
            if not looks_like_role(role):
                role = ""
        if not role:
            # "Kremlin spokesman Dmitry Peskov": the words in front of the name, back to a break
            cut = max(
                breaks.rfind(","),
                breaks.rfind(". "),
                breaks.rfind(":"),
                breaks.rfind("("),
                breaks.rfind('"'),
                breaks.rfind("“"),
                breaks.rfind("”"),
            )
            segment = before[cut + 1 :]
            segment = ROLE_START_RE.split(segment)[-1]
            candidate = title_phrase(clean_role(segment))
            if looks_like_role(candidate) and not candidate.lower().startswith(("a ", "an ")):
                role = candidate
        if not role and text[name_end : name_end + 2] == ", ":
            # "John Smith, a spokesman for X," apposition after the name
            after = text[name_end + 2 : name_end + ROLE_REACH]
            # a period ends it, but not the one inside "U.S."
            masked = (
                ABBREVIATION_RE.sub(lambda match: match.group().replace(".", "_"), after)
                if "." in after
                else after
            )
            stop = re.search(r"[,.;:”\"()]|\bsaid\b|\bsays\b|\btold\b", masked)
            segment = after[: stop.start()] if stop else ""
            candidate = cut_relative(clean_role(segment))
            if looks_like_role(candidate):
                role = candidate
        return resolve_possessive(role, self, name_start)

    def person_just_before(self, position: int) -> Person | None:
        """The person whose name ends right before `position` ("Donald Trump| , who"), if any."""
        for mention in reversed(self.mentions):
            if mention.start < position:
                if mention.start < position - RELATIVE_REACH:
                    return None
                # only the name (and "of Florida") between it and the position: not "Obama's listeners, who"
                between = self.text[mention.start : position].replace(",", " ").split()
                if all(word[:1].isupper() or word == "of" for word in between):
                    return mention.ref
                return None
        return None

    def latest_person(self, before: int, noun: str = "") -> Person | None:
        for mention in reversed(self.mentions):
            if mention.start >= before:
                continue
            if noun and noun not in expand_abbreviations(self.role_of(mention.ref)):
                continue
            return mention.ref
        return None

    def latest_organisation(self, before: int, head: str = "") -> str | None:
        """The organisation named last before `before` ("It said", "the group said"), never the
        article's own outlet: "told Reuters", "a Reuters poll" name it as the reporter, not a speaker."""
        for start, name in reversed(self.organisations_before(before)):
            if start < before and head.lower() in name.lower() and name.lower() != self.outlet:
                return name
        return None


def _occurrences(text: str, word: str):
    """(start, end) of every place `word` is written in text, overlapping ones too."""
    start = text.find(word)
    while start >= 0:
        yield start, start + len(word)
        start = text.find(word, start + 1)


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"  # a regex's \w


def _is_boundary(text: str, position: int) -> bool:
    """Whether a regex's \b matches at `position` of text: a word character on one side only."""
    before = position > 0 and _is_word_character(text[position - 1])
    after = position < len(text) and _is_word_character(text[position])
    return before != after


def expand_abbreviations(role: str) -> str:
    """Lowercase role with "Sen." read as "senator", so "the senator" finds "Sen. Chuck Grassley"."""
    return " ".join(ROLE_ABBREVIATIONS.get(word, word) for word in role.lower().split())


def last_name(words: list[str]) -> str:
    rest = [w for w in words if w.lower() not in NAME_SUFFIX] or words
    return rest[-1].rstrip(",")


def is_title(bare: str) -> bool:
    """ "president", and compounds of titles: "secretary-general", "president-elect", "vice-chancellor"."""
    if bare in TITLES:
        return True
    parts = bare.split("-")
    return (
        len(parts) > 1
        and parts[0] in TITLES
        and all(part in TITLES or part in TITLE_SUFFIXES for part in parts[1:])
    )


def is_initials(token: str) -> bool:
    """ "J.", "U.S.", "Jr.": initials always end with a period, so only such words are tried."""
    return token.endswith(".") and INITIALS_RE.fullmatch(token) is not None


def is_name_token(token: str) -> bool:
    """ "Ryabkov", "O'Malley", "Jäger", "J.", "de", "al-Assad"; not "ABSTRACT" nor "said"."""
    if is_initials(token) or token.lower() in PARTICLES_AND_SUFFIXES or token.startswith("al-"):
        return True
    return len(token) > 1 and token[0].isupper() and (token[1].islower() or token[1] in "'’")


_SPLIT_CACHE: dict[tuple[int, tuple[str, ...]], tuple[list[str], list[str]]] = {}


def split_name(tokens: list[str], gazetteer: Gazetteer) -> tuple[list[str], list[str]]:
    """(name tokens, title tokens before them) from a capitalised run like
    ["Russian", "Deputy", "Foreign", "Minister", "Sergey", "Ryabkov"]. Names recur across
    articles, so results are cached (per gazetteer)."""
    key = (id(gazetteer), tuple(tokens))
    cached = _SPLIT_CACHE.get(key)
    if cached is None:
        cached = _split_name(tokens, gazetteer)
        if len(_SPLIT_CACHE) > 200_000:
            _SPLIT_CACHE.clear()
        _SPLIT_CACHE[key] = cached
    return list(cached[0]), list(cached[1])


def looks_like_first_name(token: str, gazetteer: Gazetteer) -> bool:
    bare = token.lower()
    return (
        is_name_token(token)
        and not token.endswith(".")
        and not is_title(bare)
        and bare not in NOT_NAMES
        and bare not in PLACE_WORDS
        and bare not in ORG_HEAD_WORDS
        and not gazetteer.is_actor_word(token)
    )


def _split_name(tokens: list[str], gazetteer: Gazetteer) -> tuple[list[str], list[str]]:
    name: list[str] = []
    i = len(tokens)
    while i > 0:
        token = tokens[i - 1]
        core = token if is_initials(token) else token.rstrip(",.;:'’\"”")
        if core.endswith(("'s", "’s")):
            if name:
                break  # "Bank of England's Mervyn King": the possessive is the organisation's
            core = core[:-2]
        bare = core.lower()
        # after "Mr." or "Ms." comes a name even if it reads as a title ("Mr. Prince")
        after_honorific = i >= 2 and (
            tokens[i - 2].rstrip(".").lower() in HONORIFICS
            or (tokens[i - 2].endswith(".") and SINGLE_INITIAL_RE.fullmatch(tokens[i - 2]) is not None)
        )
        # last word after a first name: "Marty West", "Howard Dean", "Theresa May"
        surname_position = (
            not name
            and i >= 2
            and (bare in SURNAME_WORDS or is_title(bare))
            and looks_like_first_name(tokens[i - 2], gazetteer)
        )
        if not (after_honorific or surname_position) and (
            is_title(bare) or bare in NOT_NAMES or bare in PLACE_WORDS
        ):
            break
        if not is_name_token(core):
            break
        if bare in ORG_HEAD_WORDS or bare in PLACE_HEADS:
            if name:
                break  # "the Zionist Union Party's Nachman Shai"
            return [], tokens  # "Platform Committee"
        if gazetteer.is_actor_word(core) and (name or i == 1):
            break  # "Fox's Chris Wallace", "Russian ... Sergey Ryabkov"; a surname may be one ("Mark Cuban")
        name.insert(0, core)
        i -= 1
    # "Donald J." is not a name without its surname; drop a dangling initial
    while name and is_initials(name[-1]) and not name[-1].endswith("r."):
        name.pop()
    if name and name[0].lower() in NAME_SUFFIX:
        name = []
    if len(name) == 1 and gazetteer.is_actor_word(name[0]):
        name = []
    if len(name) >= 2 and gazetteer.names_actor(name):
        name = []
    # "Billionaire Warren Buffett", "Frenchman Dominique Strauss-Kahn": a description in front of a
    # given name and a surname belongs to the role
    while len(name) >= 3 and (name[0].lower() in LEADING_DESCRIPTIONS or name[0].lower() in ROLE_MODIFIERS):
        name.pop(0)
        i += 1
    return name, tokens[:i]


RELATIVE_RE = re.compile(r"(?:^|\s)(?:who|whom|whose|which|that)\b")


def cut_relative(role: str) -> str:
    """A role without the relative clause after it: "economist who advises states" -> "economist";
    "who took over as chief executive" is no role at all."""
    match = RELATIVE_RE.search(role)
    return role[: match.start()].strip() if match else role


def title_phrase(words_before_name: str) -> str:
    """The title in front of a name, cut where the sentence's own words end: "conglomerate run by
    billionaire" -> "billionaire", "Concern resurfaced after European Central Bank chief" ->
    "European Central Bank chief", "But ECB President" -> "ECB President". It is made of capitalised
    words, role words ("chief", "investor", "managing") and the words joining them ("of the")."""
    words = words_before_name.split()
    kept = 0
    for word in reversed(words):
        bare = word.lower().rstrip(",.;:")
        if bare.endswith(("'s", "’s")):
            bare = bare[:-2]
        if not (
            word[:1].isupper()
            or word[:1].isdigit()
            or bare in ROLE_WORDS
            or bare in ROLE_JOINERS
            or all(part in ROLE_WORDS for part in bare.split("-") if part)
        ):
            break
        kept += 1
    words = words[len(words) - kept :]
    # from the left: joiners, sentence openers ("But", "When", "Its") and headline capitals ("DRAGHI WARNING")
    while words and (
        words[0].lower() in ROLE_JOINERS
        or words[0].lower() in ROLE_OPENERS
        or (len(words[0]) > 3 and words[0].isupper() and words[0].isalpha())
    ):
        words.pop(0)
    return " ".join(words)


def clean_role(segment: str) -> str:
    segment = segment.strip().strip(",;:").strip()
    segment = ARTICLE_RE.sub("", segment)
    segment = strip_trailing_adverbs(segment)
    return segment.strip()


def strip_trailing_adverbs(text: str) -> str:
    """strip_tail(text, TRAILING_ADVERBS_RE), with the regex (tried at every space) run only on a
    text that ends with one of its words. (A text ending in other than ASCII letters is searched
    anyway: the regex ignores case the Unicode way, "ſ" is an "s" to it.)"""
    ending = text.rstrip()[-LONGEST_TRAILING_ADVERB_ENDING:]
    if ending.isascii() and not ending.lower().endswith(TRAILING_ADVERB_ENDINGS):
        return text
    return strip_tail(text, TRAILING_ADVERBS_RE)


def strip_tail(text: str, pattern: re.Pattern, tail: int = 100) -> str:
    """pattern (anchored at the end) removed from text, searching only its last characters:
    an end-anchored regex would otherwise be tried at every position of a long subject."""
    if len(text) <= tail:
        return pattern.sub("", text)
    return text[:-tail] + pattern.sub("", text[-tail:])


def looks_like_role(role: str) -> bool:
    words = role.split()
    if not words or len(words) > MAX_ROLE_WORDS:
        return False
    lowered = {part for w in words for part in w.strip(",.").lower().split("-")}
    return bool(lowered & ROLE_NOUNS) or bool(lowered & TITLES - {"state", "first", "former"})


def resolve_possessive(role: str, context: "ArticleContext", position: int) -> str:
    """ "the ministry's spokeswoman" -> "Russian Foreign Ministry spokeswoman", naming the latest
    organisation of that kind the article mentioned."""
    match = POSSESSIVE_HEAD_RE.search(role)
    if not match:
        return role
    organisation = context.latest_organisation(position, match.group(1))
    if not organisation:
        return role
    return (role[: match.start()] + organisation + role[match.end() :]).strip()
