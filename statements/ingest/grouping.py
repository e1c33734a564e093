"""Statement grouping: which reports (quotes, in one article or in many) are one statement.

Pure: works on plain `Report` records; store.py reads them from the database and writes what
`plan()` decides. Two reports are one statement when

- the same speaker record said them (never across speakers; a quote without a speaker record,
  an unnamed source's included, stays alone: "a senior aide" in two articles need not be one person),
- within WINDOW_DAYS of each other (by said_on; an undated quote stays alone),
- and the words of the shorter, at least MIN_WORDS of them, lie inside the longer: at least
  CONTAINED of its word trigrams are the longer's. That takes the same words with other
  punctuation or quote marks, a partial quotation of the full one; two different remarks share a
  phrase at most, a small part of their trigrams.
- or, when they share fewer trigrams but still a good part (RESEMBLING), the shorter's words lie
  in the longer but for a word or two: WORDS_INSIDE of them in order, word by word, and the same
  figures. One outlet changing, adding or cutting a word ("has been" for "was", "U.S. economy"
  for "economy") breaks the three trigrams around it, so a short quote worded a little
  differently falls below CONTAINED; the word-by-word comparison (difflib) is dearer than a set
  intersection, and only these few pairs need it. A figure the longer lacks ("40 cents a
  share", "60 cents a share") says the words are another remark's, however alike the rest.

A statement is what these links join (a full quotation joins its two fragments reported apart),
except that two statements an editor curated (split or joined) never join each other.

Candidates come from an index of word trigrams by speaker, built for each call from the reports
of the same speakers in the same days (store.py reads those with the speaker-and-date index), so a
new report costs what its speaker said around its date, not the archive's size.
"""

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from statements.text import fold

# Reports said further apart than this are different statements, whatever their words.
WINDOW_DAYS = 3
# The shorter report of a pair needs this many words: "a grave mistake" or "we will respond"
# are said again and again, and say nothing about which remark they come from.
MIN_WORDS = 6
# Share of the shorter report's word trigrams that must be in the longer one's.
CONTAINED = 0.8
# Below CONTAINED, pairs sharing at least this share of the shorter's trigrams, and two of them at
# least, are compared word by word: a word or two changed in a sentence leave that many, a word
# changed every few words none, and one common phrase ("we will see") is no sign of one remark.
RESEMBLING = 0.25
RESEMBLING_AT_LEAST = 2
# Share of the shorter report's words that must lie, in order, in the longer one for such a pair.
WORDS_INSIDE = 0.9
WORD = re.compile(r"\w+")
DIGITS = re.compile(r"\d+")


def words(text):
    """The words of a quotation, lower-cased and without accents or punctuation."""
    return WORD.findall(text.casefold() if text.isascii() else fold(text))


def trigrams(text):
    """The set of word trigrams of `text`, empty when it has fewer than MIN_WORDS words."""
    found = words(text)
    if len(found) < MIN_WORDS:
        return frozenset()
    return frozenset(zip(found, found[1:], found[2:]))


@dataclass
class Report:
    """A quote as grouping sees it."""

    pk: int
    speaker_id: int | None
    said_on: datetime.date | None
    text: str
    statement_id: int | None = None  # its statement now; None for a quote alone
    curated: bool = False  # its statement was split or joined by an editor
    shingles: frozenset | None = field(default=None, repr=False)  # trigrams(text), given when known

    def __post_init__(self):
        if self.shingles is None:
            # Only a report with a speaker and a date is compared with others: an import's quotes
            # without either (a fifth of them) need no trigrams.
            dated = self.speaker_id is not None and self.said_on is not None
            self.shingles = trigrams(self.text) if dated else frozenset()

    @property
    def groupable(self):
        return self.speaker_id is not None and self.said_on is not None and bool(self.shingles)

    @property
    def node(self):
        """What grouping joins: a report's statement, or the report itself when alone."""
        return ("statement", self.statement_id) if self.statement_id is not None else ("quote", self.pk)


@dataclass
class Group:
    """A statement as plan() leaves it: `statements` the existing statements it joins (none for a
    new one), `lone` the reports (pks) that were alone, `curated` whether an editor made one of its
    statements."""

    statements: list
    lone: list
    curated: bool


class _Nodes:
    """Union-find over nodes (see Report.node) that refuses to join two curated statements."""

    def __init__(self):
        self.parent = {}
        self.curated = {}

    def add(self, node, curated):
        if node not in self.parent:
            self.parent[node] = node
            self.curated[node] = curated
        else:
            self.curated[self.find(node)] |= curated

    def find(self, node):
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def join(self, a, b):
        a, b = self.find(a), self.find(b)
        if a == b or (self.curated[a] and self.curated[b]):
            return
        self.parent[b] = a
        self.curated[a] |= self.curated[b]


def same_statement(a, b, shared=None):
    """Whether reports `a` and `b` (of one speaker) are one statement by their dates and words;
    `shared`: how many trigrams they have in common, when the caller counted them already."""
    if abs((a.said_on - b.said_on).days) > WINDOW_DAYS:
        return False
    if shared is None:
        shared = len(a.shingles & b.shingles)
    if shared < RESEMBLING_AT_LEAST:  # most pairs: two remarks of one speaker
        return False
    fewest = min(len(a.shingles), len(b.shingles))
    if shared >= CONTAINED * fewest:
        return True
    return shared >= RESEMBLING * fewest and worded_alike(a.text, b.text)


