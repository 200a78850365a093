"""The tables of funded plans (DESIGN.md "Funded plans"): plans and their actions, the participants'
fund data, the schedule change log, the imported online connections and the frozen submissions.

Nothing here is special-category data: a participant's fund data are what a fund's participant file
asks (``layouts.ParticipantData``), and the gross hourly cost is shown to admins only.
"""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from training_hub.core.tables import Course, Enrolment, Person, Session


class FundedPlan(Table):
    fund = Varchar(length=20)  # plans.FUNDS
    channel = Varchar(length=200, default="")  # the fund's channel or call (avviso)
    code = Varchar(length=60, unique=True)
    title = Varchar(length=300)
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)
    aid_regime = Varchar(length=20, default="none")  # plans.AID_REGIMES
    status = Varchar(length=20, default="approved")  # plans.STATUSES
    # Percent of planned hours a participant must attend to count as trained (closing.py: 70 by default).
    trained_threshold = Integer(default=70)
    created_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class FundedAction(Table):
    """A course of the plan: one of its actions (a course belongs to one plan at most)."""

    plan = ForeignKey(references=FundedPlan, null=False, on_delete=OnDelete.cascade, index=True)
    course = ForeignKey(references=Course, null=False, on_delete=OnDelete.restrict, unique=True)
    action_code = Varchar(length=60, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ParticipantFundData(Table):
    """What the funds ask of a participant beyond the directory (codice fiscale lives on the person)."""

    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, unique=True)
    family_name = Varchar(length=120, default="")
    given_names = Varchar(length=120, default="")
    citizenship = Varchar(length=2, default="")  # ISO 3166-1 alpha-2
    education_level = Varchar(length=30, default="")  # codes.EDUCATION_LEVELS
    contract_type = Varchar(length=30, default="")  # codes.CONTRACT_TYPES
    job_grade = Varchar(length=30, default="")  # codes.JOB_GRADES
    ccnl = Varchar(length=120, default="")
    ccnl_level = Varchar(length=20, default="")
    hire_date = Date(null=True, default=None)
    hourly_cost = Numeric(digits=(8, 2), null=True, default=None)  # admins only
    updated_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz(default=TimestamptzNow())


class ScheduleChange(Table):
    """A change of a session's time or place (Fon.Coop form C3 when ``short_notice``)."""

    session = ForeignKey(references=Session, null=False, on_delete=OnDelete.cascade, index=True)
    course = ForeignKey(references=Course, null=False, on_delete=OnDelete.cascade, index=True)
    changed_at = Timestamptz(default=TimestamptzNow())
    changed_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    old_starts_at = Timestamptz(null=True, default=None)
    old_ends_at = Timestamptz(null=True, default=None)
    new_starts_at = Timestamptz(null=True, default=None)
    new_ends_at = Timestamptz(null=True, default=None)
    old_place = Varchar(length=300, default="")
    new_place = Varchar(length=300, default="")
    short_notice = Boolean(default=False)


class OnlineConnection(Table):
    """A connection of a participant to an online session, from an imported platform report (ANPAL circ.
    4/2020: the register prints these in place of signatures)."""

    session = ForeignKey(references=Session, null=False, on_delete=OnDelete.cascade, index=True)
    enrolment = ForeignKey(references=Enrolment, null=False, on_delete=OnDelete.cascade, index=True)
    joined_at = Timestamptz()
    left_at = Timestamptz()
    platform_identity = Varchar(length=254, default="")
    layout = Varchar(length=10, default="")
    imported_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    imported_at = Timestamptz(default=TimestamptzNow())


class FundSubmission(Table):
    """A frozen snapshot sent to the fund: a ZIP of the exports and registers, and its SHA-256."""

    plan = ForeignKey(references=FundedPlan, null=False, on_delete=OnDelete.cascade, index=True)
    sha256 = Varchar(length=64)
    filename = Varchar(length=200)
    content = Bytea()
    size_bytes = Integer(default=0)
    note = Text(default="")
    created_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
