"""Budgets per funding source (DESIGN.md "The cooperative's training year"): a fund account (Fon.Coop
conto formativo), a call, a regional dote, own funds — how much there is, how much is committed and
spent, and when the money expires.

* The office keeps the budgets (``access.require_office``); a coordinator sees her cooperative's and the
  consortium's (no cooperative), to choose one as a plan line's funding source.
* Bad input changes nothing and is named next to its field: committed or spent above the amount, an
  expiry before the credit, a Fondimpresa expiry later than the fund's rule allows (``rules.EXPIRY_RULES``:
  when left empty, the expiry is the rule's date).
* **Warnings**: 90 and 30 days before the money expires with some of it uncommitted
  (``rules.expiry_warning``), on the page and as one e-mail per threshold to each person of the office
  (:func:`notify_expiring_budgets`, in the hourly housekeeping): the outbox's ``dedupe_key`` makes "once
  each" hold even with two workers racing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, is_possible_id, write_transaction
from training_hub.core.errors import FieldMessage, NotFound, ValidationFailed
from training_hub.core.i18n import N_, format_date, language
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import multi_line, parse_day, parse_id, single_line
from training_hub.core.settings import get_settings
from training_hub.core.tables import Role
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.notifications.outbox import queue_notification
from training_hub.planning import rules
from training_hub.planning.access import require_office, require_planner
from training_hub.planning.tables import Budget

log = logging.getLogger("training_hub.planning")

NOT_FOUND = N_("Budget non trovato.")
REMINDER_KIND = "budget_expiring"
MESSAGES = {
    "required": N_("Campo obbligatorio."),
    "choose": N_("Valore non previsto: scegli tra quelli dell'elenco."),
    "amount": N_("Scrivi un importo in euro, per esempio 1.234,50."),
    "committed_above": N_("L'impegnato non può superare l'importo del budget."),
    "spent_above": N_("La spesa non può superare l'importo del budget."),
    "cooperative": N_("Cooperativa non trovata."),
    "expires_before_credit": N_("La scadenza precede l'accredito."),
    "rule_expiry": N_("Per questo fondo le risorse scadono al più tardi il %(day)s (%(source)s)."),
}
BUDGET_COLUMNS = (
    "b.id, b.cooperative AS cooperative_id, co.name AS cooperative_name, b.title, b.source, b.kind, "
    "b.amount_cents, b.committed_cents, b.spent_cents, b.credited_on, b.expires_on, b.note, b.updated_at"
)
BUDGET_FROM = "FROM budget b LEFT JOIN cooperative co ON co.id = b.cooperative"


def rome_today(now: datetime | None = None) -> date:
    return to_rome(now or utcnow()).date()


@dataclass
class BudgetInput:
    title: Any = None
    source: Any = None
    kind: Any = None
    cooperative_id: Any = None
    amount: Any = None
    committed: Any = 0
    spent: Any = 0
    credited_on: Any = None
    expires_on: Any = None
    note: Any = ""


def _cents(value: Any, name: str, errors: dict[str, str], *, required: bool) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = MESSAGES["required"]
        return 0
    cents = rules.parse_cents(value)
    if cents is None or cents > rules.MAX_CENTS:
        errors[name] = MESSAGES["amount"]
        return 0
    return cents


async def validated(data: BudgetInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    out["title"] = single_line(data.title, "title", errors, max_length=200)
    if not out["title"] and "title" not in errors:
        errors["title"] = MESSAGES["required"]
    out["note"] = multi_line(data.note, "note", errors, max_length=2000)
    for name, table in (("source", rules.FUNDING_SOURCES), ("kind", rules.BUDGET_KINDS)):
        value = getattr(data, name)
        value = value.strip() if isinstance(value, str) else value
        if value not in table:
            errors[name] = MESSAGES["choose"] if value else MESSAGES["required"]
        out[name] = value
    cooperative_id = parse_id(data.cooperative_id)
    if cooperative_id is not None and (cooperative_id < 0 or not await fetch_one(
            "SELECT id FROM cooperative WHERE id = {}", cooperative_id)):
        errors["cooperative_id"] = MESSAGES["cooperative"]
    out["cooperative"] = cooperative_id
    out["amount_cents"] = _cents(data.amount, "amount", errors, required=True)
    out["committed_cents"] = _cents(data.committed, "committed", errors, required=False)
    out["spent_cents"] = _cents(data.spent, "spent", errors, required=False)
    if "amount" not in errors:
        if "committed" not in errors and out["committed_cents"] > out["amount_cents"]:
            errors["committed"] = MESSAGES["committed_above"]
        if "spent" not in errors and out["spent_cents"] > out["amount_cents"]:
            errors["spent"] = MESSAGES["spent_above"]
    out["credited_on"] = parse_day(data.credited_on, "credited_on", errors)
    out["expires_on"] = parse_day(data.expires_on, "expires_on", errors)
    by_rule = rules.fund_expiry(out["source"], out["credited_on"])
    if out["expires_on"] is None and "expires_on" not in errors:
        out["expires_on"] = by_rule
    elif out["expires_on"] and out["credited_on"] and out["expires_on"] < out["credited_on"]:
        errors["expires_on"] = MESSAGES["expires_before_credit"]
    elif out["expires_on"] and by_rule and out["expires_on"] > by_rule:
        errors["expires_on"] = FieldMessage(MESSAGES["rule_expiry"], day=format_date(by_rule),
                                            source=rules.EXPIRY_RULES[out["source"]].source)
    if errors:
        raise ValidationFailed(N_("Controlla i campi segnalati."), errors=errors)
    return out


async def create_budget(user: CurrentUser, data: BudgetInput) -> int:
    require_office(user)
    values = await validated(data)
    async with write_transaction():
        row = await Budget.insert(Budget(**values, created_by=user.id)).returning(Budget.id)
        budget_id = row[0]["id"]
        await record_audit_event("budget.created", actor_id=user.id, entity="budget", entity_id=budget_id)
    return budget_id


async def update_budget(user: CurrentUser, budget_id: int, data: BudgetInput) -> None:
    require_office(user)
    await open_budget(user, budget_id)
    values = await validated(data)
    async with write_transaction():
        await Budget.update({**{getattr(Budget, k): v for k, v in values.items()}, Budget.updated_at: utcnow()}).where(
            Budget.id == budget_id)
        await record_audit_event("budget.updated", actor_id=user.id, entity="budget", entity_id=budget_id)


async def delete_budget(user: CurrentUser, budget_id: int) -> None:
    """Delete a budget; the plan lines it funded keep their figures and lose the funding source."""
    require_office(user)
    await open_budget(user, budget_id)
    async with write_transaction():
        await Budget.delete().where(Budget.id == budget_id)
        await record_audit_event("budget.deleted", actor_id=user.id, entity="budget", entity_id=budget_id)


def shown(row: dict[str, Any], today: date) -> dict[str, Any]:
    """A budget with what it has left, and its warning (90, 30), or whether it has expired."""
    uncommitted = row["amount_cents"] - row["committed_cents"]
    return {**row, "uncommitted_cents": uncommitted,
            "warning_days": rules.expiry_warning(row["expires_on"], uncommitted, today),
            "expired": rules.is_expired(row["expires_on"], today)}


def _visible(user: CurrentUser) -> tuple[str, list[Any]]:
    if user.is_admin:
        return "", []
    return "WHERE (b.cooperative = {} OR b.cooperative IS NULL)", [user.cooperative_id]


async def open_budget(user: CurrentUser, budget_id: Any) -> dict[str, Any]:
    require_planner(user)
    where, args = _visible(user)
    condition = ("AND" if where else "WHERE") + " b.id = {}"
    row = await fetch_one(f"SELECT {BUDGET_COLUMNS} {BUDGET_FROM} {where} {condition}", *args, budget_id) \
        if isinstance(budget_id, int) and is_possible_id(budget_id) else None
    if row is None:
        raise NotFound(NOT_FOUND)
    return shown(row, rome_today())


async def list_budgets(user: CurrentUser, cooperative_id: int | None = None) -> list[dict[str, Any]]:
    """The budgets the user may see (the office may pick one cooperative's), soonest expiry first."""
    require_planner(user)
    where, args = _visible(user)
    if user.is_admin and cooperative_id is not None:
        where, args = "WHERE (b.cooperative = {} OR b.cooperative IS NULL)", [cooperative_id]
    rows = await fetch_all(f"SELECT {BUDGET_COLUMNS} {BUDGET_FROM} {where} ORDER BY b.expires_on, b.title, b.id", *args)
    today = rome_today()
    # Budgets without an expiry after the others (NULLs sort first on SQLite, last on PostgreSQL).
    rows.sort(key=lambda r: (r["expires_on"] is None, r["expires_on"] or today, r["title"], r["id"]))
    return [shown(row, today) for row in rows]


# The warnings as e-mails to the office ------------------------------------------------------------


def reminder_text(budget: dict[str, Any], days: int) -> tuple[str, str]:
    # Composed in Italian whatever the page language (see notifications/outbox.py).
    with language("it"):
        deadline = format_date(budget["expires_on"])
    left = rules.format_euros(budget["amount_cents"] - budget["committed_cents"])
    subject = f"Budget «{budget['title']}»: {left} non impegnati, scadenza il {deadline}"
    body = (
        "Buongiorno,\n\n"
        f"il budget «{budget['title']}» ({rules.FUNDING_SOURCES.get(budget['source'], budget['source'])}) ha ancora "
        f"{left} non impegnati e le risorse scadono il {deadline}, tra meno di {days} giorni.\n\n"
        f"Il piano formativo e i budget: {get_settings().base_url}/budgets/{budget['id']}\n\n"
        "Ufficio formazione – Consorzio Sociale Light\n"
    )
    return subject, body


async def notify_expiring_budgets(now: datetime | None = None) -> int:
    """One e-mail to each active admin per budget and threshold (90, 30 days) reached with money still
    uncommitted; returns how many were queued. Safe to run every hour and from two workers at once."""
    today = rome_today(now)
    rows = await fetch_all(
        f"SELECT {BUDGET_COLUMNS} {BUDGET_FROM} WHERE b.expires_on >= {{}} AND b.amount_cents > b.committed_cents "
        "ORDER BY b.expires_on, b.id", today)
    due = [(row, rules.expiry_warning(row["expires_on"], row["amount_cents"] - row["committed_cents"], today))
           for row in rows]
    due = [(row, days) for row, days in due if days is not None]
    if not due:
        return 0
    office = await fetch_all("SELECT id, roles FROM person WHERE active = {} ORDER BY id", True)
    admins = [p["id"] for p in office if Role.ADMIN.value in (p["roles"] or "").split(",")]
    queued = 0
    for row, days in due:
        subject, body = reminder_text(row, days)
        for admin_id in admins:
            if await queue_notification(REMINDER_KIND, recipient_id=admin_id, subject=subject, body=body,
                                        dedupe_key=f"budget-expiry:{row['id']}:{row['expires_on'].isoformat()}:{days}:{admin_id}"):
                queued += 1
    if queued:
        log.info("Budget in scadenza: %d messaggi in coda", queued)
    return queued
