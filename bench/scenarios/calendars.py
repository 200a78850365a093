"""A personal calendar feed with 200 sessions, as calendar apps poll it: the full feed and its 304.

The person is created here, in the bench process (same database as the server): confirmed enrolments
in 20 generated courses of 10 sessions each. Their feed URL comes from ``/api/me`` like any client's.
Goals on one worker: the full feed at least 1/5 of /healthz's rate, the 304 at least 1/2.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from icalendar import Calendar

from bench.framework import BenchContext, Probe
from training_hub.demo import DEMO_PASSWORD
from training_hub.security import hash_password
from training_hub.tables import Enrolment, EnrolmentStatus, Person, Session
from training_hub.timeutil import utcnow

EMAIL = "feed-reader@bench.test"
SESSIONS = 200


async def _person_with_sessions(ctx: BenchContext) -> None:
    if await Person.exists().where(Person.email == EMAIL):
        return
    person = Person(full_name="Lettrice Calendario", email=EMAIL, roles="worker",
                    cooperative=ctx.data["cooperative_ids"][0], password_hash=hash_password(DEMO_PASSWORD))
    await person.save()
    chosen, total = [], 0
    for course_id in ctx.data["course_ids"]:
        count = await Session.count().where(Session.course == course_id)
        if total + count > SESSIONS:
            continue
        chosen.append(course_id)
        total += count
        if total == SESSIONS:
            break
    now = utcnow()
    await Enrolment.insert(*[
        Enrolment(person=person.id, course=course_id, status=EnrolmentStatus.CONFIRMED.value, enrolled_by=person.id,
                  confirmed_at=now)
        for course_id in chosen
    ])


async def probes(ctx: BenchContext) -> list[Probe]:
    await _person_with_sessions(ctx)
    if ctx.engine == "PostgreSQL":
        # Fresh bulk-loaded tables have no planner statistics yet (autovacuum has not run), and
        # PostgreSQL would plan the feed's joins as sequential scans; a production database has them.
        await Session.raw("ANALYZE")
    headers = await ctx.bearer(EMAIL)
    async with httpx.AsyncClient(base_url=ctx.base_url) as client:
        me = (await client.get("/api/me", headers=headers)).json()
        path = urlsplit(me["calendar_url"]).path  # the server's base URL may name another port
        first = await client.get(path)
        first.raise_for_status()
    events = len(Calendar.from_ical(first.content).events)
    etag = first.headers["etag"]
    note = f"{events} sessions, {len(first.content) // 1024} KB"
    return [
        Probe(name=f"personal feed, {events} sessions (full)", path=path, note=note),
        Probe(name="personal feed, 304 revalidation", path=path, headers={"If-None-Match": etag}, expect=(304,),
              note="If-None-Match"),
    ]
