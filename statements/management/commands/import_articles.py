import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from statements.ingest import sources
from statements.ingest.importer import DEFAULT_JOBS, Importer, Listener


class Progress:
    """A one-line progress bar on a terminal; a plain line every `every` articles otherwise."""

    def __init__(self, stream, every=1000):
        self.stream = stream
        self.tty = stream.isatty()
        self.every = every
        self.started = time.monotonic()

    def update(self, done):
        if self.tty:
            if done % 25 == 0:
                rate = done / max(time.monotonic() - self.started, 1e-9)
                self.stream.write(f"\r  {done:,} articles read ({rate:,.0f}/s)")
                self.stream.flush()
        elif done % self.every == 0:
            rate = done / max(time.monotonic() - self.started, 1e-9)
            self.stream.write(f"  {done:,} articles read ({rate:,.0f}/s)\n")
            self.stream.flush()

    def finish(self):
        if self.tty:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


class Printer(Listener):
    """Prints what the import meets as it goes: problems and bad fields on stderr (clearing the
    progress bar first), flagged articles on stdout."""

    def __init__(self, command):
        self.command = command
        self.progress = Progress(command.stderr._out if hasattr(command.stderr, "_out") else sys.stderr)

    def read(self, seen):
        self.progress.update(seen)

    def skipped(self, origin, reason):
        self.progress.finish()
        self.command.stderr.write(f"  skipped {origin}: {reason}")

    def bad_field(self, origin, notes):
        self.progress.finish()
        for note in notes:
            self.command.stderr.write(f"  bad field {origin}: {note}")

    def flagged(self, origin, reasons):
        self.command.stdout.write(f"  flagged for review: {origin}: {'; '.join(reasons)}")


# After an import of this many articles the planner's statistics are refreshed: PostgreSQL planned
# some list pages from stale ones at 5 times their cost until its autovacuum came round to it.
ANALYZE_AFTER = 1000


def refresh_planner_statistics():
    """ANALYZE on PostgreSQL (seconds at a million quotes); SQLite's cheaper PRAGMA optimize,
    which analyses only the tables whose statistics are missing or stale."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")


class Command(BaseCommand):
    help = (
        "Imports news articles (text files, directories, globs, JSONL or JSONL.gz), extracts their "
        "quotes and speakers, and tags topics and events. Re-importing is safe: unchanged articles "
        "are skipped and quotes an editor curated are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, directories (recursive) or globs")
        parser.add_argument(
            "--jobs",
            type=int,
            default=DEFAULT_JOBS,
            help="processes extracting quotes while this one writes to the database (default: %(default)s)",
        )
        parser.add_argument(
            "--reprocess",
            action="store_true",
            help="re-extract unchanged articles too (after the extractor improved)",
        )

    def handle(self, *args, paths, reprocess, jobs, **options):
        started = time.monotonic()
        printer = Printer(self)
        run = Importer(jobs=jobs, reprocess=reprocess, listener=printer).run(sources.iter_articles(paths))
        printer.progress.finish()

        elapsed = time.monotonic() - started
        counts, created = run.counts, run.store.created
        self.stdout.write(
            f"Articles: {counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed"
            + (f", {counts['flagged']} flagged for review" if counts["flagged"] else "")
            + (f", {counts['warned']} imported with a bad field dropped or cut" if counts["warned"] else "")
        )
        self.stdout.write(
            f"Quotes: {counts['quotes']} extracted. Speakers: {created['speakers']} new. "
            f"Organisations: {created['organisations']} new (flagged for review). "
            f"Candidate events: {created['events']} new."
        )
        self.stdout.write(f"Elapsed: {elapsed:.1f} s ({run.articles / max(elapsed, 1e-9):,.0f} articles/s)")
        if counts["new"] + counts["updated"] >= ANALYZE_AFTER:
            started = time.monotonic()
            refresh_planner_statistics()
            self.stdout.write(
                f"Database statistics brought up to date in {time.monotonic() - started:.1f} s."
            )
        if run.problems:
            raise CommandError(f"{len(run.problems)} input(s) could not be imported; see the lines above.")
