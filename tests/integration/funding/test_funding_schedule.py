"""The schedule change log: every change of time or place, flagged at short notice (Fon.Coop form C3)."""

from datetime import date

from tests.factories import make_location, make_person
from tests.integration.funding.funding_setup import plan_setup
from tests.support import bearer, login, rome


async def _session_on(day: date):
    setup = await plan_setup(participants=1, sessions=1, first_start=rome(day, 9))
    return setup, setup.sessions[setup.courses[0].id][0]


async def test_a_move_four_working_days_ahead_is_short_notice(client):
    # Today is Wednesday 25/11/2026: Monday 30/11 leaves 26, 27 (Thu, Fri) = 2 working days.
    setup, session = await _session_on(date(2026, 11, 30))
    headers = await bearer(setup.trainer)
    response = await client.patch(f"/api/sessions/{session.id}", headers=headers,
                                  json={"starts_at": "2026-12-21T14:00", "ends_at": "2026-12-21T16:00",
                                        "confirm_warnings": True})
    assert response.status_code == 200, response.text
    changes = (await client.get(f"/api/courses/{setup.courses[0].id}/schedule-changes", headers=headers)).json()
    assert len(changes) == 1
    change = changes[0]
    assert change["session_id"] == session.id
    assert change["old_starts_at"] == "2026-11-30T09:00:00+01:00"
    assert change["new_starts_at"] == "2026-12-21T14:00:00+01:00"
    assert change["changed_by_name"] == "Marco Bianchi"
    assert change["short_notice"] is True  # the old start was too close


async def test_a_move_between_far_dates_is_in_time_and_topics_alone_are_not_logged(client):
    # 21/12 → 22/12: from 25/11 both are weeks away.
    setup, session = await _session_on(date(2026, 12, 21))
    headers = await bearer(setup.trainer)
    assert (await client.patch(f"/api/sessions/{session.id}", headers=headers,
                               json={"topics": "Altri argomenti"})).status_code == 200
    location = await make_location(name="Sala Arcobaleno", comune="Bergamo")
    response = await client.patch(f"/api/sessions/{session.id}", headers=headers,
                                  json={"starts_at": "2026-12-22T09:00", "ends_at": "2026-12-22T11:00",
                                        "location_id": location.id, "confirm_warnings": True})
    assert response.status_code == 200, response.text
    changes = (await client.get(f"/api/courses/{setup.courses[0].id}/schedule-changes", headers=headers)).json()
    assert [c["short_notice"] for c in changes] == [False]
    assert changes[0]["new_place"] == "Sala Arcobaleno, Bergamo"


async def test_moving_a_far_session_to_next_week_is_short_notice_by_its_new_start(client):
    # 7/12 is Monday, 8/12 (Immacolata) a holiday: a move to Wed 2/12 leaves 26, 27, 30/11, 1/12 = 4 days.
    setup, session = await _session_on(date(2026, 12, 21))
    headers = await bearer(setup.trainer)
    await client.patch(f"/api/sessions/{session.id}", headers=headers,
                       json={"starts_at": "2026-12-02T09:00", "ends_at": "2026-12-02T11:00", "confirm_warnings": True})
    changes = (await client.get(f"/api/courses/{setup.courses[0].id}/schedule-changes", headers=headers)).json()
    assert changes[0]["short_notice"] is True


async def test_the_page_lists_changes_and_others_are_refused(client):
    setup, session = await _session_on(date(2026, 11, 30))
    await client.patch(f"/api/sessions/{session.id}", headers=await bearer(setup.trainer),
                       json={"starts_at": "2026-12-21T14:00", "ends_at": "2026-12-21T16:00", "confirm_warnings": True})
    await login(client, setup.trainer.email)
    page = await client.get(f"/courses/{setup.courses[0].id}/schedule-changes")
    assert page.status_code == 200
    assert "30/11/2026" in page.text and "21/12/2026" in page.text and "Preavviso breve" in page.text
    worker = setup.people[0]
    assert (await client.get(f"/api/courses/{setup.courses[0].id}/schedule-changes",
                             headers=await bearer(worker))).status_code == 403
    other_trainer = await make_person("trainer")
    assert (await client.get(f"/api/courses/{setup.courses[0].id}/schedule-changes",
                             headers=await bearer(other_trainer))).status_code == 403
