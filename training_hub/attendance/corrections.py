"""The history of a session's attendance corrections: what the roll-call page promises ("resta nello
storico"), readable per session.

A correction of a closed register leaves an ``attendance.corrected`` audit event (``recording.py``):
status and minutes before and after, the times when they changed, the reason, who and when. This
module reads them back for the people who take the session's attendance (its trainers, the office) —
three statements whatever the number of corrections. Nothing about anyone's needs is in them.
"""

from __future__ import annotations

import json
from typing import Any

from training_hub.attendance.access import load_session, require_attendance_taker
from training_hub.attendance.rules import status_label
from training_hub.core.db import fetch_all
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.timeutil import parse_instant

HISTORY_REFUSED = N_("Solo i formatori del corso e l'ufficio formazione vedono lo storico delle correzioni.")

CORRECTIONS_SQL = (
    "SELECT a.id, a.at, a.entity_id, a.data, a.reason, p.full_name AS actor_name "
    "FROM audit_event a LEFT JOIN person p ON p.id = a.actor "
    "WHERE a.action = 'attendance.corrected' "
    "AND (a.entity_id IN (SELECT id FROM attendance WHERE session = {}) OR a.entity_id IS NULL) "
    "ORDER BY a.at DESC, a.id DESC"
)


def _data(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def _instant(value: Any) -> Any:
    return parse_instant(value) if isinstance(value, str) and value else None


def _side(data: dict[str, Any], which: str) -> dict[str, Any] | None:
    state = data.get(which)
    if not isinstance(state, dict):
        return None
    times = (data.get("times") or {}).get(which) or {}
    return {
        "status": state.get("status"),
        "status_label": status_label(state.get("status")),
        "minutes": state.get("minutes"),
        "arrived_at": _instant(times.get("arrived_at")),
        "left_at": _instant(times.get("left_at")),
    }


async def session_corrections(actor: CurrentUser, session_id: int) -> dict[str, Any]:
    """The session and its corrections, newest first: who corrected whose attendance, when, from what
    to what, and why. 403 for anyone who does not take the session's attendance (404 when they may
    not even see the course)."""
    session = await load_session(session_id)
    await require_attendance_taker(actor, session["course_id"], HISTORY_REFUSED)
    names = {
        row["id"]: row["full_name"]
        for row in await fetch_all(
            "SELECT e.id, p.full_name FROM enrolment e JOIN person p ON p.id = e.person WHERE e.course = {}",
            session["course_id"],
        )
    }
    items = []
    for row in await fetch_all(CORRECTIONS_SQL, session_id):
        data = _data(row["data"])
        if data.get("session_id") != session_id:
            continue
        items.append({
            "at": row["at"],
            "actor_name": row["actor_name"],
            "full_name": names.get(data.get("enrolment_id"), "—"),
            "before": _side(data, "before"),
            "after": _side(data, "after"),
            "times_changed": bool(data.get("times")),
            "reason": row["reason"] or "",
        })
    return {"session": session, "corrections": items}
