"""Reported speech: statements an article gives in its own words, without quotation marks.

"Contacts between Russian and US military will continue ..., Kremlin spokesman Dmitry Peskov told
reporters on Tuesday." and "Kirby said the US was suspending ..." are what most of diplomacy reaches
the news as. A reported statement is a reporting cue (a speech verb of REPORTED_SPEECH_VERBS, or
"according to"), its source and its content clause, in one sentence and in one of these shapes:

- source first: "X said (on Tuesday) (that) CONTENT", "X told reporters CONTENT", "X has urged Y to
  ...", "X, the envoy, on Thursday said that ...", "..., saying (that) CONTENT" (the sentence's subject);
- content first: "CONTENT, X said (on Tuesday).", "CONTENT, said X.", "CONTENT, X told reporters.";
- around the content: "According to X, CONTENT." and "CONTENT, according to X.";
- inside it: "CONTENT, they said, CONTENT."

The content is the reported clause only: neither the attribution nor "that", and it ends with the
sentence (or where a second cue starts: ", adding that ..."). Its source is resolved by the same
rules as a quotation's speaker (speakers.resolve: names, pronouns, role nouns, organisations,
countries, described groups, unnamed sources); a statement whose source resolves to nobody is left
out, unless its source is a personal pronoun ("they said"): that one is kept without a speaker, as a
quotation would be.

Not reported statements: beliefs and wishes (verbs not in the list: thinks, wants, hopes), what a
document or poll found (a source like "the report", "a poll"), questions ("asked whether": ask is
not in the list), hypotheticals ("would say", "if he says"), speech mentioned without content ("hit
back at the statement", "said so", under MIN_CONTENT_WORDS words), and content that is mostly a
quotation already: the quotation stays its one record ("Peskov said "I wouldn't ..."", while "Ryabkov
said that this latest proposal remains "on the table."" is a reported statement).

`find_reported` is the stage the import pipeline runs after attribution; other stages (a readout's
body) call `reported_in_text`.
"""

import bisect
import itertools
import re
import string

from .actors import Gazetteer
from .attribution import is_own_outlet, masked_dateline
from .clauses import Clause, sentence_subject
from .lexicon import (
    BODY_NOUNS,
    CONTENT_FIRST_VERBS,
    DOCUMENT_NOUNS,
    GROUP_NOUNS,
    INTRO_WORDS,
    NOT_CONTENT_OPENERS,
    NOT_NAMES,
    PERSON_NOUNS,
    PLACE_WORDS,
    PREPOSITIONS,
    REPORTED_LEMMAS,
    REPORTED_SPEECH_RE,
    REPORTED_THAT_VERBS,
    REPORTED_TO_VERBS,
    ROLE_NOUNS,
    THAT_ONLY_FORMS,
    TITLES,
    UNNAMED_NOUNS,
    VERB_RE,
)
from .people import ArticleContext
from .records import ExtractedQuote, ParsedArticle, QuoteSpan, SpeakerMention
from .speakers import mention_for, resolve
from .text import paragraph_spans, sentence_starts, trie_pattern

# A content of fewer words is speech mentioned rather than reported ("said so", "denied it").
MIN_CONTENT_WORDS = 4
# Share of a content's letters inside quotation marks above which the quotation is the record.
MAX_QUOTED_SHARE = 0.5
# A content-first "content" of at most this many words that opens with a preposition is a phrase.
SHORT_PHRASE_WORDS = 6
# Words that may follow a content-first cue besides when, where and to whom it was said ("..., he said
# with a smile"); more are a clause of its own (the cue is then source-first).
SHORT_TAIL_WORDS = 3
# At most this many words between a quotation and a cue make the cue the quotation's ('"...," the
# Kremlin spokesman Dmitry Peskov said').
QUOTATION_SOURCE_WORDS = 8
# A quoted fragment of fewer words inside a subject is a scare quote, not a quotation.
SCARE_QUOTE_WORDS = 3
# A source longer than this (after its last clause boundary) is a clause, not who spoke.
MAX_SOURCE_WORDS = 30
# Confidence of each shape before the speaker's own penalty (speakers.resolve).
CONFIDENCE = {"that": 0.9, "source_first": 0.8, "content_first": 0.85, "according_to": 0.85, "ing": 0.7}

