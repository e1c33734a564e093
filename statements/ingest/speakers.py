"""Subjects -> speakers: whom a reporting clause's subject means.

A subject is read as a person ("Russian Deputy Foreign Minister Sergey Ryabkov", "the chief of the
US Department of State press service, John Kirby"), a pronoun ("he"), a role noun ("the
spokesman", "the Florida senator"), a relative pronoun ("Trump, who said"), an organisation speaking
as a body ("the Russian Ministry of Defense has said", "It stressed", "the ACU said"; one missing
from the reference data keeps its name, and the store creates it for review), or an unnamed source
("a senior Cruz adviser"). Pronouns and role nouns resolve to the latest fitting person before the
quote.
"""

import re

from .actors import UNKNOWN_ORG_RE, ActorMatch
from .clauses import CLOSING_JUNK, MAX_SUBJECT_WORDS, Clause
from .lexicon import (
    BODY_NOUNS,
    DETERMINERS,
    GROUP_NOUNS,
    HONORIFICS,
    NAME_PARTICLES,
    NOT_NAMES,
    PERSON_NOUNS,
    PLACE_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    RELATIVE_PRONOUNS,
    ROLE_NOUNS,
    TITLES,
    UNNAMED_LEADS,
    UNNAMED_NOUNS,
    VERB_RE,
)
from .people import (
    ARTICLE_RE,
    ArticleContext,
    Person,
    clean_role,
    looks_like_role,
    split_name,
    strip_tail,
    strip_trailing_adverbs,
    title_phrase,
)
from .records import ExtractedQuote, SpeakerMention

# Confidence lost when the speaker is reached indirectly: a pronoun, a role noun, an unnamed description.
PRONOUN_PENALTY = 0.1
DATELIKE_RE = re.compile(
    r"\s+(?:on|last|this|earlier|late|early)\s+"
    r"(?:[A-Z][a-z]+day|week|month|year|night|morning|afternoon|evening)[\s,]*$"
)
LEADING_FILLER_RE = re.compile(
    r"^(?:and|but|so|as|then|while|when|since|because|after|also|speaking [^,]*|meanwhile)\s+", re.IGNORECASE
)
PART_SPLIT_RE = re.compile(r",|\s+—\s+|\s+–\s+|\s+--\s+")
PARENTHETICAL_RE = re.compile(r"\s*\([^()]{0,80}\)")
RELATIVE_LEAD_RE = re.compile(r"^(?:to|of|for|with|by|at|in) (?:which|whom)\s+")
RELATIVE_END_RE = re.compile(r"(?:,\s*|\s+)who\s*$")
SKIPPED_PART_STARTS = frozenset(
    "who whose which of at for from with by about against into toward towards like than in on to".split()
)
# "Mr. Trump was prompted to", "he was quick to": a subject a few auxiliary words before the verb
NEAR_VERB_RE = re.compile(
    r"((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*|\b[Hh]e|\b[Ss]he)"
    r"(?:\s+(?:was|is|has|had|have|would|will|also|then|later|quickly|repeatedly|prompted|quick|"
    r"to|went|on|once|again|even|just|did|does|not|never|still|only|been|being|could|might|may|"
    r"must|should|can|able|later|first|eventually|finally|too)){1,5}\s*$"
)
POSSESSIVE_S_RE = re.compile(r"['’]s\b")
# Bodies the article describes rather than names: "Clinton's campaign", "the airline", "a civil rights group".
BODY_DESCRIPTIONS = BODY_NOUNS | frozenset(
    "team board administration government office staff airline bank council panel court network newspaper".split()
)
# Words after a group's head noun that describe it: "organizers | of the push", "people | with knowledge".
GROUP_MODIFIER_STARTS = frozenset("of with in from at on across around".split())
# Quantities of a group: "78 percent of voters", "most of the delegates", "a majority of senators".
GROUP_QUANTITIES = frozenset(
    "percent majority majorities most many half third thirds quarter some all".split()
)
# Words for a country's people, which never speak as the country: "Russians", "American", "Chinese".
# ("Iran", "Japan" end like "American" but are the countries' own names: see country_subject)
DEMONYM_RE = re.compile(r"(?:ans|ese|ish|ch|is|ians?|ican)$")
ACRONYM_RE = re.compile(r"[A-Z]{2,6}")
# Where the description of an unnamed source ends: "a Mexican official | who was not authorized ..."
UNNAMED_END_RE = re.compile(
    r"\s+(?:who|whom|whose|that|which|speaking|because|when|while|on condition)\b|[,;:(]"
)
MAX_UNNAMED_WORDS = 10
SMALL_WORDS = frozenset("of at and the for in on to".split())
# A finite reporting verb inside a subject ends it: "Parker told Reuters in an interview".
REPORTING_INSIDE_RE = re.compile(r"\s+(?:told|tells|said|says)\s+(?=[A-Z])")
# "Russian Ministry of Defense spokesman | Major-General": capitalised words after a lowercase one.
RANK_AFTER_OFFICE_RE = re.compile(r"^(.*\b[a-z][\w-]*)\s+((?:[A-Z][\w.-]*)(?:\s+[A-Z][\w.-]*)*)$")
# How many of a subject's comma-separated parts are tried as a name, and as a pronoun, role or body.
NAME_PARTS = 4
REFERENCE_PARTS = 3


