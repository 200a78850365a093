"""Register (PDF, CSV, XLSX), certificate (PDF) and the public certificate check."""

import csv
import io
import re
from datetime import datetime, time, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import make_cooperative, make_course, make_path, make_person
from tests.integration.attendance.attendance_setup import course_setup, past_start, put_attendance
from tests.support import bearer, login
from training_hub.core.tables import AccessibilityNeeds, Course, Enrolment, Person, Session, TrainingPath
from training_hub.core.timeutil import utcnow


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


async def _register_course(participants: int = 3, sessions: int = 2):
    setup = await course_setup(sessions=sessions, participants=participants, first_start=past_start(),
                               every=timedelta(days=1))
    await Person.update({Person.full_name: "Nicolò Làzzari", Person.codice_fiscale: "LZZNCL80A01F205X"}).where(
        Person.id == setup.people[0].id)
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=setup.people[0].id, step_free_access=True,
                                                       notes="Serve la rampa"))
    for session in setup.sessions:
        for index, enrolment in enumerate(setup.enrolments):
            if index == 1:
                await put_attendance(session, enrolment, "late", 75,
                                     arrived_at=session.starts_at + timedelta(minutes=45))
            elif index == 2:
                await put_attendance(session, enrolment, "excused", 0)
            else:
                await put_attendance(session, enrolment, "present", 120)
    return setup


async def test_register_pdf_has_a_page_per_session_with_names_minutes_and_page_numbers(client):
    setup = await _register_course()
    response = await client.get(f"/courses/{setup.course.id}/register.pdf", headers=await bearer(setup.trainer))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="registro-presenze-corso-{setup.course.id}.pdf"')
    assert "no-store" in response.headers["cache-control"]
    reader, text = pdf_text(response.content)
    total = len(reader.pages)
    assert total == 3  # two sessions and the summary
    for number in range(1, total + 1):
        assert f"Pagina {number} di {total}" in text
    for expected in ("Consorzio Sociale Light", "Via Tolmezzo, 3", "20100 Milano", setup.course.title,
                     "FON-2026-042", "Nicolò Làzzari", "LZZNCL80A01F205X", "Bruno Neri", "Carla Galli",
                     "Presente", "In ritardo", "Assente giustificato", "Firma del formatore",
                     "Firma del partecipante", "Marco Bianchi", "Argomento 1", "Argomento 2",
                     "Riepilogo della frequenza"):
        assert expected in text, expected
    first_page = reader.pages[0].extract_text()
    day = setup.sessions[0].starts_at
    assert re.search(r"\d{2}/\d{2}/\d{4}, \d{2}:\d{2} - \d{2}:\d{2} \(2 ore\)", first_page)
    assert "120" in first_page and "75" in first_page
    assert day.strftime("%Y") in first_page
    # Special-category data never reaches a register.
    assert "rampa" not in text and "Serve" not in text


async def test_register_of_a_large_course_continues_on_following_pages(client):
    setup = await course_setup(sessions=2, participants=30, first_start=past_start(), every=timedelta(days=1))
    response = await client.get(f"/courses/{setup.course.id}/register.pdf", headers=await bearer(setup.trainer))
    reader, text = pdf_text(response.content)
    assert len(reader.pages) >= 5  # each session over two pages, then the summary
    assert "(segue)" in text
    assert f"Pagina {len(reader.pages)} di {len(reader.pages)}" in text
    assert "Partecipante 29" in text and "Non rilevato" in text


