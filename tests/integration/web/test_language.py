from datetime import UTC, datetime

from tests.factories import make_course, make_enrolment, make_person, make_session
from tests.support import login, post_form
from training_hub.core.i18n import format_date, format_hours, format_time, language


async def test_pages_are_italian_by_default_with_italian_dates(client):
    person = await make_person(email="it@example.test", full_name="Chiara Villa")
    course = await make_course(title="Comunicare i valori")
    await make_session(course, starts_at=datetime(2027, 11, 25, 8, 30, tzinfo=UTC))  # 09:30 in Rome
    await make_enrolment(person, course)
    await login(client, "it@example.test")
    home = await client.get("/")
    assert '<html lang="it">' in home.text
    assert "I tuoi prossimi incontri" in home.text
    assert "giovedì 25 novembre 2027, 09:30" in home.text


async def test_language_switch_to_english_and_back(client):
    await make_person(email="en@example.test", full_name="Chiara Villa")
    await login(client, "en@example.test")
    switched = await post_form(client, "/language", {"language": "en", "next": "/profile"})
    assert switched.status_code == 303 and switched.headers["location"] == "/profile"
    page = await client.get("/profile")
    assert '<html lang="en">' in page.text
    assert "Your profile" in page.text
    await post_form(client, "/language", {"language": "it", "next": "/profile"})
    assert "Il tuo profilo" in (await client.get("/profile")).text


async def test_language_switch_rejects_unknown_language_and_foreign_redirects(client):
    response = await post_form(client, "/language", {"language": "xx", "next": "https://evil.example/"})
    assert response.headers["location"] == "/"
    assert '<html lang="it">' in (await client.get("/login")).text


def test_babel_formats_for_each_language():
    instant = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    with language("it"):
        assert format_date(instant) == "25/11/2026"
        assert format_time(instant) == "09:30"
        assert format_date(instant, "full") == "mercoledì 25 novembre 2026"
        assert format_hours(92) == "1 h 32 min"
    with language("en"):
        assert format_date(instant, "full") == "Wednesday, 25 November 2026"
        assert format_hours(92) == "1 h 32 min"


async def test_language_switch_survives_repeated_fields_and_keeps_the_query_string(client):
    from tests.support import csrf_token

    token = await csrf_token(client)
    response = await client.post("/language", data={"language": ["en", "it"], "next": ["/a", "/b"],
                                                     "_csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/"
    await make_person(email="filtri@example.test")
    await login(client, "filtri@example.test")
    page = await client.get("/courses?kind=marketing&q=valori")
    assert 'name="next" value="/courses?kind=marketing&amp;q=valori"' in page.text
    switched = await post_form(client, "/language", {"language": "en", "next": "/courses?kind=marketing&q=valori"})
    assert switched.headers["location"] == "/courses?kind=marketing&q=valori"
