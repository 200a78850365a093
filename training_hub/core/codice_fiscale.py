"""Italian codice fiscale (tax code) validation: shape, date, check character and omocodia.

Omocodia: when two people would get the same code, the Agenzia delle Entrate replaces digits, from
the right, with the letters L M N P Q R S T U V (0…9). Such codes are valid and must be accepted.
"""

from __future__ import annotations

import re

from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import N_

OMOCODIA_LETTERS = "LMNPQRSTUV"
# Positions (0-based) that hold digits in a plain code and may hold omocodia letters.
DIGIT_POSITIONS = (6, 7, 9, 10, 12, 13, 14)
MONTH_LETTERS = "ABCDEHLMPRST"

_ODD_VALUES = {
    **dict(zip("0123456789", (1, 0, 5, 7, 9, 13, 15, 17, 19, 21), strict=True)),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23),
            strict=True,
        )
    ),
}
_EVEN_VALUES = {
    **{digit: int(digit) for digit in "0123456789"},
    **{letter: index for index, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")},
}

_SHAPE = re.compile(
    r"^[A-Z]{6}"
    r"[0-9LMNPQRSTUV]{2}"
    r"[ABCDEHLMPRST]"
    r"[0-9LMNPQRSTUV]{2}"
    r"[A-Z][0-9LMNPQRSTUV]{3}"
    r"[A-Z]$"
)


def normalise(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def check_character(first_fifteen: str) -> str:
    total = 0
    for index, char in enumerate(first_fifteen):
        # Positions are counted from 1 in the specification: index 0 is an "odd" position.
        total += _ODD_VALUES[char] if index % 2 == 0 else _EVEN_VALUES[char]
    return chr(ord("A") + total % 26)


def decode_omocodia(code: str) -> str:
    """The code with omocodia letters turned back into digits (the check character is unchanged)."""
    chars = list(code)
    for position in DIGIT_POSITIONS:
        if chars[position] in OMOCODIA_LETTERS:
            chars[position] = str(OMOCODIA_LETTERS.index(chars[position]))
    return "".join(chars)


def codice_fiscale_problem(value: str) -> str | None:
    """``None`` when valid, otherwise the (Italian msgid) reason."""
    code = normalise(value)
    if len(code) != 16:
        return N_("Il codice fiscale deve avere 16 caratteri.")
    if not _SHAPE.match(code):
        return N_("Il codice fiscale non ha la forma corretta (6 lettere, data, comune, carattere di controllo).")
    plain = decode_omocodia(code)
    day = int(plain[9:11])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        return N_("Il giorno di nascita nel codice fiscale non è valido.")
    if check_character(code[:15]) != code[15]:
        return N_("Il carattere di controllo del codice fiscale non è corretto.")
    return None


def is_valid_codice_fiscale(value: str) -> bool:
    return codice_fiscale_problem(value) is None


def validate_codice_fiscale(value: str, field: str = "codice_fiscale") -> str:
    """The normalised code, or :class:`ValidationFailed` naming the field."""
    problem = codice_fiscale_problem(value)
    if problem:
        raise ValidationFailed(problem, field=field)
    return normalise(value)
