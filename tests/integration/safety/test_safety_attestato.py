"""The attestato of a safety course (issue 15 item 4, ASR 2025 Parte I p. 6): only who reached 90% AND
passed the test gets one (89% and passed: none; 95% and failed: none; 90% and passed: one); it carries
every element the Accordo lists; other courses keep the "Attestato di frequenza"."""

import io
from datetime import date

from pypdf import PdfReader

from tests.factories import make_course, make_enrolment, make_person, make_session
from tests.integration.safety.safety_setup import ended_safety_course
from tests.support import bearer, login, rome
from training_hub.core.settings import get_settings


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def test_only_90_percent_and_a_passed_test_get_the_attestato(client, admin):
    setup = await ended_safety_course()
    headers = await bearer(admin)
    outcomes = {}
    for name, enrolment in setup.enrolments.items():
        response = await client.get(f"/enrolments/{enrolment.id}/certificate.pdf", headers=headers)
        outcomes[name] = response.status_code
        if response.status_code == 403:
            outcomes[name] = response.json()["detail"]
    assert outcomes["Giulia Rossi"] == 200
    assert outcomes["Paolo Conti"] == 200  # exactly 90% and passed
    assert outcomes["Sara Ferri"].startswith("Frequenza all'88,9%: mancano")  # 89% with a passed test
    assert outcomes["Luca Bianchi"] == (  # 95% with a failed test
        "Il test finale di apprendimento non risulta superato: l'attestato si rilascia a chi raggiunge la "
        "frequenza minima e supera il test.")


async def test_the_attestato_carries_every_element_of_the_accordo(client, admin, monkeypatch):
    monkeypatch.setenv("TRAINING_HUB_SIGNATORY_NAME", "Maria Colombo")
    monkeypatch.setenv("TRAINING_HUB_SIGNATORY_ROLE", "Legale rappresentante")
    monkeypatch.setenv("TRAINING_HUB_TRAINING_BODY_TAX_CODE", "12345678903")
    get_settings.cache_clear()
    try:
        setup = await ended_safety_course()
        response = await client.get(f"/enrolments/{setup.enrolments['Paolo Conti'].id}/certificate.pdf",
                                    headers=await bearer(admin))
    finally:
        get_settings.cache_clear()
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attestato-sicurezza-" in response.headers["content-disposition"]
    text = " ".join(_text(response.content).split())
    for element in (
        "Attestato di frequenza con verifica dell'apprendimento",
        # 1. the training body
        "Soggetto formatore Consorzio Sociale Light, Via Tolmezzo, 3 · 20100 Milano - C.F. 12345678903",
        # 2. name, surname, codice fiscale, place and date of birth (from the codice fiscale)
        "Nome Paolo", "Cognome Conti", "Codice fiscale CNTPLA82E09B157V", "Luogo e data di nascita Brescia (BS), 09/05/1982",
        # 3. course type, legal reference, duration
        "Formazione specifica dei lavoratori — rischio medio",
        "D.Lgs. 81/2008, art. 37 c. 1 lett. b) e c. 3; Accordo Stato-Regioni 17/04/2025 (Rep. Atti n. 59/CSR), Parte II, punto 2.1",
        "Durata 8 ore (minimo previsto 8 ore)", "Frequenza 7,2 ore (90%, minimo richiesto 90%)",
        # 4. delivery mode; 5. dates and place
        "Modalità di svolgimento in presenza", "Date di svolgimento dal 10/11/2026 al 17/11/2026",
        "Aula Ticino", "Verifica dell'apprendimento test finale superato",
        # 6. signatory, dated at the course's end
        "Milano, 17/11/2026", "Legale rappresentante", "Maria Colombo",
    ):
        assert element in text, element


async def test_a_birth_place_abroad_and_no_codice_fiscale(client, admin):
    setup = await ended_safety_course()
    from training_hub.core.tables import Person
    await Person.update({Person.codice_fiscale: None}).where(Person.id == setup.people["Giulia Rossi"].id)
    response = await client.get(f"/enrolments/{setup.enrolments['Giulia Rossi'].id}/certificate.pdf",
                                headers=await bearer(admin))
    text = " ".join(_text(response.content).split())
    assert "Codice fiscale non indicato" in text and "Luogo e data di nascita non indicato, non indicato" in text


async def test_other_courses_keep_the_attestato_di_frequenza(client, admin):
    trainer = await make_person("trainer")
    course = await make_course(trainers=[trainer], status="completed", title="Comunicare con le famiglie")
    session = await make_session(course, rome(date(2026, 11, 10), 9), 120)
    person = await make_person("worker", full_name="Anna Verdi")
    enrolment = await make_enrolment(person, course)
    from training_hub.core.tables import Attendance
    await Attendance.insert(Attendance(session=session.id, enrolment=enrolment.id, status="present", minutes=120))
    response = await client.get(f"/enrolments/{enrolment.id}/certificate.pdf", headers=await bearer(admin))
    assert response.status_code == 200
    text = _text(response.content)
    assert "Attestato di frequenza" in text and "verifica dell'apprendimento" not in text


async def test_the_participant_downloads_their_own_and_the_verify_page_refuses_a_failed_test(client):
    setup = await ended_safety_course()
    own = await client.get(f"/enrolments/{setup.enrolments['Giulia Rossi'].id}/certificate.pdf",
                           headers=await bearer(setup.people["Giulia Rossi"]))
    assert own.status_code == 200
    other = await client.get(f"/enrolments/{setup.enrolments['Paolo Conti'].id}/certificate.pdf",
                             headers=await bearer(setup.people["Giulia Rossi"]))
    assert other.status_code == 404
    # A failed test in a browser: the page says why.
    await login(client, setup.people["Luca Bianchi"].email)
    page = await client.get(f"/enrolments/{setup.enrolments['Luca Bianchi'].id}/certificate.pdf")
    assert page.status_code == 403 and "test finale di apprendimento non risulta superato" in page.text


async def test_the_attendance_summary_offers_the_attestato_only_with_the_test_passed(client):
    """95% attendance with a failed test: no "Attestato disponibile", as the certificate itself says."""
    setup = await ended_safety_course()
    rows = (await client.get(f"/api/courses/{setup.course.id}/attendance", headers=await bearer(setup.trainer))).json()
    eligible = {row["full_name"]: (row["percent"], row["certificate_eligible"]) for row in rows}
    assert eligible["Luca Bianchi"] == (95.0, False)  # present enough, test failed
    assert eligible["Giulia Rossi"] == (100.0, True)
