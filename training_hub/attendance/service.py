"""Attendance: roll call, self check-in, progress, registers, certificates and training records.

Rules and their numbers are in :mod:`training_hub.attendance.rules` (pure functions); this module
loads what they need with a fixed number of hand-written, portable queries per page (no N+1), checks
who may do what, and writes inside ``write_transaction()`` with the session row locked, so a roll
call and a participant's check-in cannot overwrite each other.

Who may do what:

* record attendance, show the check-in code, download the register: the course's trainers (a
  ``CourseTrainer`` or the trainer of one of its sessions) and admins;
* see progress: admins and trainers every participant of the course, coordinators their
  cooperative's participants, everyone else their own;
* download a certificate: the participant, the course's trainers, admins, and coordinators of the
  participant's cooperative;
* see a training record: the person, coordinators of their cooperative, admins.

Special-category data (accessibility needs) is never read here: neither the register nor anything
else of this feature needs it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from babel.numbers import format_decimal

from training_hub.attendance.rules import (
    CHECK_IN_CLOSES_AFTER,
    CHECK_IN_GRACE_MINUTES,
    CHECK_IN_MAX_WRONG_CODES,
    CHECK_IN_OPENS_BEFORE,
    PARTIAL_STATUSES,
    RECORDING_CLOSES_AFTER,
    RECORDING_OPENS_BEFORE,
    STATUSES,
    ZERO_STATUSES,
    Progress,
    attended_minutes,
    check_in_code_valid,
    check_in_codes,
    check_in_status,
    check_in_window,
    check_out_status,
    compute_progress,
    describe_duration,
    initials,
    is_check_in_token,
    minute_of,
    new_certificate_code,
    normalise_certificate_code,
    normalise_check_in_code,
    recording_state,
    session_minutes,
    status_label,
)
from training_hub.catalogue.access import get_viewable_course
from training_hub.catalogue.access import is_course_trainer as catalogue_is_course_trainer
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, is_possible_id, lock_for_update, write_transaction
from training_hub.core.errors import (
    AttendanceClosed,
    AttendanceNotOpen,
    CertificateNotEligible,
    CheckInRefused,
    InvalidState,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from training_hub.core.i18n import N_, babel_locale, format_datetime, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.settings import get_settings
from training_hub.core.tables import (
    Attendance,
    AttendanceStatus,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    RecordedVia,
    Role,
    Session,
    SessionStatus,
)
from training_hub.core.timeutil import (
    iso_rome,
    parse_instant,
    rome_day_bounds,
    rome_wall_clock,
    to_rome,
    to_utc,
    utcnow,
)

__all__ = ["Progress", "compute_progress"]

CONFIRMED = EnrolmentStatus.CONFIRMED.value
SCHEDULED = SessionStatus.SCHEDULED.value
CONSORTIUM_NAME = "Consorzio Sociale Light"
CONSORTIUM_ADDRESS = "Via Tolmezzo, 3 · 20100 Milano"
CONSORTIUM_CITY = "Milano"
MAX_REASON_LENGTH = 1000

# Queries -----------------------------------------------------------------------------------------
# Hand-written and portable (SQLite and PostgreSQL): the register and the progress tables read a
# course's whole attendance at once, and the query builder would cost more than the queries.

_COURSE_SQL = (
    "SELECT c.id, c.title, c.status, c.attendance_threshold, c.funder_plan_code, c.delivery_mode, "
    "p.id AS path_id, p.title AS path_title, p.kind AS path_kind "
    "FROM course c JOIN training_path p ON p.id = c.path WHERE c.id = {}"
)
_SESSIONS_SQL = (
    "SELECT s.id, s.starts_at, s.ends_at, s.status, s.topics, s.online_url, s.trainer AS trainer_id, "
    "t.full_name AS trainer_name, l.name AS location_name, l.address AS location_address, "
    "l.comune AS location_comune, l.is_online AS location_online "
    "FROM course_session s LEFT JOIN person t ON t.id = s.trainer LEFT JOIN location l ON l.id = s.location "
    "WHERE s.course = {} ORDER BY s.starts_at, s.id"
)
_SESSION_SQL = (
    "SELECT s.id, s.course AS course_id, s.starts_at, s.ends_at, s.status, s.topics, s.online_url, "
    "s.trainer AS trainer_id, t.full_name AS trainer_name, c.title AS course_title, "
    "c.status AS course_status, l.name AS location_name, l.comune AS location_comune "
    "FROM course_session s JOIN course c ON c.id = s.course LEFT JOIN person t ON t.id = s.trainer "
    "LEFT JOIN location l ON l.id = s.location WHERE s.id = {}"
)
_ENROLMENT_COLUMNS = (
    "e.id AS enrolment_id, e.status AS enrolment_status, e.certificate_code, p.id AS person_id, "
    "p.full_name, p.codice_fiscale, p.cooperative AS cooperative_id, co.name AS cooperative_name "
)
_CONFIRMED_ENROLMENTS_SQL = (
    "SELECT " + _ENROLMENT_COLUMNS + "FROM enrolment e JOIN person p ON p.id = e.person "
    "LEFT JOIN cooperative co ON co.id = p.cooperative WHERE e.course = {} AND e.status = {}"
)
# The register also lists people who attended and later left the course: their rows are history.
_REGISTER_ENROLMENTS_SQL = (
    "SELECT " + _ENROLMENT_COLUMNS + "FROM enrolment e JOIN person p ON p.id = e.person "
    "LEFT JOIN cooperative co ON co.id = p.cooperative WHERE e.course = {} AND (e.status = {} OR e.id IN "
    "(SELECT a.enrolment FROM attendance a JOIN course_session s ON s.id = a.session WHERE s.course = {}))"
)
_COURSE_ATTENDANCE_SQL = (
    "SELECT a.id, a.session AS session_id, a.enrolment AS enrolment_id, a.status, a.minutes, a.arrived_at, "
    "a.left_at, a.recorded_via, a.recorded_at FROM attendance a JOIN course_session s ON s.id = a.session "
    "WHERE s.course = {}"
)
_COURSE_MINUTES_SQL = (
    "SELECT a.enrolment AS enrolment_id, SUM(a.minutes) AS minutes FROM attendance a "
    "JOIN course_session s ON s.id = a.session WHERE s.course = {} AND s.status = {} GROUP BY a.enrolment"
)
_COURSE_RECORDED_AHEAD_SQL = (
    "SELECT a.session AS session_id, a.enrolment AS enrolment_id FROM attendance a "
    "JOIN course_session s ON s.id = a.session WHERE s.course = {} AND s.status = {} AND s.ends_at > {}"
)
_ROLL_SQL = (
    "SELECT e.id AS enrolment_id, p.id AS person_id, p.full_name, p.codice_fiscale, a.id AS attendance_id, "
    "a.status, a.minutes, a.arrived_at, a.left_at, a.recorded_via, a.recorded_at, "
    "r.full_name AS recorded_by_name FROM enrolment e JOIN person p ON p.id = e.person "
    "LEFT JOIN attendance a ON a.enrolment = e.id AND a.session = {} LEFT JOIN person r ON r.id = a.recorded_by "
    "WHERE e.course = {} AND e.status = {}"
)
_COURSE_TRAINERS_SQL = (
    "SELECT p.id, p.full_name FROM course_trainer ct JOIN person p ON p.id = ct.person WHERE ct.course = {}"
)
_ENROLMENT_SQL = (
    "SELECT e.id, e.course AS course_id, e.status, e.certificate_code, p.id AS person_id, p.full_name, "
    "p.codice_fiscale, p.cooperative AS cooperative_id "
    "FROM enrolment e JOIN person p ON p.id = e.person WHERE e.id = {}"
)
_ENROLMENT_ATTENDANCE_SQL = (
    "SELECT a.session AS session_id, a.enrolment AS enrolment_id, a.status, a.minutes "
    "FROM attendance a WHERE a.enrolment = {}"
)
_PERSON_SQL = "SELECT id, full_name, codice_fiscale, cooperative, active FROM person WHERE id = {}"
_PERSON_ENROLMENTS_SQL = (
    "SELECT e.id AS enrolment_id, e.certificate_code, c.id AS course_id, c.title, c.status AS course_status, "
    "c.attendance_threshold, tp.title AS path_title, tp.kind AS path_kind "
    "FROM enrolment e JOIN course c ON c.id = e.course JOIN training_path tp ON tp.id = c.path "
    "WHERE e.person = {} AND e.status = {} AND c.status != {}"
)
_PERSON_SESSIONS_SQL = (
    "SELECT s.id, s.course AS course_id, s.starts_at, s.ends_at, s.status FROM course_session s "
    "WHERE s.course IN (SELECT e.course FROM enrolment e WHERE e.person = {} AND e.status = {})"
)
_PERSON_ATTENDANCE_SQL = (
    "SELECT a.session AS session_id, a.enrolment AS enrolment_id, a.status, a.minutes "
    "FROM attendance a JOIN enrolment e ON e.id = a.enrolment WHERE e.person = {} AND e.status = {}"
)
_CHECK_IN_CANDIDATES_SQL = (
    "SELECT s.id, s.starts_at, s.ends_at, c.id AS course_id, c.title AS course_title, "
    "a.arrived_at, a.left_at, a.status AS attendance_status "
    "FROM enrolment e JOIN course c ON c.id = e.course JOIN course_session s ON s.course = c.id "
    "LEFT JOIN attendance a ON a.session = s.id AND a.enrolment = e.id "
    "WHERE e.person = {} AND e.status = {} AND s.status = {} AND s.starts_at <= {} AND s.ends_at >= {} "
    "ORDER BY s.starts_at"
)


# Loading and permissions -------------------------------------------------------------------------

async def _load_session(session_id: int) -> dict[str, Any]:
    row = await fetch_one(_SESSION_SQL, session_id) if is_possible_id(session_id) else None
    if row is None:
        raise NotFound(N_("Incontro non trovato."))
    return row


async def _load_course(course_id: int) -> dict[str, Any]:
    row = await fetch_one(_COURSE_SQL, course_id) if is_possible_id(course_id) else None
    if row is None:
        raise NotFound(N_("Corso non trovato."))
    return row


async def is_course_trainer(user: CurrentUser, course_id: int) -> bool:
    """A trainer of the course (the catalogue's rule), holding the trainer role."""
    if not user.has_role(Role.TRAINER, Role.ADMIN):
        return False
    return await catalogue_is_course_trainer(user.id, course_id)


async def can_manage_attendance(user: CurrentUser, course_id: int) -> bool:
    return user.is_admin or await is_course_trainer(user, course_id)


async def _require_manager(user: CurrentUser, course_id: int, message: str) -> None:
    """Trainers of the course and admins; anyone else is refused (403), or told the course does not
    exist (404) when they may not even see it (another cooperative's internal course), as the
    catalogue does."""
    if not await can_manage_attendance(user, course_id):
        await get_viewable_course(user, course_id)
        raise PermissionDenied(message)


def _session_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "course_id": row.get("course_id"),
        "course_title": row.get("course_title"),
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "status": row["status"],
        "topics": row.get("topics") or "",
        "trainer_name": row.get("trainer_name"),
        "location_name": row.get("location_name"),
        "location_comune": row.get("location_comune"),
        "online_url": row.get("online_url"),
        "minutes": session_minutes(row["starts_at"], row["ends_at"]),
    }


