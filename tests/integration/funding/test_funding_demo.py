"""The demo shows every part of the funding feature."""

import io

from pypdf import PdfReader

from tests.support import bearer
from training_hub.core.tables import Attendance, Person
from training_hub.demo.loader import load_demo_data
from training_hub.funding.tables import FundedPlan, OnlineConnection


async def test_the_demo_plan_has_two_actions_an_online_report_a_short_notice_change_and_something_to_fix(client):
    await load_demo_data()
    admin = await Person.select().where(Person.email == "admin@demo.test").first()
    headers = await bearer(admin["id"])
    plan = await FundedPlan.select().first()
    detail = (await client.get(f"/api/funded-plans/{plan['id']}", headers=headers)).json()
    assert detail["fund"] == "foncoop" and len(detail["actions"]) == 2
    checks = (await client.get(f"/api/funded-plans/{plan['id']}/checks", headers=headers)).json()
    assert {"job_grade", "hire_date"} <= {c["field"] for c in checks if "person_id" in c}
    assert any("cooperative_id" in c for c in checks)
    changes = [change for action in detail["actions"] for change in (await client.get(
        f"/api/courses/{action['course_id']}/schedule-changes", headers=headers)).json()]
    assert [c["short_notice"] for c in changes] == [True]
    assert await OnlineConnection.count() > 0
    assert await Attendance.count().where(Attendance.recorded_via == "import") > 0
    closing = (await client.get(f"/api/funded-plans/{plan['id']}/closing-report", headers=headers)).json()
    assert any(row["trained"] for row in closing["participants"])
    past = next(a for a in detail["actions"] if a["action_code"] == "A1")
    pdf = await client.get(f"/courses/{past['course_id']}/register.pdf", headers=headers)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Collegamenti (entrata - uscita)" in text and "Firma in entrata" in text
    for url in ("/funded-plans", f"/funded-plans/{plan['id']}", f"/funded-plans/{plan['id']}/checks",
                f"/funded-plans/{plan['id']}/closing-report"):
        assert (await client.get(url, headers=headers)).status_code == 200, url
