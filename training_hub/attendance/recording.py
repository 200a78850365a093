"""Recording attendance: the trainer's roll call of one session, "all present", and corrections.

Rules kept here, and why:

* Who: those who take the course's attendance (:func:`~training_hub.attendance.access.can_take_attendance`),
  from 15 minutes before the start to 7 days after the end (``rules.recording_state``); after that
  only admins, with a reason, and every change then leaves an ``attendance.corrected`` audit event
  (status and minutes before and after, nothing else about the person) — a closed register is
  evidence for a funder, so changing it must leave a trace.
* What: one line per confirmed participant; arrival and departure typed as ``HH:MM`` on the
  session's day or as an instant, minutes only for late arrivals and early departures without times.
  Every mistake is reported next to its field and nothing is saved.
* How: inside ``write_transaction()`` with the session row locked, so a roll call and a
  participant's check-in arriving at the same moment cannot overwrite each other. Lines sent back
  unchanged keep who recorded them and how (a check-in stays a check-in).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from training_hub.attendance.access import (
    CONFIRMED,
    SCHEDULED,
    by_name,
    load_session,
    require_attendance_taker,
    session_out,
)
from training_hub.attendance.consistency import Contradiction, check_line
from training_hub.attendance.rules import (
    PARTIAL_STATUSES,
    RECORDING_CLOSES_AFTER,
    RECORDING_OPENS_BEFORE,
    STATUSES,
    ZERO_STATUSES,
    attended_minutes,
    check_in_window,
    clock_during_session,
    minute_of,
    recording_state,
    same_wall_clock_minute,
    status_label,
)
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, lock_for_update, write_transaction
from training_hub.core.errors import (
    AttendanceClosed,
    AttendanceNotOpen,
    FieldMessage,
    InvalidState,
    ValidationFailed,
)
from training_hub.core.i18n import N_, format_datetime
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import (
    CLOCK_FORMAT_MESSAGE,
    clean_text,
    parse_clock,
    parse_instant_field,
    parse_integer,
)
from training_hub.core.tables import Attendance, AttendanceStatus, RecordedVia, Session
from training_hub.core.timeutil import iso_rome, rome_day_bounds, to_rome, to_utc, utcnow

MAX_REASON_LENGTH = 1000
RECORDING_REFUSED = N_("Solo i formatori del corso e l'ufficio formazione registrano le presenze.")

ROLL_SQL = (
    "SELECT e.id AS enrolment_id, p.id AS person_id, p.full_name, p.codice_fiscale, a.id AS attendance_id, "
    "a.status, a.minutes, a.arrived_at, a.left_at, a.recorded_via, a.recorded_at, "
    "r.full_name AS recorded_by_name FROM enrolment e JOIN person p ON p.id = e.person "
    "LEFT JOIN attendance a ON a.enrolment = e.id AND a.session = {} LEFT JOIN person r ON r.id = a.recorded_by "
    "WHERE e.course = {} AND e.status = {}"
)


@dataclass
class AttendanceEntry:
    """One line of a roll call, as sent by the page or the API (validated by the service).

    ``arrived_at``/``left_at``: an instant (ISO 8601, no offset = Europe/Rome), or a wall-clock time
    ``HH:MM`` on the session's day. ``minutes`` is used only for late/left-early without times.
    """

    enrolment_id: int
    status: str
    minutes: int | str | None = None
    arrived_at: datetime | str | None = None
    left_at: datetime | str | None = None
    reason: str = ""


OTHER_DAY_MESSAGE = N_("L'orario deve essere nel giorno dell'incontro.")
MINUTES_MESSAGE = N_("I minuti devono essere un numero intero.")


def _instant_on_session_day(
    value: datetime | str | None, session: dict[str, Any], field_name: str, errors: dict[str, str]
) -> datetime | None:
    """``HH:MM`` on the session's (Rome) day, or an instant on that day; None when left empty.

    A time that is neither gets the clock's format message next to the field; a valid instant of
    another day is told so (a roll call is about one session)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        clock = parse_clock(value, field_name, {})
        if clock is not None:
            return clock_during_session(clock, session["starts_at"], session["ends_at"])
    instant = parse_instant_field(value, field_name, {})
    if instant is None:
        errors[field_name] = CLOCK_FORMAT_MESSAGE
        return None
    first_day, _ = rome_day_bounds(to_rome(session["starts_at"]).date())
    _, after_last_day = rome_day_bounds(to_rome(session["ends_at"]).date())
    if not first_day <= instant < after_last_day:
        errors[field_name] = OTHER_DAY_MESSAGE
        return None
    return instant


