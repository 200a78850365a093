"""Languages: Italian by default, English available.

Source strings (msgids) are Italian, so an Italian page can never show an untranslated English text;
the English catalog lives in ``training_hub/locale/en/LC_MESSAGES/``, one ``.po`` file per feature.
Catalogs are read from the ``.po`` files at start-up (no compiled ``.mo`` files to keep in git).

The language of the current request lives in a context variable, set by the locale middleware from
the ``lang`` cookie (the language switch) or the person's preference; every format helper below
reads it. Dates and times are shown in Europe/Rome, with the patterns the training office expects
(25/11/2026, 09:30).
"""

from __future__ import annotations

import contextvars
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LANGUAGE = "it"
LANGUAGES = {"it": "Italiano", "en": "English"}

_current_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)

# Explicit patterns: Babel's "short" Italian date is 25/11/26, the office wants the full year.
DATE_PATTERN = {"it": "dd/MM/yyyy", "en": "dd/MM/yyyy"}
TIME_PATTERN = {"it": "HH:mm", "en": "HH:mm"}


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def catalog_files(language: str) -> list[Path]:
    """Every ``.po`` file of a language: one per feature (``catalogue.po``, ``enrolment.po``…)."""
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))


@lru_cache(maxsize=None)
def _translations(language: str) -> NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    merged: Translations | None = None
    for po_path in catalog_files(language):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        translations = Translations(fp=buffer)
        if merged is None:
            merged = translations
        else:
            merged.merge(translations)
    return merged or NullTranslations()


def get_language() -> str:
    return _current_language.get()


def set_language(language: str) -> contextvars.Token[str]:
    return _current_language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def reset_language(token: contextvars.Token[str]) -> None:
    _current_language.reset(token)


@contextmanager
def language(lang: str) -> Iterator[None]:
    token = set_language(lang)
    try:
        yield
    finally:
        _current_language.reset(token)


def pick_language(*candidates: str | None) -> str:
    for candidate in candidates:
        if candidate and candidate[:2].lower() in LANGUAGES:
            return candidate[:2].lower()
    return DEFAULT_LANGUAGE


def gettext(message: str) -> str:
    return _translations(get_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations(get_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations(get_language()).pgettext(context, message)


_ = gettext


def babel_locale() -> Locale:
    return Locale.parse("it_IT" if get_language() == "it" else "en_GB")


def _local(value: datetime | date) -> datetime | date:
    from training_hub.core.timeutil import to_rome

    return to_rome(value) if isinstance(value, datetime) else value


def format_date(value: datetime | date | None, style: str = "short") -> str:
    """``short``: 25/11/2026; ``long``: 25 novembre 2026; ``full``: mercoledì 25 novembre 2026."""
    if value is None:
        return ""
    local = _local(value)
    language = get_language()
    if style == "short":
        if DATE_PATTERN[language] == "dd/MM/yyyy":
            # The fixed numeric pattern needs no locale data: a listing page formats hundreds of these.
            return f"{local.day:02d}/{local.month:02d}/{local.year:04d}"
        return babel_format_date(local, DATE_PATTERN[language], locale=babel_locale())
    return _named_date(date(local.year, local.month, local.day), style, language)


@lru_cache(maxsize=4096)
def _named_date(day: date, style: str, language: str) -> str:
    return babel_format_date(day, style, locale=Locale.parse("it_IT" if language == "it" else "en_GB"))


def format_time(value: datetime | None) -> str:
    if value is None:
        return ""
    local = _local(value)
    language = get_language()
    if TIME_PATTERN[language] == "HH:mm":
        return f"{local.hour:02d}:{local.minute:02d}"
    return babel_format_datetime(local, TIME_PATTERN[language], locale=babel_locale())


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{format_date(value)} {format_time(value)}"


def format_number(value: int | float | Decimal | None, digits: int = 0) -> str:
    if value is None:
        return ""
    pattern = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(value, format=pattern, locale=babel_locale())


def format_percentage(value: float | None, digits: int = 0) -> str:
    """``value`` is a fraction (0.7 → 70%)."""
    if value is None:
        return ""
    pattern = "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%"
    return format_percent(value, format=pattern, locale=babel_locale())


def format_hours(minutes: int | None) -> str:
    """Minutes as hours and minutes: 92 → "1 h 32 min" (never "1,53 h": see ``core.wording``)."""
    from training_hub.core.wording import duration

    return duration(minutes)
