"""Home page, language switch, health checks."""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from training_hub.core.db import get_engine, ping
from training_hub.core.i18n import LANGUAGES
from training_hub.core.settings import get_settings
from training_hub.home.service import admin_hub_counts, home_summary
from training_hub.web.auth import LANGUAGE_COOKIE, CurrentUser, requires_admin, requires_coordinator
from training_hub.web.lifecycle import shutting_down
from training_hub.web.responses import form_dict, page, redirect, safe_next


class HomeController(Controller):
    include_in_schema = False

    @get("/", name="home")
    async def home(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        user: CurrentUser | None = request.scope.get("user")
        if user is None:
            return redirect("/login")
        return page("home/index.html", summary=await home_summary(user))

    @post("/language", name="language")
    async def switch_language(self, request: Request[Any, Any, Any]) -> Redirect:
        data = await form_dict(request)
        requested = data.get("language")
        language = requested if isinstance(requested, str) and requested in LANGUAGES else "it"
        response = redirect(safe_next(data.get("next"), "/"))
        response.cookies.append(
            Cookie(key=LANGUAGE_COOKIE, value=language, max_age=365 * 24 * 3600, httponly=True, samesite="lax",
                   secure=get_settings().secure_cookies)
        )
        return response


class HubPages(Controller):
    """Landing pages grouping the office's and the coordinator's tools, so the menu stays short."""

    include_in_schema = False

    @get("/admin", name="admin_hub", guards=[requires_admin])
    async def admin_hub(self) -> Template:
        return page("home/admin_hub.html", counts=await admin_hub_counts())

    @get("/cooperative", name="cooperative_hub", guards=[requires_coordinator])
    async def cooperative_hub(self) -> Template:
        return page("home/cooperative_hub.html")


class HealthController(Controller):
    @get("/healthz", media_type=MediaType.JSON, tags=["health"], summary="Il processo è vivo (senza database)")
    async def healthz(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/readyz", media_type=MediaType.JSON, tags=["health"], summary="Il database risponde")
    async def readyz(self) -> Response[dict[str, str]]:
        if shutting_down():  # web/lifecycle.py: from SIGTERM on, send no new traffic here
            return Response({"status": "shutting-down", "database": "unknown"}, status_code=503)
        try:
            await ping(get_engine())
        except Exception:  # any failure to reach the database means "not ready"
            return Response({"status": "unavailable", "database": "unreachable"}, status_code=503)
        return Response({"status": "ok", "database": "ok"})


ROUTES = [HomeController, HubPages, HealthController]
