"""Editor operations that touch several rows and must happen all at once."""

from django.db import transaction

from statements.models import Quote, Speaker


@transaction.atomic
def merge_speakers(survivor, others):
    """Moves the quotes of `others` to `survivor`, keeps their names as its aliases and deletes them.

    Returns the number of quotes moved. The survivor becomes curated: an editor decided who it is.
    """
    others = [s for s in others if s.pk != survivor.pk]
    aliases = list(survivor.aliases)
    for speaker in others:
        for name in [speaker.name, *speaker.aliases]:
            if name != survivor.name and name not in aliases:
                aliases.append(name)
    moved = Quote.objects.filter(speaker__in=others).update(speaker=survivor)
    Speaker.objects.filter(pk__in=[s.pk for s in others]).delete()
    survivor.aliases = aliases
    survivor.curated = True
    survivor.quote_count = survivor.quotes.count()
    survivor.save()
    return moved