def resolve(
    clause: Clause, context: ArticleContext, previous: ExtractedQuote | None
) -> tuple[SpeakerMention | None, float]:
    """The speaker a clause's subject names, and a confidence penalty for indirect references."""
    subject = PARENTHETICAL_RE.sub("", clause.subject) if "(" in clause.subject else clause.subject
    if clause.verb == ":" and subject.isupper():
        signed = caps_signature(subject, context)
        if signed:
            return signed, 0.0
    relative_at, raw_parts, parts = subject_parts(subject, clause.inverted)
    if relative_at is not None:
        # "... such as Sen. Marco Rubio of Florida, who mused that": the person named just before "who"
        person = context.person_just_before(clause.subject_start + relative_at)
        if person:
            return mention_for(person, context), 0.0
    if not parts:
        return None, 0.0
    # "said Monte Shaw, executive director of ..." names first; "the chief of ..., John Kirby" last
    ordered = list(parts) if clause.inverted else list(reversed(parts))
    if (
        len(raw_parts) >= 2
        and raw_parts[1][:1].islower()
        and not clause.inverted
        and parts[0] == raw_parts[0]
    ):
        # "Giovanni Maria Vian, the editor in chief of ..., L'Osservatore Romano, said" and
        # "Mr. Slinker, whose start-up, Paradata, ..., said": the name before the apposition
        ordered = [parts[0]] + ordered
    for part in ordered[:NAME_PARTS]:
        person = person_in(part, context, strict=clause.strict)
        if person:
            return mention_for(person, context), 0.0
    for part in parts[:REFERENCE_PARTS]:
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
    group = group_source(parts[0] if clause.inverted else parts[-1], context)
    if group:
        return group, PRONOUN_PENALTY
    return None, 0.0


# subject_parts() of the subjects seen lately: "he", "the company", "analysts" recur from article to article.
_PARTS_CACHE: dict[tuple[str, bool], tuple[int | None, tuple[str, ...], tuple[str, ...]]] = {}
PARTS_CACHE_LIMIT = 100_000


def subject_parts(subject: str, inverted: bool) -> tuple[int | None, tuple[str, ...], tuple[str, ...]]:
    """(where a closing ", who" starts, the subject's comma-separated parts, the parts that may name
    the speaker), read from the words alone, so worked out once for each subject."""
    key = (subject, inverted)
    found = _PARTS_CACHE.get(key)
    if found is None:
        found = _subject_parts(subject, inverted)
        if len(_PARTS_CACHE) >= PARTS_CACHE_LIMIT:
            _PARTS_CACHE.clear()
        _PARTS_CACHE[key] = found
    return found


def _subject_parts(subject: str, inverted: bool) -> tuple[int | None, tuple[str, ...], tuple[str, ...]]:
    if not inverted:
        # "Parker told Reuters in an interview, adding": whom he told is not who spoke
        subject = REPORTING_INSIDE_RE.split(subject, maxsplit=1)[0]
    relative = RELATIVE_END_RE.search(subject) if not inverted else None
    subject = strip_tail(subject, DATELIKE_RE)
    subject = strip_trailing_adverbs(subject).strip().rstrip(",").strip()
    subject = LEADING_FILLER_RE.sub("", subject)
    raw_parts = [LEADING_FILLER_RE.sub("", part.strip()) for part in PART_SPLIT_RE.split(subject)]
    raw_parts = [part for part in raw_parts if part]
    # appositions and introductory phrases: "of RBC Capital Markets", "who used to ...", "On Monday"
    parts = [RELATIVE_LEAD_RE.sub("", part) for part in raw_parts]  # "to which O'Malley" -> "O'Malley"
    parts = [part for part in parts if part and part.split()[0].lower() not in SKIPPED_PART_STARTS]
    return (relative.start() if relative else None), tuple(raw_parts), tuple(parts)


