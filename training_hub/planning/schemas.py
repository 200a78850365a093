"""msgspec structs of the training year's API (DESIGN.md "Interfaces of the second wave": training
needs, annual plans, budgets). Money is in euro cents (integers); hours in minutes; dates ``YYYY-MM-DD``."""

from __future__ import annotations

from datetime import date

import msgspec

from training_hub.core.schemas import Instant


class NeedIn(msgspec.Struct, forbid_unknown_fields=True):
    topic: str
    people: int
    reason: str
    source: str
    year: int | None = None
    area: str = ""
    job_role: str = ""
    course_type: str = ""
    priority: str = "medium"
    quarter: int | None = None
    month_from: int | None = None
    month_to: int | None = None
    note: str = ""


class NeedOut(msgspec.Struct):
    """A need: recorded (``id``), or a refresher falling due (``automatic``, no id, source scadenzario)."""

    id: int | None
    cooperative_id: int
    year: int
    area: str
    job_role: str
    people: int
    topic: str
    course_type: str
    reason: str
    priority: str
    quarter: int | None
    month_from: int | None
    month_to: int | None
    source: str
    note: str
    automatic: bool


class CreatedOut(msgspec.Struct):
    id: int


class LineIn(msgspec.Struct, forbid_unknown_fields=True):
    """A plan line: ``hours`` may be fractional (7.5); ``estimated_cost_cents`` in euro cents."""

    cooperative_id: int
    hours: float
    participants: int
    quarter: int
    title: str = ""
    course_type: str = ""
    need_id: int | None = None
    target_group: str = ""
    estimated_cost_cents: int = 0
    budget_id: int | None = None


class LinkIn(msgspec.Struct, forbid_unknown_fields=True):
    course_id: int


class LinkedCourseOut(msgspec.Struct):
    course_id: int
    title: str
    status: str
    starts_at: Instant | None


class FiguresOut(msgspec.Struct):
    """Planned against delivered (delivered as the reports count it: ``planning/delivered.py``)."""

    planned_minutes: int
    planned_participants: int
    planned_cost_cents: int
    delivered_minutes: int
    delivered_participants: int
    delivered_cost_cents: int | None


class LineOut(msgspec.Struct):
    id: int
    cooperative_id: int
    need_id: int | None
    title: str
    course_type: str
    target_group: str
    planned_minutes: int
    participants: int
    estimated_cost_cents: int
    actual_cost_cents: int | None
    budget_id: int | None
    quarter: int
    courses: list[LinkedCourseOut]
    planned_participants: int
    planned_cost_cents: int
    delivered_minutes: int
    delivered_participants: int
    delivered_cost_cents: int | None


class CooperativeFiguresOut(msgspec.Struct):
    cooperative_id: int
    cooperative_name: str
    status: str
    approved_at: Instant | None
    lines: int
    planned_minutes: int
    planned_participants: int
    planned_cost_cents: int
    delivered_minutes: int
    delivered_participants: int
    delivered_cost_cents: int | None


class PlanOut(msgspec.Struct):
    """A cooperative's plan (``cooperative_id`` set) or the consortium's year (``cooperative_id`` null:
    every cooperative's lines and figures)."""

    year: int
    cooperative_id: int | None
    status: str | None
    approved_at: Instant | None
    lines: list[LineOut]
    cooperatives: list[CooperativeFiguresOut]
    total: FiguresOut


class BudgetIn(msgspec.Struct, forbid_unknown_fields=True):
    """Amounts in euro cents; ``expires_on`` may be left out for Fondimpresa (two years after credit)."""

    title: str
    source: str
    kind: str
    amount_cents: int
    committed_cents: int = 0
    spent_cents: int = 0
    cooperative_id: int | None = None
    credited_on: str | None = None
    expires_on: str | None = None
    note: str = ""


class BudgetOut(msgspec.Struct):
    id: int
    cooperative_id: int | None
    title: str
    source: str
    kind: str
    amount_cents: int
    committed_cents: int
    spent_cents: int
    uncommitted_cents: int
    credited_on: date | None
    expires_on: date | None
    warning_days: int | None
    expired: bool
    note: str
