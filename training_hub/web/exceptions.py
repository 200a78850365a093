"""How errors reach people: problem+json under /api, an Italian page everywhere else.

Problem+json is Litestar's problem-details support (RFC 9457: ``ProblemDetailsException``, registered by
``ProblemDetailsPlugin`` in the plugin) with our stable ``type`` URNs (``urn:training-hub:problem:<code>``),
an Italian ``title`` and ``detail``, and, when there are some, ``errors`` (``[{field, message}]``) and
``issues``. Bodies Litestar refuses (a missing field, a number sent as text) are described from the
structure of the request, the types the handler declares and the JSON that was sent, never from
msgspec's English messages.

No stack trace ever reaches a user: unexpected errors are logged with an id that the page shows, so
the office can quote it when asking for help.
"""

from __future__ import annotations

import logging
import re
import secrets
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
import msgspec.inspect as types
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.response import Template
from litestar.types import Empty
from litestar.typing import FieldDefinition
from litestar.utils.scope.state import ScopeState

from training_hub.core.db import is_database_unavailable
from training_hub.core.errors import PROBLEM_TYPE_PREFIX, DomainError, NotAuthenticated, TooManyAttempts
from training_hub.core.i18n import N_, gettext
from training_hub.core.settings import get_settings
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
INVALID_DATA = N_("Alcuni dati inviati non sono validi.")
MALFORMED_JSON = N_("Il corpo della richiesta non è un JSON valido.")
REQUIRED = N_("Campo obbligatorio.")
UNKNOWN_FIELD = N_("Campo non previsto.")
INVALID_VALUE = N_("Valore non valido.")
EXPECTED_VALUE = N_("Valore non valido: è atteso %(expected)s.")


