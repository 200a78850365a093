"""The refresh tracker through HTTP: a person's own page and API, the cooperative's list (order, who
may see it, the one-step enrolment on the next edition), the office's list and filters, the XLSX equal
to the page, and the statements a cooperative's list costs."""

import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook

from tests.factories import make_cooperative, make_enrolment, make_person
from tests.integration.safety.tracker_setup import external, future_edition, give_role, held_here, set_risk
from tests.support import as_user, bearer, login, post_form
from training_hub.core.tables import CourseEligibleCooperative, Enrolment, Person
from training_hub.safety.status import OfficeFilters, cooperative_status, office_status
from training_hub.safety.tables import ExternalTraining, SafetyRole


async def _worker(cooperative, name, specific_on=None, **values):
    person = await make_person(cooperative=cooperative, full_name=name, **values)
    await give_role(person, "worker")
    await external(person, "lavoratori_generale", date(2018, 3, 1), 4)
    if specific_on is not None:
        await external(person, "lavoratori_specifica_medio", specific_on, 8)
    return person


async def _cooperative_with_people():
    cooperative = await make_cooperative(name="Cooperativa Aurora")
    await set_risk(cooperative, "medio", headcount=40)
    people = {
        "valid": await _worker(cooperative, "Anna Valida", date(2025, 6, 10)),  # due 10/06/2030
        "soon": await _worker(cooperative, "Bruno Presto", date(2022, 1, 20)),  # due 20/01/2027
        "late": await _worker(cooperative, "Carla Tardi", date(2021, 3, 1)),  # due 01/03/2026
        "later": await _worker(cooperative, "Dario Ritardo", date(2021, 9, 1)),  # due 01/09/2026
        "missing": await _worker(cooperative, "Elena Nuova"),  # no specific course
    }
    await give_role(people["valid"], "preposto")
    await external(people["valid"], "preposto", date(2025, 6, 10), 12)  # due 10/06/2027
    return cooperative, people


async def test_a_person_sees_their_own_requirements_page_and_api(client):
    cooperative = await make_cooperative()
    await set_risk(cooperative, "medio", headcount=60)
    worker = await _worker(cooperative, "Giulia Rossi", date(2025, 6, 10), email="giulia@example.test")
    await give_role(worker, "rls")
    await external(worker, "rls", date(2026, 3, 2), 32)
    await give_role(worker, "antincendio", "2")
    await held_here([(worker, 480, True)], "antincendio_2", date(2026, 11, 10), hours=8)

    response = await client.get(f"/api/people/{worker.id}/safety-status", headers=await bearer(worker))
    assert response.status_code == 200, response.text
    assert [{k: row[k] for k in ("requirement", "status", "last_completed_on", "due_on", "hours_due")}
            for row in response.json()] == [
        # The RLS course also gives the workers' general course (ASR Allegato III).
        {"requirement": "lavoratori_generale", "status": "valid", "last_completed_on": "2026-03-02", "due_on": None,
         "hours_due": None},
        {"requirement": "lavoratori_specifica", "status": "valid", "last_completed_on": "2025-06-10",
         "due_on": "2030-06-10", "hours_due": 6.0},
        {"requirement": "rls", "status": "valid", "last_completed_on": "2026-03-02", "due_on": "2027-03-02",
         "hours_due": 8.0},  # above 50 workers
        {"requirement": "antincendio", "status": "valid", "last_completed_on": "2026-11-10", "due_on": "2031-11-10",
         "hours_due": 5.0},  # held here: attestato dated at the course's end
    ]

    await login(client, "giulia@example.test")
    page = await client.get("/my/safety")
    assert page.status_code == 200
    assert "La mia formazione obbligatoria" in page.text
    assert "10/06/2030" in page.text and "10/11/2031" in page.text
    assert "Antincendio (livello 2)" in page.text


