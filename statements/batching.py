"""The one way a long sequence is cut into batches (exports, imports, id lists in SQL)."""

from itertools import islice


def batched(items, size):
    """Lists of `size` items (the last may be shorter): itertools.batched, which needs Python 3.12."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch
