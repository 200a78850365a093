"""Pages of a person's data: their own download on the profile, and the office's export and erasure."""

from __future__ import annotations

import json
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template

from training_hub.core.errors import DomainError
from training_hub.core.i18n import gettext
from training_hub.directory.service import get_person
from training_hub.privacy.document import MEDIA_TYPE, personal_data_pdf
from training_hub.privacy.erasure import erase_person
from training_hub.privacy.export import personal_data
from training_hub.privacy.schemas import report_out
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_login
from training_hub.web.responses import form_dict, page

DEPENDENCIES = {"user": Provide(provide_user, sync_to_thread=False)}


def _download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(content=content, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",
    })


class PersonalDataFiles(Controller):
    """The downloads, for the person themself and for the office (the service decides who)."""

    path = "/people"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/{person_id:int}/data.json", name="personal_data_json")
    async def as_json(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Response[bytes]:
        data = await personal_data(user, person_id)
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        return _download(body, "application/json", f"dati-personali-{person_id}.json")

    @get("/{person_id:int}/data.pdf", name="personal_data_pdf")
    async def as_pdf(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Response[bytes]:
        return _download(personal_data_pdf(await personal_data(user, person_id)), MEDIA_TYPE,
                         f"dati-personali-{person_id}.pdf")


class PrivacyPages(Controller):
    """The office's page for one person: export, and erasure after an explicit confirmation."""

    path = "/people/{person_id:int}/privacy"
    guards = [requires_admin]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/", name="person_privacy")
    async def show(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Template:
        return page("privacy/person.html", person=await get_person(user, person_id), errors={}, report=None)

    @post("/erase", name="person_erase")
    async def erase(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                    person_id: FromPath[int]) -> Template:
        data = await form_dict(request)
        person = await get_person(user, person_id)
        if data.get("confirm") != "yes":
            errors = {"confirm": gettext("Conferma di aver ricevuto e verificato la richiesta della persona.")}
            return page("privacy/person.html", status_code=400, person=person, errors=errors, report=None)
        try:
            report = report_out(await erase_person(user, person_id))
        except DomainError as exc:
            return page("privacy/person.html", status_code=exc.status_code, person=person,
                        errors={"confirm": exc.detail}, report=None)
        return page("privacy/person.html", person=await get_person(user, person_id), errors={}, report=report)


ROUTES: list[Any] = [PersonalDataFiles, PrivacyPages]
