"""Who is asking: the session cookie (pages) or a bearer token (API), and the ``requires_*`` guards.

The middleware puts a :class:`CurrentUser` (or ``None``) in ``scope["user"]`` and in a context variable
that templates read, and sets the request's language. Guards only check roles; the rules about
*which* cooperative's data a person may touch live in the services (see ``accounts/permissions.py``).
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from litestar import Request
from litestar.middleware import ASGIMiddleware

from training_hub.core.db import fetch_one
from training_hub.core.errors import NotAuthenticated, PermissionDenied
from training_hub.core.i18n import N_, pick_language, reset_language, set_language
from training_hub.core.identity import (
    CurrentUser,
    reset_current_user,
    set_current_user,
)
from training_hub.core.security import hash_secret, password_stamp
from training_hub.core.tables import Role
from training_hub.core.timeutil import utcnow

if TYPE_CHECKING:
    from litestar.connection import ASGIConnection
    from litestar.handlers.base import BaseRouteHandler
    from litestar.types import ASGIApp, Receive, Scope, Send

SESSION_PERSON_KEY = "person_id"
# A fingerprint of the password hash the session was opened with: changing or resetting the password
# changes it, and every other browser logged in as that person is logged out.
SESSION_PASSWORD_KEY = "pw"
LANGUAGE_COOKIE = "lang"

# What a request needs to know of the person behind it; the session store reads the same columns
# together with the session and leaves them in the scope under SESSION_PERSON_ROW_KEY.
PERSON_COLUMNS = ("id", "email", "full_name", "roles", "cooperative", "language", "password_hash")
SESSION_PERSON_ROW_KEY = "_training_hub_session_person"
_USER_SQL = f"SELECT {', '.join(PERSON_COLUMNS)} FROM person WHERE id = {{}} AND active = {{}}"
_TOKEN_SQL = (
    "SELECT p.id, p.email, p.full_name, p.roles, p.cooperative, p.language "
    "FROM api_token t JOIN person p ON p.id = t.person "
    "WHERE t.token_hash = {} AND t.expires_at > {} AND t.revoked_at IS NULL AND p.active = {}"
)




async def user_for_person_id(
    person_id: int, *, stamp: str | None = None, row: dict[str, Any] | None = None
) -> CurrentUser | None:
    """The active person; with ``stamp``, only if their password is still the one the session saw.

    ``row``: the person as the session store already read them (see ``PERSON_COLUMNS``), if it did.
    """
    if row is None or row["id"] != person_id:
        # Hand-written SQL: this runs on every request (see db.fetch_all).
        row = await fetch_one(_USER_SQL, person_id, True)
    if row is None or (stamp is not None and not hmac.compare_digest(stamp, password_stamp(row["password_hash"]))):
        return None
    return CurrentUser.from_row(row)


async def user_for_api_token(token: str) -> CurrentUser | None:
    row = await fetch_one(_TOKEN_SQL, hash_secret(token), utcnow(), True)
    return CurrentUser.from_row(row, via_token=True) if row else None


class AuthenticationMiddleware(ASGIMiddleware):
    """Resolve the user from a bearer token or the session, and pick the request's language."""

    scopes = ("http",)  # type: ignore[assignment]
    # Static files and health checks never need to know who asks.
    should_bypass_for_scope = staticmethod(  # type: ignore[assignment]
        lambda scope: scope["path"].startswith("/static/") or scope["path"] in ("/healthz", "/readyz", "/metrics")
    )

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        user: CurrentUser | None = None
        headers = dict(scope.get("headers", []))
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if authorization[:7].lower() == "bearer ":
            user = await user_for_api_token(authorization[7:].strip())
        else:
            session = scope.get("session") or {}
            person_id = session.get(SESSION_PERSON_KEY) if isinstance(session, dict) else None
            stamp = session.get(SESSION_PASSWORD_KEY) if isinstance(session, dict) else None
            if isinstance(person_id, int) and isinstance(stamp, str):
                user = await user_for_person_id(person_id, stamp=stamp, row=scope.get(SESSION_PERSON_ROW_KEY))
        scope["user"] = user
        user_token = set_current_user(user)
        cookie_language = _cookie(headers.get(b"cookie", b"").decode("latin-1"), LANGUAGE_COOKIE)
        language_token = set_language(pick_language(cookie_language, user.language if user else None))
        try:
            await next_app(scope, receive, send)
        finally:
            reset_current_user(user_token)
            reset_language(language_token)


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


# Guards ------------------------------------------------------------------------------------------


def user_of(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    return connection.scope.get("user")  # type: ignore[return-value]


# Guards are coroutines: Litestar runs a plain function guard in a worker thread, a hop that costs
# more than the check itself on every request (measured: the largest item of a simple page's profile).


def _ensure_logged_in(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser:
    user = user_of(connection)
    if user is None:
        raise NotAuthenticated(N_("Per continuare accedi con le tue credenziali."))
    return user


async def requires_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    _ensure_logged_in(connection)


def requires_role(*roles: str):
    """A guard letting through people holding at least one of ``roles``."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        user = _ensure_logged_in(connection)
        if not user.has_role(*roles):
            raise PermissionDenied(N_("La tua utenza non ha il ruolo necessario per questa pagina."))

    guard.__name__ = "requires_" + "_or_".join(roles)
    return guard


requires_admin = requires_role(Role.ADMIN)
requires_trainer = requires_role(Role.TRAINER, Role.ADMIN)
requires_coordinator = requires_role(Role.COORDINATOR, Role.ADMIN)
requires_staff = requires_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR)


def provide_user(request: Request[Any, Any, Any]) -> CurrentUser:
    """Dependency: the logged-in person (routes using it are guarded by ``requires_login``)."""
    user = request.scope.get("user")
    if user is None:
        raise NotAuthenticated(N_("Per continuare accedi con le tue credenziali."))
    return user


def provide_optional_user(request: Request[Any, Any, Any]) -> CurrentUser | None:
    return request.scope.get("user")
