""""Verifica i conflitti" on a series lists the dates it will create, each with its warnings beside it,
before anything is saved (issue 13, item 11)."""

import re

from tests.factories import make_course, make_location, make_path, make_person
from tests.support import login, post_form
from training_hub.core.tables import Session


def _items(html: str) -> list[str]:
    """The preview's dates, one text per date (its warnings included), tags stripped."""
    section = html[html.index('class="card series-preview"'):]
    section = section[section.index('<ol class="session-list">'):section.index("</ol>")]
    items = re.split(r'\n\s*<li><strong>', section)[1:]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


async def test_the_check_lists_each_date_with_its_warnings_and_saves_nothing(client):
    trainer = await make_person("trainer", email="t@example.test")
    room = await make_location(name="Aula La Bussola", comune="Brescia", province="BS", capacity=20)
    course = await make_course(await make_path("other"), trainers=[trainer], status="draft", location=room.id)
    await login(client, "t@example.test")
    checked = await post_form(client, f"/trainer/courses/{course.id}/sessions/series", {
        "first_day": "2026-12-01", "weekdays": ["1"], "start_time": "14:00", "end_time": "16:00", "count": "3",
        "location_id": str(room.id), "topics": "Uno\nDue\nTre", "action": "check"})
    assert checked.status_code == 200
    assert "I 3 incontri che saranno creati" in checked.text
    first, second, third = _items(checked.text)
    assert first.startswith("martedì 1 dicembre 2026 14:00–16:00 · Uno") and "Avviso" not in first
    assert second.startswith("martedì 8 dicembre 2026 14:00–16:00 · Due")
    assert "Avviso 08/12/2026 è festa nazionale (Immacolata Concezione)." in second
    assert "Avviso" not in third and "15 dicembre 2026" in third
    assert 'name="confirm_warnings"' in checked.text  # the way on: confirm and save
    assert not await Session.exists().where(Session.course == course.id)


async def test_a_clean_series_lists_its_dates_too(client):
    trainer = await make_person("trainer", email="t@example.test")
    room = await make_location(capacity=20)
    course = await make_course(await make_path("other"), trainers=[trainer], status="draft", location=room.id)
    await login(client, "t@example.test")
    checked = await post_form(client, f"/trainer/courses/{course.id}/sessions/series", {
        "first_day": "2027-01-11", "weekdays": ["0", "3"], "start_time": "09:30", "end_time": "12:30",
        "until": "2027-01-21", "location_id": str(room.id), "action": "check"})
    assert "Nessun conflitto e nessun avviso" in checked.text
    assert [item.rsplit(" ", 1)[0] for item in _items(checked.text)] == [
        "lunedì 11 gennaio 2027", "giovedì 14 gennaio 2027", "lunedì 18 gennaio 2027", "giovedì 21 gennaio 2027"]
