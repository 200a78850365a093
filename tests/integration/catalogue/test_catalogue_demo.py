"""The demo data through the catalogue pages, as each demo login sees them."""

import pytest

from tests.support import bearer, login
from training_hub.core.tables import Course, Person
from training_hub.demo import load_demo_data


@pytest.mark.parametrize("email", ["worker@demo.test", "trainer@demo.test", "coordinator@demo.test",
                                   "admin@demo.test", "tutor@demo.test"])
async def test_demo_catalogue_course_and_path_pages_render(client, email):
    await load_demo_data()
    await login(client, email)
    catalogue = await client.get("/courses")
    assert catalogue.status_code == 200 and "corsi trovati" in catalogue.text
    for course in await Course.select(Course.id, Course.path):
        response = await client.get(f"/courses/{course['id']}")
        assert response.status_code in (200, 404)
        assert (await client.get(f"/paths/{course['path']}")).status_code in (200, 404)
    assert (await client.get("/paths")).status_code == 200
    person = await Person.select(Person.id).where(Person.email == email).first()
    api = await client.get("/api/courses", headers=await bearer(person["id"]))
    assert api.status_code == 200 and api.json()["total"] >= 10
    if email in ("trainer@demo.test", "coordinator@demo.test", "admin@demo.test"):
        mine = await client.get("/trainer/courses")
        assert mine.status_code == 200
        first = await Course.select(Course.id).first()
        manage = await client.get(f"/trainer/courses/{first['id']}")
        assert manage.status_code in (200, 403, 404)


async def test_demo_internal_course_is_hidden_from_other_cooperatives(client):
    await load_demo_data()
    internal = await Course.select(Course.id).where(Course.title == "Accoglienza dei nuovi operatori").first()
    outsider = await Person.select(Person.id).where(
        Person.email.like("%@cooperative.demo.test") & (Person.cooperative != (
            await Person.select(Person.cooperative).where(Person.email == "worker@demo.test").first())["cooperative"])
    ).first()
    assert (await client.get(f"/api/courses/{internal['id']}", headers=await bearer(outsider["id"]))).status_code == 404
    own = await Person.select(Person.id).where(Person.email == "worker@demo.test").first()
    assert (await client.get(f"/api/courses/{internal['id']}", headers=await bearer(own["id"]))).status_code == 200
