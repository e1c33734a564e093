"""Primary sources: briefing transcripts, official statements and readouts, read as what they are.

A news article reports what people said; a primary source is the saying itself, so its statements
are not found by quotation marks and reporting verbs (quotes.py, attribution.py) but by its shape:

- a transcript (press briefing, call, gaggle, remarks) is a run of turns, each a paragraph opening
  with a speaker label ("MR. KIRBY:", "THE PRESIDENT:", "Q") that runs to the next label. Every
  official's turn becomes statements of that speaker, one per paragraph (a paragraph of fewer
  than MIN_STATEMENT_WORDS words joins its neighbour), each keeping the reporter's question it
  answers. A question is never a statement; unnamed labels ("MODERATOR:", "SENIOR ADMINISTRATION
  OFFICIAL:") are kept as unnamed sources; stage directions ("(Laughter.)") are dropped.
- an official statement ("Statement by National Security Advisor Jake Sullivan on ...") is, every
  paragraph of it, the statement of the person its title names;
- a readout ("Readout of President Biden's Call with ...") is the issuing office's account: the
  office (the White House) speaks as a body.

Speakers are resolved to the full person: from the title ("Press Briefing by Press Secretary
Karine Jean-Pierre and ... John Kirby"), from the body ("my colleague, John Kirby"), by the nearest
participant for a misspelt label ("MR. SULLIAN:"), and by the office holder of the document's date
for "THE PRESIDENT:" (Reference.office_holders, fixtures/reference/office_holders.json). A surname
that none of these names is kept as a surname: the importer's speaker index then joins it to the one
person of that surname earlier documents named (identity.py).

Everything here is pure: `document_kind(article)` and `statements(article, gazetteer, office_holders)`.
"""

import dataclasses
import difflib
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

from .actors import Gazetteer
from .lexicon import DOCUMENT_ISSUERS, HONORIFICS, NOT_NAMES, TITLES
from .people import ROLE_WORDS, is_name_token
from .records import ExtractedQuote, ParsedArticle, QuoteSpan, SpeakerMention

NEWS, TRANSCRIPT, STATEMENT, READOUT = "news", "transcript", "statement", "readout"

# What a document's title says it is, at its start: the briefing room's own titles. A headline that
# mentions a news conference ("Putin praises Trump at news conference") is a news report.
TRANSCRIPT_TITLE_RE = re.compile(
    r"^(?:(?:on[- ]the[- ]record|background|off[- ]camera|virtual|telephonic|joint|department|daily"
    r"|white\s+house|pentagon|state\s+department)\s+)*"
    r"(?:press\s+briefing|press\s+gaggle|press\s+call|press\s+conference|news\s+conference|gaggle"
    r"|briefing\s+by|remarks\s+(?:by|of)|interview\s+(?:of|with)|transcript\s+of)\b",
    re.IGNORECASE,
)
STATEMENT_TITLE_RE = re.compile(r"^(?:joint\s+)?statements?\s+(?:by|from|of|on|regarding)\b", re.IGNORECASE)
READOUT_TITLE_RE = re.compile(r"^readouts?\s+(?:of|from)\b", re.IGNORECASE)
# The briefing room's sections, in a document's address, when its title says nothing of its kind.
TRANSCRIPT_URL_RE = re.compile(r"/(?:press-briefings|speeches-remarks|press-gaggles?)/", re.IGNORECASE)

