"""Reading what people type: dates, times, instants, ids, whole numbers and text.

Every form field and API body value goes through one of these, so "25/11/2026", "09:30" and
"2026-11-25T09:30" mean the same everywhere and a mistake gets the same message next to the field.
The ``errors`` style (collect a message per field, keep going) lets a form report every mistake at
once; the caller raises :class:`~training_hub.core.errors.ValidationFailed` with them.

Single-line fields (names, titles, subjects, e-mail addresses) refuse control characters: a line
feed in a course title would break the headers of every e-mail about the course and the calendar
files that carry it; ``\\x01`` or ``\\x1b`` break spreadsheets. Tab and newline are allowed only
where the text may have several lines (descriptions, notes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from training_hub.core.db import form_id, is_possible_id
from training_hub.core.errors import FieldMessage
from training_hub.core.i18n import N_
from training_hub.core.timeutil import parse_instant, to_rome, to_utc

INSTANT_FORMAT_MESSAGE = N_("Data e ora non valide: usa il formato 25/11/2026 09:30 o 2026-11-25T09:30.")
DAY_FORMAT_MESSAGE = N_("Data non valida: usa il formato 25/11/2026.")
CLOCK_FORMAT_MESSAGE = N_("Orario non valido: usa il formato 09:30.")
CONTROL_CHARACTERS_MESSAGE = N_("Il testo contiene caratteri di controllo non ammessi (a capo, tabulazioni o simili).")
TOO_LONG_MESSAGE = N_("Il testo è troppo lungo: al massimo %(max)d caratteri.")
REPEATED_FIELD_MESSAGE = N_("Il campo è stato inviato più volte: indica un solo valore.")
# Dates outside these years are typing mistakes (and 0001 or 9999 overflow Python's dates once moved
# between Rome and UTC): they are reported next to the field like any other invalid date.
MIN_YEAR, MAX_YEAR = 1900, 2999

# C0 controls and DEL; a multi-line text may keep tab, line feed and carriage return.
_SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
_MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ITALIAN_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ITALIAN_INSTANT = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2}))?\s*")
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?::\d{2})?")


def has_control_characters(text: str, *, multi_line: bool = False) -> bool:
    pattern = _MULTI_LINE_FORBIDDEN if multi_line else _SINGLE_LINE_FORBIDDEN
    return pattern.search(text) is not None


def clean_text(value: Any) -> str:
    """A typed value as text, without the spaces around it (None is the empty text)."""
    return str(value if value is not None else "").strip()


def single_line(
    value: Any, field_name: str, errors: dict[str, str], *, max_length: int | None = None
) -> str:
    """A one-line text (a name, a title): trimmed; control characters and excess length refused.

    Lengths are checked, never cut: a title silently shortened would print differently on every
    register than the trainer typed it.
    """
    if isinstance(value, list | tuple):  # a form field sent twice: never stored as "['x', 'y']"
        errors[field_name] = REPEATED_FIELD_MESSAGE
        return ""
    text = clean_text(value)
    if has_control_characters(text):
        errors[field_name] = CONTROL_CHARACTERS_MESSAGE
    elif max_length is not None and len(text) > max_length:
        errors[field_name] = FieldMessage(TOO_LONG_MESSAGE, max=max_length)
    return text


def multi_line(
    value: Any, field_name: str, errors: dict[str, str], *, max_length: int | None = None
) -> str:
    """A text that may have several lines (a description, a note): line breaks normalised to \\n."""
    if isinstance(value, list | tuple):
        errors[field_name] = REPEATED_FIELD_MESSAGE
        return ""
    text = clean_text(value).replace("\r\n", "\n").replace("\r", "\n")
    if has_control_characters(text, multi_line=True):
        errors[field_name] = CONTROL_CHARACTERS_MESSAGE
    elif max_length is not None and len(text) > max_length:
        errors[field_name] = FieldMessage(TOO_LONG_MESSAGE, max=max_length)
    return text


def italian_to_iso(text: str) -> str:
    """Accept 25/11/2026 09:30 as well as ISO 8601 (anything else is returned as it was)."""
    match = _ITALIAN_INSTANT.fullmatch(text)
    if not match:
        return text
    day, month, year, hour, minute = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}T{int(hour or 0):02d}:{minute or '00'}"


def parse_instant_field(value: Any, field_name: str, errors: dict[str, str]) -> datetime | None:
    """An instant typed in Europe/Rome (no offset) or with an offset; UTC, to the second."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return to_utc(value).replace(microsecond=0)
    try:
        instant = parse_instant(italian_to_iso(str(value)))
    except (ValueError, TypeError, OverflowError):
        instant = None
    if instant is None or not MIN_YEAR <= instant.year <= MAX_YEAR:
        errors[field_name] = INSTANT_FORMAT_MESSAGE
        return None
    return instant


def parse_day(value: Any, field_name: str, errors: dict[str, str]) -> date | None:
    """A calendar day, 25/11/2026 or 2026-11-25; None when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return to_rome(value).date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _ITALIAN_DAY.fullmatch(text)
    try:
        day = date(int(match.group(3)), int(match.group(2)), int(match.group(1))) if match else date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        errors[field_name] = DAY_FORMAT_MESSAGE
        return None
    return day


def parse_clock(value: Any, field_name: str, errors: dict[str, str]) -> time | None:
    """A time of day, 09:30 or 9.30."""
    if isinstance(value, time):
        return value
    text = str(value or "").strip()
    match = _CLOCK.fullmatch(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        errors[field_name] = CLOCK_FORMAT_MESSAGE
        return None
    return time(int(match.group(1)), int(match.group(2)))


def parse_integer(
    value: Any, field_name: str, errors: dict[str, str], *, minimum: int, maximum: int, message: str
) -> int | None:
    """A whole number between ``minimum`` and ``maximum``; ``message`` next to the field otherwise."""
    if isinstance(value, bool):
        errors[field_name] = message
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        errors[field_name] = message
        return None
    if not minimum <= number <= maximum:
        errors[field_name] = message
        return None
    return number


def parse_id(value: Any) -> int | None:
    """An id from a form or a body; None when left empty, -1 (never a real id: reported as "does not
    exist") for anything that cannot be one, a number too large for the database included."""
    if value is None or not str(value).strip():
        return None
    number = form_id(value)
    return number if number is not None and is_possible_id(number) else -1


def parse_id_list(values: Iterable[Any]) -> list[int]:
    """Ids picked in a form or sent in a body, once each and in order; blank entries (an empty option)
    are skipped, and anything else that is not an id is -1, which the caller reports as not existing."""
    return sorted({number for number in map(parse_id, values) if number is not None})