def worded_alike(text, other):
    """Whether the shorter of two quotations lies in the longer but for a word or two: at least
    WORDS_INSIDE of its words found in order (difflib's matching blocks), and no figure of its
    own."""
    short, long = sorted((words(text), words(other)), key=len)
    if not figures(short) <= figures(long):
        return False
    enough = WORDS_INSIDE * len(short)
    known = set(long)
    if sum(word in known for word in short) < enough:
        return False  # too many words of its own, in any order: no need to align them
    matcher = SequenceMatcher(None, short, long, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) >= enough


def figures(found):
    """The runs of digits among `found` words ("1930" in "1930's" and "1930s" alike)."""
    return {run for word in found for run in DIGITS.findall(word)}


# Up to this many reports of one speaker in a batch, each new one is compared with every other
# (a set intersection each, in C); above, candidates come from an index of their trigrams.
COMPARE_ALL_UP_TO = 150


def _same_statements(reports, pool):
    """The pairs (a new report, a known report or an earlier new one, all of one speaker) that are
    one statement."""
    if len(reports) + len(pool) <= COMPARE_ALL_UP_TO:
        for i, report in enumerate(reports):
            for other in [*pool, *reports[:i]]:
                if same_statement(report, other):
                    yield report, other
        return
    index = defaultdict(list)  # trigram -> the reports having it
    for other in pool:
        for shingle in other.shingles:
            index[shingle].append(other)
    for report in reports:
        shared, candidates = Counter(), {}
        for shingle in report.shingles:
            for other in index.get(shingle, ()):
                shared[other.pk] += 1
                candidates[other.pk] = other
        for pk, other in candidates.items():
            if same_statement(report, other, shared[pk]):
                yield report, other
        for shingle in report.shingles:
            index[shingle].append(report)


def plan(new, known):
    """How the `new` reports group with each other and with the `known` ones (their speakers'
    reports around their dates, already grouped). Returns the Groups that changed: each holds at
    least one new report and has two reports or more."""
    nodes = _Nodes()
    new = sorted((report for report in new if report.groupable), key=lambda report: report.pk)
    new_by_speaker = defaultdict(list)
    for report in new:
        new_by_speaker[report.speaker_id].append(report)
    known_by_speaker = defaultdict(list)
    for report in known:
        if report.groupable and report.speaker_id in new_by_speaker:
            known_by_speaker[report.speaker_id].append(report)
    new_nodes = set()
    for speaker_id, reports in new_by_speaker.items():
        pool = known_by_speaker[speaker_id]
        for report in [*pool, *reports]:
            nodes.add(report.node, report.curated)
        new_nodes.update(report.node for report in reports)
        for report, other in _same_statements(reports, pool):
            nodes.join(report.node, other.node)
    members = defaultdict(set)
    for node in nodes.parent:
        members[nodes.find(node)].add(node)
    groups = []
    for root, group in members.items():
        if len(group) < 2 or not group & new_nodes:
            continue
        groups.append(
            Group(
                statements=sorted(value for kind, value in group if kind == "statement"),
                lone=sorted(value for kind, value in group if kind == "quote"),
                curated=nodes.curated[root],
            )
        )
    return groups


# --- a statement's primary report and its outlets -------------------------------------------------


@dataclass
class Reported:
    """A report as a statement's summary reads it."""

    pk: int
    kind: str
    text: str
    said_on: datetime.date | None
    outlet: str
    published: datetime.date | None
    rejected: bool


def primary_of(reports):
    """The report a statement is listed by: a transcript turn (the words as spoken) when there is
    one, else the fullest wording; among equals the earliest, then the first stored. A rejected
    report only when all are (the public list must still find the others)."""
    pool = [report for report in reports if not report.rejected] or list(reports)
    return min(
        pool,
        key=lambda report: (
            report.kind != "turn",
            -len(words(report.text)),
            report.said_on or datetime.date.max,
            report.pk,
        ),
    )


def outlets_in_order(reports):
    """The outlets that carried a statement, the first to report it first (by date, then id)."""
    seen = {}
    for report in sorted(reports, key=lambda r: (r.published or r.said_on or datetime.date.max, r.pk)):
        if report.outlet and report.outlet.casefold() not in seen:
            seen[report.outlet.casefold()] = report.outlet
    return list(seen.values())


# --- how a report's wording differs from its statement's primary report ---------------------------


def wording_difference(text, primary_text):
    """How `text` (a report) differs from `primary_text`, word by word (compared without case,
    accents or punctuation): (segments, summary). Segments are (how, words as written) with how
    "same", "added" (in this report only) or "left out" (in the primary report only; what lies
    before or after a fragment is not listed); the summary says it in a few words."""
    mine, theirs = text.split(), primary_text.split()
    matcher = SequenceMatcher(None, [_key(w) for w in mine], [_key(w) for w in theirs], autojunk=False)
    opcodes = matcher.get_opcodes()
    segments = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        edge = index == 0 or index == len(opcodes) - 1
        if op == "equal":
            segments.append(("same", " ".join(mine[i1:i2])))
            continue
        if j2 > j1 and not (edge and i1 == i2):  # the words around a fragment are not "left out"
            segments.append(("left out", " ".join(theirs[j1:j2])))
        if i2 > i1:
            segments.append(("added", " ".join(mine[i1:i2])))
    same = sum(i2 - i1 for op, i1, i2, _, _ in opcodes if op == "equal")
    changed = [how for how, _ in segments if how != "same"]
    if not changed and len(mine) == len(theirs):
        summary = "The same words"
    elif not changed:
        summary = f"A part of it: {same} of its {len(theirs)} words"
    else:
        summary = f"Worded differently: {len(mine) - same} words of its own, {same} shared"
    return segments, summary


def _key(word):
    return "".join(words(word))