async def test_who_may_see_a_person_and_a_cooperative(client, admin, cooperative, coordinator):
    worker = await _worker(cooperative, "Sara Ferri", date(2024, 1, 1))
    stranger_cooperative = await make_cooperative()
    other_coordinator = await make_person("coordinator", cooperative=stranger_cooperative)
    trainer = await make_person("trainer", cooperative=cooperative)
    colleague = await _worker(cooperative, "Luca Bianchi", date(2024, 1, 1))
    for person, expected in ((worker, 200), (coordinator, 200), (admin, 200), (other_coordinator, 404),
                             (trainer, 404), (colleague, 404)):
        response = await client.get(f"/api/people/{worker.id}/safety-status", headers=await bearer(person))
        assert response.status_code == expected, (person.roles, response.text)
    for person, expected in ((coordinator, 200), (admin, 200), (other_coordinator, 404), (trainer, 404),
                             (worker, 404)):
        response = await client.get(f"/api/cooperatives/{cooperative.id}/safety-status", headers=await bearer(person))
        assert response.status_code == expected, (person.roles, response.text)
        xlsx = await client.get(f"/cooperatives/{cooperative.id}/safety-status.xlsx", headers=await bearer(person))
        assert xlsx.status_code == expected
    assert (await client.get("/api/cooperatives/999999/safety-status", headers=await bearer(admin))).status_code == 404
    assert (await client.get("/api/people/999999/safety-status", headers=await bearer(admin))).status_code == 404
    assert (await client.get("/safety/status", headers=await bearer(coordinator))).status_code == 404
    assert (await client.get("/safety/status.xlsx", headers=await bearer(coordinator))).status_code == 404
    assert (await client.get(f"/api/people/{worker.id}/safety-status")).status_code == 401


async def test_the_cooperatives_list_puts_missing_first_then_the_most_overdue(client, coordinator):
    cooperative, people = await _cooperative_with_people()
    await Person.update({Person.cooperative: cooperative.id}).where(Person.id == coordinator.id)
    response = await client.get(f"/api/cooperatives/{cooperative.id}/safety-status",
                                headers=await bearer(coordinator))
    assert response.status_code == 200, response.text
    rows = [(row["full_name"], row["requirement"], row["status"], row["due_on"]) for row in response.json()]
    assert rows == [
        ("Elena Nuova", "lavoratori_specifica", "missing", None),
        ("Carla Tardi", "lavoratori_specifica", "overdue", "2026-03-01"),
        ("Dario Ritardo", "lavoratori_specifica", "overdue", "2026-09-01"),
        ("Bruno Presto", "lavoratori_specifica", "due_soon", "2027-01-20"),
        ("Anna Valida", "preposto", "valid", "2027-06-10"),
        ("Anna Valida", "lavoratori_specifica", "valid", "2030-06-10"),
        ("Anna Valida", "lavoratori_generale", "valid", None),
        ("Bruno Presto", "lavoratori_generale", "valid", None),
        ("Carla Tardi", "lavoratori_generale", "valid", None),
        ("Dario Ritardo", "lavoratori_generale", "valid", None),
        ("Elena Nuova", "lavoratori_generale", "valid", None),
    ]