def caps_signature(subject: str, context: ArticleContext) -> SpeakerMention | None:
    """ "PAUL SMITH, CREDIT ANALYST, BARCLAYS CAPITAL, LONDON" -> Paul Smith, "Credit Analyst, Barclays
    Capital": the name in the usual case, the title and firm as the role, the closing city left out."""
    parts = [part.strip(" :") for part in subject.split(",") if part.strip(" :")]
    if len(parts) < 2:
        return None
    words = parts[0].split()
    titles = []
    while len(words) > 2 and words[0].lower().rstrip(".") in TITLES:  # "DR. JANE ROE"
        title = words.pop(0)
        if title.lower().rstrip(".") not in HONORIFICS:  # "Dr." and "Mr." say nothing of the role
            titles.append(title.title())
    name = " ".join(word.title() for word in words)
    described = parts[1:-1] if len(parts) >= 3 else parts[1:]
    role = ", ".join(
        " ".join(word.lower() if word.lower() in SMALL_WORDS else word.title() for word in part.split())
        for part in described
    )
    role = ", ".join(filter(None, [" ".join(titles), role]))
    match = context.gazetteer.resolve(role)
    return SpeakerMention(
        name=name,
        role=role,
        organisation=match.organisation,
        country=match.country,
        aliases=(name.split()[-1],),
    )


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


def group_source(part: str, context: ArticleContext) -> SpeakerMention | None:
    """People the article describes as a group: "officials", "U.S. officials", "many Democrats",
    "78 percent of voters in a recent poll", "people with knowledge of the talks". Kept, like an
    unnamed source, as the article's description, never as a speaker record."""
    description = UNNAMED_END_RE.split(part.strip(), maxsplit=1)[0].strip(" " + CLOSING_JUNK)
    words = description.split()
    if not words or len(words) > MAX_UNNAMED_WORDS or VERB_RE.search(description):
        return None  # "Jonas Berg told reporters": a clause, not a group
    # the head noun: the last word before "of", "with", "in" ("organizers of the push to ...")
    head_at = _group_head(words, 0)
    head = words[head_at - 1].lower().strip(".,’'")
    if head in GROUP_QUANTITIES and head_at < len(words) and words[head_at].lower() == "of":
        head_at = _group_head(words, head_at + 1)  # "78 percent of voters in a poll": voters
        head = words[head_at - 1].lower().strip(".,’'")
    # "Clinton's campaign", "a civil rights group"; not "the group", which means one the article
    # named (reference_in), or the outlet's own ("the survey group" of a Reuters poll)
    described_body = head in BODY_DESCRIPTIONS and (
        words[0].lower() in ("a", "an", "his", "her", "their", "its") or POSSESSIVE_S_RE.search(description)
    )
    if not (described_body or head in GROUP_NOUNS or (head.endswith("s") and head[:-1] in UNNAMED_NOUNS)):
        return None
    if words[head_at - 1][:1].isupper() and head not in GROUP_NOUNS:
        return None  # "Ross Officials" may be a name
    match = context.gazetteer.resolve(description)
    organisation = match.organisation if match.organisation_known else None
    return SpeakerMention(name=description, organisation=organisation, country=match.country, is_unnamed=True)