def _by_name(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Sorted here, not in SQL: the order must not depend on the database's collation.
    return sorted(rows, key=lambda row: ((row.get("full_name") or "").casefold(), row.get("enrolment_id") or 0))


# Recording attendance ----------------------------------------------------------------------------


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


_WALL_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")
OTHER_DAY_MESSAGE = N_("L'orario deve essere nel giorno dell'incontro.")


class _OtherDay(ValueError):
    """An arrival or departure time that is not on the session's day."""


def _instant_on_session_day(value: datetime | str | None, session: dict[str, Any]) -> datetime | None:
    """``HH:MM`` on the session's (Rome) day, or an ISO instant on that day; ValueError when it is
    neither (``_OtherDay`` when it is a valid instant of another day)."""
    if value is None:
        return None
    try:
        if isinstance(value, datetime):
            instant = to_utc(value).replace(microsecond=0)
        else:
            text = value.strip()
            if not text:
                return None
            match = _WALL_CLOCK.match(text)
            if match:
                hours, minutes = int(match.group(1)), int(match.group(2))
                if hours > 23 or minutes > 59:
                    raise ValueError(text)
                day = to_rome(session["starts_at"]).date()
                return to_utc(rome_wall_clock(day, time(hours, minutes)))
            instant = parse_instant(text)
    except OverflowError as exc:  # year 1 or 9999 moved across the UTC offset
        raise ValueError(str(value)) from exc
    first_day, _ = rome_day_bounds(to_rome(session["starts_at"]).date())
    _, after_last_day = rome_day_bounds(to_rome(session["ends_at"]).date())
    if not first_day <= instant < after_last_day:
        raise _OtherDay(str(value))
    return instant


def _keep_precise(stored: datetime | None, sent: datetime | None) -> datetime | None:
    if stored is not None and sent is not None and minute_of(stored) == minute_of(sent):
        return stored
    return sent


def _int_or_none(value: int | str | None) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise LookupError
    if isinstance(value, bool):
        raise TypeError(value)
    return int(value)


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
            try:
                arrived_at = _instant_on_session_day(entry.arrived_at, session)
            except _OtherDay:
                errors[f"{key}.arrived_at"] = OTHER_DAY_MESSAGE
            except ValueError:
                errors[f"{key}.arrived_at"] = N_("Orario non valido: usa il formato 09:30.")
            try:
                left_at = _instant_on_session_day(entry.left_at, session)
            except _OtherDay:
                errors[f"{key}.left_at"] = OTHER_DAY_MESSAGE
            except ValueError:
                errors[f"{key}.left_at"] = N_("Orario non valido: usa il formato 09:30.")
        if status in PARTIAL_STATUSES:
            try:
                minutes = _int_or_none(entry.minutes)
            except LookupError:
                minutes = None
            except (TypeError, ValueError):
                errors[f"{key}.minutes"] = N_("I minuti devono essere un numero intero.")
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
    session = await _load_session(session_id)
    await _require_manager(
        actor, session["course_id"], N_("Solo i formatori del corso e l'ufficio formazione registrano le presenze.")
    )
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
    roll = await fetch_all(_ROLL_SQL, session_id, session["course_id"], CONFIRMED)
    return [_roll_line(row, session_id) for row in _by_name(roll) if row["enrolment_id"] in saved]


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
    session = await _load_session(session_id)
    await _require_manager(
        actor, session["course_id"], N_("Solo i formatori del corso e l'ufficio formazione registrano le presenze.")
    )
    state = recording_state(session["starts_at"], session["ends_at"], now)
    lines = [_roll_line(row, session_id) for row in _by_name(
        await fetch_all(_ROLL_SQL, session_id, session["course_id"], CONFIRMED)
    )]
    opens, closes = check_in_window(session["starts_at"], session["ends_at"])
    scheduled = session["status"] == SCHEDULED
    return {
        "session": _session_out(session),
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


# Self check-in -----------------------------------------------------------------------------------


def check_in_url(session_id: int, token: str) -> str:
    return f"{get_settings().base_url}/check-in/{session_id}?code={token}"


async def check_in_display(actor: CurrentUser, session_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """What the trainer shows on screen: the QR code's URL and the six digits of this minute."""
    now = to_utc(now or utcnow())
    session = await _load_session(session_id)
    await _require_manager(
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
        "session": _session_out(session),
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


async def _check_in_guard(actor: CurrentUser, session: dict[str, Any], code: str, now: datetime) -> int:
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
    if not await _code_accepted(actor, session["id"], code, now):
        raise CheckInRefused(
            N_("Il codice non è valido o è scaduto: inquadra di nuovo il codice mostrato dal formatore."),
            field="code",
        )
    return enrolment["id"]


WRONG_CODE_EVENT = "attendance.check_in_wrong_code"


async def _code_accepted(actor: CurrentUser, session_id: int, code: str, now: datetime) -> bool:
    """Whether ``code`` is this session's current one; wrong codes are counted per person and session
    (an audit event each, with nothing but who and which session), and after
    ``CHECK_IN_MAX_WRONG_CODES`` of them no code is accepted any more, so the six digits cannot be
    guessed by trying them all. Counted with the session row locked: simultaneous guesses queue up.
    An expired QR token is not counted: nobody guesses 24 hex digits, and a late scan is no attack."""
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
        if not blocked and not valid and guessable:
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
    session = await _load_session(session_id)
    enrolment_id = await _check_in_guard(actor, session, code, now)
    row = await fetch_one(
        "SELECT status, arrived_at, left_at FROM attendance WHERE session = {} AND enrolment = {}",
        session_id, enrolment_id,
    )
    return {"session": _session_out(session), "attendance": row}


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
    session = await _load_session(session_id)
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
        _CHECK_IN_CANDIDATES_SQL, actor.id, CONFIRMED, SCHEDULED,
        now + CHECK_IN_OPENS_BEFORE, now - CHECK_IN_CLOSES_AFTER,
    )
    return [
        {**row, "minutes": session_minutes(row["starts_at"], row["ends_at"])}
        for row in rows
    ]


# Progress ----------------------------------------------------------------------------------------


def _progress_from_totals(
    enrolment_ids: list[int],
    sessions: list[dict[str, Any]],
    attended: dict[int, int],
    recorded: set[tuple[int, int]],
    threshold: int,
    now: datetime,
    completed: bool,
) -> dict[int, Progress]:
    """Progress per enrolment from the course's sessions, the minutes attended in its scheduled
    sessions, and which (session, enrolment) pairs are already recorded (only those of sessions not
    over yet matter: they no longer count as remaining)."""
    now = to_utc(now)
    held = [s for s in sessions if s["status"] == SCHEDULED]
    lengths = {s["id"]: session_minutes(s["starts_at"], s["ends_at"]) for s in held}
    scheduled = sum(lengths.values())
    upcoming = [s["id"] for s in held if to_utc(s["ends_at"]) > now] if not completed else []
    finished = completed or (bool(held) and not upcoming)
    out = {}
    for enrolment_id in enrolment_ids:
        remaining = sum(lengths[sid] for sid in upcoming if (sid, enrolment_id) not in recorded)
        out[enrolment_id] = compute_progress(
            scheduled, attended.get(enrolment_id, 0), remaining, threshold, finished=finished
        )
    return out


def _progress_by_enrolment(
    enrolment_ids: list[int],
    sessions: list[dict[str, Any]],
    attendance: list[dict[str, Any]],
    threshold: int,
    now: datetime,
    completed: bool,
) -> dict[int, Progress]:
    """The same, from attendance rows (``session_id``, ``enrolment_id``, ``minutes``)."""
    scheduled_ids = {s["id"] for s in sessions if s["status"] == SCHEDULED}
    attended: dict[int, int] = defaultdict(int)
    recorded: set[tuple[int, int]] = set()
    for row in attendance:
        if row["session_id"] in scheduled_ids:
            attended[row["enrolment_id"]] += int(row["minutes"] or 0)
            recorded.add((row["session_id"], row["enrolment_id"]))
    return _progress_from_totals(enrolment_ids, sessions, attended, recorded, threshold, now, completed)


def progress_out(progress: Progress) -> dict[str, Any]:
    return {
        "attended_minutes": progress.attended_minutes,
        "scheduled_minutes": progress.scheduled_minutes,
        "remaining_minutes": progress.remaining_minutes,
        "percent": progress.percent,
        "threshold": progress.threshold,
        "required_minutes": progress.required_minutes,
        "certificate_eligible": progress.eligible,
        "at_risk": progress.at_risk,
        "course_finished": progress.finished,
    }


async def course_progress(actor: CurrentUser, course_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """Per enrolment of the course: minutes attended and scheduled, percent, eligibility, at risk.

    Trainers and admins see every participant; coordinators their cooperative's; a participant
    themselves. A fixed number of queries whatever the number of participants.
    """
    now = now or utcnow()
    course = await _load_course(course_id)
    manager = await can_manage_attendance(actor, course_id)
    enrolments = _by_name(await fetch_all(_CONFIRMED_ENROLMENTS_SQL, course_id, CONFIRMED))
    coordinator_of = actor.cooperative_id if actor.has_role(Role.COORDINATOR) else None
    if not manager:
        enrolments = [
            row for row in enrolments
            if row["person_id"] == actor.id or (coordinator_of is not None and row["cooperative_id"] == coordinator_of)
        ]
        if not enrolments:
            if coordinator_of is None:
                raise PermissionDenied(N_("Puoi vedere la frequenza solo dei corsi che segui o che tieni."))
            # An empty list for a course the coordinator may see; for one they may not (another
            # cooperative's internal course), the same "not found" as its catalogue page.
            await get_viewable_course(actor, course_id)
    sessions = await fetch_all(_SESSIONS_SQL, course_id)
    # One aggregate for the minutes; the pairs recorded ahead only for sessions not over yet.
    attended = {
        row["enrolment_id"]: int(row["minutes"] or 0)
        for row in await fetch_all(_COURSE_MINUTES_SQL, course_id, SCHEDULED)
    }
    recorded = {
        (row["session_id"], row["enrolment_id"])
        for row in await fetch_all(_COURSE_RECORDED_AHEAD_SQL, course_id, SCHEDULED, to_utc(now))
    }
    progress = _progress_from_totals(
        [row["enrolment_id"] for row in enrolments], sessions, attended, recorded,
        course["attendance_threshold"], now, course["status"] == CourseStatus.COMPLETED.value,
    )
    rows = [{**row, "progress": progress[row["enrolment_id"]]} for row in enrolments]
    held = [s for s in sessions if s["status"] == SCHEDULED]
    return {
        "course": course,
        "sessions": [_session_out(s) for s in sessions],
        "scheduled_minutes": sum(session_minutes(s["starts_at"], s["ends_at"]) for s in held),
        "rows": rows,
        "can_manage": manager,
        "scope": "all" if manager else ("cooperative" if coordinator_of is not None else "own"),
    }


def course_progress_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "enrolment_id": row["enrolment_id"],
        "person_id": row["person_id"],
        "full_name": row["full_name"],
        **progress_out(row["progress"]),
    }


# Register ----------------------------------------------------------------------------------------


@dataclass
class RegisterLine:
    number: int
    enrolment_id: int
    full_name: str
    codice_fiscale: str
    cooperative: str
    status: str | None  # labelled by the documents, always in Italian
    arrived_at: datetime | None
    left_at: datetime | None
    minutes: int | None


@dataclass
class RegisterSession:
    id: int
    starts_at: datetime
    ends_at: datetime
    minutes: int
    topics: str
    trainer_name: str
    place: str
    lines: list[RegisterLine] = field(default_factory=list)


@dataclass
class RegisterTotal:
    full_name: str
    codice_fiscale: str
    cooperative: str
    progress: Progress


@dataclass
class RegisterData:
    course_id: int
    course_title: str
    path_title: str
    path_kind: str
    funder_plan_code: str
    threshold: int
    trainers: list[str]
    sessions: list[RegisterSession]
    totals: list[RegisterTotal]
    generated_at: datetime


def _place(session: dict[str, Any]) -> str:
    if session.get("location_name"):
        comune = session.get("location_comune") or ""
        return f"{session['location_name']}, {comune}" if comune else session["location_name"]
    if session.get("online_url") or session.get("location_online"):
        return gettext("Online")
    return ""


async def register_data(actor: CurrentUser, course_id: int, *, now: datetime | None = None) -> RegisterData:
    """Everything the register prints (PDF) or lists (CSV, XLSX); cancelled sessions are left out."""
    now = now or utcnow()
    course = await _load_course(course_id)
    await _require_manager(
        actor, course_id, N_("Il registro presenze è riservato ai formatori del corso e all'ufficio formazione.")
    )
    sessions = await fetch_all(_SESSIONS_SQL, course_id)
    enrolments = _by_name(await fetch_all(_REGISTER_ENROLMENTS_SQL, course_id, CONFIRMED, course_id))
    attendance = await fetch_all(_COURSE_ATTENDANCE_SQL, course_id)
    trainers = sorted((row["full_name"] for row in await fetch_all(_COURSE_TRAINERS_SQL, course_id)), key=str.casefold)
    by_pair = {(row["session_id"], row["enrolment_id"]): row for row in attendance}
    register_sessions = []
    for session in sessions:
        if session["status"] != SCHEDULED:
            continue
        lines = []
        for enrolment in enrolments:
            row = by_pair.get((session["id"], enrolment["enrolment_id"]))
            if row is None and enrolment["enrolment_status"] != CONFIRMED:
                continue  # no longer enrolled and never recorded here: not part of this session
            lines.append(RegisterLine(
                number=len(lines) + 1,
                enrolment_id=enrolment["enrolment_id"],
                full_name=enrolment["full_name"],
                codice_fiscale=enrolment["codice_fiscale"] or "",
                cooperative=enrolment["cooperative_name"] or "",
                status=row["status"] if row else None,
                arrived_at=row["arrived_at"] if row else None,
                left_at=row["left_at"] if row else None,
                minutes=int(row["minutes"]) if row else None,
            ))
        register_sessions.append(RegisterSession(
            id=session["id"],
            starts_at=session["starts_at"],
            ends_at=session["ends_at"],
            minutes=session_minutes(session["starts_at"], session["ends_at"]),
            topics=session["topics"] or "",
            trainer_name=session["trainer_name"] or ", ".join(trainers),
            place=_place(session),
            lines=lines,
        ))
    progress = _progress_by_enrolment(
        [row["enrolment_id"] for row in enrolments], sessions, attendance,
        course["attendance_threshold"], now, course["status"] == CourseStatus.COMPLETED.value,
    )
    totals = [
        RegisterTotal(row["full_name"], row["codice_fiscale"] or "", row["cooperative_name"] or "",
                      progress[row["enrolment_id"]])
        for row in enrolments
    ]
    return RegisterData(
        course_id=course_id,
        course_title=course["title"],
        path_title=course["path_title"],
        path_kind=course["path_kind"],
        funder_plan_code=course["funder_plan_code"] or "",
        threshold=course["attendance_threshold"],
        trainers=trainers,
        sessions=register_sessions,
        totals=totals,
        generated_at=to_utc(now),
    )


# Certificates ------------------------------------------------------------------------------------


@dataclass
class CertificateData:
    enrolment_id: int
    code: str
    verify_url: str
    full_name: str
    codice_fiscale: str
    course_title: str
    path_title: str
    path_kind: str
    progress: Progress
    first_day: datetime | None
    last_day: datetime | None
    places: list[str]
    issued_at: datetime


async def _enrolment_progress(enrolment: dict[str, Any], now: datetime) -> tuple[dict[str, Any], list[dict[str, Any]], Progress]:
    course = await _load_course(enrolment["course_id"])
    sessions = await fetch_all(_SESSIONS_SQL, enrolment["course_id"])
    attendance = await fetch_all(_ENROLMENT_ATTENDANCE_SQL, enrolment["id"])
    progress = _progress_by_enrolment(
        [enrolment["id"]], sessions, attendance, course["attendance_threshold"], now,
        course["status"] == CourseStatus.COMPLETED.value,
    )[enrolment["id"]]
    return course, sessions, progress


async def _may_see_enrolment(actor: CurrentUser, enrolment: dict[str, Any]) -> bool:
    if actor.is_admin or enrolment["person_id"] == actor.id:
        return True
    if actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None \
            and enrolment["cooperative_id"] == actor.cooperative_id:
        return True
    return await is_course_trainer(actor, enrolment["course_id"])


def _not_eligible(progress: Progress, sessions: list[dict[str, Any]]) -> CertificateNotEligible:
    if progress.scheduled_minutes == 0:
        return CertificateNotEligible(N_("Il corso non ha incontri in calendario: non c'è frequenza da attestare."))
    if progress.reached:
        last = max((s["ends_at"] for s in sessions if s["status"] == SCHEDULED), default=None)
        return CertificateNotEligible(
            N_("La soglia di frequenza è raggiunta: l'attestato sarà disponibile dopo l'ultimo incontro del corso (%(date)s)."),
            date=format_datetime(last),
        )
    # 62,5 in Italian, 62.5 in English (the message is in the reader's language).
    percent = format_decimal(progress.percent, format="#,##0.#", locale=babel_locale())
    if progress.reachable and not progress.finished:
        return CertificateNotEligible(
            N_("Frequenza al %(percent)s%%: mancano %(missing)s per raggiungere la soglia del %(threshold)s%%; "
               "il corso non è ancora concluso."),
            percent=percent, missing=describe_duration(progress.missing_minutes), threshold=progress.threshold,
        )
    return CertificateNotEligible(
        N_("Frequenza al %(percent)s%%: mancano %(missing)s per raggiungere la soglia del %(threshold)s%%."),
        percent=percent, missing=describe_duration(progress.missing_minutes), threshold=progress.threshold,
    )


async def _ensure_certificate_code(enrolment: dict[str, Any]) -> str:
    if enrolment["certificate_code"]:
        return enrolment["certificate_code"]
    for _attempt in range(5):
        code = new_certificate_code()
        if await Enrolment.exists().where(Enrolment.certificate_code == code):
            continue
        # Only the first issue sets it: two downloads at once end up with the same code.
        await Enrolment.update({Enrolment.certificate_code: code}).where(
            (Enrolment.id == enrolment["id"]) & Enrolment.certificate_code.is_null()
        )
        row = await fetch_one("SELECT certificate_code FROM enrolment WHERE id = {}", enrolment["id"])
        if row and row["certificate_code"]:
            return row["certificate_code"]
    raise InvalidState(N_("Non è stato possibile generare il codice dell'attestato: riprova."))


def verify_url(code: str) -> str:
    return f"{get_settings().base_url}/verify/{code}"


async def certificate_for(actor: CurrentUser, enrolment_id: int, *, now: datetime | None = None) -> CertificateData:
    """The certificate of attendance of one enrolment, or why it cannot be issued yet.

    The verification code is created on the first issue and then kept for good.
    """
    now = now or utcnow()
    enrolment = await fetch_one(_ENROLMENT_SQL, enrolment_id) if is_possible_id(enrolment_id) else None
    if enrolment is None or not await _may_see_enrolment(actor, enrolment):
        # The same answer whether it exists or not: ids of other people's enrolments stay private.
        raise NotFound(N_("Iscrizione non trovata."))
    if enrolment["status"] != CONFIRMED:
        raise CertificateNotEligible(N_("L'attestato si rilascia solo per un'iscrizione confermata."))
    course, sessions, progress = await _enrolment_progress(enrolment, now)
    if not progress.eligible:
        raise _not_eligible(progress, sessions)
    code = await _ensure_certificate_code(enrolment)
    held = [s for s in sessions if s["status"] == SCHEDULED]
    places = list(dict.fromkeys(place for place in (_place(s) for s in held) if place))
    return CertificateData(
        enrolment_id=enrolment_id,
        code=code,
        verify_url=verify_url(code),
        full_name=enrolment["full_name"],
        codice_fiscale=enrolment["codice_fiscale"] or "",
        course_title=course["title"],
        path_title=course["path_title"],
        path_kind=course["path_kind"],
        progress=progress,
        first_day=min((s["starts_at"] for s in held), default=None),
        last_day=max((s["ends_at"] for s in held), default=None),
        places=places,
        issued_at=to_utc(now),
    )


async def verify_certificate(code: str, *, now: datetime | None = None) -> dict[str, Any]:
    """The public check of a certificate: initials, course, hours and dates — nothing more."""
    now = now or utcnow()
    normalised = normalise_certificate_code(code)
    if not normalised or len(normalised) > 32:
        raise NotFound(N_("Attestato non trovato."))
    row = await fetch_one(
        "SELECT e.id, e.course AS course_id, e.status, p.full_name FROM enrolment e JOIN person p ON p.id = e.person "
        "WHERE e.certificate_code = {}",
        normalised,
    )
    if row is None or row["status"] != CONFIRMED:
        raise NotFound(N_("Attestato non trovato."))
    course, sessions, progress = await _enrolment_progress(row, now)
    if not progress.eligible:
        raise NotFound(N_("Attestato non trovato."))
    held = [s for s in sessions if s["status"] == SCHEDULED]
    return {
        "code": normalised,
        "initials": initials(row["full_name"]),
        "course_title": course["title"],
        "attended_minutes": progress.attended_minutes,
        "scheduled_minutes": progress.scheduled_minutes,
        "first_day": min((s["starts_at"] for s in held), default=None),
        "last_day": max((s["ends_at"] for s in held), default=None),
    }


# Training record ---------------------------------------------------------------------------------


async def training_record(actor: CurrentUser, person_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """A person's courses (current and completed) with hours per year and per kind of path.

    The person themselves, admins, and coordinators of the person's cooperative.
    """
    now = to_utc(now or utcnow())
    person = await fetch_one(_PERSON_SQL, person_id) if is_possible_id(person_id) else None
    allowed = person is not None and (
        actor.is_admin
        or person_id == actor.id
        or (actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None
            and person["cooperative"] == actor.cooperative_id)
    )
    if not allowed:
        raise NotFound(N_("Persona non trovata."))
    enrolments = await fetch_all(_PERSON_ENROLMENTS_SQL, person_id, CONFIRMED, CourseStatus.CANCELLED.value)
    sessions = await fetch_all(_PERSON_SESSIONS_SQL, person_id, CONFIRMED)
    attendance = await fetch_all(_PERSON_ATTENDANCE_SQL, person_id, CONFIRMED)
    sessions_by_course: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for session in sessions:
        sessions_by_course[session["course_id"]].append(session)
    attendance_by_enrolment: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in attendance:
        attendance_by_enrolment[row["enrolment_id"]].append(row)
    session_index = {s["id"]: s for s in sessions if s["status"] == SCHEDULED}
    items = []
    by_year: dict[int, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    for enrolment in enrolments:
        course_sessions = sessions_by_course.get(enrolment["course_id"], [])
        rows = attendance_by_enrolment.get(enrolment["enrolment_id"], [])
        progress = _progress_by_enrolment(
            [enrolment["enrolment_id"]], course_sessions, rows, enrolment["attendance_threshold"], now,
            enrolment["course_status"] == CourseStatus.COMPLETED.value,
        )[enrolment["enrolment_id"]]
        for row in rows:
            session = session_index.get(row["session_id"])
            if session is not None and row["minutes"]:
                by_year[to_rome(session["starts_at"]).year] += int(row["minutes"])
                by_kind[enrolment["path_kind"]] += int(row["minutes"])
        held = [s for s in course_sessions if s["status"] == SCHEDULED]
        items.append({
            **enrolment,
            "progress": progress,
            "completed": progress.finished,
            "first_day": min((s["starts_at"] for s in held), default=None),
            "last_day": max((s["ends_at"] for s in held), default=None),
        })
    far_future = datetime.max.replace(tzinfo=now.tzinfo)
    items.sort(key=lambda item: (item["first_day"] or far_future, item["title"].casefold()))
    return {
        "person": {"id": person["id"], "full_name": person["full_name"], "cooperative_id": person["cooperative"]},
        "current": [item for item in items if not item["completed"]],
        "completed": [item for item in items if item["completed"]],
        "items": items,
        "by_year": sorted(by_year.items()),
        "by_kind": sorted(by_kind.items()),
        "total_minutes": sum(by_year.values()),
    }


# A cooperative's overview ------------------------------------------------------------------------

_COOP_ENROLMENTS_SQL = (
    "SELECT e.id AS enrolment_id, e.course AS course_id, p.id AS person_id, p.full_name, c.title, "
    "c.status AS course_status, c.attendance_threshold FROM enrolment e JOIN person p ON p.id = e.person "
    "JOIN course c ON c.id = e.course WHERE p.cooperative = {} AND e.status = {} AND c.status != {}"
)
_COOP_SESSIONS_SQL = (
    "SELECT s.id, s.course AS course_id, s.starts_at, s.ends_at, s.status FROM course_session s "
    "WHERE s.course IN (SELECT e.course FROM enrolment e JOIN person p ON p.id = e.person "
    "WHERE p.cooperative = {} AND e.status = {})"
)
_COOP_MINUTES_SQL = (
    "SELECT a.enrolment AS enrolment_id, SUM(a.minutes) AS minutes FROM attendance a "
    "JOIN course_session s ON s.id = a.session JOIN enrolment e ON e.id = a.enrolment "
    "JOIN person p ON p.id = e.person WHERE p.cooperative = {} AND e.status = {} AND s.status = {} "
    "GROUP BY a.enrolment"
)
_COOP_RECORDED_AHEAD_SQL = (
    "SELECT a.session AS session_id, a.enrolment AS enrolment_id FROM attendance a "
    "JOIN course_session s ON s.id = a.session JOIN enrolment e ON e.id = a.enrolment "
    "JOIN person p ON p.id = e.person WHERE p.cooperative = {} AND e.status = {} AND s.status = {} "
    "AND s.ends_at > {}"
)


async def cooperative_progress(
    actor: CurrentUser, *, cooperative_id: int | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """The courses a cooperative's workers are attending now, each participant's progress, the
    people at risk first. Coordinators see their own cooperative; admins the one they choose."""
    now = to_utc(now or utcnow())
    if actor.is_admin:
        if cooperative_id is None:
            return {"cooperative_id": None, "courses": []}
    elif actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None:
        if cooperative_id not in (None, actor.cooperative_id):
            raise PermissionDenied(N_("Puoi vedere solo la frequenza della tua cooperativa."))
        cooperative_id = actor.cooperative_id
    else:
        raise PermissionDenied(N_("Questa pagina è per i coordinatori delle cooperative e l'ufficio formazione."))
    if not is_possible_id(cooperative_id):
        raise NotFound(N_("Cooperativa non trovata."))
    enrolments = await fetch_all(_COOP_ENROLMENTS_SQL, cooperative_id, CONFIRMED, CourseStatus.CANCELLED.value)
    sessions = await fetch_all(_COOP_SESSIONS_SQL, cooperative_id, CONFIRMED)
    attended = {
        row["enrolment_id"]: int(row["minutes"] or 0)
        for row in await fetch_all(_COOP_MINUTES_SQL, cooperative_id, CONFIRMED, SCHEDULED)
    }
    recorded = {
        (row["session_id"], row["enrolment_id"])
        for row in await fetch_all(_COOP_RECORDED_AHEAD_SQL, cooperative_id, CONFIRMED, SCHEDULED, now)
    }
    sessions_by_course: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for session in sessions:
        sessions_by_course[session["course_id"]].append(session)
    courses: dict[int, dict[str, Any]] = {}
    for row in _by_name(enrolments):
        course_sessions = sessions_by_course.get(row["course_id"], [])
        progress = _progress_from_totals(
            [row["enrolment_id"]], course_sessions, attended, recorded, row["attendance_threshold"], now,
            row["course_status"] == CourseStatus.COMPLETED.value,
        )[row["enrolment_id"]]
        if progress.finished:
            continue  # finished courses are in each person's training record
        held = [s for s in course_sessions if s["status"] == SCHEDULED]
        course = courses.setdefault(row["course_id"], {
            "id": row["course_id"],
            "title": row["title"],
            "first_day": min((s["starts_at"] for s in held), default=None),
            "last_day": max((s["ends_at"] for s in held), default=None),
            "rows": [],
        })
        course["rows"].append({**row, "progress": progress})
    ordered = sorted(courses.values(), key=lambda c: (c["first_day"] is None, c["first_day"] or now, c["title"]))
    for course in ordered:
        course["rows"].sort(key=lambda r: not r["progress"].at_risk)  # stable: at risk first, then by name
        course["at_risk"] = sum(1 for r in course["rows"] if r["progress"].at_risk)
    return {"cooperative_id": cooperative_id, "courses": ordered}
