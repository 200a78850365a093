"""Courses (editions): the course page's detail, and their writes and lifecycle.

draft → published (with a trainer and a scheduled session) → completed (after its last session), or
published → cancelled (its future sessions and live enrolments cancelled, everyone told once). A draft
nobody has seen can be deleted; a course is copied into a new edition as a draft. Every change takes
the course's lock first (``seats.locking.lock_course``) and runs in one transaction; the seats' rules
(capacity, the waiting list) are the seats feature's, called under that lock. Only the training office
moves a course between the consortium's paths and a cooperative's internal ones (who sees it would
change with it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from training_hub.catalogue.access import (
    MANAGE_REFUSED,
    can_change_trainers,
    can_manage_course,
    can_view_course,
    get_manageable_course,
    trainer_candidates,
)
from training_hub.catalogue.course_rows import AREA_ORDER, course_base, list_sessions_rows, session_out
from training_hub.catalogue.locations import LOCATION_COLUMNS
from training_hub.catalogue.path_order import course_publishing_warnings
from training_hub.catalogue.paths import PATH_COLUMNS, can_add_course_to_path, path_out, path_visible
from training_hub.catalogue.safety_courses import apply_safety_type, check_minimum_hours, safety_course_out
from training_hub.catalogue.sessions import place_sessions
from training_hub.core import i18n
from training_hub.core.audit import record_audit_event
from training_hub.core.db import write_transaction
from training_hub.core.errors import Conflict, InvalidState, NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import (
    clean_text,
    multi_line,
    parse_day,
    parse_id,
    parse_id_list,
    parse_instant_field,
    parse_integer,
    single_line,
)
from training_hub.core.tables import (
    LIVE_ENROLMENT_STATUSES,
    Area,
    Cooperative,
    Course,
    CourseEligibleArea,
    CourseEligibleCooperative,
    CourseStatus,
    CourseTrainer,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    Location,
    Role,
    Session,
    SessionStatus,
    TrainingPath,
)
from training_hub.core.timeutil import rome_wall_clock, to_rome, utcnow
from training_hub.notifications.course_notices import notify_course_cancelled
from training_hub.seats.capacity import change_capacity as change_seats
from training_hub.seats.capacity import parse_capacity
from training_hub.seats.facts import CourseFacts, load_course_facts, read_course
from training_hub.seats.locking import lock_course

# What the course page shows besides the facts every rule reads (seats.facts.read_course).
_DETAIL_COLUMNS = (
    '"course"."description" AS description, "course"."delivery_mode" AS delivery_mode, '
    '"course"."attendance_threshold" AS attendance_threshold, "course"."funder_plan_code" AS funder_plan_code, '
    '"course"."copied_from" AS copied_from, "course"."cancelled_reason" AS cancelled_reason, '
    '"course"."updated_at" AS updated_at, p.description AS path_description, '
    '"course"."safety_course_type" AS safety_course_type, "course"."final_test_required" AS final_test_required, '
    "l.id AS location_id, l.name AS location_name, l.comune AS location_comune, l.province AS location_province, "
    "l.step_free_access AS location_step_free, l.is_online AS location_online, l.address AS location_address, "
    "l.capacity AS location_capacity"
)
_DETAIL_JOINS = 'LEFT JOIN location l ON l.id = "course"."location"'


def _named_links(links: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The course's trainers, eligible areas and cooperatives from the facts' links, in display order."""
    out: dict[str, list[Any]] = {"trainer": [], "area": [], "cooperative": []}
    for link in links:
        if link["kind"] == "trainer":
            out["trainer"].append({"id": link["ref"], "full_name": link["label"]})
        elif link["kind"] == "cooperative":
            out["cooperative"].append({"id": link["ref"], "name": link["label"]})
        elif link["kind"] == "area":
            out["area"].append(link["label"])
    out["trainer"].sort(key=lambda t: t["full_name"])
    out["area"].sort(key=lambda a: AREA_ORDER.get(a, 99))
    out["cooperative"].sort(key=lambda c: c["name"])
    return out


