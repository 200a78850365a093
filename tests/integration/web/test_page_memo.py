"""Pages memoised on what they show (web/memo.py): a write shows at once, every browser keeps its own
CSRF token, a flash message is still shown once, and contexts that cannot be written out are rendered
every time."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from markupsafe import Markup

from tests.factories import make_cooperative, make_course, make_path, make_person, make_session
from tests.support import extract_csrf, login, post_form
from training_hub.core.tables import Course
from training_hub.core.timeutil import utcnow
from training_hub.web import memo


@pytest.fixture
def page_memo(monkeypatch):
    fresh = memo.PageMemo(4 * 1024 * 1024)
    monkeypatch.setattr(memo, "_memo", fresh)
    return fresh


async def _course_and_worker():
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    course = await make_course(await make_path(), title="Comunicare con le famiglie")
    await make_session(course, utcnow() + timedelta(days=10))
    return course


async def test_a_write_shows_at_once(client, page_memo):
    course = await _course_and_worker()
    await login(client, "w@example.test")
    first = await client.get(f"/courses/{course.id}")
    again = await client.get(f"/courses/{course.id}")
    assert again.text == first.text and page_memo.hits >= 1
    await Course.update({Course.title: "Comunicare con le famiglie, seconda edizione"}).where(Course.id == course.id)
    after = await client.get(f"/courses/{course.id}")
    assert "Comunicare con le famiglie, seconda edizione" in after.text
    await make_session(course, utcnow() + timedelta(days=20))
    assert after.text != (await client.get(f"/courses/{course.id}")).text


async def test_every_browser_keeps_its_own_csrf_token(client, other_client, page_memo):
    course = await _course_and_worker()
    await login(client, "w@example.test")
    await login(other_client, "w@example.test")
    mine = extract_csrf((await client.get(f"/courses/{course.id}")).text)
    theirs = extract_csrf((await other_client.get(f"/courses/{course.id}")).text)
    assert page_memo.hits >= 1
    assert mine and theirs and mine != theirs
    assert extract_csrf((await client.get(f"/courses/{course.id}")).text) == mine
    # The token in the memoised page is the one the form post needs.
    response = await post_form(client, "/language", {"language": "en", "next": "/profile"})
    assert response.status_code in (302, 303)


async def test_a_flash_message_is_shown_once_and_the_new_link_at_once(client, page_memo):
    await make_person("worker", cooperative=await make_cooperative(), email="w@example.test")
    await login(client, "w@example.test")
    before = (await client.get("/profile")).text
    assert (await client.get("/profile")).text == before  # from the memo
    await post_form(client, "/profile/calendar/rotate", {"kind": "personal"})
    with_message = (await client.get("/profile")).text
    assert "Nuovo link pronto" in with_message
    after = (await client.get("/profile")).text
    assert "Nuovo link pronto" not in after and after != before  # the new feed link, no message


async def test_the_memo_off_renders_the_same_pages(client, monkeypatch):
    course = await _course_and_worker()
    await login(client, "w@example.test")
    monkeypatch.setattr(memo, "_memo", memo.PageMemo(4 * 1024 * 1024))
    with_memo = (await client.get(f"/courses/{course.id}")).text
    off = memo.PageMemo(0)
    monkeypatch.setattr(memo, "_memo", off)
    without = (await client.get(f"/courses/{course.id}")).text
    assert with_memo == without and off.hits == off.misses == 0


def test_keys_tell_apart_what_renders_differently():
    assert memo.freeze([Markup("<b>")]) != memo.freeze(["<b>"])
    assert memo.freeze([True]) != memo.freeze([1])
    assert memo.freeze([1.0]) != memo.freeze([1])
    instant = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert memo.freeze([instant]) != memo.freeze([instant.astimezone(timezone(timedelta(hours=1)))])
    assert memo.freeze({"a": [1, {"b": "c"}]}) == memo.freeze({"a": [1, {"b": "c"}]})


def test_contexts_that_cannot_be_written_out_are_refused():
    class Mutable:
        pass

    with pytest.raises(memo._Unfreezable):
        memo.freeze({"row": Mutable()})
    with pytest.raises(memo._Unfreezable):
        memo.freeze({"format": lambda value: value})
