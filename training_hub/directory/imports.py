"""People import from the office's spreadsheet (issue 14 item 3).

Columns (the first row names them, in any order, with or without accents and capitals): ``nome e
cognome``, ``e-mail``, ``codice fiscale``, ``cooperativa`` (its name or its tax code), ``area``,
``ruoli`` (comma-separated; Italian labels or codes). CSV (UTF-8, or Windows-1252 as Excel writes it;
``;`` or ``,``) or XLSX.

A dry run lists, row by row, who would be created or updated and every error with its row and field
(invalid codice fiscale, unknown cooperative, an e-mail twice in the file or belonging to someone the
importer may not change…). Nothing is written unless every row is valid; then the whole file goes in
one transaction, and everyone created receives an invitation to choose their password. Coordinators
import into their own cooperative only, and for another cooperative's addresses get the same generic
answer as on the person form (no existence oracle).

What a file may not do: be larger than ``MAX_UPLOAD_BYTES`` or hold more than ``MAX_ROWS`` rows, be a
ZIP that expands past ``MAX_UNCOMPRESSED_BYTES`` (a "zip bomb" renamed .xlsx), or carry formulas
(``=…``, ``+…``, ``@…``: a spreadsheet opening an export of them later would run them) — each refused
with a message, writing nothing.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from training_hub.accounts.links import invite_many
from training_hub.accounts.service import validate_email
from training_hub.core.audit import record_audit_event
from training_hub.core.codice_fiscale import codice_fiscale_problem, normalise
from training_hub.core.db import unique_violation_column, write_transaction
from training_hub.core.errors import FieldMessage, ValidationFailed, _render
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser, format_roles, parse_roles
from training_hub.core.labels import AREA_LABELS, ROLE_LABELS
from training_hub.core.parsing import has_control_characters
from training_hub.core.security import new_secret
from training_hub.core.tables import Cooperative, KeyValue, Person, Role
from training_hub.core.timeutil import utcnow
from training_hub.directory.service import (
    COORDINATOR_ASSIGNABLE_ROLES,
    DUPLICATE_ELSEWHERE,
    DUPLICATE_PERSON_MESSAGES,
    MAX_NAME_LENGTH,
    ROLES_NEEDING_COOPERATIVE,
    _ensure_may_manage_people,
    may_change_person,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
_BATCH = 500

COLUMNS = {
    "full_name": ("nome e cognome", "nome cognome", "nominativo", "full_name", "nome"),
    "email": ("e-mail", "email", "mail", "posta elettronica"),
    "codice_fiscale": ("codice fiscale", "codice_fiscale", "cf"),
    "cooperative": ("cooperativa", "cooperative"),
    "area": ("area", "area di lavoro"),
    "roles": ("ruoli", "ruolo", "roles"),
}
REQUIRED = ("full_name", "email")
_FORMULA = re.compile(r"^[=+@]")
FILE_FIELD = "file"


class ImportRefused(ValidationFailed):
    """The file, or some of its rows, cannot be imported: every error with its row and field."""

    code = "import-refused"

    def __init__(self, row_errors: list[dict[str, Any]]) -> None:
        super().__init__(N_("Il file contiene errori: correggili e caricalo di nuovo. Non è stato importato nulla."))
        self.row_errors = row_errors

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body = super().problem(instance)
        body["errors"] = self.row_errors
        return body


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "errors": self.errors, "rows": self.rows}


def _file_error(message: str, **params: Any) -> ImportRefused:
    return ImportRefused([{"row": 0, "field": FILE_FIELD, "message": _render(message, params)}])


def _key(text: str) -> str:
    """A header or a label compared without accents, capitals and extra spaces."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_]+", " ", text.strip().lower())


_HEADER_OF = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


