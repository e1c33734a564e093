"""Editor operations that touch several rows and must happen all at once."""

from django.db import transaction

from statements.ingest.identity import same_given_name
from statements.ingest.lexicon import NAME_PARTICLES
from statements.models import Quote, Speaker
from statements.text import fold


@transaction.atomic
def merge_speakers(survivor, others, curated=True):
    """Moves the quotes of `others` to `survivor`, keeps their names as its aliases and deletes them.

    Returns the number of quotes moved. The survivor becomes curated (an editor decided who it is)
    unless `curated` is False: merge_duplicate_speakers merges what the importer split, and the
    importer keeps describing the survivor from later articles.
    """
    others = [s for s in others if s.pk != survivor.pk]
    aliases = list(survivor.aliases)
    for speaker in others:
        for name in [speaker.name, *speaker.aliases]:
            if name != survivor.name and name not in aliases:
                aliases.append(name)
    moved = Quote.objects.filter(speaker__in=others).update(speaker=survivor)
    Speaker.objects.filter(pk__in=[s.pk for s in others]).delete()
    survivor.aliases = sorted(aliases) if not curated else aliases
    survivor.curated = survivor.curated or curated
    survivor.quote_count = survivor.quotes.count()
    survivor.save()
    return moved


def duplicate_speakers(speakers):
    """[(survivor, [duplicates])] among people the importer recorded separately, by the rules the
    importer now links new mentions with (store.SpeakerIndex):
    - a surname alone ("Obama") when exactly one full name with that surname is known;
    - a known full name with words in front ("Exchequer Alistair Darling", "Echoing Angela Merkel")
      or its surname repeated ("Axel Weber Weber");
    - another spelling of the given name ("Dmitri"/"Dmitry Peskov", "Angel Merkel") when no other
      person of that surname is spelled alike and the countries do not differ.
    Curated speakers are never merged into another; the survivor is the full name with most quotes."""
    people = [s for s in speakers if s.kind == Speaker.Kind.PERSON]
    by_name, by_surname = {}, {}
    for speaker in sorted(people, key=lambda s: (-s.quote_count, s.pk)):
        words = fold(speaker.name).split()
        if len(words) >= 2 and len(words) <= 4:
            by_name.setdefault(" ".join(words), speaker)
            by_surname.setdefault(words[-1], []).append(speaker)
    target = {}  # pk -> survivor
    # full names first, so that a surname alone counts the people left after them
    for speaker in sorted(people, key=lambda s: len(s.name.split()) == 1):
        if speaker.curated:
            continue
        words = fold(speaker.name).split()
        found = None
        if len(words) == 1:
            full = [other for other in by_surname.get(words[0], []) if other.pk not in target]
            found = full[0] if len(full) == 1 else None
        else:
            if len(words) >= 3 and words[-1] == words[-2]:
                words = words[:-1]
            for start in range(0, len(words) - 1):
                if words[start] in NAME_PARTICLES:
                    break  # "del missier" is the end of "jerry del missier", not a full name in it
                candidate = by_name.get(" ".join(words[start:]))
                if candidate is not None and candidate.pk != speaker.pk:
                    found = candidate
                    break
            if found is None and len(words) == 2:
                alike = [
                    other
                    for other in by_surname.get(words[-1], [])
                    if other.pk != speaker.pk
                    and len(fold(other.name).split()) == 2
                    and same_given_name(fold(other.name).split()[0], words[0])
                    and (
                        other.country_id is None
                        or speaker.country_id is None
                        or other.country_id == speaker.country_id
                    )
                ]
                # the spelling with more quotes survives
                if len(alike) == 1 and (alike[0].quote_count, -alike[0].pk) > (
                    speaker.quote_count,
                    -speaker.pk,
                ):
                    found = alike[0]
        if found is not None:
            target[speaker.pk] = found
    # follow chains ("Obama" -> "President Barack Obama" -> "Barack Obama")
    groups = {}
    for pk, survivor in target.items():
        seen = {pk}
        while survivor.pk in target and survivor.pk not in seen:
            seen.add(survivor.pk)
            survivor = target[survivor.pk]
        if survivor.pk != pk:
            groups.setdefault(survivor.pk, (survivor, []))[1].append(pk)
    by_pk = {s.pk: s for s in people}
    return [(survivor, [by_pk[pk] for pk in sorted(pks)]) for survivor, pks in groups.values()]
