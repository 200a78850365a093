"""The tables of the cooperative's training year (DESIGN.md "The cooperative's training year"): training
needs, the annual plan with its lines and the editions that deliver them, and budgets per funding source.

Money is kept in euro cents (integers): sums and comparisons are exact and the same on SQLite and
PostgreSQL. Coded values (reasons, priorities, sources, statuses, kinds) are listed with their labels in
``planning/rules.py``. Composite unique indexes (one plan per cooperative and year, a course linked to a
line once) are in a raw migration.
"""

from __future__ import annotations

from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from training_hub.core.tables import Cooperative, Course, Person


class TrainingNeed(Table):
    """A training need a cooperative's coordinator or the office recorded (refreshers falling due are
    computed from the scadenzario, never stored: ``planning/needs.py``)."""

    cooperative = ForeignKey(references=Cooperative, null=False, on_delete=OnDelete.cascade, index=True)
    year = Integer()  # the year the training is wanted in
    area = Varchar(length=20, default="")  # core.tables.Area, "" for every area
    job_role = Varchar(length=120, default="")  # who: "OSS", "educatori", "coordinatori di servizio"
    people = Integer(default=1)
    topic = Varchar(length=300)
    course_type = Varchar(length=60, default="")  # a safety course type code, when the need is one
    reason = Varchar(length=20)  # rules.REASONS
    priority = Varchar(length=10, default="medium")  # rules.PRIORITIES
    quarter = Integer(null=True, default=None)  # 1-4; or the months below; neither: any time in the year
    month_from = Integer(null=True, default=None)
    month_to = Integer(null=True, default=None)
    source = Varchar(length=20)  # rules.SOURCES
    note = Text(default="")
    created_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Budget(Table):
    """Money of one funding source: a fund account, a call, a regional dote, own funds."""

    cooperative = ForeignKey(references=Cooperative, null=True, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    source = Varchar(length=20)  # rules.FUNDING_SOURCES (foncoop, fondimpresa, regione, own, other)
    kind = Varchar(length=20)  # rules.BUDGET_KINDS (fund_account, call, dote, own_funds)
    amount_cents = Integer(default=0)
    committed_cents = Integer(default=0)
    spent_cents = Integer(default=0)
    credited_on = Date(null=True, default=None)
    expires_on = Date(null=True, default=None, index=True)
    note = Text(default="")
    created_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class TrainingPlan(Table):
    """A cooperative's annual training plan: drafted from its needs, approved by the office."""

    cooperative = ForeignKey(references=Cooperative, null=False, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    status = Varchar(length=10, default="draft")  # rules.PLAN_STATUSES
    approved_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    approved_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class PlanLine(Table):
    """One line of a plan: a course (or a safety course type) for a target group, in a quarter."""

    plan = ForeignKey(references=TrainingPlan, null=False, on_delete=OnDelete.cascade, index=True)
    need = ForeignKey(references=TrainingNeed, null=True, on_delete=OnDelete.set_null)
    title = Varchar(length=300)
    course_type = Varchar(length=60, default="")
    target_group = Varchar(length=200, default="")
    planned_minutes = Integer(default=0)
    participants = Integer(default=0)
    estimated_cost_cents = Integer(default=0)
    actual_cost_cents = Integer(null=True, default=None)  # what it cost, entered by the office
    budget = ForeignKey(references=Budget, null=True, on_delete=OnDelete.set_null, index=True)
    quarter = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class PlanLineCourse(Table):
    """An edition (course) delivering a plan line."""

    line = ForeignKey(references=PlanLine, null=False, on_delete=OnDelete.cascade, index=True)
    course = ForeignKey(references=Course, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
