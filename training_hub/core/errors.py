"""The domain error tree.

Services raise these; nothing else decides how a refusal looks. The API turns one into
``application/problem+json`` (RFC 9457) with a stable ``type`` and an Italian ``title``/``detail``;
pages show ``detail`` next to the field named by ``field`` (or in ``errors``), or as a flash message.

Messages are Italian msgids with ``%(name)s`` placeholders, translated when shown (see i18n.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, ClassVar

from training_hub.core.i18n import N_, get_language, gettext
from training_hub.core.wording import elide

PROBLEM_TYPE_PREFIX = "urn:training-hub:problem:"


@dataclass(frozen=True)
class Issue:
    """One finding of a check that can list several at once (a scheduling conflict, a warning)."""

    code: str
    message: str
    severity: str = "error"  # "error" blocks; "warning" can be confirmed
    field: str | None = None
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    @property
    def text(self) -> str:
        return _render(self.message, self.params)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "severity": self.severity, "message": self.text}
        if self.field:
            out["field"] = self.field
        return out


class FieldMessage(str):
    """A msgid for one field with placeholders of its own (``%(max)d``), filled when it is shown.

    An error can name several fields, each with a different figure; the exception's keyword
    parameters are shared, so a field's own figures travel with its message instead.
    """

    params: dict[str, Any]

    def __new__(cls, message: str, **params: Any) -> FieldMessage:
        instance = super().__new__(cls, message)
        instance.params = params
        return instance


def _render(message: str, params: dict[str, Any]) -> str:
    translated = gettext(message)
    own = getattr(message, "params", None)
    if own:
        params = {**params, **own}
    if not params:
        return translated
    text = translated % params
    return elide(text) if get_language() == "it" else text


class DomainError(Exception):
    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad-request"
    title: ClassVar[str] = N_("Richiesta non valida")

    def __init__(
        self,
        message: str | None = None,
        /,
        *,
        field: str | None = None,
        errors: dict[str, str] | None = None,
        issues: list[Issue] | None = None,
        **params: Any,
    ) -> None:
        self.message = message or self.title
        self.field = field
        self.params = params
        self.errors = dict(errors or {})
        if field and field not in self.errors:
            self.errors[field] = self.message
        self.issues = list(issues or [])
        super().__init__(self.message)

    @property
    def detail(self) -> str:
        return _render(self.message, self.params)

    @property
    def field_errors(self) -> dict[str, str]:
        """Translated message per form field, for pages."""
        return {name: _render(message, self.params) for name, message in self.errors.items()}

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_PREFIX + self.code,
            "title": gettext(self.title),
            "status": self.status_code,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [{"field": name, "message": text} for name, text in self.field_errors.items()]
        if self.issues:
            body["issues"] = [issue.as_dict() for issue in self.issues]
        return body

    def __str__(self) -> str:  # logs show the msgid, never personal data put in params
        return f"{self.code}: {self.message}"


class ValidationFailed(DomainError):
    status_code = 422
    code = "validation-failed"
    title = N_("Dati non validi")


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not-authenticated"
    title = N_("Accesso richiesto")


class InvalidCredentials(NotAuthenticated):
    code = "invalid-credentials"
    title = N_("Credenziali non valide")


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission-denied"
    title = N_("Operazione non consentita")


class NotFound(DomainError):
    status_code = 404
    code = "not-found"
    title = N_("Non trovato")


class Conflict(DomainError):
    """The request is well formed but the current state forbids it."""

    status_code = 409
    code = "conflict"
    title = N_("Operazione non possibile")


class InvalidState(Conflict):
    code = "invalid-state"
    title = N_("Stato non compatibile con l'operazione")


class ScheduleConflict(Conflict):
    """Scheduling checks failed or raised warnings; ``issues`` lists every finding at once."""

    code = "schedule-conflict"
    title = N_("Conflitti di calendario")

    @property
    def only_warnings(self) -> bool:
        return bool(self.issues) and all(issue.severity == "warning" for issue in self.issues)


class EnrolmentRefused(Conflict):
    code = "enrolment-refused"
    title = N_("Iscrizione non possibile")


class TooManyAttempts(DomainError):
    status_code = 429
    code = "too-many-attempts"
    title = N_("Troppi tentativi")

    def __init__(self, message: str | None = None, /, *, retry_after: int = 60, **params: Any) -> None:
        super().__init__(message, **params)
        self.retry_after = retry_after


# Attendance ---------------------------------------------------------------------------------------


class AttendanceNotOpen(Conflict):
    """The session has not started yet: attendance opens 15 minutes before the start."""

    code = "attendance-not-open"
    title = N_("Registro presenze non ancora aperto")


class AttendanceClosed(PermissionDenied):
    """More than 7 days after the end: only the training office corrects, giving a reason."""

    code = "attendance-closed"
    title = N_("Registro presenze chiuso")


class CheckInRefused(Conflict):
    """Self check-in outside its window, with an expired or wrong code, or in a state that forbids it."""

    code = "check-in-refused"
    title = N_("Check-in non possibile")


class CertificateNotEligible(PermissionDenied):
    """The attendance threshold is not reached (or the course is not over yet)."""

    code = "certificate-not-eligible"
    title = N_("Attestato non disponibile")
