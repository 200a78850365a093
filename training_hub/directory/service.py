"""Cooperatives and people: who may see and change whom.

Admins see and change everyone. Coordinators see and create the people of their own cooperative and
give them the worker or tutor role; asking for another cooperative's people is refused, not silently
emptied, so a mistake shows. Everyone else sees only themselves here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from training_hub.accounts.links import send_invitation
from training_hub.accounts.passwords import validate_new_password
from training_hub.accounts.service import validate_email
from training_hub.core import events
from training_hub.core.audit import record_audit_event
from training_hub.core.codice_fiscale import validate_codice_fiscale
from training_hub.core.db import fetch_one, unique_violation_column
from training_hub.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_, gettext
from training_hub.core.identity import CurrentUser, format_roles, parse_roles
from training_hub.core.parsing import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from training_hub.core.risk_class import (
    RISK_CLASS_LABELS,
    RISK_CLASSES,
    effective_risk_class,
    risk_class_from_ateco,
)
from training_hub.core.security import hash_password
from training_hub.core.tables import Area, Cooperative, Person, Province, Role
from training_hub.core.timeutil import utcnow

COORDINATOR_ASSIGNABLE_ROLES = frozenset({Role.WORKER.value, Role.TUTOR.value})
# Column sizes (tables.py): longer input is a message next to the field, not a database error.
MAX_NAME_LENGTH = 200
MAX_COMUNE_LENGTH = 100
MAX_PAGE = 100_000
ROLES_NEEDING_COOPERATIVE = frozenset({Role.WORKER.value, Role.COORDINATOR.value, Role.TUTOR.value})
PERSON_PUBLIC_COLUMNS = (
    Person.id,
    Person.full_name,
    Person.email,
    Person.codice_fiscale,
    Person.cooperative,
    Person.area,
    Person.roles,
    Person.active,
    Person.language,
)


@dataclass
class PersonInput:
    full_name: str
    email: str
    roles: list[str]
    cooperative_id: int | None = None
    codice_fiscale: str | None = None
    area: str | None = None
    active: bool = True
    password: str | None = None


@dataclass
class CooperativeInput:
    name: str
    province: str
    tax_code: str | None = None
    comune: str = ""
    areas: list[str] | None = None
    active: bool = True
    # "basso" / "medio" / "alto", or ""/None: not set. Set by hand only where the ATECO code does not
    # decide it (core/risk_class.py); None leaves the stored class as it is.
    risk_class: str | None = None


def person_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "full_name": row["full_name"],
        "email": row["email"],
        "codice_fiscale": row.get("codice_fiscale"),
        "cooperative_id": row.get("cooperative"),
        "area": row.get("area"),
        "roles": sorted(parse_roles(row.get("roles"))),
        "active": row.get("active", True),
    }


def cooperative_out(row: dict[str, Any]) -> dict[str, Any]:
    risk_class, from_ateco = effective_risk_class(row.get("ateco"), row.get("risk_class"))
    return {
        "id": row["id"],
        "name": row["name"],
        "tax_code": row.get("tax_code"),
        "province": row["province"],
        "comune": row.get("comune", ""),
        "areas": [area for area in (row.get("areas") or "").split(",") if area],
        "active": row.get("active", True),
        "ateco": row.get("ateco") or "",
        "risk_class": risk_class,
        # "ateco": derived from the ATECO division (Allegato IV); "manual": set by the office; "": not set.
        "risk_class_source": "ateco" if from_ateco else ("manual" if risk_class else ""),
    }


# Cooperatives ------------------------------------------------------------------------------------


def partita_iva_check_digit(first_ten: str) -> str:
    """The 11th digit of a codice fiscale numerico / partita IVA (a Luhn-style sum)."""
    total = 0
    for index, char in enumerate(first_ten):
        number = int(char)
        if index % 2 == 1:
            number *= 2
            number = number - 9 if number > 9 else number
        total += number
    return str((10 - total % 10) % 10)


def validate_partita_iva(value: str, field: str = "tax_code") -> str:
    """An 11-digit codice fiscale numerico / partita IVA with its check digit."""
    digits = re.sub(r"\s+", "", value or "")
    if not re.fullmatch(r"\d{11}", digits):
        raise ValidationFailed(N_("Il codice fiscale della cooperativa deve avere 11 cifre."), field=field)
    if partita_iva_check_digit(digits[:10]) != digits[10]:
        raise ValidationFailed(N_("La cifra di controllo del codice fiscale della cooperativa non è corretta."),
                               field=field)
    return digits


def _validate_cooperative(data: CooperativeInput) -> dict[Any, Any]:
    errors: dict[str, str] = {}
    name = (data.name or "").strip()
    if has_control_characters(name):
        errors["name"] = CONTROL_CHARACTERS_MESSAGE
    elif not name:
        errors["name"] = N_("Indica il nome della cooperativa.")
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = N_("Il nome è troppo lungo: al massimo 200 caratteri.")
    comune = (data.comune or "").strip()
    if has_control_characters(comune):
        errors["comune"] = CONTROL_CHARACTERS_MESSAGE
    elif len(comune) > MAX_COMUNE_LENGTH:
        errors["comune"] = N_("Il comune è troppo lungo: al massimo 100 caratteri.")
    province = (data.province or "").strip().upper()
    if province not in {p.value for p in Province}:
        errors["province"] = N_("Scegli una provincia della Lombardia servita dal consorzio.")
    areas = [area for area in (data.areas or []) if area]
    if any(area not in {a.value for a in Area} for area in areas):
        errors["areas"] = N_("Una delle aree indicate non esiste.")
    risk_class = (data.risk_class or "").strip() if isinstance(data.risk_class, str | None) else "?"
    if risk_class and risk_class not in RISK_CLASSES:
        errors["risk_class"] = N_("Classe di rischio non valida: basso, medio o alto.")
    tax_code = None
    if data.tax_code and data.tax_code.strip():
        try:
            tax_code = validate_partita_iva(data.tax_code)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    return {
        Cooperative.name: name,
        Cooperative.province: province,
        Cooperative.tax_code: tax_code,
        Cooperative.comune: comune,
        Cooperative.areas: ",".join(areas),
        Cooperative.active: bool(data.active),
        **({Cooperative.risk_class: risk_class} if data.risk_class is not None else {}),
    }


async def list_cooperatives(*, active_only: bool = False) -> list[dict[str, Any]]:
    query = Cooperative.select().order_by(Cooperative.province).order_by(Cooperative.name)
    if active_only:
        query = query.where(Cooperative.active.eq(True))
    return [cooperative_out(row) for row in await query]


# Read by the profile page on every view: hand-written SQL (see db.fetch_all).
_COOPERATIVE_SQL = (
    "SELECT id, name, tax_code, province, comune, areas, active, ateco, risk_class FROM cooperative WHERE id = {}"
)


async def get_cooperative(cooperative_id: int) -> dict[str, Any]:
    row = await fetch_one(_COOPERATIVE_SQL, cooperative_id)
    if row is None:
        raise NotFound(N_("Cooperativa non trovata."))
    return cooperative_out(row)


async def _ensure_unique_cooperative_name(name: str, exclude_id: int | None = None) -> None:
    query = Cooperative.exists().where(Cooperative.name.ilike(name))
    if exclude_id is not None:
        query = query.where(Cooperative.id != exclude_id)
    if await query:
        raise ValidationFailed(N_("Esiste già una cooperativa con questo nome."), field="name")


async def create_cooperative(actor: CurrentUser, data: CooperativeInput) -> dict[str, Any]:
    if not actor.is_admin:
        raise PermissionDenied(N_("Solo l'ufficio formazione può aggiungere cooperative."))
    values = _validate_cooperative(data)
    await _ensure_unique_cooperative_name(values[Cooperative.name])
    row = Cooperative(**{column._meta.name: value for column, value in values.items()})
    await row.save()
    await record_audit_event("cooperative.created", actor_id=actor.id, entity="cooperative", entity_id=row.id)
    return await get_cooperative(row.id)


async def update_cooperative(actor: CurrentUser, cooperative_id: int, data: CooperativeInput) -> dict[str, Any]:
    if not actor.is_admin:
        raise PermissionDenied(N_("Solo l'ufficio formazione può modificare le cooperative."))
    current = await get_cooperative(cooperative_id)
    values = _validate_cooperative(data)
    derived = risk_class_from_ateco(current["ateco"])
    if derived is not None:
        # The ATECO division decides (Allegato IV): a different class by hand would contradict the annex.
        if values.get(Cooperative.risk_class, derived) not in (derived, ""):
            raise ValidationFailed(N_("La classe di rischio è stabilita dal codice ATECO %(ateco)s: %(risk)s."),
                                   field="risk_class", ateco=current["ateco"],
                                   risk=gettext(RISK_CLASS_LABELS[derived]).lower())
        values[Cooperative.risk_class] = derived
    await _ensure_unique_cooperative_name(values[Cooperative.name], exclude_id=cooperative_id)
    await Cooperative.update(values).where(Cooperative.id == cooperative_id)
    await record_audit_event("cooperative.updated", actor_id=actor.id, entity="cooperative", entity_id=cooperative_id)
    return await get_cooperative(cooperative_id)


# People ------------------------------------------------------------------------------------------


def _scope_cooperative(actor: CurrentUser, cooperative_id: int | None) -> int | None:
    """The cooperative a listing is limited to, or PermissionDenied for someone else's."""
    if actor.is_admin:
        return cooperative_id
    if actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None:
        if cooperative_id is not None and cooperative_id != actor.cooperative_id:
            raise PermissionDenied(N_("Puoi vedere solo le persone della tua cooperativa."))
        return actor.cooperative_id
    raise PermissionDenied(N_("Solo l'ufficio formazione e i coordinatori possono consultare l'anagrafica."))


