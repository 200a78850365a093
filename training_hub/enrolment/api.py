"""JSON API: enrolling, cancelling, approving, the participant list, one's own enrolments,
accessibility needs. Rules and permissions live in the enrolment modules (eligibility, actions, lists, needs, panel); errors become problem+json."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from training_hub.core.schemas import to_struct
from training_hub.enrolment.actions import (
    approve_enrolment,
    cancel_enrolment,
    change_capacity,
    enrol_person,
    reject_enrolment,
)
from training_hub.enrolment.bulk import bulk_preview, enrol_many
from training_hub.enrolment.lists import list_course_enrolments, my_enrolments
from training_hub.enrolment.messages import course_messages, send_course_message
from training_hub.enrolment.needs import NeedsInput, get_accessibility_needs, set_accessibility_needs
from training_hub.enrolment.schemas import (
    AccessibilityNeedsOut,
    BulkEnrolIn,
    BulkEnrolOut,
    CancelledEnrolment,
    CapacityIn,
    CapacityOut,
    CourseEnrolments,
    CourseMessageIn,
    CourseMessageOut,
    CourseMessageQueued,
    EnrolIn,
    EnrolmentOut,
    NeedsIn,
    OwnEnrolment,
    ReasonIn,
)
from training_hub.web.auth import CurrentUser, provide_user, requires_login


class EnrolmentsApi(Controller):
    path = "/api"
    tags = ["enrolments"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @post(
        "/courses/{course_id:int}/enrolments",
        status_code=HTTP_201_CREATED,
        summary="Iscrivi te stesso (corpo vuoto) o un'altra persona (person_id)",
    )
    async def enrol(
        self,
        user: NamedDependency[CurrentUser],
        course_id: FromPath[int],
        data: JSONBody[EnrolIn | None] = None,
    ) -> EnrolmentOut:
        body = data or EnrolIn()
        result = await enrol_person(
            user, course_id, body.person_id, confirm_warnings=body.confirm_warnings
        )
        return EnrolmentOut(result.id, result.status, result.waitlist_position)

    @post(
        "/courses/{course_id:int}/enrolments/bulk",
        status_code=HTTP_200_OK,
        summary="Iscrivi più persone (ufficio formazione; coordinatori: la propria cooperativa); "
        "dry_run=true dice l'esito di ciascuna senza scrivere nulla",
    )
    async def enrol_bulk(
        self,
        user: NamedDependency[CurrentUser],
        course_id: FromPath[int],
        data: JSONBody[BulkEnrolIn],
        dry_run: FromQuery[bool] = False,
    ) -> BulkEnrolOut:
        action = bulk_preview if dry_run else enrol_many
        result = await action(user, course_id, data.person_ids, confirm_warnings=data.confirm_warnings)
        return to_struct({
            "course_id": course_id,
            "dry_run": dry_run,
            "seats_left": result.seats_left,
            "waitlist_length": result.waitlist_length,
            "results": [line.as_dict() for line in result.lines],
        }, BulkEnrolOut)

    @post(
        "/courses/{course_id:int}/messages",
        status_code=HTTP_202_ACCEPTED,
        summary="Scrivi ai partecipanti del corso (formatori del corso, ufficio formazione): "
        "to = confirmed | waitlisted | all",
    )
    async def send_message(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[CourseMessageIn]
    ) -> CourseMessageQueued:
        return to_struct(await send_course_message(user, course_id, data.subject, data.body, data.to),
                         CourseMessageQueued)

    @get("/courses/{course_id:int}/messages", summary="I messaggi inviati ai partecipanti del corso")
    async def messages(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> list[CourseMessageOut]:
        return to_struct(await course_messages(user, course_id), list[CourseMessageOut])

    @get(
        "/courses/{course_id:int}/enrolments",
        summary="Gli iscritti al corso (formatori del corso, ufficio formazione; coordinatori: la propria "
        "cooperativa)",
    )
    async def participants(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int]
    ) -> CourseEnrolments:
        listing = await list_course_enrolments(user, course_id)
        return to_struct({
            "course_id": course_id,
            "capacity": listing.course.capacity,
            "seats_taken": listing.seats_taken,
            "waitlist_length": listing.waitlist_length,
            "items": listing.items(),
        }, CourseEnrolments)

    @post(
        "/courses/{course_id:int}/capacity",
        status_code=HTTP_200_OK,
        summary="Cambia i posti del corso; se aumentano, la lista d'attesa avanza subito",
    )
    async def capacity(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[CapacityIn]
    ) -> CapacityOut:
        return to_struct(await change_capacity(user, course_id, data.capacity), CapacityOut)

    @post("/enrolments/{enrolment_id:int}/cancel", status_code=HTTP_200_OK, summary="Annulla un'iscrizione")
    async def cancel(
        self,
        user: NamedDependency[CurrentUser],
        enrolment_id: FromPath[int],
        data: JSONBody[ReasonIn | None] = None,
    ) -> CancelledEnrolment:
        result = await cancel_enrolment(user, enrolment_id, (data or ReasonIn()).reason)
        return CancelledEnrolment(result.id, result.status, result.waitlist_position, list(result.promoted))

    @post("/enrolments/{enrolment_id:int}/approve", status_code=HTTP_200_OK, summary="Approva una richiesta")
    async def approve(
        self,
        user: NamedDependency[CurrentUser],
        enrolment_id: FromPath[int],
        data: JSONBody[ReasonIn | None] = None,
    ) -> EnrolmentOut:
        result = await approve_enrolment(user, enrolment_id, (data or ReasonIn()).reason)
        return EnrolmentOut(result.id, result.status, result.waitlist_position)

    @post(
        "/enrolments/{enrolment_id:int}/reject",
        status_code=HTTP_200_OK,
        summary="Respingi una richiesta (il motivo è obbligatorio)",
    )
    async def reject(
        self, user: NamedDependency[CurrentUser], enrolment_id: FromPath[int], data: JSONBody[ReasonIn]
    ) -> EnrolmentOut:
        result = await reject_enrolment(user, enrolment_id, data.reason)
        return EnrolmentOut(result.id, result.status, result.waitlist_position)

    @get("/me/enrolments", summary="Le mie iscrizioni, con la posizione in lista d'attesa")
    async def mine(self, user: NamedDependency[CurrentUser]) -> list[OwnEnrolment]:
        return to_struct(await my_enrolments(user), list[OwnEnrolment])

    @get(
        "/people/{person_id:int}/accessibility-needs",
        summary="Necessità di accessibilità (solo la persona, il suo tutor, i formatori dei suoi corsi, "
        "l'ufficio)",
    )
    async def needs(
        self, user: NamedDependency[CurrentUser], person_id: FromPath[int]
    ) -> AccessibilityNeedsOut:
        return to_struct(await get_accessibility_needs(user, person_id), AccessibilityNeedsOut)

    @put(
        "/people/{person_id:int}/accessibility-needs",
        summary="Registra le necessità di accessibilità (la persona, il suo tutor, l'ufficio)",
    )
    async def set_needs(
        self, user: NamedDependency[CurrentUser], person_id: FromPath[int], data: JSONBody[NeedsIn]
    ) -> AccessibilityNeedsOut:
        needs = NeedsInput(**msgspec.structs.asdict(data))
        return to_struct(await set_accessibility_needs(user, person_id, needs), AccessibilityNeedsOut)


ROUTES = [EnrolmentsApi]
