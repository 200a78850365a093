from datetime import timedelta

from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
from tests.support import login
from training_hub.core.tables import CourseStatus, EnrolmentStatus
from training_hub.core.timeutil import utcnow


async def test_home_shows_each_role_what_comes_next(client):
    cooperative = await make_cooperative()
    trainer = await make_person(roles="trainer,admin", email="t@example.test")
    worker = await make_person(cooperative=cooperative)
    taught = await make_course(title="Corso che insegno", trainers=[trainer])
    await make_session(taught, starts_at=utcnow() + timedelta(days=2))
    await make_course(title="Bozza", trainers=[trainer], status=CourseStatus.DRAFT.value)
    approval = await make_course(requires_approval=True)
    await make_enrolment(worker, approval, status=EnrolmentStatus.PENDING.value)

    await login(client, "t@example.test")
    page = (await client.get("/")).text
    assert "I tuoi prossimi incontri come formatore" in page and "Corso che insegno" in page
    assert "1 corso in bozza da completare." in page
    assert "1 iscrizione da approvare" in page


async def test_home_query_count_does_not_grow_with_sessions(client, count_queries):
    person = await make_person(email="q@example.test")
    course = await make_course()
    await make_enrolment(person, course)
    await make_session(course)
    await login(client, "q@example.test")
    with count_queries() as few:
        assert (await client.get("/")).status_code == 200
    for day in range(1, 8):
        await make_session(course, starts_at=utcnow() + timedelta(days=day))
    with count_queries() as many:
        assert (await client.get("/")).status_code == 200
    assert many.count == few.count <= 5


async def test_past_and_cancelled_sessions_are_not_upcoming(client):
    person = await make_person(email="p@example.test")
    course = await make_course(title="Corso del passato")
    await make_enrolment(person, course)
    await make_session(course, starts_at=utcnow() - timedelta(days=3))
    await make_session(course, starts_at=utcnow() + timedelta(days=3), status="cancelled")
    await login(client, "p@example.test")
    page = (await client.get("/")).text
    assert "Corso del passato" not in page
    assert "Non hai incontri in programma." in page


async def test_tool_pages_keep_the_menu_short_and_are_guarded(client):
    cooperative = await make_cooperative()
    await make_person(roles="admin", email="office@example.test")
    await make_person(roles="coordinator", cooperative=cooperative, email="coord@example.test")
    await make_person(cooperative=cooperative, email="worker@example.test")
    pending_course = await make_course(requires_approval=True)
    await make_enrolment(await make_person(cooperative=cooperative), pending_course, status=EnrolmentStatus.PENDING.value)

    await login(client, "office@example.test")
    hub = await client.get("/admin")
    assert hub.status_code == 200
    for link in ("/admin/approvals", "/admin/people", "/admin/cooperatives", "/admin/locations", "/admin/surveys"):
        assert f'href="{link}"' in hub.text
    assert "1 richiesta da approvare." in hub.text
    menu = hub.text.split('class="wrap nav-wide"')[1].split("</ul>")[0]
    assert menu.count("<li>") <= 9

    await client.post("/logout", data={"_csrf_token": client.cookies["th_csrf"]})
    await login(client, "coord@example.test")
    assert (await client.get("/admin")).status_code == 403
    cooperative_hub = await client.get("/cooperative")
    assert cooperative_hub.status_code == 200 and 'href="/coordinator/enrolments"' in cooperative_hub.text

    await client.post("/logout", data={"_csrf_token": client.cookies["th_csrf"]})
    await login(client, "worker@example.test")
    assert (await client.get("/cooperative")).status_code == 403
