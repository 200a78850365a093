"""People created or changed at the same instant with the same e-mail or codice fiscale: one wins,
the others get the ordinary "already exists" message next to the field, never a 500."""

from __future__ import annotations

import asyncio

import pytest

from tests.factories import make_cooperative, make_person
from tests.support import as_user, bearer
from training_hub.core.db import unique_violation_column
from training_hub.core.errors import ValidationFailed
from training_hub.core.tables import Person
from training_hub.directory import service as directory_service


async def test_simultaneous_creations_with_one_email_give_one_person(client):
    cooperative = await make_cooperative()
    headers = await bearer(await make_person(roles="admin"))
    bodies = [{"full_name": f"Persona {n}", "email": "Stessa.Persona@example.test", "cooperative_id": cooperative.id}
              for n in range(8)]
    responses = await asyncio.gather(*(client.post("/api/people", json=body, headers=headers) for body in bodies))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [422] * 7, [response.text for response in responses]
    for response in responses:
        if response.status_code == 422:
            assert response.headers["content-type"].startswith("application/problem+json")
            assert "Esiste già una persona con questo indirizzo e-mail." in response.text
    assert await Person.count().where(Person.email == "stessa.persona@example.test") == 1


async def test_simultaneous_creations_with_one_codice_fiscale_give_one_person(client):
    cooperative = await make_cooperative()
    headers = await bearer(await make_person(roles="admin"))
    bodies = [{"full_name": f"Persona {n}", "email": f"p{n}@example.test", "cooperative_id": cooperative.id,
               "codice_fiscale": "RSSMRA85T10A562S"} for n in range(6)]
    responses = await asyncio.gather(*(client.post("/api/people", json=body, headers=headers) for body in bodies))
    assert sorted(response.status_code for response in responses) == [201] + [422] * 5
    assert all("codice fiscale" in response.text for response in responses if response.status_code == 422)
    assert await Person.count().where(Person.codice_fiscale == "RSSMRA85T10A562S") == 1


@pytest.mark.parametrize("column", ["email", "codice_fiscale"])
async def test_the_database_names_the_unique_column_a_write_broke(column):
    first = await make_person(codice_fiscale="RSSMRA85T10A562S")
    values = {"email": first.email} if column == "email" else {"codice_fiscale": "RSSMRA85T10A562S"}
    with pytest.raises(Exception) as raised:
        await make_person(**values)
    assert unique_violation_column(raised.value, "person") == column
    assert unique_violation_column(raised.value, "course") is None
    assert unique_violation_column(ValueError("UNIQUE constraint failed: person.email"), "person") is None


@pytest.mark.parametrize("column", ["email", "codice_fiscale"])
async def test_a_duplicate_committed_after_the_check_is_the_checks_message(monkeypatch, column, admin):
    """The window itself, made certain: another request commits the same e-mail or codice fiscale
    after ``create_person`` has checked and before it writes."""
    cooperative = await make_cooperative()
    checked = directory_service._validate_person

    async def check_then_lose_the_race(*args, **kwargs):
        values = await checked(*args, **kwargs)
        await make_person(cooperative=cooperative, **(
            {"email": "contesa@example.test"} if column == "email" else {"codice_fiscale": "RSSMRA85T10A562S"}))
        return values

    monkeypatch.setattr(directory_service, "_validate_person", check_then_lose_the_race)
    data = directory_service.PersonInput(full_name="Maria Rossi", email="contesa@example.test", roles=["worker"],
                                         cooperative_id=cooperative.id, codice_fiscale="RSSMRA85T10A562S")
    with pytest.raises(ValidationFailed) as refused:
        await directory_service.create_person(as_user(admin), data)
    assert set(refused.value.errors) == {column}
    assert await Person.count().where(Person.full_name == "Maria Rossi") == 0