async def course_view(user: CurrentUser, course_id: int) -> tuple[CourseFacts, dict[str, Any]]:
    """The course's facts (as ``user`` relates to it, for the other features' rules) and everything the
    course page and ``GET /api/courses/{id}`` show, in three statements; NotFound when ``user`` may not
    read it.

    Keys besides the course's own fields: ``sessions`` (every session, cancelled ones included, in
    order), ``seats_taken``, ``seats_left``, ``waitlist_length``, ``trainers``, ``eligible_areas``,
    ``eligible_cooperatives``, ``can_manage``, ``is_trainer``, ``enrolment_status`` (the user's own,
    or None), ``can_see_online_link``.
    """
    loaded = await read_course(course_id, viewer=user, columns=_DETAIL_COLUMNS, joins=_DETAIL_JOINS)
    if loaded is None or not can_view_course(user, loaded.facts):
        raise NotFound(N_("Corso non trovato."))
    facts, row = loaded.facts, loaded.row
    links = _named_links(loaded.links)
    session_rows = await list_sessions_rows(course_id)
    enrolment_status = facts.viewer.enrolment_status if facts.viewer else None
    manage = can_manage_course(user, facts)
    teaching = user.id in facts.trainer_ids or user.id in facts.session_trainer_ids
    show_link = user.is_admin or manage or teaching or enrolment_status == EnrolmentStatus.CONFIRMED
    course = course_base(row, links["trainer"])
    venue = course["location"]["id"] if course["location"] else None
    course.update(
        venues_elsewhere=sum(1 for s in session_rows if s["status"] == "scheduled" and s["location_id"] is not None
                             and s["location_id"] != venue),
        path={**course["path"], "description": row["path_description"] or ""},
        cancellation_deadline=row["cancellation_deadline"],
        attendance_threshold=row["attendance_threshold"],
        funder_plan_code=row["funder_plan_code"],
        copied_from=row["copied_from"],
        cancelled_reason=row["cancelled_reason"] or "",
        created_by=row["created_by"],
        updated_at=row["updated_at"],
        safety_course_type=row["safety_course_type"] or None,
        safety_course=safety_course_out(row["safety_course_type"]),
        final_test_required=bool(row["final_test_required"]),
        eligible_areas=links["area"],
        eligible_cooperatives=links["cooperative"],
        sessions=[session_out(s, show_online_url=show_link) for s in session_rows],
        can_manage=manage,
        is_trainer=teaching,
        enrolment_status=enrolment_status,
        can_see_online_link=show_link,
    )
    scheduled = [s for s in course["sessions"] if s["status"] == SessionStatus.SCHEDULED]
    course["session_count"] = len(scheduled)
    course["scheduled_minutes"] = sum(s["minutes"] for s in scheduled)
    return facts, course


async def get_course_detail(user: CurrentUser, course_id: int) -> dict[str, Any]:
    """What :func:`course_view` shows, without the facts."""
    return (await course_view(user, course_id))[1]


async def get_manageable_course_detail(user: CurrentUser, course_id: int) -> dict[str, Any]:
    """:func:`get_course_detail` for who manages the course, with the same 404/403 answers as
    :func:`get_manageable_course` (without loading the access facts a second time)."""
    detail = await get_course_detail(user, course_id)
    if not detail["can_manage"]:
        raise PermissionDenied(MANAGE_REFUSED)
    return detail


@dataclass
class CourseInput:
    path_id: int | None
    title: str
    capacity: int | str | None
    description: str = ""
    delivery_mode: str = DeliveryMode.IN_PRESENCE.value
    location_id: int | None = None
    requires_approval: bool = False
    enrolment_opens_at: str | datetime | None = None
    enrolment_closes_at: str | datetime | None = None
    cancellation_deadline: str | datetime | None = None
    attendance_threshold: int | str | None = 70
    funder_plan_code: str | None = None
    trainer_ids: list[int] | None = None  # None: keep them (edit) or the author (create)
    eligible_cooperative_ids: list[int] = field(default_factory=list)
    eligible_areas: list[str] = field(default_factory=list)
    position: int | str | None = None
    safety_course_type: str | None = None  # a code of safety/course_types.py; None: an ordinary course


