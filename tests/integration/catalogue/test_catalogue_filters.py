"""The catalogue's filters, sorting and pagination: the page and the API answer the same."""

import re
from datetime import date, timedelta

import pytest

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import bearer, login, rome
from training_hub.core.tables import CourseEligibleArea
from training_hub.core.timeutil import utcnow


@pytest.fixture
async def catalogue():
    coop = await make_cooperative()
    worker = await make_person("worker", cooperative=coop, email="w@example.test")
    trainer = await make_person("trainer")
    bergamo = await make_location(name="Centro civico", comune="Bergamo", province="BG", capacity=30)
    pavia = await make_location(name="Aula Ticino", comune="Pavia", province="PV", capacity=30)
    online = await make_location(name="Aula virtuale", comune="", province=None, capacity=None, is_online=True)
    marketing = await make_path("marketing")
    inclusion = await make_path("inclusion")
    other = await make_path("other")

    async def course(path, title, day, location, description="", capacity=20, mode="in_presence", areas=()):
        row = await make_course(path, trainers=[trainer], title=title, description=description, capacity=capacity,
                                location=location.id, delivery_mode=mode)
        await make_session(row, rome(day, 9), minutes=180, location=location.id)
        for area in areas:
            await CourseEligibleArea.insert(CourseEligibleArea(course=row.id, area=area))
        return row

    made = {
        "valori": await course(marketing, "Comunicare i valori", date(2026, 12, 2), bergamo,
                               description="Identità e racconto della cooperativa"),
        "bilancio": await course(marketing, "Bilancio sociale", date(2026, 12, 9), pavia, capacity=2),
        "social": await course(marketing, "Social media", date(2027, 1, 13), online, mode="online",
                               description="Piano editoriale e fotografie"),
        "inserimento": await course(inclusion, "Accompagnare l'inserimento", date(2026, 12, 16), pavia,
                                    areas=("disabili", "psichiatria")),
        "soccorso": await course(other, "Primo soccorso", date(2027, 2, 3), bergamo, areas=("anziani",)),
    }
    for _ in range(2):
        await make_enrolment(await make_person("worker", cooperative=coop), made["bilancio"])
    # A course that has already ended is hidden unless asked for.
    past = await make_course(other, trainers=[trainer], title="Corso finito", location=bergamo.id)
    await make_session(past, utcnow() - timedelta(days=10), minutes=120, location=bergamo.id)
    # One its trainer has already closed: shown with the past ones too, never a draft.
    closed = await make_course(other, trainers=[trainer], title="Corso concluso", location=bergamo.id,
                               status="completed")
    await make_session(closed, utcnow() - timedelta(days=20), minutes=120, location=bergamo.id)
    draft = await make_course(other, trainers=[trainer], title="Bozza passata", location=bergamo.id, status="draft")
    await make_session(draft, utcnow() - timedelta(days=15), minutes=120, location=bergamo.id)
    return worker, made


CASES = [
    ("kind=inclusion", ["Accompagnare l'inserimento"]),
    ("kind=marketing", ["Comunicare i valori", "Bilancio sociale", "Social media"]),
    ("province=PV", ["Bilancio sociale", "Accompagnare l'inserimento"]),
    ("province=bg", ["Comunicare i valori", "Primo soccorso"]),
    ("area=disabili", ["Comunicare i valori", "Bilancio sociale", "Accompagnare l'inserimento", "Social media"]),
    ("area=anziani", ["Comunicare i valori", "Bilancio sociale", "Social media", "Primo soccorso"]),
    ("delivery_mode=online", ["Social media"]),
    ("q=cooperativa", ["Comunicare i valori"]),
    ("q=SOCIAL", ["Bilancio sociale", "Social media"]),
    ("q=piano+fotografie", ["Social media"]),
    ("starts_after=2026-12-09&starts_before=2026-12-16", ["Bilancio sociale", "Accompagnare l'inserimento"]),
    ("starts_after=09/12/2026", ["Bilancio sociale", "Accompagnare l'inserimento", "Social media", "Primo soccorso"]),
    ("starts_before=2026-12-02", ["Comunicare i valori"]),
    ("seats_available=1", ["Comunicare i valori", "Accompagnare l'inserimento", "Social media", "Primo soccorso"]),
    ("seats_available=1&province=PV", ["Accompagnare l'inserimento"]),
    ("sort=-start&kind=marketing", ["Social media", "Bilancio sociale", "Comunicare i valori"]),
    ("include_past=1&province=BG", ["Corso concluso", "Corso finito", "Comunicare i valori", "Primo soccorso"]),
    ("", ["Comunicare i valori", "Bilancio sociale", "Accompagnare l'inserimento", "Social media", "Primo soccorso"]),
]