def wants_problem_json(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/api":
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "html" not in accept


def problem_details(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> ProblemDetailsException:
    """A problem with our ``type`` URN for ``code``; ``title`` and ``detail`` already translated."""
    return ProblemDetailsException(
        type_=PROBLEM_TYPE_PREFIX + code, title=title, detail=detail, status_code=status,
        instance=request.url.path, headers=headers, extra=extra or None,
    )


def domain_problem(request: Request[Any, Any, Any], exc: DomainError) -> ProblemDetailsException:
    """A domain error as problem details: its code, Italian texts, ``errors`` and ``issues``."""
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
    body = exc.problem()
    extra = {key: body[key] for key in ("errors", "issues") if key in body}
    return problem_details(request, exc.status_code, exc.code, body["title"], body["detail"], headers,
                           **extra)


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


def handle_problem_details(request: Request[Any, Any, Any], exc: ProblemDetailsException) -> Response:
    """The problem-details plugin's handler: problem+json for programs, the Italian page for people."""
    if wants_problem_json(request):
        if exc.instance is None:
            exc.instance = request.url.path
        return exc.to_response(request)
    return _error_page(request, exc.status_code, exc.title or exc.detail, exc.detail, exc.headers)


def handle_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response:
    if wants_problem_json(request):
        return domain_problem(request, exc).to_response(request)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
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
    if not wants_problem_json(request):
        return _error_page(request, status, gettext(title), detail_text, exc.headers)
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        errors = refused_values(request, exc.extra)
        return problem_details(request, status, "validation-failed", gettext(title), gettext(INVALID_DATA),
                               exc.headers, errors=errors).to_response(request)
    if isinstance(exc.__cause__, SerializationException):
        detail_text = gettext(MALFORMED_JSON)
    problem = problem_details(request, status, code, gettext(title), detail_text, exc.headers)
    return problem.to_response(request)


# Values Litestar refused ------------------------------------------------------------------------

_LISTS = (types.ListType, types.SetType, types.FrozenSetType, types.VarTupleType, types.TupleType)
_OBJECTS = (types.StructType, types.DictType, types.TypedDictType, types.DataclassType)
_TEXTS = (types.StrType, types.DateType, types.DateTimeType, types.TimeType, types.UUIDType)

# What each kind of value is called in "Valore non valido: è atteso …".
_EXPECTED_NAMES: list[tuple[tuple[type, ...], str]] = [
    ((types.IntType,), N_("un numero intero")),
    ((types.FloatType, types.DecimalType), N_("un numero")),
    ((types.BoolType,), N_("true o false")),
    (_LISTS, N_("un elenco")),
    (_OBJECTS, N_("un oggetto")),
    (_TEXTS, N_("un testo")),
]
EITHER = N_("%(one)s o %(other)s")  # "un numero intero o un testo"


def refused_values(request: Request[Any, Any, Any], items: list[Any]) -> list[dict[str, str]]:
    """``[{field, message}]`` for what Litestar refused (its ``extra``: ``key`` and ``source`` of each).

    A request body is checked again, here, against the type the handler declares, to name every missing
    field and every value of the wrong kind (msgspec stops at the first and says it in English).
    """
    errors: list[dict[str, str]] = []
    body_checked = False
    for item in items:
        if not isinstance(item, dict):
            continue
        key = str(item.get("key") or "")
        if item.get("source") == "body":
            if body_checked:
                continue
            body_checked = True
            found = _body_problems(request)
            errors.extend(found or [{"field": key if key and key != "data" else "body",
                                     "message": gettext(INVALID_VALUE)}])
            continue
        parameter = _parameter(request, key)
        expected = _expected(types.type_info(parameter.annotation)) if parameter is not None else None
        errors.append({"field": key or "body",
                       "message": gettext(EXPECTED_VALUE) % {"expected": expected} if expected
                       else gettext(INVALID_VALUE)})
    return errors


def _parameter(request: Request[Any, Any, Any], name: str) -> FieldDefinition | None:
    """The declared parameter ``name`` (a query or path parameter) of the handler or of a dependency."""
    handler = request.route_handler
    signatures = [handler.parsed_fn_signature]
    signatures += [provide.parsed_fn_signature for provide in handler.resolve_dependencies().values()]
    return next((sig.parameters[name] for sig in signatures if name in sig.parameters), None)


def _body_problems(request: Request[Any, Any, Any]) -> list[dict[str, str]]:
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    raw = ScopeState.from_scope(request.scope).body  # the body Litestar read, kept in the request's state
    if data is None or raw is Empty:
        return []
    try:
        sent = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return [{"field": "body", "message": gettext(MALFORMED_JSON)}]
    return [{"field": field or "body", "message": message}
            for field, message in _problems(sent, types.type_info(data.annotation), "")]


def _problems(value: Any, kind: types.Type, path: str) -> Iterator[tuple[str, str]]:
    """(field, message) for each part of ``value`` (decoded JSON) that ``kind`` refuses; a field is named
    by its path (``capacity``, ``0.status``, ``trainer_ids.2``)."""
    if isinstance(kind, types.UnionType):
        fitting = [option for option in kind.types if _fits(value, option)]
        if not fitting:
            yield path, _wrong_kind(kind)
            return
        kind = fitting[0]
    elif not _fits(value, kind):
        yield path, _wrong_kind(kind)
        return
    if isinstance(kind, types.StructType):
        known = set()
        for field in kind.fields:
            known.add(field.encode_name)
            where = f"{path}.{field.encode_name}" if path else field.encode_name
            if field.encode_name in value:
                yield from _problems(value[field.encode_name], field.type, where)
            elif field.required:
                yield where, gettext(REQUIRED)
        if kind.forbid_unknown_fields:
            for name in value:
                if name not in known:
                    yield (f"{path}.{name}" if path else str(name)), gettext(UNKNOWN_FIELD)
    elif isinstance(kind, _LISTS) and not isinstance(kind, types.TupleType):
        for index, item in enumerate(value):
            yield from _problems(item, kind.item_type, f"{path}.{index}" if path else str(index))
    elif isinstance(kind, types.DictType):
        for name, item in value.items():
            yield from _problems(item, kind.value_type, f"{path}.{name}" if path else str(name))


# The plain types behind msgspec's descriptions of scalar values.
_SCALARS: dict[type, type] = {
    types.NoneType: type(None), types.BoolType: bool, types.IntType: int, types.FloatType: float,
    types.DecimalType: Decimal, types.StrType: str, types.DateType: date, types.DateTimeType: datetime,
    types.TimeType: time, types.UUIDType: UUID,
}


def _fits(value: Any, kind: types.Type) -> bool:
    """Whether ``value`` is a JSON value ``kind`` accepts (constraints aside), as leniently as Litestar
    reads request data (``"5"`` is a fine integer there)."""
    scalar = _SCALARS.get(type(kind))
    if scalar is not None:
        try:
            msgspec.convert(value, scalar, strict=False)
        except msgspec.ValidationError:
            return False
        return True
    if isinstance(kind, _LISTS):
        return isinstance(value, list)
    if isinstance(kind, _OBJECTS):
        return isinstance(value, dict)
    if isinstance(kind, types.LiteralType):
        return value in kind.values
    if isinstance(kind, types.EnumType):
        return value in {member.value for member in kind.cls}
    return True  # Any, and kinds no body here uses


def _expected(kind: types.Type) -> str | None:
    """What a value of ``kind`` is called, translated ("un numero intero"); None if it has no name."""
    options = kind.types if isinstance(kind, types.UnionType) else (kind,)
    names: list[str] = []
    for option in options:
        if isinstance(option, types.NoneType):
            continue
        name = next((msgid for classes, msgid in _EXPECTED_NAMES if isinstance(option, classes)), None)
        if name is None:
            return None
        if gettext(name) not in names:
            names.append(gettext(name))
    if not names:
        return None
    text = names[0]
    for name in names[1:]:
        text = gettext(EITHER) % {"one": text, "other": name}
    return text


def _wrong_kind(kind: types.Type) -> str:
    expected = _expected(kind)
    return gettext(EXPECTED_VALUE) % {"expected": expected} if expected else gettext(INVALID_VALUE)


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
        return problem_details(request, 500, code, gettext(title), gettext(detail) + f" (rif. {incident})"
                               ).to_response(request)
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
        return problem_details(request, 400, code, gettext(title), detail).to_response(request)
    return _error_page(request, 400, gettext(title), detail)


UNAVAILABLE_DETAIL = N_("Il database non risponde in questo momento: riprova tra qualche istante.")


def handle_database_errors(request: Request[Any, Any, Any], exc: Exception) -> Response:
    """A database that is stopped, frozen or refusing connections: 503 with ``Retry-After`` (problem type
    ``unavailable`` on the API, the Italian page elsewhere), logged as a warning without a stack trace.
    Anything else that reaches here (a file that does not exist, a SQL mistake) is a bug like any other."""
    if not is_database_unavailable(exc):
        return handle_unexpected(request, exc)
    log.warning("Database non raggiungibile su %s %s: %s", request.method, loggable_path(request.url.path),
                type(exc).__name__)
    code, title, _ = HTTP_PROBLEMS[503]
    headers = {"Retry-After": str(get_settings().db_retry_after_seconds)}
    if wants_problem_json(request):
        return problem_details(request, 503, code, gettext(title), gettext(UNAVAILABLE_DETAIL), headers
                               ).to_response(request)
    return _error_page(request, 503, gettext(title), gettext(UNAVAILABLE_DETAIL), headers)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    # The database is down or does not answer in time (core/db.is_database_unavailable): 503.
    OSError: handle_database_errors,  # refused, reset, timed out (asyncio.TimeoutError is TimeoutError)
    asyncpg.exceptions.PostgresConnectionError: handle_database_errors,
    asyncpg.exceptions.OperatorInterventionError: handle_database_errors,  # shutdown, statement_timeout
    asyncpg.exceptions.InsufficientResourcesError: handle_database_errors,  # too many connections
    asyncpg.exceptions.InterfaceError: handle_database_errors,  # "connection is closed", "pool is closing"
    sqlite3.OperationalError: handle_database_errors,  # locked past the busy timeout, file gone
    OverflowError: handle_out_of_range,  # SQLite: integer too large
    asyncpg.exceptions.NumericValueOutOfRangeError: handle_out_of_range,
    asyncpg.exceptions.DataError: handle_out_of_range,
    DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
