"""JSON API: cooperatives and people."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from training_hub.directory import service
from training_hub.directory.service import CooperativeInput, PersonInput
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_login, requires_role


class CooperativeIn(msgspec.Struct):
    name: str
    province: str
    tax_code: str | None = None
    comune: str = ""
    areas: list[str] = msgspec.field(default_factory=list)
    active: bool = True


class CooperativePatch(msgspec.Struct):
    name: str | msgspec.UnsetType = msgspec.UNSET
    province: str | msgspec.UnsetType = msgspec.UNSET
    tax_code: str | None | msgspec.UnsetType = msgspec.UNSET
    comune: str | msgspec.UnsetType = msgspec.UNSET
    areas: list[str] | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class PersonIn(msgspec.Struct):
    full_name: str
    email: str
    roles: list[str] = msgspec.field(default_factory=lambda: ["worker"])
    cooperative_id: int | None = None
    codice_fiscale: str | None = None
    area: str | None = None
    active: bool = True
    password: str | None = None


class PersonPatch(msgspec.Struct):
    full_name: str | msgspec.UnsetType = msgspec.UNSET
    email: str | msgspec.UnsetType = msgspec.UNSET
    roles: list[str] | msgspec.UnsetType = msgspec.UNSET
    cooperative_id: int | None | msgspec.UnsetType = msgspec.UNSET
    codice_fiscale: str | None | msgspec.UnsetType = msgspec.UNSET
    area: str | None | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


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
    async def list_cooperatives(self) -> list[dict[str, Any]]:
        return await service.list_cooperatives()

    @post("/", status_code=HTTP_201_CREATED, guards=[requires_admin], summary="Aggiungi una cooperativa")
    async def create(self, user: NamedDependency[CurrentUser], data: JSONBody[CooperativeIn]) -> dict[str, Any]:
        return await service.create_cooperative(user, CooperativeInput(**msgspec.structs.asdict(data)))

    @patch("/{cooperative_id:int}", guards=[requires_admin], summary="Modifica una cooperativa")
    async def update(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int], data: JSONBody[CooperativePatch]) -> dict[str, Any]:
        current = await service.get_cooperative(cooperative_id)
        merged = _merge(current, data)
        merged.pop("id")
        return await service.update_cooperative(user, cooperative_id, CooperativeInput(**merged))


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
    ) -> dict[str, Any]:
        items, total = await service.list_people(
            user, cooperative_id=cooperative_id, role=role, q=q, page=page, page_size=page_size
        )
        return {"items": items, "total": total}

    @post("/", status_code=HTTP_201_CREATED, summary="Aggiungi una persona")
    async def create(self, user: NamedDependency[CurrentUser], data: JSONBody[PersonIn]) -> dict[str, Any]:
        return await service.create_person(user, PersonInput(**msgspec.structs.asdict(data)))

    @get("/{person_id:int}", summary="Una persona")
    async def detail(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> dict[str, Any]:
        return await service.get_person(user, person_id)

    @patch("/{person_id:int}", summary="Modifica una persona")
    async def update(self, user: NamedDependency[CurrentUser], person_id: FromPath[int], data: JSONBody[PersonPatch]) -> dict[str, Any]:
        current = await service.get_person(user, person_id)
        merged = _merge(current, data)
        merged.pop("id")
        return await service.update_person(user, person_id, PersonInput(**merged))


ROUTES = [CooperativesApi, PeopleApi]
