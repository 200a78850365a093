"""A few rows of the audit trail, so the office's audit log (``/admin/audit``) shows what it is for in
the demo: people created by the office, a course published, a tutor reading the training record of a
person she follows. Never any content of restricted data, as in the real trail."""

from __future__ import annotations

from training_hub.core.audit import record_audit_event
from training_hub.core.tables import Course, CourseStatus, Person, TutorLink


async def load_audit_demo(admin_id: int, tutor_id: int) -> int:
    count = 0
    for person in await Person.select(Person.id).where(Person.id != admin_id).order_by(Person.id).limit(5):
        await record_audit_event("person.created", actor_id=admin_id, entity="person", entity_id=person["id"])
        count += 1
    course = await Course.select(Course.id, Course.created_by).where(
        Course.status == CourseStatus.PUBLISHED.value).order_by(Course.id).first()
    if course is not None:
        await record_audit_event("course.published", actor_id=course["created_by"] or admin_id, entity="course",
                                 entity_id=course["id"])
        count += 1
    link = await TutorLink.select(TutorLink.person).where(TutorLink.tutor == tutor_id).order_by(TutorLink.id).first()
    if link is not None:
        await record_audit_event("training_record.read", actor_id=tutor_id, entity="person",
                                 entity_id=link["person"])
        count += 1
    return count
