"""A roll-call line must not contradict itself: status, entry and exit times and minutes agree.

The trainer's roll call saved "In ritardo" with 500 minutes, "Presente" with −20 minutes, "In ritardo"
with an entry an hour before the start and "Uscita anticipata" with an exit after the end — each as
full hours (issue 13, item 3). The rules, checked on every line before anything is saved (the line
comes back with the message next to the field):

* **minutes** are never negative nor longer than the session; for ``late`` and ``left_early`` they
  are less than the whole session (all of it is ``present``); when times are given the minutes are
  derived from them, so typed minutes must match what the times give (or be left empty);
* **present** counts the whole session: typed minutes must be empty or the whole length; an entry
  more than ``LATE_AFTER`` after the start is ``late`` and an exit more than ``EARLY_BEFORE`` before
  the end is ``left_early`` (the same tolerances as the self check-in of ``rules.py``, so a check-in's
  line re-saved unchanged always agrees);
* **late** means an entry after the start and before the end (its exit, if any, may be anything after
  the entry: a late arrival who also leaves early stays ``late``, as the check-out keeps it);
  without an entry time it needs the minutes;
* **left_early** means an exit after the start and before the end; without an exit time it needs the
  minutes.

Pure functions over instants (UTC or aware): no database, no request.
"""

from __future__ import annotations

from datetime import datetime

from training_hub.attendance.rules import EARLY_BEFORE, LATE_AFTER, attended_minutes, session_minutes
from training_hub.core.i18n import N_, format_time
from training_hub.core.tables import AttendanceStatus
from training_hub.core.timeutil import to_utc

PRESENT, LATE, LEFT_EARLY = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value,
                             AttendanceStatus.LEFT_EARLY.value)


class Contradiction(Exception):
    """What is wrong with a line: the field it is about (``arrived_at``, ``left_at``, ``minutes``) and
    the message (a msgid with its params)."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.field, self.message, self.params = field, message, params


def check_line(
    status: str, starts_at: datetime, ends_at: datetime, *, arrived_at: datetime | None,
    left_at: datetime | None, minutes: int | None,
) -> None:
    """Raise :class:`Contradiction` when the line does not agree with itself (see the module notes).
    Absent and excused lines carry no times nor minutes, so they always agree."""
    if status not in (PRESENT, LATE, LEFT_EARLY):
        return
    start, end = to_utc(starts_at), to_utc(ends_at)
    length = session_minutes(start, end)
    if minutes is not None:
        if minutes < 0:
            raise Contradiction("minutes", N_("I minuti non possono essere negativi."))
        if minutes > length:
            raise Contradiction("minutes", N_("I minuti non possono superare la durata dell'incontro (%(minutes)d)."),
                                minutes=length)
    if status == PRESENT:
        if minutes is not None and minutes != length:
            raise Contradiction("minutes", N_(
                "«Presente» conta tutto l'incontro (%(minutes)d minuti): per meno minuti scegli «In ritardo» o "
                "«Uscita anticipata», oppure lascia vuoti i minuti."), minutes=length)
        if arrived_at is not None and to_utc(arrived_at) > start + LATE_AFTER:
            raise Contradiction("arrived_at", N_(
                "Con l'entrata alle %(time)s la persona è in ritardo: scegli «In ritardo» o correggi l'orario."),
                time=format_time(arrived_at))
        if left_at is not None and to_utc(left_at) < end - EARLY_BEFORE:
            raise Contradiction("left_at", N_(
                "Con l'uscita alle %(time)s la persona è uscita prima: scegli «Uscita anticipata» o correggi "
                "l'orario."), time=format_time(left_at))
        return
    if status == LATE:
        if arrived_at is None and minutes is None:
            raise Contradiction("arrived_at", N_("Indica l'orario di entrata oppure i minuti di presenza."))
        if arrived_at is not None and to_utc(arrived_at) <= start:
            raise Contradiction("arrived_at", N_(
                "«In ritardo» vuol dire entrare dopo l'inizio (%(start)s): correggi l'entrata o scegli «Presente»."),
                start=format_time(starts_at))
        if arrived_at is not None and to_utc(arrived_at) >= end:
            raise Contradiction("arrived_at", N_(
                "L'entrata deve essere prima della fine dell'incontro (%(end)s): altrimenti la persona è assente."),
                end=format_time(ends_at))
    else:
        if left_at is None and minutes is None:
            raise Contradiction("left_at", N_("Indica l'orario di uscita oppure i minuti di presenza."))
        if left_at is not None and to_utc(left_at) >= end:
            raise Contradiction("left_at", N_(
                "«Uscita anticipata» vuol dire uscire prima della fine (%(end)s): correggi l'uscita o scegli "
                "«Presente»."), end=format_time(ends_at))
        if left_at is not None and to_utc(left_at) <= start:
            raise Contradiction("left_at", N_(
                "L'uscita deve essere dopo l'inizio dell'incontro (%(start)s): altrimenti la persona è assente."),
                start=format_time(starts_at))
    if arrived_at is not None or left_at is not None:
        derived = attended_minutes(status, start, end, arrived_at=arrived_at, left_at=left_at)
        if minutes is not None and minutes != derived:
            raise Contradiction("minutes", N_(
                "I minuti si ricavano dagli orari: con questi orari sono %(minutes)d. Correggi gli orari oppure "
                "lascia vuoti i minuti."), minutes=derived)
    elif minutes is not None and minutes >= length:
        raise Contradiction("minutes", N_(
            "Con tutti i minuti dell'incontro la persona è presente: scegli «Presente» o correggi i minuti."))