def course_input_from(detail: Mapping[str, Any]) -> CourseInput:
    """The input that would leave a course as it is (a base for partial updates)."""
    return CourseInput(
        path_id=detail["path"]["id"],
        title=detail["title"],
        capacity=detail["capacity"],
        description=detail["description"],
        delivery_mode=detail["delivery_mode"],
        location_id=detail["location"]["id"] if detail.get("location") else None,
        requires_approval=detail["requires_approval"],
        enrolment_opens_at=detail.get("enrolment_opens_at"),
        enrolment_closes_at=detail.get("enrolment_closes_at"),
        cancellation_deadline=detail.get("cancellation_deadline"),
        attendance_threshold=detail["attendance_threshold"],
        funder_plan_code=detail.get("funder_plan_code"),
        trainer_ids=[t["id"] for t in detail["trainers"]],
        eligible_cooperative_ids=[c["id"] for c in detail.get("eligible_cooperatives", [])],
        eligible_areas=list(detail.get("eligible_areas", [])),
        position=detail.get("position"),
        safety_course_type=detail.get("safety_course_type"),
    )


async def _validate_course(
    user: CurrentUser, data: CourseInput, *, existing: Mapping[str, Any] | None
) -> tuple[dict[Any, Any], list[int] | None, list[int], list[str]]:
    errors: dict[str, str] = {}
    title = single_line(data.title, "title", errors)
    if "title" in errors:
        pass
    elif not title:
        errors["title"] = N_("Indica il titolo del corso.")
    elif len(title) > 200:
        errors["title"] = N_("Il titolo può avere al massimo 200 caratteri.")
    capacity = parse_capacity(data.capacity, errors)
    threshold = parse_integer(70 if data.attendance_threshold in (None, "") else data.attendance_threshold,
                         "attendance_threshold", errors, minimum=1, maximum=100,
                         message=N_("La soglia di frequenza è una percentuale da 1 a 100."))
    if data.delivery_mode not in {m.value for m in DeliveryMode}:
        errors["delivery_mode"] = N_("Scegli la modalità di svolgimento.")
    params: dict[str, Any] = {}
    safety_type, threshold = apply_safety_type(data.safety_course_type, data.delivery_mode, threshold, errors, params)
    opens = parse_instant_field(data.enrolment_opens_at, "enrolment_opens_at", errors)
    closes = parse_instant_field(data.enrolment_closes_at, "enrolment_closes_at", errors)
    deadline = parse_instant_field(data.cancellation_deadline, "cancellation_deadline", errors)
    if opens and closes and closes <= opens:
        errors["enrolment_closes_at"] = N_("La chiusura delle iscrizioni deve venire dopo l'apertura.")
    course_end = existing.get("ends_at") if existing else None
    if course_end is not None:
        # A course with sessions: its windows cannot outlast it (``end`` is given with the errors).
        if opens and opens >= course_end:
            errors["enrolment_opens_at"] = N_("Le iscrizioni non possono aprirsi dopo la fine del corso (%(end)s).")
        if closes and closes > course_end and "enrolment_closes_at" not in errors:
            errors["enrolment_closes_at"] = N_("Le iscrizioni non possono chiudersi dopo la fine del corso (%(end)s).")
        if deadline and deadline > course_end:
            errors["cancellation_deadline"] = N_("La disdetta non può durare oltre la fine del corso (%(end)s).")
    position = None
    if data.position not in (None, ""):
        position = parse_integer(data.position, "position", errors, minimum=0, maximum=999,
                            message=N_("La posizione nel percorso è un numero da 0 a 999."))
    funder = single_line(data.funder_plan_code, "funder_plan_code", errors) or None
    description = multi_line(data.description, "description", errors)
    if funder and len(funder) > 60:
        errors["funder_plan_code"] = N_("Il codice del piano finanziato può avere al massimo 60 caratteri.")

    path: dict[str, Any] | None = None
    path_id = parse_id(data.path_id)
    if path_id is None:
        errors["path_id"] = N_("Scegli il percorso a cui appartiene il corso.")
    else:
        row = await TrainingPath.select(*PATH_COLUMNS).where(TrainingPath.id == path_id).first()
        # A course stays in its own path even when its manager cannot see the path otherwise (a
        # consortium trainer teaching a cooperative's internal course).
        staying = existing is not None and existing["path"]["id"] == path_id
        if row is None or not (staying or path_visible(user, path_out(row))):
            errors["path_id"] = N_("Il percorso indicato non esiste.")
        else:
            path = path_out(row)
    location_id = parse_id(data.location_id)
    location_row = None
    if location_id is not None:
        location_row = await Location.select(*LOCATION_COLUMNS).where(Location.id == location_id).first()
        if location_row is None or not location_row["active"]:
            errors["location_id"] = N_("La sede indicata non esiste o non è più attiva.")
            location_row = None
        elif capacity and location_row["capacity"] is not None and location_row["capacity"] < capacity:
            errors["capacity"] = N_("La sede «%(location)s» ha solo %(room)s posti.")
    areas = sorted({a for a in data.eligible_areas if a})
    if any(a not in {x.value for x in Area} for a in areas):
        errors["eligible_areas"] = N_("Una delle aree indicate non esiste.")
    coop_ids = parse_id_list(data.eligible_cooperative_ids)
    if coop_ids:
        found = await Cooperative.select(Cooperative.id).where(Cooperative.id.is_in(coop_ids))
        if len(found) != len(coop_ids):
            errors["eligible_cooperative_ids"] = N_("Una delle cooperative indicate non esiste.")
    trainer_ids = None
    if data.trainer_ids is not None:
        trainer_ids = parse_id_list(data.trainer_ids)
        if trainer_ids:
            allowed = {t["id"] for t in await trainer_candidates(path["owner_cooperative_id"] if path else None)}
            if any(t not in allowed for t in trainer_ids):
                errors["trainer_ids"] = N_("Una delle persone indicate come formatore non può insegnare in questo corso.")
    if errors:
        if "capacity" in errors and location_row is not None:
            params.update(location=location_row["name"], room=location_row["capacity"])
        if course_end is not None:
            params["end"] = i18n.format_datetime(course_end)
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors, **params)
    assert path is not None
    if not can_add_course_to_path(user, path) and (existing is None or existing["path"]["id"] != path["id"]):
        raise PermissionDenied(N_("Non puoi creare corsi in questo percorso."))
    if (existing is not None and not user.is_admin
            and path["owner_cooperative_id"] != existing["path"]["owner_cooperative_id"]):
        # Who sees and manages the course would change with the path's owner (a cooperative's internal
        # course made public, or taken from its coordinators): the training office decides that.
        raise PermissionDenied(N_("Solo l'ufficio formazione sposta un corso tra i percorsi del consorzio e "
                                  "quelli interni di una cooperativa."))
    values = {
        Course.path: path["id"],
        Course.title: title,
        Course.description: description,
        Course.capacity: capacity,
        Course.delivery_mode: data.delivery_mode,
        Course.location: location_id,
        Course.requires_approval: bool(data.requires_approval),
        Course.enrolment_opens_at: opens,
        Course.enrolment_closes_at: closes,
        Course.cancellation_deadline: deadline,
        Course.attendance_threshold: threshold,
        Course.funder_plan_code: funder,
        Course.safety_course_type: safety_type,
    }
    if position is not None:
        values[Course.position] = position
    return values, trainer_ids, coop_ids, areas


