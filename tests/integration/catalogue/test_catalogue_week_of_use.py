"""Issue 13, items 5 and 12: the catalogue's filters after a week of real use.

5. Reversed dates: the message, what was typed kept, and the results unfiltered by either date.
12. On a phone the filters fold behind "Filtri" (a <details>, no JavaScript), with the active filters
    summarised on the fold.
"""

import re
from datetime import date

from tests.factories import make_cooperative, make_course, make_location, make_path, make_person, make_session
from tests.support import login, rome


async def _catalogue():
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    trainer = await make_person("trainer")
    bergamo = await make_location(name="Centro civico", comune="Bergamo", province="BG", capacity=30)
    path = await make_path("marketing")
    for title, day in (("Comunicare i valori", date(2026, 12, 2)), ("Bilancio sociale", date(2026, 12, 14))):
        course = await make_course(path, trainers=[trainer], title=title, location=bergamo.id)
        await make_session(course, rome(day, 9), minutes=180, location=bergamo.id)


def _input_value(html, name):
    match = re.search(rf'<input id="{name}" name="{name}"[^>]*value="([^"]*)"', html)
    assert match, name
    return match.group(1)


async def test_reversed_dates_keep_what_was_typed_and_show_every_course(client):
    await _catalogue()
    await login(client, "w@example.test")

    html = (await client.get("/courses?starts_after=2026-12-20&starts_before=2026-12-01")).text

    assert "non sono stati applicati" in html
    assert "La fine dell&#39;intervallo deve venire dopo l&#39;inizio." in html
    # What was typed stays in both fields, to be corrected rather than typed again.
    assert _input_value(html, "starts_after") == "2026-12-20"
    assert _input_value(html, "starts_before") == "2026-12-01"
    # Neither end is applied: both courses, not "0 corsi trovati".
    assert "2 corsi trovati" in html and "0 corsi trovati" not in html
    assert "Comunicare i valori" in html and "Bilancio sociale" in html


async def test_reversed_dates_in_the_api_apply_neither_end(client):
    from tests.support import bearer

    await _catalogue()
    from training_hub.core.tables import Person

    worker = await Person.objects().get(Person.email == "w@example.test")
    answer = await client.get("/api/courses?starts_after=2026-12-20&starts_before=2026-12-01",
                              headers=await bearer(worker))
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"starts_after", "starts_before"}


async def test_a_valid_range_still_filters(client):
    await _catalogue()
    await login(client, "w@example.test")
    html = (await client.get("/courses?starts_after=2026-12-10&starts_before=2026-12-20")).text
    assert "1 corso trovato" in html and "Bilancio sociale" in html and "Comunicare i valori" not in html
    assert "filter-errors" not in html


async def test_filters_fold_behind_filtri_without_javascript(client):
    await _catalogue()
    await login(client, "w@example.test")

    html = (await client.get("/courses")).text
    fold = re.search(r'<details class="filters-fold"( open)?>\s*<summary>(.*?)</summary>', html, re.S)
    assert fold, "the filters sit in a <details> folded by default"
    assert fold.group(1) is None
    assert "Filtri" in fold.group(2) and "attiv" not in fold.group(2)
    assert html.index('<details class="filters-fold"') < html.index('<form method="get" action="/courses"')


async def test_the_fold_summarises_the_active_filters(client):
    await _catalogue()
    await login(client, "w@example.test")

    html = (await client.get("/courses?province=BG&kind=marketing&seats_available=1&q=valori")).text
    summary = re.search(r'<details class="filters-fold">\s*<summary>(.*?)</summary>', html, re.S).group(1)
    text = re.sub(r"<[^>]+>", " ", summary)
    assert "4 attivi" in text
    assert "«valori»" in text and "Bergamo" in text and "Marketing" in text and "Solo con posti liberi" in text


async def test_the_fold_opens_when_a_filter_is_wrong(client):
    await _catalogue()
    await login(client, "w@example.test")
    html = (await client.get("/courses?starts_after=2026-12-20&starts_before=2026-12-01")).text
    assert '<details class="filters-fold" open>' in html


async def test_the_catalogue_marks_the_courses_i_am_in(client, other_client, count_queries):
    """Issue 13.16: the shared (cached) results carry each person's own marks, nobody else's."""
    from tests.factories import make_enrolment
    from training_hub.core.tables import Course, Person

    await _catalogue()
    worker = await Person.objects().get(Person.email == "w@example.test")
    await make_person("worker", cooperative=worker.cooperative, email="c@example.test")
    valori = await Course.objects().get(Course.title == "Comunicare i valori")
    bilancio = await Course.objects().get(Course.title == "Bilancio sociale")
    await make_enrolment(worker, valori)
    await make_enrolment(worker, bilancio, status="waitlisted")

    await login(client, "w@example.test")
    await login(other_client, "c@example.test")
    mine = (await client.get("/courses")).text
    cards = {title: mine[mine.index(title):][:600] for title in ("Comunicare i valori", "Bilancio sociale")}
    assert '<span class="badge badge-ok">Sei iscritto</span>' in cards["Comunicare i valori"]
    assert "Sei in lista d'attesa" in cards["Bilancio sociale"]
    theirs = (await other_client.get("/courses")).text  # the same cached page, without my marks
    assert "Sei iscritto" not in theirs and "lista d'attesa</span>" not in theirs
    with count_queries() as counter:
        again = (await client.get("/courses")).text
    assert "Sei iscritto" in again and counter.count == 1  # seen again: only the session is read
