"""JSON API: enrolling, cancelling, approving, the participant list, one's own enrolments,
accessibility needs. Rules and permissions live in the services
(``actions``, ``lists``, ``needs``); errors become problem+json."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from training_hub.core.timeutil import iso_rome
from training_hub.enrolment.actions import (
    approve_enrolment,
    cancel_enrolment,
    change_capacity,
    enrol_person,
    reject_enrolment,
)
from training_hub.enrolment.lists import list_course_enrolments, my_enrolments
from training_hub.enrolment.needs import NeedsInput, get_accessibility_needs, set_accessibility_needs
from training_hub.web.auth import CurrentUser, provide_user, requires_login


class EnrolIn(msgspec.Struct, forbid_unknown_fields=True):
    person_id: int | None = None
    confirm_warnings: bool = False


class EnrolmentOut(msgspec.Struct):
    id: int
    status: str
    waitlist_position: int | None


class ReasonIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str = ""


class CapacityIn(msgspec.Struct, forbid_unknown_fields=True):
    capacity: int


class NeedsIn(msgspec.Struct, forbid_unknown_fields=True):
    step_free_access: bool = False
    interpreter: bool = False
    easy_read: bool = False
    companion: bool = False
    notes: str = ""


def _instants(item: dict[str, Any], *names: str) -> dict[str, Any]:
    return {**item, **{name: iso_rome(item.get(name)) for name in names}}


def _participant(item: dict[str, Any]) -> dict[str, Any]:
    out = _instants(item, "created_at", "confirmed_at", "decided_at", "cancelled_at")
    out.pop("enrolled_by_name", None)
    out.pop("may_cancel", None)
    return out


def _own(item: dict[str, Any]) -> dict[str, Any]:
    return _instants(item, "starts_at", "ends_at", "created_at", "cancellation_deadline")


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

    @get(
        "/courses/{course_id:int}/enrolments",
        summary="Gli iscritti al corso (formatori del corso, ufficio formazione; coordinatori: la propria "
        "cooperativa)",
    )
    async def participants(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int]
    ) -> dict[str, Any]:
        listing = await list_course_enrolments(user, course_id)
        return {
            "course_id": course_id,
            "capacity": listing.course.capacity,
            "seats_taken": listing.seats_taken,
            "waitlist_length": listing.waitlist_length,
            "items": [_participant(item) for item in listing.items()],
        }

    @post(
        "/courses/{course_id:int}/capacity",
        status_code=HTTP_200_OK,
        summary="Cambia i posti del corso; se aumentano, la lista d'attesa avanza subito",
    )
    async def capacity(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[CapacityIn]
    ) -> dict[str, Any]:
        return await change_capacity(user, course_id, data.capacity)

    @post("/enrolments/{enrolment_id:int}/cancel", status_code=HTTP_200_OK, summary="Annulla un'iscrizione")
    async def cancel(
        self,
        user: NamedDependency[CurrentUser],
        enrolment_id: FromPath[int],
        data: JSONBody[ReasonIn | None] = None,
    ) -> dict[str, Any]:
        result = await cancel_enrolment(user, enrolment_id, (data or ReasonIn()).reason)
        return {**result.as_dict(), "promoted": result.promoted}

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
    async def mine(self, user: NamedDependency[CurrentUser]) -> list[dict[str, Any]]:
        return [_own(item) for item in await my_enrolments(user)]

    @get(
        "/people/{person_id:int}/accessibility-needs",
        summary="Necessità di accessibilità (solo la persona, il suo tutor, i formatori dei suoi corsi, "
        "l'ufficio)",
    )
    async def needs(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> dict[str, Any]:
        return _instants(await get_accessibility_needs(user, person_id), "updated_at")

    @put(
        "/people/{person_id:int}/accessibility-needs",
        summary="Registra le necessità di accessibilità (la persona, il suo tutor, l'ufficio)",
    )
    async def set_needs(
        self, user: NamedDependency[CurrentUser], person_id: FromPath[int], data: JSONBody[NeedsIn]
    ) -> dict[str, Any]:
        needs = NeedsInput(**msgspec.structs.asdict(data))
        return _instants(await set_accessibility_needs(user, person_id, needs), "updated_at")


ROUTES = [EnrolmentsApi]
