"""Attribution: who said each quotation.

For every quote span, `find_speaker` tries these in order and takes the first that names somebody:
1. the reporting clause right after the closing mark: '"...," Peskov said', '"...," said the
   spokesman', '"...?" Zakharova asked', '"...," according to the spokesman' (not when the quote
   ended its sentence and a new one starts: '... "beyond his control." Bloomberg says ...');
2. the clause before the opening mark in the same sentence: 'Peskov said "..."', 'Kirby said that
   ... "..."', 'Konashenkov said: "..."', 'According to X, ... "..."', the middle of a split quote
   ('"A," he said, "B."'), a digest's 'Carl Bialik: "..."', or a short attribution sentence just
   before ('"Worried," Carson said. "There is ..."');
3. the speaker of the quote before it in the same sentence ('Kirby said that "A" as "B"'), or the
   clause after the next quote when the two are joined by "and" ('"A" and "B," Dean said');
4. for a partial quote, the subject leading its sentence ('Obama described the attack as "..."'),
   then a "he"/"she" in that sentence;
5. the previous quote's speaker in the same or the previous paragraph, then the subject of the
   sentence or paragraph just before a quotation that stands alone.
When none applies the speaker stays None: the article does not say who, so we do not guess.

A clause's subject is read as a person ("Russian Deputy Foreign Minister Sergey Ryabkov", "the
chief of the US Department of State press service, John Kirby"), a pronoun ("he"), a role noun
("the spokesman", "the Florida senator"), a relative pronoun ("Trump, who said"), or an
organisation speaking as a body ("the Russian Ministry of Defense has said", "It stressed", "the
ACU said"; one missing from the reference data keeps its name, and the store creates it for
review). People are collected over the article first, so a surname ("Peskov") or "Mr. Trump"
resolves to the full name and to the role the article gave them where the full name appears;
pronouns and role nouns resolve to the latest fitting person before the quote.

Lexicons (reporting verbs, titles, role nouns, place words) are data at the top of this module.
"""

import bisect
import re
from dataclasses import dataclass, field

from .actors import ORG_HEAD_RE, ORG_HEAD_WORDS, UNKNOWN_ORG_RE, ActorMatch, Gazetteer
from .records import ExtractedQuote, ParsedArticle, QuoteSpan, SpeakerMention
from .text import MAX_SENTENCE_CHARS, first_sentence, has_sentence_boundary, sentence_starts

# ---------------------------------------------------------------------------------------------------
# Lexicons

