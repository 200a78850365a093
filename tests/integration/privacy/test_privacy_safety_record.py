"""The safety record in the GDPR rights (issue 16): the export holds the roles and the attestati
obtained elsewhere (the scan's file name, never its bytes); the erasure removes the roles, keeps the
attestati for 10 years from each course's end (and with them the name and codice fiscale), and removes
those older."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from tests.factories import make_cooperative, make_person
from tests.integration.safety.test_safety_records import make_pdf
from tests.support import bearer
from training_hub.core.tables import Person
from training_hub.safety.tables import ExternalTraining, SafetyRole


async def _person_with_a_safety_record(*, completed_on: date):
    cooperative = await make_cooperative()
    person = await make_person(cooperative=cooperative, full_name="Marta Galli", codice_fiscale="RSSLCU90A01F205P")
    await SafetyRole.insert(SafetyRole(person=person.id, role="antincendio", level="2", since=date(2024, 2, 1)),
                            SafetyRole(person=person.id, role="worker", since=date(2019, 9, 1)))
    await ExternalTraining.insert(ExternalTraining(
        person=person.id, course_type="antincendio_2", completed_on=completed_on, minutes=480,
        provider="Vigili del fuoco", certificate_number="VVF-9", scan=make_pdf(), scan_filename="vvf.pdf"))
    return person


async def test_the_export_holds_roles_and_attestati_without_the_scan(client):
    person = await _person_with_a_safety_record(completed_on=date(2024, 3, 12))
    admin = await make_person("admin")
    response = await client.get(f"/api/people/{person.id}/export", headers=await bearer(admin))
    data = response.json()
    assert data["safety_roles"] == [{"role": "worker", "level": None, "since": "2019-09-01"},
                                    {"role": "antincendio", "level": "2", "since": "2024-02-01"}]
    assert data["external_trainings"] == [{"course_type": "antincendio_2", "completed_on": "2024-03-12", "hours": 8.0,
                                           "provider": "Vigili del fuoco", "certificate_number": "VVF-9",
                                           "scan_filename": "vvf.pdf"}]
    assert "%PDF" not in response.text and "JVBER" not in response.text  # neither bytes nor base64
    pdf = await client.get(f"/people/{person.id}/data.pdf", headers=await bearer(admin))
    assert pdf.status_code == 200
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Addetto antincendio (livello 2) — dal 01/02/2024" in text
    assert "12/03/2024 — Addetti antincendio — livello 2, 8 h (Vigili del fuoco, VVF-9, vvf.pdf)" in text


async def test_erasure_keeps_recent_attestati_with_the_name_and_drops_the_roles(client):
    person = await _person_with_a_safety_record(completed_on=date(2024, 3, 12))
    admin = await make_person("admin")
    report = (await client.post(f"/api/people/{person.id}/erase", headers=await bearer(admin))).json()
    assert report["kept"] == [{"what": "nome e codice fiscale, attestati sulla sicurezza ottenuti altrove e le loro "
                                       "scansioni", "course_id": None, "until": "2034-03-12",
                               "why": report["kept"][0]["why"]}]
    assert "Accordo Stato-Regioni" in report["kept"][0]["why"]
    assert "ruoli per la sicurezza" in report["erased"] and "nome e codice fiscale" not in report["erased"]
    assert await SafetyRole.count().where(SafetyRole.person == person.id) == 0
    assert await ExternalTraining.count().where(ExternalTraining.person == person.id) == 1
    stored = await Person.select(Person.full_name, Person.codice_fiscale).where(Person.id == person.id).first()
    assert stored == {"full_name": "Marta Galli", "codice_fiscale": "RSSLCU90A01F205P"}


async def test_erasure_drops_attestati_older_than_ten_years_and_the_name_with_them(client):
    person = await _person_with_a_safety_record(completed_on=date(2016, 11, 24))  # kept until 24/11/2026
    admin = await make_person("admin")
    report = (await client.post(f"/api/people/{person.id}/erase", headers=await bearer(admin))).json()
    assert report["kept"] == []
    assert report["erased"][0] == "nome e codice fiscale" and "attestati sulla sicurezza ottenuti altrove" in report["erased"]
    assert await ExternalTraining.count() == 0 and await SafetyRole.count() == 0
    stored = await Person.select(Person.full_name, Person.codice_fiscale).where(Person.id == person.id).first()
    assert stored["codice_fiscale"] is None
