"""Survey pages: a participant answers; the office edits the questions and follows who has answered."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from training_hub.core.errors import DomainError
from training_hub.core.i18n import N_, gettext, ngettext
from training_hub.core.tables import QuestionKind
from training_hub.surveys import answering, lifecycle, questions, results
from training_hub.surveys.questions import QuestionUpdate
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_login
from training_hub.web.responses import flash, form_dict, form_errors, page, redirect

RATING_LABELS = {
    1: N_("per niente"),
    2: N_("poco"),
    3: N_("abbastanza"),
    4: N_("molto"),
    5: N_("moltissimo"),
}


def question_text(text: str) -> str:
    """A question as shown: the default questions' texts are msgids (translated), the office's own
    texts come back unchanged. A plain string, so the template escapes it; ``_()`` would not, and
    would read a "%" in the text as a placeholder."""
    return gettext(text)


class SurveyPages(Controller):
    path = "/surveys"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", name="my_surveys")
    async def list_surveys(self, user: NamedDependency[CurrentUser]) -> Template:
        return page("surveys/list.html", surveys=await answering.my_surveys(user))

    @get("/{survey_id:int}", name="survey")
    async def answer_form(self, user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> Template:
        survey = await answering.survey_for_participant(user, survey_id)
        return page("surveys/answer.html", survey=survey, values={}, errors={}, rating_labels=RATING_LABELS,
                    question_text=question_text)

    @post("/{survey_id:int}", name="survey_submit")
    async def submit(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], survey_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        answers = {key[2:]: value for key, value in data.items() if key.startswith("q_")}
        try:
            await answering.submit_response(user, survey_id, answers)
        except DomainError as exc:
            survey = await answering.survey_for_participant(user, survey_id)
            return page("surveys/answer.html", status_code=exc.status_code, survey=survey, values=answers,
                        errors=form_errors(exc), rating_labels=RATING_LABELS, question_text=question_text)
        flash(request, gettext("Grazie! La tua risposta è stata registrata in forma anonima."))
        return redirect(f"/surveys/{survey_id}")


def _question_updates(data: dict[str, Any], questions: list[dict[str, Any]]) -> list[QuestionUpdate]:
    updates = []
    for question in questions:
        qid = question["id"]
        updates.append(QuestionUpdate(
            id=qid,
            text=str(data.get(f"text_{qid}", question["text"])),
            position=str(data.get(f"position_{qid}", "")),  # read by the service; empty keeps the place
            active=data.get(f"active_{qid}") == "on",
        ))
    return updates


class SurveyAdminPages(Controller):
    path = "/admin/surveys"
    guards = [requires_admin]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _page(self, user: CurrentUser, *, errors: dict[str, str] | None = None, status: int = 200,
                    values: dict[str, Any] | None = None) -> Template:
        return page(
            "surveys/admin.html", status_code=status,
            questions=await questions.list_questions(), surveys=await results.surveys_overview(user),
            errors=errors or {}, values=values or {}, kinds=[k.value for k in QuestionKind],
            min_responses=results.MIN_RESPONSES, open_days=lifecycle.OPEN_DAYS,
            remind_after=lifecycle.REMIND_AFTER_DAYS,
        )

    @get("/", name="admin_surveys")
    async def overview(self, user: NamedDependency[CurrentUser]) -> Template:
        return await self._page(user)

    @post("/questions", name="admin_survey_questions")
    async def save_questions(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await questions.save_questions(user, _question_updates(data, await questions.list_questions()))
        except DomainError as exc:
            return await self._page(user, errors=form_errors(exc), status=exc.status_code, values=data)
        flash(request, gettext("Domande salvate."))
        return redirect("/admin/surveys")

    @post("/questions/new", name="admin_survey_question_new")
    async def add_question(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await questions.add_question(user, str(data.get("new_text", "")), str(data.get("new_kind", "")))
        except DomainError as exc:
            return await self._page(user, errors=form_errors(exc), status=exc.status_code, values=data)
        flash(request, gettext("Domanda aggiunta."))
        return redirect("/admin/surveys")

    @get("/{survey_id:int}", name="admin_survey")
    async def detail(self, user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> Template:
        shown = await results.survey_results(user, survey_id)
        return page("surveys/admin_detail.html", results=shown, missing=await results.not_answered(user, survey_id))

    @post("/{survey_id:int}/remind", name="admin_survey_remind")
    async def remind(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> Redirect:
        try:
            sent = await lifecycle.send_reminder(user, survey_id)
        except DomainError as exc:
            flash(request, exc.detail, "error")
        else:
            flash(request, ngettext("Promemoria inviato a %(num)d persona.", "Promemoria inviato a %(num)d persone.",
                                    sent) % {"num": sent})
        return redirect(f"/admin/surveys/{survey_id}")

    @post("/{survey_id:int}/close", name="admin_survey_close")
    async def close(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> Redirect:
        try:
            await lifecycle.close_survey(user, survey_id)
        except DomainError as exc:
            flash(request, exc.detail, "error")
        else:
            flash(request, gettext("Questionario chiuso."))
        return redirect(f"/admin/surveys/{survey_id}")


ROUTES = [SurveyPages, SurveyAdminPages]
