"""Benchmark data for the refresh tracker (scadenzario): safety roles, attestati and risk classes.

A section of ``bench/generate.py`` (appended to ``SECTIONS``). Every cooperative gets a risk class and
this year's headcount; every bench worker holds the worker role, a third of them are also fire wardens
(level 1 or 2), one in six first aiders (group B/C) and one in twelve preposti. Their attestati are
external ones (general, specific course of their cooperative's class, the role courses), dated across
the last eight years so that every status appears (valid, due soon, overdue, and some missing). Forty
of the core's future published courses become safety refresher editions, so rows link a next edition.
Default scale: 20,000 people, about 32,000 roles and 48,000 attestati.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from training_hub.core.db import fetch_all, is_sqlite
from training_hub.core.tables import Cooperative, CooperativeHeadcount, Course
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.safety.tables import ExternalTraining, SafetyRole

RISK_CLASSES = ("basso", "medio", "alto")
REFRESHER_EDITIONS = ("lavoratori_aggiornamento", "antincendio_aggiornamento_1", "antincendio_aggiornamento_2",
                      "primo_soccorso_aggiornamento_bc", "preposto_aggiornamento", "lavoratori_specifica_medio")


async def generate_safety_data(scale: Any, data: dict[str, Any], rng: random.Random) -> None:
    from bench.generate import bulk_insert

    today = to_rome(utcnow()).date()
    risk_of: dict[int, str] = {}
    for n, cooperative_id in enumerate(data["cooperative_ids"]):
        risk_of[cooperative_id] = "medio" if n % 3 else RISK_CLASSES[n % 9 // 3]
        await Cooperative.update({Cooperative.risk_class: risk_of[cooperative_id]}).where(
            Cooperative.id == cooperative_id)
    await bulk_insert([CooperativeHeadcount(cooperative=cid, year=today.year, total=rng.choice((12, 30, 48, 400)))
                       for cid in data["cooperative_ids"]])
    cooperative_of = {row["id"]: row["cooperative"] for row in await fetch_all(
        "SELECT id, cooperative FROM person WHERE cooperative IS NOT NULL")}
    since = date(2018, 1, 1)

    def ended(years_back: float) -> date:
        return today - timedelta(days=int(365 * years_back * rng.random()) + 1)

    roles, trainings = [], []
    for n, person_id in enumerate(data["worker_ids"] + [data["people"]["worker@demo.test"]]):
        risk = risk_of.get(cooperative_of.get(person_id, 0), "medio")
        roles.append(SafetyRole(person=person_id, role="worker", since=since))
        if n % 20:  # one in twenty has no specific course yet
            trainings.append(ExternalTraining(person=person_id, course_type="lavoratori_generale",
                                              completed_on=ended(8) - timedelta(days=400), minutes=240))
            trainings.append(ExternalTraining(person=person_id, course_type=f"lavoratori_specifica_{risk}",
                                              completed_on=ended(7), minutes=480))
        if n % 3 == 0:
            level = "1" if n % 2 else "2"
            roles.append(SafetyRole(person=person_id, role="antincendio", level=level, since=since))
            trainings.append(ExternalTraining(person=person_id, course_type=f"antincendio_{level}",
                                              completed_on=ended(6), minutes=480))
        if n % 6 == 1:
            roles.append(SafetyRole(person=person_id, role="primo_soccorso", level="bc", since=since))
            trainings.append(ExternalTraining(person=person_id, course_type="primo_soccorso_bc",
                                              completed_on=ended(4), minutes=720))
        if n % 12 == 5:
            roles.append(SafetyRole(person=person_id, role="preposto", since=since))
            trainings.append(ExternalTraining(person=person_id, course_type="preposto", completed_on=ended(3),
                                              minutes=720))
    await bulk_insert(roles)
    await bulk_insert(trainings)
    future = [row["id"] for row in await Course.select(Course.id).where(Course.starts_at > utcnow())
              .order_by(Course.starts_at).limit(len(REFRESHER_EDITIONS) * 7)]
    for n, course_id in enumerate(future):
        await Course.update({Course.safety_course_type: REFRESHER_EDITIONS[n % len(REFRESHER_EDITIONS)],
                             Course.attendance_threshold: 90}).where(Course.id == course_id)
    data["safety_roles"] = len(roles)
    data["safety_trainings"] = len(trainings)
    if not is_sqlite():
        await fetch_all("ANALYZE")
