"""Pages and files of the bilancio sociale's training section, and the public yearly account.

``/reports/social-report?year=&cooperative_id=`` (the office: any cooperative, or all of them; a
coordinator: their own), its ``.xlsx`` and ``.pdf``; ``/public/account?year=&quarter=`` (no login): the
consortium's account to the community, linked from the public activity report, whose summary it shows
too (reports and planning sit on one layer; this controller, at the top, may call both).
"""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.response import Template

from training_hub.core.db import form_id, is_possible_id
from training_hub.core.errors import ValidationFailed
from training_hub.core.exports import PDF_MEDIA_TYPE
from training_hub.core.i18n import N_, get_language, gettext
from training_hub.planning import social_report as service
from training_hub.planning.social_charts import charts
from training_hub.planning.social_figures import cooperative_options
from training_hub.planning.social_pdf import social_pdf
from training_hub.planning.social_xlsx import social_xlsx
from training_hub.reports import activity as public_activity
from training_hub.reports.present import format_cell
from training_hub.web.auth import CurrentUser, provide_user, requires_login
from training_hub.web.responses import form_errors, page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = N_("Bilancio sociale: la formazione")
PUBLIC_TITLE = N_("Il nostro anno di formazione: il rendiconto alla comunità")


def _cooperative_id(raw: str | None) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    number = form_id(text)
    if number is None or not is_possible_id(number):
        raise ValidationFailed(N_("Valore non valido."), field="cooperative_id")
    return number


def _query(year: int, cooperative_id: int | None) -> str:
    return f"year={year}" + (f"&cooperative_id={cooperative_id}" if cooperative_id is not None else "")


def _filename(report: service.SocialReport, suffix: str) -> dict[str, str]:
    scope = f"cooperativa-{report.cooperative_id}" if report.cooperative_id else "consorzio"
    return {"Content-Disposition": f'attachment; filename="bilancio-sociale-formazione-{report.year}-{scope}{suffix}"'}


async def _report(user: CurrentUser, year: str | None, cooperative_id: str | None) -> service.SocialReport:
    errors: dict[str, str] = {}
    parsed_year = parsed_cooperative = None
    try:
        parsed_year = service.parse_year(year)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    try:
        parsed_cooperative = _cooperative_id(cooperative_id)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    if errors or parsed_year is None:
        raise ValidationFailed(N_("Controlla i filtri."), errors=errors)
    return await service.social_report(user, parsed_year, parsed_cooperative)


class SocialReportPages(Controller):
    path = "/reports"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/social-report", name="social_report")
    async def report(self, user: NamedDependency[CurrentUser], year: FromQuery[str | None] = None,
                     cooperative_id: FromQuery[str | None] = None) -> Template:
        service.resolve_cooperative(user, None)  # who may open it at all: 403 before anything else
        context: dict[str, Any] = {
            "title": TITLE, "year": year or "", "cooperative_id": cooperative_id or "", "errors": {},
            "report": None, "cooperatives": await cooperative_options() if user.is_admin else [],
            "fmt": service.format_value, "header": service.column_label,
        }
        try:
            report = await _report(user, year, cooperative_id)
        except ValidationFailed as exc:
            context["errors"] = form_errors(exc)
            return page("planning/social_report.html", status_code=exc.status_code, **context)
        context.update(report=report, charts=charts(report.tables), query=_query(report.year, report.cooperative_id),
                       scope=service.scope_label(report), period=service.period_label(report.year, None),
                       year=str(report.year))
        return page("planning/social_report.html", **context)

    @get("/social-report.xlsx", name="social_report_xlsx")
    async def xlsx(self, user: NamedDependency[CurrentUser], year: FromQuery[str | None] = None,
                   cooperative_id: FromQuery[str | None] = None) -> Response[bytes]:
        report = await _report(user, year, cooperative_id)
        return Response(social_xlsx(report, title=gettext(TITLE)), media_type=XLSX, headers=_filename(report, ".xlsx"))

    @get("/social-report.pdf", name="social_report_pdf")
    async def pdf(self, user: NamedDependency[CurrentUser], year: FromQuery[str | None] = None,
                  cooperative_id: FromQuery[str | None] = None) -> Response[bytes]:
        report = await _report(user, year, cooperative_id)
        content = await asyncio.to_thread(social_pdf, report, title=gettext(TITLE))
        return Response(content, media_type=PDF_MEDIA_TYPE, headers=_filename(report, ".pdf"))


def _client(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


class PublicAccountPages(Controller):
    """The consortium's yearly account to the community: no login, aggregates of at least 5 people."""

    path = "/public"
    include_in_schema = False

    @get("/account", name="public_account")
    async def account(self, request: Request[Any, Any, Any], year: FromQuery[str | None] = None,
                      quarter: FromQuery[str | None] = None) -> Template:
        context: dict[str, Any] = {"title": PUBLIC_TITLE, "year": year or "", "quarter": quarter or "",
                                   "errors": {}, "report": None, "fmt": service.format_value,
                                   "header": service.column_label, "published": service.published_accounts()}
        try:
            parsed_year, parsed_quarter = service.parse_year(year), service.parse_quarter(quarter)
            report = await service.cached_public_account(parsed_year, parsed_quarter, _client(request))
            window = service.window_of(parsed_year, parsed_quarter)
            activity = await public_activity.cached_public_activity_report(window,
                                                                            _client(request))
        except ValidationFailed as exc:
            context["errors"] = form_errors(exc)
            return page("planning/social_account.html", status_code=exc.status_code, **context)
        context.update(report=report, charts=charts(report.tables), period=service.period_label(parsed_year,
                       parsed_quarter), activity=public_activity.summary_items(activity), activity_fmt=format_cell,
                       activity_query=f"from={window.first.isoformat()}&to={window.last.isoformat()}",
                       query=f"year={parsed_year}" + (f"&quarter={parsed_quarter}" if parsed_quarter else ""))
        return page("planning/social_account.html", **context)

    @get("/account.pdf", name="public_account_pdf")
    async def account_pdf(self, request: Request[Any, Any, Any], year: FromQuery[str | None] = None,
                          quarter: FromQuery[str | None] = None) -> Response[bytes]:
        parsed_year, parsed_quarter = service.parse_year(year), service.parse_quarter(quarter)
        report = await service.cached_public_account(parsed_year, parsed_quarter, _client(request))
        key = ("pdf", parsed_year, parsed_quarter, get_language())
        content = service.PUBLIC_ACCOUNTS.get(key)
        if content is None:
            content = await asyncio.to_thread(social_pdf, report, title=gettext(PUBLIC_TITLE))
            service.PUBLIC_ACCOUNTS.put(key, content, service.public_cache_seconds())
        name = f"rendiconto-formazione-{parsed_year}" + (f"-T{parsed_quarter}" if parsed_quarter else "") + ".pdf"
        return Response(content, media_type=PDF_MEDIA_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


ROUTES = [SocialReportPages, PublicAccountPages]