async def test_a_row_links_the_next_edition_and_the_coordinator_enrols_in_one_step(client, coordinator):
    cooperative, people = await _cooperative_with_people()
    await Person.update({Person.cooperative: cooperative.id}).where(Person.id == coordinator.id)
    coordinator_email = coordinator.email
    refresher = await future_edition("lavoratori_aggiornamento", days=30, title="Aggiornamento lavoratori dicembre")
    await future_edition("lavoratori_aggiornamento", days=60, title="Aggiornamento lavoratori gennaio")
    elsewhere = await future_edition("lavoratori_aggiornamento", days=10, title="Riservato ad altri")
    await CourseEligibleCooperative.insert(CourseEligibleCooperative(course=elsewhere.id,
                                                                     cooperative=(await make_cooperative()).id))
    first_course = await future_edition("lavoratori_specifica_medio", days=40, title="Specifica rischio medio")

    overview = await cooperative_status(as_user(coordinator, cooperative_id=cooperative.id), cooperative.id)
    plans = {(r["full_name"], r["requirement"]): (r["next_course"] or {}).get("course_id") for r in overview["rows"]}
    assert plans[("Carla Tardi", "lavoratori_specifica")] == refresher.id  # the soonest open to the cooperative
    assert plans[("Elena Nuova", "lavoratori_specifica")] == first_course.id  # missing: the first course
    assert plans[("Anna Valida", "lavoratori_specifica")] is None  # valid: nothing to book

    await login(client, coordinator_email)
    page = await client.get(f"/cooperatives/{cooperative.id}/safety-status")
    assert page.status_code == 200
    assert "Prossima edizione: Aggiornamento lavoratori dicembre, dal 25/12/2026" in page.text
    assert "Riservato ad altri" not in page.text
    enrolled = await post_form(client, f"/courses/{refresher.id}/enrol", {
        "person_id": people["late"].id, "next": f"/cooperatives/{cooperative.id}/safety-status"})
    assert enrolled.status_code in (302, 303), enrolled.text
    assert enrolled.headers["location"] == f"/cooperatives/{cooperative.id}/safety-status"
    assert await Enrolment.exists().where((Enrolment.person == people["late"].id) & (Enrolment.course == refresher.id))
    after = await client.get(f"/cooperatives/{cooperative.id}/safety-status")
    assert "Iscrizione: Aggiornamento lavoratori dicembre, dal 25/12/2026" in after.text


def _page_rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        text = [re.sub(r"\s+", " ", re.sub(r"<form.*?</form>|<[^>]+>", "", c, flags=re.S)).strip() for c in cells]
        rows.append([t.replace("&#39;", "'").replace("&amp;", "&") for t in text])
    return rows


def _xlsx_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).active
    out = []
    for values in list(sheet.iter_rows(values_only=True))[1:]:
        name, _cooperative, requirement, status, last, due_on, hours, course, plan = values
        hours_text = "" if hours is None else f"{int(hours)} h" + (f" {round((hours % 1) * 60)} min" if hours % 1 else "")
        out.append([name, requirement, status, last.strftime("%d/%m/%Y") if last else "",
                    due_on.strftime("%d/%m/%Y") if due_on else "", hours_text, course or "", plan or ""])
    return out


async def test_the_xlsx_has_the_same_rows_and_figures_as_the_page(client, coordinator):
    cooperative, people = await _cooperative_with_people()
    await Person.update({Person.cooperative: cooperative.id}).where(Person.id == coordinator.id)
    await future_edition("lavoratori_aggiornamento", days=30, title="Aggiornamento lavoratori dicembre")
    await external(people["late"], "lavoratori_aggiornamento", date(2026, 9, 1), 2.5)  # 3.5 h still due
    await login(client, coordinator.email)
    page = await client.get(f"/cooperatives/{cooperative.id}/safety-status")
    xlsx = await client.get(f"/cooperatives/{cooperative.id}/safety-status.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-disposition"].startswith('attachment; filename="scadenzario-cooperativa-')
    page_rows = _page_rows(page.text)
    assert len(page_rows) == 11
    assert ["Carla Tardi", "Formazione specifica lavoratori (Rischio medio)", "Scaduto", "01/03/2021",
            "01/03/2026", "3 h 30 min", "Aggiornamento lavoratori",
            "Prossima edizione: Aggiornamento lavoratori dicembre, dal 25/12/2026"] in page_rows
    assert _xlsx_rows(xlsx.content) == page_rows

    # The office's export with a filter has the office page's rows (all pages at once).
    admin = await make_person("admin")
    await login(client, admin.email)
    office = await client.get(f"/safety/status?cooperative_id={cooperative.id}&status=overdue")
    office_xlsx = await client.get(f"/safety/status.xlsx?cooperative_id={cooperative.id}&status=overdue")
    office_rows = [[row[0], *row[2:]] for row in _page_rows(office.text)]
    assert [row[:3] for row in office_rows] == [["Carla Tardi", "Formazione specifica lavoratori (Rischio medio)",
                                                 "Scaduto"], ["Dario Ritardo", "Formazione specifica lavoratori "
                                                                               "(Rischio medio)", "Scaduto"]]
    assert _xlsx_rows(office_xlsx.content) == office_rows


