"""The roles the person form offers are the roles the directory service lets the user assign
(``directory.service.assignable_roles``): every one offered is accepted, any other is refused."""

import re

from tests.factories import make_cooperative, make_person
from tests.support import login, post_form

ALL_ROLES = ["admin", "trainer", "coordinator", "worker", "tutor"]


def _offered(html: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="roles" value="([^"]+)"', html)


async def _create(client, role: str, cooperative_id: int, n: int):
    return await post_form(client, "/admin/people/new", {
        "full_name": f"Persona Nuova {n}", "email": f"nuova{n}.{role}@example.test", "roles": role,
        "cooperative_id": str(cooperative_id), "active": "on"})


async def test_a_coordinator_is_offered_and_may_assign_worker_and_tutor_only(client):
    cooperative = await make_cooperative()
    coordinator = await make_person("coordinator", cooperative=cooperative)
    await login(client, coordinator.email)
    offered = _offered((await client.get("/admin/people/new")).text)
    assert offered == ["worker", "tutor"]
    for n, role in enumerate(ALL_ROLES):
        response = await _create(client, role, cooperative.id, n)
        assert (response.status_code == 303) == (role in offered), (role, response.status_code)
        if role not in offered:
            assert response.status_code == 403


async def test_the_office_is_offered_and_may_assign_every_role(client):
    cooperative = await make_cooperative()
    admin = await make_person("admin")
    await login(client, admin.email)
    assert _offered((await client.get("/admin/people/new")).text) == ALL_ROLES
    for n, role in enumerate(ALL_ROLES):
        assert (await _create(client, role, cooperative.id, n)).status_code == 303, role
