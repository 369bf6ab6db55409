"""Text normalisation shared by search, duplicate detection and imports."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents: 'Cruz Roja Española' → 'cruz roja espanola'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def name_key(text: str) -> str:
    """A comparison key for names: folded, punctuation collapsed to single spaces."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def split_tags(value: str | list[str] | None) -> list[str]:
    """'water, first aid; boats' → ['water', 'first aid', 'boats'] (order kept, no repeats)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,;\n]", value)
    seen: dict[str, None] = {}
    for item in items:
        cleaned = str(item).strip()
        if cleaned and cleaned.lower() not in {k.lower() for k in seen}:
            seen[cleaned] = None
    return list(seen)
