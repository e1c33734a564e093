from django.core.management.base import BaseCommand

from statements.reference import seed_reference_data


class Command(BaseCommand):
    help = (
        "Creates the countries, organisations, topics and events of fixtures/reference/ that the "
        "database lacks. Rows that exist are left as editors made them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="reference data folder (default: fixtures/reference)")
        parser.add_argument(
            "--update-topic-rules",
            action="store_true",
            help="also replace existing topics' keywords, co-mention groups and exclusions with the "
            "file's (after an upgrade improved them; run `retag` next)",
        )

    def handle(self, *args, directory, update_topic_rules, **options):
        created = seed_reference_data(directory, update_topic_rules=update_topic_rules)
        self.stdout.write("Created: " + ", ".join(f"{n} {what}" for what, n in created.items()))