from .lexicon import VERB_RE, SPEAKER_FOLLOWS  # noqa
PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"it", "they", "we", "i"}
RELATIVE_PRONOUNS = {"who", "which"}
# Titles and honorifics that precede a name and are not part of it.
TITLES = frozenset(
    """mr mrs ms miss dr sen senator rep representative gov governor gen general lt col colonel maj major
    capt captain adm admiral sgt president vice prime minister secretary speaker chairman chairwoman
    chair judge justice ambassador mayor king queen prince princess pope sheikh deputy foreign defense
    defence chancellor premier attorney chief director commissioner rev reverend sir lord lady dame
    former candidate presidential nominee leader spokesman spokeswoman spokesperson press envoy
    professor prof congressman congresswoman councilman councilwoman lieutenant commander state
    major-general lieutenant-general brigadier-general rear-admiral vice-president first
    republican democrat democratic gop host anchor coach dean bishop cardinal rabbi imam
    """.split()
)
ROLE_NOUNS = frozenset(
    """spokesman spokeswoman spokesperson minister secretary president senator envoy ambassador chief
    head director official officials adviser advisor chairman chairwoman chair leader governor
    representative congressman congresswoman candidate nominee professor analyst economist
    strategist manager aide lawyer attorney general commander member mayor judge expert researcher
    scientist founder executive editor correspondent reporter host pollster consultant speaker
    deputy diplomat officer agent activist organizer voter supporter resident owner writer author
    columnist historian staff staffer operative chairman lawmaker legislator delegate campaign
    businessman businesswoman billionaire entrepreneur physician doctor surgeon teacher student
    pastor priest ceo president-elect commentator blogger contributor fellow scholar senior
    prosecutor investigator sheriff police detective spokesmen rival opponent challenger ally
    friend colleague critic""".split()
)
# Nouns that refer back to a person already named ("the pontiff", "the Wisconsin Republican").
PERSON_NOUNS = frozenset(
    "republican democrat pontiff pope billionaire mogul businessman candidate nominee frontrunner front-runner".split()
)
# Capitalised words that start sentences or name times and places, never people.
NOT_NAMES = frozenset(
    """the a an and but or so yet if when while as at in on of for from to by with after before since
    because although though however meanwhile this that these those there here then now it its his her
    their our my your we they he she i you mr mrs ms monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec today tomorrow yesterday last next one two three
    all some many most more other such what who which where why how yes no not also still even just
    speaking asked according regarding despite during under over about against into through between
    god christmas easter street avenue square county city state states university college
    north south east west new los las san santa fort mount lake saint st another every each both
    either neither any""".split()
)
PLACE_WORDS = frozenset(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii
    idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
    minnesota mississippi missouri montana nebraska nevada hampshire jersey mexico york carolina dakota
    ohio oklahoma oregon pennsylvania rhode island tennessee texas utah vermont virginia washington
    wisconsin wyoming chicago boston angeles vegas moines manhattan brooklyn philadelphia detroit
    atlanta miami houston dallas denver seattle cleveland orlando tampa phoenix charleston columbia
    aleppo damascus moscow astana geneva""".split()
)
# Words that are also surnames: a name may end with them ("Marty West", "Peter King").
SURNAME_WORDS = frozenset(
    "west north south east long young white black brown green rich may june king hope price".split()
)
# Last words of place names, which are never people ("Vero Beach", "Central Park").
PLACE_HEADS = frozenset(
    "beach park county river valley island bay hill heights springs falls street avenue road bridge square".split()
)
DATELIKE_RE = re.compile(
    r"\s+(?:on|last|this|earlier|late|early)\s+"
    r"(?:[A-Z][a-z]+day|week|month|year|night|morning|afternoon|evening)[\s,]*$"
)
TRAILING_ADVERBS_RE = re.compile(
    r"(?:\s+(?:also|has|had|have|would|will|later|previously|once|again|recently|then|first|"
    r"yesterday|today|earlier|repeatedly|simply|publicly|privately|flatly|bluntly|quickly|"
    r"often|frequently|separately|too|himself|herself|in a statement|in an interview|on twitter))+$",
    re.IGNORECASE,
)
LEADING_FILLER_RE = re.compile(
    r"^(?:and|but|so|as|then|while|when|since|because|after|also|speaking [^,]*|meanwhile)\s+", re.IGNORECASE
)
NAME_SUFFIX = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# Runs of two or more capitalised words, the candidates for a full name, with a title or honorific
# in front ("Sen. Chuck Grassley").
CAP_MULTI_RE = re.compile(
    r"[A-Z][\w'’\-]*\.?(?:\s+(?:(?:de|van|von|bin|al|la|del|da|der|le|di|du)\s+)?(?:[A-Z][\w'’\-]*\.?|[A-Z]\.))+"
)
# "the ministry's spokeswoman": a role naming an organisation mentioned before
BODY_HEADS = (
    r"(ministry|department|agency|committee|council|commission|office|campaign|company|organi[sz]ation|group"
    r"|party|government|embassy)"
)
POSSESSIVE_HEAD_RE = re.compile(rf"(?:\b[Tt]he |^){BODY_HEADS}['’]s\b", re.IGNORECASE)
OPENING_MARKS = "\"“«'‘"
JOINER_RE = re.compile(r"[\"”’'»,\s]*(?:and|or|,)[\s\"“‘'«]*")
WITH_NAME_RE = re.compile(r"\bwith ((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*)\s+(?:[a-z]+ly\s+)?$")
# Where a role in front of a name starts: "comments made by | US State Department spokesperson John Kirby"
ROLE_START_RE = re.compile(r"\b(?:by|to|from|with|said|says|told|and|for|that|at)\s+(?=[^a-z]|the\b|former\b)")
INVERTED_END_RE = re.compile(
    r"\s+(?:said|says|in an?|on|at|during|after|before|that|because|when|while|who)\b|[;:!?—]|\.$"
)
# "Name:" right before the quote, with no verb
COLON_NAME_RE = re.compile(r"(?:^|[-–—]\s+)((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w'’-]*)\s*:\s*$")
# A paragraph that signs the quotation before it: "- Sanders." / "—President Obama, tweeting ..."
DASH_SIGNATURE_RE = re.compile(r"[-–—]+\s*((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w'’-]*)[.,]?(?:\s|$)")
# A remark named by whose it is, right before the quote: "Ginsburg's comments that", "Trump's call for"
# (not "her remark": the last woman named is too often not the one who made it)
POSSESSIVE_SPEECH_RE = re.compile(
    r"\b(?P<name>(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'-]*)['’]s\s+"
    r"(?:[\w-]+\s+){0,2}(?:remarks?|comments?|call|calls|promise|pledge|claim|statement|words|warning|assertion"
    r"|vow|quip|tweet|description|insistence|boast|admission|declaration|demand|charge|accusation)"
    r"(?:\s+(?:that|of|for|to|about|on))?\s*,?$"
)
RELATIVE_END_RE = re.compile(r"(?:,\s*|\s+)who\s*$")
SUBJECT_PRONOUN_RE = re.compile(r"\b([Hh]e|[Ss]he)\b")
ACRONYM_RE = re.compile(r"[A-Z]{2,6}")
# Nouns that refer back to an organisation already named ("the company wrote").
BODY_NOUNS = frozenset(
    "company organization organisation group firm agency committee campaign ministry department union".split()
)
HONORIFICS = frozenset("mr mrs ms miss dr".split())
# Unnamed sources: "a senior Cruz adviser", "one person close to the campaign", "another supporter".
UNNAMED_LEADS = frozenset("a an one another two three several some".split())
UNNAMED_NOUNS = ROLE_NOUNS | PERSON_NOUNS | frozenset(
    """source person people man woman official aide adviser advisor worker employee insider observer
    participant attendee witness protester republican democrat conservative liberal independent
    veteran lawmaker staffer supporter voter resident member strategist operative donor ally negotiator
    organizer""".split()
)
# Where the description of an unnamed source ends: "a Mexican official | who was not authorized ..."
UNNAMED_END_RE = re.compile(r"\s+(?:who|whom|whose|that|which|speaking|because|when|while|on condition)\b|[,;:(]")
MAX_UNNAMED_WORDS = 10
# "Mr. Trump was prompted to", "he was quick to": a subject a few auxiliary words before the verb
NEAR_VERB_RE = re.compile(
    r"((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*|\b[Hh]e|\b[Ss]he)"
    r"(?:\s+(?:was|is|has|had|have|would|will|also|then|later|quickly|repeatedly|prompted|quick|"
    r"to|went|on|once|again|even|just|did|does|not|never|still|only|been|being|could|might|may|"
    r"must|should|can|able|later|first|eventually|finally|too)){1,5}\s*$"
)
POSSESSIVE_S_RE = re.compile(r"['’]s\b")
INITIALS_RE = re.compile(r"(?:[A-Z]\.)+|[JS]r\.")
ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
PART_SPLIT_RE = re.compile(r",|\s+—\s+|\s+–\s+|\s+--\s+")
PARENTHETICAL_RE = re.compile(r"\s*\([^()]{0,80}\)")
NAME_PARTICLES = frozenset("de van von bin al la del da der le di du".split())
RELATIVE_LEAD_RE = re.compile(r"^(?:to|of|for|with|by|at|in) (?:which|whom)\s+")
DETERMINERS = frozenset("the a an this".split())
SKIPPED_PART_STARTS = frozenset(
    "who whose which of at for from with by about against into toward towards like than in on to".split()
)
PREPOSITIONS = frozenset("for of at to with by from about against on in into toward towards like than".split())
# First words of an introductory phrase before a sentence's subject ("Hours later, she ...").
INTRO_WORDS = frozenset(
    """in at on after before during later earlier hours days weeks months years meanwhile still yet
    however asked speaking when while as since although though if because last this that for with
    by from under over despite according regarding following instead indeed moreover also then
    now today yesterday tonight ultimately finally again once separately similarly likewise like
    here there ever
    unlike amid among across within without through throughout upon per whether what where why how
    fifteen twenty thirty minutes seconds moments shortly soon even only just
    """.split()
)
CLOSING_JUNK = " \t\"”»'’,.;:!?—–-"
MAX_SUBJECT_WORDS = 14
MAX_ROLE_SPOTS = 3  # a role is given where a person is first named, if anywhere

# Confidence of each way of finding the speaker.
CONFIDENCE = {"after": 0.95, "before": 0.85, "same_sentence": 0.75, "same_paragraph": 0.7, "previous_paragraph": 0.6}
PRONOUN_PENALTY = 0.1


# ---------------------------------------------------------------------------------------------------
# People in the article


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

    def __init__(self, text: str, gazetteer: Gazetteer, end: int | None = None):
        self.text = text
        self.gazetteer = gazetteer
        self.people: list[Person] = []
        self.by_last: dict[str, Person] = {}
        self.end = len(text) if end is None else end
        self.sentences = SentenceIndex(text, self.end)
        self.mentions: list[Mention] = []  # people, in text order
        self._organisations: list[tuple[int, str]] | None = None  # found when first needed
        self._collect_people(len(text) if end is None else end)
        self.mentions.sort(key=lambda mention: mention.start)

    @property
    def organisations(self) -> list[tuple[int, str]]:
        """(offset, name) of the organisations the article names; the scan is costly, so it only
        runs for articles with a quote that needs it ("It said", "the ministry's spokeswoman")."""
        if self._organisations is None:
            text = self.text[:self.end]
            known = [(start, value[0]) for start, _, kind, value in self.gazetteer.find(text) if kind == "organisation"]
            self._organisations = sorted(known + self._unknown_organisations())
        return self._organisations

    def _unknown_organisations(self) -> list[tuple[int, str]]:
        """(offset, name) of capitalised names ending in an organisation's head noun ("United Gun
        Group"): found from the head nouns backwards, which is much faster than a regex over
        every capitalised word."""
        found = []
        for match in ORG_HEAD_RE.finditer(self.text, 0, self.end):
            words = self.text[max(0, match.start() - 80):match.start()].split()[-5:]
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
                offset = match.end() - len(" ".join(name_tokens))
                person = self.person_for(" ".join(name_tokens))
                person.spots.append((offset, match.end()))
                self.mentions.append(Mention(match.start(), "person", person))
        for person in list(self.by_last.values()):
            surname = last_name(person.name.split())
            spot_ends = {spot_end for _, spot_end in person.spots}  # the full names, already counted
            position = text.find(surname, person.spots[0][0] if person.spots else 0, end)
            while position >= 0:
                stop = position + len(surname)
                whole_word = (position == 0 or not text[position - 1].isalnum()) and (
                    stop >= len(text) or not text[stop].isalnum())
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

    def by_first_name(self, word: str) -> Person | None:
        """The one person of the article with this first name ("Donald"), if only one has it."""
        matches = [p for p in self.people if len(p.name.split()) >= 2 and p.name.split()[0] == word]
        return matches[0] if len(matches) == 1 else None

    def speaks_elsewhere(self, word: str) -> bool:
        """Whether the article elsewhere writes the word as a speaker ("Sanders said", "Sen.
        Sanders"): then a lone capitalised subject ("Sanders compared himself ...") is a surname."""
        return re.search(rf"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.?\s+{re.escape(word)}\b|\b{re.escape(word)}\s+"
                         rf"(?:said|says|told|added|asked|wrote|argued|replied|stated|tweeted)\b)", self.text) is not None

    def lowercase_elsewhere(self, word: str) -> bool:
        """Whether the article also writes the word in lowercase: then it is no name ("Couple")."""
        return re.search(rf"\b{re.escape(word.lower())}\b", self.text) is not None

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
        clause_start = max(text.rfind("\n", 0, name_start) + 1, name_start - 160)
        before = text[clause_start:name_start]
        role = ""
        # "role, Name," apposition
        if before.rstrip().endswith(",") and text[name_end:name_end + 1] in (",", ")"):
            segment = before.rstrip()[:-1]
            cut = max(segment.rfind(","), segment.rfind(". "), segment.rfind("("))
            segment = segment[cut + 1:]
            role = clean_role(segment)
            if not looks_like_role(role):
                role = ""
        if not role:
            # "Kremlin spokesman Dmitry Peskov": the words in front of the name, back to a break
            cut = max(before.rfind(","), before.rfind(". "), before.rfind(":"), before.rfind("("), before.rfind('"'),
                      before.rfind("“"), before.rfind("”"))
            segment = before[cut + 1:]
            segment = ROLE_START_RE.split(segment)[-1]
            candidate = clean_role(segment)
            if looks_like_role(candidate) and not candidate.lower().startswith(("a ", "an ")):
                role = candidate
        if not role and text[name_end:name_end + 2] == ", ":
            # "John Smith, a spokesman for X," apposition after the name
            after = text[name_end + 2:name_end + 160]
            stop = re.search(r"[,.;:”\"()]|\bsaid\b|\bsays\b|\btold\b", after)
            segment = after[:stop.start()] if stop else ""
            candidate = clean_role(segment)
            if looks_like_role(candidate):
                role = candidate
        return resolve_possessive(role, self, name_start)

    def person_just_before(self, position: int, within: int = 60) -> Person | None:
        """The person whose name ends right before `position` ("Donald Trump| , who"), if any."""
        for mention in reversed(self.mentions):
            if mention.start < position:
                if mention.start < position - within:
                    return None
                # only the name (and "of Florida") between it and the position: not "Obama's listeners, who"
                between = self.text[mention.start:position].replace(",", " ").split()
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
        for start, name in reversed(self.organisations):
            if start < before and head.lower() in name.lower():
                return name
        return None


ROLE_ABBREVIATIONS = {"sen.": "senator", "rep.": "representative", "gov.": "governor", "gen.": "general",
                      "lt.": "lieutenant", "col.": "colonel", "sec.": "secretary", "pres.": "president"}


def expand_abbreviations(role: str) -> str:
    """Lowercase role with "Sen." read as "senator", so "the senator" finds "Sen. Chuck Grassley"."""
    return " ".join(ROLE_ABBREVIATIONS.get(word, word) for word in role.lower().split())


def last_name(words: list[str]) -> str:
    rest = [w for w in words if w.lower() not in NAME_SUFFIX] or words
    return rest[-1].rstrip(",")


def is_name_token(token: str) -> bool:
    """"Ryabkov", "O'Malley", "Jäger", "J.", "de", "al-Assad"; not "ABSTRACT" nor "said"."""
    if INITIALS_RE.fullmatch(token) or token.lower() in NAME_PARTICLES | NAME_SUFFIX or token.startswith("al-"):
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
    return (is_name_token(token) and not token.endswith(".") and bare not in TITLES and bare not in NOT_NAMES
            and bare not in PLACE_WORDS and bare not in ORG_HEAD_WORDS and not gazetteer.is_actor_word(token))


def _split_name(tokens: list[str], gazetteer: Gazetteer) -> tuple[list[str], list[str]]:
    name: list[str] = []
    i = len(tokens)
    while i > 0:
        token = tokens[i - 1]
        core = token if INITIALS_RE.fullmatch(token) else token.rstrip(",.;:'’\"”")
        if core.endswith(("'s", "’s")):
            core = core[:-2]
        bare = core.lower()
        # after "Mr." or "Ms." comes a name even if it reads as a title ("Mr. Prince")
        after_honorific = i >= 2 and (
            tokens[i - 2].rstrip(".").lower() in HONORIFICS or INITIALS_RE.fullmatch(tokens[i - 2]) is not None
        )
        # last word after a first name: "Marty West", "Howard Dean", "Theresa May"
        surname_position = not name and i >= 2 and (bare in SURNAME_WORDS or bare in TITLES) and looks_like_first_name(
            tokens[i - 2], gazetteer)
        if not (after_honorific or surname_position) and (bare in TITLES or bare in NOT_NAMES or bare in PLACE_WORDS):
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
    while name and INITIALS_RE.fullmatch(name[-1]) and not name[-1].endswith("r."):
        name.pop()
    if name and name[0].lower() in NAME_SUFFIX:
        name = []
    if len(name) == 1 and gazetteer.is_actor_word(name[0]):
        name = []
    if len(name) >= 2 and gazetteer.names_actor(name):
        name = []
    return name, tokens[:i]


def clean_role(segment: str) -> str:
    segment = segment.strip().strip(",;:").strip()
    segment = ARTICLE_RE.sub("", segment)
    segment = strip_tail(segment, TRAILING_ADVERBS_RE)
    return segment.strip()


def strip_tail(text: str, pattern: re.Pattern, tail: int = 100) -> str:
    """pattern (anchored at the end) removed from text, searching only its last characters:
    an end-anchored regex would otherwise be tried at every position of a long subject."""
    if len(text) <= tail:
        return pattern.sub("", text)
    return text[:-tail] + pattern.sub("", text[-tail:])


def looks_like_role(role: str) -> bool:
    words = role.split()
    if not words or len(words) > 12:
        return False
    lowered = {w.strip(",.").lower() for w in words}
    return bool(lowered & ROLE_NOUNS) or bool(lowered & TITLES - {"state", "first", "former"})


def resolve_possessive(role: str, context: "ArticleContext", position: int) -> str:
    """"the ministry's spokeswoman" -> "Russian Foreign Ministry spokeswoman", naming the latest
    organisation of that kind the article mentioned."""
    match = POSSESSIVE_HEAD_RE.search(role)
    if not match:
        return role
    organisation = context.latest_organisation(position, match.group(1))
    if not organisation:
        return role
    return (role[:match.start()] + organisation + role[match.end():]).strip()


# ---------------------------------------------------------------------------------------------------
# Reporting clauses


@dataclass
class Clause:
    subject: str
    verb: str
    subject_start: int  # offset of the subject in the article text
    where: str  # key of CONFIDENCE
    inverted: bool = False  # the speaker follows the verb: "said Peskov", "according to X"
    strict: bool = False  # a guess from sentence structure: only names the article already gave


def attribute(article: ParsedArticle, spans: list[QuoteSpan], gazetteer: Gazetteer) -> list[ExtractedQuote]:
    text = article.text
    if not spans:
        return []
    # people named after the last quote (and its attribution) cannot be anybody's speaker
    context = ArticleContext(text, gazetteer, end=min(len(text), spans[-1].end + 400))
    results: list[ExtractedQuote] = []
    previous: ExtractedQuote | None = None
    for index, span in enumerate(spans):
        following = spans[index + 1] if index + 1 < len(spans) else None
        speaker, verb, confidence = find_speaker(text, span, following, previous, context)
        confidence = round(confidence, 2) if speaker else 0.0
        quote = ExtractedQuote(span=span, speaker=speaker, verb=verb, confidence=confidence)
        results.append(quote)
        previous = quote
    return results


def find_speaker(text: str, span: QuoteSpan, following: QuoteSpan | None, previous: ExtractedQuote | None,
                 context: ArticleContext) -> tuple[SpeakerMention | None, str, float]:
    """(speaker, verb, confidence) for one quote, trying the ways of the module docstring in order."""
    previous_end = previous.span.end if previous else 0
    paragraph_start = text.rfind("\n\n", 0, span.start)
    paragraph_start = 0 if paragraph_start < 0 else paragraph_start + 2
    paragraph_end = text.find("\n\n", span.end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    sentences = context.sentences
    sentence_start = sentences.last_start(paragraph_start, span.start)
    embedded = bool(text[max(sentence_start, previous_end):span.start].strip(OPENING_MARKS + CLOSING_JUNK))

    ended = span.text.rstrip("'’\")] ")[-1:] in ".!?" and text[span.end:span.end + 4].lstrip(CLOSING_JUNK)[:1].isupper()
    if not (embedded and ended):
        # words after a quote that ended its sentence belong to the next sentence
        after = clause_after(text, span.end, min(following.start if following else len(text), paragraph_end))
        found = first_speaker(after, context, previous)
        if found and not found[0].is_unnamed:
            return found
    else:
        found = None
    before = clause_before(text, max(paragraph_start, previous_end), span.start, sentences)
    # 'Trump claimed that "...," one of the prosecutors said': the named speaker before wins
    named_before = first_speaker(before, context, previous)
    if named_before and (found is None or not named_before[0].is_unnamed):
        return named_before
    if found:
        return found

    if not embedded and text[span.end:paragraph_end].strip(CLOSING_JUNK) == "":
        # a quotation paragraph signed on the next line: '"..."' / '- Sanders.' / '-President Obama, tweeting'
        signature = DASH_SIGNATURE_RE.match(text, paragraph_end + 2) if paragraph_end + 2 < len(text) else None
        if signature:
            speaker, penalty = resolve(Clause(signature.group(1), "", signature.start(1), "after", inverted=True),
                                       context, previous)
            if speaker is not None:
                return speaker, "", CONFIDENCE["after"] - penalty
    where = inherited(text, previous.span, span, paragraph_start) if previous and previous.speaker else None
    if where == "same_sentence":
        return previous.speaker, previous.verb, CONFIDENCE[where]
    if following is not None and JOINER_RE.fullmatch(text[span.end:following.start]):
        # '"A" and "B," Howard Dean proclaimed': both quotes share the clause after the second
        for clause in clause_after(text, following.end, paragraph_end):
            speaker, penalty = resolve(clause, context, previous)
            if speaker is not None:
                return speaker, clause.verb, CONFIDENCE["same_sentence"] - penalty
    if embedded:
        for clause in sentence_subject(text, sentence_start, span.start):
            speaker, penalty = resolve(clause, context, previous)
            if speaker is not None:
                return speaker, clause.verb, CONFIDENCE["same_sentence"] - penalty
        # "When he returned he began by saying, '...'": the last he or she before the quote
        pronoun = None
        for pronoun in SUBJECT_PRONOUN_RE.finditer(text, sentence_start, span.start):
            pass
        if pronoun:
            person = pronoun_person(context, pronoun.start(), previous)
            if person:
                return mention_for(person, context), "", CONFIDENCE["same_sentence"] - 2 * PRONOUN_PENALTY
    if where:
        return previous.speaker, previous.verb, CONFIDENCE[where]
    if not embedded and sentence_start > paragraph_start:
        # 'Bolton distanced himself from ... . "I'm going to support him"': the previous sentence's subject
        end_of_previous = sentence_start
        while end_of_previous > paragraph_start and text[end_of_previous - 1].isspace():
            end_of_previous -= 1
        previous_sentence = sentences.last_start(paragraph_start, end_of_previous)
        for clause in sentence_subject(text, previous_sentence, sentence_start)[:1]:
            speaker, penalty = resolve(clause, context, previous)
            if speaker is not None:
                return speaker, "", CONFIDENCE["previous_paragraph"] - penalty
    if not embedded and paragraph_start >= 2:
        # a paragraph opening with a quotation carries on from whoever the previous paragraph is about
        clause = previous_paragraph_subject(text, paragraph_start, sentences)
        if clause:
            speaker, _penalty = resolve(clause, context, previous)
            if speaker is not None:
                return speaker, "", CONFIDENCE["previous_paragraph"]
    return None, "", 0.0


def first_speaker(clauses: list["Clause"], context: ArticleContext, previous: ExtractedQuote | None):
    """(speaker, verb, confidence) from the first clause that names somebody, or None."""
    for clause in clauses:
        speaker, penalty = resolve(clause, context, previous)
        if speaker is not None:
            return speaker, clause.verb, CONFIDENCE[clause.where] - penalty
    return None


def inherited(text: str, previous: QuoteSpan, span: QuoteSpan, paragraph_start: int) -> str | None:
    """How a quote with no clause of its own continues the previous quote's speaker, if it does."""
    between = text[previous.end:span.start]
    if "\n\n" not in between:
        one_sentence = not has_sentence_boundary(between.strip(CLOSING_JUNK) + " ")
        return "same_sentence" if one_sentence else "same_paragraph"
    # A paragraph that opens with a quotation, right after the paragraph holding the previous one.
    if text[paragraph_start:span.start].strip(" " + OPENING_MARKS) == "" and between.count("\n\n") == 1:
        return "previous_paragraph"
    return None


def clause_after(text: str, quote_end: int, limit: int) -> list[Clause]:
    """'"...," Peskov said' / '"...," said the spokesman' / '"...," according to X'."""
    start = quote_end
    while start < limit and text[start] in CLOSING_JUNK + "“«":  # "“" misused as a closing mark too
        start += 1
    window = text[start:min(limit, start + 200)]
    sentence = first_sentence(window)
    match = VERB_RE.search(sentence)
    if not match:
        return []
    subject = sentence[:match.start()].strip()
    verb = (match.group("verb") + (match.group("object") or "")).strip()
    following = INVERTED_END_RE.split(sentence[match.end():])[0].strip().rstrip(",")
    inverted = [Clause(following, verb, start + match.end(), "after", inverted=True)] if following else []
    if match.group("verb").lower() in SPEAKER_FOLLOWS or not subject:
        return inverted
    clauses = []
    first_part = subject.split(",")[0]
    if ";" not in subject and (len(subject.split()) <= MAX_SUBJECT_WORDS or len(first_part.split()) <= 6):
        clauses.append(Clause(subject, verb, start, "after"))
    elif "," in subject and len(subject.rsplit(",", 1)[1].split()) <= 4:
        # 'Fundraising was "stagnant" as donors waited to see ..., he said.': the words before the verb
        tail = subject.rsplit(",", 1)[1]
        clauses.append(Clause(tail.strip(), verb, start + len(subject) - len(tail.lstrip()), "after"))
    if subject.endswith(","):
        # '"...," like the recent volatility, said Richard Curtin'
        clauses += inverted
    return clauses


def clause_before(text: str, window_start: int, quote_start: int, sentences: "SentenceIndex") -> list[Clause]:
    """'Peskov said "..."' / 'X said that ... "..."' / 'According to X, ... "..."' / ', he said, "B."'."""
    while window_start < quote_start and text[window_start] in CLOSING_JUNK + "\n":
        window_start += 1
    window_offset = sentences.last_start(window_start, quote_start)
    window = text[window_offset:quote_start]
    clauses = []
    if not window.strip(" " + OPENING_MARKS):
        # '"They're worried," Carson said. "There is no question about it."': the sentence before
        clauses += previous_sentence_clause(text, window_offset, sentences)
    colon = COLON_NAME_RE.search(window.rstrip(" " + OPENING_MARKS))
    if colon:
        # newsletter digests: "Pollsters agree - Carl Bialik: “...”"
        clauses.append(Clause(colon.group(1), ":", window_offset + colon.start(1), "before"))
    for match in reversed(list(VERB_RE.finditer(window))):
        verb = (match.group("verb") + (match.group("object") or "")).strip()
        if match.group("verb").lower() in SPEAKER_FOLLOWS:
            subject = re.split(r",|\s+(?:said|says|in an?|on|at|during|that)\b", window[match.end():])[0]
            if subject.strip():
                clauses.append(Clause(subject.strip(), verb, window_offset + match.end(), "before", inverted=True))
            continue
        if verb.endswith("ing"):
            # "with Gorka noting ...": the name just before; "..., saying": the sentence's subject
            with_name = WITH_NAME_RE.search(window[:match.start()])
            if with_name:
                clauses.append(Clause(with_name.group(1), verb, window_offset + with_name.start(1), "before"))
            continue
        subject = window[:match.start()]
        if not subject.strip():
            # inverted in front of the quote: 'said Peskov: "..."'
            after = re.split(r"[,:;.]|\s+(?:that|in|on|at)\b", window[match.end():])[0]
            if after.strip():
                clauses.append(Clause(after.strip(), verb, window_offset + match.end(), "before", inverted=True))
            continue
        clauses.append(Clause(subject, verb, window_offset, "before"))
        if subject.rstrip().endswith((",", '"', "”", "''", "“")):
            # '"The risk," said Edward Leamer, an economist, "is that ..."'
            after = re.split(r"[,:;.]|\s+(?:that|in|on|at)\b", window[match.end():])[0]
            if after.strip()[:1].isupper():
                clauses.append(Clause(after.strip(), verb, window_offset + match.end(), "before", inverted=True))
    # last: a reporting verb in the sentence names the speaker, not the remark's owner
    possessive = POSSESSIVE_SPEECH_RE.search(window.rstrip(" " + OPENING_MARKS))
    if possessive:
        # "Ginsburg's comments that "...", "Trump's call for "...": whoever the remark belongs to
        clauses.append(Clause(possessive.group("name"), "", window_offset + possessive.start(), "before"))
    return clauses


def previous_sentence_clause(text: str, sentence_start: int, sentences: "SentenceIndex") -> list[Clause]:
    """A short attribution sentence just before a quote that opens its own sentence:
    '"They're worried," Carson said. "There is no question ..."', 'Sam Lau, ..., said in a statement. "..."'."""
    paragraph_start = text.rfind("\n\n", 0, sentence_start)
    paragraph_start = 0 if paragraph_start < 0 else paragraph_start + 2
    previous_begin = max(paragraph_start, sentence_start - 400)
    previous = text[previous_begin:sentence_start].rstrip()
    if not previous.endswith((".", ":")):
        return []
    start = sentences.last_start(previous_begin, previous_begin + len(previous)) - previous_begin
    closing = max(previous.rfind(mark, start) for mark in ('" ', "” ", "'' ", "“ "))
    start = max(start, closing + 2)  # after a quotation that opens the sentence
    sentence = previous[start:]
    for match in VERB_RE.finditer(sentence):
        rest = sentence[match.end():]
        if len(rest) <= 60 and not any(mark in rest for mark in '"“”'):
            subject = sentence[:match.start()]
            if subject.strip():
                return [Clause(subject, match.group("verb"), previous_begin + start, "same_paragraph")]
            following = INVERTED_END_RE.split(rest)[0].strip().rstrip(",.")
            if following:  # '"Safety," said Grimm, a Donald Trump supporter.'
                return [Clause(following, match.group("verb"), previous_begin + start + match.end(), "same_paragraph",
                               inverted=True)]
            break
    return []


def sentence_subject(text: str, sentence_start: int, quote_start: int) -> list[Clause]:
    """The grammatical subject leading the sentence a quote sits in ("Obama described the attack
    as ...", "Hours later, she issued a statement calling ..."): the source of a partial quote.
    One candidate per comma-separated part, the first parts first."""
    window = text[sentence_start:quote_start]
    offset = sentence_start
    candidates = []
    for part in window.split(",")[:4]:
        part_offset = offset
        offset += len(part) + 1
        words = part.strip(" " + OPENING_MARKS + CLOSING_JUNK).split()
        if words and words[0].lower() in ("and", "but", "so", "then", "still", "yet", "now", "both"):
            words = words[1:]
        if not words or words[0].lower() in INTRO_WORDS or words[0].lower() in RELATIVE_PRONOUNS:
            continue
        start = part_offset + max(0, part.find(words[0]))
        if words[0].lower() in PRONOUNS or words[0].lower() in GROUP_PRONOUNS:
            candidates.append(Clause(words[0], "", start, "same_sentence", strict=True))
            continue
        # the noun phrase: capitalised words, bridged by titles and modifiers before a capitalised
        # word ("Republican presidential front-runner Donald Trump called ...")
        head = []
        if words[0].lower() == "the" and len(words) > 1:
            head, words = [words[0]], words[1:]  # "the DNC issued", "The Florida senator sought"
        for position, word in enumerate(words[:10]):
            bare = word.lower().strip(",.’'")
            ahead = words[position + 1:position + 3]
            modifier = bare in TITLES or bare in ROLE_NOUNS or "-" in bare or bare.endswith(("al", "ic", "an", "ive"))
            if word[:1].isupper() or bare in NAME_PARTICLES or bare in ("of", "and") \
                    or (modifier and any(w[:1].isupper() for w in ahead)):
                head.append(word)
            else:
                break
        while head and (head[-1].lower() in ("the", "of", "and") or not head[-1][:1].isupper()):
            head.pop()
        if head and head[0].lower() == "the" and len(words) > len(head) - 1:
            following_word = words[len(head) - 1].lower().strip(",.")
            if following_word in ROLE_NOUNS:
                head.append(following_word)  # "The Florida senator"
        if head and head != ["the"] and head != ["The"]:
            candidates.append(Clause(" ".join(head), "", start, "same_sentence", strict=True))
    return candidates


def previous_paragraph_subject(text: str, paragraph_start: int, sentences: "SentenceIndex") -> Clause | None:
    """Who the last sentence of the previous paragraph is about, if it is a person."""
    previous_start = text.rfind("\n\n", 0, paragraph_start - 2)
    previous_start = 0 if previous_start < 0 else previous_start + 2
    previous = text[previous_start:paragraph_start - 2]
    if not previous or previous.lstrip()[:1] in OPENING_MARKS:
        return None  # a quotation paragraph: the previous quote's speaker already had its chance
    sentence_start = sentences.last_start(previous_start, paragraph_start - 2)
    candidates = sentence_subject(text, sentence_start, paragraph_start - 2)
    return candidates[0] if candidates else None


class SentenceIndex:
    """Sentence starts of an article's text, found once, so each quote's lookups are a bisect."""

    def __init__(self, text: str, end: int):
        self.starts = sentence_starts(text, 0, end)

    def last_start(self, start: int, end: int) -> int:
        """Offset where the last sentence in text[start:end] starts (at most MAX_SENTENCE_CHARS back)."""
        index = bisect.bisect_right(self.starts, end) - 1
        found = self.starts[index] if index >= 0 else 0
        return max(start, found, end - MAX_SENTENCE_CHARS)


# ---------------------------------------------------------------------------------------------------
# Subjects -> speakers


def resolve(clause: Clause, context: ArticleContext,
            previous: ExtractedQuote | None) -> tuple[SpeakerMention | None, float]:
    """The speaker a clause's subject names, and a confidence penalty for indirect references."""
    subject = PARENTHETICAL_RE.sub("", clause.subject) if "(" in clause.subject else clause.subject
    relative = RELATIVE_END_RE.search(subject) if not clause.inverted else None
    if relative:
        # "... such as Sen. Marco Rubio of Florida, who mused that": the person named just before "who"
        person = context.person_just_before(clause.subject_start + relative.start())
        if person:
            return mention_for(person, context), 0.0
    subject = strip_tail(subject, DATELIKE_RE)
    subject = strip_tail(subject, TRAILING_ADVERBS_RE).strip().rstrip(",").strip()
    subject = LEADING_FILLER_RE.sub("", subject)
    raw_parts = [LEADING_FILLER_RE.sub("", part.strip()) for part in PART_SPLIT_RE.split(subject)]
    raw_parts = [part for part in raw_parts if part]
    # appositions and introductory phrases: "of RBC Capital Markets", "who used to ...", "On Monday"
    parts = [RELATIVE_LEAD_RE.sub("", part) for part in raw_parts]  # "to which O'Malley" -> "O'Malley"
    parts = [part for part in parts if part and part.split()[0].lower() not in SKIPPED_PART_STARTS]
    if not parts:
        return None, 0.0
    # "said Monte Shaw, executive director of ..." names first; "the chief of ..., John Kirby" last
    ordered = parts if clause.inverted else list(reversed(parts))
    if len(raw_parts) >= 2 and raw_parts[1][:1].islower() and not clause.inverted and parts[0] == raw_parts[0]:
        # "Giovanni Maria Vian, the editor in chief of ..., L'Osservatore Romano, said" and
        # "Mr. Slinker, whose start-up, Paradata, ..., said": the name before the apposition
        ordered = [parts[0]] + ordered
    for part in ordered[:4]:
        person = person_in(part, context, strict=clause.strict)
        if person:
            return mention_for(person, context), 0.0
    for part in parts[:3]:
        speaker = reference_in(part, clause, context, previous)
        if speaker:
            return speaker
    if not clause.inverted:
        # "Mr. Trump was prompted to say", "he was quick to add": a name a few words before the verb
        near = NEAR_VERB_RE.search(parts[-1])
        if near:
            person = person_in(near.group(1), context, strict=True)
            if person:
                return mention_for(person, context), PRONOUN_PENALTY
            if near.group(1).lower() in PRONOUNS:
                person = pronoun_person(context, clause.subject_start, previous)
                return (mention_for(person, context), PRONOUN_PENALTY) if person else (None, 0.0)
    unnamed = unnamed_source(parts[0] if clause.inverted else parts[-1], context)
    if unnamed:
        return unnamed, PRONOUN_PENALTY
    return None, 0.0


def unnamed_source(part: str, context: ArticleContext) -> SpeakerMention | None:
    """A source the article describes without naming: "a Mexican official who was not authorized
    to speak" -> "a Mexican official"; "one person with knowledge of the talks". Kept as the
    article's description, so readers see who it was as far as the article says, and never merged
    with a named speaker."""
    description = UNNAMED_END_RE.split(part.strip(), maxsplit=1)[0].strip(" " + CLOSING_JUNK)
    words = description.split()
    if len(words) < 2 or len(words) > MAX_UNNAMED_WORDS or words[0].lower() not in UNNAMED_LEADS:
        return None
    nouns = [word.lower().strip(".,’'") for word in words[1:6]]
    if not any(noun in UNNAMED_NOUNS or noun.removesuffix("s") in UNNAMED_NOUNS for noun in nouns):
        return None
    match = context.gazetteer.resolve(description)
    organisation = match.organisation if match.organisation_known else None
    return SpeakerMention(name=description, organisation=organisation, country=match.country, is_unnamed=True)


def reference_in(part: str, clause: Clause, context: ArticleContext, previous: ExtractedQuote | None):
    """(speaker, penalty) for a part that is a pronoun, a role noun or an organisation, or None."""
    words = part.split()
    lowered = words[-1].lower().strip(".,")
    first = words[0].lower()
    if len(words) == 1 and lowered in PRONOUNS:
        person = pronoun_person(context, clause.subject_start, previous)
        return (mention_for(person, context), PRONOUN_PENALTY) if person else (None, 0.0)
    if len(words) == 1 and lowered in RELATIVE_PRONOUNS:
        person = context.latest_person(clause.subject_start + len(clause.subject) + 1)
        return (mention_for(person, context), PRONOUN_PENALTY) if person else (None, 0.0)
    organisation = organisation_subject(part, context, clause.subject_start)
    if organisation:
        return organisation, 0.0
    body = ARTICLE_RE.sub("", part)
    if UNKNOWN_ORG_RE.fullmatch(body) or ACRONYM_RE.fullmatch(body):
        # "United Gun Group said", "the ACU said": a body the reference data does not know yet
        return organisation_mention(body, context), PRONOUN_PENALTY
    if (len(words) == 1 and lowered == "it") or (first == "the" and len(words) == 2 and lowered in BODY_NOUNS):
        # "It added", "the company wrote": the organisation named last
        name = context.latest_organisation(clause.subject_start)
        return (organisation_mention(name, context), PRONOUN_PENALTY) if name else (None, 0.0)
    if first in ("the", "this", "that") and (lowered in ROLE_NOUNS or lowered in PERSON_NOUNS) and len(words) <= 4:
        # "the spokesman", "the Florida senator", "the Wisconsin Republican": the latest person
        # described so, else the person the text is about
        person = context.latest_person(clause.subject_start, noun=lowered) or pronoun_person(
            context, clause.subject_start, previous)
        return (mention_for(person, context), PRONOUN_PENALTY) if person else (None, 0.0)
    return None


def person_in(part: str, context: ArticleContext, strict: bool = False) -> Person | None:
    """The person a subject part ends with: "Russian Deputy Foreign Minister Sergey Ryabkov",
    "Mr. Obama", "Peskov", "Mr. Nevins of Showtime". Not a name after a preposition ("a strategist
    for Sanders"), nor an organisation ("CBS News"). With strict, a lone unknown word is no name."""
    person = _person_at_end(part, context, strict)
    if person is None and " of " in part:
        person = _person_at_end(part[:part.index(" of ")], context, strict)
    return person


def _person_at_end(part: str, context: ArticleContext, strict: bool) -> Person | None:
    tokens = POSSESSIVE_S_RE.sub(" ", part).split()
    if not tokens or len(tokens) > MAX_SUBJECT_WORDS:
        return None
    run: list[str] = []
    for token in reversed(tokens):
        if token[:1].isupper() or token.lower() in NAME_PARTICLES:
            run.insert(0, token)
        else:
            break
    if not run:
        return None
    before = tokens[:len(tokens) - len(run)]
    after_preposition = bool(before) and before[-1].lower() in PREPOSITIONS | DETERMINERS
    if len(run) == 1 and context.by_last.get(run[0].rstrip(",.").lower()):
        # a surname the article gave in full ("Cuban said"), unless it follows a preposition
        return None if after_preposition else context.by_last[run[0].rstrip(",.").lower()]
    if context.gazetteer.names_actor(run[-2:]):
        return None  # "CBS News", "the White House"
    name, _titles = split_name(run, context.gazetteer)
    if not name:
        return None
    if after_preposition and not _titles:
        # "a strategist for Sanders", "president of the Log Cabin Republicans"; but "the
        # Washington Post's Ishaan Tharoor", "Speaker of the House Rep. Paul Ryan" are people
        return None
    if len(name) == 1:
        known = context.by_last.get(name[0].lower())
        if known:
            return known
        word = name[0]
        if before or word.lower() in NOT_NAMES or word.lower() in PLACE_WORDS or context.lowercase_elsewhere(word):
            return None
        if strict and not _titles and not context.speaks_elsewhere(word):
            return None
        return context.person_for(word)
    role = clean_role(part[:part.rfind(name[0])]) if part.rfind(name[0]) > 0 else ""
    person = context.person_for(" ".join(name))
    if looks_like_role(role) and not person.role:
        person.role = role
    return person


def pronoun_person(context: ArticleContext, position: int, previous: ExtractedQuote | None) -> Person | None:
    person = context.latest_person(position)
    if previous is not None and previous.speaker is not None and not previous.speaker.is_organisation:
        # the previous speaker, unless somebody else was named since their quote
        named_since = [m for m in context.mentions if previous.span.end <= m.start < position]
        if not named_since:
            return next((p for p in context.people if p.name == previous.speaker.name), person)
    return person


def organisation_subject(head: str, context: ArticleContext, position: int) -> SpeakerMention | None:
    words = head.split()
    if len(words) > 8:
        return None
    lowered = head.lower()
    if lowered.startswith(("the ", "a ")) and words[-1].lower() in ("ministry", "department", "agency", "committee",
                                                                    "council", "commission", "campaign", "government"):
        name = context.latest_organisation(position, words[-1])
        if name:
            return organisation_mention(name, context)
    found = [f for f in context.gazetteer.find(head) if f[2] == "organisation"]
    # the part must be the organisation's name, not a person described by it ("CNN's Jake Tapper")
    if found and found[-1][1] >= len(head.rstrip(" .,;:")):
        body = ARTICLE_RE.sub("", head)
        match = context.gazetteer.resolve(body)
        if match.organisation and not any(w.lower() in ROLE_NOUNS for w in body.split()):
            return organisation_mention(match.organisation, context)
    return None


def organisation_mention(name: str, context: ArticleContext) -> SpeakerMention:
    return SpeakerMention(
        name=name, role="", organisation=name, country=context.gazetteer.organisation_country(name),
        is_organisation=True,
    )


def mention_for(person: Person, context: ArticleContext) -> SpeakerMention:
    role = context.role_of(person)
    match: ActorMatch = context.gazetteer.resolve(role) if role else ActorMatch()
    aliases = tuple(sorted(a for a in person.aliases if a != person.name))
    return SpeakerMention(
        name=person.name, role=format_role(role), organisation=match.organisation, country=match.country,
        aliases=aliases,
    )


def format_role(role: str) -> str:
    """"Russian Ministry of Defense spokesman Major-General" -> "... spokesman, Major-General":
    a rank after the office reads as a separate description."""
    match = re.match(r"^(.*\b[a-z][\w-]*)\s+((?:[A-Z][\w.-]*)(?:\s+[A-Z][\w.-]*)*)$", role)
    if match and match.group(1).split()[-1].lower() in ROLE_NOUNS:
        return f"{match.group(1)}, {match.group(2)}"
    return role
