"""A small consortium in 2025 whose report figures are computed by hand below (see EXPECTED).

Cooperatives: Alfa (MI), Beta (BG), Gamma (PV). Trainers: Tina (T1), Ugo (T2).

K1 marketing, T1, threshold 70%: S1 240 min (10/03/2025), S2 180 min (17/03), S3 cancelled.
    Confirmed a1 a2 a3 a4 (Alfa, anziani) b1 b2 (Beta, disabili); a5 cancelled after the start (attended
    S1), b3 cancelled before it. Attendance a1 240+180, a2 240+0, a3 200+180, a4 0+0, b1 240+120,
    b2 100+100 → 1600 min; completed a1 a3 b1 (3 of 7), dropped a4 a5 (2 of 7).
K2 inclusion, T2: S4 23:30 UTC on 31/10/2025 → 01:30 UTC (00:30 on 1 November in Rome: November!),
    120 min; S5 across the DST change, 01:30 CEST → 03:30 CET on 26/10/2025: 180 real minutes.
    Confirmed c1 (Gamma, minori; accessibility notes on file) a6 (Alfa, minori).
    Attendance c1 120+180 (complete), a6 60+0 (20%, partial).
K3 internal training, T1, capacity 2: S6 240 min (05/06/2025); a1 a2 confirmed, a3 b3 waiting; no
    register taken (left out of completion and drop-out).
Not counted: K4 draft, K5 cancelled (sessions in 2025), K6 in 2024.
Surveys: K1 closed, 6 invited, 5 answers (averages 4.2 3.6 4.6 3.8 3.8); K2 closed with 2 answers.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.support import as_user, rome
from training_hub.core.tables import (
    AccessibilityNeeds,
    Attendance,
    CourseStatus,
    EnrolmentStatus,
    PathKind,
    Survey,
    SurveyInvitation,
    SurveyStatus,
)
from training_hub.surveys.answering import submit_response
from training_hub.surveys.questions import ensure_default_questions

PERIOD = {"from": "2025-01-01", "to": "2025-12-31"}
COMMENTS = ["Molto utile, grazie", "Aula troppo piccola"]
RATINGS = [  # overall, usefulness, trainer, organisation, materials
    (5, 4, 5, 4, 3),
    (4, 4, 5, 3, 4),
    (3, 2, 4, 3, 3),
    (5, 5, 5, 5, 5),
    (4, 3, 4, 4, 4),
]
ACCESSIBILITY_NOTE = "Nota riservata: serve un interprete LIS"

EXPECTED: dict[str, Any] = {
    "summary": {
        "courses": 3, "sessions": 5, "delivered_minutes": 960, "participants": 8, "enrolments": 10,
        "scheduled_minutes": 3600, "attended_minutes": 1960, "cohort": 9, "completed": 4, "dropped": 2,
        "courses_without_register": 1, "full_courses_with_waitlist": 1, "waitlisted": 2, "survey_responses": 5,
    },
    "monthly": {
        "2025-03": {"courses": 1, "sessions": 2, "delivered_minutes": 420, "participants": 6, "attended_minutes": 1600},
        "2025-06": {"courses": 1, "sessions": 1, "delivered_minutes": 240, "participants": 2, "attended_minutes": 0},
        "2025-10": {"courses": 1, "sessions": 1, "delivered_minutes": 180, "participants": 2, "attended_minutes": 180},
        "2025-11": {"courses": 1, "sessions": 1, "delivered_minutes": 120, "participants": 2, "attended_minutes": 180},
    },
    "by_kind": {
        "marketing": {"courses": 1, "sessions": 2, "delivered_minutes": 420, "participants": 6,
                      "attended_minutes": 1600, "cohort": 7, "completed": 3, "dropped": 2},
        "inclusion": {"courses": 1, "sessions": 2, "delivered_minutes": 300, "participants": 2,
                      "attended_minutes": 360, "cohort": 2, "completed": 1, "dropped": 0},
        "internal_training": {"courses": 1, "sessions": 1, "delivered_minutes": 240, "participants": 2,
                              "attended_minutes": 0, "cohort": 0, "completed": 0, "dropped": 0},
        "other": {"courses": 0, "sessions": 0, "delivered_minutes": 0, "participants": 0, "attended_minutes": 0},
    },
    "by_province": {
        "MI": {"participants": 5, "scheduled_minutes": 2460, "attended_minutes": 1100},
        "BG": {"participants": 2, "scheduled_minutes": 840, "attended_minutes": 560},
        "PV": {"participants": 1, "scheduled_minutes": 300, "attended_minutes": 300},
        "CO": {"participants": 0, "scheduled_minutes": 0, "attended_minutes": 0},
    },
    "by_area": {
        "anziani": {"participants": 4, "scheduled_minutes": 2160, "attended_minutes": 1040},
        "minori": {"participants": 2, "scheduled_minutes": 600, "attended_minutes": 360},
        "disabili": {"participants": 2, "scheduled_minutes": 840, "attended_minutes": 560},
    },
    "by_cooperative": {
        "Cooperativa Alfa": {"participants": 5, "scheduled_minutes": 2460, "attended_minutes": 1100},
        "Cooperativa Beta": {"participants": 2, "scheduled_minutes": 840, "attended_minutes": 560},
        "Cooperativa Gamma": {"participants": 1, "scheduled_minutes": 300, "attended_minutes": 300},
    },
    "survey_k1": {"overall": 4.2, "usefulness": 3.6, "trainer": 4.6, "organisation": 3.8, "materials": 3.8},
}




async def attend(session: Any, enrolment: Any, minutes: int) -> None:
    await Attendance.insert(Attendance(session=session.id, enrolment=enrolment.id, minutes=minutes,
                                       status="present" if minutes else "absent"))


async def answer_survey(course: Any, people: list[Any], answers: list[dict[str, Any]], *, invited: list[Any],
                        closes_at: datetime) -> int:
    """A survey of ``course`` with ``invited`` people, answered by ``people`` with ``answers``, then closed."""
    opened = closes_at - timedelta(days=14)
    rows = await Survey.insert(Survey(course=course.id, opens_at=opened, closes_at=closes_at,
                                      status=SurveyStatus.OPEN.value))
    survey_id = rows[0]["id"]
    await SurveyInvitation.insert(*[SurveyInvitation(survey=survey_id, person=p.id) for p in invited])
    for person, values in zip(people, answers, strict=True):
        await submit_response(as_user(person), survey_id, values, now=opened + timedelta(days=1))
    await Survey.update({Survey.status: SurveyStatus.CLOSED.value}).where(Survey.id == survey_id)
    return survey_id


def rating_answers(values: tuple[int, ...], comment: str = "") -> dict[str, Any]:
    codes = ("overall", "usefulness", "trainer", "organisation", "materials")
    out: dict[str, Any] = dict(zip(codes, values, strict=True))
    out["comments"] = comment
    return out


async def build() -> dict[str, Any]:
    await ensure_default_questions()
    alfa = await make_cooperative(name="Cooperativa Alfa", province="MI")
    beta = await make_cooperative(name="Cooperativa Beta", province="BG")
    gamma = await make_cooperative(name="Cooperativa Gamma", province="PV")
    t1 = await make_person(roles="trainer", full_name="Tina Formatrice", email="tina@example.test")
    t2 = await make_person(roles="trainer", full_name="Ugo Formatore", email="ugo@example.test")
    admin = await make_person(roles="admin", full_name="Ufficio Formazione", email="office@example.test")
    coordinator = await make_person(roles="coordinator", cooperative=alfa, full_name="Carla Coordinatrice",
                                    email="carla@example.test")
    a = [await make_person(cooperative=alfa, area="anziani" if n < 4 else "minori", full_name=f"Alfa Persona {n + 1}",
                           email=f"alfa{n + 1}@example.test") for n in range(6)]
    b = [await make_person(cooperative=beta, area="disabili", full_name=f"Beta Persona {n + 1}",
                           email=f"beta{n + 1}@example.test") for n in range(3)]
    c1 = await make_person(cooperative=gamma, area="minori", full_name="Gamma Persona Uno", email="gamma1@example.test")
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=c1.id, interpreter=True, notes=ACCESSIBILITY_NOTE))

    marketing = await make_path(PathKind.MARKETING.value)
    inclusion = await make_path(PathKind.INCLUSION.value)
    internal = await make_path(PathKind.INTERNAL_TRAINING.value)

    k1 = await make_course(marketing, trainers=[t1], title="Marketing sociale di base", capacity=10)
    s1 = await make_session(k1, rome(date(2025, 3, 10), 9), 240, trainer=t1.id)
    s2 = await make_session(k1, rome(date(2025, 3, 17), 9), 180, trainer=t1.id)
    await make_session(k1, rome(date(2025, 3, 24), 9), 120, trainer=t1.id, status="cancelled")
    e = {}
    for person in a[:4] + b[:2]:
        e[person.email] = await make_enrolment(person, k1)
    e_a5 = await make_enrolment(a[4], k1, status=EnrolmentStatus.CANCELLED.value,
                                cancelled_at=rome(date(2025, 3, 12), 10))
    await make_enrolment(b[2], k1, status=EnrolmentStatus.CANCELLED.value, cancelled_at=rome(date(2025, 3, 1), 10))
    for email, first, second in [("alfa1@example.test", 240, 180), ("alfa2@example.test", 240, 0),
                                 ("alfa3@example.test", 200, 180), ("alfa4@example.test", 0, 0),
                                 ("beta1@example.test", 240, 120), ("beta2@example.test", 100, 100)]:
        await attend(s1, e[email], first)
        await attend(s2, e[email], second)
    await attend(s1, e_a5, 240)

    k2 = await make_course(inclusion, trainers=[t2], title="Inclusione lavorativa", capacity=5)
    s4 = await make_session(k2, datetime(2025, 10, 31, 23, 30, tzinfo=UTC), 120, trainer=t2.id)
    s5 = await make_session(k2, datetime(2025, 10, 25, 23, 30, tzinfo=UTC), 180, trainer=t2.id)
    e_c1 = await make_enrolment(c1, k2)
    e_a6 = await make_enrolment(a[5], k2)
    await attend(s4, e_c1, 120)
    await attend(s5, e_c1, 180)
    await attend(s4, e_a6, 60)
    await attend(s5, e_a6, 0)

    k3 = await make_course(internal, trainers=[t1], title="Formare i formatori", capacity=2)
    await make_session(k3, rome(date(2025, 6, 5), 14), 240, trainer=t1.id)
    await make_enrolment(a[0], k3)
    await make_enrolment(a[1], k3)
    await make_enrolment(a[2], k3, status=EnrolmentStatus.WAITLISTED.value)
    await make_enrolment(b[2], k3, status=EnrolmentStatus.WAITLISTED.value)

    k4 = await make_course(marketing, trainers=[t1], title="Bozza mai pubblicata", status=CourseStatus.DRAFT.value)
    s_k4 = await make_session(k4, rome(date(2025, 4, 1), 9), 60)
    k5 = await make_course(marketing, trainers=[t1], title="Corso annullato", status=CourseStatus.CANCELLED.value)
    await make_session(k5, rome(date(2025, 4, 2), 9), 60)
    e_k4 = await make_enrolment(a[0], k4)
    await attend(s_k4, e_k4, 60)
    k6 = await make_course(marketing, trainers=[t1], title="Corso del 2024")
    s_k6 = await make_session(k6, rome(date(2024, 12, 20), 9), 60)
    await attend(s_k6, await make_enrolment(a[0], k6), 60)

    k1_people = a[:4] + b[:2]
    survey_k1 = await answer_survey(
        k1, k1_people[:5],
        [rating_answers(RATINGS[n], COMMENTS[n] if n < len(COMMENTS) else "") for n in range(5)],
        invited=k1_people, closes_at=rome(date(2025, 4, 1), 0),
    )
    survey_k2 = await answer_survey(k2, [c1, a[5]], [rating_answers((5, 5, 5, 5, 5)), rating_answers((2, 2, 2, 2, 2))],
                                    invited=[c1, a[5]], closes_at=rome(date(2025, 11, 20), 0))
    return {
        "alfa": alfa, "beta": beta, "gamma": gamma, "t1": t1, "t2": t2, "admin": admin, "coordinator": coordinator,
        "a": a, "b": b, "c1": c1, "k1": k1, "k2": k2, "k3": k3, "survey_k1": survey_k1, "survey_k2": survey_k2,
        "participants": a + b + [c1],
    }


def new_uuid() -> str:
    return str(uuid.uuid4())
