"""Importing a videoconference's participant report: dry run, recording, the register, and bad input
(a clear message and nothing recorded)."""

import io
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from tests.factories import make_person
from tests.integration.funding.funding_setup import plan_setup
from tests.support import bearer, csrf_token, login, rome
from training_hub.core.tables import Attendance, Location, Person, Session
from training_hub.funding.tables import OnlineConnection

DATA = Path(__file__).resolve().parents[2] / "data"
EMAILS = ["anna.rossi@coop-aurora.it", "marco.bianchi@coop-aurora.it", "giulia.verdi@sollievo.coop",
          "luca.neri@sollievo.coop"]


async def _online_course(day: date, participants: int = 4):
    """A plan's action with one online session on ``day`` 09:00-13:00, people with the sample files' e-mails."""
    setup = await plan_setup(participants=participants, sessions=1, minutes=240, first_start=rome(day, 9),
                             code=f"ONLINE-{day.isoformat()}")
    online = Location(name="Aula virtuale", is_online=True)
    await online.save()
    session = setup.sessions[setup.courses[0].id][0]
    await Session.update({Session.location: online.id}).where(Session.id == session.id)
    for person, email in zip(setup.people, EMAILS, strict=False):
        await Person.update({Person.email: email}).where(Person.id == person.id)
    return setup, session