async def _replace_links(course_id: int, trainer_ids: list[int] | None, coop_ids: list[int], areas: list[str]) -> None:
    if trainer_ids is not None:
        await CourseTrainer.delete().where(CourseTrainer.course == course_id)
        if trainer_ids:
            await CourseTrainer.insert(*[CourseTrainer(course=course_id, person=t) for t in trainer_ids])
    await CourseEligibleCooperative.delete().where(CourseEligibleCooperative.course == course_id)
    if coop_ids:
        await CourseEligibleCooperative.insert(
            *[CourseEligibleCooperative(course=course_id, cooperative=c) for c in coop_ids])
    await CourseEligibleArea.delete().where(CourseEligibleArea.course == course_id)
    if areas:
        await CourseEligibleArea.insert(*[CourseEligibleArea(course=course_id, area=a) for a in areas])


async def create_course(user: CurrentUser, data: CourseInput) -> dict[str, Any]:
    """A new draft. With no ``trainer_ids`` the author teaches it when they are a trainer."""
    if not user.has_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR):
        raise PermissionDenied(N_("Solo formatori, coordinatori e ufficio formazione creano corsi."))
    values, trainer_ids, coop_ids, areas = await _validate_course(user, data, existing=None)
    if not trainer_ids and user.has_role(Role.TRAINER):
        trainer_ids = [user.id]
    async with write_transaction():
        if Course.position not in values:
            last = await Course.select(Course.position).where(Course.path == values[Course.path]).order_by(
                Course.position, ascending=False).first()
            values[Course.position] = (last["position"] + 1) if last else 1
        values[Course.status] = CourseStatus.DRAFT.value
        values[Course.created_by] = user.id
        course = Course(**{column._meta.name: value for column, value in values.items()})
        await course.save()
        await _replace_links(course.id, trainer_ids or [], coop_ids, areas)
        await record_audit_event("course.created", actor_id=user.id, entity="course", entity_id=course.id)
    return await get_course_detail(user, course.id)


