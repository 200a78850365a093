"""Enrolment pages: my enrolments, enrol and cancel (a confirmation page, then a form post), the
participant list, the cooperative's and the tutor's enrolments, approvals, accessibility needs.

Everything works without JavaScript: a "button" that changes something is a link to a confirmation
page whose form posts. Rules and permissions are the service's; these controllers parse the form,
call one service function and render, showing refusals next to the field they concern.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from training_hub.core.db import form_id
from training_hub.core.errors import DomainError, ValidationFailed
from training_hub.core.i18n import N_, gettext, ngettext
from training_hub.core.tables import Role
from training_hub.directory.service import list_cooperatives
from training_hub.enrolment import office_pages
from training_hub.enrolment.actions import (
    EnrolmentResult,
    approve_enrolment,
    cancel_enrolment,
    change_capacity,
    enrol_person,
    reject_enrolment,
)
from training_hub.enrolment.eligibility import STATUS_LABELS, VIA_LABELS, OverlapWarning, load_person
from training_hub.enrolment.lists import (
    cooperative_enrolments,
    followed_people,
    list_course_enrolments,
    my_enrolments,
    open_courses,
    pending_approvals,
    people_to_enrol,
)
from training_hub.enrolment.needs import NeedsInput, get_accessibility_needs, set_accessibility_needs
from training_hub.enrolment.panel import cancel_preview, decision_preview, enrolment_preview
from training_hub.web.auth import CurrentUser, provide_user, requires_login, requires_role
from training_hub.web.responses import flash, form_dict, form_errors, page, redirect, safe_next

LABELS = {"status_labels": STATUS_LABELS, "via_labels": VIA_LABELS}


def _person_id(value: Any) -> int | None:
    """The person to enrol on someone's behalf; None (oneself) only when none is given."""
    person = form_id(value)
    if str(value or "").strip() and person is None:
        raise ValidationFailed(N_("Scegli la persona da iscrivere."), field="person_id")
    return person


def _checked(data: dict[str, Any], name: str) -> bool:
    return data.get(name) in ("on", "1", "true", "yes")


def _outcome_message(result: EnrolmentResult, preview_person: str | None) -> str:
    """The flash shown after an enrolment, for oneself or for someone else."""
    if preview_person:
        messages = {
            "confirmed": N_("Iscrizione di %(name)s confermata."),
            "waitlisted": N_(
                "Il corso è al completo: %(name)s è in lista d'attesa, in posizione %(position)d."
            ),
            "pending": N_("Richiesta di iscrizione per %(name)s inviata: il corso richiede l'approvazione."),
        }
    else:
        messages = {
            "confirmed": N_("Iscrizione confermata. Ti abbiamo inviato gli incontri per il tuo calendario."),
            "waitlisted": N_("Il corso è al completo: sei in lista d'attesa, in posizione %(position)d."),
            "pending": N_(
                "Richiesta inviata: il corso richiede l'approvazione, ti scriveremo appena sarà esaminata."
            ),
        }
    return gettext(messages[result.status]) % {
        "name": preview_person or "",
        "position": result.waitlist_position or 0,
    }


def _after_enrolment(user: CurrentUser, result: EnrolmentResult) -> str:
    if result.person_id == user.id:
        return "/my/enrolments"
    if user.is_admin:
        return f"/courses/{result.course_id}/participants"
    if user.has_role(Role.COORDINATOR):
        return "/coordinator/enrolments"
    return "/tutor/people"


def _enrol_errors(exc: DomainError) -> tuple[dict[str, str], list[str]]:
    """Errors for the enrol forms: field messages (person, course), the rest in the summary.

    An overlap warning comes back as the list of overlaps and an error on the confirmation box.
    """
    if isinstance(exc, OverlapWarning):
        return {"confirm_warnings": exc.detail}, [issue.text for issue in exc.issues]
    errors = form_errors(exc)
    if "__all__" not in errors:
        errors["__all__"] = exc.detail
    return errors, []


class MyEnrolmentsPages(Controller):
    path = "/my"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/enrolments", name="my_enrolments")
    async def my_enrolments(self, user: NamedDependency[CurrentUser]) -> Template:
        return page("enrolment/my_enrolments.html", enrolments=await my_enrolments(user), **LABELS)

    @get("/accessibility", name="my_accessibility")
    async def my_accessibility(self, user: NamedDependency[CurrentUser]) -> Redirect:
        return redirect(f"/people/{user.id}/accessibility")


