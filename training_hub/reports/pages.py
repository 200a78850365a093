"""Report pages: the office's dashboard, a cooperative's, a trainer's; exports; the activity report.

Every page works without JavaScript: the filters are a GET form, charts are SVG drawn here with the
data table right below, exports are plain links.
"""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from training_hub.core.errors import NotFound, ValidationFailed
from training_hub.core.i18n import N_, get_language, gettext
from training_hub.core.tables import PathKind, Province
from training_hub.reports import activity as activity_service
from training_hub.reports import audit as audit_service
from training_hub.reports.dashboards import dashboard
from training_hub.reports.pdf import period_text, report_pdf
from training_hub.reports.period import parse_period
from training_hub.reports.present import chart_for, format_cell, header, table_csv, tables_xlsx
from training_hub.reports.queries import cooperative_options, trainer_options
from training_hub.reports.scope import VIEW_PATHS, choosable_filters, default_view, report_menu
from training_hub.reports.tables import Report
from training_hub.reports.web import Filters, FromDate, ToDate, attachment, filename, page_scope
from training_hub.surveys.pages import question_text
from training_hub.surveys.results import survey_results
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_staff
from training_hub.web.responses import form_errors, page, redirect

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIEW_TITLES = {
    "office": N_("Report della formazione"),
    "cooperative": N_("Report della cooperativa"),
    "trainer": N_("I miei corsi: presenze e gradimento"),
}
EXPORT_PREFIXES = {"office": "report-ufficio", "cooperative": "report-cooperativa", "trainer": "report-formatore"}


def _filters(start: str | None, end: str | None, cooperative_id: str | None = None, province: str | None = None,
             kind: str | None = None, trainer_id: str | None = None) -> Filters:
    return Filters(start=start or "", end=end or "", cooperative_id=cooperative_id or "", province=province or "",
                   kind=kind or "", trainer_id=trainer_id or "")


def _subtitle(report: Report) -> str:
    parts = [period_text(report)]
    scope = report.scope
    if scope.cooperative_name:
        parts.append(scope.cooperative_name)
    if scope.trainer_name:
        parts.append(scope.trainer_name)
    if scope.province:
        parts.append(gettext("provincia di %(name)s") % {"name": format_cell(scope.province, "province")})
    if scope.path_kind:
        parts.append(format_cell(scope.path_kind, "path_kind"))
    return " · ".join(parts)


async def _dashboard_page(user: CurrentUser, view: str, filters: Filters) -> Template:
    choosable = choosable_filters(user, view)
    context: dict[str, Any] = {
        "view": view, "title": VIEW_TITLES[view], "filters": filters, "errors": {}, "report": None,
        "base_path": VIEW_PATHS[view], "fmt": format_cell, "header": header, "chart_for": chart_for,
        "menu": report_menu(user), "choosable": choosable,
        "provinces": [p.value for p in Province], "kinds": [k.value for k in PathKind],
        "cooperatives": await cooperative_options() if "cooperative" in choosable else [],
        "trainers": await trainer_options() if "trainer" in choosable else [],
    }
    try:
        scope, period = await page_scope(user, view, filters)
    except ValidationFailed as exc:
        context["errors"] = form_errors(exc)
        return page("reports/dashboard.html", status_code=exc.status_code, **context)
    report = await dashboard(user, scope, period)
    context.update(report=report, subtitle=_subtitle(report), query=filters.query(),
                   summary=activity_service.summary_items(report))
    return page("reports/dashboard.html", **context)


async def _export(user: CurrentUser, view: str, filters: Filters, fmt: str, table_key: str | None) -> Response:
    scope, period = await page_scope(user, view, filters)
    report = await dashboard(user, scope, period)
    prefix = EXPORT_PREFIXES[view]
    if fmt == "csv":
        try:
            table = report.table(table_key or "")
        except KeyError:
            raise NotFound(N_("Tabella sconosciuta.")) from None
        return Response(table_csv(table), media_type="text/csv",
                        headers=attachment(filename(prefix, period, f"-{table.key}.csv")))
    content = tables_xlsx(report.tables, heading=gettext(VIEW_TITLES[view]), subtitle=_subtitle(report))
    return Response(content, media_type=XLSX, headers=attachment(filename(prefix, period, ".xlsx")))


