"""JSON API of surveys: a participant reads and answers their survey; results for office and trainers.

No endpoint returns a response's id or anything linking an answer to a person.
"""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from training_hub.core.schemas import to_struct
from training_hub.surveys.answering import my_surveys, submit_response, survey_for_participant
from training_hub.surveys.results import survey_results
from training_hub.surveys.schemas import (
    ResponseIn,
    ResponseRecorded,
    SurveyForm,
    SurveyInvitation,
    SurveyResults,
)
from training_hub.web.auth import CurrentUser, provide_user, requires_login


class SurveysApi(Controller):
    path = "/api/surveys"
    tags = ["surveys"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", summary="I questionari a cui sono invitato")
    async def mine(self, user: NamedDependency[CurrentUser]) -> list[SurveyInvitation]:
        return to_struct(await my_surveys(user), list[SurveyInvitation])

    @get("/{survey_id:int}", summary="Un questionario da compilare (solo per chi è invitato)")
    async def detail(self, user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> SurveyForm:
        return to_struct(await survey_for_participant(user, survey_id), SurveyForm)

    @post("/{survey_id:int}/responses", status_code=HTTP_201_CREATED,
          summary="Rispondi (una volta sola; la risposta è anonima)")
    async def respond(self, user: NamedDependency[CurrentUser], survey_id: FromPath[int],
                      data: JSONBody[ResponseIn]) -> ResponseRecorded:
        await submit_response(user, survey_id, dict(data.answers))
        return ResponseRecorded(status="recorded")

    @get("/{survey_id:int}/results",
         summary="Risultati aggregati (ufficio e formatori del corso; solo a questionario chiuso con almeno 5 risposte)")
    async def results(self, user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> SurveyResults:
        return to_struct(await survey_results(user, survey_id), SurveyResults)


ROUTES = [SurveysApi]