def _group_head(words: list[str], start: int) -> int:
    """Where the noun phrase starting at words[start] ends: at its first "of", "with", "in"."""
    return next(
        (i for i in range(start + 1, len(words)) if words[i].lower() in GROUP_MODIFIER_STARTS), len(words)
    )


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
    country = country_subject(part, context)
    if country:
        return country, 0.0
    body = ARTICLE_RE.sub("", part)
    if UNKNOWN_ORG_RE.fullmatch(body) or ACRONYM_RE.fullmatch(body):
        # "United Gun Group said", "the ACU said": a body the reference data does not know yet
        return organisation_mention(body, context), PRONOUN_PENALTY
    if (len(words) == 1 and lowered == "it") or (
        first == "the" and len(words) == 2 and lowered in BODY_NOUNS
    ):
        # "It added", "the company wrote": the organisation named last
        name = context.latest_organisation(clause.subject_start)
        return (organisation_mention(name, context), PRONOUN_PENALTY) if name else (None, 0.0)
    if (
        first in ("the", "this", "that")
        and (lowered in ROLE_NOUNS or lowered in PERSON_NOUNS)
        and len(words) <= 4
    ):
        # "the spokesman", "the Florida senator", "the Wisconsin Republican": the latest person
        # described so, else the person the text is about
        person = context.latest_person(clause.subject_start, noun=lowered) or pronoun_person(
            context, clause.subject_start, previous
        )
        return (mention_for(person, context), PRONOUN_PENALTY) if person else (None, 0.0)
    return None


def person_in(part: str, context: ArticleContext, strict: bool = False) -> Person | None:
    """The person a subject part ends with: "Russian Deputy Foreign Minister Sergey Ryabkov",
    "Mr. Obama", "Peskov", "Mr. Nevins of Showtime". Not a name after a preposition ("a strategist
    for Sanders"), nor an organisation ("CBS News"). With strict, a lone unknown word is no name."""
    person = _person_at_end(part, context, strict)
    if person is None and " of " in part:
        person = _person_at_end(part[: part.index(" of ")], context, strict)
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
    before = tokens[: len(tokens) - len(run)]
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
        # "Bank of Japan Governor Shirakawa": a title right before a lone surname makes it a name
        titled = bool(_titles) and _titles[-1].lower().rstrip(".") in TITLES
        if (
            (before and not titled)
            or word.lower() in NOT_NAMES
            or word.lower() in PLACE_WORDS
            or (context.lowercase_elsewhere(word))
        ):
            return None
        if strict and not _titles and not context.speaks_elsewhere(word):
            return None
        person = context.person_for(word)
        role = title_phrase(clean_role(part[: part.rfind(word)])) if titled else ""
        if looks_like_role(role) and not person.role:
            person.role = role
        return person
    role = title_phrase(clean_role(part[: part.rfind(name[0])])) if part.rfind(name[0]) > 0 else ""
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
    if lowered.startswith(("the ", "a ")) and words[-1].lower() in (
        "ministry",
        "department",
        "agency",
        "committee",
        "council",
        "commission",
        "campaign",
        "government",
    ):
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


def country_subject(part: str, context: ArticleContext) -> SpeakerMention | None:
    """A country speaking as a body: "Russia has repeatedly noted", "the US has threatened",
    "Moscow has offered" (a capital stands for its government). Not its people ("Russians", "the
    American"): a demonym is no speaker."""
    body = ARTICLE_RE.sub("", part).strip(" .,")
    found = context.gazetteer.find(body)
    if len(found) != 1 or found[0][2] != "country" or found[0][0] != 0 or found[0][1] < len(body):
        return None
    code = found[0][3]
    if DEMONYM_RE.search(body) and body.casefold() != context.gazetteer.country_name(code).casefold():
        return None
    return SpeakerMention(name=context.gazetteer.country_name(code), country=code, is_organisation=True)


def organisation_mention(name: str, context: ArticleContext) -> SpeakerMention:
    return SpeakerMention(
        name=name,
        role="",
        organisation=name,
        country=context.gazetteer.organisation_country(name),
        is_organisation=True,
    )


def mention_for(person: Person, context: ArticleContext) -> SpeakerMention:
    role = context.role_of(person)
    match: ActorMatch = context.gazetteer.resolve(role) if role else ActorMatch()
    aliases = tuple(sorted(a for a in person.aliases if a != person.name))
    return SpeakerMention(
        name=person.name,
        role=format_role(role),
        organisation=match.organisation,
        country=match.country,
        aliases=aliases,
    )


def format_role(role: str) -> str:
    """ "Russian Ministry of Defense spokesman Major-General" -> "... spokesman, Major-General":
    a rank after the office reads as a separate description."""
    match = RANK_AFTER_OFFICE_RE.match(role)
    if match and match.group(1).split()[-1].lower() in ROLE_NOUNS:
        return f"{match.group(1)}, {match.group(2)}"
    return role