# Between the verb and its content: when, where and to whom it was said ("on Thursday", "in a
# statement", "to reporters", "at a news conference in Astana"), then "that".
_WHEN = (
    r"(?:(?:on|last|this|earlier|late|early|next)\s+)?"
    r"(?:[A-Z][a-z]+day|week|month|year|night|morning|afternoon|evening|weekend)"
    r"(?:\s+(?:night|morning|afternoon|evening))?"
    # "has said for months that", "said in 2008 that", "said in '08"
    r"|for\s+(?:several\s+|many\s+|two\s+|three\s+)?(?:days|weeks|months|years|decades)"
    r"|(?:in|since)\s+(?:\d{4}|['’‘]\d\d)"
)
_WHERE = (
    r"(?:in|at|during|on|via|through|over)\s+(?:an?|the|his|her|their|its)?\s*(?:[\w'’-]+\s+){0,3}?"
    r"(?:statement|interview|tweet|post|speech|letter|e-?mail|op-ed|memo|release|conference|briefing|call"
    r"|appearance|address|rally|event|debate|hearing|meeting|session|remarks|message|video|show|program"
    r"|broadcast|Twitter|Facebook|Instagram|television|radio|podcast|column|book|article|blog|filing|testimony"
    r"|brief|ruling|appearance)"
    # "in a video message", "at a news conference call", "in a radio interview"
    r"(?:\s+(?:message|statement|interview|post|address|appearance|conference|call|release|clip))?"
    r"(?:\s+(?:with|to|on|in|at|for)\s+(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})?"
)
_ADVERB = (
    r"(?:also|again|repeatedly|publicly|privately|recently|later|previously|then|yesterday|today|earlier|"
    r"flatly|bluntly|separately|once|often|frequently|now|still|firmly|simply|quickly|late|early|however|"
    r"too|last\s+(?:week|month|year)|this\s+(?:week|month|year)|[a-z]+ly)"
)
LEAD_RE = re.compile(rf"(?:,?\s*(?:{_WHEN}|{_WHERE}|{_ADVERB})\b,?)*\s*(?:that\b\s*)?")
# "told reporters", "told CNN", "told him", "told the Senate Foreign Relations Committee"
AUDIENCE_RE = re.compile(
    r"\s*(?:me|him|her|them|us|you|reporters|journalists|supporters"
    r"|[Tt]he\s+(?:[A-Z][\w.'’-]*\s*){1,6}(?:of\s+(?:[A-Z][\w.'’-]*\s*){1,3})?"
    r"|(?:friends|allies|aides|colleagues|donors|members|audiences|listeners|viewers|students|workers|voters"
    r"|followers|crowds|lawmakers|senators|delegates|investors|analysts|officials|leaders)\b"
    r"|(?:the|an?|his|her|their)\s+(?:[\w'’-]+\s+){0,2}(?:audience|crowd|reporters|interviewer|group|"
    r"committee|panel|gathering|meeting|room|people|voters|supporters|press|host|newspaper|station|conference"
    r"|rally|forum|summit|hearing|town hall|luncheon|breakfast|dinner|event|convention|students|workers"
    r"|lawmakers|senators|members|leaders|donors|delegates|colleagues|friends|aides|staff|officials|court|judge"
    r"|jury|commission|board|council|senate|house|congress|paper|magazine|radio|network|channel|program|show"
    r"|agency|outlet|website|podcast|interviewers?|reporter|journalist|correspondent)"
    r"|(?:[A-Z][\w.'’&-]*\s*){1,4})"
)
AUDIENCE_THAT_RE = re.compile(r"\s*(?:[\w'’.&-]+\s+){1,12}?(?=that\s)")
# Verbs that need what was said to whom: "told X (that) ..."
AUDIENCE_LEMMAS = frozenset("tell assure remind".split())
# Words that stand before a cue and make it no statement: a hypothetical, a negation, an
# infinitive ("would say", "didn't say", "refused to say", "to be announced").
# (The look-ahead for the words' first letters spares the alternation at every other word.)
NOT_A_STATEMENT_BEFORE_RE = re.compile(
    r"\b(?=[wcmstniuel])(?:would|could|might|may|should|will|shall|can|must|to|not|never|n['’]t|cannot|if|unless|whether"
    r"|expected|likely)\s+(?:\w+ly\s+|be\s+|have\s+)?$",
    re.IGNORECASE,
)
# ... but "continued to defend", "went on to criticize", "used to say" are statements.
GOES_ON_TO_RE = re.compile(
    r"\b(?:continu\w*|went on|goes on|go on|began|begins?|start\w*|proceed\w*|used|took|takes?)\s+to\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
# Auxiliaries and adverbs between a subject and its verb ("has long", "also is", "both").
# A contraction of "has" or "is" ends a subject too: "He's also praising", "she's predicted".
SUBJECT_TAIL_RE = re.compile(
    r"(?:['’](?:s|ve|d|re)(?=\s|$))?"
    r"(?:\s+(?:has|have|had|is|are|was|were|did|does|do|also|long|both|all|again|already|since|still|just|now"
    r"|then|first|often|once|even|later|ever|never|soon|[a-z]+ly|went on to|goes on to|continued to|continues to"
    r"|continuing to|began to|used to|to|not|n['’]t|itself|himself|herself|themselves|however|though|too|meanwhile"
    r"|instead|been|sometimes|further|in fact|in particular|in the past|at times))*\s*$"
)
# What SUBJECT_TAIL_RE's words are made of, besides white space.
LOWERCASE_AND_APOSTROPHES = string.ascii_lowercase + "'’"
# When a subject spoke, between it and its verb: "Sean Spicer on Thursday evening | said".
TIME_TAIL_RE = re.compile(
    r"\s+(?:(?:on|late|early|last|this|earlier|later)\s+)?(?:[A-Z][a-z]+day|week|month|year|night|morning"
    r"|afternoon|evening)(?:\s+(?:night|morning|afternoon|evening))?\s*$|\s+in\s+\d{4}\s*$"
)
# What a subject TIME_TAIL_RE matches ends with, before white space (or a year's digit).
TIME_TAIL_ENDINGS = ("day", "week", "month", "year", "night", "morning", "afternoon", "evening")
# A personal pronoun ending a subject is the verb's subject: "Still he | said", "(On Monday he | said".
SUBJECT_PRONOUN_RE = re.compile(r"(?:^|[\s,(])(he|she|they|we|I|He|She|They|We)\s*$")
# "which he said would ...", "what they say was ...": the pronoun's clause is a relative one.
RELATIVE_END_RE = re.compile(r"\b(?:which|that|what|who|whom|whose|where|when|as)\s*$", re.IGNORECASE)
# "is pledging", "was defending": a progressive is the finite verb of its sentence.
PROGRESSIVE_RE = re.compile(
    r"\b(?:is|are|was|were|been|be|am|['’]s|['’]re)\s+(?:(?:\w+ly|also|now|still|already|again|not)\s+){0,2}$",
    re.IGNORECASE,
)
# How many characters at a subject's end SUBJECT_TAIL_RE and RELATIVE_SOURCE_RE look at.
TAIL_REACH = 80
# NOT_A_STATEMENT_BEFORE_RE looks at this many characters before a cue ("could not have").
NOT_A_STATEMENT_REACH = 60
# The first verb of a sentence, which ends the noun phrase that opens it: "A spokesman for the mayor |
# defended", "Some senators | vented", "The league | strongly denounced".
OPENING_VERB_RE = re.compile(
    r"\s(?:[a-z]+ly\s+)?(?:[a-z]{2,}ed|has|have|had|is|was|were|are|will|would|did|does|do|can|could"
    r"|says|said|told|tells|made|gave|took|went|came|called|met|spent|wrote|left|sent|held|brought)\b"
)
# Where a source-first subject starts inside its sentence: after the last clause boundary.
SUBJECT_BOUNDARY_RE = re.compile(
    r"(?:;|\s[—–-]\s|\s--\s|:|\b(?:and|but|after|when|while|because|as|although|though|since|before|until"
    r"|where|so|or|And|But|After|When|While|Because|As|Although|Though|Since|Before|Until|So|Or)\s)",
)
# "that" a little after the verb: "said on CNN, where he is a contributor, that", "told a crowd in
# Miami Tuesday that", "told Forbes that".
ASIDE_THAT_RE = re.compile(
    r"[^.;:\"“”]{0,120}?,\s+that\s+"
    r"|(?:in|at|on|during|before|after|with|from|to)\s+(?:[\w'’.-]+\s+){1,8}?that\s+"
    r"|(?:[A-Z][\w'’.-]*\s+){1,4}that\s+"
)
# A source the article describes without naming ("the witness", "police", "abortion rights
# advocates", "a spokesman for the mayor"): kept as the article's description (see described_source).
DESCRIBED_PENALTY = 0.15
MAX_DESCRIBED_WORDS = 10
# "according to early results of exit polls conducted for the AP and television networks": longer
MAX_DOCUMENT_WORDS = 20
SOURCE_END_RE = re.compile(r"\s[—–-]\s|\s--\s|;")
DETERMINERS_AND_QUANTITIES = frozenset("the a an some many most all several few those these".split())
# Shares of a group that speak for it in a poll: "52 percent", "a majority of voters", "most".
QUANTITY_WORDS = frozenset(
    "percent majority majorities most many half third thirds quarter quarters some all few none several".split()
)
QUANTITY_RE = re.compile(
    r"\d[\d.,]*%?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|hundred|dozen)(?:-\w+)?"
)
PERSONAL_PRONOUNS = frozenset("i you we he she they".split())
# "..., said Monte Shaw, the director of ...": the name after an inverted verb is short; more
# words are a clause ("Name, apposition, said the harbour would be sold").
MAX_INVERTED_SOURCE_WORDS = 8
# How far back the person a relative "who" refers to may be named ("Ola Berg, a doctor from X, who").
RELATIVE_REACH = 150
# "Ola Berg, a doctor, who said", "Kari Dale - who said", "Weld, who added": not "someone who said"
NONRESTRICTIVE_WHO_RE = re.compile(r"(?:^|[,—–-]\s*|[A-Z][\w.'’-]*\s+)who\s*$")
# The words before a relative "who" back to a preposition or a conjunction: "compared with | 23 percent who".
RELATIVE_WHO_RE = re.compile(
    r"^(?:.*(?:,|\b(?:with|than|by|to|from|for|among|and|but|while|as)\s))?\s*([^,]*?)\s+who\s*$"
)
# A subject that is a relative clause of its own ("and who didn't want to be named"): the whole
# sentence before the verb is tried.
RELATIVE_OPENER_RE = re.compile(r"\s*(?:who|whose|which|that)\b", re.IGNORECASE)
# "which critics said", "that appeals courts said": the source of a relative clause's content.
RELATIVE_SOURCE_RE = re.compile(r"(?:^|,\s*|\s)(?:which|that)\s+((?:[\w.'’-]+\s+){0,5}[\w.'’-]+)\s*$")
# Where a description ends: "a U.S. official | who spoke on condition ...", "insiders | — ...".
DESCRIPTION_END_RE = re.compile(
    r"\s+(?:who|whom|whose|that|which|speaking|because|when|while|on condition|familiar|close|involved)\b"
    r"|[,;:(]|\s[—–]|\s--"
)
# Words that open a sentence before its subject: "Similarly, ...", "Even the organizer ...".
LEADING_WORDS_RE = re.compile(
    r"^(?:(?:and|but|so|yet|even|also|similarly|meanwhile|moreover|however|still|now|then|instead|indeed"
    r"|both|in turn|for their part|for its part|nearly|almost|roughly|about|only|just|over|under|more than"
    r"|less than|fewer than|at least|up to|an estimated)\b[\s,]*)+",
    re.IGNORECASE,
)
# A word that makes a subject a clause of its own, not who spoke ("the election would ...").
CLAUSE_WORDS = frozenset(
    """is are was were be been being am has have had do does did will would can could should may might
    must not there it it's this what which whether if as than said says told say
    tell i you we he she they me him us them""".split()
)
# First words of a phrase of time or place, not of a description ("on Sunday", "Like Mr. Sanders"),
# but "about 9 percent", "only a third" are groups.
NOT_DESCRIPTION_OPENERS = (PREPOSITIONS | INTRO_WORDS) - frozenset(
    "about over only just some fifteen twenty thirty".split()
)
# Heads of a description that speak: people, groups of people and bodies ("the newspaper said").
SPEAKING_HEADS = (
    UNNAMED_NOUNS
    | GROUP_NOUNS
    | ROLE_NOUNS
    | PERSON_NOUNS
    | BODY_NOUNS
    | TITLES
    | frozenset(
        """police advocate witness newspaper network station channel paper magazine outlet administration
        government office board council panel court team staff bank airline embassy military army navy
        regime white house authority spokesperson family relative party radio television tv media press agency
        neighbor neighbour friend women men family families fan associate folk foe side everyone everybody
        someone crowd audience brother sister wife husband son daughter mother father mom dad uncle aunt
        cousin widow
        majority most many some few others all half third quarter percent surveyed polled questioned""".split()
    )
)
# Heads of a definite description that never speak: times, ideas, things.
NOT_SPEAKING_HEADS = frozenset(
    """week weeks year years day days month months morning afternoon evening night time times moment fact
    idea question answer problem result results truth reason point thing things way case issue issues
    matter story event events race campaign election vote votes law bill plan deal""".split()
)
# Words after a group that say how it was counted or when it spoke: "voters overall", "Democrats
# nationally", "Clinton defenders today".
GROUP_TAIL_WORDS = frozenset("overall nationally nationwide statewide alike today here now too also".split())
# Where a long poll group's description turns to where or when it was asked: "majorities of
# Democrats | in five states | going to the polls".
POLL_GROUP_BREAKS = frozenset("in on at across going voting who polled surveyed interviewed".split())
# Agent nouns ("organizers", "protesters", "economists", "participants") speak as a group.
AGENT_PLURAL_RE = re.compile(r"(?:ers|ors|ists|ians|ants|ents|ees)$")
# ... and one of them after "the", "a": "the self-described socialist", "a Democratic strategist".
AGENT_RE = re.compile(r"\w{3,}(?:er|or|ist|ian|ant|ent)$")
# Words between a quantity and its group: "78 percent | of voters", "most | of the delegates".
HEAD_BREAK_WORDS = frozenset("of for with at in from on among across inside outside around to".split())

# What a document does say ("the report said", "according to a memo"); what it finds or shows is
# no statement ("the poll found": not a cue at all).
DOCUMENT_VERBS = frozenset("said says stated states reported reports wrote writes".split())
# Documents that find rather than say: "a new poll says" is a finding (except "according to" one).
FINDING_NOUNS = frozenset(
    """poll polls survey surveys study studies data analysis research figures numbers results statistics
    index chart map table""".split()
)

# Words that open a content with a quantity though they are prepositions elsewhere: "said about half ...".
APPROXIMATELY = frozenset("about over under nearly almost roughly".split())
# Prepositions after a cue that introduce what was said, not where or to whom: "warned of the risk
# of ...", "complained about the tone of ...", "argued for a new name ...". The content is what follows.
TOPIC_PREPOSITIONS = {
    "warn": ("of", "about", "against"),
    "complain": ("about", "of"),
    "argue": ("for", "against"),
    "caution": ("against", "about"),
}
TOPIC_PREPOSITION_RE = re.compile(r"(of|about|against|for)\s+")
# Subjects kept without a speaker when they resolve to nobody (see _unresolved_ok).
UNRESOLVED_PRONOUNS = frozenset("they we i you he she".split())

# What joins a clause to the next one: "..., while | Jeb Bush said", "... and | he said".
TRAILING_JOINER_RE = re.compile(r"(?:[,;]|\s)+(?:and|but|while|whereas|as|so|or|then)?\s*$")
# A cue in a conditional is no statement: "If he says ...", "Whether she said ...".
# Not "Unless nations act, the experts say, ...": the condition is then part of what they said.
HYPOTHETICAL_RE = re.compile(r"^\W*(?:if|unless|whether|should|suppose|imagine)\b[^,]*$", re.IGNORECASE)
# A sentence that opens with a subordinate clause: its cue's content ends at the clause's comma.
SUBORDINATE_RE = re.compile(
    r"\W*(?:while|although|though|even though|as|because|since|whereas|if|when"
    r"|(?:[\w-]+\s+){0,3}(?:after|before|until|once))\s+[^,]*$",
    re.IGNORECASE,
)
RELATIVE_APPOSITION_RE = re.compile(
    r",\s+(?:who|which)\b[^,;]{3,120},\s+(?=(?:has|have|had|is|was|are|were|will|would|can|could|did|does|[a-z]+ed|[a-z]+s)\s)"
)
# What may stand before an -ing cue besides a comma: "issued a statement saying", "responded by
# saying", "while also saying", "— saying".
ING_LEAD_RE = re.compile(
    r"(?:[—–]|\s-|--|\b(?:by|while|after|and|but|statement|response|tweet|letter|post|note|message|release|video"
    r"|email|e-mail|op-ed|memo|notice|report|lawsuit|suit|complaint|petition|petitions|ad|article|column|editorial)"
    # when the document was sent: "sent a letter this week urging", "filed a lawsuit in 2013 alleging"
    r"(?:\s+(?:on\s+)?(?:[A-Z][a-z]+day|(?:this|last)\s+(?:week|month|year)|in\s+\d{4}))?)"
    r"(?:\s+(?:also|initially|later|then|even|[a-z]+ly))*$"
)
# What may open a sentence before an -ing cue whose subject comes after the content: "After |
# suggesting that ..., Ola Berg", "While | saying that", "In addition to | stating that", "".
OPENING_ING_RE = re.compile(
    r"\W*(?:(?:while|after|since|before|in|upon|by|in addition to|besides)\s*)?(?:[a-z]+ly)?", re.IGNORECASE
)
# Verbs whose noun-like forms ("promises", "claim") are verbs before an infinitive.
INFINITIVE_LEMMAS = REPORTED_TO_VERBS | {"claim"}
INFINITIVE_RE = re.compile(r"to\s+[a-z]+\s")
# Words before a noun, within two words of it: "his | promise", "a forceful | promise", "Trump's".
NOUN_BEFORE_RE = re.compile(
    r"(?:\b(?:his|her|their|its|our|my|your|a|an|the|this|that|these|those|own)|['’]s)(?:\s+[\w-]+)?\s*$",
    re.IGNORECASE,
)
# A gerund opening what was reported: "reported spending", "reported having $1.3 million".
GERUND_RE = re.compile(r"[a-z]{3,}ing\s")
# "..., saying", "..., falsely suggesting": a comma and adverbs before an -ing cue.
COMMA_AND_ADVERBS_RE = re.compile(r",(?:\s+[a-z]+ly)*$")
# "with three in 10 saying", "with 30 percent of voters saying": the group after "with".
WITH_SOURCE_RE = re.compile(r"\bwith\s+((?:[\w.'’%-]+\s+){0,7}?[\w.'’%-]+)$")
# "As The Daily Caller reported, ...", "As reported by X, ...": the source in an "as" clause that
# opens the sentence; at most AS_TAIL_WORDS words between its verb and the comma.
AS_SOURCE_RE = re.compile(r"^\W*[Aa]s\s+((?:[\w.'’-]+\s+){0,8}?)$")
AS_TAIL_WORDS = 8
# Words after "CONTENT, X said," that are about the saying or the source, not the content.
NOT_GOING_ON_RE = re.compile(
    r"\s*(?:(?!during\b|according\b|including\b)[a-z]+ing\b|on (?:the )?condition\b|(?:an?|the)\s+(?:[\w'’-]+\s+){0,3}"
    r"(?:analyst|professor|spokes\w+|official|expert|economist|strategist|director|member|adviser|advisor"
    r"|lawyer|fellow|researcher|scholar|president|chairman|chair|head|leader|founder|editor|author)\b)"
)
# What opens a clause of its own after "CONTENT, according to X": ", but the challenger ...".
NEW_CLAUSE_RE = re.compile(
    r"\W*(?:but|and|while|although|though|which|who|as|so|yet|whereas)\b", re.IGNORECASE
)
# A clause without "that" after a verb that otherwise takes a noun ("denied he had ...", "reported it
# was ...", "wrote they would ..."), not "denied the charges" nor "wrote a letter".
CLAUSE_START_RE = re.compile(
    r"(?:he|she|they|we|I|there|it)\s+(?:[a-z]+ly\s+)?(?:is|was|were|are|had|has|have|would|will|could|can"
    r"|should|might|may|must|did|does|do|['’]d|never|not)\b"
    # ... or a noun phrase of a few words and an auxiliary: "reported the company was sold", "reports
    # Ola Berg will endorse the mayor"; not "wrote a letter that was read", "came as the city was"
    r"|(?:(?!(?:that|which|who|whom|whose|what|how|why|whether|if|and|or|but|to|as|by|when|while|after|before"
    r"|because|since|for|with|from|in|on|at|about|into|than)\b)[\w.'’$%-]+\s+){1,6}"
    r"(?:is|was|were|are|had|has|have|would|will|could|can|should|might|may|must|did|does|isn['’]t|wasn['’]t"
    r"|weren['’]t|aren['’]t|hadn['’]t|hasn['’]t|haven['’]t|wouldn['’]t|won['’]t|couldn['’]t|can['’]t|didn['’]t"
    r"|doesn['’]t)\b",
    re.IGNORECASE,
)
# "CONTENT, | the unions | claim.": a comma, then a source of a few words before the cue.
SHORT_SOURCE_AFTER_COMMA_RE = re.compile(r"\w.*,\s*(?:[\w.'’-]+\s+){1,5}$")
# The predicate of a content's subject after an inverted source: "..., said X, an expert, | would ...".
PREDICATE_AFTER_SOURCE_RE = re.compile(
    r",\s+(?=(?:would|will|is|was|are|were|has|have|had|could|can|should|may|might|must|does|did)\s)"
)
# First words of a phrase of time before a content-first cue: "Later in the day, the FBI said".
TIME_OPENERS = frozenset(
    "later earlier afterwards hours days weeks months years minutes moments shortly".split()
)
DASHES = ("—", "–", "--", "-")
US_STATE_RE = re.compile(
    r"(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev"
    r"|N\.H|N\.J|N\.M|N\.Y|N\.C|N\.D|Okla|Ore|Pa|R\.I|S\.C|S\.D|Tenn|Tex|Vt|Va|Wash|W\.Va|Wis|Wyo|D\.C)\.?"
)
INFINITIVE_END_RE = re.compile(
    r",\s|\s(?:and|but)\s+(?:[a-z]+ed|said|says|cast|made|took|gave|met|spent|told|is|was)\b"
)
# What was agreed goes on past a comma ("agreed to meet again next week, ostensibly to discuss ...").
AGREEMENT_END_RE = re.compile(
    r"\s(?:and|but)\s+(?:[a-z]+ed|said|says|cast|made|took|gave|met|spent|told|is|was)\b"
)
VERB_COORDINATION_RE = re.compile(
    r",?\s+and\s+(?:then\s+|also\s+|later\s+)?(?=(?:questioned|suggested|rejected|accused|criticized|urged|argued"
    r"|insisted|warned|called|asked|declined|refused|promised|vowed|pledged|expressed|praised|dismissed)\s)"
)
# "said that A and called on B to ...", "said A but added ...": a speech act of the subject's own
# after "and" or "but" ends the content, "that" or not.
SPEECH_COORDINATION_RE = re.compile(
    r",?\s+(?:and|but)\s+(?:then\s+|also\s+|later\s+)?(?=(?:"
    + trie_pattern(
        [form for form in REPORTED_LEMMAS if form.split()[0].endswith("ed")]
        + ["said", "told", "wrote", "took"]
    )
    + r")\s)"
)
# Where a content ends before its sentence does: a second cue (", adding that ..."), a second clause
# (", but ...", "; ...", " — ..."), a relative clause about the last name (", who ...", ", whose
# ..."), the subject's next act (", and then called ...", "telling CNN that A and questioning B"),
# what the act led to (", making it the most valuable ..."), or a comparison with others (", as
# have other Democrats"). Not ", but that ...": a second part of what was said ("said A, but that B").
# Two patterns, one for the breaks that open with a comma or a semicolon and one for those that open
# with white space: each then opens with a character class, and the engine jumps between the
# characters a break may open with instead of trying every branch at every position of a content
# (one pattern of them all took three times as long). _content_break() finds the first of either.
_ING_FORMS = "|".join(sorted(form for form in REPORTED_LEMMAS if form.split()[0].endswith("ing")))
# ", and said", ", but stopped short of ...": with a comma or without
_AND_OR_BUT_NEXT_ACT = (
    r"and\s+(?=(?:said|says|added|told|questioning|calling|" + _ING_FORMS + r")\b)"
    r"|but\s+(?=[a-z]+ing\s|(?:would|did|could|will) not\s|stopped short\s)"
)
# after a quotation that closes with the comma: 'was "about right," though ...'
_AFTER_QUOTED_COMMA = (
    r"\s*(?=(?:though|although|who|which|whom|whose|but|according to|saying|adding|noting)\b)"
)
CONTENT_END_AFTER_PUNCTUATION_RE = re.compile(
    r",\s+(?="
    r"(?:" + _ING_FORMS + r"|according to|but(?!\s+(?:that|rather)\b)|who|whom|whose|which|said|says|told"
    r"|added|though|although|however)\b"
    r"|(?:an?|the latter)\s"
    r"|(?:even though|even as|despite|for whom|where|compared with|compared to|citing)\s"
    r"|and\s+(?:he|she|they)\s"
    r"|(?:and|but)\s+(?:then\s+|also\s+|later\s+)?[a-z]{3,}ed\s"
    r"|as\s+(?:has|have|had|did|do|does|is|was|were|are)\s"
    r"|(?:making|putting|leading|throwing|giving|prompting|sparking|leaving|forcing|raising|drawing|setting"
    r"|sending|bringing|pushing|marking|capping|ending)\s"
    r")"
    r"|,\s+(?:" + _AND_OR_BUT_NEXT_ACT + r")"
    r"|;\s"
)
CONTENT_END_AT_SPACE_RE = re.compile(
    r"\s(?:\s*(?:" + _AND_OR_BUT_NEXT_ACT + r")"
    r"|[—–-]\s|--\s"
    r"|(?<=,[\"”’']\s)" + _AFTER_QUOTED_COMMA + r"|(?<=,''\s)" + _AFTER_QUOTED_COMMA + r")"
)
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Runs of letters: counting a content's letters a run at a time makes a word one string, not five.
LETTERS_RE = re.compile(r"[^\W\d_]+")
ASCII_LETTERS = string.ascii_letters.encode("ascii")
CLOSING = " \t\n\"”»'’.,;:!?)—–-*_"
OPENING = " \t\n\"“«'‘(*_—–-,"


def find_reported(
    article: ParsedArticle,
    quotes: list[ExtractedQuote],
    gazetteer: Gazetteer,
    context: ArticleContext | None = None,
) -> list[ExtractedQuote]:
    """The article's reported statements, as ExtractedQuotes of kind "indirect" in text order.

    `quotes` are the article's quotations, already attributed: a content that is mostly one of
    them is left to it, and a pronoun's antecedent may be their speaker. `context` may be passed
    when the caller already built one over the whole text."""
    text = masked_dateline(article)
    quoted = sorted((quote.span.start, quote.span.end) for quote in quotes)
    # one scan for the cues, before anything costlier: most sentences have none, and a cue inside
    # a quotation is the speaker's own words ('"He said we would win," Trump said'), not the article's
    cues = [cue for cue in REPORTED_SPEECH_RE.finditer(text) if not _inside_quotation(cue.start(), quoted)]
    if not cues:
        return []
    if context is None:
        context = ArticleContext(text, gazetteer, outlet=article.source)
    found: list[ExtractedQuote] = []
    # the context's sentence starts, found once for the whole text, when they cover all of it
    known_starts = context.sentences.starts if context.text == text and context.end >= len(text) else None
    for start, end, sentence_cues in _sentences(text, cues, known_starts):
        for statement in _statements_in(text, start, end, sentence_cues, quoted, context, quotes, found):
            if statement.speaker is not None and is_own_outlet(statement.speaker, article):
                continue
            found.append(statement)
    return found


def reported_in_text(text: str, gazetteer: Gazetteer, source: str = "") -> list[ExtractedQuote]:
    """Reported statements in a plain text (a readout's or a statement's body), with no quotations
    of its own: find_reported over `text` as an article of outlet `source`. Offsets point into `text`."""
    return find_reported(ParsedArticle(external_id="", text=text, source=source), [], gazetteer)


def _sentences(text: str, cues: list, known_starts: list[int] | None = None):
    """(start, end, its cues) of each sentence with a cue, paragraph by paragraph; the others are
    never split into sentences. `known_starts`: the sentence starts of the whole text, when the
    article's context has already found them."""
    positions = [cue.start() for cue in cues]
    for paragraph_start, paragraph_end in paragraph_spans(text):
        first = bisect.bisect_left(positions, paragraph_start)
        if first == len(positions) or positions[first] >= paragraph_end:
            continue
        if known_starts is None:
            inner = sentence_starts(text, paragraph_start, paragraph_end)
        else:
            low = bisect.bisect_right(known_starts, paragraph_start)
            inner = known_starts[low : bisect.bisect_left(known_starts, paragraph_end)]
        starts = [paragraph_start, *inner]
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else paragraph_end
            low, high = bisect.bisect_left(positions, start), bisect.bisect_left(positions, end)
            if low < high:
                yield start, end, cues[low:high]


def _statements_in(text, start, end, cues, quoted, context, quotes, earlier):
    """The reported statements of one sentence, one for each cue that has a source and a content.
    A content ends where the source of a later statement in it starts ("X proposed A, while Y said
    B": A stops before "Y")."""
    found: list[tuple[ExtractedQuote, int]] = []
    for cue in cues:
        if (
            found
            and found[-1][0].span.start <= cue.start() < found[-1][0].span.end
            and _pieces(found[-1][0]) > 1
        ):
            continue  # "CONTENT, they said, CONTENT": the cue inside is the statement's own
        statement = _statement_at(text, start, end, cue, quoted, context, quotes, earlier)
        if statement is None:
            continue
        quote, source_start = statement
        if found and found[-1][0].span.start < source_start < found[-1][0].span.end:
            shortened = _cut_before(text, found[-1][0], source_start)
            if shortened is None:
                found.pop()
            else:
                found[-1] = (shortened, found[-1][1])
        if found and quote.span.start < found[-1][0].span.end:
            continue  # inside the previous statement's content and not cutting it: nested speech
        found.append(statement)
    for quote, _ in found:
        yield quote


def _inside_quotation(position: int, quoted) -> bool:
    index = bisect.bisect_right(quoted, (position, len(quoted) + 10**9)) - 1
    return index >= 0 and quoted[index][0] <= position < quoted[index][1]


def _pieces(quote: ExtractedQuote) -> int:
    """How many pieces a content has: 2 for "CONTENT, they said, CONTENT"."""
    return 1 if quote.span.end - quote.span.start == len(quote.span.text) else 2


def _cut_before(text: str, quote: ExtractedQuote, position: int) -> ExtractedQuote | None:
    """The statement with its content ending before `position` (and the "and", "while" that join
    the next clause), or None when too little is left."""
    if _pieces(quote) > 1:
        return None
    end = position
    while True:
        stripped = TRAILING_JOINER_RE.search(text, quote.span.start, end)
        if stripped is None:
            break
        end = stripped.start()
    start, end = _trim(text, quote.span.start, end)
    if len(WORD_RE.findall(text[start:end])) < MIN_CONTENT_WORDS:
        return None
    span = QuoteSpan(start=start, end=end, text=text[start:end], kind="indirect")
    return ExtractedQuote(span=span, speaker=quote.speaker, verb=quote.verb, confidence=quote.confidence)


def _statement_at(
    text, start, end, cue, quoted, context, quotes, earlier
) -> tuple[ExtractedQuote, int] | None:
    verb = cue.group("verb")
    lemma = REPORTED_LEMMAS.get(verb.lower(), "")
    before = text[start : cue.start()]
    if lemma == "according_to":
        return _according_to(text, start, end, cue, quoted, context, quotes, earlier)
    if verb.lower() in THAT_ONLY_FORMS and not _that_or_end_follows(text, cue, end, before):
        return None  # "the notes", "a claim": a noun unless "that" or the sentence's end follows
    near = before[-NOT_A_STATEMENT_REACH:]
    # what NOT_A_STATEMENT_BEFORE_RE finds lies in the last two words ("would | not", "could |
    # probably"): it is looked for from there, not tried at every word of the window
    pieces = near.rsplit(None, 2)  # (the words before the last two, one string), then the last two
    last_two_words_at = len(pieces[0]) if len(pieces) == 3 else 0
    if (
        NOT_A_STATEMENT_BEFORE_RE.search(near, last_two_words_at) and not GOES_ON_TO_RE.search(near)
    ) or HYPOTHETICAL_RE.match(before):
        return None
    if verb.split()[0].lower().endswith("ing") and not PROGRESSIVE_RE.search(before[-NOT_A_STATEMENT_REACH:]):
        # '"...," Mr. Dale said, adding that ...': the -ing cue is a statement of its own, even after a
        # quotation's clause
        return _ing_form(text, start, end, cue, quoted, context, quotes, earlier)
    if _attributes_quotation(text, start, cue.start(), quoted):
        return None  # '"...," Peskov said': the quotation's own clause
    comma = before.rstrip().rfind(",")
    following = bisect.bisect_left(quoted, (cue.end(),))
    quotation_follows = following < len(quoted) and quoted[following][0] < end
    content_first = (
        lemma in CONTENT_FIRST_VERBS
        and comma > 0
        and not quotation_follows
        and (not before[comma + 1 :].strip() or _only_attribution_follows(text, cue, end, lemma))
    )
    if content_first:
        # "CONTENT, X said (on Tuesday)." / "CONTENT, X said, CONTENT."
        found = _content_first(text, start, end, cue, comma, quoted, context, quotes, earlier)
        if found is not None:
            return found
    if not before.strip():
        return None  # "Said the senator: ..." and headlines with no source
    if before.rstrip().endswith((',"', ",”", ",''", ",’")) and not _ends_with_scare_quote(
        text, start, cue.start()
    ):
        # '..., "...," said X, the director': the verb comes before its source; but in 'Ola Berg, who
        # calls the plan a "disgrace," said ...' the quoted word is the subject's own aside
        return None
    as_source = AS_SOURCE_RE.match(before)
    if as_source:
        return _as_source(text, start, end, cue, as_source, quoted, context, quotes, earlier)
    return _source_first(text, start, end, cue, lemma, quoted, context, quotes, earlier)


def _source_first(text, start, end, cue, lemma, quoted, context, quotes, earlier):
    """ "X said (on Tuesday) (that) CONTENT", "X told reporters CONTENT", "X urged Y to CONTENT"."""
    before = text[start : cue.start()]
    subject_start = start
    joined = False
    boundaries = list(SUBJECT_BOUNDARY_RE.finditer(before))
    for boundary in boundaries:
        subject_start = start + boundary.end()
        joined = boundary.group().strip() in ("and", "but")
    subject = text[subject_start : start + len(before.rstrip())]
    if not subject.strip(CLOSING) and boundaries and boundaries[-1].group().strip() in DASHES:
        # "Mayor Kari Dale - who previously said ... - said at a rally": the subject before the aside
        opening = [b for b in boundaries[:-1] if b.group().strip() == boundaries[-1].group().strip()]
        if opening:
            preceding = [b for b in boundaries if b.end() <= opening[-1].start()]
            subject_start = start + (preceding[-1].end() if preceding else 0)
            subject = text[subject_start : start + opening[-1].start()]
    if joined and _only_auxiliaries(subject):
        # "He endorsed Clinton, but told The Huffington Post that ...", "Sanders often questions her
        # ties to donors and has called for ...": the sentence's subject
        clause = next(iter(sentence_subject(text, start, cue.start())[:1]), None)
        if clause is None or clause.subject.lower() in DETERMINERS_AND_QUANTITIES:
            # "A spokesman for the mayor defended the route and said ...", "The judge rubbed his chin,
            # and then said ...": no name leads the sentence, its first noun phrase is the subject
            clause = _opening_subject(text, start, cue.start())
        if clause is None:
            return None
        subject, subject_start = clause.subject, clause.subject_start
    subject, subject_start = _without_places_and_openers(subject, subject_start, context)
    # "Mr. Dale has long said", "They have promised", "the ministry also is promising": the words
    # between the subject and its verb are not who spoke
    # (both patterns end at the subject's end: they look at its last TAIL_REACH characters only)
    offset = max(0, len(subject) - TAIL_REACH)
    tail = _subject_tail(subject, offset)
    if tail and tail.start() > 0:
        subject = subject[: tail.start()]
    # (the regex only where it may match: a time, or a year, ends the subject)
    when = (
        TIME_TAIL_RE.search(subject, max(0, len(subject) - TAIL_REACH)) if _ends_with_time(subject) else None
    )
    if when and subject[: when.start()].split()[-1:] and subject[: when.start()].split()[-1][:1].isupper():
        # "Sean Spicer on Thursday evening said": when, not who (but "a filing released on Monday")
        subject = subject[: when.start()]
    pronoun = SUBJECT_PRONOUN_RE.search(subject)
    if pronoun and pronoun.start(1) > 0 and not RELATIVE_END_RE.search(subject, 0, pronoun.start(1)):
        # "Still he rejected ...", "Late Saturday he announced ...", "By nearly 2-1, they say": a personal
        # pronoun right before the verb is its subject
        subject_start += pronoun.start(1)
        subject = pronoun.group(1)
    offset = max(0, len(subject) - TAIL_REACH)
    relative = RELATIVE_SOURCE_RE.search(subject, offset) if "that" in subject or "which" in subject else None
    if (
        relative
        and (relative.start() > offset or offset == 0)
        and not any(
            word in CLAUSE_WORDS - PERSONAL_PRONOUNS for word in WORD_RE.findall(relative.group(1).lower())
        )
    ):
        # "a bill, which critics said was discriminatory": the source after the relative pronoun
        subject_start += relative.start(1)
        subject = relative.group(1)
    if _more_words_than(subject, MAX_SOURCE_WORDS) or not subject.strip():
        return None
    # "Christian Pardo, who said he would not vote, left early": the relative clause ends at its comma
    # (", who" right before the verb, read without a regex tried at every position of the sentence)
    trimmed_before = before.rstrip()
    inside_relative = trimmed_before.endswith("who") and trimmed_before[:-3].rstrip().endswith(",")
    content_start = cue.end()
    if lemma in AUDIENCE_LEMMAS:
        # "told The Post and Courier of Charleston on Saturday that ...": whoever stands before "that"
        audience = AUDIENCE_THAT_RE.match(text, content_start, end) or AUDIENCE_RE.match(
            text, content_start, end
        )
        if audience is None or audience.end() == content_start:
            return None
        content_start = audience.end()
    lead = LEAD_RE.match(text, content_start, end)
    has_that = lead.group().rstrip().endswith("that")
    content_start = lead.end()
    if not has_that:
        # "said on CNN, where he is now a paid contributor, that ...": "that" after an aside
        aside = ASIDE_THAT_RE.match(text, content_start, end)
        if aside:
            has_that, content_start = True, aside.end()
    infinitive = lemma in REPORTED_TO_VERBS and text.startswith("to ", content_start)
    # "reported spending $6 million", "reported raising $9 million": what a filing declares
    gerund = lemma == "report" and GERUND_RE.match(text, content_start, end) is not None
    if lemma in REPORTED_THAT_VERBS and not (
        has_that or infinitive or gerund or CLAUSE_START_RE.match(text, content_start, end)
    ):
        return None
    topic = None if has_that else TOPIC_PREPOSITION_RE.match(text, content_start, end)
    if topic is not None and topic.group(1).lower() in TOPIC_PREPOSITIONS.get(lemma, ()):
        # "warned of the risk of an outbreak", "complained about the tone of the race": what it was about
        has_that, content_start = True, topic.end()
    content_end = _content_end(text, content_start, end)
    # (both regexes are tried at every position: only when the content holds their "and" or "but")
    has_and = text.find("and", content_start, content_end) >= 0
    coordinated = None
    if has_and or text.find("but", content_start, content_end) >= 0:
        coordinated = SPEECH_COORDINATION_RE.search(text, content_start, content_end)
    if coordinated is None and has_and:
        coordinated = VERB_COORDINATION_RE.search(text, content_start, content_end)
    if coordinated and not (has_that and coordinated.re is VERB_COORDINATION_RE):
        # "said he makes $41,000 a year and questioned how ...": the subject's next act, not the content
        content_end = coordinated.start()
    if SUBORDINATE_RE.match(text, start, cue.start()) or inside_relative:
        # "While she says she will not vote for him, she applauds ...": the main clause follows
        comma = text.find(", ", content_start, content_end)
        content_end = comma if comma > 0 else content_end

    if not _opens_clause(text[content_start:content_end], lemma, has_that):
        return None
    clause = Clause(subject.strip(), cue.group("verb"), subject_start, "before")
    shape = "that" if has_that else "source_first"
    whole = None
    # (without the auxiliaries before the verb: "Ola Berg, who has met the minister, has said")
    bare = before.rstrip()
    if subject_start > start and not bare.endswith(",") and "," in bare[-TAIL_REACH:]:
        auxiliaries = _subject_tail(bare, max(0, len(bare) - TAIL_REACH))
        bare = bare[: auxiliaries.start()] if auxiliaries and auxiliaries.start() > 0 else bare
    if (bare.rstrip().endswith(",") or RELATIVE_OPENER_RE.match(subject)) and subject_start > start:
        # "Senator Ola Berg, a Democrat who has met the minister and been named as ..., said": the
        # apposition's own "and", "as" cut the subject; the whole is tried when the part names nobody
        whole = Clause(bare.strip(), cue.group("verb"), start + len(before) - len(before.lstrip()), "before")
    return _statement(
        text, content_start, content_end, clause, shape, quoted, context, quotes, earlier, whole=whole
    )


def _opening_subject(text: str, start: int, cue_start: int) -> Clause | None:
    """The words that open a sentence before its first verb ("A spokesman for the mayor | defended
    ..."), as the subject of a later verb joined to it by "and", if there is such a verb."""
    part = text[start:cue_start].split(",")[0]
    verb = OPENING_VERB_RE.search(part)
    if verb is None:
        return None
    opener = LEADING_WORDS_RE.match(part)
    offset = opener.end() if opener else 0
    subject = part[offset : verb.start()].strip()
    if not subject:
        return None
    return Clause(subject, "", start + part.find(subject, offset), "before")


def _ends_with_scare_quote(text: str, start: int, cue_start: int) -> bool:
    """Whether the words before a cue end with a quoted word or two inside a longer subject ('Ola
    Berg, who calls the plan a "disgrace,"'), not with a quotation of its own."""
    before = text[start:cue_start].rstrip().rstrip("\"”'’")
    opening = max(before.rfind("“"), before.rfind('"'), before.rfind("''"), before.rfind("‘"))
    if opening <= 0:
        return False
    return (
        len(WORD_RE.findall(before[opening:])) < SCARE_QUOTE_WORDS
        and len(WORD_RE.findall(before[:opening])) >= 2
    )


def _ends_with_time(subject: str) -> bool:
    """Whether TIME_TAIL_RE may match the subject: it ends with a time word or a digit."""
    last = subject.rstrip()
    return last.endswith(TIME_TAIL_ENDINGS) or last[-1:].isdigit()


def _subject_tail(subject: str, offset: int):
    """SUBJECT_TAIL_RE.search(subject, offset), tried only where the match may start: its words are
    lowercase letters and apostrophes between white space, so it never starts before the last other
    character of the subject ("Dmitry Peskov has long": after the "v"). A search from `offset` tries
    every position, and this is the regex of the sentence tried at most of them."""
    rest = subject
    while True:
        shorter = rest.rstrip().rstrip(LOWERCASE_AND_APOSTROPHES)
        if len(shorter) == len(rest):
            break
        rest = shorter
    return SUBJECT_TAIL_RE.search(subject, max(offset, len(rest)))


def _only_auxiliaries(subject: str) -> bool:
    """ "", "has", "also", "then": no subject of its own between a conjunction and its verb."""
    return not subject.strip(CLOSING) or SUBJECT_TAIL_RE.match(" " + subject.strip(CLOSING)) is not None


def _goes_on(text: str, position: int, end: int) -> bool:
    """Whether the words after "CONTENT, X said," go on with the content, not with how it was said
    ("wiping sweat off his face", "on condition of anonymity") or who X is ("an analyst at ...")."""
    return not NOT_GOING_ON_RE.match(text, position, end)


def _without_places_and_openers(subject: str, subject_start: int, context: ArticleContext) -> tuple[str, int]:
    """The subject without a one-word opener ("Regardless, the State Department said") and without
    the place that closes it ("Cory James of Lansing, Mich., said"): neither is who spoke."""
    parts = subject.split(",")
    while len(parts) > 1 and _is_opener(parts[0], context) and len(" ".join(parts[1:]).split()) >= 2:
        subject_start += len(parts[0]) + 1
        parts = parts[1:]
    while len(parts) > 1 and _is_place(parts[-1] if parts[-1].strip() else parts[-2]):
        parts = parts[:-1] if parts[-1].strip() else parts[:-2] + [""]
    return ",".join(parts), subject_start


def _is_opener(part: str, context: ArticleContext) -> bool:
    words = part.split()
    if len(words) != 1:
        return False
    word = words[0].strip(OPENING)
    lowered = word.lower()
    # not a person the article names ("Obama, in a speech, said"), nor a country or a body ("Russia, ...")
    return lowered not in context.by_last and not context.gazetteer.find(word)


def _is_place(part: str) -> bool:
    """ "Mich.", "N.Y.", "Texas", "D.C.": a state closing a name."""
    words = part.strip(" .").lower().split()
    return bool(words) and (US_STATE_RE.fullmatch(part.strip()) is not None or " ".join(words) in PLACE_WORDS)


def _that_or_end_follows(text: str, cue, end: int, before: str) -> bool:
    """ "critics note that ...", "the paper reports that ...", "unions claim it will ...", and after
    a content: "..., they note, ..." and "..., experts claim." """
    lead = LEAD_RE.match(text, cue.end(), end)
    if lead.group().rstrip().endswith("that") or CLAUSE_START_RE.match(text, lead.end(), end):
        return True
    verb = cue.group("verb").lower()
    if (
        REPORTED_LEMMAS.get(verb) in INFINITIVE_LEMMAS
        and (verb.endswith("s") or verb == "claim")  # "promise to swell costs" is a forecast
        and INFINITIVE_RE.match(text, lead.end(), end)
        and not NOUN_BEFORE_RE.search(before)
    ):
        return True  # "Ola Berg promises to ...", "critics claim to have ...", not "his promise to"
    after = text[cue.end() : end].strip()
    # the regex last: it is slow on a long sentence (each word start tries up to the line's end)
    return (not after.strip(CLOSING) or after.startswith(",")) and bool(
        SHORT_SOURCE_AFTER_COMMA_RE.search(before)
    )


def _as_source(text, start, end, cue, as_source, quoted, context, quotes, earlier):
    """ "As X reported (in his book), CONTENT." and "As reported by X, CONTENT." """
    comma = text.find(",", cue.end(), end)
    if comma < 0 or len(WORD_RE.findall(text[cue.end() : comma])) > AS_TAIL_WORDS:
        return None
    subject, subject_start = as_source.group(1), start + as_source.start(1)
    if not subject.strip():
        by = re.match(r"\s+by\s+([^,]+)", text[cue.end() : comma])
        if by is None:
            return None
        subject, subject_start = by.group(1), cue.end() + by.start(1)
    clause = Clause(subject.strip(), cue.group("verb"), subject_start, "before")
    content_end = _content_end(text, comma + 1, end)
    return _statement(text, comma + 1, content_end, clause, "source_first", quoted, context, quotes, earlier)


# A second cue after a content-first one ("..., X said, adding that ..."): what follows is its content.
NEXT_CUE_RE = re.compile(
    r",\s+(?=(?:"
    + trie_pattern([form for form in REPORTED_LEMMAS if form.split()[0].endswith("ing")] + ["according to"])
    + r")\b)"
)


def _only_attribution_follows(text: str, cue, end: int, lemma: str) -> bool:
    """Whether what follows a cue is only when, where and to whom ("..., Peskov told reporters on
    Tuesday."), or the content going on (", they said, CONTENT"): then the content came first."""
    position = cue.end()
    second_cue = NEXT_CUE_RE.search(text, position, end)
    end = second_cue.start() if second_cue else end  # "..., X said Tuesday in Oslo, noting that ..."
    tail = text[position:end]
    if any(mark in tail for mark in ('"', "“", "”", "''")):
        return False  # '..., he told the agency simply, "We lost."': the words after are the quotation
    if tail.lstrip().startswith(","):
        return True
    allowed = SHORT_TAIL_WORDS
    if lemma in AUDIENCE_LEMMAS:
        audience = AUDIENCE_RE.match(text, position, end)
        position = audience.end() if audience else position
        allowed = 0  # "..., X told reporters"; not "X told a joke"
        if text[position:end].lstrip().startswith(","):
            return True  # "CONTENT, he told friends, CONTENT"
    position = LEAD_RE.match(text, position, end).end()
    rest = WORD_RE.findall(text[position:end])
    return len(rest) <= allowed and "that" not in rest


def _attributes_quotation(text: str, start: int, cue_start: int, quoted) -> bool:
    """Whether the words before the cue are a quotation's own clause: '"...," Peskov said',
    '"...," Clinton told O'Brien': a quotation of the sentence ends right before the source, and
    it is most of what comes before ('The rejection signals "the beginning of the end," said X' is
    a paraphrase with a quoted fragment)."""
    # only the quotations around the sentence: `quoted` is in text order
    first = max(bisect.bisect_left(quoted, (start,)) - 1, 0)
    last = bisect.bisect_right(quoted, (cue_start, len(text) + 1))
    for quote_start, quote_end in quoted[first:last]:
        if start <= quote_end <= cue_start or quote_start < start < quote_end:
            between = text[quote_end:cue_start].strip(CLOSING)
            if VERB_RE.search(between):
                continue  # '"...," Dale said after the council announced ...': the quotation has its clause
            words = len(WORD_RE.findall(between))
            if ("," not in between and words <= QUOTATION_SOURCE_WORDS) or (
                between[:1].isupper() and words <= MAX_SOURCE_WORDS
            ):
                # '"...," Peskov said' and '"...," Valdez Anderson, who works at ..., said'
                # the words between are the source when they open with a name; else they go on with
                # the content ('signals "the beginning of the end" for the fleet, said X')
                stop = quote_end if between[:1].isupper() else cue_start
                return _quoted_share(text, [(start, stop)], quoted) > MAX_QUOTED_SHARE
    return False


def _content_first(text, start, end, cue, comma, quoted, context, quotes, earlier):
    """ "CONTENT, X said (on Tuesday)." and "CONTENT, X said, CONTENT." """
    before = text[start : cue.start()]
    source = before[comma + 1 :]
    tail = text[cue.end() : end]
    inverted = not source.strip(CLOSING + OPENING)  # '"...," said X' as much as ', said X'
    if inverted:
        # "CONTENT, said X." : the source follows the verb. Not "Name, apposition, told X that ..."
        # nor "Name, apposition, said on Sunday ...": their subject came first
        if REPORTED_LEMMAS.get(cue.group("verb").lower()) in AUDIENCE_LEMMAS:
            return None
        lead = LEAD_RE.match(text, cue.end(), end)
        if lead.end() > cue.end() and text[cue.end() : lead.end()].strip(" ,"):
            return None
        source = tail.strip(CLOSING).split(",")[0]
        if any(word in CLAUSE_WORDS - PERSONAL_PRONOUNS for word in WORD_RE.findall(source.lower())):
            return None  # "Name, apposition, said the minister had ...": a clause, what was said
        source_words = WORD_RE.findall(source.lower())
        if len(source_words) > MAX_INVERTED_SOURCE_WORDS or (
            len(source_words) > 1 and source_words[0] in PERSONAL_PRONOUNS
        ):
            return None  # "Name, apposition, said he hadn't ...": a clause after the verb
        subject_start = cue.end() + tail.find(source) if source else cue.end()
    else:
        subject_start = start + comma + 1
    if not source.strip() or _more_words_than(source, MAX_SOURCE_WORDS):
        return None
    if WORD_RE.findall(source.lower())[:1] in (
        ["and"],
        ["but"],
        ["or"],
        ["so"],
        ["which"],
        ["who"],
        ["that"],
    ):
        return None  # "..., and he urged": a clause of its own, not the content's source
    if source.split()[:1] == ["as"]:
        source = source.split(None, 1)[1] if len(source.split()) > 1 else ""  # "CONTENT, as X said."
        subject_start = start + comma + 1 + before[comma + 1 :].find(source) if source else subject_start
        if not source:
            return None
    first_words = WORD_RE.findall(text[start : start + comma])
    if (
        len(first_words) <= SHORT_PHRASE_WORDS
        and first_words
        and first_words[0].lower() in NOT_CONTENT_OPENERS | TIME_OPENERS
    ):
        return None  # "In a speech last July, he said": where it was said, not what
    pieces = [(start, start + comma)]
    after = cue.end()
    if REPORTED_LEMMAS.get(cue.group("verb").lower()) in AUDIENCE_LEMMAS:
        audience = AUDIENCE_RE.match(text, after, end)
        after = audience.end() if audience else after  # "CONTENT, he told friends, CONTENT"
    rest = text[after:end].lstrip(" ")
    if not inverted and rest.startswith(","):
        # "CONTENT, they said, CONTENT.": the content goes on after the cue
        second = end - len(rest) + 1
        second = LEAD_RE.match(text, second, end).end()
        first_words = len(WORD_RE.findall(text[start : start + comma]))
        if len(WORD_RE.findall(text[second:end])) >= max(1, MIN_CONTENT_WORDS - first_words) and _goes_on(
            text, second, end
        ):
            # "Nor does she have any plans, advisers say, to take cues from ...": the rest of it
            pieces.append((second, _content_end(text, second, end)))
            if SUBORDINATE_RE.match(text, start, start + comma):
                pieces = pieces[1:]  # "While most were X, he said, two were Y": the main clause
    predicate = PREDICATE_AFTER_SOURCE_RE.search(text, after, end) if inverted else None
    if predicate is not None:
        # "Any reading of the plan, said Ola Berg, a professor, would see it as a retreat": the
        # subject's predicate after the source and its apposition
        pieces.append((predicate.end(), _content_end(text, predicate.end(), end)))
    clause = Clause(source.strip(), cue.group("verb"), subject_start, "after", inverted=inverted)
    content_start, content_end = pieces[0][0], pieces[-1][1]
    return _statement(
        text, content_start, content_end, clause, "content_first", quoted, context, quotes, earlier, pieces
    )


def _according_to(text, start, end, cue, quoted, context, quotes, earlier):
    """ "According to X, CONTENT." / "CONTENT, according to X." """
    before = text[start : cue.start()]
    if not before.strip(OPENING) or before.strip(OPENING).lower() in ("but", "and", "yet", "also"):
        comma = text.find(",", cue.end(), end)
        if comma < 0:
            return None
        clause = Clause(text[cue.end() : comma].strip(), "according to", cue.end(), "after", inverted=True)
        content_end = _content_end(text, comma + 1, end)
        return _statement(
            text, comma + 1, content_end, clause, "according_to", quoted, context, quotes, earlier
        )
    if not before.rstrip().endswith(",") and len(WORD_RE.findall(before)) < MIN_CONTENT_WORDS:
        return None  # "CONTENT according to X" needs no comma, but a content
    source_end = text.find(",", cue.end(), end)
    source_end = end if source_end < 0 else source_end
    aside = SOURCE_END_RE.search(text, cue.end(), source_end)
    source_end = aside.start() if aside else source_end  # "according to X - half a point of GDP"
    clause = Clause(
        text[cue.end() : source_end].strip(CLOSING), "according to", cue.end(), "after", inverted=True
    )
    pieces = [(start, start + len(before.rstrip().rstrip(",")))]
    rest = text[source_end:end]
    if (
        source_end < end
        and aside is None
        and len(WORD_RE.findall(rest)) >= MIN_CONTENT_WORDS
        and not NEW_CLAUSE_RE.match(rest)
        and _goes_on(text, source_end + 1, end)
    ):
        pieces.append((source_end + 1, end))  # "CONTENT, according to X, CONTENT."
        if SUBORDINATE_RE.match(text, start, pieces[0][1]):
            pieces = pieces[1:]  # "While most were X, according to Y, two were Z": the main clause
    return _statement(
        text, pieces[0][0], pieces[-1][1], clause, "according_to", quoted, context, quotes, earlier, pieces
    )


def _ing_form(text, start, end, cue, quoted, context, quotes, earlier):
    """ "The senator defended the plan, saying (that) CONTENT", "She issued a statement saying
    CONTENT", "He responded by saying CONTENT": the sentence's subject said it; "with 30 percent
    of voters saying CONTENT": the words after "with"."""
    before = text[start : cue.start()].rstrip()
    if OPENING_ING_RE.fullmatch(before):
        return _opening_ing_form(text, start, end, cue, quoted, context, quotes, earlier)
    with_source = WITH_SOURCE_RE.search(before)
    if not (with_source or COMMA_AND_ADVERBS_RE.search(before) or ING_LEAD_RE.search(before)):
        return None
    content_start = cue.end()
    if cue.group("verb").lower() == "telling":  # "..., telling reporters that ..."
        audience = AUDIENCE_THAT_RE.match(text, content_start, end) or AUDIENCE_RE.match(
            text, content_start, end
        )
        if audience is None:
            return None
        content_start = audience.end()
    lead = LEAD_RE.match(text, content_start, end)
    content_start = lead.end()
    content_end = _content_end(text, content_start, end)
    lemma = REPORTED_LEMMAS.get(cue.group("verb").lower(), "")
    if lemma in REPORTED_THAT_VERBS and not lead.group().rstrip().endswith("that"):
        return None  # "writing a book called ...", "adding trucks": a noun, not what was said
    if not _opens_clause(text[content_start:content_end], lemma):
        return None
    if with_source:
        clause = Clause(with_source.group(1), cue.group("verb"), start + with_source.start(1), "before")
        return _statement(text, content_start, content_end, clause, "ing", quoted, context, quotes, earlier)
    quotation = _quotation_said_before(text, start, cue.start(), quotes)
    if quotation is not None:
        # '"...," Mr. Dale said on Monday, adding that ...': whoever said the quotation
        clause = Clause("", cue.group("verb"), quotation.span.end, "before")
        return _statement(
            text,
            content_start,
            content_end,
            clause,
            "ing",
            quoted,
            context,
            quotes,
            earlier,
            said_with=quotation,
        )
    for clause in sentence_subject(text, start, cue.start())[:1]:
        clause.where, clause.strict, clause.verb = "before", False, cue.group("verb")
        return _statement(text, content_start, content_end, clause, "ing", quoted, context, quotes, earlier)
    return None


def _opening_ing_form(text, start, end, cue, quoted, context, quotes, earlier):
    """ "After suggesting that CONTENT, Ola Berg turned to ...", "Noting that CONTENT, the senator
    ...": an -ing cue that opens its sentence; the content ends at its comma and whoever the main
    clause is about said it."""
    lead = LEAD_RE.match(text, cue.end(), end)
    if not lead.group().rstrip().endswith("that"):
        return None  # "In declaring victory, ...": what was declared is no clause
    content_start = lead.end()
    comma = text.find(", ", content_start, end)
    if comma < 0:
        return None
    clause = _opening_subject(text, comma + 2, end)
    if clause is None:
        return None
    clause.verb = cue.group("verb")
    return _statement(text, content_start, comma, clause, "ing", quoted, context, quotes, earlier)


def _quotation_said_before(text: str, start: int, cue_start: int, quotes) -> ExtractedQuote | None:
    """The quotation with a speaker whose reporting clause stands right before an -ing cue of its
    sentence ('"...," Mr. Dale said at the time, | adding that ...'), if any."""
    for quote in reversed(quotes):
        if quote.span.end > cue_start:
            continue
        if quote.span.end < start or quote.speaker is None or quote.span.kind == "indirect":
            return None
        between = text[quote.span.end : cue_start].lstrip(CLOSING)
        words = WORD_RE.findall(between)
        if any(mark in between for mark in '"“”') or not words or len(words) > QUOTATION_SOURCE_WORDS:
            return None
        return quote if VERB_RE.search(between) else None
    return None


def _content_end(text: str, content_start: int, end: int) -> int:
    """Where a source-first content ends: at the sentence's end, or where a second cue starts
    (", adding that ...")."""
    position = content_start
    while True:
        cut = _content_break(text, position, end)
        if cut is None:
            return end
        dash = cut.group().strip()
        if RELATIVE_APPOSITION_RE.match(text, cut.start(), end):
            # "Gov. Ola Berg, who must make the decision, has revealed nothing": the relative clause
            # is inside the content's subject when a verb follows its closing comma
            position = RELATIVE_APPOSITION_RE.match(text, cut.start(), end).end()
            continue
        if dash in ("—", "–", "--", "-"):
            closing = text.find(cut.group(), cut.end(), end)
            if closing >= 0:
                # "Trump's visit to Des Moines — Iowa's biggest market — last Friday would ...": an
                # aside between two dashes, not the end
                position = closing + len(cut.group())
                continue
        return cut.start()


def _content_break(text: str, position: int, end: int):
    """The first break in text[position:end] after which a content does not go on: the first
    match of CONTENT_END_AFTER_PUNCTUATION_RE or CONTENT_END_AT_SPACE_RE (they never start at the
    same character)."""
    after_punctuation = CONTENT_END_AFTER_PUNCTUATION_RE.search(text, position, end)
    at_space = CONTENT_END_AT_SPACE_RE.search(text, position, end)
    if after_punctuation is None or (at_space is not None and at_space.start() < after_punctuation.start()):
        return at_space
    return after_punctuation


def _opens_clause(content: str, lemma: str, has_that: bool = False) -> bool:
    """Whether the words after a cue are what was said, not a mention of speech ("hit back at the
    statement", "said in a statement.", "said so", "wrote to the chief executive")."""
    # only the first words decide: a long content is not read to its end
    words = [match.group() for match in itertools.islice(WORD_RE.finditer(content), MIN_CONTENT_WORDS)]
    if len(words) < MIN_CONTENT_WORDS:
        return False
    first = words[0].lower()
    if has_that:
        return True  # "said that in 2012 it paid ...", "said that with the votes she had, ..."
    if first in APPROXIMATELY and _is_quantity_word(words[1].lower()):
        return True  # "said about half of the increase ...", "predicted over 40 percent ..."
    if first == "to" and (lemma in REPORTED_TO_VERBS or lemma in AUDIENCE_LEMMAS):
        return True  # "has promised to separate rebels from ...", "told the council to approve ..."
    return first not in NOT_CONTENT_OPENERS


def _is_quantity_word(word: str) -> bool:
    return _is_quantity(word) or word in QUANTITY_WORDS or word in ("a", "one-third", "two-thirds")


def _statement(
    text,
    content_start,
    content_end,
    clause,
    shape,
    quoted,
    context,
    quotes,
    earlier,
    pieces=None,
    whole=None,
    said_with=None,
) -> tuple[ExtractedQuote, int] | None:
    """(the statement, where its source starts), when the content is one and its source names somebody.
    `said_with`: a quotation whose speaker is the statement's too ('"...," she said, adding that ...')."""
    pieces = pieces or [(content_start, content_end)]
    if len(pieces) == 1 and text.startswith("to ", _trim(text, content_start, content_end)[0]):
        # "has vowed to block the nominee, meaning that ...", "pledged to rid the world of X but said
        # little": what was promised ends at the first comma or the next verb
        ends = AGREEMENT_END_RE if REPORTED_LEMMAS.get(clause.verb.lower()) == "agree" else INFINITIVE_END_RE
        cut = ends.search(text, content_start, content_end)
        pieces = [(content_start, cut.start() if cut else content_end)]
    trimmed = [_trim(text, piece_start, piece_end) for piece_start, piece_end in pieces]
    trimmed = [(s, e) for s, e in trimmed if e > s]
    if not trimmed:
        return None
    content = " ".join(text[s:e] for s, e in trimmed)
    if len(content.split()) < 2 * MIN_CONTENT_WORDS and len(WORD_RE.findall(content)) < MIN_CONTENT_WORDS:
        return None  # (counting words only when there may be too few)
    if _quoted_share(text, trimmed, quoted) > MAX_QUOTED_SHARE:
        return None
    if _names_no_source(clause.subject) and not _document_says(clause):
        return None
    if said_with is not None:
        return _said_by(text, trimmed, content, clause, shape, said_with)
    previous = _previous_quote(clause.subject_start, quotes, earlier)
    speaker, penalty = resolve(clause, context, previous)
    if speaker is None and whole is not None:
        speaker, penalty = resolve(whole, context, previous)
        if speaker is not None:
            clause = whole
    if speaker is not None and speaker.name.lower() in SPEAKING_HEADS:
        speaker = None  # "Police said", "Aides said": a group, not a person of that name
    if speaker is None and NONRESTRICTIVE_WHO_RE.search(clause.subject):
        # "a doctor from Englewood, who said ...", "derided by Armin Lasse, the leader of ..., who
        # suggested": the person named last in the subject
        who_at = clause.subject_start + len(clause.subject)
        sentence_start = context.sentences.last_start(max(0, who_at - RELATIVE_REACH), who_at)
        person = _person_in_span(context, sentence_start, who_at)
        if person is not None:
            speaker, penalty = mention_for(person, context), 0.0
    if speaker is None and not _unresolved_ok(clause.subject):
        speaker = described_source(clause.subject, context, any_head=clause.verb == "according to")
        if speaker is None:
            return None
        penalty = DESCRIBED_PENALTY
    start, end = trimmed[0][0], trimmed[-1][1]
    span = QuoteSpan(start=start, end=end, text=content, kind="indirect")
    confidence = round(max(0.1, CONFIDENCE[shape] - penalty), 2)
    # where the source starts, for cutting a statement whose content runs into it: its last part
    # ("..., John said" in a sentence that opens with another statement)
    source_start = clause.subject_start
    if not clause.inverted and "," in clause.subject.rstrip(" ,"):
        source_start += clause.subject.rstrip(" ,").rfind(",") + 1
    quote = ExtractedQuote(span=span, speaker=speaker, verb=clause.verb, confidence=confidence)
    return quote, source_start


def _said_by(text, trimmed, content, clause, shape, quotation) -> tuple[ExtractedQuote, int]:
    """The statement of `trimmed` credited to the speaker of `quotation`, at the quotation's confidence."""
    span = QuoteSpan(start=trimmed[0][0], end=trimmed[-1][1], text=content, kind="indirect")
    confidence = round(min(CONFIDENCE[shape], quotation.confidence), 2)
    quote = ExtractedQuote(span=span, speaker=quotation.speaker, verb=clause.verb, confidence=confidence)
    return quote, clause.subject_start


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The content without the punctuation and marks around it, but with the closing mark of a
    quotation it ends with ('remains "on the table."', not 'remains "on the table')."""
    outer_end = end
    while start < end and text[start] in OPENING:
        start += 1
    while end > start and text[end - 1] in CLOSING:
        end -= 1
    content = text[start:end]
    if content.count("“") > content.count("”") or content.count('"') % 2:
        closing = min(
            (i for i in (text.find("”", end, outer_end), text.find('"', end, outer_end)) if i >= 0),
            default=-1,
        )
        if closing >= 0:
            end = closing + 1
    return start, end


def _quoted_share(text: str, pieces, quoted) -> float:
    """The share of the content's letters that lie inside a quotation (`quoted`: the quotations'
    (start, end), in text order)."""
    # only the quotations that open before the content's end may reach into it
    opening_before_end = quoted[: bisect.bisect_left(quoted, (pieces[-1][1],))]
    if not any(quote_end > pieces[0][0] for _, quote_end in opening_before_end):
        return 0.0  # no quotation inside: no letters to count
    letters = inside = 0
    for start, end in pieces:
        first = bisect.bisect_left(quoted, (start,)) - 1  # a quotation may open before the content
        for quote_start, quote_end in quoted[max(first, 0) :]:
            if quote_start >= end:
                break
            if quote_end > start:
                inside += _letter_count(text, max(start, quote_start), min(end, quote_end))
        letters += _letter_count(text, start, end)
    return inside / letters if letters else 1.0


def _letter_count(text: str, start: int, end: int) -> int:
    """How many letters (LETTERS_RE) text[start:end] holds. In ASCII they are A-Z and a-z, counted
    as what deleting them takes off the bytes, seven times faster than the regex."""
    stretch = text[start:end]
    if stretch.isascii():
        raw = stretch.encode("ascii")
        return len(raw) - len(raw.translate(None, ASCII_LETTERS))
    return sum(map(len, LETTERS_RE.findall(stretch)))


def _more_words_than(text: str, limit: int) -> bool:
    """len(WORD_RE.findall(text)) > limit, without reading a text too short to hold that many words
    (each word and the break after it take two characters)."""
    return len(text) > 2 * limit and len(WORD_RE.findall(text)) > limit


def _unresolved_ok(subject: str) -> bool:
    """A personal pronoun whose person the article does not name ("they said", "I told him"): the
    statement is kept without a speaker, as a quotation would be. A described source that resolves
    to nobody ("the GOP speechwriter", "a woman in Worcester") is not kept: on the development set
    such statements were wrong one time in three."""
    words = WORD_RE.findall(subject.lower())
    return len(words) == 1 and words[0] in UNRESOLVED_PRONOUNS


def _head_end(lowered: list[str], start: int) -> int:
    """Where the head noun phrase of lowered[start:] ends: at its first preposition or participle."""
    return next((i for i in range(start + 1, len(lowered)) if _ends_head(lowered, i)), len(lowered))


def _is_quantity(word: str) -> bool:
    """ "52", "47%", "eight", "two-thirds": a number of people."""
    return bool(QUANTITY_RE.fullmatch(word))


def _ends_head(lowered: list[str], i: int) -> bool:
    """Whether the i-th word ends the head noun phrase of a description: "officials | in Kyiv", "a
    filing | released on Monday" (a participle after a noun, with more after it)."""
    if lowered[i] in HEAD_BREAK_WORDS:
        return True
    return (
        lowered[i].endswith(("ed", "ing"))
        and i + 1 < len(lowered)
        and lowered[i - 1] not in DETERMINERS_AND_QUANTITIES
    )


