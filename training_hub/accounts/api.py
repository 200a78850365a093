"""JSON API: bearer tokens and the current person."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from training_hub.accounts.links import RESET_ACCEPTED, request_password_reset, set_password_with_link
from training_hub.accounts.pages import client_address
from training_hub.accounts.schemas import (
    MeOut,
    PasswordResetAccepted,
    PasswordResetConfirm,
    PasswordResetRequest,
    TokenOut,
    TokenRequest,
)
from training_hub.accounts.service import authenticate, issue_api_token, revoke_api_token
from training_hub.calendars.tokens import current_feed_url
from training_hub.core.i18n import gettext
from training_hub.core.schemas import Instant
from training_hub.web.auth import CurrentUser, provide_user, requires_login


async def calendar_url_for(user: NamedDependency[CurrentUser]) -> str | None:
    """The person's current personal feed URL (created on first use; see calendars/tokens.py)."""
    return await current_feed_url(user)


class AuthApi(Controller):
    path = "/api/auth"
    tags = ["auth"]  # noqa: RUF012

    @post("/tokens", status_code=HTTP_201_CREATED, summary="Ottieni un token per l'API",
          security=[{}])  # the one operation open to anyone: it is how a program gets its token
    async def create_token(self, request: Request[Any, Any, Any], data: JSONBody[TokenRequest]) -> TokenOut:
        user = await authenticate(data.email, data.password, client=client_address(request))
        token, expires_at = await issue_api_token(user.id)
        return TokenOut(token=token, expires_at=Instant.of(expires_at))

    @post("/password-reset", status_code=HTTP_202_ACCEPTED, summary="Chiedi un link per una nuova password",
          security=[{}])
    async def password_reset(
        self, request: Request[Any, Any, Any], data: JSONBody[PasswordResetRequest]
    ) -> PasswordResetAccepted:
        """The same answer whether or not the address exists; the link is e-mailed, valid once for an hour."""
        await request_password_reset(data.email, client=client_address(request))
        return PasswordResetAccepted(detail=gettext(RESET_ACCEPTED))

    @post("/password-reset/confirm", status_code=HTTP_204_NO_CONTENT, summary="Imposta la password con il link",
          security=[{}])
    async def password_reset_confirm(self, data: JSONBody[PasswordResetConfirm]) -> None:
        await set_password_with_link(data.token, data.password, data.password)

    @post(
        "/tokens/revoke",
        status_code=HTTP_204_NO_CONTENT,
        guards=[requires_login],
        summary="Revoca il token in uso",
    )
    async def revoke_token(self, request: Request[Any, Any, Any]) -> None:
        authorization = request.headers.get("authorization", "")
        if authorization[:7].lower() == "bearer ":
            await revoke_api_token(authorization[7:].strip())


class MeApi(Controller):
    path = "/api/me"
    tags = ["auth"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", summary="La persona collegata")
    async def me(self, user: NamedDependency[CurrentUser]) -> MeOut:
        return MeOut(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            roles=sorted(user.roles),
            cooperative_id=user.cooperative_id,
            calendar_url=await calendar_url_for(user),
        )


ROUTES = [AuthApi, MeApi]
