"""One access line per request (``training_hub.access``) and a request id on every line logged while
serving it.

The id is the client's ``X-Request-ID`` when it is a short token of safe characters (a reverse proxy's
id keeps one request traceable across both logs), otherwise a new random one; it is sent back in the
response's ``X-Request-ID``. The line names the route template, never the path: a feed URL carries its
secret token, and a path can carry a person's id.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from typing import TYPE_CHECKING

from litestar.middleware import ASGIMiddleware

from training_hub.core.logs import request_id_var

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("training_hub.access")
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class AccessLogMiddleware(ASGIMiddleware):
    scopes = ("http",)  # type: ignore[assignment]
    should_bypass_for_scope = staticmethod(lambda scope: scope["path"].startswith("/static/"))  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        given = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SAFE_ID.fullmatch(given) else secrets.token_hex(8)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500  # what the client sees when the app raises before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await next_app(scope, receive, send_with_id)
        finally:
            log.info(
                "%s %s %s", scope.get("method", ""), scope.get("path_template", "(nessuna rotta)"), status,
                extra={
                    "route": scope.get("path_template"),
                    "method": scope.get("method"),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)
