"""Pages and files of safety courses: the course's attestati (who gets one and why not, the
signature's status) and the course dossier (``/courses/{id}/dossier.zip``, cookie or bearer token);
the refresh tracker: the person's own "La mia formazione obbligatoria" (``/my/safety``, and
``/people/{id}/safety-status`` for their coordinators and the office), the cooperative's list
(``/cooperatives/{id}/safety-status`` and ``.xlsx``) and the office's (``/safety/status`` and ``.xlsx``).
Who sees what is the service's rule (``safety/status.py``): anyone else gets 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from training_hub.attendance.documents import attachment
from training_hub.core.db import form_id
from training_hub.core.i18n import gettext
from training_hub.core.signing import signing_status
from training_hub.directory.service import list_cooperatives
from training_hub.safety import due
from training_hub.safety.attestati import course_attestati
from training_hub.safety.dossier import course_dossier
from training_hub.safety.retention import DOSSIER_RETENTION_YEARS, SOURCE
from training_hub.safety.status import (
    OfficeFilters,
    cooperative_status,
    office_export_rows,
    office_status,
    person_status,
    today_in_rome,
)
from training_hub.safety.status_export import XLSX, export_filename, status_xlsx
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




DEPENDENCIES = {"user": Provide(provide_user, sync_to_thread=False)}
LABELS = {"status_labels": due.STATUS_LABELS, "requirement_labels": due.REQUIREMENT_LABELS}


def _person_page(overview: dict[str, Any], *, own: bool) -> Template:
    return page("safety/status_person.html", overview=overview, person=overview["person"], rows=overview["rows"],
                own=own, **LABELS)


class MySafetyPages(Controller):
    path = "/my/safety"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/", name="my_safety_status")
    async def mine(self, user: NamedDependency[CurrentUser]) -> Template:
        return _person_page(await person_status(user, user.id), own=True)


class PersonSafetyPages(Controller):
    path = "/people/{person_id:int}/safety-status"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/", name="person_safety_status")
    async def person(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Template:
        return _person_page(await person_status(user, person_id), own=person_id == user.id)


class CooperativeSafetyPages(Controller):
    path = "/cooperatives"
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/{cooperative_id:int}/safety-status", name="cooperative_safety_status", include_in_schema=False)
    async def cooperative(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int]) -> Template:
        overview = await cooperative_status(user, cooperative_id)
        return page("safety/status_cooperative.html", overview=overview, cooperative=overview["cooperative"],
                    rows=overview["rows"], **LABELS)

    @get("/{cooperative_id:int}/safety-status.xlsx", summary="Scadenzario della cooperativa (XLSX)",
         media_type=XLSX, tags=["safety"])
    async def cooperative_xlsx(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int]) -> Response[Any]:
        overview = await cooperative_status(user, cooperative_id)
        content = status_xlsx(overview["rows"], title=gettext("Scadenzario"))
        filename = export_filename(f"scadenzario-cooperativa-{cooperative_id}", overview["today"])
        return Response(content=content, media_type=XLSX, headers=attachment(filename))


def _filters(cooperative_id: str | None, status: str | None, requirement: str | None, page_number: str | None
             ) -> OfficeFilters:
    return OfficeFilters(cooperative_id=form_id(cooperative_id), status=status or None,
                         requirement=requirement or None, page=form_id(page_number) or 1).cleaned()


def _query(filters: OfficeFilters, page_number: int | None = None) -> str:
    values = {"cooperative_id": filters.cooperative_id or "", "status": filters.status or "",
              "requirement": filters.requirement or ""}
    if page_number is not None:
        values["page"] = page_number
    return urlencode({key: value for key, value in values.items() if value != ""})


class OfficeSafetyPages(Controller):
    path = "/safety"
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/status", name="office_safety_status", include_in_schema=False)
    async def office(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template:
        q = request.query_params
        filters = _filters(q.get("cooperative_id"), q.get("status"), q.get("requirement"), q.get("page"))
        result = await office_status(user, filters)
        cooperatives = [(c["id"], c["name"]) for c in await list_cooperatives()]
        return page("safety/status_office.html", result=result, rows=result["rows"], filters=result["filters"],
                    cooperatives=cooperatives, query=_query(result["filters"]),
                    status_options=[(code, gettext(label)) for code, label in due.STATUS_LABELS.items()],
                    requirement_options=[(code, gettext(label)) for code, label in due.REQUIREMENT_LABELS.items()],
                    page_query=lambda n: _query(result["filters"], n), **LABELS)

    @get("/status.xlsx", summary="Scadenzario di tutte le cooperative, con i filtri della pagina (XLSX)",
         media_type=XLSX, tags=["safety"])
    async def office_xlsx(self, user: NamedDependency[CurrentUser], cooperative_id: FromQuery[str | None] = None,
                          status: FromQuery[str | None] = None, requirement: FromQuery[str | None] = None
                          ) -> Response[Any]:
        rows = await office_export_rows(user, _filters(cooperative_id, status, requirement, None))
        content = status_xlsx(rows, title=gettext("Scadenzario"))
        return Response(content=content, media_type=XLSX,
                        headers=attachment(export_filename("scadenzario", today_in_rome())))


ROUTES = [SafetyCoursePages, MySafetyPages, PersonSafetyPages, CooperativeSafetyPages, OfficeSafetyPages]