# A speaker label opens a paragraph, in capitals, before a colon: "MR. KIRBY:", "MS. JEAN-PIERRE:".
LABEL_RE = re.compile(r"^(?P<label>[A-Z][A-Z.'’\- ]{1,60}?):(?:\s+|$)")
# A reporter's question: "Q", "Q:" at the start of a paragraph.
QUESTION_RE = re.compile(r"^Q\.?(?::\s*|\s+|$)")
# Capitalised words before a colon that are not speakers.
NOT_LABELS = frozenset({"note", "notes", "source", "update", "editor's note", "editor’s note", "ps", "p.s"})
# Labels of people a transcript does not name (matched as words inside the label).
UNNAMED_LABEL_RE = re.compile(
    r"\b(?:official|moderator|operator|aide|staff|staffer|participant|audience member|crew member"
    r"|unidentified|speaker|interpreter|translator|narrator|announcer|host)\b",
    re.IGNORECASE,
)
# Labels of the press, whose turns are questions like "Q".
PRESS_LABELS = frozenset({"q", "reporter", "reporters", "press", "the press", "question"})
# Offices a label may name alone: "THE PRESIDENT:" is the president of the document's date.
OFFICE_LABELS = {
    "the president": "president",
    "president": "president",
    "the vice president": "vice president",
    "vice president": "vice president",
}
# "(Laughter.)", "(Cross-talk.)", "(Inaudible)": a short parenthesis that closes with a period,
# or one of the usual words without it.
STAGE_DIRECTION_RE = re.compile(
    r"\s*\((?:[A-Z][\w’'\-]*(?:\s+[\w’'\-]+){0,4}\.|(?:inaudible|laughter|laughs|applause|crosstalk"
    r"|cross-talk|pause|off-mic|off mic)[\w ]{0,20})\)",
    re.IGNORECASE,
)
# Paragraphs that belong to the page, not to anyone's words: "2:14 P.M. EST", "###", "END".
FURNITURE_RE = re.compile(
    r"^(?:\d{1,2}:\d{2}\s*[AP]\.?\s?M\.?(?:\s+[A-Z]{2,4})?|[#\s]+|end|\*+|-+|the white house"
    r"|(?:for immediate release|office of the press secretary)\.?)$",
    re.IGNORECASE,
)
# A paragraph shorter than this (in words) joins its neighbour in the same turn: "Thanks, Karine."
MIN_STATEMENT_WORDS = 6
# A turn shorter than this ("Go ahead.") is no statement unless it answers a question.
MIN_TURN_WORDS = 3
# A label seen this often in a document is a participant, even when its title does not name them.
PARTICIPANT_TURNS = 3
# How close a misspelt surname must be to a participant's (difflib ratio): "SULLIAN" is Sullivan.
MISSPELLING_CUTOFF = 0.75
# How many characters of a question an answer keeps (a question rarely runs longer).
MAX_QUESTION_CHARS = 2000
# Where the people a title names end: "Statement by X on ...", "Press Gaggle by X en Route ...".
TITLE_TAIL_RE = re.compile(
    r"(?:,?\s+(?:on|regarding|following|welcoming|condemning|about|after|at|in|during|aboard|en route)\b"
    r"|,\s*(?:january|february|march|april|may|june|july|august|september|october|november|december)\b"
    r"|\s+[-–—]\s+).*$",
    re.IGNORECASE,
)
TITLE_PEOPLE_RE = re.compile(r"\b(?:by|from|with)\s+(.+)$", re.IGNORECASE)
# "Statement of Secretary Blinken on ...": "of" names the speaker when nothing else does.
TITLE_OF_RE = re.compile(r"^(?:joint\s+)?statements?\s+of\s+(.+)$", re.IGNORECASE)
# The given name just before a surname ("John Kirby", "Joseph R. Biden"), at the end of the text searched.
GIVEN_NAME_BEFORE_RE = re.compile(r"\b([A-Z][\w’'\-]+)\s+(?:[A-Z]\.\s+)?$")
SUFFIX_RE = re.compile(r",?\s+(?:Jr|Sr)\.?(?=,|\s|$)")
# "of Ukraine" after a name in a title ("President Zelenskyy of Ukraine"): where they are from.
OF_PLACE_RE = re.compile(r"\s+of\s+(?:the\s+)?[A-Z][\w'’\- ]*$")
# Titles after which a title may give a surname alone ("President Biden", "Secretary Blinken").
SURNAME_TITLES = HONORIFICS | frozenset(
    """president secretary minister chancellor premier ambassador admiral general governor senator
    speaker leader director chair chairman chairwoman representative spokesperson spokesman
    spokeswoman king queen prince pope mayor advisor adviser coordinator envoy commissioner
    administrator""".split()
)


