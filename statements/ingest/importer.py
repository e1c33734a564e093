"""An import run: articles read by sources.py go through the pipeline (in worker processes for a
large batch) and are saved by store.py a batch per transaction. `import_articles` and
scripts/bench_import.py both run imports through `Importer`.

What is saved, and how an article that fails is isolated:
- Articles are taken BATCH_SIZE at a time; the stored hashes of a batch are read in one query, and
  an article whose hash is unchanged is skipped unless `reprocess`.
- A batch is saved in one transaction that first takes the import lock (store.begin), so several
  importers may run at once; whether an article is new or unchanged is decided again under the
  lock. Should anything in it fail, the batch is saved again an article at a time, each article a
  savepoint, so one that fails is rolled back alone.
- Worker processes extract the next batches while this process saves the current one. They end
  with the importer however it ends (PR_SET_PDEATHSIG on Linux, a watching thread elsewhere).
"""

import collections
import contextlib
import ctypes
import gc
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from django.db import DatabaseError, connection, transaction

from statements.batching import batched_by_size
from statements.ingest import pipeline
from statements.ingest.records import SourceProblem
from statements.ingest.store import ArticleStore, content_hash
from statements.reference import reference_for_extraction, seed_reference_data

# Articles whose stored hashes are looked up in one query, and written in one transaction...
BATCH_SIZE = 200
# ... or fewer, once their text reaches this many characters (200 news articles of 3,000, or about
# 27 briefing transcripts): the workers read the next batch while this one is written.
BATCH_CHARS = 600_000
# Below this many articles to extract in a batch, or this much text (50 news articles), worker
# processes cost more than they save.
PARALLEL_FROM = 50
PARALLEL_FROM_CHARS = 150_000
DEFAULT_JOBS = min(2, os.cpu_count() or 1)
# The page cache of the importer's SQLite connection (KiB).
SQLITE_CACHE_KIB = 128 * 1024
# Pages SQLite's write-ahead log may grow to before a commit copies them into the database file
# (1,000 by default, 4 MB): a batch writes more than that, so every commit checkpointed, waiting
# on the disk each time. The run ends with a checkpoint.
SQLITE_WAL_PAGES = 20_000
SQLITE_DEFAULT_WAL_PAGES = 1_000
# Batches the workers extract ahead of the one being saved: with one, a worker that finished the
# next batch waited, its core idle, whenever a batch took this process longer to save.
BATCHES_AHEAD = 2
# Allocations between two collections of the youngest generation during an import (700 by
# default): extraction and writing make and drop millions of small objects, and the collector
# walked them every 700, a tenth of the writer's time.
GC_ALLOCATIONS = 50_000

_reference = None  # a worker process's copy of the reference data
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _start_worker(reference, parent_pid):
    global _reference
    _reference = reference
    # what it inherits from the importer (Django, the reference data) is never garbage: left out
    # of collections, which would walk it and copy the pages it lies on
    gc.freeze()
    gc.set_threshold(GC_ALLOCATIONS, *gc.get_threshold()[1:])
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


def text_length(item):
    """How much there is to read in an input: its text (a problem reading it has none)."""
    return len(getattr(item, "text", "") or "")


@contextlib.contextmanager
def collecting_less():
    """For an import run: what is already in memory (Django, its caches) is left out of garbage
    collection, and the youngest generation is collected less often."""
    threshold = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_ALLOCATIONS, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


class Listener:
    """What an import tells its caller as it goes, article by article. This one tells nobody (the
    benchmark); the command's prints each call."""

    def read(self, seen):
        """`seen` articles read so far (problems not counted)."""

    def skipped(self, origin, reason):
        """An input that could not be imported (the import's exit status says so)."""

    def bad_field(self, origin, notes):
        """An article imported with a field dropped or cut (`notes` say which)."""

    def flagged(self, origin, reasons):
        """An article saved and flagged for an editor's review."""