def _keep_precise(stored: datetime | None, sent: datetime | None) -> datetime | None:
    """What is stored, when what was sent reads the same on the page (09:41, or the second 02:30 of the
    fall-back night, which an HH:MM field cannot tell from the first): re-saving changes nothing."""
    if stored is not None and sent is not None and (
        minute_of(stored) == minute_of(sent) or same_wall_clock_minute(stored, sent)
    ):
        return stored
    return sent


@dataclass
class _Validated:
    enrolment_id: int
    status: str
    typed_minutes: int | None
    arrived_at: datetime | None
    left_at: datetime | None
    reason: str
    minutes: int = 0  # worked out when saving, against what is already recorded


def _validate_entries(
    entries: list[AttendanceEntry], session: dict[str, Any], confirmed: set[int]
) -> list[_Validated]:
    if not entries:
        raise ValidationFailed(N_("Indica almeno una presenza da salvare."), field="entries")
    errors: dict[str, str] = {}
    seen: set[int] = set()
    out: list[_Validated] = []
    for index, entry in enumerate(entries):
        key = f"{index}"
        try:
            enrolment_id = int(entry.enrolment_id)
        except (TypeError, ValueError):
            errors[f"{key}.enrolment_id"] = N_("Iscrizione non valida.")
            continue
        if enrolment_id not in confirmed:
            errors[f"{key}.enrolment_id"] = N_("Questa persona non è un partecipante confermato del corso.")
            continue
        if enrolment_id in seen:
            errors[f"{key}.enrolment_id"] = N_("La stessa persona compare due volte.")
            continue
        seen.add(enrolment_id)
        status = (entry.status or "").strip()
        if status not in STATUSES:
            errors[f"{key}.status"] = N_("Scegli uno stato tra presente, in ritardo, uscita anticipata, assente, giustificato.")
            continue
        arrived_at = left_at = None
        minutes: int | None = None
        if status not in ZERO_STATUSES:
            # Times are kept for "present" too (a check-in's), though they do not change its minutes.
            arrived_at = _instant_on_session_day(entry.arrived_at, session, f"{key}.arrived_at", errors)
            left_at = _instant_on_session_day(entry.left_at, session, f"{key}.left_at", errors)
        if status in PARTIAL_STATUSES:
            if clean_text(entry.minutes):
                # Any whole number here; a negative one gets its own message below.
                minutes = parse_integer(entry.minutes, f"{key}.minutes", errors,
                                        minimum=-sys.maxsize, maximum=sys.maxsize, message=MINUTES_MESSAGE)
            if any(name.startswith(f"{key}.") for name in errors):
                continue
            if arrived_at is None and left_at is None and minutes is None:
                field_name = "arrived_at" if status == AttendanceStatus.LATE.value else "left_at"
                errors[f"{key}.{field_name}"] = N_("Indica l'orario (di entrata o di uscita) oppure i minuti di presenza.")
                continue
            if minutes is not None and minutes < 0:
                errors[f"{key}.minutes"] = N_("I minuti non possono essere negativi.")
                continue
        if any(name.startswith(f"{key}.") for name in errors):
            continue
        if arrived_at and left_at and left_at <= arrived_at:
            errors[f"{key}.left_at"] = N_("L'uscita deve essere dopo l'entrata.")
            continue
        if status not in ZERO_STATUSES and minutes is None and clean_text(entry.minutes):
            minutes = parse_integer(entry.minutes, f"{key}.minutes", errors, minimum=-sys.maxsize,
                                    maximum=sys.maxsize, message=MINUTES_MESSAGE)  # "present" with minutes
            if f"{key}.minutes" in errors:
                continue
        try:  # status, times and minutes agree (attendance/consistency.py)
            check_line(status, session["starts_at"], session["ends_at"], arrived_at=arrived_at, left_at=left_at,
                       minutes=minutes)
        except Contradiction as wrong:
            errors[f"{key}.{wrong.field}"] = FieldMessage(wrong.message, **wrong.params)
            continue
        reason = (entry.reason or "").strip()[:MAX_REASON_LENGTH]
        out.append(_Validated(enrolment_id, status, minutes, arrived_at, left_at, reason))
    if errors:
        raise ValidationFailed(N_("Alcune presenze non sono valide: controlla i campi evidenziati."), errors=errors)
    return out