@dataclass(frozen=True)
class Participant:
    name: str  # "John Kirby", or a surname alone when nothing gives more ("Smith")
    role: str = ""  # "National Security Council Coordinator for Strategic Communications"
    aliases: tuple[str, ...] = ()


@dataclass
class Turn:
    label: str  # as written, "MR. KIRBY"; "Q" for a question
    kind: str  # "official", "unnamed" or "question"
    parts: list[tuple[int, int]] = field(default_factory=list)  # paragraph spans of its words
    question: str = ""  # the question it answers (officials' and unnamed turns)


def document_kind(article: ParsedArticle) -> str:
    """What the document is: its title first ("Press Briefing by ...", "Statement by ...",
    "Readout of ..."), then its shape (paragraphs opening with speaker labels and questions)."""
    title = " ".join(article.title.split())
    if READOUT_TITLE_RE.search(title):
        return READOUT
    if STATEMENT_TITLE_RE.search(title):
        return STATEMENT
    if TRANSCRIPT_TITLE_RE.search(title):
        return TRANSCRIPT
    labels, questions = Counter(), 0
    for _, paragraph in _paragraphs(article.text):
        if QUESTION_RE.match(paragraph):
            questions += 1
        else:
            match = LABEL_RE.match(paragraph)
            if match and _is_speaker_label(match.group("label")):
                labels[match.group("label")] += 1
    if sum(labels.values()) >= 3 and (questions or len(labels) >= 2):
        return TRANSCRIPT
    if TRANSCRIPT_URL_RE.search(article.url or "") and (labels or questions):
        return TRANSCRIPT
    return NEWS


def statements(
    article: ParsedArticle, gazetteer: Gazetteer, office_holders: list[dict] | tuple = ()
) -> list[ExtractedQuote]:
    """The statements a primary source makes, in reading order (none for a news article)."""
    if article.kind == TRANSCRIPT:
        return _transcript_statements(article, gazetteer, office_holders)
    if article.kind in (STATEMENT, READOUT):
        return _document_statements(article, gazetteer, office_holders)
    return []


def issuer_of(article: ParsedArticle) -> str | None:
    """The office that published the document, from its address ("whitehouse.gov": White House)."""
    try:
        host = (urllib.parse.urlsplit(article.url).hostname or "").lower()
    except ValueError:
        return None
    for pattern, issuer in DOCUMENT_ISSUERS:
        if pattern.search(host):
            return issuer
    return None


# Transcripts -----------------------------------------------------------------------------------


def _transcript_statements(article, gazetteer, office_holders):
    turns = turn_layout(article.text, article.title)
    if not any(turn.kind != "question" for turn in turns):
        # remarks with no speaker labels: the title's speaker says all of it, as in a statement
        return _document_statements(article, gazetteer, office_holders)
    people = _People(article, gazetteer, office_holders, turns)
    out = []
    previous = None
    for turn in turns:
        if turn.kind == "question":
            previous = turn
            continue
        words = sum(_word_count(article.text[start:end]) for start, end in turn.parts)
        answers = previous is not None and previous.kind == "question"
        previous = turn
        if not words or (words < MIN_TURN_WORDS and not answers):
            continue  # "Go ahead." hands the floor on, and says nothing
        speaker = people.speaker_for(turn)
        confidence = 1.0 if speaker and not speaker.is_unnamed else 0.5
        for start, end in _statement_spans(article.text, turn.parts):
            out.append(
                ExtractedQuote(
                    span=QuoteSpan(start, end, _spoken(article.text[start:end]), "turn"),
                    speaker=speaker,
                    confidence=confidence,
                    question=turn.question,
                )
            )
    return out


def turn_layout(text: str, title: str = "") -> list[Turn]:
    """The turns of a transcript's stored text, for its page and for extraction alike."""
    return _turns(text, _known_speakers(text, title))


