"""The tables of inclusion pathways: special-category data (GDPR art. 9; convictions, art. 10), kept apart.

Nothing about a pathway lives on ``person`` or any other table of the first wave: these tables are read
only through :func:`training_hub.inclusion.access.open_pathway`, which lets through admins and the
pathway's promoter and host tutors (the person sees their own project without the eligibility), and
answers "not found" to everyone else. Erasing a person erases their pathways with them (cascade).

Eligibility is a category code of L. 381/1991 art. 4 plus the *reference* of the public document that
certifies it (body, protocol number, date): never a diagnosis, never the document itself.
"""

from __future__ import annotations

from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from training_hub.core.tables import Cooperative, Course, Person


class InclusionPathway(Table):
    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    # rules.PathwayType
    pathway_type = Varchar(length=30)
    referring_service = Varchar(length=200, default="")
    host_cooperative = ForeignKey(references=Cooperative, null=True, on_delete=OnDelete.restrict, index=True)
    host_site = Varchar(length=200, default="")
    promoter_tutor = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null, index=True)
    host_tutor = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null, index=True)
    # rules.ELIGIBILITY_CATEGORIES code, and the public document certifying it (L. 381/1991 art. 4 c. 2).
    eligibility_category = Varchar(length=40)
    eligibility_body = Varchar(length=200, default="")
    eligibility_protocol = Varchar(length=60, default="")
    eligibility_date = Date(null=True, default=None)
    weekly_hours = Integer(default=20)
    starts_on = Date()
    ends_on = Date(null=True, default=None)
    # Why the pathway may last longer than its type's maximum (rules.check_duration); "" when it does not.
    derogation_reason = Text(default="")
    # Monthly allowance in euro cents (indennità di partecipazione); null when there is none.
    allowance_cents = Integer(null=True, default=None)
    # The next periodic review, and the due date the tutors were last reminded of (once per due date).
    next_review_on = Date(null=True, default=None, index=True)
    review_reminded_for = Date(null=True, default=None)
    # rules.Outcome; null while the pathway is open.
    outcome = Varchar(length=20, null=True, default=None)
    outcome_on = Date(null=True, default=None)
    outcome_reason = Text(default="")
    created_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class PathwayObjective(Table):
    pathway = ForeignKey(references=InclusionPathway, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    description = Text()
    indicator = Text(default="")


class PathwayReview(Table):
    """A periodic review: when, who took part, the outcome per objective, the next review."""

    pathway = ForeignKey(references=InclusionPathway, null=False, on_delete=OnDelete.cascade, index=True)
    held_on = Date()
    participants = Text(default="")
    notes = Text(default="")
    next_review_on = Date(null=True, default=None)
    recorded_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class ReviewObjectiveOutcome(Table):
    review = ForeignKey(references=PathwayReview, null=False, on_delete=OnDelete.cascade, index=True)
    objective = ForeignKey(references=PathwayObjective, null=False, on_delete=OnDelete.cascade, index=True)
    # rules.ObjectiveLevel
    level = Varchar(length=30)
    comment = Text(default="")


class PathwayCompetence(Table):
    """A competence acquired, with its evidence (a course attended, an assessment, an observation)."""

    pathway = ForeignKey(references=InclusionPathway, null=False, on_delete=OnDelete.cascade, index=True)
    description = Varchar(length=300)
    # rules.EvidenceKind
    evidence_kind = Varchar(length=20)
    course = ForeignKey(references=Course, null=True, on_delete=OnDelete.set_null)
    evidence_note = Text(default="")
    acquired_on = Date()
    recorded_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
