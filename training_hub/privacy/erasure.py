"""Erasure (GDPR art. 17): the person is anonymised everywhere, except what a law requires to keep
(art. 17.3.b, the rules of ``retention.py``), and the answer says what was kept, why and until when.

Order matters: first the person is deactivated as the office would do it (``person_deactivated``: seats,
waiting-list places and requests in courses not yet started are released and go to the next in line);
then, in one transaction, everything personal goes. Rows other people's records depend on (enrolments,
attendance, final tests) stay, pointing at the anonymised person; while any of them must be kept, so do
the name and the codice fiscale, because a register must say who was there.

Safety: the roles held go; the attestati obtained elsewhere (with their scans, and so the name and
the codice fiscale) stay until 10 years after each course's end, like a course's dossier
(``safety/retention.py``), and those older go.

An open inclusion pathway stops the erasure (409): its tutors must first close it with its outcome; a
closed one is deleted with its reviews and competences. The audit log keeps its rows (who did what to
which record, never content): it is how the office proves what it did, this erasure included.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from training_hub.accounts.tables import AccountLink
from training_hub.core import events
from training_hub.core.audit import record_audit_event
from training_hub.core.db import write_transaction
from training_hub.core.errors import Conflict
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import (
    AccessibilityNeeds,
    ApiToken,
    Attendance,
    Enrolment,
    FeedToken,
    KeyValue,
    LoginFailure,
    Outbox,
    Person,
    Session,
    SurveyInvitation,
    TutorLink,
)
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.funding.tables import ParticipantFundData
from training_hub.inclusion.tables import InclusionPathway
from training_hub.privacy.access import ensure_may_erase
from training_hub.privacy.retention import COURSE_RECORDS_SOURCE, course_records_kept_until, must_keep
from training_hub.safety.external_trainings import forget_for_erasure, kept_after_erasure
from training_hub.safety.retention import EXTERNAL_TRAINING_SOURCE

ERASED_NAME = "Persona cancellata"

def erased_email(person_id: int) -> str:
    """Unique (the column is) and undeliverable (``.invalid`` is reserved, RFC 2606)."""
    return f"cancellato-{person_id}@cancellato.invalid"


async def _kept_courses(person_id: int, today: date) -> list[dict[str, Any]]:
    """The courses whose records hold the person (confirmed in, or with attendance) and must be kept."""
    enrolments = await Enrolment.select(Enrolment.id, Enrolment.course, Enrolment.course.title, Enrolment.status) \
        .where(Enrolment.person == person_id)
    attended = {row["enrolment"] for row in await Attendance.select(Attendance.enrolment)
                .where(Attendance.enrolment.person == person_id)}
    titles = {row["course"]: row["course.title"] for row in enrolments
              if row["status"] == "confirmed" or row["id"] in attended}
    if not titles:
        return []
    last_day: dict[int, date] = {}
    for row in await Session.select(Session.course, Session.ends_at).where(Session.course.is_in(list(titles))):
        day = to_rome(row["ends_at"]).date()
        last_day[row["course"]] = max(day, last_day.get(row["course"], day))
    return [
        {"course_id": course_id, "title": title, "until": course_records_kept_until(last_day[course_id]),
         "why": COURSE_RECORDS_SOURCE}
        for course_id, title in sorted(titles.items())
        if must_keep(last_day.get(course_id), today)
    ]


async def erase_person(actor: CurrentUser, person_id: int) -> dict[str, Any]:
    """Anonymise ``person_id``; returns ``{"erased": [...], "kept": [{"what", "until", "why"}]}``."""
    await ensure_may_erase(actor, person_id)
    if await InclusionPathway.exists().where(
        (InclusionPathway.person == person_id) & InclusionPathway.outcome.is_null()
    ):
        raise Conflict(N_("Questa persona ha un percorso di inclusione in corso: i suoi tutor devono prima "
                          "chiuderlo con il suo esito."))
    person = await Person.select(Person.email, Person.active).where(Person.id == person_id).first()
    if person["active"]:
        await Person.update({Person.active: False, Person.updated_at: utcnow()}).where(Person.id == person_id)
        await events.person_deactivated.send(actor=actor, person_id=person_id)
    kept_courses = await _kept_courses(person_id, to_rome(utcnow()).date())
    # Features that keep records of their own say so through the hook (safety: the course dossier).
    known = {course["course_id"]: course for course in kept_courses}
    for holds in await events.retention_holds.send(person_id=person_id, course_id=None, now=utcnow()):
        for hold in holds or []:
            course = known.get(hold.course_id)
            if course is None:
                known[hold.course_id] = course = {"course_id": hold.course_id, "title": hold.course_title,
                                                  "until": hold.until, "why": hold.reason}
                kept_courses.append(course)
            else:
                course["until"] = max(course["until"], hold.until)
                if hold.reason not in course["why"]:
                    course["why"] = f"{course['why']}; {hold.reason}"
    # Attestati obtained elsewhere are the proof of training the law asks for: 10 years from each course.
    today = to_rome(utcnow()).date()
    trainings_until = await kept_after_erasure(person_id, today)
    erased = [
        N_("e-mail, password, lingua e area, link di invito e di reimpostazione"),
        N_("ruoli per la sicurezza"),
        N_("necessità di accessibilità"),
        N_("collegamenti ai calendari e token di accesso"),
        N_("sessioni aperte e tentativi di accesso"),
        N_("inviti ai questionari"),
        N_("legami con i tutor"),
        N_("e-mail in attesa di invio, e testo di quelle inviate"),
        N_("percorsi di inclusione conclusi"),
    ]
    async with write_transaction():
        values: dict[Any, Any] = {
            Person.email: erased_email(person_id), Person.password_hash: None, Person.active: False,
            Person.language: "it", Person.area: None, Person.updated_at: utcnow(),
        }
        if not kept_courses and trainings_until is None:
            values |= {Person.full_name: ERASED_NAME, Person.codice_fiscale: None}
            erased.insert(0, N_("nome e codice fiscale"))
        await forget_for_erasure(person_id, today)
        await Person.update(values).where(Person.id == person_id)
        await AccessibilityNeeds.delete().where(AccessibilityNeeds.person == person_id)
        await AccountLink.delete().where(AccountLink.person == person_id)
        if not kept_courses:  # the funds' data of a participant go with the plan's records, not before
            await ParticipantFundData.delete().where(ParticipantFundData.person == person_id)
        await FeedToken.delete().where(FeedToken.person == person_id)
        await ApiToken.delete().where(ApiToken.person == person_id)
        await KeyValue.delete().where(KeyValue.person == person_id)
        await LoginFailure.delete().where(LoginFailure.email == person["email"])
        await SurveyInvitation.delete().where(SurveyInvitation.person == person_id)
        await TutorLink.delete().where((TutorLink.person == person_id) | (TutorLink.tutor == person_id))
        await Outbox.delete().where((Outbox.recipient == person_id) & (Outbox.status != "sent"))
        await Outbox.update({Outbox.to_email: erased_email(person_id), Outbox.subject: "", Outbox.body: "",
                             Outbox.ics: ""}).where(Outbox.recipient == person_id)
        await InclusionPathway.delete().where(InclusionPathway.person == person_id)
        await record_audit_event("person.erased", actor_id=actor.id, entity="person", entity_id=person_id,
                                 data={"kept_courses": [course["course_id"] for course in kept_courses],
                                       **({"kept_external_trainings": True} if trainings_until else {})})
    kept = [
        {
            "what": N_("nome e codice fiscale, registro, presenze e test finale del corso «%(title)s»"),
            "title": course["title"],
            "course_id": course["course_id"],
            "until": course["until"],
            "why": course["why"],
        }
        for course in kept_courses
    ]
    if trainings_until is not None:
        kept.append({"what": N_("nome e codice fiscale, attestati sulla sicurezza ottenuti altrove e le loro scansioni"),
                     "title": "", "course_id": None, "until": trainings_until, "why": EXTERNAL_TRAINING_SOURCE})
    else:
        erased.append(N_("attestati sulla sicurezza ottenuti altrove"))
    return {"erased": erased, "kept": kept}

