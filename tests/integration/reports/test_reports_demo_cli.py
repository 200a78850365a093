"""The demo data fills the dashboards; the open-surveys command; the English pages."""

import os
import subprocess
import sys
from datetime import timedelta

from tests.factories import make_course, make_enrolment, make_person, make_session
from tests.support import bearer, login
from training_hub.core.tables import Outbox, Survey, SurveyInvitation
from training_hub.core.timeutil import utcnow
from training_hub.demo import load_demo_data


async def test_demo_data_gives_the_dashboards_something_to_show(client):
    await load_demo_data()
    admin = await bearer(await _person("admin@demo.test"))
    period = {"from": (utcnow() - timedelta(days=120)).date().isoformat(), "to": utcnow().date().isoformat()}
    summary = (await client.get("/api/reports/summary", params=period, headers=admin)).json()["summary"]
    assert summary["courses"] >= 4 and summary["attended_minutes"] > 0 and summary["survey_responses"] >= 13
    surveys = (await client.get("/api/reports/surveys", params=period, headers=admin)).json()["items"]
    assert sum(1 for row in surveys if row["visible"]) == 2
    assert any(row["status"] == "open" for row in surveys)
    trainer = (await client.get("/api/reports/surveys", params=period,
                                headers=await bearer(await _person("trainer@demo.test")))).json()["items"]
    assert any(row["visible"] for row in trainer)
    await login(client, "coordinator@demo.test")
    assert (await client.get("/reports/cooperative", params=period)).status_code == 200
    await login(client, "worker@demo.test")
    assert "Formazione generale dei lavoratori (edizione precedente)" in (await client.get("/surveys")).text


async def _person(email):
    from training_hub.core.tables import Person

    row = await Person.objects().where(Person.email == email).first()
    return row


def test_open_surveys_command():
    env = {**os.environ}
    result = subprocess.run([sys.executable, "-m", "training_hub.cli", "open-surveys"], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Questionari aperti: 0, promemoria inviati: 0, questionari chiusi: 0." in result.stdout


async def test_open_surveys_command_opens_a_due_survey():
    course = await make_course()
    await make_session(course, utcnow() - timedelta(days=2), 120)
    await make_enrolment(await make_person(), course)
    result = subprocess.run([sys.executable, "-m", "training_hub.cli", "open-surveys"], capture_output=True,
                            text=True, env={**os.environ}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Questionari aperti: 1" in result.stdout
    survey = await Survey.select().where(Survey.course == course.id).first()
    assert survey is not None and await SurveyInvitation.count().where(SurveyInvitation.survey == survey["id"]) == 1
    assert await Outbox.count().where(Outbox.kind == "survey_invitation") == 1


async def test_pages_in_english(client):
    await make_person(roles="admin", email="office@example.test", language="en")
    await login(client, "office@example.test")
    html = (await client.get("/reports")).text
    assert "Training reports" in html and "Hours delivered" in html and "At a glance" in html
