"""The demo data obeys the rules the application enforces on a trainer who builds the same courses.

The demo is built relative to the day it is loaded, so it is loaded here on several days (through
time-machine, the clock then ticking from there) and every course is put through the application's own
checks: the schedule check a new or moved session meets (``load_schedule_context`` + ``check_schedule``,
errors and warnings alike), the course form saved unchanged (``update_course``), the enrolment window.
"""

import re
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser

import pytest
import time_machine

from tests.support import as_user, login
from training_hub.catalogue.courses import course_input_from, get_course_detail, update_course
from training_hub.catalogue.scheduling import PlannedSession, check_schedule
from training_hub.catalogue.sessions import load_schedule_context
from training_hub.core.errors import DomainError
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import (
    Course,
    CourseStatus,
    CourseTrainer,
    Enrolment,
    EnrolmentStatus,
    Person,
    Session,
)
from training_hub.core.timeutil import rome_wall_clock, to_rome, utcnow
from training_hub.demo import load_demo_data
from training_hub.enrolment.eligibility import load_course, opening_refusal, overlap_issues

# The days the demo is loaded on (at 08:28:41: the times it shows must not follow the clock).
# The office checks the demo's schedule: it sees every course, so clashes would be named.
ADMIN = CurrentUser(id=0, email="", full_name="", roles=frozenset({"admin"}), cooperative_id=None, language="it")

DEMO_DAYS = [
    date(2026, 11, 25),  # the suite's day: Sant'Ambrogio and San Siro (Milano, Pavia) in the coming weeks
    date(2026, 12, 14),  # Christmas, Santo Stefano, the year-end closure, New Year and Epifania ahead
    date(2026, 10, 12),  # the October DST change (25/10), Ognissanti, Cremona's patron saint (13/11) ahead
    date(2027, 9, 24),  # a Friday; San Francesco (Monday 4/10/2027), the DST change, Ognissanti ahead
    date(2027, 3, 14),  # a Sunday; Mantova's patron, Easter on the night of the March DST change
    date(2027, 8, 7),  # a Saturday; Bergamo's and Como's patron saints ahead (26/8, 31/8)
    date(2027, 1, 18),  # an edition held six weeks ago would have started on Sant'Ambrogio (7/12)
]


def _shown(instant: datetime) -> str:
    return to_rome(instant).strftime("%d/%m/%Y %H:%M:%S")


async def _course_trainers(course_id: int) -> frozenset[int]:
    return frozenset(r["person"] for r in await CourseTrainer.select(CourseTrainer.person).where(
        CourseTrainer.course == course_id))


