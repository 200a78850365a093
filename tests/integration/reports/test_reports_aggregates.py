"""Report aggregates against the hand-computed figures of tests/reports_fixture.py (both engines)."""

from datetime import timedelta

import pytest

from tests import reports_fixture as fx
from tests.factories import make_course, make_enrolment, make_path, make_person, make_session
from tests.support import bearer, login, rome
from training_hub.core.tables import Attendance, EnrolmentStatus

pytestmark = pytest.mark.asyncio


def by(items, key):
    return {item[key]: item for item in items}


async def test_summary_matches_hand_computed_figures(client):
    data = await fx.build()
    response = await client.get("/api/reports/summary", params=fx.PERIOD, headers=await bearer(data["admin"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["period"] == {"from": "2025-01-01", "to": "2025-12-31"}
    summary = body["summary"]
    for key, value in fx.EXPECTED["summary"].items():
        assert summary[key] == value, key
    assert summary["attendance_rate"] == pytest.approx(1960 / 3600)
    assert summary["completion_rate"] == pytest.approx(4 / 9)
    assert summary["dropout_rate"] == pytest.approx(2 / 9)
    assert summary["overall_rating"] == pytest.approx(4.2)


async def test_monthly_uses_rome_months_and_real_minutes(client):
    """The 23:30 UTC lesson on 31 October is in November (Rome); the DST-night lesson lasts 180 minutes."""
    data = await fx.build()
    response = await client.get("/api/reports/monthly", params=fx.PERIOD, headers=await bearer(data["admin"]))
    items = by(response.json()["items"], "month")
    assert len(items) == 12
    for month, expected in fx.EXPECTED["monthly"].items():
        for key, value in expected.items():
            assert items[month][key] == value, (month, key)
    assert items["2025-01"]["delivered_minutes"] == 0 and items["2025-04"]["delivered_minutes"] == 0


async def test_breakdowns_by_kind_province_area_cooperative(client):
    data = await fx.build()
    headers = await bearer(data["admin"])
    kinds = by((await client.get("/api/reports/by-path-kind", params=fx.PERIOD, headers=headers)).json()["items"], "kind")
    for kind, expected in fx.EXPECTED["by_kind"].items():
        for key, value in expected.items():
            assert kinds[kind][key] == value, (kind, key)
    assert kinds["marketing"]["completion_rate"] == pytest.approx(3 / 7)
    assert kinds["marketing"]["dropout_rate"] == pytest.approx(2 / 7)
    assert kinds["internal_training"]["completion_rate"] is None

    provinces = by((await client.get("/api/reports/by-province", params=fx.PERIOD, headers=headers)).json()["items"],
                   "province")
    for province, expected in fx.EXPECTED["by_province"].items():
        for key, value in expected.items():
            assert provinces[province][key] == value, (province, key)
    areas = by((await client.get("/api/reports/by-area", params=fx.PERIOD, headers=headers)).json()["items"], "area")
    for area, expected in fx.EXPECTED["by_area"].items():
        for key, value in expected.items():
            assert areas[area][key] == value, (area, key)
    cooperatives = by(
        (await client.get("/api/reports/by-cooperative", params=fx.PERIOD, headers=headers)).json()["items"],
        "cooperative")
    assert set(cooperatives) == set(fx.EXPECTED["by_cooperative"])
    for name, expected in fx.EXPECTED["by_cooperative"].items():
        for key, value in expected.items():
            assert cooperatives[name][key] == value, (name, key)


async def test_waiting_lists_and_surveys(client):
    data = await fx.build()
    headers = await bearer(data["admin"])
    waiting = (await client.get("/api/reports/waiting-lists", params=fx.PERIOD, headers=headers)).json()["items"]
    assert [(w["title"], w["capacity"], w["confirmed"], w["waitlisted"]) for w in waiting] == [
        ("Formare i formatori", 2, 2, 2)]

    surveys = (await client.get("/api/reports/surveys", params=fx.PERIOD, headers=headers)).json()
    rows = by(surveys["items"], "title")
    k1 = rows["Marketing sociale di base"]
    assert (k1["invited"], k1["responses"], k1["visible"]) == (6, 5, True)
    for code, average in fx.EXPECTED["survey_k1"].items():
        assert k1[f"q_{code}"] == pytest.approx(average), code
    k2 = rows["Inclusione lavorativa"]
    assert (k2["invited"], k2["responses"], k2["visible"]) == (2, 2, False)
    assert k2["q_overall"] is None

    trainers = (await client.get("/api/reports/surveys/trainers", params=fx.PERIOD, headers=headers)).json()["items"]
    assert [(t["trainer"], t["surveys"], t["responses"]) for t in trainers] == [("Tina Formatrice", 1, 5)]
    assert trainers[0]["q_trainer"] == pytest.approx(4.6)


async def test_filters_cooperative_province_kind(client):
    data = await fx.build()
    headers = await bearer(data["admin"])
    beta = (await client.get("/api/reports/summary", params={**fx.PERIOD, "cooperative_id": data["beta"].id},
                             headers=headers)).json()["summary"]
    # Beta's people: b1 and b2 in K1 only (b3 cancelled before the start, waiting on K3).
    assert (beta["courses"], beta["delivered_minutes"], beta["participants"]) == (1, 420, 2)
    assert (beta["scheduled_minutes"], beta["attended_minutes"]) == (840, 560)
    assert (beta["cohort"], beta["completed"], beta["dropped"]) == (2, 1, 0)
    pavia = (await client.get("/api/reports/summary", params={**fx.PERIOD, "province": "PV"},
                              headers=headers)).json()["summary"]
    assert (pavia["courses"], pavia["participants"], pavia["attended_minutes"]) == (1, 1, 300)
    inclusion = (await client.get("/api/reports/summary", params={**fx.PERIOD, "kind": "inclusion"},
                                  headers=headers)).json()["summary"]
    assert (inclusion["courses"], inclusion["delivered_minutes"], inclusion["participants"]) == (1, 300, 2)


async def test_coordinator_sees_own_cooperative_and_each_workers_hours(client):
    data = await fx.build()
    headers = await bearer(data["coordinator"])
    summary = (await client.get("/api/reports/summary", params=fx.PERIOD, headers=headers)).json()
    assert summary["scope"]["view"] == "cooperative" and summary["scope"]["cooperative_id"] == data["alfa"].id
    assert summary["summary"]["participants"] == 5
    assert summary["summary"]["attended_minutes"] == 1100
    workers = by((await client.get("/api/reports/workers", params=fx.PERIOD, headers=headers)).json()["items"],
                 "full_name")
    assert workers["Alfa Persona 1"]["attended_minutes"] == 420 and workers["Alfa Persona 1"]["courses"] == 2
    assert workers["Alfa Persona 1"]["scheduled_minutes"] == 660
    assert workers["Alfa Persona 5"]["attended_minutes"] == 0  # cancelled: not a participation
    assert workers["Carla Coordinatrice"]["courses"] == 0
    assert "Beta Persona 1" not in workers


async def test_trainer_sees_own_courses(client):
    data = await fx.build()
    headers = await bearer(data["t1"])
    courses = by((await client.get("/api/reports/courses", params=fx.PERIOD, headers=headers)).json()["items"],
                 "title")
    assert set(courses) == {"Marketing sociale di base", "Formare i formatori"}
    k1 = courses["Marketing sociale di base"]
    assert (k1["sessions"], k1["delivered_minutes"], k1["participants"], k1["attended_minutes"]) == (2, 420, 6, 1600)
    assert k1["attendance_rate"] == pytest.approx(1600 / 2520)
    summary = (await client.get("/api/reports/summary", params=fx.PERIOD, headers=headers)).json()["summary"]
    assert summary["delivered_minutes"] == 660


async def test_period_bounds_are_rome_days(client):
    """A period ending 31 October leaves out the lesson starting at 00:30 on 1 November (Rome)."""
    data = await fx.build()
    headers = await bearer(data["admin"])
    october = (await client.get("/api/reports/summary", params={"from": "2025-10-01", "to": "2025-10-31"},
                                headers=headers)).json()["summary"]
    assert (october["sessions"], october["delivered_minutes"]) == (1, 180)
    november = (await client.get("/api/reports/summary", params={"from": "01/11/2025", "to": "30/11/2025"},
                                 headers=headers)).json()["summary"]
    assert (november["sessions"], november["delivered_minutes"]) == (1, 120)


async def test_office_dashboard_query_count_is_constant(client, count_queries):
    data = await fx.build()
    await login(client, "office@example.test")
    url = "/reports?from=2025-01-01&to=2025-12-31"
    with count_queries() as few:
        response = await client.get(url)
        assert response.status_code == 200, response.text
    # Much more data: courses, sessions, people, enrolments, attendance.
    path = await make_path("other")
    for n in range(4):
        course = await make_course(path, trainers=[data["t2"]], title=f"Sicurezza {n}")
        sessions = [await make_session(course, rome(fx.date(2025, 5, 5 + n), 9) + timedelta(days=7 * k), 120)
                    for k in range(3)]
        for m in range(4):
            person = await make_person(cooperative=data["beta"], area="varie")
            enrolment = await make_enrolment(person, course)
            for session in sessions:
                await Attendance.insert(Attendance(session=session.id, enrolment=enrolment.id, minutes=100,
                                                   status="present"))
        await make_enrolment(await make_person(cooperative=data["gamma"]), course,
                             status=EnrolmentStatus.WAITLISTED.value)
    with count_queries() as many:
        response = await client.get(url)
        assert response.status_code == 200
    assert many.count == few.count
    assert few.count <= 14, few.statements
    api_headers = await bearer(data["admin"])
    with count_queries() as api:
        assert (await client.get("/api/reports/summary", params=fx.PERIOD, headers=api_headers)).status_code == 200
    assert api.count <= 9


async def test_sessions_still_to_come_are_not_delivered(client, admin):
    from training_hub.core.timeutil import utcnow

    course = await make_course(await make_path("other"), title="A cavallo di oggi")
    await make_session(course, utcnow() - timedelta(days=2), 60)
    await make_session(course, utcnow() + timedelta(days=2), 90)
    person = await make_person()
    await make_enrolment(person, course)
    today = utcnow().date()
    period = {"from": (today - timedelta(days=10)).isoformat(), "to": (today + timedelta(days=10)).isoformat()}
    summary = (await client.get("/api/reports/summary", params=period, headers=await bearer(admin))).json()["summary"]
    assert (summary["sessions"], summary["delivered_minutes"], summary["scheduled_minutes"]) == (1, 60, 60)
    assert summary["participants"] == 1


async def test_completion_counts_whom_attendance_finds_eligible_for_the_certificate(client, admin):
    """Reaching the threshold exactly counts, and a session lasts what attendance says it lasts
    (whole minutes rounded down: 100 minutes and 40 seconds are 100 minutes)."""
    from training_hub.core.tables import Course, Session
    from training_hub.core.timeutil import utcnow

    course = await make_course(await make_path("other"), title="Soglia esatta", attendance_threshold=70)
    session = await make_session(course, utcnow() - timedelta(days=2), 100)
    ends_at = session.ends_at + timedelta(seconds=40)
    await Session.update({Session.ends_at: ends_at}).where(Session.id == session.id)
    await Course.update({Course.ends_at: ends_at}).where(Course.id == course.id)
    people = [await make_person() for _ in range(2)]
    for person, minutes in zip(people, (70, 69), strict=True):
        enrolment = await make_enrolment(person, course)
        await Attendance.insert(Attendance(session=session.id, enrolment=enrolment.id, minutes=minutes,
                                           status="left_early"))
    headers = await bearer(admin)
    rows = (await client.get(f"/api/courses/{course.id}/attendance", headers=headers)).json()
    eligible = sorted(row["certificate_eligible"] for row in rows)
    assert eligible == [False, True] and {row["scheduled_minutes"] for row in rows} == {100}
    today = utcnow().date()
    period = {"from": (today - timedelta(days=10)).isoformat(), "to": today.isoformat()}
    summary = (await client.get("/api/reports/summary", params=period, headers=headers)).json()["summary"]
    assert (summary["delivered_minutes"], summary["cohort"], summary["completed"]) == (100, 2, 1)
