"""The one way a long sequence is cut into batches (exports, imports, id lists in SQL)."""

from itertools import islice


def batched(items, size):
    """Lists of `size` items (the last may be shorter): itertools.batched, which needs Python 3.12."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def batched_by_size(items, size, max_chars, length):
    """Lists of at most `size` items, cut earlier once their `length(item)` add up to `max_chars`
    (a batch of long documents is written while the next one is read)."""
    batch, chars = [], 0
    for item in items:
        batch.append(item)
        chars += length(item)
        if len(batch) >= size or chars >= max_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch
