"""Pages and files of safety courses: the course's attestati (who gets one and why not, the
signature's status) and the course dossier (``/courses/{id}/dossier.zip``, cookie or bearer token)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template

from training_hub.attendance.documents import attachment
from training_hub.core.signing import signing_status
from training_hub.safety.attestati import course_attestati
from training_hub.safety.dossier import course_dossier
from training_hub.safety.retention import DOSSIER_RETENTION_YEARS, SOURCE
from training_hub.web.auth import CurrentUser, provide_user, requires_login
from training_hub.web.responses import page


class SafetyCoursePages(Controller):
    path = "/courses"
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/{course_id:int}/attestati", name="safety_attestati", include_in_schema=False)
    async def attestati(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        overview = await course_attestati(user, course_id)
        return page("safety/attestati.html", overview=overview, course=overview["course"], rows=overview["rows"],
                    signature=signing_status(), retention_years=DOSSIER_RETENTION_YEARS, retention_source=SOURCE)

    @get("/{course_id:int}/dossier.zip", summary="Fascicolo del corso (ZIP, Accordo Stato-Regioni 2025 p. 7)",
         media_type="application/zip", tags=["safety"])
    async def dossier(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Response[Any]:
        content, filename = await course_dossier(user, course_id)
        return Response(content=content, media_type="application/zip", headers=attachment(filename))


ROUTES = [SafetyCoursePages]
