"""Login, logout, profile and the person's own password."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from training_hub.accounts.links import LinkPurpose, open_link, request_password_reset, set_password_with_link
from training_hub.accounts.service import authenticate, change_own_password, session_stamp
from training_hub.calendars.panel import calendar_panel_context
from training_hub.core.errors import DomainError, InvalidCredentials, NotFound, TooManyAttempts
from training_hub.core.i18n import gettext
from training_hub.directory.service import get_cooperative
from training_hub.web.auth import (
    SESSION_PASSWORD_KEY,
    SESSION_PERSON_KEY,
    CurrentUser,
    provide_user,
    requires_login,
)
from training_hub.web.responses import flash, form_dict, form_errors, page, redirect, safe_next


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


class LoginController(Controller):
    include_in_schema = False

    @get("/login", name="login")
    async def login_form(self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None) -> Template | Redirect:
        if request.scope.get("user") is not None:
            return redirect(safe_next(next))
        return page("accounts/login.html", next=safe_next(next), email="", errors={})

    @post("/login", name="login_submit")
    async def login(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await form_dict(request)
        email = str(data.get("email", ""))
        target = safe_next(data.get("next"))
        try:
            user = await authenticate(email, str(data.get("password", "")), client=client_address(request))
        except (InvalidCredentials, TooManyAttempts) as exc:
            status = exc.status_code if isinstance(exc, TooManyAttempts) else 400
            return page(
                "accounts/login.html", status_code=status, next=target, email=email, errors=form_errors(exc)
            )
        request.session[SESSION_PERSON_KEY] = user.id
        request.session[SESSION_PASSWORD_KEY] = await session_stamp(user.id)
        return redirect(target)

    @post("/logout", name="logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        request.set_session({})  # a new, empty session, carrying only the goodbye
        flash(request, gettext("Sei uscito da Training Hub."))
        return redirect("/login")


class ProfileController(Controller):
    path = "/profile"
    guards = [requires_login]
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", name="profile")
    async def profile(self, user: NamedDependency[CurrentUser]) -> Template:
        cooperative = await get_cooperative(user.cooperative_id) if user.cooperative_id else None
        return page("accounts/profile.html", cooperative=cooperative, calendar=await calendar_panel_context(user))

    @get("/password", name="password_form")
    async def password_form(self) -> Template:
        return page("accounts/password.html", errors={})

    @post("/password", name="password_submit")
    async def change_password(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await change_own_password(
                user,
                str(data.get("current_password", "")),
                str(data.get("new_password", "")),
                str(data.get("confirm_password", "")),
            )
        except DomainError as exc:
            return page("accounts/password.html", status_code=exc.status_code, errors=form_errors(exc))
        # This browser stays logged in; every other session of the person ends.
        request.session[SESSION_PASSWORD_KEY] = await session_stamp(user.id)
        flash(request, gettext("La password è stata cambiata."))
        return redirect("/profile")


class PasswordResetController(Controller):
    """"Hai dimenticato la password?" and the page every e-mailed link (reset, invitation) opens."""

    path = "/password"
    include_in_schema = False

    @get("/forgot", name="password_forgot")
    async def forgot_form(self) -> Template:
        return page("accounts/password_forgot.html", email="", errors={}, sent=False)

    @post("/forgot", name="password_forgot_submit")
    async def forgot(self, request: Request[Any, Any, Any]) -> Template:
        data = await form_dict(request)
        email = str(data.get("email", ""))
        try:
            await request_password_reset(email, client=client_address(request))
        except TooManyAttempts as exc:
            return page("accounts/password_forgot.html", status_code=exc.status_code, email=email,
                        errors={"email": exc.detail}, sent=False)
        # The same page whether or not the address exists.
        return page("accounts/password_forgot.html", email=email, errors={}, sent=True)

    @get("/reset", name="password_reset")
    async def reset_form(self, token: FromQuery[str] = "") -> Template:
        try:
            link = await open_link(token)
        except NotFound as exc:
            return page("accounts/password_reset.html", status_code=404, link=None, token="", errors={},
                        invalid=exc.detail)
        return page("accounts/password_reset.html", link=link, token=token, errors={}, invalid=None,
                    invitation=link.purpose == LinkPurpose.INVITATION)

    @post("/reset", name="password_reset_submit")
    async def reset(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await form_dict(request)
        token = str(data.get("token", ""))
        try:
            await set_password_with_link(token, str(data.get("new_password", "")), str(data.get("confirm_password", "")))
        except NotFound as exc:
            return page("accounts/password_reset.html", status_code=404, link=None, token="", errors={},
                        invalid=exc.detail)
        except DomainError as exc:
            link = await open_link(token)
            return page("accounts/password_reset.html", status_code=exc.status_code, link=link, token=token,
                        errors=form_errors(exc), invalid=None, invitation=link.purpose == LinkPurpose.INVITATION)
        flash(request, gettext("Password impostata: ora puoi accedere con la nuova password."))
        return redirect("/login")


ROUTES = [LoginController, ProfileController, PasswordResetController]