def _turns(text: str, known: frozenset[str] = frozenset()) -> list[Turn]:
    """The turns of a transcript; what comes before the first label (the room, the time) is none."""
    turns: list[Turn] = []
    for start, paragraph in _paragraphs(text):
        if FURNITURE_RE.match(paragraph) or not _spoken(paragraph):
            continue
        question_match = QUESTION_RE.match(paragraph)
        label_match = None if question_match else LABEL_RE.match(paragraph)
        if label_match and not _is_speaker_label(label_match.group("label"), known):
            label_match = None
        if question_match or label_match:
            label = "Q" if question_match else " ".join(label_match.group("label").split())
            kind = _label_kind(label)
            if kind == "question" and turns and turns[-1].kind == "question":
                turn = turns[-1]  # "Q" twice running: one reporter's question, in two paragraphs
            else:
                turn = Turn(label, kind)
                turns.append(turn)
            offset = (question_match or label_match).end()
            if offset < len(paragraph):
                turn.parts.append((start + offset, start + len(paragraph)))
        elif turns:
            turns[-1].parts.append((start, start + len(paragraph)))
    # each turn keeps the last question asked before it ("Good afternoon." greets, and asks nothing)
    question = ""
    for turn in turns:
        if turn.kind == "question":
            asked = " ".join(_spoken(text[s:e]) for s, e in turn.parts)
            if len(asked.split()) >= MIN_TURN_WORDS:
                question = asked[:MAX_QUESTION_CHARS]
        elif turn.kind == "official":  # a moderator calling on the next reporter answers nothing
            turn.question = question
    return turns


def _label_kind(label: str) -> str:
    low = label.lower().rstrip(".")
    if low in PRESS_LABELS:
        return "question"
    if low not in OFFICE_LABELS and UNNAMED_LABEL_RE.search(low):
        return "unnamed"
    return "official"


