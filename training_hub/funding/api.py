"""JSON API and files of funded plans and online attendance evidence (DESIGN.md "Interfaces of the
second wave"). Controllers parse and call one service; the services decide who may do what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from training_hub.core.exports import CSV_MEDIA_TYPE, PDF_MEDIA_TYPE, XLSX_MEDIA_TYPE
from training_hub.core.schemas import to_struct
from training_hub.funding import exports, figures, online, participants, plans, registers, schedule
from training_hub.funding.schemas import (
    ActionIn,
    CheckOut,
    ClosingReportOut,
    CreatedOut,
    FundDataIn,
    FundDataOut,
    ImportOut,
    MissingOut,
    PlanIn,
    PlanOut,
    PlanSummaryOut,
    ScheduleChangeOut,
    SubmissionIn,
    SubmissionOut,
    fund_data_out,
)
from training_hub.web.auth import CurrentUser, provide_user, requires_login

DEPENDENCIES = {"user": Provide(provide_user, sync_to_thread=False)}
ZIP_MEDIA_TYPE = "application/zip"


def plan_input(data: PlanIn) -> plans.PlanInput:
    return plans.PlanInput(**{name: getattr(data, name) for name in plans.PlanInput.__dataclass_fields__})


class FundedPlansApi(Controller):
    path = "/api/funded-plans"
    tags = ["funding"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/", summary="Piani finanziati (ufficio: tutti; coordinatori: quelli della propria cooperativa)")
    async def list_plans(self, user: NamedDependency[CurrentUser]) -> list[PlanSummaryOut]:
        return to_struct(await plans.list_plans(user), list[PlanSummaryOut])

    @post("/", status_code=HTTP_201_CREATED, summary="Registra un piano finanziato (ufficio formazione)")
    async def create(self, user: NamedDependency[CurrentUser], data: JSONBody[PlanIn]) -> PlanOut:
        plan_id = await plans.create_plan(user, plan_input(data))
        return to_struct(await plans.get_plan(user, plan_id), PlanOut)

    @get("/{plan_id:int}", summary="Un piano finanziato e le sue azioni")
    async def detail(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int]) -> PlanOut:
        return to_struct(await plans.get_plan(user, plan_id), PlanOut)

    @post("/{plan_id:int}/courses", status_code=HTTP_201_CREATED, summary="Aggiungi un corso come azione del piano")
    async def add_course(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int],
                         data: JSONBody[ActionIn]) -> CreatedOut:
        return CreatedOut(await plans.add_course(user, plan_id, data.course_id, data.action_code))

    @get("/{plan_id:int}/checks", summary="Dati mancanti o non validi prima dell'invio al fondo")
    async def checks(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int]) -> list[CheckOut]:
        return to_struct(await figures.plan_checks(user, plan_id), list[CheckOut])

    @get("/{plan_id:int}/closing-report", summary="Rendiconto per partecipante e per cooperativa")
    async def closing_report(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int]) -> ClosingReportOut:
        return to_struct(await figures.closing_report(user, plan_id), ClosingReportOut)

    @post("/{plan_id:int}/submissions", status_code=HTTP_201_CREATED,
          summary="Congela l'invio al fondo: ZIP di esportazioni e registri, con SHA-256")
    async def submit(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int],
                     data: JSONBody[SubmissionIn | None] = None) -> SubmissionOut:
        return to_struct(await exports.freeze_submission(user, plan_id, data.note if data else ""), SubmissionOut)

    @get("/{plan_id:int}/submissions", summary="Invii congelati del piano")
    async def submissions(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int]) -> list[SubmissionOut]:
        return to_struct(await exports.list_submissions(user, plan_id), list[SubmissionOut])


class FundDataApi(Controller):
    path = "/api"
    tags = ["funding"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/people/{person_id:int}/fund-data", summary="Dati del partecipante richiesti dai fondi, e cosa manca")
    async def fund_data(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> FundDataOut:
        return fund_data_out(await participants.fund_data(user, person_id))

    @put("/people/{person_id:int}/fund-data", summary="Aggiorna i dati del partecipante richiesti dai fondi")
    async def save_fund_data(self, user: NamedDependency[CurrentUser], person_id: FromPath[int],
                             data: JSONBody[FundDataIn]) -> FundDataOut:
        await participants.save_fund_data(user, person_id, participants.FundDataInput(
            **{name: getattr(data, name) for name in participants.FundDataInput.__dataclass_fields__}))
        return fund_data_out(await participants.fund_data(user, person_id))

    @put("/cooperatives/{cooperative_id:int}/fund-data",
         summary="ATECO, matricola INPS, partita IVA e dimensione della cooperativa")
    async def save_company(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int],
                           data: JSONBody[dict[str, str]]) -> list[MissingOut]:
        await participants.save_company_data(user, cooperative_id, participants.CompanyInput(
            **{name: data.get(name, "") for name in participants.CompanyInput.__dataclass_fields__}))
        return to_struct((await participants.company_data(user, cooperative_id))["missing"], list[MissingOut])

    @get("/courses/{course_id:int}/schedule-changes", summary="Variazioni di orario e sede degli incontri")
    async def schedule_changes(self, user: NamedDependency[CurrentUser],
                               course_id: FromPath[int]) -> list[ScheduleChangeOut]:
        return to_struct(await schedule.schedule_changes(user, course_id), list[ScheduleChangeOut])


@dataclass
class ReportUpload:
    file: UploadFile


class OnlineImportApi(Controller):
    path = "/api/sessions"
    tags = ["funding"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @post("/{session_id:int}/attendance/import", status_code=200,
          summary="Importa il report dei partecipanti di una videoconferenza (dry_run=true: solo anteprima)")
    async def import_report(
        self, user: NamedDependency[CurrentUser], session_id: FromPath[int],
        data: Annotated[ReportUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        format: FromQuery[str | None] = None,  # noqa: A002 - the contract's name
        dry_run: FromQuery[bool] = False,
    ) -> ImportOut:
        content = await data.file.read()
        return to_struct(await online.import_report(user, session_id, content, layout=format, dry_run=dry_run), ImportOut)


def _file(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(content=content, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


class FundingFiles(Controller):
    tags = ["funding"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/funded-plans/{plan_id:int}/participants.csv", summary="Partecipanti nel tracciato del fondo (CSV)",
         media_type=CSV_MEDIA_TYPE)
    async def participants_csv(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int],
                               layout: FromQuery[str | None] = None) -> Response[bytes]:
        content, name = await exports.plan_file(user, plan_id, "participants.csv", layout)
        return _file(content, CSV_MEDIA_TYPE, name)

    @get("/funded-plans/{plan_id:int}/participants.xlsx", summary="Partecipanti nel tracciato del fondo (Excel)",
         media_type=XLSX_MEDIA_TYPE)
    async def participants_xlsx(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int],
                                layout: FromQuery[str | None] = None) -> Response[bytes]:
        content, name = await exports.plan_file(user, plan_id, "participants.xlsx", layout)
        return _file(content, XLSX_MEDIA_TYPE, name)

    @get("/funded-plans/{plan_id:int}/closing-report.csv", summary="Rendiconto (CSV)", media_type=CSV_MEDIA_TYPE)
    async def closing_csv(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int]) -> Response[bytes]:
        content, name = await exports.plan_file(user, plan_id, "closing-report.csv")
        return _file(content, CSV_MEDIA_TYPE, name)

    @get("/funded-plans/{plan_id:int}/submissions/{filename:str}", summary="Invio congelato (ZIP: <id>.zip)",
         media_type=ZIP_MEDIA_TYPE)
    async def submission(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int],
                         filename: FromPath[str]) -> Response[bytes]:
        stem = filename.removesuffix(".zip")
        submission_id = int(stem) if filename.endswith(".zip") and stem.isdecimal() and len(stem) <= 12 else 0
        content, name = await exports.submission_file(user, plan_id, submission_id)
        return _file(content, ZIP_MEDIA_TYPE, name)

    @get("/courses/{course_id:int}/register-blank.pdf", summary="Registro da vidimare prima dell'avvio (PDF)",
         media_type=PDF_MEDIA_TYPE)
    async def register_blank(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Response[bytes]:
        content = await registers.action_register_pdf(user, course_id, blank=True)
        return _file(content, PDF_MEDIA_TYPE, f"corso-{course_id}-registro-da-vidimare.pdf")


ROUTES: list[Any] = [FundedPlansApi, FundDataApi, OnlineImportApi, FundingFiles]
