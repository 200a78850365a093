"""Attestati obtained elsewhere (the tracker counts them like a course held here): entered, corrected
and deleted by the office, seen by the person's coordinator and the person (``records.py`` says who
and why), with the scanned PDF optional.

What is refused, each with a message next to its field: an unknown course type; an end date missing,
unreadable, in the future or before the person's birth (read from the codice fiscale); hours missing,
not above zero or beyond :data:`MAX_HOURS`; a provider or certificate number too long or with control
characters; a scan that is not a PDF or larger than :data:`MAX_SCAN_BYTES`. Lists never read the scan
column: only the download does.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import is_possible_id, write_transaction
from training_hub.core.errors import FieldMessage, NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import REPEATED_FIELD_MESSAGE, parse_day, single_line
from training_hub.core.timeutil import utcnow
from training_hub.safety.course_types import find_course_type
from training_hub.safety.records import INVALID, born_on, may_record_trainings, today_in_rome, visible_person
from training_hub.safety.retention import external_training_kept_until
from training_hub.safety.tables import ExternalTraining, SafetyRole
from training_hub.safety.trainings import check_external_training

# No safety course reaches it (the RLS course is 32 h); a figure above is a typing mistake (minutes?).
MAX_HOURS = 200
# A scanned attestato of a page or two; the upload limit of the routes adds room for the form fields.
MAX_SCAN_BYTES = 5 * 1024 * 1024
MAX_PROVIDER_LENGTH = 200
MAX_CERTIFICATE_LENGTH = 60
MAX_FILENAME_LENGTH = 120
HOURS_FORMAT_MESSAGE = N_("Ore non valide: scrivi un numero, per esempio 4 o 4,5.")
ONLY_THE_OFFICE = N_("Gli attestati ottenuti altrove li registra l'ufficio formazione, che ne controlla l'originale.")
LIST_COLUMNS = (
    ExternalTraining.id, ExternalTraining.person, ExternalTraining.course_type, ExternalTraining.completed_on,
    ExternalTraining.minutes, ExternalTraining.provider, ExternalTraining.certificate_number,
    ExternalTraining.scan_filename, ExternalTraining.recorded_at,
)


@dataclass
class ExternalTrainingInput:
    course_type: Any = None
    completed_on: Any = None
    hours: Any = None
    provider: Any = ""
    certificate_number: Any = ""


@dataclass
class ScanUpload:
    content: bytes
    filename: str = ""


# Pure checks ------------------------------------------------------------------------------------------


def parse_hours(value: Any, errors: dict[str, str], field: str = "hours") -> float | None:
    """Hours as typed: 4, "4", "4,5", "4.5"; None when left empty (the check then asks for them)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, list | tuple):
        errors[field] = REPEATED_FIELD_MESSAGE if isinstance(value, list | tuple) else HOURS_FORMAT_MESSAGE
        return None
    try:
        hours = float(value) if isinstance(value, int | float) else float(str(value).strip().replace(",", "."))
    except ValueError:
        errors[field] = HOURS_FORMAT_MESSAGE
        return None
    return hours


def is_pdf(content: bytes) -> bool:
    """A document a PDF reader opens: the header, the cross-reference table and the page tree must be
    readable (a renamed image or a truncated upload is not)."""
    if not content.startswith(b"%PDF-"):
        return False
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        pages = PdfFileReader(io.BytesIO(content), strict=False).root["/Pages"]
        return int(pages["/Count"]) >= 1
    except Exception:  # noqa: BLE001 - any failure of the parser means "not a PDF we can keep"
        return False


def safe_filename(name: str) -> str:
    """The uploaded name as kept and offered back: the last path part, letters, digits, ``.-_`` only,
    ending in ``.pdf`` (it goes into a Content-Disposition header)."""
    base = re.split(r"[\\/]", name or "")[-1]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", base.rsplit(".", 1)[0] if "." in base else base).strip("-.")
    return f"{(stem or 'attestato')[:MAX_FILENAME_LENGTH]}.pdf"


