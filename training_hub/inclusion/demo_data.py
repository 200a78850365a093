"""Demo inclusion pathways: the demo tutor follows two people at different stages.

* one **in progress**: a tirocinio di inclusione started four months ago, a first review held, the next
  one due in five days;
* one **concluded**: an extracurricular traineeship of twelve months that ended two months ago, with two
  reviews, the competences acquired and the outcome (hired).

Called by the demo loader once the people, the cooperatives and the tutor links exist; it reads them
and imports only ``core`` and this feature. Every document reference is invented.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.tables import Person
from training_hub.inclusion.rules import (
    EvidenceKind,
    ObjectiveLevel,
    Outcome,
    PathwayType,
    last_day_within,
    months_later_or_next,
)
from training_hub.inclusion.tables import (
    InclusionPathway,
    PathwayCompetence,
    PathwayObjective,
    PathwayReview,
    ReviewObjectiveOutcome,
)

DEMO_TUTOR = "tutor@demo.test"
HOST_TUTOR_EMAIL = "tutor.ospitante@cooperative.demo.test"
HOST_COOPERATIVE = "Naviglio Cooperativa Sociale"


async def _host_tutor(cooperative_id: int | None) -> int:
    existing = await fetch_one("SELECT id FROM person WHERE email = {}", HOST_TUTOR_EMAIL)
    if existing:
        return existing["id"]
    person = Person(full_name="Paolo Sala", email=HOST_TUTOR_EMAIL, roles="tutor", cooperative=cooperative_id)
    await person.save()
    return person.id


async def _objectives(pathway_id: int, items: list[tuple[str, str]]) -> list[int]:
    rows = await PathwayObjective.insert(*[
        PathwayObjective(pathway=pathway_id, position=position, description=description, indicator=indicator)
        for position, (description, indicator) in enumerate(items, start=1)
    ])
    return [row["id"] for row in rows]


async def _review(pathway_id: int, tutor_id: int, held_on: date, next_on: date | None, participants: str,
                  levels: list[tuple[int, str, str]], notes: str = "") -> None:
    inserted = await PathwayReview.insert(PathwayReview(
        pathway=pathway_id, held_on=held_on, participants=participants, notes=notes, next_review_on=next_on,
        recorded_by=tutor_id))
    await ReviewObjectiveOutcome.insert(*[
        ReviewObjectiveOutcome(review=inserted[0]["id"], objective=objective, level=level, comment=comment)
        for objective, level, comment in levels
    ])


async def load_inclusion_demo(today: date) -> dict[str, Any]:
    """Two pathways for the first two people the demo tutor follows; nothing when there is no such tutor."""
    tutor = await fetch_one("SELECT id FROM person WHERE email = {}", DEMO_TUTOR)
    if tutor is None:
        return {"pathways": 0}
    followed = await fetch_all(
        "SELECT p.id FROM tutor_link t JOIN person p ON p.id = t.person WHERE t.tutor = {} ORDER BY p.id", tutor["id"])
    if len(followed) < 2:
        return {"pathways": 0}
    host = await fetch_one("SELECT id FROM cooperative WHERE name = {}", HOST_COOPERATIVE) or await fetch_one(
        "SELECT id FROM cooperative ORDER BY id LIMIT 1")
    host_id = host["id"] if host else None
    host_tutor = await _host_tutor(host_id)
    tutor_id = tutor["id"]

    # In progress: started four months ago, next review in five days.
    start = months_later_or_next(today, -4)
    running = (await InclusionPathway.insert(InclusionPathway(
        person=followed[0]["id"], pathway_type=PathwayType.TIROCINIO_INCLUSIONE.value,
        referring_service="Comune di Milano – Servizio inserimenti lavorativi", host_cooperative=host_id,
        host_site="Laboratorio di assemblaggio, via Lombardia 12, Milano", promoter_tutor=tutor_id,
        host_tutor=host_tutor, eligibility_category="invalidi_fisici",
        eligibility_body="INPS – Commissione medica di verifica (documento di esempio)",
        eligibility_protocol="DEMO-2026-00417", eligibility_date=start - timedelta(days=40), weekly_hours=20,
        starts_on=start, ends_on=last_day_within(start, 12), allowance_cents=350_00,
        next_review_on=today + timedelta(days=5), created_by=tutor_id,
    )))[0]["id"]
    goals = await _objectives(running, [
        ("Rispettare orari e pause del laboratorio", "Presenza puntuale in almeno 9 giornate su 10"),
        ("Eseguire in autonomia le fasi di assemblaggio", "Nessun intervento del tutor per 2 settimane"),
        ("Usare i dispositivi di protezione", "Uso corretto osservato in ogni verifica"),
    ])
    await _review(running, tutor_id, start + timedelta(days=45), today + timedelta(days=5),
                  "Sara Ricci (tutor promotore), Paolo Sala (tutor ospitante), la persona",
                  [(goals[0], ObjectiveLevel.REACHED.value, "Sempre puntuale"),
                   (goals[1], ObjectiveLevel.PARTLY.value, "Autonomo nelle prime due fasi"),
                   (goals[2], ObjectiveLevel.REACHED.value, "")])

    # Concluded: twelve months of extracurricular traineeship, ended two months ago, hired.
    start = months_later_or_next(today, -14)
    end = last_day_within(start, 12)
    concluded = (await InclusionPathway.insert(InclusionPathway(
        person=followed[1]["id"], pathway_type=PathwayType.TIROCINIO_EXTRACURRICOLARE.value,
        referring_service="ATS Città Metropolitana – servizio territoriale", host_cooperative=host_id,
        host_site="Servizio di manutenzione del verde", promoter_tutor=tutor_id, host_tutor=host_tutor,
        eligibility_category="trattamento_psichiatrico",
        eligibility_body="Azienda socio-sanitaria territoriale (documento di esempio)",
        eligibility_protocol="DEMO-2025-01388", eligibility_date=start - timedelta(days=30), weekly_hours=25,
        starts_on=start, ends_on=end, allowance_cents=500_00, next_review_on=None,
        outcome=Outcome.HIRED.value, outcome_on=end, created_by=tutor_id,
    )))[0]["id"]
    goals = await _objectives(concluded, [
        ("Usare in sicurezza gli attrezzi da giardinaggio", "Uso corretto e autonomo osservato dal tutor"),
        ("Lavorare in squadra", "Partecipazione alle riunioni di squadra e compiti condivisi portati a termine"),
    ])
    middle = start + timedelta(days=180)
    await _review(concluded, tutor_id, middle, end - timedelta(days=10), "Sara Ricci, Paolo Sala, la persona",
                  [(goals[0], ObjectiveLevel.PARTLY.value, ""), (goals[1], ObjectiveLevel.REACHED.value, "")])
    await _review(concluded, tutor_id, end - timedelta(days=10), None, "Sara Ricci, Paolo Sala, la persona",
                  [(goals[0], ObjectiveLevel.REACHED.value, ""), (goals[1], ObjectiveLevel.REACHED.value, "")],
                  notes="Verifica finale: proposta di assunzione dalla cooperativa ospitante.")
    await PathwayCompetence.insert(
        PathwayCompetence(pathway=concluded, description="Manutenzione ordinaria di aiuole e siepi",
                          evidence_kind=EvidenceKind.OBSERVATION.value,
                          evidence_note="Osservata dal tutor ospitante per tre mesi", acquired_on=middle,
                          recorded_by=tutor_id),
        PathwayCompetence(pathway=concluded, description="Uso sicuro del decespugliatore",
                          evidence_kind=EvidenceKind.ASSESSMENT.value,
                          evidence_note="Prova pratica superata", acquired_on=end - timedelta(days=20),
                          recorded_by=tutor_id),
    )
    return {"pathways": 2}
