"""Checks on a request before any handler reads it.

**JSON depth.** msgspec decodes nested arrays and objects recursively: a body of a thousand ``[``
ends in a ``RecursionError``, which would be a 500 (even anonymously, on ``/api/auth/tokens``). No
body Training Hub reads is nested more than a few levels, so a JSON body deeper than
``MAX_JSON_DEPTH`` is refused as a bad request (400, problem+json) before it is decoded. The check
runs at C speed: strings are blanked out, then the innermost ``[]``/``{}`` pairs are removed once per
level, at most ``MAX_JSON_DEPTH`` times.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request

from training_hub.core.i18n import N_, gettext
from training_hub.web.exceptions import problem_details

MAX_JSON_DEPTH = 32
TOO_DEEP = N_("Il JSON inviato è annidato troppo in profondità.")

_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(rb"[^\[\]{}]+")
_INNERMOST = re.compile(rb"\[\]|\{\}")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``body`` nests arrays or objects more than ``limit`` levels (malformed JSON is left to the
    decoder, which reports it as such)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _NOT_BRACKETS.sub(b"", _STRINGS.sub(b"", body))
    for _ in range(limit):
        brackets, removed = _INNERMOST.subn(b"", brackets)
        if not brackets or not removed:
            return False
    return bool(brackets)


async def refuse_deep_json(request: Request[Any, Any, Any]) -> None:
    """``before_request`` hook: a JSON body nested too deep is a 400 before anything decodes it."""
    if request.method not in _BODY_METHODS or "json" not in request.headers.get("content-type", ""):
        return
    if json_too_deep(await request.body()):
        raise problem_details(request, 400, "bad-request", gettext(N_("Richiesta non valida")), gettext(TOO_DEEP))