async def record_attendance(
    actor: CurrentUser,
    session_id: int,
    entries: list[AttendanceEntry],
    *,
    now: datetime | None = None,
    reason: str = "",
    only_unrecorded: bool = False,
) -> list[dict[str, Any]]:
    """Save a roll call (or part of it) for one session; returns the saved rows.

    ``only_unrecorded``: lines of people recorded meanwhile (a check-in arriving while the trainer
    presses "all present") are left alone and not returned; decided with the session locked.

    Trainers of the course and admins, from 15 minutes before the start to 7 days after the end;
    later only admins with a reason, each change then leaving an ``attendance.corrected`` audit event
    (status and minutes before and after; nothing else about the person). Lines sent back unchanged
    (a whole roll call re-saved) are left alone: they keep who recorded them and how (a check-in).
    """
    now = now or utcnow()
    session = await load_session(session_id)
    await require_attendance_taker(actor, session["course_id"], RECORDING_REFUSED)
    if session["status"] != SCHEDULED:
        raise InvalidState(N_("L'incontro è stato annullato: non si registrano presenze."))
    state = recording_state(session["starts_at"], session["ends_at"], now)
    if state == "not_open":
        raise AttendanceNotOpen(
            N_("Le presenze si registrano da 15 minuti prima dell'inizio dell'incontro (%(opens)s)."),
            opens=format_datetime(to_utc(session["starts_at"]) - RECORDING_OPENS_BEFORE),
        )
    correction = state == "closed"
    if correction and not actor.is_admin:
        raise AttendanceClosed(
            N_("Sono passati più di 7 giorni dalla fine dell'incontro: le correzioni spettano all'ufficio formazione.")
        )
    confirmed_rows = await fetch_all(
        "SELECT id FROM enrolment WHERE course = {} AND status = {}", session["course_id"], CONFIRMED
    )
    validated = _validate_entries(entries, session, {row["id"] for row in confirmed_rows})
    reason = (reason or "").strip()[:MAX_REASON_LENGTH]
    if correction and not all(item.reason or reason for item in validated):
        raise ValidationFailed(
            N_("Per correggere un registro chiuso indica il motivo della correzione."), field="reason"
        )
    async with write_transaction():
        await lock_for_update(Session.select(Session.id).where(Session.id == session_id))
        existing = {
            row["enrolment"]: row
            for row in await Attendance.select(
                Attendance.id, Attendance.enrolment, Attendance.status, Attendance.minutes,
                Attendance.arrived_at, Attendance.left_at,
            ).where(
                (Attendance.session == session_id)
                & Attendance.enrolment.is_in([item.enrolment_id for item in validated])
            )
        }
        new_rows = []
        skipped: set[int] = set()
        for item in validated:
            before = existing.get(item.enrolment_id)
            if before is not None and only_unrecorded:
                skipped.add(item.enrolment_id)
                continue
            # A time shown on the page as 09:41 and sent back unchanged keeps its stored seconds.
            arrived_at = _keep_precise(before["arrived_at"] if before else None, item.arrived_at)
            left_at = _keep_precise(before["left_at"] if before else None, item.left_at)
            minutes = attended_minutes(item.status, session["starts_at"], session["ends_at"],
                                       arrived_at=arrived_at, left_at=left_at, minutes=item.typed_minutes)
            item.minutes = minutes
            if before is not None and (before["status"], before["minutes"], before["arrived_at"], before["left_at"]) == (
                item.status, minutes, arrived_at, left_at
            ):
                continue  # unchanged: who recorded it, and how, stays as it was
            values = {
                Attendance.status: item.status,
                Attendance.minutes: minutes,
                Attendance.arrived_at: arrived_at,
                Attendance.left_at: left_at,
                Attendance.recorded_via: RecordedVia.TRAINER.value,
                Attendance.recorded_by: actor.id,
                Attendance.recorded_at: now,
            }
            if before is None:
                new_rows.append(Attendance(session=session_id, enrolment=item.enrolment_id,
                                           **{column._meta.name: value for column, value in values.items()}))
            else:
                await Attendance.update(values).where(Attendance.id == before["id"])
            if correction:
                # Every change reaching here alters a closed register, times alone included.
                data: dict[str, Any] = {
                    "session_id": session_id,
                    "enrolment_id": item.enrolment_id,
                    "before": {"status": before["status"], "minutes": before["minutes"]} if before else None,
                    "after": {"status": item.status, "minutes": minutes},
                }
                times_before = (before["arrived_at"], before["left_at"]) if before else (None, None)
                if times_before != (arrived_at, left_at):
                    data["times"] = {
                        "before": {"arrived_at": iso_rome(times_before[0]), "left_at": iso_rome(times_before[1])},
                        "after": {"arrived_at": iso_rome(arrived_at), "left_at": iso_rome(left_at)},
                    }
                await record_audit_event(
                    "attendance.corrected",
                    actor_id=actor.id,
                    entity="attendance",
                    entity_id=before["id"] if before else None,
                    data=data,
                    reason=item.reason or reason,
                )
        if new_rows:
            await Attendance.insert(*new_rows)
    saved = {item.enrolment_id for item in validated} - skipped
    roll = await fetch_all(ROLL_SQL, session_id, session["course_id"], CONFIRMED)
    return [_roll_line(row, session_id) for row in by_name(roll) if row["enrolment_id"] in saved]


