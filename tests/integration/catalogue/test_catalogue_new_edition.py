"""Issue 13.16: a new edition is suggested "(2ª edizione)" and an empty funder code, and takes what the
trainer writes."""

import re
from datetime import date

from tests.factories import make_course, make_person, make_session
from tests.support import login, post_form, rome
from training_hub.core.tables import Course


def value_of(html, name):
    return re.search(rf'<input id="{name}" name="{name}"[^>]*value="([^"]*)"', html).group(1)


async def test_the_copy_form_suggests_a_numbered_title_and_no_funder_code(client):
    trainer = await make_person("trainer", email="t@example.test")
    course = await make_course(trainers=[trainer], title="Primo soccorso", funder_plan_code="FONCOOP-SIC-2026-003")
    await make_session(course, rome(date(2026, 12, 2), 9))
    await login(client, "t@example.test")

    form = (await client.get(f"/trainer/courses/{course.id}/copy")).text
    assert value_of(form, "title") == "Primo soccorso (2ª edizione)"
    assert value_of(form, "funder_plan_code") == ""

    done = await post_form(client, f"/trainer/courses/{course.id}/copy",
                           {"title": "Primo soccorso (2ª edizione)", "funder_plan_code": "FONCOOP-SIC-2027-001"})
    assert done.status_code == 303
    copy = await Course.objects().where(Course.copied_from == course.id).first()
    assert (copy.title, copy.funder_plan_code, copy.status) == ("Primo soccorso (2ª edizione)", "FONCOOP-SIC-2027-001", "draft")


async def test_an_empty_code_is_cleared_and_an_empty_title_is_refused(client):
    trainer = await make_person("trainer", email="t@example.test")
    course = await make_course(trainers=[trainer], title="Primo soccorso", funder_plan_code="FONCOOP-SIC-2026-003")
    await login(client, "t@example.test")

    refused = await post_form(client, f"/trainer/courses/{course.id}/copy", {"title": " ", "funder_plan_code": ""})
    assert refused.status_code == 422 and 'id="title-error"' in refused.text
    assert await Course.count() == 1

    done = await post_form(client, f"/trainer/courses/{course.id}/copy",
                           {"title": "Primo soccorso (2ª edizione)", "funder_plan_code": "  "})
    assert done.status_code == 303
    copy = await Course.objects().where(Course.copied_from == course.id).first()
    assert copy.funder_plan_code is None