async def update_course(user: CurrentUser, course_id: int, data: CourseInput) -> dict[str, Any]:
    """Change a course's details (any status but cancelled and completed)."""
    existing = await get_manageable_course_detail(user, course_id)
    if existing["status"] in (CourseStatus.CANCELLED, CourseStatus.COMPLETED):
        raise InvalidState(N_("Un corso annullato o concluso non si modifica più."))
    values, trainer_ids, coop_ids, areas = await _validate_course(user, data, existing=existing)
    if existing["status"] == CourseStatus.PUBLISHED and trainer_ids is not None and not trainer_ids:
        raise ValidationFailed(N_("Un corso pubblicato ha almeno un formatore."), field="trainer_ids")
    current_trainers = {t["id"] for t in existing["trainers"]}
    if (trainer_ids is not None and set(trainer_ids) != current_trainers and not can_change_trainers(
            user, trainer_ids=current_trainers, owner_cooperative_id=existing["path"]["owner_cooperative_id"])):
        raise PermissionDenied(
            N_("Solo l'ufficio formazione, i formatori del corso e il coordinatore cambiano l'elenco dei "
               "formatori."),
            field="trainer_ids",
        )
    async with write_transaction():
        locked = await lock_course(course_id)
        if locked["status"] in (CourseStatus.CANCELLED, CourseStatus.COMPLETED):  # changed meanwhile
            raise InvalidState(N_("Un corso annullato o concluso non si modifica più."))
        capacity = values.pop(Course.capacity)
        values[Course.updated_at] = utcnow()
        await Course.update(values).where(Course.id == course_id)
        await _replace_links(course_id, trainer_ids, coop_ids, areas)
        # The seats' rules, on the course as it now is (its new location included): never fewer than
        # the confirmed seats nor more than a room holds; raised, the waiting list moves at once.
        await change_seats(locked, capacity, actor_id=user.id)
        await record_audit_event("course.updated", actor_id=user.id, entity="course", entity_id=course_id)
    return await get_course_detail(user, course_id)


async def publish_course(user: CurrentUser, course_id: int, *, confirm_warnings: bool = False) -> dict[str, Any]:
    """Draft → published: it needs a trainer and at least one scheduled session. On a path taken in
    order, earlier courses with no edition to take first are warnings to confirm (``path_order``)."""
    await get_manageable_course(user, course_id)
    async with write_transaction():
        await lock_course(course_id)
        access = await load_course_facts(course_id)
        if access.status != CourseStatus.DRAFT:
            raise InvalidState(N_("Si pubblica solo un corso in bozza."))
        errors: dict[str, str] = {}
        if not access.trainer_ids:
            errors["trainer_ids"] = N_("Indica almeno un formatore prima di pubblicare.")
        if not await Session.exists().where((Session.course == course_id) & (Session.status == SessionStatus.SCHEDULED)):
            errors["sessions"] = N_("Aggiungi almeno un incontro prima di pubblicare.")
        if errors:
            raise ValidationFailed(N_("Il corso non è ancora pronto per essere pubblicato."), errors=errors)
        await check_minimum_hours(course_id)  # a safety course: its type's minimum hours (409)
        warnings = await course_publishing_warnings(course_id)
        if warnings and not confirm_warnings:
            raise Conflict(N_("Prima di pubblicare leggi gli avvisi e confermali."), issues=warnings)
        await Course.update({Course.status: CourseStatus.PUBLISHED.value, Course.updated_at: utcnow()}).where(
            Course.id == course_id)
        await record_audit_event("course.published", actor_id=user.id, entity="course", entity_id=course_id)
    return await get_course_detail(user, course_id)


