"""Self check-in: the code the trainer shows, and the participant checking in and out with it.

Rules kept here, and why:

* The trainer's screen shows a QR code and six digits that change every minute (``rules.check_in_codes``);
  only those who take the course's attendance may show it.
* A confirmed participant checks in from 15 minutes before the start to 30 minutes after the end;
  arriving late or leaving early sets the status (``rules.check_in_status``/``check_out_status``).
  The first instant of each step is kept; the trainer corrects it on the roll call if need be.
* Wrong six-digit codes are counted per person and session (an audit event each, with nothing but
  who and which session); after ``CHECK_IN_MAX_WRONG_CODES`` of them no code is accepted any more,
  so the code cannot be guessed from home by trying them all.
* Writes happen with the session row locked, like the roll call, so the two never overwrite each other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.attendance.access import (
    CONFIRMED,
    SCHEDULED,
    load_session,
    require_attendance_taker,
    session_out,
)
from training_hub.attendance.rules import (
    CHECK_IN_CLOSES_AFTER,
    CHECK_IN_GRACE_MINUTES,
    CHECK_IN_MAX_WRONG_CODES,
    CHECK_IN_OPENS_BEFORE,
    attended_minutes,
    check_in_code_valid,
    check_in_codes,
    check_in_status,
    check_in_window,
    check_out_status,
    is_check_in_token,
    minute_of,
    normalise_check_in_code,
    session_minutes,
)
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, lock_for_update, write_transaction
from training_hub.core.errors import CheckInRefused, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_, format_datetime
from training_hub.core.identity import CurrentUser
from training_hub.core.settings import get_settings
from training_hub.core.tables import Attendance, AttendanceStatus, RecordedVia, Session
from training_hub.core.timeutil import to_utc, utcnow

CHECK_IN_CANDIDATES_SQL = (
    "SELECT s.id, s.starts_at, s.ends_at, c.id AS course_id, c.title AS course_title, "
    "a.arrived_at, a.left_at, a.status AS attendance_status "
    "FROM enrolment e JOIN course c ON c.id = e.course JOIN course_session s ON s.course = c.id "
    "LEFT JOIN attendance a ON a.session = s.id AND a.enrolment = e.id "
    "WHERE e.person = {} AND e.status = {} AND s.status = {} AND s.starts_at <= {} AND s.ends_at >= {} "
    "ORDER BY s.starts_at"
)


def check_in_url(session_id: int, token: str) -> str:
    return f"{get_settings().base_url}/check-in/{session_id}?code={token}"


async def check_in_display(actor: CurrentUser, session_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """What the trainer shows on screen: the QR code's URL and the six digits of this minute."""
    now = to_utc(now or utcnow())
    session = await load_session(session_id)
    await require_attendance_taker(
        actor, session["course_id"], N_("Solo i formatori del corso e l'ufficio formazione mostrano il codice di check-in.")
    )
    opens, closes = check_in_window(session["starts_at"], session["ends_at"])
    is_open = session["status"] == SCHEDULED and opens <= now <= closes
    token, digits = check_in_codes(session_id, minute_of(now)) if is_open else ("", "")
    counts = await fetch_one(
        "SELECT (SELECT COUNT(*) FROM attendance WHERE session = {} AND arrived_at IS NOT NULL) AS checked_in, "
        "(SELECT COUNT(*) FROM enrolment WHERE course = {} AND status = {}) AS participants",
        session_id, session["course_id"], CONFIRMED,
    ) or {}
    return {
        "session": session_out(session),
        "open": is_open,
        "cancelled": session["status"] != SCHEDULED,
        "opens_at": opens,
        "closes_at": closes,
        "token": token,
        "digits": digits,
        "url": check_in_url(session_id, token) if is_open else "",
        "code_url": f"{get_settings().base_url}/check-in",
        "refresh_seconds": 60 - now.second if is_open else 60,
        "grace_minutes": CHECK_IN_GRACE_MINUTES,
        "checked_in": int(counts.get("checked_in") or 0),
        "participants": int(counts.get("participants") or 0),
    }


async def _check_in_guard(
    actor: CurrentUser, session: dict[str, Any], code: str, now: datetime, *, count_strike: bool = True
) -> int:
    """The participant's enrolment id, or the reason why they cannot check in now."""
    if session["status"] != SCHEDULED:
        raise CheckInRefused(N_("L'incontro è stato annullato."))
    enrolment = await fetch_one(
        "SELECT id FROM enrolment WHERE course = {} AND person = {} AND status = {}",
        session["course_id"], actor.id, CONFIRMED,
    )
    if enrolment is None:
        raise PermissionDenied(N_("Il check-in è riservato ai partecipanti confermati di questo corso."))
    opens, closes = check_in_window(session["starts_at"], session["ends_at"])
    if not opens <= now <= closes:
        raise CheckInRefused(
            N_("Il check-in per questo incontro è aperto dal %(opens)s al %(closes)s."),
            opens=format_datetime(opens), closes=format_datetime(closes),
        )
    if not await _code_accepted(actor, session["id"], code, now, count_strike=count_strike):
        raise CheckInRefused(
            N_("Il codice non è valido o è scaduto: inquadra di nuovo il codice mostrato dal formatore."),
            field="code",
        )
    return enrolment["id"]


