"""How errors reach people: problem+json under /api, an Italian page everywhere else.

No stack trace ever reaches a user: unexpected errors are logged with an id that the page shows, so
the office can quote it when asking for help.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template

from training_hub.core.errors import PROBLEM_TYPE_PREFIX, DomainError, NotAuthenticated, TooManyAttempts
from training_hub.core.i18n import N_, gettext
from training_hub.web.responses import is_htmx, login_redirect

log = logging.getLogger("training_hub.core.errors")

PROBLEM_JSON = "application/problem+json"

# Litestar's own HTTP errors, in the same stable vocabulary as the domain errors.
HTTP_PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("bad-request", N_("Richiesta non valida"), N_("La richiesta non è valida.")),
    401: ("not-authenticated", N_("Accesso richiesto"), N_("Per continuare accedi con le tue credenziali.")),
    403: ("forbidden", N_("Operazione non consentita"), N_("Non hai i permessi per questa operazione.")),
    404: ("not-found", N_("Non trovato"), N_("La pagina o la risorsa richiesta non esiste.")),
    405: ("method-not-allowed", N_("Metodo non consentito"), N_("Questa operazione non è disponibile qui.")),
    413: ("too-large", N_("Richiesta troppo grande"), N_("I dati inviati sono troppo grandi.")),
    415: ("unsupported-media-type", N_("Formato non supportato"), N_("Il formato dei dati inviati non è supportato.")),
    429: ("too-many-requests", N_("Troppe richieste"), N_("Troppe richieste: riprova tra poco.")),
    500: ("internal-error", N_("Errore interno"), N_("Si è verificato un errore imprevisto.")),
    503: ("unavailable", N_("Servizio non disponibile"), N_("Il servizio non è momentaneamente disponibile.")),
}
CSRF_DETAIL = N_("Il modulo è scaduto o non è stato inviato da questa pagina. Ricarica la pagina e riprova.")


def wants_problem_json(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/api":
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "html" not in accept


def _problem(request: Request[Any, Any, Any], body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    body.setdefault("instance", request.url.path)
    return Response(content=body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers)


def _error_page(
    request: Request[Any, Any, Any],
    status_code: int,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    if request.url.path.startswith(("/calendar/", "/static/")) or request.url.path.endswith(
        (".ics", ".pdf", ".csv", ".xlsx")
    ):
        # Files and feeds: a short plain answer that says nothing more than needed.
        return Response(content=f"{title}\n", status_code=status_code, media_type=MediaType.TEXT, headers=headers)
    template = "errors/404.html" if status_code == 404 else "errors/error.html"
    return Template(
        template_name=template,
        context={"status_code": status_code, "title": title, "detail": detail, **extra},
        status_code=status_code,
        headers=headers,
    )


def handle_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
    if wants_problem_json(request):
        return _problem(request, exc.problem(), headers)
    if isinstance(exc, NotAuthenticated):
        if is_htmx(request):
            return Response(content="", status_code=401, headers={"HX-Redirect": "/login"})
        return login_redirect(request)
    return _error_page(request, exc.status_code, gettext(exc.title), exc.detail, headers)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response:
    status = exc.status_code
    if status >= 500 and status != 503:
        # Litestar's own server-side failures (a missing template, a misconfiguration): a bug like any
        # other, so logged with an incident code instead of vanishing behind a generic page.
        return handle_unexpected(request, exc)
    code, title, detail = HTTP_PROBLEMS.get(status, HTTP_PROBLEMS[400 if status < 500 else 500])
    detail_text = gettext(detail)
    if status == 403 and "csrf" in str(exc.detail).lower():
        code, detail_text = "csrf-failed", gettext(CSRF_DETAIL)
    if status == 401 and not wants_problem_json(request):
        return login_redirect(request)
    if wants_problem_json(request):
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_PREFIX + code,
            "title": gettext(title),
            "status": status,
            "detail": detail_text,
        }
        if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
            body["type"] = PROBLEM_TYPE_PREFIX + "validation-failed"
            body["detail"] = gettext(N_("Alcuni dati inviati non sono validi."))
            body["errors"] = [_validation_item(item) for item in exc.extra if isinstance(item, dict)]
        return _problem(request, body, exc.headers)
    return _error_page(request, status, gettext(title), detail_text, exc.headers)


_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_AT_PATH = re.compile(r"- at `\$\.?([^`]*)`")
_EXPECTED = re.compile(r"Expected `([^`]+)`")


def _validation_item(item: dict[str, Any]) -> dict[str, str]:
    """Litestar/msgspec validation messages, turned into a field name and an Italian message."""
    raw = str(item.get("message", ""))
    key = str(item.get("key") or "")
    field = key.removeprefix("data.").removeprefix("$.") if key not in ("", "data") else ""
    if missing := _MISSING_FIELD.search(raw):
        prefix = _AT_PATH.search(raw)
        name = missing.group(1)
        return {"field": f"{prefix.group(1)}.{name}" if prefix and prefix.group(1) else name,
                "message": gettext(N_("Campo obbligatorio."))}
    if at_path := _AT_PATH.search(raw):
        field = at_path.group(1) or field
    if expected := _EXPECTED.search(raw):
        return {"field": field or "body",
                "message": gettext(N_("Valore non valido: è atteso un valore di tipo %(type)s.")) % {"type": expected.group(1)}}
    if "JSON is malformed" in raw or "malformed" in raw.lower():
        return {"field": "body", "message": gettext(N_("Il corpo della richiesta non è un JSON valido."))}
    return {"field": field or "body", "message": gettext(N_("Valore non valido."))}


# A personal feed's address is its secret: logs show where the error happened, never the token.
_SECRET_PATH = re.compile(r"^/calendar/[^/]+\.ics$")


def loggable_path(path: str) -> str:
    return "/calendar/<token>.ics" if _SECRET_PATH.match(path) else path


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response:
    incident = secrets.token_hex(4)
    log.exception(
        "Errore imprevisto %s su %s %s", incident, request.method, loggable_path(request.url.path), exc_info=exc
    )
    code, title, detail = HTTP_PROBLEMS[500]
    if wants_problem_json(request):
        return _problem(
            request,
            {
                "type": PROBLEM_TYPE_PREFIX + code,
                "title": gettext(title),
                "status": 500,
                "detail": gettext(detail) + f" (rif. {incident})",
            },
        )
    return _error_page(request, 500, gettext(title), gettext(detail), incident=incident)


def handle_out_of_range(request: Request[Any, Any, Any], exc: Exception) -> Response:
    """A number too large for the database (an id of 99999999999 in a URL, say), a text longer than its
    column (a service that forgot to check) or with a NUL character: bad input, not a crash."""
    code, title = "value-out-of-range", N_("Richiesta non valida")
    detail = gettext(N_("Un numero indicato è fuori dall'intervallo ammesso."))
    if isinstance(exc, asyncpg.exceptions.StringDataRightTruncationError):
        code, detail = "value-too-long", gettext(N_("Un testo indicato è troppo lungo."))
    elif isinstance(exc, asyncpg.exceptions.CharacterNotInRepertoireError | asyncpg.exceptions.UntranslatableCharacterError):
        # A NUL character, which PostgreSQL refuses in any text.
        code, detail = "invalid-characters", gettext(N_("Un testo indicato contiene caratteri non ammessi."))
    if wants_problem_json(request):
        return _problem(request, {"type": PROBLEM_TYPE_PREFIX + code, "title": gettext(title), "status": 400,
                                  "detail": detail})
    return _error_page(request, 400, gettext(title), detail)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    OverflowError: handle_out_of_range,  # SQLite: integer too large
    asyncpg.exceptions.NumericValueOutOfRangeError: handle_out_of_range,
    asyncpg.exceptions.DataError: handle_out_of_range,
    DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
