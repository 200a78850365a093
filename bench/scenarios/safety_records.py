"""A person's safety record (issue 16): the record page as the office opens it, and the API list of
attestati obtained elsewhere, for one worker with 3 roles and 30 attestati (the page reads the person,
the roles and the attestati in three statements, never the scans)."""

from __future__ import annotations

from datetime import date

from bench.framework import BenchContext, Probe
from training_hub.core.tables import Person
from training_hub.safety.tables import ExternalTraining, SafetyRole

ATTESTATI = 30


async def probes(ctx: BenchContext) -> list[Probe]:
    person = await Person.select(Person.id).where(Person.email == "worker@demo.test").first()
    person_id = person["id"]
    await SafetyRole.delete().where(SafetyRole.person == person_id)
    await ExternalTraining.delete().where(ExternalTraining.person == person_id)
    await SafetyRole.insert(
        SafetyRole(person=person_id, role="worker", since=date(2019, 9, 1)),
        SafetyRole(person=person_id, role="preposto", since=date(2025, 3, 1)),
        SafetyRole(person=person_id, role="antincendio", level="2", since=date(2021, 5, 3)),
    )
    await ExternalTraining.insert(*[
        ExternalTraining(person=person_id, course_type="antincendio_aggiornamento_2",
                         completed_on=date(1995 + n, 1 + n % 12, 10), minutes=300, provider="Ente di prova",
                         certificate_number=f"B-{n}", scan=b"%PDF-1.4 " + b"0" * 200_000, scan_filename="scan.pdf")
        for n in range(ATTESTATI)
    ])
    cookie = await ctx.session_cookie("admin@demo.test")
    bearer = await ctx.bearer("admin@demo.test")
    return [
        Probe(name=f"safety record page (office; 3 roles, {ATTESTATI} attestati)",
              path=f"/people/{person_id}/safety-record", headers=cookie),
        Probe(name=f"external training list (API, {ATTESTATI} attestati)",
              path=f"/api/people/{person_id}/external-training", headers=bearer),
    ]
