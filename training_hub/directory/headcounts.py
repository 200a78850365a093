"""How many people work for a cooperative in a calendar year, as the office enters it.

The figure sets the RLS refresher hours (art. 37 c. 11 D.Lgs. 81/2008: 4 hours from 15 to 50 workers, 8
above) and is what the bilancio sociale divides training hours by (D.M. 4 luglio 2019). Only counts:
never who is a woman, a man or a disadvantaged worker (L. 381/1991 art. 4, a figure the cooperative
publishes anyway), so no figure goes into the audit trail either.

The office records the figures; the cooperative's coordinator reads them. Refused, each next to its
field: a figure that is not a whole number from 0, women and men together above the total, the
disadvantaged workers above the total, a year outside :data:`MIN_YEAR` to next year, and — for the
current year and later, the people recorded today say nothing of a past year — a total below the
active people the directory holds for the cooperative (issue 19).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import is_possible_id, lock_for_update, write_transaction
from training_hub.core.errors import FieldMessage, NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import parse_integer
from training_hub.core.tables import Cooperative, CooperativeHeadcount, Person, Role
from training_hub.core.timeutil import to_rome, utcnow

# The consortium was founded in 1998; its cooperatives' figures of earlier years are not kept here.
MIN_YEAR = 1990
MAX_PEOPLE = 100_000
FIGURES = ("total", "women", "men", "disadvantaged")
COUNT_MESSAGE = N_("Scrivi un numero intero, zero o più.")
COLUMNS = (CooperativeHeadcount.year, CooperativeHeadcount.total, CooperativeHeadcount.women,
           CooperativeHeadcount.men, CooperativeHeadcount.disadvantaged, CooperativeHeadcount.updated_at)


@dataclass
class HeadcountInput:
    total: Any = None
    women: Any = 0
    men: Any = 0
    disadvantaged: Any = 0


def current_year() -> int:
    return to_rome(utcnow()).year


def headcount_out(cooperative_id: int, row: dict[str, Any]) -> dict[str, Any]:
    return {"cooperative_id": cooperative_id, **{name: row[name] for name in ("year", *FIGURES, "updated_at")}}


async def _cooperative(actor: CurrentUser, cooperative_id: int) -> None:
    """The office sees every cooperative's figures, a coordinator her own; anyone else: not found."""
    exists = is_possible_id(cooperative_id) and await Cooperative.exists().where(Cooperative.id == cooperative_id)
    mine = actor.has_role(Role.COORDINATOR) and actor.cooperative_id == cooperative_id
    if not exists or not (actor.is_admin or mine):
        raise NotFound(N_("Cooperativa non trovata."))


async def list_headcounts(actor: CurrentUser, cooperative_id: int) -> list[dict[str, Any]]:
    """The figures of every year entered, the latest first."""
    await _cooperative(actor, cooperative_id)
    rows = await CooperativeHeadcount.select(*COLUMNS).where(CooperativeHeadcount.cooperative == cooperative_id) \
        .order_by(CooperativeHeadcount.year, ascending=False)
    return [headcount_out(cooperative_id, row) for row in rows]


def check_year(year: Any, errors: dict[str, str]) -> int | None:
    last = current_year() + 1
    return parse_integer(year, "year", errors, minimum=MIN_YEAR, maximum=last,
                         message=FieldMessage(N_("Indica un anno dal %(first)d al %(last)d."), first=MIN_YEAR, last=last))


async def save_headcount(actor: CurrentUser, cooperative_id: int, year: Any, data: HeadcountInput) -> dict[str, Any]:
    """Record (or correct) the figures of ``year``; one row per cooperative and year."""
    await _cooperative(actor, cooperative_id)
    if not actor.is_admin:
        raise PermissionDenied(N_("Il personale della cooperativa lo registra l'ufficio formazione."))
    errors: dict[str, str] = {}
    checked_year = check_year(year, errors)
    figures = {name: parse_integer(getattr(data, name), name, errors, minimum=0, maximum=MAX_PEOPLE,
                                   message=COUNT_MESSAGE) for name in FIGURES}
    total = figures["total"]
    if total is not None:
        women, men = figures["women"], figures["men"]
        if women is not None and men is not None and women + men > total:
            errors["men"] = FieldMessage(N_("Donne e uomini insieme (%(sum)d) sono più del totale (%(total)d)."),
                                         sum=women + men, total=total)
        if figures["disadvantaged"] is not None and figures["disadvantaged"] > total:
            errors["disadvantaged"] = N_("I lavoratori svantaggiati non possono essere più del totale.")
    async with write_transaction():
        # Serialises two saves of the same cooperative: the unique (cooperative, year) is never raced.
        await lock_for_update(Cooperative.select(Cooperative.id).where(Cooperative.id == cooperative_id))
        if total is not None and checked_year is not None and checked_year >= current_year():
            active = await Person.count().where((Person.cooperative == cooperative_id) & (Person.active.eq(True)))
            if total < active:
                errors["total"] = FieldMessage(
                    N_("Il totale è inferiore alle persone attive registrate per la cooperativa (%(active)d)."),
                    active=active)
        if errors:
            raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
        values = {getattr(CooperativeHeadcount, name): value for name, value in figures.items()}
        values[CooperativeHeadcount.updated_at] = utcnow()
        existing = await CooperativeHeadcount.select(CooperativeHeadcount.id).where(
            (CooperativeHeadcount.cooperative == cooperative_id) & (CooperativeHeadcount.year == checked_year)).first()
        if existing is None:
            await CooperativeHeadcount.insert(CooperativeHeadcount(
                cooperative=cooperative_id, year=checked_year, **{c._meta.name: v for c, v in values.items()}))
        else:
            await CooperativeHeadcount.update(values).where(CooperativeHeadcount.id == existing["id"])
        await record_audit_event("cooperative.headcount_saved", actor_id=actor.id, entity="cooperative",
                                 entity_id=cooperative_id, data={"year": checked_year})
    row = await CooperativeHeadcount.select(*COLUMNS).where(
        (CooperativeHeadcount.cooperative == cooperative_id) & (CooperativeHeadcount.year == checked_year)).first()
    return headcount_out(cooperative_id, row)
