"""Ordered paths no longer block people for good (issue 13, item 1).

"Formare i formatori" is taken in order. A new course at the end offered "Iscriviti" and then refused:
it wanted a confirmed enrolment in every earlier course, a later-dated one and a concluded edition
nobody can join included. Now an earlier position is done with an attestato or a confirmed enrolment
in an edition held before, and blocks only while it has an edition to take first; the course page
names it with a link before the button, and publishing warns about positions with no such edition.
"""

from datetime import date, timedelta

import pytest

from tests.factories import make_course, make_enrolment, make_path, make_person, make_session
from tests.support import as_user, bearer, login, post_form, rome
from training_hub.core.errors import EnrolmentRefused
from training_hub.core.tables import Course, CourseStatus
from training_hub.core.timeutil import utcnow
from training_hub.enrolment.actions import enrol_person


async def _edition(path, position, title, day, *, status=CourseStatus.PUBLISHED.value, trainer=None, **values):
    course = await make_course(path, position=position, title=title, status=status,
                               trainers=[trainer] if trainer else None, **values)
    await make_session(course, rome(day, 9), minutes=240)
    return course


@pytest.fixture
async def path(trainer):
    """Position 1 held once, concluded (11/2026); position 2 only after the new course (2027); the new
    course at the end on 10/12/2026."""
    path = await make_path("internal_training", title="Formare i formatori", sequential=True)
    closed = await _edition(path, 1, "Analisi dei fabbisogni", date(2026, 11, 2), status=CourseStatus.COMPLETED.value,
                            enrolment_opens_at=utcnow() - timedelta(days=60),
                            enrolment_closes_at=utcnow() - timedelta(days=30))
    later = await _edition(path, 2, "Progettare la formazione", date(2027, 2, 10))
    last = await _edition(path, 3, "Valutare l'apprendimento", date(2026, 12, 10), trainer=trainer)
    return {"path": path, "closed": closed, "later": later, "last": last}


async def test_past_and_later_dated_editions_never_block(client, path):
    worker = await make_person(email="w@example.test")
    await login(client, "w@example.test")
    page = await client.get(f"/courses/{path['last'].id}")
    assert "Iscriviti" in page.text and "va seguito in ordine" not in page.text
    assert (await enrol_person(as_user(worker), path["last"].id)).status == "confirmed"


async def test_an_edition_to_take_first_blocks_and_the_page_links_it_before_the_button(client, path):
    worker = await make_person(email="w@example.test")
    # A cancelled upcoming edition of position 1 never blocks; one on 3/12/2026 does.
    await _edition(path["path"], 1, "Analisi dei fabbisogni", date(2026, 12, 1), status=CourseStatus.CANCELLED.value)
    upcoming = await _edition(path["path"], 1, "Analisi dei fabbisogni", date(2026, 12, 3))
    await login(client, "w@example.test")
    page = await client.get(f"/courses/{path['last'].id}")
    assert page.status_code == 200
    panel = page.text[page.text.index('id="enrolment-panel-title"'):]
    assert "Il percorso va seguito in ordine" in panel
    assert f'<a href="/courses/{upcoming.id}">Analisi dei fabbisogni</a>' in panel
    assert "prossima edizione: 03/12/2026" in panel
    assert f'href="/courses/{path["last"].id}/enrol' not in panel  # no "Iscriviti" to refuse later
    with pytest.raises(EnrolmentRefused) as refused:
        await enrol_person(as_user(worker), path["last"].id)
    assert "«Analisi dei fabbisogni» (prossima edizione: 03/12/2026)" in refused.value.detail
    # Confirmed in the upcoming edition (held before): done, whatever its register will say.
    await make_enrolment(worker, upcoming)
    assert (await enrol_person(as_user(worker), path["last"].id)).status == "confirmed"


