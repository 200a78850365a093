"""Back-office pages: people (admins; coordinators for their cooperative) and cooperatives (admins)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from training_hub.core.errors import DomainError
from training_hub.core.i18n import gettext
from training_hub.core.risk_class import RISK_CLASS_LABELS, RISK_CLASSES
from training_hub.core.tables import Area, Province, Role
from training_hub.directory import headcounts, imports, service
from training_hub.directory.service import CooperativeInput, PersonInput
from training_hub.privacy.access import may_manage_personal_data
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_role
from training_hub.web.responses import as_list, flash, form_dict, form_errors, page, redirect

PAGE_SIZE = 50


def _person_input(data: dict[str, Any]) -> PersonInput:
    cooperative = str(data.get("cooperative_id") or "").strip()
    return PersonInput(
        full_name=str(data.get("full_name", "")),
        email=str(data.get("email", "")),
        roles=as_list(data.get("roles")),
        cooperative_id=int(cooperative) if cooperative.isdecimal() else None,
        codice_fiscale=str(data.get("codice_fiscale") or "") or None,
        area=str(data.get("area") or "") or None,
        active=data.get("active") == "on",
        # No form offers it any more; a forged one is refused by the service, never used.
        password=str(data.get("password") or "") or None,
    )


def _cooperative_input(data: dict[str, Any]) -> CooperativeInput:
    return CooperativeInput(
        name=str(data.get("name", "")),
        province=str(data.get("province", "")),
        tax_code=str(data.get("tax_code") or "") or None,
        comune=str(data.get("comune", "")),
        areas=as_list(data.get("areas")),
        active=data.get("active") == "on",
        # Absent when the ATECO code decides the class (the form then only shows it).
        risk_class=str(data["risk_class"]) if isinstance(data.get("risk_class"), str) else None,
    )


class PeoplePages(Controller):
    path = "/admin/people"
    guards = [requires_role(Role.ADMIN, Role.COORDINATOR)]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _form(
        self, user: NamedDependency[CurrentUser], person: dict[str, Any] | None, errors: dict[str, str],
        status: int = 200, *, stored_roles: list[str] | None = None,
    ) -> Template:
        """``stored_roles``: the person's roles in the database (editing), which decide whether the
        form is offered at all."""
        choose_cooperative = service.may_choose_cooperative(user)
        return page(
            "directory/person_form.html",
            status_code=status,
            person=person,
            can_change=stored_roles is None or service.may_change_person(user, stored_roles),
            errors=errors,
            choose_cooperative=choose_cooperative,
            send_invitation=stored_roles is not None and service.may_send_invitations(user, stored_roles),
            privacy_tools=may_manage_personal_data(user),
            cooperatives=await service.list_cooperatives(active_only=True) if choose_cooperative else [],
            roles=service.assignable_roles(user),
            areas=[area.value for area in Area],
        )

    @get("/", name="people")
    async def list_people(
        self,
        user: NamedDependency[CurrentUser],
        q: FromQuery[str | None] = None,
        role: FromQuery[str | None] = None,
        cooperative_id: FromQuery[int | None] = None,
        page_number: FromQuery[int] = 1,
    ) -> Template:
        items, total = await service.list_people(
            user, cooperative_id=cooperative_id, role=role or None, q=q, page=page_number, page_size=PAGE_SIZE
        )
        cooperatives = await service.list_cooperatives()
        return page(
            "directory/people.html",
            people=items,
            total=total,
            page_number=page_number,
            pages=max(1, -(-total // PAGE_SIZE)),
            filters={"q": q or "", "role": role or "", "cooperative_id": cooperative_id},
            cooperatives=cooperatives,
            cooperative_names={c["id"]: c["name"] for c in cooperatives},
            choose_cooperative=service.may_choose_cooperative(user),
            roles=[r.value for r in Role],
        )

    @get("/import", name="people_import")
    async def import_form(self) -> Template:
        return page("directory/people_import.html", report=None, stash="", errors={}, filename="")

    @post("/import", name="people_import_check", request_max_body_size=imports.MAX_UPLOAD_BYTES + 64 * 1024)
    async def import_check(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template:
        """The dry run: the file is checked row by row and kept for the confirmation."""
        form = await request.form()
        upload = form.get("file")
        content = await upload.read() if hasattr(upload, "read") else b""
        filename = getattr(upload, "filename", "") or ""
        try:
            report = await imports.dry_run(user, content, filename)
        except imports.ImportRefused as exc:
            return page("directory/people_import.html", status_code=exc.status_code, report=None, stash="",
                        errors={"file": "; ".join(e["message"] for e in exc.row_errors)}, filename=filename)
        stash = await imports.stash_upload(user, content) if not report.errors and report.rows else ""
        errors_by_row: dict[int, list[dict[str, Any]]] = {}
        for error in report.errors:
            errors_by_row.setdefault(error["row"], []).append(error)
        return page("directory/people_import.html", status_code=422 if report.errors else 200, report=report,
                    errors_by_row=errors_by_row, stash=stash, errors={}, filename=filename)

    @post("/import/confirm", name="people_import_confirm")
    async def import_confirm(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        stash = str(data.get("stash", ""))
        try:
            report = await imports.import_people(user, await imports.take_upload(user, stash))
        except imports.ImportRefused as exc:
            return page("directory/people_import.html", status_code=exc.status_code, report=None, stash="",
                        errors={"file": "; ".join(e["message"] for e in exc.row_errors)}, filename="")
        await imports.drop_upload(stash)
        flash(request, gettext("Importazione completata: %(created)d persone aggiunte, %(updated)d aggiornate. "
                               "Le persone aggiunte ricevono un invito a scegliere la password.")
              % {"created": report.created, "updated": report.updated})
        return redirect("/admin/people")

    @get("/new", name="person_new")
    async def new_person(self, user: NamedDependency[CurrentUser]) -> Template:
        return await self._form(user, None, {})

    @post("/new", name="person_create")
    async def create_person(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            person = await service.create_person(user, _person_input(data))
        except DomainError as exc:
            return await self._form(user, {**data, "roles": as_list(data.get("roles"))}, form_errors(exc), exc.status_code)
        flash(request, gettext("Persona aggiunta: %(name)s. Riceverà per e-mail un invito a scegliere la password.")
              % {"name": person["full_name"]})
        return redirect(f"/admin/people/{person['id']}")

    @get("/{person_id:int}", name="person_edit")
    async def edit_person(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Template:
        person = await service.get_person(user, person_id)
        return await self._form(user, person, {}, stored_roles=person["roles"])

    @post("/{person_id:int}", name="person_update")
    async def update_person(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        person_input = _person_input(data)
        stored = await service.get_person(user, person_id)
        # Unticking "active" never deactivates on the spot: the other changes are saved, and the
        # confirmation page lists the enrolments deactivating will cancel.
        deactivating = stored["active"] and not person_input.active
        if deactivating:
            person_input.active = True
        try:
            await service.update_person(user, person_id, person_input)
        except DomainError as exc:
            stored = await service.get_person(user, person_id)
            return await self._form(
                user, {**data, "id": person_id, "roles": as_list(data.get("roles"))}, form_errors(exc), exc.status_code,
                stored_roles=stored["roles"],
            )
        if deactivating:
            flash(request, gettext("Modifiche salvate. Per disattivare la persona controlla e conferma qui sotto."))
            return redirect(f"/admin/people/{person_id}/deactivate")
        flash(request, gettext("Modifiche salvate."))
        return redirect(f"/admin/people/{person_id}")

    @post("/{person_id:int}/invitation", name="person_invitation")
    async def send_invitation(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], person_id: FromPath[int]
    ) -> Template | Redirect:
        try:
            await service.resend_invitation(user, person_id)
        except DomainError as exc:
            person = await service.get_person(user, person_id)
            return await self._form(user, person, form_errors(exc), exc.status_code, stored_roles=person["roles"])
        flash(request, gettext("Invito inviato: la persona riceverà un link per scegliere la password."))
        return redirect(f"/admin/people/{person_id}")


class CooperativePages(Controller):
    path = "/admin/cooperatives"
    guards = [requires_admin]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _form(self, cooperative: dict[str, Any] | None, errors: dict[str, str], status: int = 200,
                    *, user: CurrentUser | None = None, stored: dict[str, Any] | None = None) -> Template:
        """``stored``: the cooperative as saved (editing), whose ATECO code and yearly headcounts the
        page shows beside the form."""
        return page(
            "directory/cooperative_form.html",
            status_code=status,
            cooperative=cooperative,
            stored=stored,
            errors=errors,
            provinces=[p.value for p in Province],
            areas=[a.value for a in Area],
            risk_classes=[(value, gettext(RISK_CLASS_LABELS[value])) for value in RISK_CLASSES],
            headcounts=await headcounts.list_headcounts(user, stored["id"]) if stored and user else [],
            this_year=headcounts.current_year(),
        )

    def _headcount_form(self, cooperative: dict[str, Any], year: Any, figures: dict[str, Any],
                        errors: dict[str, str], status: int = 200) -> Template:
        return page("directory/headcount_form.html", status_code=status, cooperative=cooperative, year=year,
                    figures=figures, errors=errors, first_year=headcounts.MIN_YEAR,
                    last_year=headcounts.current_year() + 1)

    @get("/", name="cooperatives")
    async def list_cooperatives(self) -> Template:
        return page("directory/cooperatives.html", cooperatives=await service.list_cooperatives())

    @get("/new", name="cooperative_new")
    async def new_cooperative(self) -> Template:
        return await self._form(None, {})

    @post("/new", name="cooperative_create")
    async def create_cooperative(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            cooperative = await service.create_cooperative(user, _cooperative_input(data))
        except DomainError as exc:
            return await self._form({**data, "areas": as_list(data.get("areas"))}, form_errors(exc), exc.status_code)
        flash(request, gettext("Cooperativa aggiunta."))
        return redirect(f"/admin/cooperatives/{cooperative['id']}")

    @get("/{cooperative_id:int}", name="cooperative_edit")
    async def edit_cooperative(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int]) -> Template:
        cooperative = await service.get_cooperative(cooperative_id)
        return await self._form(cooperative, {}, user=user, stored=cooperative)

    @post("/{cooperative_id:int}", name="cooperative_update")
    async def update_cooperative(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], cooperative_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await service.update_cooperative(user, cooperative_id, _cooperative_input(data))
        except DomainError as exc:
            stored = await service.get_cooperative(cooperative_id)
            return await self._form(
                {**data, "id": cooperative_id, "areas": as_list(data.get("areas"))}, form_errors(exc), exc.status_code,
                user=user, stored=stored,
            )
        flash(request, gettext("Modifiche salvate."))
        return redirect(f"/admin/cooperatives/{cooperative_id}")

    @get("/{cooperative_id:int}/headcount", name="cooperative_headcount")
    async def headcount(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int],
                        year: FromQuery[int | None] = None) -> Template:
        """The figures of one year (``?year=``, this year by default), filled in when already entered."""
        cooperative = await service.get_cooperative(cooperative_id)
        year = year or headcounts.current_year()
        known = {row["year"]: row for row in await headcounts.list_headcounts(user, cooperative_id)}
        return self._headcount_form(cooperative, year, known.get(year, {}), {})

    @post("/{cooperative_id:int}/headcount", name="cooperative_headcount_save")
    async def save_headcount(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                             cooperative_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        figures = headcounts.HeadcountInput(**{name: data.get(name) for name in headcounts.FIGURES})
        try:
            saved = await headcounts.save_headcount(user, cooperative_id, data.get("year"), figures)
        except DomainError as exc:
            cooperative = await service.get_cooperative(cooperative_id)
            return self._headcount_form(cooperative, data.get("year"), data, form_errors(exc), exc.status_code)
        flash(request, gettext("Personale del %(year)d salvato.") % {"year": saved["year"]})
        return redirect(f"/admin/cooperatives/{cooperative_id}")


ROUTES = [PeoplePages, CooperativePages]