async def list_people(
    actor: CurrentUser,
    *,
    cooperative_id: int | None = None,
    role: str | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    scope = _scope_cooperative(actor, cooperative_id)
    query = Person.select(*PERSON_PUBLIC_COLUMNS)
    count = Person.count()
    conditions = []
    if scope is not None:
        conditions.append(Person.cooperative == scope)
    if role:
        if role not in {r.value for r in Role}:
            raise ValidationFailed(N_("Ruolo sconosciuto."), field="role")
        conditions.append(Person.roles.like(f"%{role}%"))
    if q and q.strip():
        needle = f"%{q.strip()}%"
        conditions.append(Person.full_name.ilike(needle) | Person.email.ilike(needle))
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    page = min(max(1, page), MAX_PAGE)
    page_size = min(max(1, page_size), 200)
    rows = await query.order_by(Person.full_name).limit(page_size).offset((page - 1) * page_size)
    return [person_out(row) for row in rows], await count


async def _person_row(person_id: int) -> dict[str, Any]:
    row = await Person.select(*PERSON_PUBLIC_COLUMNS).where(Person.id == person_id).first()
    if row is None:
        raise NotFound(N_("Persona non trovata."))
    return row


async def get_person_for_edit(actor: CurrentUser, person_id: int) -> dict[str, Any]:
    row = await _person_row(person_id)
    if actor.is_admin:
        return row
    if actor.has_role(Role.COORDINATOR) and actor.cooperative_id and row["cooperative"] == actor.cooperative_id:
        return row
    # Same answer whether the person exists or not: ids of other cooperatives' people stay private.
    raise NotFound(N_("Persona non trovata."))


async def get_person(actor: CurrentUser, person_id: int) -> dict[str, Any]:
    if person_id == actor.id:
        return person_out(await _person_row(person_id))
    return person_out(await get_person_for_edit(actor, person_id))


async def _validate_person(
    actor: CurrentUser, data: PersonInput, *, existing: dict[str, Any] | None = None
) -> dict[Any, Any]:
    errors: dict[str, str] = {}
    full_name = re.sub(r"\s+", " ", data.full_name or "").strip()
    if has_control_characters(data.full_name or ""):  # a line feed in a name would reach e-mail headers
        errors["full_name"] = CONTROL_CHARACTERS_MESSAGE
    elif len(full_name) < 3:
        errors["full_name"] = N_("Indica nome e cognome.")
    elif len(full_name) > MAX_NAME_LENGTH:
        errors["full_name"] = N_("Il nome è troppo lungo: al massimo 200 caratteri.")
    try:
        email = validate_email(data.email)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        email = ""
    roles = {role.strip() for role in data.roles if role and role.strip()}
    if not roles:
        errors["roles"] = N_("Scegli almeno un ruolo.")
    elif any(role not in {r.value for r in Role} for role in roles):
        errors["roles"] = N_("Uno dei ruoli indicati non esiste.")
    cooperative_id = data.cooperative_id
    if not may_choose_cooperative(actor):
        # Coordinators work inside their own cooperative and hand out only worker and tutor roles.
        if cooperative_id not in (None, actor.cooperative_id):
            raise PermissionDenied(N_("Puoi gestire solo le persone della tua cooperativa."))
        cooperative_id = actor.cooperative_id
        previous = parse_roles(existing["roles"]) if existing else frozenset()
        allowed = set(assignable_roles(actor))
        if (roles - previous) - allowed or (previous - roles) - allowed:
            raise PermissionDenied(N_("Un coordinatore può assegnare solo i ruoli di lavoratore e tutor."))
    if roles & ROLES_NEEDING_COOPERATIVE and cooperative_id is None:
        errors["cooperative_id"] = N_("Lavoratori, coordinatori e tutor appartengono a una cooperativa.")
    if cooperative_id is not None and not await Cooperative.exists().where(Cooperative.id == cooperative_id):
        errors["cooperative_id"] = N_("La cooperativa indicata non esiste.")
    codice_fiscale = None
    if data.codice_fiscale and data.codice_fiscale.strip():
        try:
            codice_fiscale = validate_codice_fiscale(data.codice_fiscale)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    area = data.area or None
    if area and area not in {a.value for a in Area}:
        errors["area"] = N_("Area di lavoro sconosciuta.")
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    exclude = existing["id"] if existing else -1
    await refuse_duplicates(actor, email, codice_fiscale, exclude=exclude)
    return {
        Person.full_name: full_name,
        Person.email: email,
        Person.roles: format_roles(roles),
        Person.cooperative: cooperative_id,
        Person.codice_fiscale: codice_fiscale,
        Person.area: area,
        Person.active: bool(data.active),
    }


DUPLICATE_PERSON_MESSAGES = {
    "email": N_("Esiste già una persona con questo indirizzo e-mail."),
    "codice_fiscale": N_("Esiste già una persona con questo codice fiscale."),
}
# Issue 12 item 7: whether an address or a codice fiscale is known somewhere in the consortium is not
# the business of another cooperative's coordinator. One message for both fields and for every cause.
DUPLICATE_ELSEWHERE = N_(
    "Non è possibile registrare questa persona con questo indirizzo e-mail o codice fiscale: "
    "contatta l'ufficio formazione."
)


def duplicate_error(actor: CurrentUser, column: str, owner_cooperative: int | None) -> ValidationFailed:
    """What ``actor`` is told when ``column`` already belongs to a person of ``owner_cooperative``:
    the office and the coordinator of that same cooperative (who can see the person) learn which field;
    anyone else gets one generic answer on both fields."""
    if actor.is_admin or (owner_cooperative is not None and owner_cooperative == actor.cooperative_id):
        return ValidationFailed(DUPLICATE_PERSON_MESSAGES[column], field=column)
    return ValidationFailed(DUPLICATE_ELSEWHERE, errors={"email": DUPLICATE_ELSEWHERE,
                                                         "codice_fiscale": DUPLICATE_ELSEWHERE})


async def refuse_duplicates(actor: CurrentUser, email: str, codice_fiscale: str | None, *, exclude: int = -1) -> None:
    checks = [("email", Person.email == email)]
    if codice_fiscale:
        checks.append(("codice_fiscale", Person.codice_fiscale == codice_fiscale))
    for column, condition in checks:
        row = await Person.select(Person.cooperative).where(condition & (Person.id != exclude)).first()
        if row is not None:
            raise duplicate_error(actor, column, row["cooperative"])


@contextlib.contextmanager
def _duplicates_refused(actor: CurrentUser) -> Iterator[None]:
    """The unique e-mail and codice fiscale, when a request at the same instant took them after
    ``_validate_person`` looked: never a 500 (and for a coordinator, no more than the check says)."""
    try:
        yield
    except Exception as exc:
        column = unique_violation_column(exc, Person._meta.tablename)
        if column not in DUPLICATE_PERSON_MESSAGES:
            raise
        raise duplicate_error(actor, column, None) from None


def assignable_roles(actor: CurrentUser) -> list[str]:
    """The roles ``actor`` may give or take away, in the order forms list them: the training office
    any role; a coordinator, inside her cooperative, worker and tutor (appointing trainers,
    coordinators and administrators is the office's job); nobody else any."""
    if actor.is_admin:
        return [role.value for role in Role]
    if actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None:
        return [role.value for role in Role if role.value in COORDINATOR_ASSIGNABLE_ROLES]
    return []


def may_choose_cooperative(actor: CurrentUser) -> bool:
    """Only the training office places people in any cooperative (or none); a coordinator's people
    are always of her own cooperative."""
    return actor.is_admin


def may_send_invitations(actor: CurrentUser, roles: Iterable[str]) -> bool:
    """Who may send someone a link to choose their password: whoever may change the person."""
    return may_change_person(actor, roles)


def may_change_person(actor: CurrentUser, roles: Iterable[str]) -> bool:
    """May ``actor`` (who may see the person) change someone holding ``roles``? A coordinator manages
    workers and tutors; changing a trainer, another coordinator or an administrator (their e-mail,
    their access) is the training office's job."""
    return actor.is_admin or not set(roles) - COORDINATOR_ASSIGNABLE_ROLES


def _ensure_may_manage_people(actor: CurrentUser) -> None:
    if not (actor.is_admin or (actor.has_role(Role.COORDINATOR) and actor.cooperative_id)):
        raise PermissionDenied(N_("Solo l'ufficio formazione e i coordinatori possono gestire le persone."))


CHOSEN_PASSWORD_REFUSED = N_(
    "La password la sceglie la persona: riceverà per e-mail un invito a impostarla."
)


async def create_person(
    actor: CurrentUser, data: PersonInput, *, bootstrap_password: str | None = None, invite: bool = True
) -> dict[str, Any]:
    """Add a person. Nobody chooses another person's password (issue 14 item 2): an invitation to set
    it goes out instead. ``bootstrap_password`` is only for the command line, where whoever runs the
    server creates an account (the first administrator: nobody could send them an invitation)."""
    _ensure_may_manage_people(actor)
    if data.password:
        raise ValidationFailed(CHOSEN_PASSWORD_REFUSED, field="password")
    values = await _validate_person(actor, data)
    if bootstrap_password:
        validate_new_password(bootstrap_password, email=values[Person.email], full_name=values[Person.full_name],
                              field="password")
        values[Person.password_hash] = hash_password(bootstrap_password)
    person = Person(**{column._meta.name: value for column, value in values.items()})
    with _duplicates_refused(actor):
        await person.save()
    await record_audit_event(
        "person.created",
        actor_id=actor.id,
        entity="person",
        entity_id=person.id,
        data={"roles": values[Person.roles], "cooperative_id": values[Person.cooperative]},
    )
    if invite and not bootstrap_password and values[Person.active]:
        await send_invitation(actor, person.id)
    return person_out(await _person_row(person.id))


async def update_person(actor: CurrentUser, person_id: int, data: PersonInput) -> dict[str, Any]:
    _ensure_may_manage_people(actor)
    existing = await get_person_for_edit(actor, person_id)
    if not may_change_person(actor, parse_roles(existing["roles"])):
        raise PermissionDenied(N_("Un coordinatore può modificare solo lavoratori e tutor della sua cooperativa."))
    values = await _validate_person(actor, data, existing=existing)
    if person_id == actor.id and actor.is_admin and Role.ADMIN not in parse_roles(values[Person.roles]):
        raise Conflict(N_("Non puoi togliere a te stesso il ruolo di amministratore."), field="roles")
    values[Person.updated_at] = utcnow()
    with _duplicates_refused(actor):
        await Person.update(values).where(Person.id == person_id)
    if parse_roles(existing["roles"]) != parse_roles(values[Person.roles]):
        await record_audit_event(
            "person.roles_changed",
            actor_id=actor.id,
            entity="person",
            entity_id=person_id,
            data={"from": existing["roles"], "to": values[Person.roles]},
        )
    if existing["active"] != values[Person.active]:
        await record_audit_event(
            "person.activated" if values[Person.active] else "person.deactivated",
            actor_id=actor.id,
            entity="person",
            entity_id=person_id,
        )
        if not values[Person.active]:
            # Features above the directory react (enrolment gives back the person's seats); what they
            # did (lists of what was released) is handed back to the caller as ``released``.
            results = await events.person_deactivated.send(actor=actor, person_id=person_id)
            released = [item for result in results if isinstance(result, list) for item in result]
            return {**person_out(await _person_row(person_id)), "released": released}
    return person_out(await _person_row(person_id))

async def resend_invitation(actor: CurrentUser, person_id: int) -> None:
    """Send the person a new link to choose their password (an invitation valid 7 days; the earlier
    ones stop working). The office for anyone; a coordinator for the workers and tutors of her
    cooperative. Nobody but the person learns the password."""
    _ensure_may_manage_people(actor)
    person = await get_person_for_edit(actor, person_id)
    if not may_change_person(actor, parse_roles(person["roles"])):
        raise PermissionDenied(N_("Un coordinatore può modificare solo lavoratori e tutor della sua cooperativa."))
    if not person["active"]:
        raise Conflict(N_("L'utenza non è attiva: riattivala prima di inviare l'invito."))
    await send_invitation(actor, person_id)
