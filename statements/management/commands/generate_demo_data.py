import time

from django.core.management.base import BaseCommand

from statements.demo import generate
from statements.reference import seed_reference_data


class Command(BaseCommand):
    help = (
        "Adds N realistic demo quotes (with articles, Zipf-distributed speakers, ten years of dates, "
        "topics and events) to the database DATABASE_URL names, for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quotes", type=int, required=True)
        parser.add_argument("--speakers", type=int, default=5000)
        parser.add_argument("--events", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, quotes, speakers, events, seed, **options):
        started = time.monotonic()
        seed_reference_data()

        def progress(done):
            if done % 100_000 < 5000 or done == quotes:
                rate = done / max(time.monotonic() - started, 1e-9)
                self.stdout.write(f"  {done:,} quotes ({rate:,.0f}/s)")

        counts = generate(quotes, speakers=speakers, events=events, seed=seed, progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Added {counts['quotes']:,} quotes in {counts['articles']:,} articles by "
            f"{counts['speakers']:,} speakers in {elapsed:.1f} s."
        )
