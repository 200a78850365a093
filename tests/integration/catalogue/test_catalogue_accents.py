"""Search as people type it (issue 13, item 7): "equipe" finds "équipe", any case, and a word of the
path's title finds its courses — in the catalogue page, its API and the managers' "I miei corsi"."""

from datetime import date

import pytest

from tests.factories import make_course, make_path, make_person, make_session
from tests.support import bearer, login, rome


@pytest.fixture
async def courses(trainer):
    safety = await make_path("other", title="Sicurezza sul lavoro")
    other = await make_path("marketing", title="Comunicazione")
    made = {}
    for key, path, title, description in (
        ("equipe", other, "Lavoro d'équipe", "Riunioni e conflitti"),
        ("perche", other, "PERCHÉ COMUNICARE", ""),
        ("rischi", safety, "Rischi specifici", "Videoterminali e movimentazione"),
        ("citta", other, "Una città accessibile", "Barriere architettoniche: più spazio a tutti"),
    ):
        course = await make_course(path, trainers=[trainer], title=title, description=description)
        await make_session(course, rome(date(2026, 12, 10), 9))
        made[key] = course
    return made


CASES = [
    ("equipe", ["Lavoro d'équipe"]),
    ("ÉQUIPE", ["Lavoro d'équipe"]),
    ("perche", ["PERCHÉ COMUNICARE"]),
    ("perché", ["PERCHÉ COMUNICARE"]),
    ("citta", ["Una città accessibile"]),
    ("piu spazio", ["Una città accessibile"]),  # the description, accents folded too
    ("Sicurezza sul lavoro", ["Rischi specifici"]),  # every word in the path's title
    ("sicurezza rischi", ["Rischi specifici"]),  # one word in the path, one in the course
    ("equipe sicurezza", []),
    ("%", ["Lavoro d'équipe", "PERCHÉ COMUNICARE", "Rischi specifici", "Una città accessibile"]),
]


@pytest.mark.parametrize(("q", "expected"), CASES)
async def test_catalogue_search_folds_accents_and_reads_the_path(client, courses, q, expected):
    worker = await make_person(email="w@example.test")
    answer = await client.get("/api/courses", params={"q": q, "page_size": 50}, headers=await bearer(worker))
    assert answer.status_code == 200
    assert sorted(item["title"] for item in answer.json()["items"]) == sorted(expected)
    await login(client, "w@example.test")
    page = await client.get("/courses", params={"q": q})
    assert page.status_code == 200
    for course in courses.values():
        shown = f'/courses/{course.id}"' in page.text
        assert shown == (course.title in expected), (q, course.title)


async def test_my_courses_search_folds_accents_too(client, trainer, courses):
    headers = await bearer(trainer)
    found = await client.get("/api/trainer/courses", params={"q": "EQUIPE"}, headers=headers)
    assert [item["title"] for item in found.json()["items"]] == ["Lavoro d'équipe"]
    found = await client.get("/api/trainer/courses", params={"q": "sicurezza lavoro"}, headers=headers)
    assert [item["title"] for item in found.json()["items"]] == ["Rischi specifici"]
    await login(client, trainer.email)
    page = await client.get("/trainer/courses", params={"q": "perche"})
    assert "PERCHÉ COMUNICARE" in page.text and "Rischi specifici" not in page.text


def test_fold_matches_what_the_sql_makes():
    from training_hub.catalogue.search import search_words
    from training_hub.core.folding import fold

    assert fold("Équipe PERCHÉ città’") == "equipe perche citta'"
    assert search_words("  50%_di\\sconto  ") == ["50", "di", "sconto"]
    assert len(search_words("a b c d e f g h i j")) == 8
