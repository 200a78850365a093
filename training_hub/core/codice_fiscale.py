"""Italian codice fiscale (tax code): validation (shape, date, check character, omocodia), what it tells
(sex, birth date, birth place) and the 11-digit partita IVA of companies.

Omocodia: when two people would get the same code, the Agenzia delle Entrate replaces digits, from
the right, with the letters L M N P Q R S T U V (0…9). Such codes are valid and must be accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

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


# What a codice fiscale tells ---------------------------------------------------------------------
#
# Sex and birth date are in the code itself (D.M. 23/12/1976, made under D.P.R. 605/1973):
# positions 7-8 the year's last two digits, 9 the month letter, 10-11 the day (plus 40 for women),
# 12-15 the Belfiore code of the comune of birth (a letter and three digits) or "Z" and three digits
# for a foreign state. The century is not written: the later of 19xx and 20xx that is not after a
# reference date (today, or the date a document is made) is taken — a person aged 100 or more reads
# as a child, which no training participant is.
#
# The place comes from python-codicefiscale's data (the comuni of ANPR, the national registry of the
# resident population, updated weekly, with the dates each code was valid; and the foreign states): a Belfiore code may have
# changed name over time (A562 Bagni San Giuliano → San Giuliano Terme in 1935), so the name in force
# on the birth date is the one given.


@dataclass(frozen=True)
class BirthPlace:
    code: str  # Belfiore code (cadastral code) of the comune, or Z… of a foreign state
    name: str
    province: str  # two letters; "EE" for a foreign state
    foreign: bool


@dataclass(frozen=True)
class CodiceFiscaleData:
    code: str
    sex: str  # "M" or "F"
    birth_date: date
    birth_place_code: str


def decode_codice_fiscale(value: str, *, reference: date, field: str = "codice_fiscale") -> CodiceFiscaleData:
    """Sex, birth date and Belfiore code of a valid code (omocodia letters read back as digits).

    :class:`ValidationFailed` names the field when the code is invalid or its date does not exist.
    """
    code = validate_codice_fiscale(value, field=field)
    plain = decode_omocodia(code)
    year, month, day = int(plain[6:8]), MONTH_LETTERS.index(plain[8]) + 1, int(plain[9:11])
    sex = "F" if day > 40 else "M"
    day = day - 40 if day > 40 else day
    for century in (2000, 1900):
        try:
            born = date(century + year, month, day)
        except ValueError:
            continue
        if born <= reference:
            return CodiceFiscaleData(code, sex, born, plain[11:15])
    raise ValidationFailed(N_("La data di nascita nel codice fiscale non esiste."), field=field)


def sex_from_codice_fiscale(value: str) -> str:
    """``"M"`` or ``"F"`` (the day of birth plus 40 for women)."""
    code = validate_codice_fiscale(value)
    return "F" if int(decode_omocodia(code)[9:11]) > 40 else "M"


def birth_date_from_codice_fiscale(value: str, *, reference: date) -> date:
    return decode_codice_fiscale(value, reference=reference).birth_date


@lru_cache(maxsize=1)
def _places_by_code() -> dict[str, list[dict[str, Any]]]:
    # Loaded on first use (19,000 entries, ~0.1 s): most requests never need a birth place.
    from codicefiscale.data import get_countries_data, get_municipalities_data

    index: dict[str, list[dict[str, Any]]] = {}
    for entry in [*get_municipalities_data(), *get_countries_data()]:
        index.setdefault(entry["code"].upper(), []).append(entry)
    return index


def _entry_day(text: str, default: date) -> date:
    return date.fromisoformat(text[:10]) if text else default


def birth_place_for_code(belfiore: str, born: date | None = None) -> BirthPlace | None:
    """The comune or foreign state a Belfiore code named on ``born`` (``None`` for an unknown code).

    When the code names different places over time, the one valid on the birth date wins; a birth
    date outside every period (data gaps) takes the nearest period, and no date takes the latest.
    """
    entries = _places_by_code().get((belfiore or "").upper())
    if not entries:
        return None

    def period(entry: dict[str, Any]) -> tuple[date, date]:
        return _entry_day(entry.get("date_created", ""), date.min), _entry_day(entry.get("date_deleted", ""), date.max)

    if born is None:
        chosen = max(entries, key=lambda entry: period(entry)[0])
    else:
        def distance(entry: dict[str, Any]) -> int:
            start, end = period(entry)
            return 0 if start <= born <= end else min(abs((start - born).days), abs((born - end).days))

        chosen = min(entries, key=lambda entry: (distance(entry), -period(entry)[0].toordinal()))
    province = chosen.get("province", "")
    return BirthPlace(chosen["code"].upper(), chosen["name"], province, province == "EE")


def birth_place_from_codice_fiscale(value: str, *, reference: date) -> BirthPlace | None:
    data = decode_codice_fiscale(value, reference=reference)
    return birth_place_for_code(data.birth_place_code, data.birth_date)


# Partita IVA / codice fiscale numerico (companies) -------------------------------------------------
#
# Eleven digits: seven of the taxpayer's number, three of the tax office (provincia), one check digit
# computed like Luhn's (D.M. 23/12/1976): digits in odd places added as they are, digits in even places
# doubled (minus 9 when over 9), the check digit brings the total to a multiple of 10.


def partita_iva_check_digit(first_ten: str) -> str:
    total = 0
    for index, char in enumerate(first_ten):
        number = int(char)
        if index % 2 == 1:
            number *= 2
            number = number - 9 if number > 9 else number
        total += number
    return str((10 - total % 10) % 10)


def partita_iva_problem(value: str) -> str | None:
    """``None`` when ``value`` is a valid 11-digit partita IVA, otherwise the (Italian msgid) reason."""
    digits = re.sub(r"\s+", "", value or "").upper().removeprefix("IT")
    if not re.fullmatch(r"\d{11}", digits):
        return N_("La partita IVA deve avere 11 cifre.")
    if digits[:7] == "0000000":
        return N_("La partita IVA non è valida.")
    if partita_iva_check_digit(digits[:10]) != digits[10]:
        return N_("La cifra di controllo della partita IVA non è corretta.")
    return None
