"""Which speaker record a mention of a person is: one record per person across articles.

The importer looks every named person up in a `SpeakerIndex` of the archive's people before it
creates a record, and `curation.duplicate_speakers` applies the same rules to records an older
import split. No text rules here: the names come from attribution, already validated.
"""

import functools

import jellyfish
from anyascii import anyascii
from django.utils.text import slugify

from statements.ingest.lexicon import NAME_PARTICLES, NICKNAMES
from statements.models import Speaker
from statements.text import fold

# How alike two spellings of a given name must be to be one person's ("Dmitry"/"Dmitri", "Angel"/"Angela").
# Jaro-Winkler similarity, and the spellings must also sound alike (metaphone) unless they are closer still.
GIVEN_NAME_SIMILARITY = 0.9
GIVEN_NAME_CLOSE = 0.95


class SpeakerIndex:
    """The people the archive already has, by every name and alias they were seen under and by
    surname, so that a new mention finds its record: "President Obama" and "Obama" (when one
    Obama is known), "Exchequer Alistair Darling" (a known name at its end), "Dmitri Peskov" (a
    spelling of a known "Dmitry Peskov", when no other Peskov is known)."""

    def __init__(self):
        self.by_name = {}  # folded name or alias -> slug
        # folded surname -> {slug: (folded given name, country code, organisation, folded full name)}
        self.by_surname = {}
        self.slugs = set()  # every person's record the index has seen
        self.single_names = set()  # folded names of records that are a surname alone ("obama")
        self.read_to = 0

    @staticmethod
    def key(name):
        """ "Дмитрий Песков" and "Dmitrii Peskov" alike: the name in ASCII, folded."""
        return fold(anyascii(name)) if not name.isascii() else fold(name)

    def read_new(self):
        rows = Speaker.objects.filter(pk__gt=self.read_to, kind=Speaker.Kind.PERSON).order_by("pk")
        fields = ("pk", "slug", "name", "aliases", "country__code", "organisation__name")
        for pk, slug, name, aliases, country, organisation in rows.values_list(*fields):
            self.add(slug, name, aliases, country, organisation)
            self.read_to = pk

    def add(self, slug, name, aliases=(), country=None, organisation=None):
        self.slugs.add(slug)
        for form in [name, *aliases]:
            if " " in form.strip():  # a surname alone ("Medvedev") may be another person's: by_surname
                self.by_name.setdefault(self.key(form), slug)
        words = self.key(name).split()
        if len(words) >= 2:
            self.by_surname.setdefault(words[-1], {})[slug] = (
                words[0],
                country,
                organisation,
                " ".join(words),
            )
        elif words:
            self.single_names.add(words[0])

    def surname_of(self, speaker):
        """The folded surname of a person's record with a full name, else None."""
        words = self.key(speaker.name).split()
        return words[-1] if speaker.kind == Speaker.Kind.PERSON and len(words) >= 2 else None

    def only_person_named(self, surname):
        """The slug of the one full name with this surname, or None when there are none or several."""
        people = self.by_surname.get(surname, {})
        return next(iter(people)) if len(people) == 1 else None

    def slug_for(self, mention):
        """The slug of the record this mention is, or a new one's."""
        own = slug_for(mention)
        if mention.is_organisation or mention.is_unnamed:
            return own
        folded = self.key(mention.name)
        known = self.by_name.get(folded)
        if known:
            return known
        words = folded.split()
        if all(word in NAME_PARTICLES for word in words[:-1]):
            words = words[-1:]  # "van rompuy": a surname alone too
        people = self.by_surname.get(words[-1], {})
        if len(words) == 1:
            if len(people) > 1 and mention.organisation:
                # "Shirakawa", the Bank of Japan governor, and not another Shirakawa
                people = {
                    slug: person for slug, person in people.items() if person[2] == mention.organisation
                }
            return next(iter(people)) if len(people) == 1 else own
        for start in range(1, len(words) - 1):  # "exchequer alistair darling" -> "alistair darling"
            if words[start] in NAME_PARTICLES:
                break  # not "del missier" for "jerry del missier"
            known = self.by_name.get(" ".join(words[start:]))
            if known:
                return known
        # "manuel barroso": the end of one known full name ("jose manuel barroso")
        longer = [slug for slug, person in people.items() if person[3].endswith(" " + " ".join(words))]
        if len(longer) == 1:
            return longer[0]
        alike = [
            slug
            for slug, (given, country, _organisation, _full) in people.items()
            if len(words) == 2
            and same_given_name(given, words[0])
            and (not country or not mention.country or country == mention.country)
        ]
        return alike[0] if len(alike) == 1 else own


def same_given_name(known, seen):
    """ "dmitry"/"dmitri", "angela"/"angel", "nicolas"/"nicholas"; not "alexander"/"alexei"."""
    known, seen = NICKNAMES.get(known, known), NICKNAMES.get(seen, seen)
    if known == seen:
        return True
    similarity = jellyfish.jaro_winkler_similarity(known, seen)
    return similarity >= GIVEN_NAME_CLOSE or (
        similarity >= GIVEN_NAME_SIMILARITY and jellyfish.metaphone(known) == jellyfish.metaphone(seen)
    )


def slug_for(mention):
    """The slug of a mention's own record: its name's."""
    return slug_of_name(mention.name)


@functools.lru_cache(maxsize=100_000)
def slug_of_name(name):
    """slugify() is slow and an import asks for the same names' slugs over and over."""
    return slugify(name)[:200] or "unnamed"
