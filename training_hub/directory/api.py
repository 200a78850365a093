"""JSON API: cooperatives and people."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from training_hub.core.schemas import Page, to_struct
from training_hub.directory import headcounts, imports, service
from training_hub.directory.schemas import (
    Cooperative,
    CooperativeIn,
    CooperativePatch,
    Headcount,
    HeadcountIn,
    ImportResult,
    InvitationSent,
    Person,
    PersonIn,
    PersonPatch,
)
from training_hub.directory.service import CooperativeInput, PersonInput
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_login, requires_role


def _merge(current: dict[str, Any], patch_data: msgspec.Struct) -> dict[str, Any]:
    merged = dict(current)
    for name in patch_data.__struct_fields__:
        value = getattr(patch_data, name)
        if value is not msgspec.UNSET:
            merged[name] = value
    return merged


class CooperativesApi(Controller):
    path = "/api/cooperatives"
    tags = ["cooperatives"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", summary="Le cooperative del consorzio")
    async def list_cooperatives(self) -> list[Cooperative]:
        return to_struct(await service.list_cooperatives(), list[Cooperative])

    @post("/", status_code=HTTP_201_CREATED, guards=[requires_admin], summary="Aggiungi una cooperativa")
    async def create(self, user: NamedDependency[CurrentUser], data: JSONBody[CooperativeIn]) -> Cooperative:
        created = await service.create_cooperative(user, CooperativeInput(**msgspec.structs.asdict(data)))
        return to_struct(created, Cooperative)

    @patch("/{cooperative_id:int}", guards=[requires_admin], summary="Modifica una cooperativa")
    async def update(
        self,
        user: NamedDependency[CurrentUser],
        cooperative_id: FromPath[int],
        data: JSONBody[CooperativePatch],
    ) -> Cooperative:
        current = await service.get_cooperative(cooperative_id)
        merged = _merge(current, data)
        fields = CooperativeInput.__dataclass_fields__
        result = await service.update_cooperative(
            user, cooperative_id, CooperativeInput(**{name: value for name, value in merged.items() if name in fields}))
        return to_struct(result, Cooperative)

    @get("/{cooperative_id:int}/headcount", summary="Il personale della cooperativa per anno")
    async def headcounts(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int]) -> list[Headcount]:
        return to_struct(await headcounts.list_headcounts(user, cooperative_id), list[Headcount])

    @put("/{cooperative_id:int}/headcount/{year:int}", guards=[requires_admin],
         summary="Registra il personale della cooperativa in un anno (totale, donne, uomini, svantaggiati)")
    async def save_headcount(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int],
                             year: FromPath[int], data: JSONBody[HeadcountIn]) -> Headcount:
        figures = headcounts.HeadcountInput(**msgspec.structs.asdict(data))
        return to_struct(await headcounts.save_headcount(user, cooperative_id, year, figures), Headcount)


class PeopleApi(Controller):
    path = "/api/people"
    tags = ["people"]  # noqa: RUF012
    guards = [requires_role("admin", "coordinator")]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", summary="Elenco delle persone (coordinatori: solo la propria cooperativa)")
    async def list_people(
        self,
        user: NamedDependency[CurrentUser],
        cooperative_id: FromQuery[int | None] = None,
        role: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        page: FromQuery[int] = 1,
        page_size: FromQuery[int] = 50,
    ) -> Page[Person]:
        items, total = await service.list_people(
            user, cooperative_id=cooperative_id, role=role, q=q, page=page, page_size=page_size
        )
        return to_struct({"items": items, "total": total}, Page[Person])

    @post("/", status_code=HTTP_201_CREATED, summary="Aggiungi una persona")
    async def create(self, user: NamedDependency[CurrentUser], data: JSONBody[PersonIn]) -> Person:
        result = await service.create_person(user, PersonInput(**msgspec.structs.asdict(data)))
        return to_struct(result, Person)

    @post("/import", status_code=HTTP_200_OK, summary="Importa persone da un file CSV o Excel",
          request_max_body_size=imports.MAX_UPLOAD_BYTES + 64 * 1024)
    async def import_people(
        self,
        user: NamedDependency[CurrentUser],
        data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)],
        dry_run: FromQuery[bool] = False,
    ) -> ImportResult:
        """``dry_run=true``: what would be created or updated, and every error by row and field; without
        it the file is imported in one transaction (422 with the errors, nothing written, if any row is
        wrong) and everyone created gets an invitation."""
        content = await data.read()
        run = imports.dry_run if dry_run else imports.import_people
        return to_struct((await run(user, content, data.filename or "")).as_dict(), ImportResult)

    @get("/{person_id:int}", summary="Una persona")
    async def detail(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Person:
        return to_struct(await service.get_person(user, person_id), Person)

    @patch("/{person_id:int}", summary="Modifica una persona")
    async def update(
        self, user: NamedDependency[CurrentUser], person_id: FromPath[int], data: JSONBody[PersonPatch]
    ) -> Person:
        current = await service.get_person(user, person_id)
        merged = _merge(current, data)
        merged.pop("id")
        return to_struct(await service.update_person(user, person_id, PersonInput(**merged)), Person)

    @post("/{person_id:int}/invitation", status_code=HTTP_202_ACCEPTED,
          summary="Invia di nuovo l'invito a scegliere la password")
    async def invitation(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> InvitationSent:
        await service.resend_invitation(user, person_id)
        return InvitationSent(queued=True)


ROUTES = [CooperativesApi, PeopleApi]