async def test_an_attestato_or_a_completed_edition_counts_as_done(path):
    await _edition(path["path"], 1, "Analisi dei fabbisogni", date(2026, 12, 3))
    holder, attended, stranger = await make_person(), await make_person(), await make_person()
    await make_enrolment(holder, path["closed"], status="cancelled", certificate_code="ABCDEFGH23")
    await make_enrolment(attended, path["closed"])
    assert (await enrol_person(as_user(holder), path["last"].id)).status == "confirmed"
    assert (await enrol_person(as_user(attended), path["last"].id)).status == "confirmed"
    with pytest.raises(EnrolmentRefused):
        await enrol_person(as_user(stranger), path["last"].id)


async def test_a_confirmed_enrolment_in_a_later_edition_does_not_count_yet(path):
    worker = await make_person()
    await _edition(path["path"], 1, "Analisi dei fabbisogni", date(2026, 12, 3))
    after = await _edition(path["path"], 1, "Analisi dei fabbisogni", date(2027, 1, 20))
    await make_enrolment(worker, after)
    with pytest.raises(EnrolmentRefused):
        await enrol_person(as_user(worker), path["last"].id)


async def test_publishing_warns_about_prerequisites_with_no_upcoming_edition(client, path, trainer):
    draft = await _edition(path["path"], 3, "Valutare (seconda edizione)", date(2026, 12, 17),
                           status=CourseStatus.DRAFT.value, trainer=trainer)
    headers = await bearer(trainer)
    answer = await client.post(f"/api/courses/{draft.id}/publish", headers=headers)
    assert answer.status_code == 409
    issues = answer.json()["issues"]
    assert [issue["severity"] for issue in issues] == ["warning", "warning"]
    assert "«Analisi dei fabbisogni» non ha un'edizione in programma" in issues[0]["message"]
    assert "«Progettare la formazione»" in issues[1]["message"]  # its only edition is in 2027
    assert (await Course.select(Course.status).where(Course.id == draft.id).first())["status"] == "draft"

    await login(client, trainer.email)
    manage = await client.get(f"/trainer/courses/{draft.id}")
    assert "non ha un&#39;edizione in programma" in manage.text and 'name="confirm_warnings"' in manage.text
    refused = await post_form(client, f"/trainer/courses/{draft.id}/publish", {})
    assert refused.status_code in (302, 303)
    assert (await Course.select(Course.status).where(Course.id == draft.id).first())["status"] == "draft"
    done = await post_form(client, f"/trainer/courses/{draft.id}/publish", {"confirm_warnings": "1"})
    assert done.status_code in (302, 303)
    assert (await Course.select(Course.status).where(Course.id == draft.id).first())["status"] == "published"


async def test_publishing_with_editions_to_take_first_has_no_warning(client, path, trainer):
    await _edition(path["path"], 1, "Analisi dei fabbisogni", date(2026, 12, 3))
    await _edition(path["path"], 2, "Progettare la formazione", date(2026, 12, 7))
    draft = await _edition(path["path"], 3, "Valutare (seconda edizione)", date(2026, 12, 17),
                           status=CourseStatus.DRAFT.value, trainer=trainer)
    answer = await client.post(f"/api/courses/{draft.id}/publish", headers=await bearer(trainer))
    assert answer.status_code == 200, answer.text
    confirmed = await client.post(f"/api/courses/{draft.id}/publish", json={"confirm_warnings": True},
                                  headers=await bearer(trainer))
    assert confirmed.status_code == 409  # already published: the usual refusal, not a 500


async def test_the_course_page_reads_the_path_in_one_statement_however_many_editions(client, path, count_queries):
    await make_person(email="w@example.test")
    await login(client, "w@example.test")

    async def statements() -> int:
        with count_queries() as counter:
            page = await client.get(f"/courses/{path['last'].id}")
        assert page.status_code == 200
        return counter.count

    few = await statements()
    for day in (1, 2, 3, 4):
        await _edition(path["path"], 1, "Analisi dei fabbisogni", date(2026, 12, day))
        await _edition(path["path"], 2, "Progettare la formazione", date(2026, 12, day + 4))
    many = await statements()
    assert many == few, (few, many)
    await Course.update({Course.path: (await make_path()).id}).where(Course.id == path["last"].id)
    assert await statements() == few - 1  # a path not taken in order: no statement for it at all
