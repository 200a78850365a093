"""Reminders of the refreshers falling due: an e-mail to the person and to their cooperative's
coordinators 90 and 30 days before the due date and on the day itself, each once.

Rules kept here, and why:

* **Stages** (:func:`reminder_stage`): the "90" reminder goes out while the due date is 31 to 90 days
  away, the "30" one while it is 1 to 30 days away, the "0" one on the due date and up to
  :data:`DUE_DAY_GRACE_DAYS` days after (a server that was down that day still sends it; a due date long
  past when the tracker first sees it sends nothing: the lists show it). A due date entered 50 days
  ahead gets the "90" reminder at once, then the "30" one; a stage never repeats.
* **Once each**: the periodic job (hourly housekeeping, ``claim_periodic_run``) claims each reminder by
  inserting its row in ``safety_reminder`` (unique per person, requirement, due date and stage) with
  ``ON CONFLICT DO NOTHING … RETURNING``, and queues the messages of the rows it won in the same
  transaction: two runs at once, on two instances, send it once. A new due date (a refresher taken)
  starts its own stages. Every message also carries an outbox dedupe key.
* **What a message says**: the person's name, the requirement, the due date, the hours, and a link.
  Nothing about health, disability or disadvantage — a training requirement is what the employer shows
  an inspector, and an inbox is no place for more. Composed in Italian, the consortium's language, as
  every notice of the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from training_hub.core.db import fetch_all, write_transaction
from training_hub.core.i18n import N_, format_date, gettext, language
from training_hub.core.settings import get_settings
from training_hub.core.tables import Role
from training_hub.core.timeutil import utcnow
from training_hub.notifications.outbox import OutgoingMessage, queue_messages
from training_hub.safety import due
from training_hub.safety.inputs import EVERYONE, PersonInputs, day_of, iter_inputs
from training_hub.safety.status import current_policy, person_rows, today_in_rome

log = logging.getLogger("training_hub.safety")

REMINDER_KIND = "safety_due"
STAGES = (90, 30, 0)
DUE_DAY_GRACE_DAYS = 6
# Rows claimed per statement (4 parameters each: well under the engines' limits).
_BATCH = 200

# What a due date is called, in the calendar feed and in the reminders' subjects.
DUE_TITLES = {
    "lavoratori_specifica": N_("Scadenza aggiornamento lavoratori"),
    "preposto": N_("Scadenza aggiornamento preposti"),
    "dirigente": N_("Scadenza aggiornamento dirigenti"),
    "datore_lavoro": N_("Scadenza aggiornamento datori di lavoro"),
    "rls": N_("Scadenza aggiornamento RLS"),
    "antincendio": N_("Scadenza aggiornamento addetti antincendio"),
    "primo_soccorso": N_("Scadenza aggiornamento addetti al primo soccorso"),
}
# A first course with a deadline (datori di lavoro, ASR P. VII).
FIRST_COURSE_DUE_TITLE = N_("Scadenza corso: %(requirement)s")


def due_title(requirement: str, status: str) -> str:
    """"Scadenza aggiornamento preposti", in the current language."""
    if status == due.MISSING:
        return gettext(FIRST_COURSE_DUE_TITLE) % {"requirement": gettext(due.REQUIREMENT_LABELS[requirement])}
    return gettext(DUE_TITLES.get(requirement, FIRST_COURSE_DUE_TITLE))


def reminder_stage(due_on: date, today: date) -> str | None:
    """The stage to send on ``today`` for a due date (see the module notes), or None."""
    days = (due_on - today).days
    if 30 < days <= 90:
        return "90"
    if 0 < days <= 30:
        return "30"
    if -DUE_DAY_GRACE_DAYS <= days <= 0:
        return "0"
    return None


@dataclass(frozen=True)
class Reminder:
    person: PersonInputs
    line: due.RequirementStatus
    stage: str
    days: int  # how many days are left (0: today; negative: past)

    @property
    def key(self) -> tuple[int, str, date, str]:
        assert self.line.due_on is not None
        return (self.person.person_id, self.line.requirement, self.line.due_on, self.stage)


def reminders_due(people: list[PersonInputs], today: date, policy: due.Policy) -> list[Reminder]:
    """Every (person, requirement) whose due date is at a stage today."""
    found = []
    for person in people:
        for row in person_rows(person, today, policy):
            if row.status.due_on is None:
                continue
            stage = reminder_stage(row.status.due_on, today)
            if stage is not None:
                found.append(Reminder(person, row.status, stage, (row.status.due_on - today).days))
    return found


def _when(days: int, due_text: str) -> str:
    if days == 0:
        return f"scade oggi, {due_text}"
    if days < 0:
        return f"è scaduta il {due_text}"
    return f"scade il {due_text}, tra {days} giorni" if days > 1 else f"scade domani, {due_text}"


def message_texts(reminder: Reminder, *, to_coordinator: bool) -> tuple[str, str]:
    """Subject and body of one reminder (Italian; no special-category data)."""
    line, person = reminder.line, reminder.person
    base_url = get_settings().base_url
    with language("it"):
        title = due_title(line.requirement, line.status)
        requirement = gettext(due.REQUIREMENT_LABELS[line.requirement])
        due_text = format_date(line.due_on)
    when = _when(reminder.days, due_text)
    hours = ""
    if line.hours_due is not None:
        shown = f"{line.hours_due:g}".replace(".", ",")
        hours = f" Ore da frequentare: {shown}."
    footer = "\n\nUfficio formazione – Consorzio Sociale Light\nVia Tolmezzo, 3 – 20100 Milano\n"
    if to_coordinator:
        subject = f"{title}: {person.full_name}, {due_text}"
        body = (
            "Buongiorno,\n\n"
            f"la formazione obbligatoria «{requirement}» di {person.full_name} {when}.{hours}\n\n"
            "Lo scadenzario della cooperativa, con le prossime edizioni e l'iscrizione in un passaggio, è qui "
            f"(dopo l'accesso): {base_url}/cooperatives/{person.cooperative_id}/safety-status"
        )
    else:
        subject = f"{title}: {due_text}"
        body = (
            f"Buongiorno {person.full_name},\n\n"
            f"la tua formazione obbligatoria «{requirement}» {when}.{hours}\n\n"
            "La tua formazione e le prossime edizioni dei corsi sono qui (dopo l'accesso): "
            f"{base_url}/my/safety"
        )
    return subject, body + footer


_COORDINATORS_SQL = (
    "SELECT id, email, cooperative FROM person WHERE active = {} AND cooperative IS NOT NULL "
    "AND email <> '' AND (',' || roles || ',') LIKE {}"
)


async def _coordinators() -> dict[int, list[dict[str, Any]]]:
    by_cooperative: dict[int, list[dict[str, Any]]] = {}
    for row in await fetch_all(_COORDINATORS_SQL, True, f"%,{Role.COORDINATOR.value},%"):
        by_cooperative.setdefault(row["cooperative"], []).append(row)
    return by_cooperative


def _messages(reminder: Reminder, coordinators: list[dict[str, Any]]) -> list[OutgoingMessage]:
    person_id, requirement, due_on, stage = reminder.key
    key = f"safety-due:{person_id}:{requirement}:{due_on.isoformat()}:{stage}"
    out = []
    if reminder.person.email:
        subject, body = message_texts(reminder, to_coordinator=False)
        out.append(OutgoingMessage(REMINDER_KIND, person_id, reminder.person.email, subject, body,
                                   dedupe_key=f"{key}:{person_id}"))
    subject, body = message_texts(reminder, to_coordinator=True)
    for coordinator in coordinators:
        if coordinator["id"] == person_id:
            continue  # a coordinator's own reminder came above
        out.append(OutgoingMessage(REMINDER_KIND, coordinator["id"], coordinator["email"], subject, body,
                                   dedupe_key=f"{key}:{coordinator['id']}"))
    return out


_CLAIM_HEAD = "INSERT INTO safety_reminder (person, requirement, due_on, stage, sent_at) VALUES "
_CLAIM_TAIL = " ON CONFLICT DO NOTHING RETURNING person, requirement, due_on, stage"


async def send_safety_reminders(now: datetime | None = None) -> int:
    """Queue the reminders due today that no run has sent yet; returns how many messages were queued."""
    now = now or utcnow()
    today = today_in_rome(now)
    policy = current_policy()
    reminders = [reminder async for chunk in iter_inputs(EVERYONE, today=today, now=now)
                 for reminder in reminders_due(chunk, today, policy)]
    if not reminders:
        return 0
    coordinators = await _coordinators()
    queued = 0
    for first in range(0, len(reminders), _BATCH):
        batch = {reminder.key: reminder for reminder in reminders[first:first + _BATCH]}
        args: list[Any] = []
        for person_id, requirement, due_on, stage in batch:
            args += [person_id, requirement, due_on, stage, now]
        async with write_transaction():
            won = await fetch_all(_CLAIM_HEAD + ", ".join(["({}, {}, {}, {}, {})"] * len(batch)) + _CLAIM_TAIL,
                                  *args)
            messages = []
            for row in won:
                reminder = batch[(row["person"], row["requirement"], day_of(row["due_on"]), row["stage"])]
                messages += _messages(reminder, coordinators.get(reminder.person.cooperative_id or 0, []))
            queued += await queue_messages(messages)
    if queued:
        log.info("Promemoria delle scadenze della formazione obbligatoria: %d messaggi in coda", queued)
    return queued
