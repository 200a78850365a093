"""The person form shows what the directory service decided: the roles the user may assign
(``assignable_roles``: every one offered is accepted, any other refused), whether they choose the
cooperative (``may_choose_cooperative``) and send someone a link to choose their password
(``may_send_invitations``): nobody chooses another person's password."""

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
    form = (await client.get("/admin/people/new")).text
    offered = _offered(form)
    assert offered == ["worker", "tutor"]
    assert 'name="cooperative_id"' not in form
    worker = await make_person("worker", cooperative=cooperative)
    edit = (await client.get(f"/admin/people/{worker.id}")).text
    assert 'name="full_name"' in edit and 'type="password"' not in edit
    assert f'action="/admin/people/{worker.id}/invitation"' in edit
    # Choosing someone's password is gone for everyone (issue 14 item 2).
    assert (await post_form(client, f"/admin/people/{worker.id}/password", {"new_password": "x" * 12})).status_code in (404, 405)
    for n, role in enumerate(ALL_ROLES):
        response = await _create(client, role, cooperative.id, n)
        assert (response.status_code == 303) == (role in offered), (role, response.status_code)
        if role not in offered:
            assert response.status_code == 403


async def test_the_office_is_offered_and_may_assign_every_role(client):
    cooperative = await make_cooperative()
    admin = await make_person("admin")
    await login(client, admin.email)
    form = (await client.get("/admin/people/new")).text
    assert _offered(form) == ALL_ROLES and 'name="cooperative_id"' in form
    worker = await make_person("worker", cooperative=cooperative)
    edit = (await client.get(f"/admin/people/{worker.id}")).text
    assert f'action="/admin/people/{worker.id}/invitation"' in edit and 'type="password"' not in edit
    for n, role in enumerate(ALL_ROLES):
        assert (await _create(client, role, cooperative.id, n)).status_code == 303, role
