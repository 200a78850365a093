"""JSON API of a person's safety record: the roles held and the attestati obtained elsewhere.

``PUT /api/people/{id}/safety-roles`` replaces the whole list; external attestati are created, listed,
corrected (PATCH) and deleted, and their scanned PDF is uploaded with ``PUT …/scan`` (multipart, field
``data``) and downloaded from ``/people/{id}/safety-record/attestati/{tid}/scan.pdf``. Who may do what is
the services' business (``records.py``). Beside ``api.py`` because the status half of the scadenzario
extends that module at the same time (issue 16).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from training_hub.core.schemas import to_struct
from training_hub.safety import external_trainings as trainings
from training_hub.safety import records
from training_hub.safety.record_schemas import (
    ExternalTrainingIn,
    ExternalTrainingOut,
    ExternalTrainingPatch,
    SafetyRoleIn,
    SafetyRoleOut,
)
from training_hub.web.auth import CurrentUser, provide_user, requires_login

SCAN_BODY_LIMIT = trainings.MAX_SCAN_BYTES + 64 * 1024


def _training_input(current: dict[str, Any], patch_data: msgspec.Struct) -> trainings.ExternalTrainingInput:
    values = {"course_type": current["course_type"], "completed_on": current["completed_on"],
              "hours": current["minutes"] / 60, "provider": current["provider"],
              "certificate_number": current["certificate_number"]}
    for name in patch_data.__struct_fields__:
        value = getattr(patch_data, name)
        if value is not msgspec.UNSET:
            values[name] = value
    return trainings.ExternalTrainingInput(**values)


class SafetyRecordApi(Controller):
    path = "/api/people/{person_id:int}"
    tags = ["safety"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/safety-roles", summary="Ruoli per la sicurezza della persona, con la data di nomina")
    async def roles(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> list[SafetyRoleOut]:
        return to_struct(await records.list_safety_roles(user, person_id), list[SafetyRoleOut])

    @put("/safety-roles", summary="Sostituisci i ruoli per la sicurezza della persona (l'elenco intero)")
    async def replace_roles(self, user: NamedDependency[CurrentUser], person_id: FromPath[int],
                            data: JSONBody[list[SafetyRoleIn]]) -> list[SafetyRoleOut]:
        roles = [records.RoleInput(role=item.role, level=item.level, since=item.since) for item in data]
        return to_struct(await records.replace_safety_roles(user, person_id, roles), list[SafetyRoleOut])

    @get("/external-training", summary="Attestati sulla sicurezza ottenuti altrove")
    async def trainings(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> list[ExternalTrainingOut]:
        return to_struct(await trainings.list_external_trainings(user, person_id), list[ExternalTrainingOut])

    @post("/external-training", status_code=HTTP_201_CREATED,
          summary="Registra un attestato ottenuto altrove (ufficio formazione)")
    async def record(self, user: NamedDependency[CurrentUser], person_id: FromPath[int],
                     data: JSONBody[ExternalTrainingIn]) -> ExternalTrainingOut:
        created = await trainings.record_external_training(
            user, person_id, trainings.ExternalTrainingInput(**msgspec.structs.asdict(data)))
        return to_struct(created, ExternalTrainingOut)

    @get("/external-training/{training_id:int}", summary="Un attestato ottenuto altrove")
    async def training(self, user: NamedDependency[CurrentUser], person_id: FromPath[int],
                       training_id: FromPath[int]) -> ExternalTrainingOut:
        return to_struct(await trainings.get_external_training(user, person_id, training_id), ExternalTrainingOut)

    @patch("/external-training/{training_id:int}", summary="Correggi un attestato ottenuto altrove")
    async def correct(self, user: NamedDependency[CurrentUser], person_id: FromPath[int], training_id: FromPath[int],
                      data: JSONBody[ExternalTrainingPatch]) -> ExternalTrainingOut:
        current = await trainings.get_external_training(user, person_id, training_id)
        updated = await trainings.update_external_training(user, person_id, training_id, _training_input(current, data))
        return to_struct(updated, ExternalTrainingOut)

    @delete("/external-training/{training_id:int}", status_code=HTTP_204_NO_CONTENT,
            summary="Elimina un attestato registrato per errore")
    async def remove(self, user: NamedDependency[CurrentUser], person_id: FromPath[int], training_id: FromPath[int]) -> None:
        await trainings.delete_external_training(user, person_id, training_id)

    @put("/external-training/{training_id:int}/scan", request_max_body_size=SCAN_BODY_LIMIT,
         summary="Carica la scansione PDF dell'attestato (multipart, campo data; al massimo 5 MB)")
    async def scan(self, user: NamedDependency[CurrentUser], person_id: FromPath[int], training_id: FromPath[int],
                   data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)]) -> ExternalTrainingOut:
        upload = trainings.ScanUpload(await data.read(), data.filename or "")
        return to_struct(await trainings.attach_scan(user, person_id, training_id, upload), ExternalTrainingOut)


ROUTES = [SafetyRecordApi]
