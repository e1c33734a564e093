import ctypes
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from statements.ingest import pipeline, sources
from statements.ingest.records import SourceProblem
from statements.ingest.store import ArticleStore, content_hash, load_reference
from statements.reference import load_reference_data


# Articles whose stored hashes are looked up in one query.
BATCH_SIZE = 200
# Below this many articles to extract in a batch, worker processes cost more than they save.
PARALLEL_FROM = 50

_reference = None  # a worker process's copy of the reference data
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _start_worker(reference, parent_pid):
    global _reference
    _reference = reference
    _die_with(parent_pid)


def _die_with(parent_pid):
    """Ends this worker when the importer ends, however it ends: a worker left waiting for work
    after `kill -9` of its importer would wait forever. Linux sends the worker SIGKILL when its
    parent dies (prctl PR_SET_PDEATHSIG); elsewhere a thread checks the parent every second."""
    try:
        armed = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux: no prctl in the C library
        armed = False
    if os.getppid() != parent_pid:  # the importer died before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _watch_parent(parent_pid):
    while os.getppid() == parent_pid:
        time.sleep(1)
    os._exit(1)


def extract(item, reference=None):
    """(processed article, None), or (None, reason) when the pipeline fails on it."""
    try:
        return pipeline.process(item, reference or _reference), None
    except Exception as exc:  # one bad article must not stop the others
        return None, f"could not be imported ({exc.__class__.__name__}: {exc})"


def batched(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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
            default=min(2, os.cpu_count() or 1),
            help="processes extracting quotes while this one writes to the database (default: %(default)s)",
        )
        parser.add_argument(
            "--reprocess",
            action="store_true",
            help="re-extract unchanged articles too (after the extractor improved)",
        )

    def handle(self, *args, paths, reprocess, jobs, **options):
        started = time.monotonic()
        load_reference_data()
        reference = load_reference()
        store = ArticleStore()
        counts = {"new": 0, "updated": 0, "unchanged": 0, "failed": 0, "quotes": 0, "flagged": 0, "warned": 0}
        progress = Progress(self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr)
        problems = []

        def report(origin, reason):
            counts["failed"] += 1
            problems.append(f"{origin}: {reason}")
            progress.finish()
            self.stderr.write(f"  skipped {origin}: {reason}")

        def warn(origin, notes):
            # A field dropped or cut (a url that is not http(s), a title over the limit): the
            # article is imported all the same, so this does not change the exit status.
            counts["warned"] += 1
            progress.finish()
            for note in notes:
                self.stderr.write(f"  bad field {origin}: {note}")

        # Extraction is pure Python and the database write is mostly waiting on SQL: with --jobs 2
        # worker processes extract the next batch while this one saves the current one.
        executor = None
        pending = None  # (work, extraction results in flight) of the batch not yet saved
        seen = 0
        try:
            for batch in batched(sources.iter_articles(paths), BATCH_SIZE):
                articles = [item for item in batch if not isinstance(item, SourceProblem)]
                stored = store.existing_hashes([item.external_id for item in articles])
                work = []  # (item, digest) of the articles to extract
                for item in batch:
                    if isinstance(item, SourceProblem):
                        report(item.origin, item.reason)
                        continue
                    seen += 1
                    progress.update(seen)
                    if item.notes:
                        warn(item.origin, item.notes)
                    digest = content_hash(item)
                    existing = stored.get(item.external_id)
                    if existing == digest and not reprocess:
                        counts["unchanged"] += 1
                        continue
                    work.append((item, digest))
                if executor is None and jobs > 1 and len(work) >= PARALLEL_FROM:
                    executor = ProcessPoolExecutor(
                        jobs, initializer=_start_worker, initargs=(reference, os.getpid())
                    )
                if executor is not None:
                    results = executor.map(extract, [item for item, _ in work], chunksize=10)
                else:
                    results = (extract(item, reference) for item, _ in work)
                if pending:
                    self.save_all(*pending, store, counts, report, reprocess)
                pending = (work, results)
            if pending:
                self.save_all(*pending, store, counts, report, reprocess)
        finally:
            if executor is not None:
                executor.shutdown(cancel_futures=True)
        progress.finish()

        elapsed = time.monotonic() - started
        articles = counts["new"] + counts["updated"] + counts["unchanged"]
        self.stdout.write(
            f"Articles: {counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed"
            + (f", {counts['flagged']} flagged for review" if counts["flagged"] else "")
            + (f", {counts['warned']} imported with a bad field dropped or cut" if counts["warned"] else "")
        )
        self.stdout.write(
            f"Quotes: {counts['quotes']} extracted. Speakers: {store.created['speakers']} new. "
            f"Organisations: {store.created['organisations']} new (flagged for review). "
            f"Candidate events: {store.created['events']} new."
        )
        self.stdout.write(f"Elapsed: {elapsed:.1f} s ({articles / max(elapsed, 1e-9):,.0f} articles/s)")
        if problems:
            raise CommandError(f"{len(problems)} input(s) could not be imported; see the lines above.")

    def save_all(self, work, results, store, counts, report, reprocess):
        """Saves a batch in one transaction, its quotes in one insert (store.flush); each article
        is a savepoint in it (store.save is atomic), so one that fails is rolled back alone. Should
        the batch's insert fail, the batch is saved again an article at a time."""
        ready = []
        for (item, digest), (processed, problem) in zip(work, results):
            if problem:
                report(item.origin, problem)
            else:
                ready.append((item, digest, processed))
        created = dict(store.created)
        outcomes = []
        try:
            with transaction.atomic():
                self.save_batch(store, ready, outcomes, report, reprocess)
        except DatabaseError:
            store.forget(created)
            failed = {i for i, outcome in enumerate(outcomes) if outcome is None}  # reported already
            outcomes = []
            for i, entry in enumerate(ready):
                if i in failed:
                    outcomes.append(None)
                    continue
                created = dict(store.created)
                single = []
                try:
                    with transaction.atomic():
                        self.save_batch(store, [entry], single, report, reprocess)
                except DatabaseError as exc:
                    store.forget(created)
                    report(entry[0].origin, f"could not be imported ({exc.__class__.__name__}: {exc})")
                    single = [None]
                outcomes.extend(single)
        for (item, _, processed), outcome in zip(ready, outcomes):
            if outcome is None:
                continue
            kind, quotes = outcome
            counts[kind] += 1
            counts["quotes"] += quotes
            if kind != "unchanged" and processed.article.review_reasons:
                counts["flagged"] += 1
                self.stdout.write(
                    f"  flagged for review: {item.origin}: {'; '.join(processed.article.review_reasons)}"
                )

    def save_batch(self, store, entries, outcomes, report, reprocess):
        """Saves `entries` in the current transaction, appending each one's outcome to `outcomes`:
        ("new" | "updated" | "unchanged", quotes), or None when it failed (and was reported).
        Whether an article is new or unchanged is decided again here, under the import lock: another
        importer may have saved it since the batch was read."""
        stored = store.begin([processed for _, _, processed in entries])
        for item, digest, processed in entries:
            existing = stored.get(item.external_id)
            if existing == digest and not reprocess:
                outcomes.append(("unchanged", 0))
                continue
            try:
                outcomes.append(store.save(processed, digest, is_new=existing is None))
            except Exception as exc:  # one bad article must not stop the others
                report(item.origin, f"could not be imported ({exc.__class__.__name__}: {exc})")
                outcomes.append(None)
        store.flush()