@pytest.mark.parametrize("today", DEMO_DAYS, ids=str)
async def test_demo_data_passes_the_applications_own_checks(today):
    with time_machine.travel(rome_wall_clock(today, time(8, 28, 41)), tick=True):
        await load_demo_data()
        now = utcnow()
        admin = as_user(await Person.select().where(Person.email == "admin@demo.test").first())
        courses = await Course.select().order_by(Course.id)
        assert len(courses) >= 15
        problems: list[str] = []
        for course in courses:
            title = course["title"]
            sessions = await Session.select(Session.id, Session.starts_at, Session.ends_at, Session.location,
                                            Session.trainer).where(Session.course == course["id"]).order_by(
                Session.starts_at)
            assert sessions, title
            trainers = await _course_trainers(course["id"])
            assert trainers, title
            # Every session placed at once, as a series would be: no clash with the other courses'
            # sessions (trainer, room), none between its own, and no warning either (Sunday, holiday,
            # patron saint, outside 08:00-22:00, more than 10 hours a day for the course or a trainer).
            # Past editions are entered after the fact: that they are past is the one warning they meet.
            planned = [PlannedSession(s["starts_at"], s["ends_at"], s["location"],
                                      frozenset({s["trainer"]}) if s["trainer"] else trainers, s["id"])
                       for s in sessions]
            context = await load_schedule_context(course, planned, ADMIN)
            problems += [f"{title}: {issue.text}" for issue in check_schedule(planned, context)
                         if not (issue.code == "past" and course["status"] == "completed")]
            rooms = [context.locations[s["location"]] for s in sessions if s["location"]]
            problems += [f"{title}: {room.name} has {room.capacity} seats" for room in rooms
                         if room.capacity is not None and room.capacity < course["capacity"]]
            # The course's dates are those of its sessions; the enrolment window closes by the start and
            # the cancellation deadline comes before it; every instant shown is a round time.
            starts_at, ends_at = sessions[0]["starts_at"], max(s["ends_at"] for s in sessions)
            opens, closes, deadline = (course["enrolment_opens_at"], course["enrolment_closes_at"],
                                       course["cancellation_deadline"])
            if (course["starts_at"], course["ends_at"]) != (starts_at, ends_at):
                problems.append(f"{title}: course dates are not its sessions' dates")
            if not opens < closes <= starts_at:
                problems.append(f"{title}: enrolment from {_shown(opens)} to {_shown(closes)}, "
                                f"course from {_shown(starts_at)}")
            if not deadline < starts_at:
                problems.append(f"{title}: cancellation deadline {_shown(deadline)} "
                                f"not before {_shown(starts_at)}")
            problems += [f"{title}: {_shown(instant)} is no round time"
                         for instant in (opens, closes, deadline, *(s["starts_at"] for s in sessions),
                                         *(s["ends_at"] for s in sessions))
                         if to_rome(instant).minute % 15 or to_rome(instant).second]
            if course["status"] == CourseStatus.PUBLISHED and starts_at > now:
                refusal = opening_refusal(await load_course(course["id"]), now)  # open for enrolment
                if refusal is not None:
                    problems.append(f"{title}: {refusal.detail}")
            if course["status"] in (CourseStatus.DRAFT, CourseStatus.PUBLISHED):
                # The edit form saved unchanged is accepted.
                detail = await get_course_detail(admin, course["id"])
                try:
                    await update_course(admin, course["id"], course_input_from(detail))
                except DomainError as exc:
                    problems.append(f"{title}: saved unchanged, {exc.detail} {exc.field_errors}")
            elif ends_at >= now:
                problems.append(f"{title}: a completed edition still to be held")
        assert not problems, "\n".join(problems)
        # No one holds a confirmed seat in two courses meeting at the same time (enrolment warns of it).
        for row in await Enrolment.select(Enrolment.person, Enrolment.course).where(
                Enrolment.status == EnrolmentStatus.CONFIRMED):
            sessions = await Session.select(Session.starts_at, Session.ends_at, Session.status).where(
                Session.course == row["course"])
            assert await overlap_issues(row["person"], row["course"], sessions) == []
        # What the demo is about stays: courses in the coming weeks, editions held in the past weeks.
        starts = sorted(to_rome(c["starts_at"]).date() for c in courses)
        assert starts[0] < today < starts[-1] <= today + timedelta(weeks=12)



class _FormFields(HTMLParser):
    """What a browser submits from the page's form posting to ``action``, left as it is."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.fields = action, []
        self._inside = False
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        if tag == "form":
            self._inside = attr.get("action") == self.action
        if not self._inside:
            return
        if tag == "input" and attr.get("name"):
            if attr.get("type") in ("checkbox", "radio"):
                if "checked" in attr:
                    self.fields.append((attr["name"], attr.get("value") or "on"))
            elif attr.get("type") not in ("submit", "button"):
                self.fields.append((attr["name"], attr.get("value") or ""))
        elif tag == "select":
            self._select, self._options = attr["name"], []
        elif tag == "option" and self._select:
            self._options.append((attr.get("value") or "", "selected" in attr))
        elif tag == "textarea":
            self._textarea, self._text = attr["name"], []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected] or [self._options[0][0]]
            self.fields.append((self._select, chosen[0]))
            self._select = None


async def test_every_demo_course_edit_form_saves_unchanged(client):
    """The reviewer's way in: a trainer (or the office) opens the edit form of a demo course and saves it."""
    await load_demo_data()
    courses = await Course.select(Course.id, Course.title, Course.status, Course.created_by).where(
        Course.status == CourseStatus.PUBLISHED).order_by(Course.id)
    authors = {row["id"]: row["email"] for row in await Person.select(Person.id, Person.email)}
    for email in sorted({authors[c["created_by"]] for c in courses}):
        await login(client, email)
        for course in (c for c in courses if authors[c["created_by"]] == email):
            action = f"/trainer/courses/{course['id']}/edit"
            form = await client.get(action)
            assert form.status_code == 200, course["title"]
            parser = _FormFields(action)
            parser.feed(form.text)
            data: dict[str, list[str]] = {}
            for name, value in parser.fields:
                data.setdefault(name, []).append(value)
            saved = await client.post(action, data=data)
            errors = re.findall(r'<p class="field-error"[^>]*>([^<]*)</p>', saved.text)
            assert saved.status_code in (302, 303), (course["title"], email, saved.status_code, errors)
            assert saved.headers["location"].endswith(f"/trainer/courses/{course['id']}")
