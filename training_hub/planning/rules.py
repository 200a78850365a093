"""Pure rules of the training year: coded values, periods, money, and when a budget's money expires.

Nothing here reads the database; the services (``needs.py``, ``plans.py``, ``budgets.py``) call these
and the tests check them without one.

Rules kept here, and why:

* **Money is euro cents** (integers): the budgets' arithmetic (amount − committed) and the planned
  costs' sums are exact. Typed amounts accept the Italian way of writing them ("1.234,50", "1234,5",
  "1234") and the API's plain cents; pages show "1.234,50 €" (:func:`format_euros`).
* **Fondimpresa money expires two years after it is credited** (:data:`EXPIRY_RULES`): the resources
  credited on a company's Conto Formazione must be used within two years, after which the fund takes
  them back (DESIGN.md "The cooperative's training year"; research/italian-rules.md §7). A rule per
  fund, with its source: another fund's rule is a row here, never a literal in a service.
* **Warnings 90 and 30 days before the money expires** while some of it is still uncommitted
  (:func:`expiry_warning`): 90 days leave time to plan a course and have it approved, 30 days are the
  last call. Money fully committed needs no warning; money already expired is shown as such.
* **A plan line's quarter** is a calendar quarter of the plan's year; a budget whose money expires
  before that quarter begins cannot pay for it (:func:`expired_for_quarter`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from training_hub.core.i18n import N_

# Why a need exists (DESIGN.md): a legal duty (safety training, D.Lgs. 81/2008), the development of
# people's competences, the inclusion of people on an inclusion pathway (L. 381/1991).
REASONS: dict[str, str] = {
    "legal_duty": N_("Obbligo di legge"),
    "development": N_("Sviluppo delle competenze"),
    "inclusion": N_("Inclusione"),
}
PRIORITIES: dict[str, str] = {"high": N_("Alta"), "medium": N_("Media"), "low": N_("Bassa")}
PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}
# Where a need comes from: the workers' questionnaire, an interview, the risk assessment (DVR, art. 28
# D.Lgs. 81/2008), the safety scadenzario (refreshers falling due, computed, never typed).
SOURCES: dict[str, str] = {
    "questionnaire": N_("Questionario"),
    "interview": N_("Colloquio"),
    "risk_assessment": N_("Valutazione dei rischi"),
    "scadenzario": N_("Scadenzario della sicurezza"),
}
PLAN_STATUSES: dict[str, str] = {"draft": N_("Bozza"), "approved": N_("Approvato")}
# Who pays (the funds of funding/plans.py, plus the cooperative's or consortium's own money).
FUNDING_SOURCES: dict[str, str] = {
    "foncoop": N_("Fon.Coop"),
    "fondimpresa": N_("Fondimpresa"),
    "regione": N_("Regione Lombardia"),
    "own": N_("Fondi propri"),
    "other": N_("Altro"),
}
BUDGET_KINDS: dict[str, str] = {
    "fund_account": N_("Conto formativo"),
    "call": N_("Avviso o bando"),
    "dote": N_("Dote regionale"),
    "own_funds": N_("Fondi propri"),
}
QUARTERS = (1, 2, 3, 4)
MAX_PEOPLE = 10_000
MAX_CENTS = 100_000_000_00  # 100 million euro: anything above is a typing mistake
MAX_PLAN_MINUTES = 2_000 * 60


@dataclass(frozen=True)
class ExpiryRule:
    years: int
    source: str


EXPIRY_RULES: dict[str, ExpiryRule] = {
    "fondimpresa": ExpiryRule(
        years=2,
        source="Fondimpresa, Conto Formazione: le risorse accantonate vanno utilizzate entro due anni "
               "dall'accredito (research/italian-rules.md §7)",
    ),
}
WARNING_DAYS = (90, 30)


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February (the money never outlives the rule)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def fund_expiry(source: str, credited_on: date | None) -> date | None:
    """The day a fund's money expires by the fund's rule, or None when the fund has no such rule."""
    rule = EXPIRY_RULES.get(source)
    if rule is None or credited_on is None:
        return None
    return add_years(credited_on, rule.years)


def expiry_warning(expires_on: date | None, uncommitted_cents: int, today: date) -> int | None:
    """90 or 30 when the money expires within that many days with some of it still uncommitted; None
    otherwise (no expiry, fully committed, or already expired: see :func:`is_expired`)."""
    if expires_on is None or uncommitted_cents <= 0 or expires_on < today:
        return None
    days = (expires_on - today).days
    for limit in sorted(WARNING_DAYS):
        if days <= limit:
            return limit
    return None


def is_expired(expires_on: date | None, today: date) -> bool:
    return expires_on is not None and expires_on < today


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * (quarter - 1) + 1, 1)
    last = date(year + 1, 1, 1) - timedelta(days=1) if quarter == 4 else date(year, 3 * quarter + 1, 1) - timedelta(days=1)
    return first, last


def expired_for_quarter(expires_on: date | None, year: int, quarter: int) -> bool:
    """True when the money expires before the line's quarter begins: it cannot pay for that line."""
    return expires_on is not None and expires_on < quarter_bounds(year, quarter)[0]


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def is_blank(value: Any) -> bool:
    """Left empty: nothing typed, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


# Money -----------------------------------------------------------------------------------------------

_EURO_TEXT = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?")
_PLAIN_DECIMAL = re.compile(r"(\d+)\.(\d{1,2})")


def parse_cents(value: Any) -> int | None:
    """An amount as cents: an integer is already cents (the API); text is euros as Italians write it
    ("1.234,50", "1234,5", "1234", "1234.50"). None when it is none of these or negative."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value if value is not None else "").replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not text:
        return None
    match = _EURO_TEXT.fullmatch(text)
    if match:
        return int(match.group(1).replace(".", "")) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    match = _PLAIN_DECIMAL.fullmatch(text)
    if match:
        return int(match.group(1)) * 100 + int(match.group(2).ljust(2, "0"))
    return None


def _grouped(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def format_euros(cents: int | None) -> str:
    """1.234,50 € (Italian grouping and decimal comma); an empty text for no amount."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{_grouped(whole)},{rest:02d} €"


def euros_field(cents: int | None) -> str:
    """An amount as a form shows it back for editing: 1234,50."""
    if cents is None:
        return ""
    whole, rest = divmod(cents, 100)
    return f"{whole},{rest:02d}"


# Hours -----------------------------------------------------------------------------------------------

_HOURS = re.compile(r"(\d{1,4})(?:[.,](\d{1,2}))?")


def parse_hours(value: Any) -> int | None:
    """Hours typed as "8", "7,5" or "7.5" (or a number) as whole minutes; None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return round(value * 60) if value >= 0 else None
    match = _HOURS.fullmatch(str(value if value is not None else "").strip())
    if not match:
        return None
    fraction = match.group(2) or "0"
    return int(match.group(1)) * 60 + round(int(fraction) * 60 / 10 ** len(fraction))


def hours_field(minutes: int | None) -> str:
    if minutes is None:
        return ""
    whole, rest = divmod(minutes, 60)
    return str(whole) if not rest else f"{minutes / 60:.2f}".rstrip("0").replace(".", ",")
