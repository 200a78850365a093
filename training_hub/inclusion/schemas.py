"""msgspec structs of the inclusion API: every body read and every response written is typed.

Dates travel as ``YYYY-MM-DD``. Input dates are strings (``2026-11-25`` or ``25/11/2026``) read by the
service, so a mistake gets the same Italian message next to its field as on the page. A pathway comes
back in one of two shapes, told apart by ``access``: ``full`` (admins and the pathway's tutors) or
``own`` (the person: no eligibility, no referring service, no reasons, no reviews).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from training_hub.inclusion.aggregates import CountLine, PathwayCounts
from training_hub.inclusion.outcomes import CompetenceInput, OutcomeInput
from training_hub.inclusion.records import ObjectiveInput, PathwayInput
from training_hub.inclusion.reviews import OutcomeInput as ObjectiveOutcomeInput
from training_hub.inclusion.reviews import ReviewInput

# Input --------------------------------------------------------------------------------------------


class ObjectiveIn(msgspec.Struct):
    description: str
    indicator: str = ""
    id: int | None = None  # an existing objective, when correcting a pathway


class PathwayIn(msgspec.Struct):
    pathway_type: str
    referring_service: str
    host_cooperative_id: int
    promoter_tutor_id: int
    eligibility_category: str
    eligibility_body: str
    eligibility_protocol: str
    eligibility_date: str
    weekly_hours: int
    starts_on: str
    objectives: list[ObjectiveIn]
    host_site: str = ""
    host_tutor_id: int | None = None
    ends_on: str | None = None
    derogation_reason: str = ""
    allowance: str | float | None = None  # monthly, in euros
    next_review_on: str | None = None


class PathwayPatch(msgspec.Struct):
    pathway_type: str | msgspec.UnsetType = msgspec.UNSET
    referring_service: str | msgspec.UnsetType = msgspec.UNSET
    host_cooperative_id: int | msgspec.UnsetType = msgspec.UNSET
    host_site: str | msgspec.UnsetType = msgspec.UNSET
    promoter_tutor_id: int | msgspec.UnsetType = msgspec.UNSET
    host_tutor_id: int | None | msgspec.UnsetType = msgspec.UNSET
    eligibility_category: str | msgspec.UnsetType = msgspec.UNSET
    eligibility_body: str | msgspec.UnsetType = msgspec.UNSET
    eligibility_protocol: str | msgspec.UnsetType = msgspec.UNSET
    eligibility_date: str | msgspec.UnsetType = msgspec.UNSET
    weekly_hours: int | msgspec.UnsetType = msgspec.UNSET
    starts_on: str | msgspec.UnsetType = msgspec.UNSET
    ends_on: str | None | msgspec.UnsetType = msgspec.UNSET
    derogation_reason: str | msgspec.UnsetType = msgspec.UNSET
    allowance: str | float | None | msgspec.UnsetType = msgspec.UNSET
    next_review_on: str | None | msgspec.UnsetType = msgspec.UNSET
    objectives: list[ObjectiveIn] | msgspec.UnsetType = msgspec.UNSET


class ObjectiveOutcomeIn(msgspec.Struct):
    objective_id: int
    level: str  # raggiunto | parzialmente_raggiunto | non_raggiunto | non_valutato
    comment: str = ""


class ReviewIn(msgspec.Struct):
    held_on: str
    participants: str
    notes: str = ""
    next_review_on: str | None = None
    outcomes: list[ObjectiveOutcomeIn] = msgspec.field(default_factory=list)


class CompetenceIn(msgspec.Struct):
    description: str
    evidence_kind: str  # corso | valutazione | osservazione
    acquired_on: str
    course_id: int | None = None
    evidence_note: str = ""


class OutcomeIn(msgspec.Struct):
    outcome: str  # assunzione | proroga | concluso | interrotto; "" reopens the pathway
    outcome_on: str | None = None
    reason: str = ""


def _objectives_input(items: list[ObjectiveIn] | list[dict[str, Any]]) -> list[ObjectiveInput]:
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append(ObjectiveInput(item["description"], item["indicator"], item.get("id")))
        else:
            out.append(ObjectiveInput(item.description, item.indicator, item.id))
    return out


def pathway_input(data: PathwayIn) -> PathwayInput:
    values = msgspec.structs.asdict(data)
    values["objectives"] = _objectives_input(data.objectives)
    return PathwayInput(**values)


def patched_input(current: dict[str, Any], patch: PathwayPatch) -> PathwayInput:
    """The stored values (``records.input_from_row``) with the patch's fields over them."""
    values = dict(current)
    for name in patch.__struct_fields__:
        value = getattr(patch, name)
        if value is not msgspec.UNSET:
            values[name] = value
    values["objectives"] = _objectives_input(values["objectives"])
    return PathwayInput(**values)


def review_input(data: ReviewIn) -> ReviewInput:
    return ReviewInput(held_on=data.held_on, participants=data.participants, notes=data.notes,
                       next_review_on=data.next_review_on,
                       outcomes=[ObjectiveOutcomeInput(item.objective_id, item.level, item.comment)
                                 for item in data.outcomes])


def competence_input(data: CompetenceIn) -> CompetenceInput:
    return CompetenceInput(**msgspec.structs.asdict(data))


def outcome_input(data: OutcomeIn) -> OutcomeInput:
    return OutcomeInput(**msgspec.structs.asdict(data))


# Output -------------------------------------------------------------------------------------------


class CreatedOut(msgspec.Struct):
    id: int


class ObjectiveOut(msgspec.Struct):
    id: int
    position: int
    description: str
    indicator: str


class CourseAttendedOut(msgspec.Struct):
    course_id: int
    title: str
    first_day: date
    last_day: date
    sessions: int
    scheduled_minutes: int
    attended_minutes: int