class CoursePages(Controller):
    path = "/courses"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _confirm(
        self,
        user: CurrentUser,
        course_id: int,
        person_id: int | None,
        next_url: str,
        errors: dict[str, str] | None = None,
        warnings: list[str] | None = None,
        status: int = 200,
    ) -> Template:
        preview = await enrolment_preview(user, course_id, person_id)
        return page(
            "enrolment/enrol_confirm.html",
            status_code=status,
            preview=preview,
            errors=errors or {},
            pending_warnings=warnings if warnings is not None else preview["warnings"],
            next=next_url,
        )

    @get("/{course_id:int}/enrol", name="enrol_confirm")
    async def enrol_form(
        self,
        user: NamedDependency[CurrentUser],
        course_id: FromPath[int],
        person_id: FromQuery[str | None] = None,
        next: FromQuery[str | None] = None,
    ) -> Template:
        return await self._confirm(user, course_id, _person_id(person_id), safe_next(next, ""))

    @post("/{course_id:int}/enrol", name="enrol_submit")
    async def enrol(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        person_id = _person_id(data.get("person_id"))
        next_url = safe_next(data.get("next"), "")
        try:
            result = await enrol_person(
                user, course_id, person_id, confirm_warnings=_checked(data, "confirm_warnings")
            )
        except DomainError as exc:
            errors, warnings = _enrol_errors(exc)
            return await self._confirm(
                user, course_id, person_id, next_url, errors, warnings or None, exc.status_code
            )
        on_behalf = result.person_id != user.id
        name = (await load_person(result.person_id) or {}).get("full_name") if on_behalf else None
        flash(request, _outcome_message(result, name))
        return redirect(next_url or _after_enrolment(user, result))

    @get(
        "/{course_id:int}/participants",
        name="participants",
        guards=[requires_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR)],
    )
    async def participants(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        return await self._participants(user, course_id)

    async def _participants(
        self,
        user: CurrentUser,
        course_id: int,
        errors: dict[str, str] | None = None,
        capacity: Any = None,
        status: int = 200,
    ) -> Template:
        listing = await list_course_enrolments(user, course_id)
        return page(
            "enrolment/participants.html",
            status_code=status,
            listing=listing,
            errors=errors or {},
            capacity_value=capacity if capacity is not None else listing.course.capacity,
            **LABELS,
        )

    @post(
        "/{course_id:int}/capacity",
        name="capacity_submit",
        guards=[requires_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR)],
    )
    async def capacity(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        try:
            result = await change_capacity(user, course_id, data.get("capacity"))
        except ValidationFailed as exc:
            return await self._participants(
                user, course_id, form_errors(exc), data.get("capacity"), exc.status_code
            )
        if result["promoted"]:
            flash(
                request,
                ngettext(
                    "Posti aggiornati: %(num)d persona è passata dalla lista d'attesa agli iscritti.",
                    "Posti aggiornati: %(num)d persone sono passate dalla lista d'attesa agli iscritti.",
                    len(result["promoted"]),
                )
                % {"num": len(result["promoted"])},
            )
        else:
            flash(request, gettext(N_("Posti aggiornati.")))
        return redirect(f"/courses/{course_id}/participants")


class EnrolmentPages(Controller):
    path = "/enrolments"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _cancel_page(
        self,
        user: CurrentUser,
        enrolment_id: int,
        next_url: str,
        errors: dict[str, str] | None = None,
        reason: str = "",
        status: int = 200,
    ) -> Template:
        preview = await cancel_preview(user, enrolment_id)
        return page(
            "enrolment/cancel_confirm.html",
            status_code=status,
            preview=preview,
            errors=errors or {},
            reason=reason,
            next=next_url,
        )

    @get("/{enrolment_id:int}/cancel", name="cancel_confirm")
    async def cancel_form(
        self,
        user: NamedDependency[CurrentUser],
        enrolment_id: FromPath[int],
        next: FromQuery[str | None] = None,
    ) -> Template:
        return await self._cancel_page(user, enrolment_id, safe_next(next, ""))

    @post("/{enrolment_id:int}/cancel", name="cancel_submit")
    async def cancel(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], enrolment_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        reason = str(data.get("reason") or "")
        next_url = safe_next(data.get("next"), "")
        try:
            result = await cancel_enrolment(user, enrolment_id, reason)
        except DomainError as exc:
            errors = form_errors(exc)
            if "reason" not in errors:
                errors["__all__"] = exc.detail
            return await self._cancel_page(user, enrolment_id, next_url, errors, reason, exc.status_code)
        flash(request, gettext(N_("Iscrizione annullata.")))
        if result.promoted:
            flash(request, gettext(N_("Il posto è andato alla prima persona in lista d'attesa.")))
        return redirect(
            next_url
            or (
                "/my/enrolments"
                if result.person_id == user.id
                else f"/courses/{result.course_id}/participants"
            )
        )

    async def _decision_page(
        self,
        user: CurrentUser,
        enrolment_id: int,
        next_url: str,
        errors: dict[str, str] | None = None,
        reason: str = "",
        status: int = 200,
    ) -> Template:
        preview = await decision_preview(user, enrolment_id)
        return page(
            "enrolment/decide.html",
            status_code=status,
            preview=preview,
            errors=errors or {},
            reason=reason,
            next=next_url,
            **LABELS,
        )

    @get("/{enrolment_id:int}/decide", name="decide", guards=[requires_role(Role.ADMIN, Role.COORDINATOR)])
    async def decide(
        self,
        user: NamedDependency[CurrentUser],
        enrolment_id: FromPath[int],
        next: FromQuery[str | None] = None,
    ) -> Template:
        return await self._decision_page(user, enrolment_id, safe_next(next, ""))

    @post("/{enrolment_id:int}/approve", name="approve", guards=[requires_role(Role.ADMIN, Role.COORDINATOR)])
    async def approve(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], enrolment_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._decide(request, user, enrolment_id, approve=True)

    @post("/{enrolment_id:int}/reject", name="reject", guards=[requires_role(Role.ADMIN, Role.COORDINATOR)])
    async def reject(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], enrolment_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._decide(request, user, enrolment_id, approve=False)

    async def _decide(
        self, request: Request[Any, Any, Any], user: CurrentUser, enrolment_id: int, *, approve: bool
    ) -> Template | Redirect:
        data = await form_dict(request)
        reason = str(data.get("reason") or "")
        next_url = safe_next(data.get("next"), "")
        try:
            if approve:
                result = await approve_enrolment(user, enrolment_id, reason)
            else:
                result = await reject_enrolment(user, enrolment_id, reason)
        except ValidationFailed as exc:
            return await self._decision_page(
                user, enrolment_id, next_url, form_errors(exc), reason, exc.status_code
            )
        messages = {
            "confirmed": N_("Richiesta approvata: posto confermato."),
            "waitlisted": N_("Richiesta approvata: il corso è al completo, la persona è in lista d'attesa."),
            "rejected": N_("Richiesta respinta. Il motivo è stato comunicato alla persona."),
        }
        flash(request, gettext(messages[result.status]))
        return redirect(next_url or "/admin/approvals")


class OnBehalfMixin:
    """The enrol-on-behalf form shared by the coordinator's and the tutor's pages."""

    template = ""
    url = ""

    def _scope(self, user: CurrentUser, cooperative_id: int | None) -> int | None:
        return None

    async def _context(self, user: CurrentUser, cooperative_id: int | None) -> dict[str, Any]:
        raise NotImplementedError

    async def _render(
        self,
        user: CurrentUser,
        cooperative_id: int | None,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        warnings: list[str] | None = None,
        status: int = 200,
    ) -> Template:
        scope = self._scope(user, cooperative_id)
        return page(
            self.template,
            status_code=status,
            form=form or {},
            errors=errors or {},
            warnings=warnings or [],
            people=await people_to_enrol(user, scope),
            courses=await open_courses(user),
            **LABELS,
            **await self._context(user, scope),
        )

    async def _enrol(self, request: Request[Any, Any, Any], user: CurrentUser) -> Template | Redirect:
        data = await form_dict(request)
        cooperative_id = form_id(data.get("cooperative_id"))
        person_id, course_id = form_id(data.get("person_id")), form_id(data.get("course_id"))
        errors: dict[str, str] = {}
        if person_id is None:
            errors["person_id"] = gettext(N_("Scegli la persona da iscrivere."))
        if course_id is None:
            errors["course_id"] = gettext(N_("Scegli il corso."))
        if errors:
            return await self._render(user, cooperative_id, data, errors, status=422)
        assert person_id is not None and course_id is not None
        try:
            # Who may enrol whom, and in which course, is checked here; what the person would get
            # (a seat, the waiting list and its position, a request) is said on the confirmation page.
            await enrolment_preview(user, course_id, person_id)
        except DomainError as exc:
            errors, warnings = _enrol_errors(exc)
            if exc.status_code == 404:
                errors = {"course_id": exc.detail, "__all__": exc.detail}
            return await self._render(user, cooperative_id, data, errors, warnings, exc.status_code)
        back = self.url + (f"?cooperative_id={cooperative_id}" if cooperative_id and user.is_admin else "")
        return redirect(f"/courses/{course_id}/enrol?{urlencode({'person_id': person_id, 'next': back})}")


class CoordinatorPages(OnBehalfMixin, Controller):
    path = "/coordinator/enrolments"
    guards = [requires_role(Role.COORDINATOR, Role.ADMIN)]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012
    template = "enrolment/coordinator.html"
    url = "/coordinator/enrolments"

    def _scope(self, user: CurrentUser, cooperative_id: int | None) -> int | None:
        """Coordinators work on their own cooperative; the office on the one it picks (its own by default)."""
        if user.is_admin:
            return cooperative_id or user.cooperative_id
        return user.cooperative_id

    async def _context(self, user: CurrentUser, cooperative_id: int | None) -> dict[str, Any]:
        return {
            "cooperative_id": cooperative_id,
            "cooperatives": await list_cooperatives() if user.is_admin else [],
            "enrolments": await cooperative_enrolments(user, cooperative_id),
        }

    @get("/", name="coordinator_enrolments")
    async def list_enrolments(
        self, user: NamedDependency[CurrentUser], cooperative_id: FromQuery[str | None] = None
    ) -> Template:
        return await self._render(user, form_id(cooperative_id))

    @post("/", name="coordinator_enrol")
    async def enrol(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        return await self._enrol(request, user)


class TutorPages(OnBehalfMixin, Controller):
    path = "/tutor/people"
    guards = [requires_role(Role.TUTOR)]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012
    template = "enrolment/tutor.html"
    url = "/tutor/people"

    async def _context(self, user: CurrentUser, cooperative_id: int | None) -> dict[str, Any]:
        return {"followed": await followed_people(user)}

    @get("/", name="tutor_people")
    async def list_people(self, user: NamedDependency[CurrentUser]) -> Template:
        return await self._render(user, None)

    @post("/", name="tutor_enrol")
    async def enrol(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        return await self._enrol(request, user)


class ApprovalPages(Controller):
    path = "/admin/approvals"
    guards = [requires_role(Role.ADMIN, Role.COORDINATOR)]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", name="approvals")
    async def approvals(self, user: NamedDependency[CurrentUser]) -> Template:
        return page("enrolment/approvals.html", requests=await pending_approvals(user), **LABELS)


class AccessibilityPages(Controller):
    path = "/people/{person_id:int}/accessibility"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", name="accessibility")
    async def show(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Template:
        needs = await get_accessibility_needs(user, person_id)
        return page("enrolment/accessibility.html", needs=needs, errors={})

    @post("/", name="accessibility_submit")
    async def save(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], person_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        needs = NeedsInput(
            step_free_access=_checked(data, "step_free_access"),
            interpreter=_checked(data, "interpreter"),
            easy_read=_checked(data, "easy_read"),
            companion=_checked(data, "companion"),
            notes=str(data.get("notes") or ""),
        )
        try:
            await set_accessibility_needs(user, person_id, needs)
        except ValidationFailed as exc:
            current = await get_accessibility_needs(user, person_id)
            return page(
                "enrolment/accessibility.html",
                status_code=exc.status_code,
                needs={**current, **vars(needs)},
                errors=form_errors(exc),
            )
        flash(request, gettext(N_("Necessità di accessibilità salvate.")))
        return redirect(f"/people/{person_id}/accessibility")


ROUTES = [
    *office_pages.ROUTES,
    MyEnrolmentsPages,
    CoursePages,
    EnrolmentPages,
    CoordinatorPages,
    TutorPages,
    ApprovalPages,
    AccessibilityPages,
]
