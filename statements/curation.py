"""Editor operations that touch several rows and must happen all at once."""

from collections import Counter

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from statements.ingest.identity import same_given_name
from statements.ingest.lexicon import NAME_PARTICLES
from statements.models import Organisation, Quote, Speaker, SpeakerMerge, unique_slug
from statements.text import fold


def recount_quotes(speaker_ids):
    """Sets the quote_count of the speakers `speaker_ids` from their quotes, in one UPDATE (the
    speakers page, a speaker's page and the merge form show it)."""
    ids = sorted({pk for pk in speaker_ids if pk is not None})
    counts = (
        Quote.objects.filter(speaker=OuterRef("pk")).values("speaker").annotate(n=Count("pk")).values("n")
    )
    for start in range(0, len(ids), 500):
        Speaker.objects.filter(pk__in=ids[start : start + 500]).update(
            quote_count=Coalesce(Subquery(counts), 0)
        )


@transaction.atomic
def reassign_quotes(quotes, speaker):
    """Gives the quotes of the queryset `quotes` the speaker `speaker` (or none). The article's
    description of the old speaker goes with them (a quote then shows its new speaker's role), the
    quotes become curated, and both speakers' quote counts follow in the same transaction; the
    counting index reads the change from its trigger log. Returns [(quote id, old speaker name)]
    for the quotes that changed, for the admin's history."""
    new_id = speaker.pk if speaker is not None else None
    changed = list(quotes.exclude(speaker_id=new_id).values_list("pk", "speaker_id", "speaker__name"))
    if new_id is None:
        changed = [row for row in changed if row[1] is not None]
    ids = [pk for pk, _, _ in changed]
    for start in range(0, len(ids), 500):
        Quote.objects.filter(pk__in=ids[start : start + 500]).update(
            speaker=speaker, speaker_role="", curated=True
        )
    recount_quotes([old for _, old, _ in changed] + [new_id])
    regroup_reports(ids)
    return [(pk, name) for pk, _, name in changed]


def regroup_reports(quote_ids):
    """Statement grouping (ingest/grouping.py) for quotes given another speaker: a report leaves
    a statement of its old speaker's and may join one of its new speaker's."""
    from statements.ingest.store import regroup_quote

    for start in range(0, len(quote_ids), 500):
        for quote in Quote.objects.filter(pk__in=quote_ids[start : start + 500]).select_related("statement"):
            regroup_quote(quote)


def speaker_named(name):
    """The speaker an editor typed: the one of that name if there is one, else a new curated record
    (an organisation speaking as a body when an organisation has that name)."""
    name = " ".join(name.split())
    existing = Speaker.objects.filter(name__iexact=name).order_by("-quote_count", "pk").first()
    if existing is not None:
        return existing
    is_body = Organisation.objects.filter(name__iexact=name).exists()
    return Speaker.objects.create(
        name=name,
        slug=unique_slug(Speaker, name),
        kind=Speaker.Kind.ORGANISATION if is_body else Speaker.Kind.PERSON,
        curated=True,
    )


@transaction.atomic
def merge_speakers(survivor, others, curated=True, description=None, merged_by=None):
    """Moves the quotes of `others` to `survivor`, keeps their names as its aliases, records each
    merged record (SpeakerMerge: its old URL then redirects to the survivor) and deletes them.

    `description` ({"name", "role", "organisation", "country"}, as merge_defaults gives) is what
    the survivor is called and described as afterwards; without it the survivor keeps its own.
    Returns the number of quotes moved. The survivor becomes curated (an editor decided who it is)
    unless `curated` is False: merge_duplicate_speakers merges what the importer split, and the
    importer keeps describing the survivor from later articles.
    """
    others = list(
        Speaker.objects.filter(pk__in=[s.pk for s in others if s.pk != survivor.pk]).select_related(
            "organisation", "country"
        )
    )
    aliases = list(survivor.aliases)
    for speaker in others:
        for name in [speaker.name, *speaker.aliases]:
            if name != survivor.name and name not in aliases:
                aliases.append(name)
    moved_from = dict(
        Quote.objects.filter(speaker__in=others)
        .values("speaker")
        .annotate(n=Count("pk"))
        .values_list("speaker", "n")
    )
    moved = Quote.objects.filter(speaker__in=others).update(speaker=survivor)
    # a record merged before into one merged now leads to the survivor too
    SpeakerMerge.objects.filter(survivor__in=others).update(survivor=survivor)
    SpeakerMerge.objects.bulk_create(
        SpeakerMerge(
            survivor=survivor,
            name=speaker.name,
            slug=speaker.slug,
            role=speaker.role,
            organisation=speaker.organisation.name if speaker.organisation else "",
            country=speaker.country.name if speaker.country else "",
            aliases=speaker.aliases,
            quotes_moved=moved_from.get(speaker.pk, 0),
            merged_by=merged_by,
        )
        for speaker in others
    )
    Speaker.objects.filter(pk__in=[s.pk for s in others]).delete()
    if description:
        if description["name"] != survivor.name and survivor.name not in aliases:
            aliases.append(survivor.name)
        survivor.name = description["name"]
        survivor.role = description["role"]
        survivor.organisation = description["organisation"]
        survivor.country = description["country"]
        aliases = [name for name in aliases if name != survivor.name]
    survivor.aliases = sorted(aliases) if not curated else aliases
    survivor.curated = survivor.curated or curated
    survivor.quote_count = survivor.quotes.count()
    survivor.save()
    return moved


def most_common(weighted):
    """The value with the largest weight in [(value, weight)], empty values left out; the first
    seen wins a tie."""
    totals = Counter()
    for value, weight in weighted:
        if value:
            totals[value] += weight
    return max(totals, key=lambda value: totals[value], default=None)


def merge_defaults(speakers):
    """What a merge of `speakers` offers the editor: the most common values, not the first record's.
    The name and the record's organisation and country count each record by its quotes (a full
    name wins over a surname alone); the role counts how the articles described the person in
    each quote, so one article's debris ("which could delay President Ba") never wins.
    Returns {"survivor", "name", "role", "organisation", "country"}."""
    speakers = sorted(speakers, key=lambda s: (-s.quote_count, s.pk))
    weight = {s.pk: s.quote_count + 1 for s in speakers}
    full_names = [s for s in speakers if len(s.name.split()) >= 2] or speakers
    name = most_common((s.name, weight[s.pk]) for s in full_names)
    roles = (
        Quote.objects.filter(speaker__in=speakers)
        .exclude(speaker_role="")
        .values("speaker_role")
        .annotate(n=Count("pk"))
        .order_by("-n", "speaker_role")
        .values_list("speaker_role", "n")[:20]
    )
    role = most_common(list(roles)) or most_common((s.role, weight[s.pk]) for s in speakers) or ""
    organisations = {s.organisation_id: s.organisation for s in speakers}
    countries = {s.country_id: s.country for s in speakers}
    organisation_id = most_common((s.organisation_id, weight[s.pk]) for s in speakers)
    country_id = most_common((s.country_id, weight[s.pk]) for s in speakers)
    survivor = next((s for s in speakers if s.name == name), speakers[0])
    return {
        "survivor": survivor,
        "name": name,
        "role": role,
        "organisation": organisations.get(organisation_id),
        "country": countries.get(country_id),
    }


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