# Reading the file ------------------------------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        raise _file_error(N_("Il file non è un foglio Excel (.xlsx) leggibile.")) from None
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES or any(
        entry.compress_size and entry.file_size / entry.compress_size > 200 for entry in entries
    ):
        raise _file_error(N_("Il file Excel, una volta decompresso, è troppo grande: al massimo %(mb)d MB."),
                          mb=MAX_UNCOMPRESSED_BYTES // (1024 * 1024))


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise _file_error(N_("Il file non è un foglio Excel (.xlsx) leggibile.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows():
            values = []
            for cell in row:
                value = cell.value
                if getattr(cell, "data_type", None) == "f":
                    value = "=" + str(value).lstrip("=")  # a formula: refused row by row below
                values.append(value)
            rows.append(values)
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252: accented names survive it.
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise _file_error(N_("Il file non è un CSV di testo né un foglio Excel (.xlsx)."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def read_rows(data: bytes, filename: str = "") -> list[dict[str, Any]]:
    """The data rows as dicts keyed by column name, each with its spreadsheet row number ("_row")."""
    if not data:
        raise _file_error(N_("Scegli un file CSV o Excel (.xlsx) da importare."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise _file_error(N_("Il file è troppo grande: al massimo %(mb)d MB."), mb=MAX_UPLOAD_BYTES // (1024 * 1024))
    raw = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    while raw and not any(str(v or "").strip() for v in raw[-1]):
        raw.pop()
    if not raw:
        raise _file_error(N_("Il file è vuoto."))
    header = [_HEADER_OF.get(_key(cell)) for cell in raw[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise _file_error(N_("Mancano le colonne obbligatorie \u201cnome e cognome\u201d ed \u201ce-mail\u201d "
                             "nella prima riga."))
    if len(raw) - 1 > MAX_ROWS:
        raise _file_error(N_("Il file ha troppe righe: al massimo %(n)d persone per importazione."), n=MAX_ROWS)
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        if not any(str(v or "").strip() for v in values):
            continue
        row: dict[str, Any] = {"_row": number}
        for name, value in zip(header, values, strict=False):
            if name:
                row[name] = value
        rows.append(row)
    return rows


# Checking the rows -----------------------------------------------------------------------------------


@dataclass
class _Context:
    actor: CurrentUser
    cooperatives_by_name: dict[str, int]
    cooperatives_by_tax_code: dict[str, int]
    existing_by_email: dict[str, dict[str, Any]]
    existing_by_cf: dict[str, dict[str, Any]]


_ROLE_OF = {_key(code): code for code in ROLE_LABELS} | {_key(label): code for code, label in ROLE_LABELS.items()}
_ROLE_OF |= {"amministratore": "admin", "formatrice": "trainer", "coordinatrice": "coordinator",
             "lavoratrice": "worker", "operatore": "worker", "operatrice": "worker", "ufficio": "admin"}
_AREA_OF = {_key(code): code for code in AREA_LABELS} | {_key(label): code for code, label in AREA_LABELS.items()}


async def _context(actor: CurrentUser, rows: list[dict[str, Any]]) -> _Context:
    cooperatives = await Cooperative.select(Cooperative.id, Cooperative.name, Cooperative.tax_code)
    emails = sorted({str(row.get("email") or "").strip().lower() for row in rows} - {""})
    codes = sorted({normalise(str(row.get("codice_fiscale") or "")) for row in rows} - {""})
    columns = (Person.id, Person.email, Person.codice_fiscale, Person.cooperative, Person.roles)
    by_email: dict[str, dict[str, Any]] = {}
    by_cf: dict[str, dict[str, Any]] = {}
    for first in range(0, len(emails), _BATCH):
        for person in await Person.select(*columns).where(Person.email.is_in(emails[first:first + _BATCH])):
            by_email[person["email"]] = person
    for first in range(0, len(codes), _BATCH):
        for person in await Person.select(*columns).where(Person.codice_fiscale.is_in(codes[first:first + _BATCH])):
            by_cf[person["codice_fiscale"]] = person
    return _Context(
        actor=actor,
        cooperatives_by_name={_key(c["name"]): c["id"] for c in cooperatives},
        cooperatives_by_tax_code={c["tax_code"]: c["id"] for c in cooperatives if c["tax_code"]},
        existing_by_email=by_email,
        existing_by_cf=by_cf,
    )


def _text(row: dict[str, Any], name: str, errors: dict[str, str]) -> str:
    value = row.get(name)
    text = "" if value is None else str(value).strip()
    if _FORMULA.match(text):
        errors[name] = N_("Le formule non sono ammesse: scrivi il valore.")
    elif has_control_characters(text):
        errors[name] = N_("Il testo contiene caratteri di controllo non ammessi (a capo, tabulazioni o simili).")
    return text


def _may_update(ctx: _Context, person: dict[str, Any]) -> bool:
    actor = ctx.actor
    if actor.is_admin:
        return True
    return person["cooperative"] == actor.cooperative_id and may_change_person(actor, parse_roles(person["roles"]))


def _check_row(ctx: _Context, row: dict[str, Any], seen_emails: dict[str, int], seen_cf: dict[str, int]) -> tuple[
        dict[str, str], dict[str, Any]]:
    errors: dict[str, str] = {}
    actor = ctx.actor
    full_name = re.sub(r"\s+", " ", _text(row, "full_name", errors))
    if "full_name" not in errors:
        if len(full_name) < 3:
            errors["full_name"] = N_("Indica nome e cognome.")
        elif len(full_name) > MAX_NAME_LENGTH:
            errors["full_name"] = N_("Il nome è troppo lungo: al massimo 200 caratteri.")
    email = _text(row, "email", errors).lower()
    if "email" not in errors:
        try:
            email = validate_email(email)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if "email" not in errors:
        if email in seen_emails:
            errors["email"] = FieldMessage(N_("Questo indirizzo e-mail è già alla riga %(row)d del file."),
                                           row=seen_emails[email])
        else:
            seen_emails[email] = row["_row"]
    codice_fiscale = _text(row, "codice_fiscale", errors).upper()
    if codice_fiscale and "codice_fiscale" not in errors:
        problem = codice_fiscale_problem(codice_fiscale)
        if problem:
            errors["codice_fiscale"] = problem
        else:
            codice_fiscale = normalise(codice_fiscale)
            if codice_fiscale in seen_cf:
                errors["codice_fiscale"] = FieldMessage(
                    N_("Questo codice fiscale è già alla riga %(row)d del file."), row=seen_cf[codice_fiscale])
            else:
                seen_cf[codice_fiscale] = row["_row"]
    cooperative_text = _text(row, "cooperative", errors)
    cooperative_id: int | None = None
    if cooperative_text and "cooperative" not in errors:
        digits = re.sub(r"\s+", "", cooperative_text)
        cooperative_id = ctx.cooperatives_by_tax_code.get(digits) or ctx.cooperatives_by_name.get(_key(cooperative_text))
        if cooperative_id is None:
            errors["cooperative"] = N_("Cooperativa sconosciuta: scrivi il nome o il codice fiscale di una cooperativa "
                                       "del consorzio.")
    if not actor.is_admin:
        if cooperative_id not in (None, actor.cooperative_id):
            errors["cooperative"] = N_("Puoi importare solo persone della tua cooperativa.")
        cooperative_id = actor.cooperative_id
    area_text = _text(row, "area", errors)
    area = None
    if area_text and "area" not in errors:
        area = _AREA_OF.get(_key(area_text))
        if area is None:
            errors["area"] = N_("Area di lavoro sconosciuta.")
    roles_text = _text(row, "roles", errors)
    roles: set[str] = set()
    if "roles" not in errors:
        for part in re.split(r"[,;/]+", roles_text):
            if part.strip():
                code = _ROLE_OF.get(_key(part))
                if code is None:
                    errors["roles"] = N_("Uno dei ruoli indicati non esiste.")
                roles.add(code or "")
        roles = roles or {Role.WORKER.value}
        if "roles" not in errors and not actor.is_admin and roles - COORDINATOR_ASSIGNABLE_ROLES:
            errors["roles"] = N_("Un coordinatore può assegnare solo i ruoli di lavoratore e tutor.")
        if "roles" not in errors and roles & ROLES_NEEDING_COOPERATIVE and cooperative_id is None \
                and "cooperative" not in errors:
            errors["cooperative"] = N_("Lavoratori, coordinatori e tutor appartengono a una cooperativa.")
    existing = ctx.existing_by_email.get(email) if "email" not in errors else None
    if existing is not None and not _may_update(ctx, existing):
        message = DUPLICATE_ELSEWHERE if not actor.is_admin and existing["cooperative"] != actor.cooperative_id \
            else N_("Un coordinatore può modificare solo lavoratori e tutor della sua cooperativa.")
        errors["email"] = message
    owner = ctx.existing_by_cf.get(codice_fiscale) if codice_fiscale and "codice_fiscale" not in errors else None
    if owner is not None and (existing is None or owner["id"] != existing["id"]):
        visible = actor.is_admin or owner["cooperative"] == actor.cooperative_id
        errors["codice_fiscale"] = DUPLICATE_PERSON_MESSAGES["codice_fiscale"] if visible else DUPLICATE_ELSEWHERE
    values = {
        "full_name": full_name, "email": email, "codice_fiscale": codice_fiscale or None,
        "cooperative": cooperative_id, "area": area, "roles": roles, "existing": existing,
    }
    return errors, values


def _render_errors(row_number: int, errors: dict[str, str]) -> list[dict[str, Any]]:
    return [{"row": row_number, "field": name, "message": _render(message, {})} for name, message in errors.items()]


async def _check(actor: CurrentUser, rows: list[dict[str, Any]]) -> tuple[ImportReport, list[dict[str, Any]]]:
    ctx = await _context(actor, rows)
    report = ImportReport()
    seen_emails: dict[str, int] = {}
    seen_cf: dict[str, int] = {}
    plan = []
    for row in rows:
        errors, values = _check_row(ctx, row, seen_emails, seen_cf)
        action = "update" if values["existing"] is not None else "create"
        report.rows.append({"row": row["_row"], "action": action, "full_name": values["full_name"],
                            "email": values["email"], "errors": len(errors)})
        if errors:
            report.errors += _render_errors(row["_row"], errors)
            continue
        plan.append(values)
        if action == "create":
            report.created += 1
        else:
            report.updated += 1
    return report, plan


async def dry_run(actor: CurrentUser, data: bytes, filename: str = "") -> ImportReport:
    """What importing the file would do, row by row, with every error; writes nothing."""
    _ensure_may_manage_people(actor)
    return (await _check(actor, read_rows(data, filename)))[0]


async def import_people(actor: CurrentUser, data: bytes, filename: str = "") -> ImportReport:
    """Import the file in one transaction, or nothing at all (ImportRefused with every error)."""
    _ensure_may_manage_people(actor)
    rows = read_rows(data, filename)
    try:
        async with write_transaction():
            report, plan = await _check(actor, rows)
            if report.errors:
                raise ImportRefused(report.errors)
            now = utcnow()
            new = [Person(full_name=v["full_name"], email=v["email"], codice_fiscale=v["codice_fiscale"],
                          cooperative=v["cooperative"], area=v["area"], roles=format_roles(v["roles"]),
                          active=True, created_at=now, updated_at=now)
                   for v in plan if v["existing"] is None]
            for first in range(0, len(new), _BATCH):
                await Person.insert(*new[first:first + _BATCH])
            for v in plan:
                if v["existing"] is not None:
                    changes: dict[Any, Any] = {Person.full_name: v["full_name"], Person.updated_at: now}
                    if v["codice_fiscale"]:
                        changes[Person.codice_fiscale] = v["codice_fiscale"]
                    if v["area"]:
                        changes[Person.area] = v["area"]
                    if v["cooperative"] is not None:
                        changes[Person.cooperative] = v["cooperative"]
                    changes[Person.roles] = format_roles(set(parse_roles(v["existing"]["roles"])) | v["roles"])
                    await Person.update(changes).where(Person.id == v["existing"]["id"])
            emails = [person.email for person in new]
            created = []
            for first in range(0, len(emails), _BATCH):
                created += await Person.select(Person.id, Person.full_name, Person.email).where(
                    Person.email.is_in(emails[first:first + _BATCH]))
            await invite_many(actor, created)
            await record_audit_event("people.imported", actor_id=actor.id, entity="person",
                                     data={"created": report.created, "updated": report.updated})
    except ImportRefused:
        raise
    except Exception as exc:
        column = unique_violation_column(exc, Person._meta.tablename)
        if column is None:
            raise
        # Someone added one of these people while the file was being imported: nothing was written.
        raise ImportRefused([{"row": 0, "field": FILE_FIELD, "message": _render(N_(
            "Nel frattempo qualcuno ha aggiunto una delle persone del file: non è stato importato nulla. "
            "Ripeti la prova."), {})}]) from None
    return report


# The page's two steps: the file checked in the dry run is kept for an hour, so "Importa" imports
# exactly what the preview showed without uploading it again.

_STASH_PREFIX = "people-import:"


async def stash_upload(actor: CurrentUser, data: bytes) -> str:
    key = new_secret(18)
    await KeyValue.insert(KeyValue(key=_STASH_PREFIX + key, value=data, person=actor.id or None,
                                   expires_at=utcnow() + timedelta(hours=1)))
    return key


async def take_upload(actor: CurrentUser, key: str) -> bytes:
    """The stashed file (only its uploader's), or ImportRefused when it has expired."""
    row = await KeyValue.select(KeyValue.value, KeyValue.expires_at).where(
        (KeyValue.key == _STASH_PREFIX + str(key)[:64]) & (KeyValue.person == actor.id)
    ).first()
    if row is None or row["expires_at"] <= utcnow():
        raise _file_error(N_("La prova è scaduta: carica di nuovo il file."))
    return bytes(row["value"])


async def drop_upload(key: str) -> None:
    await KeyValue.delete().where(KeyValue.key == _STASH_PREFIX + str(key)[:64])
