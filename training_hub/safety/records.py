"""A person's safety record as the office and coordinators keep it: who may see and change it, and the
safety roles held (the tracker's input; the status itself is computed elsewhere).

Who may do what (the same answers for the API and the pages):

* **see** the record (roles, external attestati, the scans): the training office, the coordinator of the
  person's cooperative, and the person; anyone else is told the person does not exist (404), as the
  directory does, so ids of other cooperatives' people stay private;
* **record the roles**: the office for everyone, a coordinator for the people of her cooperative (the
  appointments are the employer's, and the coordinator knows them first); the person sees them only;
* **enter, correct and delete external attestati**: the office only (DESIGN.md: "the external attestati
  entered by the office"). An attestato entered by hand makes training count as done in the tracker, so
  whoever enters it must have checked the original; the office is where the originals arrive and where
  the consortium answers for the records. Coordinators see them and download the scans.

Every change leaves an audit row with codes and dates only (roles and course types are not
special-category data; nothing about health or disadvantage is ever recorded here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.codice_fiscale import birth_date_from_codice_fiscale
from training_hub.core.db import fetch_one, is_possible_id, lock_for_update, write_transaction
from training_hub.core.errors import NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import REPEATED_FIELD_MESSAGE, clean_text, parse_day
from training_hub.core.tables import Person, Role
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.safety.roles import ROLES, RoleHeld, check_roles, normalise_level, role_label
from training_hub.safety.tables import SafetyRole

INVALID = N_("Controlla i campi evidenziati.")
PERSON_NOT_FOUND = N_("Persona non trovata.")
_PERSON_SQL = (
    "SELECT p.id, p.full_name, p.codice_fiscale, p.cooperative, p.active, c.name AS cooperative_name "
    "FROM person p LEFT JOIN cooperative c ON c.id = p.cooperative WHERE p.id = {}"
)


@dataclass
class RoleInput:
    """One role as typed: ``level`` is the antincendio level or the primo soccorso group."""

    role: Any
    level: Any = None
    since: Any = None


def today_in_rome() -> date:
    return to_rome(utcnow()).date()


# Who may see and change -----------------------------------------------------------------------------


def is_coordinator_of(actor: CurrentUser, cooperative_id: int | None) -> bool:
    return (actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None
            and cooperative_id == actor.cooperative_id)


def may_record_roles(actor: CurrentUser, person: dict[str, Any]) -> bool:
    return actor.is_admin or is_coordinator_of(actor, person["cooperative"])


def may_record_trainings(actor: CurrentUser, person: dict[str, Any]) -> bool:
    """External attestati are entered by the office only (see the module docstring)."""
    return actor.is_admin


def may_view_record(actor: CurrentUser, person: dict[str, Any]) -> bool:
    return may_record_roles(actor, person) or actor.id == person["id"]


async def visible_person(actor: CurrentUser, person_id: int) -> dict[str, Any]:
    """The person whose record ``actor`` may see (id, name, codice fiscale, cooperative and its name);
    NotFound, whether or not the person exists, for anyone else."""
    row = await fetch_one(_PERSON_SQL, person_id) if is_possible_id(person_id) else None
    if row is None or not may_view_record(actor, row):
        raise NotFound(PERSON_NOT_FOUND)
    return row


def born_on(person: dict[str, Any], today: date) -> date | None:
    """The birth date the codice fiscale encodes (None without a valid code)."""
    try:
        return birth_date_from_codice_fiscale(person["codice_fiscale"], reference=today) if person["codice_fiscale"] else None
    except ValidationFailed:
        return None


# Roles -------------------------------------------------------------------------------------------------


def role_out(row: dict[str, Any]) -> dict[str, Any]:
    return {"role": row["role"], "level": row["level"], "since": row["since"],
            "label": role_label(row["role"], row["level"])}


async def roles_of(person_id: int) -> list[dict[str, Any]]:
    rows = await SafetyRole.select(SafetyRole.role, SafetyRole.level, SafetyRole.since) \
        .where(SafetyRole.person == person_id)
    order = {role: index for index, role in enumerate(ROLES)}
    return [role_out(row) for row in sorted(rows, key=lambda row: order.get(row["role"], len(order)))]


async def list_safety_roles(actor: CurrentUser, person_id: int) -> list[dict[str, Any]]:
    await visible_person(actor, person_id)
    return await roles_of(person_id)


def parse_roles(roles: list[RoleInput], today: date) -> list[RoleHeld]:
    """The roles as stored, or ValidationFailed with a message per field (``0.role``, ``1.since``…):
    unknown role, level or group missing or wrong, date missing, unreadable or in the future, a role twice."""
    errors: dict[str, str] = {}
    held: list[RoleHeld] = []
    for index, item in enumerate(roles):
        role = clean_text(item.role) if isinstance(item.role, str) else ""
        level = normalise_level(role, item.level) if isinstance(item.level, str | int | None) else None
        if isinstance(item.level, list | tuple):
            errors[f"{index}.level"] = REPEATED_FIELD_MESSAGE
        since = parse_day(item.since, f"{index}.since", errors)
        held.append(RoleHeld(role=role, since=since, level=level))  # type: ignore[arg-type]
    checked: dict[str, str] = {}
    check_roles(held, today, checked)
    for field, message in checked.items():
        errors.setdefault(field, message)  # an unreadable date keeps its own message
    if errors:
        raise ValidationFailed(INVALID, errors=errors)
    return held


def _codes(rows: list[dict[str, Any]] | list[RoleHeld]) -> list[str]:
    """Roles for the audit trail: "antincendio:2@2025-03-01"."""
    out = []
    for row in rows:
        role, level, since = (row["role"], row["level"], row["since"]) if isinstance(row, dict) else \
            (row.role, row.level, row.since)
        out.append(f"{role}{':' + level if level else ''}@{since.isoformat()}")
    return sorted(out)


async def replace_safety_roles(actor: CurrentUser, person_id: int, roles: list[RoleInput]) -> list[dict[str, Any]]:
    """Replace all the person's roles at once (an empty list removes them). Two requests at the same
    instant are serialised on the person's row, so the list saved is one of the two, whole."""
    person = await visible_person(actor, person_id)
    if not may_record_roles(actor, person):
        raise PermissionDenied(N_("I ruoli per la sicurezza li registrano l'ufficio formazione e il coordinatore "
                                  "della cooperativa."))
    held = parse_roles(roles, today_in_rome())
    async with write_transaction():
        await lock_for_update(Person.select(Person.id).where(Person.id == person_id))
        before = await SafetyRole.select(SafetyRole.role, SafetyRole.level, SafetyRole.since) \
            .where(SafetyRole.person == person_id)
        if _codes(before) != _codes(held):
            await SafetyRole.delete().where(SafetyRole.person == person_id)
            if held:
                await SafetyRole.insert(*[
                    SafetyRole(person=person_id, role=item.role, level=item.level, since=item.since,
                               recorded_by=actor.id or None, recorded_at=utcnow())
                    for item in held
                ])
            await record_audit_event("safety_roles.replaced", actor_id=actor.id, entity="person", entity_id=person_id,
                                     data={"from": _codes(before), "to": _codes(held)})
    return await roles_of(person_id)
