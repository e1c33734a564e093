"""Small text helpers shared by models, queries and the importer."""

import unicodedata


def fold(text):
    """Lower-case and strip accents, so "Peskóv" and "PESKOV" both match "peskov"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
