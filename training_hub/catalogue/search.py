"""Searching course titles the way people type them: without accents, in any case, on the path too.

"equipe" finds "Lavoro d'équipe", "PERCHE" finds "Perché", and a word of the path's title ("Sicurezza
sul lavoro") finds its courses. The typed words and the columns are folded alike (``core/folding.py``:
Python on the words, the same folding in SQL on both engines), then compared with LIKE.
"""

from __future__ import annotations

import re

from training_hub.core.db import is_sqlite
from training_hub.core.folding import fold, folded_sql

MAX_WORDS = 8


def search_words(q: str | None) -> list[str]:
    """The typed words (at most eight), folded, with LIKE's wildcards made plain spaces."""
    if not q:
        return []
    return (fold(re.sub(r"[%_\\]", " ", q)) or "").split()[:MAX_WORDS]


def words_condition(words: list[str], columns: list[str]) -> tuple[list[str], list[str]]:
    """SQL conditions (one per word: it appears in any of ``columns``) and their LIKE arguments."""
    sqlite = is_sqlite()
    folded = [folded_sql(column, sqlite=sqlite) for column in columns]
    where: list[str] = []
    args: list[str] = []
    for word in words:
        where.append("(" + " OR ".join(f"{column} LIKE {{}}" for column in folded) + ")")
        args += [f"%{word}%"] * len(columns)
    return where, args
