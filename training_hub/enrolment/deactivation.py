"""A person deactivated (they left their cooperative) keeps no seat, waiting-list place or request in a
course that has not started: what is released, said before (:func:`deactivation_preview`, the
confirmation page) and after (:func:`release_enrolments_of_deactivated`'s list, shown once done).

The directory announces the deactivation (``core.events.person_deactivated``); ``hooks.py`` connects
:func:`release_enrolments_of_deactivated`, which cancels each enrolment as ``actions.cancel_enrolment``
does (under the course lock, a freed seat going at once to the next in line, the person told).
Courses under way or held keep the enrolment (its attendance and certificate); a seat the actor may
not cancel (past its cancellation deadline, for a coordinator) stays, for the training office — the
preview says so, person by person.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.core.db import fetch_all
from training_hub.core.errors import DomainError
from training_hub.core.i18n import N_, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.timeutil import utcnow
from training_hub.directory.service import get_person_for_edit
from training_hub.enrolment.actions import cancel_enrolment
from training_hub.enrolment.eligibility import cancel_refusal, status_label
from training_hub.seats.state import LIVE_STATUSES_SQL, waitlist_ahead_sql

# Stored on the enrolment and sent to the person like any reason: in Italian, the consortium's language.
RELEASE_REASON = "Persona non più attiva."

LIVE_ENROLMENTS_SQL = (
    "SELECT e.id, e.status, e.course, c.title, c.status AS course_status, c.starts_at, "
    "c.cancellation_deadline, " + waitlist_ahead_sql("e") + " AS ahead "
    "FROM enrolment e JOIN course c ON c.id = e.course "
    f"WHERE e.person = {{}} AND e.status IN {LIVE_STATUSES_SQL} ORDER BY c.starts_at, e.id"
)


def _item(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "enrolment_id": row["id"],
        "course_id": row["course"],
        "course_title": row["title"],
        "starts_at": row["starts_at"],
        "status": row["status"],
        "status_label": status_label(row["status"]),
        "waitlist_position": int(row["ahead"]) + 1 if row["status"] == "waitlisted" else None,
    }


async def deactivation_preview(
    actor: CurrentUser, person_id: int, *, now: datetime | None = None
) -> dict[str, Any]:
    """What deactivating the person would cancel, and what would stay and why (one statement after the
    directory's own check: NotFound for a person the actor may not manage)."""
    now = now or utcnow()
    person = await get_person_for_edit(actor, person_id)
    to_cancel: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    for row in await fetch_all(LIVE_ENROLMENTS_SQL, person_id):
        item = _item(row)
        if row["starts_at"] is not None and row["starts_at"] <= now:
            item["why"] = gettext(N_("Il corso è già iniziato: l'iscrizione resta, con le presenze e l'attestato."))
            kept.append(item)
            continue
        refusal = cancel_refusal(actor, row["status"], row, now)
        if refusal is not None:
            item["why"] = refusal.detail
            kept.append(item)
        else:
            to_cancel.append(item)
    return {"person": person, "to_cancel": to_cancel, "kept": kept}


async def release_enrolments_of_deactivated(
    actor: CurrentUser, person_id: int, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Cancel the deactivated person's enrolments in courses that have not started (as
    :func:`cancel_enrolment` does, so a freed seat goes to the next in line at once); the ones
    cancelled, each with ``promoted`` (whether its seat went to someone waiting)."""
    now = now or utcnow()
    rows = await fetch_all(
        LIVE_ENROLMENTS_SQL.replace("ORDER BY", "AND (c.starts_at IS NULL OR c.starts_at > {}) ORDER BY"),
        person_id,
        now,
    )
    released = []
    for row in rows:
        try:
            result = await cancel_enrolment(actor, row["id"], RELEASE_REASON, now=now)
        except DomainError:
            continue  # e.g. a seat past its deadline, for a coordinator: left to the office
        released.append({**_item(row), "promoted": bool(result.promoted)})
    return released