async def _upload(client, session_id, content, headers, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return await client.post(f"/api/sessions/{session_id}/attendance/import?{query}", headers=headers,
                             files={"file": ("report.csv", content, "text/csv")})


async def test_teams_dry_run_shows_minutes_unknown_accounts_and_records_nothing(client):
    setup, session = await _online_course(date(2026, 12, 2))
    response = await _upload(client, session.id, (DATA / "teams_attendance.csv").read_bytes(),
                             await bearer(setup.trainer), format="teams", dry_run="true")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["layout"] == "teams" and body["recorded"] is False
    minutes = {row["email"]: row["minutes"] for row in body["rows"]}
    assert minutes["anna.rossi@coop-aurora.it"] == 240  # joined before 09:00, left after 13:00: clipped
    assert minutes["marco.bianchi@coop-aurora.it"] == 207  # 09:12:30 - 12:40
    assert minutes["luca.neri@sollievo.coop"] == 238  # a second, overlapping connection counted once
    assert minutes["giulia.verdi@sollievo.coop"] == 218  # 88 + 130, the 20-minute gap left out
    assert {a["email"] for a in body["unmatched"]} >= {"niccolo.galli@example.org"}
    codes = {a["code"] for a in body["anomalies"]}
    assert "unknown_account" in codes and "gap" in " ".join(codes)
    assert await Attendance.count() == 0 and await OnlineConnection.count() == 0


def _generic(rows: list[tuple[str, str, str]]) -> bytes:
    return ("email;joined_at;left_at\n" + "".join(f"{e};{j};{l}\n" for e, j, l in rows)).encode()


async def test_recording_writes_attendance_and_the_funded_register_prints_connections(client):
    setup, session = await _online_course(date(2026, 11, 24), participants=2)  # yesterday: recording is open
    content = _generic([(EMAILS[0], "24/11/2026 08:55", "24/11/2026 13:02"),
                        (EMAILS[1], "24/11/2026 09:20", "24/11/2026 11:00"),
                        (EMAILS[1], "24/11/2026 11:30", "24/11/2026 13:00")])
    headers = await bearer(setup.trainer)
    response = await _upload(client, session.id, content, headers, format="generic")
    assert response.status_code == 200, response.text
    assert response.json()["recorded"] is True
    rows = {row["enrolment"]: row for row in await Attendance.select().where(Attendance.session == session.id)}
    first, second = (setup.enrolments[(setup.courses[0].id, p.id)] for p in setup.people)
    assert rows[first.id]["minutes"] == 240 and rows[first.id]["status"] == "present"
    assert rows[second.id]["minutes"] == 100 + 90 and rows[second.id]["status"] == "late"
    assert {row["recorded_via"] for row in rows.values()} == {"import"}
    assert await OnlineConnection.count().where(OnlineConnection.enrolment == second.id) == 2
    # The fund's register prints connections and the platform identity in place of signatures.
    pdf = await client.get(f"/courses/{setup.courses[0].id}/register.pdf", headers=headers)
    assert pdf.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "09:20-11:00, 11:30-13:00" in text
    assert EMAILS[1] in text
    assert "Identità sulla piattaforma" in text and f"Piano {setup.plan.code}" in text
    # Importing again replaces the connections, never adds to them.
    assert (await _upload(client, session.id, content, headers, format="generic")).status_code == 200
    assert await OnlineConnection.count().where(OnlineConnection.enrolment == second.id) == 2


async def test_the_page_previews_then_records(client):
    setup, session = await _online_course(date(2026, 11, 24), participants=1)
    await login(client, setup.trainer.email)
    content = _generic([(EMAILS[0], "24/11/2026 09:00", "24/11/2026 12:00")])
    token = await csrf_token(client)
    preview = await client.post(f"/sessions/{session.id}/attendance/import",
                                data={"_csrf_token": token, "format": "", "action": "preview"},
                                files={"file": ("report.csv", content, "text/csv")})
    assert preview.status_code == 200, preview.text
    assert "180 / 240" in preview.text and await Attendance.count() == 0
    encoded = preview.text.split('name="content_b64" value="')[1].split('"')[0]
    record = await client.post(f"/sessions/{session.id}/attendance/import",
                               data={"_csrf_token": token, "format": "", "action": "record", "content_b64": encoded})
    assert record.status_code in (302, 303)
    assert (await Attendance.select(Attendance.minutes).first())["minutes"] == 180


async def test_bad_reports_get_a_clear_message_and_record_nothing(client):
    setup, session = await _online_course(date(2026, 11, 24), participants=2)
    headers = await bearer(setup.trainer)
    cases = {
        "unknown layout": (b"nome,cognome,ore\nAnna,Rossi,4\n", {}),
        "reversed": (_generic([(EMAILS[0], "24/11/2026 11:00", "24/11/2026 09:00")]), {"format": "generic"}),
        "outside the session": (_generic([(EMAILS[0], "24/11/2026 15:00", "24/11/2026 17:00")]), {"format": "generic"}),
        "another platform's file": ((DATA / "teams_attendance.csv").read_bytes(), {"format": "zoom"}),
        "empty": (b"", {}),
    }
    for name, (content, params) in cases.items():
        response = await _upload(client, session.id, content, headers, **params)
        assert response.status_code == 422, name
        body = response.json()
        assert body["detail"], name
        assert await Attendance.count() == 0, name
    # Windows-1252 (Excel's "CSV" on an Italian Windows) is read, accented names included.
    cp1252 = ("email;joined_at;left_at;name\n" f"{EMAILS[0]};24/11/2026 09:00;24/11/2026 13:00;Niccolò Làzzari\n"
              "ospite@example.org;24/11/2026 09:00;24/11/2026 10:00;Perché Sì\n").encode("cp1252")
    response = await _upload(client, session.id, cp1252, headers, format="generic", dry_run="true")
    assert response.status_code == 200, response.text
    assert response.json()["unmatched"][0]["display_name"] == "Perché Sì"


async def test_only_those_who_take_attendance_import(client):
    setup, session = await _online_course(date(2026, 11, 24), participants=1)
    content = _generic([(EMAILS[0], "24/11/2026 09:00", "24/11/2026 12:00")])
    for person in (await make_person("trainer"), setup.people[0]):
        response = await _upload(client, session.id, content, await bearer(person), dry_run="true")
        assert response.status_code in (403, 404)
    assert await Attendance.count() == 0
