from django.core.management.base import BaseCommand

from statements.curation import duplicate_speakers, merge_speakers
from statements.models import Speaker


class Command(BaseCommand):
    help = (
        'Merges speaker records that are one person ("Obama" into "Barack Obama", "Exchequer Alistair '
        'Darling" into "Alistair Darling", "Dmitri Peskov" into "Dmitry Peskov"): quotes move to one '
        "record, the other names become its aliases, so later imports keep them together. Curated "
        "speakers are never merged into another. Prints each merge; --dry-run only prints."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be merged, change nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        speakers = Speaker.objects.only(
            "pk", "name", "kind", "curated", "quote_count", "country_id", "aliases"
        )
        groups = duplicate_speakers(list(speakers))
        moved = records = 0
        for survivor, others in sorted(groups, key=lambda group: group[0].name):
            names = "; ".join(f"{other.name} ({other.quote_count})" for other in others)
            self.stdout.write(f"{survivor.name} <- {names}")
            records += len(others)
            if not dry_run:
                moved += merge_speakers(Speaker.objects.get(pk=survivor.pk), others, curated=False)
        verb = "would merge" if dry_run else "merged"
        self.stdout.write(
            f"{verb} {records} record(s) into {len(groups)} speaker(s); {moved} quote(s) moved."
        )