class Importer:
    """One import run. `counts` says what it did: new, updated, unchanged and failed articles,
    quotes extracted, articles flagged for review and imported with a bad field; `problems`
    lists the inputs that could not be imported; `store.created` the speakers, organisations and
    candidate events created."""

    def __init__(self, jobs=DEFAULT_JOBS, reprocess=False, listener=None):
        self.jobs = jobs
        self.reprocess = reprocess
        self.listener = listener or Listener()
        self.counts = dict.fromkeys(
            ["new", "updated", "unchanged", "failed", "quotes", "flagged", "warned"], 0
        )
        self.problems = []
        self.store = None

    @property
    def articles(self):
        """Articles read and imported or found unchanged."""
        return self.counts["new"] + self.counts["updated"] + self.counts["unchanged"]

    def run(self, items):
        """Imports `items`, RawArticles and SourceProblems as sources.iter_articles yields them."""
        with collecting_less():
            return self._run(items)

    def _run(self, items):
        seed_reference_data()  # so that an import works right after `migrate`
        if connection.vendor == "sqlite":
            # SQLite's page cache is 2 MB by default: a large import's indexes outgrow it, and
            # every batch then reads their pages again and writes some out before its commit.
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
                cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_WAL_PAGES}")
        # Read when an article first needs extracting (seconds of regular expressions to compile):
        # a re-import of unchanged files needs none.
        reference = None
        self.store = ArticleStore()
        # Extraction is pure Python and the database write is mostly waiting on SQL: with --jobs 2
        # worker processes extract the next batch while this one saves the current one.
        executor = None
        pending = collections.deque()  # (work, extraction results in flight) of the batches not yet saved
        seen = 0
        try:
            for batch in batched_by_size(items, BATCH_SIZE, BATCH_CHARS, text_length):
                articles = [item for item in batch if not isinstance(item, SourceProblem)]
                stored = self.store.existing_hashes([item.external_id for item in articles])
                work = []  # (item, digest) of the articles to extract
                for item in batch:
                    if isinstance(item, SourceProblem):
                        self.failed(item.origin, item.reason)
                        continue
                    seen += 1
                    self.listener.read(seen)
                    if item.notes:
                        # A field dropped or cut (a url that is not http(s), a title over the
                        # limit): the article is imported all the same; the exit status stays 0.
                        self.counts["warned"] += 1
                        self.listener.bad_field(item.origin, item.notes)
                    digest = content_hash(item)
                    if stored.get(item.external_id) == digest and not self.reprocess:
                        self.counts["unchanged"] += 1
                        continue
                    work.append((item, digest))
                if work and reference is None:
                    reference = reference_for_extraction()
                chars = sum(text_length(item) for item, _ in work)
                enough = len(work) >= PARALLEL_FROM or chars >= PARALLEL_FROM_CHARS
                if executor is None and self.jobs > 1 and enough:
                    executor = ProcessPoolExecutor(
                        self.jobs, initializer=_start_worker, initargs=(reference, os.getpid())
                    )
                if executor is not None:
                    results = executor.map(extract, [item for item, _ in work], chunksize=10)
                else:
                    results = (extract(item, reference) for item, _ in work)
                pending.append((work, results))
                if len(pending) > BATCHES_AHEAD:
                    self.save_all(*pending.popleft())
            while pending:
                self.save_all(*pending.popleft())
        finally:
            if executor is not None:
                executor.shutdown(cancel_futures=True)
            if connection.vendor == "sqlite":
                # not to hide why an import stopped (a database that cannot be written)
                with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_DEFAULT_WAL_PAGES}")
                    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return self

    def failed(self, origin, reason):
        self.counts["failed"] += 1
        self.problems.append(f"{origin}: {reason}")
        self.listener.skipped(origin, reason)

    def save_all(self, work, results):
        """Saves a batch in one transaction, its quotes in one insert (store.flush). Should any of
        it fail (an article the store cannot save, the batch's insert), the batch is rolled back
        and saved again an article at a time, each in a savepoint of its own, so that only the
        articles that fail are left out, each reported."""
        store = self.store
        ready = []
        for (item, digest), (processed, problem) in zip(work, results):
            if problem:
                self.failed(item.origin, problem)
            else:
                ready.append((item, digest, processed))
        created = dict(store.created)
        outcomes = []
        try:
            with transaction.atomic():
                self.save_batch(ready, outcomes)
        except Exception:  # a database error, or an article the store could not save
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
                        self.save_batch([entry], single)
                except DatabaseError as exc:
                    store.forget(created)
                    self.failed(entry[0].origin, f"could not be imported ({exc.__class__.__name__}: {exc})")
                    single = [None]
                outcomes.extend(single)
        for (item, _, processed), outcome in zip(ready, outcomes):
            if outcome is None:
                continue
            kind, quotes = outcome
            self.counts[kind] += 1
            self.counts["quotes"] += quotes
            if kind != "unchanged" and processed.article.review_reasons:
                self.counts["flagged"] += 1
                self.listener.flagged(item.origin, processed.article.review_reasons)

    def save_batch(self, entries, outcomes):
        """Saves `entries` in the current transaction, appending each one's outcome to `outcomes`:
        ("new" | "updated" | "unchanged", quotes), or None when it failed (and was reported).
        Whether an article is new or unchanged is decided again here, under the import lock: another
        importer may have saved it since the batch was read."""
        stored = self.store.begin([processed for _, _, processed in entries])
        for item, digest, processed in entries:
            existing = stored.get(item.external_id)
            if existing == digest and not self.reprocess:
                outcomes.append(("unchanged", 0))
                continue
            if len(entries) > 1:
                # No savepoint an article: two round trips each, a third of the write on a busy
                # PostgreSQL. An article that fails fails the batch, which is saved again an
                # article at a time (save_all), each in its savepoint.
                outcomes.append(self.store.save(processed, digest, is_new=existing is None))
                continue
            try:
                with transaction.atomic():
                    outcomes.append(self.store.save(processed, digest, is_new=existing is None))
            except Exception as exc:  # one bad article must not stop the others
                self.failed(item.origin, f"could not be imported ({exc.__class__.__name__}: {exc})")
                outcomes.append(None)
        self.store.flush()
