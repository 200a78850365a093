"""JSON API of the safety feature: the course types (reference data, for any logged-in user) and the
refresh tracker (a person's requirements; a cooperative's rows), for who may see them (404 otherwise)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from training_hub.safety.course_types import COURSE_TYPES
from training_hub.safety.schemas import (
    CooperativeSafetyStatusOut,
    CourseTypeOut,
    SafetyStatusOut,
    course_type_out,
    status_out,
)
from training_hub.safety.status import cooperative_status, person_status
from training_hub.web.auth import CurrentUser, provide_user, requires_login

DEPENDENCIES = {"user": Provide(provide_user, sync_to_thread=False)}


class SafetyReferenceApi(Controller):
    path = "/api/safety"
    tags = ["safety"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012

    @get("/course-types", summary="Tipi di corso sulla sicurezza: durate, aggiornamenti, modalità ammesse")
    async def course_types(self) -> list[CourseTypeOut]:
        return [course_type_out(course) for course in COURSE_TYPES]


class PersonSafetyStatusApi(Controller):
    path = "/api/people"
    tags = ["safety"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/{person_id:int}/safety-status",
         summary="Formazione obbligatoria di una persona: stato, scadenza e ore per requisito")
    async def person(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> list[SafetyStatusOut]:
        overview = await person_status(user, person_id)
        return [status_out(row, SafetyStatusOut) for row in overview["rows"]]


class CooperativeSafetyStatusApi(Controller):
    path = "/api/cooperatives"
    tags = ["safety"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/{cooperative_id:int}/safety-status",
         summary="Scadenzario della cooperativa: una riga per persona e requisito, prima i mancanti e gli scaduti")
    async def cooperative(self, user: NamedDependency[CurrentUser],
                          cooperative_id: FromPath[int]) -> list[CooperativeSafetyStatusOut]:
        overview = await cooperative_status(user, cooperative_id)
        return [status_out(row, CooperativeSafetyStatusOut) for row in overview["rows"]]


ROUTES = [SafetyReferenceApi, PersonSafetyStatusApi, CooperativeSafetyStatusApi]
