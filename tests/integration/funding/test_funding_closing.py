"""The closing report through the API, the page and the files: the issue's figures, and every figure of
an export equal to what the page shows."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from tests.factories import make_person
from tests.integration.funding.funding_setup import attend, plan_setup
from tests.support import bearer, login, rome
from training_hub.core.tables import Session


async def _ten_hours_one_cancelled(attended_minutes: int):
    """The issue's example: a 10-hour action (5 × 2 h), one 2-hour session cancelled → 8 planned hours."""
    setup = await plan_setup(participants=2, sessions=5, minutes=120, code=f"PIANO-{attended_minutes}")
    course = setup.courses[0]
    sessions = setup.sessions[course.id]
    await Session.update({Session.status: "cancelled"}).where(Session.id == sessions[4].id)
    first, second = (setup.enrolments[(course.id, person.id)] for person in setup.people)
    # 120 minutes recorded on the cancelled session never count.
    await attend(sessions[4], first, 120)
    left = attended_minutes
    for session in sessions[:4]:
        await attend(session, first, min(120, left))
        left -= min(120, left)
    for session in sessions[:4]:
        await attend(session, second, 0, "absent")
    return setup


async def test_five_hours_36_of_8_planned_is_trained_and_5_35_is_not(client):
    admin = await make_person("admin")
    for attended, trained in ((336, True), (335, False)):
        setup = await _ten_hours_one_cancelled(attended)
        response = await client.get(f"/api/funded-plans/{setup.plan.id}/closing-report", headers=await bearer(admin))
        assert response.status_code == 200, response.text
        body = response.json()
        row = next(r for r in body["participants"] if r["person_id"] == setup.people[0].id)
        assert row["planned_minutes"] == 480  # 10 h less the cancelled 2 h
        assert row["attended_minutes"] == attended
        assert row["trained"] is trained
        assert row["cost"] == {336: "112.00", 335: "111.67"}[attended]  # hours × 20,00 €, half-up to the cent
        assert body["threshold"] == 70
        company = body["companies"][0]
        assert company["participants"] == 2 and company["trained"] == (1 if trained else 0)


async def test_coordinators_see_their_people_without_costs_and_workers_nothing(client):
    setup = await plan_setup(participants=2)
    other = await plan_setup(participants=1, code="OTHER-PLAN")
    coordinator = await make_person("coordinator", cooperative=setup.cooperative)
    response = await client.get(f"/api/funded-plans/{setup.plan.id}/closing-report", headers=await bearer(coordinator))
    assert response.status_code == 200
    rows = response.json()["participants"]
    assert {r["person_id"] for r in rows} == {p.id for p in setup.people}
    assert all("cost" not in r for r in rows)
    assert (await client.get(f"/api/funded-plans/{other.plan.id}/closing-report",
                             headers=await bearer(coordinator))).status_code == 404
    worker = setup.people[0]
    assert (await client.get(f"/api/funded-plans/{setup.plan.id}/closing-report",
                             headers=await bearer(worker))).status_code == 404
    # The files for the fund are the office's.
    assert (await client.get(f"/funded-plans/{setup.plan.id}/participants.csv",
                             headers=await bearer(coordinator))).status_code == 403