async def test_the_office_filters_and_pages(client, admin):
    north, people = await _cooperative_with_people()
    south = await make_cooperative(name="Cooperativa Sud")
    await set_risk(south, "basso")
    fire = await make_person(cooperative=south, full_name="Franco Fuoco")
    await give_role(fire, "antincendio", "1")
    user = as_user(admin)
    everyone = await office_status(user, OfficeFilters())
    assert everyone["total_people"] == 6
    assert [r["full_name"] for r in everyone["rows"]][-1] == "Franco Fuoco"
    missing = await office_status(user, OfficeFilters(status="missing"))
    assert [(r["full_name"], r["requirement"]) for r in missing["rows"]] == [
        ("Elena Nuova", "lavoratori_specifica"), ("Franco Fuoco", "antincendio")]
    fire_only = await office_status(user, OfficeFilters(requirement="antincendio"))
    assert [(r["full_name"], r["status"]) for r in fire_only["rows"]] == [("Franco Fuoco", "missing")]
    assert fire_only["total_people"] == 1
    south_only = await office_status(user, OfficeFilters(cooperative_id=south.id))
    assert {r["cooperative_id"] for r in south_only["rows"]} == {south.id}
    # Bad filters are ignored rather than refused: a stale bookmark shows everything.
    page = await client.get("/safety/status?status=nonsense&page=-3&cooperative_id=abc", headers=await bearer(admin))
    assert page.status_code == 200
    assert "Franco Fuoco" in page.text


async def test_the_cooperatives_list_of_500_people_with_3_roles_costs_at_most_5_statements(count_queries,
                                                                                           coordinator, cooperative):
    await set_risk(cooperative, "medio", headcount=500)
    await Person.insert(*[
        Person(full_name=f"Lavoratore {n:03d}", email=f"lavoratore{n}@example.test", roles="worker",
               cooperative=cooperative.id) for n in range(500)
    ])
    ids = [row["id"] for row in await Person.select(Person.id).where(
        (Person.cooperative == cooperative.id) & (Person.roles == "worker"))]
    assert len(ids) == 500
    await SafetyRole.insert(*[
        SafetyRole(person=pid, role=role, level=level, since=date(2020, 1, 1))
        for pid in ids for role, level in (("worker", None), ("antincendio", "1"), ("primo_soccorso", "bc"))
    ])
    await ExternalTraining.insert(*[
        ExternalTraining(person=pid, course_type=code, completed_on=date(2022, 1, 1) + timedelta(days=n % 700),
                         minutes=minutes)
        for n, pid in enumerate(ids)
        for code, minutes in (("lavoratori_generale", 240), ("lavoratori_specifica_medio", 480),
                              ("antincendio_1", 240))
    ])
    course = await future_edition("primo_soccorso_bc", days=15)
    await make_enrolment(await Person.objects().get(Person.id == ids[0]), course)
    await future_edition("lavoratori_aggiornamento", days=15)
    with count_queries() as counter:
        overview = await cooperative_status(as_user(coordinator), cooperative.id)
    assert counter.count <= 5, counter.statements
    assert len(overview["rows"]) == 500 * 4  # general, specific, antincendio, primo soccorso
    assert overview["counts"]["missing"] == 500  # nobody has the first aid course
    booked = [r for r in overview["rows"] if r["booked"]]
    assert [(r["person_id"], r["requirement"]) for r in booked] == [(ids[0], "primo_soccorso")]


async def test_the_home_page_links_the_mandatory_training_only_to_who_holds_a_role(client, cooperative, coordinator):
    worker = await make_person(cooperative=cooperative, email="conruolo@example.test")
    other = await make_person(cooperative=cooperative, email="senzaruolo@example.test")
    await give_role(worker, "worker")
    await login(client, "conruolo@example.test")
    assert 'href="/my/safety"' in (await client.get("/")).text
    await client.get("/logout")
    await login(client, other.email)
    home = await client.get("/")
    assert home.status_code == 200 and 'href="/my/safety"' not in home.text
    await login(client, coordinator.email)
    hub = await client.get("/cooperative")
    assert f'href="/cooperatives/{cooperative.id}/safety-status"' in hub.text