def _lone_name(word: str, context: ArticleContext) -> bool:
    """Whether a lone capitalised subject is a name ("Gazprom said"), not a word that opens a
    sentence ("From pointing out ...", "Repeating ..."): the article never writes it in lowercase."""
    return (
        word.lower() not in NOT_NAMES and not word.endswith("ing") and not context.lowercase_elsewhere(word)
    )


def described_source(subject: str, context: ArticleContext, any_head: bool = False) -> SpeakerMention | None:
    """A source the article describes without naming, when the subject is one: a noun phrase of a
    few words whose head noun is somebody who speaks ("the witness", "Police", "abortion rights
    advocates", "a spokesman for the mayor", "many", "60 percent of voters") or a document ("the
    report said"; with `any_head`, any noun phrase: "according to figures the campaign released").
    Not a clause ("the election would ..."), a time ("this week"), nor a pronoun."""
    relative = RELATIVE_WHO_RE.search(subject)
    if relative:
        # "compared with 23 percent who said ...": the group just before "who"; "from a young child,
        # who said": the words after the last preposition of the part before the comma
        antecedent = relative.group(1)
        if not antecedent.strip():
            antecedent = re.split(r",", subject.rsplit("who", 1)[0].rstrip(" ,"))[-1]
            antecedent = re.split(
                r"\b(?:from|by|to|with|than|for|among|of|at|in|on|came|were|was|is|are)\s", antecedent
            )[-1]
        return described_source(antecedent, context, any_head) if antecedent.strip() else None
    parts = [part for part in subject.split(",") if part.strip(OPENING + CLOSING)]
    if len(parts) > 1:
        # "In a statement, the network said", "By wide margins, those surveyed say": the last part;
        # "A spokesman for the mayor, who ..., said": the first
        return described_source(parts[-1], context, any_head) or described_source(parts[0], context, any_head)
    description = LEADING_WORDS_RE.sub("", subject.strip(OPENING + CLOSING))
    description = DESCRIPTION_END_RE.split(description, maxsplit=1)[0].strip(OPENING + CLOSING)
    # words as written, so "self-described" stays one
    words = [word for word in (token.strip(".,;:!?’'\"”“()") for token in description.split()) if word]
    while len(words) > 1 and words[-1].lower() in GROUP_TAIL_WORDS:
        words = words[:-1]  # "58 percent of voters overall"
    if len(words) > MAX_DESCRIBED_WORDS and not any_head and _is_quantity_word(words[0].lower()):
        # "Majorities of Democrats in five states going to the polls Tuesday": the group, not where
        # it was asked
        cut = next((i for i in range(2, len(words)) if words[i].lower() in POLL_GROUP_BREAKS), len(words))
        words = words[:cut]
    if not words or len(words) > (MAX_DOCUMENT_WORDS if any_head else MAX_DESCRIBED_WORDS):
        return None
    lowered = [word.lower() for word in words]
    if len(lowered) >= 2 and lowered[0] in ("that", "this"):
        lowered[0] = "the"  # "That person said", "this official": a determiner
    if any(word in CLAUSE_WORDS for word in lowered) or lowered[0] in NOT_DESCRIPTION_OPENERS:
        return None  # a clause, or a phrase of time or place ("on Sunday", "Like Mr. Sanders")
    if (
        len(lowered) >= 4
        and _is_quantity(lowered[0])
        and lowered[1:3] == ["out", "of"]
        and _is_quantity(lowered[3])
    ):
        lowered, words = lowered[:1] + lowered[4:], words[:1] + words[4:]  # "nine out of 10 (voters)"
    head_at = _head_end(lowered, 0)
    head = lowered[head_at - 1]
    if _is_quantity(head) or head in QUANTITY_WORDS:
        # "60 percent of voters", "most of the delegates", "eight in 10 voters": the group; a
        # quantity alone ("52 percent said", "Six in 10 say") is the share of those asked
        group_start = head_at + (1 if lowered[head_at : head_at + 1] == ["of"] else 0)
        if (
            lowered[head_at : head_at + 1] == ["in"]
            and head_at + 1 < len(lowered)
            and _is_quantity(lowered[head_at + 1])
        ):
            group_start = head_at + 2
        while group_start < len(lowered) and lowered[group_start] in DETERMINERS_AND_QUANTITIES:
            group_start += 1
        if group_start >= len(lowered):
            return SpeakerMention(name=description, is_unnamed=True)
        head_at = _head_end(lowered, group_start)
        head = lowered[head_at - 1]
    proper = all(word[:1].isupper() or word in ("of", "and", "for", "the", "on") for word in words[:head_at])
    speaks = (
        head in SPEAKING_HEADS
        or head.removesuffix("s") in SPEAKING_HEADS
        or (head.endswith("ies") and head[:-3] + "y" in SPEAKING_HEADS)  # "companies", "parties"
        or (AGENT_PLURAL_RE.search(head) and words[head_at - 1][:1].islower())
        or (AGENT_RE.match(head) and lowered[0] in ("the", "a", "an") and words[head_at - 1][:1].islower())
        or (proper and (len(words) >= 2 or _lone_name(words[0], context)))
        # "many Latinos", "most Republicans", "a majority of Americans": a people or a party's members
        or (
            words[head_at - 1][:1].isupper()
            and head.endswith("s")
            and (lowered[0] in DETERMINERS_AND_QUANTITIES or lowered[0] in QUANTITY_WORDS)
        )
        or (
            # "the billionaire real estate magnate": a definite description of a person
            lowered[0] == "the"
            and 2 <= head_at <= 6
            and words[head_at - 1][:1].islower()
            and head not in NOT_SPEAKING_HEADS
            and not head.endswith(("ing", "ness", "tion", "ment", "ity"))
        )
    )
    if not (speaks or (head in DOCUMENT_NOUNS and head not in FINDING_NOUNS) or any_head):
        return None
    return SpeakerMention(name=description, is_unnamed=True)


