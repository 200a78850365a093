"""The files for the fund: no special-category data anywhere, frozen submissions that later corrections
never change, and the registers a fund accepts."""

import hashlib
import io
import re
import zipfile
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import make_path, make_person
from tests.integration.funding.funding_setup import attend, plan_setup
from tests.support import bearer, login, post_form, rome
from training_hub.core.tables import AccessibilityNeeds, Course
from training_hub.funding.tables import FundSubmission
from training_hub.inclusion.tables import InclusionPathway

NEEDS_TEXT = "Serve la rampa e un interprete LIS"
FORBIDDEN = (NEEDS_TEXT, "interprete", "inclusion", "Inclusione", "inclusione", "tirocinio", "disabil", "svantagg")


def _texts(name: str, content: bytes) -> str:
    if name.endswith(".pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if name.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(content))
        return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(_texts(member, archive.read(member)) for member in archive.namelist())
    return content.decode("utf-8-sig")


async def _sensitive_plan():
    """A plan whose action sits in an inclusion path, a participant with accessibility needs and a pathway."""
    setup = await plan_setup(participants=2, sessions=2)
    path = await make_path(kind="inclusion", title="Percorso B")
    await Course.update({Course.path: path.id}).where(Course.id == setup.courses[0].id)
    person = setup.people[0]
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=person.id, interpreter=True, notes=NEEDS_TEXT))
    await InclusionPathway.insert(InclusionPathway(person=person.id, pathway_type="tirocinio_inclusione",
                                                   eligibility_category="disabilita_fisica", starts_on=date(2026, 1, 1)))
    for (course_id, _person_id), enrolment in setup.enrolments.items():
        for session in setup.sessions[course_id]:
            await attend(session, enrolment, 100)
    return setup


async def test_no_special_category_data_in_any_file_for_the_fund(client):
    setup = await _sensitive_plan()
    admin = await make_person("admin")
    headers = await bearer(admin)
    plan_id = setup.plan.id
    created = await client.post(f"/api/funded-plans/{plan_id}/submissions", headers=headers, json={})
    assert created.status_code == 201, created.text
    files = {
        "participants.csv": f"/funded-plans/{plan_id}/participants.csv",
        "participants-generic.csv": f"/funded-plans/{plan_id}/participants.csv?layout=generic",
        "participants.xlsx": f"/funded-plans/{plan_id}/participants.xlsx",
        "closing.csv": f"/funded-plans/{plan_id}/closing-report.csv",
        "register.pdf": f"/courses/{setup.courses[0].id}/register.pdf",
        "register-blank.pdf": f"/courses/{setup.courses[0].id}/register-blank.pdf",
        "submission.zip": f"/funded-plans/{plan_id}/submissions/{created.json()['id']}.zip",
    }
    for name, url in files.items():
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, (name, response.text[:200])
        text = _texts(name, response.content)
        assert setup.people[0].codice_fiscale in text, name  # the file is about that very person
        for word in FORBIDDEN:
            assert word not in text, (name, word)


