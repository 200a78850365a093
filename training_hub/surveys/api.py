"""JSON API of surveys: a participant reads and answers their survey; results for office and trainers.

No endpoint returns a response's id or anything linking an answer to a person.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from training_hub.reports.web import as_json
from training_hub.surveys import answering
from training_hub.surveys.results import survey_results
from training_hub.web.auth import CurrentUser, provide_user, requires_login


class ResponseIn(msgspec.Struct):
    """Question code → a rating from 1 to 5, or a comment for free-text questions."""

    answers: dict[str, int | str]


class SurveysApi(Controller):
    path = "/api/surveys"
    tags = ["surveys"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", summary="I questionari a cui sono invitato")
    async def mine(self, user: NamedDependency[CurrentUser]) -> list[dict[str, Any]]:
        return as_json(await answering.my_surveys(user))

    @get("/{survey_id:int}", summary="Un questionario da compilare (solo per chi è invitato)")
    async def detail(self, user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> dict[str, Any]:
        return as_json(await answering.survey_for_participant(user, survey_id))

    @post("/{survey_id:int}/responses", status_code=HTTP_201_CREATED,
          summary="Rispondi (una volta sola; la risposta è anonima)")
    async def respond(self, user: NamedDependency[CurrentUser], survey_id: FromPath[int],
                      data: JSONBody[ResponseIn]) -> dict[str, str]:
        await answering.submit_response(user, survey_id, dict(data.answers))
        return {"status": "recorded"}

    @get("/{survey_id:int}/results",
         summary="Risultati aggregati (ufficio e formatori del corso; solo a questionario chiuso con almeno 5 risposte)")
    async def results(self, user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> dict[str, Any]:
        return as_json(await survey_results(user, survey_id))


ROUTES = [SurveysApi]
