"""msgspec structs of the funding API (DESIGN.md "Interfaces of the second wave": funded plans, checks,
closing report, submissions, schedule changes, online attendance import)."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from training_hub.core.schemas import Instant


class PlanIn(msgspec.Struct, forbid_unknown_fields=True):
    fund: str
    code: str
    title: str
    channel: str = ""
    starts_on: str | None = None
    ends_on: str | None = None
    aid_regime: str = "none"
    status: str = "approved"
    trained_threshold: int | None = None


class ActionIn(msgspec.Struct, forbid_unknown_fields=True):
    course_id: int
    action_code: str = ""


class CreatedOut(msgspec.Struct):
    id: int


class ActionOut(msgspec.Struct):
    id: int
    course_id: int
    action_code: str
    title: str
    status: str
    starts_at: Instant | None
    ends_at: Instant | None
    delivery_mode: str
    participants: int


class PlanSummaryOut(msgspec.Struct):
    """A plan in a list (its actions: ``GET /api/funded-plans/{id}``)."""

    id: int
    fund: str
    channel: str
    code: str
    title: str
    starts_on: date | None
    ends_on: date | None
    aid_regime: str
    status: str
    trained_threshold: int


class PlanOut(msgspec.Struct):
    id: int
    fund: str
    channel: str
    code: str
    title: str
    starts_on: date | None
    ends_on: date | None
    aid_regime: str
    status: str
    trained_threshold: int
    actions: list[ActionOut]


class CheckOut(msgspec.Struct, omit_defaults=True):
    """One missing or invalid datum: of a person (``person_id``) or of a cooperative (``cooperative_id``)."""

    field: str
    message: str
    person_id: int | None = None
    cooperative_id: int | None = None
    name: str = ""


class ParticipantClosingOut(msgspec.Struct, omit_defaults=True):
    person_id: int
    cooperative_id: int | None
    full_name: str
    cooperative_name: str
    planned_minutes: int
    attended_minutes: int
    percent: float | None
    trained: bool
    cost: str | None | msgspec.UnsetType = msgspec.UNSET  # admins only


class CompanyClosingOut(msgspec.Struct, omit_defaults=True):
    cooperative_id: int | None
    cooperative_name: str
    participants: int
    trained: int
    planned_minutes: int
    attended_minutes: int
    percent: float | None
    cost: str | msgspec.UnsetType = msgspec.UNSET  # admins only
    cost_complete: bool | msgspec.UnsetType = msgspec.UNSET


class ClosingReportOut(msgspec.Struct):
    threshold: int
    participants: list[ParticipantClosingOut]
    companies: list[CompanyClosingOut]


class SubmissionIn(msgspec.Struct, forbid_unknown_fields=True):
    note: str = ""


class SubmissionOut(msgspec.Struct):
    id: int
    sha256: str
    created_at: Instant


class ScheduleChangeOut(msgspec.Struct):
    session_id: int
    changed_at: Instant
    old_starts_at: Instant | None
    new_starts_at: Instant | None
    old_ends_at: Instant | None
    new_ends_at: Instant | None
    old_place: str
    new_place: str
    changed_by_name: str | None
    short_notice: bool


class IntervalOut(msgspec.Struct):
    joined_at: str
    left_at: str


class ImportRowOut(msgspec.Struct):
    enrolment_id: int
    email: str
    full_name: str
    minutes: int
    status: str
    intervals: list[IntervalOut]
    platform_identity: str


class UnmatchedOut(msgspec.Struct):
    email: str
    display_name: str
    platform_identity: str
    minutes: int
    intervals: list[IntervalOut]
    lines: list[int]


class AnomalyOut(msgspec.Struct):
    code: str
    severity: str
    message: str
    email: str
    enrolment_id: int | None
    lines: list[int]


class ImportOut(msgspec.Struct):
    layout: str
    recorded: bool
    session_minutes: int
    rows: list[ImportRowOut]
    unmatched: list[UnmatchedOut]
    anomalies: list[AnomalyOut]


class FundDataIn(msgspec.Struct, forbid_unknown_fields=True):
    family_name: str = ""
    given_names: str = ""
    citizenship: str = ""
    education_level: str = ""
    contract_type: str = ""
    job_grade: str = ""
    ccnl: str = ""
    ccnl_level: str = ""
    hire_date: str | None = None
    hourly_cost: str | None = None


class MissingOut(msgspec.Struct, omit_defaults=True):
    field: str
    message: str
    person_id: int | None = None
    cooperative_id: int | None = None


class FundDataOut(msgspec.Struct, omit_defaults=True):
    person_id: int
    full_name: str
    family_name: str
    given_names: str
    citizenship: str
    education_level: str
    contract_type: str
    job_grade: str
    ccnl: str
    ccnl_level: str
    hire_date: date | None
    missing: list[MissingOut]
    hourly_cost: str | None | msgspec.UnsetType = msgspec.UNSET  # admins only


def fund_data_out(view: dict[str, Any]) -> FundDataOut:
    values = dict(view["values"])
    if "hourly_cost" in values:
        values["hourly_cost"] = None if values["hourly_cost"] is None else str(values["hourly_cost"])
    return FundDataOut(person_id=view["person"]["id"], full_name=view["person"]["full_name"],
                       missing=[msgspec.convert(item, MissingOut) for item in view["missing"]], **values)
