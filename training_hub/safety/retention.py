"""How long the records of a safety course are kept, and the hold every removal must respect.

The Accordo Stato-Regioni 17/04/2025 (punto 7) asks the training body to keep the course dossier
("fascicolo del corso": participants' data, the signed register, the trainers, the programme, the
final-test reports, the attestati) for at least 10 years. Everything the dossier is made from — the
course, its sessions and trainers, the confirmed enrolments with their attendance and test attempts,
and the participants' names and codici fiscali — must therefore stay until 10 years after the course's
end.

The database already refuses to delete a course with enrolments, or a person with enrolments (foreign
keys ``ON DELETE RESTRICT``). Anything that removes or anonymises records on purpose — a GDPR erasure,
a housekeeping job — asks first through the hook ``core.events.retention_holds`` (connected in
``training_hub/hooks.py`` to :func:`dossier_holds`): each hold names the course and the date until
which its records are kept. A removal that finds a hold leaves those records alone (the erasure may
still remove what the dossier does not need: contact details, preferences, accessibility notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from training_hub.core.db import fetch_all
from training_hub.core.timeutil import to_rome, utcnow

DOSSIER_RETENTION_YEARS = 10
SOURCE = "Accordo Stato-Regioni 17/04/2025, Rep. Atti n. 59/CSR, punto 7"


@dataclass(frozen=True)
class RetentionHold:
    course_id: int
    course_title: str
    until: date
    reason: str = SOURCE


def kept_until(course_end: datetime | None) -> date | None:
    """The last day a course's records must be kept: 10 years after its end (Rome date); 29 February
    becomes 28 February. None for a course without sessions."""
    if course_end is None:
        return None
    end = to_rome(course_end).date()
    try:
        return end.replace(year=end.year + DOSSIER_RETENTION_YEARS)
    except ValueError:
        return end.replace(year=end.year + DOSSIER_RETENTION_YEARS, day=28)


_HOLDS_SQL = (
    "SELECT DISTINCT c.id, c.title, c.ends_at FROM course c "
    "LEFT JOIN enrolment e ON e.course = c.id AND e.status = 'confirmed' "
    "WHERE c.safety_course_type IS NOT NULL AND c.ends_at IS NOT NULL AND c.status <> 'cancelled' "
)


async def dossier_holds(*, person_id: int | None = None, course_id: int | None = None,
                        now: datetime | None = None, **_: object) -> list[RetentionHold]:
    """The safety courses whose dossier still needs the records of ``person_id`` (a confirmed participant)
    or of ``course_id``; empty when nothing is held (ordinary courses, or 10 years past). One statement."""
    today = to_rome(now or utcnow()).date()
    sql, args = _HOLDS_SQL, []
    if person_id is not None:
        sql += "AND e.person = {} "
        args.append(person_id)
    if course_id is not None:
        sql += "AND c.id = {} "
        args.append(course_id)
    if person_id is None and course_id is None:
        return []
    holds = []
    for row in await fetch_all(sql, *args):
        until = kept_until(row["ends_at"])
        if until is not None and until >= today:
            holds.append(RetentionHold(row["id"], row["title"], until))
    return sorted(holds, key=lambda hold: (hold.until, hold.course_id))


# Attestati obtained elsewhere (safety/external_trainings.py) ----------------------------------------

# They are the consortium's copy of the proof that a worker had the training art. 37 D.Lgs. 81/2008
# requires (the employer must show it, art. 18 c. 1 lett. l; the libretto formativo, art. 37 c. 14-bis):
# kept like the dossier of a course held here, 10 years from the end date on the attestato. The safety
# roles are not kept: they describe appointments in force, which end with the person's account.
EXTERNAL_TRAINING_RETENTION_YEARS = DOSSIER_RETENTION_YEARS
EXTERNAL_TRAINING_SOURCE = ("D.Lgs. 81/2008 art. 37 e Accordo Stato-Regioni 17/04/2025 punto 7: prova della "
                            "formazione svolta, 10 anni dalla fine del corso")


def external_training_kept_until(completed_on: date) -> date:
    """The last day an attestato ended on ``completed_on`` is kept (29 February → 28 February)."""
    try:
        return completed_on.replace(year=completed_on.year + EXTERNAL_TRAINING_RETENTION_YEARS)
    except ValueError:
        return completed_on.replace(year=completed_on.year + EXTERNAL_TRAINING_RETENTION_YEARS, day=28)
