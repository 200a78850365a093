"""Demo funded plan: a Fon.Coop plan with two actions, so every page of the funding feature has
something to show.

* the plan ``FONCOOP-AVV-2026-014`` (the code the demo courses already print), running, de minimis;
* action A1: "Analisi dei fabbisogni formativi", in the coming days, whose first session was moved at
  short notice (the schedule change log flags it, Fon.Coop form C3);
* action A2: the pilot edition already held, whose second session was online: its Microsoft Teams
  attendance report is imported through the service, so the register prints connections;
* the home cooperative's fund data are complete, the other cooperatives' are not, and one participant
  has no job grade, hire date or codice fiscale: the checks page has something to say.

Called by the demo loader once courses, people and past editions exist.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import Cooperative, Location, Session
from training_hub.core.timeutil import rome_wall_clock, to_rome, to_utc
from training_hub.funding.online import import_report
from training_hub.funding.schedule import log_schedule_change
from training_hub.funding.tables import FundedAction, FundedPlan, ParticipantFundData

PLAN_CODE = "FONCOOP-AVV-2026-014"
UPCOMING_ACTION = "Analisi dei fabbisogni formativi"
PAST_ACTION = "Progettare la formazione interna (edizione pilota)"
HOME_COOPERATIVE = "Cooperativa Sociale Spazio Aperto"
EDUCATION = ["diploma", "laurea", "qualifica", "laurea_magistrale", "licenza_media"]
GRADES = ["impiegato", "operaio_qualificato", "impiegato_direttivo", "operaio_generico"]


def _teams_stamp(instant: datetime) -> str:
    """How the English Teams client writes a time: 11/18/26, 2:31:05 PM (Rome wall clock)."""
    local = to_rome(instant)
    hour = local.hour % 12 or 12
    return (f"{local.month}/{local.day}/{local.year % 100:02d}, {hour}:{local.minute:02d}:{local.second:02d} "
            f"{'AM' if local.hour < 12 else 'PM'}")


def teams_report(title: str, start: datetime, end: datetime,
                 connections: list[tuple[str, str, datetime, datetime]]) -> bytes:
    """A Microsoft Teams attendance report (UTF-16, tab-separated, three sections) for ``connections``:
    (name, email, joined, left). Also used by the benchmark to build a large report."""
    lines = ["1. Summary", f"Meeting title\t{title}", f"Start time\t{_teams_stamp(start)}",
             f"End time\t{_teams_stamp(end)}", "", "3. In-Meeting Activities",
             "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole"]
    for name, email, joined, left in connections:
        minutes = int((left - joined).total_seconds() // 60)
        lines.append(f"{name}\t{_teams_stamp(joined)}\t{_teams_stamp(left)}\t{minutes // 60}h {minutes % 60}m\t"
                     f"{email}\tAttendee")
    return "\r\n".join(lines).encode("utf-16")


async def load_funding_demo(today: date) -> dict[str, Any]:
    admin_row = await fetch_one("SELECT id, email, full_name, roles, cooperative, language FROM person "
                                "WHERE email = {}", "admin@demo.test")
    upcoming = await fetch_one("SELECT id FROM course WHERE title = {}", UPCOMING_ACTION)
    past = await fetch_one("SELECT id FROM course WHERE title = {}", PAST_ACTION)
    if admin_row is None or upcoming is None or past is None:
        return {"funded_plans": 0}
    admin = CurrentUser.from_row(admin_row)

    home = await fetch_one("SELECT id, tax_code FROM cooperative WHERE name = {}", HOME_COOPERATIVE)
    if home:
        await Cooperative.update({Cooperative.ateco: "88.10.00", Cooperative.inps_number: "4912345678",
                                  Cooperative.vat_number: home["tax_code"] or "", Cooperative.size: "piccola"}).where(
            Cooperative.id == home["id"])

    plan = FundedPlan(fund="foncoop", channel="Avviso 1/2026 - Piani aziendali", code=PLAN_CODE,
                      title="Competenze per la formazione interna", starts_on=today - timedelta(days=60),
                      ends_on=today + timedelta(days=200), aid_regime="de_minimis", status="running",
                      created_by=admin.id)
    await plan.save()
    await FundedAction.insert(FundedAction(plan=plan.id, course=past["id"], action_code="A1"),
                              FundedAction(plan=plan.id, course=upcoming["id"], action_code="A2"))

    # The participants' fund data: complete for all but one.
    people = await fetch_all(
        "SELECT DISTINCT p.id, p.full_name FROM enrolment e JOIN person p ON p.id = e.person "
        "WHERE e.course IN ({}, {}) AND e.status = 'confirmed' ORDER BY p.id", past["id"], upcoming["id"])
    for n, person in enumerate(people):
        given, _space, family = person["full_name"].partition(" ")
        complete = n != 1
        await ParticipantFundData.insert(ParticipantFundData(
            person=person["id"], family_name=family, given_names=given, citizenship="IT" if n % 4 else "RO",
            education_level=EDUCATION[n % len(EDUCATION)], contract_type="tempo_indeterminato",
            job_grade=GRADES[n % len(GRADES)] if complete else "", ccnl="Cooperative sociali",
            ccnl_level="C1" if n % 2 else "D2", hire_date=date(2012 + n % 10, 1 + n % 12, 1) if complete else None,
            hourly_cost=Decimal("18.50") + n % 3, updated_by=admin.id))

    # A2, held online the second time: the Teams report imported as the office's correction.
    online = await Location.select(Location.id).where(Location.is_online.eq(True)).first()
    sessions = await Session.select(Session.id, Session.starts_at, Session.ends_at).where(
        Session.course == past["id"]).order_by(Session.starts_at)
    imported = 0
    if online and len(sessions) >= 2:
        held = sessions[1]
        await Session.update({Session.location: online["id"]}).where(Session.id == held["id"])
        participants = await fetch_all(
            "SELECT p.full_name, p.email FROM enrolment e JOIN person p ON p.id = e.person "
            "WHERE e.course = {} AND e.status = 'confirmed' ORDER BY p.id", past["id"])
        start, end = held["starts_at"], held["ends_at"]
        connections = []
        for n, person in enumerate(participants):
            if n == 2:
                continue  # never connected
            joined = start - timedelta(minutes=3) + timedelta(minutes=12 * (n == 3))
            if n == 0:  # a dropped connection, back after a quarter of an hour
                connections.append((person["full_name"], person["email"], joined, start + timedelta(minutes=70)))
                connections.append((person["full_name"], person["email"], start + timedelta(minutes=85),
                                    end + timedelta(minutes=2)))
            else:
                connections.append((person["full_name"], person["email"], joined, end - timedelta(minutes=5 * n)))
        connections.append(("Ospite esterno", "ospite@example.org", start + timedelta(minutes=30),
                            start + timedelta(minutes=60)))
        result = await import_report(admin, held["id"], teams_report(PAST_ACTION, start, end, connections),
                                     layout="teams", dry_run=False, now=end + timedelta(hours=1))
        imported = len(result["rows"])

    # A1: its first session had been set two days from now and was moved to where it is: short notice.
    first = await Session.select(Session.id, Session.starts_at, Session.ends_at, Session.location).where(
        Session.course == upcoming["id"]).order_by(Session.starts_at).first()
    if first:
        now = to_utc(rome_wall_clock(today, time(9, 0)))
        old_start = first["starts_at"] - timedelta(days=(to_rome(first["starts_at"]).date() - today).days - 2)
        await log_schedule_change(
            actor_id=admin.id, session_id=first["id"], course_id=upcoming["id"], changed_at=now,
            old={"starts_at": old_start, "ends_at": old_start + (first["ends_at"] - first["starts_at"]),
                 "location_id": first["location"], "online_url": None},
            new={"starts_at": first["starts_at"], "ends_at": first["ends_at"], "location_id": first["location"],
                 "online_url": None})
    return {"funded_plans": 1, "participants": len(people), "imported_rows": imported}
