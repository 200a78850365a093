"""The demo's safety courses (issue 15 item 7): a new user sees every case of the attestato."""

import io
import zipfile

from pypdf import PdfReader

from tests.support import bearer, login
from training_hub.core.tables import Course, Enrolment, Person
from training_hub.demo import load_demo_data


async def _course(title):
    return await Course.select(Course.id, Course.safety_course_type, Course.status).where(Course.title == title).first()


async def test_demo_shows_passed_failed_and_under_90(client):
    await load_demo_data()
    specific = await _course("Formazione specifica rischio medio")
    refresher = await _course("Preposti — aggiornamento")
    assert specific["safety_course_type"] == "lavoratori_specifica_medio"
    assert refresher["safety_course_type"] == "preposto_aggiornamento"
    trainer = await Person.select(Person.id).where(Person.email == "trainer@demo.test").first()
    await login(client, "trainer@demo.test")
    page = await client.get(f"/courses/{specific['id']}/attestati")
    assert page.status_code == 200
    assert "Attestati da rilasciare: 3." in page.text and "non superato" in page.text and "sotto il 90%" in page.text
    refresher_page = await client.get(f"/courses/{refresher['id']}/attestati")
    assert "Attestati da rilasciare: 3." in refresher_page.text and "sotto il 90%" in refresher_page.text
    dossier = await client.get(f"/courses/{specific['id']}/dossier.zip", headers=await bearer(trainer["id"]))
    archive = zipfile.ZipFile(io.BytesIO(dossier.content))
    assert len([n for n in archive.namelist() if n.startswith("attestati/")]) == 3
    name = "Chiara Fontana"
    person = await Person.select(Person.id, Person.codice_fiscale).where(Person.full_name == name).first()
    row = await Enrolment.select(Enrolment.id).where((Enrolment.person == person["id"]) & (Enrolment.course == specific["id"])).first()
    pdf = await client.get(f"/enrolments/{row['id']}/certificate.pdf", headers=await bearer(person["id"]))
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "Attestato di frequenza con verifica dell'apprendimento" in text
    assert f"Codice fiscale {person['codice_fiscale']}" in text and "Milano (MI), 12/04/1989" in text