async def test_register_csv_and_xlsx_hold_the_same_rows(client):
    setup = await _register_course()
    headers = await bearer(setup.trainer)
    csv_response = await client.get(f"/courses/{setup.course.id}/register.csv", headers=headers)
    xlsx_response = await client.get(f"/courses/{setup.course.id}/register.xlsx", headers=headers)
    assert csv_response.status_code == xlsx_response.status_code == 200
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv_response.headers["content-disposition"].endswith(f'registro-presenze-corso-{setup.course.id}.csv"')
    assert xlsx_response.headers["content-disposition"].endswith(f'registro-presenze-corso-{setup.course.id}.xlsx"')
    assert csv_response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    csv_rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    sheet = load_workbook(io.BytesIO(xlsx_response.content), read_only=True).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert csv_rows[0] == xlsx_rows[0]
    assert csv_rows[0][:3] == ["Corso", "Codice piano formativo", "Data"]
    assert len(csv_rows) == 1 + 2 * 3  # a header, then one row per participant and session
    def shown(value):  # as the spreadsheet formats it: DD/MM/YYYY and HH:MM
        if isinstance(value, datetime) and value.time() == time(0) and value.year > 1900:
            return value.strftime("%d/%m/%Y")
        if isinstance(value, datetime):  # a time alone comes back as 1899-12-30 hh:mm in some readers
            return value.strftime("%H:%M")
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return "" if value is None else str(value)

    as_text = [[shown(value) for value in row] for row in xlsx_rows]
    assert as_text == csv_rows
    # Issue 13.8: days and times are real dates and times in the spreadsheet, formatted as the office reads them.
    day, start = csv_rows[0].index("Data"), csv_rows[0].index("Entrata")
    assert all(isinstance(row[day], datetime) for row in xlsx_rows[1:])
    assert any(isinstance(row[start], (time, datetime)) for row in xlsx_rows[1:])
    styled = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert styled.cell(row=2, column=day + 1).number_format == "DD/MM/YYYY"
    assert styled.cell(row=2, column=csv_rows[0].index("Inizio") + 1).number_format == "HH:MM"
    minutes_column = csv_rows[0].index("Minuti")
    assert all(isinstance(row[minutes_column], int) for row in xlsx_rows[1:])  # numbers stay numbers
    lines = [dict(zip(csv_rows[0], row, strict=True)) for row in csv_rows[1:]]
    # Sorted by name within each session.
    assert [line["Partecipante"] for line in lines[:3]] == ["Bruno Neri", "Carla Galli", "Nicolò Làzzari"]
    present = lines[2]
    assert present["Stato"] == "Presente" and present["Minuti"] == "120" and present["N."] == "3"
    assert present["Codice fiscale"] == "LZZNCL80A01F205X"
    assert present["Codice piano formativo"] == "FON-2026-042" and present["Formatore"] == "Marco Bianchi"
    assert lines[1]["Stato"] == "Assente giustificato" and lines[1]["Minuti"] == "0"
    late = lines[0]
    assert late["Stato"] == "In ritardo" and late["Minuti"] == "75" and re.fullmatch(r"\d{2}:\d{2}", late["Entrata"])
    assert "rampa" not in csv_response.content.decode("utf-8-sig")


async def test_cancelled_sessions_are_not_in_the_register(client):
    setup = await _register_course()
    await Session.update({Session.status: "cancelled"}).where(Session.id == setup.sessions[1].id)
    response = await client.get(f"/courses/{setup.course.id}/register.csv", headers=await bearer(setup.trainer))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 3
    assert {row[6] for row in rows[1:]} == {"Argomento 1"}


async def test_only_the_course_trainers_and_admins_download_the_register(client):
    setup = await _register_course()
    url = f"/courses/{setup.course.id}/register"
    coordinator = await make_person("coordinator", cooperative=setup.cooperative)
    for person in (setup.people[0], await make_person("trainer"), coordinator):
        headers = await bearer(person)
        for extension in ("pdf", "csv", "xlsx"):
            response = await client.get(f"{url}.{extension}", headers=headers)
            assert response.status_code == 403, (person.roles, extension)
            assert "Nicol" not in response.text
    # Another cooperative's internal course: not even its existence is told.
    internal_path = await make_path(kind="internal_training", owner_cooperative=setup.cooperative.id)
    internal = await make_course(internal_path, trainers=[setup.trainer])
    outsider = await bearer(await make_person("coordinator", cooperative=await make_cooperative()))
    for hidden_url in (f"/courses/{internal.id}/register.pdf", f"/api/courses/{internal.id}/attendance"):
        assert (await client.get(hidden_url, headers=outsider)).status_code == 404
    admin = await bearer(await make_person("admin"))
    assert (await client.get(f"{url}.xlsx", headers=admin)).status_code == 200
    assert (await client.get("/courses/999999/register.pdf", headers=admin)).status_code == 404
    anonymous = await client.get(f"{url}.pdf")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next=")
    # With the session cookie, as from the course page.
    await login(client, setup.trainer.email)
    assert (await client.get(f"{url}.pdf")).status_code == 200


# Certificates ------------------------------------------------------------------------------------


async def _certificate_course(attended: list[int], minutes: int = 180, threshold: int = 70, days_ago: int = 30):
    """A finished course of len(attended) sessions; the first participant attended these minutes."""
    setup = await course_setup(sessions=len(attended), minutes=minutes, participants=1, threshold=threshold,
                               first_start=past_start(days_ago), every=timedelta(days=1))
    await Person.update({Person.codice_fiscale: "VRDNNA85M41F205Z"}).where(Person.id == setup.people[0].id)
    for session, value in zip(setup.sessions, attended, strict=True):
        status = "present" if value == minutes else ("absent" if value == 0 else "left_early")
        await put_attendance(session, setup.enrolments[0], status, value)
    return setup