async def cancel_course(user: CurrentUser, course_id: int, reason: str = "") -> dict[str, Any]:
    """Published → cancelled, in one transaction under the course's lock.

    Its future sessions are cancelled (calendars show them cancelled; the course keeps its dates), and
    so is every live enrolment — confirmed, waiting or still to be approved — so nobody is left with a
    seat, a waiting-list place (no promotion can happen: the course is no longer published) or a request
    in a course that will not run. Everyone who had one is told once; confirmed participants also get
    the cancellation of the sessions for their calendar (METHOD:CANCEL). Personal feeds keep showing
    the cancelled sessions for 30 days (the enrolment stays, cancelled, with its ``confirmed_at``)."""
    await get_manageable_course(user, course_id)
    reason = clean_text(reason)
    async with write_transaction():
        row = await lock_course(course_id)
        if row["status"] == CourseStatus.DRAFT:
            raise InvalidState(N_("Una bozza non si annulla: eliminala."))
        if row["status"] != CourseStatus.PUBLISHED:
            raise InvalidState(N_("Il corso è già annullato o concluso."))
        now = utcnow()
        cancelled = await Session.update({
            Session.status: SessionStatus.CANCELLED.value, Session.cancelled_at: now, Session.updated_at: now,
            Session.sequence: Session.sequence + 1,
        }).where(
            (Session.course == course_id) & (Session.status == SessionStatus.SCHEDULED) & (Session.ends_at > now)
        ).returning(Session.id)
        await Course.update({Course.status: CourseStatus.CANCELLED.value, Course.cancelled_reason: reason,
                             Course.updated_at: now}).where(Course.id == course_id)
        cancelled_ids = {r["id"] for r in cancelled}
        told = await notify_course_cancelled(course_id, row["title"], reason, cancelled_ids)
        ended = await Enrolment.update({
            Enrolment.status: EnrolmentStatus.CANCELLED.value, Enrolment.cancelled_at: now,
            Enrolment.cancelled_by: user.id, Enrolment.cancel_reason: reason, Enrolment.updated_at: now,
        }).where(
            (Enrolment.course == course_id) & Enrolment.status.is_in([s.value for s in LIVE_ENROLMENT_STATUSES])
        ).returning(Enrolment.id)
        await record_audit_event("course.cancelled", actor_id=user.id, entity="course", entity_id=course_id,
                                 reason=reason, data={"sessions": len(cancelled_ids), "enrolments": len(ended),
                                                      "notified": told})
    return await get_course_detail(user, course_id)


async def complete_course(user: CurrentUser, course_id: int) -> dict[str, Any]:
    """Published → completed, once its last session has ended."""
    await get_manageable_course(user, course_id)
    async with write_transaction():
        row = await lock_course(course_id)
        if row["status"] != CourseStatus.PUBLISHED:
            raise InvalidState(N_("Si conclude solo un corso pubblicato."))
        if row["ends_at"] is None or row["ends_at"] > utcnow():
            raise InvalidState(N_("Il corso si può chiudere solo dopo il suo ultimo incontro."))
        await Course.update({Course.status: CourseStatus.COMPLETED.value, Course.updated_at: utcnow()}).where(
            Course.id == course_id)
        await record_audit_event("course.completed", actor_id=user.id, entity="course", entity_id=course_id)
    return await get_course_detail(user, course_id)


