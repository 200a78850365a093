"""Days nobody should be asked to come to a course: Sundays, Italian national holidays, patron saints.

Pure functions over dates (Europe/Rome calendar days). National holidays follow the law in force:
4 October (San Francesco d'Assisi, patron saint of Italy) is again a national holiday from 2026.
A comune's patron saint is a local holiday; the table covers the comuni where the consortium's
cooperatives work and the Lombardy chief towns, matched case-insensitively on the location's comune.
For any other comune the training office enters the day on the location itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from training_hub.core.i18n import N_

SAN_FRANCESCO_FROM_YEAR = 2026

# (month, day) → name, every year.
FIXED_NATIONAL_HOLIDAYS: dict[tuple[int, int], str] = {
    (1, 1): N_("Capodanno"),
    (1, 6): N_("Epifania"),
    (4, 25): N_("Festa della Liberazione"),
    (5, 1): N_("Festa del Lavoro"),
    (6, 2): N_("Festa della Repubblica"),
    (8, 15): N_("Ferragosto"),
    (11, 1): N_("Ognissanti"),
    (12, 8): N_("Immacolata Concezione"),
    (12, 25): N_("Natale"),
    (12, 26): N_("Santo Stefano"),
}

# Lower-cased comune → (month, day, patron saint).
PATRON_SAINTS: dict[str, tuple[int, int, str]] = {
    "milano": (12, 7, "Sant'Ambrogio"),
    "bergamo": (8, 26, "Sant'Alessandro"),
    "brescia": (2, 15, "Santi Faustino e Giovita"),
    "como": (8, 31, "Sant'Abbondio"),
    "cremona": (11, 13, "Sant'Omobono"),
    "mantova": (3, 18, "Sant'Anselmo"),
    "pavia": (12, 9, "San Siro"),
    "lodi": (1, 19, "San Bassiano"),
    "monza": (6, 24, "San Giovanni Battista"),
    "varese": (5, 8, "San Vittore"),
    "lecco": (12, 6, "San Nicolò"),
    "sondrio": (6, 19, "Santi Gervasio e Protasio"),
    "vigevano": (12, 7, "Sant'Ambrogio"),
    "voghera": (5, 22, "San Bovo"),
    "crema": (6, 10, "San Pantaleone"),
    "cantù": (2, 9, "Sant'Apollonia"),
    "sesto san giovanni": (6, 24, "San Giovanni Battista"),
    "chiari": (2, 15, "Santi Faustino e Giovita"),
    "rovato": (11, 4, "San Carlo Borromeo"),
}


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[date, str]:
    """Every national holiday of ``year`` (untranslated names, Italian msgids)."""
    days = {date(year, month, day): name for (month, day), name in FIXED_NATIONAL_HOLIDAYS.items()}
    if year >= SAN_FRANCESCO_FROM_YEAR:
        days[date(year, 10, 4)] = N_("San Francesco d'Assisi")
    easter = easter_sunday(year)
    days[easter] = N_("Pasqua")
    days[easter + timedelta(days=1)] = N_("Lunedì dell'Angelo")
    return days


def national_holiday(day: date) -> str | None:
    return national_holidays(day.year).get(day)


def normalise_comune(comune: str | None) -> str:
    return " ".join((comune or "").split()).casefold()


def patron_saint(day: date, comune: str | None, *, own_day: str = "", own_saint: str = "") -> str | None:
    """The patron saint celebrated in ``comune`` on ``day``, if any.

    ``own_day`` ("MM-DD") and ``own_saint`` are what the training office entered for the location;
    they take the place of the built-in table, which only knows the larger comuni.
    """
    if own_day:
        month, day_of_month = (int(part) for part in own_day.split("-"))
        saint = own_saint
    else:
        entry = PATRON_SAINTS.get(normalise_comune(comune))
        if entry is None:
            return None
        month, day_of_month, saint = entry
    return saint if (day.month, day.day) == (month, day_of_month) else None


def parse_patron_day(text: str | None) -> str | None:
    """A patron saint's day typed as "gg/mm" (7/12, 07/12) or given as "MM-DD" (12-07, --12-07):
    "MM-DD", "" for nothing, None when it is no day of the year (29/02 is one)."""
    value = (text or "").strip()
    if not value:
        return ""
    try:
        if "/" in value:
            day_text, month_text = value.split("/")
        else:
            month_text, day_text = value.removeprefix("--").split("-")
        if not (day_text.strip().isdecimal() and month_text.strip().isdecimal()):
            return None
        month, day_of_month = int(month_text), int(day_text)
        date(2028, month, day_of_month)  # a leap year: 29 February exists
    except ValueError:
        return None
    return f"{month:02d}-{day_of_month:02d}"


def is_sunday(day: date) -> bool:
    return day.weekday() == 6