async def test_certificate_pdf_for_an_eligible_participant(client):
    setup = await _certificate_course([180, 180, 180, 180, 0])  # 12 hours of 15: 80%
    enrolment = setup.enrolments[0]
    await login(client, setup.people[0].email)
    response = await client.get(f"/enrolments/{enrolment.id}/certificate.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="attestato-frequenza-{enrolment.id}.pdf"'
    reader, text = pdf_text(response.content)
    assert len(reader.pages) == 1
    code = (await Enrolment.select(Enrolment.certificate_code).where(Enrolment.id == enrolment.id).first())[
        "certificate_code"]
    assert code and re.fullmatch(r"[A-Z2-9]{10}", code)
    flat = " ".join(text.split())
    for expected in ("CONSORZIO SOCIALE LIGHT", "Via Tolmezzo, 3", "Attestato di frequenza", "Anna Verdi",
                     "VRDNNA85M41F205Z", setup.course.title, "12 ore su 15 ore", "80%", "70%",
                     "Il responsabile della formazione", f"Codice di verifica: {code}",
                     f"http://testserver.local/verify/{code}", "Pagina 1 di 1"):
        assert expected in flat, expected
    assert re.search(r"dal \d{2}/\d{2}/\d{4} al \d{2}/\d{2}/\d{4}", flat)
    assert reader.pages[0].images, "the QR code image is missing"

    # The code is made once: a second download carries the same one.
    again = await client.get(f"/enrolments/{enrolment.id}/certificate.pdf")
    assert f"Codice di verifica: {code}" in " ".join(pdf_text(again.content)[1].split())


async def test_certificate_of_an_inclusion_course_does_not_name_the_pathway(client):
    setup = await _certificate_course([180, 180, 180])
    course = await Course.select(Course.path).where(Course.id == setup.course.id).first()
    await TrainingPath.update({TrainingPath.kind: "inclusion", TrainingPath.title: "Inserimento lavorativo"}).where(
        TrainingPath.id == course["path"])
    await login(client, setup.people[0].email)
    response = await client.get(f"/enrolments/{setup.enrolments[0].id}/certificate.pdf")
    assert response.status_code == 200
    flat = " ".join(pdf_text(response.content)[1].split())
    assert setup.course.title in flat  # the course is named…
    assert "Inserimento lavorativo" not in flat and "inclusione" not in flat.lower()  # …the pathway is not


async def test_certificate_refused_below_threshold_says_how_far_it_is(client):
    # 10 sessions of two hours, 12.5 hours attended: 62.5%, 1 hour 30 short of 70%.
    setup = await _certificate_course([120] * 6 + [30, 0, 0, 0], minutes=120)
    enrolment = setup.enrolments[0]
    message = "Frequenza al 62,5%: mancano 1 ora e 30 minuti per raggiungere la soglia del 70%."
    await login(client, setup.people[0].email)
    page = await client.get(f"/enrolments/{enrolment.id}/certificate.pdf")
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert message in page.text
    api = await client.get(f"/enrolments/{enrolment.id}/certificate.pdf", headers=await bearer(setup.people[0]))
    assert api.status_code == 403
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["type"] == "urn:training-hub:problem:certificate-not-eligible"
    assert api.json()["detail"] == message
    assert (await Enrolment.select(Enrolment.certificate_code).where(Enrolment.id == enrolment.id).first())[
        "certificate_code"] is None
    client.cookies.set("lang", "en")
    english = await client.get(f"/enrolments/{enrolment.id}/certificate.pdf")
    assert "62.5%" in english.text and "62,5" not in english.text


async def test_certificate_waits_for_the_end_of_the_course(client):
    setup = await course_setup(sessions=2, participants=1, first_start=utcnow() - timedelta(days=1),
                               every=timedelta(days=3))
    await put_attendance(setup.sessions[0], setup.enrolments[0], "present", 120)
    await put_attendance(setup.sessions[1], setup.enrolments[0], "present", 120)  # recorded ahead by mistake
    response = await client.get(f"/enrolments/{setup.enrolments[0].id}/certificate.pdf",
                                headers=await bearer(setup.people[0]))
    assert response.status_code == 403
    assert "dopo l'ultimo incontro" in response.json()["detail"]


async def test_who_may_download_a_certificate(client):
    setup = await _certificate_course([180, 180])
    url = f"/enrolments/{setup.enrolments[0].id}/certificate.pdf"
    allowed = [setup.people[0], setup.trainer, await make_person("admin"),
               await make_person("coordinator", cooperative=setup.cooperative)]
    for person in allowed:
        assert (await client.get(url, headers=await bearer(person))).status_code == 200, person.roles
    refused = [await make_person("worker", cooperative=setup.cooperative),
               await make_person("coordinator", cooperative=await make_cooperative()),
               await make_person("trainer")]
    for person in refused:
        response = await client.get(url, headers=await bearer(person))
        assert response.status_code == 404, person.roles
    assert (await client.get("/enrolments/999999/certificate.pdf", headers=await bearer(allowed[2]))).status_code == 404


async def test_public_verification_page_shows_initials_course_and_hours_only(client, other_client):
    setup = await _certificate_course([180, 180, 180, 180, 0])
    assert (await client.get(f"/enrolments/{setup.enrolments[0].id}/certificate.pdf",
                             headers=await bearer(setup.people[0]))).status_code == 200
    code = (await Enrolment.select(Enrolment.certificate_code).first())["certificate_code"]
    page = await other_client.get(f"/verify/{code.lower()}")  # anyone, no login
    assert page.status_code == 200
    assert "Attestato valido" in page.text and "A. V." in page.text
    assert setup.course.title in page.text and "12 h su 15 h" in page.text
    for private in ("Anna", "Verdi", "VRDNNA85M41F205Z", setup.people[0].email, setup.cooperative.name):
        assert private not in page.text
    missing = await other_client.get("/verify/ZZZZZZZZZZ")
    assert missing.status_code == 404 and "Attestato non trovato" in missing.text


async def test_documents_stay_italian_for_an_english_speaking_trainer(client):
    setup = await _register_course()
    await login(client, setup.trainer.email)
    client.cookies.set("lang", "en")
    rows = (await client.get(f"/courses/{setup.course.id}/register.csv")).content.decode("utf-8-sig")
    assert "Presente" in rows and "Assente giustificato" in rows and "Present;" not in rows
    _reader, text = pdf_text((await client.get(f"/courses/{setup.course.id}/register.pdf")).content)
    assert "In ritardo" in text and "Late" not in text


# Names beyond Latin-1 ----------------------------------------------------------------------------

NAMES_BEYOND_LATIN_1 = ("Łukasz Nowak", "Nguyễn Thị Hà", "Zoë Ørsted")


async def test_names_beyond_latin_1_print_exactly_in_the_register_and_the_certificates(client):
    setup = await course_setup(sessions=2, participants=3, first_start=past_start(), every=timedelta(days=1),
                               title="Comunicare “bene” – Łódź")
    for person, name in zip(setup.people, NAMES_BEYOND_LATIN_1, strict=True):
        await Person.update({Person.full_name: name}).where(Person.id == person.id)
    for session in setup.sessions:
        for enrolment in setup.enrolments:
            await put_attendance(session, enrolment, "present", 120)

    register = await client.get(f"/courses/{setup.course.id}/register.pdf", headers=await bearer(setup.trainer))
    assert register.status_code == 200
    reader, text = pdf_text(register.content)
    for page in reader.pages:  # every session's page and the summary
        for name in NAMES_BEYOND_LATIN_1:
            assert name in page.extract_text(), name
    assert "Registro presenze - Comunicare “bene” – Łódź" in text
    assert "?" not in text

    for person, enrolment, name in zip(setup.people, setup.enrolments, NAMES_BEYOND_LATIN_1, strict=True):
        await login(client, person.email)
        certificate = await client.get(f"/enrolments/{enrolment.id}/certificate.pdf")
        assert certificate.status_code == 200, certificate.text
        lines = pdf_text(certificate.content)[1].splitlines()
        assert name in lines  # the name, exactly, on a line of its own
        assert "«Comunicare “bene” – Łódź»" in lines


async def test_the_register_writes_the_cooperative_whole(client):
    """Issue 13.8: not "…Spazio Ape..." — legal form abbreviated, then a smaller font, before any cut."""
    from training_hub.core.tables import Cooperative

    setup = await _register_course(participants=1, sessions=1)
    await Cooperative.update({Cooperative.name: "Società Cooperativa Sociale Spazio Aperto Onlus"}).where(
        Cooperative.id == setup.cooperative.id)
    response = await client.get(f"/courses/{setup.course.id}/register.pdf", headers=await bearer(setup.trainer))
    _reader, text = pdf_text(response.content)
    flat = " ".join(text.split())
    assert "Spazio Aperto Onlus" in flat
    assert "Spazio Ape..." not in flat and "Aperto..." not in flat
