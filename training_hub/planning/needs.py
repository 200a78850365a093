"""A cooperative's training needs (DESIGN.md "The cooperative's training year").

A need says who (area, job role, how many people), what (topic, or a safety course type), why (a legal
duty, development, inclusion), how urgent (priority), when (a quarter, a span of months, or any time in
the year) and where it comes from (a questionnaire, an interview, the risk assessment, the scadenzario).

* A coordinator records her own cooperative's needs, the office any cooperative's (``access.py``); both
  may correct and delete them. Every change is audited without the free text.
* **Refreshers falling due in the next 12 months appear as needs by themselves** (:func:`needs_view`):
  computed from the scadenzario each time (``refreshers.py``), never copied into the table, so they
  disappear as soon as the refresher is done. Their reason is a legal duty and their source the
  scadenzario; they are listed apart, with no edit or delete.
* The needs questionnaire to the cooperative's workers is the survey feature's job (anonymous, results
  from 5 answers); see the report of issue 19 for what it still needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, is_possible_id, write_transaction
from training_hub.core.errors import NotFound, ValidationFailed
from training_hub.core.i18n import N_, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import multi_line, parse_integer, single_line
from training_hub.core.tables import Area
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.planning import refreshers, rules
from training_hub.planning.access import open_cooperative
from training_hub.planning.tables import TrainingNeed
from training_hub.safety.course_types import find_course_type

NOT_FOUND = N_("Fabbisogno non trovato.")
CHOOSE = N_("Valore non previsto: scegli tra quelli dell'elenco.")
REQUIRED = N_("Campo obbligatorio.")
MESSAGES = {
    "people": N_("Indica quante persone, un numero intero da 1 a 10000."),
    "year": N_("Indica l'anno, tra il 2000 e il 2100."),
    "quarter": N_("Il trimestre è un numero da 1 a 4."),
    "month": N_("Il mese è un numero da 1 a 12."),
    "both_periods": N_("Indica un trimestre oppure i mesi, non entrambi."),
    "months_order": N_("Il mese finale precede quello iniziale."),
    "month_pair": N_("Indica sia il mese iniziale sia quello finale."),
    "scadenzario": N_("I fabbisogni dello scadenzario compaiono da soli: scegli un'altra fonte."),
}
NEED_COLUMNS = (
    "n.id, n.cooperative AS cooperative_id, n.year, n.area, n.job_role, n.people, n.topic, n.course_type, "
    "n.reason, n.priority, n.quarter, n.month_from, n.month_to, n.source, n.note, n.created_at, n.updated_at"
)
AREAS = tuple(area.value for area in Area)


def rome_today() -> date:
    return to_rome(utcnow()).date()


@dataclass
class NeedInput:
    topic: Any = None
    year: Any = None
    area: Any = ""
    job_role: Any = ""
    people: Any = None
    course_type: Any = ""
    reason: Any = None
    priority: Any = "medium"
    quarter: Any = None
    month_from: Any = None
    month_to: Any = None
    source: Any = None
    note: Any = ""


def _coded(value: Any, table: dict[str, str] | tuple[str, ...], name: str, errors: dict[str, str],
           *, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else value
    if rules.is_blank(text):
        if required:
            errors[name] = REQUIRED
        return ""
    if text not in table:
        errors[name] = CHOOSE
        return ""
    return text


def _period(data: NeedInput, errors: dict[str, str]) -> dict[str, int | None]:
    """A quarter, or a span of months (both ends), or neither (any time in the year)."""
    out: dict[str, int | None] = {"quarter": None, "month_from": None, "month_to": None}
    if not rules.is_blank(data.quarter):
        out["quarter"] = parse_integer(data.quarter, "quarter", errors, minimum=1, maximum=4,
                                       message=MESSAGES["quarter"])
    for name in ("month_from", "month_to"):
        if not rules.is_blank(getattr(data, name)):
            out[name] = parse_integer(getattr(data, name), name, errors, minimum=1, maximum=12,
                                      message=MESSAGES["month"])
    months_given = [not rules.is_blank(data.month_from), not rules.is_blank(data.month_to)]
    if out["quarter"] is not None and any(months_given):
        errors["quarter"] = MESSAGES["both_periods"]
    elif any(months_given) and not all(months_given):
        errors["month_to" if months_given[0] else "month_from"] = MESSAGES["month_pair"]
    elif out["month_from"] and out["month_to"] and out["month_to"] < out["month_from"]:
        errors["month_to"] = MESSAGES["months_order"]
    return out


def validated(data: NeedInput, today: date) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    out["topic"] = single_line(data.topic, "topic", errors, max_length=300)
    if not out["topic"] and "topic" not in errors:
        errors["topic"] = REQUIRED
    out["job_role"] = single_line(data.job_role, "job_role", errors, max_length=120)
    out["note"] = multi_line(data.note, "note", errors, max_length=2000)
    out["year"] = today.year if rules.is_blank(data.year) else parse_integer(
        data.year, "year", errors, minimum=2000, maximum=2100, message=MESSAGES["year"])
    out["people"] = parse_integer(data.people, "people", errors, minimum=1, maximum=rules.MAX_PEOPLE,
                                  message=MESSAGES["people"])
    out["area"] = _coded(data.area, AREAS, "area", errors, required=False)
    out["reason"] = _coded(data.reason, rules.REASONS, "reason", errors)
    out["priority"] = _coded(data.priority, rules.PRIORITIES, "priority", errors)
    out["source"] = _coded(data.source, rules.SOURCES, "source", errors)
    if out["source"] == "scadenzario":
        errors["source"] = MESSAGES["scadenzario"]
    course_type = data.course_type.strip() if isinstance(data.course_type, str) else data.course_type
    if rules.is_blank(course_type):
        out["course_type"] = ""
    elif find_course_type(course_type) is None:
        errors["course_type"] = CHOOSE
    else:
        out["course_type"] = course_type
    out.update(_period(data, errors))
    if errors:
        raise ValidationFailed(N_("Controlla i campi segnalati."), errors=errors)
    return out


async def create_need(user: CurrentUser, cooperative_id: int, data: NeedInput) -> int:
    await open_cooperative(user, cooperative_id)
    values = validated(data, rome_today())
    async with write_transaction():
        row = await TrainingNeed.insert(TrainingNeed(**values, cooperative=cooperative_id, created_by=user.id)).returning(
            TrainingNeed.id)
        need_id = row[0]["id"]
        await record_audit_event("training_need.created", actor_id=user.id, entity="training_need", entity_id=need_id,
                                 data={"cooperative_id": cooperative_id})
    return need_id


async def open_need(user: CurrentUser, need_id: int) -> dict[str, Any]:
    """A recorded need the user may see (the same rule as its cooperative's); 404 otherwise."""
    row = await fetch_one(f"SELECT {NEED_COLUMNS} FROM training_need n WHERE n.id = {{}}", need_id) \
        if is_possible_id(need_id) else None
    if row is None:
        raise NotFound(NOT_FOUND)
    try:
        await open_cooperative(user, row["cooperative_id"])
    except NotFound as exc:
        raise NotFound(NOT_FOUND) from exc
    return row


async def update_need(user: CurrentUser, need_id: int, data: NeedInput) -> None:
    await open_need(user, need_id)
    values = validated(data, rome_today())
    async with write_transaction():
        await TrainingNeed.update({**{getattr(TrainingNeed, k): v for k, v in values.items()},
                                   TrainingNeed.updated_at: utcnow()}).where(TrainingNeed.id == need_id)
        await record_audit_event("training_need.updated", actor_id=user.id, entity="training_need", entity_id=need_id)


async def delete_need(user: CurrentUser, need_id: int) -> None:
    """Delete a need; plan lines built from it stay (they only lose the link)."""
    need = await open_need(user, need_id)
    async with write_transaction():
        await TrainingNeed.delete().where(TrainingNeed.id == need_id)
        await record_audit_event("training_need.deleted", actor_id=user.id, entity="training_need", entity_id=need_id,
                                 data={"cooperative_id": need["cooperative_id"]})


async def recorded_needs(cooperative_id: int, year: int) -> list[dict[str, Any]]:
    rows = await fetch_all(
        f"SELECT {NEED_COLUMNS} FROM training_need n WHERE n.cooperative = {{}} AND n.year = {{}} "
        "ORDER BY n.id", cooperative_id, year)
    rows.sort(key=lambda r: (rules.PRIORITY_ORDER.get(r["priority"], 9), r["quarter"] or r["month_from"] or 0, r["id"]))
    return [{**row, "automatic": False} for row in rows]


async def refresher_needs(cooperative_id: int, today: date) -> list[dict[str, Any]]:
    """The refreshers falling due in the next 12 months, shaped as needs (no id: computed, not stored)."""
    needs = []
    for row in await refreshers.refreshers_due(cooperative_id, today):
        kind = find_course_type(row["course_type"])
        needs.append({
            "id": None, "cooperative_id": row["cooperative_id"], "year": today.year, "area": "", "job_role": "",
            "people": row["people"], "topic": gettext(kind.title) if kind else row["course_type"],
            "course_type": row["course_type"], "reason": "legal_duty", "priority": "high", "quarter": None,
            "month_from": None, "month_to": None, "source": "scadenzario", "note": "", "hours": row["hours"],
            "overdue": row.get("overdue", 0), "due_on": row.get("due_on"), "automatic": True,
        })
    return needs


async def needs_view(user: CurrentUser, cooperative_id: int, year: int | None = None) -> dict[str, Any]:
    """The cooperative, its recorded needs of the year and the refreshers falling due."""
    cooperative = await open_cooperative(user, cooperative_id)
    today = rome_today()
    year = year or today.year
    return {"cooperative": cooperative, "year": year, "recorded": await recorded_needs(cooperative_id, year),
            "refreshers": await refresher_needs(cooperative_id, today)}


def period_text(need: dict[str, Any]) -> str:
    """When the need is wanted, as a page writes it (in the page's language)."""
    if need.get("quarter"):
        return gettext(N_("%(quarter)s° trimestre")) % {"quarter": need["quarter"]}
    if need.get("month_from"):
        return gettext(N_("mesi %(first)s–%(last)s")) % {"first": need["month_from"], "last": need["month_to"]}
    return gettext(N_("in corso d'anno"))
