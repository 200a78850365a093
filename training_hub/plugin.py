"""The one plugin that wires Training Hub into Litestar: routes, templates, sessions, CSRF, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.config.csrf import CSRFConfig
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins import InitPluginProtocol
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsPlugin
from litestar.static_files import create_static_files_router

from training_hub.core.changes import listener_for
from training_hub.core.db import get_engine, start_engine, stop_engine
from training_hub.core.logs import formatter_path, install_request_id_factory
from training_hub.core.settings import PROJECT_ROOT, get_settings
from training_hub.housekeeping import housekeeping_lifespan
from training_hub.notifications.worker import notifications_lifespan
from training_hub.routes import all_route_handlers
from training_hub.web.access_log import AccessLogMiddleware
from training_hub.web.auth import AuthenticationMiddleware
from training_hub.web.exceptions import EXCEPTION_HANDLERS, handle_problem_details
from training_hub.web.headers import add_security_headers
from training_hub.web.lifecycle import lifecycle_lifespan
from training_hub.web.metrics import PROMETHEUS, MetricsController
from training_hub.web.requests import refuse_deep_json
from training_hub.web.schemas import TYPE_ENCODERS, InstantSchemaPlugin
from training_hub.web.sessions import DatabaseSessionConfig, DatabaseStore
from training_hub.web.templating import create_template_config

# Paths that never use the cookie session: the bearer-token API, feeds, static files, health checks.
# A single session's download (/calendar/sessions/…) keeps it: a logged-in person may see more.
SESSIONLESS_PATHS = ["^/api/", "^/calendar/(?!sessions/)", "^/static/", "^/healthz$", "^/readyz$", "^/schema",
                     "^/metrics$"]

# Background work started with the server (the notifications outbox, for instance). Each entry is
# an async context manager factory receiving the app; features append to it.
BACKGROUND_TASKS: list[Callable[[Litestar], Any]] = [housekeeping_lifespan, notifications_lifespan]


@asynccontextmanager
async def database_lifespan(app: Litestar) -> AsyncIterator[None]:
    engine = get_engine()
    started = await start_engine(engine)
    # Other instances' writes reach this process's caches within a second (PostgreSQL; core/changes.py).
    listener = listener_for(engine)
    if listener is not None:
        listener.start()
    try:
        yield
    finally:
        if listener is not None:
            await listener.stop()
        await stop_engine(engine, started=started)


class TrainingHubPlugin(InitPluginProtocol):
    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        settings = get_settings()
        app_config.route_handlers.extend(all_route_handlers())
        app_config.route_handlers.append(MetricsController)
        app_config.route_handlers.append(
            create_static_files_router(path="/static", directories=[PROJECT_ROOT / "static"], include_in_schema=False)
        )
        sessions = DatabaseSessionConfig(
            key="th_session",
            max_age=settings.session_max_age_seconds,
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
            exclude=SESSIONLESS_PATHS,
        )
        app_config.stores = {"sessions": DatabaseStore("sessions")}
        # Outermost first: the access line and its request id cover everything below, including the
        # Prometheus timing.
        app_config.middleware.extend(
            [AccessLogMiddleware(), PROMETHEUS.middleware, sessions.middleware, AuthenticationMiddleware()]
        )
        app_config.csrf_config = CSRFConfig(
            secret=settings.secret_key,
            cookie_name="th_csrf",
            cookie_httponly=True,
            cookie_samesite="lax",
            cookie_secure=settings.secure_cookies,
            header_name="x-csrftoken",
            # The API authenticates with bearer tokens only, never cookies, so it cannot be forged
            # cross-site; feeds and health checks take no writes.
            exclude=["^/api/", "^/calendar/", "^/healthz$", "^/readyz$", "^/metrics$"],
        )
        app_config.template_config = create_template_config()
        app_config.exception_handlers.update(EXCEPTION_HANDLERS)
        # Litestar's problem details (RFC 9457): a ProblemDetailsException raised anywhere answers
        # problem+json on the API and an Italian page elsewhere, like every other error.
        problem_details = ProblemDetailsConfig(exception_handler=handle_problem_details)
        app_config.plugins.append(ProblemDetailsPlugin(problem_details))
        # Every API instant in Europe/Rome (2026-10-30T09:00:00+01:00): see web/schemas.py.
        app_config.type_encoders = {**(app_config.type_encoders or {}), **TYPE_ENCODERS}
        app_config.plugins.append(InstantSchemaPlugin())
        app_config.before_send.append(add_security_headers)
        app_config.before_request = refuse_deep_json  # web/requests.py: JSON nested too deep is a 400
        app_config.lifespan.append(database_lifespan)
        app_config.lifespan.extend(BACKGROUND_TASKS)
        app_config.lifespan.append(lifecycle_lifespan)  # last in, first out: /readyz fails first
        app_config.openapi_config = OpenAPIConfig(
            title="Training Hub API",
            version="1",
            description="API di Training Hub, il gestionale della formazione del Consorzio Sociale Light.",
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
            components=Components(security_schemes={
                "bearer": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="Il token di POST /api/auth/tokens, nell'intestazione "
                    "`Authorization: Bearer <token>`.",
                ),
            }),
            security=[{"bearer": []}],
        )
        install_request_id_factory()
        app_config.logging_config = LoggingConfig(
            # TRAINING_HUB_LOG_FORMAT: text, or json (one object per line; core/logs.py).
            formatters={"standard": {"()": formatter_path(settings.log_format)}},
            root={"level": settings.log_level, "handlers": ["queue_listener"]},
            loggers={"training_hub": {"level": settings.log_level, "propagate": True}},
            log_exceptions="debug",
        )
        app_config.debug = False
        return app_config