WRONG_CODE_EVENT = "attendance.check_in_wrong_code"


async def _code_accepted(
    actor: CurrentUser, session_id: int, code: str, now: datetime, *, count_strike: bool = True
) -> bool:
    """Whether ``code`` is this session's current one; wrong codes are counted per person and session
    (an audit event each, with nothing but who and which session), and after
    ``CHECK_IN_MAX_WRONG_CODES`` of them no code is accepted any more, so the six digits cannot be
    guessed by trying them all. Counted with the session row locked: simultaneous guesses queue up.
    An expired QR token is not counted: nobody guesses 24 hex digits, and a late scan is no attack.
    Only a submission counts (``count_strike``): the confirmation page a GET shows never does, so a
    link opened twice, or prefetched by a mail client, costs nothing."""
    candidate = normalise_check_in_code(code)
    if not candidate:
        return False  # an empty field is a slip, not a guess
    guessable = not is_check_in_token(candidate)
    async with write_transaction():
        await lock_for_update(Session.select(Session.id).where(Session.id == session_id))
        row = await fetch_one(
            "SELECT COUNT(*) AS n FROM audit_event WHERE action = {} AND actor = {} AND entity = {} AND entity_id = {}",
            WRONG_CODE_EVENT, actor.id, "session", session_id,
        )
        blocked = int((row or {}).get("n") or 0) >= CHECK_IN_MAX_WRONG_CODES
        valid = not blocked and check_in_code_valid(session_id, code, now)
        if count_strike and not blocked and not valid and guessable:
            await record_audit_event(WRONG_CODE_EVENT, actor_id=actor.id, entity="session", entity_id=session_id)
    if blocked:
        raise CheckInRefused(
            N_("Troppi codici errati per questo incontro: chiedi al formatore di registrare la tua presenza."),
            field="code",
        )
    return valid


async def check_in_preview(
    actor: CurrentUser, session_id: int, code: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """Everything :func:`check_in` would check, without writing: for the confirmation page."""
    now = to_utc(now or utcnow())
    session = await load_session(session_id)
    enrolment_id = await _check_in_guard(actor, session, code, now, count_strike=False)
    row = await fetch_one(
        "SELECT status, arrived_at, left_at FROM attendance WHERE session = {} AND enrolment = {}",
        session_id, enrolment_id,
    )
    return {"session": session_out(session), "attendance": row}


async def check_in(
    actor: CurrentUser, session_id: int, code: str, action: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """A participant checks in (``action="in"``) or out (``"out"``) with the code on the trainer's screen.

    Returns ``{"action", "status", "at", "already"}``; ``already`` when that step was recorded before
    (the first instant is kept; the trainer can correct it on the roll call).
    """
    now = to_utc(now or utcnow())
    if action not in ("in", "out"):
        raise ValidationFailed(N_("Scegli se registrare l'entrata o l'uscita."), field="action")
    session = await load_session(session_id)
    enrolment_id = await _check_in_guard(actor, session, code, now)
    start, end = session["starts_at"], session["ends_at"]
    stamp = {
        Attendance.recorded_via: RecordedVia.CHECK_IN.value,
        Attendance.recorded_by: actor.id,
        Attendance.recorded_at: now,
    }
    async with write_transaction():
        await lock_for_update(Session.select(Session.id).where(Session.id == session_id))
        row = await Attendance.select().where(
            (Attendance.session == session_id) & (Attendance.enrolment == enrolment_id)
        ).first()
        attending = row is not None and row["status"] not in (
            AttendanceStatus.ABSENT.value, AttendanceStatus.EXCUSED.value
        )
        if action == "in":
            if attending:
                return {"action": action, "status": row["status"], "at": row["arrived_at"], "already": True}
            status = check_in_status(start, now)
            values = {
                Attendance.status: status,
                Attendance.minutes: attended_minutes(status, start, end, arrived_at=now),
                Attendance.arrived_at: now,
                Attendance.left_at: None,
                **stamp,
            }
        else:
            if not attending:
                raise CheckInRefused(N_("Non risulta la tua entrata: registra prima l'entrata."))
            if row["left_at"] is not None:
                return {"action": action, "status": row["status"], "at": row["left_at"], "already": True}
            status = check_out_status(row["status"], end, now)
            values = {
                Attendance.status: status,
                Attendance.minutes: attended_minutes(
                    status, start, end, arrived_at=row["arrived_at"], left_at=now, minutes=row["minutes"]
                ),
                Attendance.left_at: now,
                **stamp,
            }
        if row is None:
            await Attendance.insert(Attendance(
                session=session_id, enrolment=enrolment_id,
                **{column._meta.name: value for column, value in values.items()},
            ))
        else:
            await Attendance.update(values).where(Attendance.id == row["id"])
    return {"action": action, "status": status, "at": now, "already": False}


async def check_in_candidates(actor: CurrentUser, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The sessions the person may check in to (or out of) right now, with what is recorded."""
    now = to_utc(now or utcnow())
    rows = await fetch_all(
        CHECK_IN_CANDIDATES_SQL, actor.id, CONFIRMED, SCHEDULED,
        now + CHECK_IN_OPENS_BEFORE, now - CHECK_IN_CLOSES_AFTER,
    )
    return [
        {**row, "minutes": session_minutes(row["starts_at"], row["ends_at"])}
        for row in rows
    ]