class CompetenceOut(msgspec.Struct):
    id: int
    description: str
    evidence_kind: str
    course_id: int | None
    course_title: str | None
    evidence_note: str
    acquired_on: date


class ReviewOutcomeOut(msgspec.Struct):
    objective_id: int
    level: str
    comment: str


class ReviewOut(msgspec.Struct):
    id: int
    held_on: date
    participants: str
    notes: str
    next_review_on: date | None
    outcomes: list[ReviewOutcomeOut]


class EligibilityOut(msgspec.Struct):
    """L. 381/1991 art. 4 category and the public document certifying it (never a diagnosis)."""

    category: str
    category_label: str
    body: str
    protocol: str
    document_date: date | None


class OwnPathwayOut(msgspec.Struct, tag_field="access", tag="own"):
    """What the person sees of their own pathway."""

    id: int
    person_id: int
    person_name: str
    pathway_type: str
    pathway_type_label: str
    host_cooperative_id: int | None
    host_cooperative_name: str | None
    host_site: str
    promoter_tutor_id: int | None
    promoter_tutor_name: str | None
    host_tutor_id: int | None
    host_tutor_name: str | None
    weekly_hours: int
    starts_on: date
    ends_on: date | None
    allowance_cents: int | None
    stage: str
    outcome: str | None
    outcome_on: date | None
    objectives: list[ObjectiveOut]
    courses: list[CourseAttendedOut]
    competences: list[CompetenceOut]


class PathwayOut(OwnPathwayOut, tag="full"):
    """The whole record (admins, promoter and host tutors)."""

    referring_service: str
    eligibility: EligibilityOut
    derogation_reason: str
    next_review_on: date | None
    review_overdue: bool
    outcome_reason: str
    reviews: list[ReviewOut]


class PathwayListItemOut(msgspec.Struct):
    id: int
    person_id: int
    person_name: str
    pathway_type: str
    host_cooperative_name: str | None
    starts_on: date
    ends_on: date | None
    stage: str
    outcome: str | None
    next_review_on: date | None
    review_overdue: bool


class CountLineOut(msgspec.Struct):
    key: str
    label: str
    count: int


class PathwayCountsOut(msgspec.Struct):
    """Counts of pathways; groups under 5 merged into ``altri``; ``total`` null below 5 in all."""

    year: int | None
    total: int | None
    by_type: list[CountLineOut]
    by_outcome: list[CountLineOut]
    by_province: list[CountLineOut]


def _own_fields(view: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": view["id"], "person_id": view["person_id"], "person_name": view["person_name"],
        "pathway_type": view["pathway_type"], "pathway_type_label": view["pathway_type_label"],
        "host_cooperative_id": view["host_cooperative_id"], "host_cooperative_name": view["host_cooperative_name"],
        "host_site": view["host_site"], "promoter_tutor_id": view["promoter_tutor_id"],
        "promoter_tutor_name": view["promoter_tutor_name"], "host_tutor_id": view["host_tutor_id"],
        "host_tutor_name": view["host_tutor_name"], "weekly_hours": view["weekly_hours"],
        "starts_on": view["starts_on"], "ends_on": view["ends_on"], "allowance_cents": view["allowance_cents"],
        "stage": view["stage"], "outcome": view["outcome"], "outcome_on": view["outcome_on"],
        "objectives": [ObjectiveOut(item["id"], item["position"], item["description"], item["indicator"])
                       for item in view["objectives"]],
        "courses": [CourseAttendedOut(c.course_id, c.title, c.first_day, c.last_day, c.sessions, c.scheduled_minutes,
                                      c.attended_minutes) for c in view["courses"]],
        "competences": [CompetenceOut(item["id"], item["description"], item["evidence_kind"], item["course"],
                                      item["course_title"], item["evidence_note"], item["acquired_on"])
                        for item in view["competences"]],
    }


def pathway_out(view: dict[str, Any]) -> OwnPathwayOut | PathwayOut:
    if view["access"] != "full":
        return OwnPathwayOut(**_own_fields(view))
    return PathwayOut(
        **_own_fields(view),
        referring_service=view["referring_service"],
        eligibility=EligibilityOut(view["eligibility_category"], view["eligibility_category_label"],
                                   view["eligibility_body"], view["eligibility_protocol"], view["eligibility_date"]),
        derogation_reason=view["derogation_reason"],
        next_review_on=view["next_review_on"],
        review_overdue=view["review_overdue"],
        outcome_reason=view["outcome_reason"],
        reviews=[ReviewOut(r["id"], r["held_on"], r["participants"], r["notes"], r["next_review_on"],
                           [ReviewOutcomeOut(o["objective"], o["level"], o["comment"]) for o in r["outcomes"]])
                 for r in view["reviews"]],
    )


def list_item_out(item: dict[str, Any]) -> PathwayListItemOut:
    return PathwayListItemOut(
        id=item["id"], person_id=item["person_id"], person_name=item["person_name"],
        pathway_type=item["pathway_type"], host_cooperative_name=item["host_cooperative_name"],
        starts_on=item["starts_on"], ends_on=item["ends_on"], stage=item["stage"], outcome=item["outcome"],
        next_review_on=item["next_review_on"], review_overdue=item["review_overdue"],
    )


def _count_lines(lines: list[CountLine]) -> list[CountLineOut]:
    return [CountLineOut(line.key, line.label, line.count) for line in lines]


def counts_out(counts: PathwayCounts) -> PathwayCountsOut:
    return PathwayCountsOut(counts.year, counts.total, _count_lines(counts.by_type), _count_lines(counts.by_outcome),
                            _count_lines(counts.by_province))
