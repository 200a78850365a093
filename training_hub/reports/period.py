"""The period a report covers: Europe/Rome calendar days, both included.

Rules kept here, and why:

* By default the current calendar year: what a training office reports on (and a bilancio sociale).
* Days typed as 25/11/2026 or 2026-11-25 (:func:`training_hub.core.parsing.parse_day`), between 2000
  and 2100: anything else is a typing mistake, shown next to the field.
* At most 10 years: enough for any report, and it bounds the monthly table and the queries.
* The bounds are Rome midnights as UTC instants, so a session at 00:30 Rome time on 1 January counts
  in January, whatever the offset that day.
"""

from __future__ import annotations

from datetime import date, datetime

from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.parsing import parse_day
from training_hub.core.sql import Period  # in core, beside rome_months: planning's social report uses it too
from training_hub.core.timeutil import to_rome, utcnow

MAX_PERIOD_YEARS = 10
FIRST_YEAR, LAST_YEAR = 2000, 2100
DAY_MESSAGE = N_("Data non valida: usa il formato GG/MM/AAAA (per esempio 25/11/2026).")
YEAR_MESSAGE = N_("La data deve cadere tra il 2000 e il 2100.")


def rome_today(now: datetime | None = None) -> date:
    return to_rome(now or utcnow()).date()


def _report_day(raw: str, field: str, errors: dict[str, str]) -> date | None:
    value = parse_day(raw, field, {})
    if value is None:
        errors[field] = DAY_MESSAGE
    elif not FIRST_YEAR <= value.year <= LAST_YEAR:
        errors[field] = YEAR_MESSAGE
        value = None
    return value


def parse_period(raw_from: str | None, raw_to: str | None, *, today: date | None = None) -> Period:
    """The period of a report: both days included; by default the current calendar year."""
    today = today or rome_today()
    errors: dict[str, str] = {}
    first = date(today.year, 1, 1)
    last = date(today.year, 12, 31)
    if raw_from is not None and raw_from.strip():
        first = _report_day(raw_from, "from", errors) or first
    if raw_to is not None and raw_to.strip():
        last = _report_day(raw_to, "to", errors) or last
    if errors:
        raise ValidationFailed(N_("Controlla le date del periodo."), errors=errors)
    if first > last:
        raise ValidationFailed(N_("La data di inizio non può essere successiva alla data di fine."), field="from")
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_PERIOD_YEARS * 12:
        raise ValidationFailed(N_("Il periodo può coprire al massimo 10 anni."), field="to")
    return Period(first, last)
