"""The closing report of a funded plan, per participant and per company (cooperative).

What the funds ask at the end of a plan (research/italian-rules.md §1; Fon.Coop and Fondimpresa
rendiconto): for each participant and each beneficiary company, the hours planned and attended, the
percent, whether the person counts as *trained* (formato), and the hours valued at the person's gross
hourly cost (the companies' co-financing under the GBER training-aid regime, Reg. UE 651/2014 art. 31).

* **Planned** minutes are those of the sessions of the actions the person is enrolled in, cancelled
  sessions excluded: a 10-hour action with one cancelled 2-hour session plans 8 hours.
* **Attended** minutes are counted on those sessions only, and never more than a session lasts.
* **Trained**: attended ≥ threshold × planned, in exact integer arithmetic (70% by default, the plan
  may set its own): 336 of 480 minutes at 70% is trained, 335 is not. Nobody is trained on 0 planned
  minutes. It is decided per action and for the plan as a whole (on the totals).
* **Percent** is rounded *down* to one decimal, like the attendance pages: 69.99 never shows as 70.
* **Cost** is attended hours × gross hourly cost, a ``Decimal`` rounded half-up to the cent per
  participant; a company's cost is the sum of its participants' rounded costs, so the report adds up.
  A participant without a cost has none, and the company's total says it is incomplete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# Common practice of the funds ("formato" at 70% of the planned hours); a plan may set its own
# threshold (research/italian-rules.md §1: configurable per plan).
DEFAULT_TRAINED_THRESHOLD = 70

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class SessionPlan:
    """A session of an action: how long it is and whether it was cancelled."""

    session_id: int
    course_id: int
    minutes: int
    cancelled: bool = False


@dataclass(frozen=True)
class Enrolled:
    """A participant in one action, with the minutes recorded per session."""

    person_id: int
    cooperative_id: int | None
    course_id: int
    attended: Mapping[int, int]  # session id → minutes attended
    hourly_cost: Decimal | None = None
    # The same sum worked out by the database (``figures.ATTENDED_SQL``, when every session's minutes are
    # already inside [0, the session's length]); when given, ``attended`` is not read.
    attended_total: int | None = None


@dataclass(frozen=True)
class Figures:
    planned_minutes: int
    attended_minutes: int
    percent: Decimal | None  # None when nothing was planned
    trained: bool


@dataclass(frozen=True)
class ActionClosing:
    course_id: int
    figures: Figures


@dataclass(frozen=True)
class ParticipantClosing:
    person_id: int
    cooperative_id: int | None
    figures: Figures
    actions: tuple[ActionClosing, ...]
    cost: Decimal | None

    def as_dict(self, *, include_cost: bool = False) -> dict[str, Any]:
        out = {"person_id": self.person_id, "cooperative_id": self.cooperative_id, **_figures(self.figures)}
        if include_cost:
            out["cost"] = None if self.cost is None else str(self.cost)
        return out


@dataclass(frozen=True)
class CompanyClosing:
    cooperative_id: int | None
    participants: int
    trained: int
    planned_minutes: int
    attended_minutes: int
    percent: Decimal | None
    cost: Decimal
    cost_complete: bool  # every participant had an hourly cost

    def as_dict(self, *, include_cost: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "cooperative_id": self.cooperative_id, "participants": self.participants, "trained": self.trained,
            "planned_minutes": self.planned_minutes, "attended_minutes": self.attended_minutes,
            "percent": None if self.percent is None else float(self.percent),
        }
        if include_cost:
            out["cost"] = str(self.cost)
            out["cost_complete"] = self.cost_complete
        return out


@dataclass(frozen=True)
class ClosingReport:
    participants: tuple[ParticipantClosing, ...]
    companies: tuple[CompanyClosing, ...]

    def as_dict(self, *, include_cost: bool = False) -> dict[str, Any]:
        """The API's shape; costs only for those allowed to see gross hourly costs (admins)."""
        return {"participants": [row.as_dict(include_cost=include_cost) for row in self.participants],
                "companies": [row.as_dict(include_cost=include_cost) for row in self.companies]}


