"""Text folded for searching: no accents, lower case ("Équipe" → "equipe", "PERCHÉ" → "perche").

The same folding must run on both sides of a comparison: on the typed words in Python and on the
columns in SQL. PostgreSQL folds with ``translate`` over :data:`ACCENTED` (its ``unaccent`` is an
extension we cannot count on); SQLite, whose ``LOWER`` only knows ASCII and whose parser refuses the
long ``REPLACE`` chains it would take, gets :func:`fold` itself as the SQL function ``th_fold``,
registered on every connection by ``core/db.py``.
"""

from __future__ import annotations

import unicodedata

# The accented letters Italian and its neighbours write (names too), lower and upper case, and the
# typographic apostrophes; :data:`PLAIN` holds what each becomes, letter for letter.
_LOWER = "àáâäãèéêëìíîïòóôöõùúûüçñ"
ACCENTED = _LOWER + _LOWER.upper() + "’‘"
PLAIN = "".join(unicodedata.normalize("NFKD", ch)[0] for ch in _LOWER + _LOWER.upper()) + "''"
SQLITE_FUNCTION = "th_fold"


def fold(text: str | None) -> str | None:
    """``text`` without accents (any, not only :data:`ACCENTED`), lower-cased; None stays None."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def folded_sql(expression: str, *, sqlite: bool) -> str:
    """SQL of ``expression`` folded like :func:`fold` (the letters are constants, never input)."""
    if sqlite:
        return f"{SQLITE_FUNCTION}({expression})"
    return f"LOWER(translate({expression}, '{ACCENTED}', '{PLAIN}'))"
