"""Final-test pages: the participant takes the test on a phone; the trainer writes it, copies the last
edition's, follows the results, enters paper scores and grants another attempt. No JavaScript needed.

* ``/courses/{id}/final-test`` — the participant's page (one form, a radio button or check boxes per
  question); who manages the course is sent to the results page.
* ``/courses/{id}/final-test/edit`` — the editor (numbered question blocks, :mod:`.editor_form`).
* ``/courses/{id}/final-test/results`` — results, paper scores, another attempt, the report.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from training_hub.assessment import authoring, results, taking
from training_hub.assessment.editor_form import (
    NEW_BLOCKS,
    errors_by_block,
    form_from_post,
    form_from_test,
    questions_from_post,
)
from training_hub.assessment.results import PaperResult
from training_hub.assessment.scoring import MAX_QUESTIONS
from training_hub.core.db import form_id
from training_hub.core.errors import DomainError, InvalidState, ValidationFailed
from training_hub.core.i18n import babel_locale, gettext, ngettext
from training_hub.web.auth import CurrentUser, provide_user, requires_login
from training_hub.web.responses import as_list, flash, form_dict, form_errors, page, redirect


def _score_text(score: float) -> str:
    """66.6 → "66,6%" in Italian, 70.0 → "70%"."""
    return format_decimal(score, format="#,##0.#", locale=babel_locale()) + "%"


class FinalTestPages(Controller):
    path = "/courses"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    # The participant ----------------------------------------------------------------------------

    async def _take_page(self, user: CurrentUser, course_id: int, *, errors: dict[str, str] | None = None,
                         values: dict[str, Any] | None = None, status_code: int = 200) -> Template:
        try:
            view = await taking.participant_test(user, course_id)
        except DomainError as exc:
            if exc.status_code == 404 and not await taking.manages_course(user, course_id):
                # The course exists for this user (else manages_course raised): it has no test yet.
                return page("assessment/take.html", status_code=404, view=None, refusal=exc.detail,
                            course_id=course_id, errors={}, values={})
            raise
        return page("assessment/take.html", status_code=status_code, view=view, refusal=None, course_id=course_id,
                    errors=errors or {}, values=values or {}, score_text=_score_text)

    @get("/{course_id:int}/final-test", name="final_test_take")
    async def take(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template | Redirect:
        if await taking.manages_course(user, course_id):
            return redirect(f"/courses/{course_id}/final-test/results")
        return await self._take_page(user, course_id)

    @post("/{course_id:int}/final-test", name="final_test_submit")
    async def submit(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        count = min(form_id(data.get("count")) or 0, MAX_QUESTIONS)
        answers = [as_list(data.get(f"q{number}")) for number in range(1, count + 1)]
        try:
            result = await taking.submit_attempt(user, course_id, answers, revision=form_id(data.get("revision")))
        except ValidationFailed as exc:
            errors = {f"q{int(key.split('.')[1]) + 1}" if key.startswith("answers.") else "__all__": message
                      for key, message in exc.field_errors.items()}
            return await self._take_page(user, course_id, errors=errors, values=data, status_code=exc.status_code)
        except DomainError as exc:
            flash(request, exc.detail, "error")
            return redirect(f"/courses/{course_id}/final-test")
        outcome = gettext("Test superato") if result.passed else gettext("Test non superato")
        flash(request, gettext("%(outcome)s: hai risposto correttamente al %(score)s delle domande.")
              % {"outcome": outcome, "score": _score_text(result.score_percent)},
              "success" if result.passed else "warning")
        return redirect(f"/courses/{course_id}/final-test")

    # The trainer: writing the test --------------------------------------------------------------

    async def _editor(self, user: CurrentUser, course_id: int, form: Any, *, errors: dict[str, str] | None = None,
                      status_code: int = 200) -> Template:
        state = await authoring.editor_state(user, course_id)
        return page("assessment/edit.html", status_code=status_code, state=state, course=state.course, form=form,
                    errors=errors or {}, requirements=state.course.requirements, new_blocks=NEW_BLOCKS)

    @get("/{course_id:int}/final-test/edit", name="final_test_edit")
    async def edit(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        state = await authoring.editor_state(user, course_id)
        form = form_from_test(state.test, extra_blocks=0 if state.test else NEW_BLOCKS)
        return page("assessment/edit.html", state=state, course=state.course, form=form, errors={},
                    requirements=state.course.requirements, new_blocks=NEW_BLOCKS)

    @post("/{course_id:int}/final-test/edit", name="final_test_save")
    async def save(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        if data.get("action") == "add":  # more empty blocks; nothing is saved
            return await self._editor(user, course_id, form_from_post(data, extra_blocks=NEW_BLOCKS))
        if data.get("action") == "attempts":  # the test is taken: only the attempts may change
            try:
                await authoring.set_attempts_allowed(user, course_id, data.get("attempts_allowed"))
            except ValidationFailed as exc:
                return await self._editor(user, course_id, form_from_post(data), errors=form_errors(exc),
                                          status_code=exc.status_code)
            flash(request, gettext("Tentativi ammessi aggiornati."))
            return redirect(f"/courses/{course_id}/final-test/results")
        questions, blocks = questions_from_post(data)
        try:
            await authoring.save_final_test(user, course_id, pass_percent=data.get("pass_percent"),
                                            attempts_allowed=data.get("attempts_allowed"), questions=questions)
        except (ValidationFailed, InvalidState) as exc:
            return await self._editor(user, course_id, form_from_post(data), errors=errors_by_block(exc, blocks),
                                      status_code=exc.status_code)
        flash(request, ngettext("Test finale salvato: %(num)d domanda.", "Test finale salvato: %(num)d domande.",
                                len(questions)) % {"num": len(questions)})
        return redirect(f"/courses/{course_id}/final-test/results")

    @post("/{course_id:int}/final-test/copy", name="final_test_copy")
    async def copy(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        raw_source = str(data.get("source_course_id") or "").strip()
        source_id = (form_id(raw_source) or -1) if raw_source else None
        try:
            managed = await authoring.copy_final_test(user, course_id, source_id)
        except ValidationFailed as exc:
            # Not valid for this course (too few questions, say): shown in the editor to complete.
            _source, test = await authoring.copy_source(user, course_id, source_id)
            form = form_from_test(test, extra_blocks=NEW_BLOCKS)
            blocks = list(range(1, len(test.questions) + 1))
            return await self._editor(user, course_id, form, errors=errors_by_block(exc, blocks),
                                      status_code=exc.status_code)
        except DomainError as exc:
            if "source_course_id" not in exc.errors:  # this course is not the user's to manage
                raise
            state_form = form_from_test((await authoring.editor_state(user, course_id)).test)
            return await self._editor(user, course_id, state_form, errors=form_errors(exc),
                                      status_code=exc.status_code)
        count = len(managed.test.questions)
        flash(request, ngettext("Test copiato: %(num)d domanda. Controllala prima dell'inizio del corso.",
                                "Test copiato: %(num)d domande. Controllale prima dell'inizio del corso.", count)
              % {"num": count})
        return redirect(f"/courses/{course_id}/final-test/edit")

    # The trainer: results -----------------------------------------------------------------------

    async def _results_page(self, user: CurrentUser, course_id: int, *, errors: dict[str, str] | None = None,
                            values: dict[str, Any] | None = None, status_code: int = 200) -> Template:
        overview = await results.results_overview(user, course_id)
        return page("assessment/results.html", status_code=status_code, overview=overview, course=overview.course,
                    test=overview.test, errors=errors or {}, values=values or {}, score_text=_score_text)

    @get("/{course_id:int}/final-test/results", name="final_test_results")
    async def results_page(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        return await self._results_page(user, course_id)

    @post("/{course_id:int}/final-test/results", name="final_test_paper_results")
    async def paper_results(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        order = [number for value in as_list(data.get("enrolment")) if (number := form_id(value)) is not None]
        entries = [PaperResult(enrolment_id=enrolment_id, score_percent=data.get(f"score-{enrolment_id}"))
                   for enrolment_id in order if str(data.get(f"score-{enrolment_id}") or "").strip()]
        try:
            saved = await results.record_paper_results(user, course_id, entries)
        except ValidationFailed as exc:
            errors: dict[str, str] = {}
            for key, message in exc.field_errors.items():
                index = key.split(".")[0]
                if index.isdigit() and int(index) < len(entries):
                    errors[f"score-{entries[int(index)].enrolment_id}"] = message
                else:
                    errors["__all__"] = message
            return await self._results_page(user, course_id, errors=errors, values=data, status_code=exc.status_code)
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            return await self._results_page(user, course_id, errors={"__all__": exc.detail}, values=data,
                                            status_code=exc.status_code)
        if saved:
            flash(request, gettext("Risultati su carta registrati: %(num)d.") % {"num": len(saved)})
        else:
            flash(request, gettext("Nessun punteggio inserito: nulla da registrare."), "warning")
        return redirect(f"/courses/{course_id}/final-test/results")

    @post("/{course_id:int}/final-test/results/{enrolment_id:int}/another-attempt", name="final_test_grant")
    async def grant(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int],
        enrolment_id: FromPath[int],
    ) -> Redirect:
        try:
            row = await results.grant_attempt(user, course_id, enrolment_id)
        except DomainError as exc:
            if exc.status_code == 403 or (exc.status_code == 404 and "enrolment_id" not in exc.errors):
                raise
            flash(request, exc.detail, "error")
        else:
            flash(request, gettext("%(name)s può svolgere di nuovo il test.") % {"name": row.participant.full_name})
        return redirect(f"/courses/{course_id}/final-test/results")


ROUTES = [FinalTestPages]