async def delete_draft_course(user: CurrentUser, course_id: int) -> None:
    """A draft nobody has seen can be removed altogether (with its sessions)."""
    await get_manageable_course(user, course_id)
    async with write_transaction():
        row = await lock_course(course_id)
        if row["status"] != CourseStatus.DRAFT:
            raise InvalidState(N_("Si elimina solo un corso in bozza; un corso pubblicato si annulla."))
        if await Enrolment.exists().where(Enrolment.course == course_id):
            raise InvalidState(N_("Il corso ha delle iscrizioni: non si può eliminare."))
        await Course.update({Course.copied_from: None}).where(Course.copied_from == course_id)
        await Course.delete().where(Course.id == course_id)
        await record_audit_event("course.deleted", actor_id=user.id, entity="course", entity_id=course_id)


async def copy_course(
    user: CurrentUser, course_id: int, *, first_day: date | str | None = None, confirm_warnings: bool = False,
    title: str | None = None, funder_plan_code: str | None = None,
) -> dict[str, Any]:
    """A new edition: a draft with everything but the dates.

    ``title`` and ``funder_plan_code``, when given, replace the source's (the page suggests
    "… (2ª edizione)" and an empty code: a funder's plan code belongs to one edition); None keeps them.

    Without ``first_day`` the copy has no sessions and no enrolment dates. With it, the scheduled
    sessions are copied too, moved so the first falls on ``first_day``, same weekdays distance and
    same Rome wall-clock times, places and topics; the scheduling checks apply as for a series.
    """
    source = await get_manageable_course_detail(user, course_id)  # managers see the online links too
    errors: dict[str, str] = {}
    day = parse_day(first_day, "first_day", errors) if first_day not in (None, "") else None
    new_title = source["title"] if title is None else single_line(title, "title", errors, max_length=200)
    if title is not None and not new_title and "title" not in errors:
        errors["title"] = N_("Indica il titolo del corso.")
    funder = source["funder_plan_code"] if funder_plan_code is None else (
        single_line(funder_plan_code, "funder_plan_code", errors, max_length=60) or None)
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    sessions = [s for s in source["sessions"] if s["status"] == SessionStatus.SCHEDULED]
    planned: list[dict[str, Any]] = []
    if day is not None and sessions:
        shift = day - to_rome(sessions[0]["starts_at"]).date()
        for s in sessions:
            start_local, end_local = to_rome(s["starts_at"]), to_rome(s["ends_at"])
            starts = rome_wall_clock(start_local.date() + shift, start_local.time())
            ends = rome_wall_clock(end_local.date() + shift, end_local.time())
            planned.append({"starts_at": starts, "ends_at": ends,
                            "location_id": s["location"]["id"] if s["location"] else None,
                            "online_url": s["online_url"], "topics": s["topics"],
                            "trainer_id": s["trainer"]["id"] if s["trainer"] else None})
    async with write_transaction():
        values = {
            Course.path: source["path"]["id"], Course.title: new_title, Course.description: source["description"],
            Course.capacity: source["capacity"], Course.delivery_mode: source["delivery_mode"],
            Course.location: source["location"]["id"] if source["location"] else None,
            Course.requires_approval: source["requires_approval"],
            Course.attendance_threshold: source["attendance_threshold"],
            Course.funder_plan_code: funder, Course.status: CourseStatus.DRAFT.value,
            Course.safety_course_type: source["safety_course_type"],
            Course.final_test_required: source["final_test_required"],
            Course.copied_from: course_id, Course.created_by: user.id, Course.position: source["position"],
        }
        copy = Course(**{column._meta.name: value for column, value in values.items()})
        await copy.save()
        await _replace_links(copy.id, [t["id"] for t in source["trainers"]],
                             [c["id"] for c in source["eligible_cooperatives"]], source["eligible_areas"])
        if planned:
            await place_sessions(copy.id, planned, confirm_warnings=confirm_warnings, viewer=user)
        await record_audit_event("course.copied", actor_id=user.id, entity="course", entity_id=copy.id,
                                 data={"from": course_id})
    return await get_course_detail(user, copy.id)