def _roll_line(row: dict[str, Any], session_id: int) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "enrolment_id": row["enrolment_id"],
        "person_id": row["person_id"],
        "full_name": row["full_name"],
        "attendance_id": row.get("attendance_id"),
        "status": row.get("status"),
        "status_label": status_label(row.get("status")),
        "minutes": row.get("minutes") if row.get("status") else None,
        "arrived_at": row.get("arrived_at"),
        "left_at": row.get("left_at"),
        "recorded_via": row.get("recorded_via"),
        "recorded_at": row.get("recorded_at"),
        "recorded_by_name": row.get("recorded_by_name"),
    }


def roll_line_out(line: dict[str, Any]) -> dict[str, Any]:
    """A roll-call line for the API: instants with the Europe/Rome offset."""
    return {
        "enrolment_id": line["enrolment_id"],
        "person_id": line["person_id"],
        "full_name": line["full_name"],
        "status": line["status"],
        "minutes": line["minutes"],
        "arrived_at": iso_rome(line["arrived_at"]),
        "left_at": iso_rome(line["left_at"]),
        "recorded_via": line["recorded_via"],
        "recorded_by": line["recorded_by_name"],
        "recorded_at": iso_rome(line["recorded_at"]),
    }


async def session_roll(actor: CurrentUser, session_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """The roll call of a session: its confirmed participants, what is recorded, and what may be done."""
    now = now or utcnow()
    session = await load_session(session_id)
    await require_attendance_taker(actor, session["course_id"], RECORDING_REFUSED)
    state = recording_state(session["starts_at"], session["ends_at"], now)
    lines = [_roll_line(row, session_id) for row in by_name(
        await fetch_all(ROLL_SQL, session_id, session["course_id"], CONFIRMED)
    )]
    opens, closes = check_in_window(session["starts_at"], session["ends_at"])
    scheduled = session["status"] == SCHEDULED
    return {
        "session": session_out(session),
        "state": state,
        "cancelled": not scheduled,
        "can_edit": scheduled and (state == "open" or (state == "closed" and actor.is_admin)),
        "needs_reason": scheduled and state == "closed" and actor.is_admin,
        "opens_at": to_utc(session["starts_at"]) - RECORDING_OPENS_BEFORE,
        "closes_at": to_utc(session["ends_at"]) + RECORDING_CLOSES_AFTER,
        "check_in_open": scheduled and opens <= to_utc(now) <= closes,
        "lines": lines,
        "recorded": sum(1 for line in lines if line["status"]),
    }


async def mark_all_present(
    actor: CurrentUser, session_id: int, *, now: datetime | None = None, reason: str = ""
) -> list[dict[str, Any]]:
    """"All present": every confirmed participant not yet recorded becomes present; records stay."""
    roll = await session_roll(actor, session_id, now=now)
    entries = [
        AttendanceEntry(enrolment_id=line["enrolment_id"], status=AttendanceStatus.PRESENT.value)
        for line in roll["lines"]
        if not line["status"]
    ]
    if not entries:
        return []
    return await record_attendance(actor, session_id, entries, now=now, reason=reason, only_unrecorded=True)

