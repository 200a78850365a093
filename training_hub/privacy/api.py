"""GDPR API: ``GET /api/people/{id}/export`` (art. 15 and 20) and ``POST /api/people/{id}/erase`` (art. 17)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK

from training_hub.core.schemas import to_struct
from training_hub.privacy.erasure import erase_person
from training_hub.privacy.export import personal_data
from training_hub.privacy.schemas import ErasureReport, PersonalData, report_out
from training_hub.web.auth import CurrentUser, provide_user, requires_login


class PrivacyApi(Controller):
    path = "/api/people"
    tags = ["privacy"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/{person_id:int}/export", summary="I dati di una persona (GDPR art. 15 e 20: la persona stessa, l'ufficio)")
    async def export(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> PersonalData:
        return to_struct(await personal_data(user, person_id), PersonalData)

    @post("/{person_id:int}/erase", status_code=HTTP_200_OK,
          summary="Cancella i dati di una persona, tranne quanto la legge impone di conservare (GDPR art. 17)")
    async def erase(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> ErasureReport:
        return report_out(await erase_person(user, person_id))


ROUTES: list[Any] = [PrivacyApi]