def _person_in_span(context: ArticleContext, start: int, end: int):
    """The person mentioned last in text[start:end], if any."""
    found = None
    for mention in context.mentions:
        if mention.start >= end:
            break
        if mention.start >= start:
            found = mention.ref
    return found


def _document_says(clause: Clause) -> bool:
    """Whether a document is the source of a statement: "according to a memo", "a news report
    said", but never what a poll or a study says: their findings are no statement."""
    if clause.verb.lower() == "according to":
        return True
    words = WORD_RE.findall(clause.subject.lower())
    return clause.verb.lower() in DOCUMENT_VERBS and bool(words) and words[-1] not in FINDING_NOUNS


def _names_no_source(subject: str) -> bool:
    """A document, poll or finding as the subject: "the report", "a new poll", "the data"; not the
    people it asked ("half of respondents in the poll")."""
    words = WORD_RE.findall(subject.lower())
    return bool(words) and words[-1] in DOCUMENT_NOUNS and not any(word in GROUP_NOUNS for word in words)


def _previous_quote(position: int, quotes, earlier) -> ExtractedQuote | None:
    """The last quotation or reported statement before `position`, for whom a pronoun means."""
    candidates = [quote for quote in quotes if quote.span.end <= position]
    candidate = candidates[-1] if candidates else None
    if (
        earlier
        and earlier[-1].span.end <= position
        and (candidate is None or earlier[-1].span.end > candidate.span.end)
    ):
        candidate = earlier[-1]
    return candidate