async def test_every_export_figure_equals_the_page(client):
    setup = await plan_setup(actions=2, participants=3, sessions=3, minutes=180)
    for (course_id, _person_id), enrolment in setup.enrolments.items():
        for n, session in enumerate(setup.sessions[course_id]):
            await attend(session, enrolment, 180 - 37 * n - enrolment.id % 3)
    admin = await make_person("admin")
    await login(client, admin.email)
    page = (await client.get(f"/funded-plans/{setup.plan.id}/closing-report")).text
    api = (await client.get(f"/api/funded-plans/{setup.plan.id}/closing-report", headers=await bearer(admin))).json()
    closing_csv = (await client.get(f"/funded-plans/{setup.plan.id}/closing-report.csv")).content.decode("utf-8-sig")
    closing_rows = list(csv.reader(io.StringIO(closing_csv), delimiter=";"))
    for row in api["participants"]:
        hours = f"{row['attended_minutes'] / 60:.2f}".replace(".", ",")
        planned = f"{row['planned_minutes'] / 60:.2f}".replace(".", ",")
        percent = f"{row['percent']:.1f}".replace(".", ",")
        line = next(r for r in closing_rows if r[2] == row["full_name"])
        assert line[4:7] == [planned, hours, percent]
        assert line[8] == row["cost"].replace(".", ",")
        # The page shows the same hours and percent in the participant's row.
        page_row = page.split(f'data-person="{row["person_id"]}"')[1].split("</tr>")[0]
        assert hours in page_row and planned in page_row and percent in page_row
    # The participants file: one row per participant and action, hours = the closing report's per action.
    participants_csv = (await client.get(f"/funded-plans/{setup.plan.id}/participants.csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(participants_csv), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 6
    attended_index = header.index("Ore frequentate")
    per_person: dict[str, float] = {}
    for line in body:
        per_person[line[header.index("Codice fiscale")]] = per_person.get(line[header.index("Codice fiscale")], 0) + float(
            line[attended_index].replace(",", "."))
    for row in api["participants"]:
        person = next(p for p in setup.people if p.id == row["person_id"])
        assert round(per_person[person.codice_fiscale] * 60) == row["attended_minutes"]
    workbook = load_workbook(io.BytesIO((await client.get(f"/funded-plans/{setup.plan.id}/participants.xlsx")).content))
    sheet = workbook.active
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    assert list(xlsx_rows[0]) == header and len(xlsx_rows) == 7
    assert sum(float(r[attended_index]) for r in xlsx_rows[1:]) * 60 == sum(r["attended_minutes"] for r in api["participants"])


async def test_closing_report_query_count_does_not_grow_with_the_plan(client, count_queries):
    admin = await make_person("admin")
    headers = await bearer(admin)
    small = await plan_setup(actions=1, participants=1, sessions=1)
    large = await plan_setup(actions=3, participants=4, sessions=4, code="LARGE", first_start=None)
    counts = []
    for setup in (small, large):
        with count_queries() as counter:
            response = await client.get(f"/api/funded-plans/{setup.plan.id}/closing-report", headers=headers)
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert counts[1] <= 6  # the token, then plan, actions, sessions, minutes per enrolment, participants


async def test_minutes_beyond_a_session_count_as_the_session_and_negative_as_none(client):
    setup = await plan_setup(participants=1, sessions=2, minutes=120, code="CLIP")
    course = setup.courses[0]
    enrolment = setup.enrolments[(course.id, setup.people[0].id)]
    first, second = setup.sessions[course.id]
    await attend(first, enrolment, 500)  # more than the session lasts (a typing slip in old data)
    await attend(second, enrolment, -30)
    admin = await make_person("admin")
    body = (await client.get(f"/api/funded-plans/{setup.plan.id}/closing-report", headers=await bearer(admin))).json()
    row = body["participants"][0]
    assert (row["planned_minutes"], row["attended_minutes"], row["percent"]) == (240, 120, 50.0)


async def test_a_correction_shows_in_the_next_closing_report(client):
    setup = await plan_setup(participants=1, sessions=1, minutes=120, code="CORR",
                             first_start=rome(date(2026, 11, 24), 9))  # yesterday: the roll call is open
    course = setup.courses[0]
    session = setup.sessions[course.id][0]
    enrolment = setup.enrolments[(course.id, setup.people[0].id)]
    admin_headers = await bearer(await make_person("admin"))
    url = f"/api/funded-plans/{setup.plan.id}/closing-report"
    assert (await client.get(url, headers=admin_headers)).json()["participants"][0]["attended_minutes"] == 0
    recorded = await client.put(f"/api/sessions/{session.id}/attendance", headers=await bearer(setup.trainer),
                                json=[{"enrolment_id": enrolment.id, "status": "present"}])
    assert recorded.status_code == 200, recorded.text
    assert (await client.get(url, headers=admin_headers)).json()["participants"][0]["attended_minutes"] == 120
