"""JSON API of the final learning test, and its report (``/courses/{id}/final-test-report.pdf``).

Controllers only translate: the rules (who, when, what is valid) are in the service modules.
"""

from __future__ import annotations

import asyncio

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from training_hub.assessment import authoring, report, results, taking
from training_hub.assessment.authoring import ManagedTest
from training_hub.assessment.results import PaperResult
from training_hub.assessment.schemas import (
    AttemptIn,
    AttemptResultOut,
    ExtraAttemptIn,
    FinalTestCopyIn,
    FinalTestIn,
    FinalTestManagerOut,
    FinalTestParticipantOut,
    PaperResultIn,
    ParticipantResultOut,
    attempt_result_out,
    manager_out,
    participant_out,
    participant_result_out,
)
from training_hub.core.exports import PDF_MEDIA_TYPE
from training_hub.core.signing import sign_document
from training_hub.web.auth import CurrentUser, provide_user, requires_login


class FinalTestApi(Controller):
    path = "/api/courses"
    tags = ["assessment"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @put(
        "/{course_id:int}/final-test",
        summary="Scrive (o riscrive) il test finale di un corso",
        description=(
            "Formatori del corso, coordinatore del percorso interno, ufficio formazione. Ogni domanda ha almeno "
            "2 risposte diverse e almeno una corretta (`correct`: indici da 0); soglia 1-100 (70 se omessa). "
            "Corsi sulla sicurezza: almeno 30 domande (primo corso) o 10 (aggiornamento), soglia almeno 70. "
            "422 con la domanda indicata; 409 se qualcuno ha già svolto il test e domande o soglia cambiano."
        ),
    )
    async def save(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[FinalTestIn]
    ) -> FinalTestManagerOut:
        managed = await authoring.save_final_test(
            user, course_id, pass_percent=data.pass_percent, attempts_allowed=data.attempts_allowed,
            questions=[question.as_input() for question in data.questions],
        )
        return manager_out(managed)

    @get(
        "/{course_id:int}/final-test",
        summary="Il test finale di un corso",
        description=(
            "Per chi gestisce il corso (`view`: `manager`): domande con le risposte corrette. Per un partecipante "
            "confermato (`view`: `participant`): lo stato e, quando può svolgerlo, le domande e le risposte "
            "nell'ordine del suo tentativo, mai quali sono corrette."
        ),
    )
    async def read(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int]
    ) -> FinalTestManagerOut | FinalTestParticipantOut:
        view = await taking.final_test_view(user, course_id)
        return manager_out(view) if isinstance(view, ManagedTest) else participant_out(view)

    @post(
        "/{course_id:int}/final-test/copy",
        status_code=200,
        summary="Copia il test finale dell'ultima edizione (o di un corso scelto)",
    )
    async def copy(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[FinalTestCopyIn]
    ) -> FinalTestManagerOut:
        return manager_out(await authoring.copy_final_test(user, course_id, data.source_course_id))

    @post(
        "/{course_id:int}/final-test/attempts",
        summary="Un tentativo del test finale",
        description=(
            "Partecipanti confermati, dall'inizio dell'ultimo incontro. `answers`: per ogni domanda, nell'ordine "
            "mostrato, le posizioni (da 0) delle risposte scelte nell'ordine mostrato. Restituisce solo "
            "punteggio ed esito. 409 per un secondo tentativo non concesso."
        ),
    )
    async def attempt(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[AttemptIn]
    ) -> AttemptResultOut:
        result = await taking.submit_attempt(user, course_id, data.answers, revision=data.revision)
        return attempt_result_out(result)

    @get("/{course_id:int}/final-test/results", summary="Esiti del test finale per partecipante")
    async def list_results(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> list[ParticipantResultOut]:
        overview = await results.results_overview(user, course_id)
        return [participant_result_out(row) for row in overview.rows]

    @put(
        "/{course_id:int}/final-test/results",
        summary="Registra i risultati del test svolto su carta",
        description="Per ogni riga l'iscrizione (confermata, di questo corso) e il punteggio da 0 a 100; "
                    "un errore in una riga non registra nulla.",
    )
    async def paper_results(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[list[PaperResultIn]]
    ) -> list[ParticipantResultOut]:
        rows = await results.record_paper_results(
            user, course_id, [PaperResult(enrolment_id=item.enrolment_id, score_percent=item.score_percent)
                              for item in data])
        return [participant_result_out(row) for row in rows]

    @post(
        "/{course_id:int}/final-test/extra-attempts",
        summary="Concede un altro tentativo a un partecipante",
    )
    async def grant_attempt(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[ExtraAttemptIn]
    ) -> ParticipantResultOut:
        row = await results.grant_attempt(user, course_id, data.enrolment_id, reason=data.reason)
        return participant_result_out(row)


class FinalTestFiles(Controller):
    """The report (session cookie or bearer token), built in a worker thread."""

    tags = ["assessment"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/courses/{course_id:int}/final-test-report.pdf", summary="Verbale del test finale (PDF)",
         media_type=PDF_MEDIA_TYPE)
    async def report_pdf(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Response[bytes]:
        data = await report.final_test_report(user, course_id)
        content = await asyncio.to_thread(report.final_test_report_pdf, data)
        content = await sign_document(content, reason="Verbale del test finale")  # PAdES when configured
        return Response(content=content, media_type=PDF_MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="{report.report_filename(course_id)}"',
            # Personal data and the answer key: never kept by a shared cache or proxy.
            "Cache-Control": "private, no-store",
        })


ROUTES = [FinalTestApi, FinalTestFiles]
