"""Security headers on every response, 404s and errors included (a ``before_send`` hook)."""

from __future__ import annotations

from typing import Any

from litestar.datastructures import MutableScopeHeaders

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


async def add_security_headers(message: Any, scope: Any) -> None:
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS.items():
        if name not in headers:
            headers[name] = value
    if "cache-control" not in headers and not scope.get("path", "").startswith("/static/"):
        # Pages carry personal data: no shared or back-button caches unless a route says otherwise.
        headers["cache-control"] = "no-store"
    if scope.get("scheme") == "https":
        headers.setdefault("strict-transport-security", "max-age=31536000")
