"""The office's audit log (issue 14, item 7): who did what and when, filterable by person, course, kind
and period, paginated, exportable to CSV — and never the content of special-category data."""

from __future__ import annotations

import csv
import io

from tests.factories import make_course, make_enrolment, make_person, make_session
from tests.support import bearer, login
from training_hub.core.tables import AccessibilityNeeds, AuditEvent


async def _history(client, admin, cooperative):
    trainer = await make_person("trainer", full_name="Tina Formatrice")
    worker = await make_person(cooperative=cooperative, full_name="Walter Lavoratore", email="walter@example.test")
    other = await make_person(cooperative=cooperative, full_name="Olga Altra")
    course = await make_course(trainers=[trainer], title="Comunicare il sociale", requires_approval=True)
    await make_session(course)
    other_course = await make_course(title="Un altro titolo")
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=worker.id, interpreter=True, notes="Sedia a rotelle",
                                                       recorded_by=worker.id))
    pending = await make_enrolment(worker, course, status="pending")
    await make_enrolment(other, other_course, status="pending")
    office = await bearer(admin)
    approved = await client.post(f"/api/enrolments/{pending.id}/approve", json={}, headers=office)
    assert approved.status_code == 200, approved.text
    assert (await client.get(f"/api/people/{worker.id}/accessibility-needs",
                             headers=await bearer(trainer))).status_code == 200
    return worker, other, course, trainer


async def test_the_office_filters_the_log_by_person_course_kind_and_period(client, admin, cooperative):
    worker, other, course, trainer = await _history(client, admin, cooperative)
    await login(client, admin.email)
    everything = await client.get("/admin/audit")
    assert everything.status_code == 200
    assert "Iscrizione approvata" in everything.text and "Necessità di accessibilità lette" in everything.text
    by_person = await client.get(f"/admin/audit?person={worker.id}")
    assert "Walter Lavoratore" in by_person.text and "Olga Altra" not in by_person.text
    assert by_person.text.count("<tr>") == 1 + 2  # the heading, the approval, the read of the needs
    by_name = await client.get("/admin/audit?person=walter%40example")
    assert by_name.text.count("<tr>") == 3
    by_course = await client.get("/admin/audit?course=comunicare")
    assert "Comunicare il sociale" in by_course.text and by_course.text.count("<tr>") == 1 + 1  # the approval
    needs = await client.get("/admin/audit?kind=needs")
    assert needs.text.count("<tr>") == 2 and "Tina Formatrice" in needs.text
    assert (await client.get("/admin/audit?from=2026-11-26")).text.count("<tr>") == 0
    assert (await client.get("/admin/audit?from=2026-11-25&to=2026-11-25")).text.count("<tr>") == 3
    # Never the content of the needs, nor the data of any event.
    for response in (everything, by_person, needs):
        assert "Sedia" not in response.text and "interpreter" not in response.text
    # The CSV has the rows the page shows.
    exported = await client.get(f"/admin/audit.csv?person={worker.id}")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 2 and "Sedia" not in exported.text
    assert {row[3] for row in rows[1:]} == {"enrolment.approved", "accessibility_needs.read"}
    assert all(row[4] == "Walter Lavoratore" for row in rows[1:])


async def test_bad_filters_are_said_next_to_the_field(client, admin):
    await login(client, admin.email)
    for query, field in (("from=31-31-2026", "from"), ("kind=nessuno", "kind"), ("page=abc", "page"),
                         ("person=%01x", "person"), ("from=2026-12-01&to=2026-11-01", "from")):
        response = await client.get(f"/admin/audit?{query}")
        assert response.status_code == 422, query
        if field != "page":
            assert f'id="{field}-error"' in response.text, query


async def test_only_the_office_reads_the_log(client, cooperative, coordinator, trainer):
    for person in (coordinator, trainer):
        await login(client, person.email)
        assert (await client.get("/admin/audit")).status_code in (302, 303, 403)
        assert (await client.get("/admin/audit.csv")).status_code in (302, 303, 403)


async def test_pages_of_fifty_in_a_fixed_number_of_statements(client, admin, count_queries):
    await login(client, admin.email)
    await AuditEvent.insert(*[AuditEvent(actor=admin.id, action="course.updated", entity="course", entity_id=i)
                              for i in range(1, 4)])
    with count_queries() as few:
        await client.get("/admin/audit")
    await AuditEvent.insert(*[AuditEvent(actor=admin.id, action="course.updated", entity="course", entity_id=i)
                              for i in range(1, 120)])
    with count_queries() as many:
        first = await client.get("/admin/audit")
    assert many.count == few.count
    assert first.text.count("<tr>") == 1 + 50 and "Pagina 1 di 3" in first.text
    last = await client.get("/admin/audit?page=3")
    assert last.text.count("<tr>") == 1 + 22
