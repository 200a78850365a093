"""Who manages a course (issue 12, item 4): the trainer list and the owning coordinator; the author only
while the course is a draft; only admins and the other managers change the trainer list."""

from __future__ import annotations

from tests.factories import make_course, make_path, make_person, make_session
from tests.support import bearer
from training_hub.core.tables import CourseStatus, CourseTrainer


async def _trainers(course_id: int) -> set[int]:
    return {r["person"] for r in await CourseTrainer.select(CourseTrainer.person).where(
        CourseTrainer.course == course_id)}


async def test_an_author_removed_by_the_office_loses_the_course(client, admin):
    author, colleague = await make_person(roles="trainer"), await make_person(roles="trainer")
    course = await make_course(trainers=[author], created_by=author.id)
    await make_session(course)
    office = await bearer(admin)
    removed = await client.patch(f"/api/courses/{course.id}", json={"trainer_ids": [colleague.id]}, headers=office)
    assert removed.status_code == 200, removed.text
    headers = await bearer(author)
    edit = await client.patch(f"/api/courses/{course.id}", json={"title": "Mio di nuovo"}, headers=headers)
    assert edit.status_code == 403, edit.text
    back = await client.patch(f"/api/courses/{course.id}", json={"trainer_ids": [author.id, colleague.id]},
                              headers=headers)
    assert back.status_code == 403
    assert await _trainers(course.id) == {colleague.id}
    detail = await client.get(f"/api/courses/{course.id}", headers=headers)
    assert detail.status_code == 200 and detail.json()["can_manage"] is False
    # The managers that remain keep their rights.
    ok = await client.patch(f"/api/courses/{course.id}", json={"title": "Nuovo titolo"},
                            headers=await bearer(colleague))
    assert ok.status_code == 200


async def test_a_drafts_author_edits_it_but_cannot_put_herself_back(client, admin, cooperative, coordinator):
    author, colleague = await make_person(roles="trainer"), await make_person(roles="trainer")
    course = await make_course(trainers=[colleague], created_by=author.id, status=CourseStatus.DRAFT.value)
    headers = await bearer(author)
    assert (await client.patch(f"/api/courses/{course.id}", json={"title": "Bozza"}, headers=headers)).status_code == 200
    refused = await client.patch(f"/api/courses/{course.id}", json={"trainer_ids": [author.id, colleague.id]},
                                 headers=headers)
    assert refused.status_code == 403
    # The trainer list, unchanged, may be sent back with the rest of the form.
    same = await client.patch(f"/api/courses/{course.id}", json={"title": "Bozza 2", "trainer_ids": [colleague.id]},
                              headers=headers)
    assert same.status_code == 200
    # Another manager or the office may add her.
    added = await client.patch(f"/api/courses/{course.id}", json={"trainer_ids": [author.id, colleague.id]},
                               headers=await bearer(colleague))
    assert added.status_code == 200 and await _trainers(course.id) == {author.id, colleague.id}
    # The owning coordinator of an internal course changes its list too.
    internal = await make_course(await make_path("internal_training", owner_cooperative=cooperative.id),
                                 trainers=[colleague], created_by=author.id)
    changed = await client.patch(f"/api/courses/{internal.id}", json={"trainer_ids": [author.id]},
                                 headers=await bearer(coordinator))
    assert changed.status_code == 200, changed.text


async def test_the_courses_an_author_manages_are_listed_by_the_same_rule(admin):
    from tests.support import as_user
    from training_hub.catalogue.access import managed_courses_condition
    from training_hub.core.tables import Course

    author = await make_person(roles="trainer")
    draft = await make_course(trainers=[], created_by=author.id, status=CourseStatus.DRAFT.value)
    await make_course(trainers=[], created_by=author.id)
    rows = await Course.select(Course.id).where(managed_courses_condition(as_user(author)))
    assert [r["id"] for r in rows] == [draft.id]