class ReportPages(Controller):
    path = "/reports"
    guards = [requires_staff]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", name="reports")
    async def office(
        self, user: NamedDependency[CurrentUser], start: FromDate = None, end: ToDate = None,
        cooperative_id: FromQuery[str | None] = None, province: FromQuery[str | None] = None,
        kind: FromQuery[str | None] = None,
    ) -> Template | Redirect:
        if not user.is_admin:
            # Coordinators and trainers have their own page.
            return redirect(VIEW_PATHS[default_view(user)])
        return await _dashboard_page(user, "office", _filters(start, end, cooperative_id, province, kind))

    @get("/export.csv", name="reports_csv", guards=[requires_admin])
    async def office_csv(
        self, user: NamedDependency[CurrentUser], table: FromQuery[str | None] = None, start: FromDate = None,
        end: ToDate = None, cooperative_id: FromQuery[str | None] = None, province: FromQuery[str | None] = None,
        kind: FromQuery[str | None] = None,
    ) -> Response:
        return await _export(user, "office", _filters(start, end, cooperative_id, province, kind), "csv", table)

    @get("/export.xlsx", name="reports_xlsx", guards=[requires_admin])
    async def office_xlsx(
        self, user: NamedDependency[CurrentUser], start: FromDate = None, end: ToDate = None,
        cooperative_id: FromQuery[str | None] = None, province: FromQuery[str | None] = None,
        kind: FromQuery[str | None] = None,
    ) -> Response:
        return await _export(user, "office", _filters(start, end, cooperative_id, province, kind), "xlsx", None)

    @get("/cooperative", name="reports_cooperative")
    async def cooperative(
        self, user: NamedDependency[CurrentUser], start: FromDate = None, end: ToDate = None,
        cooperative_id: FromQuery[str | None] = None, kind: FromQuery[str | None] = None,
    ) -> Template:
        return await _dashboard_page(user, "cooperative", _filters(start, end, cooperative_id, kind=kind))

    @get("/cooperative/export.csv", name="reports_cooperative_csv")
    async def cooperative_csv(
        self, user: NamedDependency[CurrentUser], table: FromQuery[str | None] = None, start: FromDate = None,
        end: ToDate = None, cooperative_id: FromQuery[str | None] = None, kind: FromQuery[str | None] = None,
    ) -> Response:
        return await _export(user, "cooperative", _filters(start, end, cooperative_id, kind=kind), "csv", table)

    @get("/cooperative/export.xlsx", name="reports_cooperative_xlsx")
    async def cooperative_xlsx(
        self, user: NamedDependency[CurrentUser], start: FromDate = None, end: ToDate = None,
        cooperative_id: FromQuery[str | None] = None, kind: FromQuery[str | None] = None,
    ) -> Response:
        return await _export(user, "cooperative", _filters(start, end, cooperative_id, kind=kind), "xlsx", None)

    @get("/trainer", name="reports_trainer")
    async def trainer(
        self, user: NamedDependency[CurrentUser], start: FromDate = None, end: ToDate = None,
        kind: FromQuery[str | None] = None, trainer_id: FromQuery[str | None] = None,
    ) -> Template:
        return await _dashboard_page(user, "trainer", _filters(start, end, kind=kind, trainer_id=trainer_id))

    @get("/trainer/export.csv", name="reports_trainer_csv")
    async def trainer_csv(
        self, user: NamedDependency[CurrentUser], table: FromQuery[str | None] = None, start: FromDate = None,
        end: ToDate = None, kind: FromQuery[str | None] = None, trainer_id: FromQuery[str | None] = None,
    ) -> Response:
        return await _export(user, "trainer", _filters(start, end, kind=kind, trainer_id=trainer_id), "csv", table)

    @get("/trainer/export.xlsx", name="reports_trainer_xlsx")
    async def trainer_xlsx(
        self, user: NamedDependency[CurrentUser], start: FromDate = None, end: ToDate = None,
        kind: FromQuery[str | None] = None, trainer_id: FromQuery[str | None] = None,
    ) -> Response:
        return await _export(user, "trainer", _filters(start, end, kind=kind, trainer_id=trainer_id), "xlsx", None)

    @get("/surveys/{survey_id:int}", name="reports_survey")
    async def survey(self, user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> Template:
        results = await survey_results(user, survey_id)
        return page("reports/survey.html", results=results, fmt=format_cell, question_text=question_text)

    @get("/activity", name="activity_report", guards=[requires_admin])
    async def activity(self, user: NamedDependency[CurrentUser], start: FromDate = None,
                       end: ToDate = None) -> Template:
        filters = _filters(start, end)
        try:
            period = parse_period(start, end)
        except ValidationFailed as exc:
            return _activity_page(None, filters, form_errors(exc), public=False, status_code=exc.status_code)
        report = await activity_service.activity_report(user, period)
        return _activity_page(report, filters, {}, public=False)

    @get("/activity.pdf", name="activity_report_pdf", guards=[requires_admin])
    async def activity_pdf(self, user: NamedDependency[CurrentUser], start: FromDate = None,
                           end: ToDate = None) -> Response:
        period = parse_period(start, end)
        report = await activity_service.activity_report(user, period)
        content = await _pdf(report, gettext("Rapporto di attività formativa"))
        return Response(content, media_type="application/pdf",
                        headers=attachment(filename("rapporto-attivita", period, ".pdf")))


async def _pdf(report: Report, title: str) -> bytes:
    # Seconds of fpdf2 for a year of courses: in a worker thread, not in the event loop (the language,
    # a context variable, goes along).
    return await asyncio.to_thread(report_pdf, report, title=title, subtitle=period_text(report))


def _published_links() -> list[tuple[str, str]]:
    """The public report's periods as links (label, query): the recent months, quarters and years."""
    from babel.dates import format_date as babel_format_date

    from training_hub.core.i18n import babel_locale
    from training_hub.reports.period import rome_today

    links = []
    for period in activity_service.published_periods(rome_today()):
        kind = activity_service.public_period_kind(period)
        if kind == "month":
            label = babel_format_date(period.first, "LLLL yyyy", locale=babel_locale())
        elif kind == "quarter":
            label = gettext("%(n)d° trimestre %(year)d") % {"n": (period.first.month + 2) // 3,
                                                             "year": period.first.year}
        else:
            label = str(period.first.year)
        links.append((label, f"from={period.first.isoformat()}&to={period.last.isoformat()}"))
    return links


def _activity_page(report: Report | None, filters: Filters, errors: dict[str, str], *, public: bool,
                   status_code: int = 200) -> Template:
    return page(
        "reports/activity.html", status_code=status_code, report=report, filters=filters, errors=errors,
        public=public, fmt=format_cell, header=header, chart_for=chart_for, query=filters.query(),
        summary=activity_service.summary_items(report) if report else [],
        subtitle=period_text(report) if report else "",
        base_path="/public/activity" if public else "/reports/activity",
        published=_published_links() if public else [],
    )


def _client(request: Request) -> str:
    """Who asks, for the per-client limit: the address the server sees (behind a proxy, the one it
    forwards when FORWARDED_ALLOW_IPS trusts it)."""
    return request.client.host if request.client else ""


class PublicReportPages(Controller):
    """The public activity report: no login, aggregates only (see reports/activity.py)."""

    path = "/public"
    include_in_schema = False

    @get("/activity", name="public_activity")
    async def activity(self, request: Request, start: FromDate = None, end: ToDate = None) -> Template:
        filters = _filters(start, end)
        try:
            period = parse_period(start, end)
            report = await activity_service.cached_public_activity_report(period, _client(request))
        except ValidationFailed as exc:
            return _activity_page(None, filters, form_errors(exc), public=True, status_code=exc.status_code)
        return _activity_page(report, filters, {}, public=True)

    @get("/activity.pdf", name="public_activity_pdf")
    async def activity_pdf(self, request: Request, start: FromDate = None, end: ToDate = None) -> Response:
        period = parse_period(start, end)
        report = await activity_service.cached_public_activity_report(period, _client(request))
        key = ("pdf", period.first, period.last, get_language())
        content = activity_service.PUBLIC_REPORTS.get(key)
        if content is None:
            content = await _pdf(report, gettext("Rapporto pubblico di attività formativa"))
            activity_service.PUBLIC_REPORTS.put(key, content, activity_service.public_cache_seconds())
        return Response(content, media_type="application/pdf",
                        headers=attachment(filename("rapporto-pubblico", period, ".pdf")))


class AuditPages(Controller):
    """The office's audit log (see reports/audit.py): a filter form, 50 events a page, the CSV."""

    path = "/admin"
    guards = [requires_admin]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @staticmethod
    def _filters(request: Request[Any, Any, Any]) -> audit_service.AuditFilters:
        q = request.query_params
        return audit_service.AuditFilters(person=q.get("person") or "", course=q.get("course") or "",
                                          kind=q.get("kind") or "", start=q.get("from") or "",
                                          end=q.get("to") or "", page=q.get("page") or "")

    @get("/audit", name="audit_log")
    async def audit(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template:
        filters = self._filters(request)
        kinds = [(key, gettext(label)) for key, (label, _prefixes) in audit_service.KINDS.items()]
        try:
            result = await audit_service.audit_log(user, filters)
        except ValidationFailed as exc:
            return page("reports/audit.html", status_code=exc.status_code, result=None, filters=filters,
                        errors=form_errors(exc), kinds=kinds)
        return page("reports/audit.html", result=result, filters=filters, errors={}, kinds=kinds,
                    csv_query=filters.query(page=""), page_query=lambda n: filters.query(page=str(n)))

    @get("/audit.csv", name="audit_log_csv")
    async def audit_csv(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Response[bytes]:
        content = await audit_service.audit_log_csv(user, self._filters(request))
        return Response(content, media_type="text/csv; charset=utf-8",
                        headers=attachment("registro-attivita.csv"))


ROUTES = [AuditPages, ReportPages, PublicReportPages]
