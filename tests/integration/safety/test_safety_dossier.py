"""The course dossier (issue 15 item 6, ASR 2025 p. 7) and the 10-year retention hold."""

import io
import zipfile
from datetime import UTC, datetime

from pypdf import PdfReader

from tests.factories import make_course, make_enrolment, make_person, make_session
from tests.integration.safety.safety_setup import ended_safety_course
from tests.support import bearer, login
from training_hub.core import events
from training_hub.core.tables import AuditEvent, Course
from training_hub.hooks import connect_hooks
from training_hub.safety.retention import dossier_holds, kept_until


async def test_dossier_holds_everything_the_accordo_lists(client, count_queries):
    setup = await ended_safety_course()
    headers = await bearer(setup.trainer)
    with count_queries() as queries:
        response = await client.get(f"/courses/{setup.course.id}/dossier.zip", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"LEGGIMI.txt", "partecipanti.csv", "registro-presenze.pdf", "formatori.csv", "programma.txt",
            "verbale-test-finale.pdf"} <= names
    attestati = sorted(n for n in names if n.startswith("attestati/"))
    assert len(attestati) == 2
    assert any("giulia-rossi" in n for n in attestati) and any("paolo-conti" in n for n in attestati)
    participants = archive.read("partecipanti.csv").decode("utf-8-sig")
    # The same outcomes as the attestati page: two issued, 89% and the failed test not.
    assert "Rossi;RSSGLI88C54G388M;Pavia (PV);14/03/1988" in participants
    assert participants.count("non rilasciato") == 2 and participants.count(";rilasciato") == 2
    assert "non superato" in participants
    programme = archive.read("programma.txt").decode("utf-8")
    assert "Formazione specifica dei lavoratori — rischio medio" in programme
    assert "Argomenti: Rischi specifici del settore" in programme and "Argomenti: Procedure di emergenza" in programme
    assert "Marco Bianchi;2;10/11/2026, 17/11/2026" in archive.read("formatori.csv").decode("utf-8-sig")
    readme = archive.read("LEGGIMI.txt").decode("utf-8")
    assert "almeno 10 anni" in readme and "fino al 17/11/2036" in readme
    first = PdfReader(io.BytesIO(archive.read(attestati[0]))).pages[0].extract_text()
    assert "verifica dell'apprendimento" in first
    assert await AuditEvent.count().where(AuditEvent.action == "safety.dossier_downloaded") == 1
    # A bounded number of statements (measured: see the report); grows with attestati, not with sessions.
    assert len(queries.statements) <= 56  # 54 measured on SQLite with 2 attestati


async def test_the_dossier_and_the_page_are_the_trainers_and_the_offices(client, admin):
    setup = await ended_safety_course()
    participant = await client.get(f"/courses/{setup.course.id}/dossier.zip",
                                   headers=await bearer(setup.people["Giulia Rossi"]))
    assert participant.status_code == 403
    other_trainer = await make_person("trainer")
    assert (await client.get(f"/courses/{setup.course.id}/dossier.zip",
                             headers=await bearer(other_trainer))).status_code == 403
    assert (await client.get(f"/courses/{setup.course.id}/dossier.zip", headers=await bearer(admin))).status_code == 200
    await login(client, setup.trainer.email)
    page = await client.get(f"/courses/{setup.course.id}/attestati")
    assert page.status_code == 200
    assert "Attestati da rilasciare: 2." in page.text
    assert page.text.count("non rilasciato") == 2 and "non superato" in page.text
    manage = await client.get(f"/trainer/courses/{setup.course.id}")
    assert f"/courses/{setup.course.id}/attestati" in manage.text


async def test_retention_holds_a_safety_course_for_10_years():
    connect_hooks()
    setup = await ended_safety_course()
    person = setup.people["Sara Ferri"]
    row = await Course.select(Course.ends_at).where(Course.id == setup.course.id).first()
    assert str(kept_until(row["ends_at"])) == "2036-11-17"
    holds = [h for group in await events.retention_holds.send(person_id=person.id, course_id=None,
                                                              now=datetime(2030, 1, 1, tzinfo=UTC)) for h in group]
    assert [(h.course_id, str(h.until)) for h in holds] == [(setup.course.id, "2036-11-17")]
    # The last day still held, the day after free.
    assert await dossier_holds(person_id=person.id, now=datetime(2036, 11, 17, 12, tzinfo=UTC))
    assert await dossier_holds(person_id=person.id, now=datetime(2036, 11, 18, 12, tzinfo=UTC)) == []
    assert await dossier_holds(course_id=setup.course.id, now=datetime(2030, 1, 1, tzinfo=UTC))


async def test_no_hold_for_an_ordinary_course_or_a_cancelled_enrolment():
    course = await make_course(status="completed")
    await make_session(course, datetime(2026, 11, 10, 8, tzinfo=UTC), 120)
    person = await make_person("worker")
    await make_enrolment(person, course)
    assert await dossier_holds(person_id=person.id) == []
    await ended_safety_course()
    stranger = await make_person("worker")
    assert await dossier_holds(person_id=stranger.id) == []
    assert await dossier_holds() == []
    assert kept_until(None) is None
