"""The pathway's documents (text read back with pypdf), the courses attended during the pathway, the
monthly attendance sheet and the office's counts."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from tests.factories import make_course, make_enrolment, make_session
from tests.integration.attendance.attendance_setup import put_attendance
from tests.integration.inclusion.inclusion_setup import (
    ELIGIBILITY_LABEL,
    ELIGIBILITY_PROTOCOL,
    SECRETS,
    make_cast,
    make_pathway,
    today,
)
from tests.support import as_user, bearer, rome
from training_hub.inclusion.aggregates import count_rows, pathway_counts
from training_hub.inclusion.outcomes import CompetenceInput, OutcomeInput, add_competence, record_outcome


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


async def pathway_with_training(cast):
    """A pathway started 60 days ago; a course with one session 10 days ago (attended), one 5 days before
    the pathway (not counted) and one next week (not attended yet)."""
    pathway_id = await make_pathway(cast)
    course = await make_course(trainers=[cast.trainer], title="Sicurezza in laboratorio")
    held = await make_session(course, rome(today() - timedelta(days=10), 9), minutes=180)
    await make_session(course, rome(today() - timedelta(days=65), 9), minutes=120)
    await make_session(course, rome(today() + timedelta(days=7), 9), minutes=120)
    enrolment = await make_enrolment(cast.person, course)
    await put_attendance(held, enrolment, "present", 180)
    return pathway_id, course


async def test_the_record_shows_the_courses_attended_during_the_pathway_with_their_hours(client):
    cast = await make_cast()
    pathway_id, course = await pathway_with_training(cast)
    body = (await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=await bearer(cast.promoter))).json()
    assert body["courses"] == [{
        "course_id": course.id, "title": "Sicurezza in laboratorio",
        "first_day": (today() - timedelta(days=10)).isoformat(), "last_day": (today() - timedelta(days=10)).isoformat(),
        "sessions": 1, "scheduled_minutes": 180, "attended_minutes": 180,
    }]


async def test_the_personal_project_has_the_objectives_and_the_signature_boxes_and_no_eligibility(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    response = await client.get(f"/inclusion-pathways/{pathway_id}/project.pdf", headers=await bearer(cast.person))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "private, no-store"
    assert f'filename="progetto-personalizzato-{pathway_id}.pdf"' in response.headers["content-disposition"]
    text = pdf_text(response.content)
    for expected in ("Progetto personalizzato", "Ilaria Moretti", "Tirocinio di inclusione", "Cooperativa Ospitante",
                     "Rispettare gli orari del laboratorio", "9 giornate puntuali su 10", "La persona",
                     "Il tutor del soggetto promotore", "Sara Ricci", "Il tutor del soggetto ospitante", "Paolo Sala",
                     "Per la cooperativa ospitante", "Data e firma", "euro 350,50", "Pagina 1 di"):
        assert expected in text, expected
    for secret in SECRETS:
        assert secret not in text


async def test_the_individual_record_is_the_one_document_with_the_eligibility(client):
    cast = await make_cast()
    pathway_id, _ = await pathway_with_training(cast)
    response = await client.get(f"/inclusion-pathways/{pathway_id}/record.pdf", headers=await bearer(cast.host_tutor))
    text = pdf_text(response.content)
    for expected in ("Scheda individuale", "Documento riservato", ELIGIBILITY_LABEL, ELIGIBILITY_PROTOCOL,
                     "Sicurezza in laboratorio", "Nessuna verifica registrata."):
        assert expected in text, expected


async def test_the_final_statement_lists_competences_with_evidence_courses_and_outcome(client):
    cast = await make_cast()
    pathway_id, course = await pathway_with_training(cast)
    tutor = as_user(cast.promoter)
    await add_competence(tutor, pathway_id, CompetenceInput("Uso sicuro del trapano a colonna", "corso", course.id,
                                                            "Prova finale del corso", today() - timedelta(days=9)))
    await add_competence(tutor, pathway_id, CompetenceInput("Lavoro in squadra", "osservazione", None,
                                                            "Osservato per un mese", today()))
    await record_outcome(tutor, pathway_id, OutcomeInput("interrotto", today(), "Motivo personale riservato"))
    response = await client.get(f"/inclusion-pathways/{pathway_id}/competences.pdf", headers=await bearer(cast.person))
    text = pdf_text(response.content)
    for expected in ("Attestazione finale delle competenze", "Uso sicuro del trapano a colonna",
                     "Corso frequentato: Sicurezza in laboratorio", "Lavoro in squadra", "Osservazione sul lavoro",
                     "Interrotto", "Sicurezza in laboratorio"):
        assert expected in text, expected
    assert "Motivo personale riservato" not in text
    for secret in SECRETS:
        assert secret not in text


async def test_the_monthly_attendance_sheet_lists_the_months_sessions_within_the_pathway(client):
    cast = await make_cast()
    pathway_id, _ = await pathway_with_training(cast)
    month = (today() - timedelta(days=10)).strftime("%Y-%m")
    response = await client.get(f"/inclusion-pathways/{pathway_id}/attendance-sheet.pdf?month={month}",
                                headers=await bearer(cast.host_tutor))
    assert response.status_code == 200
    assert f"foglio-presenze-{pathway_id}-{month}.pdf" in response.headers["content-disposition"]
    text = pdf_text(response.content)
    assert "Foglio presenze mensile" in text and "novembre 2026" in text
    assert (today() - timedelta(days=10)).strftime("%d/%m/%Y") in text
    assert "Presente" in text and "Totale: 3 ore frequentate" in text
    assert (today() - timedelta(days=65)).strftime("%d/%m/%Y") not in text  # before the pathway started
    bad = await client.get(f"/inclusion-pathways/{pathway_id}/attendance-sheet.pdf?month=novembre",
                           headers=await bearer(cast.host_tutor))
    assert bad.status_code == 422


async def test_counts_merge_groups_under_five_and_hide_a_small_total():
    rows = ([{"pathway_type": "tirocinio_inclusione", "outcome": None, "province": "MI"}] * 6
            + [{"pathway_type": "dote", "outcome": "assunzione", "province": "BG"}] * 2)
    counts = count_rows(rows, 2026)
    assert counts.total == 8
    # Two "dote" alone would be told apart by subtracting from the total: the six go with them.
    assert [(line.key, line.count) for line in counts.by_type] == [("altri", 8)]
    assert [(line.key, line.count) for line in counts.by_province] == [("altri", 8)]
    assert all(line.count >= 5 for line in counts.by_type + counts.by_outcome + counts.by_province)
    assert count_rows(rows[:4], 2026).total is None


async def test_the_office_counts_pathways_only_in_groups_of_five(client):
    cast = await make_cast()
    for _ in range(4):
        await make_pathway(cast)
    headers = await bearer(cast.admin)
    few = (await client.get("/api/inclusion-pathways/counts", headers=headers)).json()
    assert few == {"year": None, "total": None, "by_type": [], "by_outcome": [], "by_province": []}
    await make_pathway(cast)
    await make_pathway(cast, pathway_type="dote")
    counts = (await client.get("/api/inclusion-pathways/counts?year=2026", headers=headers)).json()
    assert counts["total"] == 6
    assert counts["by_type"] == [{"key": "altri", "label": "Altri (gruppi con meno di 5 percorsi, accorpati)",
                                  "count": 6}]
    assert counts["by_province"] == [{"key": "BG", "label": "Bergamo", "count": 6}]
    assert (await pathway_counts(as_user(cast.admin), 2020)).total is None
    for role in ("promoter", "host_coordinator", "person"):
        assert (await client.get("/api/inclusion-pathways/counts", headers=await bearer(cast.role(role)))).status_code == 403
    page = await client.get("/admin/inclusion-pathways/counts?year=2026", headers=headers)
    assert page.status_code == 200 and "Bergamo" in page.text