async def test_a_frozen_submission_never_changes_when_attendance_is_corrected(client):
    setup = await plan_setup(participants=2, sessions=2)
    course_id = setup.courses[0].id
    enrolment = setup.enrolments[(course_id, setup.people[0].id)]
    await attend(setup.sessions[course_id][0], enrolment, 120)
    admin = await make_person("admin")
    headers = await bearer(admin)
    first = (await client.post(f"/api/funded-plans/{setup.plan.id}/submissions", headers=headers, json={})).json()
    assert re.fullmatch(r"[0-9a-f]{64}", first["sha256"])
    url = f"/funded-plans/{setup.plan.id}/submissions/{first['id']}.zip"
    frozen = (await client.get(url, headers=headers)).content
    assert hashlib.sha256(frozen).hexdigest() == first["sha256"]
    with zipfile.ZipFile(io.BytesIO(frozen)) as archive:
        names = archive.namelist()
        closing = archive.read(next(n for n in names if n.endswith("rendiconto.csv"))).decode("utf-8-sig")
    assert any(n.endswith("partecipanti.csv") for n in names) and any(n.endswith(".pdf") for n in names)
    assert "2,00" in closing  # 120 minutes attended

    await attend(setup.sessions[course_id][0], enrolment, 30, "late")  # a later correction
    again = (await client.get(url, headers=headers)).content
    assert again == frozen and hashlib.sha256(again).hexdigest() == first["sha256"]
    second = (await client.post(f"/api/funded-plans/{setup.plan.id}/submissions", headers=headers, json={})).json()
    assert second["sha256"] != first["sha256"]
    listed = (await client.get(f"/api/funded-plans/{setup.plan.id}/submissions", headers=headers)).json()
    assert [item["sha256"] for item in listed] == [second["sha256"], first["sha256"]]
    # The plan's page shows the hashes; freezing from the page works too (CSRF form).
    await login(client, admin.email)
    page = await client.get(f"/funded-plans/{setup.plan.id}")
    assert first["sha256"] in page.text and second["sha256"] in page.text
    response = await post_form(client, f"/funded-plans/{setup.plan.id}/submissions", {"note": "Invio di prova"})
    assert response.status_code in (302, 303)
    assert await FundSubmission.count() == 3


async def test_only_the_office_freezes_and_downloads_submissions(client):
    setup = await plan_setup(participants=1, sessions=1)
    coordinator = await make_person("coordinator", cooperative=setup.cooperative)
    response = await client.post(f"/api/funded-plans/{setup.plan.id}/submissions", headers=await bearer(coordinator),
                                 json={})
    assert response.status_code == 403
    assert await FundSubmission.count() == 0


async def test_blank_register_numbers_every_page_of_the_same_total_and_lists_the_enrolled_first(client):
    setup = await plan_setup(participants=25, sessions=3, first_start=rome(date(2026, 12, 14), 9))
    admin = await make_person("admin")
    response = await client.get(f"/courses/{setup.courses[0].id}/register-blank.pdf", headers=await bearer(admin))
    assert response.status_code == 200
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    total = len(pages)
    assert total >= 4  # the enrolled list, then a page (or more) per session
    for number, text in enumerate(pages, start=1):
        assert f"Pagina {number} di {total}" in text
        assert setup.plan.code in text and "Competenze per il sociale" in text
    assert "Elenco dei partecipanti iscritti" in pages[0]
    assert "Giornata del" not in pages[0]
    first_day = next(i for i, text in enumerate(pages) if "Giornata del 14/12/2026" in text)
    assert first_day > 0
    assert "Firma in entrata" in pages[first_day] and "Firma in uscita" in pages[first_day]
    assert "Firma del formatore" in "".join(pages) and "Firma del tutor" in "".join(pages)
    assert "Vidimazione" in "".join(pages[:first_day])
    # A course that is no plan's action has no such register; a worker has none at all.
    other = await plan_setup(participants=1, sessions=1, code="ALTRO")
    assert (await client.get(f"/courses/{other.courses[0].id}/register-blank.pdf",
                             headers=await bearer(setup.people[0]))).status_code in (403, 404)


async def test_a_funded_actions_register_has_entry_and_exit_signatures(client):
    setup = await plan_setup(participants=2, sessions=1)
    course_id = setup.courses[0].id
    await attend(setup.sessions[course_id][0], setup.enrolments[(course_id, setup.people[0].id)], 120)
    response = await client.get(f"/courses/{course_id}/register.pdf", headers=await bearer(setup.trainer))
    assert response.status_code == 200
    text = _texts("r.pdf", response.content)
    assert "Registro didattico e delle presenze" in text
    assert "Firma in entrata" in text and "Firma in uscita" in text and "Firma del tutor" in text
    # The participants file is refused to trainers (costs, several cooperatives' data).
    assert (await client.get(f"/funded-plans/{setup.plan.id}/participants.csv",
                             headers=await bearer(setup.trainer))).status_code == 403