def _is_speaker_label(label: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether capitals before a colon name a speaker: a title and a name ("MR. KIRBY", "ASSISTANT
    SECRETARY WALLANDER"), an office ("THE PRESIDENT"), an unnamed role ("MODERATOR"), or a
    surname in `known` (the title's participants, labels used often); not a word of the text
    ("NATO: We are prepared to ...")."""
    low = " ".join(label.lower().split()).rstrip(".")
    if low in NOT_LABELS or not re.search(r"[A-Z]{2}", label):
        return False
    if low in OFFICE_LABELS or low in PRESS_LABELS or UNNAMED_LABEL_RE.search(low):
        return True
    if _last(_surname_of(label)).lower() in known:
        return True
    words = [w.strip(".") for w in low.split()]
    return len(words) >= 2 and any(w in TITLES or w in HONORIFICS or w in ROLE_WORDS for w in words[:-1])


def _known_speakers(text: str, title: str) -> frozenset[str]:
    """Surnames (lower case) a label may give alone: the title's participants, and labels that
    open at least PARTICIPANT_TURNS paragraphs."""
    labels = Counter()
    for _, paragraph in _paragraphs(text):
        match = LABEL_RE.match(paragraph)
        if match:
            labels[_last(_surname_of(match.group("label"))).lower()] += 1
    frequent = {surname for surname, n in labels.items() if n >= PARTICIPANT_TURNS}
    return frozenset({_last(p.name).lower() for p in title_participants(title)} | frequent) - {""}


def _surname_of(label: str) -> str:
    """ "MR. KIRBY" -> "Kirby"; "DR. SHERWOOD-RANDALL" -> "Sherwood-Randall"; "" for an office."""
    words = [w for w in re.split(r"[\s.]+", label) if w]
    rest = [
        w for w in words if w.lower() not in TITLES and w.lower() not in HONORIFICS and w.lower() != "the"
    ]
    return " ".join(word.title() for word in rest)


def _title_words_of(label: str) -> str:
    """ "SECRETARY BLINKEN" -> "Secretary"; honorifics say nothing of a role."""
    words = [w for w in re.split(r"[\s.]+", label) if w]
    return " ".join(w.title() for w in words if w.lower() in TITLES and w.lower() not in HONORIFICS)


class _People:
    """Who each label of one document is: its participants, from the title, the body and the
    labels themselves, and the office holders of its date."""

    def __init__(self, article, gazetteer, office_holders, turns):
        self.article = article
        self.gazetteer = gazetteer
        self.office_holders = office_holders
        self.issuer = issuer_of(article)
        self.participants = title_participants(article.title)
        counts = Counter(_last(_surname_of(t.label)) for t in turns if t.kind == "official")
        self.frequent = {surname for surname, n in counts.items() if surname and n >= PARTICIPANT_TURNS}
        self.cache: dict[str, SpeakerMention | None] = {}

    def speaker_for(self, turn: Turn) -> SpeakerMention | None:
        if turn.label not in self.cache:
            self.cache[turn.label] = self._resolve(turn)
        return self.cache[turn.label]

    def _resolve(self, turn: Turn) -> SpeakerMention | None:
        if turn.kind == "unnamed":
            description = turn.label.lower().rstrip(".")
            return SpeakerMention(name=f"the {description}", is_unnamed=True, **self._organisation(""))
        office = OFFICE_LABELS.get(turn.label.lower().rstrip("."))
        if office:
            holder = office_holder(self.office_holders, office, self.article.published)
            if holder is None:
                return None
            return self._mention(Participant(holder["name"], holder.get("role") or office.title()))
        named = _surname_of(turn.label)  # "Kirby", or "John Kirby" from "MR. JOHN KIRBY"
        if not named:
            return None
        person = self._participant(_last(named))
        if person is None:  # nobody of that name: the label's name and title, for identity.py
            person = Participant(named, _title_words_of(turn.label))
        return self._mention(person)

    def _participant(self, surname: str) -> Participant | None:
        known = {_last(p.name).lower(): p for p in self.participants}
        in_body = self._named_in_body(surname)
        if surname.lower() in known:
            person = known[surname.lower()]
            if len(person.name.split()) == 1 and in_body:  # "President Zelenskyy": the body says more
                return Participant(in_body.name, person.role)
            return person
        if in_body:
            return in_body
        if surname in self.frequent:
            return None  # a speaker of their own, whom the document does not name in full
        candidates = [*known, *(s.lower() for s in self.frequent if s != surname)]
        close = difflib.get_close_matches(surname.lower(), candidates, n=1, cutoff=MISSPELLING_CUTOFF)
        if close:
            return known.get(close[0]) or self._participant(close[0].title())
        return None

    def _named_in_body(self, surname: str) -> Participant | None:
        """The full name the body gives a surname ("my colleague, John Kirby, from the NSC")."""
        found = Counter()
        text = self.article.text
        for match in re.finditer(rf"\b{re.escape(surname)}\b", text):
            before = GIVEN_NAME_BEFORE_RE.search(text, max(0, match.start() - 40), match.start())
            if before and _is_given_name(before.group(1)):
                found[f"{before.group(1)} {surname}"] += 1
        if not found:
            return None
        return Participant(found.most_common(1)[0][0])

    def _mention(self, person: Participant) -> SpeakerMention:
        name, role, aliases = person.name, person.role, person.aliases
        holder = _holder_by_name(self.office_holders, name, role, self.article.published)
        if holder is not None and holder["name"] != name:
            aliases = (*aliases, name)
            name = holder["name"]
        last = _last(name)
        return SpeakerMention(
            name=name,
            role=role,
            aliases=tuple(dict.fromkeys(a for a in (*aliases, last) if a != name)),
            **self._organisation(role),
        )

    def _organisation(self, role: str) -> dict:
        """The organisation and country the role names, else the issuing office's (unless the role
        says the speaker is of another country: "Prime Minister of India")."""
        match = self.gazetteer.resolve(role) if role else None
        if match and match.organisation and match.organisation_known:
            return {"organisation": match.organisation, "country": match.country}
        issuer_country = self.gazetteer.organisation_country(self.issuer) if self.issuer else None
        if match and match.country and match.country != issuer_country:
            return {"organisation": None, "country": match.country}
        if self.issuer:
            return {"organisation": self.issuer, "country": self.gazetteer.organisation_country(self.issuer)}
        return {"organisation": None, "country": match.country if match else None}


def _is_given_name(word: str) -> bool:
    bare = word.lower().strip(".,")
    return (
        is_name_token(word)
        and not word.endswith(".")
        and bare not in TITLES
        and bare not in HONORIFICS
        and bare not in NOT_NAMES
        and bare not in ROLE_WORDS
    )


def _last(name: str) -> str:
    return name.split()[-1] if name.split() else name


# Titles and office holders -----------------------------------------------------------------------


def title_participants(title: str) -> list[Participant]:
    """The people a title names, with their roles: "Press Briefing by Press Secretary Karine
    Jean-Pierre and NSC Coordinator for Strategic Communications John Kirby" -> Karine
    Jean-Pierre (Press Secretary), John Kirby (NSC Coordinator for Strategic Communications)."""
    title = " ".join(title.replace("\u00a0", " ").split())
    match = TITLE_PEOPLE_RE.search(title) or TITLE_OF_RE.search(title)
    if not match:
        return []
    part = TITLE_TAIL_RE.sub("", SUFFIX_RE.sub("", match.group(1)))
    pieces = [p for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", part) if p]
    people, role_so_far = [], []
    for piece in pieces:
        role_so_far.append(piece)
        tokens = " and ".join(role_so_far).split()
        name, place = _name_at_end(tokens), ""
        if not name and OF_PLACE_RE.search(piece):  # "President Zelenskyy of Ukraine"
            tokens = " and ".join([*role_so_far[:-1], OF_PLACE_RE.sub("", piece)]).split()
            name = _name_at_end(tokens)
            place = OF_PLACE_RE.search(piece).group().strip() if name else ""
        if not name:  # "... John Smith Commemorating the Anniversary": the name before the gerund
            for index, token in enumerate(tokens):
                if index and token.lower().endswith("ing") and _name_at_end(tokens[:index]):
                    tokens = tokens[:index]
                    name = _name_at_end(tokens)
                    break
        if name:
            role = tokens[: len(tokens) - len(name)]
            while role and role[-1].lower().rstrip(".") in HONORIFICS:
                role.pop()  # "... Advisor Dr. Elizabeth Sherwood-Randall": "Dr." is no part of the role
            people.append(Participant(" ".join(name), " ".join([*role, place]).strip()))
            role_so_far = []
    return people


def _name_at_end(tokens: list[str]) -> list[str]:
    """The name that ends `tokens`: a given name, middle initials, a surname ("Joseph R. Biden"),
    or a surname alone after a title ("President Biden"); [] when the words end with a role."""
    if not tokens or not _is_name_word(tokens[-1]):
        return []
    name = [tokens[-1]]
    index = len(tokens) - 2
    while index >= 0 and re.fullmatch(r"[A-Z]\.", tokens[index]):
        name.insert(0, tokens[index])  # a middle initial
        index -= 1
    if index >= 0 and _is_name_word(tokens[index]) and _is_given_name(tokens[index]):
        name.insert(0, tokens[index])
        return name
    if index >= 0 and tokens[index].lower().rstrip(".") in SURNAME_TITLES:
        return name  # "President Biden": the surname, after a title
    return [] if len(name) == 1 else name


def _is_name_word(token: str) -> bool:
    bare = token.lower().strip(".,")
    return (
        is_name_token(token)
        and not (token.isupper() and len(token) > 1)  # "NSC", "APNSA"
        and bare not in TITLES
        and bare not in ROLE_WORDS
        and bare not in NOT_NAMES
    )


def office_holder(office_holders, office: str, date) -> dict | None:
    """The holder of `office` ("president", "vice president") on `date`, from the dated table."""
    if date is None:
        return None
    day = date.isoformat()
    for holder in office_holders:
        if holder["office"] == office and holder["from"] <= day < holder["to"]:
            return holder
    return None


def as_office_holder(mention: SpeakerMention | None, date, office_holders) -> SpeakerMention | None:
    """`mention` under the office holder's name when it names them ("Joseph R. Biden", President,
    in 2021: Joe Biden), its own name kept as an alias; else `mention` as it is."""
    if mention is None or mention.is_unnamed or mention.is_organisation:
        return mention
    holder = _holder_by_name(office_holders, mention.name, mention.role, date)
    if holder is None or holder["name"] == mention.name:
        return mention
    return dataclasses.replace(mention, name=holder["name"], aliases=(*mention.aliases, mention.name))


def _holder_by_name(office_holders, name: str, role: str, date) -> dict | None:
    """The office holder a name and role mean: "President Biden" on 2022-05-06 is Joe Biden."""
    low = role.lower()
    office = "vice president" if "vice president" in low else "president" if "president" in low else None
    if office is None or date is None:
        return None
    holder = office_holder(office_holders, office, date)
    if holder and _last(holder["name"]).lower() == _last(name).lower():
        return holder
    return None


# Statements and readouts ----------------------------------------------------------------------


def _document_statements(article, gazetteer, office_holders):
    people = _People(article, gazetteer, office_holders, [])
    speaker = None
    if article.kind in (STATEMENT, TRANSCRIPT):
        found = title_participants(article.title)
        if found:
            speaker = people._mention(found[0])
    if speaker is None and people.issuer:
        speaker = SpeakerMention(
            name=people.issuer,
            organisation=people.issuer,
            country=gazetteer.organisation_country(people.issuer),
            is_organisation=True,
        )
    parts = [
        (start, start + len(paragraph))
        for start, paragraph in _paragraphs(article.text)
        if not FURNITURE_RE.match(paragraph) and _spoken(paragraph) and not paragraph.startswith("#")
    ]
    return [
        ExtractedQuote(
            span=QuoteSpan(start, end, _spoken(article.text[start:end]), "turn"),
            speaker=speaker,
            confidence=1.0 if speaker else 0.0,
        )
        for start, end in _statement_spans(article.text, parts)
    ]


# Text helpers --------------------------------------------------------------------------------


def _paragraphs(text: str):
    """(offset, paragraph) of the cleaned text's paragraphs (cleaning.py joins them with "\\n\\n")."""
    position = 0
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            yield position, paragraph
        position += len(paragraph) + 2


def _spoken(text: str) -> str:
    """The words said, without stage directions: "(Laughter.)" is the transcriber's."""
    if "(" in text:
        text = STAGE_DIRECTION_RE.sub("", text)
    return " ".join(text.split())


def _word_count(text: str) -> int:
    return len(_spoken(text).split())


def _statement_spans(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraph-sized statements a reader can cite: each paragraph, a short one ("Thanks,
    Karine.") joined to the next (the last to the one before). Spans without stage directions
    at their edges."""
    spans: list[list[int]] = []
    pending = None
    for start, end in parts:
        if not _spoken(text[start:end]):
            continue
        if pending is not None:
            start = pending
            pending = None
        if _word_count(text[start:end]) < MIN_STATEMENT_WORDS:
            pending = start
            continue
        spans.append([start, end])
    if pending is not None:
        if spans:
            spans[-1][1] = parts[-1][1]
        else:
            spans.append([pending, parts[-1][1]])
    return [_trimmed(text, start, end) for start, end in spans]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding spaces and stage directions: offsets of the first and past the
    last character said."""
    while True:
        piece = text[start:end]
        stripped = piece.strip()
        start += len(piece) - len(piece.lstrip())
        end = start + len(stripped)
        head = STAGE_DIRECTION_RE.match(text, start, end)
        if head and head.end() < end:
            start = head.end()
            continue
        tail = re.search(STAGE_DIRECTION_RE.pattern + r"\s*$", text[start:end], re.IGNORECASE)
        if tail and tail.start() > 0:
            end = start + tail.start()
            continue
        return start, end
