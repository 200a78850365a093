"""JSON API of the safety feature: the course types (reference data, for any logged-in user)."""

from __future__ import annotations

from litestar import Controller, get

from training_hub.safety.course_types import COURSE_TYPES
from training_hub.safety.schemas import CourseTypeOut, course_type_out
from training_hub.web.auth import requires_login


class SafetyReferenceApi(Controller):
    path = "/api/safety"
    tags = ["safety"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012

    @get("/course-types", summary="Tipi di corso sulla sicurezza: durate, aggiornamenti, modalità ammesse")
    async def course_types(self) -> list[CourseTypeOut]:
        return [course_type_out(course) for course in COURSE_TYPES]


ROUTES = [SafetyReferenceApi]