def _figures(figures: Figures) -> dict[str, Any]:
    return {"planned_minutes": figures.planned_minutes, "attended_minutes": figures.attended_minutes,
            "percent": None if figures.percent is None else float(figures.percent), "trained": figures.trained}


def is_trained(attended_minutes: int, planned_minutes: int, threshold: int | Decimal = DEFAULT_TRAINED_THRESHOLD) -> bool:
    """attended ≥ threshold% of planned, exactly (no floating point): 336/480 at 70 is, 335 is not."""
    if planned_minutes <= 0:
        return False
    return Decimal(attended_minutes) * 100 >= Decimal(threshold) * planned_minutes


def percent_of(attended_minutes: int, planned_minutes: int) -> Decimal | None:
    if planned_minutes <= 0:
        return None
    # floor(attended × 1000 / planned) tenths: the exact value rounded down to one decimal, in integers
    # (a Decimal division costs tens of microseconds, and a closing report makes thousands).
    tenths = (attended_minutes * 1000) // planned_minutes if attended_minutes >= 0 else -((-attended_minutes * 1000) // planned_minutes)
    return Decimal(tenths).scaleb(-1)


def figures(attended_minutes: int, planned_minutes: int, threshold: int | Decimal) -> Figures:
    return Figures(planned_minutes, attended_minutes, percent_of(attended_minutes, planned_minutes),
                   is_trained(attended_minutes, planned_minutes, threshold))


def cost_of(attended_minutes: int, hourly_cost: Decimal | None) -> Decimal | None:
    """Attended hours × gross hourly cost, rounded half-up to the cent."""
    if hourly_cost is None:
        return None
    return (Decimal(attended_minutes) * Decimal(hourly_cost) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def closing_report(
    sessions: Iterable[SessionPlan],
    enrolled: Iterable[Enrolled],
    *,
    threshold: int | Decimal = DEFAULT_TRAINED_THRESHOLD,
) -> ClosingReport:
    """Per participant (over every action of the plan they take) and per company."""
    held: dict[int, list[SessionPlan]] = {}
    for session in sessions:
        if not session.cancelled:
            held.setdefault(session.course_id, []).append(session)

    planned_of = {course_id: sum(max(0, session.minutes) for session in plan) for course_id, plan in held.items()}
    per_person: dict[int, list[tuple[Enrolled, Figures]]] = {}
    for entry in enrolled:
        plan = held.get(entry.course_id, [])
        planned = planned_of.get(entry.course_id, 0)
        attended = entry.attended_total if entry.attended_total is not None else sum(
            min(max(0, int(entry.attended.get(session.session_id, 0))), max(0, session.minutes)) for session in plan
        )
        per_person.setdefault(entry.person_id, []).append((entry, figures(attended, planned, threshold)))

    participants = []
    for person_id, entries in per_person.items():
        planned = sum(item.planned_minutes for _entry, item in entries)
        attended = sum(item.attended_minutes for _entry, item in entries)
        costs = [cost_of(item.attended_minutes, entry.hourly_cost) for entry, item in entries]
        cost = None if any(value is None for value in costs) else sum((c for c in costs if c is not None), Decimal(0))
        participants.append(ParticipantClosing(
            person_id, entries[0][0].cooperative_id, figures(attended, planned, threshold),
            tuple(ActionClosing(entry.course_id, item) for entry, item in entries),
            None if cost is None else cost.quantize(CENT),
        ))
    return ClosingReport(tuple(participants), tuple(_companies(participants)))


def _companies(participants: Sequence[ParticipantClosing]) -> list[CompanyClosing]:
    groups: dict[int | None, list[ParticipantClosing]] = {}
    for row in participants:
        groups.setdefault(row.cooperative_id, []).append(row)
    companies = []
    for cooperative_id, rows in groups.items():
        planned = sum(row.figures.planned_minutes for row in rows)
        attended = sum(row.figures.attended_minutes for row in rows)
        companies.append(CompanyClosing(
            cooperative_id, len(rows), sum(1 for row in rows if row.figures.trained), planned, attended,
            percent_of(attended, planned),
            sum((row.cost for row in rows if row.cost is not None), Decimal("0.00")),
            all(row.cost is not None for row in rows),
        ))
    return companies
