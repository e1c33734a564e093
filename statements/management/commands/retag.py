from django.core.management.base import BaseCommand

from statements.retag import retag_all


class Command(BaseCommand):
    help = (
        "Re-applies topic and event tagging to every quote (after editors changed topics, keywords "
        "or events), leaving curated quotes alone, and prints what changed."
    )

    def handle(self, *args, **options):
        changed = 0
        for change in retag_all():
            self.stdout.write(str(change))
            changed += 1
        self.stdout.write(f"{changed} quote(s) changed; curated quotes left as they are.")