def check_scan(scan: ScanUpload | None, errors: dict[str, str]) -> None:
    if scan is None:
        return
    if not scan.content:
        errors["scan"] = N_("Il file è vuoto: scegli la scansione PDF dell'attestato.")
    elif len(scan.content) > MAX_SCAN_BYTES:
        errors["scan"] = FieldMessage(N_("Il file è troppo grande: al massimo %(mb)d MB."),
                                      mb=MAX_SCAN_BYTES // (1024 * 1024))
    elif not is_pdf(scan.content):
        errors["scan"] = N_("Il file non è un PDF leggibile: carica la scansione in formato PDF.")


def validate(data: ExternalTrainingInput, today: date, birth: date | None) -> dict[Any, Any]:
    """The values to store, or ValidationFailed with every mistake at once."""
    errors: dict[str, str] = {}
    course_type = data.course_type if isinstance(data.course_type, str) else None
    completed_on = parse_day(data.completed_on, "completed_on", errors)
    hours = parse_hours(data.hours, errors)
    provider = single_line(data.provider, "provider", errors, max_length=MAX_PROVIDER_LENGTH)
    certificate = single_line(data.certificate_number, "certificate_number", errors, max_length=MAX_CERTIFICATE_LENGTH)
    checked: dict[str, str] = {}
    check_external_training(course_type, completed_on, hours, today, checked, born_on=birth)
    for field, message in checked.items():
        errors.setdefault(field, message)
    if "hours" not in errors and hours is not None:
        if hours > MAX_HOURS:
            errors["hours"] = N_("Al massimo 200 ore: controlla le ore riportate sull'attestato.")
        elif round(hours * 60) < 1:
            errors["hours"] = N_("Le ore devono essere più di zero.")
    if errors:
        raise ValidationFailed(INVALID, errors=errors)
    assert hours is not None and math.isfinite(hours)
    return {
        ExternalTraining.course_type: course_type,
        ExternalTraining.completed_on: completed_on,
        ExternalTraining.minutes: round(hours * 60),
        ExternalTraining.provider: provider,
        ExternalTraining.certificate_number: certificate,
    }


# Reading ------------------------------------------------------------------------------------------------


def training_out(row: dict[str, Any]) -> dict[str, Any]:
    course = find_course_type(row["course_type"])
    return {
        "id": row["id"],
        "person_id": row["person"],
        "course_type": row["course_type"],
        "course_title": gettext(course.title) if course else row["course_type"],
        "completed_on": row["completed_on"],
        "minutes": row["minutes"],
        "hours": row["minutes"] / 60,
        "provider": row["provider"] or "",
        "certificate_number": row["certificate_number"] or "",
        "has_scan": bool(row["scan_filename"]),
        "scan_filename": row["scan_filename"] or "",
        "recorded_at": row["recorded_at"],
    }


async def trainings_of(person_id: int) -> list[dict[str, Any]]:
    """Newest first, in one statement, without the scans."""
    rows = await ExternalTraining.select(*LIST_COLUMNS).where(ExternalTraining.person == person_id) \
        .order_by(ExternalTraining.completed_on, ascending=False).order_by(ExternalTraining.id, ascending=False)
    return [training_out(row) for row in rows]


async def list_external_trainings(actor: CurrentUser, person_id: int) -> list[dict[str, Any]]:
    await visible_person(actor, person_id)
    return await trainings_of(person_id)


async def _training_row(person_id: int, training_id: int) -> dict[str, Any]:
    row = None
    if is_possible_id(training_id):
        row = await ExternalTraining.select(*LIST_COLUMNS).where(
            (ExternalTraining.id == training_id) & (ExternalTraining.person == person_id)).first()
    if row is None:
        raise NotFound(N_("Attestato non trovato."))
    return row


async def get_external_training(actor: CurrentUser, person_id: int, training_id: int) -> dict[str, Any]:
    await visible_person(actor, person_id)
    return training_out(await _training_row(person_id, training_id))


async def read_scan(actor: CurrentUser, person_id: int, training_id: int) -> tuple[bytes, str]:
    """The scanned PDF and its file name (the office, the person's coordinator, the person)."""
    await visible_person(actor, person_id)
    await _training_row(person_id, training_id)
    row = await ExternalTraining.select(ExternalTraining.scan, ExternalTraining.scan_filename) \
        .where(ExternalTraining.id == training_id).first()
    if row is None or not row["scan"]:
        raise NotFound(N_("Per questo attestato non è stata caricata una scansione."))
    return bytes(row["scan"]), row["scan_filename"] or "attestato.pdf"


# Changing -----------------------------------------------------------------------------------------------


async def _writable_person(actor: CurrentUser, person_id: int) -> dict[str, Any]:
    person = await visible_person(actor, person_id)
    if not may_record_trainings(actor, person):
        raise PermissionDenied(ONLY_THE_OFFICE)
    return person


def _validated(person: dict[str, Any], data: ExternalTrainingInput, scan: ScanUpload | None) -> dict[Any, Any]:
    today = today_in_rome()
    errors: dict[str, str] = {}
    check_scan(scan, errors)
    try:
        values = validate(data, today, born_on(person, today))
    except ValidationFailed as exc:
        raise ValidationFailed(INVALID, errors={**exc.errors, **errors}) from None
    if errors:
        raise ValidationFailed(INVALID, errors=errors)
    if scan is not None:
        values[ExternalTraining.scan] = scan.content
        values[ExternalTraining.scan_filename] = safe_filename(scan.filename)
    return values


def _audit_data(values: dict[Any, Any], person_id: int) -> dict[str, Any]:
    """Codes, dates and which fields: never the scan, never anything about the person's health."""
    return {"person_id": person_id, "fields": sorted(column._meta.name for column in values
                                                     if column is not ExternalTraining.scan)}


async def record_external_training(actor: CurrentUser, person_id: int, data: ExternalTrainingInput,
                                   scan: ScanUpload | None = None) -> dict[str, Any]:
    person = await _writable_person(actor, person_id)
    values = _validated(person, data, scan)
    row = ExternalTraining(person=person_id, recorded_by=actor.id or None, recorded_at=utcnow(),
                           **{column._meta.name: value for column, value in values.items()})
    async with write_transaction():
        await row.save()
        await record_audit_event("external_training.created", actor_id=actor.id, entity="external_training",
                                 entity_id=row.id, person_id=person_id,
                                 data={**_audit_data(values, person_id), "course_type": values[ExternalTraining.course_type]})
    return training_out(await _training_row(person_id, row.id))


async def update_external_training(actor: CurrentUser, person_id: int, training_id: int, data: ExternalTrainingInput,
                                   scan: ScanUpload | None = None, *, remove_scan: bool = False) -> dict[str, Any]:
    """Correct an attestato (every field given again); a new scan replaces the old one, ``remove_scan``
    drops it."""
    person = await _writable_person(actor, person_id)
    await _training_row(person_id, training_id)
    values = _validated(person, data, scan)
    if remove_scan and scan is None:
        values[ExternalTraining.scan] = None
        values[ExternalTraining.scan_filename] = ""
    values[ExternalTraining.recorded_by] = actor.id or None
    values[ExternalTraining.recorded_at] = utcnow()
    async with write_transaction():
        await ExternalTraining.update(values).where(ExternalTraining.id == training_id)
        await record_audit_event("external_training.updated", actor_id=actor.id, entity="external_training",
                                 entity_id=training_id, person_id=person_id, data=_audit_data(values, person_id))
    return training_out(await _training_row(person_id, training_id))


async def delete_external_training(actor: CurrentUser, person_id: int, training_id: int) -> None:
    await _writable_person(actor, person_id)
    row = await _training_row(person_id, training_id)
    async with write_transaction():
        await ExternalTraining.delete().where(ExternalTraining.id == training_id)
        await record_audit_event("external_training.deleted", actor_id=actor.id, entity="external_training",
                                 entity_id=training_id, person_id=person_id,
                                 data={"person_id": person_id, "course_type": row["course_type"],
                                       "completed_on": row["completed_on"].isoformat()})


async def attach_scan(actor: CurrentUser, person_id: int, training_id: int, scan: ScanUpload) -> dict[str, Any]:
    """Add or replace the scanned PDF of an attestato already entered."""
    await _writable_person(actor, person_id)
    await _training_row(person_id, training_id)
    errors: dict[str, str] = {}
    check_scan(scan, errors)
    if errors:
        raise ValidationFailed(INVALID, errors=errors)
    async with write_transaction():
        await ExternalTraining.update({ExternalTraining.scan: scan.content,
                                       ExternalTraining.scan_filename: safe_filename(scan.filename)}) \
            .where(ExternalTraining.id == training_id)
        await record_audit_event("external_training.scan_attached", actor_id=actor.id, entity="external_training",
                                 entity_id=training_id, person_id=person_id,
                                 data={"person_id": person_id, "bytes": len(scan.content)})
    return training_out(await _training_row(person_id, training_id))


# Erasure (GDPR art. 17, privacy/erasure.py) -------------------------------------------------------------


async def kept_after_erasure(person_id: int, today: date) -> date | None:
    """Until when the person's external attestati must be kept (the latest of them), None when none
    must (safety/retention.py: 10 years from the end of each course)."""
    rows = await ExternalTraining.select(ExternalTraining.completed_on).where(ExternalTraining.person == person_id)
    untils = [external_training_kept_until(row["completed_on"]) for row in rows]
    return max((until for until in untils if until >= today), default=None)


async def forget_for_erasure(person_id: int, today: date) -> None:
    """Inside the erasure's transaction: the safety roles go, and the attestati past their 10 years."""
    await SafetyRole.delete().where(SafetyRole.person == person_id)
    rows = await ExternalTraining.select(ExternalTraining.id, ExternalTraining.completed_on) \
        .where(ExternalTraining.person == person_id)
    expired = [row["id"] for row in rows if external_training_kept_until(row["completed_on"]) < today]
    if expired:
        await ExternalTraining.delete().where(ExternalTraining.id.is_in(expired))
