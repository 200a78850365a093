"""Locations where courses meet: the training office keeps them (admins only).

A location has a comune in Lombardy (its province among the twelve) unless it is online, a capacity
(a course there may not offer more seats, see ``seats.capacity``), step-free access (shown on the course
page; the enrolment warns trainers when someone needs it and it is missing), and optionally its patron
saint's day, which scheduling treats like a holiday in that comune.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from training_hub.catalogue.holidays import parse_patron_day
from training_hub.core.audit import record_audit_event
from training_hub.core.errors import NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import clean_text, multi_line, parse_integer, single_line
from training_hub.core.tables import Location, Province
from training_hub.core.timeutil import utcnow


@dataclass
class LocationInput:
    name: str
    address: str = ""
    comune: str = ""
    province: str | None = None
    capacity: int | str | None = None
    step_free_access: bool = False
    is_online: bool = False
    notes: str = ""
    active: bool = True
    patron_day: str = ""
    patron_saint: str = ""


LOCATION_COLUMNS = (
    Location.id, Location.name, Location.address, Location.comune, Location.province, Location.capacity,
    Location.step_free_access, Location.is_online, Location.notes, Location.active, Location.patron_day,
    Location.patron_saint,
)


def location_out(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "address": row.get("address", ""),
        "comune": row.get("comune", ""),
        "province": row.get("province"),
        "capacity": row.get("capacity"),
        "step_free_access": bool(row.get("step_free_access")),
        "is_online": bool(row.get("is_online")),
        "notes": row.get("notes", ""),
        "active": bool(row.get("active", True)),
        "patron_day": row.get("patron_day", ""),
        "patron_saint": row.get("patron_saint", ""),
    }


async def list_locations(*, active_only: bool = False) -> list[dict[str, Any]]:
    query = Location.select(*LOCATION_COLUMNS).order_by(Location.name)
    if active_only:
        query = query.where(Location.active.eq(True))
    return [location_out(row) for row in await query]


async def get_location(location_id: int) -> dict[str, Any]:
    row = await Location.select(*LOCATION_COLUMNS).where(Location.id == location_id).first()
    if row is None:
        raise NotFound(N_("Sede non trovata."))
    return location_out(row)


def _validate_location(data: LocationInput) -> dict[Any, Any]:
    errors: dict[str, str] = {}
    name = single_line(data.name, "name", errors, max_length=200)  # lengths checked, never cut
    if not name and "name" not in errors:
        errors["name"] = N_("Indica il nome della sede.")
    address = single_line(data.address, "address", errors, max_length=300)
    notes = multi_line(data.notes, "notes", errors)
    province = clean_text(data.province).upper() or None
    comune = single_line(data.comune, "comune", errors, max_length=100)
    if not data.is_online:
        if not comune and "comune" not in errors:
            errors["comune"] = N_("Indica il comune della sede.")
        if province is not None and province not in {p.value for p in Province}:
            errors["province"] = N_("Scegli una provincia della Lombardia servita dal consorzio.")
    capacity = None
    if data.capacity not in (None, ""):
        capacity = parse_integer(data.capacity, "capacity", errors, minimum=1, maximum=10000,
                            message=N_("La capienza è un numero intero di posti, almeno 1."))
    patron_day = parse_patron_day(data.patron_day)
    if patron_day is None:
        errors["patron_day"] = N_("Scrivi il giorno del patrono come gg/mm, per esempio 07/12.")
    patron_name = single_line(data.patron_saint, "patron_saint", errors)
    if "patron_saint" in errors:
        pass
    elif len(patron_name) > 100:
        errors["patron_saint"] = N_("Il nome del patrono può avere al massimo 100 caratteri.")
    elif patron_name and patron_day == "":
        errors["patron_day"] = N_("Indica anche il giorno della festa del patrono.")
    elif patron_day and not patron_name:
        errors["patron_saint"] = N_("Indica anche il nome del santo patrono.")
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    return {
        Location.patron_day: patron_day if not data.is_online else "",
        Location.patron_saint: patron_name if not data.is_online else "",
        Location.name: name,
        Location.address: address,
        Location.comune: comune,
        Location.province: province if not data.is_online else None,
        Location.capacity: capacity,
        Location.step_free_access: bool(data.step_free_access),
        Location.is_online: bool(data.is_online),
        Location.notes: notes,
        Location.active: bool(data.active),
    }


def _ensure_admin(user: CurrentUser) -> None:
    if not user.is_admin:
        raise PermissionDenied(N_("Solo l'ufficio formazione può gestire le sedi."))


async def create_location(user: CurrentUser, data: LocationInput) -> dict[str, Any]:
    _ensure_admin(user)
    values = _validate_location(data)
    row = Location(**{column._meta.name: value for column, value in values.items()})
    await row.save()
    await record_audit_event("location.created", actor_id=user.id, entity="location", entity_id=row.id)
    return await get_location(row.id)


async def update_location(user: CurrentUser, location_id: int, data: LocationInput) -> dict[str, Any]:
    _ensure_admin(user)
    await get_location(location_id)
    values = _validate_location(data)
    values[Location.updated_at] = utcnow()
    await Location.update(values).where(Location.id == location_id)
    await record_audit_event("location.updated", actor_id=user.id, entity="location", entity_id=location_id)
    return await get_location(location_id)
