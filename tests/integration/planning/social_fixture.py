"""A small consortium in 2025 whose bilancio sociale figures are computed by hand (EXPECTED).

Cooperatives: Alfa (headcount 10), Beta (headcount 4), Gamma (no headcount entered).
K1 marketing: S1 240 min (10/03/2025), S2 180 min (17/03), S3 cancelled (a register row on it is ignored).
    a1 240+180, a2 240+0, a3 0+0 (attended nothing), b1 200+180, a4 240 on S1 then left the course (the
    register keeps the row) → 1280 min.
K2 safety (lavoratori_generale, path "other"): 01:30 CEST → 03:30 CET on 26/10/2025, 180 real minutes;
    a1 180, g1 120 → 300 min.
K4 marketing: a session at 00:30 on 1/1/2025 in Rome (still 2024 in UTC) 60 min, counted; one at 23:00 on
    31/12/2024 in Rome (60 min), not counted; a2 attended both.
K3 draft with a register row in 2025: not delivered, not counted.
Cost: a1's gross hourly cost 20.00 € → 600 min × 20 / 60 = 200.00 €.
Survey of K1: closed, 5 answers, overall 5 4 3 5 4 → 4.2; K2's survey has 2 answers: not counted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.reports_fixture import answer_survey, attend, rating_answers
from tests.support import rome
from training_hub.core.tables import CooperativeHeadcount, CourseStatus, EnrolmentStatus, PathKind
from training_hub.funding.tables import ParticipantFundData
from training_hub.surveys.questions import ensure_default_questions

EXPECTED: dict[str, Any] = {
    "minutes": 1640, "people": 5, "courses": 3, "headcount": 14, "minutes_per_worker": 109,
    "share_trained": 4 / 14, "mandatory_minutes": 300, "voluntary_minutes": 1340, "cost": Decimal("200.00"),
    "costed_minutes": 600, "satisfaction": 4.2, "responses": 5,
    "kind": {"marketing": (1340, 4), "other": (300, 2)},
    "area": {"anziani": (1140, 3), "disabili": (380, 1), "minori": (120, 1)},
    "quarter": {1: (1340, 4), 2: (0, 0), 3: (0, 0), 4: (300, 2)},
    "cooperatives": {"Cooperativa Alfa": (1140, 3), "Cooperativa Beta": (380, 1), "Cooperativa Gamma": (120, 1)},
    "alfa": {"minutes": 1140, "people": 3, "courses": 3, "headcount": 10, "minutes_per_worker": 114,
             "share_trained": 0.3},
}


async def build() -> dict[str, Any]:
    await ensure_default_questions()
    alfa = await make_cooperative(name="Cooperativa Alfa", province="MI")
    beta = await make_cooperative(name="Cooperativa Beta", province="BG")
    gamma = await make_cooperative(name="Cooperativa Gamma", province="PV")
    await CooperativeHeadcount.insert(CooperativeHeadcount(cooperative=alfa.id, year=2025, total=10, women=6, men=4),
                                      CooperativeHeadcount(cooperative=beta.id, year=2025, total=4, women=2, men=2),
                                      CooperativeHeadcount(cooperative=gamma.id, year=2024, total=9, women=5, men=4))
    admin = await make_person("admin", full_name="Ufficio Formazione")
    coordinator = await make_person("coordinator", cooperative=alfa, full_name="Carla Coordinatrice")
    a = [await make_person(cooperative=alfa, area="anziani", full_name=f"Alfa Persona {n + 1}") for n in range(5)]
    b1 = await make_person(cooperative=beta, area="disabili", full_name="Beta Persona Uno")
    g1 = await make_person(cooperative=gamma, area="minori", full_name="Gamma Persona Uno")
    await ParticipantFundData.insert(ParticipantFundData(person=a[0].id, hourly_cost=Decimal("20.00")))

    marketing = await make_path(PathKind.MARKETING.value)
    other = await make_path(PathKind.OTHER.value)
    k1 = await make_course(marketing, title="Marketing sociale di base")
    s1 = await make_session(k1, rome(date(2025, 3, 10), 9), 240)
    s2 = await make_session(k1, rome(date(2025, 3, 17), 9), 180)
    s3 = await make_session(k1, rome(date(2025, 3, 24), 9), 120, status="cancelled")
    e = {person.id: await make_enrolment(person, k1) for person in (a[0], a[1], a[2], b1)}
    for person, first, second in ((a[0], 240, 180), (a[1], 240, 0), (a[2], 0, 0), (b1, 200, 180)):
        await attend(s1, e[person.id], first)
        await attend(s2, e[person.id], second)
    await attend(s3, e[a[0].id], 100)
    left = await make_enrolment(a[3], k1, status=EnrolmentStatus.CANCELLED.value, cancelled_at=rome(date(2025, 3, 12), 9))
    await attend(s1, left, 240)

    k2 = await make_course(other, title="Sicurezza: formazione generale", safety_course_type="lavoratori_generale")
    s4 = await make_session(k2, datetime(2025, 10, 25, 23, 30, tzinfo=UTC), 180)
    await attend(s4, await make_enrolment(a[0], k2), 180)
    await attend(s4, await make_enrolment(g1, k2), 120)

    k4 = await make_course(marketing, title="A cavallo d'anno", status=CourseStatus.COMPLETED.value)
    s_new_year = await make_session(k4, rome(date(2025, 1, 1), 0, 30), 60)
    s_eve = await make_session(k4, rome(date(2024, 12, 31), 23), 60)
    e_k4 = await make_enrolment(a[1], k4)
    await attend(s_new_year, e_k4, 60)
    await attend(s_eve, e_k4, 60)

    k3 = await make_course(marketing, title="Bozza", status=CourseStatus.DRAFT.value)
    s_k3 = await make_session(k3, rome(date(2025, 5, 5), 9), 60)
    await attend(s_k3, await make_enrolment(a[0], k3), 60)

    await answer_survey(k1, [a[0], a[1], a[2], b1, a[4]], [rating_answers((v, 4, 4, 4, 4)) for v in (5, 4, 3, 5, 4)],
                        invited=[a[0], a[1], a[2], b1, a[4]], closes_at=rome(date(2025, 4, 1), 0))
    await answer_survey(k2, [a[0], g1], [rating_answers((1, 1, 1, 1, 1)), rating_answers((1, 1, 1, 1, 1))],
                        invited=[a[0], g1], closes_at=rome(date(2025, 11, 20), 0))
    return {"alfa": alfa, "beta": beta, "gamma": gamma, "admin": admin, "coordinator": coordinator, "a": a, "b1": b1,
            "g1": g1, "k1": k1, "k2": k2, "k3": k3, "k4": k4}
