"""Certificates of attendance (attestati) and their public verification.

Rules kept here, and why:

* A certificate is issued for a confirmed enrolment once the course is over and the attendance
  reaches the course's threshold (``rules.compute_progress``); otherwise the refusal says why, with
  the missing hours, in the reader's language.
* A course with a final learning test (every safety course, art. 37 c. 2 D.Lgs. 81/2008) also needs
  the test passed (``assessment.results.test_passed``): 95% attendance with a failed test gets none.
* Who may download it: the participant, those who take the course's attendance, admins, and the
  coordinators of the participant's cooperative. Anyone else is told it does not exist, whether it
  does or not: ids of other people's enrolments stay private.
* The verification code is created on the first issue and then kept for good (two downloads at
  once end up with the same code). The public check (``/verify/{code}``) shows initials, course,
  hours and dates — nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.numbers import format_decimal

from training_hub.assessment.results import test_passed
from training_hub.attendance.access import (
    CONFIRMED,
    SCHEDULED,
    SESSIONS_SQL,
    can_take_attendance,
    load_course,
    place_of,
)
from training_hub.attendance.progress import progress_by_enrolment
from training_hub.attendance.rules import (
    Progress,
    describe_duration,
    initials,
    new_certificate_code,
    normalise_certificate_code,
)
from training_hub.core.db import fetch_all, fetch_one, is_possible_id
from training_hub.core.errors import CertificateNotEligible, InvalidState, NotFound
from training_hub.core.i18n import N_, babel_locale, format_datetime
from training_hub.core.identity import CurrentUser
from training_hub.core.settings import get_settings
from training_hub.core.tables import CourseStatus, Enrolment, Role
from training_hub.core.timeutil import to_utc, utcnow

_ENROLMENT_SQL = (
    "SELECT e.id, e.course AS course_id, e.status, e.certificate_code, p.id AS person_id, p.full_name, "
    "p.codice_fiscale, p.cooperative AS cooperative_id "
    "FROM enrolment e JOIN person p ON p.id = e.person WHERE e.id = {}"
)
_ENROLMENT_ATTENDANCE_SQL = (
    "SELECT a.session AS session_id, a.enrolment AS enrolment_id, a.status, a.minutes "
    "FROM attendance a WHERE a.enrolment = {}"
)


NO_PASSED_TEST = N_("Il test finale di apprendimento non risulta superato: l'attestato si rilascia a chi "
                    "raggiunge la frequenza minima e supera il test.")


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
    # For the attestato of a safety course (safety/attestato.py): its type, delivery mode, birth data.
    safety_course_type: str | None = None
    delivery_mode: str = ""
    course_id: int = 0


async def _enrolment_progress(enrolment: dict[str, Any], now: datetime) -> tuple[dict[str, Any], list[dict[str, Any]], Progress]:
    course = await load_course(enrolment["course_id"])
    sessions = await fetch_all(SESSIONS_SQL, enrolment["course_id"])
    attendance = await fetch_all(_ENROLMENT_ATTENDANCE_SQL, enrolment["id"])
    progress = progress_by_enrolment(
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
    return await can_take_attendance(actor, enrolment["course_id"])


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
    if await test_passed(enrolment_id) is False:
        raise CertificateNotEligible(NO_PASSED_TEST)
    code = await _ensure_certificate_code(enrolment)
    held = [s for s in sessions if s["status"] == SCHEDULED]
    places = list(dict.fromkeys(place for place in (place_of(s) for s in held) if place))
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
        safety_course_type=course.get("safety_course_type") or None,
        delivery_mode=course.get("delivery_mode") or "",
        course_id=enrolment["course_id"],
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
    if not progress.eligible or await test_passed(row["id"]) is False:
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