@pytest.mark.parametrize(("query", "expected"), CASES)
async def test_each_filter_gives_the_same_courses_in_the_api_and_the_page(client, catalogue, query, expected):
    worker, _ = catalogue
    api = await client.get(f"/api/courses?{query}", headers=await bearer(worker))
    assert api.status_code == 200, api.text
    assert [item["title"] for item in api.json()["items"]] == expected
    assert api.json()["total"] == len(expected)
    await login(client, "w@example.test")
    page = await client.get(f"/courses?{query}")
    assert page.status_code == 200
    shown = re.findall(r'<h3><a href="/courses/\d+">([^<]+)</a></h3>', page.text)
    assert [title.replace("&#39;", "'") for title in shown] == expected


async def test_pagination_and_shareable_links(client, catalogue):
    worker, _ = catalogue
    headers = await bearer(worker)
    first = (await client.get("/api/courses?page_size=2&kind=marketing", headers=headers)).json()
    second = (await client.get("/api/courses?page_size=2&page=2&kind=marketing", headers=headers)).json()
    assert first["total"] == second["total"] == 3
    assert [i["title"] for i in first["items"]] == ["Comunicare i valori", "Bilancio sociale"]
    assert [i["title"] for i in second["items"]] == ["Social media"]
    await login(client, "w@example.test")
    page = await client.get("/courses?page_size=2&kind=marketing&q=")
    assert 'href="/courses?kind=marketing&amp;page_size=2&amp;page=2" rel="next"' in page.text
    assert "pagina 1 di 2" in page.text
    follow = await client.get("/courses?kind=marketing&page_size=2&page=2")
    assert "Social media" in follow.text and 'rel="prev"' in follow.text
    assert 'value="marketing" selected' in follow.text


async def test_rows_show_dates_place_trainer_and_seats_left(client, catalogue):
    worker, _made = catalogue
    item = next(i for i in (await client.get("/api/courses?q=bilancio", headers=await bearer(worker))).json()["items"])
    assert item["seats_taken"] == 2 and item["seats_left"] == 0 and item["capacity"] == 2
    assert item["starts_at"] == "2026-12-09T09:00:00+01:00" and item["ends_at"] == "2026-12-09T12:00:00+01:00"
    assert item["location"]["comune"] == "Pavia" and item["trainers"][0]["full_name"]
    await login(client, "w@example.test")
    page = await client.get("/courses?q=bilancio")
    assert "Completo" in page.text and "09/12/2026, 09:00–12:00" in page.text and "Aula Ticino, Pavia (PV)" in page.text


async def test_bad_filters_are_422_in_the_api_and_a_message_on_the_page(client, catalogue):
    worker, _ = catalogue
    response = await client.get("/api/courses?kind=nessuno&starts_after=ieri&page_size=1000",
                                headers=await bearer(worker))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in response.json()["errors"]} == {"kind", "starts_after", "page_size"}
    await login(client, "w@example.test")
    page = await client.get("/courses?kind=nessuno&starts_after=ieri")
    assert page.status_code == 200
    assert 'aria-invalid="true" aria-describedby="kind-error"' in page.text
    assert "Tipo di percorso sconosciuto." in page.text and "Data non valida" in page.text
    assert "5 corsi trovati" in page.text  # the invalid filters are ignored, the rest still works


async def test_htmx_gets_only_the_results(client, catalogue):
    await login(client, "w@example.test")
    response = await client.get("/courses?kind=inclusion", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="catalogue-results"')
    assert "<html" not in response.text and "Accompagnare" in response.text
    assert "HX-Request" in response.headers["vary"]


async def test_a_completed_course_in_the_catalogue_offers_no_seats(client, catalogue):
    await login(client, "w@example.test")
    page = (await client.get("/courses?include_past=1&province=BG")).text
    cards = re.findall(r'<li class="course-card">(.*?)</li>', page, re.S)
    closed = next(card for card in cards if "Corso concluso" in card)
    assert "posti liberi" not in closed and "Completo" not in closed
    assert "posti liberi" in next(card for card in cards if "Primo soccorso" in card)
