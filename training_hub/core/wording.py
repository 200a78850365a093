"""Italian wording rules that formatting alone gets wrong: articles before numbers, and durations.

Pure functions, no database, no request: the template ``_()``, the domain errors' messages and the
notices run Italian text through :func:`elide` once its placeholders are filled.

**Elision before a number.** Italian reads a number aloud, and the article or articulated preposition
in front of it follows the sound: "il 25/11" but "l'11/12" (*undici*), "dall'8/12" (*otto*), "all'1/12"
(*uno*), "l'80%" (*ottanta*). Of the days of a month only 1, 8 and 11 start with a vowel; of other
numbers those from 80 to 89 and from 800 to 899 too (and 8.000, 11.000…). "1.000" is *mille* and keeps
"il". A day written with a leading zero loses it once elided ("dal 08/12" → "dall'8/12": "l'08" is
not how anyone writes it).

**Durations.** Hours and minutes, never decimal hours: 92 minutes is "1 h 32 min", not "1,53 h".
"""

from __future__ import annotations

import re

from training_hub.core.i18n import N_

# The article or articulated preposition (masculine singular, the form used before a number) and
# its elided form.
_ELIDED = {"il": "l'", "dal": "dall'", "al": "all'", "del": "dell'", "nel": "nell'", "sul": "sull'", "col": "coll'"}

# A word of the table above, a space (a no-break one too), then a number: digits with optional "."
# thousands groups, then anything but another digit.
_BEFORE_NUMBER = re.compile(
    r"(?<![\w'’])(?P<word>il|dal|al|del|nel|sul|col|Il|Dal|Al|Del|Nel|Sul|Col)(?P<space>[ \u00a0])"
    r"(?P<number>\d+(?:\.\d{3})*)(?!\d)"
)


def starts_with_vowel_sound(number: str) -> bool:
    """Whether an Italian number, as written (``"08"``, ``"11"``, ``"8.000"``), is read starting with a
    vowel: uno, otto, undici, ottanta…, ottocento…, and their thousands (ottomila, undicimila)."""
    groups = number.split(".")
    lead = groups[0].lstrip("0") or "0"
    if len(groups) > 1:  # thousands: "1.000" is mille (no), "8.000" ottomila, "11.000" undicimila
        return lead in ("8", "11") or (len(lead) >= 2 and lead[0] == "8" and len(lead) <= 3)
    value = int(lead)
    return value in (1, 8, 11) or 80 <= value <= 89 or 800 <= value <= 899


def _elide_match(match: re.Match[str]) -> str:
    word, number = match.group("word"), match.group("number")
    if not starts_with_vowel_sound(number):
        return match.group(0)
    elided = _ELIDED[word.lower()]
    if word[0].isupper():
        elided = elided[0].upper() + elided[1:]
    if "." not in number:
        number = number.lstrip("0") or "0"
    return f"{elided}{number}"


def elide(text: str) -> str:
    """Italian text with the articles before numbers elided: "dal 11/12" → "dall'11/12"."""
    if not any(character.isdigit() for character in text):
        return text
    return _BEFORE_NUMBER.sub(_elide_match, text)


def duration(minutes: int | None) -> str:
    """A duration in hours and minutes: 92 → "1 h 32 min", 120 → "2 h", 45 → "45 min", 0 → "0 min".

    Thousands of hours (a year's report) keep a thousands separator: 100 000 minutes → "1.666 h 40 min"
    in Italian (``group`` is the separator of the current language)."""
    if minutes is None:
        return ""
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(abs(int(minutes)), 60)
    if hours == 0:
        return f"{sign}{rest} min"
    hours_text = _grouped(hours)
    return f"{sign}{hours_text} h {rest} min" if rest else f"{sign}{hours_text} h"


def _grouped(value: int) -> str:
    from training_hub.core.i18n import get_language

    separator = "." if get_language() == "it" else ","
    return f"{value:,}".replace(",", separator)


GOOD_MORNING = N_("Buongiorno, %(name)s")
GOOD_AFTERNOON = N_("Buon pomeriggio, %(name)s")
GOOD_EVENING = N_("Buonasera, %(name)s")


def greeting(hour: int) -> str:
    """The greeting's msgid for an hour of the Rome day: Buongiorno until 13, Buon pomeriggio until 18,
    then Buonasera (through the night)."""
    if 5 <= hour < 13:
        return GOOD_MORNING
    if 13 <= hour < 18:
        return GOOD_AFTERNOON
    return GOOD_EVENING


_EDITION = re.compile(r"\s*\((\d+)\s*[ªa°]?\s+edizione\)\s*$", re.IGNORECASE)


def next_edition_title(title: str) -> str:
    """The title suggested for a new edition: "Bilancio sociale" → "Bilancio sociale (2ª edizione)",
    "Bilancio sociale (2ª edizione)" → "Bilancio sociale (3ª edizione)"."""
    match = _EDITION.search(title)
    if match:
        return f"{title[:match.start()].rstrip()} ({int(match.group(1)) + 1}ª edizione)"
    return f"{title.rstrip()} (2ª edizione)"
