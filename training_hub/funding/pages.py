"""Pages of funded plans: the list, a plan (actions, files, frozen submissions), the checks before sending,
the closing report, the fund data forms, a course's schedule changes and the online attendance import."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from training_hub.core.db import fetch_all
from training_hub.core.errors import DomainError
from training_hub.core.i18n import gettext
from training_hub.funding import codes, exports, figures, layouts, online, participants, plans, schedule
from training_hub.funding.online_reports import LAYOUT_NAMES
from training_hub.web.auth import CurrentUser, provide_user, requires_login
from training_hub.web.responses import flash, form_dict, form_errors, page, redirect

DEPENDENCIES = {"user": Provide(provide_user, sync_to_thread=False)}
MAX_COURSE_CHOICES = 300


def hours_text(minutes: int) -> str:
    """Decimal hours as the fund's files write them (8,00): the page shows the files' figures."""
    return layouts.as_text(layouts.hours(minutes))


def percent_text(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def _options(table: dict[str, Any]) -> list[tuple[str, str]]:
    return [(key, gettext(value[0] if isinstance(value, tuple) else value)) for key, value in table.items()]


async def _free_courses() -> list[dict[str, Any]]:
    return await fetch_all(
        "SELECT c.id, c.title, c.starts_at FROM course c WHERE c.status IN ('draft', 'published') AND NOT EXISTS "
        "(SELECT 1 FROM funded_action fa WHERE fa.course = c.id) ORDER BY c.starts_at DESC, c.id DESC LIMIT "
        + str(MAX_COURSE_CHOICES))


def _plan_form_options() -> dict[str, Any]:
    return {"funds": _options(plans.FUNDS), "aid_regimes": _options(plans.AID_REGIMES),
            "statuses": _options(plans.STATUSES)}


class FundedPlanPages(Controller):
    path = "/funded-plans"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    async def _list(self, user: CurrentUser, values: dict[str, Any] | None = None,
                    errors: dict[str, str] | None = None, status: int = 200) -> Template:
        return page("funding/list.html", status_code=status, plans_=await plans.list_plans(user),
                    values=values or {"aid_regime": "none", "status": "approved", "trained_threshold": 70},
                    errors=errors or {}, labels={"funds": plans.FUNDS, "statuses": plans.STATUSES},
                    **_plan_form_options())

    @get("/", name="funded_plans")
    async def list_plans(self, user: NamedDependency[CurrentUser]) -> Template:
        return await self._list(user)

    @post("/", name="funded_plan_create")
    async def create(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            plan_id = await plans.create_plan(user, plans.PlanInput(
                **{name: data.get(name) for name in plans.PlanInput.__dataclass_fields__}))
        except DomainError as exc:
            return await self._list(user, data, form_errors(exc), exc.status_code)
        flash(request, gettext("Piano registrato."))
        return redirect(f"/funded-plans/{plan_id}")

    async def _detail(self, user: CurrentUser, plan_id: int, errors: dict[str, str] | None = None,
                      status: int = 200) -> Template:
        plan = await plans.get_plan(user, plan_id)
        return page("funding/detail.html", status_code=status, plan=plan, errors=errors or {},
                    is_office=user.is_admin, courses=await _free_courses() if user.is_admin else [],
                    submissions=await exports.list_submissions(user, plan_id) if user.is_admin else [],
                    fund_label=gettext(plans.FUNDS.get(plan["fund"], plan["fund"])),
                    aid_label=gettext(plans.AID_REGIMES.get(plan["aid_regime"], plan["aid_regime"])),
                    status_label=gettext(plans.STATUSES.get(plan["status"], plan["status"])))

    @get("/{plan_id:int}", name="funded_plan")
    async def detail(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int]) -> Template:
        return await self._detail(user, plan_id)

    @post("/{plan_id:int}/courses", name="funded_plan_add_course")
    async def add_course(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                         plan_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            course_id = int(data.get("course_id") or 0)
        except ValueError:
            course_id = 0
        try:
            await plans.add_course(user, plan_id, course_id, data.get("action_code", ""))
        except DomainError as exc:
            return await self._detail(user, plan_id, form_errors(exc), exc.status_code)
        flash(request, gettext("Corso aggiunto al piano."))
        return redirect(f"/funded-plans/{plan_id}")

    @post("/{plan_id:int}/submissions", name="funded_plan_submit")
    async def submit(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                     plan_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            created = await exports.freeze_submission(user, plan_id, data.get("note", ""))
        except DomainError as exc:
            return await self._detail(user, plan_id, form_errors(exc), exc.status_code)
        flash(request, gettext("Invio congelato. SHA-256: %(sha)s") % {"sha": created["sha256"]})
        return redirect(f"/funded-plans/{plan_id}")

    @get("/{plan_id:int}/checks", name="funded_plan_checks")
    async def checks(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int]) -> Template:
        plan = await plans.open_plan(user, plan_id)
        findings = await figures.plan_checks(user, plan_id)
        people: dict[int, dict[str, Any]] = {}
        companies: dict[int, dict[str, Any]] = {}
        for row in findings:
            if "person_id" in row:
                people.setdefault(row["person_id"], {"id": row["person_id"], "name": row["name"], "findings": []})[
                    "findings"].append(row)
            else:
                companies.setdefault(row["cooperative_id"], {"id": row["cooperative_id"], "name": row["name"],
                                                             "findings": []})["findings"].append(row)
        return page("funding/checks.html", plan=plan, people=list(people.values()),
                    companies=list(companies.values()), total=len(findings))

    @get("/{plan_id:int}/closing-report", name="funded_plan_closing")
    async def closing(self, user: NamedDependency[CurrentUser], plan_id: FromPath[int]) -> Template:
        plan = await plans.open_plan(user, plan_id)
        shared = await figures.closing_report(user, plan_id)  # a cached value: read, never changed

        def shown(row: dict[str, Any]) -> dict[str, Any]:
            return {**row, "planned_text": hours_text(row["planned_minutes"]),
                    "attended_text": hours_text(row["attended_minutes"]), "percent_text": percent_text(row["percent"]),
                    "cost_text": row["cost"].replace(".", ",") if row.get("cost") is not None else None}

        report = {"threshold": shared["threshold"], "participants": [shown(r) for r in shared["participants"]],
                  "companies": [shown(r) for r in shared["companies"]]}
        return page("funding/closing.html", plan=plan, report=report, show_cost=user.is_admin)


class FundDataPages(Controller):
    path = "/fund-data"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    async def _person_form(self, user: CurrentUser, person_id: int, values: dict[str, Any] | None = None,
                           errors: dict[str, str] | None = None, status: int = 200, back: str = "") -> Template:
        view = await participants.fund_data(user, person_id)
        shown = dict(view["values"])
        if shown.get("hire_date"):
            shown["hire_date"] = shown["hire_date"].strftime("%d/%m/%Y")
        if shown.get("hourly_cost") is not None:
            shown["hourly_cost"] = str(shown["hourly_cost"]).replace(".", ",")
        return page("funding/person_form.html", status_code=status, view=view, values=values or shown,
                    errors=errors or {}, back=back, education=_options(codes.EDUCATION_LEVELS),
                    contracts=_options(codes.CONTRACT_TYPES), grades=_options(codes.JOB_GRADES))

    @get("/people/{person_id:int}", name="fund_data_person")
    async def person(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                     person_id: FromPath[int]) -> Template:
        back = request.query_params.get("back", "")
        return await self._person_form(user, person_id, back=back if back.startswith("/funded-plans/") else "")

    @post("/people/{person_id:int}", name="fund_data_person_save")
    async def save_person(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                          person_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        back = data.get("back", "") if str(data.get("back", "")).startswith("/funded-plans/") else ""
        try:
            await participants.save_fund_data(user, person_id, participants.FundDataInput(
                **{name: data.get(name) for name in participants.FundDataInput.__dataclass_fields__}))
        except DomainError as exc:
            return await self._person_form(user, person_id, data, form_errors(exc), exc.status_code, back)
        flash(request, gettext("Dati salvati."))
        return redirect(back or f"/fund-data/people/{person_id}")

    async def _company_form(self, user: CurrentUser, cooperative_id: int, values: dict[str, Any] | None = None,
                            errors: dict[str, str] | None = None, status: int = 200) -> Template:
        view = await participants.company_data(user, cooperative_id)
        return page("funding/company_form.html", status_code=status, view=view, values=values or view["cooperative"],
                    errors=errors or {}, sizes=_options(codes.COMPANY_SIZES))

    @get("/cooperatives/{cooperative_id:int}", name="fund_data_company")
    async def company(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int]) -> Template:
        return await self._company_form(user, cooperative_id)

    @post("/cooperatives/{cooperative_id:int}", name="fund_data_company_save")
    async def save_company(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                           cooperative_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await participants.save_company_data(user, cooperative_id, participants.CompanyInput(
                **{name: data.get(name, "") for name in participants.CompanyInput.__dataclass_fields__}))
        except DomainError as exc:
            return await self._company_form(user, cooperative_id, data, form_errors(exc), exc.status_code)
        flash(request, gettext("Dati salvati."))
        return redirect(f"/fund-data/cooperatives/{cooperative_id}")


class CourseFundingPages(Controller):
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/courses/{course_id:int}/schedule-changes", name="course_schedule_changes")
    async def schedule_changes(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        changes = await schedule.schedule_changes(user, course_id)
        course = (await fetch_all("SELECT id, title FROM course WHERE id = {}", course_id))[0]
        return page("funding/schedule_changes.html", course=course, changes=changes)

    async def _import_form(self, user: CurrentUser, session_id: int, *, result: dict[str, Any] | None = None,
                           content: bytes = b"", layout: str = "", errors: dict[str, str] | None = None,
                           issues: list[str] | None = None, status: int = 200) -> Template:
        from training_hub.attendance.access import load_session, require_attendance_taker

        session = await load_session(session_id)
        await require_attendance_taker(user, session["course_id"], online.REFUSED)
        return page("funding/import.html", status_code=status, session=session, result=result, layout=layout,
                    content_b64=base64.b64encode(content).decode("ascii") if content else "",
                    errors=errors or {}, issues=issues or [], layouts=[("", gettext("Riconosci dal file"))] + list(LAYOUT_NAMES.items()))

    @get("/sessions/{session_id:int}/attendance/import", name="session_attendance_import")
    async def import_form(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template:
        return await self._import_form(user, session_id)

    @post("/sessions/{session_id:int}/attendance/import", name="session_attendance_import_post")
    async def import_post(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                          session_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        layout = data.get("format") or ""
        upload = data.get("file")
        content = b""
        if upload is not None and hasattr(upload, "read"):
            content = await upload.read()
        elif data.get("content_b64"):
            try:
                content = base64.b64decode(data["content_b64"], validate=True)
            except (binascii.Error, ValueError):
                content = b""
        record = data.get("action") == "record"
        try:
            result = await online.import_report(user, session_id, content, layout=layout or None, dry_run=not record)
        except DomainError as exc:
            return await self._import_form(user, session_id, layout=layout, errors=form_errors(exc),
                                           issues=[issue.text for issue in exc.issues], status=exc.status_code)
        if record:
            flash(request, gettext("Presenze importate dal report."))
            return redirect(f"/sessions/{session_id}/attendance")
        return await self._import_form(user, session_id, result=result, content=content, layout=layout)


ROUTES: list[Any] = [FundedPlanPages, FundDataPages, CourseFundingPages]
