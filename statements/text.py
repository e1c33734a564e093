"""Small text helpers shared by models, queries and the importer."""

import functools
import unicodedata


@functools.lru_cache(maxsize=20_000)
def fold(text):
    """Lower-case and strip accents, so "Peskóv" and "PESKOV" both match "peskov". Kept for the
    names and roles an import folds again and again (tens of times an article)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
